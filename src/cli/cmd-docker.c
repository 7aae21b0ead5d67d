/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-docker.c - `tyto docker ROOT [--logs ID | --diff ID] [--json]`: offline
 * forensics of a /var/lib/docker (overlay2) or /var/lib/containerd tree from
 * a snapshot: the containers with their dangerous settings, a container's
 * json-file log, its writable layer as `docker diff` prints it with the
 * SHA-256 of new executables; containerd's snapshots and runtime tasks.
 */
#include <stdio.h>
#include <string.h>

#include <tyto/buf.h>
#include <tyto/docker.h>
#include <tyto/time.h>

#include "cli.h"

struct list_state {
    bool json;
    unsigned n, n_flagged, n_broken;
    struct ty_buf b;
};

static void tfmt(int64_t ns, char *out)
{
    if (ns)
        ty_time_format(ns, 0, out);
    else
        snprintf(out, 32, "-");
}

static void json_kv(struct ty_buf *b, const char *k, const char *v, bool first)
{
    ty_buf_addf(b, "%s\"%s\":", first ? "" : ",", k);
    ty_buf_add_json_str(b, ty_str_cstr(v));
}

static int print_container(void *arg, const struct ty_docker_container *c)
{
    struct list_state *s = arg;
    char cr[32], st[32], fi[32];
    s->n++;
    s->n_flagged += c->n_flags > 0;
    s->n_broken += c->problem[0] != '\0';
    tfmt(c->created, cr);
    tfmt(c->started, st);
    tfmt(c->finished, fi);
    if (s->json) {
        struct ty_buf *b = &s->b;
        ty_buf_reset(b);
        ty_buf_addc(b, '{');
        json_kv(b, "id", c->id, true);
        json_kv(b, "name", c->name, false);
        json_kv(b, "image", c->image, false);
        json_kv(b, "image_id", c->image_id, false);
        json_kv(b, "created", cr, false);
        json_kv(b, "started", st, false);
        json_kv(b, "finished", fi, false);
        json_kv(b, "state", c->state, false);
        ty_buf_addf(b, ",\"exit_code\":%lld,\"pid\":%lld", (long long)c->exit_code,
                    (long long)c->pid);
        json_kv(b, "command", c->command, false);
        json_kv(b, "dangerous", c->flags, false);
        json_kv(b, "problem", c->problem, false);
        ty_buf_adds(b, "}\n");
        fwrite(b->buf, 1, b->len, stdout);
        return 0;
    }
    char id12[13];
    snprintf(id12, sizeof(id12), "%.12s", c->id);
    printf("%-12s  %-20s  %-10s  %-28s  %s\n    image %s%s%s\n    command %s\n", id12, cr,
           c->state, c->name[0] ? c->name : "-", c->has_config ? "" : "(no config)",
           c->image[0] ? c->image : "-", strcmp(c->image, c->image_id) ? "  " : "",
           strcmp(c->image, c->image_id) ? c->image_id : "",
           c->command[0] ? c->command : "-");
    if (c->started || c->finished)
        printf("    started %s  finished %s  exit %lld\n", st, fi, (long long)c->exit_code);
    if (c->n_flags)
        printf("    ! DANGEROUS: %s\n", c->flags);
    if (c->problem[0])
        printf("    ? INCOMPLETE: %s\n", c->problem);
    return 0;
}

static int print_log(void *arg, const struct ty_docker_log *l)
{
    struct list_state *s = arg;
    if (l->bad) {
        s->n_broken++;
        fprintf(stderr, "tyto: docker: %s:%llu (byte %llu): %.*s\n", l->file,
                (unsigned long long)l->line, (unsigned long long)l->offset, (int)l->log.len,
                l->log.p);
        return 0;
    }
    s->n++;
    if (s->json) {
        struct ty_buf *b = &s->b;
        ty_buf_reset(b);
        ty_buf_adds(b, "{\"time\":");
        ty_buf_add_json_str(b, l->time);
        ty_buf_adds(b, ",\"stream\":");
        ty_buf_add_json_str(b, l->stream);
        ty_buf_adds(b, ",\"log\":");
        ty_buf_add_json_str(b, l->log);
        ty_buf_addf(b, ",\"partial\":%s}\n", l->partial ? "true" : "false");
        fwrite(b->buf, 1, b->len, stdout);
        return 0;
    }
    printf("%.*s %.*s %.*s%s\n", (int)l->time.len, l->time.p, (int)l->stream.len, l->stream.p,
           (int)l->log.len, l->log.p, l->partial ? " [partial]" : "");
    return 0;
}

