/* SPDX-License-Identifier: Apache-2.0 */
/*
 * entity.c - the entities an event names, and the identity links it proves.
 *
 * Entities come from normalised fields only (never from parser-specific raw
 * fields), plus IPv4 literals and URLs found in command lines, request URIs
 * and messages (percent-decoded first: injected commands arrive encoded).
 * Cloud identities are canonicalised so that planes meet: an STS
 * assumed-role ARN names its role (arn:aws:iam::A:role/R) and its session; a
 * Kubernetes node identity system:node:X names host X; container ids are cut
 * to Docker's 12-character short form. docs/internals/CORRELATION.md.
 */
#include <tyto/event.h>
#include <tyto/ip.h>

#include <stdio.h>
#include <string.h>

#include "correlate/correlate-int.h"

static const char *const type_names[TY_ENT__COUNT] = {
    [TY_ENT_IP] = "ip",
    [TY_ENT_PRINCIPAL] = "principal",
    [TY_ENT_ROLE] = "role",
    [TY_ENT_SERVICE_ACCOUNT] = "service_account",
    [TY_ENT_ACCESS_KEY] = "access_key",
    [TY_ENT_SESSION] = "session",
    [TY_ENT_ACCOUNT] = "account",
    [TY_ENT_HOST] = "host",
    [TY_ENT_INSTANCE] = "instance",
    [TY_ENT_POD] = "pod",
    [TY_ENT_NAMESPACE] = "namespace",
    [TY_ENT_CONTAINER] = "container",
    [TY_ENT_IMAGE] = "image",
    [TY_ENT_PROCESS] = "process",
    [TY_ENT_FILE] = "file",
    [TY_ENT_HASH] = "hash",
    [TY_ENT_DOMAIN] = "domain",
    [TY_ENT_URL] = "url",
    [TY_ENT_BUCKET] = "bucket",
    [TY_ENT_OBJECT] = "object",
};

const char *ty_entity_type_name(int type)
{
    return type >= 0 && type < TY_ENT__COUNT ? type_names[type] : "?";
}

const char *ty_entity_role_name(int role)
{
    switch (role) {
    case TY_ROLE_ATTACKER: return "attacker";
    case TY_ROLE_VICTIM: return "victim";
    case TY_ROLE_PIVOT: return "pivot";
    case TY_ROLE_ARTIFACT: return "artifact";
    default: return "related";
    }
}

bool ty__ent_is_workload(int type)
{
    return type == TY_ENT_HOST || type == TY_ENT_INSTANCE || type == TY_ENT_POD ||
           type == TY_ENT_CONTAINER || type == TY_ENT_PROCESS;
}

