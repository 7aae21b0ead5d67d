/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit.c - auditd records for the java-rce story, in the ENRICHED log format (formats.md 7):
 * `type=T msg=audit(<sec>.<ms>:<serial>): fields` then byte 0x1D and the host's own uid/gid
 * names. Encoded fields (comm, exe, cwd, name, proctitle, EXECVE args) are quoted, or
 * upper-case hex when they hold a space, a quote, a control byte or a byte >= 0x7F; EXECVE
 * arguments longer than 7500 bytes are split as aN_len= aN[0]= aN[1]=...; PROCTITLE is argv
 * joined by NULs, cut at 128 bytes. Events are built out of order and get their serial
 * numbers (consecutive per host) when sorted by time.
 */
#include "jr.h"

#include <stdio.h>
#include <string.h>

#define UNSET 4294967295u
#define SERIAL_MARK '\x01'
#define ARG_CHUNK 7500

static const char *uname(unsigned uid)
{
    switch (uid) {
    case 0: return "root";
    case APP_UID: return APP_USER;
    case 1000: return "alice";
    case 1001: return "batch";
    case 1002: return "bob";
    case UNSET: return "unset";
    default: return "?";
    }
}

static int needs_hex(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == '"' || c >= 0x7f)
            return 1;
    }
    return 0;
}

static void enc_n(struct sb *b, const char *s, size_t n)
{
    static const char hx[] = "0123456789ABCDEF";
    size_t i;

    if (!needs_hex(s, n)) {
        sb_add(b, "\"", 1);
        sb_add(b, s, n);
        sb_add(b, "\"", 1);
        return;
    }
    for (i = 0; i < n; i++) {
        char two[2] = { hx[(unsigned char)s[i] >> 4], hx[(unsigned char)s[i] & 15] };
        sb_add(b, two, 2);
    }
}

static void enc(struct sb *b, const char *s)
{
    enc_n(b, s, strlen(s));
}

/* "type=T msg=audit(\x01): " - the mark becomes <sec>.<ms>:<serial> at render time. */
static void rec(struct sb *b, const char *type)
{
    if (b->n)
        sb_add(b, "\n", 1);
    sb_f(b, "type=%s msg=audit(%c):%s", type, SERIAL_MARK, strcmp(type, "EOE") ? " " : "");
}

static void ids(struct sb *b, const struct proc *p)
{
    sb_f(b, "ppid=%d pid=%d auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u sgid=%u "
         "fsgid=%u tty=%s ses=%u comm=", p->ppid, p->pid, p->auid, p->uid, p->uid, p->uid,
         p->uid, p->uid, p->uid, p->uid, p->uid, p->tty ? p->tty : "(none)", p->ses);
    enc(b, p->comm);
    sb_s(b, " exe=");
    enc(b, p->exe);
}

static void enriched_ids(struct sb *b, const char *sys, const struct proc *p)
{
    const char *u = uname(p->uid);

    sb_f(b, "\x1d" "ARCH=x86_64 SYSCALL=%s AUID=\"%s\" UID=\"%s\" GID=\"%s\" EUID=\"%s\" "
         "SUID=\"%s\" FSUID=\"%s\" EGID=\"%s\" SGID=\"%s\" FSGID=\"%s\"", sys, uname(p->auid),
         u, u, u, u, u, u, u, u);
}

static const char *open_flags = "0";

static void syscall_rec(struct sb *b, int nr, const char *name, int ok, long ex, int items,
                        const struct proc *p, const char *key)
{
    char a[4][16];
    int i;

    for (i = 0; i < 4; i++)
        rng_hex(a[i], 12);
    if (nr == 157) { /* prctl(PR_SET_NAME, name) */
        snprintf(a[0], sizeof(a[0]), "f");
        snprintf(a[2], sizeof(a[2]), "0");
    } else if (nr == 42) { /* connect(fd, sockaddr_in *, 16) */
        snprintf(a[0], sizeof(a[0]), "%x", 3 + (unsigned)rng_n(20));
        snprintf(a[2], sizeof(a[2]), "10");
    } else if (nr == 257) { /* openat(AT_FDCWD, path, flags, mode) */
        snprintf(a[0], sizeof(a[0]), "ffffff9c");
        snprintf(a[2], sizeof(a[2]), "%s", open_flags);
    }
    rec(b, "SYSCALL");
    sb_f(b, "arch=c000003e syscall=%d success=%s exit=%ld a0=%s a1=%s a2=%s a3=%s items=%d ",
         nr, ok ? "yes" : "no", ex, a[0], a[1], a[2], nr == 157 ? "0" : a[3], items);
    ids(b, p);
    sb_s(b, " subj=unconfined key=");
    if (key)
        sb_f(b, "\"%s\"", key);
    else
        sb_s(b, "(null)");
    enriched_ids(b, name, p);
}

