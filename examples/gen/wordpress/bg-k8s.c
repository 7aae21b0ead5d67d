/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bg-k8s.c - the WordPress story's benign Kubernetes day: kubelets, controllers, CoreDNS,
 * kube-proxy, the VPC CNI, health checks and the administrators' kubectl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "world.h"

void bg_k8s(void)
{
    struct kreq k;
    char obj[300], uri[400];
    static const char *const probe_uri[] = { "/readyz", "/livez" };

    for (int c = 0; c < 2; c++) {
        EVERY(t, g_day, g_day + 86400, 900) {
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = 800 + (int64_t)rng_n(2500);
            k.level = "Metadata";
            k.verb = "get";
            k.uri = probe_uri[rng_n(2)];
            k.user = u_anon;
            k.ip = cp_ips[c];
            k.ua = "kube-probe/1.30+";
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of "
                       "ClusterRole \"system:public-info-viewer\" to Group "
                       "\"system:unauthenticated\"";
            k.note = -1;
            k8s_emit(&k);
        }
    }
    for (int i = 0; i < 3; i++) {
        EVERY(t, g_day, g_day + 86400, 1800) {
            node_user(u_node[i], sizeof u_node[i], i, node_key(i, t));
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = 4000 + (int64_t)rng_n(9000);
            k.level = "Metadata";
            k.verb = "patch";
            snprintf(uri, sizeof uri, "/api/v1/nodes/%s/status?timeout=10s", nodes[i].name);
            k.uri = uri;
            k.user = u_node[i];
            k.ip = nodes[i].ip;
            k.ua = UA_KUBELET;
            k.obj = objref(obj, sizeof obj, "nodes", NULL, nodes[i].name, NULL, "status");
            k.code = 200;
            k.decision = "allow";
            k.reason = "";
            k.note = -1;
            k8s_emit(&k);
        }
        EVERY(t, g_day, g_day + 86400, 2400) {
            int64_t to = rng_range(300, 600);

            node_user(u_node[i], sizeof u_node[i], i, node_key(i, t));
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = to * 1000000 + (int64_t)rng_n(30000);
            k.level = "Metadata";
            k.verb = "watch";
            snprintf(uri, sizeof uri,
                     "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%%3D%s"
                     "&resourceVersion=%lld&timeoutSeconds=%lld&watch=true",
                     nodes[i].name, (long long)(4410000 + (t - g_day) / 7), (long long)to);
            k.uri = uri;
            k.user = u_node[i];
            k.ip = nodes[i].ip;
            k.ua = UA_KUBELET;
            k.obj = objref(obj, sizeof obj, "pods", NULL, NULL, NULL, NULL);
            k.code = 200;
            k.decision = "allow";
            k.reason = "";
            k.watch = 1;
            k.note = -1;
            k8s_emit(&k);
        }
        EVERY(t, g_day, g_day + 86400, 3600) {
            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = 3000 + (int64_t)rng_n(5000);
            k.level = "Metadata";
            k.verb = "get";
            snprintf(uri, sizeof uri, "/api/v1/nodes/%s", nodes[i].name);
            k.uri = uri;
            k.user = u_sa_cni[i];
            k.ip = nodes[i].ip;
            k.ua = "aws-node/v1.18.3 (linux/amd64) kubernetes/$Format";
            k.obj = objref(obj, sizeof obj, "nodes", NULL, nodes[i].name, NULL, NULL);
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"aws-node\" of ClusterRole "
                       "\"aws-node\" to ServiceAccount \"aws-node/kube-system\"";
            k.note = -1;
            k8s_emit(&k);
        }
        EVERY(t, g_day, g_day + 86400, 3600) {
            int64_t to = rng_range(300, 600);

            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = to * 1000000 + (int64_t)rng_n(30000);
            k.level = "Metadata";
            k.verb = "watch";
            snprintf(uri, sizeof uri,
                     "/apis/discovery.k8s.io/v1/endpointslices?allowWatchBookmarks=true&"
                     "labelSelector=%%21service.kubernetes.io%%2Fheadless%%2C%%21service."
                     "kubernetes.io%%2Fservice-proxy-name&resourceVersion=%lld&"
                     "timeout=%lldm%llds&timeoutSeconds=%lld&watch=true",
                     (long long)(4410000 + (t - g_day) / 7), (long long)to / 60,
                     (long long)to % 60, (long long)to);
            k.uri = uri;
            k.user = u_sa_proxy[i];
            k.ip = nodes[i].ip;
            k.ua = "kube-proxy/v1.30.4 (linux/amd64) kubernetes/a737599";
            snprintf(obj, sizeof obj, "{\"resource\":\"endpointslices\",\"apiGroup\":"
                     "\"discovery.k8s.io\",\"apiVersion\":\"v1\"}");
            k.obj = obj;
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"eks:kube-proxy\" of ClusterRole "
                       "\"system:node-proxier\" to ServiceAccount \"kube-proxy/kube-system\"";
            k.watch = 1;
            k.note = -1;
            k8s_emit(&k);
        }
    }
    for (int c = 0; c < 2; c++) {
        EVERY(t, g_day, g_day + 86400, 3600) {
            int64_t to = rng_range(300, 600);

            KREQ_INIT(k);
            k.t = t * 1000000 + (int64_t)rng_n(1000000);
            k.dur = to * 1000000 + (int64_t)rng_n(30000);
            k.level = "Metadata";
            k.verb = "watch";
            snprintf(uri, sizeof uri,
                     "/api/v1/services?allowWatchBookmarks=true&resourceVersion=%lld&"
                     "timeout=%lldm%llds&timeoutSeconds=%lld&watch=true",
                     (long long)(4410000 + (t - g_day) / 7), (long long)to / 60,
                     (long long)to % 60, (long long)to);
            k.uri = uri;
            k.user = u_sa_dns[c];
            k.ip = c ? pods[P_DNS2].ip : pods[P_DNS1].ip;
            k.ua = "coredns/v1.11.3 (linux/amd64) kubernetes/$Format";
            k.obj = objref(obj, sizeof obj, "services", NULL, NULL, NULL, NULL);
            k.code = 200;
            k.decision = "allow";
            k.reason = "RBAC: allowed by ClusterRoleBinding \"system:coredns\" of ClusterRole "
                       "\"system:coredns\" to ServiceAccount \"coredns/kube-system\"";
            k.watch = 1;
            k.note = -1;
            k8s_emit(&k);
        }
    }
    EVERY(t, g_day, g_day + 86400, 1800) {
        static const char *const res[][3] = {
            { "/api/v1/namespaces?limit=500&resourceVersion=0", "namespaces", NULL },
            { "/apis/apps/v1/replicasets?limit=500&resourceVersion=0", "replicasets", "apps" },
            { "/api/v1/persistentvolumes?limit=500&resourceVersion=0", "persistentvolumes",
              NULL },
            { "/apis/batch/v1/cronjobs?limit=500&resourceVersion=0", "cronjobs", "batch" },
        };
        size_t r = rng_n(4);

        KREQ_INIT(k);
        k.t = t * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 5000 + (int64_t)rng_n(20000);
        k.level = "Metadata";
        k.verb = "list";
        k.uri = res[r][0];
        k.user = u_kcm;
        k.ip = cp_ips[rng_n(2)];
        k.ua = "kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/a737599/"
               "shared-informers";
        k.obj = objref(obj, sizeof obj, res[r][1], NULL, NULL, res[r][2], NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-controller-manager\" of "
                   "ClusterRole \"system:kube-controller-manager\" to User "
                   "\"system:kube-controller-manager\"";
        k.no_rr = rng_n(3) == 0;
        k.note = -1;
        k8s_emit(&k);
    }
    EVERY(t, g_day, g_day + 86400, 3600) {
        int64_t to = rng_range(300, 600);

        KREQ_INIT(k);
        k.t = t * 1000000 + (int64_t)rng_n(1000000);
        k.dur = to * 1000000 + (int64_t)rng_n(30000);
        k.level = "Metadata";
        k.verb = "watch";
        snprintf(uri, sizeof uri,
                 "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=status.phase%%21%%3D"
                 "Succeeded%%2Cstatus.phase%%21%%3DFailed&resourceVersion=%lld&"
                 "timeoutSeconds=%lld&watch=true",
                 (long long)(4410000 + (t - g_day) / 7), (long long)to);
        k.uri = uri;
        k.user = u_sched;
        k.ip = cp_ips[rng_n(2)];
        k.ua = "kube-scheduler/v1.30.4 (linux/amd64) kubernetes/a737599/scheduler";
        k.obj = objref(obj, sizeof obj, "pods", NULL, NULL, NULL, NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of "
                   "ClusterRole \"system:kube-scheduler\" to User \"system:kube-scheduler\"";
        k.watch = 1;
        k.note = -1;
        k8s_emit(&k);
    }
    /* alice with kubectl during office hours */
    EVERY(t, at(9, 5, 0), at(17, 30, 0), 1500) {
        static const char *const q[][5] = {
            { "list", "/api/v1/namespaces/blog/pods?limit=500", "pods", "blog", NULL },
            { "get", "/apis/apps/v1/namespaces/blog/deployments/wordpress", "deployments",
              "blog", "wordpress" },
            { "get", "/api/v1/namespaces/blog/pods/wordpress-7d9f8b6c5d-x4k2p/log?container="
                     "wordpress&tailLines=200", "pods", "blog", "wordpress-7d9f8b6c5d-x4k2p" },
            { "list", "/api/v1/nodes?limit=500", "nodes", NULL, NULL },
            { "list", "/api/v1/namespaces/blog/events?limit=500", "events", "blog", NULL },
        };
        size_t r = rng_n(5);

        KREQ_INIT(k);
        k.t = t * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 6000 + (int64_t)rng_n(40000);
        k.level = "Metadata";
        k.verb = q[r][0];
        k.uri = q[r][1];
        k.user = u_admin;
        k.ip = "192.0.2.10";
        k.ua = "kubectl/v1.31.0 (darwin/arm64) kubernetes/9edcffc";
        k.obj = objref(obj, sizeof obj, q[r][2], q[r][3], q[r][4], r == 1 ? "apps" : NULL,
                       r == 2 ? "log" : NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "EKS Access Policy: allowed by ClusterRoleBinding \"arn:aws:iam::" ACCT
                   ":user/alice.martin+arn:aws:eks::aws:cluster-access-policy/"
                   "AmazonEKSClusterAdminPolicy\" of ClusterRole \"arn:aws:eks::aws:"
                   "cluster-access-policy/AmazonEKSClusterAdminPolicy\" to User "
                   "\"kubernetes-admin\"";
        k.note = -1;
        k8s_emit(&k);
    }
}