int ty__ip_class(const struct ty_ip *ip)
{
    const uint8_t *a = ip->a;
    if (ty_ip_is_v4(ip)) {
        const uint8_t *b = a + 12;
        if (b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
            (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
            (b[0] == 100 && (b[1] & 0xc0) == 64) || b[0] >= 224)
            return 1;
        return 0;
    }
    if ((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff)
        return 1;
    static const uint8_t loop[16] = {[15] = 1};
    static const uint8_t zero[16] = {0};
    if (memcmp(a, loop, 16) == 0 || memcmp(a, zero, 16) == 0)
        return 1;
    return 0;
}

static int put(ty__ent_fn fn, void *arg, int type, struct ty_str v, unsigned flags)
{
    v = ty_str_trim(v);
    if (!v.len || v.len > 1024 || ty_str_eq_cstr(v, "-") || ty_str_eq_cstr(v, "unknown"))
        return 0;
    return fn(arg, type, v, flags);
}

static int put_ip(ty__ent_fn fn, void *arg, const struct ty_ip *ip, unsigned flags)
{
    char buf[TY_IP_STRLEN];
    if (ty_ip_format(ip, buf) < 0)
        return 0;
    return fn(arg, TY_ENT_IP, ty_str_cstr(buf), flags | (ty__ip_class(ip) ? TY__ENT_INTERNAL : 0));
}

/* The service account a principal names: itself, or the token subject at
 * the end of an IRSA web identity ("...:sts.amazonaws.com:system:serviceaccount:NS:SA"). */
static struct ty_str sa_in(struct ty_str a)
{
    static const char k[] = "system:serviceaccount:";
    for (size_t i = 0; i + sizeof(k) - 1 <= a.len; i++)
        if (memcmp(a.p + i, k, sizeof(k) - 1) == 0 && (i == 0 || a.p[i - 1] == ':'))
            return ty_str_make(a.p + i, a.len - i);
    return TY_STR_NULL;
}

/* arn:aws:sts::ACCT:assumed-role/ROLE/SESSION -> role ARN and session. */
static int put_actor(ty__ent_fn fn, void *arg, struct ty_str a, bool host_plane)
{
    char buf[512];
    int rc;
    struct ty_str sa = sa_in(a);
    if (sa.len) {
        /* a web identity user (IRSA) is the service account its token names */
        if (sa.p != a.p && (rc = put(fn, arg, TY_ENT_PRINCIPAL, a, TY__ENT_DERIVED)))
            return rc;
        return put(fn, arg, TY_ENT_SERVICE_ACCOUNT, sa, 0);
    }
    if (ty_str_starts(a, "system:node:")) {
        if ((rc = put(fn, arg, TY_ENT_PRINCIPAL, a, 0)))
            return rc;
        return put(fn, arg, TY_ENT_HOST, ty_str_make(a.p + 12, a.len - 12), TY__ENT_DERIVED);
    }
    if (ty_str_starts(a, "arn:aws:sts::") && a.len < sizeof(buf)) {
        const char *ar = memchr(a.p, ':', a.len);
        /* arn:aws:sts::ACCT:assumed-role/ROLE/SESSION */
        struct ty_str rest = ty_str_make(a.p + 13, a.len - 13);
        ptrdiff_t c = ty_str_chr(rest, ':');
        (void)ar;
        if (c > 0 && ty_str_starts(ty_str_make(rest.p + c + 1, rest.len - (size_t)c - 1),
                                   "assumed-role/")) {
            struct ty_str acct = ty_str_make(rest.p, (size_t)c);
            struct ty_str rs = ty_str_make(rest.p + c + 14, rest.len - (size_t)c - 14);
            ptrdiff_t sl = ty_str_chr(rs, '/');
            struct ty_str role = sl >= 0 ? ty_str_make(rs.p, (size_t)sl) : rs;
            int n = snprintf(buf, sizeof(buf), "arn:aws:iam::%.*s:role/%.*s", (int)acct.len,
                             acct.p, (int)role.len, role.p);
            if (n > 0 && (size_t)n < sizeof(buf) && (rc = put(fn, arg, TY_ENT_ROLE,
                                                               ty_str_cstr(buf), 0)))
                return rc;
            if (sl >= 0)
                return put(fn, arg, TY_ENT_SESSION,
                           ty_str_make(rs.p + sl + 1, rs.len - (size_t)sl - 1), 0);
            return 0;
        }
    }
    if ((ty_str_starts(a, "arn:aws:iam::") && ty_str_contains(a, ":role/")) ||
        ty_str_ends(a, ".iam.gserviceaccount.com"))
        return put(fn, arg, TY_ENT_ROLE, a, 0);
    /* a local account on a host is only meaningful with its host */
    return put(fn, arg, TY_ENT_PRINCIPAL, a, host_plane ? TY__ENT_LOCAL : 0);
}

static bool is_hex(struct ty_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return s.len > 0;
}

/* The length of a URL scheme and "://" at p ("http://", "https://",
 * "stratum+tcp://"), 0 when there is none. */
static size_t scheme_len(const char *p, size_t n)
{
    static const char *const schemes[] = {"http://", "https://", "stratum+tcp://",
                                          "stratum+ssl://", "ftp://"};
    for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
        size_t l = strlen(schemes[k]);
        if (n > l && memcmp(p, schemes[k], l) == 0)
            return l;
    }
    return 0;
}

/* Public IPv4 literals and http(s) URLs inside free text. */
static int scan_text(ty__ent_fn fn, void *arg, struct ty_str s)
{
    char buf[2048];
    size_t n = 0;
    int rc;
    /* percent-decode (and '+' is left alone: it is a literal in paths) */
    for (size_t i = 0; i < s.len && n < sizeof(buf) - 1; i++) {
        int h, l;
        if (s.p[i] == '%' && i + 2 < s.len && (h = ty_hex_digit(s.p[i + 1])) >= 0 &&
            (l = ty_hex_digit(s.p[i + 2])) >= 0) {
            buf[n++] = (char)(h * 16 + l);
            i += 2;
        } else {
            buf[n++] = s.p[i];
        }
    }
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c >= '1' && c <= '9' && (i == 0 || !((buf[i - 1] >= '0' && buf[i - 1] <= '9') ||
                                                 buf[i - 1] == '.'))) {
            size_t j = i, dots = 0;
            while (j < n && ((buf[j] >= '0' && buf[j] <= '9') || buf[j] == '.')) {
                dots += buf[j] == '.';
                j++;
            }
            while (j > i && buf[j - 1] == '.') {
                j--;
                dots--;
            }
            struct ty_ip ip;
            if (dots == 3 && ty_ip_parse(ty_str_make(buf + i, j - i), &ip) == 0 &&
                !ty__ip_class(&ip) && (rc = put_ip(fn, arg, &ip, TY__ENT_TEXT)))
                return rc;
            i = j;
            continue;
        }
        size_t sl = scheme_len(buf + i, n - i);
        if (sl && (i == 0 || !((buf[i - 1] >= 'a' && buf[i - 1] <= 'z') ||
                               (buf[i - 1] >= 'A' && buf[i - 1] <= 'Z')))) {
            size_t j = i;
            while (j < n && buf[j] != ' ' && buf[j] != '"' && buf[j] != '\'' && buf[j] != '|' &&
                   buf[j] != ';' && buf[j] != ')' && buf[j] != '&' && buf[j] != '<' &&
                   buf[j] != '>' && buf[j] != '`')
                j++;
            struct ty_str url = ty_str_make(buf + i, j - i);
            if ((rc = put(fn, arg, TY_ENT_URL, url, TY__ENT_TEXT)))
                return rc;
            const char *h0 = url.p + sl;
            const char *he = h0;
            while (he < url.p + url.len && *he != '/' && *he != ':')
                he++;
            struct ty_str host = ty_str_make(h0, (size_t)(he - h0));
            struct ty_ip ip;
            if (ty_ip_parse(host, &ip) == 0) {
                if (!ty__ip_class(&ip) && (rc = put_ip(fn, arg, &ip, TY__ENT_TEXT)))
                    return rc;
            } else if (host.len && (rc = put(fn, arg, TY_ENT_DOMAIN, host, TY__ENT_TEXT))) {
                return rc;
            }
            i = j;
        }
    }
    return 0;
}

