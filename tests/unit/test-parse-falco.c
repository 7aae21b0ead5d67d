/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-falco.c - the Falco alert parser: the modern and 2016 alert
 * formats, Falcosidekick webhook bodies, the CRI and Docker json-file
 * wrappers, corrupt records, sniff scores against other JSON formats, and
 * conformance over the falco and elastic alert files when present.
 * Samples are written with ' for " and ^ for \" (see parse-harness.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_falco;

/* formats.md §8.1, shortened: a shell in a container, with k8s fields */
static const char shell[] =
    "{'hostname':'ip-10-0-12-45','output':'14:05:09.417002158: Notice A shell was spawned in a "
    "container with an attached terminal (user=root process=sh)','output_fields':{"
    "'container.id':'3f1c2b7a9e0d','container.name':'api','container.image.repository':"
    "'docker.io/library/wordpress','container.image.tag':'6.4','evt.time':1710252309417002158,"
    "'evt.type':'execve','k8s.ns.name':'payments','k8s.pod.name':'api-7c9d8f6b5-x2kqp',"
    "'proc.cmdline':'sh -c cat /var/run/secrets/kubernetes.io/serviceaccount/token',"
    "'proc.exepath':'/bin/sh','proc.exe':'sh','proc.name':'sh','proc.pid':4242,'proc.ppid':4200,"
    "'proc.cwd':'/var/www/html/','proc.pname':'runc','proc.tty':34816,'user.loginuid':-1,"
    "'user.name':'www-data','user.uid':33,'fd.name':null},'priority':'Notice','rule':"
    "'Terminal shell in container','source':'syscall','tags':['T1059','container',"
    "'mitre_execution','shell'],'time':'2024-03-12T14:05:09.417002158Z'}";

static const char shell_json[] =
    "{'ts':'2024-03-12T14:05:09.417002158Z','ts_prec':9,'time_text':"
    "'2024-03-12T14:05:09.417002158Z','category':'alert','action':'Terminal shell in container',"
    "'provider':'falco',"
    "'host':'ip-10-0-12-45','k8s_namespace':'payments','k8s_pod':'api-7c9d8f6b5-x2kqp',"
    "'container_id':'3f1c2b7a9e0d','container_name':'api','container_image':"
    "'docker.io/library/wordpress:6.4','pid':4242,'ppid':4200,'process_exe':'/bin/sh',"
    "'process_cmdline':'sh -c cat /var/run/secrets/kubernetes.io/serviceaccount/token',"
    "'process_uid':33,'process_user':'www-data','process_cwd':'/var/www/html/','parent_exe':"
    "'runc','rule':'Terminal shell in container','severity':'Notice','message':"
    "'14:05:09.417002158: Notice A shell was spawned in a container with an attached terminal "
    "(user=root process=sh)','format':'falco','offset':0,'line':1}\n";

/* formats.md §8.2: Falcosidekick webhook (uuid, trimmed time, customfields) */
static const char sidekick[] =
    "{'uuid':'6b0e3f62-4c1d-4a8e-9f2b-7d5c3a1e0b94','output':'Notice outbound (connection="
    "10.0.12.45:41822->203.0.113.9:3000)','priority':'Notice','rule':'Outbound Connection to C2 "
    "Servers','time':'2024-03-12T14:05:09.4170021Z','output_fields':{'container.id':'host',"
    "'fd.name':'10.0.12.45:41822->203.0.113.9:3000','fd.cip':'10.0.12.45','fd.cport':41822,"
    "'fd.sip':'203.0.113.9','fd.sport':3000,'proc.exepath':'/dev/shm/kworker','user.name':"
    "'yarn','user.uid':'1001','cluster':'prod-eu'},'source':'syscall','tags':[],"
    "'hostname':'node-7'}";

static const char sidekick_json[] =
    "{'ts':'2024-03-12T14:05:09.4170021Z','ts_prec':7,'time_text':'2024-03-12T14:05:09.4170021Z',"
    "'category':'alert','action':'Outbound Connection to C2 Servers','provider':'falco',"
    "'vendor_id':'6b0e3f62-4c1d-4a8e-9f2b-7d5c3a1e0b94',"
    "'src_ip':'10.0.12.45','src_port':41822,'dst_ip':'203.0.113.9','dst_port':3000,'host':"
    "'node-7','process_exe':'/dev/shm/kworker','process_uid':1001,'process_user':'yarn','rule':"
    "'Outbound Connection to C2 Servers','severity':'Notice','message':'Notice outbound "
    "(connection=10.0.12.45:41822->203.0.113.9:3000)','format':'falco','offset':0,'line':1}\n";

