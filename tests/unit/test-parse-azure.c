/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-azure.c - the Azure Monitor parser: formats.md §3.6's Activity,
 * sign-in and audit records (the actor from claims when caller is missing),
 * the REST, SDK (snake_case) and Log Analytics schemas, the four sign-in
 * kinds, risk detections, Graph activity, AKS kube-audit records read by the
 * k8s-audit parser with the Azure record kept as raw, the Sigma views (per
 * event formats, hoisted properties, the inner Event's names), Event Hubs
 * bodies through the framer, bad records naming their offset, sniff scores,
 * and plaso's values on its sample when ../shared/data is present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test-parse-cloud.h"
#include "test.h"

#include "parse/parse-azure-int.h"
#include "parse/parse-gcp-audit-int.h"

#define P (&ty_parser_azure_monitor)

/* formats.md §3.6 */
static const char activity[] =
    "{'time':'2024-03-12T14:07:30.4512233Z','resourceId':'/SUBSCRIPTIONS/0B1C2D3E-4F50-6172-"
    "8394-A5B6C7D8E9F0/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.AUTHORIZATION/"
    "ROLEASSIGNMENTS/5E7A1C2B','operationName':'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',"
    "'category':'Administrative','resultType':'Success','resultSignature':'Succeeded.Created',"
    "'durationMs':'812','callerIpAddress':'203.0.113.77','correlationId':'a1b2c3d4',"
    "'identity':{'authorization':{'scope':'/subscriptions/0b1c/resourceGroups/prod-rg',"
    "'action':'Microsoft.Authorization/roleAssignments/write','evidence':{'role':'Owner',"
    "'principalId':'9f8e7d6c','principalType':'User'}},'claims':{'http://schemas.xmlsoap.org/"
    "ws/2005/05/identity/claims/upn':'jdoe@contoso.example','http://schemas.microsoft.com/"
    "identity/claims/objectidentifier':'9f8e7d6c-5b4a','appid':'04b07795','ipaddr':"
    "'203.0.113.77','http://schemas.microsoft.com/claims/authnmethodsreferences':'pwd'}},"
    "'level':'Information','location':'global','properties':{'statusCode':'Created'}}";

static const char activity_json[] =
    "{'ts':'2024-03-12T14:07:30.4512233Z','ts_prec':7,'time_text':'2024-03-12T14:07:30.4512233Z',"
    "'category':'api','action':'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE','provider':"
    "'MICROSOFT.AUTHORIZATION','outcome':'success','status_code':'Succeeded.Created',"
    "'correlation_id':'a1b2c3d4','actor':'jdoe@contoso.example','actor_type':'User','actor_id':"
    "'9f8e7d6c-5b4a','actor_issuer':'04b07795','actor_mfa':0,'src_ip':'203.0.113.77',"
    "'cloud_provider':'azure','cloud_account':'0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0',"
    "'target_kind':'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS','target':'/SUBSCRIPTIONS/0B1C2D3E-"
    "4F50-6172-8394-A5B6C7D8E9F0/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.AUTHORIZATION/"
    "ROLEASSIGNMENTS/5E7A1C2B','target_name':'5E7A1C2B','severity':'Information','format':"
    "'azure-activity','offset':0,'line':1}\n";

static const char signin[] =
    "{'time':'2024-03-12T14:01:12.3456789Z','resourceId':'/tenants/1111/providers/"
    "Microsoft.aadiam','operationName':'Sign-in activity','category':'SignInLogs','tenantId':"
    "'1111','resultType':'50126','resultDescription':'Error validating credentials.',"
    "'callerIpAddress':'198.51.100.61','correlationId':'0d9c','identity':'Jane Doe','Level':'4',"
    "'location':'NL','properties':{'id':'3c2b','userPrincipalName':'jdoe@contoso.example',"
    "'userId':'9f8e','appDisplayName':'Office 365 Exchange Online','ipAddress':'198.51.100.61',"
    "'clientAppUsed':'Other clients','userAgent':'python-requests/2.31.0','status':{"
    "'errorCode':50126},'authenticationRequirement':'singleFactorAuthentication','location':{"
    "'countryOrRegion':'NL'},'riskLevelDuringSignIn':'none','userType':'Member'}}";

static const char audit[] =
    "{'time':'2024-03-12T14:09:55.1029384Z','resourceId':'/tenants/1111/providers/"
    "Microsoft.aadiam','operationName':'Update application – Certificates and secrets "
    "management ','category':'AuditLogs','tenantId':'1111','callerIpAddress':'203.0.113.77',"
    "'identity':'Jane Doe','properties':{'id':'Directory_E4D3C','category':"
    "'ApplicationManagement','result':'success','activityDisplayName':'Update application – "
    "Certificates and secrets management ','loggedByService':'Core Directory','initiatedBy':{"
    "'user':{'id':'9f8e','userPrincipalName':'jdoe@contoso.example','ipAddress':"
    "'203.0.113.77'}},'targetResources':[{'id':'2b3c','displayName':'backup-automation','type':"
    "'Application','modifiedProperties':[{'displayName':'KeyDescription','newValue':'[]'}]}],"
    "'additionalDetails':[{'key':'User-Agent','value':'Mozilla/5.0'}]}}";

static const char aks[] =
    "{'time':'2024-03-12T14:20:00Z','resourceId':'/SUBSCRIPTIONS/0B1C/RESOURCEGROUPS/RG/"
    "PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-1','category':'kube-audit',"
    "'operationName':'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',"
    "'properties':{'pod':'kube-apiserver-5d8','log':'{^kind^:^Event^,^apiVersion^:"
    "^audit.k8s.io/v1^,^auditID^:^a-1^,^stage^:^ResponseComplete^,^requestURI^:^/api/v1/"
    "namespaces/default/pods/web/exec?command=sh^,^verb^:^create^,^user^:{^username^:"
    "^alice@contoso.example^},^sourceIPs^:[^203.0.113.9^],^objectRef^:{^resource^:^pods^,"
    "^namespace^:^default^,^name^:^web^,^subresource^:^exec^},^responseStatus^:{^code^:101},"
    "^requestReceivedTimestamp^:^2024-03-12T14:19:59.000001Z^}'}}";

static void test_fields(void)
{
    struct h h;
    const char *e = q(&h, activity);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK_STR(h.ctx.frame.key, "records");
    CHECK_STR(h.ctx.shape, "JSON lines (PT1H.json blob)");
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    CHECK_STR(h.out.buf, q(&h, activity_json));

    struct ty_event *ev = &h.last;
    CHECK_INT(h_feed(&h, signin), TY_OK);
    CHECK_STR(ev->format, "entra-signin");
    CHECK_SPAN(ty_event_str(ev, TY_F_CATEGORY), "auth");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "jdoe@contoso.example");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_TYPE), "User");
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_CODE), "50126");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "Office 365 Exchange Online");
    CHECK_SPAN(ty_event_str(ev, TY_F_USER_AGENT), "python-requests/2.31.0");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), "1111");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE), "country=NL risk=none client=Other clients");
    CHECK_INT(ty_event_int(ev, TY_F_ACTOR_MFA, -1), 0);

    CHECK_INT(h_feed(&h, audit), TY_OK);
    CHECK_STR(ev->format, "entra-audit");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION),
               "Update application – Certificates and secrets management"); /* trimmed */
    CHECK_SPAN(ty_event_str(ev, TY_F_PROVIDER), "Core Directory");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "jdoe@contoso.example");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_KIND), "Application");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "backup-automation");
    CHECK_SPAN(ty_event_str(ev, TY_F_USER_AGENT), "Mozilla/5.0");
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "success");

    /* REST schema: caller, nested values, Started = unknown */
    CHECK_INT(h_feed(&h, "{'caller':'ops@contoso.example','eventTimestamp':"
                         "'2024-03-12T14:05:09.1234567Z','operationName':{'value':"
                         "'Microsoft.Compute/virtualMachines/delete','localizedValue':'Delete VM'},"
                         "'status':{'value':'Started'},'subStatus':{'value':''},'httpRequest':{"
                         "'clientIpAddress':'192.0.2.4','method':'DELETE'},'resourceId':"
                         "'/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/"
                         "virtualMachines/vm7','subscriptionId':'s1','category':{'value':"
                         "'Administrative'}}"),
              TY_OK);
    CHECK_STR(ev->format, "azure-activity");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "ops@contoso.example");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "Microsoft.Compute/virtualMachines/delete");
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "unknown");
    CHECK_SPAN(ty_event_str(ev, TY_F_HTTP_METHOD), "DELETE");
    CHECK_SPAN(ty_event_str(ev, TY_F_HOST), "vm7");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), "s1");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_KIND), "Microsoft.Compute/virtualMachines");

    /* Log Analytics AuditLogs row: InitiatedBy and TargetResources as JSON strings */
    CHECK_INT(h_feed(&h, "{'TenantId':'t0','TimeGenerated':'2021-08-02T13:29:25.983Z',"
                         "'OperationName':'Add owner to application','Category':"
                         "'ApplicationManagement','Result':'success','LoggedByService':"
                         "'Core Directory','InitiatedBy':'{^user^:{^userPrincipalName^:"
                         "^pg@simuland.example^,^ipAddress^:null}}','TargetResources':'[{"
                         "^displayName^:^SimuLandApp^,^type^:^Application^}]'}"),
              TY_OK);
    CHECK_STR(ev->format, "entra-audit");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "pg@simuland.example");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "SimuLandApp");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), "t0");

    /* a managed identity sign-in names the VM that holds the identity */
    CHECK_INT(h_feed(&h, "{'time':'2024-03-12T14:01:12Z','category':'ManagedIdentitySignInLogs',"
                         "'operationName':'Sign-in activity','resultType':'0','properties':{"
                         "'servicePrincipalName':'vm-web-identity','servicePrincipalId':'sp-9',"
                         "'resourceDisplayName':'Azure Key Vault','managedIdentityResourceId':"
                         "'/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/"
                         "virtualMachines/vm-web'}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "vm-web-identity");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_TYPE), "ManagedIdentity");
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "success");
    CHECK_SPAN(ty_event_str(ev, TY_F_HOST), "vm-web");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "Azure Key Vault");

    /* a US-style time, a risk detection */
    CHECK_INT(h_feed(&h, "{'time':'3/24/2022 2:42:35 PM','operationName':'User Risk Detection',"
                         "'category':'UserRiskEvents','properties':{'riskEventType':"
                         "'unfamiliarFeatures','userPrincipalName':'bob@contoso.example',"
                         "'ipAddress':'198.51.100.7','riskLevel':'medium'}}"),
              TY_OK);
    CHECK_STR(ev->format, "entra-risk");
    CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1648132955) * TY_NS_PER_SEC);
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "unfamiliarFeatures");
    CHECK_SPAN(ty_event_str(ev, TY_F_SEVERITY), "medium");
    /* callerIpAddress "<null>" is no address */
    CHECK_INT(h_feed(&h, "{'time':'2024-03-12T14:01:12Z','category':'AuditLogs','operationName':"
                         "'Add user','callerIpAddress':'<null>','properties':{'result':"
                         "'success'}}"),
              TY_OK);
    CHECK(!ty_event_has(ev, TY_F_SRC_IP) && !ty_event_has(ev, TY_F_SRC_ADDR));
    h_close(&h);
}


