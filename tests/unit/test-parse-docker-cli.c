/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-docker-cli.c - the docker-ps parser (tabwriter tables, an
 * overflowing cell, --no-trunc ids, -a statuses with exit codes, kubelet
 * names, custom tables, bad rows) and the docker-diff parser (A/C/D lines,
 * file taxonomy, bad lines), timed by the file's mtime, and their sniffing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_docker_ps;
extern const struct ty_parser ty_parser_docker_diff;

static const char ps_table[] =
    "CONTAINER ID   IMAGE                      COMMAND                  CREATED          "
    "STATUS                      PORTS                  NAMES\n"
    "9e4b7c2d1a08   tomcat-web:2.14.0          \"catalina.sh run\"        2 days ago       "
    "Up 2 days                                          "
    "k8s_tomcat_tomcat-web-7c9f6d8b54-q8zjm_shop_3b6e2a91_0\n"
    "51c0d8e3a9f2   registry.k8s.io/pause:3.9  \"/pause\"                 2 days ago       "
    "Up 2 days (Paused)                                 k8s_POD_tomcat-web_shop_3b6e_0\n"
    "7a41e0c93b5d   602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3 "
    "\"/app/aws-vpc-cni\"       9 days ago   Up 9 days             k8s_aws-node_aws-node-5xk2p_"
    "kube-system_a0c4_0\n"
    "e2b8c4f6a0d1   nginx:1.25                 \"/docker-entrypoint.…\"   3 hours ago      "
    "Exited (137) 2 hours ago    0.0.0.0:8080->80/tcp   web,other/link\n"
    "zzzz   nothing\n";

static void test_ps(void)
{
    struct h h;
    struct run_counts c = h_run(&h, &ty_parser_docker_ps, ps_table);
    CHECK_INT(c.rec, 6);
    CHECK_INT(c.skip, 1);
    CHECK_INT(c.ev, 4);
    CHECK_INT(c.bad, 1);
    CHECK_STR(h.ctx.shape, "docker ps table");
    const char *out = ty_buf_str(&h.out).p;
    CHECK(strstr(out, "\"container_id\":\"9e4b7c2d1a08\"") != NULL);
    CHECK(strstr(out, "\"k8s_pod\":\"tomcat-web-7c9f6d8b54-q8zjm\"") != NULL);
    CHECK(strstr(out, "\"container_name\":\"tomcat\"") != NULL);
    CHECK(strstr(out, "\"process_cmdline\":\"catalina.sh run\"") != NULL);
    CHECK(strstr(out, "\"disposition\":\"paused\"") != NULL);
    CHECK(strstr(out, "\"container_name\":\"POD\"") != NULL);
    /* the overflowing IMAGE cell is split from its COMMAND by shape */
    CHECK(strstr(out, "\"container_image\":\"602401143452.dkr.ecr.eu-west-1.amazonaws.com/"
                      "amazon-k8s-cni:v1.18.3\"") != NULL);
    CHECK(strstr(out, "\"process_cmdline\":\"/app/aws-vpc-cni\"") != NULL);
    CHECK(strstr(out, "\"k8s_namespace\":\"kube-system\"") != NULL);
    const struct ty_event *ev = &h.last;
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_ID), "e2b8c4f6a0d1");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_NAME), "web");
    CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "exited");
    CHECK_SPAN(ty_event_str(ev, TY_F_STATUS_CODE), "137");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "container-listed");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE),
               "e2b8c4f6a0d1 web,other/link, created 3 hours ago, status Exited (137) 2 hours "
               "ago, ports 0.0.0.0:8080->80/tcp, command cut by docker ps (time: unknown)");
    CHECK_INT(ty_event_int(ev, TY_F_TS, -1), 0);
    h_close(&h);

    /* --no-trunc ids, timed by the file */
    const char *nt =
        "CONTAINER ID                                                       IMAGE     COMMAND"
        "       CREATED         STATUS    PORTS     NAMES\n"
        "f3a91c7e2b5d48e6a0c1d9b7f4e2a6c8d3b5f1e7a9c2d4b6e8f0a1c3e5d7b9f2   alpine    \"sh -c "
        "x\"   5 minutes ago   Created             node-agent\n";
    h_open(&h, &ty_parser_docker_ps, nt, strlen(nt));
    h.ctx.file_mtime = INT64_C(1700000000000000000);
    const char *row = strchr(nt, '\n') + 1;
    CHECK_INT(h_feed_raw(&h, nt, (size_t)(row - nt - 1)), TY_SKIP);
    CHECK_INT(h_feed_raw(&h, row, strlen(row) - 1), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID),
               "f3a91c7e2b5d48e6a0c1d9b7f4e2a6c8d3b5f1e7a9c2d4b6e8f0a1c3e5d7b9f2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "sh -c x");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "created");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_NAME), "node-agent");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1700000000000000000));
    h.offset = 300;
    CHECK_INT(h_feed_raw(&h, "abc", 3), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 300") != NULL);
    h_close(&h);

    /* a custom table: values by the header's positions */
    const char *custom = "CONTAINER ID   NAMES     STATUS\n"
                         "9e4b7c2d1a08   web       Up 1 second\n";
    c = h_run(&h, &ty_parser_docker_ps, custom);
    CHECK_INT(c.ev, 1);
    CHECK_STR(h.ctx.shape, "docker ps custom table");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_NAME), "web");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "running");
    h_close(&h);

    CHECK_INT(ty_parser_docker_ps.sniff(ty_str_cstr(ps_table)), 90);
    CHECK_INT(ty_parser_docker_ps.sniff(ty_str_cstr(custom)), 60);
    CHECK_INT(ty_parser_docker_ps.sniff(ty_str_cstr("CONTAINER ID\n")), 30);
    CHECK_INT(ty_parser_docker_ps.sniff(ty_str_cstr("CONTAINER  IMAGE  CREATED  STATE  NAME\n")),
              0);
    const struct ty_parser *p = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff(ty_str_cstr(ps_table), &p, &err), 0);
    CHECK(p == &ty_parser_docker_ps);
}

