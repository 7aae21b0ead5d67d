/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-event.c - the field table and the event setters and renderings.
 */
#include <stdlib.h>

#include <tyto/event.h>

#include "test.h"

void test_event(void);
void test_event(void)
{
    struct ty_event ev;
    struct ty_buf b;
    ty_buf_init(&b, 0);

    /* the table is complete and names are unique */
    for (int i = 0; i < TY_F__COUNT; i++) {
        CHECK(ty_fields[i].name && ty_fields[i].name[0]);
        CHECK_INT(ty_field_lookup(ty_str_cstr(ty_fields[i].name)), i);
    }
    CHECK_INT(ty_field_lookup(ty_str_cstr("no_such_field")), -1);

    ty_event_clear(&ev);
    CHECK(!ty_event_has(&ev, TY_F_ACTOR));
    ty_event_set_str(&ev, TY_F_ACTOR, ty_str_cstr(""));
    CHECK(!ty_event_has(&ev, TY_F_ACTOR)); /* empty stays absent */
    ty_event_set_int(&ev, TY_F_TS, INT64_C(1710252309) * 1000000000);
    ty_event_set_int(&ev, TY_F_TS_PREC, 0);
    ty_event_set_str(&ev, TY_F_ACTION, ty_str_cstr("GetObject"));
    ty_event_set_addr(&ev, TY_F_SRC_IP, TY_F_SRC_ADDR, ty_str_cstr("203.0.113.7"));
    ty_event_set_addr(&ev, TY_F_DST_IP, TY_F_DST_ADDR, ty_str_cstr("AWS Internal"));
    ty_event_set_int(&ev, TY_F_BYTES_OUT, 1234);
    ty_event_set_str(&ev, TY_F_USER_AGENT, ty_str_cstr("aws-cli/2 \"q\""));
    ev.format = "aws-cloudtrail";
    ev.offset = 17;
    ev.line = 2;
    CHECK(ty_event_has(&ev, TY_F_SRC_IP) && !ty_event_has(&ev, TY_F_SRC_ADDR));
    CHECK(ty_event_has(&ev, TY_F_DST_ADDR) && !ty_event_has(&ev, TY_F_DST_IP));
    CHECK_INT(ty_event_to_json(&ev, &b), 0);
    CHECK_STR(b.buf, "{\"ts\":\"2024-03-12T14:05:09Z\",\"ts_prec\":0,\"action\":\"GetObject\","
                     "\"user_agent\":\"aws-cli/2 \\\"q\\\"\",\"src_ip\":\"203.0.113.7\","
                     "\"dst_addr\":\"AWS Internal\",\"bytes_out\":1234,"
                     "\"format\":\"aws-cloudtrail\",\"offset\":17,\"line\":2}");
    ty_buf_reset(&b);
    CHECK_INT(ty_event_field_text(&ev, TY_F_SRC_IP, &b), 0);
    CHECK_STR(b.buf, "203.0.113.7");
    ty_event_unset(&ev, TY_F_SRC_IP);
    CHECK(!ty_event_has(&ev, TY_F_SRC_IP));
    ty_buf_release(&b);

    /* docs/internals/EVENT-MODEL.md lists every field */
    char *doc = ty_test_read_file("docs/internals/EVENT-MODEL.md", NULL);
    CHECK(doc != NULL);
    for (int i = 0; doc && i < TY_F__COUNT; i++) {
        char pat[64];
        snprintf(pat, sizeof(pat), "| `%s` |", ty_fields[i].name);
        if (!strstr(doc, pat))
            ty_test_fail(__FILE__, __LINE__, "EVENT-MODEL.md does not list field %s",
                         ty_fields[i].name);
    }
    free(doc);
}
