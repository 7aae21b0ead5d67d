/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c - quoted, escaped JSON strings for the generators' records. Bytes >= 0x80 are
 * copied as they are (the inputs are UTF-8).
 */
#include "json.h"

#include <stdio.h>

void json_strx(struct sb *b, const char *s, int go)
{
    char u[8];

    sb_add(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\') {
            u[0] = '\\';
            u[1] = (char)c;
            sb_add(b, u, 2);
        } else if (c == '\n') {
            sb_add(b, "\\n", 2);
        } else if (c < 0x20 || (go && (c == '<' || c == '>' || c == '&'))) {
            snprintf(u, sizeof u, "\\u%04x", c);
            sb_add(b, u, 6);
        } else {
            sb_add(b, (const char *)&c, 1);
        }
    }
    sb_add(b, "\"", 1);
}

void json_str(struct sb *b, const char *s)
{
    json_strx(b, s, 0);
}

void json_str_go(struct sb *b, const char *s)
{
    json_strx(b, s, 1);
}
