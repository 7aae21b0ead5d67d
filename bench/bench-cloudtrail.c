/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-cloudtrail.c - throughput of the CloudTrail parser on JSON lines.
 * Generates ~200 MB (or argv[1] MB) of CloudTrail records in memory from
 * hand-written templates in the real key order (S3 data events, KMS, STS
 * AssumeRole, EC2, console logins, IAM with an escaped policy document, AWS
 * service calls without an ARN, ~4 % errors), then reports, best of 5 rounds
 * (argv[2] to change)
 * on one core: MB/s and records/s for tokenizing only (ty_json_parse), and for
 * the full record() path (tokenize + normalise + emit to a counting sink).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tyto/arena.h>
#include <tyto/json.h>
#include <tyto/parser.h>

#include "bench-util.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

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

static const char *const agents[] = {
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off "
    "command/s3.cp",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.12.2 "
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 "
    "api/s3#1.51.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36",
    "console.amazonaws.com",
    "AWS Internal",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) "
    "terraform-provider-aws/5.40.0 aws-sdk-go/1.51.1 (go1.22.1; linux; amd64)",
    "custom-tool/1.0 \\\"quoted\\\" build",
};

static const char *const regions[] = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1",
                                      "ap-southeast-2"};

static void ip(char *b, size_t n)
{
    if (pick(3) == 0)
        snprintf(b, n, "10.%u.%u.%u", pick(256), pick(256), 1 + pick(254));
    else
        snprintf(b, n, "%u.%u.%u.%u", 3 + pick(200), pick(256), pick(256), 1 + pick(254));
}

static void uuid(char *b, size_t n)
{
    snprintf(b, n, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)rnd(), pick(65536), pick(4096),
             0x8000 | pick(0x4000), (unsigned long long)(rnd() & 0xffffffffffffull));
}

/* userIdentity of one of three kinds. */
static void identity(struct out *o, int kind, const char *acct)
{
    unsigned u = pick(50);
    if (kind == 0) {
        put(o,
            "{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLEROLE%04u:i-0%016llx\","
            "\"arn\":\"arn:aws:sts::%s:assumed-role/app-role-%u/i-0%016llx\",\"accountId\":\"%s\","
            "\"accessKeyId\":\"ASIAEXAMPLE%09u\",\"sessionContext\":{\"sessionIssuer\":{\"type\":"
            "\"Role\",\"principalId\":\"AROAEXAMPLEROLE%04u\",\"arn\":\"arn:aws:iam::%s:role/"
            "app-role-%u\",\"accountId\":\"%s\",\"userName\":\"app-role-%u\"},"
            "\"webIdFederationData\":{},\"attributes\":{\"creationDate\":"
            "\"2024-03-12T13:58:02Z\",\"mfaAuthenticated\":\"false\"},"
            "\"ec2RoleDelivery\":\"2.0\"}}",
            u, (unsigned long long)(rnd() & 0xffffffffffffffull), acct, u,
            (unsigned long long)(rnd() & 0xffffffffffffffull), acct, pick(1000000000), u, acct, u,
            acct, u);
    } else if (kind == 1) {
        put(o,
            "{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEUSER%05u\",\"arn\":"
            "\"arn:aws:iam::%s:user/user-%u\",\"accountId\":\"%s\",\"accessKeyId\":"
            "\"AKIAEXAMPLE%09u\",\"userName\":\"user-%u\"}",
            u, acct, u, acct, pick(1000000000), u);
    } else {
        put(o, "{\"type\":\"AWSService\",\"invokedBy\":\"%s.amazonaws.com\"}",
            pick(2) ? "lambda" : "cloudformation");
    }
}

