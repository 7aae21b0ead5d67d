/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iocs.c - the indicators of an investigation's incidents (`tyto iocs`), as
 * CSV (type,value,role,first_seen,last_seen,incident,context) or as a STIX 2.1
 * bundle: an identity for tyto, one indicator per distinct value, one report
 * per incident listing its indicators. Indicators are the attacker's public
 * addresses, the domains, URLs, hashes and files the attack used or left, and
 * the identities it used or compromised. STIX ids are UUIDv5 of the object's
 * content under tyto's namespace, so the same case gives the same bundle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <tyto/correlate.h>
#include <tyto/ip.h>
#include <tyto/time.h>

#include "response-int.h"

/* uuid5(NAMESPACE_URL, "urn:tyto:stix") = 1be5530c-97d3-5b6b-9b8a-38bccad955a1 */
static const unsigned char tyto_ns[16] = {0x1b, 0xe5, 0x53, 0x0c, 0x97, 0xd3, 0x5b, 0x6b,
                                          0x9b, 0x8a, 0x38, 0xbc, 0xca, 0xd9, 0x55, 0xa1};
/* tyto's identity object is the same in every bundle (its time too). */
#define TYTO_IDENTITY_TIME "2026-01-01T00:00:00.000Z"

struct item {
    const struct ty_incident *inc;
    const struct ty_inc_entity *e;
    size_t order;        /* position in the walk: ties keep incident and entity order */
    const char *kind;    /* CSV type */
    const char *value;   /* the entity's value; for a collected copy, its original */
    char *pattern;       /* STIX pattern (malloc) */
    char id[64];         /* "indicator--<uuid>" */
};

/* RFC 4122 version 5 (SHA-1) UUID of name under tyto's namespace. */
static int uuid5(const char *name, size_t len, char out[37])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) &&
             EVP_DigestUpdate(c, tyto_ns, sizeof(tyto_ns)) && EVP_DigestUpdate(c, name, len) &&
             EVP_DigestFinal_ex(c, md, &md_len) && md_len >= 16;
    EVP_MD_CTX_free(c);
    if (!ok)
        return TY_ERR;
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0],
             md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11],
             md[12], md[13], md[14], md[15]);
    return 0;
}

static int hex_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
            return 0;
    return n > 0;
}

/* A URL whose host is inside the environment (localhost, cluster names). A
 * URL path without a host stays: it hunts requests in web logs. */
static int internal_url(const char *v)
{
    const char *sep = strstr(v, "://");
    if (!sep)
        return 0;
    const char *h = sep + 3, *end = h + strcspn(h, "/?#");
    const char *at = memchr(h, '@', (size_t)(end - h));
    if (at)
        h = at + 1;
    size_t n = strcspn(h, ":/?#");
    char name[256];
    if (n == 0 || n >= sizeof(name))
        return 0;
    memcpy(name, h, n);
    name[n] = '\0';
    return ty__name_is_internal(name);
}

/* The CSV type of an entity that is an indicator, or NULL. */
static const char *ioc_kind(const struct ty_inc_entity *e)
{
    int r = e->role;
    int used = r == TY_ROLE_ATTACKER || r == TY_ROLE_ARTIFACT;
    int ident = r == TY_ROLE_ATTACKER || r == TY_ROLE_VICTIM || r == TY_ROLE_PIVOT;
    struct ty_ip ip;
    size_t n;
    if (!e->value || !*e->value)
        return NULL;
    n = strlen(e->value);
    switch (e->type) {
    case TY_ENT_IP:
        if (r != TY_ROLE_ATTACKER || e->internal != 0 ||
            ty_ip_parse(ty_str_cstr(e->value), &ip) != 0)
            return NULL;
        return ty_ip_is_v4(&ip) ? "ipv4" : "ipv6";
    case TY_ENT_DOMAIN:
        return used && !ty__name_is_internal(e->value) ? "domain" : NULL;
    case TY_ENT_URL:
        return used && !internal_url(e->value) ? "url" : NULL;
    case TY_ENT_HASH:
        if (!used || !hex_only(e->value, n))
            return NULL;
        return n == 64 ? "sha256" : n == 40 ? "sha1" : n == 32 ? "md5" : NULL;
    case TY_ENT_FILE:
        return used && e->value[0] == '/' ? "file" : NULL;
    case TY_ENT_PRINCIPAL:
        /* a local account name (root, www-data) is on every host: no indicator */
        return ident && strpbrk(e->value, "@:/\\") ? "principal" : NULL;
    case TY_ENT_ROLE:
        return ident ? "role" : NULL;
    case TY_ENT_SERVICE_ACCOUNT:
        return ident ? "service_account" : NULL;
    case TY_ENT_ACCESS_KEY:
        return ident ? "access_key" : NULL;
    default:
        return NULL;
    }
}

