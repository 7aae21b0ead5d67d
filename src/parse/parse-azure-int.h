/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-azure-int.h - what parse-azure-monitor.c shares with its Sigma view
 * (parse-azure-view.c): the field listers of its Sigma views.
 */
#ifndef TYTO_PARSE_AZURE_INT_H
#define TYTO_PARSE_AZURE_INT_H

#include <tyto/parser.h>

/* AKS kube-audit events: the Kubernetes Event inside properties.log by its
 * own names (verb, objectRef.resource, requestObject...), then the Azure
 * record's (category, properties.pod, resourceId). */
int ty_aks_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg);
/* Activity and Entra events: the record's own dotted names, then the
 * properties' names hoisted to the top (the Log Analytics columns SigmaHQ
 * rules use: LoggedByService, ActivityDisplayName, TargetResources...). */
int ty_azure_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg);
/* properties.message (SigmaHQ's name for the activity's display name). */
int ty_azure_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out);

#endif