static void record(struct out *o, unsigned i)
{
    char t[32], eid[48], rid[48], src[24];
    const char *acct = pick(4) ? "111122223333" : "444455556666";
    const char *region = regions[pick(5)];
    const char *agent = agents[pick(8)];
    unsigned r = pick(1000);
    int idk = pick(100) < 55 ? 0 : (pick(100) < 70 ? 1 : 2);
    bool err = pick(100) < 4;

    snprintf(t, sizeof(t), "2024-03-%02uT%02u:%02u:%02uZ", 1 + i / 100000 % 28, pick(24),
             pick(60), pick(60));
    uuid(eid, sizeof(eid));
    uuid(rid, sizeof(rid));
    ip(src, sizeof(src));
    put(o, "{\"eventVersion\":\"1.09\",\"userIdentity\":");
    identity(o, idk, acct);
    if (r < 275) { /* S3 GetObject data event */
        unsigned b = pick(40), k = pick(100000);
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":"
            "\"GetObject\",\"awsRegion\":\"%s\",\"sourceIPAddress\":\"%s\",\"userAgent\":\"[%s]\","
            "%s\"requestParameters\":{\"bucketName\":\"acme-data-%u\",\"Host\":\"acme-data-%u.s3.%s"
            ".amazonaws.com\",\"key\":\"exports/2024/clients-%u-r\\u00e9sum\\u00e9.csv\"},"
            "\"responseElements\":null,\"additionalEventData\":{\"SignatureVersion\":\"SigV4\","
            "\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":0,"
            "\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"gyAgfHKWBQDUmPzc6Za14YfKLUew"
            "1NZi81kJ1w95x6ibnEsBn7rpYrjnoTeUrjEGGMfXo7BgS70=\",\"bytesTransferredOut\":%u},"
            "\"requestID\":\"%.16s\",\"eventID\":\"%s\",\"readOnly\":true,\"resources\":[{\"type\":"
            "\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::acme-data-%u/exports/2024/clients-%u-"
            "r\\u00e9sum\\u00e9.csv\"},{\"accountId\":\"%s\",\"type\":\"AWS::S3::Bucket\",\"ARN\":"
            "\"arn:aws:s3:::acme-data-%u\"}],\"eventType\":\"AwsApiCall\","
            "\"managementEvent\":false,"
            "\"recipientAccountId\":\"%s\",%s\"eventCategory\":\"Data\",\"tlsDetails\":{"
            "\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
            "\"clientProvidedHostHeader\":\"acme-data-%u.s3.%s.amazonaws.com\"}}\n",
            t, region, src, agent,
            err ? "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"Access Denied\"," : "", b, b,
            region, k, pick(50000000), rid, eid, b, k, acct, b, acct,
            pick(10) ? "" : "\"vpcEndpointId\":\"vpce-0123456789abcdef0\",", b, region);
    } else if (r < 450) { /* KMS Decrypt */
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\","
            "\"awsRegion\":\"%s\",\"sourceIPAddress\":\"%s\",\"userAgent\":\"%s\","
            "\"requestParameters\":{\"encryptionContext\":{\"aws:lambda:FunctionArn\":"
            "\"arn:aws:lambda:%s:%s:function:worker-%u\"},\"encryptionAlgorithm\":"
            "\"SYMMETRIC_DEFAULT\"},\"responseElements\":null,\"requestID\":\"%s\",\"eventID\":"
            "\"%s\",\"readOnly\":true,\"resources\":[{\"accountId\":\"%s\",\"type\":"
            "\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:%s:%s:key/%s\"}],\"eventType\":\"AwsApiCall\","
            "\"managementEvent\":true,\"recipientAccountId\":\"%s\",\"eventCategory\":"
            "\"Management\"}\n",
            t, region, idk == 2 ? "AWS Internal" : src, agent, region, acct, pick(20), rid, eid,
            acct, region, acct, rid, acct);
    } else if (r < 600) { /* STS AssumeRole */
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":"
            "\"AssumeRole\",\"awsRegion\":\"%s\",\"sourceIPAddress\":\"%s\",\"userAgent\":\"%s\","
            "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::%s:role/deploy-%u\","
            "\"roleSessionName\":\"session-%u\",\"durationSeconds\":3600},\"responseElements\":{"
            "\"credentials\":{\"accessKeyId\":\"ASIANEWKEY%010u\",\"sessionToken\":\"IQoJb3JpZ2lu"
            "X2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6xXexample\",\"expiration\":"
            "\"Mar 12, 2024, 3:05:09 PM\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROAEXAMPLE:"
            "session-%u\",\"arn\":\"arn:aws:sts::%s:assumed-role/deploy-%u/session-%u\"}},"
            "\"requestID\":\"%s\",\"eventID\":\"%s\",\"readOnly\":true,\"resources\":[{"
            "\"accountId\":\"%s\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::%s:role/"
            "deploy-%u\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
            "\"recipientAccountId\":\"%s\",\"sharedEventID\":\"%s\",\"eventCategory\":"
            "\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
            "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"sts.amazonaws.com\"}}\n",
            t, region, idk == 2 ? "lambda.amazonaws.com" : src, agent, acct, r % 7, i,
            pick(1000000000), i, acct, r % 7, i, rid, eid, acct, acct, r % 7, acct, eid);
    } else if (r < 760) { /* EC2 DescribeInstances / RunInstances */
        bool run = pick(4) == 0;
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"%s\","
            "\"awsRegion\":\"%s\",\"sourceIPAddress\":\"%s\",\"userAgent\":\"%s\",%s"
            "\"requestParameters\":{\"instancesSet\":{\"items\":[{\"instanceId\":"
            "\"i-0%016llx\"}]},\"filterSet\":{\"items\":[{\"name\":\"instance-state-name\","
            "\"valueSet\":{\"items\":[{\"value\":\"running\"}]}}]}},\"responseElements\":%s,"
            "\"requestID\":\"%s\",\"eventID\":\"%s\",\"readOnly\":%s,\"eventType\":\"AwsApiCall\","
            "\"managementEvent\":true,\"recipientAccountId\":\"%s\",\"eventCategory\":"
            "\"Management\"}\n",
            t, run ? "RunInstances" : "DescribeInstances", region, src, agent,
            err ? "\"errorCode\":\"Client.UnauthorizedOperation\",\"errorMessage\":\"You are not "
                  "authorized to perform this operation. Encoded authorization failure message: "
                  "4fSx9example\","
                : "",
            (unsigned long long)(rnd() & 0xffffffffffffffull),
            run ? "{\"requestId\":\"r\",\"reservationId\":\"r-0123456789abcdef0\","
                  "\"ownerId\":\"111122223333\",\"instancesSet\":{\"items\":[{\"instanceId\":"
                  "\"i-0123456789abcdef0\",\"imageId\":\"ami-0abcdef1234567890\","
                  "\"instanceState\":{\"code\":0,\"name\":\"pending\"}}]}}"
                : "null",
            rid, eid, run ? "false" : "true", acct);
    } else if (r < 840) { /* console login */
        bool ok = pick(10) != 0;
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"signin.amazonaws.com\",\"eventName\":"
            "\"ConsoleLogin\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"%s\","
            "\"userAgent\":\"%s\",%s\"requestParameters\":null,\"responseElements\":{"
            "\"ConsoleLogin\":\"%s\"},\"additionalEventData\":{\"LoginTo\":"
            "\"https://console.aws.amazon.com/console/home?state=hashArgs%%23&isauthcode=true\","
            "\"MobileVersion\":\"No\",\"MFAUsed\":\"%s\"},\"eventID\":\"%s\",\"readOnly\":false,"
            "\"eventType\":\"AwsConsoleSignIn\",\"managementEvent\":true,\"recipientAccountId\":"
            "\"%s\",\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
            "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":"
            "\"signin.aws.amazon.com\"}}\n",
            t, src, agents[3], ok ? "" : "\"errorMessage\":\"Failed authentication\",",
            ok ? "Success" : "Failure", pick(2) ? "Yes" : "No", eid, acct);
    } else if (r < 920) { /* IAM PutRolePolicy with an escaped policy document */
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":"
            "\"PutRolePolicy\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"%s\","
            "\"userAgent\":\"%s\",\"requestParameters\":{\"roleName\":\"app-role-%u\","
            "\"policyName\":\"inline-%u\",\"policyDocument\":\"{\\n  \\\"Version\\\": "
            "\\\"2012-10-17\\\",\\n  \\\"Statement\\\": [\\n    {\\n      \\\"Effect\\\": "
            "\\\"Allow\\\",\\n      \\\"Action\\\": [\\\"s3:GetObject\\\", \\\"s3:ListBucket\\\"],"
            "\\n      \\\"Resource\\\": \\\"arn:aws:s3:::acme-data-%u/*\\\"\\n    }\\n  ]\\n}\"},"
            "\"responseElements\":null,\"requestID\":\"%s\",\"eventID\":\"%s\",\"readOnly\":false,"
            "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"%s\","
            "\"eventCategory\":\"Management\"}\n",
            t, src, agent, pick(50), pick(9), pick(40), rid, eid, acct);
    } else { /* IAM CreateAccessKey / CreateUser */
        unsigned u = pick(300);
        put(o,
            ",\"eventTime\":\"%s\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":"
            "\"CreateAccessKey\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"%s\","
            "\"userAgent\":\"%s\",%s\"requestParameters\":{\"userName\":\"svc-%u\"},"
            "\"responseElements\":{\"accessKey\":{\"userName\":\"svc-%u\",\"accessKeyId\":"
            "\"AKIANEWKEY%010u\",\"status\":\"Active\","
            "\"createDate\":\"Mar 12, 2024 2:05:09 PM\"}},"
            "\"requestID\":\"%s\",\"eventID\":\"%s\",\"readOnly\":false,\"eventType\":"
            "\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"%s\","
            "\"eventCategory\":\"Management\"}\n",
            t, src, agent,
            err ? "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User: "
                  "arn:aws:iam::111122223333"
                  ":user/x is not authorized to perform: iam:CreateAccessKey\","
                : "",
            u, u, pick(1000000000), rid, eid, acct);
    }
}

