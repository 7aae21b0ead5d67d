/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-contain.c - `tyto contain CASE --incident N`: the incident's response
 * plan (preserve, containment, eradication, recovery) as text, JSON or a shell
 * script to review. Nothing runs unless --apply is given, and then only the
 * host-local actions (nft, cgroup freeze, kill, evidence from /proc) meant for
 * this machine, each printed before it runs, and only as root.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tyto/correlate.h>
#include <tyto/time.h>

#include "cli.h"

/* Print s with control bytes (other than newline when allowed) as '?'. */
static void put_clean(const char *s, int newlines, FILE *out)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c < 0x20 && !(newlines && c == '\n') ? '?' : c == 0x7f ? '?' : c, out);
    }
}

static void print_text(const struct ty_incident *inc, const struct ty_action *a, size_t n,
                       FILE *out)
{
    char t0[48], t1[48];
    ty_time_format(inc->first_seen, 0, t0);
    ty_time_format(inc->last_seen, 0, t1);
    fprintf(out, "containment plan for incident %d: ", inc->id);
    put_clean(inc->title, 0, out);
    fprintf(out, "\n%s severity, %s .. %s\n", inc->severity ? inc->severity : "unknown", t0, t1);
    fputs("Printed only: nothing was run. Review each step; --apply runs the host-local steps "
          "on this machine.\n",
          out);
    int phase = -1;
    for (size_t i = 0; i < n; i++) {
        if (a[i].phase != phase) {
            phase = a[i].phase;
            fprintf(out, "\n== %s ==\n", ty_phase_name(phase));
        }
        fprintf(out, "%3zu. ", i + 1);
        put_clean(a[i].target, 0, out);
        if (a[i].host_local) {
            fputs("  [host-local", out);
            if (a[i].host) {
                fputs(": on ", out);
                put_clean(a[i].host, 0, out);
            }
            fputc(']', out);
        }
        fputs("\n     ", out);
        put_clean(a[i].action, 0, out);
        fputc('\n', out);
        if (a[i].command) {
            fputs("     $ ", out);
            put_clean(a[i].command, 1, out);
            fputc('\n', out);
        } else {
            fputs("     (manual)\n", out);
        }
    }
    if (n == 0)
        fputs("\n(no action: the incident names no target tyto knows how to contain)\n", out);
}

static void print_sh(const struct ty_incident *inc, const char *case_path,
                     const struct ty_action *a, size_t n, FILE *out)
{
    fprintf(out, "#!/bin/sh\n# tyto containment plan for incident %d: ", inc->id);
    put_clean(inc->title, 0, out);
    fputs("\n# case: ", out);
    put_clean(case_path, 0, out);
    fputs("\n# Review every step before running it; manual steps are comments. Steps are\n"
          "# independent: a failed step does not stop the ones after it.\n"
          "[ \"${TYTO_REVIEWED:-}\" = yes ] || { echo 'tyto: review this plan, then run it "
          "with TYTO_REVIEWED=yes' >&2; exit 1; }\n",
          out);
    int phase = -1;
    for (size_t i = 0; i < n; i++) {
        if (a[i].phase != phase) {
            phase = a[i].phase;
            fprintf(out, "\n# ==== %s ====\n", ty_phase_name(phase));
        }
        fprintf(out, "\n# [%zu] ", i + 1);
        put_clean(a[i].target, 0, out);
        fputs(": ", out);
        put_clean(a[i].action, 0, out);
        fputc('\n', out);
        if (a[i].host_local && a[i].host) {
            fputs("# (for host ", out);
            put_clean(a[i].host, 0, out);
            fputs(")\n", out);
        }
        if (a[i].command) {
            put_clean(a[i].command, 1, out);
            fputc('\n', out);
        } else {
            fputs("# MANUAL\n", out);
        }
    }
}

static int print_json(const struct ty_incident *inc, const struct ty_action *a, size_t n,
                      FILE *out)
{
    struct ty_buf b;
    int rc = 0;
    ty_buf_init(&b, 0);
    ty_buf_addf(&b, "{\"incident\":%d,\"title\":", inc->id);
    ty_buf_add_json_str(&b, ty_str_cstr(inc->title ? inc->title : ""));
    ty_buf_adds(&b, ",\"actions\":[");
    for (size_t i = 0; i < n; i++) {
        ty_buf_addf(&b, "%s{\"phase\":\"%s\",\"target\":", i ? "," : "",
                    ty_phase_name(a[i].phase));
        ty_buf_add_json_str(&b, ty_str_cstr(a[i].target));
        ty_buf_adds(&b, ",\"action\":");
        ty_buf_add_json_str(&b, ty_str_cstr(a[i].action));
        ty_buf_adds(&b, ",\"command\":");
        if (a[i].command)
            ty_buf_add_json_str(&b, ty_str_cstr(a[i].command));
        else
            ty_buf_adds(&b, "null");
        ty_buf_addf(&b, ",\"host_local\":%s,\"host\":", a[i].host_local ? "true" : "false");
        if (a[i].host)
            ty_buf_add_json_str(&b, ty_str_cstr(a[i].host));
        else
            ty_buf_adds(&b, "null");
        ty_buf_addc(&b, '}');
    }
    ty_buf_adds(&b, "]}\n");
    if (fwrite(b.buf, 1, b.len, out) != b.len)
        rc = cli_error("writing the plan failed");
    ty_buf_release(&b);
    return rc;
}

