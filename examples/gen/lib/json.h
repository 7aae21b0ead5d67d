/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - JSON string literals for the generators: quoting and escaping the way the
 * vendors' encoders do (Go's encoding/json, used by Kubernetes, Docker and Falco, also
 * escapes <, > and & as \u003c, \u003e, \u0026).
 */
#ifndef GEN_JSON_H
#define GEN_JSON_H

#include "sb.h"

/* Append s as a quoted JSON string: " \ and control characters escaped (\n as \n). */
void json_str(struct sb *b, const char *s);
/* The same, Go style: also <, > and & as \u00XX. */
void json_str_go(struct sb *b, const char *s);
/* Either, by flag (go != 0: Go style). */
void json_strx(struct sb *b, const char *s, int go);

#endif
