/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.c - each server's filesystem timeline as a body file (formats.md section 9): the
 * master's from mac-robber 1.02 run live (three header lines, MD5 and inode 0, no crtime,
 * modes without the type prefix, symlink targets in the mode field), the worker's from TSK
 * `fls -r -m /` on a volume snapshot (inodes, `r/r` modes, ext4 crtime, deleted names with
 * size 0 as ext4 leaves them). Background: the OS, Hadoop, HDFS blocks, the day's ETL
 * containers; the attack: the container's files, the drop directory, the crontab.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rng.h"
#include "ym.h"

struct fent {
    char *name;
    char type;                    /* 'r', 'd' or 'l' */
    char perm[10];                /* "rwxr-xr-x" */
    int uid, gid;
    int64_t size, a, m, c, b;
    int deleted;
    const char *link;
};

struct tree {
    struct fent *e;
    size_t n;
};

static void put(struct tree *t, const char *name, char type, const char *perm, int uid,
                int gid, int64_t size, int64_t a, int64_t m, int64_t c, int64_t b)
{
    t->e = xrealloc(t->e, (t->n + 1) * sizeof *t->e);
    struct fent *f = &t->e[t->n++];
    memset(f, 0, sizeof *f);
    f->name = xstrdup(name);
    f->type = type;
    snprintf(f->perm, sizeof f->perm, "%s", perm);
    f->uid = uid;
    f->gid = gid;
    f->size = size;
    f->a = a, f->m = m, f->c = c, f->b = b;
}

/* A file installed long ago (by a package or an image build) and read now and then. */
static void old(struct tree *t, const char *name, char type, const char *perm, int uid,
                int gid, int64_t size, int64_t installed, int64_t now)
{
    int64_t m = installed - rng_range(0, 200) * 86400;
    int64_t a = rng_n(3) == 0 ? now - rng_range(0, 86400 * 3) : installed + rng_range(0, 9999);
    put(t, name, type, perm, uid, gid, size, a, m, installed, installed);
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(((const struct fent *)x)->name, ((const struct fent *)y)->name);
}

static const char *const BINS[] = {
    "awk", "bash", "cat", "chmod", "chown", "cp", "crontab", "curl", "cut", "date", "dd", "df",
    "diff", "dig", "du", "echo", "env", "find", "free", "grep", "gzip", "head", "hostname",
    "id", "ip", "java", "kill", "less", "ln", "ls", "lsof", "mkdir", "more", "mount", "mv",
    "nano", "netstat", "nohup", "openssl", "perl", "pgrep", "ping", "pkill", "ps", "python3",
    "readlink", "rm", "rsync", "scp", "sed", "sha256sum", "sleep", "sort", "ss", "ssh", "stat",
    "strings", "sudo", "systemctl", "tail", "tar", "tee", "top", "touch", "tr", "uname",
    "uniq", "unzip", "vi", "vim", "watch", "wc", "wget", "which", "whoami", "xargs", "zip",
};
static const char *const ETC[] = {
    "passwd", "group", "shadow", "hosts", "hostname", "resolv.conf", "fstab", "crontab",
    "sudoers", "ssh/sshd_config", "ssh/ssh_config", "rsyslog.conf", "logrotate.conf",
    "chrony/chrony.conf", "apt/sources.list", "environment", "profile", "bash.bashrc",
    "cron.d/sysstat", "cron.d/hdfs-report", "cron.hourly/.placeholder", "default/sysstat",
    "security/limits.conf", "sysctl.conf", "os-release", "timezone", "localtime",
    "hadoop/core-site.xml", "hadoop/hdfs-site.xml", "hadoop/yarn-site.xml",
    "hadoop/mapred-site.xml", "hadoop/capacity-scheduler.xml", "hadoop/log4j.properties",
    "hadoop/hadoop-env.sh", "hadoop/yarn-env.sh", "hadoop/workers",
};
static const char *const JARS[] = {
    "common/hadoop-common-3.3.6.jar", "common/hadoop-kms-3.3.6.jar",
    "hdfs/hadoop-hdfs-3.3.6.jar", "hdfs/hadoop-hdfs-client-3.3.6.jar",
    "yarn/hadoop-yarn-api-3.3.6.jar", "yarn/hadoop-yarn-common-3.3.6.jar",
    "yarn/hadoop-yarn-server-nodemanager-3.3.6.jar",
    "yarn/hadoop-yarn-server-resourcemanager-3.3.6.jar",
    "yarn/hadoop-yarn-server-web-proxy-3.3.6.jar",
    "mapreduce/hadoop-mapreduce-client-app-3.3.6.jar",
    "mapreduce/hadoop-mapreduce-client-core-3.3.6.jar",
    "mapreduce/hadoop-mapreduce-examples-3.3.6.jar",
};

