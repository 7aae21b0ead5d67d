/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory.c - the cluster inventory a responder collects after the alert, at 15:05 UTC:
 * `kubectl get pods -A -o json` (a v1 List: pod IPs, nodes, service accounts, the privileged
 * wordpress pod with the docker.sock hostPath, the IRSA env and token volume the EKS pod
 * identity webhook injected into data-fetcher) and `kubectl get serviceaccounts -A -o json`
 * (the eks.amazonaws.com/role-arn annotation). The backdoor container is not in it: Docker
 * started it, not Kubernetes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rng.h"
#include "sb.h"
#include "timefmt.h"
#include "world.h"

#define ROLE_ARN "arn:aws:iam::" ACCT ":role/" ROLE_S3

struct item {
    const char *ns, *name, *uid, *ip, *sa, *owner_kind, *owner, *app, *container, *image;
    const char *cid, *started, *security, *mounts, *volumes, *env;
    int node, host_net;
};

static void item_json(struct sb *b, const struct item *it)
{
    char cid[65], img_digest[65];

    if (it->cid)
        snprintf(cid, sizeof cid, "%s", it->cid);
    else
        rng_hex(cid, 64);
    rng_hex(img_digest, 64);
    sb_f(b, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"creationTimestamp\":\"%s\","
            "\"labels\":{\"app\":\"%s\"},\"name\":\"%s\",\"namespace\":\"%s\","
            "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"blockOwnerDeletion\":true,"
            "\"controller\":true,\"kind\":\"%s\",\"name\":\"%s\"}],\"uid\":\"%s\"},",
         it->started, it->app, it->name, it->ns, it->owner_kind, it->owner, it->uid);
    sb_f(b, "\"spec\":{\"containers\":[{%s\"image\":\"%s\",\"imagePullPolicy\":\"IfNotPresent\","
            "\"name\":\"%s\",\"securityContext\":%s,\"volumeMounts\":[%s]}],"
            "\"dnsPolicy\":\"%s\",%s\"nodeName\":\"%s\",\"restartPolicy\":\"Always\","
            "\"serviceAccount\":\"%s\",\"serviceAccountName\":\"%s\",\"volumes\":[%s]},",
         it->env ? it->env : "", it->image, it->container, it->security, it->mounts,
         it->host_net ? "ClusterFirstWithHostNet" : "ClusterFirst",
         it->host_net ? "\"hostNetwork\":true," : "", nodes[it->node].name, it->sa, it->sa,
         it->volumes);
    sb_f(b, "\"status\":{\"containerStatuses\":[{\"containerID\":\"containerd://%s\","
            "\"image\":\"%s\",\"imageID\":\"%s@sha256:%s\",\"lastState\":{},\"name\":\"%s\","
            "\"ready\":true,\"restartCount\":0,\"started\":true,\"state\":{\"running\":{"
            "\"startedAt\":\"%s\"}}}],\"hostIP\":\"%s\",\"phase\":\"Running\",\"podIP\":\"%s\","
            "\"podIPs\":[{\"ip\":\"%s\"}],\"qosClass\":\"Burstable\",\"startTime\":\"%s\"}}",
         cid, it->image, it->image, img_digest, it->container, it->started, nodes[it->node].ip,
         it->ip, it->ip, it->started);
}

#define TOKEN_MOUNT "{\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"," \
    "\"name\":\"kube-api-access\",\"readOnly\":true}"
#define TOKEN_VOL "{\"name\":\"kube-api-access\",\"projected\":{\"defaultMode\":420," \
    "\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}}]}}"

