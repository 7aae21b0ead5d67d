/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bg-cloud.c - the WordPress story's benign AWS day: IAM users (aws-cli, console), the
 * GitHub Actions deployments, the data-fetcher app's Boto3 reads, the node and EKS roles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "timefmt.h"
#include "world.h"

static const char *const alice_calls[][3] = {
    { "ec2.amazonaws.com", "DescribeInstances", "ec2.describe-instances" },
    { "ec2.amazonaws.com", "DescribeSecurityGroups", "ec2.describe-security-groups" },
    { "ec2.amazonaws.com", "DescribeVpcs", "ec2.describe-vpcs" },
    { "eks.amazonaws.com", "DescribeCluster", "eks.describe-cluster" },
    { "eks.amazonaws.com", "ListClusters", "eks.list-clusters" },
    { "iam.amazonaws.com", "ListRoles", "iam.list-roles" },
    { "iam.amazonaws.com", "GetRole", "iam.get-role" },
    { "monitoring.amazonaws.com", "GetMetricData", "cloudwatch.get-metric-data" },
    { "logs.amazonaws.com", "FilterLogEvents", "logs.filter-log-events" },
    { "rds.amazonaws.com", "DescribeDBInstances", "rds.describe-db-instances" },
    { "lambda.amazonaws.com", "ListFunctions20150331", "lambda.list-functions" },
    { "ecr.amazonaws.com", "DescribeRepositories", "ecr.describe-repositories" },
};

static const char *alice_req(const char *name)
{
    if (strcmp(name, "DescribeInstances") == 0)
        return "{\"instancesSet\":{},\"filterSet\":{\"items\":[{\"name\":"
               "\"tag:eks:cluster-name\",\"valueSet\":{\"items\":[{\"value\":\"" CLUSTER
               "\"}]}}]}}";
    if (strcmp(name, "DescribeCluster") == 0)
        return "{\"name\":\"" CLUSTER "\"}";
    if (strcmp(name, "GetRole") == 0)
        return "{\"roleName\":\"" ROLE_S3 "\"}";
    if (strcmp(name, "GetMetricData") == 0)
        return "{\"metricDataQueries\":[{\"id\":\"cpu\",\"metricStat\":{\"metric\":{"
               "\"namespace\":\"ContainerInsights\",\"metricName\":\"node_cpu_utilization\","
               "\"dimensions\":[{\"name\":\"ClusterName\",\"value\":\"" CLUSTER "\"}]},"
               "\"period\":300,\"stat\":\"Average\"}}],\"startTime\":\"Oct 14, 2026, 6:00:00 "
               "AM\",\"endTime\":\"Oct 14, 2026, 12:00:00 PM\"}";
    if (strcmp(name, "FilterLogEvents") == 0)
        return "{\"logGroupName\":\"/aws/eks/" CLUSTER "/cluster\",\"filterPattern\":"
               "\"\\\"level\\\":\\\"error\\\"\",\"startTime\":1792051200000}";
    return NULL;
}

