/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-json.c - JSON tokenizer throughput on CloudTrail-like lines: generates ~200 MB (or
 * argv[1] MB; or reads a JSON lines FILE) from a few record templates, and reports MB/s of
 * ty_json_parse, of ty_json_parse + 22 key lookups, and of cJSON + the same lookups.
 * Times are thread CPU time, best of 3 rounds (cJSON 1): the machine is shared.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/json.h>

#include "bench-util.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static const char *const regions[] = {"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"};
static const char *const agents[] = {
    "[aws-cli/2.13.25 Python/3.11.5 Linux/5.15.0-1045-aws exe/x86_64.ubuntu.22 prompt/off "
    "command/s3.cp]",
    "aws-sdk-go/1.44.327 (go1.20.7; linux; amd64)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Safari/537.36",
    "Boto3/1.28.62 md/Botocore#1.31.62 ua/2.0 os/linux#5.10.192 md/arch#x86_64 lang/python#3.9.16 "
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.62",
};

static void uuid(char *b)
{
    uint64_t a = rnd(), c = rnd();
    snprintf(b, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xffff, (unsigned)(c >> 48),
             (unsigned long long)(c & 0xffffffffffffull));
}

static void akid(char *b, const char *prefix)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    size_t n = strlen(prefix);
    memcpy(b, prefix, n);
    for (size_t i = n; i < 20; i++)
        b[i] = al[pick(32)];
    b[20] = '\0';
}

static void identity(struct out *o, const char *acct, int assumed)
{
    char key[21], pid[21], t[32];
    akid(key, assumed ? "ASIA" : "AKIA");
    akid(pid, assumed ? "AROA" : "AIDA");
    snprintf(t, sizeof(t), "2023-10-%02uT%02u:%02u:%02uZ", 1 + pick(28), pick(24), pick(60),
             pick(60));
    if (!assumed) {
        put(o,
            "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"%s\",\"arn\":\"arn:aws:iam::"
            "%s:user/alice%u\",\"accountId\":\"%s\",\"accessKeyId\":\"%s\","
            "\"userName\":\"alice%u\"}",
            pid, acct, pick(50), acct, key, pick(50));
        return;
    }
    unsigned r = pick(20);
    put(o,
        "\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"%s:i-0%011llx\",\"arn\":"
        "\"arn:aws:sts::%s:assumed-role/app-role-%u/i-0%011llx\",\"accountId\":\"%s\","
        "\"accessKeyId\":\"%s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
        "\"principalId\":\"%s\",\"arn\":\"arn:aws:iam::%s:role/app-role-%u\",\"accountId\":\"%s\","
        "\"userName\":\"app-role-%u\"},\"webIdFederationData\":{},\"attributes\":{"
        "\"creationDate\":\"%s\",\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}}",
        pid, (unsigned long long)(rnd() & 0xffffffffffull), acct, r,
        (unsigned long long)(rnd() & 0xffffffffffull), acct, key, pid, acct, r, acct, r, t);
}

static void common_head(struct out *o, const char *acct, const char *src, const char *name,
                        int assumed)
{
    put(o, "{\"eventVersion\":\"1.0%u\",", 5 + pick(5));
    identity(o, acct, assumed);
    put(o,
        ",\"eventTime\":\"2023-10-%02uT%02u:%02u:%02uZ\",\"eventSource\":\"%s\",\"eventName\":"
        "\"%s\",\"awsRegion\":\"%s\",\"sourceIPAddress\":\"%u.%u.%u.%u\",\"userAgent\":\"%s\",",
        1 + pick(28), pick(24), pick(60), pick(60), src, name, regions[pick(4)], 1 + pick(223),
        pick(256), pick(256), pick(256), agents[pick(4)]);
}

static void common_tail(struct out *o, const char *acct, const char *type, int ro, int mgmt,
                        const char *host)
{
    char rid[37], eid[37];
    uuid(rid);
    uuid(eid);
    put(o,
        "\"requestID\":\"%s\",\"eventID\":\"%s\",\"readOnly\":%s,\"eventType\":\"%s\","
        "\"managementEvent\":%s,\"recipientAccountId\":\"%s\",\"eventCategory\":\"%s\","
        "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.%u\",\"cipherSuite\":\"%s\","
        "\"clientProvidedHostHeader\":\"%s\"}}\n",
        rid, eid, ro ? "true" : "false", type, mgmt ? "true" : "false", acct,
        mgmt ? "Management" : "Data", 2 + pick(2),
        pick(2) ? "ECDHE-RSA-AES128-GCM-SHA256" : "TLS_AES_128_GCM_SHA256", host);
}

