/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hosts.c - what runs on api-1, api-2 and worker-1 during the day, written to each host's
 * audit.log (rules: execve, connect by euid orders, prctl PR_SET_NAME, watches on /dev/shm,
 * the crontabs, authorized_keys and the API's config), auth.log and, on the API hosts, the
 * orders-api application log. Benign: cron (sysstat, an hourly batch job), apt, an API
 * restart with a long classpath, admin ssh and sudo, link previews. Attack: SSRF to the
 * internal template endpoint, curl to /dev/shm, the process renamed [kworker/..], C2, cron
 * and ssh key persistence, the DB dump, ssh to worker-1, a second host exploited later.
 */
#include "jr.h"

#include <stdio.h>
#include <string.h>

#define UNSET 4294967295u
#define JAVA "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
#define K_EXEC "exec"
#define K_NET "net_out"
#define K_SHM "shm"
#define K_REN "proc_rename"

struct host hosts[NHOSTS] = {
    { "api-1", "10.20.1.11", 618204, { 0 }, { 0 }, { 0 }, { 0 } },
    { "api-2", "10.20.1.12", 602977, { 0 }, { 0 }, { 0 }, { 0 } },
    { "worker-1", "10.20.2.21", 411530, { 0 }, { 0 }, { 0 }, { 0 } },
};

int java_pid[2];

/* PIDs grow with the time of day, as on a busy host. */
int pid_at(int sec)
{
    return 1000 + sec / 4;
}

unsigned ses_at(int sec, int k)
{
    return 1000u + (unsigned)(sec / 600) * 4u + (unsigned)k;
}

void auth(struct host *h, int64_t t, int tag, const char *fmt, const char *a,
                 const char *b)
{
    char ts[TF_LEN], msg[1024];

    tf_syslog(ts, t / NS);
    snprintf(msg, sizeof(msg), fmt, a, b);
    lines_add(&h->auth, t, tag, "%s %s %s", ts, h->name, msg);
}

void applog(struct host *h, int64_t t, int tag, const char *lvl, int pid,
                   const char *thr, const char *logger, const char *msg)
{
    char ts[TF_LEN];

    tf_log_ms(ts, t / MS, '.');
    lines_add(&h->app, t, tag, "%s %5s %d --- [%15s] %-40s : %s", ts, lvl, pid, thr, logger,
              msg);
}

/* A root cron job: PAM records, the command, and the syslog lines. */
void cron_job(struct host *h, int sec, unsigned uid, const char *user, int nargv,
                     const char *const *argv, const char *exe, const char *cmdline)
{
    int64_t t = at(sec) + rng_range(1, 60) * MS;
    int pid = pid_at(sec);
    unsigned ses = ses_at(sec, 0);
    char body[512], line[512];
    struct proc p = { pid + 1, pid, uid, uid, ses, "sh", "/usr/bin/dash", "/root", NULL };
    const char *shv[3] = { "/bin/sh", "-c", cmdline };

    if (uid)
        p.cwd = uid == APP_UID ? "/opt/orders-api" : "/home/batch";
    snprintf(body, sizeof(body), "op=PAM:accounting grantors=pam_permit acct=\"%s\" "
             "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success", user);
    au_user(h, t, 0, "USER_ACCT", pid, 0, UNSET, UNSET, body);
    snprintf(body, sizeof(body), "op=PAM:setcred grantors=pam_permit acct=\"%s\" "
             "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success", user);
    au_user(h, t + 1 * MS, 0, "CRED_ACQ", pid, 0, UNSET, UNSET, body);
    au_login(h, t + 1 * MS, pid, uid, ses);
    snprintf(body, sizeof(body), "op=PAM:session_open grantors=pam_loginuid,pam_env,pam_env,"
             "pam_permit,pam_unix,pam_limits acct=\"%s\" exe=\"/usr/sbin/cron\" hostname=? "
             "addr=? terminal=cron res=success", user);
    au_user(h, t + 2 * MS, 0, "USER_START", pid, 0, uid, ses, body);
    snprintf(line, sizeof(line), "CRON[%d]: pam_unix(cron:session): session opened for user "
             "%s(uid=%u) by (uid=0)", pid, user, uid);
    auth(h, t, 0, "%s%s", line, "");
    au_execve(h, t + 4 * MS, 0, &p, 3, shv, K_EXEC);
    if (nargv) {
        struct proc c = p;
        c.pid = pid + 2;
        c.ppid = pid + 1;
        c.comm = strrchr(exe, '/') + 1;
        c.exe = exe;
        au_execve(h, t + 9 * MS, 0, &c, nargv, argv, K_EXEC);
    }
    t += rng_range(300, 4000) * MS;
    snprintf(body, sizeof(body), "op=PAM:setcred grantors=pam_permit acct=\"%s\" "
             "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success", user);
    au_user(h, t, 0, "CRED_DISP", pid, 0, uid, ses, body);
    snprintf(body, sizeof(body), "op=PAM:session_close grantors=pam_loginuid,pam_env,pam_env,"
             "pam_permit,pam_unix,pam_limits acct=\"%s\" exe=\"/usr/sbin/cron\" hostname=? "
             "addr=? terminal=cron res=success", user);
    au_user(h, t, 0, "USER_END", pid, 0, uid, ses, body);
    snprintf(line, sizeof(line), "CRON[%d]: pam_unix(cron:session): session closed for user %s",
             pid, user);
    auth(h, t, 0, "%s%s", line, "");
}

/* An interactive ssh session of an admin from the bastion, with sudo commands. */
void admin_session(struct host *h, int sec, const char *user, unsigned uid,
                          const char *fp, int ncmd, const char *const *cmds)
{
    int64_t t = at(sec) + rng_range(0, 999) * MS;
    int pid = pid_at(sec), port = eph_port(), i;
    unsigned ses = ses_at(sec, 1);
    char body[1024], line[512], home[64];
    struct proc sh = { pid + 3, pid + 2, uid, uid, ses, "bash", "/usr/bin/bash", "", "pts0" };
    const char *bashv[1] = { "-bash" };
    struct flow f = { 0 };

    snprintf(home, sizeof(home), "/home/%s", user);
    sh.cwd = home;
    snprintf(line, sizeof(line), "sshd[%d]: Accepted publickey for %s from " BASTION_IP
             " port %d ssh2: ED25519 SHA256:%s", pid, user, port, fp);
    auth(h, t, 0, "%s%s", line, "");
    snprintf(body, sizeof(body), "op=PAM:accounting grantors=pam_permit acct=\"%s\" "
             "exe=\"/usr/sbin/sshd\" hostname=" BASTION_IP " addr=" BASTION_IP
             " terminal=ssh res=success", user);
    au_user(h, t, 0, "USER_ACCT", pid, 0, UNSET, UNSET, body);
    au_login(h, t + 3 * MS, pid, uid, ses);
    snprintf(body, sizeof(body), "op=PAM:session_open grantors=pam_selinux,pam_loginuid,"
             "pam_keyinit,pam_permit,pam_umask,pam_unix,pam_systemd,pam_limits,pam_env,pam_env,"
             "pam_selinux acct=\"%s\" exe=\"/usr/sbin/sshd\" hostname=" BASTION_IP " addr="
             BASTION_IP " terminal=ssh res=success", user);
    au_user(h, t + 5 * MS, 0, "USER_START", pid, 0, uid, ses, body);
    snprintf(line, sizeof(line), "sshd[%d]: pam_unix(sshd:session): session opened for user "
             "%s(uid=%u) by (uid=0)", pid, user, uid);
    auth(h, t + 5 * MS, 0, "%s%s", line, "");
    snprintf(line, sizeof(line), "systemd-logind[412]: New session %u of user %s.", ses, user);
    auth(h, t + 9 * MS, 0, "%s%s", line, "");
    snprintf(body, sizeof(body), "op=login id=%u exe=\"/usr/sbin/sshd\" hostname=" BASTION_IP
             " addr=" BASTION_IP " terminal=/dev/pts/0 res=success", uid);
    au_user(h, t + 12 * MS, 0, "USER_LOGIN", pid, 0, uid, ses, body);
    au_execve(h, t + 20 * MS, 0, &sh, 1, bashv, K_EXEC);
    t += 8 * NS;
    for (i = 0; i < ncmd; i++) {
        struct proc su = { sh.pid + 10 + i * 3, sh.pid, 0, uid, ses, "sudo", "/usr/bin/sudo",
                           home, "pts0" };
        struct proc c = { sh.pid + 11 + i * 3, su.pid, 0, uid, ses, "", "", home, "pts0" };
        const char *argv[8];
        char cmd[256], hex[520], exe[128], *sp;
        int n = 0, k;
        snprintf(cmd, sizeof(cmd), "%s", cmds[i]);
        argv[n++] = "sudo";
        for (sp = cmd; *sp && n < 8;) {
            argv[n++] = sp;
            while (*sp && *sp != ' ')
                sp++;
            if (*sp)
                *sp++ = '\0';
        }
        su.uid = 0;
        au_execve(h, t, 0, &su, n, argv, K_EXEC);
        snprintf(line, sizeof(line), "sudo:    %s : TTY=pts/0 ; PWD=%s ; USER=root ; "
                 "COMMAND=%s", user, home, cmds[i]);
        auth(h, t + 30 * MS, 0, "%s%s", line, "");
        for (k = 0; cmds[i][k]; k++)
            snprintf(hex + 2 * k, 3, "%02X", (unsigned char)cmds[i][k]);
        snprintf(body, sizeof(body), "cwd=\"%s\" cmd=%s exe=\"/usr/bin/sudo\" "
                 "terminal=pts/0 res=success", home, hex);
        au_user(h, t + 31 * MS, 0, "USER_CMD", su.pid, uid, uid, ses, body);
        snprintf(exe, sizeof(exe), "%s", argv[1]);
        c.exe = exe;
        c.comm = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
        au_execve(h, t + 40 * MS, 0, &c, n - 1, argv + 1, K_EXEC);
        t += rng_range(20, 140) * NS;
    }
    snprintf(line, sizeof(line), "sshd[%d]: Received disconnect from " BASTION_IP " port %d:11:"
             " disconnected by user", pid, port);
    auth(h, t, 0, "%s%s", line, "");
    snprintf(line, sizeof(line), "sshd[%d]: pam_unix(sshd:session): session closed for user %s",
             pid, user);
    auth(h, t + 2 * MS, 0, "%s%s", line, "");
    snprintf(body, sizeof(body), "op=PAM:session_close grantors=pam_selinux,pam_loginuid,"
             "pam_keyinit,pam_permit,pam_umask,pam_unix,pam_systemd,pam_limits,pam_env,pam_env,"
             "pam_selinux acct=\"%s\" exe=\"/usr/sbin/sshd\" hostname=" BASTION_IP " addr="
             BASTION_IP " terminal=ssh res=success", user);
    au_user(h, t + 2 * MS, 0, "USER_END", pid, 0, uid, ses, body);
    f.t = at(sec) - 300 * MS;
    f.dur = t - f.t + 20 * MS;
    f.src = BASTION_IP;
    f.sport = port;
    f.dst = h->ip;
    f.dport = 22;
    f.service = "ssh";
    f.ob = 4000 + (uint64_t)rng_n(9000);
    f.rb = 6000 + (uint64_t)rng_n(40000);
    flow_add(&f);
}

/* The 08:30 rollout restarts orders-api: systemd execs java with a classpath > 7500 bytes. */
static void api_restart(struct host *h, int idx, int sec)
{
    static const char *const jars[] = {
        "spring-boot-3.3.4", "spring-core-6.1.13", "spring-web-6.1.13", "spring-webmvc-6.1.13",
        "spring-expression-6.1.13", "spring-context-6.1.13", "spring-beans-6.1.13",
        "tomcat-embed-core-10.1.30", "jackson-databind-2.17.2", "jackson-core-2.17.2",
        "HikariCP-5.1.0", "postgresql-42.7.4", "logback-classic-1.5.8", "slf4j-api-2.0.16",
        "micrometer-core-1.13.4", "snakeyaml-2.2", "hibernate-core-6.5.3.Final" };
    struct sb cp = { 0 };
    const char *argv[8];
    struct proc p = { 0, 1, APP_UID, UNSET, UNSET, "java", JAVA, "/opt/orders-api", NULL };
    int64_t t = at(sec) + rng_range(0, 999) * MS;
    char msg[512];
    int i, k;

    java_pid[idx] = pid_at(sec) + 7;
    p.pid = java_pid[idx];
    for (i = 0; cp.n < 9000; i++) {
        if (i)
            sb_s(&cp, ":");
        if (i < (int)(sizeof(jars) / sizeof(jars[0])))
            sb_f(&cp, "/opt/orders-api/lib/%s.jar", jars[i]);
        else
            sb_f(&cp, "/opt/orders-api/lib/acme-orders-module-%03d-3.8.2.jar", i);
    }
    argv[0] = JAVA;
    argv[1] = "-Xms1g";
    argv[2] = "-Xmx2g";
    argv[3] = "-Dspring.profiles.active=prod";
    argv[4] = "-cp";
    argv[5] = cp.p;
    argv[6] = "com.acme.orders.OrdersApiApplication";
    au_execve(h, t, 0, &p, 7, argv, K_EXEC);
    free(cp.p);
    snprintf(msg, sizeof(msg), "Starting OrdersApiApplication v3.8.2 using Java 17.0.12 with PID "
             "%d (/opt/orders-api/lib/acme-orders-api-3.8.2.jar started by orders in "
             "/opt/orders-api)", p.pid);
    applog(h, t + 1900 * MS, 0, "INFO", p.pid, "main", "c.a.orders.OrdersApiApplication", msg);
    applog(h, t + 7300 * MS, 0, "INFO", p.pid, "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
           "Tomcat started on port 8080 (http) with context path '/'");
    applog(h, t + 7400 * MS, 0, "INFO", p.pid, "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
           "Tomcat started on port 8081 (http) with context path '/internal' (bound to "
           "127.0.0.1)");
    applog(h, t + 9200 * MS, 0, "INFO", p.pid, "main", "c.a.orders.OrdersApiApplication",
           "Started OrdersApiApplication in 9.214 seconds (process running for 9.87)");
    for (k = 0; k < 10; k++) {
        struct flow f = { 0 };
        f.t = t + (5000 + k * 40) * MS;
        f.src = h->ip;
        f.sport = eph_port();
        f.dst = DB_IP;
        f.dport = 5432;
        f.service = "postgresql";
        f.dur = at(86400) - f.t - rng_range(10, 600) * NS; /* pooled: open all day */
        f.ob = 2000000 + (uint64_t)rng_n(3000000);
        f.rb = 20000000 + (uint64_t)rng_n(30000000);
        au_connect(h, f.t, 0, &p, DB_IP, 5432, K_NET);
        flow_add(&f);
    }
}

/* Orders, health checks and a few link previews, as the app logs them. */
static void api_day(struct host *h, int idx)
{
    static const char *const sites[] = { "192.0.2.140", "192.0.2.141", "198.51.100.20",
                                         "198.51.100.21", "203.0.113.200" };
    char msg[512], thr[24];
    int i, n = 1400 * scale, pid;

    for (i = 0; i < n; i++) {
        int sec = 6 * 3600 + (int)rng_n(17 * 3600);
        int64_t t = at(sec) + rng_range(0, 999) * MS;
        unsigned order = 7700000 + (unsigned)rng_n(99999), items = 1 + (unsigned)rng_n(6);
        unsigned cents = 500 + (unsigned)rng_n(40000);
        pid = sec < 8 * 3600 + 30 * 60 ? (idx ? 1203 : JAVA_PID) : java_pid[idx];
        snprintf(thr, sizeof(thr), "nio-8080-exec-%u", 1 + (unsigned)rng_n(20));
        snprintf(msg, sizeof(msg), "order %u created items=%u total=%u.%02u EUR", order, items,
                 cents / 100, cents % 100);
        applog(h, t, 0, "INFO", pid, thr, "c.a.orders.web.OrderController", msg);
    }
    for (i = 0; i < 12 * scale; i++) {
        int sec = 9 * 3600 + (int)rng_n(13 * 3600);
        int64_t t = at(sec) + rng_range(0, 999) * MS;
        const char *site = PICK(sites);
        unsigned item = 1000 + (unsigned)rng_n(9000);
        struct proc p = { 0, 1, APP_UID, UNSET, UNSET, "java", JAVA, "/opt/orders-api", NULL };
        struct flow f = { 0 };
        p.pid = java_pid[idx];
        snprintf(thr, sizeof(thr), "nio-8080-exec-%u", 1 + (unsigned)rng_n(20));
        snprintf(msg, sizeof(msg), "GET /api/v1/preview url=https://shop-partner.example/items/%u "
                 "client=192.0.2.%u", item, 10 + (unsigned)rng_n(100));
        applog(h, t, 0, "INFO", p.pid, thr, "c.a.orders.web.PreviewController", msg);
        au_connect(h, t + 30 * MS, 0, &p, site, 443, K_NET);
        f.t = t + 30 * MS;
        f.src = h->ip;
        f.sport = eph_port();
        f.dst = site;
        f.dport = 443;
        f.service = "ssl";
        f.dur = rng_range(80, 900) * MS;
        f.ob = 600 + (uint64_t)rng_n(400);
        f.rb = 4000 + (uint64_t)rng_n(60000);
        flow_add(&f);
    }
}

void benign(void)
{
    static const char *const sa1[3] = { "/usr/lib/sysstat/debian-sa1", "1", "1" };
    static const char *const apt[2] = { "/usr/lib/apt/apt.systemd.daily", "update" };
    static const char *const upg[2] = { "/usr/bin/unattended-upgrade", "-v" };
    static const char *const rec[2] = { "/opt/batch/run-reconcile.sh", "--hourly" };
    static const char *const alice_cmds[3] = { "/usr/bin/systemctl status orders-api",
        "/usr/bin/journalctl -u orders-api --since -1h", "/usr/bin/df -h" };
    int i, s;

    for (i = 0; i < NHOSTS; i++) {
        struct host *h = &hosts[i];
        for (s = 0; s < 86400; s += 600 / scale + (600 / scale == 0))
            cron_job(h, s + 1, 0, "root", 3, sa1, sa1[0],
                     "command -v debian-sa1 > /dev/null && debian-sa1 1 1");
        cron_job(h, 6 * 3600 + 12 * 60 + 7 * i, 0, "root", 2, apt, apt[0],
                 "/usr/lib/apt/apt.systemd.daily update");
        cron_job(h, 6 * 3600 + 41 * 60 + 11 * i, 0, "root", 2, upg, upg[0],
                 "/usr/bin/unattended-upgrade -v");
    }
    for (s = 1800; s < 86400; s += 3600)
        cron_job(&hosts[H_WORKER], s + 3, 1001, "batch", 2, rec, rec[0],
                 "/opt/batch/run-reconcile.sh --hourly >> /var/log/batch/reconcile.log 2>&1");
    api_restart(&hosts[H_API1], 0, 8 * 3600 + 30 * 60 + 4);
    api_restart(&hosts[H_API2], 1, 8 * 3600 + 33 * 60 + 41);
    api_day(&hosts[H_API1], 0);
    api_day(&hosts[H_API2], 1);
    admin_session(&hosts[H_API1], 9 * 3600 + 10 * 60 + 12, "alice", 1000,
                  "pX3q9Lr2vT8mK1cZ7yB4nW6eH0sJ5uA2dF9gQ3kR8tE", 3, alice_cmds);
    admin_session(&hosts[H_API2], 9 * 3600 + 25 * 60 + 40, "alice", 1000,
                  "pX3q9Lr2vT8mK1cZ7yB4nW6eH0sJ5uA2dF9gQ3kR8tE", 2, alice_cmds);
    admin_session(&hosts[H_WORKER], 16 * 3600 + 2 * 60 + 9, "alice", 1000,
                  "pX3q9Lr2vT8mK1cZ7yB4nW6eH0sJ5uA2dF9gQ3kR8tE", 1, alice_cmds + 2);
}