void bg_users(void)
{
    char ident[800], ua[400], akid[21];
    struct ct c = { 0 };
    size_t n_calls = sizeof alice_calls / sizeof alice_calls[0];

    /* alice: IAM user with an access key, aws-cli from the office */
    ident_user(ident, sizeof ident, "alice.martin", "AIDAUDJ4K7M2E5F6G7H8J",
               "AKIAUDJ4K7M2N3X5B7QZ", 0);
    EVERY(t, at(8, 40, 0), at(17, 50, 0), 900) {
        int burst = (int)rng_range(3, 8);

        for (int i = 0; i < burst; i++) {
            size_t k = rng_n(n_calls);
            int64_t ti = t + i * rng_range(1, 25);

            snprintf(ua, sizeof ua, UA_ALICE "%s", alice_calls[k][2]);
            if (rng_n(40) == 0)
                ct_call(ti, ident, alice_calls[k][0], alice_calls[k][1], "192.0.2.10", ua,
                        alice_req(alice_calls[k][1]), NULL, 1,
                        strcmp(alice_calls[k][0], "ec2.amazonaws.com") == 0
                            ? "Client.UnauthorizedOperation" : "AccessDenied",
                        "You are not authorized to perform this operation.");
            else
                ct_call(ti, ident, alice_calls[k][0], alice_calls[k][1], "192.0.2.10", ua,
                        alice_req(alice_calls[k][1]), NULL, 1, NULL, NULL);
        }
    }
    /* bob: console sign-in, then console reads */
    for (int session = 0; session < 2; session++) {
        int64_t t0 = session ? at(15, 2, 41) : at(10, 12, 7);

        tmpkey(akid);
        ident_user(ident, sizeof ident, "bob.chen", "AIDAUDJ4K7M2C9V4M6TY", "", 0);
        memset(&c, 0, sizeof c);
        c.t = t0;
        c.ident = ident;
        c.src = "signin.amazonaws.com";
        c.name = "ConsoleLogin";
        c.ip = "192.0.2.11";
        c.ua = UA_CHROME;
        c.resp = "{\"ConsoleLogin\":\"Success\"}";
        c.aed = "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%23&"
                "isauthcode=true&state=hashArgsFromTB_us-east-1_4c1f0e2b7a9d3e58\","
                "\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::" ACCT
                ":mfa/bob.chen-phone\",\"MFAUsed\":\"Yes\"}";
        c.etype = "AwsConsoleSignIn";
        c.no_reqid = 1;
        c.host = "signin.aws.amazon.com";
        c.note = -1;
        ct_emit(&c);
        ident_user(ident, sizeof ident, "bob.chen", "AIDAUDJ4K7M2C9V4M6TY", akid, t0);
        EVERY(t, t0 + 20, t0 + 3600, 150) {
            static const char *const calls[][2] = {
                { "ec2.amazonaws.com", "DescribeInstances" },
                { "ec2.amazonaws.com", "DescribeInstanceStatus" },
                { "eks.amazonaws.com", "ListNodegroups" },
                { "s3.amazonaws.com", "ListBuckets" },
                { "monitoring.amazonaws.com", "DescribeAlarms" },
                { "ce.amazonaws.com", "GetCostAndUsage" },
            };
            size_t k = rng_n(6);

            if (k == 3) {
                ct_s3(t, ident, "ListBuckets", NULL, NULL, "192.0.2.11", "AWS Internal", 0, NULL,
                      0, -1);
                continue;
            }
            memset(&c, 0, sizeof c);
            c.t = t;
            c.ident = ident;
            c.src = calls[k][0];
            c.name = calls[k][1];
            c.ip = "192.0.2.11";
            c.ua = rng_n(2) ? "AWS Internal" : UA_CHROME;
            c.req = k == 2 ? "{\"clusterName\":\"" CLUSTER "\"}" : NULL;
            c.ro = 1;
            c.extra = "\"sessionCredentialFromConsole\":\"true\"";
            c.host = k == 5 ? "ce.us-east-1.amazonaws.com" : "console.aws.amazon.com";
            c.note = -1;
            ct_emit(&c);
        }
    }
}