static void rec_s3(struct out *o, const char *acct)
{
    unsigned b = pick(40);
    common_head(o, acct, "s3.amazonaws.com", pick(3) ? "GetObject" : "PutObject", 1);
    put(o,
        "\"requestParameters\":{\"bucketName\":\"client-records-%u\",\"Host\":\"client-records-%u"
        ".s3.us-east-1.amazonaws.com\",\"key\":\"exports/2023/10/%u/part-%05u.csv.gz\"},"
        "\"responseElements\":null,\"additionalEventData\":{\"SignatureVersion\":\"SigV4\","
        "\"CipherSuite\":\"ECDHE-RSA-AES128-GCM-SHA256\",\"bytesTransferredIn\":0,"
        "\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"%016llx%016llx/%016llx=\","
        "\"bytesTransferredOut\":%u},\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":"
        "\"arn:aws:s3:::client-records-%u/exports/2023/10/%u/part-%05u.csv.gz\"},{\"accountId\":"
        "\"%s\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::client-records-%u\"}],",
        b, b, pick(31), pick(99999), (unsigned long long)rnd(), (unsigned long long)rnd(),
        (unsigned long long)rnd(), pick(50000000), b, pick(31), pick(99999), acct, b);
    common_tail(o, acct, "AwsApiCall", 1, 0, "client-records.s3.us-east-1.amazonaws.com");
}

static void rec_iam(struct out *o, const char *acct)
{
    common_head(o, acct, "iam.amazonaws.com", "PutRolePolicy", 0);
    put(o,
        "\"requestParameters\":{\"roleName\":\"app-role-%u\",\"policyName\":\"inline-%u\","
        "\"policyDocument\":\"{\\n  \\\"Version\\\": \\\"2012-10-17\\\",\\n  \\\"Statement\\\": "
        "[\\n    {\\n      \\\"Effect\\\": \\\"Allow\\\",\\n      \\\"Action\\\": [\\\"s3:GetObject"
        "\\\", \\\"s3:ListBucket\\\"],\\n      \\\"Resource\\\": \\\"arn:aws:s3:::client-records-%u"
        "/*\\\"\\n    }\\n  ]\\n}\"},\"responseElements\":null,",
        pick(20), pick(1000), pick(40));
    if (pick(4) == 0)
        put(o, "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User: arn:aws:iam::%s:user/bob "
               "is not authorized to perform: iam:PutRolePolicy on resource: role app-role "
               "because no identity-based policy allows the iam:PutRolePolicy action\",", acct);
    common_tail(o, acct, "AwsApiCall", 0, 1, "iam.amazonaws.com");
}

static void rec_ec2(struct out *o, const char *acct)
{
    char res[37];
    uuid(res);
    common_head(o, acct, "ec2.amazonaws.com", "RunInstances", 1);
    put(o,
        "\"requestParameters\":{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0%016llx\","
        "\"minCount\":1,\"maxCount\":%u}]},\"instanceType\":\"c5.%uxlarge\",\"blockDeviceMapping\":"
        "{},\"monitoring\":{\"enabled\":false},\"disableApiTermination\":false,"
        "\"disableApiStop\":false,\"clientToken\":\"%s\"},\"responseElements\":{\"requestId\":"
        "\"%s\",\"reservationId\":\"r-0%016llx\",\"ownerId\":\"%s\",\"groupSet\":{},"
        "\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0%016llx\",\"imageId\":\"ami-0%016llx\","
        "\"instanceState\":{\"code\":0,\"name\":\"pending\"},\"privateDnsName\":\"ip-10-0-%u-%u"
        ".ec2.internal\",\"amiLaunchIndex\":0,\"productCodes\":{},\"instanceType\":\"c5.%uxlarge\","
        "\"launchTime\":1696%06u000,\"placement\":{\"availabilityZone\":\"us-east-1a\",\"tenancy\":"
        "\"default\"},\"monitoring\":{\"state\":\"disabled\"},\"subnetId\":\"subnet-0%08x\","
        "\"vpcId\":\"vpc-0%08x\",\"privateIpAddress\":\"10.0.%u.%u\",\"stateReason\":{\"code\":"
        "\"pending\",\"message\":\"pending\"},\"architecture\":\"x86_64\",\"rootDeviceType\":"
        "\"ebs\",\"rootDeviceName\":\"/dev/xvda\",\"virtualizationType\":\"hvm\",\"hypervisor\":"
        "\"xen\",\"cpuOptions\":{\"coreCount\":%u,\"threadsPerCore\":2},\"ebsOptimized\":true,"
        "\"enaSupport\":true}]}},",
        (unsigned long long)rnd() & 0xffffffffffffffull, 1 + pick(30), 1 + pick(8), res, res,
        (unsigned long long)rnd() & 0xffffffffffffffull, acct,
        (unsigned long long)rnd() & 0xffffffffffffffull,
        (unsigned long long)rnd() & 0xffffffffffffffull, pick(256), pick(256), 1 + pick(8),
        pick(1000000), (unsigned)rnd(), (unsigned)rnd(), pick(256), pick(256), 2 + pick(30));
    common_tail(o, acct, "AwsApiCall", 0, 1, "ec2.us-east-1.amazonaws.com");
}