static void path_rec(struct sb *b, int item, const char *name, const char *dev, unsigned mode,
                     unsigned ouid, const char *nametype)
{
    unsigned long inode = 131000 + (unsigned long)rng_n(900000);

    rec(b, "PATH");
    sb_f(b, "item=%d name=", item);
    enc(b, name);
    sb_f(b, " inode=%lu dev=%s mode=0%o ouid=%u ogid=%u rdev=00:00 nametype=%s cap_fp=0 "
         "cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"%s\" OGID=\"%s\"", inode, dev,
         mode, ouid, ouid, nametype, uname(ouid), uname(ouid));
}

static void proctitle(struct sb *b, int argc, const char *const *argv)
{
    char t[129];
    size_t n = 0;
    int i;

    for (i = 0; i < argc && n < 128; i++) {
        size_t l = strlen(argv[i]);
        if (i)
            t[n++] = '\0';
        if (n + l > 128)
            l = 128 - n;
        memcpy(t + n, argv[i], l);
        n += l;
    }
    rec(b, "PROCTITLE");
    sb_s(b, "proctitle=");
    if (argc == 1 && !needs_hex(t, n))
        enc_n(b, t, n);
    else {
        struct sb h = { 0 };
        size_t k;
        /* NULs force hex even where the text would not */
        for (k = 0; k < n; k++)
            sb_f(&h, "%02X", (unsigned char)t[k]);
        sb_add(b, h.p, h.n);
        free(h.p);
    }
}

static void push(struct host *h, int64_t t, int tag, struct sb *b)
{
    lines_take(&h->audit, t, tag, b);
}

static const char *dev_of(const char *path)
{
    return strncmp(path, "/dev/shm/", 9) == 0 ? "00:19" : "103:01";
}

void au_execve(struct host *h, int64_t t, int tag, const struct proc *p, int argc,
               const char *const *argv, const char *key)
{
    struct sb b = { 0 };
    int i;

    syscall_rec(&b, 59, "execve", 1, 0, 2, p, key);
    rec(&b, "EXECVE");
    sb_f(&b, "argc=%d", argc);
    for (i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]), off;
        int part = 0;
        if (l <= ARG_CHUNK) {
            sb_f(&b, " a%d=", i);
            enc(&b, argv[i]);
            continue;
        }
        sb_f(&b, " a%d_len=%zu", i, l);
        for (off = 0; off < l; off += ARG_CHUNK, part++) {
            size_t n = l - off < ARG_CHUNK ? l - off : ARG_CHUNK;
            /* the kernel starts a new EXECVE record when the current one is full */
            rec(&b, "EXECVE");
            sb_f(&b, "a%d[%d]=", i, part);
            if (needs_hex(argv[i], l)) {
                size_t k;
                for (k = 0; k < n; k++)
                    sb_f(&b, "%02X", (unsigned char)argv[i][off + k]);
            } else {
                enc_n(&b, argv[i] + off, n);
            }
        }
    }
    rec(&b, "CWD");
    sb_s(&b, "cwd=");
    enc(&b, p->cwd);
    path_rec(&b, 0, p->exe, dev_of(p->exe), 0100755, strncmp(p->exe, "/dev/shm/", 9) ? 0
             : p->uid, "NORMAL");
    path_rec(&b, 1, "/lib64/ld-linux-x86-64.so.2", "103:01", 0100755, 0, "NORMAL");
    proctitle(&b, argc, argv);
    rec(&b, "EOE");
    push(h, t, tag, &b);
}