/* Two deployments from GitHub Actions: STS, ECR push, EKS, then the rollout in Kubernetes. */
void bg_ci(void)
{
    static const int64_t when[2][3] = { { 9, 41, 7 }, { 16, 12, 40 } };

    for (int d = 0; d < 2; d++) {
        int64_t t = at((int)when[d][0], (int)when[d][1], (int)when[d][2]);
        const char *ip = d ? "198.51.100.147" : "198.51.100.142";
        char ident[1400], session[32], req[400], obj[300], obj_rr[300], uri[300], body[700];
        char name[64];
        char digest[65];
        struct sess s;
        struct kreq k;
        struct conv v;

        snprintf(session, sizeof session, "GitHubActions");
        ct_web_identity(t, ROLE_CI, ROLEID_CI, GH_ARN, GH_SUB, &s, session, ip, UA_GHA, -1);
        ident_role(ident, sizeof ident, ROLE_CI, ROLEID_CI, &s, GH_ARN, NULL, NULL);
        ct_call(t + 3, ident, "ecr.amazonaws.com", "GetAuthorizationToken", ip,
                "aws-cli/2.18.0 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1014-azure "
                "md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHubActions "
                "cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off "
                "md/command#ecr.get-login-password",
                "{\"registryIds\":[\"" ACCT "\"]}", NULL, 1, NULL, NULL);
        rng_chars(digest, 64, RNG_HEX);
        snprintf(req, sizeof req,
                 "{\"repositoryName\":\"blog/newsletter\",\"registryId\":\"" ACCT "\","
                 "\"layerDigests\":[\"sha256:%s\"]}", digest);
        ct_call(t + 9, ident, "ecr.amazonaws.com", "BatchCheckLayerAvailability", ip, UA_DOCKER,
                req, NULL, 1, NULL, NULL);
        for (int i = 0; i < 3; i++)
            ct_call(t + 10 + i * 4, ident, "ecr.amazonaws.com",
                    i == 0 ? "InitiateLayerUpload" : i == 1 ? "UploadLayerPart"
                                                            : "CompleteLayerUpload",
                    ip, UA_DOCKER,
                    "{\"repositoryName\":\"blog/newsletter\",\"registryId\":\"" ACCT "\"}",
                    NULL, 0, NULL, NULL);
        snprintf(req, sizeof req,
                 "{\"repositoryName\":\"blog/newsletter\",\"registryId\":\"" ACCT "\","
                 "\"imageTag\":\"%s\"}", d ? "v2.14.1" : "v2.14.0");
        ct_call(t + 24, ident, "ecr.amazonaws.com", "PutImage", ip, UA_DOCKER, req, NULL, 0,
                NULL, NULL);
        ct_call(t + 31, ident, "eks.amazonaws.com", "DescribeCluster", ip,
                "aws-cli/2.18.0 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1014-azure "
                "md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHubActions "
                "md/command#eks.update-kubeconfig",
                "{\"name\":\"" CLUSTER "\"}", NULL, 1, NULL, NULL);
        /* the rollout */
        snprintf(u_ci, sizeof u_ci,
                 "{\"username\":\"arn:aws:sts::" ACCT ":assumed-role/" ROLE_CI "/%s\","
                 "\"uid\":\"aws-iam-authenticator:" ACCT ":" ROLEID_CI "\",\"groups\":["
                 "\"deployers\",\"system:authenticated\"],\"extra\":{\"accessKeyId\":[\"%s\"],"
                 "\"arn\":[\"arn:aws:sts::" ACCT ":assumed-role/" ROLE_CI "/%s\"],"
                 "\"canonicalArn\":[\"arn:aws:iam::" ACCT ":role/" ROLE_CI "\"],"
                 "\"principalId\":[\"" ROLEID_CI "\"],\"sessionName\":[\"%s\"]}}",
                 s.name, s.akid, s.name, s.name);
        KREQ_INIT(k);
        k.t = (t + 36) * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 21000 + (int64_t)rng_n(9000);
        k.level = "Request";
        k.verb = "patch";
        k.uri = "/apis/apps/v1/namespaces/blog/deployments/newsletter?fieldManager=kubectl-set";
        k.user = u_ci;
        k.ip = ip;
        k.ua = "kubectl/v1.31.1 (linux/amd64) kubernetes/948afe5";
        k.obj = objref(obj, sizeof obj, "deployments", "blog", "newsletter", "apps", NULL);
        k.code = 200;
        k.decision = "allow";
        k.reason = "EKS Access Policy: allowed by ClusterRoleBinding \"arn:aws:iam::" ACCT
                   ":role/" ROLE_CI "+arn:aws:eks::aws:cluster-access-policy/"
                   "AmazonEKSEditPolicy\" of ClusterRole \"arn:aws:eks::aws:"
                   "cluster-access-policy/AmazonEKSEditPolicy\" to User \"arn:aws:sts::" ACCT
                   ":assumed-role/" ROLE_CI "/GitHubActions\"";
        snprintf(body, sizeof body,
                 "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"newsletter\","
                 "\"image\":\"" ACCT ".dkr.ecr.us-east-1.amazonaws.com/blog/newsletter:%s\"}]}}}}",
                 d ? "v2.14.1" : "v2.14.0");
        k.reqobj = body;
        k.note = -1;
        k8s_emit(&k);
        /* replicaset controller, scheduler, kubelet */
        KREQ_INIT(k);
        k.t = (t + 37) * 1000000 + (int64_t)rng_n(1000000);
        k.dur = 11000 + (int64_t)rng_n(5000);
        k.level = "Request";
        k.verb = "create";
        k.uri = "/api/v1/namespaces/blog/pods";
        k.user = u_rs;
        k.ip = cp_ips[d];
        k.ua = "kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/a737599/"
               "system:serviceaccount:kube-system:replicaset-controller";
        /* one draw per statement: argument evaluation order is unspecified */
        memcpy(name, "newsletter-5f8b9c7d6-", 21);
        rng_chars(name + 21, 5, "bcdfghjklmnpqrstvwxz2456789");
        snprintf(rollout_pods[d], sizeof rollout_pods[d], "%s", name);
        rollout_at[d] = t + 37;
        k.obj = objref(obj, sizeof obj, "pods", "blog", name, NULL, NULL);
        k.obj_rr = objref(obj_rr, sizeof obj_rr, "pods", "blog", NULL, NULL, NULL);
        k.code = 201;
        k.decision = "allow";
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:controller:replicaset-"
                   "controller\" of ClusterRole \"system:controller:replicaset-controller\" to "
                   "ServiceAccount \"replicaset-controller/kube-system\"";
        k.more_ann = "\"pod-security.kubernetes.io/enforce-policy\":\"baseline:latest\"";
        k.note = -1;
        k8s_emit(&k);
        k.t += 40000 + (int64_t)rng_n(20000);
        k.dur = 3000 + (int64_t)rng_n(3000);
        k.user = u_sched;
        k.ua = "kube-scheduler/v1.30.4 (linux/amd64) kubernetes/a737599/scheduler";
        snprintf(uri, sizeof uri, "/api/v1/namespaces/blog/pods/%s/binding", name);
        k.uri = uri;
        k.level = "Metadata";
        k.more_ann = NULL;
        k.obj_rr = NULL;
        k.reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of "
                   "ClusterRole \"system:kube-scheduler\" to User \"system:kube-scheduler\"";
        k.obj = objref(obj, sizeof obj, "pods", "blog", name, NULL, "binding");
        k8s_emit(&k);
        /* image pull from ECR through the NAT gateway */
        CONV_INIT(v);
        v.t = t + 39;
        v.dur = 14;
        v.c = nodes[2].ip;
        v.cport = eport();
        v.s = "52.46.135.18";
        v.sport = 443;
        v.proto = 6;
        v.up = 21000;
        v.down = 48000000 + rng_n(3000000);
        v.ssvc = "AMAZON";
        v.note = -1;
        flow(&v);
    }
}

