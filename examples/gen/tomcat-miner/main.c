/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - tomcat-miner OUTDIR [--scale N] [--seed S]: the evidence of the "Tomcat manager
 * to cryptominer (Kubernetes)" story (DESIGN.md section 1, second story), its README.txt,
 * attack-notes.txt (each step, its time, the file and line/offset that records it) and the
 * answer key expected.json. Same arguments, same bytes.
 */
#include "tm.h"

#include <string.h>

#include "args.h"

int64_t day0;
int scale = 1;

int64_t at(int sec)
{
    return day0 + (int64_t)sec * NS;
}

int64_t jitter_ms(int64_t t)
{
    return t + rng_range(0, 999) * 1000000LL;
}

static void write_notes(void)
{
    note_at(at(T_MINER), DOCKER_ROOT "/overlay2/" MOUNT_ID "/diff/tmp/",
            "files left in the container's upper layer: /tmp/zzz, /tmp/kinsing, /tmp/kdevtmpfsi"
            " (see node-snapshot/docker-diff-" CID12 ".txt)");
    note_at(at(T_SNAP), "node-snapshot/",
            "RESPONSE: node snapshot (docker ps, docker diff, /var/lib/docker of the container)");
    notes_write("attack-notes.txt",
                "tomcat-miner: the attack, step by step (UTC), and where each step is "
                "recorded.\n"
                "Lines are 1-based; offsets are the byte offset of the line's first byte.\n"
                "Steps marked RESPONSE/CONTAINMENT are the responders'; BENIGN marks "
                "look-alikes.\n\n");
}

static const char readme[] =
    "tomcat-miner - Tomcat manager to cryptominer (Kubernetes)\n"
    "==========================================================\n\n"
    "One day (2026-10-20, UTC) of a small EKS-style cluster '" CLUSTER "' (eu-west-1). The\n"
    "shop's Tomcat deployment '" DEPLOY "' (namespace " NSP ", Service of type LoadBalancer with\n"
    "externalTrafficPolicy: Local, so Tomcat sees client addresses) exposes the Tomcat manager\n"
    "with a weak password. At 10:58 " ATTACKER " guesses it, uploads x.war (a JSP web shell)\n"
    "and runs a kinsing-style dropper: /tmp/zzz fetches /tmp/kinsing and the miner\n"
    "/tmp/kdevtmpfsi from " DROPPER "; the miner connects to " POOL_URL ".\n"
    "Falco fires; Prometheus shows the pod above 2 GB; responders exec into the pod, relabel\n"
    "it out of its deployment, isolate it with a deny-all NetworkPolicy, cordon the node and\n"
    "snapshot it.\n\n"
    "World\n"
    "  pod            " POD " (" POD_IP ") on node " NODE " (" NODE_IP ")\n"
    "  other replica  " POD2 " (" POD2_IP ") on " NODE_A "\n"
    "  replacement    " POD3 " (" POD3_IP ") on " NODE_B ", created after the relabel\n"
    "  container      " CID "\n"
    "  upper layer    overlay2/" MOUNT_ID "\n"
    "  image          " IMAGE "\n"
    "  attacker       " ATTACKER " (manager login, web shell), " DROPPER " (payloads),\n"
    "                 " POOL_IP ":3333 (mining pool)\n"
    "  responder      " RESPONDER "\n\n"
    "Files\n"
    "  k8s/kube-apiserver-audit.log      kube-apiserver audit (audit.k8s.io/v1 JSON lines;\n"
    "                                    the policy omits RequestReceived)\n"
    "  k8s/pod-" POD ".json\n"
    "                                    kubectl get pod -o json, taken before the relabel\n"
    "  falco/falco-events.json           Falco json_output of the three nodes, concatenated\n"
    "  prometheus/container_memory_working_set_bytes.json\n"
    "                                    Prometheus /api/v1/query_range export, step 60 s\n"
    "  node-snapshot/docker-ps.txt       docker ps on the node\n"
    "  node-snapshot/docker-diff-" CID12 ".txt   docker diff of the tomcat container\n"
    "  node-snapshot/" NODE "/var/lib/docker/\n"
    "      containers/<id>/config.v2.json, hostconfig.json, <id>-json.log (catalina and app\n"
    "          log on stdout/stderr, json-file driver)\n"
    "      image/overlay2/layerdb/mounts/<id>/{mount-id,init-id,parent}, repositories.json\n"
    "      overlay2/<mount-id>/{link,lower,diff/} - the container's upper layer:\n"
    "          diff/tmp/{zzz,kinsing,kdevtmpfsi}     dropper script and ELF blobs (fixed bytes;\n"
    "                                                not real malware: an ELF header and noise\n"
    "                                                with the strings an analyst would find)\n"
    "          diff/usr/local/tomcat/webapps/x.war   the uploaded war (a real zip) + exploded x/\n"
    "          diff/usr/local/tomcat/logs/localhost_access_log.2026-10-20.txt\n"
    "                                                Tomcat AccessLogValve, pattern\n"
    "                                                '%h %l %u %t \"%r\" %s %b'\n"
    "      (image layers, overlay2/l/ symlinks and empty work/ folders are not included)\n"
    "  attack-notes.txt                  each step, its time, and the record that shows it\n"
    "  expected.json                     the answer key\n\n"
    "Benign background: kube-probe health checks every 10/20 s, shop customers, internet\n"
    "scanners (404s), a CI deploy of /reports through the manager text API by user deployer\n"
    "from 10.42.0.15 (a legitimate use of the same manager), kubelet status patches,\n"
    "Prometheus lists, an hourly report CronJob (and its Falco 'Contact K8S API Server' alert),\n"
    "a cache-warmer job whose curl trips the same Falco rule as the attacker's, two Argo CD\n"
    "rollouts of the cart deployment, a developer reading pods and logs.\n";

