/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker.h - offline forensics of a container engine's state directory taken
 * from a snapshot: /var/lib/docker (overlay2) containers with their dangerous
 * settings, json-file logs, the writable layer's diff as `docker diff` prints
 * it (with SHA-256 of new executables), and containerd's snapshots. Every
 * function reads only; a corrupt or half-deleted tree gives messages, never a
 * crash. See docs/internals/DOCKER.md.
 */
#ifndef TYTO_DOCKER_H
#define TYTO_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/str.h>

/* What a ROOT turned out to be. */
enum ty_docker_kind { TY_DOCKER_NONE = 0, TY_DOCKER_ENGINE, TY_DOCKER_CONTAINERD };

/* Find the engine root under a path: the path itself when it holds
 * containers/, image/ or overlay2/ (Docker) or io.containerd.* (containerd),
 * else ROOT/var/lib/docker, then ROOT/var/lib/containerd. out gets the
 * directory (cap bytes). Returns the kind, or TY_DOCKER_NONE. */
enum ty_docker_kind ty_docker_find_root(const char *path, char *out, size_t cap);

/* One container of a Docker root, from containers/<id>/config.v2.json and
 * hostconfig.json. Strings are NUL-terminated and cut to their buffers. */
struct ty_docker_container {
    char id[80];          /* the directory name (64 hex for a sound tree) */
    char name[256];       /* without the leading '/' */
    char image[256];      /* Config.Image (the name used to create it) */
    char image_id[80];    /* Image: "sha256:..." */
    char state[16];       /* running, paused, restarting, exited, created, dead, "?" */
    char command[1024];   /* Path and Args, space-separated */
    char flags[1024];     /* dangerous settings, "; "-separated, "" when none */
    char problem[256];    /* why the record is incomplete ("" when sound) */
    int64_t created;      /* ns UTC; 0 unknown */
    int64_t started;      /* 0 never or unknown */
    int64_t finished;     /* 0 never or unknown */
    int64_t exit_code;
    int64_t pid;
    unsigned n_flags;     /* number of dangerous settings */
    bool has_config;      /* config.v2.json read and valid */
    bool has_hostconfig;  /* hostconfig.json read and valid */
};

/* Receives each container; return 0 to go on, non-zero to stop. */
typedef int (*ty_docker_container_fn)(void *arg, const struct ty_docker_container *c);

/* List the containers of a Docker root (sorted by directory name). A
 * container whose files are missing or corrupt is still reported, with
 * has_config/has_hostconfig false and `problem` saying what is wrong.
 * Returns 0, TY_EINVAL (no containers/ directory), TY_EIO, TY_ENOMEM, or what
 * fn returned. */
int ty_docker_list(const char *root, ty_docker_container_fn fn, void *arg, struct ty_err *err);

/* Resolve a container id prefix or name (with or without '/') to the full
 * directory name (out, cap bytes). TY_EINVAL when none or several match
 * (err says which). */
int ty_docker_resolve(const char *root, const char *id, char *out, size_t cap,
                      struct ty_err *err);

/* One json-file log line. bad: the line is not a log object (reason in
 * `log`); file and line locate it. */
struct ty_docker_log {
    const char *file;     /* the log file (rotated files oldest first) */
    uint64_t line;        /* 1-based line in that file */
    uint64_t offset;      /* byte offset of the line */
    struct ty_str time;   /* RFC 3339 text as written */
    struct ty_str stream; /* stdout / stderr */
    struct ty_str log;    /* the text, unescaped, trailing newline removed */
    bool partial;         /* the piece did not end in a newline (16 KiB split) */
    bool bad;
};
typedef int (*ty_docker_log_fn)(void *arg, const struct ty_docker_log *l);

/* Walk the json-file logs of a container (full id): <id>-json.log.N ... .1,
 * then <id>-json.log; gzip-compressed rotations are read too. Returns 0,
 * TY_EINVAL (no log file), TY_EIO, TY_ENOMEM, or what fn returned. */
int ty_docker_logs(const char *root, const char *id, ty_docker_log_fn fn, void *arg,
                   struct ty_err *err);

/* One change of a container's writable layer, as `docker diff` prints it. */
struct ty_docker_change {
    char kind;            /* 'A' added, 'C' changed, 'D' deleted */
    const char *path;     /* absolute path inside the container */
    bool exec;            /* a regular file that is executable (ELF, #!, or a +x mode) */
    bool guessed;         /* A/C not proven: the lower layers are not in the snapshot */
    char sha256[65];      /* hex, for exec files; "" otherwise */
    int64_t size;
    int64_t mtime;        /* ns UTC */
};
typedef int (*ty_docker_change_fn)(void *arg, const struct ty_docker_change *c);

struct ty_docker_diff_stats {
    uint64_t changes;
    uint64_t exec;
    bool lower_found;     /* lower layers were found: A vs C is exact */
    char upper[4096];     /* the diff directory read */
};

/* The changes of a container's writable layer (full id), sorted by path
 * bytewise as `docker diff` prints them: whiteouts (0/0 character devices
 * and .wh.NAME files) are D, opaque directories (.wh..wh..opq or the
 * overlay xattr) C, other entries A when no lower layer holds the path and C
 * when one does (the lower directories, or else the image layers' file lists
 * in layerdb/sha256/<chain>/tar-split.json.gz). When neither is in the
 * snapshot, directories are C and files A, marked guessed. Memory grows with the number of changes.
 * Returns 0, TY_EINVAL (no layer for the container), TY_EIO, TY_ENOMEM, or
 * what fn returned. */
int ty_docker_diff(const char *root, const char *id, ty_docker_change_fn fn, void *arg,
                   struct ty_docker_diff_stats *st, struct ty_err *err);

/* containerd: one snapshot or runtime task found under a containerd root. */
struct ty_containerd_item {
    const char *kind;     /* "snapshot", "task" */
    const char *id;       /* snapshot number or container id */
    const char *ns;       /* task namespace ("k8s.io"), "" for snapshots */
    const char *detail;   /* task: process args; snapshot: entry count of fs/ */
    const char *path;
};
typedef int (*ty_containerd_fn)(void *arg, const struct ty_containerd_item *it);

/* List snapshots (io.containerd.snapshotter.v1.overlayfs/snapshots/N) and
 * runtime tasks (io.containerd.runtime.v2.task/NS/ID/config.json, under the
 * root or a sibling run/containerd). The container records of the bolt
 * database meta.db are not decoded. Returns 0, TY_EINVAL, TY_ENOMEM, or
 * what fn returned. */
int ty_containerd_list(const char *root, ty_containerd_fn fn, void *arg, struct ty_err *err);

#endif
