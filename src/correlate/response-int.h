/* SPDX-License-Identifier: Apache-2.0 */
/*
 * response-int.h - helpers shared by the response plan (contain.c) and the
 * indicators (iocs.c): which paths are the case's own evidence (collected
 * copies, never to be touched or published as the attacker's files), which are
 * system files, and which names are inside the environment.
 */
#ifndef TYTO_RESPONSE_INT_H
#define TYTO_RESPONSE_INT_H

#include <tyto/arena.h>
#include <tyto/correlate.h>

/* The folder that all evidence files the incident cites (steps, links) share,
 * as a malloc'd string, or NULL when none is absolute. */
char *ty__ev_root(const struct ty_incident *inc);

/* Whether v is a collected copy in the case's evidence (a cited evidence file or
 * a path under ev_root): -1 it is not; 0 it is, its original is not known; 1 it
 * is, and *path (and *host, or NULL) name the original from the collected
 * tree's layout: ".../[root]/PATH" (UAC), ".../fs/PATH", ".../rootfs/PATH", or
 * ".../hosts/NAME/PATH" and ".../nodes/NAME/PATH" mirroring a file system.
 * Strings live in a. */
int ty__ev_original(const struct ty_incident *inc, const char *ev_root, const char *v,
                    struct ty_arena *a, const char **path, const char **host);

/* Whether path starts in a top folder of a Linux file system (else it is a
 * URL path of a web application). */
int ty__fs_path(const char *path);

/* Whether a file path is a system file (package-managed folders, account and
 * configuration files, the container runtime socket, pseudo files): never an
 * indicator, never removed. */
int ty__path_is_system(const char *path);

/* Whether a host name is inside the environment: localhost, cluster and
 * internal suffixes, single labels, private, loopback and link-local addresses. */
int ty__name_is_internal(const char *name);

#endif
