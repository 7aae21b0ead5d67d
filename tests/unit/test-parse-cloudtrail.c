/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-cloudtrail.c - the AWS CloudTrail parser: every delivery shape
 * with hand-written records and exact field values, sniff scores against
 * other JSON formats, corrupt and oddly typed records, and conformance over
 * the shared third-party samples (falco, stratus, otrf, plaso, sekoia,
 * panther) when they are present.
 *
 * The parser is driven directly: open() on the head, then record() per record
 * split here (lines, or the elements of the array under ctx->frame.key,
 * found with the JSON tokenizer).
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/frame.h>
#include <tyto/input.h>
#include <tyto/parser.h>
#include <tyto/time.h>

#include "test.h"

void test_parse_cloudtrail(void);

/* ------------------------------------------------------------------------ */
/* harness */

struct run {
    struct ty_arena arena;
    struct ty_json_doc json;
    struct ty_parse_ctx ctx;
    const struct ty_parser *parser;
    struct ty_event *ev;
    size_t n_ev, cap_ev;
    int n_ok, n_skip, n_corrupt, n_fatal;
    struct ty_err err;     /* of the last corrupt record */
    char last_reason[256]; /* same */
    int opened;
};

static int collect(void *sink, struct ty_event *ev)
{
    struct run *r = sink;
    if (r->n_ev == r->cap_ev) {
        size_t cap = r->cap_ev ? r->cap_ev * 2 : 16;
        struct ty_event *n = realloc(r->ev, cap * sizeof(*n));
        if (!n)
            return TY_ENOMEM;
        r->ev = n;
        r->cap_ev = cap;
    }
    r->ev[r->n_ev++] = *ev;
    return 0;
}

static void run_init(struct run *r, const struct ty_parser *p)
{
    memset(r, 0, sizeof(*r));
    ty_arena_init(&r->arena, 0, 0);
    ty_json_doc_init(&r->json, 0, 0);
    r->parser = p;
    r->ctx.evidence = "test";
    r->ctx.arena = &r->arena;
    r->ctx.json = &r->json;
    r->ctx.emit = collect;
    r->ctx.sink = r;
    r->ctx.parser = p;
}

static int run_open(struct run *r, const char *buf, size_t len)
{
    struct ty_err err;
    r->ctx.head = ty_str_make(buf, len > 65536 ? 65536 : len);
    int rc = r->parser->open ? r->parser->open(&r->ctx, &err) : 0;
    r->opened = rc == 0;
    return rc;
}

static int run_rec(struct run *r, const char *p, size_t len, uint64_t off)
{
    struct ty_record rec = {p, len, off, 1};
    struct ty_err err;
    memset(&err, 0, sizeof(err));
    r->ctx.rec = &rec;
    r->ctx.n_emitted = 0;
    size_t before = r->n_ev;
    int rc = r->parser->record(&r->ctx, &rec, &err);
    r->ctx.rec = NULL;
    if (rc == TY_OK) {
        r->n_ok++;
        CHECK(r->n_ev > before);
    } else if (rc == TY_SKIP) {
        r->n_skip++;
        CHECK_INT(r->n_ev, before);
    } else if (rc == TY_ECORRUPT) {
        r->n_corrupt++;
        CHECK_INT(r->n_ev, before); /* nothing emitted from a corrupt record */
        CHECK(err.msg[0] != '\0');
        r->err = err;
        snprintf(r->last_reason, sizeof(r->last_reason), "%s", err.msg);
    } else {
        r->n_fatal++;
        r->err = err;
    }
    return rc;
}

/* Split buf as ctx->frame says and feed every record. */
static void run_frames(struct run *r, const char *buf, size_t len)
{
    const struct ty_frame_spec *f = &r->ctx.frame;
    if (f->kind == TY_FRAME_LINES) {
        size_t i = 0;
        while (i < len) {
            const char *nl = memchr(buf + i, '\n', len - i);
            size_t e = nl ? (size_t)(nl - buf) : len;
            size_t l = e - i;
            if (l && buf[i + l - 1] == '\r')
                l--;
            struct ty_str t = ty_parse_skip_ws(ty_str_make(buf + i, l));
            if (t.len)
                run_rec(r, buf + i, l, i);
            i = e + 1;
        }
        return;
    }
    if (f->kind == TY_FRAME_WHOLE) {
        run_rec(r, buf, len, 0);
        return;
    }
    /* TY_FRAME_JSON: one document here (the tests do not concatenate) */
    struct ty_json_doc d;
    struct ty_err err;
    ty_json_doc_init(&d, 0, 0);
    if (ty_json_parse(&d, buf, len, &err) != 0) {
        run_rec(r, buf, len, 0); /* the parser reports it */
        ty_json_doc_release(&d);
        return;
    }
    uint32_t arr = 0;
    if (f->key && d.toks[0].type == TY_JSON_OBJECT) {
        arr = ty_json_get(&d, 0, f->key);
        if (arr == TY_JSON_NONE) {
            run_rec(r, buf, len, 0);
            ty_json_doc_release(&d);
            return;
        }
    }
    if (d.toks[arr].type == TY_JSON_ARRAY) {
        for (uint32_t e = ty_json_first(&d, arr); e != TY_JSON_NONE; e = ty_json_next(&d, e)) {
            const struct ty_json_tok *t = &d.toks[e];
            size_t off = t->off, l = t->len;
            if (t->type == TY_JSON_STRING) {
                off--;
                l += 2;
            }
            run_rec(r, buf + off, l, off);
        }
    } else {
        run_rec(r, buf, len, 0);
    }
    ty_json_doc_release(&d);
}

static void run_feed(struct run *r, const char *buf, size_t len)
{
    if (run_open(r, buf, len) == 0)
        run_frames(r, buf, len);
}

static void run_release(struct run *r)
{
    if (r->opened && r->parser->close)
        r->parser->close(&r->ctx);
    ty_json_doc_release(&r->json);
    ty_arena_release(&r->arena);
    free(r->ev);
    r->ev = NULL;
}

static const char *time_text(const struct ty_event *ev, char *buf)
{
    if (!ty_event_has(ev, TY_F_TS))
        return "(none)";
    ty_time_format(ty_event_int(ev, TY_F_TS, 0), (int)ty_event_int(ev, TY_F_TS_PREC, 0), buf);
    return buf;
}

static const char *ip_text(const struct ty_event *ev, enum ty_field f, char *buf)
{
    if (!ty_event_has(ev, f))
        return "(none)";
    ty_ip_format(&ev->v[f].ip, buf);
    return buf;
}

#define CHECK_FIELD(ev, f, want) CHECK_SPAN(ty_event_str((ev), TY_F_##f), (want))
#define CHECK_ABSENT(ev, f) CHECK(!ty_event_has((ev), TY_F_##f))

/* ------------------------------------------------------------------------ */
/* samples */

/* S3 data event through an EC2 instance role, and an IAM call. */
static const char s3_file[] =
    "{\"Records\":[{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\","
    "\"principalId\":\"AROAEXAMPLEROLE0001:i-0a1b2c3d4e5f60718\","
    "\"arn\":\"arn:aws:sts::111122223333:assumed-role/s3-get-object-role/i-0a1b2c3d4e5f60718\","
    "\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLEKEY00001\","
    "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":"
    "\"AROAEXAMPLEROLE0001\",\"arn\":\"arn:aws:iam::111122223333:role/s3-get-object-role\","
    "\"accountId\":\"111122223333\",\"userName\":\"s3-get-object-role\"},\"attributes\":"
    "{\"creationDate\":\"2024-03-12T13:58:02Z\",\"mfaAuthenticated\":\"false\"},"
    "\"ec2RoleDelivery\":\"2.0\"}},\"eventTime\":\"2024-03-12T14:05:09Z\","
    "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":"
    "\"us-east-1\",\"sourceIPAddress\":\"198.51.100.23\",\"userAgent\":"
    "\"[aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64]\",\"requestParameters\":"
    "{\"bucketName\":\"acme-client-records\",\"Host\":\"acme-client-records.s3.amazonaws.com\","
    "\"key\":\"exports/clients-\\u00e9t\\u00e9.csv\"},\"responseElements\":null,"
    "\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"bytesTransferredIn\":0.0,"
    "\"AuthenticationMethod\":\"AuthHeader\",\"bytesTransferredOut\":1048576.0},"
    "\"requestID\":\"A471D1060ED5FD07\",\"eventID\":\"771299cb-e200-4926-9604-c85358b30499\","
    "\"readOnly\":true,\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":"
    "\"arn:aws:s3:::acme-client-records/exports/clients-\\u00e9t\\u00e9.csv\"},{\"accountId\":"
    "\"111122223333\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::acme-client-records\"}],"
    "\"eventType\":\"AwsApiCall\",\"managementEvent\":false,\"recipientAccountId\":"
    "\"111122223333\",\"vpcEndpointId\":\"vpce-0123456789abcdef0\",\"eventCategory\":\"Data\"},\n"
    "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":"
    "\"AIDAEXAMPLEUSER0001\",\"arn\":\"arn:aws:iam::111122223333:user/mallory\",\"accountId\":"
    "\"111122223333\",\"accessKeyId\":\"AKIAEXAMPLEKEY00002\",\"userName\":\"mallory\"},"
    "\"eventTime\":\"2024-03-12T14:06:00Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":"
    "\"CreateAccessKey\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"203.0.113.77\","
    "\"userAgent\":\"aws-cli/2.15.30 \\\"quoted\\\"\",\"requestParameters\":{\"userName\":"
    "\"svc-backup\"},\"responseElements\":{\"accessKey\":{\"userName\":\"svc-backup\","
    "\"accessKeyId\":\"AKIAEXAMPLENEWKEY01\",\"status\":\"Active\"}},\"requestID\":"
    "\"0f3c1a9e-5b2d-4c7e-9a11-2d4e6f8a0b13\",\"eventID\":\"7b1e2c44-9d0f-4a3b-8c6e-1f2a3b4c5d6e\","
    "\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
    "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}]}\n";

