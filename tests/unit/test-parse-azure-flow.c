/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-azure-flow.c - the Azure flow log parser: NSG v2 and v1 tuples in
 * a PT1H.json blob, VNet v4 records (ms epochs, state D, encryption, acl),
 * forwarder-flattened VNet records, bad tuples naming their offset and
 * field, sniff scores, and conformance: the Elastic NSG oracle field by
 * field and the Sekoia VNet samples, when ../shared/data is present.
 * Samples use ' for " (q()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <tyto/frame.h>
#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

/* not (yet) declared in parser.h, which is not this parser's file */
extern const struct ty_parser ty_parser_azure_flow;
extern const struct ty_parser ty_parser_gcp_vpcflow;

#define P (&ty_parser_azure_flow)

static const char nsg_rec[] =
    "{'time':'2024-03-12T14:06:00.1234567Z','systemId':'a0fca5ce-022c-47b1-9735-89943b42f2fa',"
    "'macAddress':'000D3AF87856','category':'NetworkSecurityGroupFlowEvent','resourceId':"
    "'/SUBSCRIPTIONS/1111-2222/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/"
    "NETWORKSECURITYGROUPS/WEB-NSG','operationName':'NetworkSecurityGroupFlowEvents',"
    "'properties':{'Version':2,'flows':[{'rule':'UserRule_AllowSSH','flows':[{'mac':"
    "'000D3AF87856','flowTuples':['1710252309,198.51.100.23,10.0.1.4,51544,22,T,I,A,B,,,,',"
    "'1710252609,198.51.100.23,10.0.1.4,51544,22,T,I,A,C,220,18340,198,41022',"
    "'1710252701,198.51.100.23,10.0.1.4,51544,22,T,I,A,E,31,2480,27,5532']}]},"
    "{'rule':'DefaultRule_DenyAllInBound','flows':[{'mac':'000D3AF87856','flowTuples':"
    "['1710252310,203.0.113.66,10.0.1.4,40000,3389,U,I,D,B,,,,']}]}]}}";

static const char nsg_first_json[] =
    "{'ts':'2024-03-12T14:05:09Z','ts_prec':0,'time_text':'1710252309','category':"
    "'network_flow','action':'flow','provider':'nsg-flow-logs','outcome':'success',"
    "'status_code':'Begin','disposition':'allowed','src_ip':'198.51.100.23','src_port':51544,"
    "'dst_ip':'10.0.1.4','dst_port':22,'net_proto':6,'net_direction':'inbound','net_iface':"
    "'00-0D-3A-F8-78-56','cloud_provider':'azure','cloud_account':'1111-2222','target':"
    "'/SUBSCRIPTIONS/1111-2222/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/"
    "NETWORKSECURITYGROUPS/WEB-NSG','rule':'UserRule_AllowSSH','format':'azure-flow','offset':"
    "0,'line':1}\n";

static const char nsg_v1_rec[] =
    "{'time':'2017-02-16T22:00:32.8950000Z','systemId':'2c002c16-72f3-4dc5-b391-3444c3527434',"
    "'category':'NetworkSecurityGroupFlowEvent','resourceid':'/SUBSCRIPTIONS/S1/RESOURCEGROUPS/"
    "R/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/N','operationName':"
    "'NetworkSecurityGroupFlowEvents','properties':{'Version':1,'flows':[{'rule':"
    "'DefaultRule_DenyAllInBound','flows':[{'mac':'000D3AF8801A','flowTuples':["
    "'1487282421,42.119.146.95,10.1.0.4,51529,5358,T,I,D']}]}]}}";

