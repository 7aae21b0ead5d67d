/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-cloud.c - throughput of the Google Cloud audit and Azure Monitor
 * parsers on JSON lines, beside bench-cloudtrail's figures. Generates ~100 MB
 * (argv[1] MB) of each in memory from hand-written templates in the vendors'
 * key order: GCP Data Access object reads, compute inserts with their
 * long-running operation, SetIamPolicy with a policy delta, GKE pod requests
 * with a request body, impersonated calls; Azure Activity records (claims,
 * identity), Entra sign-ins and audit records, AKS kube-audit records (the
 * Event as a JSON string, read by the k8s-audit parser). Reports, best of 5
 * rounds (argv[2]) on one core: tokenize only and the full record() path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/arena.h>
#include <tyto/json.h>
#include <tyto/parser.h>

#include "bench-util.h"
#include "parse/parse-gcp-audit-int.h"

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

static void ip(char *b, size_t n)
{
    if (pick(4) == 0)
        snprintf(b, n, "%s", pick(2) ? "private" : "gce-internal-ip");
    else
        snprintf(b, n, "%u.%u.%u.%u", 3 + pick(200), pick(256), pick(256), 1 + pick(254));
}

static const char *const users[] = {"alice@example.com", "bob@example.com",
                                    "deployer@acme-prod.iam.gserviceaccount.com",
                                    "system:serviceaccount:ci:runner"};

static void ts(char *b, size_t n, unsigned i)
{
    snprintf(b, n, "2024-03-%02uT%02u:%02u:%02u.%06uZ", 1 + i / 86400 % 28, i / 3600 % 24,
             i / 60 % 60, i % 60, pick(1000000));
}

