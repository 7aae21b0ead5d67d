/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k8s.c - the Kubernetes plane of the tomcat-miner story: the kube-apiserver audit log
 * (audit.k8s.io/v1 Event lines; policy omits RequestReceived, so one ResponseComplete per
 * request and a ResponseStarted as well for exec) and `kubectl get pod -o json` of the
 * compromised pod. The attacker never talks to the API server: the audit log holds the
 * benign control plane, a CI rollout, developers, and the responders' exec and containment.
 */
#include "tm.h"

#include <stdio.h>
#include <string.h>

#define AUDIT_FILE "k8s/kube-apiserver-audit.log"
#define POD_FILE "k8s/pod-" POD ".json"
#define UA_KUBELET "kubelet/v1.29.8 (linux/amd64) kubernetes/3f7a50f"
#define UA_KUBECTL "kubectl/v1.29.8 (linux/amd64) kubernetes/3f7a50f"
#define UA_KCM "kube-controller-manager/v1.29.8 (linux/amd64) kubernetes/3f7a50f"
#define UA_SCHED "kube-scheduler/v1.29.8 (linux/amd64) kubernetes/3f7a50f/scheduler"
#define UA_PROM "Prometheus/2.54.1"
#define UA_ARGO "argocd-application-controller/v2.12.3 (linux/amd64) kubernetes/4a8e0c1"
#define CP_IP "10.42.0.10"

enum { TAG_GETPOD = 1, TAG_EXEC, TAG_RELABEL, TAG_NEWPOD, TAG_NETPOL, TAG_CORDON };

struct who {
    const char *name, *groups, *ip, *ua;
};

static void sa_user(char *out, size_t n, const char *ns, const char *sa)
{
    snprintf(out, n, "system:serviceaccount:%s:%s", ns, sa);
}

/*
 * One request: a ResponseComplete event (and a ResponseStarted first when started is set).
 * objref is the inside of objectRef without braces; body is ",\"requestObject\":{...}" or "".
 */
static void ev(struct lines *ls, int64_t t, int tag, const struct who *w, const char *level,
               const char *verb, const char *uri, const char *objref, int code,
               const char *reason, const char *body, int started)
{
    char id[37], rt[TF_LEN], st[TF_LEN];
    int64_t lat = rng_range(2, 40) * 1000000LL;
    int pass;

    lat += rng_range(0, 999) * 1000LL;
    rng_uuid(id);
    tf_iso_us(rt, (t) / 1000);
    for (pass = started ? 0 : 1; pass < 2; pass++) {
        struct sb b = { 0 };
        int64_t ts = t + (pass == 0 ? lat / 2 : lat) + (pass && started ? 31 * NS : 0);
        tf_iso_us(st, (ts) / 1000);
        sb_f(&b, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"%s\","
                  "\"auditID\":\"%s\",\"stage\":\"%s\",\"requestURI\":", level, id,
                  pass == 0 ? "ResponseStarted" : "ResponseComplete");
        json_str_go(&b, uri);
        sb_f(&b, ",\"verb\":\"%s\",\"user\":{\"username\":\"%s\",\"groups\":[%s]},"
                  "\"sourceIPs\":[\"%s\"],\"userAgent\":\"%s\"", verb, w->name, w->groups,
                  w->ip, w->ua);
        if (objref)
            sb_f(&b, ",\"objectRef\":{%s}", objref);
        if (code < 400)
            sb_f(&b, ",\"responseStatus\":{\"metadata\":{},\"code\":%d}", code);
        else
            sb_f(&b, ",\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\","
                      "\"message\":\"%s\",\"reason\":\"NotFound\",\"code\":%d}",
                      "not found", code);
        if (body && pass == 1)
            sb_s(&b, body);
        sb_f(&b, ",\"requestReceivedTimestamp\":\"%s\",\"stageTimestamp\":\"%s\","
                  "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
                  "\"authorization.k8s.io/reason\":", rt, st);
        json_str_go(&b, reason);
        sb_s(&b, "}}");
        lines_take(ls, pass == 0 ? t + lat / 2 : ts, pass == 0 ? 0 : tag, &b);
    }
}

#define GRP_NODE "\"system:nodes\",\"system:authenticated\""
#define GRP_SA(ns) "\"system:serviceaccounts\",\"system:serviceaccounts:" ns \
    "\",\"system:authenticated\""
