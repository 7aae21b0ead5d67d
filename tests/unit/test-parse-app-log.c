/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-app-log.c - Java application logs: Spring Boot (2 and 3), log4j
 * and Hadoop layouts, stack traces joined to their record (the previous
 * record emitted by the next header, the last by finish()), exception class
 * and message, the field view, bad lines with offsets, a record cut at the
 * size cap, and sniff scores against syslog and web logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_app_log;
extern const struct ty_parser ty_parser_syslog;
extern const struct ty_parser ty_parser_weblog;

static int collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct ty_buf *b = arg;
    ty_buf_add(b, name.p, name.len);
    ty_buf_addc(b, '=');
    ty_buf_add(b, value.p, value.len);
    ty_buf_addc(b, ';');
    return 0;
}

static int finish(struct h *h)
{
    h->n = 0;
    h->ctx.rec = NULL;
    h->ctx.n_emitted = 0;
    return h->p->finish(&h->ctx, &h->err);
}

static const char spring[] =
    "2026-10-27 11:41:37.402  INFO 8658 --- [nio-8080-exec-7] c.a.orders.web.PreviewController  "
    "       : preview url=http://127.0.0.1:8081/internal/render client=198.51.100.190\n"
    "2026-10-27 11:41:37.433 ERROR 8658 --- [nio-8081-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]"
    "    : Servlet.service() threw exception\n"
    "org.springframework.expression.spel.SpelEvaluationException: EL1001E: Type conversion "
    "problem\n"
    "\tat org.springframework.expression.spel.support.StandardTypeConverter.convertValue("
    "StandardTypeConverter.java:75)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n"
    "Caused by: java.lang.IllegalStateException: inner\n"
    "\t... 12 more\n"
    "2026-10-27 11:41:38.000  WARN 8658 --- [           main] c.a.orders.Foo                   "
    "        : last one\n";

static void test_spring(void)
{
    struct h h;
    struct run_counts c = h_run(&h, &ty_parser_app_log, spring);
    CHECK_STR(h.ctx.shape, "Spring Boot log; local time without zone: UTC assumed");
    /* 3 headers, 5 continuation lines: the first two records are out, the third waits;
     * the first header is held (counted, its event comes with the second) */
    CHECK_INT(c.rec, 8);
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    CHECK_INT(c.skip, 5);
    CHECK(ty_str_contains(ty_buf_str(&h.out),
                          "\"message\":\"preview url=http://127.0.0.1:8081/internal/"
                          "render client=198.51.100.190\""));
    /* the second record (emitted by the third header) carries its trace; the event's
     * strings point into the parser's buffer, so check the JSON rendered at emit time */
    const char *js = strstr(ty_buf_str(&h.out).p, "\"severity\":\"ERROR\"");
    CHECK(js != NULL);
    CHECK(ty_str_contains(ty_buf_str(&h.out),
                          "\"ts\":\"2026-10-27T11:41:37.433Z\",\"ts_prec\":3,"
                          "\"time_text\":\"2026-10-27 11:41:37.433\",\"category\":"
                          "\"application\",\"action\":\"log\",\"provider\":\"o.a.c.c.C.[.[.[/]."
                          "[dispatcherServlet]\",\"status_code\":\"org.springframework."
                          "expression.spel.SpelEvaluationException\",\"status_detail\":"
                          "\"EL1001E: Type conversion problem\",\"correlation_id\":"
                          "\"nio-8081-exec-1\",\"pid\":8658,\"severity\":\"ERROR\","
                          "\"message\":\"Servlet.service() threw exception\""));

    /* the stream's end completes the last record */
    CHECK_INT(finish(&h), 0);
    CHECK_INT(h.n, 1);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "last one");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CORRELATION_ID), "main");
    CHECK(!ty_event_has(&h.last, TY_F_STATUS_CODE));
    CHECK_INT(finish(&h), 0); /* nothing left */
    CHECK_INT(h.n, 0);
    h_close(&h);

    /* the same record last in its stream: the event itself, its raw and its fields */
    const char *second = strstr(spring, "2026-10-27 11:41:37.433");
    char *tail = strdup(second);
    *strstr(tail, "2026-10-27 11:41:38") = '\0';
    c = h_run(&h, &ty_parser_app_log, tail);
    CHECK_INT(c.ev, 0);
    CHECK_INT(finish(&h), 0);
    CHECK_INT(h.n, 1);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SEVERITY), "ERROR");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE),
               "org.springframework.expression.spel.SpelEvaluationException");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1793101297433) * 1000000);
    CHECK(ty_str_ends(h.last.raw, "\t... 12 more"));
    CHECK(ty_str_contains(h.last.raw, "\n\tat java.base/java.lang.Thread.run"));
    struct ty_buf b;
    ty_buf_init(&b, 0);
    CHECK_INT(ty_parser_app_log.fields(&h.last, collect, &b), 0);
    CHECK(ty_str_contains(ty_buf_str(&b),
                          "level=ERROR;pid=8658;thread=nio-8081-exec-1;logger=o.a.c.c.C."
                          "[.[.[/].[dispatcherServlet];message=Servlet.service() threw "
                          "exception;exception=org.springframework.expression.spel."
                          "SpelEvaluationException;stacktrace=org."));
    ty_buf_release(&b);
    h_close(&h);
    free(tail);
}