/* 2016: no output_fields, no source */
static const char old2016[] =
    "{'output':'2016-08-04T16:17:57.881781397+0000: Warning An open was seen (command=cat "
    "/dev/null)','priority':'Warning','rule':'open_from_cat','time':"
    "'2016-08-04T16:17:57.881781397Z'}";

static void test_fields(void)
{
    struct h h;
    const char *head = "{\"rule\":\"x\",\"priority\":\"Notice\",\"output\":\"\"}\n";
    h_open(&h, &ty_parser_falco, head, strlen(head));
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_STR(h.ctx.shape, "JSON lines");

    CHECK_INT(h_feed(&h, shell), TY_OK);
    CHECK_INT(h.n, 1);
    CHECK_STR(h.out.buf, q(&h, shell_json));
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309417002158));
    CHECK(!ty_event_has(&h.last, TY_F_FILE_PATH)); /* fd.name null */

    h.offset = 0;
    CHECK_INT(h_feed(&h, sidekick), TY_OK);
    CHECK_STR(h.out.buf, q(&h, sidekick_json));
    CHECK(!ty_event_has(&h.last, TY_F_CONTAINER_ID)); /* "host" */
    CHECK(!ty_event_has(&h.last, TY_F_FILE_PATH));    /* a socket, not a file */

    CHECK_INT(h_feed(&h, old2016), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1470327477881781397));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "open_from_cat");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SEVERITY), "Warning");
    CHECK(!ty_event_has(&h.last, TY_F_HOST));

    /* no "time": output_fields evt.time (ns) */
    CHECK_INT(h_feed(&h, "{'rule':'r','priority':'Debug','output_fields':{'evt.time':"
                         "1715108059341081180,'fd.name':'/etc/shadow','container.id':"
                         "'9656db3bb358','proc.pexepath':'/usr/bin/containerd-shim',"
                         "'proc.pname':'containerd-shim'}}"),
              TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1715108059341081180));
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/etc/shadow");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID), "9656db3bb358");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PARENT_EXE), "/usr/bin/containerd-shim");

    /* k8s_audit source */
    CHECK_INT(h_feed(&h, "{'rule':'Create Privileged Pod','priority':'Warning','source':"
                         "'k8s_audit','time':'2024-03-12T14:08:02.123456789Z','output_fields':{"
                         "'ka.user.name':'system:node:ip-10-0-1-2','ka.target.namespace':"
                         "'default','ka.verb':'create','ka.useragent':'kubectl/v1.28'}}"),
              TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTOR), "system:node:ip-10-0-1-2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_K8S_NAMESPACE), "default");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "Create Privileged Pod");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_USER_AGENT), "kubectl/v1.28");
    h_close(&h);
}

