/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-auditd-fields.c - the text layer of audit.log records: the header
 * "[node=N ]type=T msg=audit(SEC.MS:SERIAL): ...", the field walk that
 * auparse does (name=value pairs, the user-space msg='...' payload walked
 * as fields, AVC's "avc: denied { perms }"), value decoding (quotes, upper-
 * case hex of encoded fields, EXECVE a1[0]/a1[1] pieces joined, PROCTITLE
 * NULs as spaces, keys split at 0x01), the enriched 0x1D part, SOCKADDR
 * decoding and syscall names for x86_64 and aarch64.
 */
#include <stdio.h>
#include <string.h>

#include "parse-auditd-int.h"

#define VAL_MAX 8192

/* ---- header ------------------------------------------------------------ */

static const char *digits(const char *p, const char *end, uint64_t *v, unsigned max)
{
    uint64_t x = 0;
    unsigned n = 0;
    while (p < end && *p >= '0' && *p <= '9' && n < max) {
        x = x * 10 + (uint64_t)(*p - '0');
        p++;
        n++;
    }
    *v = x;
    return n ? p : NULL;
}

int ty__audit_header(struct ty_str line, struct audit_hdr *h, char *why, size_t why_len)
{
    const char *s = line.p, *p = line.p, *end = line.p + line.len, *q;
    uint64_t v;

    memset(h, 0, sizeof(*h));
    if (line.len >= 5 && memcmp(p, "node=", 5) == 0) {
        q = p + 5;
        while (q < end && *q != ' ')
            q++;
        h->node = ty_str_make(p + 5, (size_t)(q - p - 5));
        p = q;
        while (p < end && *p == ' ')
            p++;
    }
    if (end - p >= 7 && memcmp(p, "audit: ", 7) == 0)
        p += 7; /* the kernel's own printk form (journal, dmesg) */
    if (end - p < 5 || memcmp(p, "type=", 5) != 0) {
        snprintf(why, why_len, "byte %zu: no 'type=' (not an audit record)", (size_t)(p - s));
        return -1;
    }
    q = p + 5;
    while (q < end && *q != ' ')
        q++;
    h->type = ty_str_make(p + 5, (size_t)(q - p - 5));
    if (!h->type.len) {
        snprintf(why, why_len, "byte %zu: empty record type", (size_t)(p + 5 - s));
        return -1;
    }
    p = q;
    while (p < end && *p == ' ')
        p++;
    if (end - p >= 10 && memcmp(p, "msg=audit(", 10) == 0) {
        p += 10;
    } else if (end - p >= 6 && memcmp(p, "audit(", 6) == 0) {
        p += 6; /* "type=1300 audit(...)" from the kernel */
    } else {
        snprintf(why, why_len, "byte %zu: no 'msg=audit(' after the type", (size_t)(p - s));
        return -1;
    }
    const char *st = p;
    if (!(q = digits(p, end, &v, 12)) || q == end || *q != '.') {
        snprintf(why, why_len, "byte %zu: time is not SECONDS.MILLISECONDS:SERIAL",
                 (size_t)(p - s));
        return -1;
    }
    h->sec = (int64_t)v;
    p = q + 1;
    if (!(q = digits(p, end, &v, 3)) || q == end || *q != ':') {
        snprintf(why, why_len, "byte %zu: milliseconds missing or longer than 3 digits",
                 (size_t)(p - s));
        return -1;
    }
    h->ms = (uint32_t)v;
    p = q + 1;
    if (!(q = digits(p, end, &v, 19)) || q == end || *q != ')') {
        snprintf(why, why_len, "byte %zu: serial missing or not a number", (size_t)(p - s));
        return -1;
    }
    h->serial = v;
    h->stamp = ty_str_make(st, (size_t)(q - st));
    p = q + 1;
    if (p == end || *p != ':') {
        snprintf(why, why_len, "byte %zu: no ':' after the serial", (size_t)(p - s));
        return -1;
    }
    p++;
    while (p < end && *p == ' ')
        p++;
    q = memchr(p, 0x1d, (size_t)(end - p));
    h->body = ty_str_make(p, (size_t)((q ? q : end) - p));
    if (q)
        h->enrich = ty_str_make(q + 1, (size_t)(end - q - 1));
    return 0;
}

/* ---- numeric record types (kernel messages: "type=1300") ------------------ */

