/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-formats.c - `tyto formats`: the registered parsers and their sniffing.
 */
#include <stdio.h>

#include "cli.h"

int cmd_formats(int argc, const char **argv)
{
    bool json = false;
    struct opt opts[] = {
        {OPT_FLAG, 0, "json", &json, NULL, "one JSON object per format"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {"tyto formats [--json]",
                          "List the evidence formats tyto reads, and how it recognises each from "
                          "the first bytes\nof a stream (decompressed first: gzip, zstd, bzip2, "
                          "xz; tar and zip are unpacked).",
                          opts};
    if (opt_parse(&argc, argv, &u))
        return EXIT_USAGE;
    size_t n;
    const struct ty_parser *const *ps = ty_parsers(&n);
    struct ty_buf b;
    ty_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (json) {
            ty_buf_reset(&b);
            ty_buf_adds(&b, "{\"name\":");
            ty_buf_add_json_str(&b, ty_str_cstr(ps[i]->name));
            ty_buf_adds(&b, ",\"description\":");
            ty_buf_add_json_str(&b, ty_str_cstr(ps[i]->desc));
            ty_buf_adds(&b, ",\"recognised_by\":");
            ty_buf_add_json_str(&b, ty_str_cstr(ps[i]->sniffs));
            ty_buf_adds(&b, "}\n");
            fputs(b.buf, stdout);
        } else {
            printf("%-22s %s\n%-22s   recognised by: %s\n", ps[i]->name, ps[i]->desc, "",
                   ps[i]->sniffs);
        }
    }
    ty_buf_release(&b);
    return 0;
}

int cmd_fields(int argc, const char **argv)
{
    struct cmd_usage u = {"tyto fields",
                          "List the normalized event fields (for --where and tyto query): name, "
                          "type, how the\ncase stores it, and the Elastic Common Schema name.",
                          NULL};
    static const char *const types[] = {"time", "int", "ip", "string"};
    static const char *const stores[] = {"integer", "dictionary", "text", "ip blob"};
    if (opt_parse(&argc, argv, &u))
        return EXIT_USAGE;
    printf("%-18s %-7s %-11s %s\n", "FIELD", "TYPE", "STORED AS", "ECS");
    for (int i = 0; i < TY_F__COUNT; i++)
        printf("%-18s %-7s %-11s %s\n", ty_fields[i].name, types[ty_fields[i].type],
               stores[ty_fields[i].store], ty_fields[i].ecs[0] ? ty_fields[i].ecs : "-");
    return 0;
}
