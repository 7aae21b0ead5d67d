/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-k8s-inventory-int.h - what the JSON answers saved from a cluster's
 * APIs (k8s-inventory, prometheus) share: a sniffing helper that reads one
 * key's value in a stream's head, pretty-printed or not.
 */
#ifndef TYTO_PARSE_K8S_INVENTORY_INT_H
#define TYTO_PARSE_K8S_INVENTORY_INT_H

#include <tyto/str.h>

/* The string value of the first "key" in text (whitespace allowed around
 * ':'), undecoded; an empty non-NULL span when the value is not a string;
 * TY_STR_NULL when the key is not there or the value is cut. */
struct ty_str ty__json_head_str(struct ty_str s, const char *key);

#endif