#define R_NODE "RBAC: allowed by ClusterRoleBinding \"system:nodes\" of ClusterRole " \
    "\"system:node\" to Group \"system:nodes\""
#define R_CTRL(x) "RBAC: allowed by ClusterRoleBinding \"system:controller:" x "\" of " \
    "ClusterRole \"system:controller:" x "\" to ServiceAccount \"" x "/kube-system\""

static void pod_ref(char *out, size_t n, const char *pod, const char *sub)
{
    snprintf(out, n, "\"resource\":\"pods\",\"namespace\":\"" NSP "\",\"name\":\"%s\","
             "\"apiVersion\":\"v1\"%s%s%s", pod, sub ? ",\"subresource\":\"" : "",
             sub ? sub : "", sub ? "\"" : "");
}

static void gen_control_plane(struct lines *ls)
{
    static const struct { const char *name, *ip; } nodes[3] = {
        { NODE_A, NODE_A_IP }, { NODE_B, NODE_B_IP }, { NODE, NODE_IP } };
    char name[160], uri[512], ref[512], pod[80];
    struct who w;
    int s, i, k;

    for (i = 0; i < 3; i++) {
        snprintf(name, sizeof(name), "system:node:%s", nodes[i].name);
        w = (struct who){ name, GRP_NODE, nodes[i].ip, UA_KUBELET };
        for (s = 17 + i * 61; s < 86400; s += 300 / scale ? 300 / scale : 1) {
            snprintf(uri, sizeof(uri), "/api/v1/nodes/%s/status?timeout=10s", nodes[i].name);
            snprintf(ref, sizeof(ref), "\"resource\":\"nodes\",\"name\":\"%s\","
                     "\"apiVersion\":\"v1\",\"subresource\":\"status\"", nodes[i].name);
            ev(ls, jitter_ms(at(s)), 0, &w, "Metadata", "patch", uri, ref, 200, R_NODE, NULL, 0);
        }
    }
    sa_user(name, sizeof(name), "monitoring", "prometheus-k8s");
    w = (struct who){ name, GRP_SA("monitoring"), "10.42.1.33", UA_PROM };
    for (s = 40; s < 86400; s += 300 / scale ? 300 / scale : 1) {
        static const char *const res[3] = { "pods", "endpoints", "services" };
        for (k = 0; k < 3; k++) {
            snprintf(uri, sizeof(uri), "/api/v1/%s?limit=500&resourceVersion=0", res[k]);
            snprintf(ref, sizeof(ref), "\"resource\":\"%s\",\"apiVersion\":\"v1\"", res[k]);
            ev(ls, jitter_ms(at(s + k)), 0, &w, "Metadata", "list", uri, ref, 200,
               "RBAC: allowed by ClusterRoleBinding \"prometheus-k8s\" of ClusterRole "
               "\"prometheus-k8s\" to ServiceAccount \"prometheus-k8s/monitoring\"", NULL, 0);
        }
    }
    /* The hourly report CronJob: controller, scheduler and kubelet. */
    for (s = 0; s < 86400; s += 3600) {
        int64_t t = at(s) + rng_range(50, 400) * 1000000LL;
        char sfx[8];
        rng_hex(sfx, 5);
        snprintf(pod, sizeof(pod), "report-cron-%d-%s", 29000000 + s / 60, sfx);
        w = (struct who){ "system:serviceaccount:kube-system:cronjob-controller",
                          GRP_SA("kube-system"), CP_IP, UA_KCM };
        ev(ls, t, 0, &w, "Metadata", "create", "/apis/batch/v1/namespaces/" NSP "/jobs",
           "\"resource\":\"jobs\",\"namespace\":\"" NSP "\",\"apiGroup\":\"batch\","
           "\"apiVersion\":\"v1\"", 201, R_CTRL("cronjob-controller"), NULL, 0);
        w = (struct who){ "system:serviceaccount:kube-system:job-controller",
                          GRP_SA("kube-system"), CP_IP, UA_KCM };
        ev(ls, t + 40 * 1000000LL, 0, &w, "Metadata", "create",
           "/api/v1/namespaces/" NSP "/pods", "\"resource\":\"pods\",\"namespace\":\"" NSP
           "\",\"apiVersion\":\"v1\"", 201, R_CTRL("job-controller"), NULL, 0);
        w = (struct who){ "system:kube-scheduler", "\"system:authenticated\"", CP_IP, UA_SCHED };
        snprintf(uri, sizeof(uri), "/api/v1/namespaces/" NSP "/pods/%s/binding", pod);
        pod_ref(ref, sizeof(ref), pod, "binding");
        ev(ls, t + 90 * 1000000LL, 0, &w, "Metadata", "create", uri, ref, 201,
           "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of ClusterRole "
           "\"system:kube-scheduler\" to User \"system:kube-scheduler\"", NULL, 0);
        k = (int)rng_n(2);
        snprintf(name, sizeof(name), "system:node:%s", nodes[k].name);
        w = (struct who){ name, GRP_NODE, nodes[k].ip, UA_KUBELET };
        snprintf(uri, sizeof(uri), "/api/v1/namespaces/" NSP "/pods/%s/status", pod);
        pod_ref(ref, sizeof(ref), pod, "status");
        ev(ls, t + 2 * NS, 0, &w, "Metadata", "patch", uri, ref, 200, R_NODE, NULL, 0);
        ev(ls, t + 41 * NS, 0, &w, "Metadata", "patch", uri, ref, 200, R_NODE, NULL, 0);
    }
    /* Argo CD rolls out the cart deployment twice. */
    for (i = 0; i < 2; i++) {
        int64_t t = at(i ? 16 * 3600 + 5 * 60 + 12 : 9 * 3600 + 40 * 60 + 31);
        w = (struct who){ "system:serviceaccount:argocd:argocd-application-controller",
                          GRP_SA("argocd"), "10.42.2.88", UA_ARGO };
        ev(ls, t, 0, &w, "Metadata", "patch", "/apis/apps/v1/namespaces/" NSP
           "/deployments/cart?fieldManager=argocd-controller&force=true",
           "\"resource\":\"deployments\",\"namespace\":\"" NSP "\",\"name\":\"cart\","
           "\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"", 200,
           "RBAC: allowed by ClusterRoleBinding \"argocd-application-controller\" of "
           "ClusterRole \"argocd-application-controller\" to ServiceAccount "
           "\"argocd-application-controller/argocd\"", NULL, 0);
        w = (struct who){ "system:serviceaccount:kube-system:deployment-controller",
                          GRP_SA("kube-system"), CP_IP, UA_KCM };
        ev(ls, t + 60 * 1000000LL, 0, &w, "Metadata", "create", "/apis/apps/v1/namespaces/"
           NSP "/replicasets", "\"resource\":\"replicasets\",\"namespace\":\"" NSP "\","
           "\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"", 201, R_CTRL("deployment-controller"),
           NULL, 0);
        w = (struct who){ "system:serviceaccount:kube-system:replicaset-controller",
                          GRP_SA("kube-system"), CP_IP, UA_KCM };
        for (k = 0; k < 2; k++)
            ev(ls, t + (200 + 15000 * k) * 1000000LL, 0, &w, "Metadata", "create",
               "/api/v1/namespaces/" NSP "/pods", "\"resource\":\"pods\",\"namespace\":\"" NSP
               "\",\"apiVersion\":\"v1\"", 201, R_CTRL("replicaset-controller"), NULL, 0);
    }
    /* A developer looks at pods and logs. */
    w = (struct who){ "oidc:lee.park@acme-shop.example",
                      "\"oidc:developers\",\"system:authenticated\"", "10.8.0.23", UA_KUBECTL };
    for (i = 0; i < 12 * scale; i++) {
        int64_t t = jitter_ms(at(8 * 3600 + (int)rng_n(10 * 3600)));
        ev(ls, t, 0, &w, "Metadata", "list", "/api/v1/namespaces/" NSP "/pods?limit=500",
           "\"resource\":\"pods\",\"namespace\":\"" NSP "\",\"apiVersion\":\"v1\"", 200,
           "RBAC: allowed by RoleBinding \"developers/shop\" of ClusterRole \"view\" to Group "
           "\"oidc:developers\"", NULL, 0);
        snprintf(uri, sizeof(uri), "/api/v1/namespaces/" NSP "/pods/%s/log?container=tomcat"
                 "&tailLines=200", rng_n(2) ? POD2 : POD);
        pod_ref(ref, sizeof(ref), strstr(uri, POD2) ? POD2 : POD, "log");
        ev(ls, t + 9 * NS, 0, &w, "Metadata", "get", uri, ref, 200,
           "RBAC: allowed by RoleBinding \"developers/shop\" of ClusterRole \"view\" to Group "
           "\"oidc:developers\"", NULL, 0);
    }
}