/* The OS, Hadoop and the logs: what any day looks like on this server. */
static void background(struct ym_world *yw, struct tree *t, int hi)
{
    struct ym_host *h = &yw->host[hi];
    int64_t inst = 1772614800;    /* 2026-03-04 09:00 UTC, the image build */
    int64_t now = h->collected;
    char p[512];
    static const char *const dirs[] = {
        "/etc", "/etc/ssh", "/etc/apt", "/etc/cron.d", "/etc/cron.hourly", "/etc/default",
        "/etc/security", "/etc/chrony", "/etc/hadoop", "/home", "/home/alice", "/home/deploy",
        "/opt", YM_HADOOP, YM_HADOOP "/bin", YM_HADOOP "/sbin", YM_HADOOP "/share",
        YM_HADOOP "/share/hadoop", YM_HADOOP "/share/hadoop/common",
        YM_HADOOP "/share/hadoop/hdfs", YM_HADOOP "/share/hadoop/yarn",
        YM_HADOOP "/share/hadoop/mapreduce", YM_HADOOP "/share/hadoop/common/lib",
        "/root", "/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib/x86_64-linux-gnu",
        "/var", "/var/lib", "/var/spool", "/var/spool/cron", "/var/log", "/var/log/apt",
        "/var/tmp", YM_YARN_HOME, "/tmp", "/tmp/hadoop-yarn",
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        old(t, dirs[i], 'd', "rwxr-xr-x", 0, 0, 4096, inst, now);
    put(t, "/var/spool/cron/crontabs", 'd', "rwx-wx--T", 0, 101, 4096, now - 3000,
        h->miner_start, h->miner_start, inst);
    put(t, YM_HADOOP "/logs", 'd', "rwxrwxr-x", 998, 998, 4096, now - 60, now - 60, now - 60,
        inst + 3600);
    for (size_t i = 0; i < sizeof BINS / sizeof BINS[0]; i++) {
        snprintf(p, sizeof p, "/usr/bin/%s", BINS[i]);
        old(t, p, 'r', "rwxr-xr-x", 0, 0, rng_range(14000, 1400000), inst, now);
    }
    for (size_t i = 0; i < sizeof ETC / sizeof ETC[0]; i++) {
        snprintf(p, sizeof p, "/etc/%s", ETC[i]);
        old(t, p, 'r', strstr(ETC[i], "shadow") ? "rw-r-----" : "rw-r--r--", 0,
            strstr(ETC[i], "shadow") ? 42 : 0, rng_range(30, 9000), inst, now);
    }
    int nlib = 260 * yw->scale;
    for (int i = 0; i < nlib; i++) {
        char n[9];
        rng_chars(n, 8, "abcdefghijklmnopqrstuvwxyz");
        snprintf(p, sizeof p, "/usr/lib/x86_64-linux-gnu/lib%s.so.%d", n, (int)rng_range(0, 9));
        old(t, p, 'r', "rw-r--r--", 0, 0, rng_range(9000, 3000000), inst, now);
    }
    for (size_t i = 0; i < sizeof JARS / sizeof JARS[0]; i++) {
        snprintf(p, sizeof p, YM_HADOOP "/share/hadoop/%s", JARS[i]);
        old(t, p, 'r', "rw-r--r--", 0, 0, rng_range(90000, 6000000), inst, now);
    }
    for (int i = 0; i < 120 * yw->scale; i++) {
        char n[7];
        rng_chars(n, 6, "abcdefghijklmnopqrstuvwxyz");
        int v1 = (int)rng_range(1, 9);
        int v2 = (int)rng_range(0, 20);
        int v3 = (int)rng_range(0, 9);
        snprintf(p, sizeof p, YM_HADOOP "/share/hadoop/common/lib/%s-%d.%d.%d.jar", n, v1, v2,
                 v3);
        old(t, p, 'r', "rw-r--r--", 0, 0, rng_range(5000, 4000000), inst, now);
    }
    put(t, "/etc/hadoop/conf", 'l', "rwxrwxrwx", 0, 0, 23, inst, inst, inst, inst);
    t->e[t->n - 1].link = YM_HADOOP "/etc/hadoop";
    /* Logs written all day. */
    put(t, "/var/log/syslog", 'r', "rw-r-----", 0, 4, (int64_t)h->size_syslog, now - 5, now - 5,
        now - 5, yw->day0);
    put(t, "/var/log/auth.log", 'r', "rw-r-----", 0, 4, (int64_t)h->size_auth, now - 3, now - 3,
        now - 3, yw->day0);
    put(t, "/var/log/syslog.1", 'r', "rw-r-----", 0, 4, rng_range(200000, 400000), yw->day0,
        yw->day0, yw->day0, yw->day0 - 86400);
    put(t, "/var/log/apt/history.log", 'r', "rw-r--r--", 0, 0, rng_range(9000, 30000),
        ym_at(yw, 6, 31, 9), yw->day0 - 86400 * 4, yw->day0 - 86400 * 4, inst);
    snprintf(p, sizeof p, YM_HADOOP "/logs/yarn-yarn-nodemanager-%s.log", h->name);
    put(t, p, 'r', "rw-r--r--", 998, 998, (int64_t)h->size_nm, now - 60, now - 60, now - 60,
        yw->day0 - 4 * 86400);
    if (hi == YM_MASTER) {
        put(t, YM_HADOOP "/logs/yarn-yarn-resourcemanager-hadoop-master.log", 'r', "rw-r--r--",
            998, 998, (int64_t)h->size_rm, now - 30, now - 30, now - 30, yw->day0 - 4 * 86400);
    }
    put(t, "/home/alice/.bash_history", 'r', "rw-------", 1001, 1001, (int64_t)h->size_alice,
        ym_at(yw, hi == YM_MASTER ? 9 : 8, hi == YM_MASTER ? 38 : 20, 21),
        ym_at(yw, hi == YM_MASTER ? 9 : 8, hi == YM_MASTER ? 49 : 27, 0),
        ym_at(yw, hi == YM_MASTER ? 9 : 8, hi == YM_MASTER ? 49 : 27, 0), inst + 86400);
    /* HDFS blocks on the worker (the master's walk did not include /data). */
    if (hi == YM_WORKER) {
        old(t, "/data", 'd', "rwxr-xr-x", 0, 0, 4096, inst, now);
        old(t, "/data/dfs/dn/current", 'd', "rwx------", 997, 997, 4096, inst, now);
        for (int i = 0; i < 1200 * yw->scale; i++) {
            uint64_t blk = 1073741825 + (uint64_t)i * 3;
            int64_t m = yw->day0 - rng_range(-30000, 86400 * 60);
            if (m > now)
                m = now - 100;
            int64_t size = rng_range(1000, 134217728);
            snprintf(p, sizeof p, "/data/dfs/dn/current/BP-1492305126-10.0.5.10-1772614911021/"
                     "current/finalized/subdir0/subdir%d/blk_%llu", i / 256,
                     (unsigned long long)blk);
            put(t, p, 'r', "rw-r--r--", 997, 997, size, m + rng_range(0, 9000), m, m, m);
            size_t l = strlen(p);
            snprintf(p + l, sizeof p - l, "_%llu.meta", (unsigned long long)(1001 + blk));
            put(t, p, 'r', "rw-r--r--", 997, 997, 7 + size / 512 * 4, m, m, m, m);
        }
    }
}

/* A container's files in the NodeManager local dir and its user logs. */
static void container_files(struct ym_world *yw, struct tree *t, uint32_t seq,
                            const char *user, int64_t start, int64_t run, size_t launch_size,
                            int attacker)
{
    char app[64], c[64], dir[300], p[512];
    ym_app(app, sizeof app, yw, seq);
    ym_container(c, sizeof c, yw, seq, 1);
    int uid = 998;                /* DefaultContainerExecutor: everything runs as yarn */
    snprintf(dir, sizeof dir, YM_NM_LOCAL "/usercache/%s/appcache/%s", user, app);
    put(t, dir, 'd', "rwx--x---", uid, uid, 4096, start + 1, start, start, start);
    snprintf(p, sizeof p, "%s/%s", dir, c);
    put(t, p, 'd', "rwx--x---", uid, uid, 4096, start + 1, start + 1, start + 1, start);
    static const char *const files[] = {"launch_container.sh", "default_container_executor.sh",
                                        "default_container_executor_session.sh",
                                        ".container_tokens", ".launch_container.sh.crc"};
    for (int i = 0; i < 5; i++) {
        int64_t size = i == 0 ? (int64_t)launch_size : i == 3 ? 157 : rng_range(12, 900);
        snprintf(p, sizeof p, "%s/%s/%s", dir, c, files[i]);
        put(t, p, 'r', i < 3 ? "rwx------" : "rw-r--r--", uid, uid, size, start + 1, start,
            start, start);
    }
    if (!attacker) {
        snprintf(p, sizeof p, "%s/%s/job.xml", dir, c);
        put(t, p, 'r', "rw-r--r--", uid, uid, rng_range(150000, 290000), start + 2, start,
            start, start);
        snprintf(p, sizeof p, "%s/%s/job.jar", dir, c);
        put(t, p, 'l', "rwxrwxrwx", uid, uid, 71, start, start, start, start);
        t->e[t->n - 1].link = YM_NM_LOCAL "/filecache/10/job.jar";
    }
    snprintf(dir, sizeof dir, YM_HADOOP "/logs/userlogs/%s/%s", app, c);
    static const char *const logs[] = {"prelaunch.out", "prelaunch.err", "stdout", "stderr",
                                       "launch_container.sh", "directory.info", "syslog"};
    for (int i = 0; i < (attacker ? 6 : 7); i++) {
        int64_t size = i == 4 ? (int64_t)launch_size : i == 1 || (attacker && i >= 2 && i < 4)
                       ? 0 : rng_range(60, attacker ? 400 : 90000);
        snprintf(p, sizeof p, "%s/%s", dir, logs[i]);
        put(t, p, 'r', "rw-r-----", uid, uid, size, start + 1, start + (i >= 2 ? run : 0),
            start + (i >= 2 ? run : 0), start);
    }
}

/* The attack as the filesystem remembers it on host hi. */
static void attack(struct ym_world *yw, struct tree *t, int hi)
{
    struct ym_host *h = &yw->host[hi];
    int64_t l = h->launch, s = h->miner_start;
    int64_t last = h->restart ? h->restart + 4 : s;   /* the latest drop run */
    char p[512];
    put(t, YM_NM_LOCAL "/usercache/dr.who", 'd', "rwxr-s---", 998, 998, 4096, l, l, l, l);
    put(t, YM_NM_LOCAL "/usercache/dr.who/appcache", 'd', "rwx--s---", 998, 998, 4096, l, l, l,
        l);
    container_files(yw, t, h->app_seq, "dr.who", l, 5, h->size_launch, 1);
    put(t, YM_DROP_DIR, 'd', "rwxr-xr-x", 998, 998, 4096, last, last + 3, last + 3, s - 2);
    put(t, YM_DROP_DIR "/config.json", 'r', "rw-r--r--", 998, 998, (int64_t)h->size_conf,
        last + 1, last, last, s - 1);
    if (hi == YM_WORKER) {
        snprintf(p, sizeof p, YM_DROP_DIR "/" YM_MINER);
        put(t, p, 'r', "rwxr-xr-x", 998, 998, 0, s, s - 1, s + 3, s - 2);
        t->e[t->n - 1].deleted = 1;
    }
    put(t, "/var/spool/cron/crontabs/yarn", 'r', "rw-------", 998, 101, (int64_t)h->size_cron,
        h->collected - 40, last - 1, last - 1, s - 1);
    put(t, YM_YARN_HOME "/.bash_history", 'r', "rw-------", 998, 998, 0, last + 3, last + 3,
        last + 3, 1772618400);
}

static void write_body(struct ym_world *yw, struct tree *t, int hi)
{
    struct ym_host *h = &yw->host[hi];
    struct sb b = {0};
    char rel[128];
    int tsk = hi == YM_WORKER;
    uint64_t ino = 131073;
    qsort(t->e, t->n, sizeof *t->e, cmp_name);
    if (!tsk)
        sb_f(&b, "class|host|start_time\nbody|%s|%lld\n"
             "MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime\n", h->name,
             (long long)h->collected);
    for (size_t i = 0; i < t->n; i++) {
        struct fent *f = &t->e[i];
        char mode[40];
        const char *tl = f->type == 'r' ? "-" : f->type == 'd' ? "d" : "l";
        if (tsk)
            snprintf(mode, sizeof mode, "%c/%c%s", f->type, f->type, f->perm);
        else if (f->link)
            snprintf(mode, sizeof mode, "%s%s -> ", tl, f->perm);
        else
            snprintf(mode, sizeof mode, "%s%s", tl, f->perm);
        if (f->link)
            f->size = (int64_t)strlen(f->link);
        ino += 1 + rng_n(40);
        sb_f(&b, "0|%s%s%s%s|%llu|%s%s|%d|%d|%lld|%lld|%lld|%lld|%lld\n", f->name,
             tsk && f->link ? " -> " : "", tsk && f->link ? f->link : "",
             f->deleted ? " (deleted)" : "", tsk ? (unsigned long long)ino : 0ULL, mode,
             !tsk && f->link ? f->link : "", f->uid, f->gid, (long long)f->size,
             (long long)f->a, (long long)f->m, (long long)f->c, tsk ? (long long)f->b : 0LL);
        if (f->deleted || strstr(f->name, "crontabs/yarn") ||
            (strstr(f->name, "/launch_container.sh") && strstr(f->name, "dr.who/appcache")) ||
            strstr(f->name, "/.x/config.json")) {
            char what[300], where[200];
            snprintf(what, sizeof what, "%s: %s%s", h->name, f->name, f->deleted
                     ? " (deleted): the miner's executable, removed 3 s after it started"
                     : strstr(f->name, "crontabs") ? ", the yarn crontab that restarts the miner"
                     : strstr(f->name, "config.json") ? ", xmrig config naming " YM_POOL_URL
                     : ", the container launch script with `" YM_CMD "`");
            snprintf(where, sizeof where, "hosts/%s/bodyfile.txt line %zu", h->name,
                     i + 1 + (tsk ? 0 : 3));
            ym_note(f->deleted ? f->b : f->m, what, where);
        }
        free(f->name);
    }
    snprintf(rel, sizeof rel, "hosts/%s/bodyfile.txt", h->name);
    out_file(rel, b.p, b.n);
    yw->n_body += t->n;
    free(b.p);
    free(t->e);
}

void ym_fs(struct ym_world *yw)
{
    for (int hi = 0; hi < YM_NHOSTS; hi++) {
        struct tree t = {0};
        background(yw, &t, hi);
        put(&t, YM_NM_LOCAL "/usercache/etl", 'd', "rwxr-s---", 998, 998, 4096,
            yw->day0 - 86400 * 3, yw->day0 - 86400 * 3, yw->day0 - 86400 * 3,
            yw->day0 - 86400 * 3);
        put(&t, YM_NM_LOCAL "/usercache/etl/appcache", 'd', "rwx--s---", 998, 998, 4096,
            yw->day0 - 86400 * 3, yw->day0 - 86400 * 3, yw->day0 - 86400 * 3,
            yw->day0 - 86400 * 3);
        for (int h = 0; h < 24; h++) {
            int node = h % 2 ? YM_MASTER : YM_WORKER;
            int64_t start = ym_at(yw, h, 5, 3);
            if (node == hi && start < yw->host[hi].collected)
                container_files(yw, &t, ym_etl_seq(yw, h), "etl", start, 400,
                                (size_t)rng_range(5200, 5600), 0);
        }
        attack(yw, &t, hi);
        write_body(yw, &t, hi);
    }
}