static void test_wrappers(void)
{
    struct h h;
    /* CRI log line of the falco pod */
    const char *cri = "2024-03-12T14:05:09.5Z stdout F {\"rule\":\"R\",\"priority\":\"Error\","
                      "\"output\":\"o\",\"time\":\"2024-03-12T14:05:09.417Z\"}\n";
    h_open(&h, &ty_parser_falco, cri, strlen(cri));
    CHECK_STR(h.ctx.shape, "CRI-prefixed JSON lines");
    h.offset = 100;
    CHECK_INT(h_feed_raw(&h, cri, strlen(cri) - 1), TY_OK);
    /* raw is the alert JSON at its own offset, with its tape, so rules see its fields */
    CHECK_INT(h.last.offset, 100 + 32);
    CHECK(h.last.raw.p == cri + 32 && h.last.raw.len == strlen(cri) - 33);
    CHECK(h.last.raw_json == &h.json);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_SEVERITY), "Error");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309417000000));
    h_close(&h);

    /* Docker json-file */
    const char *dj = "{\"log\":\"{\\\"rule\\\":\\\"R2\\\",\\\"priority\\\":\\\"Critical\\\","
                     "\\\"output\\\":\\\"o\\\",\\\"hostname\\\":\\\"n1\\\",\\\"time\\\":"
                     "\\\"2024-03-12T14:05:09Z\\\"}\\n\",\"stream\":\"stdout\",\"time\":"
                     "\"2024-03-12T14:05:10.1Z\"}\n";
    h_open(&h, &ty_parser_falco, dj, strlen(dj));
    CHECK_STR(h.ctx.shape, "Docker json-file lines");
    CHECK(ty_parser_falco.sniff(ty_str_make(dj, strlen(dj))) == 92);
    {
        const struct ty_parser *p = NULL;
        struct ty_err err;
        CHECK_INT(ty_parser_sniff(ty_str_make(dj, strlen(dj)), &p, &err), 0);
        CHECK(p == &ty_parser_falco); /* not docker-json-log */
    }
    CHECK_INT(h_feed_raw(&h, dj, strlen(dj) - 1), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_RULE), "R2");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "n1");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1710252309000000000));
    /* a plain text line of the Falco container */
    CHECK_INT(h_feed(&h, "{'log':'Falco initialized with configuration file\\n','stream':"
                         "'stderr'}"),
              TY_ECORRUPT);
    h_close(&h);

    /* pretty-printed webhook bodies and an array of two alerts */
    const char *pretty = "{\n  \"uuid\": \"u1\",\n  \"rule\": \"A\",\n  \"priority\": \"Notice\",\n"
                         "  \"output\": \"x\",\n  \"time\": \"2024-03-12T14:05:09Z\"\n}\n"
                         "{\n  \"uuid\": \"u2\",\n  \"rule\": \"B\",\n  \"priority\": \"Alert\",\n"
                         "  \"output\": \"y\",\n  \"time\": \"2024-03-12T14:05:10Z\"\n}\n";
    struct run_counts c = h_run(&h, &ty_parser_falco, pretty);
    CHECK_STR(h.ctx.shape, "JSON documents (Falcosidekick webhook)");
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    CHECK(strstr(h.out.buf, "\"vendor_id\":\"u2\"") != NULL); /* h.last died with the framer */
    h_close(&h);
    const char *arr = "[{\"rule\":\"A\",\"priority\":\"Notice\",\"output\":\"x\",\"time\":"
                      "\"2024-03-12T14:05:09Z\"},{\"rule\":\"B\",\"priority\":\"Alert\","
                      "\"output\":\"y\",\"time\":\"2024-03-12T14:05:10Z\"}]";
    c = h_run(&h, &ty_parser_falco, arr);
    CHECK_STR(h.ctx.shape, "JSON array");
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    CHECK(strstr(h.out.buf, "\"rule\":\"B\"") != NULL);
    h_close(&h);
}

static void test_corrupt(void)
{
    struct h h;
    const char *head = "{}";
    h_open(&h, &ty_parser_falco, head, strlen(head));
    CHECK_INT(h_feed(&h, "{'rule':'r','priority':'Notice','time':'yesterday'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "RFC 3339") != NULL);
    CHECK_INT(h_feed(&h, "{'priority':'Notice','time':'2024-03-12T14:05:09Z'}"), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "\"rule\"") != NULL);
    CHECK_INT(h_feed(&h, "{'rule':'r','time':'2024-03-12T14:05:09Z'}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'rule':'r','priority':'Notice'}"), TY_ECORRUPT);
    CHECK_INT(h_feed(&h, "{'rule':'r','priority':'Notice','time':'2024-03-12T14:05:09Z'"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "not JSON") != NULL && strstr(h.err.msg, "offset") != NULL);
    CHECK_INT(h_feed(&h, "Fri Nov 22 10:00:00 2026: Falco version: 0.39.1"), TY_ECORRUPT);
    /* an array with one bad element emits nothing */
    CHECK_INT(h_feed(&h, "[{'rule':'a','priority':'Notice','time':'2024-03-12T14:05:09Z'},"
                         "{'rule':'b','priority':'Notice','time':'bad'}]"),
              TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "element 1") != NULL);
    CHECK_INT(h_feed(&h, "  "), TY_SKIP);
    h_close(&h);
}

