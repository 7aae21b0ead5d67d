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
