/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-passwd.c - /etc/passwd and /etc/group from a collected tree: one
 * event per account or group with exact values, notes for uid 0 and empty
 * passwords, NIS and comment lines skipped, bad lines quarantined with their
 * offset and reason, the field view, strict sniffing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_passwd;
extern const struct ty_parser ty_parser_group;
extern const struct ty_parser ty_parser_crontab;

static const char pw[] = "root:x:0:0:root:/root:/bin/bash\n"
                         "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                         "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
                         "orders:x:998:998:Orders API,,,:/home/orders:/bin/bash\n"
                         "toor::0:0::/root:/bin/sh\n"
                         "+::::::\n";

static int collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct ty_buf *b = arg;
    ty_buf_add(b, name.p, name.len);
    ty_buf_addc(b, '=');
    ty_buf_add(b, value.p, value.len);
    ty_buf_addc(b, ';');
    return 0;
}

static void test_passwd(void)
{
    struct h h;
    struct run_counts c = h_run(&h, &ty_parser_passwd, pw);
    CHECK_INT(c.ev, 5);
    CHECK_INT(c.bad, 0);
    CHECK_INT(c.skip, 1);
    const char *js = ty_buf_str(&h.out).p;
    CHECK(strstr(js, "\"category\":\"iam\",\"action\":\"local-account\",\"actor\":\"orders\","
                     "\"actor_type\":\"local\",\"actor_id\":\"998\",\"actor_groups\":\"998\","
                     "\"file_path\":\"test\",\"message\":\"home /home/orders shell /bin/bash; "
                     "gecos Orders API,,,; login shell; time unknown (the file's mtime was not "
                     "collected)\""));
    CHECK(strstr(js, "\"actor\":\"www-data\",\"actor_type\":\"local\",\"actor_id\":\"33\""));
    CHECK(strstr(js, "\"message\":\"home /root shell /bin/sh; uid 0 but not root; empty "
                     "password field: no password; login shell;"));
    CHECK(!ty_event_has(&h.last, TY_F_HOST));
    struct ty_buf b;
    ty_buf_init(&b, 0);
    h.last.raw = ty_str_cstr("orders:x:998:998:Orders API,,,:/home/orders:/bin/bash");
    CHECK_INT(ty_parser_passwd.fields(&h.last, collect, &b), 0);
    CHECK_STR(ty_buf_str(&b).p, "name=orders;password=x;uid=998;gid=998;gecos=Orders API,,,;"
                                "home=/home/orders;shell=/bin/bash;");
    ty_buf_release(&b);
    h_close(&h);

    h_open(&h, &ty_parser_passwd, pw, strlen(pw));
    h.offset = 40;
    CHECK_INT(h_feed(&h, "alice:x:1000:1000:/home/alice:/bin/bash"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "passwd line at byte 40: not 7 ':'-separated fields"));
    CHECK_INT(h_feed(&h, "alice:x:10a0:1000::/home/alice:/bin/bash"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "id not a number"));
    CHECK_INT(h_feed(&h, "alice:x:99999999999:1::/home/alice:/bin/bash"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "al ice:x:1:1::/home/alice:/bin/bash"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "bad account name"));
    CHECK_INT(h_feed(&h, "alice:x:1:1::home:/bin/bash"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "# a comment"), TY_SKIP);
    CHECK_INT(h_feed(&h, "-bob::::::"), TY_SKIP);
    h_close(&h);
}

static void test_group(void)
{
    struct h h;
    struct run_counts c = h_run(&h, &ty_parser_group,
                                "root:x:0:\nsudo:x:27:alice,bob\ndocker:x:999:orders\n");
    CHECK_INT(c.ev, 3);
    CHECK(strstr(ty_buf_str(&h.out).p,
                 "\"action\":\"local-group\",\"actor_groups\":\"alice,bob\",\"target_kind\":"
                 "\"group\",\"target\":\"27\",\"target_name\":\"sudo\""));
    h_close(&h);
    h_open(&h, &ty_parser_group, "root:x:0:\n", 10);
    CHECK_INT(h_feed(&h, "root:x:0"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not 4 ':'-separated fields"));
    h_close(&h);
}

static void test_sniff(void)
{
    CHECK_INT(ty_parser_passwd.sniff(ty_str_cstr(pw)), 80);
    CHECK_INT(ty_parser_group.sniff(ty_str_cstr(pw)), 0);
    CHECK_INT(ty_parser_passwd.sniff(ty_str_cstr("bob:x:1000:1000::/home/bob:/bin/bash\n")), 40);
    CHECK_INT(ty_parser_passwd.sniff(ty_str_cstr("root:x:0:0:root:/root:/bin/bash\nhello\n")), 0);
    CHECK_INT(ty_parser_passwd.sniff(ty_str_cstr("# only a comment\n")), 0);
    CHECK_INT(ty_parser_group.sniff(ty_str_cstr("root:x:0:\ndaemon:x:1:\n")), 80);
    CHECK_INT(ty_parser_group.sniff(ty_str_cstr("a:b:c:d\n")), 0);
    /* a crontab is not an account file, nor the reverse */
    const char *cron = "*/5 * * * * /usr/bin/true\n";
    CHECK_INT(ty_parser_passwd.sniff(ty_str_cstr(cron)), 0);
    CHECK_INT(ty_parser_crontab.sniff(ty_str_cstr(pw)), 0);
}

void test_parse_passwd(void);
void test_parse_passwd(void)
{
    test_passwd();
    test_group();
    test_sniff();
    q_release();
}
