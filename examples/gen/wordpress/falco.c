/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco.c - Falco JSON alerts (json_output, file_output) of the three nodes, one object per
 * line with keys in Falco's order: the reverse shells (uid 33 www-data in the wordpress pod,
 * the app user in data-fetcher), mount run as root in the privileged wordpress pod, the
 * docker.sock use (a local rule) and the privileged backdoor container's start. Benign
 * background: Falco's own syscall-drop alerts, nothing else (the rules are tuned).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "world.h"

/* One alert field: key, and either a string value or a number (str NULL; FF_NULL: null). */
#define FF_NULL LLONG_MIN

struct ff {
    const char *key, *str;
    long long num;
};

/* %container.info as the stock rules expand it, for the text of the output. */
struct cinfo {
    const char *id, *image, *tag, *name, *ns, *pod;
};

static int cmp_ff(const void *a, const void *b)
{
    return strcmp(((const struct ff *)a)->key, ((const struct ff *)b)->key);
}

/*
 * Write one alert on node i. msg is the rule output after "<time>: <Priority> ", fields its
 * output_fields (sorted here, as Falco's JSON writer does), tags sorted already.
 */
static void alert(int i, int64_t ns, const char *rule, const char *prio, const char *source,
                  const char *msg, struct ff *f, size_t nf, const char *tags, int note_i)
{
    struct sb b = { 0 };
    char tod[40], iso[TF_LEN];
    struct tf_ymd a = tf_split(ns / 1000000000);

    snprintf(tod, sizeof tod, "%02u:%02u:%02u.%09lld", a.h, a.mi, a.s,
             (long long)(ns % 1000000000));
    qsort(f, nf, sizeof *f, cmp_ff);
    sb_s(&b, "{\"hostname\":");
    json_str(&b, nodes[i].name);
    sb_s(&b, ",\"output\":");
    {
        struct sb text = { 0 };

        sb_f(&text, "%s: %s %s", tod, prio, msg);
        json_str(&b, text.p);
        free(text.p);
    }
    sb_s(&b, ",\"output_fields\":{");
    for (size_t k = 0; k < nf; k++) {
        if (k)
            sb_s(&b, ",");
        json_str(&b, f[k].key);
        sb_s(&b, ":");
        if (f[k].str)
            json_str(&b, f[k].str);
        else if (f[k].num == FF_NULL)
            sb_s(&b, "null");
        else
            sb_f(&b, "%lld", f[k].num);
    }
    sb_f(&b, "},\"priority\":\"%s\",\"rule\":", prio);
    json_str(&b, rule);
    sb_f(&b, ",\"source\":\"%s\",\"tags\":[%s],\"time\":\"%s\"}", source, tags,
         tf_iso_ns(iso, ns));
    recs_push(&g_falco[i], ns / 1000, note_i, b.p, b.n);
    free(b.p);
}

static const char *nz(const char *s)
{
    return s ? s : "<NA>";
}

