/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-iocs.c - indicators of hand-built incidents as CSV and as a STIX 2.1
 * bundle: which entities are indicators, CSV quoting, the bundle parsed back
 * with tyto's JSON tokenizer, STIX pattern escaping, UUIDv5 ids (checked
 * against Python's uuid.uuid5) and one indicator per value across incidents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/correlate.h>
#include <tyto/json.h>

#include "test.h"

#define T0 INT64_C(1790000000000000000) /* 2026-09-21T14:13:20Z */

static struct ty_inc_entity ents1[] = {
    {.type = TY_ENT_IP, .value = "203.0.113.66", .role = TY_ROLE_ATTACKER, .internal = 0,
     .first_seen = T0, .last_seen = T0 + 5, .n_alerts = 3},
    {.type = TY_ENT_IP, .value = "10.0.0.9", .role = TY_ROLE_ATTACKER, .internal = 1},
    {.type = TY_ENT_IP, .value = "198.51.100.1", .role = TY_ROLE_VICTIM, .internal = 0},
    {.type = TY_ENT_DOMAIN, .value = "pool.minexmr.com", .role = TY_ROLE_ARTIFACT},
    {.type = TY_ENT_URL, .value = "http://203.0.113.66/t?a='b',\"c\\", .role = TY_ROLE_ARTIFACT},
    {.type = TY_ENT_HASH,
     .value = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
     .role = TY_ROLE_ARTIFACT},
    {.type = TY_ENT_FILE, .value = "/dev/shm/kworker", .role = TY_ROLE_ARTIFACT},
    {.type = TY_ENT_ROLE, .value = "arn:aws:iam::284511937402:role/s3-get-object-role",
     .role = TY_ROLE_PIVOT},
    {.type = TY_ENT_PRINCIPAL, .value = "alice", .role = TY_ROLE_NONE},
    {.type = TY_ENT_HOST, .value = "web-1", .role = TY_ROLE_VICTIM},
    {.type = TY_ENT_FILE, .value = "/etc/passwd", .role = TY_ROLE_VICTIM},
};
static struct ty_inc_entity ents2[] = {
    {.type = TY_ENT_IP, .value = "203.0.113.66", .role = TY_ROLE_ATTACKER, .internal = 0,
     .first_seen = T0 - 1000000000, .n_alerts = 1},
    {.type = TY_ENT_FILE, .value = "/x", .role = TY_ROLE_ARTIFACT},
};

static void make_inv(struct ty_investigation *inv, struct ty_incident inc[2])
{
    memset(inc, 0, 2 * sizeof(*inc));
    inc[0] = (struct ty_incident){.id = 1, .title = "Miner, \"via\" YARN", .first_seen = T0,
                                  .last_seen = T0 + 60 * INT64_C(1000000000), .ents = ents1,
                                  .n_ents = sizeof(ents1) / sizeof(ents1[0])};
    inc[1] = (struct ty_incident){.id = 2, .title = "second", .first_seen = T0,
                                  .last_seen = T0, .ents = ents2, .n_ents = 2};
    memset(inv, 0, sizeof(*inv));
    inv->inc = inc;
    inv->n_inc = 2;
}