/* AKS: the k8s-audit parser reads the Event; the event keeps the Azure record */
static void test_aks(void)
{
    struct h h;
    struct ty_str v;
    const char *e = q(&h, aks);
    h_open(&h, P, e, strlen(e));
    h.offset = 100;
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    struct ty_event *ev = &h.last;
    CHECK_STR(ev->format, "aks-audit");
    CHECK_INT(ev->offset, 100);
    CHECK(ev->raw.p == e);
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "create pods/exec");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "alice@contoso.example");
    CHECK_SPAN(ty_event_str(ev, TY_F_PROC_CMDLINE), "sh");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_CLUSTER), "AKS-1");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), "0B1C");
    CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_PROVIDER), "azure");
    CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_CODE), "101");
    const struct ty_parser *view = ty_parser_find("aks-audit");
    CHECK(view && strcmp(view->logsource.product, "kubernetes") == 0);
    CHECK_INT(view->field_fast(ev, ty_str_cstr("objectRef.subresource"), &v), 1);
    CHECK_SPAN(v, "exec");
    struct kvs k = {{0}, 0};
    CHECK_INT(ty_aks_fields(ev, kvs_collect, &k), 0);
    CHECK(strstr(k.buf, "kind=Event\n") == k.buf);
    CHECK(strstr(k.buf, "\nverb=create\n") != NULL);
    CHECK(strstr(k.buf, "\nobjectRef.resource=pods\n") != NULL);
    CHECK(strstr(k.buf, "\nsourceIPs=203.0.113.9\n") != NULL);
    CHECK(strstr(k.buf, "\nresponseStatus.code=101\n") != NULL);
    CHECK(strstr(k.buf, "\nproperties.pod=kube-apiserver-5d8\n") != NULL); /* the envelope */

    /* workload identity: a service account bound to a managed identity */
    CHECK_INT(h_feed(&h, "{'time':'2024-03-12T14:20:00Z','category':'kube-audit-admin',"
                         "'resourceId':'/x/MANAGEDCLUSTERS/AKS-2','properties':{'log':'{^verb^:"
                         "^create^,^requestReceivedTimestamp^:^2024-03-12T14:19:59Z^,^objectRef^:"
                         "{^resource^:^serviceaccounts^,^namespace^:^ml^,^name^:^trainer^},"
                         "^requestObject^:{^metadata^:{^name^:^trainer^,^annotations^:{"
                         "^azure.workload.identity/client-id^:^5f0c-client^}}}}'}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_USER), "5f0c-client");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_NAME), "trainer");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_CLUSTER), "AKS-2");
    /* a bad Event inside: quarantined with both offsets */
    h.offset = 0;
    CHECK_INT(h_feed(&h, "{'time':'2024-03-12T14:20:00Z','category':'kube-audit','resourceId':"
                         "'x','properties':{'log':'{^verb^:1}'}}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 93: kube-audit properties.log: not a Kubernetes audit Event: "
                         "missing verb");
    CHECK_INT(h_feed(&h, "{'time':'2024-03-12T14:20:00Z','category':'kube-audit','properties':{}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "kube-audit record without properties.log string") != NULL);
    h_close(&h);
}

/* Activity and Entra views: the record's names and the properties' at the top */
static void test_views(void)
{
    struct h h;
    struct ty_str v;
    const char *e = q(&h, audit);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    struct kvs k = {{0}, 0};
    CHECK_INT(ty_azure_fields(&h.last, kvs_collect, &k), 0);
    CHECK(strstr(k.buf, "\nproperties.loggedByService=Core Directory\n") != NULL);
    CHECK(strstr(k.buf, "\nloggedByService=Core Directory\n") != NULL);
    CHECK(strstr(k.buf, "\ntargetResources.modifiedProperties.displayName=KeyDescription\n"));
    CHECK_INT(ty_azure_field_fast(&h.last, ty_str_cstr("properties.message"), &v), 1);
    CHECK_SPAN(v, "Update application – Certificates and secrets management");
    CHECK_INT(ty_azure_field_fast(&h.last, ty_str_cstr("operationName"), &v), 0);
    const struct ty_parser *p = ty_parser_find("entra-audit");
    CHECK(p && strcmp(p->logsource.service, "auditlogs") == 0);
    p = ty_parser_find("entra-signin");
    CHECK(p && strcmp(p->logsource.service, "signinlogs") == 0);
    p = ty_parser_find("azure-activity");
    CHECK(p && strcmp(p->logsource.service, "activitylogs") == 0);
    p = ty_parser_find("entra-risk");
    CHECK(p && strcmp(p->logsource.service, "riskdetection") == 0);
    h_close(&h);
}

/* Event Hubs bodies through the real framer; a bad record is quarantined alone */
static void test_streams(void)
{
    struct h h;
    struct ty_buf b;
    struct run_counts c;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "{\"records\":[%s,%s,{\"category\":\"AuditLogs\"}]}\n{\"records\":[]}\n",
                q(&h, activity), q(&h, signin));
    c = h_run(&h, P, b.buf);
    CHECK_STR(h.ctx.shape, "records documents (Event Hubs)");
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.err.msg, "Azure record without time") != NULL);
    h_close(&h);
    /* a Graph API signIn object, a JSON array of records */
    c = h_run(&h, P,
              q(&h, "[{'id':'s1','createdDateTime':'2024-03-12T14:01:12Z','userPrincipalName':"
                    "'u@x.example','appDisplayName':'Azure Portal','ipAddress':'192.0.2.1',"
                    "'status':{'errorCode':0}},\n{'time':'2024-03-12T14:01:12Z','category':"
                    "'MicrosoftGraphActivityLogs','operationName':'Microsoft Graph Activity',"
                    "'properties':{'requestMethod':'GET','requestUri':'https://graph.microsoft."
                    "com/v1.0/users','responseStatusCode':200,'userId':'u-1'}}]"));
    CHECK_STR(h.ctx.shape, "JSON array");
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    CHECK_STR(h.last.format, "azure-monitor");
    CHECK_INT(ty_event_int(&h.last, TY_F_HTTP_STATUS, 0), 200);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "success");
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
    const char *e = q(&h, activity);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(feed0(&h, "{'operationName':'x/write','category':'Administrative'}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 0: Azure record without time");
    CHECK_INT(feed0(&h, "{'time':'yesterday','operationName':'x','category':'Administrative'}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 9: time 'yesterday' is not a date and time");
    CHECK_INT(feed0(&h, "{'time':'13/45/2022 2:42:35 PM','operationName':'x'}"), TY_ECORRUPT);
    CHECK_INT(feed0(&h, "{'hello':'world'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "offset 0: not an Azure Monitor record") == h.err.msg);
    CHECK_INT(feed0(&h, "[1,2]"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 0: an array of 2 records inside one record");
    CHECK_INT(feed0(&h, "[]"), TY_ECORRUPT);
    CHECK_INT(feed0(&h, "[7]"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 1: an Azure record is not a JSON object");
    CHECK_INT(feed0(&h, "{'records':[]}"), TY_SKIP);
    CHECK_INT(feed0(&h, "{'time':"), TY_ECORRUPT);
    CHECK(strncmp(h.err.msg, "not JSON: ", 10) == 0);
    h_close(&h);
}

static void test_sniff(void)
{
    struct h h;
    int (*sniff)(struct ty_str) = P->sniff;
    CHECK_INT(sniff(ty_str_cstr(q(&h, activity))), 90);
    CHECK_INT(sniff(ty_str_cstr(q(&h, signin))), 90);
    CHECK_INT(sniff(ty_str_cstr(q(&h, aks))), 90);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'caller':'a','eventTimestamp':'x','operationName':{}}"))),
              85);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'event_timestamp':'x','operation_name':{}}"))), 85);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'TimeGenerated':'x','OperationNameValue':'y'}"))), 80);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'createdDateTime':'x','userPrincipalName':'u',"
                                      "'appDisplayName':'a'}"))),
              70);
    /* NSG flow logs are the flow parser's; CloudTrail and k8s audit are not ours */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'records':[{'time':'x','category':"
                                      "'NetworkSecurityGroupFlowEvent','operationName':"
                                      "'NetworkSecurityGroupFlowEvents','resourceId':'/S','"
                                      "properties':{'flows':[{'flows':[{'flowTuples':[]}]}]}}]}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr("{\"Records\":[{\"eventVersion\":\"1.08\"}]}")), 0);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'kind':'Event','apiVersion':'audit.k8s.io/v1',"
                                      "'auditID':'a','verb':'get'}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr("")), 0);
    /* the k8s-audit parser leaves AKS records to this one */
    CHECK(ty_parser_k8s_audit.sniff(ty_str_cstr(q(&h, aks))) < 90);
    CHECK_INT(ty_parser_find("aks-audit")->sniff(ty_str_cstr(q(&h, aks))), 0);
}

