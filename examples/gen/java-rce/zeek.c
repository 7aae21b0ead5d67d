/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zeek.c - the network sensor of the java-rce story: Zeek conn.log in the ASCII/TSV writer's
 * exact shape (formats.md 6.2/6.3: #separator \x09 header, #open/#close, the 21 default
 * columns of Zeek 6, epoch times with 6 decimals, '-' for unset), rotated hourly by zeekctl
 * into zeek/<day>/conn.<HH:MM:SS>-<HH:MM:SS>.log.gz. A connection is logged when it ends, so
 * it lands in the file of its end time and lines follow end times. Site::local_nets is
 * 10.20.0.0/16 (local_orig/local_resp set).
 */
#include "jr.h"

#include <stdio.h>
#include <string.h>

static struct flow *flows;
static size_t nflows;

void flow_add(const struct flow *f)
{
    flows = xrealloc(flows, (nflows + 1) * sizeof(*flows));
    flows[nflows++] = *f;
}

int eph_port(void)
{
    return 32768 + (int)rng_n(28232);
}

static void tcp(int64_t t, const char *src, const char *dst, int dport, const char *svc,
                int64_t dur, uint64_t ob, uint64_t rb)
{
    struct flow f = { 0 };

    f.t = t;
    f.src = src;
    f.sport = eph_port();
    f.dst = dst;
    f.dport = dport;
    f.service = svc;
    f.dur = dur;
    f.ob = ob;
    f.rb = rb;
    flow_add(&f);
}

static void background(void)
{
    static const char *const clients[] = { "192.0.2.", "198.51.100.", "203.0.113." };
    static const char *const api[2] = { "10.20.1.11", "10.20.1.12" };
    char *ip;
    int s, i, k;

    for (s = 0; s < 86400; s += 30)
        for (k = 0; k < 2; k++) {
            int64_t t = at(s) + (k * 15000 + rng_range(0, 999)) * MS;
            tcp(t, LB_IP, api[k], 8080, "http", rng_range(1, 9) * MS, 118, 187);
        }
    for (i = 0; i < 2600 * scale; i++) {
        int sec = 6 * 3600 + (int)rng_n(17 * 3600);
        unsigned host = 10 + (unsigned)rng_n(100);
        int64_t t = at(sec) + rng_range(0, 999) * MS;
        uint64_t ob = 900 + rng_n(3000), rb = 1200 + rng_n(20000);
        int64_t d = rng_range(200, 5000) * MS;
        while (host == 45 || host == 61 || host == 77 || host == 88)
            host++;
        ip = xrealloc(NULL, 20);
        snprintf(ip, 20, "%s%u", PICK(clients), host); /* never an attacker */
        tcp(t, ip, LB_IP, 443, "ssl", d, ob, rb);
        k = (int)rng_n(2);
        tcp(t + 15 * MS, LB_IP, api[k], 8080, "http", d - 10 * MS, ob - 400, rb);
    }
    for (k = 0; k < NHOSTS; k++) {
        for (i = 0; i < 110 * scale; i++) {
            struct flow f = { 0 };
            f.t = at((int)rng_n(86400));
            f.t += rng_range(0, 999) * MS;
            f.src = hosts[k].ip;
            f.sport = eph_port();
            f.dst = DNS_IP;
            f.dport = 53;
            f.udp = 1;
            f.service = "dns";
            f.dur = rng_range(300, 2000) * 1000LL;
            f.ob = 30 + rng_n(20);
            f.rb = 46 + rng_n(80);
            flow_add(&f);
        }
        for (i = 0; i < 4; i++) {
            int base = i < 3 ? 6 * 3600 + 12 * 60 + 7 * k + i * 40 : 6 * 3600 + 41 * 60 + 11 * k;
            int64_t t = at(base) + rng_range(0, 999) * MS, d = rng_range(1, 9) * NS;
            uint64_t ob = 600 + rng_n(900), rb = 200000 + rng_n(9000000);
            tcp(t, hosts[k].ip, MIRROR_IP, 80, "http", d, ob, rb);
        }
    }
    for (s = 1800; s < 86400; s += 3600) {
        int64_t t = at(s + 4) + rng_range(0, 999) * MS, d = rng_range(20, 200) * NS;
        uint64_t ob = 30000 + rng_n(9000), rb = 900000 + rng_n(4000000);
        tcp(t, hosts[H_WORKER].ip, DB_IP, 5432, "postgresql", d, ob, rb);
    }
}