static const char expected[] =
    "{\n"
    "  \"story\": \"tomcat-miner\",\n"
    "  \"title\": \"Tomcat manager to cryptominer (Kubernetes)\",\n"
    "  \"attacker_ips\": [\"" ATTACKER "\", \"" DROPPER "\", \"" POOL_IP "\"],\n"
    "  \"compromised\": {\n"
    "    \"identities\": [\"" MGR_USER "\"],\n"
    "    \"workloads\": [\"" POD "\", \"" CID12 "\", \"kinsing\", \"kdevtmpfsi\"]\n"
    "  },\n"
    "  \"questions\": {\n"
    "    \"initial_access\": {\"techniques\": [\"T1110.001\", \"T1078\"],\n"
    "      \"artifacts\": [\"" ATTACKER "\", \"/manager/html/upload\", \"x.war\"]},\n"
    "    \"spread\": {\"techniques\": [\"T1059.004\", \"T1105\"],\n"
    "      \"artifacts\": [\"" POD "\", \"/tmp/zzz\", \"" DROPPER "\"]},\n"
    "    \"persistence\": {\"techniques\": [\"T1505.003\"],\n"
    "      \"artifacts\": [\"" WAR "\", \"" SHELL_URL "\"]},\n"
    "    \"impact\": {\"techniques\": [\"T1496\"],\n"
    "      \"artifacts\": [\"/tmp/kdevtmpfsi\", \"/tmp/kinsing\", \"" POOL_IP "\"]},\n"
    "    \"prevention\": {\"keywords\": [\"manager\", \"password\", \"NetworkPolicy\", "
    "\"egress\",\n"
    "      \"readOnlyRootFilesystem\"]}\n"
    "  },\n"
    "  \"sources\": {\n"
    "    \"k8s/kube-apiserver-audit.log\": \"k8s-audit\",\n"
    "    \"k8s/pod-*.json\": \"k8s-inventory\",\n"
    "    \"falco/falco-events.json\": \"falco\",\n"
    "    \"prometheus/*.json\": \"prometheus\",\n"
    "    \"node-snapshot/docker-ps.txt\": \"docker-ps\",\n"
    "    \"node-snapshot/docker-diff-*.txt\": \"docker-diff\",\n"
    "    \"node-snapshot/*/var/lib/docker/containers\": \"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/image\": \"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/overlay2/*/link\": \"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/overlay2/*/lower\": \"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/overlay2/*/diff/tmp\": \"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/overlay2/*/diff/usr/local/tomcat/webapps/x\": "
    "\"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/overlay2/*/diff/usr/local/tomcat/webapps/reports\": "
    "\"docker-root\",\n"
    "    \"node-snapshot/*/var/lib/docker/overlay2/*/diff/usr/local/tomcat/logs/"
    "localhost_access_log.*.txt\": \"tomcat-access\"\n"
    "  }\n"
    "}\n";

int main(int argc, char **argv)
{
    uint64_t seed;

    args_parse(argc, argv, "tomcat-miner", &scale, &seed);
    rng_seed(seed);
    day0 = tf_epoch(DAY, 0, 0, 0) * NS;
    gen_tomcat();
    gen_k8s();
    gen_falco();
    gen_node();
    write_notes();
    out_meta_file("README.txt", readme, strlen(readme));
    out_meta_file("expected.json", expected, strlen(expected));
    return 0;
}
