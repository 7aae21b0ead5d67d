/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-azure-view.c - the Kubernetes view of AKS kube-audit records. The
 * event's raw record is the Azure diagnostic record; rules written for
 * native audit.k8s.io Events read the Event that properties.log holds as a
 * JSON string, by its own dotted names, and the envelope's names after it
 * (both are exposed: an Event key wins over an envelope key of the same
 * name because it is listed first).
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