static int cmp_end(const void *a, const void *b)
{
    const struct flow *x = a, *y = b;
    int64_t ex = x->t + x->dur, ey = y->t + y->dur;

    if (ex != ey)
        return ex < ey ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

static const char *lbool(const char *ip)
{
    return strncmp(ip, "10.", 3) == 0 ? "T" : "F";
}

static void conn_line(struct lines *ls, const struct flow *f, int tag)
{
    char ts[TF_LEN], uid[20], dur[32];
    uint64_t op, rp;
    const char *proto = f->udp ? "udp" : "tcp";

    uid[0] = 'C';
    rng_chars(uid + 1, 17, RNG_ALNUM);
    /* the sensor's clock has microseconds; the flow times are kept in ms */
    tf_epoch_us(ts, f->t / 1000 + (int64_t)rng_n(1000));
    if (f->state == 1) {
        lines_add(ls, f->t + f->dur, tag, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t-\t3.001420\t0\t0\tS0\t%s"
                  "\t%s\t0\tS\t3\t180\t0\t0\t-", ts, uid, f->src, f->sport, f->dst, f->dport,
                  proto, lbool(f->src), lbool(f->dst));
        return;
    }
    snprintf(dur, sizeof(dur), "%lld.%06lld", (long long)(f->dur / NS),
             (long long)(f->dur % NS / 1000));
    if (f->udp) {
        lines_add(ls, f->t + f->dur, tag, "%s\t%s\t%s\t%d\t%s\t%d\tudp\t%s\t%s\t%llu\t%llu\tSF"
                  "\t%s\t%s\t0\tDd\t1\t%llu\t1\t%llu\t-", ts, uid, f->src, f->sport, f->dst,
                  f->dport, f->service ? f->service : "-", dur, (unsigned long long)f->ob,
                  (unsigned long long)f->rb, lbool(f->src), lbool(f->dst),
                  (unsigned long long)f->ob + 28, (unsigned long long)f->rb + 28);
        return;
    }
    op = f->ob / 1448 + 4 + f->rb / 2896;
    rp = f->rb / 1448 + 3 + f->ob / 2896;
    lines_add(ls, f->t + f->dur, tag, "%s\t%s\t%s\t%d\t%s\t%d\ttcp\t%s\t%s\t%llu\t%llu\tSF\t%s"
              "\t%s\t0\tShADadFf\t%llu\t%llu\t%llu\t%llu\t-", ts, uid, f->src, f->sport, f->dst,
              f->dport, f->service ? f->service : "-", dur, (unsigned long long)f->ob,
              (unsigned long long)f->rb, lbool(f->src), lbool(f->dst), (unsigned long long)op,
              (unsigned long long)(f->ob + op * 52), (unsigned long long)rp,
              (unsigned long long)(f->rb + rp * 52));
}

void gen_zeek(void)
{
    struct lines hour[24];
    size_t i;
    int h;

    background();
    qsort(flows, nflows, sizeof(*flows), cmp_end);
    memset(hour, 0, sizeof(hour));
    for (i = 0; i < nflows; i++) {
        int64_t end = flows[i].t + flows[i].dur;
        h = (int)((end - day0) / (3600 * NS));
        if (h < 0 || h > 23)
            continue; /* still open at midnight: logged in tomorrow's files */
        conn_line(&hour[h], &flows[i], flows[i].why ? (int)i + 1 : 0);
    }
    for (h = 0; h < 24; h++) {
        struct sb b = { 0 };
        char rel[128], o[TF_LEN], c[TF_LEN];
        struct tf_ymd a = tf_split((day0 / NS) + h * 3600), z = tf_split((day0 / NS) +
                                                                        (h + 1) * 3600);
        snprintf(o, sizeof(o), "%04d-%02u-%02u-%02u-%02u-%02u", a.y, a.mo, a.d, a.h, a.mi, a.s);
        snprintf(c, sizeof(c), "%04d-%02u-%02u-%02u-%02u-%02u", z.y, z.mo, z.d, z.h, z.mi, z.s);
        sb_f(&b, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
             "#path\tconn\n#open\t%s\n", o);
        sb_s(&b, "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
             "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\t"
             "missed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
             "tunnel_parents\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\t"
             "interval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\t"
             "count\tset[string]\n");
        lines_render(&hour[h], &b);
        sb_f(&b, "#close\t%s\n", c);
        snprintf(rel, sizeof(rel), "zeek/2026-10-27/conn.%02d:00:00-%02d:00:00.log.gz", h,
                 h + 1 == 24 ? 0 : h + 1);
        gz_file(rel, b.p, b.n);
        for (i = 0; i < hour[h].n; i++)
            if (hour[h].v[i].tag) {
                const struct flow *f = &flows[hour[h].v[i].tag - 1];
                char where[256];
                snprintf(where, sizeof(where), "%s (uncompressed) line %zu (offset %zu)", rel,
                         hour[h].v[i].lineno, hour[h].v[i].off);
                note_at(f->t, where, "conn.log: %s", f->why);
            }
        free(b.p);
        lines_free(&hour[h]);
    }
}
