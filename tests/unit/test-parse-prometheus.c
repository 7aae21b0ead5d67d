/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-prometheus.c - the prometheus parser: a query_range matrix
 * (one event per series: time of the maximum, figures, spike, labels to
 * pod/namespace/container/node/container id, the series as raw record with
 * its own offset and line), a counter's rate, a vector, an empty result, an
 * error answer, bad samples quarantined before any event, sniff scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_prometheus;

#define CID "9e4b7c2d1a08f35e6b9d47c0a2e5f18b3c6d9a0e7f214b58c3a6d9e0f1b2c4a7"

static const char matrix[] =
    "{'status':'success','data':{'resultType':'matrix','result':[\n"
    "{'metric':{'__name__':'container_memory_working_set_bytes','container':'tomcat',"
    "'id':'/kubepods/burstable/pod3b6e/" CID "','namespace':'shop','pod':'tomcat-web-q8zjm',"
    "'node':'ip-10-42-3-58','instance':'10.42.3.58:10250','image':'tomcat-web:2.14.0'},"
    "'values':[[1792454400,'600000000'],[1792454460,'NaN'],[1792454520,'2500000000'],"
    "[1792454580,'2400000000']]},\n"
    "{'metric':{'__name__':'container_cpu_usage_seconds_total','container':'POD',"
    "'pod_name':'p'},'values':[[1792454400.5,'10'],[1792454500.5,'60']]}]}}";

static void test_matrix(void)
{
    struct h h;
    const char *s = q(&h, matrix);
    h_open(&h, &ty_parser_prometheus, s, strlen(s));
    CHECK_STR(h.ctx.shape, "Prometheus API matrix");
    h.offset = 1000;
    CHECK_INT(h_feed_raw(&h, s, strlen(s)), TY_OK);
    CHECK_INT(h.n, 2);
    const char *out = ty_buf_str(&h.out).p;
    CHECK(strstr(out, "\"ts\":\"2026-10-20T00:02:00.000000000Z\"") != NULL); /* the maximum */
    CHECK(strstr(out, "\"ts_end\":\"2026-10-20T00:03:00.000000000Z\"") != NULL);
    CHECK(strstr(out, "\"disposition\":\"spike\"") != NULL);
    CHECK(strstr(out, "\"container_id\":\"" CID "\"") != NULL);
    CHECK(strstr(out, "\"k8s_pod\":\"tomcat-web-q8zjm\"") != NULL);
    CHECK(strstr(out, "\"k8s_node\":\"ip-10-42-3-58\"") != NULL);
    CHECK(strstr(out, "\"host\":\"10.42.3.58:10250\"") != NULL);
    CHECK(strstr(out, ": 4 samples from 2026-10-20T00:00:00Z to 2026-10-20T00:03:00Z; max 2.5e+09 "
                      "(2.33 GiB) at 2026-10-20T00:02:00Z, min 6e+08 (572.20 MiB), first 6e+08 "
                      "(572.20 MiB), last 2.4e+09 (2.24 GiB), 1 NaN/Inf; spike: max is 4.2x the "
                      "first value") != NULL);
    CHECK(strstr(out, "\"offset\":1061,\"line\":2") != NULL);
    const struct ty_event *ev = &h.last;
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "container_cpu_usage_seconds_total");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_POD), "p");
    CHECK(!ty_event_has(ev, TY_F_CONTAINER_NAME)); /* the pause container's "POD" */
    CHECK(!ty_event_has(ev, TY_F_DISPOSITION));
    CHECK(ty_str_contains(ty_event_str(ev, TY_F_MESSAGE), "mean rate 0.5/s"));
    CHECK(ty_str_starts(ev->raw, "{\"metric\":{\"__name__\":\"container_cpu"));
    CHECK(ty_str_ends(ev->raw, "]]}"));
    CHECK_INT(ev->line, 3);
    h_close(&h);
}

static void test_shapes(void)
{
    struct h h;
    const char *vec = q(&h, "{'status':'success','data':{'resultType':'vector','result':"
                            "[{'metric':{'pod':'a'},'value':[1792454400,'1']}]}}");
    h_open(&h, &ty_parser_prometheus, vec, strlen(vec));
    CHECK_INT(h_feed_raw(&h, vec, strlen(vec)), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "prometheus-series");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1792454400000000000));
    CHECK(!ty_event_has(&h.last, TY_F_TS_END));
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'vector','result':[]}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "prometheus-empty-result");
    CHECK_INT(h_feed(&h, "{'status':'error','errorType':'bad_data','error':'parse error'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "prometheus-error");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "query failed: bad_data: parse error (time: unknown)");
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'scalar','result':"
                         "[1792454400,'7']}}"),
              TY_OK);
    /* bad answers: quarantined, nothing emitted first */
    h.offset = 500;
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'matrix','result':["
                         "{'metric':{},'values':[[1,'1']]},{'metric':{},'values':[[1,2]]}]}}"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "Prometheus sample at byte") != NULL);
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'matrix','result':"
                         "[{'values':[]}]}}"),
              TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'status':'success','data':{}}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'string'}}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'matrix','result':{}}}"),
              TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'status':'succ"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'status':'success','data':{'resultType':'vector','result':"
                         "[{'metric':{},'value':['x','1']}]}}"),
              TY_ECORRUPT);
    h_close(&h);

    CHECK_INT(ty_parser_prometheus.sniff(ty_str_cstr(vec)), 90);
    CHECK_INT(ty_parser_prometheus.sniff(ty_str_cstr(
                  "{\n  \"status\": \"success\",\n  \"data\": {\n    \"resultType\": \"matrix\"")),
              90);
    CHECK_INT(ty_parser_prometheus.sniff(ty_str_cstr("{\"status\":\"error\",\"errorType\":\"x\"}")),
              80);
    CHECK_INT(ty_parser_prometheus.sniff(ty_str_cstr("{\"status\":\"success\",\"data\":[]}")), 0);
    CHECK_INT(ty_parser_prometheus.sniff(ty_str_cstr("[{\"status\":\"success\"}]")), 0);
    const struct ty_parser *p = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff(ty_str_cstr(vec), &p, &err), 0);
    CHECK(p == &ty_parser_prometheus);
}

void test_parse_prometheus(void);
void test_parse_prometheus(void)
{
    test_matrix();
    test_shapes();
    q_release();
}
