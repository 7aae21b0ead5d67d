/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-gcp-audit.c - the Google Cloud audit parser: formats.md §2.6's
 * entry to the last field, principals and delegation chains, private caller
 * IPs, status and long-running operations, storage objects, VMs and their
 * service accounts, GKE entries routed to the Kubernetes view (verb,
 * objectRef, requestObject), Pub/Sub and BigQuery shapes, non-audit entries,
 * bad entries naming their offset, sniff scores, and plaso's values on its
 * sample when ../shared/data is present. Samples use ' for " (q()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test-parse-cloud.h"
#include "test.h"

#include "parse/parse-gcp-audit-int.h"

#define P (&ty_parser_gcp_audit)

/* formats.md §2.6 */
static const char key_entry[] =
    "{'insertId':'1x9k2fe3abcd','logName':'projects/acme-prod/logs/cloudaudit.googleapis.com"
    "%2Factivity','protoPayload':{'@type':'type.googleapis.com/google.cloud.audit.AuditLog',"
    "'authenticationInfo':{'principalEmail':'mallory@example.com','principalSubject':"
    "'user:mallory@example.com'},'authorizationInfo':[{'granted':true,'permission':"
    "'iam.serviceAccountKeys.create','permissionType':'ADMIN_WRITE','resource':'projects/-/"
    "serviceAccounts/112233445566778899001','resourceAttributes':{}}],'methodName':"
    "'google.iam.admin.v1.CreateServiceAccountKey','request':{'@type':'type.googleapis.com/"
    "google.iam.admin.v1.CreateServiceAccountKeyRequest','name':'projects/-/serviceAccounts/"
    "deployer@acme-prod.iam.gserviceaccount.com','private_key_type':2},'requestMetadata':{"
    "'callerIp':'198.51.100.23','callerSuppliedUserAgent':'google-cloud-sdk gcloud/467.0.0 "
    "command/gcloud.iam.service-accounts.keys.create','requestAttributes':{'time':"
    "'2024-03-12T14:06:41.118201Z','auth':{}},'destinationAttributes':{}},'resourceName':"
    "'projects/-/serviceAccounts/112233445566778899001','response':{'@type':"
    "'type.googleapis.com/google.iam.admin.v1.ServiceAccountKey','name':'projects/acme-prod/"
    "serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com/keys/4f1c0e9a7b6d','key_type':1"
    "},'serviceName':'iam.googleapis.com','status':{}},'receiveTimestamp':"
    "'2024-03-12T14:06:41.622910231Z','resource':{'labels':{'email_id':'deployer@acme-prod.iam."
    "gserviceaccount.com','project_id':'acme-prod','unique_id':'112233445566778899001'},'type':"
    "'service_account'},'severity':'NOTICE','timestamp':'2024-03-12T14:06:41.104377Z'}";

static const char key_json[] =
    "{'ts':'2024-03-12T14:06:41.104377Z','ts_prec':6,'time_text':'2024-03-12T14:06:41.104377Z',"
    "'category':'api','action':'google.iam.admin.v1.CreateServiceAccountKey','provider':"
    "'iam.googleapis.com','outcome':'success','disposition':'allowed','read_only':0,"
    "'vendor_id':'1x9k2fe3abcd','actor':'mallory@example.com','actor_type':'User','actor_id':"
    "'user:mallory@example.com','user_agent':'google-cloud-sdk gcloud/467.0.0 command/gcloud."
    "iam.service-accounts.keys.create','src_ip':'198.51.100.23','cloud_provider':'gcp',"
    "'cloud_account':'acme-prod','target_kind':'service_account','target':'projects/-/"
    "serviceAccounts/112233445566778899001','target_name':'4f1c0e9a7b6d','target_user':"
    "'deployer@acme-prod.iam.gserviceaccount.com','severity':'NOTICE','message':"
    "'log=activity','format':'gcp-audit','offset':0,'line':1}\n";

