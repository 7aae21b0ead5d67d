/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate.h - from a case's alerts to incidents: entities, identity links,
 * merging by rare shared entities, the attack chain and the five questions.
 *
 * ty_investigate_case() reads the alerts and events of a case and builds a
 * struct ty_investigation in memory (one arena). It is deterministic: the
 * same case gives the same incidents, numbered from 1 in order of first
 * alert. The model (rarity, windows, seeds) is docs/internals/CORRELATION.md.
 */
#ifndef TYTO_CORRELATE_H
#define TYTO_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/err.h>
#include <tyto/store.h>

enum ty_entity_type {
    TY_ENT_IP,
    TY_ENT_PRINCIPAL,       /* a human or workload identity: user, email, UPN */
    TY_ENT_ROLE,            /* a cloud role / IAM principal ARN, GCP SA email */
    TY_ENT_SERVICE_ACCOUNT, /* system:serviceaccount:NS:NAME */
    TY_ENT_ACCESS_KEY,
    TY_ENT_SESSION,
    TY_ENT_ACCOUNT,         /* cloud account / project / subscription */
    TY_ENT_HOST,            /* host or Kubernetes node name */
    TY_ENT_INSTANCE,        /* cloud instance id */
    TY_ENT_POD,             /* NAMESPACE/NAME when the namespace is known, else NAME */
    TY_ENT_NAMESPACE,
    TY_ENT_CONTAINER,       /* container id (12+ hex) or name */
    TY_ENT_IMAGE,
    TY_ENT_PROCESS,         /* "HOST:PID EXE" (a process instance) */
    TY_ENT_FILE,            /* absolute path */
    TY_ENT_HASH,            /* SHA-256 hex */
    TY_ENT_DOMAIN,
    TY_ENT_URL,
    TY_ENT_BUCKET,
    TY_ENT_OBJECT,          /* bucket/key */
    TY_ENT__COUNT
};

/* "ip", "principal", ... as in the report contract. */
const char *ty_entity_type_name(int type);

enum ty_entity_role {
    TY_ROLE_NONE,
    TY_ROLE_ATTACKER,   /* an external address or identity the attack came from */
    TY_ROLE_VICTIM,     /* a workload or identity the attacker controlled or hit */
    TY_ROLE_PIVOT,      /* an identity or workload the attack moved through */
    TY_ROLE_ARTIFACT,   /* a file, hash, URL or domain the attack left or used */
};
const char *ty_entity_role_name(int role);

/* A cited record. file is the evidence path as stored in the case. */
struct ty_evref {
    int64_t event_id;
    const char *file;
    uint64_t offset, line;
};

struct ty_inc_entity {
    int type;               /* enum ty_entity_type */
    const char *value;
    int role;               /* enum ty_entity_role */
    int64_t first_seen, last_seen;
    uint32_t n_alerts;      /* alerts of the incident that name it */
    uint64_t df;            /* events of the case that name it */
    int internal;           /* IPs: 1 private/link-local/metadata, 0 public, -1 not an IP */
};

/* An identity link that joined planes, with the record that established it. */
struct ty_inc_link {
    int a_type, b_type;
    const char *a, *b;
    const char *why;        /* "pod IP (k8s-inventory)", "IRSA annotation" */
    struct ty_evref ev;
};

enum ty_question {
    TY_Q_INITIAL_ACCESS,
    TY_Q_SPREAD,
    TY_Q_PERSISTENCE,
    TY_Q_IMPACT,
    TY_Q__COUNT
};
const char *ty_question_name(int q); /* "initial_access", ... */

/* One line of an incident's timeline: an alert, or a context event. */
struct ty_inc_step {
    int64_t ts;
    const char *source;     /* parser name */
    const char *summary;    /* one line */
    int64_t alert_id;       /* 0 for context */
    const char *rule_id;    /* the rule's id, or NULL for context */
    const char *rule_title;
    const char *level;      /* the alert's level, or NULL */
    const char *tactic;     /* ATT&CK tactic name of the step ("initial-access"), or NULL */
    const char **techniques;/* "T1190"..., NULL-terminated (may be empty) */
    unsigned questions;     /* bit (1 << enum ty_question) per question it answers */
    struct ty_evref ev;
    const char *detail;     /* key values of the record ("uri=... ip=...") for citing */
    int64_t bytes;          /* bytes the record says moved (out + in), 0 unknown */
    const char *matched;    /* alerts: JSON object of the fields that matched, or NULL */
    const char *record;     /* persistence steps: the record as it is in the evidence (a
                               crontab line, a key, a unit), at most 4 KiB; else NULL */
    size_t *ents;           /* alerts: the incident entities (indices) it names */
    size_t n_ents;
};

