/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-weblog.c - the access log parser: common, combined, vhost and
 * extra-field lines with exact events, the webserver fields() view, odd
 * prefixes, junk requests, bad lines naming their byte, sniff scores, and
 * conformance: plaso's apache_access.log counts and values, lnav's good and
 * malformed logs, sekoia's apache/nginx expected fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <dirent.h>

#include <tyto/buf.h>
#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

static const char combined[] =
    "127.0.0.1 - userfoo [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?a=1&b=2 HTTP/1.0\" "
    "200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
static const char combined_json[] =
    "{'ts':'2000-10-10T20:55:36Z','ts_prec':0,'time_text':'10/Oct/2000:13:55:36 -0700',"
    "'category':'web','action':'http_request','provider':'http-access-log','outcome':"
    "'success','status_code':'200','actor':'userfoo','user_agent':'Mozilla/4.08 [en] (Win98; "
    "I ;Nav)','src_ip':'127.0.0.1','bytes_out':2326,'request_uri':'/apache_pb.gif?a=1&b=2',"
    "'http_method':'GET','http_status':200,'format':'weblog','offset':0,'line':1}\n";

static const char vhost[] =
    "plaso.log2timeline.net:443 192.168.0.2 - - [13/Jan/2018:19:31:20 +0200] \"POST "
    "/wp-content/plugins/wp-shell/shell.php HTTP/1.1\" 500 - \"-\" \"curl/8.0\" 0.010 \"x\"";
static const char vhost_json[] =
    "{'ts':'2018-01-13T17:31:20Z','ts_prec':0,'time_text':'13/Jan/2018:19:31:20 +0200',"
    "'category':'web','action':'http_request','provider':'http-access-log','outcome':"
    "'failure','status_code':'500','user_agent':'curl/8.0','src_ip':'192.168.0.2',"
    "'dst_port':443,'request_uri':'/wp-content/plugins/wp-shell/shell.php','domain':"
    "'plaso.log2timeline.net','http_method':'POST','http_status':500,'format':'weblog',"
    "'offset':0,'line':1}\n";

