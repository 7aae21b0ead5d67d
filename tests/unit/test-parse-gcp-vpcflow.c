/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-gcp-vpcflow.c - the GCP VPC flow log parser: GCS sink JSON
 * lines, gcloud JSON arrays and pretty-printed entries, the reporter's side
 * (host, project, VPC, GKE pod), proto3 string integers, bad entries naming
 * their offset, sniff scores, and conformance over the Elastic and Sekoia
 * samples when ../shared/data is present. Samples use ' for " (q()).
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
extern const struct ty_parser ty_parser_gcp_vpcflow;
extern const struct ty_parser ty_parser_azure_flow;

#define P (&ty_parser_gcp_vpcflow)

/* formats.md §5.2's example */
static const char src_entry[] =
    "{'insertId':'k3j9x1f2qa7b','jsonPayload':{'bytes_sent':'51230','connection':{'dest_ip':"
    "'203.0.113.9','dest_port':443,'protocol':6,'src_ip':'10.128.0.7','src_port':41822},"
    "'dest_location':{'asn':64500,'continent':'Europe','country':'nld'},'end_time':"
    "'2024-03-12T14:05:14.902117733Z','packets_sent':'38','reporter':'SRC','rtt_msec':'19',"
    "'src_instance':{'project_id':'acme-prod','region':'europe-west4','vm_name':"
    "'build-runner-2','zone':'europe-west4-a'},'src_vpc':{'project_id':'acme-prod',"
    "'subnetwork_name':'default','vpc_name':'default'},'start_time':"
    "'2024-03-12T14:05:09.417002158Z'},'logName':'projects/acme-prod/logs/"
    "compute.googleapis.com%2Fvpc_flows','receiveTimestamp':'2024-03-12T14:05:31.270118662Z',"
    "'resource':{'labels':{'location':'europe-west4-a','project_id':'acme-prod',"
    "'subnetwork_id':'4821930041771230115','subnetwork_name':'default'},'type':"
    "'gce_subnetwork'},'timestamp':'2024-03-12T14:05:31.270118662Z'}";

static const char src_json[] =
    "{'ts':'2024-03-12T14:05:09.417002158Z','ts_end':'2024-03-12T14:05:14.902117733Z',"
    "'ts_prec':9,'time_text':'2024-03-12T14:05:09.417002158Z','category':'network_flow',"
    "'action':'flow','provider':'vpc-flow-logs','vendor_id':'k3j9x1f2qa7b','src_ip':"
    "'10.128.0.7','src_port':41822,'dst_ip':'203.0.113.9','dst_port':443,'net_proto':6,"
    "'net_direction':'egress','bytes_out':51230,'packets':38,'host':'build-runner-2',"
    "'cloud_provider':'gcp','cloud_account':'acme-prod','cloud_region':'europe-west4',"
    "'cloud_vpc':'default','message':'rtt 19 ms','format':'gcp-vpcflow','offset':0,'line':1}\n";

/* reported by the destination, a GKE pod; numbers as numbers; no rtt (UDP) */
static const char dest_entry[] =
    "{'insertId':'x2','jsonPayload':{'bytes_sent':1200,'packets_sent':3,'connection':{"
    "'src_ip':'10.8.0.12','src_port':53211,'dest_ip':'10.8.1.20','dest_port':8080,"
    "'protocol':17},'reporter':'DEST','src_instance':{'vm_name':'gke-a-1','project_id':'p1'},"
    "'dest_instance':{'vm_name':'gke-b-2','project_id':'p2','region':'us-east1'},"
    "'dest_vpc':{'vpc_name':'prod','project_id':'p2'},'dest_gke_details':{'cluster':{"
    "'cluster_name':'c1','cluster_location':'us-east1'},'pod':{'pod_name':'data-fetcher-7d9',"
    "'pod_namespace':'default'}},'start_time':'2024-03-12T14:05:09Z','end_time':"
    "'2024-03-12T14:05:10Z'},'logName':'projects/p2/logs/compute.googleapis.com%2Fvpc_flows',"
    "'resource':{'labels':{'project_id':'p2'},'type':'gce_subnetwork'},'timestamp':"
    "'2024-03-12T14:05:31Z'}";