static void test_s3_records(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(s3_file, sizeof(s3_file) - 1)), 95);
    CHECK_INT(ty_parser_cloudtrail_digest.sniff(ty_str_make(s3_file, sizeof(s3_file) - 1)), 0);
    run_feed(&r, s3_file, sizeof(s3_file) - 1);
    CHECK_STR(r.ctx.shape, "S3 Records file");
    CHECK_INT(r.ctx.frame.kind, TY_FRAME_JSON);
    CHECK(r.ctx.frame.key && strcmp(r.ctx.frame.key, "Records") == 0);
    CHECK_INT(r.n_ok, 2);
    CHECK_INT(r.n_corrupt, 0);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        const struct ty_event *e = &r.ev[0];
        CHECK_STR(time_text(e, b), "2024-03-12T14:05:09Z");
        CHECK_INT(ty_event_int(e, TY_F_TS_PREC, -1), 0);
        CHECK_FIELD(e, TIME_TEXT, "2024-03-12T14:05:09Z");
        CHECK_FIELD(e, CATEGORY, "api");
        CHECK_FIELD(e, ACTION, "GetObject");
        CHECK_FIELD(e, PROVIDER, "s3.amazonaws.com");
        CHECK_FIELD(e, OUTCOME, "success");
        CHECK_INT(ty_event_int(e, TY_F_READ_ONLY, -1), 1);
        CHECK_FIELD(e, VENDOR_ID, "771299cb-e200-4926-9604-c85358b30499");
        CHECK_FIELD(e, CORRELATION_ID, "A471D1060ED5FD07");
        CHECK_FIELD(e, ACTOR, "arn:aws:sts::111122223333:assumed-role/s3-get-object-role/"
                              "i-0a1b2c3d4e5f60718");
        CHECK_FIELD(e, ACTOR_TYPE, "AssumedRole");
        CHECK_FIELD(e, ACTOR_ID, "AROAEXAMPLEROLE0001:i-0a1b2c3d4e5f60718");
        CHECK_FIELD(e, ACTOR_ACCOUNT, "111122223333");
        CHECK_FIELD(e, ACCESS_KEY, "ASIAEXAMPLEKEY00001");
        CHECK_FIELD(e, ACTOR_ISSUER, "arn:aws:iam::111122223333:role/s3-get-object-role");
        CHECK_FIELD(e, ACTOR_SESSION, "i-0a1b2c3d4e5f60718");
        CHECK_FIELD(e, HOST_ID, "i-0a1b2c3d4e5f60718");
        CHECK_INT(ty_event_int(e, TY_F_ACTOR_MFA, -1), 0);
        CHECK_FIELD(e, USER_AGENT, "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64");
        CHECK_STR(ip_text(e, TY_F_SRC_IP, b), "198.51.100.23");
        CHECK_ABSENT(e, SRC_ADDR);
        CHECK_FIELD(e, CLOUD_PROVIDER, "aws");
        CHECK_FIELD(e, CLOUD_ACCOUNT, "111122223333");
        CHECK_FIELD(e, CLOUD_REGION, "us-east-1");
        CHECK_FIELD(e, CLOUD_VPC, "vpce-0123456789abcdef0");
        CHECK_FIELD(e, BUCKET, "acme-client-records");
        CHECK_FIELD(e, OBJECT_KEY, "exports/clients-\xc3\xa9t\xc3\xa9.csv");
        CHECK_FIELD(e, TARGET,
                    "arn:aws:s3:::acme-client-records/exports/clients-\xc3\xa9t\xc3\xa9.csv");
        CHECK_FIELD(e, TARGET_KIND, "AWS::S3::Object");
        CHECK_INT(ty_event_int(e, TY_F_BYTES_OUT, -1), 1048576);
        CHECK_INT(ty_event_int(e, TY_F_BYTES_IN, -1), 0);
        CHECK_ABSENT(e, STATUS_CODE);
        CHECK_ABSENT(e, TARGET_USER);
        CHECK(e->raw.p && e->raw.p[0] == '{' && e->raw.p[e->raw.len - 1] == '}');

        e = &r.ev[1];
        CHECK_STR(time_text(e, b), "2024-03-12T14:06:00Z");
        CHECK_FIELD(e, ACTION, "CreateAccessKey");
        CHECK_FIELD(e, PROVIDER, "iam.amazonaws.com");
        CHECK_FIELD(e, ACTOR, "arn:aws:iam::111122223333:user/mallory");
        CHECK_FIELD(e, ACTOR_TYPE, "IAMUser");
        CHECK_FIELD(e, ACCESS_KEY, "AKIAEXAMPLEKEY00002");
        CHECK_ABSENT(e, ACTOR_SESSION);
        CHECK_ABSENT(e, ACTOR_ISSUER);
        CHECK_ABSENT(e, ACTOR_MFA);
        CHECK_ABSENT(e, HOST_ID);
        CHECK_FIELD(e, TARGET_USER, "svc-backup");
        CHECK_FIELD(e, TARGET, "svc-backup");
        CHECK_FIELD(e, TARGET_NAME, "svc-backup");
        CHECK_FIELD(e, TARGET_KIND, "AWS::IAM::User");
        CHECK_FIELD(e, USER_AGENT, "aws-cli/2.15.30 \"quoted\"");
        CHECK_STR(ip_text(e, TY_F_SRC_IP, b), "203.0.113.77");
        CHECK_INT(ty_event_int(e, TY_F_READ_ONLY, -1), 0);
        CHECK_ABSENT(e, BYTES_OUT);
        CHECK_ABSENT(e, BUCKET);
        CHECK_ABSENT(e, CLOUD_VPC);
    }
    run_release(&r);
}

/* JSON lines: console logins, an error, a service call, odd identities. */
static const char lines_file[] =
    /* 1: failed console login with a hidden user name */
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":"
    "\"111122223333\",\"accessKeyId\":\"\",\"userName\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"},"
    "\"eventTime\":\"2024-03-12T14:00:01Z\",\"eventSource\":\"signin.amazonaws.com\","
    "\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":"
    "\"192.0.2.10\",\"userAgent\":\"Mozilla/5.0\",\"errorMessage\":\"Failed authentication\","
    "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
    "\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/\",\"MFAUsed\":\"No\"},"
    "\"eventID\":\"e1\",\"readOnly\":false,\"eventType\":\"AwsConsoleSignIn\","
    "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\"}\n"
    /* 2: successful root console login, IPv6 */
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\",\"principalId\":"
    "\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:root\",\"accountId\":\"111122223333\","
    "\"accessKeyId\":\"\"},\"eventTime\":\"2024-03-12T14:00:02Z\",\"eventSource\":"
    "\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"2001:db8::7\",\"userAgent\":\"Mozilla/5.0\",\"requestParameters\":null,"
    "\"responseElements\":{\"ConsoleLogin\":\"Success\"},\"eventID\":\"e2\","
    "\"eventType\":\"AwsConsoleSignIn\",\"recipientAccountId\":\"111122223333\"}\r\n"
    /* 3: access denied */
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":"
    "\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/bob\",\"accountId\":"
    "\"111122223333\",\"accessKeyId\":\"AKIAEXAMPLEBOB\",\"userName\":\"bob\"},\"eventTime\":"
    "\"2024-03-12T14:00:03Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":"
    "\"RunInstances\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"203.0.113.5\","
    "\"userAgent\":\"Boto3/1.34\",\"errorCode\":\"Client.UnauthorizedOperation\","
    "\"errorMessage\":\"You are not authorized to perform this operation.\","
    "\"requestParameters\":{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-12345678\","
    "\"minCount\":1}]}},\"responseElements\":null,\"requestID\":\"r3\",\"eventID\":\"e3\","
    "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}\n"
    "\n"
    /* 4: AWS service on the user's behalf: "AWS Internal" is no IP */
    "{\"eventVersion\":\"1.05\",\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":"
    "\"lambda.amazonaws.com\"},\"eventTime\":\"2024-03-12T14:00:04Z\",\"eventSource\":"
    "\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\",\"awsRegion\":\"eu-west-3\","
    "\"sourceIPAddress\":\"AWS Internal\",\"userAgent\":\"lambda.amazonaws.com\","
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/fn\","
    "\"roleSessionName\":\"fn\"},\"responseElements\":{\"credentials\":{\"accessKeyId\":"
    "\"ASIANEW\"}},\"sharedEventID\":\"shared-4\",\"eventID\":\"e4\",\"eventType\":"
    "\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}\n"
    /* 5: identity without arn: type + principalId; service name as source */
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AWSAccount\",\"principalId\":"
    "\"AIDAOTHER\",\"accountId\":\"444455556666\"},\"eventTime\":\"2024-03-12T14:00:05.250Z\","
    "\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"StopInstances\",\"awsRegion\":"
    "\"us-west-2\",\"sourceIPAddress\":\"ec2.amazonaws.com\",\"requestParameters\":"
    "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0123456789abcdef0\"}]},\"force\":false},"
    "\"eventID\":\"e5\",\"eventType\":\"AwsApiCall\"}\n";