/* a GKE exec, privileged pod spec in the request, decision in the labels */
static const char gke_exec[] =
    "{'insertId':'g1','logName':'projects/acme/logs/cloudaudit.googleapis.com%2Factivity',"
    "'protoPayload':{'authenticationInfo':{'principalEmail':'system:serviceaccount:ci:runner'},"
    "'methodName':'io.k8s.core.v1.pods.exec.create','requestMetadata':{'callerIp':"
    "'198.51.100.23','callerSuppliedUserAgent':'kubectl/v1.29.2'},'resourceName':"
    "'core/v1/namespaces/payments/pods/api-7c9d/exec','serviceName':'k8s.io','request':{"
    "'spec':{'containers':[{'securityContext':{'privileged':true}}]}}},'labels':{"
    "'authorization.k8s.io/decision':'allow'},'resource':{'type':'k8s_cluster','labels':{"
    "'cluster_name':'prod-1','location':'europe-west4','project_id':'acme'}},'timestamp':"
    "'2024-03-12T14:08:02.123456Z'}";

static void test_fields(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];
    const char *e = q(&h, key_entry);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK(h.ctx.frame.key == NULL);
    CHECK_STR(h.ctx.shape, "JSON lines (GCS sink)");
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    CHECK_STR(h.out.buf, q(&h, key_json));

    /* impersonation, a denied data read on an object, an internal caller */
    CHECK_INT(h_feed(&h, "{'logName':'projects/acme/logs/cloudaudit.googleapis.com%2Fdata_access',"
                         "'protoPayload':{'authenticationInfo':{'principalEmail':'vm-sa@acme.iam."
                         "gserviceaccount.com','serviceAccountDelegationInfo':[{"
                         "'firstPartyPrincipal':{'principalEmail':'alice@example.com'}},{"
                         "'firstPartyPrincipal':{'principalEmail':'mid@acme.iam.gserviceaccount."
                         "com'}}]},'authorizationInfo':[{'permission':'storage.objects.get'}],"
                         "'methodName':'storage.objects.get','requestMetadata':{'callerIp':"
                         "'gce-internal-ip'},'resourceName':'projects/_/buckets/b1/objects/"
                         "a/b.csv',"
                         "'serviceName':'storage.googleapis.com','status':{'code':7,'message':"
                         "'PERMISSION_DENIED'}},'timestamp':'2024-03-12T14:09:00Z'}"),
              TY_OK);
    struct ty_event *ev = &h.last;
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "vm-sa@acme.iam.gserviceaccount.com");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_TYPE), "ServiceAccount");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_ISSUER), "alice@example.com");
    CHECK_SPAN(ty_event_str(ev, TY_F_SRC_ADDR), "gce-internal-ip");
    CHECK(!ty_event_has(ev, TY_F_SRC_IP));
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_CODE), "7");
    CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_DETAIL), "PERMISSION_DENIED");
    CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "blocked"); /* granted omitted = false */
    CHECK_INT(ty_event_int(ev, TY_F_READ_ONLY, -1), 1);
    CHECK_SPAN(ty_event_str(ev, TY_F_BUCKET), "b1");
    CHECK_SPAN(ty_event_str(ev, TY_F_OBJECT_KEY), "a/b.csv");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), "acme"); /* from logName */
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE),
               "log=data_access delegation=alice@example.com -> mid@acme.iam.gserviceaccount.com");

    /* the first entry of a long-running VM creation: outcome unknown, the VM and the
     * service account it gets; the key used by the caller */
    CHECK_INT(h_feed(&h, "{'logName':'projects/acme/logs/cloudaudit.googleapis.com%2Factivity',"
                         "'operation':{'id':'op-1','first':true},'protoPayload':{"
                         "'authenticationInfo':{'principalEmail':'ci@acme.iam.gserviceaccount.com',"
                         "'serviceAccountKeyName':'//iam.googleapis.com/projects/acme/"
                         "serviceAccounts/ci@acme.iam.gserviceaccount.com/keys/0123abcd'},"
                         "'methodName':'v1.compute.instances.insert','requestMetadata':{"
                         "'callerIp':'private'},'request':{'serviceAccounts':[{'email':"
                         "'vm-sa@acme.iam.gserviceaccount.com'}]},'resourceName':'projects/acme/"
                         "zones/us-central1-a/instances/gpu-1','serviceName':"
                         "'compute.googleapis.com'},'resource':{'type':'gce_instance','labels':{"
                         "'instance_id':'4242','zone':'us-central1-a','project_id':'acme'}},"
                         "'timestamp':'2024-03-12T14:10:00Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "unknown");
    CHECK_SPAN(ty_event_str(ev, TY_F_CORRELATION_ID), "op-1");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACCESS_KEY), "0123abcd");
    CHECK_SPAN(ty_event_str(ev, TY_F_HOST), "gpu-1");
    CHECK_SPAN(ty_event_str(ev, TY_F_HOST_ID), "4242");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_USER), "vm-sa@acme.iam.gserviceaccount.com");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_REGION), "us-central1-a");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE), "log=activity operation=first");
    CHECK_STR(ipstr(ev, TY_F_SRC_IP, ipb), "(absent)");

    /* a policy-denied entry; a non-audit entry */
    CHECK_INT(h_feed(&h, "{'logName':'organizations/9/logs/cloudaudit.googleapis.com%2Fpolicy',"
                         "'protoPayload':{'methodName':'google.storage.v1.Storage.GetObject',"
                         "'serviceName':'storage.googleapis.com'},'timestamp':"
                         "'2024-03-12T14:10:00Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "blocked");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), "9");
    CHECK_INT(h_feed(&h, "{'logName':'projects/p/logs/syslog','textPayload':'hello','resource':{"
                         "'type':'gce_instance'},'timestamp':'2024-03-12T14:10:00Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_CATEGORY), "log");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "syslog");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE), "log=syslog hello");
    CHECK(ev->format == NULL || strcmp(ev->format, "gcp-audit") == 0);
    h_close(&h);
}


/* GKE: a Kubernetes event to rules, the LogEntry's names beside */
static void test_gke(void)
{
    struct h h;
    struct ty_str v;
    const char *e = q(&h, gke_exec);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    struct ty_event *ev = &h.last;
    CHECK_STR(ev->format, "gke-audit");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "create pods/exec");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_TYPE), "ServiceAccount");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "payments/pods/api-7c9d");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_POD), "api-7c9d");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_NAMESPACE), "payments");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_CLUSTER), "prod-1");
    CHECK_INT(ty_event_int(ev, TY_F_READ_ONLY, -1), 0);
    const struct ty_parser *gke = ty_parser_find("gke-audit");
    CHECK(gke && strcmp(gke->logsource.product, "kubernetes") == 0);
    CHECK(gke && strcmp(gke->logsource.service, "audit") == 0);
    CHECK_INT(ty_gke_field_fast(ev, ty_str_cstr("verb"), &v), 1);
    CHECK_SPAN(v, "create");
    CHECK_INT(ty_gke_field_fast(ev, ty_str_cstr("objectRef.subresource"), &v), 1);
    CHECK_SPAN(v, "exec");
    CHECK_INT(ty_gke_field_fast(ev, ty_str_cstr("user.username"), &v), 1);
    CHECK_SPAN(v, "system:serviceaccount:ci:runner");
    CHECK_INT(ty_gke_field_fast(ev, ty_str_cstr("requestObject"), &v), 0);
    struct kvs k = {{0}, 0};
    CHECK_INT(ty_gke_fields(ev, kvs_collect, &k), 0);
    CHECK(strstr(k.buf, "verb=create\nstage=ResponseComplete\nobjectRef.resource=pods\n"
                        "objectRef.subresource=exec\nobjectRef.namespace=payments\n"
                        "objectRef.name=api-7c9d\nuser.username=system:serviceaccount:ci:runner\n"
                        "userAgent=kubectl/v1.29.2\nsourceIPs=198.51.100.23\n"
                        "responseStatus.code=200\nobjectRef.apiVersion=v1\n") == k.buf);
    CHECK(strstr(k.buf, "\nrequestObject.spec.containers.securityContext.privileged=true\n"));
    CHECK(strstr(k.buf, "\nannotations.authorization.k8s.io/decision=allow\n"));
    CHECK(strstr(k.buf, "\nprotoPayload.methodName=io.k8s.core.v1.pods.exec.create\n"));

    /* a non-resource request; a cluster-scoped one with a group */
    CHECK_INT(h_feed(&h, "{'protoPayload':{'methodName':'io.k8s.get','resourceName':'HNAP1',"
                         "'serviceName':'k8s.io','authenticationInfo':{'principalEmail':"
                         "'system:anonymous'},'status':{'code':7}},'timestamp':"
                         "'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "get HNAP1");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_TYPE), "Anonymous");
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "failure");
    k.n = 0;
    CHECK_INT(ty_gke_fields(ev, kvs_collect, &k), 0);
    CHECK(strstr(k.buf, "responseStatus.code=403\n") != NULL);
    CHECK_INT(h_feed(&h, "{'protoPayload':{'methodName':'io.k8s.authorization.rbac.v1."
                         "clusterrolebindings.create','resourceName':'rbac.authorization.k8s.io/"
                         "v1/clusterrolebindings/pwn'},'timestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_STR(ev->format, "gke-audit"); /* serviceName dropped: the io.k8s. method tells */
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "clusterrolebindings/pwn");
    k.n = 0;
    CHECK_INT(ty_gke_fields(ev, kvs_collect, &k), 0);
    CHECK(strstr(k.buf, "objectRef.apiGroup=rbac.authorization.k8s.io\n") != NULL);
    /* workload identity: a Kubernetes service account bound to a Google one */
    CHECK_INT(h_feed(&h, "{'protoPayload':{'methodName':'io.k8s.core.v1.serviceaccounts.create',"
                         "'serviceName':'k8s.io','resourceName':'core/v1/namespaces/ml/"
                         "serviceaccounts/trainer','request':{'metadata':{'annotations':{"
                         "'iam.gke.io/gcp-service-account':'gpu@acme.iam.gserviceaccount.com'}}}"
                         "},'timestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_USER), "gpu@acme.iam.gserviceaccount.com");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_NAME), "trainer");
    h_close(&h);
}

/* gcloud arrays, pretty-printed entries, Pub/Sub, BigQuery rows */
static void test_streams(void)
{
    struct h h;
    struct ty_buf b;
    struct run_counts c;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "[\n  %s,\n  %s,\n  %s\n]\n", q(&h, key_entry), q(&h, gke_exec),
                q(&h, "{'protoPayload':{'methodName':'x'},'timestamp':'soon'}"));
    c = h_run(&h, P, b.buf);
    CHECK_STR(h.ctx.shape, "JSON array (gcloud logging read)");
    CHECK_INT(c.rec, 3);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.err.msg, "timestamp is not an RFC 3339 time") != NULL);
    h_close(&h);

    /* Pub/Sub pull output: the base64 data is the entry */
    c = h_run(&h, P,
              q(&h, "[{'ackId':'a1','message':{'attributes':{'logging.googleapis.com/"
                    "timestamp':'2024-03-12T14:11:00Z'},'data':'eyJpbnNlcnRJZCI6InBzMSIsImxvZ05h"
                    "bWUiOiJwcm9qZWN0cy9hY21lL2xvZ3MvY2xvdWRhdWRpdC5nb29nbGVhcGlzLmNvbSUyRmFjdGl2"
                    "aXR5IiwicHJvdG9QYXlsb2FkIjp7ImF1dGhlbnRpY2F0aW9uSW5mbyI6eyJwcmluY2lwYWxFbWFp"
                    "bCI6ImJvYkBleGFtcGxlLmNvbSJ9LCJtZXRob2ROYW1lIjoiU2V0SWFtUG9saWN5Iiwic2Vydmlj"
                    "ZU5hbWUiOiJjbG91ZHJlc291cmNlbWFuYWdlci5nb29nbGVhcGlzLmNvbSIsInJlc291cmNlTmFt"
                    "ZSI6InByb2plY3RzL2FjbWUiLCJyZXF1ZXN0TWV0YWRhdGEiOnsiY2FsbGVySXAiOiIyMDMuMC4x"
                    "MTMuNSJ9fSwicmVzb3VyY2UiOnsidHlwZSI6InByb2plY3QiLCJsYWJlbHMiOnsicHJvamVjdF9p"
                    "ZCI6ImFjbWUifX0sInRpbWVzdGFtcCI6IjIwMjQtMDMtMTJUMTQ6MTE6MDBaIn0=','messageId':"
                    "'1'}},{'ackId':'a2','message':{'data':'!!!'}}]"));
    CHECK_INT(c.ev, 1);
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.err.msg, "Pub/Sub message data is not base64") != NULL);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "SetIamPolicy");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "bob@example.com");
    CHECK(ty_str_starts(h.last.raw, "{\"insertId\":\"ps1\""));
    h_close(&h);

    /* BigQuery export rows */
    c = h_run(&h, P,
              q(&h, "{'logName':'projects/p/logs/cloudaudit.googleapis.com%2Factivity',"
                    "'protopayload_auditlog':{'methodName':'storage.buckets.delete','serviceName':"
                    "'storage.googleapis.com','authenticationInfo':{'principalEmail':'e@x.io'},"
                    "'resourceName':'projects/_/buckets/logs-b'},'timestamp':"
                    "'2024-03-12 14:06:41.104377 UTC'}\n"));
    CHECK_STR(h.ctx.shape, "BigQuery export rows");
    CHECK_INT(c.ev, 1);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252401104377000));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_BUCKET), "logs-b");
    h_close(&h);
    ty_buf_release(&b);
}