static void test_fields(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];
    const char *e = q(&h, src_entry);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK(h.ctx.frame.key == NULL);
    CHECK_STR(h.ctx.shape, "JSON lines (GCS sink)");
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    CHECK_STR(h.out.buf, q(&h, src_json));

    e = q(&h, dest_entry);
    h.offset = 0;
    CHECK_INT(h_feed_raw(&h, e, strlen(e)), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_NET_DIRECTION), "ingress");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "gke-b-2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_ACCOUNT), "p2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_VPC), "prod");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_CLUSTER), "c1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_POD), "data-fetcher-7d9");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_NAMESPACE), "default");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "from vm gke-a-1");
    CHECK_INT(ty_event_int(&h.last, TY_F_NET_PROTO, -1), 17);
    CHECK_INT(ty_event_int(&h.last, TY_F_BYTES_OUT, -1), 1200);
    CHECK_INT(ty_event_int(&h.last, TY_F_PACKETS, -1), 3);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_PREC, -1), 0);
    CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ipb), "10.8.1.20");
    CHECK(!ty_event_has(&h.last, TY_F_OUTCOME)); /* flow logs carry no verdict */

    /* no start/end: the entry's timestamp; no reporter: the resource's project */
    CHECK_INT(h_feed(&h, "{'jsonPayload':{'connection':{'src_ip':'::1','dest_ip':'::2'}},"
                         "'resource':{'labels':{'project_id':'p9'}},'timestamp':"
                         "'2024-03-12T14:05:31.5Z'}"),
              TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0),
              INT64_C(1710252331) * TY_NS_PER_SEC + 500000000);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_ACCOUNT), "p9");
    CHECK(!ty_event_has(&h.last, TY_F_NET_DIRECTION) && !ty_event_has(&h.last, TY_F_SRC_PORT));
    h_close(&h);
}

/* gcloud logging read --format=json: a pretty-printed array, through the
 * real framer; a bad entry in the middle is quarantined alone. */
static void test_streams(void)
{
    struct h h;
    struct ty_buf b;
    struct run_counts c;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "[\n  %s,\n  %s,\n  %s\n]\n", q(&h, src_entry), q(&h, dest_entry),
                q(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':'bad'}},"
                      "'timestamp':'2024-03-12T14:05:31Z'}"));
    c = h_run(&h, P, b.buf);
    CHECK_STR(h.ctx.shape, "JSON array (gcloud logging read)");
    CHECK_INT(c.rec, 3);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.err.msg, "connection.dest_ip is not an IP address") != NULL);
    h_close(&h);

    /* pretty-printed entries, one after another */
    ty_buf_reset(&b);
    ty_buf_addf(&b, "{\n  \"insertId\": \"a\",\n  \"jsonPayload\": {\"connection\": {\"src_ip\": "
                    "\"10.0.0.1\", \"dest_ip\": \"10.0.0.2\"}, \"reporter\": \"SRC\", "
                    "\"start_time\": \"2024-03-12T14:05:09Z\"},\n  \"logName\": "
                    "\"projects/p/logs/compute.googleapis.com%%2Fvpc_flows\"\n}\n%s\n",
                q(&h, src_entry));
    c = h_run(&h, P, b.buf);
    CHECK_STR(h.ctx.shape, "pretty-printed JSON entries");
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad + c.skip, 0);
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
    const char *e = q(&h, src_entry);
    h_open(&h, P, e, strlen(e));
    CHECK_INT(feed0(&h, "{'logName':'projects/p/logs/cloudaudit.googleapis.com%2Factivity',"
                         "'protoPayload':{}}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 12: logName 'projects/p/logs/cloudaudit.googleapis.com%2F"
                         "activity' is not a VPC flow log");
    CHECK_INT(feed0(&h, "{'jsonPayload':{'bytes_sent':'1'},'timestamp':'2024-03-12T14:05:31Z'}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 15: no jsonPayload.connection object");
    CHECK_INT(feed0(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':"
                         "'10.0.0.2','dest_port':65536}},'timestamp':'2024-03-12T14:05:31Z'}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 83: a connection port or protocol out of range or not a number");
    CHECK_INT(feed0(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':"
                         "'10.0.0.2'},'bytes_sent':'12a'},'timestamp':'2024-03-12T14:05:31Z'}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "bytes_sent, packets_sent or rtt_msec is not a count") != NULL);
    CHECK_INT(feed0(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':"
                         "'10.0.0.2'},'start_time':'yesterday'}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not an RFC 3339 time") != NULL);
    CHECK_INT(feed0(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':"
                         "'10.0.0.2'}}}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 0: no start_time, end_time or timestamp");
    CHECK_INT(feed0(&h, "{'jsonPayload':{'connection':{'src_ip':'10.0.0.1','dest_ip':"
                         "'10.0.0.2'},'reporter':'BOTH'},'timestamp':'2024-03-12T14:05:31Z'}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "reporter 'BOTH' is not SRC or DEST") != NULL);
    CHECK_INT(feed0(&h, "{'jsonPayload':"), TY_ECORRUPT);
    CHECK(strncmp(h.err.msg, "not JSON: ", 10) == 0);
    CHECK_INT(feed0(&h, "[]"), TY_ECORRUPT);
    CHECK_INT(feed0(&h, "42"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "offset 0: a log entry is not a JSON object");
    h_close(&h);
}

static void test_sniff(void)
{
    struct h h;
    int (*sniff)(struct ty_str) = P->sniff;
    CHECK_INT(sniff(ty_str_cstr(q(&h, src_entry))), 95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "[\n  {\n    'insertId': 'a', 'jsonPayload': {"
                                      "'connection': {}}, 'logName': 'projects/p/logs/"
                                      "compute.googleapis.com/vpc_flows'"))),
              95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'jsonPayload':{'connection':{'src_ip':'1.2.3.4',"
                                      "'dest_ip':'1.2.3.5'},'reporter':'SRC'}}"))),
              85);
    /* not ours: GCP audit, firewall rules logging, CloudTrail, Azure */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'insertId':'a','logName':'projects/p/logs/"
                                      "cloudaudit.googleapis.com%2Factivity','protoPayload':{"
                                      "'@type':'type.googleapis.com/google.cloud.audit."
                                      "AuditLog'}}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'jsonPayload':{'disposition':'DENIED','rule_details':{}"
                                      "},'logName':'projects/p/logs/compute.googleapis.com%2F"
                                      "firewall'}"))),
              0);
    /* an entry quoted deeper inside another document (a test fixture) */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'input':{'message':'x'},'expected':{'gcp':{"
                                      "'jsonPayload':{'connection':{}},'logName':'projects/p/"
                                      "logs/compute.googleapis.com%2Fvpc_flows'}}}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "[{'a':{'jsonPayload':{'connection':{}}}},{'jsonPayload'"
                                      ":{'connection':{}},'logName':'compute.googleapis.com%2F"
                                      "vpc_flows'}]"))),
              0);
    CHECK_INT(sniff(ty_str_cstr("{\"Records\":[{\"eventVersion\":\"1.08\"}]}")), 0);
    CHECK_INT(sniff(ty_str_cstr("")), 0);
    CHECK_INT(ty_parser_azure_flow.sniff(ty_str_cstr(q(&h, src_entry))), 0);
    CHECK_INT(ty_parser_vpcflow.sniff(ty_str_cstr(q(&h, src_entry))), 0);
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
    }
    return o;
}