struct diff_state {
    bool json;
    struct ty_buf b;
    struct ty_buf execs; /* the sha256sum lines printed after the diff */
};

static int print_change(void *arg, const struct ty_docker_change *c)
{
    struct diff_state *s = arg;
    if (s->json) {
        char mt[32];
        tfmt(c->mtime, mt);
        ty_buf_reset(&s->b);
        ty_buf_addf(&s->b, "{\"kind\":\"%c\",\"path\":", c->kind);
        ty_buf_add_json_str(&s->b, ty_str_cstr(c->path));
        ty_buf_addf(&s->b, ",\"guessed\":%s,\"exec\":%s,\"sha256\":\"%s\",\"size\":%lld,"
                           "\"mtime\":\"%s\"}\n",
                    c->guessed ? "true" : "false", c->exec ? "true" : "false", c->sha256,
                    (long long)c->size, c->kind == 'D' ? "" : mt);
        fwrite(s->b.buf, 1, s->b.len, stdout);
        return 0;
    }
    printf("%c %s\n", c->kind, c->path);
    if (c->exec)
        ty_buf_addf(&s->execs, "%s  %s\n", c->sha256[0] ? c->sha256 : "(unreadable)", c->path);
    return 0;
}

static int print_ctrd(void *arg, const struct ty_containerd_item *it)
{
    struct list_state *s = arg;
    s->n++;
    if (s->json) {
        ty_buf_reset(&s->b);
        ty_buf_addc(&s->b, '{');
        json_kv(&s->b, "kind", it->kind, true);
        json_kv(&s->b, "id", it->id, false);
        json_kv(&s->b, "namespace", it->ns, false);
        json_kv(&s->b, "detail", it->detail, false);
        json_kv(&s->b, "path", it->path, false);
        ty_buf_adds(&s->b, "}\n");
        fwrite(s->b.buf, 1, s->b.len, stdout);
        return 0;
    }
    printf("%-8s  %-20s  %-8s  %s\n", it->kind, it->id, it->ns[0] ? it->ns : "-", it->detail);
    return 0;
}

