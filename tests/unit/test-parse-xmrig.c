/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-xmrig.c - XMRig config.json: one event per pool with host, port,
 * wallet and the file's time; IP pools, bare host:port urls, a config without
 * pools, bad shapes quarantined, sniff scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_xmrig_config;

static const char cfg[] =
    "{\n"
    "    \"autosave\": true,\n"
    "    \"background\": true,\n"
    "    \"donate-level\": 0,\n"
    "    \"cpu\": {\"enabled\": true, \"max-threads-hint\": 100},\n"
    "    \"pools\": [\n"
    "        {\"algo\": \"rx/0\", \"coin\": \"monero\",\n"
    "         \"url\": \"stratum+tcp://pool.monerohash.example:3333\",\n"
    "         \"user\": \"4WNBGvKQgFsLwHwy4i89q538\", \"pass\": \"x\", \"rig-id\": \"node-1\"},\n"
    "        {\"url\": \"198.51.100.140:14444\", \"user\": \"4Wallet2\"},\n"
    "        {\"url\": \"stratum+ssl://[2001:db8::1]:443\"}\n"
    "    ]\n"
    "}\n";

static void test_pools(void)
{
    struct h h;
    struct run_counts c;
    h_open(&h, &ty_parser_xmrig_config, cfg, strlen(cfg));
    h.p->close(&h.ctx);
    h.ctx.evidence = "hosts/h/fs/var/tmp/.x/config.json";
    h.ctx.file_mtime = INT64_C(1788833645) * TY_NS_PER_SEC;
    CHECK_INT(h.p->open(&h.ctx, &h.err), 0);
    CHECK_STR(h.ctx.shape, "xmrig config.json; time from file mtime");
    CHECK_INT(h_feed_raw(&h, cfg, strlen(cfg)), TY_OK);
    CHECK_INT(h.n, 3);
    const char *js = ty_buf_str(&h.out).p;
    CHECK(strstr(js, "\"ts\":\"2026-09-08T02:14:05.000000000Z\",\"category\":\"file\",\"action\":"
                     "\"miner-config\",\"provider\":\"xmrig\",\"dst_port\":3333,\"target_name\":"
                     "\"node-1\",\"target_user\":\"4WNBGvKQgFsLwHwy4i89q538\",\"file_path\":"
                     "\"hosts/h/fs/var/tmp/.x/config.json\",\"url\":\"stratum+tcp://"
                     "pool.monerohash.example:3333\",\"domain\":\"pool.monerohash.example\","
                     "\"message\":\"xmrig pool stratum+tcp://pool.monerohash.example:3333 algo "
                     "rx/0 coin monero; donate-level 0; background true; time: the file's last "
                     "change\""));
    CHECK(strstr(js, "\"dst_ip\":\"198.51.100.140\",\"dst_port\":14444"));
    CHECK(strstr(js, "\"target_user\":\"4Wallet2\""));
    CHECK(strstr(js, "\"dst_ip\":\"2001:db8::1\",\"dst_port\":443"));
    h_close(&h);

    /* no pools: one event, no url, time unknown */
    c = h_run(&h, &ty_parser_xmrig_config, "{\"donate-level\": 1, \"pools\": []}");
    CHECK_INT(c.ev, 1);
    CHECK(!ty_event_has(&h.last, TY_F_URL));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, -1), 0);
    CHECK(ty_str_contains(ty_event_str(&h.last, TY_F_MESSAGE), "xmrig pool (none)"));
    h_close(&h);

    /* bad shapes are quarantined, nothing emitted */
    c = h_run(&h, &ty_parser_xmrig_config, "{\"pools\": {\"url\": \"x:1\"}}");
    CHECK_INT(c.bad, 1);
    CHECK_INT(c.ev, 0);
    h_close(&h);
    c = h_run(&h, &ty_parser_xmrig_config, "{\"pools\": [{\"url\": \"a:1\"}, 7]}");
    CHECK_INT(c.bad, 1);
    CHECK_INT(c.ev, 0);
    h_close(&h);
    c = h_run(&h, &ty_parser_xmrig_config, "{\"pools\": [{\"url\": \"a:1\"}");
    CHECK_INT(c.bad, 1);
    h_close(&h);
}

static void test_sniff(void)
{
    CHECK_INT(ty_parser_xmrig_config.sniff(ty_str_cstr(cfg)), 85);
    CHECK_INT(ty_parser_xmrig_config.sniff(ty_str_cstr("{\"pools\": [{\"url\": "
                                                        "\"stratum+tcp://p:1\"}]}")),
              85);
    CHECK_INT(ty_parser_xmrig_config.sniff(ty_str_cstr("{\"pools\": [\"a\"]}")), 0);
    CHECK_INT(ty_parser_xmrig_config.sniff(ty_str_cstr("[{\"donate-level\": 1}]")), 0);
}

void test_parse_xmrig(void);
void test_parse_xmrig(void)
{
    test_pools();
    test_sniff();
    q_release();
}
