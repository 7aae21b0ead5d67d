/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-shell.c - commands typed in a cleartext shell session (a reverse or bind
 * shell over raw TCP), raised as notices "Tyto::Shell_Command" (not a Zeek
 * analyzer: Zeek logs such a session as a conn record with no service).
 * A side is the one typing when two of its lines start with a shell command
 * word (id, uname, cat, curl, crontab...; a leading "(" or "{" skipped);
 * from then on each of its lines is a notice, the two held back first.
 * Bounded: one 256-byte line and two held lines per side, 64 notices per
 * connection (the rest counted in the last one's sub).
 */
#include <stdio.h>
#include <string.h>

#include "net-int.h"

#define LINE_MAX_ 256
#define HOLD 2
#define MAX_NOTICES 64

struct net_shell {
    char line[2][LINE_MAX_];
    uint16_t len[2];
    bool cut[2];
    char held[2][HOLD][LINE_MAX_];
    int64_t held_ts[2][HOLD];
    uint8_t n_held[2];
    int typing;                 /* -1 unknown, 0 originator, 1 responder */
    unsigned emitted;
    bool give_up;               /* binary data: not a shell */
    unsigned bad;
};

static const char *const words[] = {
    "id", "whoami", "uname", "hostname", "pwd", "ls", "cd", "cat", "head", "tail", "less",
    "more", "grep", "find", "ps", "top", "netstat", "ss", "ip", "ifconfig", "env", "export",
    "history", "sudo", "su", "curl", "wget", "nc", "ncat", "bash", "sh", "python", "python3",
    "perl", "php", "chmod", "chown", "rm", "mv", "cp", "mkdir", "touch", "echo", "printf",
    "base64", "gzip", "tar", "zip", "crontab", "systemctl", "service", "kill", "pkill",
    "nohup", "mount", "docker", "kubectl", "aws", "ssh", "scp", "useradd", "passwd", "w",
    "who", "last", "df", "du", "free", "awk", "sed", "xxd", "dd", "exit", "set", "unset",
    "alias", "which", "file", "stat", "getent", "lsof", "jobs", "sleep", "apt", "yum",
};

static bool is_command(const char *l)
{
    while (*l == ' ' || *l == '(' || *l == '{' || *l == '\t')
        l++;
    size_t n = strcspn(l, " ;|&<>()\t");
    if (n == 0 || n > 16)
        return false;
    if (n > 2 && l[0] == '.' && l[1] == '/')
        return true; /* ./script */
    const char *base = l;
    for (size_t i = 0; i < n; i++)
        if (l[i] == '/')
            base = l + i + 1; /* /bin/bash */
    size_t bn = n - (size_t)(base - l);
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == bn && memcmp(words[i], base, bn) == 0)
            return true;
    return false;
}

void net_notice(struct ty_net *n, struct net_conn *c, bool from_orig, const char *note,
                const uint8_t *msg, size_t len, const char *sub, int64_t ts)
{
    struct ty_net_notice_rec r;
    memset(&r, 0, sizeof(r));
    r.ts = ts;
    net_fill_common(c, r.uid, &r.id, &r.pos);
    snprintf(r.note, sizeof(r.note), "%s", note);
    net_escape(r.msg, sizeof(r.msg), msg, len);
    snprintf(r.sub, sizeof(r.sub), "%s", sub);
    r.src = from_orig ? c->id.orig_h : c->id.resp_h;
    r.dst = from_orig ? c->id.resp_h : c->id.orig_h;
    n->st.notices++;
    if (n->sink.notice && n->rc == 0)
        net_emit_err(n, n->sink.notice(n->sink.arg, &r));
}

static void notice(struct ty_net *n, struct net_conn *c, struct net_shell *s, int side,
                   const char *line, int64_t ts)
{
    char sub[160], a[64];
    if (s->emitted >= MAX_NOTICES) {
        s->emitted++;
        return;
    }
    s->emitted++;
    ty_net_addr_fmt(side == 0 ? &c->id.resp_h : &c->id.orig_h, a, sizeof(a));
    snprintf(sub, sizeof(sub), "typed in a cleartext shell session on %s", a);
    net_notice(n, c, side == 0, "Tyto::Shell_Command", (const uint8_t *)line, strlen(line), sub,
               ts);
}

static void line_done(struct ty_net *n, struct net_conn *c, struct net_shell *s, int k)
{
    char *l = s->line[k];
    size_t len = s->len[k];
    while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
        len--;
    l[len] = 0;
    s->len[k] = 0;
    if (!len)
        return;
    if (s->typing == k) {
        notice(n, c, s, k, l, n->now);
        return;
    }
    if (s->typing >= 0 || !is_command(l))
        return;
    if (s->n_held[k] < HOLD) {
        memcpy(s->held[k][s->n_held[k]], l, len + 1);
        s->held_ts[k][s->n_held[k]] = n->now;
        s->n_held[k]++;
    }
    if (s->n_held[k] < HOLD)
        return;
    s->typing = k; /* two command lines: this side is typing */
    for (unsigned i = 0; i < s->n_held[k]; i++)
        notice(n, c, s, k, s->held[k][i], s->held_ts[k][i]);
}

void net_shell_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                    size_t len)
{
    struct net_shell *s = c->shell;
    if (!s) {
        if (c->http || c->ssl || c->dns || c->ftp)
            return;
        s = c->shell = net_mem_get(n, sizeof(*s), true);
        if (!s)
            return;
        s->typing = -1;
    }
    if (s->give_up)
        return;
    int k = is_orig ? 0 : 1;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = p[i];
        if (b == '\n') {
            if (!s->cut[k])
                line_done(n, c, s, k);
            s->cut[k] = false;
            s->len[k] = 0;
            continue;
        }
        if (b < 0x20 && b != '\t' && b != '\r' && b != 0x1b) {
            /* binary: a shell's text has none; past a few, stop looking
             * (only while nobody is known to be typing) */
            if (s->typing < 0 && ++s->bad > 16) {
                s->give_up = true;
                return;
            }
            continue;
        }
        if (s->len[k] < LINE_MAX_ - 1)
            s->line[k][s->len[k]++] = (char)b;
        else
            s->cut[k] = true; /* an over-long line is output, not typing */
    }
}

void net_shell_close(struct ty_net *n, struct net_conn *c)
{
    if (!c->shell)
        return;
    net_mem_put(n, c->shell, sizeof(*c->shell));
    c->shell = NULL;
}
