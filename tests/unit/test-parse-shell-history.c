/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-shell-history.c - bash history with #epoch lines (multi-line
 * commands under one time), zsh extended history (with '\' continuations),
 * untimed history (file mtime as an upper bound, or 0), the actor from the
 * evidence path, NUL bytes quarantined, no Sigma category, sniff scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_shell_history;

#define FEED(s) (h.offset = 0, h_feed_raw(&h, (s), strlen(s)))

/* Reopen with an evidence path and a file mtime. */
static void reopen(struct h *h, const char *evidence, int64_t mtime)
{
    h->p->close(&h->ctx);
    h->ctx.evidence = evidence;
    h->ctx.file_mtime = mtime;
    CHECK_INT(h->p->open(&h->ctx, &h->err), 0);
}

static void test_bash(void)
{
    struct h h;
    const char head[] = "#1710252305\ncd /tmp\n";
    h_open(&h, &ty_parser_shell_history, head, strlen(head));
    reopen(&h, "/evidence/home/alice/.bash_history", 0);
    CHECK_STR(h.ctx.shape, "bash history with #epoch lines");
    CHECK_INT(FEED("#1710252305"), TY_SKIP);
    CHECK_INT(FEED("cd /tmp"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252305) * TY_NS_PER_SEC);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "cd /tmp");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "alice");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "shell-command");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "process");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TIME_TEXT), "1710252305");
    CHECK(!ty_event_has(&h.last, TY_F_MESSAGE));
    CHECK_INT(ty_parser_shell_history.taxonomy(&h.last), TY_SCAT_NONE);
    CHECK_INT(FEED("#1710252309"), TY_SKIP);
    CHECK_INT(FEED("for i in 1 2; do"), TY_OK);
    CHECK_INT(FEED("  echo $i; done"), TY_OK); /* same command, same time */
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309) * TY_NS_PER_SEC);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "continuation line of a multi-line command");
    CHECK_INT(FEED("# a comment typed at the prompt"), TY_OK);
    CHECK_INT(FEED(""), TY_SKIP);
    CHECK_INT(h_feed_raw(&h, "ls\0x", 4), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "NUL") != NULL);
    h_close(&h);
}

static void test_zsh_and_untimed(void)
{
    struct h h;
    const char head[] = ": 1700000000:0;ls -la\n";
    h_open(&h, &ty_parser_shell_history, head, strlen(head));
    reopen(&h, "root/.zsh_history", 0);
    CHECK_STR(h.ctx.shape, "zsh extended history");
    CHECK_INT(FEED(": 1700000005:2;echo a \\"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROVIDER), "zsh");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "root");
    CHECK_INT(FEED("b"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1700000005) * TY_NS_PER_SEC);
    CHECK_INT(FEED(": 1700000009:0;exit"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "exit");
    h_close(&h);

    /* untimed: the file's mtime as an upper bound, or 0 */
    h_open(&h, &ty_parser_shell_history, "ls\n", 3);
    reopen(&h, "/home/bob/.bash_history", INT64_C(1710000000123456789));
    CHECK_STR(h.ctx.shape, "shell history without times");
    CHECK_INT(FEED("wget http://203.0.113.9/m"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710000000123456789));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "untimed: the time is the history file's last write, an upper bound");
    reopen(&h, "bash_history", 0);
    CHECK_INT(FEED("ls"), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, -1), 0);
    CHECK(!ty_event_has(&h.last, TY_F_ACTOR));
    h_close(&h);
}

static void test_sniff(void)
{
    CHECK_INT(ty_parser_shell_history.sniff(TY_STR_LIT(
                  "#1710252305\ncd /tmp\n#1710252309\ncurl x | sh\n#1710252401\nsudo -i\n")),
              70);
    CHECK_INT(ty_parser_shell_history.sniff(
                  TY_STR_LIT(": 1700000000:0;ls\n: 1700000001:0;cd /\n: 1700000002:0;id\n")),
              85);
    /* plain history and other text: no claim */
    CHECK_INT(ty_parser_shell_history.sniff(TY_STR_LIT("ls\ncd /\nsudo -i\n")), 0);
    CHECK_INT(ty_parser_shell_history.sniff(TY_STR_LIT("#1710252305\n#1710252306\n")), 0);
    CHECK_INT(ty_parser_shell_history.sniff(
                  TY_STR_LIT("Mar 12 15:04:58 bastion-1 sshd[2190]: Failed password\n")),
              0);
}

void test_parse_shell_history(void);
void test_parse_shell_history(void)
{
    test_bash();
    test_zsh_and_untimed();
    test_sniff();
    q_release();
}