static int feed0(struct h *h, const char *sample)
{
    h->offset = 0;
    return h_feed(h, sample);
}

static void test_corrupt(void)
{
    struct h h;
    const char *e = q(&h, key_entry);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(feed0(&h, "{'protoPayload':{'methodName':'x'}}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 0: log entry without timestamp");
    CHECK_INT(feed0(&h, "{'protoPayload':{'methodName':'x'},'timestamp':'2024-13-40T00:00:00Z'}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 48: timestamp is not an RFC 3339 time");
    CHECK_INT(feed0(&h, "{'methodName':'v1.compute.firewalls.insert'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "offset 0: not a Cloud Logging LogEntry") == h.err.msg);
    CHECK_INT(feed0(&h, "{'protoPayload':'x','timestamp':'2024-03-12T14:06:41Z'}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 17: protoPayload is not an object");
    CHECK_INT(feed0(&h, "{'message':{'data':'bm90IGpzb24='}}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "Pub/Sub data is not a JSON LogEntry") != NULL);
    CHECK_INT(feed0(&h, "[]"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 0: an empty array, no log entry");
    CHECK_INT(feed0(&h, "[42]"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 1: a log entry is not a JSON object");
    CHECK_INT(feed0(&h, "{'protoPayload':"), TY_ECORRUPT);
    CHECK(strncmp(h.err.msg, "not JSON: ", 10) == 0);
    h_close(&h);
}

static void test_sniff(void)
{
    struct h h;
    int (*sniff)(struct ty_str) = P->sniff;
    CHECK_INT(sniff(ty_str_cstr(q(&h, key_entry))), 90);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "[\n {\n  'protoPayload': {'methodName': 'x'}"))), 80);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'logName':'projects/p/logs/syslog','resource':{},"
                                      "'textPayload':'x'}"))),
              60);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'ackId':'a','message':{'data':'eyJ9','attributes':{"
                                      "'logging.googleapis.com/timestamp':'x'}}}"))),
              80);
    /* a VPC flow entry scores below the flow parser (95) */
    const char *flow = q(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':"
                             "'10.0.0.2'},'reporter':'SRC'},'logName':'projects/p/logs/compute."
                             "googleapis.com%2Fvpc_flows','resource':{}}");
    CHECK_INT(sniff(ty_str_cstr(flow)), 60);
    CHECK(ty_parser_find("gcp-vpcflow")->sniff(ty_str_cstr(flow)) > 60);
    /* an entry quoted inside another document; CloudTrail; Kubernetes */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'input':{'protoPayload':{}}}"))), 0);
    CHECK_INT(sniff(ty_str_cstr("{\"Records\":[{\"eventVersion\":\"1.08\"}]}")), 0);
    CHECK_INT(sniff(ty_str_cstr("")), 0);
    CHECK_INT(ty_parser_k8s_audit.sniff(ty_str_cstr(q(&h, gke_exec))), 0);
    CHECK_INT(ty_parser_cloudtrail.sniff(ty_str_cstr(q(&h, key_entry))), 0);
    CHECK_INT(ty_parser_gke_audit.sniff(ty_str_cstr(q(&h, gke_exec))), 0);
}