static void gcp_record(struct out *o, unsigned i)
{
    char t[40], a[40];
    const char *u = users[pick(4)];
    ts(t, sizeof(t), i);
    ip(a, sizeof(a));
    switch (pick(5)) {
    case 0:
    case 1:
        put(o,
            "{\"insertId\":\"%08llx\",\"logName\":\"projects/acme-prod/logs/cloudaudit.googleapis."
            "com%%2Fdata_access\",\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud."
            "audit.AuditLog\",\"authenticationInfo\":{\"principalEmail\":\"%s\"},"
            "\"authorizationInfo\":[{\"granted\":true,\"permission\":\"storage.objects.get\","
            "\"resource\":\"projects/_/buckets/data-%u/objects/exports/%u.csv\","
            "\"resourceAttributes\":{}}],\"methodName\":\"storage.objects.get\","
            "\"requestMetadata\":{\"callerIp\":\"%s\",\"callerSuppliedUserAgent\":\"gcloud-golang-"
            "storage/20230201 (gzip)\",\"destinationAttributes\":{},\"requestAttributes\":{"
            "\"auth\":{},\"time\":\"%s\"}},\"resourceLocation\":{\"currentLocations\":["
            "\"europe-west4\"]},\"resourceName\":\"projects/_/buckets/data-%u/objects/exports/"
            "%u.csv\",\"serviceName\":\"storage.googleapis.com\",\"status\":{}},"
            "\"receiveTimestamp\":\"%s\",\"resource\":{\"labels\":{\"bucket_name\":\"data-%u\","
            "\"location\":\"europe-west4\",\"project_id\":\"acme-prod\"},\"type\":\"gcs_bucket\"},"
            "\"severity\":\"INFO\",\"timestamp\":\"%s\"}\n",
            (unsigned long long)rnd() & 0xffffffffffull, u, i % 7, i, a, t, i % 7, i, t, i % 7,
            t);
        break;
    case 2:
        put(o,
            "{\"insertId\":\"-%08llx\",\"logName\":\"projects/acme-prod/logs/cloudaudit."
            "googleapis.com%%2Factivity\",\"operation\":{\"first\":true,\"id\":\"operation-%u\","
            "\"producer\":\"compute.googleapis.com\"},\"protoPayload\":{\"@type\":\"type."
            "googleapis.com/google.cloud.audit.AuditLog\",\"authenticationInfo\":{"
            "\"principalEmail\":\"%s\",\"serviceAccountKeyName\":\"//iam.googleapis.com/projects/"
            "acme-prod/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com/keys/%08x\"},"
            "\"authorizationInfo\":[{\"granted\":true,\"permission\":\"compute.instances.create\","
            "\"resourceAttributes\":{\"name\":\"projects/acme-prod/zones/europe-west4-a/instances/"
            "vm-%u\",\"service\":\"compute\",\"type\":\"compute.instances\"}}],\"methodName\":"
            "\"v1.compute.instances.insert\",\"request\":{\"@type\":\"type.googleapis.com/compute."
            "instances.insert\",\"machineType\":\"zones/europe-west4-a/machineTypes/e2-medium\","
            "\"name\":\"vm-%u\",\"serviceAccounts\":[{\"email\":\"vm@acme-prod.iam."
            "gserviceaccount.com\",\"scopes\":[\"https://www.googleapis.com/auth/cloud-platform\""
            "]}]},\"requestMetadata\":{\"callerIp\":\"%s\",\"callerSuppliedUserAgent\":"
            "\"google-cloud-sdk gcloud/467.0.0 command/gcloud.compute.instances.create\"},"
            "\"resourceName\":\"projects/acme-prod/zones/europe-west4-a/instances/vm-%u\","
            "\"response\":{\"@type\":\"type.googleapis.com/operation\",\"id\":\"%u\","
            "\"insertTime\":\"2024-03-12T07:13:13.857-07:00\",\"status\":\"RUNNING\"},"
            "\"serviceName\":\"compute.googleapis.com\"},\"receiveTimestamp\":\"%s\",\"resource\":"
            "{\"labels\":{\"instance_id\":\"%u\",\"project_id\":\"acme-prod\",\"zone\":"
            "\"europe-west4-a\"},\"type\":\"gce_instance\"},\"severity\":\"NOTICE\","
            "\"timestamp\":\"%s\"}\n",
            (unsigned long long)rnd() & 0xffffffffffull, i, u, (unsigned)rnd(), i, i, a, i, i, t,
            i, t);
        break;
    case 3:
        put(o,
            "{\"insertId\":\"%08llx\",\"logName\":\"projects/acme-prod/logs/cloudaudit.googleapis."
            "com%%2Factivity\",\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud."
            "audit.AuditLog\",\"authenticationInfo\":{\"principalEmail\":\"%s\"},"
            "\"authorizationInfo\":[{\"granted\":true,\"permission\":\"io.k8s.core.v1.pods."
            "create\",\"resource\":\"core/v1/namespaces/ns-%u/pods/web-%u\"}],\"methodName\":"
            "\"io.k8s.core.v1.pods.create\",\"request\":{\"@type\":\"core.k8s.io/v1.Pod\","
            "\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-%u\","
            "\"namespace\":\"ns-%u\"},\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\","
            "\"name\":\"web\",\"resources\":{}}],\"serviceAccountName\":\"default\"}},"
            "\"requestMetadata\":{\"callerIp\":\"%s\",\"callerSuppliedUserAgent\":\"kubectl/"
            "v1.29.2 (linux/amd64) kubernetes/4b8e819\"},\"resourceName\":\"core/v1/namespaces/"
            "ns-%u/pods/web-%u\",\"serviceName\":\"k8s.io\",\"status\":{\"code\":0}},"
            "\"receiveTimestamp\":\"%s\",\"resource\":{\"labels\":{\"cluster_name\":\"prod-1\","
            "\"location\":\"europe-west4\",\"project_id\":\"acme-prod\"},\"type\":\"k8s_cluster\"},"
            "\"labels\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/"
            "reason\":\"RBAC: allowed by ClusterRoleBinding \\\"ci\\\"\"},\"timestamp\":\"%s\"}\n",
            (unsigned long long)rnd() & 0xffffffffffull, u, i % 9, i, i, i % 9, a, i % 9, i, t,
            t);
        break;
    default:
        put(o,
            "{\"insertId\":\"%08llx\",\"logName\":\"projects/acme-prod/logs/cloudaudit.googleapis."
            "com%%2Factivity\",\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud."
            "audit.AuditLog\",\"authenticationInfo\":{\"principalEmail\":\"vm@acme-prod.iam."
            "gserviceaccount.com\",\"serviceAccountDelegationInfo\":[{\"firstPartyPrincipal\":{"
            "\"principalEmail\":\"%s\"}}]},\"authorizationInfo\":[{\"granted\":true,"
            "\"permission\":\"resourcemanager.projects.setIamPolicy\",\"resource\":\"projects/"
            "acme-prod\"}],\"methodName\":\"SetIamPolicy\",\"requestMetadata\":{\"callerIp\":"
            "\"%s\",\"callerSuppliedUserAgent\":\"Terraform/1.7.4 (+https://www.terraform.io) "
            "terraform-provider-google/5.20.0\"},\"resourceName\":\"projects/acme-prod\","
            "\"serviceData\":{\"@type\":\"type.googleapis.com/google.iam.v1.logging.AuditData\","
            "\"policyDelta\":{\"bindingDeltas\":[{\"action\":\"ADD\",\"member\":\"user:x%u@"
            "example.com\",\"role\":\"roles/viewer\"}]}},\"serviceName\":\"cloudresourcemanager."
            "googleapis.com\",\"status\":{}},\"receiveTimestamp\":\"%s\",\"resource\":{\"labels\":"
            "{\"project_id\":\"acme-prod\"},\"type\":\"project\"},\"severity\":\"NOTICE\","
            "\"timestamp\":\"%s\"}\n",
            (unsigned long long)rnd() & 0xffffffffffull, u, a, i, t, t);
        break;
    }
}