static void test_lines(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(lines_file, sizeof(lines_file) - 1)), 90);
    run_feed(&r, lines_file, sizeof(lines_file) - 1);
    CHECK_STR(r.ctx.shape, "JSON lines");
    CHECK_INT(r.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_INT(r.n_ok, 5);
    CHECK_INT(r.n_corrupt, 0);
    if (r.n_ev != 5) {
        CHECK_INT(r.n_ev, 5);
        run_release(&r);
        return;
    }
    const struct ty_event *e = &r.ev[0];
    CHECK_FIELD(e, CATEGORY, "auth");
    CHECK_FIELD(e, ACTION, "ConsoleLogin");
    CHECK_FIELD(e, OUTCOME, "failure");
    CHECK_ABSENT(e, STATUS_CODE);
    CHECK_FIELD(e, STATUS_DETAIL, "Failed authentication");
    CHECK_FIELD(e, ACTOR, "HIDDEN_DUE_TO_SECURITY_REASONS");
    CHECK_FIELD(e, TARGET_USER, "HIDDEN_DUE_TO_SECURITY_REASONS");
    CHECK_ABSENT(e, ACCESS_KEY); /* "" is no key */
    CHECK_FIELD(e, ACTOR_ACCOUNT, "111122223333");
    CHECK_STR(ip_text(e, TY_F_SRC_IP, b), "192.0.2.10");
    CHECK_ABSENT(e, TARGET);

    e = &r.ev[1];
    CHECK_FIELD(e, CATEGORY, "auth");
    CHECK_FIELD(e, OUTCOME, "success");
    CHECK_FIELD(e, ACTOR, "arn:aws:iam::111122223333:root");
    CHECK_FIELD(e, ACTOR_TYPE, "Root");
    CHECK_ABSENT(e, ACCESS_KEY);
    CHECK_STR(ip_text(e, TY_F_SRC_IP, b), "2001:db8::7");

    e = &r.ev[2];
    CHECK_FIELD(e, CATEGORY, "api");
    CHECK_FIELD(e, OUTCOME, "failure");
    CHECK_FIELD(e, STATUS_CODE, "Client.UnauthorizedOperation");
    CHECK_FIELD(e, STATUS_DETAIL, "You are not authorized to perform this operation.");
    CHECK_FIELD(e, CLOUD_REGION, "eu-west-1");
    CHECK_FIELD(e, CORRELATION_ID, "r3");
    CHECK_ABSENT(e, TARGET); /* no instanceId in the request items */
    CHECK_ABSENT(e, READ_ONLY);

    e = &r.ev[3];
    CHECK_FIELD(e, ACTOR, "lambda.amazonaws.com");
    CHECK_FIELD(e, ACTOR_TYPE, "AWSService");
    CHECK_FIELD(e, INVOKED_BY, "lambda.amazonaws.com");
    CHECK_ABSENT(e, SRC_IP);
    CHECK_FIELD(e, SRC_ADDR, "AWS Internal");
    CHECK_FIELD(e, CORRELATION_ID, "shared-4");
    CHECK_FIELD(e, TARGET, "arn:aws:iam::111122223333:role/fn");
    CHECK_FIELD(e, TARGET_KIND, "AWS::IAM::Role");
    CHECK_ABSENT(e, TARGET_NAME);
    CHECK_FIELD(e, CLOUD_ACCOUNT, "111122223333");
    CHECK_ABSENT(e, ACTOR_ACCOUNT);

    e = &r.ev[4];
    CHECK_FIELD(e, ACTOR, "AWSAccount:AIDAOTHER");
    CHECK_FIELD(e, ACTOR_ACCOUNT, "444455556666");
    CHECK_FIELD(e, CLOUD_ACCOUNT, "444455556666"); /* no recipientAccountId */
    CHECK_FIELD(e, SRC_ADDR, "ec2.amazonaws.com");
    CHECK_FIELD(e, TARGET, "i-0123456789abcdef0");
    CHECK_FIELD(e, TARGET_KIND, "AWS::EC2::Instance");
    CHECK_STR(time_text(e, b), "2024-03-12T14:00:05.250Z");
    CHECK_INT(ty_event_int(e, TY_F_TS_PREC, -1), 3);
    CHECK_ABSENT(e, USER_AGENT);
    CHECK_ABSENT(e, HOST_ID); /* the instance is the target, not the actor */
    run_release(&r);
}

/* CloudWatch export: ingestion timestamp before the record. */
static const char cw_export[] =
    "2024-03-12T14:05:10.123Z {\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":"
    "\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\"},\"eventTime\":"
    "\"2024-03-12T14:05:09Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":"
    "\"ListBuckets\",\"sourceIPAddress\":\"198.51.100.9\"}\n"
    "2024-03-12T14:05:11.000Z {\"eventVersion\":\"1.08\",\"eventTime\":\"2024-03-12T14:05:10Z\","
    "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\"}\n";

static void test_cloudwatch_export(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(cw_export, sizeof(cw_export) - 1)), 85);
    run_feed(&r, cw_export, sizeof(cw_export) - 1);
    CHECK_STR(r.ctx.shape, "CloudWatch Logs export lines");
    CHECK_INT(r.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_INT(r.n_ok, 2);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        CHECK_STR(time_text(&r.ev[0], b), "2024-03-12T14:05:09Z");
        CHECK_FIELD(&r.ev[0], ACTOR, "arn:aws:iam::111122223333:user/alice");
        CHECK(r.ev[0].raw.p == cw_export); /* the raw record is the whole line */
        CHECK_STR(time_text(&r.ev[1], b), "2024-03-12T14:05:10Z");
        CHECK_ABSENT(&r.ev[1], ACTOR);
    }
    run_release(&r);
}

/* Logstash: eventTime was renamed to @timestamp. */
static const char logstash[] =
    "{\"requestParameters\":{\"key\":\"ring.txt\",\"bucketName\":\"b1\"},\"userAgent\":"
    "\"[aws-cli/1.18.136]\",\"awsRegion\":\"us-east-1\",\"eventType\":\"AwsApiCall\","
    "\"@version\":\"1\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::1:user/pedro\",\"sessionContext\":{\"sessionIssuer\":{},\"attributes\":"
    "{\"mfaAuthenticated\":\"true\"}}},\"eventName\":\"GetObject\",\"sourceIPAddress\":"
    "\"1.2.3.4\",\"eventSource\":\"s3.amazonaws.com\",\"@timestamp\":\"2020-09-14T01:02:34.000Z\","
    "\"additionalEventData\":{\"bytesTransferredOut\":89.0},\"eventVersion\":\"1.07\"}\n";

static void test_logstash(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(logstash, sizeof(logstash) - 1)), 90);
    run_feed(&r, logstash, sizeof(logstash) - 1);
    CHECK_STR(r.ctx.shape, "Logstash JSON lines");
    CHECK_INT(r.n_ev, 1);
    if (r.n_ev == 1) {
        const struct ty_event *e = &r.ev[0];
        CHECK_STR(time_text(e, b), "2020-09-14T01:02:34.000Z");
        CHECK_INT(ty_event_int(e, TY_F_TS_PREC, -1), 3);
        CHECK_FIELD(e, BUCKET, "b1");
        CHECK_FIELD(e, OBJECT_KEY, "ring.txt");
        CHECK_FIELD(e, TARGET, "arn:aws:s3:::b1/ring.txt"); /* composed: no resources[] */
        CHECK_FIELD(e, TARGET_KIND, "AWS::S3::Object");
        CHECK_FIELD(e, TARGET_NAME, "b1");
        CHECK_INT(ty_event_int(e, TY_F_BYTES_OUT, -1), 89);
        CHECK_INT(ty_event_int(e, TY_F_ACTOR_MFA, -1), 1);
        CHECK_ABSENT(e, ACTOR_ISSUER);
        CHECK_FIELD(e, USER_AGENT, "aws-cli/1.18.136");
    }
    run_release(&r);
}

/* Pretty-printed JSON array (Stratus Red Team detonation logs). */
static const char array_file[] =
    "[\n   {\n      \"awsRegion\": \"eu-west-2r\",\n      \"eventName\": \"ConsoleLogin\",\n"
    "      \"eventSource\": \"signin.amazonaws.com\",\n"
    "      \"eventTime\": \"2024-08-02T08:53:24Z\",\n      \"eventVersion\": \"1.08\",\n"
    "      \"responseElements\": {\n         \"ConsoleLogin\": \"Success\"\n      },\n"
    "      \"sourceIPAddress\": \"225.01.00.16\",\n      \"userIdentity\": {\n"
    "         \"arn\": \"arn:aws:iam::562283505220:user/stratus\",\n"
    "         \"type\": \"IAMUser\", \"userName\": \"stratus\"\n      }\n   },\n"
    "   {\n      \"eventName\": \"StopLogging\",\n"
    "      \"eventSource\": \"cloudtrail.amazonaws.com\",\n"
    "      \"eventTime\": \"2024-08-02T08:54:00Z\",\n      \"eventVersion\": \"1.08\",\n"
    "      \"requestParameters\": {\"name\": \"my-trail\"}\n   }\n]\n";

static void test_array(void)
{
    struct run r;
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(array_file, sizeof(array_file) - 1)), 90);
    run_feed(&r, array_file, sizeof(array_file) - 1);
    CHECK_STR(r.ctx.shape, "JSON array");
    CHECK_INT(r.ctx.frame.kind, TY_FRAME_JSON);
    CHECK(r.ctx.frame.key == NULL);
    CHECK_INT(r.n_ok, 2);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        CHECK_FIELD(&r.ev[0], OUTCOME, "success");
        CHECK_FIELD(&r.ev[0], TARGET_USER, "stratus");
        /* anonymised "225.01.00.16" is no valid IP literal: kept as text */
        CHECK_FIELD(&r.ev[0], SRC_ADDR, "225.01.00.16");
        CHECK_FIELD(&r.ev[1], ACTION, "StopLogging");
        CHECK_FIELD(&r.ev[1], TARGET, "my-trail");
        CHECK_FIELD(&r.ev[1], TARGET_NAME, "my-trail");
        CHECK_ABSENT(&r.ev[1], TARGET_KIND);
        CHECK_ABSENT(&r.ev[1], ACTOR);
    }
    /* the same array on one line, framed as lines: one record, two events */
    run_release(&r);
    run_init(&r, &ty_parser_cloudtrail);
    static const char one_line[] =
        "[{\"eventTime\":\"2024-08-02T08:53:24Z\",\"eventName\":\"A\",\"eventSource\":\"x\"},"
        "{\"eventTime\":\"2024-08-02T08:53:25Z\",\"eventName\":\"B\",\"eventSource\":\"x\"}]";
    r.ctx.frame.kind = TY_FRAME_LINES;
    run_open(&r, one_line, sizeof(one_line) - 1);
    CHECK_INT(run_rec(&r, one_line, sizeof(one_line) - 1, 0), TY_OK);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        CHECK_INT(r.ev[0].sub, 0);
        CHECK_INT(r.ev[1].sub, 1);
        CHECK_FIELD(&r.ev[1], ACTION, "B");
    }
    run_release(&r);
}

