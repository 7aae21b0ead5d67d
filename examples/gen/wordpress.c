/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wordpress.c - deterministic evidence for the "WordPress on Kubernetes to S3 theft" story
 * (DESIGN.md section 1, first story), cloud planes only: AWS CloudTrail (S3 delivery layout,
 * gzip Records files plus one digest), EKS kube-apiserver audit (JSON lines plus one rotated
 * gzip file) and VPC flow logs (v5 custom format, gzip, header line), one day of benign
 * background with the attack woven in. OUTDIR/attack-notes.txt says where each step landed.
 * Usage: wordpress OUTDIR [--scale N] [--seed S]; same arguments give the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <zlib.h>

#include "gz.h"
#include "json.h"
#include "out.h"
#include "rng.h"
#include "sb.h"
#include "sha256.h"
#include "timefmt.h"

/* ---- the world ------------------------------------------------------------------------ */

#define ACCT "284511937402"
#define REGION "us-east-1"
#define DAY_Y 2026
#define DAY_M 10
#define DAY_D 14
#define ATTACKER "203.0.113.66"
#define NAT_EIP "198.51.100.20"
#define NAT_IP "10.0.0.200"
#define ALB_IP "10.0.0.45"
#define VPC_ID "vpc-0a3f9c2e7b1d48e65"
#define FLOW_LOG_ID "fl-0c3a5e7b9d1f24680"
#define TRAIL "management-events"
#define TRAIL_BUCKET "acme-cloudtrail-" ACCT
#define CLUSTER "blog-prod"
#define OIDC_HOST "oidc.eks.us-east-1.amazonaws.com/id/7A3C5E9F1B2D4068ACE13579BDF02468"
#define OIDC_ARN "arn:aws:iam::" ACCT ":oidc-provider/" OIDC_HOST
#define GH_ARN "arn:aws:iam::" ACCT ":oidc-provider/token.actions.githubusercontent.com"
#define GH_SUB "repo:acme-blog/platform:ref:refs/heads/main"
#define BUCKET "client-records"
#define KMS_KEY "arn:aws:kms:us-east-1:" ACCT ":key/5b0e7f3a-9c21-4d68-b4e2-1a7c9d3f6e80"
#define FETCHER_SA "system:serviceaccount:blog:data-fetcher"

#define ROLE_S3 "s3-get-object-role"
#define ROLEID_S3 "AROAUDJ4K7M2XQ5N8P3RT"
#define ROLE_CI "github-actions-deploy"
#define ROLEID_CI "AROAUDJ4K7M2WZ9B6C1HE"
#define ROLE_NODE "eks-node-role"
#define ROLEID_NODE "AROAUDJ4K7M2RT6Y3V8LK"
#define ROLE_CLUSTER "eks-cluster-role"
#define ROLEID_CLUSTER "AROAUDJ4K7M2PL4H7J2NB"

#define UA_KERNEL "os/linux#6.1.109-118.189.amzn2023.x86_64 md/arch#x86_64"
#define UA_CLI_POD "aws-cli/2.17.42 md/awscrt#0.21.2 ua/2.0 " UA_KERNEL \
    " lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe" \
    " md/distrib#debian.12 md/prompt#off md/command#"
#define UA_BOTO "Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 " UA_KERNEL \
    " lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162"
#define UA_ALICE "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.6.0 md/arch#arm64" \
    " lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source" \
    " md/prompt#off md/command#"
#define UA_CHROME "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36" \
    " (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36"
#define UA_GHA "aws-sdk-js/3.658.1 ua/2.0 os/linux#6.8.0-1014-azure lang/js md/nodejs#20.17.0" \
    " api/sts#3.658.1 configure-aws-credentials-for-github-actions"
#define UA_DOCKER "docker/27.2.0 go/go1.21.13 git-commit/3ab5c7d kernel/6.8.0-1014-azure" \
    " os/linux arch/amd64 UpstreamClient(Docker-Client/27.2.0 \\(linux\\))"
#define UA_CNI "aws-sdk-go/1.55.5 (go1.22.6; linux; amd64) amazon-vpc-cni-k8s/agent-v1.18.3"
#define UA_KUBELET "kubelet/v1.30.4 (linux/amd64) kubernetes/a737599"
#define UA_KUBECTL "kubectl/v1.30.4 (linux/amd64) kubernetes/a737599"

struct node {
    const char *name, *ip, *inst, *eni, *subnet, *azid;
};
static const struct node nodes[3] = {
    { "ip-10-0-1-23.ec2.internal", "10.0.1.23", "i-0c5e8f1a2b3d4e567", "eni-03e9f1c2a7b6d5401",
      "subnet-0a1b2c3d4e5f67081", "use1-az4" },
    { "ip-10-0-2-57.ec2.internal", "10.0.2.57", "i-08f2d6b4a1c9e3705", "eni-0b7d2e4f6a8c1e932",
      "subnet-0b2c3d4e5f6a78192", "use1-az6" },
    { "ip-10-0-3-112.ec2.internal", "10.0.3.112", "i-01d4a7c9e2f5b8360", "eni-0e4c1a7f3b9d2c586",
      "subnet-0c3d4e5f6a7b89203", "use1-az1" },
};

struct pod {
    const char *ns, *name, *ip, *uid;
    int node;
};
enum { P_WP, P_FETCH, P_MYSQL, P_DNS1, P_DNS2, P_NEWS, N_PODS };
static const struct pod pods[N_PODS] = {
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

/* The monitored network interfaces (the flow log covers the whole VPC). */
struct eni {
    const char *id, *ip, *subnet, *inst, *azid;
    int node; /* index in nodes[], -1 if not a node */
};
enum { E_N0, E_N1, E_N2, E_ALB, E_NAT, E_IDLE, N_ENIS };
static const struct eni enis[N_ENIS] = {
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

/* ---- small helpers -------------------------------------------------------------------- */

static double g_scale = 1.0;
static uint64_t g_seed = 20261014;
static const char *g_out;
static int64_t g_day; /* 00:00:00Z of the day, Unix seconds */

/* Seconds since the start of the day -> Unix seconds. */
static int64_t at(int h, int m, int s)
{
    return g_day + h * 3600 + m * 60 + s;
}

/* A temporary (STS) access key id. */
static void tmpkey(char o[21])
{
    memcpy(o, "ASIAUDJ4K7M2", 12);
    rng_chars(o + 12, 8, RNG_ALNUMU);
}

/* ---- records and attack notes --------------------------------------------------------- */

struct rec {
    int64_t key;  /* sort key: event time in microseconds */
    uint32_t seq; /* creation order, breaks ties */
    int note;     /* index in notes[], or -1 */
    int64_t aux;  /* per-plane use (CloudTrail: delivery window) */
    char *s;
    size_t n;
};

struct recs {
    struct rec *v;
    size_t n, cap;
    uint32_t seq;
};

static struct recs g_ct, g_k8s, g_vpc;

static void recs_push(struct recs *r, int64_t key, int note, const char *s, size_t n)
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

static int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int rec_cmp_aux(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;

    if (x->aux != y->aux)
        return x->aux < y->aux ? -1 : 1;
    return rec_cmp(a, b);
}

static void recs_free(struct recs *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].s);
    free(r->v);
    memset(r, 0, sizeof *r);
}

struct note {
    int64_t t;      /* seconds */
    int step;
    const char *plane;
    char what[400];
    char id[64];    /* eventID / auditID, when there is one */
    char where[512];
};

#define MAX_NOTES 64
static struct note notes[MAX_NOTES];
static int n_notes;