static const char *jstr(cJSON *o, const char *path)
{
    cJSON *v = jpath(o, path);
    return cJSON_IsString(v) ? v->valuestring : "(absent)";
}

static long long jint(cJSON *o, const char *path)
{
    cJSON *v = jpath(o, path);
    if (cJSON_IsString(v))
        return strtoll(v->valuestring, NULL, 10);
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

/* Every value the event takes from the entry agrees with the entry itself
 * (decoded independently by cJSON). */
static void agree(struct h *h, cJSON *in)
{
    char ipb[TY_IP_STRLEN], tsb[40];
    struct ty_event *ev = &h->last;
    const char *rep = jstr(in, "jsonPayload.reporter");
    bool src = strcmp(rep, "SRC") == 0;
    CHECK_STR(ipstr(ev, TY_F_SRC_IP, ipb), jstr(in, "jsonPayload.connection.src_ip"));
    CHECK_STR(ipstr(ev, TY_F_DST_IP, ipb), jstr(in, "jsonPayload.connection.dest_ip"));
    CHECK_INT(ty_event_int(ev, TY_F_SRC_PORT, -1), jint(in, "jsonPayload.connection.src_port"));
    CHECK_INT(ty_event_int(ev, TY_F_DST_PORT, -1), jint(in, "jsonPayload.connection.dest_port"));
    CHECK_INT(ty_event_int(ev, TY_F_NET_PROTO, -1), jint(in, "jsonPayload.connection.protocol"));
    CHECK_INT(ty_event_int(ev, TY_F_BYTES_OUT, -1), jint(in, "jsonPayload.bytes_sent"));
    CHECK_INT(ty_event_int(ev, TY_F_PACKETS, -1), jint(in, "jsonPayload.packets_sent"));
    CHECK_SPAN(ty_event_str(ev, TY_F_VENDOR_ID), jstr(in, "insertId"));
    ty_time_format(ty_event_int(ev, TY_F_TS, 0), 9, tsb);
    CHECK_STR(tsb, jstr(in, "jsonPayload.start_time"));
    ty_time_format(ty_event_int(ev, TY_F_TS_END, 0), 9, tsb);
    CHECK_STR(tsb, jstr(in, "jsonPayload.end_time"));
    CHECK_SPAN(ty_event_str(ev, TY_F_HOST),
               jstr(in, src ? "jsonPayload.src_instance.vm_name"
                            : "jsonPayload.dest_instance.vm_name"));
    CHECK_SPAN(ty_event_str(ev, TY_F_NET_DIRECTION), src ? "egress" : "ingress");
}

static void conf_elastic(const char *data)
{
    char path[1024];
    size_t len, n = 0;
    snprintf(path, sizeof(path),
             "%s/elastic-integrations/packages/gcp/data_stream/vpcflow/_dev/test/pipeline/"
             "test-vpcflow-event.first7.jsonl",
             data);
    char *buf = ty_test_read_file(path, &len);
    if (!buf) {
        ty_test_skip("elastic gcp vpcflow samples not found");
        return;
    }
    struct h h;
    h_open(&h, P, buf, len);
    CHECK_INT(P->sniff(h.ctx.head), 95);
    CHECK_STR(h.ctx.shape, "JSON lines (GCS sink)");
    for (char *line = buf, *end = buf + len; line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
        if (l) {
            CHECK_INT(h_feed_raw(&h, line, l), TY_OK);
            cJSON *in = cJSON_ParseWithLength(line, l);
            if (h.n == 1 && in)
                agree(&h, in);
            cJSON_Delete(in);
            n++;
        }
        line += l + 1;
    }
    CHECK_INT(n, 7);
    fprintf(stderr, "  gcp-vpcflow elastic: %zu entries, each 14 fields agree\n", n);
    h_close(&h);
    free(buf);
}

/* Sekoia's GKE flow samples with their expected ECS values. */
static void conf_sekoia(const char *data)
{
    static const char *const files[] = {"flow_logs_gke.json", "flow_logs_gke2.json"};
    char path[1024], ipb[TY_IP_STRLEN];
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        snprintf(path, sizeof(path), "%s/sekoia-intake-formats/Google Cloud/Google VPC Flow "
                                     "Logs/tests/%s", data, files[i]);
        char *buf = ty_test_read_file(path, &len);
        if (!buf) {
            ty_test_skip("sekoia Google VPC Flow Logs tests not found");
            return;
        }
        cJSON *root = cJSON_Parse(buf);
        const char *in = jstr(root, "input.message");
        cJSON *x = jpath(root, "expected");
        struct h h;
        h_open(&h, P, in, strlen(in));
        CHECK_INT(P->sniff(h.ctx.head), 95);
        CHECK_INT(h_feed_raw(&h, in, strlen(in)), TY_OK);
        CHECK_INT(h.n, 1);
        if (h.n == 1) {
            struct ty_event *ev = &h.last;
            cJSON *entry = cJSON_Parse(in);
            agree(&h, entry);
            cJSON_Delete(entry);
            CHECK_STR(ipstr(ev, TY_F_SRC_IP, ipb), jstr(x, "source.ip"));
            CHECK_STR(ipstr(ev, TY_F_DST_IP, ipb), jstr(x, "destination.ip"));
            CHECK_INT(ty_event_int(ev, TY_F_SRC_PORT, -1), jint(x, "source.port"));
            CHECK_INT(ty_event_int(ev, TY_F_DST_PORT, -1), jint(x, "destination.port"));
            CHECK_INT(ty_event_int(ev, TY_F_BYTES_OUT, -1), jint(x, "network.bytes"));
            CHECK_INT(ty_event_int(ev, TY_F_PACKETS, -1), jint(x, "network.packets"));
            CHECK_INT(ty_event_int(ev, TY_F_NET_PROTO, -1), jint(x, "network.iana_number"));
            CHECK_SPAN(ty_event_str(ev, TY_F_HOST), jstr(x, "host.name"));
            CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_ACCOUNT), jstr(x, "cloud.project.id"));
            CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_REGION), jstr(x, "cloud.region"));
            CHECK_SPAN(ty_event_str(ev, TY_F_CLOUD_VPC), jstr(x, "network.name"));
            CHECK_SPAN(ty_event_str(ev, TY_F_K8S_CLUSTER), jstr(x, "orchestrator.cluster.name"));
        }
        h_close(&h);
        cJSON_Delete(root);
        free(buf);
    }
    fprintf(stderr, "  gcp-vpcflow sekoia: 2 GKE entries, 12 expected fields each\n");
}

void test_parse_gcp_vpcflow(void);
void test_parse_gcp_vpcflow(void)
{
    test_fields();
    test_streams();
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