/* EventBridge envelope, pretty-printed (documents) and on lines. */
static const char eb_doc[] =
    "{\n  \"version\": \"0\",\n  \"id\": \"6f87d04b-9f74-4f04-a780-7acf4b0a9b38\",\n"
    "  \"detail-type\": \"AWS API Call via CloudTrail\",\n  \"source\": \"aws.iam\",\n"
    "  \"account\": \"111122223333\",\n  \"time\": \"2024-03-12T14:05:10Z\",\n"
    "  \"region\": \"us-east-1\",\n  \"resources\": [],\n  \"detail\": {\n"
    "    \"eventVersion\": \"1.08\",\n    \"userIdentity\": {\"type\": \"IAMUser\", \"arn\": "
    "\"arn:aws:iam::111122223333:user/mallory\"},\n"
    "    \"eventTime\": \"2024-03-12T14:05:09Z\",\n"
    "    \"eventSource\": \"iam.amazonaws.com\",\n    \"eventName\": \"AttachUserPolicy\",\n"
    "    \"sourceIPAddress\": \"203.0.113.77\",\n    \"requestParameters\": {\"userName\": "
    "\"svc\", \"policyArn\": \"arn:aws:iam::aws:policy/AdministratorAccess\"}\n  }\n}\n";

static const char eb_lines[] =
    "{\"version\":\"0\",\"detail-type\":\"AWS Console Sign In via CloudTrail\",\"source\":"
    "\"aws.signin\",\"account\":\"111122223333\",\"time\":\"2024-03-12T14:05:10Z\",\"region\":"
    "\"us-east-1\",\"detail\":{\"eventVersion\":\"1.08\",\"eventSource\":\"signin.amazonaws.com\","
    "\"eventName\":\"ConsoleLogin\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"}}}\n";

static void test_eventbridge(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(eb_doc, sizeof(eb_doc) - 1)), 90);
    run_feed(&r, eb_doc, sizeof(eb_doc) - 1);
    CHECK_STR(r.ctx.shape, "EventBridge documents");
    CHECK_INT(r.ctx.frame.kind, TY_FRAME_JSON);
    CHECK_INT(r.n_ev, 1);
    if (r.n_ev == 1) {
        const struct ty_event *e = &r.ev[0];
        CHECK_STR(time_text(e, b), "2024-03-12T14:05:09Z"); /* the record's, not the envelope's */
        CHECK_FIELD(e, ACTION, "AttachUserPolicy");
        CHECK_FIELD(e, TARGET_USER, "svc");
        CHECK_FIELD(e, TARGET, "svc");
        CHECK_FIELD(e, CLOUD_REGION, "us-east-1"); /* from the envelope */
        CHECK_FIELD(e, CLOUD_ACCOUNT, "111122223333");
        CHECK(e->raw.p == eb_doc); /* the raw record is the envelope */
    }
    run_release(&r);

    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(eb_lines, sizeof(eb_lines) - 1)), 90);
    run_feed(&r, eb_lines, sizeof(eb_lines) - 1);
    CHECK_STR(r.ctx.shape, "EventBridge lines");
    CHECK_INT(r.n_ev, 1);
    if (r.n_ev == 1) {
        CHECK_STR(time_text(&r.ev[0], b), "2024-03-12T14:05:10Z"); /* envelope fallback */
        CHECK_FIELD(&r.ev[0], OUTCOME, "failure");
        CHECK_FIELD(&r.ev[0], CATEGORY, "auth");
    }
    run_release(&r);
}

/* aws cloudtrail lookup-events: the document, and JSON lines of items. */
static const char lookup_doc[] =
    "{\n    \"Events\": [\n        {\n            \"EventId\": \"0828c0d2\",\n"
    "            \"EventName\": \"DescribeInstances\",\n            \"ReadOnly\": \"true\",\n"
    "            \"AccessKeyId\": \"ASIAEXAMPLE\",\n            \"EventTime\": 1644272617.0,\n"
    "            \"EventSource\": \"ec2.amazonaws.com\",\n"
    "            \"Username\": \"fakeusername\",\n            \"Resources\": [],\n"
    "            \"CloudTrailEvent\": \"{\\\"eventVersion\\\":\\\"1.08\\\",\\\"userIdentity\\\":"
    "{\\\"type\\\":\\\"IAMUser\\\",\\\"arn\\\":\\\"arn:aws:iam::012345678901:user/fakeusername"
    "\\\",\\\"accessKeyId\\\":\\\"ASIAEXAMPLE\\\"},\\\"eventTime\\\":\\\"2022-02-07T22:23:37Z"
    "\\\",\\\"eventSource\\\":\\\"ec2.amazonaws.com\\\",\\\"eventName\\\":"
    "\\\"DescribeInstances\\\",\\\"sourceIPAddress\\\":\\\"1.2.3.4\\\",\\\"userAgent\\\":"
    "\\\"console \\\\\\\"ec2\\\\\\\"\\\",\\\"readOnly\\\":true}\"\n        },\n"
    "        {\n            \"EventId\": \"summary-only\",\n"
    "            \"EventName\": \"TerminateInstances\",\n            \"ReadOnly\": \"false\",\n"
    "            \"AccessKeyId\": \"ASIAOTHER\",\n"
    "            \"EventTime\": \"2022-02-08T09:23:18+11:00\",\n"
    "            \"EventSource\": \"ec2.amazonaws.com\",\n            \"Username\": \"bob\",\n"
    "            \"Resources\": [{\"ResourceType\": \"AWS::EC2::Instance\", "
    "\"ResourceName\": \"i-01234567890123456\"}]\n        }\n    ],\n"
    "    \"NextToken\": \"abc\"\n}\n";

static const char lookup_lines[] =
    "{\"EventId\": \"1f2d\", \"EventName\": \"TerminateInstances\", \"ReadOnly\": \"false\", "
    "\"EventTime\": \"2022-02-08 09:23:18+11:00\", \"EventSource\": \"ec2.amazonaws.com\", "
    "\"Username\": \"fakeusername\", \"Resources\": [], \"CloudTrailEvent\": "
    "\"{\\\"eventVersion\\\":\\\"1.08\\\",\\\"userIdentity\\\":{\\\"type\\\":\\\"IAMUser\\\"},"
    "\\\"eventSource\\\":\\\"ec2.amazonaws.com\\\",\\\"eventName\\\":\\\"TerminateInstances\\\","
    "\\\"requestParameters\\\":{\\\"instancesSet\\\":{\\\"items\\\":[{\\\"instanceId\\\":"
    "\\\"i-01234567890123456\\\"}]}}}\"}\n"
    "{\"EventId\": \"bad\", \"EventName\": \"X\", \"EventTime\": \"2022-02-08 09:23:18+11:00\", "
    "\"CloudTrailEvent\": \"{not json\"}\n";

static void test_lookup(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(lookup_doc, sizeof(lookup_doc) - 1)), 95);
    run_feed(&r, lookup_doc, sizeof(lookup_doc) - 1);
    CHECK_STR(r.ctx.shape, "LookupEvents output");
    CHECK(r.ctx.frame.key && strcmp(r.ctx.frame.key, "Events") == 0);
    CHECK_INT(r.n_ok, 2);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        const struct ty_event *e = &r.ev[0];
        CHECK_STR(time_text(e, b), "2022-02-07T22:23:37Z");
        CHECK_FIELD(e, ACTOR, "arn:aws:iam::012345678901:user/fakeusername");
        CHECK_FIELD(e, ACCESS_KEY, "ASIAEXAMPLE");
        CHECK_FIELD(e, USER_AGENT, "console \"ec2\""); /* decoded twice */
        CHECK_INT(ty_event_int(e, TY_F_READ_ONLY, -1), 1);
        CHECK(e->raw.p && e->raw.p[0] == '{' && strstr(e->raw.p, "EventId") < e->raw.p + 40);
        e = &r.ev[1];
        CHECK_STR(time_text(e, b), "2022-02-07T22:23:18Z"); /* +11:00 converted */
        CHECK_FIELD(e, TIME_TEXT, "2022-02-08T09:23:18+11:00");
        CHECK_FIELD(e, ACTION, "TerminateInstances");
        CHECK_FIELD(e, ACTOR, "bob");
        CHECK_FIELD(e, ACCESS_KEY, "ASIAOTHER");
        CHECK_FIELD(e, VENDOR_ID, "summary-only");
        CHECK_FIELD(e, TARGET, "i-01234567890123456");
        CHECK_FIELD(e, TARGET_KIND, "AWS::EC2::Instance");
        CHECK_INT(ty_event_int(e, TY_F_READ_ONLY, -1), 0);
    }
    run_release(&r);

    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(lookup_lines, sizeof(lookup_lines) - 1)),
              95);
    run_feed(&r, lookup_lines, sizeof(lookup_lines) - 1);
    CHECK_STR(r.ctx.shape, "LookupEvents items (lines)");
    CHECK_INT(r.n_ok, 1);
    CHECK_INT(r.n_corrupt, 1);
    CHECK(strstr(r.last_reason, "CloudTrailEvent") != NULL);
    if (r.n_ev == 1) {
        /* the record has no eventTime: EventTime (ISO with offset) stands in */
        CHECK_STR(time_text(&r.ev[0], b), "2022-02-07T22:23:18Z");
        CHECK_FIELD(&r.ev[0], ACTOR, "fakeusername");
        CHECK_FIELD(&r.ev[0], TARGET, "i-01234567890123456");
        CHECK_FIELD(&r.ev[0], ACTOR_TYPE, "IAMUser");
    }
    run_release(&r);
}

