/* SPDX-License-Identifier: Apache-2.0 */
/*
 * world.h - the world of the WordPress-on-Kubernetes-to-S3 story (DESIGN.md section 1,
 * first story): the account, cluster, nodes, pods and ENIs, the per-plane record lists, the
 * attack notes, and what the planes' writers share. Every name, address and id of the story
 * is defined here once, so all planes agree.
 */
#ifndef WP_WORLD_H
#define WP_WORLD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sb.h"

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
extern const struct node nodes[3];

struct pod {
    const char *ns, *name, *ip, *uid;
    int node;
};
enum { P_WP, P_FETCH, P_MYSQL, P_DNS1, P_DNS2, P_NEWS, N_PODS };
extern const struct pod pods[N_PODS];

/* The monitored network interfaces (the flow log covers the whole VPC). */
struct eni {
    const char *id, *ip, *subnet, *inst, *azid;
    int node; /* index in nodes[], -1 if not a node */
};
enum { E_N0, E_N1, E_N2, E_ALB, E_NAT, E_IDLE, N_ENIS };
extern const struct eni enis[N_ENIS];

/* ---- run parameters ---- */

extern double g_scale;
extern uint64_t g_seed;
extern const char *g_out;
extern int64_t g_day; /* 00:00:00Z of the day, Unix seconds */

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

extern struct recs g_ct, g_k8s, g_vpc;

struct note {
    int64_t t;      /* seconds */
    int step;
    const char *plane;
    char what[400];
    char id[64];    /* eventID / auditID, when there is one */
    char where[512];
};

#define MAX_NOTES 64
extern struct note notes[MAX_NOTES];
extern int n_notes;

/* Repeat fn roughly every period/scale seconds between two times, with jitter. */
#define EVERY(t, from, to, period)                                                          \
    for (int64_t t = (from) + (int64_t)(rng_f() * (period) / g_scale); t < (to);               \
         t += (int64_t)((period) / g_scale * (0.6 + 0.8 * rng_f())) + 1)

/* ---- CloudTrail ---- */

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


/* A role session: the identity block is rebuilt when the credentials change. */
struct sess {
    char akid[21];
    char name[64];
    int64_t created;
};

/* ---- Kubernetes audit ---- */

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

/* ---- VPC flow logs ---- */

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

#define VPC_HEADER "version account-id interface-id srcaddr dstaddr srcport dstport protocol " \
    "packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type "   \
    "pkt-srcaddr pkt-dstaddr region az-id pkt-src-aws-service pkt-dst-aws-service "          \
    "flow-direction traffic-path"

/* ---- the attack ---- */

#define OBJ1 "exports/clients-2026-10.csv"
#define OBJ2 "exports/clients-2026-09.csv"
#define OBJ1_SIZE 48213377ULL
#define OBJ2_SIZE 46907118ULL

/* ---- the host planes: Apache log, Falco, the node's Docker, the cluster inventory ---- */

#define SITE "blog.acme-example.com"
#define WP_IMAGE "wordpress:6.6.2-php8.2-apache"
#define SHELL_PATH "/wp-content/plugins/wp-shell/wp-shell.php"
#define SHELL_ZIP "wp-shell.zip"
/* containerd ids of the two compromised pods' containers (Falco shows the first 12) */
#define WP_CID "8e1f4a7c2b9d5e3f6a0c1b4d7e2f5a8c3b6d9e0f1a4c7b2e5d8f3a6c9b0e1d4f"
#define FETCH_CID "2d7b9e4f1a6c3e8b5d0f2a7c4e9b1d6f3a8c5e0b2d7f4a9c6e1b3d8f5a0c2e7b"
/* the backdoor started through docker.sock on node 0, and a benign Docker container */
#define BD_NAME "node-agent"
#define BD_CID "f3a91c7e2b5d48e6a0c1d9b7f4e2a6c8d3b5f1e7a9c2d4b6e8f0a1c3e5d7b9f2"
#define BD_PATH "/usr/local/bin/node-agent"
#define BD_PORT 8443
#define NE_CID "6b2e8d4f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4d"
/* where the node snapshot and the pod's files are, relative to OUTDIR */
#define NODE0_DIR "nodes/ip-10-0-1-23.ec2.internal"
#define WP_LOG_DIR "pods/blog_wordpress-7d9f8b6c5d-x4k2p/var/log/apache2"
/* the backdoor's session (kubectl as the node, the hop to data-fetcher) and its retries */
#define BD_SESSION_END_H 13
#define BD_SESSION_END_M 28
#define BD_RETRY 1800