static const char vnet_rec[] =
    "{'time':'2024-03-12T14:06:00.000Z','flowLogVersion':4,'flowLogGUID':'66aa66aa-6a6a',"
    "'macAddress':'00224871C205','category':'FlowLogFlowEvent','flowLogResourceID':"
    "'/SUBSCRIPTIONS/AAAA-BBBB/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/"
    "NETWORKWATCHERS/NETWORKWATCHER_EASTUS/FLOWLOGS/VNETFLOWLOG','targetResourceID':"
    "'/subscriptions/aaaa-bbbb/resourceGroups/rg/providers/Microsoft.Network/"
    "virtualNetworks/vnet1','operationName':'FlowLogFlowEvent','flowRecords':{'flows':[{"
    "'aclID':'00000000-1234-abcd-ef00-c1c2c3c4c5c6','flowGroups':[{'rule':"
    "'DefaultRule_AllowInternetOutBound','flowTuples':["
    "'1710252309417,10.0.1.4,203.0.113.9,41822,443,6,O,E,NX,38,51230,29,8812',"
    "'1710252310,10.0.1.4,203.0.113.10,41823,443,6,O,B,X,,,,']},{'rule':"
    "'BlockHighRiskTCPPortsFromInternet','flowTuples':["
    "'1710252311000,2.3.4.5,10.0.1.4,35276,23,6,I,D,NX,0,0,0,0']}]}]}}";

static void test_nsg(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];
    const char *r = q(&h, nsg_rec);

    h_open(&h, P, r, strlen(r));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK_STR(h.ctx.frame.key, "records");
    CHECK_STR(h.ctx.shape, "NSG flow log JSON records");
    CHECK_INT(h_feed_raw(&h, r, strlen(r)), TY_OK);
    CHECK_INT(h.n, 4);
    /* the first line of the output is the B tuple: no counters */
    const char *nl = strchr(h.out.buf, '\n');
    CHECK(nl != NULL);
    if (nl) {
        char first[2048];
        snprintf(first, sizeof(first), "%.*s", (int)(nl - h.out.buf + 1), h.out.buf);
        CHECK_STR(first, q(&h, nsg_first_json));
    }
    CHECK(strstr(h.out.buf, "\"status_code\":\"Continuing\"") != NULL);
    CHECK(strstr(h.out.buf, "\"bytes_out\":18340,\"bytes_in\":41022,\"packets\":418") != NULL);
    /* the last event: the denied UDP tuple of the second rule */
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "DefaultRule_DenyAllInBound");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "blocked");
    CHECK_INT(ty_event_int(&h.last, TY_F_NET_PROTO, -1), 17);
    CHECK_INT(ty_event_int(&h.last, TY_F_DST_PORT, -1), 3389);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "203.0.113.66");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252310) * TY_NS_PER_SEC);
    CHECK_INT(h.last.sub, 3);
    CHECK(!ty_event_has(&h.last, TY_F_BYTES_OUT));

    /* version 1: 8 fields, no state, "resourceid" spelling */
    r = q(&h, nsg_v1_rec);
    CHECK_INT(h_feed_raw(&h, r, strlen(r)), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK(!ty_event_has(&h.last, TY_F_STATUS_CODE));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_ACCOUNT), "S1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_NET_IFACE), "00-0D-3A-F8-80-1A");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "blocked");
    CHECK_INT(ty_event_int(&h.last, TY_F_SRC_PORT, -1), 51529);
    h_close(&h);
}

