/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-response.c - libFuzzer target for the response plan and the indicators:
 * the input describes an incident, one item a line ("E<type><role>VALUE" an
 * entity, "L<type><type>A\tB" a link, "P..." a persistence artifact,
 * "S..." a cited evidence file, "T..." a technique), then ty_contain_plan
 * and ty_iocs_write (CSV and STIX) run on it. Aborts when a command holds a
 * control byte outside a quoted here-document, when the STIX bundle is not
 * valid JSON, or when a call fails for anything but memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/correlate.h>
#include <tyto/json.h>

#define MAX_ITEMS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_command(const char *c)
{
    size_t n = strlen(c);
    int heredoc = strstr(c, "<<'TYTO_EOF'\n") && n > 9 && strcmp(c + n - 9, "\nTYTO_EOF") == 0;
    for (const unsigned char *s = (const unsigned char *)c; *s; s++)
        if ((*s < 0x20 && !(heredoc && *s == '\n')) || *s == 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ty_arena a;
    struct ty_inc_entity ents[MAX_ITEMS];
    struct ty_inc_link links[MAX_ITEMS];
    struct ty_inc_step steps[MAX_ITEMS];
    const char *persist[MAX_ITEMS], *techs[MAX_ITEMS + 1];
    size_t ne = 0, nl = 0, ns = 0, np = 0, nt = 0;
    ty_arena_init(&a, 1 << 14, 64u << 20);
    memset(steps, 0, sizeof(steps));
    for (size_t pos = 0; pos < size;) {
        const uint8_t *nlp = memchr(data + pos, '\n', size - pos);
        size_t len = nlp ? (size_t)(nlp - (data + pos)) : size - pos;
        const char *line = ty_arena_memdup(&a, data + pos, len); /* stops at a NUL */
        pos += len + 1;
        if (!line || len < 1)
            continue;
        char kind = line[0];
        if (kind == 'E' && len >= 3 && ne < MAX_ITEMS) {
            ents[ne] = (struct ty_inc_entity){.type = (unsigned char)line[1] % TY_ENT__COUNT,
                                              .role = (unsigned char)line[2] % 5,
                                              .value = line + 3,
                                              .internal = (line[2] & 0x10) ? 1 : 0,
                                              .first_seen = (int64_t)(unsigned char)line[1] << 40,
                                              .last_seen = (int64_t)(unsigned char)line[2] << 41};
            ne++;
        } else if (kind == 'L' && len >= 3 && nl < MAX_ITEMS) {
            char *tab = strchr(line + 3, '\t');
            if (!tab)
                continue;
            *tab = '\0';
            links[nl++] = (struct ty_inc_link){.a_type = (unsigned char)line[1] % TY_ENT__COUNT,
                                               .b_type = (unsigned char)line[2] % TY_ENT__COUNT,
                                               .a = line + 3, .b = tab + 1, .why = "fuzz"};
        } else if (kind == 'P' && np < MAX_ITEMS) {
            persist[np++] = line + 1;
        } else if (kind == 'S' && ns < MAX_ITEMS) {
            steps[ns++].ev.file = line + 1;
        } else if (kind == 'T' && nt < MAX_ITEMS) {
            techs[nt++] = line + 1;
        }
    }
    techs[nt] = NULL;
    struct ty_incident inc = {.id = 1, .title = "fuzz 'title'", .ents = ents, .n_ents = ne,
                              .links = links, .n_links = nl, .steps = steps, .n_steps = ns,
                              .techniques = techs};
    inc.q[TY_Q_PERSISTENCE].artifacts = persist;
    inc.q[TY_Q_PERSISTENCE].n_artifacts = np;

    struct ty_action *act = NULL;
    size_t n = 0;
    struct ty_err err;
    int rc = ty_contain_plan(&inc, &a, &act, &n, &err);
    if (rc != 0 && rc != TY_ENOMEM)
        abort();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!act[i].target || !act[i].action || (i && act[i].phase < act[i - 1].phase))
            abort();
        if (act[i].command)
            check_command(act[i].command);
    }

    struct ty_investigation inv = {.inc = &inc, .n_inc = 1};
    struct ty_buf b;
    ty_buf_init(&b, 16u << 20);
    if (ty_iocs_write(&inv, 0, TY_IOC_CSV, &b, &err) == 0 &&
        strncmp(b.buf, "type,value,role,", 16) != 0)
        abort();
    ty_buf_reset(&b);
    rc = ty_iocs_write(&inv, 1, TY_IOC_STIX, &b, &err);
    if (rc == 0) {
        struct ty_json_doc d;
        ty_json_doc_init(&d, 0, 0);
        if (ty_json_parse(&d, b.buf, b.len, &err) != 0)
            abort();
        ty_json_doc_release(&d);
    } else if (rc != TY_ENOMEM && rc != TY_ETOOBIG) {
        abort();
    }
    ty_buf_release(&b);
    ty_arena_release(&a);
    return 0;
}