static void azure_record(struct out *o, unsigned i)
{
    char t[40], a[40];
    ts(t, sizeof(t), i);
    snprintf(a, sizeof(a), "%u.%u.%u.%u", 3 + pick(200), pick(256), pick(256), 1 + pick(254));
    switch (pick(5)) {
    case 0:
    case 1:
        put(o,
            "{\"time\":\"%s\",\"resourceId\":\"/SUBSCRIPTIONS/0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0/"
            "RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-%u\","
            "\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\",\"category\":"
            "\"Administrative\",\"resultType\":\"%s\",\"resultSignature\":\"Succeeded.Created\","
            "\"durationMs\":\"812\",\"callerIpAddress\":\"%s\",\"correlationId\":\"%08x-e5f6-4711-"
            "8899-aabbccddeeff\",\"identity\":{\"authorization\":{\"scope\":\"/subscriptions/"
            "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/prod-rg\",\"action\":"
            "\"Microsoft.Compute/virtualMachines/write\",\"evidence\":{\"role\":\"Contributor\","
            "\"principalId\":\"9f8e7d6c5b4a39281706f5e4d3c2b1a0\",\"principalType\":\"User\"}},"
            "\"claims\":{\"aud\":\"https://management.core.windows.net/\",\"iss\":\"https://"
            "sts.windows.net/11111111-2222-3333-4444-555555555555/\",\"http://schemas.xmlsoap.org/"
            "ws/2005/05/identity/claims/upn\":\"user%u@contoso.example\",\"http://schemas."
            "microsoft.com/identity/claims/objectidentifier\":\"9f8e7d6c-5b4a-3928-1706-"
            "f5e4d3c2b1a0\",\"appid\":\"04b07795-8ddb-461a-bbee-02f9e1bf7b46\",\"ipaddr\":\"%s\","
            "\"http://schemas.microsoft.com/claims/authnmethodsreferences\":\"pwd,mfa\"}},"
            "\"level\":\"Information\",\"location\":\"global\",\"properties\":{\"statusCode\":"
            "\"Created\",\"serviceRequestId\":\"7c6b5a49-3827-4165-a0b9-c8d7e6f5a4b3\","
            "\"eventCategory\":\"Administrative\"}}\n",
            t, i % 50, pick(3) ? "Success" : "Start", a, (unsigned)rnd(), i % 40, a);
        break;
    case 2:
        put(o,
            "{\"time\":\"%s\",\"resourceId\":\"/tenants/11111111-2222-3333-4444-555555555555/"
            "providers/Microsoft.aadiam\",\"operationName\":\"Sign-in activity\","
            "\"operationVersion\":\"1.0\",\"category\":\"SignInLogs\",\"tenantId\":\"11111111-"
            "2222-3333-4444-555555555555\",\"resultType\":\"%s\",\"resultSignature\":\"None\","
            "\"durationMs\":0,\"callerIpAddress\":\"%s\",\"correlationId\":\"%08x-6f5e-4d3c-2b1a-"
            "0f9e8d7c6b5a\",\"identity\":\"User %u\",\"Level\":\"4\",\"location\":\"NL\","
            "\"properties\":{\"id\":\"%08x-9e8d-4c7b-6a5f-4e3d2c1b0a9f\",\"createdDateTime\":"
            "\"%s\",\"userDisplayName\":\"User %u\",\"userPrincipalName\":\"user%u@contoso."
            "example\",\"userId\":\"9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0\",\"appId\":\"00000002-"
            "0000-0ff1-ce00-000000000000\",\"appDisplayName\":\"Office 365 Exchange Online\","
            "\"ipAddress\":\"%s\",\"clientAppUsed\":\"Browser\",\"userAgent\":\"Mozilla/5.0 "
            "(Windows NT 10.0; Win64; x64) AppleWebKit/537.36\",\"status\":{\"errorCode\":%s},"
            "\"conditionalAccessStatus\":\"success\",\"isInteractive\":true,"
            "\"authenticationRequirement\":\"multiFactorAuthentication\",\"location\":{\"city\":"
            "\"Amsterdam\",\"countryOrRegion\":\"NL\",\"geoCoordinates\":{\"latitude\":52.37,"
            "\"longitude\":4.89}},\"riskLevelDuringSignIn\":\"none\",\"userType\":\"Member\"}}\n",
            t, pick(5) ? "0" : "50126", a, (unsigned)rnd(), i % 40, (unsigned)rnd(), t, i % 40,
            i % 40, a, pick(5) ? "0" : "50126");
        break;
    case 3:
        put(o,
            "{\"time\":\"%s\",\"resourceId\":\"/tenants/11111111-2222-3333-4444-555555555555/"
            "providers/Microsoft.aadiam\",\"operationName\":\"Add member to group\","
            "\"operationVersion\":\"1.0\",\"category\":\"AuditLogs\",\"tenantId\":\"11111111-2222-"
            "3333-4444-555555555555\",\"resultSignature\":\"None\",\"durationMs\":0,"
            "\"callerIpAddress\":\"%s\",\"correlationId\":\"%08x-a0f9-4e8d-7c6b-5a4f3e2d1c0b\","
            "\"identity\":\"Admin\",\"level\":\"Informational\",\"properties\":{\"id\":"
            "\"Directory_%08x\",\"category\":\"GroupManagement\",\"result\":\"success\","
            "\"activityDisplayName\":\"Add member to group\",\"activityDateTime\":\"%s\","
            "\"loggedByService\":\"Core Directory\",\"operationType\":\"Assign\",\"initiatedBy\":"
            "{\"user\":{\"id\":\"9f8e7d6c\",\"userPrincipalName\":\"admin@contoso.example\","
            "\"ipAddress\":\"%s\",\"roles\":[]}},\"targetResources\":[{\"id\":\"2b3c4d5e\","
            "\"displayName\":null,\"type\":\"User\",\"userPrincipalName\":\"user%u@contoso."
            "example\",\"modifiedProperties\":[{\"displayName\":\"Group.DisplayName\","
            "\"oldValue\":null,\"newValue\":\"\\\"Finance\\\"\"}]}],\"additionalDetails\":[{"
            "\"key\":\"User-Agent\",\"value\":\"Mozilla/5.0\"}]}}\n",
            t, a, (unsigned)rnd(), (unsigned)rnd(), t, a, i % 40);
        break;
    default:
        put(o,
            "{\"time\":\"%s\",\"resourceId\":\"/SUBSCRIPTIONS/0B1C/RESOURCEGROUPS/RG/PROVIDERS/"
            "MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-1\",\"category\":\"kube-audit\","
            "\"operationName\":\"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read\","
            "\"properties\":{\"pod\":\"kube-apiserver-5d8\",\"stream\":\"stdout\",\"log\":"
            "\"{\\\"kind\\\":\\\"Event\\\",\\\"apiVersion\\\":\\\"audit.k8s.io/v1\\\","
            "\\\"level\\\":\\\"Metadata\\\",\\\"auditID\\\":\\\"%08x-2d6f-4f3a-a3c2-91f0b7d5e812"
            "\\\",\\\"stage\\\":\\\"ResponseComplete\\\",\\\"requestURI\\\":\\\"/api/v1/"
            "namespaces/ns-%u/pods/web-%u\\\",\\\"verb\\\":\\\"get\\\",\\\"user\\\":{"
            "\\\"username\\\":\\\"system:serviceaccount:ci:runner\\\",\\\"groups\\\":["
            "\\\"system:serviceaccounts\\\",\\\"system:authenticated\\\"]},\\\"sourceIPs\\\":["
            "\\\"%s\\\"],\\\"userAgent\\\":\\\"kubectl/v1.29.2\\\",\\\"objectRef\\\":{"
            "\\\"resource\\\":\\\"pods\\\",\\\"namespace\\\":\\\"ns-%u\\\",\\\"name\\\":"
            "\\\"web-%u\\\",\\\"apiVersion\\\":\\\"v1\\\"},\\\"responseStatus\\\":{"
            "\\\"metadata\\\":{},\\\"code\\\":200},\\\"requestReceivedTimestamp\\\":\\\"%s\\\","
            "\\\"stageTimestamp\\\":\\\"%s\\\",\\\"annotations\\\":{\\\"authorization.k8s.io/"
            "decision\\\":\\\"allow\\\"}}\"}}\n",
            t, (unsigned)rnd(), i % 9, i, a, i % 9, i, t, t);
        break;
    }
}