static const char *role_word(int role)
{
    static const char *const names[] = {"none", "attacker", "victim", "pivot", "artifact"};
    return role >= 0 && role <= TY_ROLE_ARTIFACT ? names[role] : "none";
}

/* A STIX pattern string literal: backslash and quote escaped. */
static int add_lit(struct ty_buf *b, const char *s, size_t n)
{
    int rc = ty_buf_addc(b, '\'');
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (s[i] == '\\' || s[i] == '\'')
            rc = ty_buf_addc(b, '\\');
        if (rc == 0)
            rc = ty_buf_addc(b, s[i]);
    }
    return rc ? rc : ty_buf_addc(b, '\'');
}

static int make_pattern(const struct item *it, struct ty_buf *b)
{
    const char *v = it->value, *k = it->kind;
    size_t n = strlen(v);
    int rc;
    ty_buf_reset(b);
    if (strcmp(k, "ipv4") == 0 || strcmp(k, "ipv6") == 0) {
        struct ty_ip ip;
        char txt[TY_IP_STRLEN];
        ty_ip_parse(ty_str_cstr(v), &ip);
        ty_ip_format(&ip, txt);
        rc = ty_buf_addf(b, "[%s-addr:value = ", k);
        rc = rc ? rc : add_lit(b, txt, strlen(txt));
    } else if (strcmp(k, "domain") == 0) {
        rc = ty_buf_adds(b, "[domain-name:value = ");
        rc = rc ? rc : add_lit(b, v, n);
    } else if (strcmp(k, "url") == 0) {
        rc = ty_buf_adds(b, "[url:value = ");
        rc = rc ? rc : add_lit(b, v, n);
    } else if (strcmp(k, "sha256") == 0 || strcmp(k, "sha1") == 0 || strcmp(k, "md5") == 0) {
        char lower[65];
        for (size_t i = 0; i < n && i < 64; i++)
            lower[i] = (char)(v[i] >= 'A' && v[i] <= 'F' ? v[i] - 'A' + 'a' : v[i]);
        rc = ty_buf_addf(b, "[file:hashes.'%s' = ",
                         k[3] == '2' ? "SHA-256" : k[0] == 's' ? "SHA-1" : "MD5");
        rc = rc ? rc : add_lit(b, lower, n);
    } else if (strcmp(k, "file") == 0) {
        const char *sl = strrchr(v, '/');
        size_t dir_len = sl == v ? 1 : (size_t)(sl - v);
        rc = ty_buf_adds(b, "[file:name = ");
        rc = rc ? rc : add_lit(b, sl + 1, strlen(sl + 1));
        rc = rc ? rc : ty_buf_adds(b, " AND file:parent_directory_ref.path = ");
        rc = rc ? rc : add_lit(b, v, dir_len);
    } else {
        rc = ty_buf_adds(b, "[user-account:user_id = ");
        rc = rc ? rc : add_lit(b, v, n);
    }
    return rc ? rc : ty_buf_addc(b, ']');
}