static int feed0(struct h *h, const char *line)
{
    h->offset = 0;
    return h_feed_raw(h, line, strlen(line));
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

static void test_lines(void)
{
    struct h h;
    struct ty_buf f;
    char ipb[TY_IP_STRLEN];
    ty_buf_init(&f, 0);
    h_open(&h, &ty_parser_weblog, combined, strlen(combined));
    CHECK_STR(h.ctx.shape, "combined");
    CHECK_INT(feed0(&h, combined), TY_OK);
    CHECK_STR(h.out.buf, q(&h, combined_json));
    CHECK_INT(ty_parser_weblog.taxonomy(&h.last), TY_SCAT_WEBSERVER);
    CHECK_INT(ty_parser_weblog.fields(&h.last, collect, &f), 0);
    CHECK_STR(f.buf, "c-ip=127.0.0.1\ncs-ident=-\ncs-username=userfoo\n"
                     "date=10/Oct/2000:13:55:36 -0700\ncs-method=GET\n"
                     "cs-uri=/apache_pb.gif?a=1&b=2\ncs-uri-stem=/apache_pb.gif\n"
                     "cs-uri-query=a=1&b=2\ncs-version=HTTP/1.0\n"
                     "request=GET /apache_pb.gif?a=1&b=2 HTTP/1.0\nsc-status=200\n"
                     "sc-bytes=2326\ncs-referer=http://www.example.com/start.html\n"
                     "referrer=http://www.example.com/start.html\n"
                     "cs-user-agent=Mozilla/4.08 [en] (Win98; I ;Nav)\n");

    CHECK_INT(feed0(&h, vhost), TY_OK);
    CHECK_STR(h.out.buf, q(&h, vhost_json));
    ty_buf_reset(&f);
    ty_parser_weblog.fields(&h.last, collect, &f);
    CHECK(strstr(f.buf, "\ncs-host=plaso.log2timeline.net\ns-port=443\n") != NULL);
    CHECK(strstr(f.buf, "sc-bytes") == NULL); /* "-" */

    /* a remote user with a space, an IPv6 client behind a "-" vhost */
    CHECK_INT(feed0(&h, "192.168.1.100 - john doe [15/Jan/2024:14:30:25 +0100] \"GET /api "
                        "HTTP/1.1\" 200 2048 \"-\" \"-\""),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "john doe");
    CHECK(!ty_event_has(&h.last, TY_F_USER_AGENT));
    CHECK_INT(feed0(&h, "- 1234:567:abcd:890:1234:5678:abcd:9012 - - [01/Oct/2024:10:22:11 "
                        "+0200] \"GET /test.fr HTTP/1.1\" 404 1450 \"-\" \"-\""),
              TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "1234:567:abcd:890:1234:5678:abcd:9012");
    CHECK(!ty_event_has(&h.last, TY_F_DOMAIN));
    CHECK_INT(feed0(&h, "1.2.3.4 (-) - - [01/Oct/2024:08:22:45 +0000] \"POST /App/tests "
                        "HTTP/1.1\" 200 377 \"https://app.testing.fr/App/6\" \"UA\""),
              TY_OK);
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ipb), "1.2.3.4");
    /* a quoted field before the request; an unquoted extra before the referer */
    CHECK_INT(feed0(&h, "127.0.0.1 - - [04/Aug/2025:09:52:56 +0200] \"-\" \"GET /x.txt "
                        "HTTP/1.1\" 200 2545 0 \"https://example.com\" \"Firefox\""),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_REQUEST_URI), "/x.txt");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_USER_AGENT), "Firefox");
    /* unescaped quotes inside the request; an escaped quote in the agent */
    CHECK_INT(feed0(&h, "1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] \"GET /a?t=<script>alert("
                        "\"x\")</script> HTTP/1.0\" 404 1164 \"-\" \"say \\\"hi\\\"\""),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_REQUEST_URI), "/a?t=<script>alert(\"x\")</script>");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_USER_AGENT), "say \\\"hi\\\"");
    /* TLS bytes sent to an HTTP port: kept as the URI, no method */
    CHECK_INT(feed0(&h, "203.0.113.5 - - [25/Apr/2021:06:15:33 +0000] "
                        "\"\\x16\\x03\\x01\\x02\" 400 226"),
              TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_HTTP_METHOD));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_REQUEST_URI), "\\x16\\x03\\x01\\x02");
    CHECK_INT(ty_event_int(&h.last, TY_F_HTTP_STATUS, 0), 400);

    /* bad lines name the byte */
    CHECK_INT(feed0(&h, "192.168.202.254 [20/Jul/2009:22:59:29 +0000] \"GET / HTTP/1.0\" 404 4"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 16: 1 field before the [time]") != NULL);
    CHECK_INT(feed0(&h, "1.2.3.4 - - [32/Jul/2009:22:59:29 +0000] \"GET / HTTP/1.0\" 404 4"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 13: time") != NULL);
    CHECK_INT(feed0(&h, "1.2.3.4 - - [20/Jul/2009:22:59:29 +0000] \"GET / HTTP/1.0\" abc 4"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "request not closed") != NULL);
    CHECK_INT(feed0(&h, "1.2.3.4 - - [20/Jul/2009:22:59:29 +0000] \"GET / HTTP/1.0\" 200 x"),
              TY_ECORRUPT);
    CHECK_INT(feed0(&h, "1.2.3.4 - - [20/Jul/2009:22:59:29 +0000] \"GET / HTTP/1.0\" 200 4 "
                        "\"-\" \"Mozilla/5.0 (cut"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "quoted field not closed") != NULL);
    CHECK_INT(feed0(&h, "just words"), TY_ECORRUPT);
    h_close(&h);
    ty_buf_release(&f);

    CHECK_INT(ty_parser_weblog.sniff(ty_str_cstr(combined)), 85);
    CHECK_INT(ty_parser_weblog.sniff(ty_str_cstr("1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "
                                                 "\"\\x16\" 400 226\n")),
              70);
    CHECK_INT(ty_parser_weblog.sniff(ty_str_cstr("Mar 12 15:04:58 h sshd[1]: x\n")), 0);
    CHECK_INT(ty_parser_weblog.sniff(ty_str_cstr("type=EOE msg=audit(1.2:3):\n")), 0);
}

/* ---- conformance ----------------------------------------------------------- */

static char *read_rel(const char *data, const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", data, rel);
    return ty_test_read_file(path, len);
}

static const cJSON *jget(const cJSON *o, const char *dotted)
{
    char k[64];
    while (o && *dotted) {
        const char *d = strchr(dotted, '.');
        size_t n = d ? (size_t)(d - dotted) : strlen(dotted);
        if (n >= sizeof(k))
            return NULL;
        memcpy(k, dotted, n);
        k[n] = '\0';
        o = cJSON_GetObjectItemCaseSensitive(o, k);
        dotted += n + (d != NULL);
    }
    return o;
}

static void check_str_field(const struct ty_event *ev, enum ty_field f, const cJSON *want,
                            const char *file, unsigned *checked)
{
    if (!cJSON_IsString(want))
        return;
    if (strcmp(want->valuestring, "-") == 0) { /* "-" is "absent" here */
        (*checked)++;
        if (ty_event_has(ev, f))
            ty_test_fail(__FILE__, __LINE__, "%s: %s present for '-'", file, ty_fields[f].name);
        return;
    }
    struct ty_str got = ty_event_str(ev, f);
    char ipb[TY_IP_STRLEN];
    if (ty_fields[f].type == TY_FT_IP) {
        if (!ty_event_has(ev, f)) {
            ty_test_fail(__FILE__, __LINE__, "%s: %s absent", file, ty_fields[f].name);
            return;
        }
        ty_ip_format(&ev->v[f].ip, ipb);
        got = ty_str_cstr(ipb);
    }
    (*checked)++;
    if (!ty_str_eq_cstr(got, want->valuestring))
        ty_test_fail(__FILE__, __LINE__, "%s: %s == '%.*s', expected '%s'", file,
                     ty_fields[f].name, (int)got.len, got.p ? got.p : "", want->valuestring);
}

static void sekoia_dir(const char *data, const char *rel, unsigned *n_access, unsigned *checked)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/%s", data, rel);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        char path[1300];
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        char *t = ty_test_read_file(path, &len);
        cJSON *j = t ? cJSON_Parse(t) : NULL;
        const cJSON *msg = jget(j, "input.message"), *exp = jget(j, "expected");
        if (!cJSON_IsString(msg) || !exp || !jget(exp, "http.response.status_code")) {
            cJSON_Delete(j); /* error logs and JSON formats are not access lines */
            free(t);
            continue;
        }
        struct h h;
        const char *line = msg->valuestring;
        h_open(&h, &ty_parser_weblog, line, strlen(line));
        if (ty_parser_weblog.sniff(ty_str_cstr(line)) < 70 || h_feed_raw(&h, line, strlen(line))
                                                                  != TY_OK) {
            if (ty_parser_weblog.sniff(ty_str_cstr(line)) > 0 || line[0] != '{')
                ty_test_fail(__FILE__, __LINE__, "%s: not parsed: %s", de->d_name, h.err.msg);
            h_close(&h);
            cJSON_Delete(j);
            free(t);
            continue;
        }
        (*n_access)++;
        const struct ty_event *ev = &h.last;
        check_str_field(ev, TY_F_SRC_IP, jget(exp, "source.ip"), de->d_name, checked);
        check_str_field(ev, TY_F_HTTP_METHOD, jget(exp, "http.request.method"), de->d_name,
                        checked);
        check_str_field(ev, TY_F_REQUEST_URI, jget(exp, "url.original"), de->d_name, checked);
        check_str_field(ev, TY_F_USER_AGENT, jget(exp, "user_agent.original"), de->d_name,
                        checked);
        check_str_field(ev, TY_F_ACTOR, jget(exp, "user.name"), de->d_name, checked);
        check_str_field(ev, TY_F_DOMAIN, jget(exp, "destination.domain"), de->d_name, checked);
        const cJSON *st = jget(exp, "http.response.status_code");
        if (cJSON_IsNumber(st)) {
            (*checked)++;
            CHECK_INT(ty_event_int(ev, TY_F_HTTP_STATUS, -1), st->valueint);
        }
        const cJSON *by = jget(exp, "http.response.bytes");
        if (cJSON_IsNumber(by)) {
            (*checked)++;
            CHECK_INT(ty_event_int(ev, TY_F_BYTES_OUT, -1), by->valueint);
        }
        const cJSON *port = jget(exp, "destination.port");
        if (cJSON_IsNumber(port)) {
            (*checked)++;
            CHECK_INT(ty_event_int(ev, TY_F_DST_PORT, -1), port->valueint);
        }
        /* the fields() view: referrer, path, query as the expected ECS values */
        struct ty_buf f;
        ty_buf_init(&f, 0);
        ty_parser_weblog.fields(ev, collect, &f);
        static const struct {
            const char *ecs, *name;
        } views[] = {{"http.request.referrer", "cs-referer"},
                     {"url.path", "cs-uri-stem"},
                     {"url.query", "cs-uri-query"}};
        for (size_t i = 0; i < 3; i++) {
            const cJSON *w = jget(exp, views[i].ecs);
            if (!cJSON_IsString(w))
                continue;
            char needle[4096];
            snprintf(needle, sizeof(needle), "\n%s=%s\n", views[i].name, w->valuestring);
            (*checked)++;
            if (!strstr(f.buf, needle))
                ty_test_fail(__FILE__, __LINE__, "%s: %s '%s' not in fields()", de->d_name,
                             views[i].name, w->valuestring);
        }
        ty_buf_release(&f);
        h_close(&h);
        cJSON_Delete(j);
        free(t);
    }
    closedir(d);
}

static void test_conformance(void)
{
    const char *data = ty_test_data_dir();
    size_t len;
    if (!data) {
        ty_test_skip("no shared data: weblog conformance skipped");
        return;
    }
    /* plaso: 14 events, 1 bad line (an unterminated user agent) */
    char *t = read_rel(data, "plaso/test_data/apache_access.log", &len);
    if (t) {
        struct h h;
        struct run_counts c = h_run(&h, &ty_parser_weblog, t);
        CHECK_INT(c.ev, 14);
        CHECK_INT(c.bad, 1);
        CHECK_INT(c.rec, 15);
        CHECK(strstr(h.out.buf, q(&h, "'ts':'2016-01-13T17:31:20Z'")) != NULL); /* +02:00 */
        CHECK(strstr(h.out.buf, q(&h, "'actor':'pyllyukko@EXAMPLE.COM'")) != NULL);
        CHECK(strstr(h.out.buf, q(&h, "'dst_port':443,'bytes_out':1063,'request_uri':"
                                      "'/wp-content/themes/darkmode/evil.php','domain':"
                                      "'plaso.log2timeline.net'")) != NULL);
        h_close(&h);
        free(t);
    } else {
        ty_test_skip("plaso apache_access.log not found");
    }
    /* lnav: the good log reads whole; the bad one loses exactly its bad line */
    static const struct {
        const char *file;
        unsigned ev, bad;
    } lnav[] = {{"lnav/test/logfile_access_log.0", 3, 0},
                {"lnav/test/logfile_bad_access_log.0", 2, 1}};
    for (size_t i = 0; i < 2; i++) {
        t = read_rel(data, lnav[i].file, &len);
        if (!t) {
            ty_test_skip("lnav access logs not found");
            continue;
        }
        struct h h;
        struct run_counts c = h_run(&h, &ty_parser_weblog, t);
        CHECK_INT(c.ev, lnav[i].ev);
        CHECK_INT(c.bad, lnav[i].bad);
        h_close(&h);
        free(t);
    }
    /* sekoia: every access line's expected ECS fields */
    unsigned n_access = 0, checked = 0;
    sekoia_dir(data, "sekoia-intake-formats/Apache/apache/tests", &n_access, &checked);
    sekoia_dir(data, "sekoia-intake-formats/NGINX/nginx/tests", &n_access, &checked);
    if (n_access) {
        printf("  weblog conformance: sekoia %u access lines, %u values checked\n", n_access,
               checked);
        CHECK(n_access >= 12);
        CHECK(checked >= 80);
    }
}

void test_parse_weblog(void);
void test_parse_weblog(void)
{
    test_lines();
    test_conformance();
    q_release();
}