/* CloudTrail Lake get-query-results. */
static const char lake_doc[] =
    "{\n  \"QueryStatus\": \"FINISHED\",\n  \"QueryStatistics\": {\"ResultsCount\": 2},\n"
    "  \"QueryResultRows\": [\n    [\n      {\"eventVersion\": \"1.09\"},\n"
    "      {\"userIdentity\": \"{type=AssumedRole, principalid=AROAX:alice, "
    "arn=arn:aws:sts::111122223333:assumed-role/Admin/alice, accountid=111122223333, "
    "accesskeyid=ASIALAKE, username=null, sessioncontext={attributes={creationdate="
    "2024-03-12 13:00:00.000, mfaauthenticated=true}, sessionissuer={type=Role, "
    "arn=arn:aws:iam::111122223333:role/Admin}}, invokedby=null}\"},\n"
    "      {\"eventTime\": \"2024-03-12 14:05:09.000\"},\n"
    "      {\"eventSource\": \"s3.amazonaws.com\"},\n      {\"eventName\": \"GetObject\"},\n"
    "      {\"awsRegion\": \"us-east-1\"},\n      {\"sourceIPAddress\": \"198.51.100.23\"},\n"
    "      {\"requestParameters\": "
    "\"{\\\"bucketName\\\":\\\"lake-b\\\",\\\"key\\\":\\\"k.txt\\\"}\"},\n"
    "      {\"additionalEventData\": \"{bytesTransferredOut=512.0, bytesTransferredIn=0.0}\"},\n"
    "      {\"readOnly\": \"true\"},\n      {\"errorCode\": null}\n    ],\n"
    "    [\n      {\"eventTime\": \"2024-03-12 14:06:00.000\"},\n"
    "      {\"eventName\": \"ConsoleLogin\"},\n      {\"eventSource\": \"signin.amazonaws.com\"},\n"
    "      {\"arn\": \"arn:aws:iam::111122223333:user/bob\"},\n"
    "      {\"responseElements\": \"{ConsoleLogin=Failure}\"}\n    ]\n  ]\n}\n";

static void test_lake(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(lake_doc, sizeof(lake_doc) - 1)), 90);
    run_feed(&r, lake_doc, sizeof(lake_doc) - 1);
    CHECK_STR(r.ctx.shape, "CloudTrail Lake query results");
    CHECK(r.ctx.frame.key && strcmp(r.ctx.frame.key, "QueryResultRows") == 0);
    CHECK_INT(r.n_ok, 2);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        const struct ty_event *e = &r.ev[0];
        CHECK_STR(time_text(e, b), "2024-03-12T14:05:09.000Z");
        CHECK_FIELD(e, ACTION, "GetObject");
        CHECK_FIELD(e, ACTOR, "arn:aws:sts::111122223333:assumed-role/Admin/alice");
        CHECK_FIELD(e, ACTOR_TYPE, "AssumedRole");
        CHECK_FIELD(e, ACTOR_ID, "AROAX:alice");
        CHECK_FIELD(e, ACTOR_SESSION, "alice");
        CHECK_FIELD(e, ACCESS_KEY, "ASIALAKE");
        CHECK_FIELD(e, ACTOR_ISSUER, "arn:aws:iam::111122223333:role/Admin");
        CHECK_INT(ty_event_int(e, TY_F_ACTOR_MFA, -1), 1);
        CHECK_FIELD(e, CLOUD_ACCOUNT, "111122223333");
        CHECK_STR(ip_text(e, TY_F_SRC_IP, b), "198.51.100.23");
        CHECK_FIELD(e, BUCKET, "lake-b");
        CHECK_FIELD(e, OBJECT_KEY, "k.txt");
        CHECK_INT(ty_event_int(e, TY_F_BYTES_OUT, -1), 512);
        CHECK_INT(ty_event_int(e, TY_F_READ_ONLY, -1), 1);
        CHECK_FIELD(e, OUTCOME, "success");
        e = &r.ev[1];
        CHECK_FIELD(e, ACTOR, "arn:aws:iam::111122223333:user/bob");
        CHECK_FIELD(e, OUTCOME, "failure");
        CHECK_FIELD(e, CATEGORY, "auth");
    }
    run_release(&r);
}

static const char insight[] =
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2022-09-05T07:45:00Z\",\"awsRegion\":"
    "\"eu-west-3\",\"eventID\":\"7a91\",\"eventType\":\"AwsCloudTrailInsight\","
    "\"recipientAccountId\":\"1111111111\",\"sharedEventID\":\"0a77\",\"insightDetails\":"
    "{\"state\":\"End\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetBucketPolicy\","
    "\"insightType\":\"ApiErrorRateInsight\",\"errorCode\":\"NoSuchBucketPolicy\"},"
    "\"eventCategory\":\"Insight\"}\n";

static void test_insight(void)
{
    struct run r;
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(insight, sizeof(insight) - 1)), 90);
    run_feed(&r, insight, sizeof(insight) - 1);
    CHECK_INT(r.n_ev, 1);
    if (r.n_ev == 1) {
        const struct ty_event *e = &r.ev[0];
        CHECK_FIELD(e, CATEGORY, "insight");
        CHECK_FIELD(e, ACTION, "GetBucketPolicy");
        CHECK_FIELD(e, PROVIDER, "s3.amazonaws.com");
        CHECK_FIELD(e, STATUS_CODE, "NoSuchBucketPolicy");
        CHECK_FIELD(e, RULE, "ApiErrorRateInsight");
        CHECK_FIELD(e, DISPOSITION, "End");
        CHECK_ABSENT(e, OUTCOME);
        CHECK_FIELD(e, CORRELATION_ID, "0a77");
        CHECK_FIELD(e, CLOUD_ACCOUNT, "1111111111");
    }
    run_release(&r);
}

static const char digest[] =
    "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2024-03-12T13:00:00Z\","
    "\"digestEndTime\":\"2024-03-12T14:00:00Z\",\"digestS3Bucket\":\"trail-bucket\","
    "\"digestS3Object\":\"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/x.json.gz\","
    "\"newestEventTime\":\"2024-03-12T13:59:58Z\",\"oldestEventTime\":\"2024-03-12T12:58:01Z\","
    "\"previousDigestSignature\":\"abcd\",\"digestPublicKeyFingerprint\":\"ef01\","
    "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"logFiles\":[{\"s3Bucket\":\"trail-bucket\","
    "\"s3Object\":\"AWSLogs/x.json.gz\",\"hashValue\":\"00ff\",\"hashAlgorithm\":\"SHA-256\","
    "\"newestEventTime\":\"2024-03-12T13:59:58Z\",\"oldestEventTime\":\"2024-03-12T12:58:01Z\"}]}";

static void test_digest(void)
{
    struct run r;
    struct ty_str h = ty_str_make(digest, sizeof(digest) - 1);
    CHECK_INT(ty_parser_cloudtrail_digest.sniff(h), 95);
    CHECK_INT(ty_parser_cloudtrail.sniff(h), 0);
    CHECK(ty_parser_cloudtrail_digest.flags & TY_PARSER_F_NOEVENTS);
    run_init(&r, &ty_parser_cloudtrail_digest);
    run_feed(&r, digest, sizeof(digest) - 1);
    CHECK_INT(r.ctx.frame.kind, TY_FRAME_WHOLE);
    CHECK(strstr(r.ctx.shape, "digest") != NULL);
    CHECK_INT(r.n_skip, 1);
    CHECK_INT(r.n_ev, 0);
    CHECK_INT(run_rec(&r, digest, sizeof(digest) - 2, 0), TY_ECORRUPT); /* cut */
    run_release(&r);
    /* a digest among records (framing key NULL): skipped, not corrupt */
    run_init(&r, &ty_parser_cloudtrail);
    run_open(&r, array_file, sizeof(array_file) - 1);
    CHECK_INT(run_rec(&r, digest, sizeof(digest) - 1, 0), TY_SKIP);
    run_release(&r);
}

/* CloudWatch Logs subscription payload (Firehose to S3). */
static const char cwl_sub[] =
    "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"ct\","
    "\"logStream\":\"111122223333_CloudTrail_us-east-1\",\"subscriptionFilters\":[\"all\"],"
    "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1710252310000,\"message\":"
    "\"{\\\"eventVersion\\\":\\\"1.08\\\",\\\"eventTime\\\":\\\"2024-03-12T14:05:09Z\\\","
    "\\\"eventSource\\\":\\\"kms.amazonaws.com\\\",\\\"eventName\\\":\\\"Decrypt\\\"}\"},"
    "{\"id\":\"2\",\"timestamp\":1710252311000,\"message\":\"{\\\"eventVersion\\\":\\\"1.08\\\","
    "\\\"eventSource\\\":\\\"kms.amazonaws.com\\\",\\\"eventName\\\":\\\"Encrypt\\\"}\"},"
    "{\"id\":\"3\",\"timestamp\":1710252312000,\"message\":"
    "\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}";

static void test_cwl_subscription(void)
{
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(cwl_sub, sizeof(cwl_sub) - 1)), 90);
    run_feed(&r, cwl_sub, sizeof(cwl_sub) - 1);
    CHECK_STR(r.ctx.shape, "CloudWatch Logs subscription payload");
    CHECK_INT(r.n_ok, 2);
    CHECK_INT(r.n_skip, 1);
    CHECK_INT(r.n_ev, 2);
    if (r.n_ev == 2) {
        CHECK_STR(time_text(&r.ev[0], b), "2024-03-12T14:05:09Z");
        CHECK_STR(time_text(&r.ev[1], b), "2024-03-12T14:05:11.000Z"); /* log event time */
        CHECK_FIELD(&r.ev[1], ACTION, "Encrypt");
    }
    run_release(&r);
}