static const struct {
    uint16_t nr;
    const char *name;
} types[] = {
    {1006, "LOGIN"},        {1100, "USER_AUTH"},     {1101, "USER_ACCT"},
    {1102, "USER_MGMT"},    {1103, "CRED_ACQ"},      {1104, "CRED_DISP"},
    {1105, "USER_START"},   {1106, "USER_END"},      {1107, "USER_AVC"},
    {1108, "USER_CHAUTHTOK"}, {1109, "USER_ERR"},    {1110, "CRED_REFR"},
    {1112, "USER_LOGIN"},   {1113, "USER_LOGOUT"},   {1114, "ADD_USER"},
    {1115, "DEL_USER"},     {1116, "ADD_GROUP"},     {1117, "DEL_GROUP"},
    {1123, "USER_CMD"},     {1124, "USER_TTY"},      {1130, "SERVICE_START"},
    {1131, "SERVICE_STOP"}, {1300, "SYSCALL"},       {1302, "PATH"},
    {1305, "CONFIG_CHANGE"}, {1306, "SOCKADDR"},     {1307, "CWD"},
    {1309, "EXECVE"},       {1320, "EOE"},           {1321, "BPRM_FCAPS"},
    {1327, "PROCTITLE"},    {1400, "AVC"},           {1401, "SELINUX_ERR"},
};

struct ty_str ty__audit_type(struct ty_str t)
{
    uint64_t nr;
    if (!t.len || t.p[0] < '0' || t.p[0] > '9' || ty_str_to_u64(t, &nr) != 0)
        return t;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (types[i].nr == nr)
            return ty_str_cstr(types[i].name);
    return t;
}

/* ---- values -------------------------------------------------------------- */

static bool is_arg_name(struct ty_str n)
{
    /* a0 a12 a1[0] */
    if (n.len < 2 || n.p[0] != 'a' || n.p[1] < '0' || n.p[1] > '9')
        return false;
    size_t i = 1;
    while (i < n.len && n.p[i] >= '0' && n.p[i] <= '9')
        i++;
    if (i == n.len)
        return true;
    if (n.p[i] != '[' || n.p[n.len - 1] != ']' || i + 2 >= n.len)
        return false;
    for (size_t j = i + 1; j < n.len - 1; j++)
        if (n.p[j] < '0' || n.p[j] > '9')
            return false;
    return true;
}

bool ty__audit_encoded(struct ty_str type, struct ty_str name)
{
    static const char *const enc[] = {
        "acct",    "cmd",      "comm",    "cwd",     "data",        "dir",         "exe",
        "file",    "key",      "name",    "path",    "proctitle",   "ocomm",       "root_dir",
        "grp",     "new_group", "vm",     "watch",   "new-disk",    "old-disk",    "new-chardev",
        "old-chardev", "new-fs", "old-fs", "new-net", "old-net",   "new-rng",     "old-rng",
        "sw",      "cgroup",   "exe_fl"};
    if (ty_str_eq_cstr(type, "EXECVE") && is_arg_name(name))
        return true;
    for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++)
        if (ty_str_eq_cstr(name, enc[i]))
            return true;
    return false;
}

bool ty__audit_is_hex(struct ty_str s)
{
    if (!s.len || (s.len & 1))
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (ty_hex_digit(s.p[i]) < 0)
            return false;
    return true;
}

static size_t unhex(struct ty_str s, char *out)
{
    for (size_t i = 0; i + 1 < s.len; i += 2)
        out[i / 2] = (char)(ty_hex_digit(s.p[i]) << 4 | ty_hex_digit(s.p[i + 1]));
    return s.len / 2;
}

struct ty_str ty__audit_value(struct ty_str type, struct ty_str name, struct ty_str v, char *out)
{
    if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"')
        return ty_str_make(v.p + 1, v.len - 2);
    if (ty__audit_encoded(type, name) && ty__audit_is_hex(v))
        return ty_str_make(out, unhex(v, out));
    return v;
}

/* ---- syscall names ---------------------------------------------------- */

