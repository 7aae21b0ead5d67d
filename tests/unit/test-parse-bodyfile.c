/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-bodyfile.c - the bodyfile parser: TSK 3.x lines, names holding
 * '|', missing/-1/0/fractional times (ts = earliest, ts_end = latest), TSK
 * name suffixes stripped from file_path, pre-3.0 16-field lines, mac-robber
 * headers, corrupt lines naming the field, fields() by column name, sniff
 * scores, and plaso's bodyfile counts when the shared data is present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

/* registered parsers not (yet) declared in parser.h */
extern const struct ty_parser ty_parser_bodyfile;

#define FEED(s) (h.offset = 0, h_feed_raw(&h, (s), strlen(s)))

struct kvs {
    char buf[1024];
    size_t len;
};

static int kv_cat(void *arg, struct ty_str name, struct ty_str value)
{
    struct kvs *k = arg;
    k->len += (size_t)snprintf(k->buf + k->len, sizeof(k->buf) - k->len, "%.*s=%.*s;",
                               (int)name.len, name.p, (int)value.len, value.p);
    return 0;
}

static void test_lines(void)
{
    struct h h;
    const char *l1 = "0|/usr/bin/bash|393311|r/rrwxr-xr-x|0|0|1265648|1710252309|1699990000|"
                     "1700000100|1700000100";
    h_open(&h, &ty_parser_bodyfile, l1, strlen(l1));
    CHECK_INT(FEED(l1), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1699990000) * TY_NS_PER_SEC);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_END, 0), INT64_C(1710252309) * TY_NS_PER_SEC);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "file-m...");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/usr/bin/bash");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_KIND), "file");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CATEGORY), "file");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "m=2023-11-14T19:26:40Z a=2024-03-12T14:05:09Z c=2023-11-14T22:15:00Z "
               "b=2023-11-14T22:15:00Z size=1265648 mode=r/rrwxr-xr-x uid=0 gid=0 inode=393311");
    CHECK_INT(ty_parser_bodyfile.taxonomy(&h.last), TY_SCAT_FILE_EVENT);
    struct kvs k = {.len = 0};
    CHECK_INT(ty_parser_bodyfile.fields(&h.last, kv_cat, &k), 0);
    CHECK_STR(k.buf, "md5=0;name=/usr/bin/bash;inode=393311;mode=r/rrwxr-xr-x;uid=0;gid=0;"
                     "size=1265648;atime=1710252309;mtime=1699990000;ctime=1700000100;"
                     "crtime=1700000100;");
    /* a name holding '|', deleted, crtime missing */
    CHECK_INT(FEED("0|/tmp/a|b.sh (deleted)|917530|r/rrwxr-xr-x|0|0|412|1710252310|1710252310|"
                   "1710252312|0"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/tmp/a|b.sh");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_DISPOSITION), "deleted");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "file-ma..");
    /* symlink target, -1 and fractional times */
    CHECK_INT(FEED("0|/a_link -> a_directory/f|13|l/lrwxrwxrwx|0|0|24|-1|1393145686.25|-1|0"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/a_link");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "a_directory/f");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_KIND), "symlink");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1393145686250000000));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS_PREC, -1), 2);
    CHECK(!ty_event_has(&h.last, TY_F_TS_END));
    /* a deleted name without metadata: still evidence, untimed */
    CHECK_INT(FEED("0|/a/.swp (deleted)|0|r/----------|0|0|0|0|0|0|0"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "file-untimed");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, -1), 0);
    /* NTFS $FILE_NAME line and 2.x layout */
    CHECK_INT(FEED("0|/run.exe ($FILE_NAME)|5521-48-2|r/rrwxrwxrwx|0|0|82|1710252200|"
                   "1710252200|1710252200|1710252200"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/run.exe");
    CHECK_INT(FEED("0|/etc/passwd|2049|1234|33188|-rw-r--r--|1|0|0|0|1500|1710252200|1710252201|"
                   "1710252202|4096|8"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/etc/passwd");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252200) * TY_NS_PER_SEC);
    /* headers and comments are not records */
    CHECK_INT(FEED("MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime"),
              TY_SKIP);
    CHECK_INT(FEED("# fls output"), TY_SKIP);
    CHECK_INT(FEED("class|host|start_time"), TY_SKIP);
    CHECK_INT(FEED("body|web-1|1710252401"), TY_SKIP);
    CHECK_INT(FEED("0|t/a.txt|0|-rw-r--r--|0|0|3|1710252401|1710252401|1710252401|0"), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "web-1");
    /* corrupt lines name what is wrong */
    CHECK_INT(FEED("0|/x|1|r/r|0|0|3|1710252401|1710252401"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "fewer than 11") != NULL);
    CHECK_INT(FEED("0|/x|1|r/r---------|0|0|big|1|2|3|4"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "size 'big'") != NULL);
    CHECK_INT(FEED("0|/x|1|r/r---------|0|0|3|1|2|yesterday|4"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "ctime 'yesterday'") != NULL);
    h_close(&h);
}

static void test_sniff(void)
{
    const char two[] = "0|/a|1|r/rrw-r--r--|0|0|3|1|2|3|4\n0|/b|2|d/drwxr-xr-x|0|0|3|1|2|3|0\n";
    CHECK_INT(ty_parser_bodyfile.sniff(ty_str_make(two, strlen(two))), 90);
    CHECK_INT(ty_parser_bodyfile.sniff(TY_STR_LIT("class|host|start_time\nbody|h|1\n")), 95);
    CHECK_INT(ty_parser_bodyfile.sniff(TY_STR_LIT("a|b|c\n")), 0);
    CHECK_INT(ty_parser_bodyfile.sniff(TY_STR_LIT("0|/a|1|r/r|0|0|3|x|2|3|4\n")), 0);
    CHECK_INT(ty_parser_bodyfile.sniff(TY_STR_LIT("{\"a\":\"b|c|d|e|f|g|h|i|j|k|l\"}\n")), 0);
}

static void test_plaso(void)
{
    const char *dir = ty_test_data_dir();
    char path[1024];
    if (!dir) {
        ty_test_skip("shared data absent");
        return;
    }
    size_t len;
    snprintf(path, sizeof(path), "%s/plaso/test_data/bodyfile/bodyfile", dir);
    char *s = ty_test_read_file(path, &len);
    if (!s) {
        ty_test_skip("plaso bodyfile absent");
        return;
    }
    struct h h;
    struct run_counts c = h_run(&h, &ty_parser_bodyfile, s);
    CHECK_INT(c.ev, 24); /* plaso's test asserts 24 entries */
    CHECK_INT(c.bad, 0);
    h_close(&h);
    free(s);
    snprintf(path, sizeof(path), "%s/plaso/test_data/bodyfile/bodyfile.corrupt", dir);
    s = ty_test_read_file(path, &len);
    if (s) {
        c = h_run(&h, &ty_parser_bodyfile, s);
        CHECK_INT(c.ev, 3);
        CHECK(strstr(h.out.buf, "\"file_path\":\"/passwords\\r.txt\"") != NULL);
        CHECK(strstr(h.out.buf, "inode=1688849860339456 mft_entry=75520") != NULL);
        h_close(&h);
        free(s);
    }
}

void test_parse_bodyfile(void);
void test_parse_bodyfile(void)
{
    test_lines();
    test_sniff();
    test_plaso();
    q_release();
}