int ty__event_entities(const struct ty_event *ev, ty__ent_fn fn, void *arg)
{
    int rc;
    struct ty_str s;
    bool host_plane = ty_event_has(ev, TY_F_PID) || ty_event_has(ev, TY_F_PROC_EXE) ||
                      ty_event_has(ev, TY_F_PROC_CMDLINE);

    if (ty_event_has(ev, TY_F_SRC_IP) && (rc = put_ip(fn, arg, &ev->v[TY_F_SRC_IP].ip, 0)))
        return rc;
    if (ty_event_has(ev, TY_F_DST_IP) && (rc = put_ip(fn, arg, &ev->v[TY_F_DST_IP].ip, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_ACTOR)).len && (rc = put_actor(fn, arg, s, host_plane)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_ACTOR_ISSUER)).len && (rc = put_actor(fn, arg, s, false)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_PROC_USER)).len &&
        (rc = put(fn, arg, TY_ENT_PRINCIPAL, s, TY__ENT_LOCAL)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_ACCESS_KEY)).len &&
        (rc = put(fn, arg, TY_ENT_ACCESS_KEY, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_ACTOR_SESSION)).len &&
        (rc = put(fn, arg, TY_ENT_SESSION, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_CLOUD_ACCOUNT)).len &&
        (rc = put(fn, arg, TY_ENT_ACCOUNT, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_HOST)).len && (rc = put(fn, arg, TY_ENT_HOST, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_K8S_NODE)).len && (rc = put(fn, arg, TY_ENT_HOST, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_HOST_ID)).len &&
        (rc = put(fn, arg, ty_str_starts(s, "i-") ? TY_ENT_INSTANCE : TY_ENT_HOST, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_K8S_POD)).len && (rc = put(fn, arg, TY_ENT_POD, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_K8S_NAMESPACE)).len &&
        (rc = put(fn, arg, TY_ENT_NAMESPACE, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_CONTAINER_ID)).len) {
        ptrdiff_t c = ty_str_chr(s, ':');   /* docker://, containerd:// */
        if (c >= 0 && (size_t)c + 3 <= s.len && s.p[c + 1] == '/' && s.p[c + 2] == '/')
            s = ty_str_make(s.p + c + 3, s.len - (size_t)c - 3);
        if (s.len > 12 && is_hex(s))
            s.len = 12;
        if ((rc = put(fn, arg, TY_ENT_CONTAINER, s, 0)))
            return rc;
    }
    if ((s = ty_event_str(ev, TY_F_CONTAINER_IMAGE)).len &&
        (rc = put(fn, arg, TY_ENT_IMAGE, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_TARGET_KIND)).len &&
        (ty_str_eq_cstr(s, "pods") || ty_str_eq_cstr(s, "pod") || ty_str_eq_cstr(s, "Pod"))) {
        struct ty_str t = ty_event_str(ev, TY_F_TARGET_NAME);
        if (t.len && (rc = put(fn, arg, TY_ENT_POD, t, TY__ENT_TARGET)))
            return rc;
    }
    if ((s = ty_event_str(ev, TY_F_TARGET_USER)).len &&
        (ty_str_starts(s, "arn:") || ty_str_starts(s, "system:serviceaccount:")) &&
        (rc = put_actor(fn, arg, s, false)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_TARGET)).len && ty_str_starts(s, "arn:aws:iam::") &&
        ty_str_contains(s, ":role/") && (rc = put(fn, arg, TY_ENT_ROLE, s, TY__ENT_TARGET)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_PROC_EXE)).len && s.p[0] == '/' &&
        (rc = put(fn, arg, TY_ENT_FILE, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_FILE_PATH)).len && s.p[0] == '/' &&
        (rc = put(fn, arg, TY_ENT_FILE, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_FILE_HASH)).len && (rc = put(fn, arg, TY_ENT_HASH, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_DOMAIN)).len && (rc = put(fn, arg, TY_ENT_DOMAIN, s, 0)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_BUCKET)).len) {
        if ((rc = put(fn, arg, TY_ENT_BUCKET, s, 0)))
            return rc;
        struct ty_str k = ty_event_str(ev, TY_F_OBJECT_KEY);
        char buf[1024];
        if (k.len && s.len + 1 + k.len < sizeof(buf)) {
            memcpy(buf, s.p, s.len);
            buf[s.len] = '/';
            memcpy(buf + s.len + 1, k.p, k.len);
            if ((rc = put(fn, arg, TY_ENT_OBJECT, ty_str_make(buf, s.len + 1 + k.len), 0)))
                return rc;
        }
    }
    if ((s = ty_event_str(ev, TY_F_REQUEST_URI)).len) {
        ptrdiff_t q = ty_str_chr(s, '?');
        struct ty_str path = q >= 0 ? ty_str_make(s.p, (size_t)q) : s;
        if (path.len > 1 && (rc = put(fn, arg, TY_ENT_URL, path, TY__ENT_PATH)))
            return rc;
        if ((rc = scan_text(fn, arg, s)))
            return rc;
    }
    if ((s = ty_event_str(ev, TY_F_URL)).len && (rc = scan_text(fn, arg, s)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_PROC_CMDLINE)).len && (rc = scan_text(fn, arg, s)))
        return rc;
    if ((s = ty_event_str(ev, TY_F_MESSAGE)).len && (rc = scan_text(fn, arg, s)))
        return rc;
    return 0;
}