int cmd_docker(int argc, const char **argv)
{
    const char *logs = NULL, *diff = NULL;
    bool json = false;
    struct opt opts[] = {
        {OPT_STRING, 0, "logs", &logs, "ID", "print the container's json-file log (oldest first)"},
        {OPT_STRING, 0, "diff", &diff, "ID",
         "print the writable layer's changes as `docker diff` does, then the SHA-256 of new "
         "executables"},
        {OPT_FLAG, 0, "json", &json, NULL, "JSON lines instead of text"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto docker ROOT [--logs ID | --diff ID] [--json]",
        "Offline forensics of a container engine's state from a snapshot. ROOT is\n"
        "/var/lib/docker (or a directory holding var/lib/docker), or /var/lib/containerd.\n"
        "Lists the containers (id, created, state, name, image, command) from\n"
        "containers/*/config.v2.json and hostconfig.json and flags dangerous settings:\n"
        "privileged, added capabilities, host PID/network/IPC namespaces, the host / or\n"
        "the Docker socket bind-mounted, restart always. ID is an id prefix or a name.\n"
        "containerd: lists snapshots and runtime tasks (meta.db is not decoded).",
        opts};
    struct list_state ls;
    struct diff_state ds;
    struct ty_err err;
    char root[4096], id[128];
    int rc = 1;
    memset(&ls, 0, sizeof(ls));
    memset(&ds, 0, sizeof(ds));
    ty_buf_init(&ls.b, 1 << 24);
    ty_buf_init(&ds.b, 1 << 24);
    ty_buf_init(&ds.execs, 1 << 28);
    ty_err_clear(&err);

    if (opt_parse_args(&argc, argv, &u, 1, 1)) {
        rc = EXIT_USAGE;
        goto out;
    }
    ls.json = ds.json = json;
    if (logs && diff) {
        rc = cli_error("docker: --logs and --diff go one at a time");
        goto out;
    }
    enum ty_docker_kind kind = ty_docker_find_root(argv[0], root, sizeof(root));
    if (kind == TY_DOCKER_NONE) {
        rc = cli_error("docker: %s: neither a Docker root (containers/, image/, overlay2/) nor "
                       "a containerd root (io.containerd.*), nor a tree holding var/lib/docker",
                       argv[0]);
        goto out;
    }
    if (kind == TY_DOCKER_CONTAINERD) {
        if (logs || diff) {
            rc = cli_error("docker: %s is a containerd root: --logs and --diff need Docker's "
                           "layout (CRI logs are under /var/log/pods; ingest them)",
                           root);
            goto out;
        }
        if (!json)
            printf("%-8s  %-20s  %-8s  %s\n", "KIND", "ID", "NS", "DETAIL");
        if (ty_containerd_list(root, print_ctrd, &ls, &err) < 0) {
            rc = cli_error("docker: %s", err.msg);
            goto out;
        }
        fprintf(stderr,
                "tyto docker: containerd root %s: %u snapshots and tasks (container records "
                "in io.containerd.metadata.v1.bolt/meta.db are not decoded)\n",
                root, ls.n);
        rc = 0;
        goto out;
    }
    if (logs || diff) {
        if (ty_docker_resolve(root, logs ? logs : diff, id, sizeof(id), &err) != 0) {
            rc = cli_error("docker: %s", err.msg);
            goto out;
        }
    }
    if (logs) {
        if (ty_docker_logs(root, id, print_log, &ls, &err) != 0) {
            rc = cli_error("docker: %s", err.msg);
            goto out;
        }
        if (ls.n_broken)
            fprintf(stderr, "tyto docker: %u log lines, %u bad lines (listed above)\n", ls.n,
                    ls.n_broken);
        rc = ls.n_broken ? 1 : 0;
        goto out;
    }
    if (diff) {
        struct ty_docker_diff_stats st;
        if (ty_docker_diff(root, id, print_change, &ds, &st, &err) != 0) {
            rc = cli_error("docker: %s", err.msg);
            goto out;
        }
        if (!json && ds.execs.len) {
            printf("\n# SHA-256 of executable files added or changed (ELF, #!, or mode +x):\n");
            fwrite(ds.execs.buf, 1, ds.execs.len, stdout);
        }
        fprintf(stderr, "tyto docker: %llu changes, %llu executables, layer %s%s\n",
                (unsigned long long)st.changes, (unsigned long long)st.exec, st.upper,
                st.lower_found ? ""
                               : "; the image layers are not in the snapshot, so A/C is "
                                 "guessed (directories C, files A: a changed file shows as A)");
        rc = 0;
        goto out;
    }
    if (!json)
        printf("%-12s  %-20s  %-10s  %-28s\n", "CONTAINER", "CREATED", "STATE", "NAME");
    if (ty_docker_list(root, print_container, &ls, &err) != 0) {
        rc = cli_error("docker: %s", err.msg);
        goto out;
    }
    fprintf(stderr, "tyto docker: %u containers, %u with dangerous settings, %u incomplete\n",
            ls.n, ls.n_flagged, ls.n_broken);
    rc = 0;
out:
    fflush(stdout);
    ty_buf_release(&ls.b);
    ty_buf_release(&ds.b);
    ty_buf_release(&ds.execs);
    return rc;
}