static void test_csv(void)
{
    struct ty_investigation inv;
    struct ty_incident inc[2];
    struct ty_buf b;
    struct ty_err err;
    make_inv(&inv, inc);
    ty_buf_init(&b, 1 << 20);
    CHECK_INT(ty_iocs_write(&inv, 1, TY_IOC_CSV, &b, &err), 0);
    const char *want =
        "type,value,role,first_seen,last_seen,incident,context\n"
        "ipv4,203.0.113.66,attacker,2026-09-21T14:13:20.000000000Z,"
        "2026-09-21T14:13:20.000000005Z,1,\"named by 3 alerts; incident 1: Miner, \"\"via\"\" "
        "YARN\"\n"
        "domain,pool.minexmr.com,artifact,,,1,\"named by 0 alerts; incident 1: Miner, "
        "\"\"via\"\" YARN\"\n"
        "url,\"http://203.0.113.66/t?a='b',\"\"c\\\",artifact,,,1,";
    CHECK(strncmp(b.buf, want, strlen(want)) == 0);
    if (strncmp(b.buf, want, strlen(want)) != 0)
        fprintf(stderr, "%s\n", b.buf);
    CHECK(strstr(b.buf, "\nsha256,E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,"
                        "artifact,"));
    CHECK(strstr(b.buf, "\nfile,/dev/shm/kworker,artifact,"));
    CHECK(strstr(b.buf, "\nrole,arn:aws:iam::284511937402:role/s3-get-object-role,pivot,"));
    /* not indicators: private or victim addresses, role-less principals, hosts, victim files */
    CHECK(!strstr(b.buf, "10.0.0.9") && !strstr(b.buf, "198.51.100.1"));
    CHECK(!strstr(b.buf, "alice") && !strstr(b.buf, "web-1") && !strstr(b.buf, "/etc/passwd"));
    size_t lines = 0;
    for (const char *s = b.buf; *s; s++)
        lines += *s == '\n';
    CHECK_INT(lines, 1 + 6);
    /* all incidents: the address is listed once per incident */
    ty_buf_reset(&b);
    CHECK_INT(ty_iocs_write(&inv, 0, TY_IOC_CSV, &b, &err), 0);
    CHECK(strstr(b.buf, "\nipv4,203.0.113.66,attacker,2026-09-21T14:13:19.000000000Z,,2,"));
    CHECK(strstr(b.buf, "\nfile,/x,artifact,,,2,"));
    /* an unknown incident is an error that says how many there are */
    ty_buf_reset(&b);
    CHECK_INT(ty_iocs_write(&inv, 9, TY_IOC_CSV, &b, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "no incident 9") != NULL);
    ty_buf_release(&b);
}

static const char *str_of(const struct ty_json_doc *d, uint32_t obj, const char *key,
                          struct ty_arena *a)
{
    struct ty_str s;
    if (ty_json_str(d, ty_json_get(d, obj, key), a, &s) != 0)
        return NULL;
    return ty_arena_memdup(a, s.p, s.len);
}

/* Parse the bundle and check the STIX shape; returns the indicator count. */
static size_t check_bundle(const char *text, size_t len, size_t want_reports,
                           struct ty_arena *a, char patterns[][160], size_t max_patterns)
{
    struct ty_json_doc d;
    struct ty_err err;
    size_t n_ind = 0, n_rep = 0, n_ident = 0;
    ty_json_doc_init(&d, 0, 0);
    int rc = ty_json_parse(&d, text, len, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n%s\n", err.msg, text);
        ty_json_doc_release(&d);
        return 0;
    }
    CHECK_STR(str_of(&d, 0, "type", a), "bundle");
    const char *bid = str_of(&d, 0, "id", a);
    CHECK(bid && strncmp(bid, "bundle--", 8) == 0 && strlen(bid) == 8 + 36);
    uint32_t objs = ty_json_get(&d, 0, "objects");
    CHECK_INT(ty_json_type(&d, objs), TY_JSON_ARRAY);
    const char *ident = NULL;
    char ids[64][64];
    size_t n_ids = 0;
    for (uint32_t o = ty_json_first(&d, objs); o != TY_JSON_NONE; o = ty_json_next(&d, o)) {
        const char *type = str_of(&d, o, "type", a), *id = str_of(&d, o, "id", a);
        CHECK(type && id);
        if (!type || !id)
            continue;
        CHECK_STR(str_of(&d, o, "spec_version", a), "2.1");
        /* "<type>--" then a version-5 RFC 4122 UUID */
        size_t tl = strlen(type);
        CHECK(strncmp(id, type, tl) == 0 && strncmp(id + tl, "--", 2) == 0 &&
              strlen(id) == tl + 2 + 36 && id[tl + 2 + 14] == '5' &&
              strchr("89ab", id[tl + 2 + 19]));
        CHECK(str_of(&d, o, "created", a) && str_of(&d, o, "modified", a));
        if (strcmp(type, "identity") == 0) {
            ident = id;
            n_ident++;
            CHECK_STR(str_of(&d, o, "name", a), "tyto");
            CHECK_STR(id, "identity--e7e8bb63-0aae-5fb0-89de-76521b279a4e");
        } else if (strcmp(type, "indicator") == 0) {
            CHECK_STR(str_of(&d, o, "pattern_type", a), "stix");
            CHECK(str_of(&d, o, "valid_from", a) != NULL);
            CHECK(ident && str_of(&d, o, "created_by_ref", a) &&
                  strcmp(str_of(&d, o, "created_by_ref", a), ident) == 0);
            const char *pat = str_of(&d, o, "pattern", a);
            CHECK(pat && pat[0] == '[' && pat[strlen(pat) - 1] == ']');
            if (pat && n_ind < max_patterns)
                snprintf(patterns[n_ind], 160, "%s", pat);
            for (size_t k = 0; k < n_ids; k++)
                CHECK(strcmp(ids[k], id) != 0); /* one object per value */
            if (n_ids < 64)
                snprintf(ids[n_ids++], 64, "%s", id);
            n_ind++;
        } else if (strcmp(type, "report") == 0) {
            n_rep++;
            CHECK(str_of(&d, o, "published", a) != NULL);
            uint32_t refs = ty_json_get(&d, o, "object_refs");
            CHECK(ty_json_type(&d, refs) == TY_JSON_ARRAY && ty_json_tok(&d, refs)->count > 0);
            for (uint32_t r = ty_json_first(&d, refs); r != TY_JSON_NONE;
                 r = ty_json_next(&d, r)) {
                struct ty_str s;
                int found = 0;
                CHECK_INT(ty_json_str(&d, r, a, &s), 0);
                for (size_t k = 0; k < n_ids; k++)
                    found |= ty_str_eq_cstr(s, ids[k]);
                CHECK(found); /* every reference resolves to an indicator above */
            }
        } else {
            ty_test_fail(__FILE__, __LINE__, "unexpected object type %s", type);
        }
    }
    CHECK_INT(n_ident, 1);
    CHECK_INT(n_rep, want_reports);
    ty_json_doc_release(&d);
    return n_ind;
}