/* Identity links: pairs of names for one thing (or one identity acting as
 * another) that an event states. Relations that are not identities (a pod
 * runs on a node) are not links: a node would glue all its pods together. */
int ty__event_links(const struct ty_event *ev, ty__link_fn fn, void *arg)
{
    struct ty_str pod = ty_event_str(ev, TY_F_K8S_POD);
    struct ty_str cid = ty_event_str(ev, TY_F_CONTAINER_ID);
    struct ty_str actor = ty_event_str(ev, TY_F_ACTOR);
    struct ty_str host = ty_event_str(ev, TY_F_HOST);
    struct ty_str hid = ty_event_str(ev, TY_F_HOST_ID);
    struct ty_str key = ty_event_str(ev, TY_F_ACCESS_KEY);
    struct ty_str tuser = ty_event_str(ev, TY_F_TARGET_USER);
    int rc;
    char ipb[TY_IP_STRLEN];

    if (pod.len && cid.len) {
        ptrdiff_t c = ty_str_chr(cid, ':');
        if (c >= 0 && (size_t)c + 3 <= cid.len && cid.p[c + 1] == '/')
            cid = ty_str_make(cid.p + c + 3, cid.len - (size_t)c - 3);
        if (cid.len > 12 && is_hex(cid))
            cid.len = 12;
        if ((rc = fn(arg, TY_ENT_POD, pod, TY_ENT_CONTAINER, cid, "container of the pod")))
            return rc;
    }
    /* an inventory or audit record of a pod with its IP */
    if (pod.len && ty_event_has(ev, TY_F_SRC_IP) && ev->format &&
        strcmp(ev->format, "k8s-inventory") == 0 &&
        ty_ip_format(&ev->v[TY_F_SRC_IP].ip, ipb) >= 0 &&
        (rc = fn(arg, TY_ENT_POD, pod, TY_ENT_IP, ty_str_cstr(ipb), "pod IP")))
        return rc;
    if (pod.len && ty_str_starts(actor, "system:serviceaccount:") && ev->format &&
        strcmp(ev->format, "k8s-inventory") == 0 &&
        (rc = fn(arg, TY_ENT_POD, pod, TY_ENT_SERVICE_ACCOUNT, actor, "pod service account")))
        return rc;
    /* IRSA / workload identity: a service account that is (or assumed) a cloud role */
    struct ty_str sa = sa_in(actor);
    struct ty_str target = ty_event_str(ev, TY_F_TARGET);
    struct ty_str role = (ty_str_starts(tuser, "arn:aws:iam::") ||
                          ty_str_ends(tuser, ".iam.gserviceaccount.com")) ? tuser
                         : (ty_str_starts(target, "arn:aws:iam::") && ty_str_contains(target, ":role/"))
                             ? target : TY_STR_NULL;
    if (sa.len && role.len &&
        (rc = fn(arg, TY_ENT_SERVICE_ACCOUNT, sa, TY_ENT_ROLE, role,
                 "workload identity of the service account")))
        return rc;
    if (key.len && actor.len && !ty_str_starts(actor, "arn:aws:sts::") &&
        (rc = fn(arg, TY_ENT_ACCESS_KEY, key, TY_ENT_PRINCIPAL, actor, "access key of the user")))
        return rc;
    /* a DNS answer: the name and the few public addresses it resolved to */
    struct ty_str dom = ty_event_str(ev, TY_F_DOMAIN);
    struct ty_str ans = ty_event_str(ev, TY_F_MESSAGE);
    if (dom.len && ans.len && ty_str_eq_cstr(ty_event_str(ev, TY_F_PROVIDER), "dns")) {
        size_t n = 0;
        struct ty_str rest = ans;
        while (rest.len && n < 4) {
            size_t k = 0;
            while (k < rest.len && rest.p[k] != ',' && rest.p[k] != ' ')
                k++;
            struct ty_ip ip;
            struct ty_str one = ty_str_make(rest.p, k);
            if (ty_ip_parse(one, &ip) == 0 && !ty__ip_class(&ip) &&
                ty_ip_format(&ip, ipb) >= 0) {
                if ((rc = fn(arg, TY_ENT_DOMAIN, dom, TY_ENT_IP, ty_str_cstr(ipb), "DNS answer")))
                    return rc;
                n++;
            }
            rest = k < rest.len ? ty_str_make(rest.p + k + 1, rest.len - k - 1) : TY_STR_NULL;
        }
    }
    if (host.len && hid.len && ty_str_starts(hid, "i-") &&
        (rc = fn(arg, TY_ENT_HOST, host, TY_ENT_INSTANCE, hid, "instance of the host")))
        return rc;
    return 0;
}

