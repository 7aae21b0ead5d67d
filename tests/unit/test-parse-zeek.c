/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-zeek.c - the Zeek log parsers: TSV with the full header (unset
 * and empty markers, sets, \xHH escapes, another separator, two header
 * blocks), JSON with id.orig_h and the id_orig_h streaming variant, ISO and
 * millisecond timestamps, corrupt lines naming their offset, the sniff that
 * routes each path to its parser, the fields() view, and conformance over
 * the Zeek logs in the shared data (zeek-btest baselines have masked ts, so
 * the otrf, lnav and elastic samples are used).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_zeek_conn, ty_parser_zeek_dns, ty_parser_zeek_http,
    ty_parser_zeek_ssl, ty_parser_zeek_notice, ty_parser_zeek_weird, ty_parser_zeek;

static const char conn_hdr[] =
    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
    "#open\t2024-03-12-14-00-00\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration"
    "\torig_bytes\tresp_bytes\tconn_state\thistory\torig_pkts\tresp_pkts\ttunnel_parents\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring"
    "\tstring\tcount\tcount\tset[string]\n";
static const char conn_row[] = "1710252309.417002\tCwB2k93Xz4pLq8uT1e\t10.0.12.45\t41822\t"
                               "203.0.113.9\t443\ttcp\tssl\t58.210433\t1322\t48410\tSF\t"
                               "ShADadFf\t38\t41\t-\n";
static const char conn_row2[] = "1710252330.002117\tC9pv\t10.0.12.45\t50133\t198.51.100.200\t22\t"
                                "tcp\t-\t-\t-\t-\tS0\tS\t1\t0\t(empty)\n";

struct kvs {
    char text[2048];
    size_t len;
};

static int collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct kvs *k = arg;
    int w = snprintf(k->text + k->len, sizeof(k->text) - k->len, "%.*s=%.*s;", (int)name.len,
                     name.p, (int)value.len, value.p);
    if (w > 0 && (size_t)w < sizeof(k->text) - k->len)
        k->len += (size_t)w;
    return 0;
}

static void test_tsv(void)
{
    struct h h;
    struct ty_buf b;
    struct run_counts c;
    char ipb[64];
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "%s%s%s#close\t2024-03-12-15-00-00\n", conn_hdr, conn_row, conn_row2);
    CHECK_INT(ty_parser_zeek_conn.sniff(ty_str_cstr(b.buf)), 95);
    CHECK_INT(ty_parser_zeek_dns.sniff(ty_str_cstr(b.buf)), 0);
    CHECK_INT(ty_parser_zeek.sniff(ty_str_cstr(b.buf)), 0);
    c = h_run(&h, &ty_parser_zeek_conn, b.buf);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    CHECK_INT(c.skip, 9);
    /* the last event: S0, unset duration and bytes, empty set */
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252330002117000));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "S0");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ipb), "198.51.100.200");
    CHECK_INT(ty_event_int(&h.last, TY_F_DST_PORT, 0), 22);
    CHECK(!ty_event_has(&h.last, TY_F_BYTES_OUT));
    CHECK_INT(ty_event_int(&h.last, TY_F_PACKETS, 0), 1);
    /* the raw record is the row as Zeek JSON; fields() gives Zeek's names */
    CHECK_SPAN(h.last.raw, "{\"ts\":1710252330.002117,\"uid\":\"C9pv\",\"id.orig_h\":"
                           "\"10.0.12.45\",\"id.orig_p\":50133,\"id.resp_h\":\"198.51.100.200\","
                           "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\","
                           "\"history\":\"S\",\"orig_pkts\":1,\"resp_pkts\":0,"
                           "\"tunnel_parents\":[]}");
    struct kvs k = {{0}, 0};
    CHECK_INT(ty_parser_zeek_conn.fields(&h.last, collect, &k), 0);
    CHECK_STR(k.text, "ts=1710252330.002117;uid=C9pv;id.orig_h=10.0.12.45;id.orig_p=50133;"
                      "id.resp_h=198.51.100.200;id.resp_p=22;proto=tcp;conn_state=S0;history=S;"
                      "orig_pkts=1;resp_pkts=0;");
    h_close(&h);

    /* another separator, escapes, a set, and a second header block (dns) */
    ty_buf_reset(&b);
    ty_buf_addf(&b, "#separator \\x2c\n#set_separator,;\n#empty_field,(empty)\n#unset_field,-\n"
                    "#path,weird\n#fields,ts,name,addl,peer\n#types,time,string,string,string\n"
                    "1710252309.5,bad\\x2cname,\\x2d,a;b\n"
                    "#separator \\x09\n#path\tdns\n#fields\tts\tquery\tanswers\n"
                    "#types\ttime\tstring\tvector[string]\n"
                    "1710252310.25\texample.com\t1.2.3.4,x.example\n");
    c = h_run(&h, &ty_parser_zeek_weird, b.buf);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DOMAIN), "example.com");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "1.2.3.4,x.example");
    CHECK_SPAN(h.last.raw, "{\"ts\":1710252310.25,\"query\":\"example.com\",\"answers\":"
                           "[\"1.2.3.4\",\"x.example\"]}");
    h_close(&h);
    ty_buf_release(&b);
}