/* The data-fetcher app: Boto3 with IRSA, reading client records all day. */
void bg_fetcher(void)
{
    struct sess s;
    char ident[1400], key[128], sess_name[64];
    int64_t refresh = g_day + 95 + (int64_t)rng_n(600);
    int64_t t = g_day + 30;
    int have = 0;
    struct conv v;

    while (t < g_day + 86400) {
        if (!have || t >= refresh) {
            snprintf(sess_name, sizeof sess_name, "botocore-session-%lld", (long long)t - 3);
            ct_web_identity(t, ROLE_S3, ROLEID_S3, OIDC_ARN, FETCHER_SA, &s, sess_name, NAT_EIP,
                            UA_BOTO, -1);
            ident_role(ident, sizeof ident, ROLE_S3, ROLEID_S3, &s, OIDC_ARN, NULL, NULL);
            refresh = t + 2700 + (int64_t)rng_n(300);
            have = 1;
            CONV_INIT(v);
            v.t = t - 1;
            v.dur = 1;
            v.c = pods[P_FETCH].ip;
            v.cport = eport();
            v.s = "209.54.180.124";
            v.sport = 443;
            v.proto = 6;
            v.up = 2300;
            v.down = 5600;
            v.ssvc = "AMAZON";
            v.note = -1;
            flow(&v);
        }
        {
            struct tf_ymd a = tf_split(t);
            uint64_t size = 18000 + rng_n(240000);
            int hour = (int)a.h;

            if (hour >= 6 && hour < 22) {
                if (rng_n(8) == 0)
                    ct_s3(t, ident, "ListObjects", NULL,
                          "\"list-type\":\"2\",\"prefix\":\"incoming/\",", NAT_EIP, UA_BOTO,
                          1200 + rng_n(3000), NULL, 1, -1);
                snprintf(key, sizeof key, "incoming/batch-%04d%02u%02u-%02u%02u.json", a.y, a.mo,
                         a.d, a.h, a.mi / 5 * 5);
                ct_s3(t + 1, ident, "GetObject", key, NULL, NAT_EIP, UA_BOTO, size, NULL, 1, -1);
                ct_kms_for_s3(t + 1, ROLE_S3, ROLEID_S3, &s, key, -1);
                CONV_INIT(v);
                v.t = t;
                v.dur = 1 + (int64_t)rng_n(2);
                v.c = pods[P_FETCH].ip;
                v.cport = eport();
                v.s = rng_n(2) ? "52.216.177.90" : "52.217.96.14";
                v.sport = 443;
                v.proto = 6;
                v.up = 1800 + rng_n(400);
                v.down = size;
                v.ssvc = "S3";
                v.note = -1;
                flow(&v);
            }
        }
        t += (int64_t)(300 / g_scale * (0.7 + 0.6 * rng_f())) + 1;
    }
}