/* x86_64: 0..202 in order, then a sparse list. */
static const char *const x86_64_lo[] = {
    "read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap",
    "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl",
    "pread64", "pwrite64", "readv", "writev", "access", "pipe", "select", "sched_yield",
    "mremap", "msync", "mincore", "madvise", "shmget", "shmat", "shmctl", "dup", "dup2",
    "pause", "nanosleep", "getitimer", "alarm", "setitimer", "getpid", "sendfile", "socket",
    "connect", "accept", "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind",
    "listen", "getsockname", "getpeername", "socketpair", "setsockopt", "getsockopt", "clone",
    "fork", "vfork", "execve", "exit", "wait4", "kill", "uname", "semget", "semop", "semctl",
    "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl", "fcntl", "flock", "fsync", "fdatasync",
    "truncate", "ftruncate", "getdents", "getcwd", "chdir", "fchdir", "rename", "mkdir",
    "rmdir", "creat", "link", "unlink", "symlink", "readlink", "chmod", "fchmod", "chown",
    "fchown", "lchown", "umask", "gettimeofday", "getrlimit", "getrusage", "sysinfo", "times",
    "ptrace", "getuid", "syslog", "getgid", "setuid", "setgid", "geteuid", "getegid",
    "setpgid", "getppid", "getpgrp", "setsid", "setreuid", "setregid", "getgroups",
    "setgroups", "setresuid", "getresuid", "setresgid", "getresgid", "getpgid", "setfsuid",
    "setfsgid", "getsid", "capget", "capset", "rt_sigpending", "rt_sigtimedwait",
    "rt_sigqueueinfo", "rt_sigsuspend", "sigaltstack", "utime", "mknod", "uselib",
    "personality", "ustat", "statfs", "fstatfs", "sysfs", "getpriority", "setpriority",
    "sched_setparam", "sched_getparam", "sched_setscheduler", "sched_getscheduler",
    "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval", "mlock",
    "munlock", "mlockall", "munlockall", "vhangup", "modify_ldt", "pivot_root", "_sysctl",
    "prctl", "arch_prctl", "adjtimex", "setrlimit", "chroot", "sync", "acct",
    "settimeofday", "mount", "umount2", "swapon", "swapoff", "reboot", "sethostname",
    "setdomainname", "iopl", "ioperm", "create_module", "init_module", "delete_module",
    "get_kernel_syms", "query_module", "quotactl", "nfsservctl", "getpmsg", "putpmsg",
    "afs_syscall", "tuxcall", "security", "gettid", "readahead", "setxattr", "lsetxattr",
    "fsetxattr", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr",
    "flistxattr", "removexattr", "lremovexattr", "fremovexattr", "tkill", "time", "futex"};

struct sysent {
    uint16_t nr;
    const char *name;
};

static const struct sysent x86_64_hi[] = {
    {203, "sched_setaffinity"}, {204, "sched_getaffinity"}, {213, "epoll_create"},
    {217, "getdents64"}, {228, "clock_gettime"}, {231, "exit_group"}, {232, "epoll_wait"},
    {233, "epoll_ctl"}, {234, "tgkill"}, {235, "utimes"}, {247, "waitid"}, {248, "add_key"},
    {249, "request_key"}, {250, "keyctl"}, {253, "inotify_init"},
    {254, "inotify_add_watch"}, {257, "openat"}, {258, "mkdirat"}, {259, "mknodat"},
    {260, "fchownat"}, {261, "futimesat"}, {262, "newfstatat"}, {263, "unlinkat"},
    {264, "renameat"}, {265, "linkat"}, {266, "symlinkat"}, {267, "readlinkat"},
    {268, "fchmodat"}, {269, "faccessat"}, {272, "unshare"}, {280, "utimensat"},
    {288, "accept4"}, {292, "dup3"}, {293, "pipe2"}, {299, "recvmmsg"},
    {302, "prlimit64"}, {303, "name_to_handle_at"}, {304, "open_by_handle_at"},
    {307, "sendmmsg"}, {308, "setns"}, {310, "process_vm_readv"},
    {311, "process_vm_writev"}, {313, "finit_module"}, {316, "renameat2"},
    {319, "memfd_create"}, {321, "bpf"}, {322, "execveat"}, {425, "io_uring_setup"},
    {426, "io_uring_enter"}, {434, "pidfd_open"}, {435, "clone3"}, {437, "openat2"},
    {439, "faccessat2"},
};