static void test_vnet(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];
    const char *r = q(&h, vnet_rec);
    h_open(&h, P, r, strlen(r));
    CHECK_STR(h.ctx.shape, "VNet flow log JSON records");
    CHECK_INT(h_feed_raw(&h, r, strlen(r)), TY_OK);
    CHECK_INT(h.n, 3);
    /* ms epoch, encryption NX, bytes both ways, acl in the message */
    CHECK(strstr(h.out.buf,
                 "{\"ts\":\"2024-03-12T14:05:09.417Z\",\"ts_prec\":3,\"time_text\":"
                 "\"1710252309417\",\"category\":\"network_flow\",\"action\":\"flow\","
                 "\"provider\":\"vnet-flow-logs\",\"outcome\":\"success\",\"status_code\":"
                 "\"End\",\"status_detail\":\"NX\",\"disposition\":\"allowed\",\"src_ip\":"
                 "\"10.0.1.4\",\"src_port\":41822,\"dst_ip\":\"203.0.113.9\",\"dst_port\":443,"
                 "\"net_proto\":6,\"net_direction\":\"outbound\",\"net_iface\":"
                 "\"00-22-48-71-C2-05\",\"bytes_out\":51230,\"bytes_in\":8812,\"packets\":67,"
                 "\"cloud_provider\":\"azure\",\"cloud_account\":\"aaaa-bbbb\",\"target\":"
                 "\"/subscriptions/aaaa-bbbb/resourceGroups/rg/providers/Microsoft.Network/"
                 "virtualNetworks/vnet1\",\"rule\":\"DefaultRule_AllowInternetOutBound\","
                 "\"message\":\"packets 38 src->dst, 29 dst->src; acl "
                 "00000000-1234-abcd-ef00-c1c2c3c4c5c6\",\"format\":\"azure-flow\"") ==
          h.out.buf);
    /* seconds epoch in the same file; X = encrypted; empty counters on B */
    CHECK(strstr(h.out.buf, "\"ts\":\"2024-03-12T14:05:10Z\",\"ts_prec\":0") != NULL);
    CHECK(strstr(h.out.buf, "\"status_detail\":\"X\"") != NULL);
    /* D: denied, carried by the state */
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "Denied");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "BlockHighRiskTCPPortsFromInternet");
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "2.3.4.5");
    CHECK_INT(ty_event_int(&h.last, TY_F_PACKETS, -1), 0);
    h_close(&h);
}

/* A PT1H.json blob through the real framer: records under "records". */
static void test_blob(void)
{
    struct h h;
    struct ty_buf b;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "{\"records\":[%s,\r\n%s,%s,", q(&h, nsg_rec), q(&h, nsg_v1_rec),
                q(&h, "{'time':'x','category':'NetworkSecurityGroupFlowEvent','properties':{"
                      "'Version':2,'flows':[]}}"));
    /* a bad tuple in an otherwise good record: the whole record is quarantined */
    ty_buf_addf(&b, "%s]}\n", q(&h, "{'category':'NetworkSecurityGroupFlowEvent',"
                                    "'properties':{'Version':2,'flows':[{'rule':'r','flows':[{"
                                    "'mac':'m','flowTuples':['1710252309,1.2.3.4,5.6.7.8,1,2,T,"
                                    "I,A,B,,,,','1710252309,1.2.3.4,5.6.7.999,1,2,T,I,A,B,,,,']}"
                                    "]}]}}"));
    struct run_counts c = h_run(&h, P, b.buf);
    CHECK_STR(h.ctx.shape, "NSG flow log PT1H.json blob (records)");
    CHECK_INT(c.rec, 4);
    CHECK_INT(c.ev, 5);
    CHECK_INT(c.skip, 1); /* a minute without flows */
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.err.msg, "flow tuple field 3 (destination IP): '5.6.7.999'") != NULL);
    h_close(&h);

    /* a blob copied while Azure was still appending to it: cut mid-record; the
     * records before the cut are kept */
    ty_buf_reset(&b);
    ty_buf_addf(&b, "{\"records\":[%s,%s", q(&h, nsg_v1_rec), q(&h, nsg_rec));
    b.len -= 40;
    b.buf[b.len] = '\0';
    c = h_run(&h, P, b.buf);
    CHECK_INT(c.ev, 1);
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.out.buf, "\"rule\":\"DefaultRule_DenyAllInBound\"") != NULL);
    CHECK(strstr(h.out.buf, "\"src_ip\":\"42.119.146.95\"") != NULL);
    h_close(&h);
    ty_buf_release(&b);
}

/* Feed a q() sample as the stream's first record (offset 0). */
static int feed0(struct h *h, const char *sample)
{
    h->offset = 0;
    return h_feed(h, sample);
}