#define R_SRE "RBAC: allowed by ClusterRoleBinding \"sre-admins\" of ClusterRole " \
    "\"cluster-admin\" to Group \"oidc:sre\""

static void gen_response(struct lines *ls)
{
    struct who w = { RESPONDER, "\"oidc:sre\",\"system:authenticated\"", "10.8.0.41",
                     UA_KUBECTL };
    char ref[512];

    pod_ref(ref, sizeof(ref), POD, NULL);
    ev(ls, at(T_EXEC - 50) + 211 * 1000000LL, TAG_GETPOD, &w, "Metadata", "get",
       "/api/v1/namespaces/" NSP "/pods/" POD, ref, 200, R_SRE, NULL, 0);
    pod_ref(ref, sizeof(ref), POD, "exec");
    ev(ls, at(T_EXEC) + 87 * 1000000LL, TAG_EXEC, &w, "Metadata", "get",
       "/api/v1/namespaces/" NSP "/pods/" POD "/exec?command=ps&command=aux&container=" CTR
       "&stderr=true&stdout=true", ref, 101, R_SRE, NULL, 1);
    ev(ls, at(T_EXEC + 48) + 602 * 1000000LL, 0, &w, "Metadata", "get",
       "/api/v1/namespaces/" NSP "/pods/" POD "/exec?command=ls&command=-la&command=%2Ftmp"
       "&container=" CTR "&stderr=true&stdout=true", ref, 101, R_SRE, NULL, 1);
    pod_ref(ref, sizeof(ref), POD, NULL);
    ev(ls, at(T_RELABEL) + 19 * 1000000LL, TAG_RELABEL, &w, "Request", "patch",
       "/api/v1/namespaces/" NSP "/pods/" POD, ref, 200, R_SRE,
       ",\"requestObject\":{\"metadata\":{\"labels\":{\"app\":null,\"quarantine\":\"true\"}}}",
       0);
    w = (struct who){ "system:serviceaccount:kube-system:replicaset-controller",
                      GRP_SA("kube-system"), CP_IP, UA_KCM };
    ev(ls, at(T_RELABEL + 1) + 4 * 1000000LL, TAG_NEWPOD, &w, "Metadata", "create",
       "/api/v1/namespaces/" NSP "/pods", "\"resource\":\"pods\",\"namespace\":\"" NSP
       "\",\"apiVersion\":\"v1\"", 201, R_CTRL("replicaset-controller"), NULL, 0);
    w = (struct who){ "system:kube-scheduler", "\"system:authenticated\"", CP_IP, UA_SCHED };
    pod_ref(ref, sizeof(ref), POD3, "binding");
    ev(ls, at(T_RELABEL + 1) + 61 * 1000000LL, 0, &w, "Metadata", "create",
       "/api/v1/namespaces/" NSP "/pods/" POD3 "/binding", ref, 201,
       "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of ClusterRole "
       "\"system:kube-scheduler\" to User \"system:kube-scheduler\"", NULL, 0);
    w = (struct who){ RESPONDER, "\"oidc:sre\",\"system:authenticated\"", "10.8.0.41",
                      UA_KUBECTL };
    ev(ls, at(T_NETPOL) + 350 * 1000000LL, TAG_NETPOL, &w, "Request", "create",
       "/apis/networking.k8s.io/v1/namespaces/" NSP "/networkpolicies?fieldManager=kubectl"
       "-client-side-apply&fieldValidation=Strict",
       "\"resource\":\"networkpolicies\",\"namespace\":\"" NSP "\",\"name\":\"quarantine-deny-"
       "all\",\"apiGroup\":\"networking.k8s.io\",\"apiVersion\":\"v1\"", 201, R_SRE,
       ",\"requestObject\":{\"kind\":\"NetworkPolicy\",\"apiVersion\":\"networking.k8s.io/v1\","
       "\"metadata\":{\"name\":\"quarantine-deny-all\",\"namespace\":\"" NSP "\"},\"spec\":{"
       "\"podSelector\":{\"matchLabels\":{\"quarantine\":\"true\"}},\"policyTypes\":["
       "\"Ingress\",\"Egress\"]}}", 0);
    ev(ls, at(T_CORDON) + 77 * 1000000LL, TAG_CORDON, &w, "Request", "patch",
       "/api/v1/nodes/" NODE, "\"resource\":\"nodes\",\"name\":\"" NODE "\",\"apiVersion\":"
       "\"v1\"", 200, R_SRE, ",\"requestObject\":{\"spec\":{\"unschedulable\":true}}", 0);
}

