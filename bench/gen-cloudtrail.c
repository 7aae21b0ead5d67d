/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen-cloudtrail.c - fast, deterministic generator of realistic CloudTrail records for the
 * benchmarks: JSON lines (one record per line) of a given size, or the same records as
 * S3-style gzip {"Records":[...]} files of 5-20 MB each (--records-gz). The mix of services,
 * the identity blocks, the escaped strings and the sizes (~1.5 KB a record on average, a few
 * records of 5-20 KB) follow real trails. Formatting avoids printf on the hot path.
 * Usage: gen-cloudtrail --size 1G --out FILE|DIR [--records-gz] [--seed S]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <zlib.h>

#define REC_MAX (256 * 1024)   /* one record never exceeds this */
#define OUT_CHUNK (8u << 20)   /* JSON lines are written in chunks of this size */
#define T0 1790812800          /* 2026-10-01T00:00:00Z */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;

    fputs("gen-cloudtrail: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        die("out of memory");
    return p;
}

/* ---- random numbers (splitmix64: same sequence everywhere) ----------------------------- */

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) without division: the high half of a 64x32 product. */
static inline uint32_t rn(uint32_t n)
{
    return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* ---- fast appenders ------------------------------------------------------------------- */

#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) += sizeof(s) - 1)

struct str {
    const char *s;
    size_t n;
};

static inline char *put(char *p, struct str s)
{
    memcpy(p, s.s, s.n);
    return p + s.n;
}

static inline char *puts_(char *p, const char *s)
{
    size_t n = strlen(s);

    memcpy(p, s, n);
    return p + n;
}

static inline char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static const char hexdig[] = "0123456789abcdef";
static const char hexup[] = "0123456789ABCDEF";
static const char alnum_up[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";     /* 32 symbols */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static inline char *put_hex(char *p, int n, const char *dig)
{
    while (n > 0) {
        uint64_t r = rnd();

        for (int i = 0; i < 16 && n > 0; i++, n--) {
            *p++ = dig[r & 15];
            r >>= 4;
        }
    }
    return p;
}

/* n symbols from set, which must hold exactly 1 << bits characters. */
static inline char *put_sym(char *p, int n, const char *set, int bits)
{
    while (n > 0) {
        uint64_t r = rnd();

        for (int i = 0; i + bits <= 64 && n > 0; i += bits, n--) {
            *p++ = set[r & ((1u << bits) - 1)];
            r >>= bits;
        }
    }
    return p;
}

static inline char *put_uuid(char *p)
{
    p = put_hex(p, 8, hexdig);
    *p++ = '-';
    p = put_hex(p, 4, hexdig);
    LIT(p, "-4");
    p = put_hex(p, 3, hexdig);
    *p++ = '-';
    *p++ = "89ab"[rn(4)];
    p = put_hex(p, 3, hexdig);
    *p++ = '-';
    return put_hex(p, 12, hexdig);
}

static inline char *put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* YYYY-MM-DDThh:mm:ssZ, the date part cached per day. */
static int64_t day_cached = -1;
static char day_text[11];

static void civil(int64_t days, int *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static char *put_time(char *p, int64_t t)
{
    int64_t day = t / 86400;
    unsigned sec = (unsigned)(t - day * 86400);

    if (day != day_cached) {
        int y;
        unsigned m, d;

        civil(day, &y, &m, &d);
        snprintf(day_text, sizeof day_text, "%04d-%02u-%02u", y, m, d);
        day_cached = day;
    }
    memcpy(p, day_text, 10);
    p[10] = 'T';
    p += 11;
    p = put2(p, sec / 3600);
    *p++ = ':';
    p = put2(p, sec / 60 % 60);
    *p++ = ':';
    p = put2(p, sec % 60);
    *p++ = 'Z';
    return p;
}

/* ---- pools built once ----------------------------------------------------------------- */

static const char *const accounts[] = { "284511937402", "731926408815", "590374162283" };

#define N_USERS 48
#define N_ROLES 160
#define N_SVCS 10
static struct str users[N_USERS], roles[N_ROLES], svcs[N_SVCS], consoles[12];
static unsigned char user_acct[N_USERS], role_acct[N_ROLES], console_acct[12];

static const char *const user_names[] = {
    "alice.martin", "bob.chen", "carol.diaz", "dave.okafor", "erin.kowalski", "frank.li",
    "grace.hopper", "heidi.novak", "ivan.petrov", "judy.smith", "svc-backup", "svc-terraform",
    "svc-datadog", "svc-splunk", "ci-legacy", "mallory.jones",
};

static const char *const role_names[] = {
    "eks-node-role", "s3-get-object-role", "github-actions-deploy", "lambda-ingest-exec",
    "OrganizationAccountAccessRole", "AWSServiceRoleForAutoScaling", "ecs-task-exec",
    "datadog-integration", "terraform-apply", "aws-load-balancer-controller", "ebs-csi-driver",
    "karpenter-node", "sagemaker-exec", "glue-crawler", "AWSReservedSSO_ReadOnly_5d8c2e7a1f94b360",
    "backup-service-role",
};

static const char *const services[] = {
    "lambda.amazonaws.com", "ec2.amazonaws.com", "autoscaling.amazonaws.com",
    "eks.amazonaws.com", "cloudformation.amazonaws.com", "elasticloadbalancing.amazonaws.com",
    "config.amazonaws.com", "guardduty.amazonaws.com", "backup.amazonaws.com",
    "cloudtrail.amazonaws.com",
};

static struct str mkstr(const char *s)
{
    struct str r;
    size_t n = strlen(s);
    char *c = xmalloc(n + 1);

    memcpy(c, s, n + 1);
    r.s = c;
    r.n = n;
    return r;
}

static void rand_text(char *o, int n, const char *set, int bits)
{
    char *e = put_sym(o, n, set, bits);

    *e = '\0';
}

static void build_pools(void)
{
    char buf[2048], a[24], b[24], k[24], ts[24];

    for (int i = 0; i < N_USERS; i++) {
        const char *name = user_names[i % 16];
        unsigned acct = (unsigned)(i % 3);

        rand_text(a, 17, alnum_up, 5);
        rand_text(k, 16, alnum_up, 5);
        snprintf(buf, sizeof buf,
                 "{\"type\":\"IAMUser\",\"principalId\":\"AIDA%s\",\"arn\":\"arn:aws:iam::%s:"
                 "user/%s%s\",\"accountId\":\"%s\",\"accessKeyId\":\"AKIA%s\",\"userName\":"
                 "\"%s\"}",
                 a, accounts[acct], i >= 16 ? "team/" : "", name, accounts[acct], k, name);
        users[i] = mkstr(buf);
        user_acct[i] = (unsigned char)acct;
    }
    for (int i = 0; i < N_ROLES; i++) {
        const char *role = role_names[i % 16];
        unsigned acct = (unsigned)(i % 3), variant = (unsigned)(i / 16 % 5);
        char session[80], extra[400] = "";

        rand_text(a, 17, alnum_up, 5);
        rand_text(k, 16, alnum_up, 5);
        switch (variant) {
        case 0:
            snprintf(session, sizeof session, "i-0%.16s", a);
            for (char *c = session + 3; *c; c++)
                *c = hexdig[(unsigned char)*c % 16];
            snprintf(extra, sizeof extra, ",\"ec2RoleDelivery\":\"2.0\"");
            break;
        case 1:
            rand_text(b, 8, hexdig, 4);
            for (char *c = b; *c; c++)
                *c = (char)('0' + (unsigned char)*c % 10);
            snprintf(session, sizeof session, "botocore-session-17%.8s", b);
            snprintf(extra, sizeof extra,
                     ",\"webIdFederationData\":{\"federatedProvider\":\"arn:aws:iam::%s:"
                     "oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/%.16s%.16s\","
                     "\"attributes\":{}}", accounts[acct], a, k);
            break;
        case 2:
            snprintf(session, sizeof session, "%s@example.com", user_names[i % 10]);
            snprintf(extra, sizeof extra, ",\"sourceIdentity\":\"%s\"", user_names[i % 10]);
            break;
        case 3:
            snprintf(session, sizeof session, "aws-go-sdk-17%.8s", k);
            for (char *c = session + 12; *c; c++)
                *c = (char)('0' + (unsigned char)*c % 10);
            break;
        default:
            snprintf(session, sizeof session, "GitHubActions");
            break;
        }
        rand_text(b, 16, alnum_up, 5);
        snprintf(ts, sizeof ts, "2026-09-%02dT%02d:%02d:%02dZ", 1 + i % 28, i % 24, i % 60,
                 (i * 7) % 60);
        snprintf(buf, sizeof buf,
                 "{\"type\":\"AssumedRole\",\"principalId\":\"AROA%s:%s\",\"arn\":\"arn:aws:sts::"
                 "%s:assumed-role/%s/%s\",\"accountId\":\"%s\",\"accessKeyId\":\"ASIA%s\","
                 "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":"
                 "\"AROA%s\",\"arn\":\"arn:aws:iam::%s:role/%s%s\",\"accountId\":\"%s\","
                 "\"userName\":\"%s\"}%s,\"attributes\":{\"creationDate\":\"%s\","
                 "\"mfaAuthenticated\":\"%s\"}%s}}",
                 a, session, accounts[acct], role, session, accounts[acct], b, a, accounts[acct],
                 strncmp(role, "AWSReserved", 11) == 0 ? "aws-reserved/sso.amazonaws.com/" : "",
                 role, accounts[acct], role, variant == 1 ? extra : "",
                 ts, variant == 2 ? "true" : "false", variant == 1 ? "" : extra);
        roles[i] = mkstr(buf);
        role_acct[i] = (unsigned char)acct;
    }
    for (int i = 0; i < N_SVCS; i++) {
        snprintf(buf, sizeof buf, "{\"type\":\"AWSService\",\"invokedBy\":\"%s\"}", services[i]);
        svcs[i] = mkstr(buf);
    }
    for (int i = 0; i < 12; i++) {
        unsigned acct = (unsigned)(i % 3);

        rand_text(a, 17, alnum_up, 5);
        rand_text(b, 16, alnum_up, 5);
        snprintf(buf, sizeof buf,
                 "{\"type\":\"AssumedRole\",\"principalId\":\"AROA%s:%s@example.com\","
                 "\"arn\":\"arn:aws:sts::%s:assumed-role/AWSReservedSSO_AdministratorAccess_"
                 "8f1e2d3c4b5a6978/%s@example.com\",\"accountId\":\"%s\",\"accessKeyId\":"
                 "\"ASIA%s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
                 "\"principalId\":\"AROA%s\",\"arn\":\"arn:aws:iam::%s:role/aws-reserved/"
                 "sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_8f1e2d3c4b5a6978\","
                 "\"accountId\":\"%s\",\"userName\":\"AWSReservedSSO_AdministratorAccess_"
                 "8f1e2d3c4b5a6978\"},\"attributes\":{\"creationDate\":\"2026-10-01T08:%02d:"
                 "11Z\",\"mfaAuthenticated\":\"false\"}}}",
                 a, user_names[i % 10], accounts[acct], user_names[i % 10], accounts[acct], b, a,
                 accounts[acct], accounts[acct], i * 4);
        consoles[i] = mkstr(buf);
        console_acct[i] = (unsigned char)acct;
    }
}

/* User agents; some carry characters JSON must escape (quotes, backslashes). */
static const struct str uas[] = {
#define S(x) { x, sizeof(x) - 1 }
    S("aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.11.9"
      " md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off"
      " md/command#ec2.describe-instances"),
    S("Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#6.1.109-118.189.amzn2023.x86_64"
      " md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy"
      " Botocore/1.34.162"),
    S("aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64"
      " api/sts#1.30.4"),
    S("aws-sdk-go/1.55.5 (go1.22.6; linux; amd64) amazon-vpc-cni-k8s/agent-v1.18.3"),
    S("aws-sdk-java/1.12.770 Linux/5.10.225-213.878.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/"
      "17.0.12+7-LTS java/17.0.12 vendor/Amazon.com_Inc. cfg/retry-mode/standard"),
    S("aws-sdk-js/3.658.1 ua/2.0 os/linux#6.8.0-1014-azure lang/js md/nodejs#20.17.0"
      " api/sts#3.658.1"),
    S("Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.68.0"
      " (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5"
      " os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.177.3"),
    S("docker/27.2.0 go/go1.21.13 git-commit/3ab5c7d kernel/6.8.0-1014-azure os/linux"
      " arch/amd64 UpstreamClient(Docker-Client/27.2.0 \\\\(linux\\\\))"),
    S("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
      " Chrome/129.0.0.0 Safari/537.36"),
    S("python-requests/2.32.3 \\\"nightly-report\\\" (cron)"),
    S("Datadog/AWS-Crawler \\\"aws.resource.inventory\\\" (+https://docs.datadoghq.com)"),
    S("AWS Internal"),
    S("ssm-agent/3.3.859.0 (linux; amd64) aws-sdk-go/1.55.5"),
#undef S
};
#define N_UAS (sizeof uas / sizeof uas[0])

static const char *const s3_keys[] = {
    "exports/clients-2026-10.csv",
    "incoming/batch-20261014-1305.json",
    "logs/app/2026/10/14/part-00017.gz",
    "reports/2026/10/r\\u00e9sum\\u00e9-final.pdf",
    "uploads/user \\\"quoted\\\" name.txt",
    "backups\\\\windows\\\\C$\\\\data.bak",
    "static\\/wp-content\\/uploads\\/2026\\/10\\/header.jpg",
    "datasets/train/shard-000981-of-004096.parquet",
    "tmp/athena-results/5c1e9f0a-2b3d-4e6f-8a9c-0d1e2f3a4b5c.csv",
    "terraform/state/prod/network.tfstate",
};
#define N_KEYS (sizeof s3_keys / sizeof s3_keys[0])

static const char *const buckets[] = {
    "client-records", "acme-data-lake-prod", "acme-static-assets", "acme-backups-731926408815",
    "athena-results-590374162283", "terraform-state-284511937402",
};

static const char *const regions[] = { "us-east-1", "us-east-1", "us-east-1", "us-west-2",
                                       "eu-west-1", "us-east-1", "eu-central-1", "us-east-1" };

/* ---- record kinds --------------------------------------------------------------------- */

enum who { W_ROLE, W_USER, W_SVC, W_CONSOLE, W_WEBID };

struct kind {
    const char *src, *name;
    unsigned weight;    /* per 10,000 records */
    unsigned char data; /* data event */
    unsigned char ro;   /* readOnly */
    unsigned char who;
};

enum {
    K_GET, K_PUT, K_HEAD, K_LIST, K_DECRYPT, K_GDK, K_ASSUME, K_WEBID, K_CALLER, K_DI, K_DNI,
    K_DSG, K_DVOL, K_PUTMETRIC, K_GETMETRIC, K_INVOKE, K_GETFN, K_GETROLE, K_LISTROLES,
    K_GETPOLV, K_DDB, K_SSM, K_SECRET, K_ECRAUTH, K_ECRIMG, K_LOGSTREAM, K_LOGIN, K_RUNINST,
    K_BUCKETPOL, K_CREATEKEY, K_ROLEPOL, K_STACKS, K_TGHEALTH, K_EKS, N_KINDS
};

static const struct kind kinds[N_KINDS] = {
    [K_GET] = { "s3.amazonaws.com", "GetObject", 480, 1, 1, W_ROLE },
    [K_PUT] = { "s3.amazonaws.com", "PutObject", 700, 1, 0, W_ROLE },
    [K_HEAD] = { "s3.amazonaws.com", "HeadObject", 400, 1, 1, W_ROLE },
    [K_LIST] = { "s3.amazonaws.com", "ListObjects", 300, 1, 1, W_ROLE },
    [K_DECRYPT] = { "kms.amazonaws.com", "Decrypt", 1100, 0, 1, W_ROLE },
    [K_GDK] = { "kms.amazonaws.com", "GenerateDataKey", 500, 0, 1, W_ROLE },
    [K_ASSUME] = { "sts.amazonaws.com", "AssumeRole", 900, 0, 1, W_SVC },
    [K_WEBID] = { "sts.amazonaws.com", "AssumeRoleWithWebIdentity", 200, 0, 1, W_WEBID },
    [K_CALLER] = { "sts.amazonaws.com", "GetCallerIdentity", 200, 0, 1, W_ROLE },
    [K_DI] = { "ec2.amazonaws.com", "DescribeInstances", 600, 0, 1, W_ROLE },
    [K_DNI] = { "ec2.amazonaws.com", "DescribeNetworkInterfaces", 400, 0, 1, W_ROLE },
    [K_DSG] = { "ec2.amazonaws.com", "DescribeSecurityGroups", 250, 0, 1, W_USER },
    [K_DVOL] = { "ec2.amazonaws.com", "DescribeVolumes", 200, 0, 1, W_ROLE },
    [K_PUTMETRIC] = { "monitoring.amazonaws.com", "PutMetricData", 400, 0, 0, W_ROLE },
    [K_GETMETRIC] = { "monitoring.amazonaws.com", "GetMetricData", 300, 0, 1, W_USER },
    [K_INVOKE] = { "lambda.amazonaws.com", "Invoke", 400, 1, 0, W_ROLE },
    [K_GETFN] = { "lambda.amazonaws.com", "GetFunction", 100, 0, 1, W_USER },
    [K_GETROLE] = { "iam.amazonaws.com", "GetRole", 150, 0, 1, W_USER },
    [K_LISTROLES] = { "iam.amazonaws.com", "ListRoles", 80, 0, 1, W_USER },
    [K_GETPOLV] = { "iam.amazonaws.com", "GetPolicyVersion", 80, 0, 1, W_ROLE },
    [K_DDB] = { "dynamodb.amazonaws.com", "GetItem", 300, 1, 1, W_ROLE },
    [K_SSM] = { "ssm.amazonaws.com", "GetParameter", 250, 0, 1, W_ROLE },
    [K_SECRET] = { "secretsmanager.amazonaws.com", "GetSecretValue", 150, 0, 1, W_ROLE },
    [K_ECRAUTH] = { "ecr.amazonaws.com", "GetAuthorizationToken", 150, 0, 1, W_ROLE },
    [K_ECRIMG] = { "ecr.amazonaws.com", "BatchGetImage", 150, 0, 1, W_ROLE },
    [K_LOGSTREAM] = { "logs.amazonaws.com", "CreateLogStream", 200, 0, 0, W_ROLE },
    [K_LOGIN] = { "signin.amazonaws.com", "ConsoleLogin", 20, 0, 0, W_CONSOLE },
    [K_RUNINST] = { "ec2.amazonaws.com", "RunInstances", 30, 0, 0, W_ROLE },
    [K_BUCKETPOL] = { "s3.amazonaws.com", "PutBucketPolicy", 20, 0, 0, W_CONSOLE },
    [K_CREATEKEY] = { "iam.amazonaws.com", "CreateAccessKey", 10, 0, 0, W_USER },
    [K_ROLEPOL] = { "iam.amazonaws.com", "PutRolePolicy", 20, 0, 0, W_ROLE },
    [K_STACKS] = { "cloudformation.amazonaws.com", "DescribeStacks", 200, 0, 1, W_ROLE },
    [K_TGHEALTH] = { "elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", 200, 0, 1,
                     W_ROLE },
    [K_EKS] = { "eks.amazonaws.com", "DescribeCluster", 100, 0, 1, W_CONSOLE },
};

static unsigned char kind_of[10000]; /* weight table: a random slot gives a kind */

static void build_kinds(void)
{
    unsigned n = 0;

    for (int k = 0; k < N_KINDS; k++)
        for (unsigned i = 0; i < kinds[k].weight && n < 10000; i++)
            kind_of[n++] = (unsigned char)k;
    while (n < 10000) /* the rest: more of the commonest */
        kind_of[n++] = K_DECRYPT;
}

/* A long JSON-in-a-string policy, the way IAM and S3 log policy documents. */
static char *put_policy(char *p, int statements)
{
    LIT(p, "\"{\\n  \\\"Version\\\": \\\"2012-10-17\\\",\\n  \\\"Statement\\\": [");
    for (int i = 0; i < statements; i++) {
        if (i)
            *p++ = ',';
        LIT(p, "\\n    {\\n      \\\"Sid\\\": \\\"Stmt");
        p = put_u64(p, 1700000000u + rn(90000000));
        LIT(p, "\\\",\\n      \\\"Effect\\\": \\\"Allow\\\",\\n      \\\"Principal\\\": {"
               "\\\"AWS\\\": \\\"arn:aws:iam::731926408815:role/analytics-reader\\\"},\\n"
               "      \\\"Action\\\": [\\\"s3:GetObject\\\", \\\"s3:ListBucket\\\"],\\n"
               "      \\\"Resource\\\": [\\\"arn:aws:s3:::acme-data-lake-prod/team-");
        p = put_u64(p, i);
        LIT(p, "/*\\\"],\\n      \\\"Condition\\\": {\\\"IpAddress\\\": {\\\"aws:SourceIp\\\":"
               " [\\\"198.51.100.0/24\\\", \\\"203.0.113.0/24\\\"]}}\\n    }");
    }
    LIT(p, "\\n  ]\\n}\"");
    return p;
}

static char *put_ip(char *p)
{
    uint32_t r = (uint32_t)rnd();

    switch (r & 7) {
    case 0:
        LIT(p, "AWS Internal");
        return p;
    case 1:
        LIT(p, "10.0.");
        break;
    case 2:
        LIT(p, "198.51.100.");
        break;
    case 3:
        LIT(p, "192.0.2.");
        break;
    default:
        LIT(p, "203.0.113.");
        p = put_u64(p, (r >> 8) % 255);
        return p;
    }
    if ((r & 7) == 1) {
        p = put_u64(p, (r >> 8) % 16);
        *p++ = '.';
    }
    return put_u64(p, (r >> 16) % 254 + 1);
}

static char *put_bucket_key(char *p, const char **bucket, const char **key)
{
    *bucket = buckets[rn(sizeof buckets / sizeof buckets[0])];
    *key = s3_keys[rn(N_KEYS)];
    LIT(p, "{\"bucketName\":\"");
    p = puts_(p, *bucket);
    LIT(p, "\",\"Host\":\"");
    p = puts_(p, *bucket);
    LIT(p, ".s3.us-east-1.amazonaws.com\",\"key\":\"");
    p = puts_(p, *key);
    LIT(p, "\"}");
    return p;
}

static char *put_s3_aed(char *p, uint64_t in, uint64_t out)
{
    LIT(p, ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":"
           "\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":");
    p = put_u64(p, in);
    LIT(p, ",\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"");
    p = put_sym(p, 76, b64, 6);
    LIT(p, "\",\"bytesTransferredOut\":");
    p = put_u64(p, out);
    *p++ = '}';
    return p;
}

static char *put_s3_res(char *p, const char *bucket, const char *key, const char *acct)
{
    LIT(p, ",\"resources\":[");
    if (key) {
        LIT(p, "{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::");
        p = puts_(p, bucket);
        *p++ = '/';
        p = puts_(p, key);
        LIT(p, "\"},");
    }
    LIT(p, "{\"accountId\":\"");
    p = puts_(p, acct);
    LIT(p, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
    p = puts_(p, bucket);
    LIT(p, "\"}]");
    return p;
}

static uint64_t n_getobject;

/* One record at time t, without the trailing newline. */
static char *gen_record(char *p, int64_t t)
{
    unsigned k = kind_of[rn(10000)];
    const struct kind *kd = &kinds[k];
    unsigned who = kd->who, ai = 0, ua = rn(N_UAS), svc = 0;
    const char *acct, *region = regions[rn(8)], *bucket = NULL, *key = NULL;
    int err = !kd->data && kd->ro && rn(100) < 4;
    int tls = 1, console = 0;
    struct str id;

    if (who == W_ROLE && rn(10) == 0)
        who = W_USER;
    switch (who) {
    case W_USER: {
        unsigned i = rn(N_USERS);

        id = users[i];
        ai = user_acct[i];
        break;
    }
    case W_SVC: {
        svc = rn(N_SVCS);
        id = svcs[svc];
        ai = rn(3);
        tls = 0;
        break;
    }
    case W_CONSOLE: {
        unsigned i = rn(12);

        id = consoles[i];
        ai = console_acct[i];
        console = 1;
        ua = 8;
        break;
    }
    case W_WEBID:
        ai = rn(3);
        id.s = NULL;
        id.n = 0;
        break;
    default: {
        unsigned i = rn(N_ROLES);

        id = roles[i];
        ai = role_acct[i];
        break;
    }
    }
    acct = accounts[ai];
    LIT(p, "{\"eventVersion\":\"");
    p = puts_(p, kd->data ? "1.10" : "1.11");
    LIT(p, "\",\"userIdentity\":");
    if (who == W_WEBID) {
        LIT(p, "{\"type\":\"WebIdentityUser\",\"principalId\":\"arn:aws:iam::");
        p = puts_(p, acct);
        LIT(p, ":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/7A3C5E9F1B2D4068ACE13579BDF"
               "02468:sts.amazonaws.com:system:serviceaccount:blog:data-fetcher\",\"userName\":"
               "\"system:serviceaccount:blog:data-fetcher\",\"identityProvider\":"
               "\"arn:aws:iam::");
        p = puts_(p, acct);
        LIT(p, ":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/7A3C5E9F1B2D4068ACE13579BDF"
               "02468\"}");
    } else {
        p = put(p, id);
    }
    LIT(p, ",\"eventTime\":\"");
    p = put_time(p, t);
    LIT(p, "\",\"eventSource\":\"");
    p = puts_(p, kd->src);
    LIT(p, "\",\"eventName\":\"");
    p = puts_(p, kd->name);
    LIT(p, "\",\"awsRegion\":\"");
    p = puts_(p, region);
    LIT(p, "\",\"sourceIPAddress\":\"");
    if (who == W_SVC)
        p = puts_(p, services[svc]);
    else
        p = put_ip(p);
    LIT(p, "\",\"userAgent\":\"");
    if (kd->data && kd->src[0] == 's')
        *p++ = '[';
    if (who == W_SVC)
        p = puts_(p, services[svc]);
    else
        p = put(p, uas[ua]);
    if (kd->data && kd->src[0] == 's')
        *p++ = ']';
    *p++ = '"';
    if (err) {
        if (kd->src[0] == 'e' && kd->src[1] == 'c' && kd->src[2] == '2')
            LIT(p, ",\"errorCode\":\"Client.UnauthorizedOperation\",\"errorMessage\":"
                   "\"You are not authorized to perform this operation. User: arn:aws:sts::"
                   "731926408815:assumed-role/datadog-integration/aws-go-sdk-1790850211 is not "
                   "authorized to perform: ec2:DescribeInstances because no identity-based "
                   "policy allows the ec2:DescribeInstances action\"");
        else
            LIT(p, ",\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User: arn:aws:sts::"
                   "284511937402:assumed-role/lambda-ingest-exec/ingest is not authorized to "
                   "perform this action\"");
    }
    LIT(p, ",\"requestParameters\":");
    switch (k) {
    case K_GET:
    case K_HEAD:
    case K_PUT:
        p = put_bucket_key(p, &bucket, &key);
        LIT(p, ",\"responseElements\":");
        if (k == K_PUT) {
            LIT(p, "{\"x-amz-server-side-encryption\":\"aws:kms\","
                   "\"x-amz-server-side-encryption-aws-kms-key-id\":\"arn:aws:kms:us-east-1:");
            p = puts_(p, acct);
            LIT(p, ":key/");
            p = put_uuid(p);
            LIT(p, "\",\"x-amz-version-id\":\"");
            p = put_sym(p, 32, b64, 6);
            LIT(p, "\"}");
        } else {
            LIT(p, "null");
        }
        p = put_s3_aed(p, k == K_PUT ? 1000 + rn(9000000) : 0,
                       k == K_GET ? 200 + rn(30000000) : 0);
        n_getobject += k == K_GET;
        break;
    case K_LIST:
        bucket = buckets[rn(sizeof buckets / sizeof buckets[0])];
        LIT(p, "{\"list-type\":\"2\",\"bucketName\":\"");
        p = puts_(p, bucket);
        LIT(p, "\",\"encoding-type\":\"url\",\"prefix\":\"logs/app/2026/10/\",\"delimiter\":"
               "\"/\",\"Host\":\"");
        p = puts_(p, bucket);
        LIT(p, ".s3.us-east-1.amazonaws.com\"},\"responseElements\":null");
        p = put_s3_aed(p, 0, 300 + rn(20000));
        break;
    case K_DECRYPT:
    case K_GDK:
        LIT(p, "{\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::acme-data-lake-prod/"
               "raw/2026/10/");
        p = put_hex(p, 24, hexdig);
        LIT(p, ".json\"},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"");
        if (k == K_GDK)
            LIT(p, ",\"keySpec\":\"AES_256\",\"keyId\":\"alias/aws/s3\"");
        LIT(p, "},\"responseElements\":null");
        break;
    case K_ASSUME:
    case K_WEBID:
        LIT(p, "{\"roleArn\":\"arn:aws:iam::");
        p = puts_(p, acct);
        LIT(p, ":role/");
        p = puts_(p, role_names[rn(16)]);
        LIT(p, "\",\"roleSessionName\":\"");
        p = put_hex(p, 19, hexdig);
        LIT(p, "\",\"durationSeconds\":3600},\"responseElements\":{\"credentials\":{"
               "\"accessKeyId\":\"ASIA");
        p = put_sym(p, 16, alnum_up, 5);
        LIT(p, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
        p = put_sym(p, 380, b64, 6);
        LIT(p, "\",\"expiration\":\"Oct 14, 2026, 2:31:15 PM\"},\"assumedRoleUser\":{"
               "\"assumedRoleId\":\"AROA");
        p = put_sym(p, 17, alnum_up, 5);
        LIT(p, ":session\",\"arn\":\"arn:aws:sts::");
        p = puts_(p, acct);
        LIT(p, ":assumed-role/role/session\"}}");
        break;
    case K_DI:
        LIT(p, "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\"}]},\"filterSet\":{}},\"responseElements\":null");
        break;
    case K_DNI:
        LIT(p, "{\"networkInterfaceIdSet\":{},\"filterSet\":{\"items\":[{\"name\":"
               "\"attachment.instance-id\",\"valueSet\":{\"items\":[{\"value\":\"i-0");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\"}]}}]}},\"responseElements\":null");
        break;
    case K_RUNINST:
        LIT(p, "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\",\"minCount\":1,\"maxCount\":1}]},\"userData\":\"");
        p = put_sym(p, 4096 + (int)rn(12288), b64, 6);
        LIT(p, "\",\"instanceType\":\"m6i.2xlarge\",\"blockDeviceMapping\":{},\"monitoring\":"
               "{\"enabled\":false},\"disableApiTermination\":false,\"disableApiStop\":false,"
               "\"clientToken\":\"");
        p = put_uuid(p);
        LIT(p, "\"},\"responseElements\":{\"requestId\":\"");
        p = put_uuid(p);
        LIT(p, "\",\"reservationId\":\"r-0");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\",\"ownerId\":\"");
        p = puts_(p, acct);
        LIT(p, "\",\"groupSet\":{},\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\",\"instanceState\":{\"code\":0,\"name\":\"pending\"},\"privateDnsName\":"
               "\"ip-10-0-3-17.ec2.internal\",\"amiLaunchIndex\":0,\"productCodes\":{},"
               "\"instanceType\":\"m6i.2xlarge\",\"launchTime\":1791984000000,\"placement\":{"
               "\"availabilityZone\":\"us-east-1a\",\"tenancy\":\"default\"},\"monitoring\":{"
               "\"state\":\"disabled\"},\"subnetId\":\"subnet-0a1b2c3d4e5f67081\",\"vpcId\":"
               "\"vpc-0a3f9c2e7b1d48e65\",\"privateIpAddress\":\"10.0.3.17\","
               "\"stateReason\":{\"code\":\"pending\",\"message\":\"pending\"},"
               "\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\",\"rootDeviceName\":"
               "\"/dev/xvda\",\"blockDeviceMapping\":{},\"virtualizationType\":\"hvm\","
               "\"hypervisor\":\"xen\",\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":"
               "\"batch-worker \\\"blue\\\"\"}]},\"networkInterfaceSet\":{\"items\":[{"
               "\"networkInterfaceId\":\"eni-0");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\",\"status\":\"in-use\",\"privateIpAddress\":\"10.0.3.17\","
               "\"sourceDestCheck\":true,\"interfaceType\":\"interface\"}]},"
               "\"ebsOptimized\":true,\"enaSupport\":true,\"metadataOptions\":{\"state\":"
               "\"pending\",\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2,"
               "\"httpEndpoint\":\"enabled\"}}]}}");
        break;
    case K_BUCKETPOL:
        bucket = buckets[rn(sizeof buckets / sizeof buckets[0])];
        LIT(p, "{\"bucketPolicy\":");
        p = put_policy(p, 4 + (int)rn(20));
        LIT(p, ",\"bucketName\":\"");
        p = puts_(p, bucket);
        LIT(p, "\",\"Host\":\"");
        p = puts_(p, bucket);
        LIT(p, ".s3.amazonaws.com\",\"policy\":\"\"},\"responseElements\":null");
        break;
    case K_ROLEPOL:
        LIT(p, "{\"roleName\":\"");
        p = puts_(p, role_names[rn(16)]);
        LIT(p, "\",\"policyName\":\"inline-data-access\",\"policyDocument\":");
        p = put_policy(p, 2 + (int)rn(12));
        LIT(p, "},\"responseElements\":null");
        break;
    case K_CREATEKEY:
        LIT(p, "{\"userName\":\"svc-backup\"},\"responseElements\":{\"accessKey\":{"
               "\"userName\":\"svc-backup\",\"accessKeyId\":\"AKIA");
        p = put_sym(p, 16, alnum_up, 5);
        LIT(p, "\",\"status\":\"Active\",\"createDate\":\"Oct 14, 2026, 1:05:09 PM\"}}");
        break;
    case K_LOGIN:
        LIT(p, "null,\"responseElements\":{\"ConsoleLogin\":\"Success\"},"
               "\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/console/"
               "home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_");
        p = put_hex(p, 16, hexdig);
        LIT(p, "\",\"MobileVersion\":\"No\",\"MFAUsed\":\"Yes\"}");
        break;
    case K_INVOKE:
        LIT(p, "{\"functionName\":\"arn:aws:lambda:us-east-1:");
        p = puts_(p, acct);
        LIT(p, ":function:ingest-events\",\"invocationType\":\"Event\"},\"responseElements\":"
               "null,\"additionalEventData\":{\"functionVersion\":\"arn:aws:lambda:us-east-1:");
        p = puts_(p, acct);
        LIT(p, ":function:ingest-events:$LATEST\"}");
        break;
    case K_DDB:
        LIT(p, "{\"tableName\":\"sessions\",\"key\":{\"pk\":\"USER#");
        p = put_hex(p, 12, hexdig);
        LIT(p, "\",\"sk\":\"SESSION\"},\"consistentRead\":false,\"projectionExpression\":"
               "\"#s, expiresAt\"},\"responseElements\":null");
        break;
    case K_SSM:
        LIT(p, "{\"name\":\"/prod/blog/db-password\",\"withDecryption\":true},"
               "\"responseElements\":null");
        break;
    case K_SECRET:
        LIT(p, "{\"secretId\":\"arn:aws:secretsmanager:us-east-1:");
        p = puts_(p, acct);
        LIT(p, ":secret:prod/api-key-");
        p = put_sym(p, 6, b64, 6);
        LIT(p, "\"},\"responseElements\":null");
        break;
    case K_PUTMETRIC:
        LIT(p, "{\"namespace\":\"App/Ingest\",\"metricData\":[{\"metricName\":\"Latency\","
               "\"dimensions\":[{\"name\":\"Service\",\"value\":\"ingest\"}],\"value\":");
        p = put_u64(p, rn(5000));
        LIT(p, ",\"unit\":\"Milliseconds\"}]},\"responseElements\":null");
        break;
    case K_GETMETRIC:
        LIT(p, "{\"metricDataQueries\":[{\"id\":\"cpu\",\"metricStat\":{\"metric\":{"
               "\"namespace\":\"AWS/EC2\",\"metricName\":\"CPUUtilization\"},\"period\":300,"
               "\"stat\":\"Average\"}}],\"startTime\":\"Oct 14, 2026, 6:00:00 AM\","
               "\"endTime\":\"Oct 14, 2026, 12:00:00 PM\"},\"responseElements\":null");
        break;
    case K_LOGSTREAM:
        LIT(p, "{\"logGroupName\":\"/aws/lambda/ingest-events\",\"logStreamName\":"
               "\"2026/10/14/[$LATEST]");
        p = put_hex(p, 32, hexdig);
        LIT(p, "\"},\"responseElements\":null");
        break;
    case K_ECRIMG:
        LIT(p, "{\"imageIds\":[{\"imageTag\":\"v2.14.0\"}],\"acceptedMediaTypes\":["
               "\"application/vnd.docker.distribution.manifest.v1+json\","
               "\"application/vnd.docker.distribution.manifest.v2+json\","
               "\"application/vnd.oci.image.manifest.v1+json\"],\"repositoryName\":"
               "\"blog/newsletter\",\"registryId\":\"");
        p = puts_(p, acct);
        LIT(p, "\"},\"responseElements\":null");
        break;
    case K_GETROLE:
    case K_GETPOLV:
        LIT(p, "{\"roleName\":\"");
        p = puts_(p, role_names[rn(16)]);
        LIT(p, "\"},\"responseElements\":null");
        break;
    case K_STACKS:
        LIT(p, "{\"stackName\":\"arn:aws:cloudformation:us-east-1:");
        p = puts_(p, acct);
        LIT(p, ":stack/eksctl-blog-prod-cluster/");
        p = put_uuid(p);
        LIT(p, "\"},\"responseElements\":null");
        break;
    case K_TGHEALTH:
        LIT(p, "{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:us-east-1:");
        p = puts_(p, acct);
        LIT(p, ":targetgroup/k8s-blog-wordpres-");
        p = put_hex(p, 10, hexdig);
        *p++ = '/';
        p = put_hex(p, 16, hexdig);
        LIT(p, "\"},\"responseElements\":null");
        break;
    case K_EKS:
        LIT(p, "{\"name\":\"blog-prod\"},\"responseElements\":null");
        break;
    default:
        LIT(p, "null,\"responseElements\":null");
        break;
    }
    if (k != K_LOGIN) {
        LIT(p, ",\"requestID\":\"");
        if (kd->src[0] == 's' && kd->src[1] == '3')
            p = put_hex(p, 16, hexup);
        else
            p = put_uuid(p);
        *p++ = '"';
    }
    LIT(p, ",\"eventID\":\"");
    p = put_uuid(p);
    LIT(p, "\",\"readOnly\":");
    if (kd->ro)
        LIT(p, "true");
    else
        LIT(p, "false");
    if (bucket)
        p = put_s3_res(p, bucket, key, acct);
    else if (k == K_DECRYPT || k == K_GDK) {
        LIT(p, ",\"resources\":[{\"accountId\":\"");
        p = puts_(p, acct);
        LIT(p, "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:us-east-1:");
        p = puts_(p, acct);
        LIT(p, ":key/");
        p = put_uuid(p);
        LIT(p, "\"}]");
    }
    LIT(p, ",\"eventType\":\"");
    p = puts_(p, k == K_LOGIN ? "AwsConsoleSignIn" : "AwsApiCall");
    LIT(p, "\",\"managementEvent\":");
    if (kd->data)
        LIT(p, "false");
    else
        LIT(p, "true");
    LIT(p, ",\"recipientAccountId\":\"");
    p = puts_(p, acct);
    *p++ = '"';
    if (console && k != K_LOGIN)
        LIT(p, ",\"sessionCredentialFromConsole\":\"true\"");
    if (who == W_SVC)
        LIT(p, ",\"sharedEventID\":\"");
    if (who == W_SVC) {
        p = put_uuid(p);
        *p++ = '"';
    }
    LIT(p, ",\"eventCategory\":\"");
    p = puts_(p, kd->data ? "Data" : "Management");
    *p++ = '"';
    if (tls) {
        LIT(p, ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
               "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"");
        if (bucket) {
            p = puts_(p, bucket);
            LIT(p, ".s3.");
        } else {
            const char *dot = strchr(kd->src, '.');

            memcpy(p, kd->src, (size_t)(dot - kd->src));
            p += dot - kd->src;
            *p++ = '.';
        }
        p = puts_(p, region);
        LIT(p, ".amazonaws.com\"}");
    }
    *p++ = '}';
    return p;
}

/* ---- output --------------------------------------------------------------------------- */

static void mkdir_p(const char *path)
{
    char tmp[1024];
    size_t n = strlen(path);

    if (n >= sizeof tmp)
        die("path too long: %s", path);
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == '\0') {
            char c = tmp[i];

            tmp[i] = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                die("mkdir %s: %s", tmp, strerror(errno));
            tmp[i] = c;
        }
    }
}

/* One S3-style Records file: gzip (level 1 for speed), mtime 0 and no name. */
static void write_records_gz(const char *dir, const char *acct, int64_t t, uint64_t seq,
                             const char *data, size_t len)
{
    char path[1200], sub[1024];
    int y;
    unsigned m, d, sec = (unsigned)(t % 86400);
    z_stream z;
    unsigned char *out;
    size_t cap;
    FILE *f;

    civil(t / 86400, &y, &m, &d);
    snprintf(sub, sizeof sub, "%s/AWSLogs/%s/CloudTrail/us-east-1/%04d/%02u/%02u", dir, acct, y,
             m, d);
    mkdir_p(sub);
    if ((size_t)snprintf(path, sizeof path,
                         "%s/%s_CloudTrail_us-east-1_%04d%02u%02uT%02u%02uZ_%016llx.json.gz",
                         sub, acct, y, m, d, sec / 3600, sec / 60 % 60,
                         (unsigned long long)(seq * 0x9e3779b97f4a7c15ULL)) >= sizeof path)
        die("path too long under %s", dir);
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        die("deflateInit2 failed");
    cap = deflateBound(&z, (uLong)len) + 64;
    out = xmalloc(cap);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        die("deflate failed");
    f = fopen(path, "wb");
    if (!f)
        die("cannot create %s: %s", path, strerror(errno));
    if (fwrite(out, 1, cap - z.avail_out, f) != cap - z.avail_out || fclose(f) != 0)
        die("write %s: %s", path, strerror(errno));
    deflateEnd(&z);
    free(out);
}

static uint64_t parse_size(const char *s)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        die("bad --size '%s' (examples: 1G, 512M, 100K, 1000000)", s);
    switch (*end) {
    case 'k': case 'K':
        v *= 1024.0;
        end++;
        break;
    case 'm': case 'M':
        v *= 1024.0 * 1024.0;
        end++;
        break;
    case 'g': case 'G':
        v *= 1024.0 * 1024.0 * 1024.0;
        end++;
        break;
    default:
        break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end)
        die("bad --size '%s' (examples: 1G, 512M, 100K, 1000000)", s);
    return (uint64_t)v;
}

static void usage(void)
{
    fputs("usage: gen-cloudtrail --size SIZE --out FILE [--seed S]\n"
          "       gen-cloudtrail --size SIZE --out DIR --records-gz [--seed S]\n"
          "  Writes SIZE bytes (1G, 512M, ...) of realistic CloudTrail records: JSON lines to\n"
          "  FILE, or with --records-gz the same records as S3-style gzip Records files of\n"
          "  5-20 MB (uncompressed) under DIR/AWSLogs/. Same arguments, same bytes.\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    uint64_t size = 0, seed = 20261014, written = 0, n_rec = 0, n_files = 0;
    int gz = 0;
    char *rec, *buf;
    size_t used = 0, file_target = 0;
    int64_t t = T0;
    uint64_t file_rng;
    struct timespec ts0, ts1;
    double secs;
    FILE *f = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
            size = parse_size(argv[++i]);
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            char *end;

            errno = 0;
            seed = strtoull(argv[++i], &end, 0);
            if (*end || errno)
                die("--seed wants an integer, not '%s'", argv[i]);
        } else if (strcmp(argv[i], "--records-gz") == 0) {
            gz = 1;
        } else {
            usage();
        }
    }
    if (!out || !size)
        usage();
    clock_gettime(CLOCK_MONOTONIC, &ts0);
    rng_state = seed;
    build_pools();
    build_kinds();
    file_rng = seed ^ 0x5bd1e995u;
    rec = xmalloc(REC_MAX);
    buf = xmalloc(gz ? (24u << 20) : OUT_CHUNK + REC_MAX);
    if (gz) {
        mkdir_p(out);
    } else {
        f = fopen(out, "wb");
        if (!f)
            die("cannot create %s: %s", out, strerror(errno));
    }
    while (written < size) {
        char *e;
        size_t n;
        /* not sorted: records lag the clock by up to a minute, as in real trails */
        int64_t et = t - rn(60);

        t += rn(3);
        e = gen_record(rec, et);
        n = (size_t)(e - rec);
        if (n >= REC_MAX)
            die("internal: record too long");
        written += n + 1;
        n_rec++;
        if (!gz) {
            memcpy(buf + used, rec, n);
            used += n;
            buf[used++] = '\n';
            if (used >= OUT_CHUNK) {
                if (fwrite(buf, 1, used, f) != used)
                    die("write %s: %s", out, strerror(errno));
                used = 0;
            }
            continue;
        }
        if (used == 0) {
            uint64_t save = rng_state;

            rng_state = file_rng; /* file sizes come from their own stream */
            file_target = (5u << 20) + rn(15u << 20);
            file_rng = rng_state;
            rng_state = save;
            memcpy(buf, "{\"Records\":[", 12);
            used = 12;
        } else {
            buf[used++] = ',';
        }
        memcpy(buf + used, rec, n);
        used += n;
        if (used >= file_target || written >= size) {
            memcpy(buf + used, "]}", 2);
            used += 2;
            write_records_gz(out, accounts[0], et, n_files, buf, used);
            n_files++;
            used = 0;
        }
    }
    if (!gz) {
        if (used && fwrite(buf, 1, used, f) != used)
            die("write %s: %s", out, strerror(errno));
        if (fclose(f) != 0)
            die("write %s: %s", out, strerror(errno));
    }
    clock_gettime(CLOCK_MONOTONIC, &ts1);
    secs = (double)(ts1.tv_sec - ts0.tv_sec) + (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e9;
    fprintf(stderr,
            "gen-cloudtrail: %llu records (%llu GetObject), %llu bytes%s%s, %.2f s, %.0f MB/s\n",
            (unsigned long long)n_rec, (unsigned long long)n_getobject,
            (unsigned long long)written, gz ? " in gzip Records files: " : " -> ", out, secs,
            (double)written / 1e6 / (secs > 0 ? secs : 1e-9));
    if (gz)
        fprintf(stderr, "gen-cloudtrail: %llu files\n", (unsigned long long)n_files);
    free(rec);
    free(buf);
    return 0;
}