/* Collected trees keep each host under its own folder, its filesystem below
 * (hosts/api-1/var/log/..., node-snapshot/NODE/var/lib/docker/...,
 * hosts/h/fs/etc/...): the folder above the first top-level system
 * directory names the host, skipping names that only say "a filesystem".
 * A top-level directory right under the root ("/tmp/case/...") is where the
 * analyst keeps the case, not a host's tree. */
/* Where a collected host tree starts in path: *host and *host_len name the
 * host folder, the return value points at the '/' before the tree's top
 * system directory; NULL when the path is not in a collected tree. */
static const char *tree_scan(const char *path, const char **host, size_t *host_len)
{
    static const char *const top[] = {"var", "etc", "home", "root", "tmp", "opt", "usr", "srv",
                                      "run", "proc", "dev"};
    static const char *const generic[] = {"fs", "rootfs", "root", "mnt", "collected", "evidence",
                                          "disk", "image", "files", "data", "snapshot", ".", ""};
    const char *comp[64];
    size_t len[64], n = 0;
    const char *p = path;
    while (*p && n < 64) {
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        comp[n] = p;
        len[n++] = l;
        if (!e)
            break;
        p = e + 1;
    }
    for (size_t i = 1; i + 1 < n; i++) {
        bool is_top = false;
        for (size_t k = 0; k < sizeof(top) / sizeof(top[0]) && !is_top; k++)
            is_top = strlen(top[k]) == len[i] && memcmp(top[k], comp[i], len[i]) == 0;
        if (!is_top)
            continue;
        for (size_t j = i; j-- > 0;) {
            bool gen = false, sys = false;
            for (size_t k = 0; k < sizeof(generic) / sizeof(generic[0]) && !gen; k++)
                gen = strlen(generic[k]) == len[j] && memcmp(generic[k], comp[j], len[j]) == 0;
            if (gen)
                continue;
            /* /var/tmp: a system folder inside another is not a host's tree */
            for (size_t k = 0; k < sizeof(top) / sizeof(top[0]) && !sys; k++)
                sys = strlen(top[k]) == len[j] && memcmp(top[k], comp[j], len[j]) == 0;
            if (sys)
                break;
            *host = comp[j];
            *host_len = len[j];
            return comp[i] - 1;
        }
    }
    return NULL;
}

size_t ty__path_host(const char *path, char *out, size_t cap)
{
    const char *h;
    size_t hl;
    if (!tree_scan(path, &h, &hl) || hl + 1 > cap)
        return 0;
    memcpy(out, h, hl);
    out[hl] = '\0';
    return hl;
}

const char *ty__path_in_tree(const char *path)
{
    const char *h;
    size_t hl;
    const char *t = tree_scan(path, &h, &hl);
    return t ? t : path;
}
