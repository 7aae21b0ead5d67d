/* SPDX-License-Identifier: Apache-2.0 */
/*
 * expected.c - the answer key of the WordPress story (OUTDIR/expected.json, schema in
 * docs/internals/STORIES.md): attacker, compromised identities and workloads, for each of
 * the five questions the ATT&CK techniques and the artifacts a correct answer cites, and
 * the format of every evidence file.
 */
#include <stdio.h>
#include <stdlib.h>

#include "out.h"
#include "sb.h"
#include "world.h"

#define ROLE_ARN "arn:aws:iam::" ACCT ":role/" ROLE_S3
#define BD_SHORT "f3a91c7e2b5d"

static const char key[] =
    "{\n"
    "  \"story\": \"wordpress\",\n"
    "  \"title\": \"WordPress on Kubernetes to S3 theft\",\n"
    "  \"attacker_ips\": [\"" ATTACKER "\"],\n"
    "  \"compromised\": {\n"
    "    \"identities\": [\"www-data\", \"system:node:ip-10-0-1-23.ec2.internal\",\n"
    "                   \"" FETCHER_SA "\", \"" ROLE_ARN "\"],\n"
    "    \"workloads\": [\"wordpress-7d9f8b6c5d-x4k2p\", \"ip-10-0-1-23.ec2.internal\",\n"
    "                  \"" BD_NAME "\", \"data-fetcher-6c8d7f9b4-q7w2m\"]\n"
    "  },\n"
    "  \"questions\": {\n"
    "    \"initial_access\": {\n"
    "      \"techniques\": [\"T1190\", \"T1078\", \"T1505.003\", \"T1059.004\"],\n"
    "      \"artifacts\": [\"" ATTACKER "\", \"/wp-login.php\",\n"
    "                    \"/wp-admin/update.php?action=upload-plugin\",\n"
    "                    \"" SHELL_PATH "\", \"wordpress-7d9f8b6c5d-x4k2p\"]\n"
    "    },\n"
    "    \"spread\": {\n"
    "      \"techniques\": [\"T1611\", \"T1078.004\", \"T1210\", \"T1528\"],\n"
    "      \"artifacts\": [\"ip-10-0-1-23.ec2.internal\",\n"
    "                    \"system:node:ip-10-0-1-23.ec2.internal\", \"legit-stuff\",\n"
    "                    \"data-fetcher-6c8d7f9b4-q7w2m\", \"" FETCHER_SA "\",\n"
    "                    \"" ROLE_ARN "\"]\n"
    "    },\n"
    "    \"persistence\": {\n"
    "      \"techniques\": [\"T1610\", \"T1543.005\"],\n"
    "      \"artifacts\": [\"/var/run/docker.sock\", \"" BD_NAME "\", \"" BD_SHORT "\",\n"
    "                    \"" BD_PATH "\"]\n"
    "    },\n"
    "    \"impact\": {\n"
    "      \"techniques\": [\"T1530\", \"T1041\"],\n"
    "      \"artifacts\": [\"" BUCKET "\", \"" OBJ1 "\", \"" OBJ2 "\",\n"
    "                    \"" ROLE_ARN "\"]\n"
    "    },\n"
    "    \"prevention\": {\n"
    "      \"keywords\": [\"privileged\", \"docker.sock\", \"wp-admin\", \"plugin\",\n"
    "                   \"debug\", \"" ROLE_S3 "\"]\n"
    "    }\n"
    "  },\n"
    "  \"sources\": {\n"
    "    \"AWSLogs/" ACCT "/CloudTrail/" REGION "/*/*/*/*.json.gz\": \"aws-cloudtrail\",\n"
    "    \"AWSLogs/" ACCT "/CloudTrail-Digest/" REGION "/*/*/*/*.json.gz\": "
    "\"aws-cloudtrail-digest\",\n"
    "    \"AWSLogs/" ACCT "/vpcflowlogs/" REGION "/*/*/*/*.log.gz\": \"aws-vpcflow\",\n"
    "    \"k8s/kube-apiserver-audit*.log*\": \"k8s-audit\",\n"
    "    \"k8s/kubectl-get-*.json\": \"k8s-inventory\",\n"
    "    \"" WP_LOG_DIR "/access.log*\": \"apache-access\",\n"
    "    \"nodes/*/var/log/falco/events.json\": \"falco\",\n"
    "    \"" NODE0_DIR "/var/lib/docker\": \"docker-root\"\n"
    "  }\n"
    "}\n";

void write_expected(void)
{
    out_meta_file("expected.json", key, sizeof key - 1);
}
