/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attack.c - the attack of the WordPress story at fixed times, as the cloud planes see it
 * (recon, plugin upload, reverse shells, the node identity in Kubernetes, the IRSA role in
 * CloudTrail, the S3 theft and the exfiltration flows), with a note per step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "world.h"

/* The bytes a flow record shows for a TCP payload: the same arithmetic as vf_leg(). */
static uint64_t wire_bytes(uint64_t payload, uint64_t reply)
{
    uint64_t pk = (payload + 1447) / 1448 + 3 + (reply + 1447) / 1448 / 2;

    return payload + pk * 52;
}

static struct sess s_att; /* the attacker's s3-get-object-role session */

void attack(void)
{
    struct conv v;
    struct kreq k;
    char ident[1400], obj[300], obj_rr[300], st[700];
    int n;
    const char *wp = pods[P_WP].ip, *df = pods[P_FETCH].ip;

    /* 1. recon through the load balancer */
    for (int i = 0; i < 4; i++) {
        int64_t t = at(13, 2, 5) + i * 47;

        CONV_INIT(v);
        v.t = t;
        v.dur = 40;
        v.c = ATTACKER;
        v.cport = eport();
        v.s = ALB_IP;
        v.sport = 443;
        v.proto = 6;
        v.up = 38000 + rng_n(9000);
        v.down = 260000 + rng_n(90000);
        v.note = i == 0 ? wp_note(t, 1, "vpcflow",
                               "recon: %s -> load balancer %s:443 (4 connections, "
                               "13:02:05-13:05:22)", ATTACKER, ALB_IP) : -1;
        flow(&v);
        v.c = ALB_IP;
        v.cport = eport();
        v.s = wp;
        v.sport = 80;
        v.t += 1;
        v.dur = 38;
        v.note = i == 0 ? wp_note(t + 1, 1, "vpcflow",
                               "load balancer %s -> wordpress pod %s:80 (node %s, "
                               "pkt-dstaddr is the pod)", ALB_IP, wp, nodes[0].name) : -1;
        flow(&v);
    }
    /* 2. wp-admin login and the plugin upload (wp-shell) */
    CONV_INIT(v);
    v.t = at(13, 6, 12);
    v.dur = 85;
    v.c = ATTACKER;
    v.cport = eport();
    v.s = ALB_IP;
    v.sport = 443;
    v.proto = 6;
    v.up = 52340;
    v.down = 118000;
    v.note = wp_note(v.t, 2, "vpcflow",
                  "wp-admin login and plugin upload: %s -> %s:443, %llu bytes up", ATTACKER,
                  ALB_IP, (unsigned long long)v.up);
    flow(&v);
    v.c = ALB_IP;
    v.cport = eport();
    v.s = wp;
    v.sport = 80;
    v.t += 1;
    v.note = -1;
    flow(&v);
    /* 2b. the web shell's commands, on a new connection (fixed ports: no draw) */
    CONV_INIT(v);
    v.t = at(13, 8, 40);
    v.dur = 22;
    v.c = ATTACKER;
    v.cport = 51734;
    v.s = ALB_IP;
    v.sport = 443;
    v.proto = 6;
    v.up = 2860;
    v.down = 3120;
    flow(&v);
    v.c = ALB_IP;
    v.cport = 40117;
    v.s = wp;
    v.sport = 80;
    v.t += 1;
    v.dur = 20;
    flow(&v);
    /* 3. reverse shell from the wordpress pod */
    CONV_INIT(v);
    v.t = at(13, 9, 2);
    v.dur = at(13, 52, 14) - v.t;
    v.c = wp;
    v.cport = 41958;
    v.s = ATTACKER;
    v.sport = 4444;
    v.proto = 6;
    v.up = 183000;
    v.down = 36100;
    v.note = wp_note(v.t, 3, "vpcflow",
                  "reverse shell: wordpress pod %s:41958 -> %s:4444 (egress on %s, via NAT "
                  "%s), until 13:52:14", wp, ATTACKER, nodes[0].eni, NAT_EIP);
    flow(&v);
    /* 4. the backdoor container (host network) calls back; the session the attacker works
     * in as the node, then a retry every BD_RETRY seconds that the attacker's host refuses */
    CONV_INIT(v);
    v.t = at(13, 15, 14);
    v.dur = at(BD_SESSION_END_H, BD_SESSION_END_M, 30) - v.t;
    v.c = nodes[0].ip;
    v.cport = 38214;
    v.s = ATTACKER;
    v.sport = BD_PORT;
    v.proto = 6;
    v.up = 64200;
    v.down = 9800;
    v.note = wp_note(v.t, 4, "vpcflow",
                  "backdoor container %s (host network) on %s connects to %s:%d; the session "
                  "lasts until 13:28:30", BD_NAME, nodes[0].name, ATTACKER, BD_PORT);
    flow(&v);
    for (int64_t t = at(BD_SESSION_END_H, BD_SESSION_END_M, 30) + BD_RETRY; t < g_day + 86400;
         t += BD_RETRY) {
        CONV_INIT(v);
        v.t = t;
        v.c = nodes[0].ip;
        v.cport = 38214 + (int)((t - g_day) % 9973);
        v.s = ATTACKER;
        v.sport = BD_PORT;
        v.proto = 6;
        flow(&v);
    }
    /* 5. the node's identity, used from the escaped shell with kubectl */
    node_user(u_node_att, sizeof u_node_att, 0, node_key(0, at(13, 18, 0)));
    KREQ_INIT(k);
    k.t = at(13, 18, 44) * 1000000 + 211843;
    k.dur = 48211;
    k.level = "Metadata";
    k.verb = "list";
    k.uri = "/api/v1/pods?limit=500";
    k.user = u_node_att;
    k.ip = nodes[0].ip;
    k.ua = UA_KUBECTL;
    k.obj = objref(obj, sizeof obj, "pods", NULL, NULL, NULL, NULL);
    k.code = 200;
    k.decision = "allow";
    k.reason = "";
    k.note = wp_note(at(13, 18, 44), 5, "k8s-audit",
                  "node identity system:node:%s lists all pods with kubectl (user agent "
                  "kubectl, not kubelet)", nodes[0].name);
    k8s_emit(&k);
    k.t = at(13, 19, 2) * 1000000 + 640212;
    k.dur = 2107;
    k.verb = "list";
    k.uri = "/api/v1/namespaces/blog/secrets?limit=500";
    k.obj = objref(obj, sizeof obj, "secrets", "blog", NULL, NULL, NULL);
    k.code = 403;
    snprintf(st, sizeof st,
             "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"secrets is forbidden: User "
             "\\\"system:node:%s\\\" cannot list resource \\\"secrets\\\" in API group "
             "\\\"\\\" in the namespace \\\"blog\\\": can only get individual resources of "
             "this type\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"secrets\"},"
             "\"code\":403}", nodes[0].name);
    k.status = st;
    k.decision = "forbid";
    k.reason = "can only get individual resources of this type";
    k.note = wp_note(at(13, 19, 2), 5, "k8s-audit",
                  "node identity lists secrets in namespace blog: 403 Forbidden (authorizer "
                  "decision forbid)");
    k8s_emit(&k);
    for (int i = 0; i < 2; i++) {
        const char *ns = i == 0 ? "blog" : "kube-system";
        static char body[2][900];

        k.t = (i == 0 ? at(13, 20, 31) : at(13, 21, 5)) * 1000000 + 118094 + i * 77013;
        k.dur = 9342 + i * 811;
        k.level = "Request";
        k.verb = "create";
        snprintf(body[i], sizeof body[i], "/api/v1/namespaces/%s/pods?fieldManager=kubectl-create"
                 "&fieldValidation=Strict", ns);
        k.uri = body[i];
        k.obj = objref(obj, sizeof obj, "pods", ns, "legit-stuff", NULL, NULL);
        k.obj_rr = objref(obj_rr, sizeof obj_rr, "pods", ns, NULL, NULL, NULL);
        snprintf(st, sizeof st,
                 "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"legit-stuff\\\" "
                 "is forbidden: pod does not have \\\"kubernetes.io/config.mirror\\\" "
                 "annotation, node \\\"%s\\\" can only create mirror pods\",\"reason\":"
                 "\"Forbidden\",\"details\":{\"name\":\"legit-stuff\",\"kind\":\"pods\"},"
                 "\"code\":403}", nodes[0].name);
        k.status = st;
        k.decision = "allow";
        k.reason = "";
        k.reqobj = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
                   "\"legit-stuff\",\"creationTimestamp\":null},\"spec\":{\"volumes\":[{"
                   "\"name\":\"host\",\"hostPath\":{\"path\":\"/\"}}],\"containers\":[{\"name\":"
                   "\"legit-stuff\",\"image\":\"alpine:3.20\",\"command\":[\"/bin/sh\",\"-c\","
                   "\"sleep infinity\"],\"resources\":{},\"volumeMounts\":[{\"name\":\"host\","
                   "\"mountPath\":\"/host\"}],\"securityContext\":{\"privileged\":true}}],"
                   "\"hostNetwork\":true,\"hostPID\":true},\"status\":{}}";
        k.note = wp_note(at(13, 20, 31) + i * 34, 5, "k8s-audit",
                      "node identity tries to create privileged pod legit-stuff in %s: 403 "
                      "Forbidden (NodeRestriction: nodes may only create mirror pods)", ns);
        k8s_emit(&k);
    }
    /* 6. from the node to the data-fetcher pod's debug console */
    CONV_INIT(v);
    v.t = at(13, 27, 10);
    v.dur = 95;
    v.c = nodes[0].ip;
    v.cport = eport();
    v.s = df;
    v.sport = 5000;
    v.proto = 6;
    v.up = 14200;
    v.down = 61800;
    v.note = wp_note(v.t, 6, "vpcflow",
                  "lateral movement: node %s -> data-fetcher pod %s:5000 (debug console)",
                  nodes[0].ip, df);
    flow(&v);
    /* 7. reverse shell from data-fetcher */
    CONV_INIT(v);
    v.t = at(13, 29, 40);
    v.dur = at(13, 51, 58) - v.t;
    v.c = df;
    v.cport = 50312;
    v.s = ATTACKER;
    v.sport = 443;
    v.proto = 6;
    v.up = 97000;
    v.down = 21400;
    v.note = wp_note(v.t, 7, "vpcflow",
                  "reverse shell: data-fetcher pod %s:50312 -> %s:443 (egress on %s), until "
                  "13:51:58", df, ATTACKER, nodes[1].eni);
    flow(&v);
    /* 8. the pod's web identity, used with aws-cli */
    n = wp_note(at(13, 31, 15), 8, "cloudtrail",
             "AssumeRoleWithWebIdentity %s by %s from %s, user agent aws-cli (the app uses "
             "Boto3)", ROLE_S3, FETCHER_SA, NAT_EIP);
    snprintf(st, sizeof st, "botocore-session-%lld", (long long)at(13, 31, 12));
    ct_web_identity(at(13, 31, 15), ROLE_S3, ROLEID_S3, OIDC_ARN, FETCHER_SA, &s_att, st, NAT_EIP,
                    UA_CLI_POD "sts.assume-role-with-web-identity", n);
    CONV_INIT(v);
    v.t = at(13, 31, 14);
    v.dur = 1;
    v.c = df;
    v.cport = eport();
    v.s = "209.54.180.124";
    v.sport = 443;
    v.proto = 6;
    v.up = 2100;
    v.down = 5400;
    v.ssvc = "AMAZON";
    flow(&v);
    ident_role(ident, sizeof ident, ROLE_S3, ROLEID_S3, &s_att, OIDC_ARN, NULL, NULL);
    /* 9. discovery */
    n = wp_note(at(13, 31, 49), 9, "cloudtrail", "ListBuckets by %s/%s: AccessDenied", ROLE_S3,
             s_att.name);
    ct_s3(at(13, 31, 49), ident, "ListBuckets", NULL, NULL, NAT_EIP, UA_CLI_POD "s3.ls", 0,
          "AccessDenied", 0, n);
    n = wp_note(at(13, 32, 20), 9, "cloudtrail", "ListObjects (v2) on %s prefix exports/",
             BUCKET);
    ct_s3(at(13, 32, 20), ident, "ListObjects", NULL,
          "\"list-type\":\"2\",\"prefix\":\"exports/\",\"delimiter\":\"/\","
          "\"encoding-type\":\"url\",",
          NAT_EIP, UA_CLI_POD "s3.ls", 2873, NULL, 1, n);
    /* 10. the theft */
    n = wp_note(at(13, 33, 5), 10, "cloudtrail",
             "GetObject %s/%s, bytesTransferredOut %llu, user agent aws-cli", BUCKET, OBJ1,
             OBJ1_SIZE);
    ct_s3(at(13, 33, 5), ident, "GetObject", OBJ1, NULL, NAT_EIP, UA_CLI_POD "s3api.get-object",
          OBJ1_SIZE, NULL, 1, n);
    ct_kms_for_s3(at(13, 33, 5), ROLE_S3, ROLEID_S3, &s_att, OBJ1, -1);
    n = wp_note(at(13, 34, 18), 10, "cloudtrail",
             "GetObject %s/%s, bytesTransferredOut %llu, user agent aws-cli", BUCKET, OBJ2,
             OBJ2_SIZE);
    ct_s3(at(13, 34, 18), ident, "GetObject", OBJ2, NULL, NAT_EIP,
          UA_CLI_POD "s3api.get-object", OBJ2_SIZE, NULL, 1, n);
    ct_kms_for_s3(at(13, 34, 18), ROLE_S3, ROLEID_S3, &s_att, OBJ2, -1);
    for (int i = 0; i < 2; i++) {
        CONV_INIT(v);
        v.t = i ? at(13, 34, 17) : at(13, 33, 4);
        v.dur = i ? 9 : 10;
        v.c = df;
        v.cport = eport();
        v.s = i ? "52.217.96.14" : "52.216.177.90";
        v.sport = 443;
        v.proto = 6;
        v.up = 1900;
        v.down = i ? OBJ2_SIZE : OBJ1_SIZE;
        v.ssvc = "S3";
        flow(&v);
    }
    /* 11. exfiltration to the attacker */
    for (int i = 0; i < 2; i++) {
        uint64_t size = i ? OBJ2_SIZE : OBJ1_SIZE;

        CONV_INIT(v);
        v.t = i ? at(13, 37, 40) : at(13, 36, 30);
        v.dur = i ? 41 : 38;
        v.c = df;
        v.cport = i ? 50544 : 50490;
        v.s = ATTACKER;
        v.sport = 443;
        v.proto = 6;
        v.up = size;
        v.down = 4100;
        v.note = wp_note(v.t, 11, "vpcflow",
                      "exfiltration: data-fetcher pod %s:%d -> %s:443, %llu bytes on the wire "
                      "(= %s bytesTransferredOut %llu + TCP/IP headers)",
                      df, v.cport, ATTACKER, (unsigned long long)wire_bytes(size, v.down),
                      i ? OBJ2 : OBJ1, (unsigned long long)size);
        flow(&v);
    }
    wp_note(at(13, 52, 14), 12, "vpcflow", "both reverse shells closed (records with FIN, "
         "tcp-flags 1)");
}

