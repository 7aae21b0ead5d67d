/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-k8s-inventory.c - the k8s-inventory parser on kubectl -o json
 * output: a List cut into one record per item, a pod's containers as events
 * with their status ids, dangerous settings and service account, a node's
 * provider id and addresses, a ServiceAccount's cloud identity, RBAC,
 * Secrets kept to their key names, bad records, sniff scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_k8s_inventory;

static const char pod[] =
    "{'apiVersion':'v1','kind':'Pod','metadata':{'creationTimestamp':'2026-10-09T11:42:17Z',"
    "'name':'wordpress-7d9f8b6c5d-x4k2p','namespace':'blog','uid':'3f1c9a2e',"
    "'ownerReferences':[{'kind':'ReplicaSet','name':'wordpress-7d9f8b6c5d'}]},"
    "'spec':{'hostPID':true,'nodeName':'ip-10-0-1-23.ec2.internal',"
    "'serviceAccountName':'wordpress','securityContext':{'runAsUser':0},"
    "'containers':[{'name':'wordpress','image':'wordpress:6.6.2',"
    "'securityContext':{'privileged':true,'capabilities':{'add':['SYS_ADMIN','CHOWN']}},"
    "'env':[{'name':'AWS_ROLE_ARN','value':'arn:aws:iam::1:role/r'}],"
    "'volumeMounts':[{'mountPath':'/var/run/docker.sock','name':'sock'},"
    "{'mountPath':'/data','name':'data'}]},"
    "{'name':'sidecar','image':'busybox','securityContext':{'readOnlyRootFilesystem':true,"
    "'runAsUser':1000}}],"
    "'volumes':[{'name':'sock','hostPath':{'path':'/var/run/docker.sock'}},"
    "{'name':'data','hostPath':{'path':'/srv/data'}}]},"
    "'status':{'phase':'Running','podIP':'10.0.1.87','hostIP':'10.0.1.23',"
    "'containerStatuses':[{'name':'sidecar','containerID':'docker://abc123'},"
    "{'name':'wordpress','containerID':'containerd://8e1f4a7c'}]}}";

static void test_pod(void)
{
    struct h h;
    const char *s = q(&h, pod);
    h_open(&h, &ty_parser_k8s_inventory, s, strlen(s));
    CHECK_STR(h.ctx.shape, "kubectl -o json Pod");
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_JSON);
    CHECK_STR(h.ctx.frame.key, "items");
    CHECK_INT(h_feed_raw(&h, s, strlen(s)), TY_OK);
    CHECK_INT(h.n, 2);
    /* the first container, from the JSON of the first event */
    const char *out = ty_buf_str(&h.out).p;
    CHECK(strstr(out, "\"container_id\":\"8e1f4a7c\"") != NULL);
    CHECK(strstr(out, "\"target_user\":\"arn:aws:iam::1:role/r\"") != NULL);
    CHECK(strstr(out, "dangerous: hostPID; privileged; capability added SYS_ADMIN; container "
                      "runtime socket mounted hostPath /var/run/docker.sock at "
                      "/var/run/docker.sock; hardening: capability added CHOWN; runAsUser 0; "
                      "no readOnlyRootFilesystem") != NULL);
    /* the last event: the sidecar */
    const struct ty_event *ev = &h.last;
    CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1791546137) * 1000000000);
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "k8s-inventory-pod");
    CHECK_SPAN(ty_event_str(ev, TY_F_CATEGORY), "inventory");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_NAMESPACE), "blog");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_POD), "wordpress-7d9f8b6c5d-x4k2p");
    CHECK_SPAN(ty_event_str(ev, TY_F_K8S_NODE), "ip-10-0-1-23.ec2.internal");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_NAME), "sidecar");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_ID), "abc123");
    CHECK_SPAN(ty_event_str(ev, TY_F_CONTAINER_IMAGE), "busybox");
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTOR), "system:serviceaccount:blog:wordpress");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_KIND), "Pod");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), "3f1c9a2e");
    char ip[64];
    CHECK_STR(ipstr(ev, TY_F_SRC_IP, ip), "10.0.1.87");
    CHECK(!ty_event_has(ev, TY_F_TARGET_USER));
    /* the pod's hostPID makes every container dangerous */
    CHECK_SPAN(ty_event_str(ev, TY_F_SEVERITY), "high");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE),
               "pod blog/wordpress-7d9f8b6c5d-x4k2p container sidecar on node "
               "ip-10-0-1-23.ec2.internal, pod IP 10.0.1.87, host IP 10.0.1.23, phase Running, "
               "owner ReplicaSet/wordpress-7d9f8b6c5d, service account wordpress; dangerous: "
               "hostPID");
    h_close(&h);
}