static void rec_login(struct out *o, const char *acct)
{
    common_head(o, acct, "signin.amazonaws.com", "ConsoleLogin", 0);
    put(o,
        "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"%s\"},"
        "\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/console/home?"
        "hashArgs=%%23&isauthcode=true&state=hashArgsFromTB_us-east-1_%016llx\","
        "\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::%s:mfa/alice\","
        "\"MFAUsed\":\"%s\"},",
        pick(5) ? "Success" : "Failure", (unsigned long long)rnd(), acct, pick(2) ? "Yes" : "No");
    common_tail(o, acct, "AwsConsoleSignIn", 0, 1, "signin.aws.amazon.com");
}

static void rec_sts(struct out *o, const char *acct)
{
    char key[21], sess[37];
    akid(key, "ASIA");
    uuid(sess);
    common_head(o, acct, "sts.amazonaws.com", "AssumeRole", 1);
    put(o,
        "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::%s:role/s3-get-object-role\","
        "\"roleSessionName\":\"botocore-session-%u\",\"durationSeconds\":3600},"
        "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":"
        "\"IQoJb3JpZ2luX2VjEOj//////////wEaCXVzLWVhc3QtMSJHMEUCIQD%016llx%016llx%016llx"
        "%016llx%016llx%016llx\",\"expiration\":\"Oct %u, 2023, %u:%02u:%02u PM\"},"
        "\"assumedRoleUser\":{\"assumedRoleId\":\"AROA%016llX:botocore-session-%u\",\"arn\":"
        "\"arn:aws:sts::%s:assumed-role/s3-get-object-role/botocore-session-%u\"}},"
        "\"resources\":[{\"accountId\":\"%s\",\"type\":\"AWS::IAM::Role\",\"ARN\":"
        "\"arn:aws:iam::%s:role/s3-get-object-role\"}],\"sharedEventID\":\"%s\",",
        acct, pick(1u << 30), key, (unsigned long long)rnd(), (unsigned long long)rnd(),
        (unsigned long long)rnd(), (unsigned long long)rnd(), (unsigned long long)rnd(),
        (unsigned long long)rnd(), 1 + pick(28), 1 + pick(11), pick(60), pick(60),
        (unsigned long long)rnd(), pick(1000), acct, pick(1000), acct, acct, sess);
    common_tail(o, acct, "AwsApiCall", 0, 1, "sts.amazonaws.com");
}

/* The lookups a CloudTrail parser does per record. */
static const char *const keys[] = {
    "eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
    "userAgent", "requestID", "eventID", "eventType", "readOnly", "recipientAccountId",
    "errorCode", "errorMessage", "eventCategory", "userIdentity.type", "userIdentity.arn",
    "userIdentity.accountId", "userIdentity.accessKeyId", "userIdentity.principalId",
    "userIdentity.sessionContext.sessionIssuer.arn", "requestParameters.bucketName",
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static const cJSON *cj_path(const cJSON *o, const char *path)
{
    char seg[64];
    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof(seg))
            return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        o = cJSON_GetObjectItemCaseSensitive(o, seg);
        path += n + (dot != NULL);
    }
    return o;
}