/* "Redirect STDOUT/STDIN to Network Connection in Container" (stock rule, Notice). */
static void reverse_shell(int node, int64_t ns, int uid, const char *user, const char *parent,
                          const char *gparent, const char *cmd, const char *lip, int lport,
                          const char *rip, int rport, const struct cinfo *c, int note_i)
{
    char msg[1800], conn[120], cid[13];
    struct ff f[28];
    size_t n = 0;

    snprintf(cid, sizeof cid, "%.12s", c->id);
    snprintf(conn, sizeof conn, "%s:%d->%s:%d", lip, lport, rip, rport);
    snprintf(msg, sizeof msg,
             "Redirect stdout/stdin to network connection (gparent=%s ggparent=<NA> "
             "gggparent=<NA> fd.sip=%s connection=%s lport=%d rport=%d fd_type=ipv4 "
             "fd_proto=tcp evt_type=dup2 user=%s user_uid=%d user_loginuid=-1 process=bash "
             "proc_exepath=/usr/bin/bash parent=%s command=%s terminal=0 container_id=%s "
             "container_image=%s container_image_tag=%s container_name=%s k8s_ns=%s "
             "k8s_pod_name=%s)",
             gparent, rip, conn, lport, rport, user, uid, parent, cmd, cid, c->image, c->tag,
             c->name, c->ns, c->pod);
    f[n++] = (struct ff){ "container.id", cid, 0 };
    f[n++] = (struct ff){ "container.image.repository", c->image, 0 };
    f[n++] = (struct ff){ "container.image.tag", c->tag, 0 };
    f[n++] = (struct ff){ "container.name", c->name, 0 };
    f[n++] = (struct ff){ "evt.time", NULL, ns };
    f[n++] = (struct ff){ "evt.type", "dup2", 0 };
    f[n++] = (struct ff){ "fd.l4proto", "tcp", 0 };
    f[n++] = (struct ff){ "fd.lport", NULL, lport };
    f[n++] = (struct ff){ "fd.name", conn, 0 };
    f[n++] = (struct ff){ "fd.rport", NULL, rport };
    f[n++] = (struct ff){ "fd.sip", rip, 0 };
    f[n++] = (struct ff){ "fd.type", "ipv4", 0 };
    f[n++] = (struct ff){ "k8s.ns.name", c->ns, 0 };
    f[n++] = (struct ff){ "k8s.pod.name", c->pod, 0 };
    f[n++] = (struct ff){ "proc.aname[2]", gparent, 0 };
    f[n++] = (struct ff){ "proc.aname[3]", NULL, FF_NULL };
    f[n++] = (struct ff){ "proc.aname[4]", NULL, FF_NULL };
    f[n++] = (struct ff){ "proc.cmdline", cmd, 0 };
    f[n++] = (struct ff){ "proc.exepath", "/usr/bin/bash", 0 };
    f[n++] = (struct ff){ "proc.name", "bash", 0 };
    f[n++] = (struct ff){ "proc.pname", parent, 0 };
    f[n++] = (struct ff){ "proc.tty", NULL, 0 };
    f[n++] = (struct ff){ "user.loginuid", NULL, -1 };
    f[n++] = (struct ff){ "user.name", user, 0 };
    f[n++] = (struct ff){ "user.uid", NULL, uid };
    alert(node, ns, "Redirect STDOUT/STDIN to Network Connection in Container", "Notice",
          "syscall", msg, f, n,
          "\"T1059\",\"container\",\"maturity_stable\",\"mitre_execution\",\"network\","
          "\"process\"", note_i);
}

/* A root process in a container: the fields every process rule shares. */
static size_t proc_fields(struct ff *f, int64_t ns, const char *evt, const char *proc,
                          const char *exe, const char *parent, const char *cmd,
                          const struct cinfo *c, char cid[13])
{
    size_t n = 0;

    snprintf(cid, 13, "%.12s", c->id);
    f[n++] = (struct ff){ "container.id", cid, 0 };
    f[n++] = (struct ff){ "container.image.repository", c->image, 0 };
    f[n++] = (struct ff){ "container.image.tag", c->tag, 0 };
    f[n++] = (struct ff){ "container.name", c->name, 0 };
    f[n++] = (struct ff){ "evt.time", NULL, ns };
    f[n++] = (struct ff){ "evt.type", evt, 0 };
    f[n++] = (struct ff){ "k8s.ns.name", c->ns, c->ns ? 0 : FF_NULL }; /* null: not a pod */
    f[n++] = (struct ff){ "k8s.pod.name", c->pod, c->pod ? 0 : FF_NULL };
    f[n++] = (struct ff){ "proc.cmdline", cmd, 0 };
    f[n++] = (struct ff){ "proc.exepath", exe, 0 };
    f[n++] = (struct ff){ "proc.name", proc, 0 };
    f[n++] = (struct ff){ "proc.pname", parent, 0 };
    f[n++] = (struct ff){ "proc.tty", NULL, 0 };
    f[n++] = (struct ff){ "user.loginuid", NULL, -1 };
    f[n++] = (struct ff){ "user.name", "root", 0 };
    f[n++] = (struct ff){ "user.uid", NULL, 0 };
    return n;
}