/* Heads of other JSON formats that must not be claimed. */
static void test_sniff_foreign(void)
{
    static const char *const foreign[] = {
        /* Kubernetes audit */
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        "\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/pods\","
        "\"verb\":\"list\",\"user\":{\"username\":\"admin\"},\"sourceIPs\":[\"10.0.0.1\"]}\n",
        /* GCP audit */
        "{\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\","
        "\"serviceName\":\"storage.googleapis.com\",\"methodName\":\"storage.objects.get\"},"
        "\"logName\":\"projects/p/logs/cloudaudit.googleapis.com%2Fdata_access\","
        "\"timestamp\":\"2024-03-12T14:05:09Z\"}\n",
        /* Azure */
        "{\"records\":[{\"time\":\"2024-03-12T14:05:09Z\",\"resourceId\":\"/SUBSCRIPTIONS/X\","
        "\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\",\"category\":"
        "\"Administrative\"}]}",
        /* VPC flow */
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
        "start end action log-status\n2 123456789010 eni-1235b8ca123456789 172.31.16.139 "
        "172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n",
        /* S3 event notification: Records with "aws:s3" sources */
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":"
        "\"us-east-1\",\"eventTime\":\"2024-03-12T14:05:09.000Z\",\"eventName\":"
        "\"ObjectCreated:Put\"}]}",
        /* plain text and empty */
        "hello world\n",
        "",
        "   \n",
        "{\"a\":1}\n",
        "[1,2,3]",
    };
    for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
        struct ty_str h = ty_str_cstr(foreign[i]);
        if (ty_parser_cloudtrail.sniff(h) != 0 || ty_parser_cloudtrail_digest.sniff(h) != 0)
            ty_test_fail(__FILE__, __LINE__, "claims foreign head %zu: %d/%d", i,
                         ty_parser_cloudtrail.sniff(h), ty_parser_cloudtrail_digest.sniff(h));
    }
    /* and the registry picks us for our own shapes */
    const struct ty_parser *p = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff(ty_str_make(s3_file, sizeof(s3_file) - 1), &p, &err), 0);
    CHECK(p == &ty_parser_cloudtrail);
    CHECK_INT(ty_parser_sniff(ty_str_make(digest, sizeof(digest) - 1), &p, &err), 0);
    CHECK(p == &ty_parser_cloudtrail_digest);
    /* every shape goes to this parser, with no tie against the others */
    static const struct {
        const char *buf;
        size_t len;
    } mine[] = {
#define S(x) {x, sizeof(x) - 1}
        S(s3_file), S(lines_file), S(cw_export), S(logstash), S(array_file), S(eb_doc),
        S(eb_lines), S(lookup_doc), S(lookup_lines), S(lake_doc), S(insight), S(cwl_sub),
#undef S
    };
    for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
        int rc = ty_parser_sniff(ty_str_make(mine[i].buf, mine[i].len), &p, &err);
        if (rc != 0 || p != &ty_parser_cloudtrail)
            ty_test_fail(__FILE__, __LINE__, "sample %zu: sniff rc %d (%s)", i, rc,
                         rc ? err.msg : p->name);
    }
    /* a head cut in the middle of the first record still sniffs */
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_make(lines_file, 400)), 90);
}

/* Bad and oddly typed records. */
static void test_corrupt(void)
{
    static const struct {
        const char *rec;
        int rc;
        const char *reason; /* substring of err.msg */
    } cases[] = {
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"A\"", TY_ECORRUPT,
         "invalid JSON"},
        {"{\"eventName\":\"A\",\"eventSource\":\"s\"}", TY_ECORRUPT, "no eventTime"},
        {"{\"eventTime\":\"yesterday\",\"eventName\":\"A\",\"eventSource\":\"s\"}", TY_ECORRUPT,
         "\"yesterday\" is not"},
        {"{\"eventTime\":\"2024-02-30T00:00:00Z\",\"eventName\":\"A\",\"eventSource\":\"s\"}",
         TY_ECORRUPT, "not an ISO"},
        {"{\"eventTime\":true,\"eventName\":\"A\",\"eventSource\":\"s\"}", TY_ECORRUPT,
         "eventTime is not a string"},
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":7,\"eventSource\":\"s\"}",
         TY_ECORRUPT, "eventName is not a string"},
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"A\"}", TY_ECORRUPT,
         "no eventSource"},
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"\",\"eventSource\":\"s\"}",
         TY_ECORRUPT, "eventName is empty"},
        {"{\"eventTime\":\"4048-03-12T14:05:09Z\",\"eventName\":\"A\",\"eventSource\":\"s\"}",
         TY_ECORRUPT, "not an ISO"},
        {"{\"eventTime\":\"1066-10-14T09:00:00Z\",\"eventName\":\"A\",\"eventSource\":\"s\"}",
         TY_ECORRUPT, "not an ISO"},
        {"{\"eventTime\":99999999999999999999,\"eventName\":\"A\",\"eventSource\":\"s\"}",
         TY_ECORRUPT, "not an epoch"},
        {"{\"eventTime\":9223372038,\"eventName\":\"A\",\"eventSource\":\"s\"}",
         TY_ECORRUPT, "not an epoch"},
        {"{\"eventTime\":1e9,\"eventName\":\"A\",\"eventSource\":\"s\"}", TY_ECORRUPT,
         "not an epoch"},
        {"{\"timestamp\":99999999999999999,\"message\":\"{\\\"eventName\\\":\\\"A\\\","
         "\\\"eventSource\\\":\\\"s\\\"}\"}",
         TY_ECORRUPT, "not epoch milliseconds"},
        {"{\"eventTime\":1710252309,\"eventName\":\"A\",\"eventSource\":\"s\"}", TY_OK, NULL},
        {"\"just a string\"", TY_ECORRUPT, "no JSON object"},
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\"} trailing", TY_ECORRUPT, "invalid JSON"},
        {"17 [1]", TY_ECORRUPT, "no JSON object"},
        {"[1]", TY_ECORRUPT, "element 0: record is not a JSON object"},
        {"   ", TY_ECORRUPT, "empty"},
        {"garbage without braces", TY_ECORRUPT, "no JSON object"},
        {"{\"eventVersion\":\"1.08\",\"eventTime\":\"2022-09-05T07:45:00Z\",\"eventType\":"
         "\"AwsCloudTrailInsight\"}",
         TY_ECORRUPT, "insightDetails"},
        /* tolerated: wrong types of optional members */
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"A\",\"eventSource\":\"s\","
         "\"userIdentity\":\"root\",\"resources\":{\"ARN\":\"x\"},\"requestParameters\":null,"
         "\"additionalEventData\":[1],\"readOnly\":\"maybe\",\"sourceIPAddress\":5,"
         "\"responseElements\":\"Success\",\"awsRegion\":[]}",
         TY_OK, NULL},
        {"{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"A\",\"eventSource\":\"s\","
         "\"userIdentity\":{\"sessionContext\":\"x\",\"arn\":null},\"resources\":[\"x\",1],"
         "\"requestParameters\":{\"instancesSet\":{\"items\":{}},\"bucketName\":7},"
         "\"additionalEventData\":{\"bytesTransferredOut\":-5,\"bytesTransferredIn\":\"1e400\"}}",
         TY_OK, NULL},
        /* a container with one bad element: nothing emitted */
        {"{\"Records\":[{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"A\","
         "\"eventSource\":\"s\"},{\"eventName\":\"B\",\"eventSource\":\"s\"}]}",
         TY_ECORRUPT, "element 1: record has no eventTime"},
        {"{\"Records\":[]}", TY_SKIP, NULL},
        {"[]", TY_SKIP, NULL},
        {"[[{\"eventName\":\"A\"}]]", TY_ECORRUPT, "element 0: record has no eventTime"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct run r;
        run_init(&r, &ty_parser_cloudtrail);
        run_open(&r, lines_file, sizeof(lines_file) - 1);
        int rc = run_rec(&r, cases[i].rec, strlen(cases[i].rec), 0);
        if (rc != cases[i].rc)
            ty_test_fail(__FILE__, __LINE__, "case %zu: rc %d, expected %d (%s)", i, rc,
                         cases[i].rc, r.last_reason);
        if (cases[i].reason && !strstr(r.last_reason, cases[i].reason))
            ty_test_fail(__FILE__, __LINE__, "case %zu: reason \"%s\" lacks \"%s\"", i,
                         r.last_reason, cases[i].reason);
        if (rc == TY_OK && r.n_ev == 1) {
            CHECK_ABSENT(&r.ev[0], ACTOR);
            CHECK_ABSENT(&r.ev[0], TARGET);
            CHECK_ABSENT(&r.ev[0], SRC_IP);
            CHECK_ABSENT(&r.ev[0], BYTES_OUT);
            CHECK_ABSENT(&r.ev[0], BYTES_IN);
            CHECK_ABSENT(&r.ev[0], READ_ONLY);
            CHECK_ABSENT(&r.ev[0], CLOUD_REGION);
        }
        run_release(&r);
    }
}