static void test_sniff(void)
{
    const struct ty_parser *p = NULL;
    struct ty_err err;
    const char *s = q(NULL, shell);
    CHECK_INT(ty_parser_falco.sniff(ty_str_cstr(s)), 95);
    CHECK_INT(ty_parser_sniff(ty_str_cstr(s), &p, &err), 0);
    CHECK(p == &ty_parser_falco);
    CHECK_INT(ty_parser_falco.sniff(ty_str_cstr(q(NULL, old2016))), 85);
    /* json_include_output_property: false */
    CHECK_INT(ty_parser_falco.sniff(TY_STR_LIT(
                  "{\"hostname\":\"n\",\"priority\":\"Notice\",\"rule\":\"R\",\"source\":"
                  "\"syscall\",\"time\":\"2024-03-12T14:05:09Z\",\"output_fields\":{}}")),
              90);
    /* other JSON formats are not ours */
    CHECK_INT(ty_parser_falco.sniff(TY_STR_LIT(
                  "{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":"
                  "\"GetObject\",\"awsRegion\":\"us-east-1\"}")),
              0);
    CHECK_INT(ty_parser_falco.sniff(TY_STR_LIT(
                  "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"a\","
                  "\"verb\":\"get\",\"requestObject\":{\"rule\":1}}")),
              0);
    CHECK_INT(ty_parser_falco.sniff(TY_STR_LIT("plain text\n")), 0);
}

/* The falco 2016 file and the elastic file: every line an alert, exact
 * first-line values. */
static void conformance(const char *data)
{
    static const struct {
        const char *path;
        unsigned lines;
        const char *rule0, *host0;
        long long ts0;
    } sets[] = {
        {"falcosecurity-falco/test/output_files/single_rule_with_cat_write.json", 8,
         "open_from_cat", "test-falco-hostname", 1470327477881781397LL},
        {"elastic-integrations/packages/falco/data_stream/alerts/_dev/test/pipeline/"
         "test-falco.log",
         19, "Read sensitive file untrusted", "97ade2b595f0", 1715108059341081180LL},
    };
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", data, sets[i].path);
        char *buf = ty_test_read_file(path, &len);
        if (!buf) {
            ty_test_skip(sets[i].path);
            continue;
        }
        const struct ty_parser *p = NULL;
        struct ty_err err;
        CHECK_INT(ty_parser_sniff(ty_str_make(buf, len > 65536 ? 65536 : len), &p, &err), 0);
        CHECK(p == &ty_parser_falco);
        struct h h;
        struct ty_event first;
        const char *nl = memchr(buf, '\n', len);
        h_open(&h, &ty_parser_falco, buf, len);
        CHECK_INT(h_feed_raw(&h, buf, nl ? (size_t)(nl - buf) : len), TY_OK);
        first = h.last;
        CHECK_SPAN(ty_event_str(&first, TY_F_RULE), sets[i].rule0);
        CHECK_SPAN(ty_event_str(&first, TY_F_HOST), sets[i].host0);
        CHECK_INT(ty_event_int(&first, TY_F_TS, 0), sets[i].ts0);
        h_close(&h);
        struct run_counts c = h_run(&h, &ty_parser_falco, buf);
        CHECK_INT(c.rec, sets[i].lines);
        CHECK_INT(c.ev, sets[i].lines);
        CHECK_INT(c.bad, 0);
        if (i == 1) {
            /* line 18: a GKE pod, with uuid and image tag */
            CHECK(strstr(h.out.buf, "\"vendor_id\":\"7466e462-ddde-434d-8dee-390ca5656f83\"") !=
                  NULL);
            CHECK(strstr(h.out.buf, "\"container_image\":\"docker.io/library/busybox:latest\"") !=
                  NULL);
            CHECK(strstr(h.out.buf, "\"k8s_pod\":\"debug\"") != NULL);
            CHECK(strstr(h.out.buf, "\"file_path\":\"/etc/shadow\"") != NULL);
        }
        h_close(&h);
        free(buf);
    }
}

void test_parse_falco(void);
void test_parse_falco(void)
{
    test_fields();
    test_wrappers();
    test_corrupt();
    test_sniff();
    const char *data = ty_test_data_dir();
    if (!data) {
        ty_test_skip("no shared data: Falco conformance skipped");
        q_release();
        return;
    }
    conformance(data);
    q_release();
}
