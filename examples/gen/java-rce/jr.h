/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jr.h - the world of the "Java RCE to fileless trojan (host)" story: three Linux hosts of
 * an orders API, their users, addresses, PIDs and the attack times every source agrees on,
 * plus the per-host log builders (audit.c: auditd records; hosts.c: what runs where;
 * zeek.c: the network sensor's conn.log).
 */
#ifndef JR_H
#define JR_H

#include <stdint.h>
#include <stdlib.h>

#include "gz.h"
#include "json.h"
#include "lines.h"
#include "notes.h"
#include "out.h"
#include "rng.h"
#include "sb.h"
#include "timefmt.h"

#define NS 1000000000LL
#define MS 1000000LL
#define PICK(arr) (arr)[rng_n(sizeof(arr) / sizeof((arr)[0]))]

#define DAY 2026, 10, 27
#define LB_IP "10.20.0.5"
#define BASTION_IP "10.20.0.10"
#define DNS_IP "10.20.0.2"
#define DB_IP "10.20.3.5"
#define MIRROR_IP "192.0.2.130" /* deb.debian.org as resolved in this world */

#define ATTACKER1 "198.51.100.190"
#define ATTACKER2 "198.51.100.191"
#define C2A "203.0.113.45"  /* api-1: dropper /t and C2 :8443 */
#define C2A2 "203.0.113.88" /* api-1: fallback C2 after the block */
#define C2B "203.0.113.61"  /* api-2: dropper /t2 and C2 :443 */
#define C2C "192.0.2.77"    /* worker-1: dropper /k and C2 :8080 */

#define APP_UID 998
#define APP_USER "orders"
#define JAVA_PID 1187  /* orders-api on api-1 before the restart */
#define JAVA_PID_NEW 23880 /* orders-api on api-1 and api-2 after the 08:30 restart */
#define APP_YML "/opt/orders-api/config/application.yml"

/* Attack times, seconds of the day (UTC). */
#define T_RECON (11 * 3600 + 40 * 60 + 2)
#define T_RCE1 (11 * 3600 + 41 * 60 + 37)
#define T_YML (11 * 3600 + 52 * 60 + 10)
#define T_CRON (11 * 3600 + 58 * 60 + 41)
#define T_DUMP (12 * 3600 + 1 * 60 + 5)
#define T_EXFIL (12 * 3600 + 5 * 60 + 30)
#define T_RCE2 (12 * 3600 + 37 * 60 + 14)
#define T_SSH (13 * 3600 + 12 * 60 + 8)
#define T_BLOCK (14 * 3600 + 5 * 60)     /* responders block C2A at the firewall */
#define T_FALLBACK (14 * 3600 + 20 * 60 + 33)

enum { H_API1, H_API2, H_WORKER, NHOSTS };

struct host {
    const char *name, *ip;
    unsigned serial;      /* auditd serial of the first event of the day */
    struct lines audit;   /* one entry per event (several records), see audit.c */
    struct lines auth;    /* /var/log/auth.log */
    struct lines app;     /* /var/log/orders-api/app.log (api hosts) */
    struct sb audit_out;  /* rendered audit.log */
};
extern struct host hosts[NHOSTS];

struct proc {
    int pid, ppid;
    unsigned uid, auid, ses; /* 4294967295 = unset */
    const char *comm, *exe, *cwd, *tty;
};

extern int64_t day0;
extern int scale;
int64_t at(int sec);

/* audit.c: one event each, records built with the enriched format. */
void au_execve(struct host *h, int64_t t, int tag, const struct proc *p, int argc,
               const char *const *argv, const char *key);
void au_connect(struct host *h, int64_t t, int tag, const struct proc *p, const char *ip,
                int port, const char *key);
void au_prctl(struct host *h, int64_t t, int tag, const struct proc *p, const char *key);
void au_open(struct host *h, int64_t t, int tag, const struct proc *p, const char *path,
             int create, const char *key);
/* A user-space record (USER_AUTH, USER_ACCT, CRED_ACQ, USER_START, ...); body goes inside
 * msg='...'. */
void au_user(struct host *h, int64_t t, int tag, const char *type, int pid, unsigned uid,
             unsigned auid, unsigned ses, const char *body);
void au_login(struct host *h, int64_t t, int pid, unsigned auid, unsigned ses);
/* Render the events sorted by time, serials assigned in that order. */
void au_render(struct host *h);
/* After au_render: where the event tagged tag landed. */
const struct line *au_tag(const struct host *h, int tag);

/* zeek.c: a connection the sensor saw (attack and host-side traffic are added by hosts.c so
 * both sides agree); conn_state and history follow from state: 0 SF, 1 S0 (no answer),
 * 2 REJ. */
struct flow {
    int64_t t, dur;       /* ns */
    const char *src, *dst;
    int sport, dport, udp, state;
    const char *service;  /* NULL = unset */
    uint64_t ob, rb;      /* payload bytes each way */
    int tag;              /* > 0: a note points at it */
    const char *why;      /* the note */
};
void flow_add(const struct flow *f);
int eph_port(void);

/* hosts.c: building blocks shared with attack.c. */
int pid_at(int sec);
unsigned ses_at(int sec, int k);
void auth(struct host *h, int64_t t, int tag, const char *fmt, const char *a, const char *b);
void applog(struct host *h, int64_t t, int tag, const char *lvl, int pid, const char *thr,
            const char *logger, const char *msg);
void cron_job(struct host *h, int sec, unsigned uid, const char *user, int nargv,
              const char *const *argv, const char *exe, const char *cmdline);
void admin_session(struct host *h, int sec, const char *user, unsigned uid, const char *fp,
                   int ncmd, const char *const *cmds);
void benign(void);
extern int java_pid[2];

void gen_hosts(void); /* audit.log, auth.log, app.log of each host; crontab, authorized_keys */
void gen_zeek(void);  /* zeek/<day>/conn.<HH:MM:SS>-<HH:MM:SS>.log.gz */

#endif
