/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s.c - the WordPress story's EKS kube-apiserver audit log: one request becomes its
 * RequestReceived / ResponseStarted / ResponseComplete lines (Go-style JSON escaping), the
 * users of the cluster, and the size-rotated file with its gzip'd older part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gz.h"
#include "json.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "world.h"

static void k8s_head(struct sb *b, const struct kreq *r, const char *id, const char *stage)
{
    const char *obj = r->obj_rr && strcmp(stage, "RequestReceived") == 0 ? r->obj_rr : r->obj;

    sb_f(b, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"%s\","
            "\"auditID\":\"%s\",\"stage\":\"%s\",\"requestURI\":",
         r->level, id, stage);
    json_strx(b, r->uri, 1);
    sb_f(b, ",\"verb\":\"%s\",\"user\":%s,\"sourceIPs\":[\"%s\"],\"userAgent\":", r->verb,
         r->user, r->ip);
    json_strx(b, r->ua, 1);
    if (obj)
        sb_f(b, ",\"objectRef\":%s", obj);
}

static void k8s_tail(struct sb *b, const struct kreq *r, int64_t stage_t, int ann)
{
    char t1[40], t2[40];

    sb_f(b, ",\"requestReceivedTimestamp\":\"%s\",\"stageTimestamp\":\"%s\"", tf_iso_us(t1, r->t),
         tf_iso_us(t2, stage_t));
    if (ann) {
        sb_f(b, ",\"annotations\":{\"authorization.k8s.io/decision\":\"%s\","
                "\"authorization.k8s.io/reason\":",
             r->decision);
        json_strx(b, r->reason, 1);
        if (r->more_ann)
            sb_f(b, ",%s", r->more_ann);
        sb_s(b, "}");
    }
    sb_s(b, "}");
}

static void k8s_status(struct sb *b, const struct kreq *r)
{
    if (r->status)
        sb_f(b, ",\"responseStatus\":%s", r->status);
    else
        sb_f(b, ",\"responseStatus\":{\"metadata\":{},\"code\":%d}", r->code);
}

void k8s_emit(const struct kreq *r)
{
    struct sb b = { 0 };
    char id[37];
    int64_t end = r->t + r->dur;

    rng_uuid(id);
    if (!r->no_rr) {
        k8s_head(&b, r, id, "RequestReceived");
        k8s_tail(&b, r, r->t, 0);
        recs_push(&g_k8s, r->t, -1, b.p, b.n);
        b.n = 0;
    }
    if (r->watch) {
        int64_t st = r->t + 900 + (int64_t)rng_n(4000);

        k8s_head(&b, r, id, "ResponseStarted");
        k8s_status(&b, r);
        k8s_tail(&b, r, st, 1);
        recs_push(&g_k8s, st, -1, b.p, b.n);
        b.n = 0;
    }
    k8s_head(&b, r, id, "ResponseComplete");
    k8s_status(&b, r);
    if (r->reqobj)
        sb_f(&b, ",\"requestObject\":%s", r->reqobj);
    if (r->respobj)
        sb_f(&b, ",\"responseObject\":%s", r->respobj);
    k8s_tail(&b, r, end, 1);
    if (r->note >= 0)
        snprintf(notes[r->note].id, sizeof notes[r->note].id, "auditID %s", id);
    recs_push(&g_k8s, end, r->note, b.p, b.n);
    free(b.p);
}