/* requestParameters keys that name the target. */
static void test_targets(void)
{
    static const struct {
        const char *params;
        const char *target, *kind, *name;
    } cases[] = {
        {"{\"instanceIds\":[\"i-0123456789abcdef0\",\"i-1\"],\"documentName\":\"x\"}",
         "i-0123456789abcdef0", "AWS::EC2::Instance", NULL},
        {"{\"target\":\"i-0123456789abcdef0\"}", "i-0123456789abcdef0", "AWS::EC2::Instance",
         NULL},
        {"{\"roleName\":\"r\",\"policyArn\":\"arn:aws:iam::aws:policy/Admin\"}", "r",
         "AWS::IAM::Role", "r"},
        {"{\"policyArn\":\"arn:aws:iam::aws:policy/Admin\"}", "arn:aws:iam::aws:policy/Admin",
         "AWS::IAM::ManagedPolicy", NULL},
        {"{\"bucketName\":\"b\"}", "arn:aws:s3:::b", "AWS::S3::Bucket", "b"},
        {"{\"functionName\":\"f\"}", "f", "AWS::Lambda::Function", "f"},
        {"{\"secretId\":\"s1\"}", "s1", "AWS::SecretsManager::Secret", NULL},
        {"{\"name\":\"trail\"}", "trail", NULL, "trail"},
        {"{\"force\":true}", NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char rec[512];
        struct run r;
        snprintf(rec, sizeof(rec),
                 "{\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventName\":\"X\","
                 "\"eventSource\":\"s.amazonaws.com\",\"requestParameters\":%s}",
                 cases[i].params);
        run_init(&r, &ty_parser_cloudtrail);
        run_open(&r, rec, strlen(rec));
        CHECK_INT(run_rec(&r, rec, strlen(rec), 0), TY_OK);
        if (r.n_ev == 1) {
            const struct ty_event *e = &r.ev[0];
            if (cases[i].target)
                CHECK_FIELD(e, TARGET, cases[i].target);
            else
                CHECK_ABSENT(e, TARGET);
            if (cases[i].kind)
                CHECK_FIELD(e, TARGET_KIND, cases[i].kind);
            else
                CHECK_ABSENT(e, TARGET_KIND);
            if (cases[i].name)
                CHECK_FIELD(e, TARGET_NAME, cases[i].name);
            else
                CHECK_ABSENT(e, TARGET_NAME);
            CHECK_ABSENT(e, TARGET_USER); /* not IAM */
        }
        run_release(&r);
    }
}

/* The frame specs open() picks, through the real framer (src/read/frame.c). */
static void test_real_framer(void)
{
    static const struct {
        const char *name;
        const char *buf;
        size_t len;
        size_t events;
        int corrupt, skipped;
    } cases[] = {
#define S(x) x, sizeof(x) - 1
        {"s3", S(s3_file), 2, 0, 0},
        {"lines", S(lines_file), 5, 0, 0},
        {"cw export", S(cw_export), 2, 0, 0},
        {"logstash", S(logstash), 1, 0, 0},
        {"array", S(array_file), 2, 0, 0},
        {"eventbridge doc", S(eb_doc), 1, 0, 0},
        {"eventbridge lines", S(eb_lines), 1, 0, 0},
        {"lookup doc", S(lookup_doc), 2, 0, 0},
        {"lookup lines", S(lookup_lines), 1, 1, 0},
        {"lake", S(lake_doc), 2, 0, 0},
        {"insight", S(insight), 1, 0, 0},
        {"cwl subscription", S(cwl_sub), 2, 0, 1},
#undef S
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct run r;
        struct ty_input *in = NULL;
        struct ty_framer *fr = NULL;
        struct ty_err err;
        run_init(&r, &ty_parser_cloudtrail);
        if (run_open(&r, cases[i].buf, cases[i].len) != 0 ||
            ty_input_mem_open(&in, cases[i].name, cases[i].buf, cases[i].len) != 0 ||
            ty_framer_new(&fr, in, &r.ctx.frame, &err) != 0) {
            ty_test_fail(__FILE__, __LINE__, "%s: cannot set up", cases[i].name);
        } else {
            int rc;
            struct ty_record rec;
            while ((rc = ty_framer_next(fr, &rec, &err)) != TY_EOF) {
                if (rc != TY_OK) {
                    ty_test_fail(__FILE__, __LINE__, "%s: framer %d: %s", cases[i].name, rc,
                                 err.msg);
                    break;
                }
                run_rec(&r, rec.p, rec.len, rec.offset);
                /* only counted below: spans die with the framer's buffer */
            }
            if (r.n_ev != cases[i].events || r.n_corrupt != cases[i].corrupt ||
                r.n_skip != cases[i].skipped)
                ty_test_fail(__FILE__, __LINE__, "%s: %zu events, %d corrupt, %d skipped (%s)",
                             cases[i].name, r.n_ev, r.n_corrupt, r.n_skip, r.last_reason);
        }
        ty_framer_free(fr);
        ty_input_free(in);
        run_release(&r);
    }
}

/* Lowercased keys (Athena/Snowflake exports) are accepted. */
static void test_lowercase_keys(void)
{
    static const char rec[] =
        "{\"awsregion\":\"us-east-1\",\"eventname\":\"GetAccountPasswordPolicy\","
        "\"eventsource\":\"iam.amazonaws.com\",\"eventtime\":\"2023-01-10 23:10:06\","
        "\"useridentity\":{\"arn\":\"arn:aws:iam::1:user/x\"}}";
    struct run r;
    char b[64];
    run_init(&r, &ty_parser_cloudtrail);
    run_open(&r, rec, sizeof(rec) - 1);
    CHECK_INT(run_rec(&r, rec, sizeof(rec) - 1, 0), TY_OK);
    if (r.n_ev == 1) {
        CHECK_FIELD(&r.ev[0], ACTION, "GetAccountPasswordPolicy");
        CHECK_FIELD(&r.ev[0], ACTOR, "arn:aws:iam::1:user/x");
        CHECK_STR(time_text(&r.ev[0], b), "2023-01-10T23:10:06Z");
    }
    run_release(&r);
}

/* ------------------------------------------------------------------------ */
/* conformance over the shared samples */

static char *path_join(char *buf, size_t n, const char *a, const char *b)
{
    snprintf(buf, n, "%s/%s", a, b);
    return buf;
}

/* Feed one file as a stream; returns events, adds to the corrupt count. */
static size_t conform_file(const char *path, const char *want_shape, int *n_corrupt)
{
    size_t len;
    char *buf = ty_test_read_file(path, &len);
    struct run r;
    if (!buf) {
        ty_test_fail(__FILE__, __LINE__, "cannot read %s", path);
        return 0;
    }
    struct ty_str h = ty_str_make(buf, len > 65536 ? 65536 : len);
    int score = ty_parser_cloudtrail.sniff(h);
    if (score < 85)
        ty_test_fail(__FILE__, __LINE__, "%s: sniff %d", path, score);
    run_init(&r, &ty_parser_cloudtrail);
    run_feed(&r, buf, len);
    if (want_shape && strcmp(r.ctx.shape, want_shape) != 0)
        ty_test_fail(__FILE__, __LINE__, "%s: shape \"%s\", expected \"%s\"", path, r.ctx.shape,
                     want_shape);
    if (r.n_corrupt || r.n_fatal)
        ty_test_fail(__FILE__, __LINE__, "%s: %d corrupt (%s)", path, r.n_corrupt,
                     r.last_reason);
    *n_corrupt += r.n_corrupt;
    for (size_t i = 0; i < r.n_ev; i++) {
        const struct ty_event *e = &r.ev[i];
        CHECK(ty_event_has(e, TY_F_TS) && ty_event_has(e, TY_F_ACTION) &&
              ty_event_has(e, TY_F_PROVIDER) && ty_event_has(e, TY_F_CATEGORY));
    }
    size_t n = r.n_ev;
    run_release(&r);
    free(buf);
    return n;
}

static void conform_falco(const char *data)
{
    char p[1024];
    int bad = 0;
    size_t n1 = conform_file(
        path_join(p, sizeof(p), data,
                  "falcosecurity-falco/test/trace_files/plugins/alice_start_instances.json"),
        "S3 Records file", &bad);
    size_t n2 = conform_file(
        path_join(p, sizeof(p), data,
                  "falcosecurity-falco/test/trace_files/plugins/"
                  "alice_start_instances_bigevent.json"),
        "S3 Records file", &bad);
    CHECK_INT(n1, 1);
    CHECK_INT(n2, 1);
    printf("  cloudtrail conformance: falco %zu events, %d corrupt\n", n1 + n2, bad);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void conform_stratus(const char *data)
{
    char dir[1024], p[2048];
    char *names[64];
    size_t n_names = 0, n_ev = 0;
    int bad = 0;
    path_join(dir, sizeof(dir), data, "stratus-red-team/docs/detonation-logs");
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) {
        ty_test_fail(__FILE__, __LINE__, "no %s", dir);
        return;
    }
    while ((de = readdir(d)) && n_names < 64)
        if (strstr(de->d_name, ".json"))
            names[n_names++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n_names, sizeof(names[0]), cmp_str);
    for (size_t i = 0; i < n_names; i++) {
        n_ev += conform_file(path_join(p, sizeof(p), dir, names[i]), "JSON array", &bad);
        free(names[i]);
    }
    CHECK_INT(n_names, 35);
    CHECK_INT(n_ev, 310);
    printf("  cloudtrail conformance: stratus %zu files, %zu events, %d corrupt\n", n_names, n_ev,
           bad);
}

static void conform_otrf(const char *data)
{
    char p[1024];
    int bad = 0;
    size_t n = conform_file(
        path_join(p, sizeof(p), data,
                  "otrf-security-datasets/datasets/atomic/aws/collection/ec2_proxy_s3_exfiltration/"
                  "ec2_proxy_s3_exfiltration_2020-09-14011940.json"),
        "Logstash JSON lines", &bad);
    CHECK_INT(n, 103);
    printf("  cloudtrail conformance: otrf %zu events, %d corrupt\n", n, bad);

    /* the exfiltration: GetObject by the instance role, bytes out */
    size_t len;
    char *buf = ty_test_read_file(p, &len);
    struct run r;
    int found = 0;
    if (!buf)
        return;
    run_init(&r, &ty_parser_cloudtrail);
    run_feed(&r, buf, len);
    for (size_t i = 0; i < r.n_ev; i++) {
        const struct ty_event *e = &r.ev[i];
        if (!ty_str_eq_cstr(ty_event_str(e, TY_F_ACTION), "GetObject") || found++)
            continue;
        CHECK_FIELD(e, BUCKET, "mordors3stack-s3bucket-llp2yingx64a");
        CHECK_FIELD(e, OBJECT_KEY, "ring.txt");
        CHECK_FIELD(e, HOST_ID, "i-0317f6c6b66ae9c40");
        CHECK_FIELD(e, ACTOR_SESSION, "i-0317f6c6b66ae9c40");
        CHECK_FIELD(e, ACCESS_KEY, "ASIA5FLZVX4OPVKKVBMX");
        CHECK_INT(ty_event_int(e, TY_F_BYTES_OUT, -1), 89);
        CHECK_FIELD(e, USER_AGENT, "aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59");
    }
    CHECK(found > 0);
    run_release(&r);
    free(buf);
}

static void conform_plaso(const char *data)
{
    char p[1024];
    int bad = 0;
    size_t n = conform_file(
        path_join(p, sizeof(p), data, "plaso/test_data/jsonl/aws_cloudtrail.jsonl"),
        "LookupEvents items (lines)", &bad);
    CHECK_INT(n, 6); /* plaso_test_expectations.json: event_data 6 */
    /* expected_event_values[0] */
    size_t len;
    char *buf = ty_test_read_file(p, &len);
    struct run r;
    char b[64];
    if (!buf)
        return;
    run_init(&r, &ty_parser_cloudtrail);
    run_feed(&r, buf, len);
    if (r.n_ev >= 1) {
        const struct ty_event *e = &r.ev[0];
        CHECK_FIELD(e, ACCESS_KEY, "0123456789ABCDEFGHIJ");
        CHECK_FIELD(e, ACTION, "DescribeInstances");
        CHECK_FIELD(e, PROVIDER, "ec2.amazonaws.com");
        /* recorded_time 2022-02-08T09:23:37+11:00 */
        CHECK_STR(time_text(e, b), "2022-02-07T22:23:37Z");
        CHECK_STR(ip_text(e, TY_F_SRC_IP, b), "1.2.3.4");
        CHECK_FIELD(e, ACTOR, "arn:aws:iam::012345678901:user/fakeusername");
    }
    run_release(&r);
    free(buf);
    printf("  cloudtrail conformance: plaso %zu events, %d corrupt\n", n, bad);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void conform_sekoia(const char *data)
{
    char dir[1024], p[2048];
    char *names[64];
    size_t n_names = 0, n_ev = 0, n_cmp = 0;
    path_join(dir, sizeof(dir), data, "sekoia-intake-formats/AWS/aws-cloudtrail/tests");
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) {
        ty_test_fail(__FILE__, __LINE__, "no %s", dir);
        return;
    }
    while ((de = readdir(d)) && n_names < 64)
        if (strstr(de->d_name, ".json"))
            names[n_names++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n_names, sizeof(names[0]), cmp_str);
    for (size_t i = 0; i < n_names; i++) {
        char *buf = ty_test_read_file(path_join(p, sizeof(p), dir, names[i]), NULL);
        cJSON *t = buf ? cJSON_Parse(buf) : NULL;
        const char *msg = jstr(cJSON_GetObjectItemCaseSensitive(t, "input"), "message");
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "expected");
        if (!msg || !x) {
            ty_test_fail(__FILE__, __LINE__, "%s: no input.message/expected", names[i]);
            goto next;
        }
        struct run r;
        char b[64];
        run_init(&r, &ty_parser_cloudtrail);
        if (ty_parser_cloudtrail.sniff(ty_str_cstr(msg)) < 85)
            ty_test_fail(__FILE__, __LINE__, "%s: sniff %d", names[i],
                         ty_parser_cloudtrail.sniff(ty_str_cstr(msg)));
        run_feed(&r, msg, strlen(msg));
        if (r.n_ev != 1 || r.n_corrupt) {
            ty_test_fail(__FILE__, __LINE__, "%s: %zu events, %d corrupt (%s)", names[i], r.n_ev,
                         r.n_corrupt, r.last_reason);
            run_release(&r);
            goto next;
        }
        n_ev++;
        const struct ty_event *e = &r.ev[0];
        const cJSON *xe = cJSON_GetObjectItemCaseSensitive(x, "event");
        const cJSON *xs = cJSON_GetObjectItemCaseSensitive(x, "source");
        const cJSON *xc = cJSON_GetObjectItemCaseSensitive(x, "cloud");
        const cJSON *xu = cJSON_GetObjectItemCaseSensitive(x, "user_agent");
        const char *v;
#define CMP_FIELD(f, val)                                                                          \
    do {                                                                                           \
        if ((v = (val)) != NULL) {                                                                 \
            n_cmp++;                                                                               \
            if (!ty_str_eq_cstr(ty_event_str(e, TY_F_##f), v))                                     \
                ty_test_fail(__FILE__, __LINE__, "%s: " #f " \"%.*s\", sekoia \"%s\"", names[i],   \
                             (int)ty_event_str(e, TY_F_##f).len,                                   \
                             ty_event_str(e, TY_F_##f).p ? ty_event_str(e, TY_F_##f).p : "", v);   \
        }                                                                                          \
    } while (0)
        CMP_FIELD(ACTION, jstr(xe, "action"));
        CMP_FIELD(PROVIDER, jstr(xe, "provider"));
        CMP_FIELD(STATUS_CODE, jstr(xe, "code"));
        CMP_FIELD(STATUS_DETAIL, jstr(xe, "reason"));
        CMP_FIELD(CLOUD_REGION, jstr(xc, "region"));
        CMP_FIELD(USER_AGENT, jstr(xu, "original"));
        /* sekoia says "success" for every record, errorCode or not; we say
         * failure when errorCode is set (formats.md §1.4), so compare only
         * where there is no error code. */
        if (!jstr(xe, "code"))
            CMP_FIELD(OUTCOME, jstr(xe, "outcome"));
        if ((v = jstr(x, "@timestamp")) != NULL) {
            int64_t ns;
            n_cmp++;
            if (ty_time_parse_iso(ty_str_cstr(v), &ns, NULL, NULL) != 0 ||
                ns != ty_event_int(e, TY_F_TS, 0))
                ty_test_fail(__FILE__, __LINE__, "%s: ts %s, sekoia %s", names[i],
                             time_text(e, b), v);
        }
        if ((v = jstr(xs, "ip")) != NULL) {
            n_cmp++;
            if (strcmp(ip_text(e, TY_F_SRC_IP, b), v) != 0)
                ty_test_fail(__FILE__, __LINE__, "%s: src_ip %s, sekoia %s", names[i], b, v);
        } else if ((v = jstr(xs, "address")) != NULL) {
            CMP_FIELD(SRC_ADDR, v);
        }
#undef CMP_FIELD
        run_release(&r);
    next:
        cJSON_Delete(t);
        free(buf);
        free(names[i]);
    }
    CHECK_INT(n_names, 15);
    CHECK_INT(n_ev, 15);
    printf("  cloudtrail conformance: sekoia %zu tests, %zu events, %zu field comparisons\n",
           n_names, n_ev, n_cmp);
}

/* Panther test logs that really are not complete CloudTrail records: rule
 * unit-test snippets that leave out eventTime (and sometimes eventSource). */
static const struct {
    const char *test_name;
    const char *why;
} panther_malformed[] = {
    {"Failed Console Login", "snippet without eventTime"},
    {"Successful Console Login", "snippet without eventTime"},
    {"Non-Console Event", "snippet without eventTime"},
    {"Failed Console Login - Root User", "snippet without eventTime"},
    {"DisableEbsEncryptionByDefault Event", "snippet without eventTime"},
    {"S3 Bucket Deletion Failed", "snippet without eventTime and eventSource"},
    {"An S3 Object Deleted", "snippet without eventTime and eventSource"},
    {"BatchGetSecretValue", "snippet without eventTime"},
    {"BatchGetSecretValue Catch-All", "snippet without eventTime"},
    {"BatchGetSecretValue Catch-All with other filters", "snippet without eventTime"},
    {"BatchGetSecretValue in us-east-1", "snippet without eventTime"},
    {"Non-batch GetSecretValue event - no match", "snippet without eventTime"},
    {"Not S3 Service", "snippet without eventTime"},
    {"Retrieve SSO access token", "snippet without eventTime"},
    {"Root User Failed Activity", "eventTime \"redacted\""},
    {"Test-291327", "eventTime \"...\" (a template placeholder)"},
};

static void conform_panther(const char *data)
{
    char p[1024];
    size_t len, n_lines = 0, n_ev = 0;
    int n_bad = 0, n_expected_bad = 0;
    char *buf = ty_test_read_file(
        path_join(p, sizeof(p), data, "panther-analysis/_derived/tests.AWS.CloudTrail.jsonl"),
        &len);
    if (!buf) {
        ty_test_fail(__FILE__, __LINE__, "cannot read %s", p);
        return;
    }
    for (char *line = buf; line < buf + len;) {
        char *nl = memchr(line, '\n', (size_t)(buf + len - line));
        if (nl)
            *nl = '\0';
        cJSON *t = cJSON_Parse(line);
        const char *name = jstr(t, "test_name");
        char *log = t ? cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(t, "log")) : NULL;
        if (!log || !name) {
            ty_test_fail(__FILE__, __LINE__, "panther line %zu unreadable", n_lines + 1);
        } else {
            bool want_bad = false;
            for (size_t i = 0; i < sizeof(panther_malformed) / sizeof(panther_malformed[0]); i++)
                want_bad |= strcmp(panther_malformed[i].test_name, name) == 0;
            struct run r;
            run_init(&r, &ty_parser_cloudtrail);
            run_open(&r, log, strlen(log));
            int rc = run_rec(&r, log, strlen(log), 0);
            if (want_bad) {
                n_expected_bad++;
                if (rc != TY_ECORRUPT)
                    ty_test_fail(__FILE__, __LINE__, "panther \"%s\": rc %d, expected ECORRUPT",
                                 name, rc);
            } else if (rc != TY_OK) {
                ty_test_fail(__FILE__, __LINE__, "panther line %zu \"%s\": rc %d (%s)",
                             n_lines + 1, name, rc, r.last_reason);
            }
            n_bad += rc == TY_ECORRUPT;
            n_ev += r.n_ev;
            run_release(&r);
        }
        cJSON_free(log);
        cJSON_Delete(t);
        n_lines++;
        line = nl ? nl + 1 : buf + len;
    }
    free(buf);
    CHECK_INT(n_lines, 461);
    CHECK_INT(n_bad, n_expected_bad);
    printf("  cloudtrail conformance: panther %zu logs, %zu events, %d corrupt (all named)\n",
           n_lines, n_ev, n_bad);
}

static void test_conformance(void)
{
    const char *data = ty_test_data_dir();
    if (!data) {
        ty_test_skip("no shared data");
        return;
    }
    conform_falco(data);
    conform_stratus(data);
    conform_otrf(data);
    conform_plaso(data);
    conform_sekoia(data);
    conform_panther(data);
}

void test_parse_cloudtrail(void)
{
    test_s3_records();
    test_lines();
    test_cloudwatch_export();
    test_logstash();
    test_array();
    test_eventbridge();
    test_lookup();
    test_lake();
    test_insight();
    test_digest();
    test_cwl_subscription();
    test_sniff_foreign();
    test_corrupt();
    test_targets();
    test_real_framer();
    test_lowercase_keys();
    test_conformance();
}