static void gen_pod_json(void)
{
    struct sb b = { 0 };
    char created[TF_LEN], started[TF_LEN];
    int64_t t0 = day0 - T_POD_START_DAYS_AGO * 86400 * NS + (int64_t)(14 * 3600) * NS;

    tf_iso_s(created, (t0) / NS);
    tf_iso_s(started, (t0 + 7 * NS) / NS);
    sb_s(&b,
"{\n"
"    \"apiVersion\": \"v1\",\n"
"    \"kind\": \"Pod\",\n"
"    \"metadata\": {\n"
"        \"creationTimestamp\": \"");
    sb_s(&b, created);
    sb_s(&b,
"\",\n"
"        \"generateName\": \"" DEPLOY "-" RS_HASH "-\",\n"
"        \"labels\": {\n"
"            \"app\": \"" DEPLOY "\",\n"
"            \"pod-template-hash\": \"" RS_HASH "\"\n"
"        },\n"
"        \"name\": \"" POD "\",\n"
"        \"namespace\": \"" NSP "\",\n"
"        \"ownerReferences\": [\n"
"            {\n"
"                \"apiVersion\": \"apps/v1\",\n"
"                \"blockOwnerDeletion\": true,\n"
"                \"controller\": true,\n"
"                \"kind\": \"ReplicaSet\",\n"
"                \"name\": \"" DEPLOY "-" RS_HASH "\",\n"
"                \"uid\": \"e81f0c2a-7d3b-4b95-8c6e-1a2f3b4c5d6e\"\n"
"            }\n"
"        ],\n"
"        \"resourceVersion\": \"48213377\",\n"
"        \"uid\": \"" POD_UID "\"\n"
"    },\n"
"    \"spec\": {\n"
"        \"containers\": [\n"
"            {\n"
"                \"image\": \"" IMAGE "\",\n"
"                \"imagePullPolicy\": \"IfNotPresent\",\n"
"                \"livenessProbe\": {\"failureThreshold\": 3, \"httpGet\": {\"path\": "
"\"/health/live\", \"port\": 8080, \"scheme\": \"HTTP\"}, \"periodSeconds\": 20, "
"\"successThreshold\": 1, \"timeoutSeconds\": 1},\n"
"                \"name\": \"" CTR "\",\n"
"                \"ports\": [{\"containerPort\": 8080, \"name\": \"http\", \"protocol\": "
"\"TCP\"}],\n"
"                \"readinessProbe\": {\"failureThreshold\": 3, \"httpGet\": {\"path\": "
"\"/health\", \"port\": 8080, \"scheme\": \"HTTP\"}, \"periodSeconds\": 10, "
"\"successThreshold\": 1, \"timeoutSeconds\": 1},\n"
"                \"resources\": {\"limits\": {\"cpu\": \"2\", \"memory\": \"3Gi\"}, "
"\"requests\": {\"cpu\": \"250m\", \"memory\": \"768Mi\"}},\n"
"                \"terminationMessagePath\": \"/dev/termination-log\",\n"
"                \"terminationMessagePolicy\": \"File\",\n"
"                \"volumeMounts\": [{\"mountPath\": "
"\"/var/run/secrets/kubernetes.io/serviceaccount\", \"name\": \"kube-api-access-7xq2d\", "
"\"readOnly\": true}]\n"
"            }\n"
"        ],\n"
"        \"dnsPolicy\": \"ClusterFirst\",\n"
"        \"enableServiceLinks\": true,\n"
"        \"nodeName\": \"" NODE "\",\n"
"        \"preemptionPolicy\": \"PreemptLowerPriority\",\n"
"        \"priority\": 0,\n"
"        \"restartPolicy\": \"Always\",\n"
"        \"schedulerName\": \"default-scheduler\",\n"
"        \"securityContext\": {},\n"
"        \"serviceAccount\": \"default\",\n"
"        \"serviceAccountName\": \"default\",\n"
"        \"terminationGracePeriodSeconds\": 30,\n"
"        \"volumes\": [{\"name\": \"kube-api-access-7xq2d\", \"projected\": {\"defaultMode\": "
"420, \"sources\": [{\"serviceAccountToken\": {\"expirationSeconds\": 3607, \"path\": "
"\"token\"}}]}}]\n"
"    },\n"
"    \"status\": {\n"
"        \"conditions\": [\n"
"            {\"lastProbeTime\": null, \"lastTransitionTime\": \"");
    sb_s(&b, created);
    sb_s(&b,
"\", \"status\": \"True\", "
"\"type\": \"Initialized\"},\n"
"            {\"lastProbeTime\": null, \"lastTransitionTime\": \"");
    sb_s(&b, started);
    sb_s(&b,
"\", \"status\": \"True\", "
"\"type\": \"Ready\"},\n"
"            {\"lastProbeTime\": null, \"lastTransitionTime\": \"");
    sb_s(&b, started);
    sb_s(&b,
"\", \"status\": \"True\", "
"\"type\": \"ContainersReady\"},\n"
"            {\"lastProbeTime\": null, \"lastTransitionTime\": \"");
    sb_s(&b, created);
    sb_s(&b,
"\", \"status\": \"True\", "
"\"type\": \"PodScheduled\"}\n"
"        ],\n"
"        \"containerStatuses\": [\n"
"            {\n"
"                \"containerID\": \"docker://" CID "\",\n"
"                \"image\": \"" IMAGE "\",\n"
"                \"imageID\": \"docker-pullable://registry.acme-shop.example/shop/tomcat-web@"
"sha256:0d5e3f7a9b1c2d4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e\",\n"
"                \"lastState\": {},\n"
"                \"name\": \"" CTR "\",\n"
"                \"ready\": true,\n"
"                \"restartCount\": 0,\n"
"                \"started\": true,\n"
"                \"state\": {\"running\": {\"startedAt\": \"");
    sb_s(&b, started);
    sb_s(&b,
"\"}}\n"
"            }\n"
"        ],\n"
"        \"hostIP\": \"" NODE_IP "\",\n"
"        \"hostIPs\": [{\"ip\": \"" NODE_IP "\"}],\n"
"        \"phase\": \"Running\",\n"
"        \"podIP\": \"" POD_IP "\",\n"
"        \"podIPs\": [{\"ip\": \"" POD_IP "\"}],\n"
"        \"qosClass\": \"Burstable\",\n"
"        \"startTime\": \"");
    sb_s(&b, created);
    sb_s(&b,
"\"\n"
"    }\n"
"}\n");
    out_file(POD_FILE, b.p, b.n);
    free(b.p);
}

