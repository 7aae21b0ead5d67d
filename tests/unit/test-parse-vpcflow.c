/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-vpcflow.c - the VPC flow log parser: default and header-less
 * layouts, S3 headers in any order, NAT'd endpoints, NODATA/SKIPDATA, IPv6,
 * Transit Gateway headers, corrupt records naming their column, sniff
 * scores, and conformance over the elastic and sekoia samples when present.
 * Samples use ' for " in expected JSON (q()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <dirent.h>

#include <tyto/frame.h>
#include <tyto/input.h>
#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

#define OPEN(head) h_open(&h, &ty_parser_vpcflow, (head), strlen(head))

static const char v2_line[] = "2 111122223333 eni-0a1b2c3d4e5f60718 198.51.100.23 10.0.12.45 "
                              "51544 22 6 14 2712 1710252300 1710252360 ACCEPT OK";
static const char v2_json[] =
    "{'ts':'2024-03-12T14:05:00Z','ts_end':'2024-03-12T14:06:00Z','ts_prec':0,'time_text':"
    "'1710252300','category':'network_flow','action':'flow','provider':'vpc-flow-logs',"
    "'outcome':'success','status_code':'OK','disposition':'allowed','src_ip':'198.51.100.23',"
    "'src_port':51544,'dst_ip':'10.0.12.45','dst_port':22,'net_proto':6,'net_iface':"
    "'eni-0a1b2c3d4e5f60718','bytes_out':2712,'packets':14,'cloud_provider':'aws',"
    "'cloud_account':'111122223333','format':'aws-vpcflow','offset':0,'line':1}\n";

static const char nodata_line[] =
    "2 111122223333 eni-0a1b2c3d4e5f60718 - - - - - - - 1710252360 1710252420 - NODATA";
static const char nodata_json[] =
    "{'ts':'2024-03-12T14:06:00Z','ts_end':'2024-03-12T14:07:00Z','ts_prec':0,'time_text':"
    "'1710252360','category':'network_flow','action':'NODATA','provider':'vpc-flow-logs',"
    "'status_code':'NODATA','net_iface':'eni-0a1b2c3d4e5f60718','cloud_provider':'aws',"
    "'cloud_account':'111122223333','format':'aws-vpcflow','offset':0,'line':1}\n";

