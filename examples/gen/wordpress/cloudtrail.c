/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cloudtrail.c - the WordPress story's AWS CloudTrail: records in the key order real trails
 * use, role sessions carrying their access keys, S3 data events with their KMS Decrypt, and
 * the S3 delivery (5-minute gzip files, late records, unsorted inside a file, one digest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gz.h"
#include "json.h"
#include "out.h"
#include "rng.h"
#include "sha256.h"
#include "timefmt.h"
#include "world.h"

void ct_emit(const struct ct *c)
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
void ident_user(char *o, size_t n, const char *user, const char *aid, const char *akid,
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

void ident_role(char *o, size_t n, const char *role, const char *roleid,
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
void ct_web_identity(int64_t t, const char *role, const char *roleid, const char *prov,
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
void ct_service_assume(int64_t t, const char *svc, const char *role, const char *session,
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
void ct_s3(int64_t t, const char *ident, const char *name, const char *key,
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
void ct_kms_for_s3(int64_t t, const char *role, const char *roleid, const struct sess *s,
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
void ct_call(int64_t t, const char *ident, const char *svc, const char *name,
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

size_t ct_files;

struct ct_file {
    char rel[300];
    char hash[65];
    int64_t delivered, oldest, newest;
};

void write_cloudtrail(void)
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

