/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - wordpress OUTDIR [--scale N] [--seed S]: the evidence of the "WordPress on
 * Kubernetes to S3 theft" story. Builds the world's users, runs the attack and the benign
 * background into per-plane record lists, then writes every plane and the notes. The same
 * arguments give the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "world.h"

static void usage(void)
{
    fputs("usage: wordpress OUTDIR [--scale N] [--seed S]\n"
          "  Writes the evidence of the WordPress-on-Kubernetes-to-S3 story into OUTDIR:\n"
          "  CloudTrail, Kubernetes audit, VPC flow logs, the pod's Apache log, Falco alerts,\n"
          "  the node's /var/lib/docker, kubectl inventories, and expected.json (the answer\n"
          "  key). --scale multiplies\n"
          "  the benign background (default 1: a few thousand records, under 5 MB).\n"
          "  Files left in OUTDIR by a run with other arguments are not removed.\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    char *end;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            g_scale = strtod(argv[++i], &end);
            if (*end || !(g_scale > 0.0 && g_scale <= 1000.0))
                die("--scale wants a number in (0, 1000], not '%s'", argv[i]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            errno = 0;
            g_seed = strtoull(argv[++i], &end, 0);
            if (*end || errno)
                die("--seed wants an integer, not '%s'", argv[i]);
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
        } else if (argv[i][0] == '-' || g_out) {
            usage();
        } else {
            g_out = argv[i];
        }
    }
    if (!g_out)
        usage();
    out_init("wordpress", g_out);
    g_day = tf_days(DAY_Y, DAY_M, DAY_D) * 86400;
    rng_seed(g_seed);

    /* identities that do not depend on the background */
    snprintf(u_anon, sizeof u_anon,
             "{\"username\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]}");
    snprintf(u_kcm, sizeof u_kcm, "{\"username\":\"system:kube-controller-manager\","
             "\"groups\":[\"system:authenticated\"]}");
    snprintf(u_sched, sizeof u_sched, "{\"username\":\"system:kube-scheduler\","
             "\"groups\":[\"system:authenticated\"]}");
    snprintf(u_rs, sizeof u_rs,
             "{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\","
             "\"uid\":\"0d6c2f9a-7e14-4b3c-a5d8-6f2e9b1c7a40\",\"groups\":["
             "\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\","
             "\"system:authenticated\"]}");
    snprintf(u_admin, sizeof u_admin,
             "{\"username\":\"kubernetes-admin\",\"uid\":\"aws-iam-authenticator:" ACCT
             ":AIDAUDJ4K7M2E5F6G7H8J\",\"groups\":[\"system:authenticated\"],\"extra\":{"
             "\"accessKeyId\":[\"AKIAUDJ4K7M2N3X5B7QZ\"],\"arn\":[\"arn:aws:iam::" ACCT
             ":user/alice.martin\"],\"canonicalArn\":[\"arn:aws:iam::" ACCT
             ":user/alice.martin\"],\"principalId\":[\"AIDAUDJ4K7M2E5F6G7H8J\"],"
             "\"sessionName\":[\"\"],\"sigs.k8s.io/aws-iam-authenticator/principalId\":["
             "\"AIDAUDJ4K7M2E5F6G7H8J\"]}}");
    sa_user(u_sa_dns[0], sizeof u_sa_dns[0], "kube-system", "coredns", &pods[P_DNS1]);
    sa_user(u_sa_dns[1], sizeof u_sa_dns[1], "kube-system", "coredns", &pods[P_DNS2]);
    for (int i = 0; i < 3; i++) {
        static const char *const proxy[3] = { "kube-proxy-7xk2d", "kube-proxy-q9v4m",
                                              "kube-proxy-z6h8p" };
        static const char *const cni[3] = { "aws-node-4rw9j", "aws-node-k2p7x",
                                            "aws-node-t8m3c" };
        struct pod p = { "kube-system", proxy[i], nodes[i].ip,
                         "6e8a0c2e-4b6d-4f8a-9c1e-3d5f7b9d1f2a", i };

        sa_user(u_sa_proxy[i], sizeof u_sa_proxy[i], "kube-system", "kube-proxy", &p);
        p.name = cni[i];
        sa_user(u_sa_cni[i], sizeof u_sa_cni[i], "kube-system", "aws-node", &p);
    }

    /* node sessions first (the attack uses the node's key), then the attack, then the rest */
    bg_nodes();
    attack();
    bg_users();
    bg_ci();
    bg_fetcher();
    bg_k8s();
    bg_vpc();

    write_cloudtrail();
    write_k8s();
    write_vpc();
    /* the host planes draw after the cloud planes are written, so those keep their bytes */
    gen_web();
    gen_falco();
    write_web();
    write_falco();
    write_docker();
    write_inventory();
    write_expected();
    write_notes();
    write_readme();
    printf("wordpress: %zu CloudTrail records in %zu files, %zu audit lines, %zu flow records "
           "in %zu files, %zu access log lines, %zu Falco alerts -> %s\n",
           g_ct.n, ct_files, k8s_lines[0] + k8s_lines[1], g_vpc.n, vpc_files, g_web.n,
           g_falco[0].n + g_falco[1].n + g_falco[2].n, g_out);
    recs_free(&g_ct);
    recs_free(&g_k8s);
    recs_free(&g_vpc);
    recs_free(&g_web);
    for (int i = 0; i < 3; i++)
        recs_free(&g_falco[i]);
    free(visits);
    return 0;
}

