/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vpcflow.c - the WordPress story's VPC flow logs (custom v5 format): a conversation is
 * routed through the ENIs that see it and cut into 60-second windows with both directions,
 * TCP flags and header bytes; delivered as 5-minute gzip files with the header line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gz.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "world.h"

static int is_private(const char *ip)
{
    return strncmp(ip, "10.", 3) == 0;
}

/* The address an ENI shows in srcaddr/dstaddr: pod IPs are secondary, so the node's primary. */
static const char *eni_addr(int e, const char *ip)
{
    if (enis[e].node < 0)
        return ip;
    for (int i = 0; i < N_PODS; i++)
        if (pods[i].node == enis[e].node && strcmp(pods[i].ip, ip) == 0)
            return enis[e].ip;
    return ip;
}

static void vf_line(int e, int64_t start, int64_t end, const char *src, const char *dst, int sp,
                    int dp, int proto, uint64_t pk, uint64_t by, int reject, int flags,
                    const char *psrc, const char *pdst, const char *ssvc, const char *dsvc,
                    int egress, int note_i)
{
    struct sb b = { 0 };
    const char *path = "-";

    if (egress)
        path = is_private(pdst) || enis[e].node >= 0 ? "1" : "2";
    sb_f(&b,
         "5 " ACCT " %s %s %s %d %d %d %llu %llu %lld %lld %s OK " VPC_ID " %s %s %d IPv4 %s %s "
         REGION " %s %s %s %s %s",
         enis[e].id, src, dst, sp, dp, proto, (unsigned long long)pk, (unsigned long long)by,
         (long long)start, (long long)end, reject ? "REJECT" : "ACCEPT", enis[e].subnet,
         enis[e].inst, flags, psrc, pdst, enis[e].azid, ssvc ? ssvc : "-", dsvc ? dsvc : "-",
         egress ? "egress" : "ingress", path);
    recs_push(&g_vpc, end * 1000000 + e, note_i, b.p, b.n);
    free(b.p);
}

void vf_nodata(int e, int64_t start, int64_t end)
{
    struct sb b = { 0 };

    sb_f(&b,
         "5 " ACCT " %s - - - - - - - %lld %lld - NODATA " VPC_ID " %s %s - - - - " REGION
         " %s - - - -",
         enis[e].id, (long long)start, (long long)end, enis[e].subnet, enis[e].inst,
         enis[e].azid);
    recs_push(&g_vpc, end * 1000000 + e, -1, b.p, b.n);
    free(b.p);
}

/*
 * The records one ENI logs for a conversation: ca/sa are the client/server addresses the ENI
 * shows (srcaddr/dstaddr), cp/sp the packet-level ones (pkt-srcaddr/pkt-dstaddr). Long
 * conversations are cut into 60-second aggregation windows.
 */
void vf_leg(const struct conv *v, int e, const char *ca, const char *sa, const char *cp,
            const char *sp, int local_client, int note_i)
{
    int tcp = v->proto == 6;
    uint64_t mss = tcp ? 1448 : 1200, hdr = tcp ? 52 : 28;
    uint64_t up_pk = (v->up + mss - 1) / mss, dn_pk = (v->down + mss - 1) / mss;
    int64_t n_win = v->dur / 60 + 1;

    if (tcp) {
        /* handshake, teardown, and one ack for every two segments the other way */
        up_pk += 3 + dn_pk / 2;
        dn_pk += 2 + up_pk / 2;
    }
    if (v->reject) {
        vf_line(e, v->t, v->t + v->dur, ca, sa, v->cport, v->sport, v->proto, 1 + (uint64_t)v->dur,
                (1 + (uint64_t)v->dur) * (tcp ? 44 : 28), 1, tcp ? 2 : 0, cp, sp, v->csvc,
                v->ssvc, local_client, note_i);
        return;
    }
    for (int64_t w = 0; w < n_win; w++) {
        int64_t ws = v->t + w * 60, we = w == n_win - 1 ? v->t + v->dur : ws + 59;
        uint64_t f_pk = up_pk / (uint64_t)n_win, r_pk = dn_pk / (uint64_t)n_win;
        uint64_t f_by = v->up / (uint64_t)n_win, r_by = v->down / (uint64_t)n_win;
        int ff = 0, rf_ = 0;

        if (w == n_win - 1) {
            f_pk = up_pk - f_pk * (uint64_t)(n_win - 1);
            r_pk = dn_pk - r_pk * (uint64_t)(n_win - 1);
            f_by = v->up - f_by * (uint64_t)(n_win - 1);
            r_by = v->down - r_by * (uint64_t)(n_win - 1);
        }
        if (f_pk == 0)
            f_pk = 1;
        if (r_pk == 0)
            r_pk = 1;
        if (tcp) {
            ff = (w == 0 ? 2 : 0) | (w == n_win - 1 ? 1 : 0);
            rf_ = (w == 0 ? 18 : 0) | (w == n_win - 1 ? 1 : 0);
        }
        vf_line(e, ws, we, ca, sa, v->cport, v->sport, v->proto, f_pk, f_by + f_pk * hdr, 0, ff,
                cp, sp, v->csvc, v->ssvc, local_client, w == 0 ? note_i : -1);
        vf_line(e, ws, we, sa, ca, v->sport, v->cport, v->proto, r_pk, r_by + r_pk * hdr, 0,
                rf_, sp, cp, v->ssvc, v->csvc, !local_client, -1);
    }
}