static void test_corrupt(void)
{
    struct h h;
    const char *r = q(&h, nsg_rec);
    h_open(&h, P, r, strlen(r));
    CHECK_INT(feed0(&h, "{'properties':{'Version':2,'flows':[{'rule':'r','flows':[{'mac':'m',"
                         "'flowTuples':['1710252309,1.2.3.4,5.6.7.8,1,2,T,I,A']}]}]}}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 83: flow tuple with 8 fields, version 2 has 13");
    CHECK_INT(feed0(&h, "{'properties':{'Version':3,'flows':[]}}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 25: properties.Version is not 1 or 2");
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'1710252309,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,',"
                         "'1710252309,1.2.3.4,5.6.7.8,1,99999,T,I,A,B,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 5 (destination port): '99999'") != NULL);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'1710252309,1.2.3.4,5.6.7.8,1,2,T,X,A,B,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 7 (direction): 'X'") != NULL);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'1710252309,1.2.3.4,5.6.7.8,1,2,T,I,A,Z,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 9 (state): 'Z'") != NULL);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'1710252309,1.2.3.4,5.6.7.8,1,2,T,I,A,C,1,2x,3,4']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 11 (bytes out): '2x'") != NULL);
    /* times beyond 2255 (in s or ms) would overflow ns: refused, not wrapped */
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'90000000000,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 1 (time): '90000000000'") != NULL);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'9000000000001,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':["
                         "'8999999999999,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,']}]}]}}"),
              TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(8999999999999) * 1000000);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':[42]}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "a flow tuple is not a string") != NULL);
    CHECK_INT(feed0(&h, "{'flowRecords':{'flows':[{'flowGroups':[{'flowTuples':["
                         "'1710252309,1.2.3.4,5.6.7.8,1,2,6,O,A,NX,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 8 (state): 'A'") != NULL);
    CHECK_INT(feed0(&h, "{'flowRecords':{'flows':[{'flowGroups':[{'flowTuples':["
                         "'1710252309,1.2.3.4,5.6.7.8,1,2,6,O,B,nx!,,,,']}]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "field 9 (encryption)") != NULL);
    CHECK_INT(feed0(&h, "{'time':'2024-03-12T14:06:00Z','category':'Other'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "neither an NSG flow record") != NULL);
    CHECK_INT(feed0(&h, "{'properties':{'flows':[{'flows':[{'flowTuples':['1,2'"), TY_ECORRUPT);
    CHECK(strncmp(h.err.msg, "not JSON: ", 10) == 0);
    CHECK_INT(feed0(&h, "[1]"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 1: a flow log record is not a JSON object");
    h_close(&h);
}

static void test_sniff(void)
{
    struct h h;
    int (*sniff)(struct ty_str) = P->sniff;
    CHECK_INT(sniff(ty_str_cstr(q(&h, nsg_rec))), 95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, vnet_rec))), 95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "  {'records':[{'flowRecords':{'flows':[{'flowGroups':"
                                      "[{'flowTuples':[]}]}]}}]}"))),
              90);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'flowLogVersion':4,'rule':'r','flow.0':'1,2'}"))), 80);
    /* not ours */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'records':[{'time':'2024-03-12T14:06:00Z',"
                                      "'category':'Administrative','resourceId':'/x'}]}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr("{\"Records\":[{\"eventVersion\":\"1.08\"}]}")), 0);
    CHECK_INT(sniff(ty_str_cstr("2 111122223333 eni-0a1b flowTuples\n")), 0);
    CHECK_INT(sniff(ty_str_cstr("")), 0);
    /* the other flow parsers leave Azure alone */
    CHECK_INT(ty_parser_gcp_vpcflow.sniff(ty_str_cstr(q(&h, nsg_rec))), 0);
    CHECK_INT(ty_parser_vpcflow.sniff(ty_str_cstr(q(&h, vnet_rec))), 0);
}

/* ---- conformance ------------------------------------------------------------ */