/* Whether an action for `host` is for this machine (full or short names). */
static bool this_host(const char *host, char *self, size_t cap)
{
    if (gethostname(self, cap) != 0)
        return false;
    self[cap - 1] = '\0';
    size_t hs = strcspn(host, "."), ss = strcspn(self, ".");
    return strcmp(host, self) == 0 || (hs == ss && strncmp(host, self, hs) == 0);
}

static int run_sh(const char *cmd)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int apply(const struct ty_action *a, size_t n)
{
    int failed = 0, ran = 0;
    char self[256];
    for (size_t i = 0; i < n; i++) {
        if (!a[i].host_local || !a[i].command)
            continue;
        if (a[i].host && !this_host(a[i].host, self, sizeof(self))) {
            fprintf(stderr, "tyto: skipped step %zu: it is for host ", i + 1);
            put_clean(a[i].host, 0, stderr);
            fprintf(stderr, ", this is %s\n", self);
            continue;
        }
        fprintf(stderr, "tyto: running step %zu (%s): ", i + 1, ty_phase_name(a[i].phase));
        put_clean(a[i].command, 1, stderr);
        fputc('\n', stderr);
        int st = run_sh(a[i].command);
        ran++;
        if (st != 0) {
            failed++;
            fprintf(stderr, "tyto: step %zu exited with %d\n", i + 1, st);
        }
    }
    fprintf(stderr, "tyto: %d host-local steps run, %d failed; every other step is for you to "
                    "review and run\n",
            ran, failed);
    return failed ? 1 : 0;
}

int cmd_contain(int argc, const char **argv)
{
    struct cli_corr corr = {0};
    int64_t incident = 0;
    const char *format = "text";
    bool do_apply = false;
    struct opt opts[] = {
        {OPT_INT, 'i', "incident", &incident, "N", "the incident (tyto incidents lists them)"},
        {OPT_STRING, 'F', "format", &format, "FMT",
         "text (default), json, or sh (a script to review, then run)"},
        {OPT_FLAG, 0, "apply", &do_apply, NULL,
         "run the host-local steps meant for this machine (nft, cgroup freeze, kill, copies "
         "from /proc); root only"},
        CLI_CORR_OPTS(corr),
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto contain CASE --incident N [--format text|json|sh] [--apply]",
        "Print the response plan of one incident, in the order to follow: preserve the\n"
        "evidence first (pod manifests, docker inspect/diff/export, volume snapshots, process\n"
        "binaries from /proc), contain (quarantine NetworkPolicy and pod labels, cordon,\n"
        "deactivate keys, revoke role sessions, quarantine security groups, nft drops, cgroup\n"
        "freeze, kill), eradicate every persistence artifact by path or id, then recover\n"
        "(rotate credentials, rebuild workloads, nodes and images). Commands name only what\n"
        "the incident names, single-quoted; steps tyto cannot write exactly say (manual).\n"
        "Nothing is executed unless --apply is given.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "sh") != 0)
        return cli_error("--format %s: use text, json or sh", format) ? EXIT_USAGE : 0;
    if (incident <= 0 || incident > 1000000)
        return cli_error("--incident N is required (tyto incidents %s lists them)", argv[0])
                   ? EXIT_USAGE
                   : 0;
    if (do_apply && geteuid() != 0)
        return cli_error("--apply runs nft, cgroup freeze and kill on this machine: run it as "
                         "root (nothing was run)");
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    struct ty_investigation *inv = cli_investigate(st, &corr);
    ty_store_close(st);
    if (!inv)
        return 1;
    const struct ty_incident *inc = NULL;
    for (size_t i = 0; i < inv->n_inc; i++)
        if (inv->inc[i].id == incident)
            inc = &inv->inc[i];
    int rc = 0;
    struct ty_arena arena;
    ty_arena_init(&arena, 1 << 16, 0);
    if (!inc) {
        rc = cli_error("no incident %lld in %s (it has %zu; tyto incidents lists them)",
                       (long long)incident, argv[0], inv->n_inc);
        goto out;
    }
    struct ty_action *acts = NULL;
    size_t n = 0;
    struct ty_err err;
    ty_err_clear(&err);
    if (ty_contain_plan(inc, &arena, &acts, &n, &err)) {
        rc = cli_error("%s", err.msg);
        goto out;
    }
    if (strcmp(format, "json") == 0)
        rc = print_json(inc, acts, n, stdout);
    else if (strcmp(format, "sh") == 0)
        print_sh(inc, argv[0], acts, n, stdout);
    else
        print_text(inc, acts, n, stdout);
    fflush(stdout);
    if (rc == 0 && do_apply)
        rc = apply(acts, n);
out:
    ty_arena_release(&arena);
    ty_investigation_free(inv);
    return rc;
}