static void cinfo_text(char *o, size_t n, const struct cinfo *c)
{
    snprintf(o, n, "container_id=%.12s container_image=%s container_image_tag=%s "
             "container_name=%s k8s_ns=%s k8s_pod_name=%s", c->id, c->image, c->tag, c->name,
             nz(c->ns), nz(c->pod));
}

static void attack_alerts(void)
{
    static const struct cinfo wp = { WP_CID, "docker.io/library/wordpress",
                                     "6.6.2-php8.2-apache", "wordpress", "blog",
                                     "wordpress-7d9f8b6c5d-x4k2p" };
    static const struct cinfo df = { FETCH_CID, "284511937402.dkr.ecr.us-east-1.amazonaws.com/"
                                     "data-fetcher", "2.4.1", "data-fetcher", "blog",
                                     "data-fetcher-6c8d7f9b4-q7w2m" };
    static const struct cinfo bd = { BD_CID, "alpine", "3.20", BD_NAME, NULL, NULL };
    char msg[1800], ci[400], cid[13];
    struct ff f[24];
    size_t n;
    int k;

    k = wp_note(at(13, 9, 2), 3, "falco",
             "Falco: reverse shell in the wordpress pod, bash run as www-data (uid 33) -> "
             "%s:4444", ATTACKER);
    reverse_shell(0, at(13, 9, 2) * 1000000000LL + 318442907, 33, "www-data", "sh", "apache2",
                  "bash -i", pods[P_WP].ip, 41958, ATTACKER, 4444, &wp, k);
    /* the escape: root (a sudo rule left in the image) mounts the node's disk */
    cinfo_text(ci, sizeof ci, &wp);
    snprintf(msg, sizeof msg,
             "Mount was executed inside a privileged container (evt_type=execve user=root "
             "user_uid=0 user_loginuid=-1 process=mount proc_exepath=/usr/bin/mount parent=sh "
             "command=mount /dev/nvme0n1p1 /mnt/host terminal=0 %s)", ci);
    n = proc_fields(f, at(13, 14, 30) * 1000000000LL + 551208374, "execve", "mount",
                    "/usr/bin/mount", "sh", "mount /dev/nvme0n1p1 /mnt/host", &wp, cid);
    k = wp_note(at(13, 14, 30), 4, "falco",
             "Falco: container escape, root runs mount /dev/nvme0n1p1 /mnt/host in the "
             "privileged wordpress pod");
    alert(0, at(13, 14, 30) * 1000000000LL + 551208374,
          "Mount Launched in Privileged Container", "Warning", "syscall", msg, f, n,
          "\"T1611\",\"cis\",\"container\",\"filesystem\",\"maturity_sandbox\","
          "\"mitre_privilege_escalation\"", k);
    /* docker.sock, mounted into the pod: create the backdoor, copy it in, start it */
    for (int i = 0; i < 3; i++) {
        static const char *const calls[3] = {
            "curl -s --unix-socket /var/run/docker.sock -X POST -H Content-Type:application/json"
            " -d @/tmp/.c.json http://localhost/v1.46/containers/create?name=" BD_NAME,
            "curl -s --unix-socket /var/run/docker.sock -X PUT -T /tmp/.a.tar "
            "http://localhost/v1.46/containers/" BD_NAME "/archive?path=/",
            "curl -s --unix-socket /var/run/docker.sock -X POST "
            "http://localhost/v1.46/containers/" BD_NAME "/start",
        };
        static const char *const what[3] = { "create the container", "copy " BD_PATH " into",
                                             "start" };
        static const int64_t frac[3] = { 120394002, 688201455, 402771530 };
        int64_t ns = (at(13, 15, 10) + i) * 1000000000LL + frac[i];

        snprintf(msg, sizeof msg,
                 "Container runtime socket used from a container (socket=/var/run/docker.sock "
                 "evt_type=connect user=root user_uid=0 process=curl parent=sh command=%s %s)",
                 calls[i], ci);
        n = proc_fields(f, ns, "connect", "curl", "/usr/bin/curl", "sh", calls[i], &wp, cid);
        f[n++] = (struct ff){ "fd.name", "/var/run/docker.sock", 0 };
        k = wp_note(ns / 1000000000, 4, "falco",
                 "Falco (local rule): /var/run/docker.sock used from the wordpress pod to %s "
                 BD_NAME, what[i]);
        alert(0, ns, "Container Runtime Socket Used From Container", "Warning", "syscall", msg,
              f, n, "\"T1610\",\"container\",\"local\",\"mitre_execution\"", k);
    }
    /* the backdoor container starts: privileged, host PID and network, / mounted */
    {
        int64_t ns = at(13, 15, 13) * 1000000000LL + 18830211;

        cinfo_text(ci, sizeof ci, &bd);
        snprintf(msg, sizeof msg,
                 "Privileged container started (user=root user_loginuid=-1 process=node-agent "
                 "proc_exepath=" BD_PATH " parent=containerd-shim command=node-agent "
                 "terminal=0 %s)", ci);
        n = proc_fields(f, ns, "container", "node-agent", BD_PATH, "containerd-shim",
                        "node-agent", &bd, cid);
        f[n++] = (struct ff){ "container.privileged", "true", 0 };
        k = wp_note(ns / 1000000000, 4, "falco",
                 "Falco: privileged container %s (%.12s, alpine:3.20) started on %s", BD_NAME,
                 BD_CID, nodes[0].name);
        alert(0, ns, "Launch Privileged Container", "Informational", "syscall", msg, f, n,
              "\"T1610\",\"cis\",\"container\",\"maturity_incubating\",\"mitre_execution\"", k);
    }
    k = wp_note(at(13, 29, 41), 7, "falco",
             "Falco: reverse shell in the data-fetcher pod, bash run by the app user (uid "
             "1000) from python3 -> %s:443", ATTACKER);
    reverse_shell(1, at(13, 29, 41) * 1000000000LL + 77120419, 1000, "app", "sh", "python3",
                  "bash -i", pods[P_FETCH].ip, 50312, ATTACKER, 443, &df, k);
}

