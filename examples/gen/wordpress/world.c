/* SPDX-License-Identifier: Apache-2.0 */
/*
 * world.c - the WordPress story's fixed world (nodes, pods, ENIs, prebuilt Kubernetes
 * users, node instance-profile keys), its run parameters, and the record and note lists
 * every plane appends to.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rng.h"
#include "world.h"

const struct node nodes[3] = {
    { "ip-10-0-1-23.ec2.internal", "10.0.1.23", "i-0c5e8f1a2b3d4e567", "eni-03e9f1c2a7b6d5401",
      "subnet-0a1b2c3d4e5f67081", "use1-az4" },
    { "ip-10-0-2-57.ec2.internal", "10.0.2.57", "i-08f2d6b4a1c9e3705", "eni-0b7d2e4f6a8c1e932",
      "subnet-0b2c3d4e5f6a78192", "use1-az6" },
    { "ip-10-0-3-112.ec2.internal", "10.0.3.112", "i-01d4a7c9e2f5b8360", "eni-0e4c1a7f3b9d2c586",
      "subnet-0c3d4e5f6a7b89203", "use1-az1" },
};

const struct pod pods[N_PODS] = {
    { "blog", "wordpress-7d9f8b6c5d-x4k2p", "10.0.1.87",
      "3f1c9a2e-6b7d-4e58-9a0c-2d4f6b8e1a35", 0 },
    { "blog", "data-fetcher-6c8d7f9b4-q7w2m", "10.0.2.141",
      "8a2e4c6f-1b3d-4f5a-8c7e-9d0b2a4c6e81", 1 },
    { "blog", "wordpress-mysql-0", "10.0.2.66",
      "c4e6a8b0-2d4f-4a6c-8e0b-1f3a5c7e9b24", 1 },
    { "kube-system", "coredns-787cb67946-h2x9v", "10.0.3.10",
      "5d7f9b1c-3e5a-4c7e-9b1d-2f4a6c8e0a13", 2 },
    { "kube-system", "coredns-787cb67946-m8t4z", "10.0.1.31",
      "e2b4d6f8-0a2c-4e6a-8c0e-3b5d7f9a1c46", 0 },
    { "blog", "newsletter-5f8b9c7d6-r2n4k", "10.0.3.77",
      "1a3c5e7f-9b2d-4f6a-8e1c-7d9f1b3d5a68", 2 },
};

const struct eni enis[N_ENIS] = {
    { "eni-03e9f1c2a7b6d5401", "10.0.1.23", "subnet-0a1b2c3d4e5f67081", "i-0c5e8f1a2b3d4e567",
      "use1-az4", 0 },
    { "eni-0b7d2e4f6a8c1e932", "10.0.2.57", "subnet-0b2c3d4e5f6a78192", "i-08f2d6b4a1c9e3705",
      "use1-az6", 1 },
    { "eni-0e4c1a7f3b9d2c586", "10.0.3.112", "subnet-0c3d4e5f6a7b89203", "i-01d4a7c9e2f5b8360",
      "use1-az1", 2 },
    { "eni-0f1e2d3c4b5a69788", ALB_IP, "subnet-0d4e5f6a7b8c93014", "-", "use1-az4", -1 },
    { "eni-0d9c8b7a6f5e43210", NAT_IP, "subnet-0d4e5f6a7b8c93014", "-", "use1-az4", -1 },
    { "eni-07a6b5c4d3e2f1098", "10.0.2.203", "subnet-0b2c3d4e5f6a78192", "i-08f2d6b4a1c9e3705",
      "use1-az6", -1 },
};

double g_scale = 1.0;
uint64_t g_seed = 20261014;
const char *g_out;
int64_t g_day; /* 00:00:00Z of the day, Unix seconds */

/* Seconds since the start of the day -> Unix seconds. */
int64_t at(int h, int m, int s)
{
    return g_day + h * 3600 + m * 60 + s;
}

/* A temporary (STS) access key id. */
void tmpkey(char o[21])
{
    memcpy(o, "ASIAUDJ4K7M2", 12);
    rng_chars(o + 12, 8, RNG_ALNUMU);
}

struct recs g_ct, g_k8s, g_vpc, g_web, g_falco[3];
struct visit *visits;
char rollout_pods[2][32];
int64_t rollout_at[2];
size_t n_visits;

void recs_push(struct recs *r, int64_t key, int note, const char *s, size_t n)
{
    struct rec *e;

    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    e = &r->v[r->n++];
    e->key = key;
    e->seq = r->seq++;
    e->note = note;
    e->aux = 0;
    e->s = xrealloc(NULL, n + 1);
    memcpy(e->s, s, n);
    e->s[n] = '\0';
    e->n = n;
}

int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int rec_cmp_aux(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;

    if (x->aux != y->aux)
        return x->aux < y->aux ? -1 : 1;
    return rec_cmp(a, b);
}

void recs_free(struct recs *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].s);
    free(r->v);
    memset(r, 0, sizeof *r);
}

#define MAX_NOTES 64
struct note notes[MAX_NOTES];
int n_notes;

int wp_note(int64_t t, int step, const char *plane, const char *fmt, ...)
{
    struct note *n;
    va_list ap;

    if (n_notes == MAX_NOTES)
        die("internal: too many notes");
    n = &notes[n_notes];
    n->t = t;
    n->step = step;
    n->plane = plane;
    va_start(ap, fmt);
    vsnprintf(n->what, sizeof n->what, fmt, ap);
    va_end(ap);
    return n_notes++;
}


/* Users, built once. */
char u_node[3][1200], u_node_att[1200], u_admin[1000], u_ci[1100], u_anon[120];
char u_kcm[120], u_sched[120], u_rs[700], u_sa_dns[2][900], u_sa_proxy[3][900];
char u_sa_cni[3][900];
const char *const cp_ips[2] = { "172.16.81.140", "172.16.114.8" };

/* The node's instance-profile key of the 6-hour slot containing t (shared with k8s extra). */
char node_keys[3][4][21];

const char *node_key(int i, int64_t t)
{
    int64_t slot = (t - g_day) / (6 * 3600);

    if (slot < 0)
        slot = 0;
    if (slot > 3)
        slot = 3;
    return node_keys[i][slot];
}