int main(int argc, char **argv)
{
    size_t want = (argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200) << 20;
    struct out o = {malloc(1 << 20), 0, 1 << 20};
    char acct[3][13] = {"123456789012", "210987654321", "751203476945"};
    size_t n_lines = 0, found = 0, bytes_str = 0;
    struct ty_json_doc d;
    struct ty_arena a;
    struct ty_err err;
    double t0, best_parse = 1e9, best_get = 1e9, t_cj = 0;

    if (!o.p)
        return 1;
    ty_json_doc_init(&d, 0, 0);
    ty_arena_init(&a, 0, 0);
    if (argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9')) {
        /* a JSON lines file instead: keep the lines that are valid objects */
        FILE *f = fopen(argv[1], "rb");
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        if (!f) {
            perror(argv[1]);
            return 1;
        }
        while ((n = getline(&line, &cap, f)) > 0) {
            if (line[n - 1] == '\n')
                n--;
            if (n == 0 || line[0] != '{' || ty_json_parse(&d, line, (size_t)n, &err) != 0)
                continue;
            put(&o, "%.*s\n", (int)n, line);
            n_lines++;
        }
        free(line);
        fclose(f);
        want = 0;
    }
    while (o.len < want) {
        const char *ac = acct[pick(3)];
        switch (pick(10)) {
        case 0: case 1: case 2: case 3: rec_s3(&o, ac); break;
        case 4: case 5: rec_sts(&o, ac); break;
        case 6: rec_iam(&o, ac); break;
        case 7: rec_login(&o, ac); break;
        default: rec_ec2(&o, ac); break;
        }
        n_lines++;
    }
    printf("bench-json: %zu lines, %.1f MB, %.0f bytes/line\n", n_lines, (double)o.len / 1e6,
           (double)o.len / (double)n_lines);

    if (!n_lines)
        return 1;
    for (int round = 0; round < 3; round++) {
        /* tokenize only */
        t0 = bench_thread_cpu();
        for (const char *p = o.p, *e = o.p + o.len; p < e;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            if (ty_json_parse(&d, p, (size_t)(nl - p), &err) != 0) {
                fprintf(stderr, "bench-json: %s\n", err.msg);
                return 1;
            }
            p = nl + 1;
        }
        double t = bench_thread_cpu() - t0;
        best_parse = t < best_parse ? t : best_parse;
        /* tokenize + lookups + string decoding */
        found = bytes_str = 0;
        t0 = bench_thread_cpu();
        for (const char *p = o.p, *e = o.p + o.len; p < e;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            if (ty_json_parse(&d, p, (size_t)(nl - p), &err) != 0)
                return 1;
            for (size_t k = 0; k < N_KEYS; k++) {
                uint32_t v = ty_json_path(&d, 0, keys[k]);
                struct ty_str s;
                if (v != TY_JSON_NONE && ty_json_text(&d, v, &a, &s) == 0) {
                    found++;
                    bytes_str += s.len;
                }
            }
            ty_arena_reset(&a);
            p = nl + 1;
        }
        t = bench_thread_cpu() - t0;
        best_get = t < best_get ? t : best_get;
    }
    printf("ty_json_parse:               %7.0f MB/s  (%.0f ns/line)\n",
           (double)o.len / 1e6 / best_parse, best_parse * 1e9 / (double)n_lines);
    printf("ty_json_parse + %zu lookups:  %7.0f MB/s  (%.1f keys found/line)\n", N_KEYS,
           (double)o.len / 1e6 / best_get, (double)found / (double)n_lines);

    {
        size_t cj_found = 0;
        t0 = bench_thread_cpu();
        for (const char *p = o.p, *e = o.p + o.len; p < e;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            cJSON *root = cJSON_ParseWithLength(p, (size_t)(nl - p));
            if (!root)
                return 1;
            for (size_t k = 0; k < N_KEYS; k++) {
                const cJSON *v = cj_path(root, keys[k]);
                cj_found += v != NULL;
            }
            cJSON_Delete(root);
            p = nl + 1;
        }
        t_cj = bench_thread_cpu() - t0;
        printf("cJSON_Parse + %zu lookups:    %7.0f MB/s  (%.1f keys found/line)\n", N_KEYS,
               (double)o.len / 1e6 / t_cj, (double)cj_found / (double)n_lines);
    }
    printf("(%zu string bytes seen)\n", bytes_str);
    ty_arena_release(&a);
    ty_json_doc_release(&d);
    free(o.p);
    return 0;
}