static int note(int64_t t, int step, const char *plane, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int note(int64_t t, int step, const char *plane, const char *fmt, ...)
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

/* Repeat fn roughly every period/scale seconds between two times, with jitter. */
#define EVERY(t, from, to, period)                                                          \
    for (int64_t t = (from) + (int64_t)(rng_f() * (period) / g_scale); t < (to);               \
         t += (int64_t)((period) / g_scale * (0.6 + 0.8 * rng_f())) + 1)

/* ---- CloudTrail ----------------------------------------------------------------------- */

struct ct {
    int64_t t;
    const char *ident, *src, *name, *ip, *ua;
    const char *err, *errmsg;
    const char *req, *resp, *aed, *res, *extra;
    const char *host;  /* tlsDetails host header; NULL: no tlsDetails */
    const char *etype; /* NULL: AwsApiCall */
    int data;          /* S3 data event */
    int ro;            /* readOnly */
    int tls12;
    int no_reqid;
    int note;
};

static void ct_emit(const struct ct *c)
{
    struct sb b = { 0 };
    char ts[32], id[40];
    int s3 = strcmp(c->src, "s3.amazonaws.com") == 0;

    sb_f(&b, "{\"eventVersion\":\"%s\",\"userIdentity\":%s,", c->data ? "1.10" : "1.11",
         c->ident);
    sb_f(&b, "\"eventTime\":\"%s\",\"eventSource\":\"%s\",\"eventName\":\"%s\",",
         tf_iso_s(ts, c->t), c->src, c->name);
    sb_s(&b, "\"awsRegion\":\"" REGION "\",\"sourceIPAddress\":");
    json_str(&b, c->ip);
    sb_s(&b, ",\"userAgent\":");
    json_str(&b, c->ua);
    if (c->err) {
        sb_s(&b, ",\"errorCode\":");
        json_str(&b, c->err);
        sb_s(&b, ",\"errorMessage\":");
        json_str(&b, c->errmsg);
    }
    sb_f(&b, ",\"requestParameters\":%s,\"responseElements\":%s", c->req ? c->req : "null",
         c->resp ? c->resp : "null");
    if (c->aed)
        sb_f(&b, ",\"additionalEventData\":%s", c->aed);
    if (!c->no_reqid) {
        if (s3)
            rng_chars(id, 16, RNG_HEXU);
        else
            rng_uuid(id);
        sb_f(&b, ",\"requestID\":\"%s\"", id);
    }
    rng_uuid(id);
    sb_f(&b, ",\"eventID\":\"%s\",\"readOnly\":%s", id, c->ro ? "true" : "false");
    if (c->res)
        sb_f(&b, ",\"resources\":%s", c->res);
    sb_f(&b, ",\"eventType\":\"%s\",\"managementEvent\":%s,\"recipientAccountId\":\"" ACCT "\"",
         c->etype ? c->etype : "AwsApiCall", c->data ? "false" : "true");
    if (c->extra)
        sb_f(&b, ",%s", c->extra);
    sb_f(&b, ",\"eventCategory\":\"%s\"", c->data ? "Data" : "Management");
    if (c->host)
        sb_f(&b, ",\"tlsDetails\":{\"tlsVersion\":\"%s\",\"cipherSuite\":\"%s\","
                 "\"clientProvidedHostHeader\":\"%s\"}",
             c->tls12 ? "TLSv1.2" : "TLSv1.3",
             c->tls12 ? "ECDHE-RSA-AES128-GCM-SHA256" : "TLS_AES_128_GCM_SHA256", c->host);
    sb_s(&b, "}");
    if (c->note >= 0)
        snprintf(notes[c->note].id, sizeof notes[c->note].id, "eventID %s", id);
    recs_push(&g_ct, c->t * 1000000, c->note, b.p, b.n);
    free(b.p);
}

/* A role session: the identity block is rebuilt when the credentials change. */
struct sess {
    char akid[21];
    char name[64];
    int64_t created;
};

static void ident_user(char *o, size_t n, const char *user, const char *aid, const char *akid,
                       int64_t console_since)
{
    char ts[32];
    int k = snprintf(o, n,
                     "{\"type\":\"IAMUser\",\"principalId\":\"%s\",\"arn\":\"arn:aws:iam::" ACCT
                     ":user/%s\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"%s\","
                     "\"userName\":\"%s\"",
                     aid, user, akid, user);

    if (console_since)
        snprintf(o + k, n - (size_t)k,
                 ",\"sessionContext\":{\"attributes\":{\"creationDate\":\"%s\","
                 "\"mfaAuthenticated\":\"true\"}}}",
                 tf_iso_s(ts, console_since));
    else
        snprintf(o + k, n - (size_t)k, "}");
}

static void ident_role(char *o, size_t n, const char *role, const char *roleid,
                       const struct sess *s, const char *webid, const char *ec2, const char *by)
{
    char ts[32], wid[300] = "", e2[64] = "", inv[80] = "";

    if (webid)
        snprintf(wid, sizeof wid,
                 ",\"webIdFederationData\":{\"federatedProvider\":\"%s\",\"attributes\":{}}",
                 webid);
    if (ec2)
        snprintf(e2, sizeof e2, ",\"ec2RoleDelivery\":\"%s\"", ec2);
    if (by)
        snprintf(inv, sizeof inv, ",\"invokedBy\":\"%s\"", by);
    snprintf(o, n,
             "{\"type\":\"AssumedRole\",\"principalId\":\"%s:%s\","
             "\"arn\":\"arn:aws:sts::" ACCT ":assumed-role/%s/%s\",\"accountId\":\"" ACCT "\","
             "\"accessKeyId\":\"%s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
             "\"principalId\":\"%s\",\"arn\":\"arn:aws:iam::" ACCT ":role/%s\","
             "\"accountId\":\"" ACCT "\",\"userName\":\"%s\"}%s,\"attributes\":{"
             "\"creationDate\":\"%s\",\"mfaAuthenticated\":\"false\"}%s}%s}",
             roleid, s->name, role, s->name, s->akid, roleid, role, role, wid,
             tf_iso_s(ts, s->created), e2, inv);
}

static void session_token(char *o, int n)
{
    memcpy(o, "IQoJb3JpZ2luX2VjE", 17);
    rng_chars(o + 17, n - 17, RNG_B64);
}

/* sts:AssumeRoleWithWebIdentity; fills *s with the new session. */
static void ct_web_identity(int64_t t, const char *role, const char *roleid, const char *prov,
                            const char *sub, struct sess *s, const char *session,
                            const char *ip, const char *ua, int note_i)
{
    char ident[700], req[300], resp[1400], tok[380], exp[40], res[200];
    struct ct c = { 0 };

    snprintf(ident, sizeof ident,
             "{\"type\":\"WebIdentityUser\",\"principalId\":\"%s:sts.amazonaws.com:%s\","
             "\"userName\":\"%s\",\"identityProvider\":\"%s\"}",
             prov, sub, sub, prov);
    tmpkey(s->akid);
    snprintf(s->name, sizeof s->name, "%s", session);
    s->created = t;
    session_token(tok, 360);
    snprintf(req, sizeof req,
             "{\"roleArn\":\"arn:aws:iam::" ACCT ":role/%s\",\"roleSessionName\":\"%s\"}", role,
             session);
    snprintf(resp, sizeof resp,
             "{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":\"%s\","
             "\"expiration\":\"%s\"},\"subjectFromWebIdentityToken\":\"%s\","
             "\"assumedRoleUser\":{\"assumedRoleId\":\"%s:%s\","
             "\"arn\":\"arn:aws:sts::" ACCT ":assumed-role/%s/%s\"},"
             "\"provider\":\"%s\",\"audience\":\"sts.amazonaws.com\"}",
             s->akid, tok, tf_aws_date(exp, t + 3600), sub, roleid, session, role, session, prov);
    snprintf(res, sizeof res,
             "[{\"accountId\":\"" ACCT "\",\"type\":\"AWS::IAM::Role\","
             "\"ARN\":\"arn:aws:iam::" ACCT ":role/%s\"}]",
             role);
    c.t = t;
    c.ident = ident;
    c.src = "sts.amazonaws.com";
    c.name = "AssumeRoleWithWebIdentity";
    c.ip = ip;
    c.ua = ua;
    c.req = req;
    c.resp = resp;
    c.aed = "{\"identityProviderConnectionVerificationMethod\":\"IAMTrustStore\"}";
    c.res = res;
    c.ro = 1;
    c.host = "sts.us-east-1.amazonaws.com";
    c.note = note_i;
    ct_emit(&c);
}

/* sts:AssumeRole made by an AWS service for an instance profile or a service role. */
static void ct_service_assume(int64_t t, const char *svc, const char *role, const char *session,
                              struct sess *s)
{
    char req[300], resp[900], tok[380], exp[40], res[200], extra[80], sh[37];
    struct ct c = { 0 };
    char ident[100];

    snprintf(ident, sizeof ident, "{\"type\":\"AWSService\",\"invokedBy\":\"%s\"}", svc);
    tmpkey(s->akid);
    snprintf(s->name, sizeof s->name, "%s", session);
    s->created = t;
    session_token(tok, 360);
    snprintf(req, sizeof req,
             "{\"roleArn\":\"arn:aws:iam::" ACCT ":role/%s\",\"roleSessionName\":\"%s\"}", role,
             session);
    snprintf(resp, sizeof resp,
             "{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":\"%s\","
             "\"expiration\":\"%s\"}}",
             s->akid, tok, tf_aws_date(exp, t + 6 * 3600));
    snprintf(res, sizeof res,
             "[{\"accountId\":\"" ACCT "\",\"type\":\"AWS::IAM::Role\","
             "\"ARN\":\"arn:aws:iam::" ACCT ":role/%s\"}]",
             role);
    rng_uuid(sh);
    snprintf(extra, sizeof extra, "\"sharedEventID\":\"%s\"", sh);
    c.t = t;
    c.ident = ident;
    c.src = "sts.amazonaws.com";
    c.name = "AssumeRole";
    c.ip = svc;
    c.ua = svc;
    c.req = req;
    c.resp = resp;
    c.res = res;
    c.extra = extra;
    c.ro = 1;
    c.note = -1;
    ct_emit(&c);
}

/* An S3 call; key NULL for bucket-level calls. ua is given without the brackets S3 adds. */
static void ct_s3(int64_t t, const char *ident, const char *name, const char *key,
                  const char *req_extra, const char *ip, const char *ua, uint64_t out_bytes,
                  const char *err, int data, int note_i)
{
    char req[600], aed[400], res[400], xid[80], uab[600];
    struct ct c = { 0 };

    rng_chars(xid, 76, RNG_B64);
    snprintf(uab, sizeof uab, "[%s]", ua);
    if (data) {
        snprintf(req, sizeof req,
                 "{%s\"bucketName\":\"" BUCKET "\",\"Host\":\"" BUCKET
                 ".s3.us-east-1.amazonaws.com\"%s%s%s}",
                 req_extra ? req_extra : "", key ? ",\"key\":\"" : "", key ? key : "",
                 key ? "\"" : "");
        snprintf(aed, sizeof aed,
                 "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\","
                 "\"bytesTransferredIn\":0,%s\"AuthenticationMethod\":\"AuthHeader\","
                 "\"x-amz-id-2\":\"%s\",\"bytesTransferredOut\":%llu}",
                 key ? "\"SSEApplied\":\"SSE_KMS\"," : "", xid, (unsigned long long)out_bytes);
        if (key)
            snprintf(res, sizeof res,
                     "[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::" BUCKET "/%s\"},"
                     "{\"accountId\":\"" ACCT "\",\"type\":\"AWS::S3::Bucket\","
                     "\"ARN\":\"arn:aws:s3:::" BUCKET "\"}]",
                     key);
        else
            snprintf(res, sizeof res,
                     "[{\"accountId\":\"" ACCT "\",\"type\":\"AWS::S3::Bucket\","
                     "\"ARN\":\"arn:aws:s3:::" BUCKET "\"}]");
        c.host = BUCKET ".s3.us-east-1.amazonaws.com";
        c.res = res;
    } else {
        snprintf(req, sizeof req, "{\"Host\":\"s3.us-east-1.amazonaws.com\"}");
        snprintf(aed, sizeof aed,
                 "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\","
                 "\"bytesTransferredIn\":0,\"AuthenticationMethod\":\"AuthHeader\","
                 "\"x-amz-id-2\":\"%s\",\"bytesTransferredOut\":%llu}",
                 xid, (unsigned long long)out_bytes);
        c.host = "s3.us-east-1.amazonaws.com";
    }
    c.t = t;
    c.ident = ident;
    c.src = "s3.amazonaws.com";
    c.name = name;
    c.ip = ip;
    c.ua = uab;
    c.req = req;
    c.aed = aed;
    c.data = data;
    c.ro = 1;
    if (err) {
        c.err = err;
        c.errmsg = "Access Denied";
    }
    c.note = note_i;
    ct_emit(&c);
}

/* kms:Decrypt that S3 makes for an SSE-KMS object read by the role session. */
static void ct_kms_for_s3(int64_t t, const char *role, const char *roleid, const struct sess *s,
                          const char *key, int note_i)
{
    char ident[1400], req[400];
    struct ct c = { 0 };

    ident_role(ident, sizeof ident, role, roleid, s, OIDC_ARN, NULL, "s3.amazonaws.com");
    snprintf(req, sizeof req,
             "{\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::" BUCKET "/%s\"},"
             "\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}",
             key);
    c.t = t;
    c.ident = ident;
    c.src = "kms.amazonaws.com";
    c.name = "Decrypt";
    c.ip = "s3.amazonaws.com";
    c.ua = "s3.amazonaws.com";
    c.req = req;
    c.res = "[{\"accountId\":\"" ACCT "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"" KMS_KEY "\"}]";
    c.ro = 1;
    c.note = note_i;
    ct_emit(&c);
}

/* A generic management call. */
static void ct_call(int64_t t, const char *ident, const char *svc, const char *name,
                    const char *ip, const char *ua, const char *req, const char *resp, int ro,
                    const char *err, const char *errmsg)
{
    char host[80];
    struct ct c = { 0 };
    const char *dot = strchr(svc, '.');

    snprintf(host, sizeof host, "%.*s.us-east-1.amazonaws.com", (int)(dot - svc), svc);
    if (strcmp(svc, "iam.amazonaws.com") == 0)
        snprintf(host, sizeof host, "iam.amazonaws.com");
    if (strcmp(svc, "monitoring.amazonaws.com") == 0)
        snprintf(host, sizeof host, "monitoring.us-east-1.amazonaws.com");
    c.t = t;
    c.ident = ident;
    c.src = svc;
    c.name = name;
    c.ip = ip;
    c.ua = ua;
    c.req = req;
    c.resp = resp;
    c.ro = ro;
    c.err = err;
    c.errmsg = errmsg;
    c.host = strcmp(ip, "AWS Internal") == 0 || strchr(ip, '.') == NULL ||
                     strstr(ip, "amazonaws.com") ? NULL : host;
    c.tls12 = strstr(ua, "aws-sdk-go/") != NULL;
    c.note = -1;
    ct_emit(&c);
}

/* ---- Kubernetes audit ----------------------------------------------------------------- */

struct kreq {
    int64_t t;   /* requestReceivedTimestamp, microseconds */
    int64_t dur; /* microseconds until ResponseComplete */
    const char *level, *verb, *uri, *user, *ip, *ua, *obj;
    const char *obj_rr; /* objectRef at RequestReceived when it differs (create: no name yet) */
    int code;
    const char *status; /* full responseStatus object, or NULL for {"metadata":{},"code":N} */
    const char *decision, *reason;
    const char *reqobj;   /* requestObject, Request level and above */
    const char *respobj;  /* responseObject, RequestResponse level */
    const char *more_ann; /* more annotations, already "key":"value" (sorted after reason) */
    int watch;            /* long-running: also a ResponseStarted stage */
    int no_rr;            /* policy omitted RequestReceived */
    int note;
};

#define KREQ_INIT(k)                                                                         \
    do {                                                                                     \
        memset(&(k), 0, sizeof(k));                                                          \
        (k).note = -1;                                                                       \
    } while (0)

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

static void k8s_emit(const struct kreq *r)
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

static char *objref(char *o, size_t n, const char *res, const char *ns, const char *name,
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

/* Users, built once. */
static char u_node[3][1200], u_node_att[1200], u_admin[1000], u_ci[1100], u_anon[120];
static char u_kcm[120], u_sched[120], u_rs[700], u_sa_dns[2][900], u_sa_proxy[3][900];
static char u_sa_cni[3][900];
static const char *const cp_ips[2] = { "172.16.81.140", "172.16.114.8" };

static void node_user(char *o, size_t n, int i, const char *akid)
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

static void sa_user(char *o, size_t n, const char *ns, const char *sa, const struct pod *p)
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

/* ---- VPC flow logs -------------------------------------------------------------------- */

/* One conversation, as seen at the packet level. */
struct conv {
    int64_t t;   /* first packet, seconds */
    int64_t dur; /* seconds */
    const char *c, *s; /* client (initiator) and server, packet addresses */
    int cport, sport, proto;
    uint64_t up, down; /* payload bytes client->server, server->client */
    const char *csvc, *ssvc; /* pkt-src/dst-aws-service of client and server, or NULL */
    int reject;
    int note; /* note for the first record of the first leg */
};

#define CONV_INIT(v)                                                                         \
    do {                                                                                     \
        memset(&(v), 0, sizeof(v));                                                          \
        (v).note = -1;                                                                       \
    } while (0)

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

static void vf_nodata(int e, int64_t start, int64_t end)
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
static void vf_leg(const struct conv *v, int e, const char *ca, const char *sa, const char *cp,
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
static void flow(const struct conv *v)
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

static int eport(void)
{
    return (int)rng_range(32768, 60999);
}

/* ---- the attack ----------------------------------------------------------------------- */

/* The bytes a flow record shows for a TCP payload: the same arithmetic as vf_leg(). */
static uint64_t wire_bytes(uint64_t payload, uint64_t reply)
{
    uint64_t pk = (payload + 1447) / 1448 + 3 + (reply + 1447) / 1448 / 2;

    return payload + pk * 52;
}

/* The node's instance-profile key of the 6-hour slot containing t (shared with k8s extra). */
static char node_keys[3][4][21];

static const char *node_key(int i, int64_t t)
{
    int64_t slot = (t - g_day) / (6 * 3600);

    if (slot < 0)
        slot = 0;
    if (slot > 3)
        slot = 3;
    return node_keys[i][slot];
}

static struct sess s_att; /* the attacker's s3-get-object-role session */

#define OBJ1 "exports/clients-2026-10.csv"
#define OBJ2 "exports/clients-2026-09.csv"
#define OBJ1_SIZE 48213377ULL
#define OBJ2_SIZE 46907118ULL

static void attack(void)
{
    struct conv v;
    struct kreq k;
    char ident[1400], obj[300], obj_rr[300], st[700];
    int n;
    const char *wp = pods[P_WP].ip, *df = pods[P_FETCH].ip;

    /* 1. recon through the load balancer */
    for (int i = 0; i < 4; i++) {
        int64_t t = at(13, 2, 5) + i * 47;

        CONV_INIT(v);
        v.t = t;
        v.dur = 40;
        v.c = ATTACKER;
        v.cport = eport();
        v.s = ALB_IP;
        v.sport = 443;
        v.proto = 6;
        v.up = 38000 + rng_n(9000);
        v.down = 260000 + rng_n(90000);
        v.note = i == 0 ? note(t, 1, "vpcflow",
                               "recon: %s -> load balancer %s:443 (4 connections, "
                               "13:02:05-13:05:22)", ATTACKER, ALB_IP) : -1;
        flow(&v);
        v.c = ALB_IP;
        v.cport = eport();
        v.s = wp;
        v.sport = 80;
        v.t += 1;
        v.dur = 38;
        v.note = i == 0 ? note(t + 1, 1, "vpcflow",
                               "load balancer %s -> wordpress pod %s:80 (node %s, "
                               "pkt-dstaddr is the pod)", ALB_IP, wp, nodes[0].name) : -1;
        flow(&v);
    }
    /* 2. wp-admin login and the plugin upload (wp-shell) */
    CONV_INIT(v);
    v.t = at(13, 6, 12);
    v.dur = 85;
    v.c = ATTACKER;
    v.cport = eport();
    v.s = ALB_IP;
    v.sport = 443;
    v.proto = 6;
    v.up = 52340;
    v.down = 118000;
    v.note = note(v.t, 2, "vpcflow",
                  "wp-admin login and plugin upload: %s -> %s:443, %llu bytes up", ATTACKER,
                  ALB_IP, (unsigned long long)v.up);
    flow(&v);
    v.c = ALB_IP;
    v.cport = eport();
    v.s = wp;
    v.sport = 80;
    v.t += 1;
    v.note = -1;
    flow(&v);
    /* 3. reverse shell from the wordpress pod */
    CONV_INIT(v);
    v.t = at(13, 9, 2);
    v.dur = at(13, 52, 14) - v.t;
    v.c = wp;
    v.cport = 41958;
    v.s = ATTACKER;
    v.sport = 4444;
    v.proto = 6;
    v.up = 183000;
    v.down = 36100;
    v.note = note(v.t, 3, "vpcflow",
                  "reverse shell: wordpress pod %s:41958 -> %s:4444 (egress on %s, via NAT "
                  "%s), until 13:52:14", wp, ATTACKER, nodes[0].eni, NAT_EIP);
    flow(&v);
    note(at(13, 14, 30), 4, "runtime (not generated)",
         "container escape: root runs mount in the privileged wordpress pod; then a privileged "
         "container started through /var/run/docker.sock (persistence)");
    /* 5. the node's identity, used from the escaped shell with kubectl */
    node_user(u_node_att, sizeof u_node_att, 0, node_key(0, at(13, 18, 0)));
    KREQ_INIT(k);
    k.t = at(13, 18, 44) * 1000000 + 211843;
    k.dur = 48211;
    k.level = "Metadata";
    k.verb = "list";
    k.uri = "/api/v1/pods?limit=500";
    k.user = u_node_att;
    k.ip = nodes[0].ip;
    k.ua = UA_KUBECTL;
    k.obj = objref(obj, sizeof obj, "pods", NULL, NULL, NULL, NULL);
    k.code = 200;
    k.decision = "allow";
    k.reason = "";
    k.note = note(at(13, 18, 44), 5, "k8s-audit",
                  "node identity system:node:%s lists all pods with kubectl (user agent "
                  "kubectl, not kubelet)", nodes[0].name);
    k8s_emit(&k);
    k.t = at(13, 19, 2) * 1000000 + 640212;
    k.dur = 2107;
    k.verb = "list";
    k.uri = "/api/v1/namespaces/blog/secrets?limit=500";
    k.obj = objref(obj, sizeof obj, "secrets", "blog", NULL, NULL, NULL);
    k.code = 403;
    snprintf(st, sizeof st,
             "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"secrets is forbidden: User "
             "\\\"system:node:%s\\\" cannot list resource \\\"secrets\\\" in API group "
             "\\\"\\\" in the namespace \\\"blog\\\": can only get individual resources of "
             "this type\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"secrets\"},"
             "\"code\":403}", nodes[0].name);
    k.status = st;
    k.decision = "forbid";
    k.reason = "can only get individual resources of this type";
    k.note = note(at(13, 19, 2), 5, "k8s-audit",
                  "node identity lists secrets in namespace blog: 403 Forbidden (authorizer "
                  "decision forbid)");
    k8s_emit(&k);
    for (int i = 0; i < 2; i++) {
        const char *ns = i == 0 ? "blog" : "kube-system";
        static char body[2][900];

        k.t = (i == 0 ? at(13, 20, 31) : at(13, 21, 5)) * 1000000 + 118094 + i * 77013;
        k.dur = 9342 + i * 811;
        k.level = "Request";
        k.verb = "create";
        snprintf(body[i], sizeof body[i], "/api/v1/namespaces/%s/pods?fieldManager=kubectl-create"
                 "&fieldValidation=Strict", ns);
        k.uri = body[i];
        k.obj = objref(obj, sizeof obj, "pods", ns, "legit-stuff", NULL, NULL);
        k.obj_rr = objref(obj_rr, sizeof obj_rr, "pods", ns, NULL, NULL, NULL);
        snprintf(st, sizeof st,
                 "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"legit-stuff\\\" "
                 "is forbidden: pod does not have \\\"kubernetes.io/config.mirror\\\" "
                 "annotation, node \\\"%s\\\" can only create mirror pods\",\"reason\":"
                 "\"Forbidden\",\"details\":{\"name\":\"legit-stuff\",\"kind\":\"pods\"},"
                 "\"code\":403}", nodes[0].name);
        k.status = st;
        k.decision = "allow";
        k.reason = "";
        k.reqobj = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
                   "\"legit-stuff\",\"creationTimestamp\":null},\"spec\":{\"volumes\":[{"
                   "\"name\":\"host\",\"hostPath\":{\"path\":\"/\"}}],\"containers\":[{\"name\":"
                   "\"legit-stuff\",\"image\":\"alpine:3.20\",\"command\":[\"/bin/sh\",\"-c\","
                   "\"sleep infinity\"],\"resources\":{},\"volumeMounts\":[{\"name\":\"host\","
                   "\"mountPath\":\"/host\"}],\"securityContext\":{\"privileged\":true}}],"
                   "\"hostNetwork\":true,\"hostPID\":true},\"status\":{}}";
        k.note = note(at(13, 20, 31) + i * 34, 5, "k8s-audit",
                      "node identity tries to create privileged pod legit-stuff in %s: 403 "
                      "Forbidden (NodeRestriction: nodes may only create mirror pods)", ns);
        k8s_emit(&k);
    }
    /* 6. from the node to the data-fetcher pod's debug console */
    CONV_INIT(v);
    v.t = at(13, 27, 10);
    v.dur = 95;
    v.c = nodes[0].ip;
    v.cport = eport();
    v.s = df;
    v.sport = 5000;
    v.proto = 6;
    v.up = 14200;
    v.down = 61800;
    v.note = note(v.t, 6, "vpcflow",
                  "lateral movement: node %s -> data-fetcher pod %s:5000 (debug console)",
                  nodes[0].ip, df);
    flow(&v);
    /* 7. reverse shell from data-fetcher */
    CONV_INIT(v);
    v.t = at(13, 29, 40);
    v.dur = at(13, 51, 58) - v.t;
    v.c = df;
    v.cport = 50312;
    v.s = ATTACKER;
    v.sport = 443;
    v.proto = 6;
    v.up = 97000;
    v.down = 21400;
    v.note = note(v.t, 7, "vpcflow",
                  "reverse shell: data-fetcher pod %s:50312 -> %s:443 (egress on %s), until "
                  "13:51:58", df, ATTACKER, nodes[1].eni);
    flow(&v);
    /* 8. the pod's web identity, used with aws-cli */
    n = note(at(13, 31, 15), 8, "cloudtrail",
             "AssumeRoleWithWebIdentity %s by %s from %s, user agent aws-cli (the app uses "
             "Boto3)", ROLE_S3, FETCHER_SA, NAT_EIP);
    snprintf(st, sizeof st, "botocore-session-%lld", (long long)at(13, 31, 12));
    ct_web_identity(at(13, 31, 15), ROLE_S3, ROLEID_S3, OIDC_ARN, FETCHER_SA, &s_att, st, NAT_EIP,
                    UA_CLI_POD "sts.assume-role-with-web-identity", n);
    CONV_INIT(v);
    v.t = at(13, 31, 14);
    v.dur = 1;
    v.c = df;
    v.cport = eport();
    v.s = "209.54.180.124";
    v.sport = 443;
    v.proto = 6;
    v.up = 2100;
    v.down = 5400;
    v.ssvc = "AMAZON";
    flow(&v);
    ident_role(ident, sizeof ident, ROLE_S3, ROLEID_S3, &s_att, OIDC_ARN, NULL, NULL);
    /* 9. discovery */
    n = note(at(13, 31, 49), 9, "cloudtrail", "ListBuckets by %s/%s: AccessDenied", ROLE_S3,
             s_att.name);
    ct_s3(at(13, 31, 49), ident, "ListBuckets", NULL, NULL, NAT_EIP, UA_CLI_POD "s3.ls", 0,
          "AccessDenied", 0, n);
    n = note(at(13, 32, 20), 9, "cloudtrail", "ListObjects (v2) on %s prefix exports/",
             BUCKET);
    ct_s3(at(13, 32, 20), ident, "ListObjects", NULL,
          "\"list-type\":\"2\",\"prefix\":\"exports/\",\"delimiter\":\"/\","
          "\"encoding-type\":\"url\",",
          NAT_EIP, UA_CLI_POD "s3.ls", 2873, NULL, 1, n);
    /* 10. the theft */
    n = note(at(13, 33, 5), 10, "cloudtrail",
             "GetObject %s/%s, bytesTransferredOut %llu, user agent aws-cli", BUCKET, OBJ1,
             OBJ1_SIZE);
    ct_s3(at(13, 33, 5), ident, "GetObject", OBJ1, NULL, NAT_EIP, UA_CLI_POD "s3api.get-object",
          OBJ1_SIZE, NULL, 1, n);
    ct_kms_for_s3(at(13, 33, 5), ROLE_S3, ROLEID_S3, &s_att, OBJ1, -1);
    n = note(at(13, 34, 18), 10, "cloudtrail",
             "GetObject %s/%s, bytesTransferredOut %llu, user agent aws-cli", BUCKET, OBJ2,
             OBJ2_SIZE);
    ct_s3(at(13, 34, 18), ident, "GetObject", OBJ2, NULL, NAT_EIP,
          UA_CLI_POD "s3api.get-object", OBJ2_SIZE, NULL, 1, n);
    ct_kms_for_s3(at(13, 34, 18), ROLE_S3, ROLEID_S3, &s_att, OBJ2, -1);
    for (int i = 0; i < 2; i++) {
        CONV_INIT(v);
        v.t = i ? at(13, 34, 17) : at(13, 33, 4);
        v.dur = i ? 9 : 10;
        v.c = df;
        v.cport = eport();
        v.s = i ? "52.217.96.14" : "52.216.177.90";
        v.sport = 443;
        v.proto = 6;
        v.up = 1900;
        v.down = i ? OBJ2_SIZE : OBJ1_SIZE;
        v.ssvc = "S3";
        flow(&v);
    }
    /* 11. exfiltration to the attacker */
    for (int i = 0; i < 2; i++) {
        uint64_t size = i ? OBJ2_SIZE : OBJ1_SIZE;

        CONV_INIT(v);
        v.t = i ? at(13, 37, 40) : at(13, 36, 30);
        v.dur = i ? 41 : 38;
        v.c = df;
        v.cport = i ? 50544 : 50490;
        v.s = ATTACKER;
        v.sport = 443;
        v.proto = 6;
        v.up = size;
        v.down = 4100;
        v.note = note(v.t, 11, "vpcflow",
                      "exfiltration: data-fetcher pod %s:%d -> %s:443, %llu bytes on the wire "
                      "(= %s bytesTransferredOut %llu + TCP/IP headers)",
                      df, v.cport, ATTACKER, (unsigned long long)wire_bytes(size, v.down),
                      i ? OBJ2 : OBJ1, (unsigned long long)size);
        flow(&v);
    }
    note(at(13, 52, 14), 12, "vpcflow", "both reverse shells closed (records with FIN, "
         "tcp-flags 1)");
}

/* ---- benign background ---------------------------------------------------------------- */

static const char *const alice_calls[][3] = {
    { "ec2.amazonaws.com", "DescribeInstances", "ec2.describe-instances" },
    { "ec2.amazonaws.com", "DescribeSecurityGroups", "ec2.describe-security-groups" },
    { "ec2.amazonaws.com", "DescribeVpcs", "ec2.describe-vpcs" },
    { "eks.amazonaws.com", "DescribeCluster", "eks.describe-cluster" },
    { "eks.amazonaws.com", "ListClusters", "eks.list-clusters" },
    { "iam.amazonaws.com", "ListRoles", "iam.list-roles" },
    { "iam.amazonaws.com", "GetRole", "iam.get-role" },
    { "monitoring.amazonaws.com", "GetMetricData", "cloudwatch.get-metric-data" },
    { "logs.amazonaws.com", "FilterLogEvents", "logs.filter-log-events" },
    { "rds.amazonaws.com", "DescribeDBInstances", "rds.describe-db-instances" },
    { "lambda.amazonaws.com", "ListFunctions20150331", "lambda.list-functions" },
    { "ecr.amazonaws.com", "DescribeRepositories", "ecr.describe-repositories" },
};

static const char *alice_req(const char *name)
{
    if (strcmp(name, "DescribeInstances") == 0)
        return "{\"instancesSet\":{},\"filterSet\":{\"items\":[{\"name\":"
               "\"tag:eks:cluster-name\",\"valueSet\":{\"items\":[{\"value\":\"" CLUSTER
               "\"}]}}]}}";
    if (strcmp(name, "DescribeCluster") == 0)
        return "{\"name\":\"" CLUSTER "\"}";
    if (strcmp(name, "GetRole") == 0)
        return "{\"roleName\":\"" ROLE_S3 "\"}";
    if (strcmp(name, "GetMetricData") == 0)
        return "{\"metricDataQueries\":[{\"id\":\"cpu\",\"metricStat\":{\"metric\":{"
               "\"namespace\":\"ContainerInsights\",\"metricName\":\"node_cpu_utilization\","
               "\"dimensions\":[{\"name\":\"ClusterName\",\"value\":\"" CLUSTER "\"}]},"
               "\"period\":300,\"stat\":\"Average\"}}],\"startTime\":\"Oct 14, 2026, 6:00:00 "
               "AM\",\"endTime\":\"Oct 14, 2026, 12:00:00 PM\"}";
    if (strcmp(name, "FilterLogEvents") == 0)
        return "{\"logGroupName\":\"/aws/eks/" CLUSTER "/cluster\",\"filterPattern\":"
               "\"\\\"level\\\":\\\"error\\\"\",\"startTime\":1792051200000}";
    return NULL;
}

static void bg_users(void)
{
    char ident[800], ua[400], akid[21];
    struct ct c = { 0 };
    size_t n_calls = sizeof alice_calls / sizeof alice_calls[0];

    /* alice: IAM user with an access key, aws-cli from the office */
    ident_user(ident, sizeof ident, "alice.martin", "AIDAUDJ4K7M2E5F6G7H8J",
               "AKIAUDJ4K7M2N3X5B7QZ", 0);
    EVERY(t, at(8, 40, 0), at(17, 50, 0), 900) {
        int burst = (int)rng_range(3, 8);

        for (int i = 0; i < burst; i++) {
            size_t k = rng_n(n_calls);
            int64_t ti = t + i * rng_range(1, 25);

            snprintf(ua, sizeof ua, UA_ALICE "%s", alice_calls[k][2]);
            if (rng_n(40) == 0)
                ct_call(ti, ident, alice_calls[k][0], alice_calls[k][1], "192.0.2.10", ua,
                        alice_req(alice_calls[k][1]), NULL, 1,
                        strcmp(alice_calls[k][0], "ec2.amazonaws.com") == 0
                            ? "Client.UnauthorizedOperation" : "AccessDenied",
                        "You are not authorized to perform this operation.");
            else
                ct_call(ti, ident, alice_calls[k][0], alice_calls[k][1], "192.0.2.10", ua,
                        alice_req(alice_calls[k][1]), NULL, 1, NULL, NULL);
        }
    }
    /* bob: console sign-in, then console reads */
    for (int session = 0; session < 2; session++) {
        int64_t t0 = session ? at(15, 2, 41) : at(10, 12, 7);

        tmpkey(akid);
        ident_user(ident, sizeof ident, "bob.chen", "AIDAUDJ4K7M2C9V4M6TY", "", 0);
        memset(&c, 0, sizeof c);
        c.t = t0;
        c.ident = ident;
        c.src = "signin.amazonaws.com";
        c.name = "ConsoleLogin";
        c.ip = "192.0.2.11";
        c.ua = UA_CHROME;
        c.resp = "{\"ConsoleLogin\":\"Success\"}";
        c.aed = "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%23&"
                "isauthcode=true&state=hashArgsFromTB_us-east-1_4c1f0e2b7a9d3e58\","
                "\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::" ACCT
                ":mfa/bob.chen-phone\",\"MFAUsed\":\"Yes\"}";
        c.etype = "AwsConsoleSignIn";
        c.no_reqid = 1;
        c.host = "signin.aws.amazon.com";
        c.note = -1;
        ct_emit(&c);
        ident_user(ident, sizeof ident, "bob.chen", "AIDAUDJ4K7M2C9V4M6TY", akid, t0);
        EVERY(t, t0 + 20, t0 + 3600, 150) {
            static const char *const calls[][2] = {
                { "ec2.amazonaws.com", "DescribeInstances" },
                { "ec2.amazonaws.com", "DescribeInstanceStatus" },
                { "eks.amazonaws.com", "ListNodegroups" },
                { "s3.amazonaws.com", "ListBuckets" },
                { "monitoring.amazonaws.com", "DescribeAlarms" },
                { "ce.amazonaws.com", "GetCostAndUsage" },
            };
            size_t k = rng_n(6);

            if (k == 3) {
                ct_s3(t, ident, "ListBuckets", NULL, NULL, "192.0.2.11", "AWS Internal", 0, NULL,
                      0, -1);
                continue;
            }
            memset(&c, 0, sizeof c);
            c.t = t;
            c.ident = ident;
            c.src = calls[k][0];
            c.name = calls[k][1];
            c.ip = "192.0.2.11";
            c.ua = rng_n(2) ? "AWS Internal" : UA_CHROME;
            c.req = k == 2 ? "{\"clusterName\":\"" CLUSTER "\"}" : NULL;
            c.ro = 1;
            c.extra = "\"sessionCredentialFromConsole\":\"true\"";
            c.host = k == 5 ? "ce.us-east-1.amazonaws.com" : "console.aws.amazon.com";
            c.note = -1;
            ct_emit(&c);
        }
    }
}

/* Two deployments from GitHub Actions: STS, ECR push, EKS, then the rollout in Kubernetes. */
static void bg_ci(void)
{
    static const int64_t when[2][3] = { { 9, 41, 7 }, { 16, 12, 40 } };

    for (int d = 0; d < 2; d++) {
        int64_t t = at((int)when[d][0], (int)when[d][1], (int)when[d][2]);
        const char *ip = d ? "198.51.100.147" : "198.51.100.142";
        char ident[1400], session[32], req[400], obj[300], obj_rr[300], uri[300], body[700];
        char name[64];
        char digest[65];
        struct sess s;
        struct kreq k;
        struct conv v;

        snprintf(session, sizeof session, "GitHubActions");
        ct_web_identity(t, ROLE_CI, ROLEID_CI, GH_ARN, GH_SUB, &s, session, ip, UA_GHA, -1);
        ident_role(ident, sizeof ident, ROLE_CI, ROLEID_CI, &s, GH_ARN, NULL, NULL);
        ct_call(t + 3, ident, "ecr.amazonaws.com", "GetAuthorizationToken", ip,
                "aws-cli/2.18.0 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1014-azure "
                "md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHubActions "
                "cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off "
                "md/command#ecr.get-login-password",
                "{\"registryIds\":[\"" ACCT "\"]}", NULL, 1, NULL, NULL);
        rng_chars(digest, 64, RNG_HEX);
        snprintf(req, sizeof req,
                 "{\"repositoryName\":\"blog/newsletter\",\"registryId\":\"" ACCT "\","
                 "\"layerDigests\":[\"sha256:%s\"]}", digest);
        ct_call(t + 9, ident, "ecr.amazonaws.com", "BatchCheckLayerAvailability", ip, UA_DOCKER,
                req, NULL, 1, NULL, NULL);
        for (int i = 0; i < 3; i++)
            ct_call(t + 10 + i * 4, ident, "ecr.amazonaws.com",
                    i == 0 ? "InitiateLayerUpload" : i == 1 ? "UploadLayerPart"
                                                            : "CompleteLayerUpload",
                    ip, UA_DOCKER,
                    "{\"repositoryName\":\"blog/newsletter\",\"registryId\":\"" ACCT "\"}",
                    NULL, 0, NULL, NULL);
        snprintf(req, sizeof req,
                 "{\"repositoryName\":\"blog/newsletter\",\"registryId\":\"" ACCT "\","
                 "\"imageTag\":\"%s\"}", d ? "v2.14.1" : "v2.14.0");
        ct_call(t + 24, ident, "ecr.amazonaws.com", "PutImage", ip, UA_DOCKER, req, NULL, 0,
                NULL, NULL);
        ct_call(t + 31, ident, "eks.amazonaws.com", "DescribeCluster", ip,
                "aws-cli/2.18.0 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1014-azure "
                "md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHubActions "
                "md/command#eks.update-kubeconfig",
                "{\"name\":\"" CLUSTER "\"}", NULL, 1, NULL, NULL);
        /* the rollout */
        snprintf(u_ci, sizeof u_ci,
                 "{\"username\":\"arn:aws:sts::" ACCT ":assumed-role/" ROLE_CI "/%s\","
                 "\"uid\":\"aws-iam-authenticator:" ACCT ":" ROLEID_CI "\",\"groups\":["
                 "\"deployers\",\"system:authenticated\"],\"extra\":{\"accessKeyId\":[\"%s\"],"
                 "\"arn\":[\"arn:aws:sts::" ACCT ":assumed-role/" ROLE_CI "/%s\"],"
                 "\"canonicalArn\":[\"arn:aws:iam::" ACCT ":role/" ROLE_CI "\"],"
                 "\"principalId\":[\"" ROLEID_CI "\"],\"sessionName\":[\"%s\"]}}",
                 s.name, s.akid, s.name, s.name);
        KREQ_INIT(k);
        k.t = (t + 36) * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 21000 + (int64_t)rng_n(9000);
        k.level = "Request";
        k.verb = "patch";
        k.uri = "/apis/apps/v1/namespaces/blog/deployments/newsletter?fieldManager=kubectl-set";
        k.user = u_ci;
        k.ip = ip;
        k.ua = "kubectl/v1.31.1 (linux/amd64) kubernetes/948afe5";
        k.obj = objref(obj, sizeof obj, "deployments", "blog", "newsletter", "apps", NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "EKS Access Policy: allowed by ClusterRoleBinding \"arn:aws:iam::" ACCT
                   ":role/" ROLE_CI "+arn:aws:eks::aws:cluster-access-policy/"
                   "AmazonEKSEditPolicy\" of ClusterRole \"arn:aws:eks::aws:"
                   "cluster-access-policy/AmazonEKSEditPolicy\" to User \"arn:aws:sts::" ACCT
                   ":assumed-role/" ROLE_CI "/GitHubActions\"";
        snprintf(body, sizeof body,
                 "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"newsletter\","
                 "\"image\":\"" ACCT ".dkr.ecr.us-east-1.amazonaws.com/blog/newsletter:%s\"}]}}}}",
                 d ? "v2.14.1" : "v2.14.0");
        k.reqobj = body;
        k.note = -1;
        k8s_emit(&k);
        /* replicaset controller, scheduler, kubelet */
        KREQ_INIT(k);
        k.t = (t + 37) * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 11000 + (int64_t)rng_n(5000);
        k.level = "Request";
        k.verb = "create";
        k.uri = "/api/v1/namespaces/blog/pods";
        k.user = u_rs;
        k.ip = cp_ips[d];
        k.ua = "kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/a737599/"
               "system:serviceaccount:kube-system:replicaset-controller";
        /* one draw per statement: argument evaluation order is unspecified */
        memcpy(name, "newsletter-5f8b9c7d6-", 21);
        rng_chars(name + 21, 5, "bcdfghjklmnpqrstvwxz2456789");
        k.obj = objref(obj, sizeof obj, "pods", "blog", name, NULL, NULL);
        k.obj_rr = objref(obj_rr, sizeof obj_rr, "pods", "blog", NULL, NULL, NULL);
        k.code = 201;
        k.decision = "allow";
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:controller:replicaset-"
                   "controller\" of ClusterRole \"system:controller:replicaset-controller\" to "
                   "ServiceAccount \"replicaset-controller/kube-system\"";
        k.more_ann = "\"pod-security.kubernetes.io/enforce-policy\":\"baseline:latest\"";
        k.note = -1;
        k8s_emit(&k);
        k.t += 40000 + (int64_t)rng_n(20000);
        k.dur = 3000 + (int64_t)rng_n(3000);
        k.user = u_sched;
        k.ua = "kube-scheduler/v1.30.4 (linux/amd64) kubernetes/a737599/scheduler";
        snprintf(uri, sizeof uri, "/api/v1/namespaces/blog/pods/%s/binding", name);
        k.uri = uri;
        k.level = "Metadata";
        k.more_ann = NULL;
        k.obj_rr = NULL;
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of "
                   "ClusterRole \"system:kube-scheduler\" to User \"system:kube-scheduler\"";
        k.obj = objref(obj, sizeof obj, "pods", "blog", name, NULL, "binding");
        k8s_emit(&k);
        /* image pull from ECR through the NAT gateway */
        CONV_INIT(v);
        v.t = t + 39;
        v.dur = 14;
        v.c = nodes[2].ip;
        v.cport = eport();
        v.s = "52.46.135.18";
        v.sport = 443;
        v.proto = 6;
        v.up = 21000;
        v.down = 48000000 + rng_n(3000000);
        v.ssvc = "AMAZON";
        v.note = -1;
        flow(&v);
    }
}

/* The data-fetcher app: Boto3 with IRSA, reading client records all day. */
static void bg_fetcher(void)
{
    struct sess s;
    char ident[1400], key[128], sess_name[64];
    int64_t refresh = g_day + 95 + (int64_t)rng_n(600);
    int64_t t = g_day + 30;
    int have = 0;
    struct conv v;

    while (t < g_day + 86400) {
        if (!have || t >= refresh) {
            snprintf(sess_name, sizeof sess_name, "botocore-session-%lld", (long long)t - 3);
            ct_web_identity(t, ROLE_S3, ROLEID_S3, OIDC_ARN, FETCHER_SA, &s, sess_name, NAT_EIP,
                            UA_BOTO, -1);
            ident_role(ident, sizeof ident, ROLE_S3, ROLEID_S3, &s, OIDC_ARN, NULL, NULL);
            refresh = t + 2700 + (int64_t)rng_n(300);
            have = 1;
            CONV_INIT(v);
            v.t = t - 1;
            v.dur = 1;
            v.c = pods[P_FETCH].ip;
            v.cport = eport();
            v.s = "209.54.180.124";
            v.sport = 443;
            v.proto = 6;
            v.up = 2300;
            v.down = 5600;
            v.ssvc = "AMAZON";
            v.note = -1;
            flow(&v);
        }
        {
            struct tf_ymd a = tf_split(t);
            uint64_t size = 18000 + rng_n(240000);
            int hour = (int)a.h;

            if (hour >= 6 && hour < 22) {
                if (rng_n(8) == 0)
                    ct_s3(t, ident, "ListObjects", NULL,
                          "\"list-type\":\"2\",\"prefix\":\"incoming/\",", NAT_EIP, UA_BOTO,
                          1200 + rng_n(3000), NULL, 1, -1);
                snprintf(key, sizeof key, "incoming/batch-%04d%02u%02u-%02u%02u.json", a.y, a.mo,
                         a.d, a.h, a.mi / 5 * 5);
                ct_s3(t + 1, ident, "GetObject", key, NULL, NAT_EIP, UA_BOTO, size, NULL, 1, -1);
                ct_kms_for_s3(t + 1, ROLE_S3, ROLEID_S3, &s, key, -1);
                CONV_INIT(v);
                v.t = t;
                v.dur = 1 + (int64_t)rng_n(2);
                v.c = pods[P_FETCH].ip;
                v.cport = eport();
                v.s = rng_n(2) ? "52.216.177.90" : "52.217.96.14";
                v.sport = 443;
                v.proto = 6;
                v.up = 1800 + rng_n(400);
                v.down = size;
                v.ssvc = "S3";
                v.note = -1;
                flow(&v);
            }
        }
        t += (int64_t)(300 / g_scale * (0.7 + 0.6 * rng_f())) + 1;
    }
}

/* Nodes: instance-profile sessions, the VPC CNI, the EKS service role. */
static void bg_nodes(void)
{
    struct sess s;
    char ident[1400];

    for (int i = 0; i < 3; i++) {
        for (int slot = 0; slot < 4; slot++) {
            int64_t t = g_day + slot * 6 * 3600 - 300 + (int64_t)rng_n(200);

            ct_service_assume(t < g_day ? g_day + 7 : t, "ec2.amazonaws.com", ROLE_NODE,
                              nodes[i].inst, &s);
            memcpy(node_keys[i][slot], s.akid, sizeof s.akid);
            ident_role(ident, sizeof ident, ROLE_NODE, ROLEID_NODE, &s, NULL, "2.0", NULL);
            EVERY(tt, s.created + 60, s.created + 6 * 3600, 3600) {
                char req[200];

                snprintf(req, sizeof req,
                         "{\"networkInterfaceIdSet\":{},\"filterSet\":{\"items\":[{\"name\":"
                         "\"attachment.instance-id\",\"valueSet\":{\"items\":[{\"value\":"
                         "\"%s\"}]}}]}}", nodes[i].inst);
                ct_call(tt, ident, "ec2.amazonaws.com", "DescribeNetworkInterfaces",
                        nodes[i].ip, UA_CNI, req, NULL, 1, NULL, NULL);
            }
            ct_call(s.created + 40, ident, "ecr.amazonaws.com", "GetAuthorizationToken", NAT_EIP,
                    "aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22.6 md/GOOS#linux "
                    "md/GOARCH#amd64 api/ecr#1.32.2 ecr-credential-provider",
                    NULL, NULL, 1, NULL, NULL);
        }
    }
    for (int h = 0; h < 24; h++) {
        int64_t t = at(h, 7, 0) + (int64_t)rng_n(300);

        ct_service_assume(t, "eks.amazonaws.com", ROLE_CLUSTER, "AmazonEKS", &s);
        ident_role(ident, sizeof ident, ROLE_CLUSTER, ROLEID_CLUSTER, &s, NULL, NULL,
                   "eks.amazonaws.com");
        EVERY(tt, t + 30, t + 3600, 1200)
            ct_call(tt, ident, "ec2.amazonaws.com",
                    rng_n(2) ? "DescribeNetworkInterfaces" : "DescribeSubnets", "eks.amazonaws.com",
                    "eks.amazonaws.com", NULL, NULL, 1, NULL, NULL);
    }
}

static void bg_k8s(void)
{
    struct kreq k;
    char obj[300], uri[400];
    static const char *const probe_uri[] = { "/readyz", "/livez" };

    for (int c = 0; c < 2; c++) {
        EVERY(t, g_day, g_day + 86400, 900) {
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = 800 + (int64_t)rng_n(2500);
            k.level = "Metadata";
            k.verb = "get";
            k.uri = probe_uri[rng_n(2)];
            k.user = u_anon;
            k.ip = cp_ips[c];
            k.ua = "kube-probe/1.30+";
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of "
                       "ClusterRole \"system:public-info-viewer\" to Group "
                       "\"system:unauthenticated\"";
            k.note = -1;
            k8s_emit(&k);
        }
    }
    for (int i = 0; i < 3; i++) {
        EVERY(t, g_day, g_day + 86400, 1800) {
            node_user(u_node[i], sizeof u_node[i], i, node_key(i, t));
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = 4000 + (int64_t)rng_n(9000);
            k.level = "Metadata";
            k.verb = "patch";
            snprintf(uri, sizeof uri, "/api/v1/nodes/%s/status?timeout=10s", nodes[i].name);
            k.uri = uri;
            k.user = u_node[i];
            k.ip = nodes[i].ip;
            k.ua = UA_KUBELET;
            k.obj = objref(obj, sizeof obj, "nodes", NULL, nodes[i].name, NULL, "status");
            k.code = 200;
            k.decision = "allow";
            k.reason = "";
            k.note = -1;
            k8s_emit(&k);
        }
        EVERY(t, g_day, g_day + 86400, 2400) {
            int64_t to = rng_range(300, 600);

            node_user(u_node[i], sizeof u_node[i], i, node_key(i, t));
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = to * 1000000 + (int64_t)rng_n(30000);
            k.level = "Metadata";
            k.verb = "watch";
            snprintf(uri, sizeof uri,
                     "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%%3D%s"
                     "&resourceVersion=%lld&timeoutSeconds=%lld&watch=true",
                     nodes[i].name, (long long)(4410000 + (t - g_day) / 7), (long long)to);
            k.uri = uri;
            k.user = u_node[i];
            k.ip = nodes[i].ip;
            k.ua = UA_KUBELET;
            k.obj = objref(obj, sizeof obj, "pods", NULL, NULL, NULL, NULL);
            k.code = 200;
            k.decision = "allow";
            k.reason = "";
            k.watch = 1;
            k.note = -1;
            k8s_emit(&k);
        }
        EVERY(t, g_day, g_day + 86400, 3600) {
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = 3000 + (int64_t)rng_n(5000);
            k.level = "Metadata";
            k.verb = "get";
            snprintf(uri, sizeof uri, "/api/v1/nodes/%s", nodes[i].name);
            k.uri = uri;
            k.user = u_sa_cni[i];
            k.ip = nodes[i].ip;
            k.ua = "aws-node/v1.18.3 (linux/amd64) kubernetes/$Format";
            k.obj = objref(obj, sizeof obj, "nodes", NULL, nodes[i].name, NULL, NULL);
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"aws-node\" of ClusterRole "
                       "\"aws-node\" to ServiceAccount \"aws-node/kube-system\"";
            k.note = -1;
            k8s_emit(&k);
        }
        EVERY(t, g_day, g_day + 86400, 3600) {
            int64_t to = rng_range(300, 600);

            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = to * 1000000 + (int64_t)rng_n(30000);
            k.level = "Metadata";
            k.verb = "watch";
            snprintf(uri, sizeof uri,
                     "/apis/discovery.k8s.io/v1/endpointslices?allowWatchBookmarks=true&"
                     "labelSelector=%%21service.kubernetes.io%%2Fheadless%%2C%%21service."
                     "kubernetes.io%%2Fservice-proxy-name&resourceVersion=%lld&"
                     "timeout=%lldm%llds&timeoutSeconds=%lld&watch=true",
                     (long long)(4410000 + (t - g_day) / 7), (long long)to / 60,
                     (long long)to % 60, (long long)to);
            k.uri = uri;
            k.user = u_sa_proxy[i];
            k.ip = nodes[i].ip;
            k.ua = "kube-proxy/v1.30.4 (linux/amd64) kubernetes/a737599";
            snprintf(obj, sizeof obj, "{\"resource\":\"endpointslices\",\"apiGroup\":"
                     "\"discovery.k8s.io\",\"apiVersion\":\"v1\"}");
            k.obj = obj;
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"eks:kube-proxy\" of ClusterRole "
                       "\"system:node-proxier\" to ServiceAccount \"kube-proxy/kube-system\"";
            k.watch = 1;
            k.note = -1;
            k8s_emit(&k);
        }
    }
    for (int c = 0; c < 2; c++) {
        EVERY(t, g_day, g_day + 86400, 3600) {
            int64_t to = rng_range(300, 600);

            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = to * 1000000 + (int64_t)rng_n(30000);
            k.level = "Metadata";
            k.verb = "watch";
            snprintf(uri, sizeof uri,
                     "/api/v1/services?allowWatchBookmarks=true&resourceVersion=%lld&"
                     "timeout=%lldm%llds&timeoutSeconds=%lld&watch=true",
                     (long long)(4410000 + (t - g_day) / 7), (long long)to / 60,
                     (long long)to % 60, (long long)to);
            k.uri = uri;
            k.user = u_sa_dns[c];
            k.ip = c ? pods[P_DNS2].ip : pods[P_DNS1].ip;
            k.ua = "coredns/v1.11.3 (linux/amd64) kubernetes/$Format";
            k.obj = objref(obj, sizeof obj, "services", NULL, NULL, NULL, NULL);
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"system:coredns\" of ClusterRole "
                       "\"system:coredns\" to ServiceAccount \"coredns/kube-system\"";
            k.watch = 1;
            k.note = -1;
            k8s_emit(&k);
        }
    }
    EVERY(t, g_day, g_day + 86400, 1800) {
        static const char *const res[][3] = {
            { "/api/v1/namespaces?limit=500&resourceVersion=0", "namespaces", NULL },
            { "/apis/apps/v1/replicasets?limit=500&resourceVersion=0", "replicasets", "apps" },
            { "/api/v1/persistentvolumes?limit=500&resourceVersion=0", "persistentvolumes",
              NULL },
            { "/apis/batch/v1/cronjobs?limit=500&resourceVersion=0", "cronjobs", "batch" },
        };
        size_t r = rng_n(4);

        KREQ_INIT(k);
        k.t = t * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 5000 + (int64_t)rng_n(20000);
        k.level = "Metadata";
        k.verb = "list";
        k.uri = res[r][0];
        k.user = u_kcm;
        k.ip = cp_ips[rng_n(2)];
        k.ua = "kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/a737599/"
               "shared-informers";
        k.obj = objref(obj, sizeof obj, res[r][1], NULL, NULL, res[r][2], NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-controller-manager\" of "
                   "ClusterRole \"system:kube-controller-manager\" to User "
                   "\"system:kube-controller-manager\"";
        k.no_rr = rng_n(3) == 0;
        k.note = -1;
        k8s_emit(&k);
    }
    EVERY(t, g_day, g_day + 86400, 3600) {
        int64_t to = rng_range(300, 600);

        KREQ_INIT(k);
        k.t = t * 1000000 + (int64_t)rng_n(1000000);
        k.dur = to * 1000000 + (int64_t)rng_n(30000);
        k.level = "Metadata";
        k.verb = "watch";
        snprintf(uri, sizeof uri,
                 "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=status.phase%%21%%3D"
                 "Succeeded%%2Cstatus.phase%%21%%3DFailed&resourceVersion=%lld&"
                 "timeoutSeconds=%lld&watch=true",
                 (long long)(4410000 + (t - g_day) / 7), (long long)to);
        k.uri = uri;
        k.user = u_sched;
        k.ip = cp_ips[rng_n(2)];
        k.ua = "kube-scheduler/v1.30.4 (linux/amd64) kubernetes/a737599/scheduler";
        k.obj = objref(obj, sizeof obj, "pods", NULL, NULL, NULL, NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of "
                   "ClusterRole \"system:kube-scheduler\" to User \"system:kube-scheduler\"";
        k.watch = 1;
        k.note = -1;
        k8s_emit(&k);
    }
    /* alice with kubectl during office hours */
    EVERY(t, at(9, 5, 0), at(17, 30, 0), 1500) {
        static const char *const q[][5] = {
            { "list", "/api/v1/namespaces/blog/pods?limit=500", "pods", "blog", NULL },
            { "get", "/apis/apps/v1/namespaces/blog/deployments/wordpress", "deployments",
              "blog", "wordpress" },
            { "get", "/api/v1/namespaces/blog/pods/wordpress-7d9f8b6c5d-x4k2p/log?container="
                     "wordpress&tailLines=200", "pods", "blog", "wordpress-7d9f8b6c5d-x4k2p" },
            { "list", "/api/v1/nodes?limit=500", "nodes", NULL, NULL },
            { "list", "/api/v1/namespaces/blog/events?limit=500", "events", "blog", NULL },
        };
        size_t r = rng_n(5);

        KREQ_INIT(k);
        k.t = t * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 6000 + (int64_t)rng_n(40000);
        k.level = "Metadata";
        k.verb = q[r][0];
        k.uri = q[r][1];
        k.user = u_admin;
        k.ip = "192.0.2.10";
        k.ua = "kubectl/v1.31.0 (darwin/arm64) kubernetes/9edcffc";
        k.obj = objref(obj, sizeof obj, q[r][2], q[r][3], q[r][4], r == 1 ? "apps" : NULL,
                       r == 2 ? "log" : NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "EKS Access Policy: allowed by ClusterRoleBinding \"arn:aws:iam::" ACCT
                   ":user/alice.martin+arn:aws:eks::aws:cluster-access-policy/"
                   "AmazonEKSClusterAdminPolicy\" of ClusterRole \"arn:aws:eks::aws:"
                   "cluster-access-policy/AmazonEKSClusterAdminPolicy\" to User "
                   "\"kubernetes-admin\"";
        k.note = -1;
        k8s_emit(&k);
    }
}

static const char *const web_clients[] = {
    "192.0.2.33", "192.0.2.71", "192.0.2.140", "198.51.100.9", "198.51.100.77",
    "198.51.100.201", "203.0.113.14", "203.0.113.150", "203.0.113.201", "192.0.2.212",
};

static void bg_vpc(void)
{
    struct conv v;

    /* readers of the blog */
    EVERY(t, g_day, g_day + 86400, 300) {
        CONV_INIT(v);
        v.t = t;
        v.dur = rng_range(1, 40);
        v.c = web_clients[rng_n(sizeof web_clients / sizeof web_clients[0])];
        v.cport = eport();
        v.s = ALB_IP;
        v.sport = 443;
        v.proto = 6;
        v.up = 900 + rng_n(5000);
        v.down = 12000 + rng_n(220000);
        v.note = -1;
        flow(&v);
        v.c = ALB_IP;
        v.cport = eport();
        v.s = pods[P_WP].ip;
        v.sport = 80;
        flow(&v);
    }
    /* wordpress -> mysql */
    EVERY(t, g_day, g_day + 86400, 900) {
        CONV_INIT(v);
        v.t = t;
        v.dur = rng_range(0, 3);
        v.c = pods[P_WP].ip;
        v.cport = eport();
        v.s = pods[P_MYSQL].ip;
        v.sport = 3306;
        v.proto = 6;
        v.up = 2000 + rng_n(9000);
        v.down = 8000 + rng_n(90000);
        v.note = -1;
        flow(&v);
    }
    /* DNS to CoreDNS (the VPC resolver itself is never logged) */
    EVERY(t, g_day, g_day + 86400, 600) {
        static const int clients[] = { P_WP, P_FETCH, P_MYSQL, P_NEWS };

        CONV_INIT(v);
        v.t = t;
        v.dur = 0;
        v.c = pods[clients[rng_n(4)]].ip;
        v.cport = eport();
        v.s = rng_n(2) ? pods[P_DNS1].ip : pods[P_DNS2].ip;
        v.sport = 53;
        v.proto = 17;
        v.up = 60 + rng_n(40);
        v.down = 120 + rng_n(200);
        v.note = -1;
        flow(&v);
    }
    /* NTP from the system node (chrony pool besides the Amazon Time Sync Service) */
    EVERY(t, g_day, g_day + 86400, 1024) {
        CONV_INIT(v);
        v.t = t;
        v.dur = 0;
        v.c = nodes[2].ip;
        v.cport = 123;
        v.s = rng_n(2) ? "185.125.190.57" : "185.125.190.58";
        v.sport = 123;
        v.proto = 17;
        v.up = 48;
        v.down = 48;
        v.note = -1;
        flow(&v);
    }
    /* kubelets to the EKS API endpoint (cross-account ENIs in the VPC, not monitored) */
    for (int i = 0; i < 3; i++) {
        EVERY(t, g_day, g_day + 86400, 1800) {
            CONV_INIT(v);
            v.t = t;
            v.dur = rng_range(20, 55);
            v.c = nodes[i].ip;
            v.cport = eport();
            v.s = rng_n(2) ? "10.0.1.200" : "10.0.2.200";
            v.sport = 443;
            v.proto = 6;
            v.up = 30000 + rng_n(60000);
            v.down = 60000 + rng_n(300000);
            v.note = -1;
            flow(&v);
        }
        /* package updates (unattended upgrades) through the NAT gateway */
        CONV_INIT(v);
        v.t = at(6, 25, 0) + (int64_t)rng_n(1200);
        v.dur = rng_range(5, 40);
        v.c = nodes[i].ip;
        v.cport = eport();
        v.s = rng_n(2) ? "91.189.91.83" : "185.125.190.36";
        v.sport = 80;
        v.proto = 6;
        v.up = 9000 + rng_n(4000);
        v.down = 2000000 + rng_n(9000000);
        v.note = -1;
        flow(&v);
    }
    /* internet noise rejected at the load balancer's security group */
    EVERY(t, g_day, g_day + 86400, 2400) {
        static const int ports[] = { 22, 23, 3389, 8080, 6443, 445 };

        CONV_INIT(v);
        v.t = t;
        v.dur = rng_range(0, 3);
        v.c = rng_n(2) ? "198.51.100.231" : "192.0.2.250";
        v.cport = eport();
        v.s = ALB_IP;
        v.sport = ports[rng_n(6)];
        v.proto = 6;
        v.reject = 1;
        v.note = -1;
        flow(&v);
    }
    /* an idle secondary ENI: NODATA windows */
    EVERY(t, g_day, g_day + 86400, 600)
        vf_nodata(E_IDLE, t, t + 60);
}

/* ---- output --------------------------------------------------------------------------- */

static size_t ct_files, vpc_files;

struct ct_file {
    char rel[300];
    char hash[65];
    int64_t delivered, oldest, newest;
};

static void write_cloudtrail(void)
{
    struct ct_file *files = NULL;
    size_t n_files = 0, cap = 0;
    int64_t jitter[300];

    qsort(g_ct.v, g_ct.n, sizeof *g_ct.v, rec_cmp);
    for (int i = 0; i < 300; i++)
        jitter[i] = 40 + (int64_t)rng_n(200);
    for (size_t i = 0; i < g_ct.n; i++) {
        int64_t w = g_ct.v[i].key / 1000000 / 300;

        if (g_ct.v[i].note < 0 && rng_n(33) == 0)
            w++; /* a late delivery: the record lands in the next file */
        g_ct.v[i].aux = w;
    }
    qsort(g_ct.v, g_ct.n, sizeof *g_ct.v, rec_cmp_aux);
    for (size_t i = 0; i < g_ct.n;) {
        size_t j = i;
        int64_t w = g_ct.v[i].aux, dt = (w + 1) * 300 + jitter[w % 300], lo, hi;
        struct sb b = { 0 };
        char stamp[24], dir[16], uniq[17];
        struct ct_file *f;

        while (j < g_ct.n && g_ct.v[j].aux == w)
            j++;
        for (size_t k = j - 1; k > i; k--) { /* records are not sorted inside a file */
            size_t r = i + rng_n(k - i + 1);
            struct rec tmp = g_ct.v[k];

            g_ct.v[k] = g_ct.v[r];
            g_ct.v[r] = tmp;
        }
        rng_chars(uniq, 16, RNG_ALNUM);
        if (n_files == cap) {
            cap = cap ? cap * 2 : 64;
            files = xrealloc(files, cap * sizeof *files);
        }
        f = &files[n_files++];
        snprintf(f->rel, sizeof f->rel,
                 "AWSLogs/" ACCT "/CloudTrail/" REGION "/%s/" ACCT "_CloudTrail_" REGION
                 "_%s_%s.json.gz", tf_date_dir(dir, dt), tf_stamp_min(stamp, dt), uniq);
        sb_s(&b, "{\"Records\":[");
        lo = INT64_MAX;
        hi = INT64_MIN;
        for (size_t k = i; k < j; k++) {
            int64_t t = g_ct.v[k].key / 1000000;

            if (k > i)
                sb_s(&b, ",");
            sb_add(&b, g_ct.v[k].s, g_ct.v[k].n);
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
            if (g_ct.v[k].note >= 0)
                snprintf(notes[g_ct.v[k].note].where, sizeof notes[0].where, "%s", f->rel);
        }
        sb_s(&b, "]}");
        sha256_hex(b.p, b.n, f->hash);
        f->delivered = dt;
        f->oldest = lo;
        f->newest = hi;
        gz_file(f->rel, b.p, b.n);
        free(b.p);
        i = j;
    }
    ct_files = n_files;
    /* One hourly digest: the hour of the attack. The signature is a placeholder (the real
     * one is made with the trail's private key and kept in the S3 object metadata). */
    {
        struct sb b = { 0 };
        int64_t start = at(13, 0, 0), end = at(14, 0, 0), lo = INT64_MAX, hi = INT64_MIN;
        char t1[32], t2[32], stamp[24], dir[16], rel[300], prev[300], h[65], sig[513];
        int first = 1;

        for (size_t i = 0; i < n_files; i++)
            if (files[i].delivered >= start && files[i].delivered < end) {
                lo = files[i].oldest < lo ? files[i].oldest : lo;
                hi = files[i].newest > hi ? files[i].newest : hi;
            }
        snprintf(prev, sizeof prev,
                 "AWSLogs/" ACCT "/CloudTrail-Digest/" REGION "/%s/" ACCT "_CloudTrail-Digest_"
                 REGION "_" TRAIL "_" REGION "_%s.json.gz",
                 tf_date_dir(dir, start), tf_stamp_sec(stamp, start + 12));
        snprintf(rel, sizeof rel,
                 "AWSLogs/" ACCT "/CloudTrail-Digest/" REGION "/%s/" ACCT "_CloudTrail-Digest_"
                 REGION "_" TRAIL "_" REGION "_%s.json.gz",
                 tf_date_dir(dir, end), tf_stamp_sec(stamp, end + 12));
        rng_chars(h, 64, RNG_HEX);
        rng_chars(sig, 512, RNG_HEX);
        sb_f(&b, "{\"awsAccountId\":\"" ACCT "\",\"digestStartTime\":\"%s\","
                 "\"digestEndTime\":\"%s\",\"digestS3Bucket\":\"" TRAIL_BUCKET "\","
                 "\"digestS3Object\":\"%s\",\"digestPublicKeyFingerprint\":"
                 "\"9f3c1a7e5b2d4c8f0a6e1b3d5f7a9c2e\",\"digestSignatureAlgorithm\":"
                 "\"SHA256withRSA\",",
             tf_iso_s(t1, start), tf_iso_s(t2, end), rel);
        sb_f(&b, "\"newestEventTime\":\"%s\",\"oldestEventTime\":\"%s\","
                 "\"previousDigestS3Bucket\":\"" TRAIL_BUCKET "\",\"previousDigestS3Object\":"
                 "\"%s\",\"previousDigestHashValue\":\"%s\",\"previousDigestHashAlgorithm\":"
                 "\"SHA-256\",\"previousDigestSignature\":\"%s\",\"logFiles\":[",
             tf_iso_s(t1, hi), tf_iso_s(t2, lo), prev, h, sig);
        for (size_t i = 0; i < n_files; i++) {
            if (files[i].delivered < start || files[i].delivered >= end)
                continue;
            sb_f(&b, "%s{\"s3Bucket\":\"" TRAIL_BUCKET "\",\"s3Object\":\"%s\","
                     "\"hashValue\":\"%s\",\"hashAlgorithm\":\"SHA-256\","
                     "\"newestEventTime\":\"%s\",\"oldestEventTime\":\"%s\"}",
                 first ? "" : ",", files[i].rel, files[i].hash, tf_iso_s(t1, files[i].newest),
                 tf_iso_s(t2, files[i].oldest));
            first = 0;
        }
        sb_s(&b, "]}");
        gz_file(rel, b.p, b.n);
        free(b.p);
    }
    free(files);
}

static int64_t k8s_rotated_at;
static size_t k8s_lines[2];

static void write_k8s(void)
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

#define VPC_HEADER "version account-id interface-id srcaddr dstaddr srcport dstport protocol " \
    "packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type "   \
    "pkt-srcaddr pkt-dstaddr region az-id pkt-src-aws-service pkt-dst-aws-service "          \
    "flow-direction traffic-path"

static void write_vpc(void)
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

static int note_cmp(const void *a, const void *b)
{
    const struct note *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->step - y->step;
}

static void write_notes(void)
{
    struct sb b = { 0 };
    char ts[32];

    qsort(notes, (size_t)n_notes, sizeof notes[0], note_cmp);
    sb_s(&b, "# Attack steps of the WordPress-on-Kubernetes-to-S3 story, in time order (UTC).\n"
             "# step  time  plane: what\n#     where (file relative to this folder; line in\n"
             "#     the decompressed file) and the record's id when it has one.\n"
             "# Steps marked 'not generated' belong to planes this generator does not write"
             " yet.\n\n");
    for (int i = 0; i < n_notes; i++) {
        sb_f(&b, "%d  %s  %s: %s\n", notes[i].step, tf_iso_s(ts, notes[i].t), notes[i].plane,
             notes[i].what);
        if (notes[i].where[0])
            sb_f(&b, "    %s%s%s\n", notes[i].where, notes[i].id[0] ? "  " : "", notes[i].id);
    }
    out_file("attack-notes.txt", b.p, b.n);
    free(b.p);
}

static void write_readme(void)
{
    struct sb b = { 0 };
    char t1[40];

    sb_f(&b,
         "Evidence of the \"WordPress on Kubernetes to S3 theft\" story, cloud planes only.\n"
         "Generated by examples/gen/wordpress.c (seed %llu, scale %g): synthetic, deterministic,\n"
         "one day (%04d-%02d-%02d UTC) of benign activity with the attack woven in.\n"
         "attack-notes.txt lists each attack step with its time and the record that shows it.\n"
         "\n",
         (unsigned long long)g_seed, g_scale, DAY_Y, DAY_M, DAY_D);
    sb_f(&b,
         "AWSLogs/" ACCT "/CloudTrail/" REGION "/YYYY/MM/DD/*.json.gz\n"
         "    AWS CloudTrail as a trail delivers it to S3: %zu gzip files {\"Records\":[...]},\n"
         "    one per ~5 minutes, records not sorted inside a file, a few delivered late in\n"
         "    the next file; management events and S3 data events (GetObject, ListObjects).\n"
         "    %zu records.\n"
         "AWSLogs/" ACCT "/CloudTrail-Digest/" REGION "/...json.gz\n"
         "    One hourly digest (13:00-14:00): SHA-256 of each listed log file's uncompressed\n"
         "    content is real; the signature and previous-digest fields are placeholders.\n",
         ct_files, g_ct.n);
    sb_f(&b,
         "k8s/kube-apiserver-audit.log and k8s/kube-apiserver-audit-<time>.log.gz\n"
         "    EKS kube-apiserver audit log (audit.k8s.io/v1 Event JSON lines), rotated at %s:\n"
         "    %zu lines in the gzip'd older file, %zu in the current one. RequestReceived,\n"
         "    ResponseStarted (watches) and ResponseComplete stages; Metadata and Request\n"
         "    levels. The audit policy omits lease renewals and events.\n",
         tf_iso_us(t1, k8s_rotated_at), k8s_lines[0], k8s_lines[1]);
    sb_f(&b,
         "AWSLogs/" ACCT "/vpcflowlogs/" REGION "/YYYY/MM/DD/*.log.gz\n"
         "    VPC flow logs (flow log " FLOW_LOG_ID "), %zu gzip files of ~5 minutes, each with\n"
         "    the header line; custom v5 format, 60-second aggregation; %zu records including\n"
         "    NODATA and REJECT ones. Fields:\n    " VPC_HEADER "\n\n",
         vpc_files, g_vpc.n);
    sb_s(&b,
         "The world\n"
         "    account " ACCT ", region " REGION ", EKS cluster " CLUSTER " in " VPC_ID ".\n"
         "    nodes (private subnets, external SNAT: pod IPs show as pkt-srcaddr/pkt-dstaddr):\n");
    for (int i = 0; i < 3; i++)
        sb_f(&b, "      %s  %s  %s  %s\n", nodes[i].name, nodes[i].ip, nodes[i].inst,
             nodes[i].eni);
    sb_s(&b, "    pods:\n");
    for (int i = 0; i < N_PODS; i++)
        sb_f(&b, "      %s/%s  %s  on %s\n", pods[i].ns, pods[i].name, pods[i].ip,
             nodes[pods[i].node].name);
    sb_s(&b,
         "    load balancer ENI " ALB_IP " (eni-0f1e2d3c4b5a69788); NAT gateway " NAT_IP
         " / public " NAT_EIP "\n"
         "    (no S3 gateway endpoint: S3 and STS calls from pods come from " NAT_EIP ").\n"
         "    service account blog/data-fetcher is annotated eks.amazonaws.com/role-arn:\n"
         "      arn:aws:iam::" ACCT ":role/" ROLE_S3 " (IRSA; the app uses Boto3).\n"
         "    bucket " BUCKET " (SSE-KMS), CI role " ROLE_CI " (GitHub Actions OIDC),\n"
         "    IAM users alice.martin (aws-cli, kubectl as kubernetes-admin) and bob.chen"
         " (console).\n"
         "    attacker " ATTACKER ".\n");
    out_file("README.txt", b.p, b.n);
    free(b.p);
}

static void usage(void)
{
    fputs("usage: wordpress OUTDIR [--scale N] [--seed S]\n"
          "  Writes the cloud-plane evidence of the WordPress-on-Kubernetes-to-S3 story\n"
          "  (CloudTrail, Kubernetes audit, VPC flow logs) into OUTDIR. --scale multiplies\n"
          "  the benign background (default 1: a few thousand records, under 5 MB).\n"
          "  Files left in OUTDIR by a run with other arguments are not removed.\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    char *end;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            g_scale = strtod(argv[++i], &end);
            if (*end || !(g_scale > 0.0 && g_scale <= 1000.0))
                die("--scale wants a number in (0, 1000], not '%s'", argv[i]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            errno = 0;
            g_seed = strtoull(argv[++i], &end, 0);
            if (*end || errno)
                die("--seed wants an integer, not '%s'", argv[i]);
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
        } else if (argv[i][0] == '-' || g_out) {
            usage();
        } else {
            g_out = argv[i];
        }
    }
    if (!g_out)
        usage();
    out_init("wordpress", g_out);
    g_day = tf_days(DAY_Y, DAY_M, DAY_D) * 86400;
    rng_seed(g_seed);

    /* identities that do not depend on the background */
    snprintf(u_anon, sizeof u_anon,
             "{\"username\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]}");
    snprintf(u_kcm, sizeof u_kcm, "{\"username\":\"system:kube-controller-manager\","
             "\"groups\":[\"system:authenticated\"]}");
    snprintf(u_sched, sizeof u_sched, "{\"username\":\"system:kube-scheduler\","
             "\"groups\":[\"system:authenticated\"]}");
    snprintf(u_rs, sizeof u_rs,
             "{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\","
             "\"uid\":\"0d6c2f9a-7e14-4b3c-a5d8-6f2e9b1c7a40\",\"groups\":["
             "\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\","
             "\"system:authenticated\"]}");
    snprintf(u_admin, sizeof u_admin,
             "{\"username\":\"kubernetes-admin\",\"uid\":\"aws-iam-authenticator:" ACCT
             ":AIDAUDJ4K7M2E5F6G7H8J\",\"groups\":[\"system:authenticated\"],\"extra\":{"
             "\"accessKeyId\":[\"AKIAUDJ4K7M2N3X5B7QZ\"],\"arn\":[\"arn:aws:iam::" ACCT
             ":user/alice.martin\"],\"canonicalArn\":[\"arn:aws:iam::" ACCT
             ":user/alice.martin\"],\"principalId\":[\"AIDAUDJ4K7M2E5F6G7H8J\"],"
             "\"sessionName\":[\"\"],\"sigs.k8s.io/aws-iam-authenticator/principalId\":["
             "\"AIDAUDJ4K7M2E5F6G7H8J\"]}}");
    sa_user(u_sa_dns[0], sizeof u_sa_dns[0], "kube-system", "coredns", &pods[P_DNS1]);
    sa_user(u_sa_dns[1], sizeof u_sa_dns[1], "kube-system", "coredns", &pods[P_DNS2]);
    for (int i = 0; i < 3; i++) {
        static const char *const proxy[3] = { "kube-proxy-7xk2d", "kube-proxy-q9v4m",
                                              "kube-proxy-z6h8p" };
        static const char *const cni[3] = { "aws-node-4rw9j", "aws-node-k2p7x",
                                            "aws-node-t8m3c" };
        struct pod p = { "kube-system", proxy[i], nodes[i].ip,
                         "6e8a0c2e-4b6d-4f8a-9c1e-3d5f7b9d1f2a", i };

        sa_user(u_sa_proxy[i], sizeof u_sa_proxy[i], "kube-system", "kube-proxy", &p);
        p.name = cni[i];
        sa_user(u_sa_cni[i], sizeof u_sa_cni[i], "kube-system", "aws-node", &p);
    }

    /* node sessions first (the attack uses the node's key), then the attack, then the rest */
    bg_nodes();
    attack();
    bg_users();
    bg_ci();
    bg_fetcher();
    bg_k8s();
    bg_vpc();

    write_cloudtrail();
    write_k8s();
    write_vpc();
    write_notes();
    write_readme();
    printf("wordpress: %zu CloudTrail records in %zu files, %zu audit lines, %zu flow records "
           "in %zu files -> %s\n",
           g_ct.n, ct_files, k8s_lines[0] + k8s_lines[1], g_vpc.n, vpc_files, g_out);
    recs_free(&g_ct);
    recs_free(&g_k8s);
    recs_free(&g_vpc);
    return 0;
}