static int has(char p[][160], size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i], want) == 0)
            return 1;
    return 0;
}

static void test_stix(void)
{
    struct ty_investigation inv;
    struct ty_incident inc[2];
    struct ty_buf b, b2;
    struct ty_err err;
    struct ty_arena a;
    char pats[32][160];
    make_inv(&inv, inc);
    ty_buf_init(&b, 1 << 20);
    ty_buf_init(&b2, 1 << 20);
    ty_arena_init(&a, 1 << 16, 0);
    CHECK_INT(ty_iocs_write(&inv, 0, TY_IOC_STIX, &b, &err), 0);
    size_t n = check_bundle(b.buf, b.len, 2, &a, pats, 32);
    CHECK_INT(n, 7); /* 6 of incident 1, /x of incident 2; the shared address once */
    CHECK(has(pats, n, "[ipv4-addr:value = '203.0.113.66']"));
    CHECK(has(pats, n, "[domain-name:value = 'pool.minexmr.com']"));
    CHECK(has(pats, n, "[url:value = 'http://203.0.113.66/t?a=\\'b\\',\"c\\\\']"));
    CHECK(has(pats, n, "[file:hashes.'SHA-256' = "
                       "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"));
    CHECK(has(pats, n, "[file:name = 'kworker' AND file:parent_directory_ref.path = '/dev/shm']"));
    CHECK(has(pats, n, "[file:name = 'x' AND file:parent_directory_ref.path = '/']"));
    CHECK(has(pats, n, "[user-account:user_id = "
                       "'arn:aws:iam::284511937402:role/s3-get-object-role']"));
    /* uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, 'urn:tyto:stix'), pattern) in Python */
    CHECK(strstr(b.buf, "\"id\":\"indicator--4aa0a64a-158c-5fc4-bd0a-b512da13dbc7\"") != NULL);
    /* the shared address is valid from its earliest sighting (incident 2) */
    const char *ip = strstr(b.buf, "indicator--4aa0a64a");
    CHECK(ip && strstr(ip, "\"valid_from\":\"2026-09-21T14:13:19.000Z\""));
    CHECK(strstr(b.buf, "\"indicator_types\":[\"compromised\"]") != NULL);
    /* deterministic */
    CHECK_INT(ty_iocs_write(&inv, 0, TY_IOC_STIX, &b2, &err), 0);
    CHECK(b.len == b2.len && memcmp(b.buf, b2.buf, b.len) == 0);
    /* one incident: one report */
    ty_buf_reset(&b);
    CHECK_INT(ty_iocs_write(&inv, 2, TY_IOC_STIX, &b, &err), 0);
    CHECK_INT(check_bundle(b.buf, b.len, 1, &a, pats, 32), 2);
    /* no indicators: a bundle with only the identity, still valid */
    struct ty_incident none = {.id = 1, .title = "quiet"};
    struct ty_investigation inv0 = {.inc = &none, .n_inc = 1};
    ty_buf_reset(&b);
    CHECK_INT(ty_iocs_write(&inv0, 0, TY_IOC_STIX, &b, &err), 0);
    CHECK_INT(check_bundle(b.buf, b.len, 0, &a, pats, 32), 0);
    /* a capped buffer fails cleanly */
    struct ty_buf small;
    ty_buf_init(&small, 64);
    CHECK_INT(ty_iocs_write(&inv, 0, TY_IOC_STIX, &small, &err), TY_ETOOBIG);
    ty_buf_release(&small);
    ty_buf_release(&b);
    ty_buf_release(&b2);
    ty_arena_release(&a);
}