struct ty_answer {
    const char *summary;    /* what the evidence says, or what is missing and which source
                               would answer it */
    const char **techniques;/* NULL-terminated */
    size_t *steps;          /* indices into the incident's steps that answer it */
    size_t n_steps;
    const char **artifacts; /* persistence: paths/ids left behind; others: key values */
    size_t n_artifacts;
    size_t *path;           /* spread: entity indices in hop order */
    size_t n_path;
};

struct ty_advice {
    const char *advice;
    const char *weakness;   /* tag from docs/RULES.md, or NULL */
    int64_t *alert_ids;
    size_t n_alert_ids;
};

struct ty_incident {
    int id;                 /* 1.. */
    const char *title;
    const char *severity;   /* the highest alert level */
    int64_t first_seen, last_seen;
    int64_t *alert_ids;     /* time order */
    size_t n_alerts;
    struct ty_inc_entity *ents;     /* attacker first, then victims, pivots, artifacts */
    size_t n_ents;
    struct ty_inc_link *links;
    size_t n_links;
    const char **techniques;        /* all, sorted, NULL-terminated */
    struct ty_inc_step *steps;      /* alerts and context, time order */
    size_t n_steps;
    struct ty_answer q[TY_Q__COUNT];
    struct ty_advice *prevention;
    size_t n_prevention;
    double score;
};

struct ty_investigation {
    struct ty_incident *inc;
    size_t n_inc;
    int64_t *unassigned;    /* alert ids in no incident (below the seed bar) */
    size_t n_unassigned;
    struct ty_arena arena;  /* everything above lives here */
};

struct ty_correlate_opts {
    int64_t window_ns;      /* alerts further apart than this never merge directly
                               (default 24 h) */
    int64_t workload_window_ns; /* ... and through a shared workload (host, pod, container)
                               alone, further apart than this (default 1 h): what runs on a
                               machine hours apart is often unrelated */
    double common_share;    /* an entity is common (it never glues) when it is named by
                               more than this share of the case's events (default 0.02), */
    uint64_t common_min;    /* ... and by more than this many (default 200), */
    double common_span;     /* ... across more than this share of the case's time span
                               (default 0.25): a noisy attacker is busy for an hour, a NAT
                               gateway or a CI role all day */
    double min_score;       /* an incident needs this score to be reported (default 8:
                               one high alert, or three medium from distinct rules) */
    size_t max_context;     /* context events per incident (default 60) */
};

void ty_correlate_opts_default(struct ty_correlate_opts *o);

/* Correlate the case. On success *out is owned by the caller. */
int ty_investigate_case(struct ty_store *st, const struct ty_correlate_opts *o,
                        struct ty_investigation **out, struct ty_err *err);
void ty_investigation_free(struct ty_investigation *inv);

/* ---- response (src/correlate/contain.c, iocs.c) ---- */

enum ty_phase { TY_PHASE_PRESERVE, TY_PHASE_CONTAIN, TY_PHASE_ERADICATE, TY_PHASE_RECOVER };
const char *ty_phase_name(int phase); /* "preserve", "containment", "eradication", "recovery" */

struct ty_action {
    int phase;              /* enum ty_phase */
    const char *target;     /* "pod blog/wordpress-7d9f8b6c5d-x4k2p" */
    const char *action;     /* one sentence */
    const char *command;    /* the exact command or manifest; NULL when manual */
    int host_local;         /* 1: may run on this machine with --apply */
    const char *host;       /* host_local: the machine it is for (from the evidence), or
                               NULL for any machine the responder runs it on */
};

/* The containment plan of one incident, in phase order. Strings live in a. */
int ty_contain_plan(const struct ty_incident *inc, struct ty_arena *a, struct ty_action **out,
                    size_t *n_out, struct ty_err *err);

enum ty_ioc_format { TY_IOC_CSV, TY_IOC_STIX };
/* Write the indicators of the incidents (all when incident_id is 0) to out. */
int ty_iocs_write(const struct ty_investigation *inv, int incident_id, int format,
                  struct ty_buf *out, struct ty_err *err);

#endif
