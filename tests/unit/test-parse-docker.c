/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-docker.c - the docker-config parser (config.v2.json with its
 * dangerous mounts, hostconfig.json with privileged/caps/host namespaces/
 * docker.sock/restart, timed by the file mtime) and the docker-json-log
 * parser (stream, time, text, partial pieces, container id from the path),
 * bad records quarantined with the byte offset, and strict sniff scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_docker_config;
extern const struct ty_parser ty_parser_docker_json_log;

#define ID "c41d7a09e2b85f36a1e4c07d93b2f5e86a0d1c47f2e9b3a5d8c6e0f1a2b3c4d5"

static const char config[] =
    "{\"ID\":\"" ID "\",\"Created\":\"2024-03-12T14:02:11.553820114Z\",\"Path\":\"/bin/sh\","
    "\"Args\":[\"-c\",\"while true; do sleep 30; done\"],\"Config\":{\"Hostname\":\"c41d\","
    "\"User\":\"root\",\"Cmd\":[\"/bin/sh\"],\"Image\":\"alpine:3.19\",\"Labels\":{"
    "\"io.kubernetes.pod.name\":\"web-1\",\"io.kubernetes.pod.namespace\":\"shop\"}},"
    "\"Image\":\"sha256:9a3f\",\"Name\":\"/dazzling_kepler\",\"Driver\":\"overlay2\","
    "\"MountPoints\":{\"/host\":{\"Source\":\"/\",\"Destination\":\"/host\",\"RW\":true,"
    "\"Type\":\"bind\"},\"/data\":{\"Source\":\"/srv/data\",\"Destination\":\"/data\"}},"
    "\"State\":{\"Running\":true,\"Paused\":false,\"Restarting\":false,\"Dead\":false,"
    "\"Pid\":31877,\"ExitCode\":0,\"StartedAt\":\"2024-03-12T14:02:11.902231745Z\","
    "\"FinishedAt\":\"0001-01-01T00:00:00Z\"}}";

static const char hostconfig[] =
    "{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\",\"/srv:/srv:ro\"],"
    "\"NetworkMode\":\"host\",\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":0},"
    "\"Privileged\":true,\"CapAdd\":[\"SYS_ADMIN\"],\"PidMode\":\"host\",\"IpcMode\":\"\"}";

static void test_config(void)
{
    struct h h;
    h_open(&h, &ty_parser_docker_config, config, strlen(config));
    CHECK_STR(h.ctx.shape, "config.v2.json");
    CHECK_INT(h_feed_raw(&h, config, strlen(config)), TY_OK);
    CHECK_INT(h.n, 1);
    const struct ty_event *ev = &h.last;
    CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1710252131553820114));
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "container-created");
    CHECK_SPAN(ty_event_str(ev, TY_F_CATEGORY), "container");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_ID), ID);
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_NAME), "dazzling_kepler");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_IMAGE), "alpine:3.19");
    CHECK_SPAN(ty_event_str(ev, TY_F_PROC_CMDLINE), "/bin/sh -c while true; do sleep 30; done");
    CHECK_SPAN(ty_event_str(ev, TY_F_PROC_USER), "root");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_POD), "web-1");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_NAMESPACE), "shop");
    CHECK_INT(ty_event_int(ev, TY_F_PID, 0), 31877);
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE),
               "state running (exit code 0), started 2024-03-12T14:02:11.902231745Z, finished "
               "never; dangerous: host / mounted /:/host");
    CHECK_SPAN(ty_event_str(ev, TY_F_SEVERITY), "high");
    /* corrupt: quarantined with the offset, nothing emitted */
    h.offset = 0;
    CHECK_INT(h_feed_raw(&h, config, 100), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 0") != NULL);
    const char *noid = "{\"ID\":\"\",\"State\":{},\"Created\":\"2024-03-12T14:02:11Z\"}";
    CHECK_INT(h_feed_raw(&h, noid, strlen(noid)), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "no container ID") != NULL);
    const char *badt = "{\"ID\":\"ab\",\"State\":{},\"Created\":\"yesterday\"}";
    CHECK_INT(h_feed_raw(&h, badt, strlen(badt)), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "Created") != NULL);
    CHECK_INT(h_feed_raw(&h, "[1,2]", 5), TY_ECORRUPT);
    CHECK_INT(h_feed_raw(&h, "{\"x\":1}", 7), TY_ECORRUPT);
    h_close(&h);
}