static void test_list(void)
{
    struct h h;
    const char *list = q(&h,
        "{'apiVersion':'v1','items':[\n"
        "{'apiVersion':'v1','kind':'Node','metadata':{'name':'ip-10-0-1-23.ec2.internal',"
        "'creationTimestamp':'2026-10-01T00:00:00Z','labels':{'topology.kubernetes.io/region':"
        "'us-east-1'}},'spec':{'providerID':'aws:///us-east-1a/i-0abc123','unschedulable':true},"
        "'status':{'addresses':[{'type':'InternalIP','address':'10.0.1.23'},{'type':"
        "'ExternalIP','address':'54.1.2.3'}]}},\n"
        "{'apiVersion':'v1','kind':'ServiceAccount','metadata':{'name':'data-fetcher',"
        "'namespace':'blog','annotations':{'eks.amazonaws.com/role-arn':"
        "'arn:aws:iam::284511937402:role/s3-get-object-role'}}},\n"
        "{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRoleBinding','metadata':"
        "{'name':'b','creationTimestamp':'2026-10-01T00:00:00Z'},'roleRef':{'kind':"
        "'ClusterRole','name':'cluster-admin'},'subjects':[{'kind':'ServiceAccount','name':"
        "'x','namespace':'ns'}]},\n"
        "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'db','namespace':'blog',"
        "'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{SECRETVALUE}'}},"
        "'type':'Opaque','data':{'password':'c2VjcmV0'}},\n"
        "{'kind':'Pod','metadata':{}} , 42\n"
        "],'kind':'List','metadata':{'resourceVersion':''}}\n");
    struct run_counts c = h_run(&h, &ty_parser_k8s_inventory, list);
    CHECK_INT(c.rec, 6);
    CHECK_INT(c.ev, 5); /* the pod without anything still says it exists */
    CHECK_INT(c.bad, 1);
    CHECK_STR(h.ctx.shape, "kubectl -o json List");
    const char *out = ty_buf_str(&h.out).p;
    CHECK(strstr(out, "\"action\":\"k8s-inventory-node\"") != NULL);
    CHECK(strstr(out, "\"host_id\":\"i-0abc123\"") != NULL);
    CHECK(strstr(out, "\"cloud_provider\":\"aws\"") != NULL);
    CHECK(strstr(out, "\"cloud_region\":\"us-east-1\"") != NULL);
    CHECK(strstr(out, "\"src_ip\":\"10.0.1.23\"") != NULL);
    CHECK(strstr(out, "\"src_nat_ip\":\"54.1.2.3\"") != NULL);
    CHECK(strstr(out, "cordoned (unschedulable)") != NULL);
    CHECK(strstr(out, "\"actor\":\"system:serviceaccount:blog:data-fetcher\"") != NULL);
    CHECK(strstr(out, "\"target_user\":\"arn:aws:iam::284511937402:role/s3-get-object-role\"") !=
          NULL);
    CHECK(strstr(out, "grants ClusterRole/cluster-admin to ServiceAccount "
                      "system:serviceaccount:ns:x; dangerous") != NULL);
    CHECK(strstr(out, "Secret blog/db type Opaque, keys: password") != NULL);
    h_close(&h);

    /* the Secret's raw record holds names only */
    const char *sec = q(&h, "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'db',"
                            "'namespace':'blog','annotations':{'a':'SECRETVALUE'}},"
                            "'data':{'password':'SECRETVALUE'}}");
    h_open(&h, &ty_parser_k8s_inventory, sec, strlen(sec));
    CHECK_INT(h_feed_raw(&h, sec, strlen(sec)), TY_OK);
    CHECK(h.last.raw.p != sec);
    CHECK(!ty_str_contains(h.last.raw, "SECRETVALUE"));
    CHECK(ty_str_eq_cstr(h.last.raw, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":"
                                     "{\"name\":\"db\",\"namespace\":\"blog\"},\"keys\":"
                                     "[\"password\"]}"));
    h_close(&h);
}

static void test_bad_and_sniff(void)
{
    struct h h;
    const char *s = q(&h, pod);
    h_open(&h, &ty_parser_k8s_inventory, s, strlen(s));
    h.offset = 99;
    CHECK_INT(h_feed_raw(&h, "[1]", 3), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 99") != NULL);
    CHECK_INT(h_feed(&h, "{'kind':'Pod'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "no kind or no metadata") != NULL);
    CHECK_INT(h_feed(&h, "{'kind':'PodList','metadata':{}}"), TY_ECORRUPT);
    CHECK_INT(h_feed_raw(&h, s, 40), TY_ECORRUPT);
    h_close(&h);

    CHECK_INT(ty_parser_k8s_inventory.sniff(ty_str_cstr(s)), 85);
    CHECK_INT(ty_parser_k8s_inventory.sniff(ty_str_cstr(
                  "{\n  \"apiVersion\": \"v1\",\n  \"items\": [],\n  \"kind\": \"List\",\n"
                  "  \"metadata\": {}\n}")),
              85);
    CHECK_INT(ty_parser_k8s_inventory.sniff(ty_str_cstr(
                  "{\"apiVersion\":\"x/v1\",\"kind\":\"Widget\",\"metadata\":{}}")),
              50);
    CHECK_INT(ty_parser_k8s_inventory.sniff(ty_str_cstr(
                  "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},"
                  "\"auditID\":\"x\"}")),
              0);
    CHECK_INT(ty_parser_k8s_inventory.sniff(ty_str_cstr("{\"kind\":\"Pod\"}")), 0);
    const struct ty_parser *p = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff(ty_str_cstr(s), &p, &err), 0);
    CHECK(p == &ty_parser_k8s_inventory);
}

void test_parse_k8s_inventory(void);
void test_parse_k8s_inventory(void)
{
    test_pod();
    test_list();
    test_bad_and_sniff();
    q_release();
}
