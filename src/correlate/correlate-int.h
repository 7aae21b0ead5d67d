/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate-int.h - what the correlator's files share: entity extraction,
 * ATT&CK tables, and the working state of one correlation run.
 */
#ifndef TYTO_CORRELATE_INT_H
#define TYTO_CORRELATE_INT_H

#include <stdbool.h>

#include <tyto/correlate.h>
#include <tyto/event.h>
#include <tyto/ip.h>
#include <tyto/strmap.h>

/* entity flags (how the event named it) */
enum {
    TY__ENT_INTERNAL = 1 << 0, /* a private, link-local or metadata address */
    TY__ENT_TEXT = 1 << 1,     /* found in free text (command line, URI, message) */
    TY__ENT_LOCAL = 1 << 2,    /* a host-local account: names nothing across hosts */
    TY__ENT_DERIVED = 1 << 3,  /* derived from another name (node of system:node:X) */
    TY__ENT_TARGET = 1 << 4,   /* the object acted on, not the actor */
    TY__ENT_PATH = 1 << 5,     /* a request path */
};

typedef int (*ty__ent_fn)(void *arg, int type, struct ty_str value, unsigned flags);
typedef int (*ty__link_fn)(void *arg, int a_type, struct ty_str a, int b_type, struct ty_str b,
                           const char *why);

int ty__event_entities(const struct ty_event *ev, ty__ent_fn fn, void *arg);
int ty__event_links(const struct ty_event *ev, ty__link_fn fn, void *arg);
bool ty__ent_is_workload(int type);
/* 1: private/loopback/link-local/CGNAT/multicast; 0: public */
int ty__ip_class(const struct ty_ip *ip);

/* The host a collected tree's path names ("hosts/api-1/var/log/audit/audit.log":
 * "api-1"), or 0 when none; out gets the name. */
size_t ty__path_host(const char *path, char *out, size_t cap);
/* The path from the top of its host's tree (".../hosts/h/fs/var/tmp/x" ->
 * "/var/tmp/x"); the path itself when it is not in a collected tree. */
const char *ty__path_in_tree(const char *path);

/* ATT&CK tactics, as bits */
enum {
    TY__T_RECON = 1 << 0, TY__T_RESOURCE = 1 << 1, TY__T_INITIAL = 1 << 2,
    TY__T_EXECUTION = 1 << 3, TY__T_PERSISTENCE = 1 << 4, TY__T_PRIVESC = 1 << 5,
    TY__T_EVASION = 1 << 6, TY__T_CREDENTIAL = 1 << 7, TY__T_DISCOVERY = 1 << 8,
    TY__T_LATERAL = 1 << 9, TY__T_COLLECTION = 1 << 10, TY__T_C2 = 1 << 11,
    TY__T_EXFIL = 1 << 12, TY__T_IMPACT = 1 << 13,
};
/* Techniques ("T1190") and tactic bits of a rule's space-separated tags; tactics
 * of techniques whose tags name none come from a built-in table. Returns the
 * number of techniques written (at most max). */
size_t ty__attack_parse(const char *tags, char (*tech)[16], size_t max, unsigned *tactics);
/* The tactic bits of one technique id, 0 when unknown. */
unsigned ty__attack_tactics(const char *technique);
/* "initial-access", ... for the first set bit. */
const char *ty__tactic_name(unsigned tactics);

/* alert levels: informational 0 .. critical 4 */
int ty__level_rank(const char *level);

#endif