/* aarch64 (the generic table): the calls audit rules usually watch. */
static const struct sysent aarch64[] = {
    {5, "setxattr"}, {17, "getcwd"}, {23, "dup"}, {24, "dup3"}, {29, "ioctl"},
    {33, "mknodat"}, {34, "mkdirat"}, {35, "unlinkat"}, {36, "symlinkat"}, {37, "linkat"},
    {38, "renameat"}, {39, "umount2"}, {40, "mount"}, {41, "pivot_root"}, {48, "faccessat"},
    {49, "chdir"}, {51, "chroot"}, {52, "fchmod"}, {53, "fchmodat"}, {54, "fchownat"},
    {55, "fchown"}, {56, "openat"}, {57, "close"}, {63, "read"}, {64, "write"},
    {93, "exit"}, {94, "exit_group"}, {97, "unshare"}, {105, "init_module"},
    {106, "delete_module"}, {117, "ptrace"}, {129, "kill"}, {144, "setgid"},
    {146, "setuid"}, {147, "setresuid"}, {149, "setresgid"}, {157, "setsid"},
    {170, "settimeofday"}, {198, "socket"}, {200, "bind"}, {201, "listen"}, {202, "accept"},
    {203, "connect"}, {206, "sendto"}, {220, "clone"}, {221, "execve"}, {222, "mmap"},
    {226, "mprotect"}, {242, "accept4"}, {268, "setns"}, {273, "finit_module"},
    {276, "renameat2"}, {279, "memfd_create"}, {280, "bpf"}, {281, "execveat"},
    {435, "clone3"}, {437, "openat2"}, {439, "faccessat2"},
};

static const char *find_sys(const struct sysent *t, size_t n, uint64_t nr)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].nr == nr)
            return t[i].name;
    return NULL;
}

const char *ty__audit_syscall_name(struct ty_str arch, struct ty_str num)
{
    uint64_t nr;
    if (ty_str_to_u64(num, &nr) != 0)
        return NULL;
    if (ty_str_eq_cstr(arch, "c000003e")) {
        if (nr < sizeof(x86_64_lo) / sizeof(x86_64_lo[0]))
            return x86_64_lo[nr];
        return find_sys(x86_64_hi, sizeof(x86_64_hi) / sizeof(x86_64_hi[0]), nr);
    }
    if (ty_str_eq_cstr(arch, "c00000b7"))
        return find_sys(aarch64, sizeof(aarch64) / sizeof(aarch64[0]), nr);
    return NULL;
}

/* ---- sockaddr ---------------------------------------------------------- */

int ty__audit_sockaddr(struct ty_str hex, struct audit_sa *out)
{
    unsigned char b[128];
    size_t n;
    memset(out, 0, sizeof(*out));
    if (hex.len > 2 * sizeof(b) || hex.len < 4)
        return -1;
    for (size_t i = 0; i < hex.len; i++) {
        char c = hex.p[i];
        if (c >= 'a' && c <= 'f')
            c = (char)(c - 'a' + 'A');
        if (ty_hex_digit(c) < 0)
            return -1;
    }
    if (hex.len & 1)
        return -1;
    n = hex.len / 2;
    for (size_t i = 0; i < n; i++) {
        char c0 = hex.p[2 * i], c1 = hex.p[2 * i + 1];
        if (c0 >= 'a')
            c0 = (char)(c0 - 'a' + 'A');
        if (c1 >= 'a')
            c1 = (char)(c1 - 'a' + 'A');
        b[i] = (unsigned char)(ty_hex_digit(c0) << 4 | ty_hex_digit(c1));
    }
    out->family = b[0] | b[1] << 8;
    if (out->family == 2) {
        if (n < 8)
            return -1;
        out->port = b[2] << 8 | b[3];
        memset(out->ip.a, 0, 10);
        out->ip.a[10] = out->ip.a[11] = 0xff;
        memcpy(out->ip.a + 12, b + 4, 4);
    } else if (out->family == 10) {
        if (n < 24)
            return -1;
        out->port = b[2] << 8 | b[3];
        memcpy(out->ip.a, b + 8, 16);
    } else if (out->family == 1) {
        size_t k = 0, i = 2;
        if (i < n && b[i] == 0) {
            out->path[k++] = '@';
            i++;
        }
        for (; i < n && b[i] && k + 1 < sizeof(out->path); i++)
            out->path[k++] = (char)b[i];
        out->path[k] = '\0';
    }
    return 0;
}

/* ---- the field walk ------------------------------------------------------ */

struct walk {
    unsigned flags;
    ty_kv_fn kv;
    void *arg;
    struct ty_str type;
    struct ty_str arch, sysno;
    bool saw_syscall_name;
    /* EXECVE a1[0] a1[1]... joined into a1 (decoded mode) */
    char join_name[24];
    size_t join_name_len, join_len;
    bool joining, join_over;
    char join[VAL_MAX];
    char val[VAL_MAX];
};

