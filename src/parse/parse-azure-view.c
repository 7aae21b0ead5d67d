/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-azure-view.c - the Kubernetes view of AKS kube-audit records. The
 * event's raw record is the Azure diagnostic record; rules written for
 * native audit.k8s.io Events read the Event that properties.log holds as a
 * JSON string, by its own dotted names, and the envelope's names after it
 * (both are exposed: an Event key wins over an envelope key of the same
 * name because it is listed first). Activity and Entra records: their own
 * names, then the properties' names at the top, as Log Analytics columns
 * (SigmaHQ's Azure rules use both spellings, matched case-insensitively),
 * and "caller" taken from the claims when the record has none.
 */
#include <tyto/err.h>

#include "parse-azure-int.h"
#include "parse-gcp-audit-int.h"

int ty_aks_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_json_doc outer, inner;
    struct ty_arena a;
    struct ty_err err;
    int rc = 0;

    if (!ev->raw.p)
        return 0;
    ty_json_doc_init(&outer, 0, 0);
    ty_json_doc_init(&inner, 0, 0);
    ty_arena_init(&a, 4096, 0);
    if (ty_json_parse(&outer, ev->raw.p, ev->raw.len, &err) != 0 ||
        ty_json_type(&outer, 0) != TY_JSON_OBJECT)
        goto out;
    uint32_t props = ty_json_get_nocase(&outer, 0, "properties");
    struct ty_str log;
    if (ty_json_str(&outer, ty_json_get_nocase(&outer, props, "log"), &a, &log) == 0 &&
        ty_json_parse(&inner, log.p, log.len, &err) == 0 &&
        (rc = ty_cloud_json_kv(&inner, 0, "", &a, kv, arg)) != 0)
        goto out;
    rc = ty_cloud_json_kv(&outer, 0, "", &a, kv, arg);
out:
    ty_arena_release(&a);
    ty_json_doc_release(&inner);
    ty_json_doc_release(&outer);
    return rc;
}

int ty_azure_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_json_doc doc;
    struct ty_arena a;
    struct ty_err err;
    int rc = 0;

    if (!ev->raw.p)
        return 0;
    ty_json_doc_init(&doc, 0, 0);
    ty_arena_init(&a, 4096, 0);
    if (ty_json_parse(&doc, ev->raw.p, ev->raw.len, &err) != 0 ||
        ty_json_type(&doc, 0) != TY_JSON_OBJECT)
        goto out;
    /* the diagnostic schema has no caller: the one taken from the claims */
    if (ty_json_get_nocase(&doc, 0, "caller") == TY_JSON_NONE && ty_event_has(ev, TY_F_ACTOR) &&
        (rc = kv(arg, TY_STR_LIT("caller"), ty_event_str(ev, TY_F_ACTOR))) != 0)
        goto out;
    if ((rc = ty_cloud_json_kv(&doc, 0, "", &a, kv, arg)) != 0)
        goto out;
    rc = ty_cloud_json_kv(&doc, ty_json_get_nocase(&doc, 0, "properties"), "", &a, kv, arg);
out:
    ty_arena_release(&a);
    ty_json_doc_release(&doc);
    return rc;
}

int ty_azure_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out)
{
    if (!ty_str_eq_cstr(name, "properties.message") || !ty_event_has(ev, TY_F_ACTION) ||
        ty_str_eq_cstr(ty_event_str(ev, TY_F_CATEGORY), "auth"))
        return 0;
    *out = ty_event_str(ev, TY_F_ACTION);
    return 1;
}