/* Falco's own alert when its ring buffer overflows (bursts of syscalls). */
static void drops(void)
{
    for (int i = 0; i < 3; i++) {
        EVERY(t, g_day, g_day + 86400, 21600) {
            int64_t ns = t * 1000000000LL + (int64_t)rng_n(1000000000);
            long long dropped = 200 + (long long)rng_n(4000);
            long long evts = 900000 + (long long)rng_n(2000000);
            char msg[200];
            struct ff f[6];

            snprintf(msg, sizeof msg,
                     "Falco internal: syscall event drop. %lld system calls dropped in last "
                     "second.", dropped);
            f[0] = (struct ff){ "ebpf_enabled", "1", 0 };
            f[1] = (struct ff){ "n_drops", NULL, dropped };
            f[2] = (struct ff){ "n_drops_buffer_total", NULL, dropped };
            f[3] = (struct ff){ "n_drops_page_faults", NULL, 0 };
            f[4] = (struct ff){ "n_drops_scratch_map", NULL, 0 };
            f[5] = (struct ff){ "n_evts", NULL, evts };
            alert(i, ns, "Falco internal: syscall event drop", "Debug", "internal", msg, f, 6,
                  "", -1);
        }
    }
}

void gen_falco(void)
{
    drops();
    attack_alerts();
}

void write_falco(void)
{
    for (int i = 0; i < 3; i++) {
        struct sb b = { 0 };
        char rel[200];
        size_t line = 0;

        snprintf(rel, sizeof rel, "nodes/%s/var/log/falco/events.json", nodes[i].name);
        qsort(g_falco[i].v, g_falco[i].n, sizeof *g_falco[i].v, rec_cmp);
        for (size_t k = 0; k < g_falco[i].n; k++) {
            sb_add(&b, g_falco[i].v[k].s, g_falco[i].v[k].n);
            sb_add(&b, "\n", 1);
            line++;
            if (g_falco[i].v[k].note >= 0)
                snprintf(notes[g_falco[i].v[k].note].where, sizeof notes[0].where,
                         "%s line %zu", rel, line);
        }
        out_file(rel, b.p ? b.p : "", b.n);
        free(b.p);
    }
}