static const char v5_header[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status vpc-id instance-id tcp-flags pkt-srcaddr pkt-dstaddr "
    "flow-direction traffic-path";
static const char v5_line[] =
    "5 111122223333 eni-0a1b2c3d4e5f60718 10.0.12.45 203.0.113.9 41822 443 6 38 51230 "
    "1710252309 1710252369 ACCEPT OK vpc-0123456789abcdef0 i-0fedcba9876543210 3 10.0.12.45 "
    "203.0.113.9 egress 8";
static const char v5_json[] =
    "{'ts':'2024-03-12T14:05:09Z','ts_end':'2024-03-12T14:06:09Z','ts_prec':0,'time_text':"
    "'1710252309','category':'network_flow','action':'flow','provider':'vpc-flow-logs',"
    "'outcome':'success','status_code':'OK','disposition':'allowed','src_ip':'10.0.12.45',"
    "'src_port':41822,'dst_ip':'203.0.113.9','dst_port':443,'net_proto':6,'net_direction':"
    "'egress','net_iface':'eni-0a1b2c3d4e5f60718','bytes_out':51230,'packets':38,'tcp_flags':3,"
    "'host_id':'i-0fedcba9876543210','cloud_provider':'aws','cloud_account':'111122223333',"
    "'cloud_vpc':'vpc-0123456789abcdef0','format':'aws-vpcflow','offset':0,'line':1}\n";

/* EKS pod behind the node's ENI: pkt-srcaddr is the pod, srcaddr the node */
static const char nat_header[] =
    "version interface-id srcaddr pkt-srcaddr dstaddr pkt-dstaddr start end action log-status";
static const char nat_line[] =
    "3 eni-1 10.0.1.5 10.0.1.77 52.216.1.1 52.216.1.1 1710252300 1710252360 REJECT OK";
static const char nat_json[] =
    "{'ts':'2024-03-12T14:05:00Z','ts_end':'2024-03-12T14:06:00Z','ts_prec':0,'time_text':"
    "'1710252300','category':'network_flow','action':'flow','provider':'vpc-flow-logs',"
    "'outcome':'failure','status_code':'OK','disposition':'blocked','src_ip':'10.0.1.77',"
    "'dst_ip':'52.216.1.1','src_nat_ip':'10.0.1.5','net_iface':'eni-1','cloud_provider':'aws',"
    "'format':'aws-vpcflow','offset':0,'line':1}\n";

static const char tgw_header[] =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
    "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
    "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr "
    "dstaddr srcport dstport protocol packets bytes start end log-status type "
    "packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
    "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service "
    "pkt-dst-aws-service";
static const char tgw_line[] =
    "6 TransitGateway 123456789012 tgw-0123 tgw-attach-0456 123456789012 210987654321 vpc-0aaa "
    "vpc-0bbb subnet-0aaa subnet-0bbb eni-0aaa eni-0bbb use1-az1 use1-az2 tgw-attach-0789 "
    "10.0.1.5 10.1.2.6 49152 443 6 10 840 1710252300 1710252360 OK IPv4 0 2 0 0 19 us-east-1 "
    "egress - -";
static const char tgw_json[] =
    "{'ts':'2024-03-12T14:05:00Z','ts_end':'2024-03-12T14:06:00Z','ts_prec':0,'time_text':"
    "'1710252300','category':'network_flow','action':'flow','provider':"
    "'transit-gateway-flow-logs','status_code':'OK','src_ip':'10.0.1.5','src_port':49152,"
    "'dst_ip':'10.1.2.6','dst_port':443,'net_proto':6,'net_direction':'egress','net_iface':"
    "'tgw-attach-0456','bytes_out':840,'packets':10,'tcp_flags':19,'host_id':'tgw-0123',"
    "'cloud_provider':'aws','cloud_account':'123456789012','cloud_region':'us-east-1',"
    "'cloud_vpc':'vpc-0aaa','message':'packets lost: no-route=0 blackhole=2 mtu-exceeded=0 "
    "ttl-expired=0','format':'aws-vpcflow','offset':0,'line':1}\n";

static int feed0(struct h *h, const char *line)
{
    h->offset = 0;
    return h_feed_raw(h, line, strlen(line));
}

static void test_fields(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];

    OPEN(v2_line);
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "header-less lines (CloudWatch), 14 fields");
    CHECK_INT(feed0(&h, v2_line), TY_OK);
    CHECK_STR(h.out.buf, q(&h, v2_json));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252300000000000));
    CHECK_INT(feed0(&h, nodata_line), TY_OK);
    CHECK_STR(h.out.buf, q(&h, nodata_json));
    CHECK_INT(feed0(&h, "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 "
                        "1431280934 - SKIPDATA"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "SKIPDATA");
    CHECK(!ty_event_has(&h.last, TY_F_SRC_IP) && !ty_event_has(&h.last, TY_F_OUTCOME));
    /* IPv6, ICMP, tabs and a CR-less trailing space are tolerated */
    CHECK_INT(feed0(&h, "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:"
                        "f105\t2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 "
                        "1477913708 1477913820 ACCEPT OK "),
              TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "2001:db8:1234:a100:8d6e:3477:df66:f105");
    CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ipb), "2001:db8:1234:a102:3304:8879:34cf:4071");
    /* CloudWatch export to S3: a leading timestamp */
    CHECK_INT(feed0(&h, "2024-03-12T14:05:01.000Z 2 111122223333 eni-0a1b2c3d4e5f60718 "
                        "198.51.100.23 10.0.12.45 51544 22 6 14 2712 1710252300 1710252360 "
                        "ACCEPT OK"),
              TY_OK);
    CHECK_STR(h.out.buf, q(&h, v2_json));
    /* header-less v5 "all fields" (29) */
    CHECK_INT(feed0(&h, "5 1234567890 eni-1235b8ca123456789 5.6.7.8 1.2.3.4 50188 4433 6 1 44 "
                        "1739865042 1739865042 ACCEPT OK vpc-1 subnet-1 - 2 IPv4 5.6.7.8 1.2.3.4 "
                        "eu-west-1 euw1-az2 - - - - ingress -"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_REGION), "eu-west-1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_NET_DIRECTION), "ingress");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_VPC), "vpc-1");
    CHECK(!ty_event_has(&h.last, TY_F_HOST_ID));
    CHECK_INT(ty_event_int(&h.last, TY_F_TCP_FLAGS, -1), 2);
    CHECK(!ty_event_has(&h.last, TY_F_SRC_NAT_IP)); /* pkt-srcaddr == srcaddr */
    h_close(&h);

    /* S3 file: the header configures the columns */
    OPEN(v5_header);
    CHECK_STR(h.ctx.shape, "S3 flow log text with a 21-field header");
    CHECK_INT(feed0(&h, v5_header), TY_SKIP);
    CHECK_INT(h.n, 0);
    CHECK_INT(feed0(&h, v5_line), TY_OK);
    CHECK_STR(h.out.buf, q(&h, v5_json));
    /* cat'ed files: a second header reconfigures */
    CHECK_INT(feed0(&h, nat_header), TY_SKIP);
    CHECK_INT(feed0(&h, nat_line), TY_OK);
    CHECK_STR(h.out.buf, q(&h, nat_json));
    CHECK_INT(feed0(&h, v5_line), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "21 fields, the header names 10");
    /* any order, a subset, Parquet-style names, a name we do not know */
    CHECK_INT(feed0(&h, "account_id action start srcaddr dstaddr some-future-field dstport"),
              TY_SKIP);
    CHECK_INT(feed0(&h, "111122223333 ACCEPT 1710252300 10.0.0.1 10.0.0.2 xyz 8080"), TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "10.0.0.1");
    CHECK_INT(ty_event_int(&h.last, TY_F_DST_PORT, -1), 8080);
    CHECK(!ty_event_has(&h.last, TY_F_TS_END));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252300000000000));
    /* a value line that merely looks lower-case is not a header */
    CHECK_INT(feed0(&h, "unknown ACCEPT 1710252300 10.0.0.1 10.0.0.2 ingress 53"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CLOUD_ACCOUNT), "unknown");
    /* only end present: ts = end */
    CHECK_INT(feed0(&h, "version end srcaddr dstaddr reject-reason action ecs-container-id"),
              TY_SKIP);
    CHECK_INT(feed0(&h, "7 1710252360 10.0.0.1 10.0.0.2 BPA REJECT 0123abcd"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252360000000000));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_DETAIL), "BPA");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID), "0123abcd");
    CHECK(!ty_event_has(&h.last, TY_F_TIME_TEXT));
    h_close(&h);

    /* Transit Gateway */
    OPEN(tgw_header);
    CHECK_STR(h.ctx.shape, "Transit Gateway flow log text with a 36-field header");
    CHECK_INT(feed0(&h, tgw_header), TY_SKIP);
    CHECK_INT(feed0(&h, tgw_line), TY_OK);
    CHECK_STR(h.out.buf, q(&h, tgw_json));
    h_close(&h);
}

