/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-azure-int.h - what parse-azure-monitor.c shares with its Sigma view
 * (parse-azure-view.c): the AKS kube-audit view's field lister.
 */
#ifndef TYTO_PARSE_AZURE_INT_H
#define TYTO_PARSE_AZURE_INT_H

#include <tyto/parser.h>

/* AKS kube-audit events: the Kubernetes Event inside properties.log by its
 * own names (verb, objectRef.resource, requestObject...), then the Azure
 * record's (category, properties.pod, resourceId). */
int ty_aks_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg);

#endif