void au_connect(struct host *h, int64_t t, int tag, const struct proc *p, const char *ip,
                int port, const char *key)
{
    struct sb b = { 0 };
    unsigned q[4];
    const char *argv[1] = { p->exe };

    sscanf(ip, "%u.%u.%u.%u", &q[0], &q[1], &q[2], &q[3]);
    syscall_rec(&b, 42, "connect", 0, -115, 0, p, key);
    rec(&b, "SOCKADDR");
    sb_f(&b, "saddr=0200%04X%02X%02X%02X%02X0000000000000000\x1dSADDR={ saddr_fam=inet "
         "laddr=%s lport=%d }", (unsigned)port, q[0], q[1], q[2], q[3], ip, port);
    proctitle(&b, 1, argv);
    rec(&b, "EOE");
    push(h, t, tag, &b);
}

void au_prctl(struct host *h, int64_t t, int tag, const struct proc *p, const char *key)
{
    struct sb b = { 0 };
    const char *argv[1] = { p->exe };

    syscall_rec(&b, 157, "prctl", 1, 0, 0, p, key);
    proctitle(&b, 1, argv);
    rec(&b, "EOE");
    push(h, t, tag, &b);
}

void au_open(struct host *h, int64_t t, int tag, const struct proc *p, const char *path,
             int create, const char *key)
{
    struct sb b = { 0 };
    char dir[256];
    const char *slash = strrchr(path, '/');
    const char *argv[1] = { p->exe };

    snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + 1), path);
    /* O_WRONLY|O_CREAT|O_TRUNC, O_WRONLY|O_APPEND (echo >>), O_RDONLY */
    open_flags = create ? "241" : strcmp(key, "ssh_keys") == 0 ? "401" : "0";
    syscall_rec(&b, 257, "openat", 1, 3 + (long)rng_n(4), 2, p, key);
    rec(&b, "CWD");
    sb_s(&b, "cwd=");
    enc(&b, p->cwd);
    path_rec(&b, 0, dir, dev_of(path), create ? 041777 : 040755, 0, "PARENT");
    path_rec(&b, 1, path, dev_of(path), create ? 0100644 : 0100640, create ? p->uid : 0,
             create ? "CREATE" : "NORMAL");
    proctitle(&b, 1, argv);
    rec(&b, "EOE");
    push(h, t, tag, &b);
}

void au_user(struct host *h, int64_t t, int tag, const char *type, int pid, unsigned uid,
             unsigned auid, unsigned ses, const char *body)
{
    struct sb b = { 0 };

    rec(&b, type);
    sb_f(&b, "pid=%d uid=%u auid=%u ses=%u subj=unconfined msg='%s'\x1dUID=\"%s\" AUID=\"%s\"",
         pid, uid, auid, ses, body, uname(uid), uname(auid));
    push(h, t, tag, &b);
}

void au_login(struct host *h, int64_t t, int pid, unsigned auid, unsigned ses)
{
    struct sb b = { 0 };

    rec(&b, "LOGIN");
    sb_f(&b, "pid=%d uid=0 subj=unconfined old-auid=4294967295 auid=%u tty=(none) "
         "old-ses=4294967295 ses=%u res=1\x1dUID=\"root\" OLD-AUID=\"unset\" AUID=\"%s\"", pid,
         auid, ses, uname(auid));
    push(h, t, 0, &b);
}

void au_render(struct host *h)
{
    struct sb tmp = { 0 };
    size_t i, lineno = 1;
    unsigned serial = h->serial;

    lines_render(&h->audit, &tmp); /* sorts; the text is rebuilt below with the serials */
    free(tmp.p);
    for (i = 0; i < h->audit.n; i++, serial++) {
        struct line *l = &h->audit.v[i];
        char stamp[64], ts[TF_LEN];
        const char *s;
        l->off = h->audit_out.n;
        l->lineno = lineno;
        tf_epoch_ms(ts, l->t / MS);
        snprintf(stamp, sizeof(stamp), "%s:%u", ts, serial);
        for (s = l->text; *s; s++) {
            if (*s == SERIAL_MARK)
                sb_s(&h->audit_out, stamp);
            else
                sb_add(&h->audit_out, s, 1);
            lineno += *s == '\n';
        }
        sb_add(&h->audit_out, "\n", 1);
        lineno++;
    }
}

const struct line *au_tag(const struct host *h, int tag)
{
    return lines_tag(&h->audit, tag);
}