/* Whole files through the real framer: an S3 object with its header, CRLF,
 * and two files cat'ed together with different headers. */
static void test_streams(void)
{
    struct h h;
    struct ty_buf b;
    struct run_counts c;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "%s\r\n%s\r\n%s\r\n%s\n%s\n%s\n", v5_header, v5_line, v5_line, nat_header,
                nat_line, "3 eni-1 10.0.1.5 bad 52.216.1.1 - 1 2 ACCEPT OK");
    c = h_run(&h, &ty_parser_vpcflow, b.buf);
    CHECK_INT(c.rec, 6);
    CHECK_INT(c.skip, 2);
    CHECK_INT(c.ev, 3);
    CHECK_INT(c.bad, 1);
    CHECK_STR(h.err.msg, "column 4 (pkt-srcaddr): 'bad' is not an IP address");
    h_close(&h);
    ty_buf_reset(&b);
    ty_buf_addf(&b, "%s\n%s\n%s\n", v2_line, nodata_line, v2_line);
    c = h_run(&h, &ty_parser_vpcflow, b.buf);
    CHECK_INT(c.ev, 3);
    CHECK_INT(c.bad + c.skip, 0);
    h_close(&h);
    ty_buf_release(&b);
}

static void test_corrupt(void)
{
    struct h h;
    OPEN(v2_line);
    /* header-less: the count must be a known layout, the version must fit it */
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.45 51544 22 6 14 2712 "
                        "1710252300 1710252360 ACCEPT"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "13 fields and no header line naming them (header-less layouts have "
                         "14, 21, 25 or 29 fields)");
    CHECK_INT(feed0(&h, "5 111122223333 eni-0a1b 198.51.100.23 10.0.12.45 51544 22 6 14 2712 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 1 (version): version 5 with 14 fields and no header line: 14 "
                         "fields is the version 2 layout, the order is unknown");
    CHECK_INT(feed0(&h, "1 111122223333 eni-0a1b 198.51.100.23 10.0.12.45 51544 22 6 14 2712 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 1 (version): 1 is not a flow log version");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.45 51544 22x 6 14 2712 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 7 (dstport): '22x' is not a number");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.999 51544 22 6 14 2712 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 5 (dstaddr): '10.0.12.999' is not an IP address");
    /* the fast IPv4 path agrees with inet_pton on the edges */
    static const char *const bad_ips[] = {"010.0.0.1", "256.1.1.1", "1.2.3", "1.2.3.4.5",
                                          "1..2.3", "1.2.3.4 ", "1234.1.1.1", "1.2.3.-4",
                                          "::ffff:1.2.3.256", "1.2.3.4%eth0"};
    for (size_t i = 0; i < sizeof(bad_ips) / sizeof(bad_ips[0]); i++) {
        char line[256];
        CHECK_INT(feed0(&h, "version srcaddr start"), TY_SKIP);
        snprintf(line, sizeof(line), "2 %s 1", bad_ips[i]);
        int rc = feed0(&h, line);
        if (strchr(bad_ips[i], ' '))
            CHECK_INT(rc, TY_OK); /* a trailing space is a separator */
        else
            CHECK_INT(rc, TY_ECORRUPT);
    }
    CHECK_INT(feed0(&h, "2 0.0.0.0 1"), TY_OK);
    CHECK_INT(feed0(&h, "2 255.255.255.255 1"), TY_OK);
    CHECK_INT(feed0(&h, "2 ::ffff:1.2.3.4 1"), TY_OK);
    h_close(&h); /* back to header-less */
    OPEN(v2_line);
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 70000 6 14 2712 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 7 (dstport): port 70000 out of range");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 22 256 14 2712 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 8 (protocol): 256 out of range");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 22 6 14 2712 "
                        "1710252300 1710252360 DROP OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 13 (action): 'DROP' is not ACCEPT, REJECT or -");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 22 6 14 2712 "
                        "1710252300 1710252360 ACCEPT MEH"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 14 (log-status): 'MEH' is not OK, NODATA or SKIPDATA");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b - - - - - - - - - - NODATA"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "no start or end time");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 22 6 14 "
                        "99999999999999999999 1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 10 (bytes): '99999999999999999999' is not a number");
    CHECK_INT(feed0(&h, "2 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 22 6 14 1 "
                        "99999999999 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 11 (start): time 99999999999 out of range");
    CHECK_INT(feed0(&h, "- 111122223333 eni-0a1b 198.51.100.23 10.0.12.9 51544 22 6 14 1 "
                        "1710252300 1710252360 ACCEPT OK"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 1 (version): '-' in a header-less record");
    CHECK_INT(feed0(&h, "   "), TY_SKIP); /* blank */
    CHECK_INT(feed0(&h, "{\"version\":2,\"account_id\":\"1\"}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "a JSON record, not the space-separated flow log text format");
    /* a header whose fields need a later version than the records say */
    CHECK_INT(feed0(&h, "version srcaddr dstaddr start end vpc-id"), TY_SKIP);
    CHECK_INT(feed0(&h, "2 10.0.0.1 10.0.0.2 1710252300 1710252360 vpc-1"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "column 1 (version): version 2, but the header's fields need version 3");
    CHECK_INT(feed0(&h, "3 10.0.0.1 10.0.0.2 1710252300 1710252360 vpc-1"), TY_OK);
    h_close(&h);
}

static void test_sniff(void)
{
    int (*sniff)(struct ty_str) = ty_parser_vpcflow.sniff;
    CHECK_INT(sniff(ty_str_cstr(v5_header)), 95);
    CHECK_INT(sniff(ty_str_cstr("version account-id interface-id srcaddr dstaddr srcport "
                                "dstport protocol packets bytes start end action log-status\n2 1")),
              95);
    CHECK_INT(sniff(ty_str_cstr("\xef\xbb\xbfinterface-id srcaddr dstaddr action\r\n")), 95);
    CHECK_INT(sniff(ty_str_cstr(tgw_header)), 95);
    CHECK_INT(sniff(ty_str_cstr(v2_line)), 80);
    CHECK_INT(sniff(ty_str_cstr(nodata_line)), 80);
    CHECK_INT(sniff(ty_str_cstr("2024-03-12T14:05:01.000Z 2 111122223333 eni-0a1b2c3d4e5f60718 "
                                "- - - - - - - 1 2 - NODATA\n")),
              80);
    CHECK_INT(sniff(ty_str_cstr(tgw_line)), 80);
    /* not ours */
    CHECK_INT(sniff(ty_str_cstr("#separator \\x09\n#set_separator\t,\n#fields\tts\tuid\n")), 0);
    CHECK_INT(sniff(ty_str_cstr("1300475167.096535\tCHhAvVGS1DHFjwGM9\t141.142.220.202\t5353\t"
                                "224.0.0.251\t5353\tudp\tdns\n")),
              0);
    CHECK_INT(sniff(ty_str_cstr("Mar 12 14:05:01 ip-10-0-1-5 sshd[812]: Accepted publickey for "
                                "ec2-user from 203.0.113.7 port 51544 ssh2\n")),
              0);
    CHECK_INT(sniff(ty_str_cstr("<34>1 2024-03-12T14:05:01Z host app - - - eni-0a1b msg\n")), 0);
    CHECK_INT(sniff(ty_str_cstr("{\"Records\":[{\"eventVersion\":\"1.08\"}]}")), 0);
    CHECK_INT(sniff(ty_str_cstr("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}")), 0);
    CHECK_INT(sniff(ty_str_cstr("192.0.2.1 - - [12/Mar/2024:14:05:01 +0000] \"GET / HTTP/1.1\" "
                                "200 12\n")),
              0);
    CHECK_INT(sniff(ty_str_cstr("2 3 4 5\n")), 0);
    CHECK_INT(sniff(ty_str_cstr("version 2\n")), 0); /* one known name of two */
    CHECK_INT(sniff(ty_str_cstr("")), 0);
}

/* ---- conformance ------------------------------------------------------------ */

static void conf_elastic(const char *data)
{
    static const char *const files[] = {"test-extra-samples.log", "test-v5-all-fields.log"};
    size_t n_rec = 0, n_ev = 0, n_bad = 0;
    char path[1024];
    for (size_t f = 0; f < 2; f++) {
        size_t len;
        snprintf(path, sizeof(path),
                 "%s/elastic-integrations/packages/aws/data_stream/vpcflow/_dev/test/pipeline/%s",
                 data, files[f]);
        char *buf = ty_test_read_file(path, &len);
        if (!buf) {
            ty_test_skip("elastic vpcflow pipeline tests not found");
            return;
        }
        struct h h;
        h_open(&h, &ty_parser_vpcflow, buf, len);
        CHECK_INT(ty_parser_vpcflow.sniff(h.ctx.head), 80);
        for (char *line = buf, *end = buf + len; line < end;) {
            char *nl = memchr(line, '\n', (size_t)(end - line));
            size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
            if (l) {
                int rc = h_feed_raw(&h, line, l);
                n_rec++;
                if (rc == TY_OK)
                    n_ev += h.n;
                else {
                    n_bad++;
                    ty_test_fail(__FILE__, __LINE__, "elastic %s: rc %d: %s", files[f], rc,
                                 h.err.msg);
                }
            }
            line += l + 1;
        }
        if (f == 1) { /* the v5 all-fields record */
            char ipb[TY_IP_STRLEN];
            CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "89.160.20.156");
            CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ipb), "10.200.0.80"); /* pkt-dstaddr */
            CHECK_STR(ipstr(&h.last, TY_F_DST_NAT_IP, ipb), "10.200.0.0"); /* dstaddr */
            CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST_ID), "i-0axxxxxx1ad77");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "blocked");
            CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(164000066) * TY_NS_PER_SEC);
        }
        h_close(&h);
        free(buf);
    }
    CHECK_INT(n_rec, 8);
    fprintf(stderr, "  aws-vpcflow elastic: 2 files, %zu records, %zu events, %zu corrupt\n",
            n_rec, n_ev, n_bad);
}