static void test_hostconfig(void)
{
    struct h h;
    h_open(&h, &ty_parser_docker_config, hostconfig, strlen(hostconfig));
    CHECK_STR(h.ctx.shape, "hostconfig.json");
    h.ctx.evidence = "/snap/var/lib/docker/containers/" ID "/hostconfig.json";
    h.ctx.file_mtime = INT64_C(1710252200) * TY_NS_PER_SEC;
    CHECK_INT(h_feed_raw(&h, hostconfig, strlen(hostconfig)), TY_OK);
    const struct ty_event *ev = &h.last;
    CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1710252200) * TY_NS_PER_SEC);
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "container-hostconfig");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_ID), ID);
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE),
               "dangerous: privileged; capability added SYS_ADMIN; host PID namespace; host "
               "network; container runtime socket mounted /var/run/docker.sock:/var/run/"
               "docker.sock; restart always (time: hostconfig.json last written)");
    /* a benign one: no severity */
    const char *ok = "{\"Binds\":null,\"NetworkMode\":\"bridge\",\"Privileged\":false,"
                     "\"RestartPolicy\":{\"Name\":\"no\"}}";
    h.ctx.file_mtime = 0;
    CHECK_INT(h_feed_raw(&h, ok, strlen(ok)), TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_SEVERITY));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, -1), 0);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "no dangerous settings (time: unknown, the file has none)");
    h_close(&h);
}

static void test_json_log(void)
{
    struct h h;
    const char *l1 = "{\"log\":\"curl: (7) Failed\\n\",\"stream\":\"stderr\","
                     "\"time\":\"2024-03-12T14:05:09.503118402Z\"}";
    h_open(&h, &ty_parser_docker_json_log, l1, strlen(l1));
    h.ctx.evidence = "x/containers/" ID "/" ID "-json.log.1";
    CHECK_INT(h_feed_raw(&h, l1, strlen(l1)), TY_OK);
    const struct ty_event *ev = &h.last;
    CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1710252309503118402));
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "stderr");
    CHECK_SPAN(ty_event_str(ev, TY_F_CATEGORY), "log");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE), "curl: (7) Failed");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_ID), ID);
    CHECK(!ty_event_has(ev, TY_F_DISPOSITION));
    const char *part = "{\"log\":\"AAAA\",\"stream\":\"stdout\",\"time\":\"2024-03-12T14:05:09Z\","
                       "\"attrs\":{\"tag\":\"x\"}}";
    CHECK_INT(h_feed_raw(&h, part, strlen(part)), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "partial");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "AAAA");
    const char *bad[] = {
        "{\"log\":\"x\\n\",\"stream\":\"stdout\"}",
        "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"noon\"}",
        "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2024-03-12T14:05:09Z\"",
        "{\"log\":1,\"stream\":\"stdout\",\"time\":\"2024-03-12T14:05:09Z\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        h.offset = 77;
        CHECK_INT(h_feed_raw(&h, bad[i], strlen(bad[i])), TY_ECORRUPT);
        CHECK(strstr(h.err.msg, "docker log line at byte") != NULL);
    }
    h_close(&h);
    /* through the framer: 3 lines, one bad */
    char stream[600];
    snprintf(stream, sizeof(stream), "%s\n{\"log\":\"b\\n\",\"stream\":\"stdout\",\"time\":"
             "\"2024-03-12T14:05:10Z\"}\nnot json\n", l1);
    struct run_counts c = h_run(&h, &ty_parser_docker_json_log, stream);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    h_close(&h);
}

static void test_sniff(void)
{
    const char *l1 = "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2024-03-12T14:05:09Z\"}\n";
    CHECK_INT(ty_parser_docker_json_log.sniff(ty_str_cstr(l1)), 90);
    CHECK_INT(ty_parser_docker_json_log.sniff(ty_str_cstr("{\"log\":\"x\"}\n")), 0);
    CHECK_INT(ty_parser_docker_json_log.sniff(ty_str_cstr("{\"msg\":\"x\",\"stream\":\"a\","
                                                          "\"time\":\"b\"}\n")),
              0);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr(config)), 90);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr(hostconfig)), 85);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr("{\"ID\":\"x\",\"State\":{}}")), 0);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr(l1)), 0);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr("{\"ID\":\"" ID "\",\"Created\":")), 0);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr("{\"ID\":\"" ID "\",\"Created\":\"2")),
              60);
    CHECK_INT(ty_parser_docker_config.sniff(ty_str_cstr("{\"ID\":\"abc\",\"Created\":\"2")), 0);
    CHECK_INT(ty_parser_docker_json_log.sniff(ty_str_cstr(config)), 0);
    const struct ty_parser *p = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff(ty_str_cstr(l1), &p, &err), 0);
    CHECK(p == &ty_parser_docker_json_log);
    CHECK_INT(ty_parser_sniff(ty_str_cstr(config), &p, &err), 0);
    CHECK(p == &ty_parser_docker_config);
    CHECK_INT(ty_parser_sniff(ty_str_cstr(hostconfig), &p, &err), 0);
    CHECK(p == &ty_parser_docker_config);
}

void test_parse_docker(void);
void test_parse_docker(void)
{
    test_config();
    test_hostconfig();
    test_json_log();
    test_sniff();
    q_release();
}
