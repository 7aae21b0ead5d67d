/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-docker-int.h - what the Docker parsers (parse-docker.c) share with the
 * snapshot reader (parse-docker-root.c): the dangerous-settings scan of
 * config.v2.json and hostconfig.json, and the container id of an evidence path.
 */
#ifndef TYTO_PARSE_DOCKER_INT_H
#define TYTO_PARSE_DOCKER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <tyto/arena.h>
#include <tyto/json.h>
#include <tyto/str.h>

/* A "; "-separated list of findings in caller storage. */
struct ty__dflags {
    char *b;
    size_t cap;
    size_t n;
    unsigned count;
};

/* Add one finding ("what arg") unless the list holds it already; counts it
 * even when the text no longer fits. Also used by the k8s-inventory parser. */
void ty__docker_flag_add(struct ty__dflags *f, const char *what, struct ty_str arg);
/* Why a host path mounted into a container gives it the host ("host /
 * mounted", "container runtime socket mounted", "sensitive host path
 * mounted"), or NULL. */
const char *ty__docker_host_path_risk(struct ty_str src);
/* Add the dangerous settings of a config.v2.json object (MountPoints: host
 * "/" or the Docker socket bind-mounted). Returns 0 or TY_ENOMEM. */
int ty__docker_flags_config(const struct ty_json_doc *d, uint32_t root, struct ty_arena *a,
                            struct ty__dflags *f);
/* Add those of a hostconfig.json object: Privileged, CapAdd, host
 * PID/network/IPC/UTS/user namespaces, Binds/Mounts of "/" or docker.sock
 * (or /var/run, /run, /proc, /etc, /root), Devices, unconfined seccomp or
 * AppArmor, restart always/unless-stopped. Returns 0 or TY_ENOMEM. */
int ty__docker_flags_host(const struct ty_json_doc *d, uint32_t root, struct ty_arena *a,
                          struct ty__dflags *f);
/* The container id in an evidence path ".../containers/<hex id>/..." (the
 * last such segment, at least 12 hex digits); TY_STR_NULL when none. */
struct ty_str ty__docker_path_id(const char *path);
/* The state word of a config.v2.json State object. */
const char *ty__docker_state(const struct ty_json_doc *d, uint32_t state);
/* RFC 3339 time of a string member; 0 when absent, bad, or docker's "never"
 * (0001-01-01T00:00:00Z). */
int64_t ty__docker_time(const struct ty_json_doc *d, uint32_t obj, const char *key);

#endif