static const char *jget(cJSON *o, const char *path, char *num)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf, *dot; o && p; p = dot ? dot + 1 : NULL) {
        dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        o = cJSON_GetObjectItemCaseSensitive(o, p);
    }
    if (cJSON_IsNumber(o)) {
        snprintf(num, 32, "%.0f", o->valuedouble);
        return num;
    }
    return cJSON_IsString(o) ? o->valuestring : NULL;
}

static void want_text(const char *file, const struct ty_event *ev, enum ty_field f,
                      const char *want)
{
    struct ty_buf b;
    if (!want)
        return;
    ty_buf_init(&b, 0);
    ty_event_field_text(ev, f, &b);
    if (strcmp(b.buf, want) != 0)
        ty_test_fail(__FILE__, __LINE__, "sekoia %s: %s is '%s', expected '%s'", file,
                     ty_fields[f].name, b.buf, want);
    ty_buf_release(&b);
}

/* sekoia AWS/aws-flow-logs/tests: the text ones against their expected fields */
static void conf_sekoia(const char *data)
{
    char dir[512], path[1024], num[32];
    size_t n_files = 0, n_ev = 0, n_json = 0;
    snprintf(dir, sizeof(dir), "%s/sekoia-intake-formats/AWS/aws-flow-logs/tests", data);
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) {
        ty_test_skip("sekoia aws-flow-logs tests not found");
        return;
    }
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".json"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        char *buf = ty_test_read_file(path, NULL);
        cJSON *root = buf ? cJSON_Parse(buf) : NULL;
        cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expected");
        const char *msg = jget(root, "input.message", num);
        n_files++;
        CHECK(msg != NULL);
        if (msg && msg[0] == '{') {
            /* accept_structured, reject_structured, network_traffic: one JSON object per
             * flow (a Firehose/Lambda re-encoding), not the text format: skipped */
            CHECK_INT(ty_parser_vpcflow.sniff(ty_str_cstr(msg)), 0);
            n_json++;
        } else if (msg) {
            struct h h;
            h_open(&h, &ty_parser_vpcflow, msg, strlen(msg));
            CHECK_INT(ty_parser_vpcflow.sniff(h.ctx.head), 80);
            int rc = h_feed_raw(&h, msg, strlen(msg));
            if (rc != TY_OK) {
                ty_test_fail(__FILE__, __LINE__, "sekoia %s: rc %d: %s", de->d_name, rc,
                             h.err.msg);
            } else {
                const struct ty_event *ev = &h.last;
                const char *nm = de->d_name;
                n_ev++;
                want_text(nm, ev, TY_F_TS, jget(exp, "@timestamp", num));
                want_text(nm, ev, TY_F_TS_END, jget(exp, "event.end", num));
                want_text(nm, ev, TY_F_SRC_IP, jget(exp, "source.ip", num));
                want_text(nm, ev, TY_F_DST_IP, jget(exp, "destination.ip", num));
                want_text(nm, ev, TY_F_SRC_PORT, jget(exp, "source.port", num));
                want_text(nm, ev, TY_F_DST_PORT, jget(exp, "destination.port", num));
                want_text(nm, ev, TY_F_BYTES_OUT, jget(exp, "source.bytes", num));
                want_text(nm, ev, TY_F_PACKETS, jget(exp, "source.packets", num));
                want_text(nm, ev, TY_F_NET_PROTO, jget(exp, "network.iana_number", num));
                want_text(nm, ev, TY_F_CLOUD_ACCOUNT, jget(exp, "cloud.account.id", num));
                want_text(nm, ev, TY_F_CLOUD_PROVIDER, jget(exp, "cloud.provider", num));
                want_text(nm, ev, TY_F_NET_IFACE,
                          jget(exp, "observer.ingress.interface.name", num));
                want_text(nm, ev, TY_F_CLOUD_VPC, jget(exp, "aws.flowlogs.vpc.id", num));
                want_text(nm, ev, TY_F_TCP_FLAGS, jget(exp, "aws.flowlogs.tcp_flags", num));
                const char *act = jget(exp, "action.name", num);
                if (act)
                    want_text(nm, ev, TY_F_DISPOSITION,
                              strcmp(act, "accept") == 0 ? "allowed" : "blocked");
                if (strcmp(nm, "nodata.json") == 0)
                    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "NODATA");
            }
            h_close(&h);
        }
        cJSON_Delete(root);
        free(buf);
    }
    closedir(d);
    CHECK_INT(n_files, 9);
    CHECK_INT(n_json, 3);
    fprintf(stderr,
            "  aws-vpcflow sekoia: %zu files, %zu text records, %zu events, 0 corrupt; %zu "
            "JSON-wrapped skipped (not the text format)\n",
            n_files, n_files - n_json, n_ev, n_json);
}

void test_parse_vpcflow(void);
void test_parse_vpcflow(void)
{
    test_fields();
    test_streams();
    test_corrupt();
    test_sniff();
    const char *data = ty_test_data_dir();
    if (!data) {
        ty_test_skip("no shared data: conformance sets skipped");
        q_release();
        return;
    }
    conf_elastic(data);
    conf_sekoia(data);
    q_release();
}