static int cmp_item(const void *x, const void *y)
{
    const struct item *a = x, *b = y;
    int c = strcmp(a->pattern, b->pattern);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int add_time(struct ty_buf *b, int64_t ns, int prec)
{
    char t[40];
    if (ty_time_format(ns, prec, t) < 0)
        return ty_buf_adds(b, "1970-01-01T00:00:00.000Z");
    return ty_buf_adds(b, t);
}

/* One CSV field, quoted when it must be (RFC 4180). */
static int add_csv(struct ty_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return ty_buf_adds(b, s);
    int rc = ty_buf_addc(b, '"');
    for (const char *p = s; rc == 0 && *p; p++)
        rc = *p == '"' ? ty_buf_adds(b, "\"\"") : ty_buf_addc(b, *p);
    return rc ? rc : ty_buf_addc(b, '"');
}

static int write_csv(const struct item *it, size_t n, struct ty_buf *out, struct ty_buf *tmp)
{
    int rc = ty_buf_adds(out, "type,value,role,first_seen,last_seen,incident,context\n");
    char t[40];
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct ty_inc_entity *e = it[i].e;
        rc = add_csv(out, it[i].kind);
        rc = rc ? rc : ty_buf_addc(out, ',');
        rc = rc ? rc : add_csv(out, it[i].value);
        rc = rc ? rc : ty_buf_addf(out, ",%s,", role_word(e->role));
        if (rc == 0 && e->first_seen && ty_time_format(e->first_seen, 9, t) > 0)
            rc = ty_buf_adds(out, t);
        rc = rc ? rc : ty_buf_addc(out, ',');
        if (rc == 0 && e->last_seen && ty_time_format(e->last_seen, 9, t) > 0)
            rc = ty_buf_adds(out, t);
        rc = rc ? rc : ty_buf_addf(out, ",%d,", it[i].inc->id);
        ty_buf_reset(tmp);
        rc = rc ? rc : ty_buf_addf(tmp, "named by %u alerts; incident %d: %s", e->n_alerts,
                                   it[i].inc->id, it[i].inc->title ? it[i].inc->title : "");
        rc = rc ? rc : add_csv(out, tmp->buf);
        rc = rc ? rc : ty_buf_addc(out, '\n');
    }
    return rc;
}

static int json_kv(struct ty_buf *b, const char *key, const char *val)
{
    int rc = ty_buf_addf(b, ",\"%s\":", key);
    return rc ? rc : ty_buf_add_json_str(b, ty_str_cstr(val));
}

static int64_t earliest(const struct item *it, size_t n, size_t i, size_t *end)
{
    int64_t t = 0;
    size_t j = i;
    for (; j < n && strcmp(it[j].pattern, it[i].pattern) == 0; j++) {
        int64_t f = it[j].e->first_seen ? it[j].e->first_seen : it[j].inc->first_seen;
        if (f && (t == 0 || f < t))
            t = f;
    }
    *end = j;
    return t;
}

static int write_indicator(struct ty_buf *b, const struct item *it, int64_t t,
                           const char *ident, struct ty_buf *tmp)
{
    const struct ty_inc_entity *e = it->e;
    int rc = ty_buf_adds(b, ",{\"type\":\"indicator\",\"spec_version\":\"2.1\"");
    rc = rc ? rc : json_kv(b, "id", it->id);
    rc = rc ? rc : json_kv(b, "created_by_ref", ident);
    rc = rc ? rc : ty_buf_adds(b, ",\"created\":\"");
    rc = rc ? rc : add_time(b, t, 3);
    rc = rc ? rc : ty_buf_adds(b, "\",\"modified\":\"");
    rc = rc ? rc : add_time(b, t, 3);
    rc = rc ? rc : ty_buf_addc(b, '"');
    ty_buf_reset(tmp);
    rc = rc ? rc : ty_buf_addf(tmp, "%s %s %s", role_word(e->role), it->kind, it->value);
    rc = rc ? rc : json_kv(b, "name", tmp->buf);
    ty_buf_reset(tmp);
    rc = rc ? rc : ty_buf_addf(tmp, "Named by %u alerts of tyto incident %d: %s", e->n_alerts,
                               it->inc->id, it->inc->title ? it->inc->title : "");
    rc = rc ? rc : json_kv(b, "description", tmp->buf);
    rc = rc ? rc : ty_buf_addf(b, ",\"indicator_types\":[\"%s\"]",
                               e->role == TY_ROLE_VICTIM || e->role == TY_ROLE_PIVOT
                                   ? "compromised"
                                   : "malicious-activity");
    rc = rc ? rc : json_kv(b, "pattern", it->pattern);
    rc = rc ? rc : ty_buf_adds(b, ",\"pattern_type\":\"stix\",\"pattern_version\":\"2.1\","
                                  "\"valid_from\":\"");
    rc = rc ? rc : add_time(b, t, 3);
    return rc ? rc : ty_buf_adds(b, "\"}");
}