/* Nodes: instance-profile sessions, the VPC CNI, the EKS service role. */
void bg_nodes(void)
{
    struct sess s;
    char ident[1400];

    for (int i = 0; i < 3; i++) {
        for (int slot = 0; slot < 4; slot++) {
            int64_t t = g_day + slot * 6 * 3600 - 300 + (int64_t)rng_n(200);

            ct_service_assume(t < g_day ? g_day + 7 : t, "ec2.amazonaws.com", ROLE_NODE,
                              nodes[i].inst, &s);
            memcpy(node_keys[i][slot], s.akid, sizeof s.akid);
            ident_role(ident, sizeof ident, ROLE_NODE, ROLEID_NODE, &s, NULL, "2.0", NULL);
            EVERY(tt, s.created + 60, s.created + 6 * 3600, 3600) {
                char req[200];

                snprintf(req, sizeof req,
                         "{\"networkInterfaceIdSet\":{},\"filterSet\":{\"items\":[{\"name\":"
                         "\"attachment.instance-id\",\"valueSet\":{\"items\":[{\"value\":"
                         "\"%s\"}]}}]}}", nodes[i].inst);
                ct_call(tt, ident, "ec2.amazonaws.com", "DescribeNetworkInterfaces",
                        nodes[i].ip, UA_CNI, req, NULL, 1, NULL, NULL);
            }
            ct_call(s.created + 40, ident, "ecr.amazonaws.com", "GetAuthorizationToken", NAT_EIP,
                    "aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22.6 md/GOOS#linux "
                    "md/GOARCH#amd64 api/ecr#1.32.2 ecr-credential-provider",
                    NULL, NULL, 1, NULL, NULL);
        }
    }
    for (int h = 0; h < 24; h++) {
        int64_t t = at(h, 7, 0) + (int64_t)rng_n(300);

        ct_service_assume(t, "eks.amazonaws.com", ROLE_CLUSTER, "AmazonEKS", &s);
        ident_role(ident, sizeof ident, ROLE_CLUSTER, ROLEID_CLUSTER, &s, NULL, NULL,
                   "eks.amazonaws.com");
        EVERY(tt, t + 30, t + 3600, 1200)
            ct_call(tt, ident, "ec2.amazonaws.com",
                    rng_n(2) ? "DescribeNetworkInterfaces" : "DescribeSubnets", "eks.amazonaws.com",
                    "eks.amazonaws.com", NULL, NULL, 1, NULL, NULL);
    }
}