static cJSON *jpath(cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf, *dot; o && p; p = dot ? dot + 1 : NULL) {
        dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        o = cJSON_GetObjectItemCaseSensitive(o, p);
        if (cJSON_IsArray(o)) /* ECS multi-values: the first */
            o = cJSON_GetArrayItem(o, 0);
    }
    return o;
}

static long long jint(cJSON *o, const char *path)
{
    cJSON *v = jpath(o, path);
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static const char *jstr(cJSON *o, const char *path)
{
    cJSON *v = jpath(o, path);
    return cJSON_IsString(v) ? v->valuestring : "(absent)";
}

/* Elastic's azure_network_watcher_nsg pipeline test: one NSG v2 record, its
 * expected ECS document compared field by field. */
static void conf_elastic(const char *data)
{
    char path[1024], ipb[TY_IP_STRLEN], tsb[40];
    size_t len, elen;
    static const char dir[] = "elastic-integrations/packages/azure_network_watcher_nsg/"
                              "data_stream/log/_dev/test/pipeline";
    snprintf(path, sizeof(path), "%s/%s/test-nsg.log", data, dir);
    char *log = ty_test_read_file(path, &len);
    snprintf(path, sizeof(path), "%s/%s/test-nsg.log-expected.json", data, dir);
    char *exp = ty_test_read_file(path, &elen);
    if (!log || !exp) {
        free(log);
        free(exp);
        ty_test_skip("elastic azure_network_watcher_nsg pipeline test not found");
        return;
    }
    cJSON *root = cJSON_Parse(exp);
    cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "expected"), 0);
    CHECK(x != NULL);
    struct h h;
    h_open(&h, P, log, len);
    CHECK_INT(P->sniff(h.ctx.head), 95);
    while (len && (log[len - 1] == '\n' || log[len - 1] == '\r'))
        len--;
    CHECK_INT(h_feed_raw(&h, log, len), TY_OK);
    CHECK_INT(h.n, 1);
    if (x && h.n == 1) {
        struct ty_event *ev = &h.last;
        cJSON *tu = jpath(x, "azure_network_watcher_nsg.log.properties.flows.flows.tuples");
        CHECK_STR(ipstr(ev, TY_F_SRC_IP, ipb), jstr(x, "source.ip"));
        CHECK_STR(ipstr(ev, TY_F_DST_IP, ipb), jstr(x, "destination.ip"));
        CHECK_INT(ty_event_int(ev, TY_F_SRC_PORT, -1), jint(x, "source.port"));
        CHECK_INT(ty_event_int(ev, TY_F_DST_PORT, -1), jint(x, "destination.port"));
        CHECK_INT(ty_event_int(ev, TY_F_BYTES_OUT, -1), jint(x, "source.bytes"));
        CHECK_INT(ty_event_int(ev, TY_F_BYTES_IN, -1), jint(x, "destination.bytes"));
        CHECK_INT(ty_event_int(ev, TY_F_PACKETS, -1),
                  jint(x, "source.packets") + jint(x, "destination.packets"));
        CHECK_SPAN(ty_event_str(ev, TY_F_NET_DIRECTION), jstr(x, "network.direction"));
        CHECK_STR(jstr(x, "network.transport"), "tcp");
        CHECK_INT(ty_event_int(ev, TY_F_NET_PROTO, -1), 6);
        CHECK_SPAN(ty_event_str(ev, TY_F_RULE), jstr(x, "rule.name"));
        CHECK_SPAN(ty_event_str(ev, TY_F_NET_IFACE), jstr(x, "source.mac"));
        CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_CODE), jstr(tu, "flow_state"));
        CHECK_STR(jstr(tu, "traffic.decision"), "Allowed");
        CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "allowed");
        CHECK_SPAN(ty_event_str(ev, TY_F_TARGET),
                   jstr(x, "azure_network_watcher_nsg.log.resource_id"));
        /* the tuple's own time (Elastic's @timestamp is the record's batch time) */
        int n = ty_time_format(ty_event_int(ev, TY_F_TS, 0), 3, tsb);
        CHECK_INT(n, 24);
        CHECK_STR(tsb, jstr(tu, "timestamp"));
        fprintf(stderr, "  azure-flow elastic oracle: 1 record, %u event, 15 fields agree\n",
                h.n);
    }
    h_close(&h);
    cJSON_Delete(root);
    free(log);
    free(exp);
}