/* Whether item i is of inc and the first of its value in inc (items are sorted). */
static int first_in(const struct item *it, size_t i, const struct ty_incident *inc)
{
    if (it[i].inc != inc)
        return 0;
    for (size_t j = i; j-- > 0 && strcmp(it[j].pattern, it[i].pattern) == 0;)
        if (it[j].inc == inc)
            return 0;
    return 1;
}

static int write_report(struct ty_buf *b, const struct ty_incident *inc, const struct item *it,
                        size_t n, const char *ident, struct ty_buf *tmp)
{
    char uuid[37];
    size_t refs = 0;
    int rc = 0;
    /* the report's id: its incident, time, title and indicators */
    ty_buf_reset(tmp);
    rc = ty_buf_addf(tmp, "report:%d:%lld:%s", inc->id, (long long)inc->first_seen,
                     inc->title ? inc->title : "");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!first_in(it, i, inc))
            continue;
        rc = ty_buf_addf(tmp, ":%s", it[i].id);
        refs++;
    }
    if (rc || refs == 0)
        return rc;
    if (uuid5(tmp->buf, tmp->len, uuid))
        return TY_ERR;
    rc = ty_buf_addf(b, ",{\"type\":\"report\",\"spec_version\":\"2.1\",\"id\":\"report--%s\"",
                     uuid);
    rc = rc ? rc : json_kv(b, "created_by_ref", ident);
    rc = rc ? rc : ty_buf_adds(b, ",\"created\":\"");
    rc = rc ? rc : add_time(b, inc->last_seen, 3);
    rc = rc ? rc : ty_buf_adds(b, "\",\"modified\":\"");
    rc = rc ? rc : add_time(b, inc->last_seen, 3);
    rc = rc ? rc : ty_buf_addc(b, '"');
    ty_buf_reset(tmp);
    rc = rc ? rc : ty_buf_addf(tmp, "tyto incident %d: %s", inc->id,
                               inc->title ? inc->title : "");
    rc = rc ? rc : json_kv(b, "name", tmp->buf);
    const char *how = inc->q[TY_Q_INITIAL_ACCESS].summary;
    if (how && *how)
        rc = rc ? rc : json_kv(b, "description", how);
    rc = rc ? rc : ty_buf_adds(b, ",\"report_types\":[\"threat-report\"],\"published\":\"");
    rc = rc ? rc : add_time(b, inc->last_seen, 3);
    rc = rc ? rc : ty_buf_adds(b, "\",\"object_refs\":[");
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (first_in(it, i, inc))
            rc = ty_buf_addf(b, "%s\"%s\"", k++ ? "," : "", it[i].id);
    return rc ? rc : ty_buf_adds(b, "]}");
}