static int flush_join(struct walk *w)
{
    if (!w->joining)
        return 0;
    w->joining = false;
    return w->kv(w->arg, ty_str_make(w->join_name, w->join_name_len),
                 ty_str_make(w->join, w->join_len));
}

static int emit(struct walk *w, struct ty_str name, struct ty_str v)
{
    int rc;
    if (ty_str_eq_cstr(name, "SYSCALL"))
        w->saw_syscall_name = true;
    else if (ty_str_eq_cstr(name, "arch"))
        w->arch = v;
    else if (ty_str_eq_cstr(name, "syscall"))
        w->sysno = v;
    if (w->flags & TY__AW_RAW)
        return w->kv(w->arg, name, v);

    ptrdiff_t br = ty_str_chr(name, '[');
    if (br > 0 && ty_str_eq_cstr(w->type, "EXECVE") && is_arg_name(name)) {
        if (w->joining && ((size_t)br != w->join_name_len ||
                           memcmp(name.p, w->join_name, (size_t)br) != 0))
            if ((rc = flush_join(w)) != 0)
                return rc;
        if (!w->joining) {
            if ((size_t)br >= sizeof(w->join_name))
                return 0;
            memcpy(w->join_name, name.p, (size_t)br);
            w->join_name_len = (size_t)br;
            w->join_len = 0;
            w->joining = true;
        }
        struct ty_str piece = ty__audit_value(w->type, name, v, w->val);
        if (w->join_len + piece.len <= sizeof(w->join)) {
            if (piece.len)
                memcpy(w->join + w->join_len, piece.p, piece.len);
            w->join_len += piece.len;
        }
        return 0;
    }
    if ((rc = flush_join(w)) != 0)
        return rc;
    if (v.len > sizeof(w->val)) /* longer than any record auditd writes: as is */
        return w->kv(w->arg, name, v);
    struct ty_str d = ty__audit_value(w->type, name, v, w->val);
    if (ty_str_eq_cstr(name, "proctitle") && d.p == w->val) {
        for (size_t i = 0; i < d.len; i++)
            if (w->val[i] == '\0')
                w->val[i] = ' ';
        while (d.len && w->val[d.len - 1] == ' ')
            d.len--;
    }
    if (ty_str_eq_cstr(name, "key") && d.p == w->val) {
        /* several rule keys joined by 0x01 */
        size_t s = 0;
        for (size_t i = 0; i <= d.len; i++) {
            if (i == d.len || d.p[i] == '\x01') {
                if (i > s && (rc = w->kv(w->arg, name, ty_str_make(d.p + s, i - s))) != 0)
                    return rc;
                s = i + 1;
            }
        }
        return 0;
    }
    return w->kv(w->arg, name, d);
}

/* AVC "avc:  denied  { read write } for  pid=..." at p (after "avc:"). */
static int avc(struct walk *w, const char **pp, const char *end)
{
    const char *p = *pp, *q;
    int rc;
    while (p < end && *p == ' ')
        p++;
    q = p;
    while (q < end && *q != ' ')
        q++;
    if (q == p)
        return 0;
    if ((rc = emit(w, TY_STR_LIT("seresult"), ty_str_make(p, (size_t)(q - p)))) != 0)
        return rc;
    p = q;
    while (p < end && *p == ' ')
        p++;
    if (p < end && *p == '{') {
        char perms[256];
        size_t n = 0;
        p++;
        for (;;) {
            while (p < end && *p == ' ')
                p++;
            if (p == end || *p == '}')
                break;
            q = p;
            while (q < end && *q != ' ' && *q != '}')
                q++;
            if (n && n < sizeof(perms))
                perms[n++] = ',';
            size_t k = (size_t)(q - p);
            if (n + k > sizeof(perms))
                k = sizeof(perms) - n;
            memcpy(perms + n, p, k);
            n += k;
            p = q;
        }
        if (p < end)
            p++;
        if (n && (rc = w->kv(w->arg, TY_STR_LIT("seperms"), ty_str_make(perms, n))) != 0)
            return rc;
    }
    *pp = p;
    return 0;
}