static void test_json(void)
{
    struct h h;
    char ipb[64];
    static const char dns[] =
        "{\"ts\":1710252309.417002,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":5353,"
        "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"evil.example\","
        "\"qtype_name\":\"A\",\"rcode_name\":\"NXDOMAIN\",\"answers\":[\"1.2.3.4\"]}";
    CHECK_INT(ty_parser_zeek_dns.sniff(ty_str_cstr(dns)), 95);
    CHECK_INT(ty_parser_zeek_conn.sniff(ty_str_cstr(dns)), 0);
    h_open(&h, &ty_parser_zeek_dns, dns, strlen(dns));
    CHECK_STR(h.ctx.shape, "Zeek JSON lines");
    CHECK_INT(h_feed_raw(&h, dns, strlen(dns)), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DOMAIN), "evil.example");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "dns_query");
    CHECK_INT(ty_event_int(&h.last, TY_F_NET_PROTO, 0), 17);
    CHECK_SPAN(h.last.raw, dns); /* JSON lines are kept as read */
    /* the JSON-streaming export (OTRF apt29): id_orig_h, @stream, ISO time */
    static const char http[] =
        "{\"@stream\":\"http\",\"@system\":\"NEWYORK\",\"ts\":\"2020-05-01T07:19:15.874701Z\","
        "\"uid\":\"C3\",\"id_orig_h\":\"10.0.1.4\",\"id_orig_p\":49800,\"id_resp_h\":"
        "\"192.168.0.4\",\"id_resp_p\":80,\"method\":\"GET\",\"host\":\"10.0.0.9\",\"uri\":"
        "\"/dangerzone?category=fashion&&sh -i\",\"user_agent\":\"curl/7.68.0\","
        "\"status_code\":200}";
    CHECK_INT(ty_parser_zeek_http.sniff(ty_str_cstr(http)), 95);
    h_close(&h);
    h_open(&h, &ty_parser_zeek_http, http, strlen(http));
    CHECK_INT(h_feed_raw(&h, http, strlen(http)), TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "10.0.1.4");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_URL),
               "http://10.0.0.9/dangerzone?category=fashion&&sh -i");
    CHECK_INT(ty_event_int(&h.last, TY_F_HTTP_STATUS, 0), 200);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1588317555874701000));
    struct kvs k = {{0}, 0};
    ty_parser_zeek_http.fields(&h.last, collect, &k);
    CHECK(strstr(k.text, "id_orig_h=10.0.1.4;id.orig_h=10.0.1.4;") != NULL);
    CHECK(strstr(k.text, "uri=/dangerzone?category=fashion&&sh -i;") != NULL);
    /* milliseconds since the epoch (JSON::TS_MILLIS), a notice */
    static const char notice[] = "{\"ts\":1710252309417,\"note\":\"Scan::Port_Scan\",\"msg\":"
                                 "\"scanned 50 ports\",\"src\":\"198.51.100.7\"}";
    CHECK_INT(h_feed_raw(&h, notice, strlen(notice)), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309417000000));
    h_close(&h);
    h_open(&h, &ty_parser_zeek_notice, notice, strlen(notice));
    CHECK_INT(ty_parser_zeek_notice.sniff(ty_str_cstr(notice)), 0); /* no id.* : not claimed */
    CHECK_INT(h_feed_raw(&h, notice, strlen(notice)), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "Scan::Port_Scan");
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "198.51.100.7");
    h_close(&h);
}