static int write_stix(const struct ty_investigation *inv, int incident_id, const struct item *it,
                      size_t n, struct ty_buf *out, struct ty_buf *tmp)
{
    char ident[64], uuid[37];
    int rc = uuid5("identity:tyto", strlen("identity:tyto"), uuid);
    if (rc)
        return rc;
    snprintf(ident, sizeof(ident), "identity--%s", uuid);
    /* the bundle's id: every indicator and the incidents it covers */
    ty_buf_reset(tmp);
    rc = ty_buf_addf(tmp, "bundle:%d", incident_id);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = ty_buf_addf(tmp, ":%d:%s", it[i].inc->id, it[i].id);
    if (rc || uuid5(tmp->buf, tmp->len, uuid))
        return rc ? rc : TY_ERR;
    rc = ty_buf_addf(out, "{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":[", uuid);
    rc = rc ? rc : ty_buf_addf(out,
                               "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"%s\","
                               "\"created\":\"" TYTO_IDENTITY_TIME "\",\"modified\":\""
                               TYTO_IDENTITY_TIME "\",\"name\":\"tyto\",\"description\":"
                               "\"tyto cloud incident forensics (automated analysis)\","
                               "\"identity_class\":\"system\"}",
                               ident);
    for (size_t i = 0; rc == 0 && i < n;) {
        size_t end;
        int64_t t = earliest(it, n, i, &end);
        rc = write_indicator(out, &it[i], t, ident, tmp);
        i = end;
    }
    for (size_t k = 0; rc == 0 && k < inv->n_inc; k++)
        if (incident_id == 0 || inv->inc[k].id == incident_id)
            rc = write_report(out, &inv->inc[k], it, n, ident, tmp);
    return rc ? rc : ty_buf_adds(out, "]}\n");
}

int ty_iocs_write(const struct ty_investigation *inv, int incident_id, int format,
                  struct ty_buf *out, struct ty_err *err)
{
    struct item *it = NULL;
    size_t n = 0, cap = 0;
    struct ty_buf tmp;
    struct ty_arena arena;
    char *ev_root = NULL;
    int rc = 0, found = incident_id == 0;
    ty_buf_init(&tmp, 1u << 20);
    ty_arena_init(&arena, 1u << 14, 0);
    if (format != TY_IOC_CSV && format != TY_IOC_STIX) {
        rc = ty_err_set(err, TY_EINVAL, "iocs: unknown format %d", format);
        goto out;
    }
    for (size_t k = 0; k < inv->n_inc; k++) {
        const struct ty_incident *inc = &inv->inc[k];
        if (incident_id && inc->id != incident_id)
            continue;
        found = 1;
        free(ev_root);
        ev_root = ty__ev_root(inc);
        for (size_t i = 0; i < inc->n_ents; i++) {
            const char *kind = ioc_kind(&inc->ents[i]), *value = inc->ents[i].value;
            if (!kind)
                continue;
            if (strcmp(kind, "file") == 0) {
                /* a collected copy names the attacker's file by its original path */
                const char *orig, *host;
                int ev = ty__ev_original(inc, ev_root, value, &arena, &orig, &host);
                if (ev == 0)
                    continue;
                if (ev == 1)
                    value = orig;
                if (!value || ty__path_is_system(value))
                    continue;
            }
            if (n == cap) {
                size_t c = cap ? cap * 2 : 64;
                struct item *t = realloc(it, c * sizeof(*t));
                if (!t) {
                    rc = ty_err_set(err, TY_ENOMEM, "iocs: out of memory");
                    goto out;
                }
                it = t;
                cap = c;
            }
            struct item *x = &it[n];
            *x = (struct item){.inc = inc, .e = &inc->ents[i], .order = n, .kind = kind,
                               .value = value};
            if ((rc = make_pattern(x, &tmp)) != 0 ||
                !(x->pattern = ty_buf_detach(&tmp, NULL))) {
                rc = rc ? rc : TY_ENOMEM;
                rc = ty_err_set(err, rc, "iocs: %s", ty_strerror(rc));
                goto out;
            }
            n++;
            char uuid[37];
            if (uuid5(x->pattern, strlen(x->pattern), uuid)) {
                rc = ty_err_set(err, TY_ERR, "iocs: SHA-1 failed");
                goto out;
            }
            snprintf(x->id, sizeof(x->id), "indicator--%s", uuid);
        }
    }
    if (!found) {
        rc = ty_err_set(err, TY_EINVAL, "no incident %d (the case has %zu)", incident_id,
                        inv->n_inc);
        goto out;
    }
    if (format == TY_IOC_CSV) {
        rc = write_csv(it, n, out, &tmp);
    } else {
        if (n)
            qsort(it, n, sizeof(*it), cmp_item);
        rc = write_stix(inv, incident_id, it, n, out, &tmp);
    }
    if (rc)
        rc = ty_err_set(err, rc, "iocs: writing the %s: %s",
                        format == TY_IOC_CSV ? "CSV" : "STIX bundle", ty_strerror(rc));
out:
    for (size_t i = 0; i < n; i++)
        free(it[i].pattern);
    free(it);
    free(ev_root);
    ty_arena_release(&arena);
    ty_buf_release(&tmp);
    return rc;
}