/* A blog reader's visit as the flow log shows it (bg-net.c), replayed in the Apache log. */
struct visit {
    int64_t t, dur;
    const char *client;
};

/* The newsletter pods the two CI rollouts create (bg-cloud.c), and when. */
extern char rollout_pods[2][32];
extern int64_t rollout_at[2];

extern struct visit *visits;
extern size_t n_visits;
extern struct recs g_web, g_falco[3];

/* ---- the prebuilt Kubernetes users (k8s.c, world.c) ---- */

extern char u_node[3][1200], u_node_att[1200], u_admin[1000], u_ci[1100], u_anon[120];
extern char u_kcm[120], u_sched[120], u_rs[700], u_sa_dns[2][900], u_sa_proxy[3][900];
extern char u_sa_cni[3][900];
extern const char *const cp_ips[2];
extern char node_keys[3][4][21];

/* ---- what the writers report back (main.c, notes.c) ---- */

extern size_t ct_files, vpc_files;
extern int64_t k8s_rotated_at;
extern size_t k8s_lines[2];

/* ---- shared functions ---- */

int64_t at(int h, int m, int s);
void tmpkey(char o[21]);
void recs_push(struct recs *r, int64_t key, int note, const char *s, size_t n);
int rec_cmp(const void *a, const void *b);
int rec_cmp_aux(const void *a, const void *b);
void recs_free(struct recs *r);
int wp_note(int64_t t, int step, const char *plane, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *node_key(int i, int64_t t);
void ct_emit(const struct ct *c);
void ident_user(char *o, size_t n, const char *user, const char *aid, const char *akid,
                int64_t console_since);
void ident_role(char *o, size_t n, const char *role, const char *roleid,
                const struct sess *s, const char *webid, const char *ec2, const char *by);
void ct_web_identity(int64_t t, const char *role, const char *roleid, const char *prov,
                     const char *sub, struct sess *s, const char *session,
                     const char *ip, const char *ua, int note_i);
void ct_service_assume(int64_t t, const char *svc, const char *role, const char *session,
                       struct sess *s);
void ct_s3(int64_t t, const char *ident, const char *name, const char *key,
           const char *req_extra, const char *ip, const char *ua, uint64_t out_bytes,
           const char *err, int data, int note_i);
void ct_kms_for_s3(int64_t t, const char *role, const char *roleid, const struct sess *s,
                   const char *key, int note_i);
void ct_call(int64_t t, const char *ident, const char *svc, const char *name,
             const char *ip, const char *ua, const char *req, const char *resp, int ro,
             const char *err, const char *errmsg);
void write_cloudtrail(void);
void k8s_emit(const struct kreq *r);
char *objref(char *o, size_t n, const char *res, const char *ns, const char *name,
             const char *group, const char *sub);
void node_user(char *o, size_t n, int i, const char *akid);
void sa_user(char *o, size_t n, const char *ns, const char *sa, const struct pod *p);
void write_k8s(void);
void vf_nodata(int e, int64_t start, int64_t end);
void vf_leg(const struct conv *v, int e, const char *ca, const char *sa, const char *cp,
            const char *sp, int local_client, int note_i);
void flow(const struct conv *v);
int eport(void);
void write_vpc(void);
void attack(void);
void bg_users(void);
void bg_ci(void);
void bg_fetcher(void);
void bg_nodes(void);
void bg_k8s(void);
void bg_vpc(void);
void gen_web(void);
void write_web(void);
void gen_falco(void);
void write_falco(void);
void write_docker(void);
void write_inventory(void);
void write_expected(void);
void write_notes(void);
void write_readme(void);

#endif