static int walk_span(struct walk *w, const char *p, const char *end, bool inner)
{
    int rc;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p == end)
            break;
        const char *t = p, *q;
        if (inner)
            while (t < end && *t == '(')
                t++;
        q = t;
        while (q < end && *q != '=' && *q != ' ')
            q++;
        if (q == end || *q == ' ') { /* a bare word: "user", "avc:", "PAM:" */
            p = q;
            if (!inner && q - t == 4 && memcmp(t, "avc:", 4) == 0 &&
                (rc = avc(w, &p, end)) != 0)
                return rc;
            continue;
        }
        struct ty_str name = ty_str_make(t, (size_t)(q - t));
        const char *v = q + 1, *e;
        if (v < end && *v == '\'') {
            const char *close = memchr(v + 1, '\'', (size_t)(end - v - 1));
            if (!close)
                close = end;
            if (!inner && ty_str_eq_cstr(name, "msg")) {
                if ((rc = walk_span(w, v + 1, close, true)) != 0)
                    return rc;
            } else if (name.len && (rc = emit(w, name, ty_str_make(v, (size_t)(close - v) +
                                                                       (close < end)))) != 0) {
                return rc;
            }
            p = close < end ? close + 1 : end;
            continue;
        }
        if (v < end && *v == '"') {
            const char *close = memchr(v + 1, '"', (size_t)(end - v - 1));
            e = close ? close + 1 : end;
        } else {
            e = v;
            while (e < end && *e != ' ')
                e++;
        }
        struct ty_str val = ty_str_make(v, (size_t)(e - v));
        if (inner)
            while (val.len && (val.p[val.len - 1] == ',' || val.p[val.len - 1] == ')'))
                val.len--;
        p = e;
        if (name.len && (rc = emit(w, name, val)) != 0)
            return rc;
    }
    return 0;
}

/* The enriched part: NAME=value, NAME="value", SADDR={ ... }. */
static int walk_enrich(struct walk *w, const char *p, const char *end)
{
    int rc;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *q = p;
        while (q < end && *q != '=' && *q != ' ')
            q++;
        if (q == end || *q == ' ') {
            p = q;
            continue;
        }
        struct ty_str name = ty_str_make(p, (size_t)(q - p));
        const char *v = q + 1, *e;
        char closer = v < end && *v == '{' ? '}' : v < end && *v == '"' ? '"' : ' ';
        if (closer != ' ') {
            const char *c = memchr(v + 1, closer, (size_t)(end - v - 1));
            e = c ? c + 1 : end;
        } else {
            e = v;
            while (e < end && *e != ' ')
                e++;
        }
        struct ty_str val = ty_str_make(v, (size_t)(e - v));
        if (!(w->flags & TY__AW_RAW) && val.len >= 2 && val.p[0] == '"' &&
            val.p[val.len - 1] == '"')
            val = ty_str_make(val.p + 1, val.len - 2);
        if (ty_str_eq_cstr(name, "SYSCALL"))
            w->saw_syscall_name = true;
        p = e;
        if (name.len && (rc = w->kv(w->arg, name, val)) != 0)
            return rc;
    }
    return 0;
}

int ty__audit_walk(struct ty_str line, unsigned flags, ty_kv_fn kv, void *arg)
{
    static _Thread_local struct walk w; /* 16 KiB of buffers: not on the stack */
    struct audit_hdr h;
    char why[96];
    int rc;

    if (ty__audit_header(line, &h, why, sizeof(why)) != 0)
        return -1;
    memset(&w, 0, offsetof(struct walk, join));
    w.flags = flags;
    w.kv = kv;
    w.arg = arg;
    w.type = ty__audit_type(h.type);
    if (h.node.len && (rc = kv(arg, TY_STR_LIT("node"), h.node)) != 0)
        return rc;
    if ((rc = kv(arg, TY_STR_LIT("type"), (flags & TY__AW_RAW) ? h.type : w.type)) != 0)
        return rc;
    if ((rc = walk_span(&w, h.body.p, h.body.p + h.body.len, false)) != 0)
        return rc;
    if ((rc = flush_join(&w)) != 0)
        return rc;
    if (!(flags & TY__AW_RAW) || (flags & TY__AW_ENRICH))
        if (h.enrich.len && (rc = walk_enrich(&w, h.enrich.p, h.enrich.p + h.enrich.len)) != 0)
            return rc;
    if (!(flags & TY__AW_RAW) && !w.saw_syscall_name && ty_str_eq_cstr(w.type, "SYSCALL")) {
        const char *n = ty__audit_syscall_name(w.arch, w.sysno);
        if (n && (rc = kv(arg, TY_STR_LIT("SYSCALL"), ty_str_cstr(n))) != 0)
            return rc;
    }
    return 0;
}