void gen_k8s(void)
{
    struct lines ls = { 0 };
    struct sb b = { 0 };

    gen_control_plane(&ls);
    gen_response(&ls);
    lines_render(&ls, &b);
    out_file(AUDIT_FILE, b.p, b.n);
    note(at(T_EXEC - 50), AUDIT_FILE, lines_tag(&ls, TAG_GETPOD),
         "RESPONSE: " RESPONDER " gets the pod (kubectl get pod -o json, " POD_FILE ")");
    note(at(T_EXEC), AUDIT_FILE, lines_tag(&ls, TAG_EXEC),
         "RESPONSE: kubectl exec ps aux in " POD " (101)");
    note(at(T_RELABEL), AUDIT_FILE, lines_tag(&ls, TAG_RELABEL),
         "CONTAINMENT: pod relabelled out of its deployment (app removed, quarantine=true)");
    note(at(T_RELABEL + 1), AUDIT_FILE, lines_tag(&ls, TAG_NEWPOD),
         "replicaset-controller creates the replacement pod " POD3);
    note(at(T_NETPOL), AUDIT_FILE, lines_tag(&ls, TAG_NETPOL),
         "CONTAINMENT: NetworkPolicy quarantine-deny-all selecting quarantine=true");
    note(at(T_CORDON), AUDIT_FILE, lines_tag(&ls, TAG_CORDON),
         "CONTAINMENT: node " NODE " cordoned");
    lines_free(&ls);
    free(b.p);
    gen_pod_json();
}