static void test_logentry(void)
{
    char id[64], out[16];
    CHECK_INT(ty_gcp_log_id(ty_str_cstr("projects/p/logs/cloudaudit.googleapis.com%2Factivity"),
                            id, sizeof(id)),
              34);
    CHECK_STR(id, "cloudaudit.googleapis.com/activity");
    CHECK_INT(ty_gcp_log_id(ty_str_cstr("nothing"), id, sizeof(id)), 0);
    CHECK_INT(ty_gcp_log_id(ty_str_cstr("p/logs/abcdef"), id, 4), 3);
    CHECK_STR(id, "abc");
    CHECK_SPAN(ty_gcp_log_parent(ty_str_cstr("folders/77/logs/x")), "77");
    CHECK(ty_gcp_log_parent(ty_str_cstr("x")).p == NULL);
    CHECK_INT(ty_gcp_base64_decode(ty_str_cstr("aGk_-w=="), out), 4);
    CHECK(memcmp(out, "hi?\xfb", 4) == 0);
    CHECK_INT(ty_gcp_base64_decode(ty_str_cstr("a"), out), -1);
    CHECK_INT(ty_gcp_base64_decode(ty_str_cstr("aGk=aGk="), out), -1);
}

/* plaso's sample and the values its unit test asserts for the first entry */
static void conf_plaso(const char *data)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof(path), "%s/plaso/test_data/jsonl/gcp_logging.jsonl", data);
    char *buf = ty_test_read_file(path, &len);
    if (!buf) {
        ty_test_skip("plaso gcp_logging.jsonl not found");
        return;
    }
    struct h h;
    struct run_counts c = h_run(&h, P, buf);
    CHECK_INT(c.ev, 11);
    CHECK_INT(c.bad, 0);
    /* the first line's event (the harness keeps every event's JSON) */
    cJSON *first = cJSON_ParseWithLength(h.out.buf, (size_t)(strchr(h.out.buf, '\n') - h.out.buf));
    CHECK(first != NULL);
    if (first) {
        CHECK_STR(cJSON_GetObjectItem(first, "ts")->valuestring, "2021-10-19T02:57:47.339377Z");
        CHECK_STR(cJSON_GetObjectItem(first, "src_ip")->valuestring, "1.1.1.1");
        CHECK_STR(cJSON_GetObjectItem(first, "action")->valuestring,
                  "beta.compute.networks.insert");
        CHECK_STR(cJSON_GetObjectItem(first, "target")->valuestring,
                  "projects/fake-project/global/networks/test");
        CHECK_STR(cJSON_GetObjectItem(first, "provider")->valuestring, "compute.googleapis.com");
        CHECK_STR(cJSON_GetObjectItem(first, "user_agent")->valuestring, "UserAgent");
        CHECK_STR(cJSON_GetObjectItem(first, "severity")->valuestring, "NOTICE");
        cJSON_Delete(first);
    }
    h_close(&h);
    free(buf);
    fprintf(stderr, "  gcp-audit plaso: 11 entries, first entry's 7 values agree\n");
}

void test_parse_gcp_audit(void);
void test_parse_gcp_audit(void)
{
    test_fields();
    test_gke();
    test_streams();
    test_corrupt();
    test_sniff();
    test_logentry();
    const char *data = ty_test_data_dir();
    if (!data)
        ty_test_skip("../shared/data not found: conformance skipped");
    else
        conf_plaso(data);
    q_release();
}