/* Sekoia's VNet flow log intake tests: flattened v4 records (one tuple each)
 * with their expected ECS values. */
static void conf_sekoia(const char *data)
{
    char path[1024], ipb[TY_IP_STRLEN], tsb[40];
    unsigned n_ok = 0;
    for (int i = 1; i <= 6; i++) {
        size_t len;
        snprintf(path, sizeof(path),
                 "%s/sekoia-intake-formats/Azure/azure-network-watcher-flow-logs/tests/"
                 "test_%d.json",
                 data, i);
        char *buf = ty_test_read_file(path, &len);
        if (!buf) {
            ty_test_skip("sekoia azure-network-watcher-flow-logs tests not found");
            return;
        }
        cJSON *root = cJSON_Parse(buf);
        const char *in = jstr(root, "input.message");
        cJSON *x = jpath(root, "expected");
        struct h h;
        h_open(&h, P, in, strlen(in));
        CHECK_INT(P->sniff(h.ctx.head), 80);
        CHECK_INT(h_feed_raw(&h, in, strlen(in)), TY_OK);
        if (h.n == 1) {
            struct ty_event *ev = &h.last;
            const char *type = jstr(x, "event.type");
            ty_time_format(ty_event_int(ev, TY_F_TS, 0), 6, tsb);
            CHECK_STR(tsb, jstr(x, "@timestamp"));
            CHECK_STR(ipstr(ev, TY_F_SRC_IP, ipb), jstr(x, "source.ip"));
            CHECK_STR(ipstr(ev, TY_F_DST_IP, ipb), jstr(x, "destination.ip"));
            CHECK_INT(ty_event_int(ev, TY_F_SRC_PORT, -1), jint(x, "source.port"));
            CHECK_INT(ty_event_int(ev, TY_F_DST_PORT, -1), jint(x, "destination.port"));
            CHECK_INT(ty_event_int(ev, TY_F_BYTES_OUT, -1), jint(x, "source.bytes"));
            CHECK_INT(ty_event_int(ev, TY_F_BYTES_IN, -1), jint(x, "destination.bytes"));
            CHECK_INT(ty_event_int(ev, TY_F_PACKETS, -1),
                      jint(x, "source.packets") + jint(x, "destination.packets"));
            CHECK_SPAN(ty_event_str(ev, TY_F_NET_DIRECTION), jstr(x, "network.direction"));
            CHECK_INT(ty_event_int(ev, TY_F_NET_PROTO, -1),
                      strtol(jstr(x, "network.iana_number"), NULL, 10));
            CHECK_SPAN(ty_event_str(ev, TY_F_RULE), jstr(x, "rule.name"));
            CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_DETAIL),
                       jstr(x, "action.properties.FlowEncryption"));
            CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION),
                       strcmp(type, "denied") == 0 ? "blocked" : "allowed");
            CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_CODE),
                       strcmp(type, "denied") == 0  ? "Denied"
                       : strcmp(type, "start") == 0 ? "Begin"
                                                    : "End");
            n_ok++;
        }
        h_close(&h);
        cJSON_Delete(root);
        free(buf);
    }
    CHECK_INT(n_ok, 6);
    fprintf(stderr, "  azure-flow sekoia VNet v4: %u records, %u events, 14 fields each\n", 6u,
            n_ok);
}

void test_parse_azure_flow(void);
void test_parse_azure_flow(void)
{
    test_nsg();
    test_vnet();
    test_blob();
    test_corrupt();
    test_sniff();
    const char *data = ty_test_data_dir();
    if (!data) {
        ty_test_skip("../shared/data not found: conformance skipped");
    } else {
        conf_elastic(data);
        conf_sekoia(data);
    }
    q_release();
}