static void test_layouts(void)
{
    struct h h;
    /* log4j "%d [%t] %-5p %c - %m%n" */
    struct run_counts c = h_run(&h, &ty_parser_app_log,
                                "2026-10-20 12:00:01,123 [main] INFO  com.example.Foo - started\n"
                                "2026-10-20 12:00:02,000 [pool-1-thread-2] ERROR com.example.Bar "
                                "- failed: x\n");
    CHECK_STR(h.ctx.shape, "log4j/logback log; local time without zone: UTC assumed");
    CHECK_INT(c.ev, 1);
    CHECK(ty_str_contains(ty_buf_str(&h.out),
                          "\"ts\":\"2026-10-20T12:00:01.123Z\",\"ts_prec\":3,\"time_text\":"
                          "\"2026-10-20 12:00:01,123\",\"category\":\"application\",\"action\":"
                          "\"log\",\"provider\":\"com.example.Foo\",\"correlation_id\":\"main\","
                          "\"severity\":\"INFO\",\"message\":\"started\""));
    CHECK_INT(finish(&h), 0);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "failed: x");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SEVERITY), "ERROR");
    h_close(&h);

    /* Hadoop "%d{ISO8601} %p %c: %m%n" */
    c = h_run(&h, &ty_parser_app_log,
              "2026-09-08 00:05:01,426 INFO org.apache.hadoop.yarn.server.resourcemanager."
              "RMAuditLogger: USER=etl\tIP=10.0.9.20\tOPERATION=Submit Application Request\n");
    CHECK_STR(h.ctx.shape, "log4j log (Hadoop layout); local time without zone: UTC assumed");
    CHECK_INT(c.ev, 0);
    CHECK_INT(finish(&h), 0);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROVIDER),
               "org.apache.hadoop.yarn.server.resourcemanager.RMAuditLogger");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "USER=etl\tIP=10.0.9.20\tOPERATION=Submit Application Request");
    CHECK(!ty_event_has(&h.last, TY_F_PID));
    h_close(&h);

    /* Tomcat's OneLineFormatter (catalina.out): month name, no separator after the logger */
    c = h_run(&h, &ty_parser_app_log,
              "27-Oct-2026 11:41:37.433 INFO [main] org.apache.catalina.startup.Catalina.start "
              "Server startup in [1234] milliseconds\n"
              "27-Oct-2026 11:41:38.000 SEVERE [http-nio-8080-exec-1] org.apache.catalina.core."
              "StandardWrapperValve.invoke Servlet.service() threw exception\n"
              "java.lang.NullPointerException: x\n");
    CHECK_STR(h.ctx.shape, "Tomcat/JULI log; local time without zone: UTC assumed");
    CHECK_INT(c.ev, 1);
    CHECK(ty_str_contains(ty_buf_str(&h.out),
                          "\"ts\":\"2026-10-27T11:41:37.433Z\",\"ts_prec\":3,\"time_text\":"
                          "\"27-Oct-2026 11:41:37.433\",\"category\":\"application\",\"action\":"
                          "\"log\",\"provider\":\"org.apache.catalina.startup.Catalina.start\","
                          "\"correlation_id\":\"main\",\"severity\":\"INFO\",\"message\":"
                          "\"Server startup in [1234] milliseconds\""));
    CHECK_INT(finish(&h), 0);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SEVERITY), "SEVERE");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_STATUS_CODE), "java.lang.NullPointerException");
    h_close(&h);
    CHECK_INT(ty_parser_app_log.sniff(ty_str_cstr("27-Oct-2026 11:41:37.433 INFO [main] a.B.c x\n"
                                                  "27-Foo-2026 11:41:37.433 INFO [main] a.B.c x\n"
                                                  "27-Oct-2026 11:41:37.433 INFO a.B.c x\n"
                                                  "27-Oct-2026 11:41:37 INFO [main] a.B.c x\n")),
              0); /* only the first of 4 lines is a header: not enough */

    /* Spring Boot 3: ISO time with a zone, [app] before [thread] */
    c = h_run(&h, &ty_parser_app_log,
              "2026-10-20T12:00:01.123+02:00  INFO 42 --- [orders] [           main] "
              "c.e.App                                  : Started\n");
    CHECK_STR(h.ctx.shape, "Spring Boot log; time zone in the record");
    CHECK_INT(finish(&h), 0);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CORRELATION_ID), "main");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0) / TY_NS_PER_SEC, INT64_C(1792490401));
    struct ty_buf b;
    ty_buf_init(&b, 0);
    ty_parser_app_log.fields(&h.last, collect, &b);
    CHECK(ty_str_contains(ty_buf_str(&b), "application=orders;thread=main;"));
    ty_buf_release(&b);
    h_close(&h);
}