static void test_corrupt(void)
{
    struct h h;
    struct ty_buf b;
    struct run_counts c;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "%s%s1710252309.4\tonly\tthree\n%s", conn_hdr, conn_row, conn_row);
    c = h_run(&h, &ty_parser_zeek_conn, b.buf);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    h_close(&h);
    /* the masked ts of btest baselines, and data before any #fields */
    h_open(&h, &ty_parser_zeek, "#separator \\x09\n", 16);
    static const char masked[] = "XXXXXXXXXX.XXXXXX\tC1";
    CHECK_INT(h_feed_raw(&h, masked, strlen(masked)), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "before any #fields") != NULL);
    CHECK_INT(h_feed_raw(&h, "#fields\tts\tuid", 14), TY_SKIP);
    CHECK_INT(h_feed_raw(&h, masked, strlen(masked)), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "bad or missing ts") != NULL);
    CHECK_INT(h_feed_raw(&h, "{\"ts\":1.5,", 10), TY_ECORRUPT);
    h_close(&h);
    ty_buf_release(&b);
}

static void run_dir(const char *dir, unsigned *files, unsigned *events, unsigned *bad)
{
    static const char *const names[] = {"conn.log", "dns.log", "http.log", "ssl.log",
                                        "files.log", "x509.log", "weird.log", "notice.log"};
    size_t n_parsers;
    const struct ty_parser *const *ps = ty_parsers(&n_parsers);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static char data[1 << 20];
        size_t len = fread(data, 1, sizeof(data) - 1, f);
        fclose(f);
        data[len] = 0;
        const struct ty_parser *best = NULL;
        int best_score = 0;
        for (size_t k = 0; k < n_parsers; k++) {
            int s = ps[k]->sniff(ty_str_make(data, len < 65536 ? len : 65536));
            if (s > best_score) {
                best_score = s;
                best = ps[k];
            }
        }
        CHECK(best && strncmp(best->name, "zeek", 4) == 0);
        if (!best || strncmp(best->name, "zeek", 4) != 0)
            continue;
        char want[64];
        snprintf(want, sizeof(want), "zeek-%.*s", (int)(strlen(names[i]) - 4), names[i]);
        CHECK_STR(best->name, want);
        struct h h;
        struct run_counts c = h_run(&h, best, data);
        h_close(&h);
        (*files)++;
        *events += c.ev;
        *bad += c.bad;
    }
}

static void test_conformance(void)
{
    const char *d = ty_test_data_dir();
    if (!d) {
        ty_test_skip("no shared data");
        return;
    }
    char dir[1024];
    unsigned files = 0, events = 0, bad = 0;
    snprintf(dir, sizeof(dir),
             "%s/otrf-security-datasets/datasets/compound/LSASS_campaign_01/"
             "metasploit_logonpasswords_lsass_memory_dump_zeek_logs",
             d);
    run_dir(dir, &files, &events, &bad);
    snprintf(dir, sizeof(dir),
             "%s/otrf-security-datasets/datasets/compound/apt29/day2/zeek/NEWYORK-zeek_logs", d);
    run_dir(dir, &files, &events, &bad);
    if (files == 0) {
        ty_test_skip("no Zeek samples");
        return;
    }
    CHECK(files >= 8);
    CHECK(events > 500);
    CHECK_INT(bad, 0);
}

void test_parse_zeek(void);

void test_parse_zeek(void)
{
    test_tsv();
    test_json();
    test_corrupt();
    test_conformance();
    q_release();
}