/* plaso's Azure SDK sample (snake_case REST) and the values its test asserts */
static void conf_plaso(const char *data)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof(path), "%s/plaso/test_data/jsonl/azure_activity_log.jsonl", data);
    char *buf = ty_test_read_file(path, &len);
    if (!buf) {
        ty_test_skip("plaso azure_activity_log.jsonl not found");
        return;
    }
    struct h h;
    struct run_counts c = h_run(&h, P, buf);
    CHECK_INT(c.ev, 4);
    CHECK_INT(c.bad, 0);
    CHECK_STR(h.ctx.shape, "Azure SDK JSON lines");
    /* the first line's values, as plaso's unit test asserts them */
    char first[4096];
    size_t n = (size_t)(strchr(h.out.buf, '\n') - h.out.buf);
    snprintf(first, sizeof(first), "%.*s", (int)(n < sizeof(first) ? n : sizeof(first) - 1),
             h.out.buf);
    CHECK(strstr(first, "\"actor\":\"12345678-9abc-defg-hijk-lmnopqrstuvw\"") != NULL);
    CHECK(strstr(first, "\"src_ip\":\"1.2.3.4\"") != NULL);
    CHECK(strstr(first, "\"action\":\"Microsoft.Compute/disks/delete\"") != NULL);
    CHECK(strstr(first, "\"correlation_id\":\"c0c54eb6-3a17-42e2-b6f6-37484ac276c4\"") != NULL);
    CHECK(strstr(first, "\"vendor_id\":\"587eda65-125e-48c2-9b04-ab5e8d3a1d8e\"") != NULL);
    CHECK(strstr(first, "\"provider\":\"Microsoft.Compute\"") != NULL);
    CHECK(strstr(first, "\"target_kind\":\"Microsoft.Compute/disks\"") != NULL);
    CHECK(strstr(first, "\"severity\":\"Informational\"") != NULL);
    CHECK(strstr(first, "\"cloud_account\":\"12345678-9abc-defg-hijk-lmnopqrstuvw\"") != NULL);
    h_close(&h);
    free(buf);
    fprintf(stderr, "  azure-monitor plaso: 4 records, 9 values of the first agree\n");
}

void test_parse_azure(void);
void test_parse_azure(void)
{
    test_fields();
    test_aks();
    test_views();
    test_streams();
    test_corrupt();
    test_sniff();
    const char *data = ty_test_data_dir();
    if (!data)
        ty_test_skip("../shared/data not found: conformance skipped");
    else
        conf_plaso(data);
    q_release();
}