static void test_bad(void)
{
    struct h h;
    /* a continuation with no record before it (a log cut mid-trace) */
    struct run_counts c = h_run(&h, &ty_parser_app_log,
                                "\tat a.b.C.d(C.java:1)\n"
                                "2026-10-20 12:00:01.123  INFO 1 --- [main] c.e.A : ok\n"
                                "2026-13-20 12:00:01.123  INFO 1 --- [main] c.e.A : bad month\n"
                                "\tat a.b.C.d(C.java:2)\n"
                                "2026-10-20 12:00:02.000  INFO 1 --- [main] c.e.A : ok again\n");
    CHECK_INT(c.bad, 3);
    CHECK_INT(c.ev, 1);
    h_close(&h);

    const char head[] = "2026-10-20 12:00:01.123  INFO 1 --- [main] c.e.A : ok\n";
    h_open(&h, &ty_parser_app_log, head, strlen(head));
    h.offset = 0;
    CHECK_INT(h_feed_raw(&h, "\tat x.Y.z(Y.java:1)", 19), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 0 is not a record and follows none"));
    h.offset = 100;
    CHECK_INT(h_feed_raw(&h, "2026-10-20 12:00:01.123  INFO 1 --- [main] c.e.A : a\0b", 53),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 100 holds a NUL byte"));
    h.offset = 200;
    CHECK_INT(h_feed_raw(&h, "2026-02-30 12:00:01.123  INFO 1 --- [main] c.e.A : x", 51),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 200: bad time"));
    CHECK_INT(h_feed_raw(&h, "\tat x.Y.z(Y.java:1)", 19), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "continues the bad record at byte 200"));
    /* the line framer never gives a newline inside a record: refused, not misread */
    const char *two = "2026-10-20 12:00:01 [ma\nin] INFO c.e.A - x";
    CHECK_INT(h_feed_raw(&h, two, strlen(two)), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "is not one line"));
    h_close(&h);

    /* a record past the cap is cut and says how much was left out */
    size_t n = 6000, len = 0;
    const char *hd = "2026-10-20 12:00:01.123 ERROR 1 --- [main] c.e.A : boom\n";
    const char *fr = "\tat com.example.deep.Recursion.call(Recursion.java:12345)\n";
    char *big = malloc(strlen(hd) + n * strlen(fr) + 1);
    memcpy(big, hd, strlen(hd));
    len = strlen(hd);
    for (size_t i = 0; i < n; i++) {
        memcpy(big + len, fr, strlen(fr));
        len += strlen(fr);
    }
    big[len] = '\0';
    c = h_run(&h, &ty_parser_app_log, big);
    CHECK_INT(c.bad, 0);
    CHECK_INT(finish(&h), 0);
    CHECK_INT(h.n, 1);
    CHECK(ty_str_contains(ty_event_str(&h.last, TY_F_MESSAGE), "boom [record cut at 262144"));
    CHECK(h.last.raw.len <= 262144);
    h_close(&h);
    free(big);
}

static void test_sniff(void)
{
    struct ty_str s;
    s = ty_str_cstr(spring);
    CHECK_INT(ty_parser_app_log.sniff(s), 60);
    s = ty_str_cstr("2026-10-20T12:00:01.123+00:00 web-1 sshd[812]: Accepted publickey for bob\n"
                    "2026-10-20T12:00:02.123+00:00 web-1 sshd[812]: pam_unix(sshd:session): x\n");
    CHECK_INT(ty_parser_app_log.sniff(s), 0);
    CHECK(ty_parser_syslog.sniff(s) > 0);
    s = ty_str_cstr("203.0.113.9 - - [20/Oct/2026:12:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n");
    CHECK_INT(ty_parser_app_log.sniff(s), 0);
    s = ty_str_cstr("2026-10-20 12:00:01 some text without a level\n2026-10-20 12:00:02 more\n");
    CHECK_INT(ty_parser_app_log.sniff(s), 0);
    s = ty_str_cstr("\tat a.b.C(C.java:1)\n2026-10-20 12:00:01.123  INFO 1 --- [main] c.e.A : x\n");
    CHECK_INT(ty_parser_app_log.sniff(s), 0);
    s = ty_str_cstr("2026-10-20 12:00:01.123  INFO 1 --- [main] c.e.A : one line, no newline");
    CHECK_INT(ty_parser_app_log.sniff(s), 40);
}

void test_parse_app_log(void);
void test_parse_app_log(void)
{
    test_spring();
    test_layouts();
    test_bad();
    test_sniff();
    q_release();
}