char *objref(char *o, size_t n, const char *res, const char *ns, const char *name,
             const char *group, const char *sub)
{
    struct sb b = { 0 };

    sb_f(&b, "{\"resource\":\"%s\"", res);
    if (ns)
        sb_f(&b, ",\"namespace\":\"%s\"", ns);
    if (name)
        sb_f(&b, ",\"name\":\"%s\"", name);
    if (group)
        sb_f(&b, ",\"apiGroup\":\"%s\"", group);
    sb_s(&b, ",\"apiVersion\":\"v1\"");
    if (sub)
        sb_f(&b, ",\"subresource\":\"%s\"", sub);
    sb_s(&b, "}");
    snprintf(o, n, "%s", b.p);
    free(b.p);
    return o;
}
void node_user(char *o, size_t n, int i, const char *akid)
{
    snprintf(o, n,
             "{\"username\":\"system:node:%s\",\"uid\":\"aws-iam-authenticator:" ACCT
             ":" ROLEID_NODE "\",\"groups\":[\"system:bootstrappers\",\"system:nodes\","
             "\"system:authenticated\"],\"extra\":{\"accessKeyId\":[\"%s\"],"
             "\"arn\":[\"arn:aws:sts::" ACCT ":assumed-role/" ROLE_NODE "/%s\"],"
             "\"canonicalArn\":[\"arn:aws:iam::" ACCT ":role/" ROLE_NODE "\"],"
             "\"principalId\":[\"" ROLEID_NODE "\"],\"sessionName\":[\"%s\"],"
             "\"sigs.k8s.io/aws-iam-authenticator/principalId\":[\"" ROLEID_NODE "\"]}}",
             nodes[i].name, akid, nodes[i].inst, nodes[i].inst);
}

void sa_user(char *o, size_t n, const char *ns, const char *sa, const struct pod *p)
{
    char uid[37], jti[37], nuid[37];

    rng_uuid(uid);
    rng_uuid(jti);
    rng_uuid(nuid);
    snprintf(o, n,
             "{\"username\":\"system:serviceaccount:%s:%s\",\"uid\":\"%s\","
             "\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:%s\","
             "\"system:authenticated\"],\"extra\":{"
             "\"authentication.kubernetes.io/credential-id\":[\"JTI=%s\"],"
             "\"authentication.kubernetes.io/node-name\":[\"%s\"],"
             "\"authentication.kubernetes.io/node-uid\":[\"%s\"],"
             "\"authentication.kubernetes.io/pod-name\":[\"%s\"],"
             "\"authentication.kubernetes.io/pod-uid\":[\"%s\"]}}",
             ns, sa, uid, ns, jti, nodes[p->node].name, nuid, p->name, p->uid);
}

int64_t k8s_rotated_at;
size_t k8s_lines[2];

void write_k8s(void)
{
    struct sb cur = { 0 }, old = { 0 };
    size_t total = 0, acc = 0, split;
    int64_t cap = at(12, 0, 0) * 1000000;
    char rel[200];
    struct tf_ymd a;
    int64_t ms;

    qsort(g_k8s.v, g_k8s.n, sizeof *g_k8s.v, rec_cmp);
    for (size_t i = 0; i < g_k8s.n; i++)
        total += g_k8s.v[i].n + 1;
    /* lumberjack rotates by size: cut at ~40% of the bytes, and before noon at the latest */
    for (split = 0; split < g_k8s.n; split++) {
        acc += g_k8s.v[split].n + 1;
        if (acc * 10 >= total * 4 || g_k8s.v[split].key >= cap)
            break;
    }
    if (split < g_k8s.n)
        split++;
    k8s_rotated_at = split < g_k8s.n ? g_k8s.v[split].key : g_k8s.v[g_k8s.n - 1].key;
    a = tf_split(k8s_rotated_at / 1000000);
    ms = k8s_rotated_at / 1000 % 1000;
    snprintf(rel, sizeof rel,
             "k8s/kube-apiserver-audit-%04d-%02u-%02uT%02u-%02u-%02u.%03d.log.gz", a.y, a.mo,
             a.d, a.h, a.mi, a.s, (int)ms);
    for (size_t i = 0; i < g_k8s.n; i++) {
        struct sb *b = i < split ? &old : &cur;

        sb_add(b, g_k8s.v[i].s, g_k8s.v[i].n);
        sb_add(b, "\n", 1);
        k8s_lines[i < split ? 0 : 1]++;
        if (g_k8s.v[i].note >= 0)
            snprintf(notes[g_k8s.v[i].note].where, sizeof notes[0].where, "%s line %zu",
                     i < split ? rel : "k8s/kube-apiserver-audit.log", k8s_lines[i >= split]);
    }
    gz_file(rel, old.p ? old.p : "", old.n);
    out_file("k8s/kube-apiserver-audit.log", cur.p ? cur.p : "", cur.n);
    free(old.p);
    free(cur.p);
}