static void write_pods(void)
{
    static const struct item fixed[] = {
        { "blog", NULL, NULL, NULL, "wordpress", "ReplicaSet", "wordpress-7d9f8b6c5d",
          "wordpress", "wordpress", "docker.io/library/" WP_IMAGE, WP_CID,
          "2026-10-09T11:42:17Z", "{\"privileged\":true}",
          TOKEN_MOUNT ",{\"mountPath\":\"/var/www/html\",\"name\":\"wordpress-data\"},"
          "{\"mountPath\":\"/var/run/docker.sock\",\"name\":\"docker-sock\"}",
          TOKEN_VOL ",{\"name\":\"wordpress-data\",\"persistentVolumeClaim\":{\"claimName\":"
          "\"wordpress-data\"}},{\"hostPath\":{\"path\":\"/var/run/docker.sock\",\"type\":"
          "\"Socket\"},\"name\":\"docker-sock\"}",
          NULL, 0, 0 },
        { "blog", NULL, NULL, NULL, "data-fetcher", "ReplicaSet", "data-fetcher-6c8d7f9b4",
          "data-fetcher", "data-fetcher",
          ACCT ".dkr.ecr." REGION ".amazonaws.com/data-fetcher:2.4.1", FETCH_CID,
          "2026-10-11T07:03:52Z", "{\"runAsUser\":1000}",
          TOKEN_MOUNT ",{\"mountPath\":\"/var/run/secrets/eks.amazonaws.com/serviceaccount\","
          "\"name\":\"aws-iam-token\",\"readOnly\":true}",
          TOKEN_VOL ",{\"name\":\"aws-iam-token\",\"projected\":{\"defaultMode\":420,"
          "\"sources\":[{\"serviceAccountToken\":{\"audience\":\"sts.amazonaws.com\","
          "\"expirationSeconds\":86400,\"path\":\"token\"}}]}}",
          "\"env\":[{\"name\":\"FLASK_DEBUG\",\"value\":\"1\"},{\"name\":\"AWS_STS_REGIONAL_"
          "ENDPOINTS\",\"value\":\"regional\"},{\"name\":\"AWS_DEFAULT_REGION\",\"value\":\""
          REGION "\"},{\"name\":\"AWS_REGION\",\"value\":\"" REGION "\"},{\"name\":"
          "\"AWS_ROLE_ARN\",\"value\":\"" ROLE_ARN "\"},{\"name\":\"AWS_WEB_IDENTITY_TOKEN_"
          "FILE\",\"value\":\"/var/run/secrets/eks.amazonaws.com/serviceaccount/token\"}],",
          1, 0 },
        { "blog", NULL, NULL, NULL, "default", "StatefulSet", "wordpress-mysql", "wordpress-mysql",
          "mysql", "docker.io/library/mysql:8.0.39", NULL, "2026-10-02T08:31:09Z", "{}",
          TOKEN_MOUNT ",{\"mountPath\":\"/var/lib/mysql\",\"name\":\"data\"}",
          TOKEN_VOL ",{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":"
          "\"data-wordpress-mysql-0\"}}", NULL, 1, 0 },
        { "kube-system", NULL, NULL, NULL, "coredns", "ReplicaSet", "coredns-787cb67946",
          "coredns", "coredns",
          "602401143452.dkr.ecr." REGION ".amazonaws.com/eks/coredns:v1.11.3-eksbuild.1", NULL,
          "2026-10-02T08:20:44Z", "{\"allowPrivilegeEscalation\":false,\"capabilities\":{"
          "\"add\":[\"NET_BIND_SERVICE\"],\"drop\":[\"ALL\"]},\"readOnlyRootFilesystem\":true}",
          TOKEN_MOUNT, TOKEN_VOL, NULL, 2, 0 },
        { "kube-system", NULL, NULL, NULL, "coredns", "ReplicaSet", "coredns-787cb67946",
          "coredns", "coredns",
          "602401143452.dkr.ecr." REGION ".amazonaws.com/eks/coredns:v1.11.3-eksbuild.1", NULL,
          "2026-10-02T08:20:44Z", "{\"allowPrivilegeEscalation\":false,\"capabilities\":{"
          "\"add\":[\"NET_BIND_SERVICE\"],\"drop\":[\"ALL\"]},\"readOnlyRootFilesystem\":true}",
          TOKEN_MOUNT, TOKEN_VOL, NULL, 0, 0 },
        { "blog", NULL, NULL, NULL, "newsletter", "ReplicaSet", "newsletter-5f8b9c7d6",
          "newsletter", "newsletter",
          ACCT ".dkr.ecr." REGION ".amazonaws.com/blog/newsletter:v2.14.0", NULL, NULL,
          "{\"runAsNonRoot\":true}", TOKEN_MOUNT, TOKEN_VOL, NULL, 2, 0 },
    };
    static const char *const proxy[3] = { "kube-proxy-7xk2d", "kube-proxy-q9v4m",
                                          "kube-proxy-z6h8p" };
    static const char *const cni[3] = { "aws-node-4rw9j", "aws-node-k2p7x", "aws-node-t8m3c" };
    struct sb b = { 0 };
    char uid[3][2][37];

    sb_s(&b, "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
    for (int i = 0; i < N_PODS; i++) {
        struct item it = fixed[i];
        char puid[37], started[32];

        it.ns = pods[i].ns;
        it.name = pods[i].name;
        it.uid = pods[i].uid;
        it.ip = pods[i].ip;
        it.node = pods[i].node;
        if (i == P_NEWS) { /* the pod of the morning rollout runs at 15:05 (same IP reused) */
            rng_uuid(puid);
            it.name = rollout_pods[0];
            it.uid = puid;
            it.started = tf_iso_s(started, rollout_at[0] + 6);
        }
        sb_s(&b, "        ");
        item_json(&b, &it);
        sb_s(&b, ",\n");
    }
    for (int n = 0; n < 3; n++) {
        struct item p = { "kube-system", proxy[n], NULL, nodes[n].ip, "kube-proxy", "DaemonSet",
                          "kube-proxy", "kube-proxy", "kube-proxy",
                          "602401143452.dkr.ecr." REGION ".amazonaws.com/eks/kube-proxy:"
                          "v1.30.3-minimal-eksbuild.5", NULL, "2026-10-02T08:14:58Z",
                          "{\"privileged\":true}", TOKEN_MOUNT, TOKEN_VOL, NULL, n, 1 };
        struct item c = p;

        rng_uuid(uid[n][0]);
        rng_uuid(uid[n][1]);
        p.uid = uid[n][0];
        c.name = cni[n];
        c.uid = uid[n][1];
        c.sa = "aws-node";
        c.owner = c.app = c.container = "aws-node";
        c.image = "602401143452.dkr.ecr." REGION ".amazonaws.com/amazon-k8s-cni:v1.18.3-eksbuild.3";
        c.security = "{\"capabilities\":{\"add\":[\"NET_ADMIN\",\"NET_RAW\"]}}";
        sb_s(&b, "        ");
        item_json(&b, &p);
        sb_s(&b, ",\n        ");
        item_json(&b, &c);
        sb_s(&b, n == 2 ? "\n" : ",\n");
    }
    sb_s(&b, "    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": "
             "\"\"\n    }\n}\n");
    out_file("k8s/kubectl-get-pods-A.json", b.p, b.n);
    snprintf(notes[wp_note(at(15, 5, 0), 13, "k8s-inventory",
                           "inventory: the wordpress pod runs privileged with the hostPath "
                           "/var/run/docker.sock; data-fetcher runs with FLASK_DEBUG=1 and the "
                           "IRSA role " ROLE_ARN)].where,
             sizeof notes[0].where, "k8s/kubectl-get-pods-A.json");
    free(b.p);
}

static void write_service_accounts(void)
{
    static const char *const sas[][3] = {
        { "blog", "default", NULL },
        { "blog", "wordpress", NULL },
        { "blog", "data-fetcher", ROLE_ARN },
        { "blog", "newsletter", NULL },
        { "kube-system", "aws-node", "arn:aws:iam::" ACCT ":role/eks-vpc-cni-role" },
        { "kube-system", "coredns", NULL },
        { "kube-system", "kube-proxy", NULL },
    };
    struct sb b = { 0 };
    size_t n = sizeof sas / sizeof sas[0];

    sb_s(&b, "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
    for (size_t i = 0; i < n; i++) {
        char uid[37];

        rng_uuid(uid);
        sb_s(&b, "        {\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{");
        if (sas[i][2])
            sb_f(&b, "\"annotations\":{\"eks.amazonaws.com/role-arn\":\"%s\"},", sas[i][2]);
        sb_f(&b, "\"creationTimestamp\":\"2026-10-02T08:%02zu:11Z\",\"name\":\"%s\","
                 "\"namespace\":\"%s\",\"uid\":\"%s\"}}%s\n",
             10 + i, sas[i][1], sas[i][0], uid, i + 1 < n ? "," : "");
    }
    sb_s(&b, "    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": "
             "\"\"\n    }\n}\n");
    out_file("k8s/kubectl-get-serviceaccounts-A.json", b.p, b.n);
    free(b.p);
}

void write_inventory(void)
{
    write_pods();
    write_service_accounts();
}