/* What is not an indicator: system files, local accounts, names and URLs inside
 * the environment, collected copies (named by their original instead). */
static void test_filters(void)
{
    struct ty_inc_entity ents[] = {
        {.type = TY_ENT_FILE, .value = "/usr/bin/bash", .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_FILE, .value = "/var/run/docker.sock", .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_FILE, .value = "/cases/c/evidence/hosts/h1/fs/tmp/.x",
         .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_FILE, .value = "/cases/c/evidence/misc/blob", .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_PRINCIPAL, .value = "root", .role = TY_ROLE_VICTIM},
        {.type = TY_ENT_PRINCIPAL, .value = "ops@example.com", .role = TY_ROLE_VICTIM},
        {.type = TY_ENT_URL, .value = "http://localhost/v1.46/containers/create",
         .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_URL, .value = "http://10.1.2.3:8088/ws/v1/cluster/apps",
         .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_URL, .value = "/wp-content/plugins/wp-shell/wp-shell.php",
         .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_DOMAIN, .value = "kubernetes.default.svc.cluster.local",
         .role = TY_ROLE_ARTIFACT},
        {.type = TY_ENT_DOMAIN, .value = "localhost", .role = TY_ROLE_ARTIFACT},
    };
    struct ty_inc_step steps[] = {{.ev = {.file = "/cases/c/evidence/hosts/h1/var/log/x"}},
                                  {.ev = {.file = "/cases/c/evidence/misc/y"}}};
    struct ty_incident inc = {.id = 1, .title = "t", .ents = ents,
                              .n_ents = sizeof(ents) / sizeof(ents[0]), .steps = steps,
                              .n_steps = 2};
    struct ty_investigation inv = {.inc = &inc, .n_inc = 1};
    struct ty_buf b;
    struct ty_err err;
    ty_buf_init(&b, 1 << 20);
    CHECK_INT(ty_iocs_write(&inv, 0, TY_IOC_CSV, &b, &err), 0);
    CHECK(strstr(b.buf, "\nfile,/tmp/.x,artifact,") != NULL);
    CHECK(strstr(b.buf, "\nprincipal,ops@example.com,victim,") != NULL);
    CHECK(strstr(b.buf, "\nurl,/wp-content/plugins/wp-shell/wp-shell.php,artifact,") != NULL);
    CHECK(!strstr(b.buf, "/cases/") && !strstr(b.buf, "/usr/bin/bash") &&
          !strstr(b.buf, "docker.sock") && !strstr(b.buf, "root,") &&
          !strstr(b.buf, "localhost") && !strstr(b.buf, "10.1.2.3") &&
          !strstr(b.buf, "cluster.local"));
    size_t lines = 0;
    for (const char *c = b.buf; *c; c++)
        lines += *c == '\n';
    CHECK_INT(lines, 1 + 3);
    ty_buf_release(&b);
}

void test_iocs(void);
void test_iocs(void)
{
    test_csv();
    test_stix();
    test_filters();
}
