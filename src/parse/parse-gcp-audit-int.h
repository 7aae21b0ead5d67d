/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-gcp-audit-int.h - what the cloud audit parsers share: Cloud Logging
 * LogEntry helpers (parse-gcp-logentry.c, also fit for the VPC flow parser),
 * the flattening of a JSON value into dotted Sigma field names
 * (parse-gcp-audit-view.c) used by the Kubernetes views of GKE and AKS
 * events, and the per-event view parsers those events are routed through.
 */
#ifndef TYTO_PARSE_GCP_AUDIT_INT_H
#define TYTO_PARSE_GCP_AUDIT_INT_H

#include <stdbool.h>

#include <tyto/parser.h>

/* ---- Cloud Logging LogEntry (parse-gcp-logentry.c) ---- */

/* Is `key` a member of the first LogEntry in head: depth 1 of an object,
 * depth 2 of an array (gcloud output)? Keeps documents that quote an entry
 * deeper (SIEM wrappers, test fixtures) from being taken for entries. */
bool ty_gcp_entry_has_key(struct ty_str head, const char *key);
/* The delivery shape of a LogEntry stream's head, for ctx->shape. */
const char *ty_gcp_entry_shape(struct ty_str head);
/* The log id of a logName, URL-decoded into out ("projects/p/logs/
 * cloudaudit.googleapis.com%2Factivity" -> "cloudaudit.googleapis.com/activity");
 * returns its length (0 when logName has no "/logs/"). */
size_t ty_gcp_log_id(struct ty_str log_name, char *out, size_t cap);
/* The project (or organization/folder/billing account) of a logName:
 * "projects/p/logs/x" -> "p"; NULL span when none. */
struct ty_str ty_gcp_log_parent(struct ty_str log_name);
/* Called for each LogEntry of a record: first with emit false (validate
 * only: return TY_ECORRUPT with a reason, or 0), then, when every entry
 * passed, with emit true; a record holding one entry gets the second call
 * only, so fn must return TY_ECORRUPT before emitting anything. Returns 0
 * or a negative code. */
typedef int (*ty_gcp_entry_fn)(void *arg, const struct ty_json_doc *d, uint32_t entry, bool emit);
/* Tokenize a framed record into ctx->json and run fn over its entries (the
 * elements of a top-level array, or the record itself) as above, so a bad
 * entry quarantines the record without emitting anything.
 * An empty array is TY_ECORRUPT. Returns TY_OK, TY_ECORRUPT or < 0. */
int ty_gcp_each_entry(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err,
                      ty_gcp_entry_fn fn, void *arg);
/* Standard or URL-safe base64 (padding optional, whitespace ignored) into
 * out (at least 3 * (len / 4) + 3 bytes); returns the length or -1. */
long ty_gcp_base64_decode(struct ty_str in, char *out);

/* ---- Sigma views (parse-gcp-audit-view.c) ---- */

/* Call kv(arg, name, value) for every scalar under value token v of d,
 * named prefix.key.key... (arrays repeat the name per element, numbers and
 * booleans as their literal text). Strings are decoded into a. Returns 0 or
 * what kv returned. */
int ty_cloud_json_kv(const struct ty_json_doc *d, uint32_t v, const char *prefix,
                     struct ty_arena *a, ty_kv_fn kv, void *arg);

/* The view parsers: events of gcp-audit and azure-monitor streams carry one
 * of these names as their format so rules see them in the right log source. */
extern const struct ty_parser ty_parser_gcp_audit;
extern const struct ty_parser ty_parser_gke_audit;
extern const struct ty_parser ty_parser_azure_monitor;
extern const struct ty_parser ty_parser_azure_activity;
extern const struct ty_parser ty_parser_entra_signin;
extern const struct ty_parser ty_parser_entra_audit;
extern const struct ty_parser ty_parser_entra_risk;
extern const struct ty_parser ty_parser_aks_audit;

/* GKE events: the Kubernetes names (verb, objectRef.*, user.username,
 * sourceIPs, requestObject.* ...) beside the LogEntry's own. */
int ty_gke_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg);
int ty_gke_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out);

#endif