struct sink {
    uint64_t n;
    uint64_t check;
};

static int count(void *s, struct ty_event *ev)
{
    struct sink *k = s;
    k->n++;
    k->check += ev->present[0] ^ ev->present[1];
    return 0;
}

static int run(const char *name, const struct ty_parser *p, void (*gen)(struct out *, unsigned),
               size_t target, int rounds)
{
    struct out o = {malloc(1 << 20), 0, 1 << 20};
    unsigned n_rec = 0;
    while (o.len < target)
        gen(&o, n_rec++);
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
    ctx.parser = p;
    ctx.head = (struct ty_str){o.p, o.len < 65536 ? o.len : 65536};
    if (p->sniff(ctx.head) < 50 || p->open(&ctx, &err) != 0) {
        fprintf(stderr, "%s: not recognised or open failed\n", name);
        return 1;
    }
    double best_tok = 1e9, best_full = 1e9;
    uint64_t bad = 0;
    for (int round = 0; round < rounds; round++) {
        double t0 = bench_thread_cpu();
        for (size_t i = 0; i < n; i++)
            if (ty_json_parse(&doc, o.p + starts[i], starts[i + 1] - starts[i] - 1, &err) != 0)
                bad++;
        double t1 = bench_thread_cpu();
        sink.n = 0;
        for (size_t i = 0; i < n; i++) {
            struct ty_record rec = {o.p + starts[i], starts[i + 1] - starts[i] - 1, starts[i],
                                    i + 1};
            ctx.rec = &rec;
            ctx.n_emitted = 0;
            if (p->record(&ctx, &rec, &err) != TY_OK)
                bad++;
            ty_arena_reset(&arena);
        }
        double t2 = bench_thread_cpu();
        if (t1 - t0 < best_tok)
            best_tok = t1 - t0;
        if (t2 - t1 < best_full)
            best_full = t2 - t1;
    }
    int rc = 0;
    if (bad || sink.n != n) {
        fprintf(stderr, "%s: %llu bad records, %llu events for %zu records (%s)\n", name,
                (unsigned long long)bad, (unsigned long long)sink.n, n, err.msg);
        rc = 1;
    } else {
        printf("%-13s %u records, %.0f bytes/record, shape %s\n", name, n_rec,
               (double)o.len / n_rec, ctx.shape);
        printf("%-13s tokenize only      %7.0f MB/s  %9.0f records/s\n", name,
               o.len / 1e6 / best_tok, n / best_tok);
        printf("%-13s parse + normalise  %7.0f MB/s  %9.0f events/s   (normalise %.0f "
               "ns/record)\n",
               name, o.len / 1e6 / best_full, n / best_full, (best_full - best_tok) / n * 1e9);
    }
    p->close(&ctx);
    ty_json_doc_release(&doc);
    ty_arena_release(&arena);
    free(starts);
    free(o.p);
    return rc;
}

int main(int argc, char **argv)
{
    size_t target = (size_t)(argc > 1 ? strtoul(argv[1], NULL, 10) : 100) * 1000000;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    printf("bench-cloud: best of %d rounds, thread CPU time, one core\n", rounds);
    int rc = run("gcp-audit", &ty_parser_gcp_audit, gcp_record, target, rounds);
    rc |= run("azure-monitor", &ty_parser_azure_monitor, azure_record, target, rounds);
    return rc;
}