struct sink {
    uint64_t n;
    uint64_t check; /* keeps the compiler from dropping work */
};

static int count(void *s, struct ty_event *ev)
{
    struct sink *k = s;
    k->n++;
    k->check += ev->present[0] ^ ev->present[1];
    return 0;
}

int main(int argc, char **argv)
{
    size_t target = (size_t)(argc > 1 ? strtoul(argv[1], NULL, 10) : 200) * 1000000;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5; /* more: for profiling */
    struct out o = {malloc(1 << 20), 0, 1 << 20};
    unsigned n_rec = 0;
    while (o.len < target)
        record(&o, n_rec++);
    printf("bench-cloudtrail: %u records, %.1f MB, %.0f bytes/record\n", n_rec, o.len / 1e6,
           (double)o.len / n_rec);

    /* line index, so both loops measure the same splitting */
    size_t *starts = malloc((n_rec + 1) * sizeof(*starts));
    size_t n = 0;
    for (size_t i = 0; i < o.len;) {
        starts[n++] = i;
        const char *nl = memchr(o.p + i, '\n', o.len - i);
        i = nl ? (size_t)(nl - o.p) + 1 : o.len;
    }
    starts[n] = o.len;

    struct ty_json_doc doc;
    struct ty_arena arena;
    struct ty_err err;
    struct sink sink = {0, 0};
    struct ty_parse_ctx ctx;
    ty_json_doc_init(&doc, 0, 0);
    ty_arena_init(&arena, 0, 0);
    memset(&ctx, 0, sizeof(ctx));
    ctx.arena = &arena;
    ctx.json = &doc;
    ctx.emit = count;
    ctx.sink = &sink;
    ctx.parser = &ty_parser_cloudtrail;
    ctx.head = (struct ty_str){o.p, 65536};
    if (ty_parser_cloudtrail.open(&ctx, &err) != 0) {
        fprintf(stderr, "open failed: %s\n", err.msg);
        return 1;
    }
    printf("shape: %s\n", ctx.shape);

    double best_tok = 1e9, best_full = 1e9, w0 = bench_wall();
    uint64_t bad = 0;
    for (int round = 0; round < rounds; round++) {
        double t0 = bench_thread_cpu();
        for (size_t i = 0; i < n; i++) {
            size_t len = starts[i + 1] - starts[i] - 1;
            if (ty_json_parse(&doc, o.p + starts[i], len, &err) != 0)
                bad++;
        }
        double t1 = bench_thread_cpu();
        sink.n = 0;
        for (size_t i = 0; i < n; i++) {
            struct ty_record rec = {o.p + starts[i], starts[i + 1] - starts[i] - 1, starts[i],
                                    i + 1};
            ctx.rec = &rec;
            ctx.n_emitted = 0;
            if (ty_parser_cloudtrail.record(&ctx, &rec, &err) != TY_OK)
                bad++;
            ty_arena_reset(&arena);
        }
        double t2 = bench_thread_cpu();
        if (t1 - t0 < best_tok)
            best_tok = t1 - t0;
        if (t2 - t1 < best_full)
            best_full = t2 - t1;
    }
    if (bad || sink.n != n) {
        fprintf(stderr, "bench-cloudtrail: %llu bad records, %llu events for %zu records (%s)\n",
                (unsigned long long)bad, (unsigned long long)sink.n, n, err.msg);
        return 1;
    }
    printf("(%d rounds, %.1f s wall; times below are best-round thread CPU time)\n", rounds,
           bench_wall() - w0);
    printf("tokenize only      %7.0f MB/s  %9.0f records/s\n", o.len / 1e6 / best_tok,
           n / best_tok);
    printf("parse + normalise  %7.0f MB/s  %9.0f events/s   (normalise %.0f ns/record)\n",
           o.len / 1e6 / best_full, n / best_full, (best_full - best_tok) / n * 1e9);
    ty_parser_cloudtrail.close(&ctx);
    ty_json_doc_release(&doc);
    ty_arena_release(&arena);
    free(starts);
    free(o.p);
    return (int)(sink.check & 0); /* 0 */
}