static int node_of(const char *ip)
{
    for (int i = 0; i < N_PODS; i++)
        if (strcmp(pods[i].ip, ip) == 0)
            return pods[i].node;
    for (int i = 0; i < 3; i++)
        if (strcmp(nodes[i].ip, ip) == 0)
            return i;
    return -1;
}

/*
 * Route a conversation through the monitored ENIs: in-VPC clients (pods, nodes, the load
 * balancer) and servers, the NAT gateway for pod/node traffic to the internet, the load
 * balancer for traffic from the internet.
 */
void flow(const struct conv *v)
{
    int cn = node_of(v->c), sn = node_of(v->s);
    int note_i = v->note;

    if (cn >= 0) {
        vf_leg(v, E_N0 + cn, eni_addr(E_N0 + cn, v->c), v->s, v->c, v->s, 1, note_i);
        note_i = -1;
    }
    if (sn >= 0 && !(cn == sn)) {
        vf_leg(v, E_N0 + sn, v->c, eni_addr(E_N0 + sn, v->s), v->c, v->s, 0, note_i);
        note_i = -1;
    }
    if (strcmp(v->c, ALB_IP) == 0) {
        vf_leg(v, E_ALB, ALB_IP, v->s, ALB_IP, v->s, 1, note_i);
        note_i = -1;
    }
    if (strcmp(v->s, ALB_IP) == 0) {
        vf_leg(v, E_ALB, v->c, ALB_IP, v->c, ALB_IP, 0, note_i);
        note_i = -1;
    }
    if (cn >= 0 && !is_private(v->s) && !v->reject) {
        vf_leg(v, E_NAT, v->c, NAT_IP, v->c, v->s, 0, -1);
        vf_leg(v, E_NAT, NAT_IP, v->s, NAT_IP, v->s, 1, -1);
    }
}

int eport(void)
{
    return (int)rng_range(32768, 60999);
}

size_t vpc_files;

void write_vpc(void)
{
    qsort(g_vpc.v, g_vpc.n, sizeof *g_vpc.v, rec_cmp);
    for (size_t i = 0; i < g_vpc.n;) {
        int64_t w = g_vpc.v[i].key / 1000000 / 300, dt = (w + 1) * 300 + 60;
        size_t j = i, line = 1;
        struct sb b = { 0 };
        char rel[300], dir[16], stamp[24], h[9];

        while (j < g_vpc.n && g_vpc.v[j].key / 1000000 / 300 == w)
            j++;
        rng_chars(h, 8, RNG_HEX);
        snprintf(rel, sizeof rel,
                 "AWSLogs/" ACCT "/vpcflowlogs/" REGION "/%s/" ACCT "_vpcflowlogs_" REGION "_"
                 FLOW_LOG_ID "_%s_%s.log.gz", tf_date_dir(dir, dt), tf_stamp_min(stamp, dt), h);
        sb_s(&b, VPC_HEADER "\n");
        for (size_t k = i; k < j; k++) {
            sb_add(&b, g_vpc.v[k].s, g_vpc.v[k].n);
            sb_add(&b, "\n", 1);
            line++;
            if (g_vpc.v[k].note >= 0)
                snprintf(notes[g_vpc.v[k].note].where, sizeof notes[0].where,
                         "%s line %zu", rel, line);
        }
        gz_file(rel, b.p, b.n);
        free(b.p);
        vpc_files++;
        i = j;
    }
}