static void test_diff(void)
{
    struct h h;
    const char *diff = "C /tmp\nA /tmp/kinsing\nD /etc/motd\nX /nope\nA relative\n";
    struct run_counts c = h_run(&h, &ty_parser_docker_diff, diff);
    CHECK_INT(c.ev, 3);
    CHECK_INT(c.bad, 2);
    const char *out = ty_buf_str(&h.out).p;
    CHECK(strstr(out, "\"action\":\"container-file-changed\",\"provider\":\"docker\","
                      "\"file_path\":\"/tmp\"") != NULL);
    CHECK(strstr(out, "\"action\":\"container-file-added\",\"provider\":\"docker\","
                      "\"file_path\":\"/tmp/kinsing\"") != NULL);
    CHECK(strstr(out, "\"action\":\"container-file-deleted\"") != NULL);
    h_close(&h);

    h_open(&h, &ty_parser_docker_diff, diff, strlen(diff));
    h.offset = 17;
    CHECK_INT(h_feed_raw(&h, "A /tmp/kinsing", 14), TY_OK);
    CHECK_INT(ty_parser_docker_diff.taxonomy(&h.last), TY_SCAT_FILE_EVENT);
    CHECK_INT(h_feed_raw(&h, "D /x", 4), TY_OK);
    CHECK_INT(ty_parser_docker_diff.taxonomy(&h.last), TY_SCAT_FILE_DELETE);
    h.offset = 40;
    CHECK_INT(h_feed_raw(&h, "Z /x", 4), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 40") != NULL);
    h_close(&h);

    CHECK_INT(ty_parser_docker_diff.sniff(ty_str_cstr(diff)), 0); /* X and relative lines */
    CHECK_INT(ty_parser_docker_diff.sniff(ty_str_cstr("C /tmp\nA /tmp/a\nA /tmp/b\nA /tm")), 80);
    CHECK_INT(ty_parser_docker_diff.sniff(ty_str_cstr("A /tmp/a\n")), 50);
    CHECK_INT(ty_parser_docker_diff.sniff(ty_str_cstr("A /tmp/a")), 0);
    CHECK_INT(ty_parser_docker_diff.sniff(ty_str_cstr("A quick note\n")), 0);
}

void test_parse_docker_cli(void);
void test_parse_docker_cli(void)
{
    test_ps();
    test_diff();
    q_release();
}
