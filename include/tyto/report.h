/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h - writing the investigation report of a case.
 *
 * JSON follows the report contract of DESIGN.md §4 (tyto_version, case,
 * evidence with counts, incidents with entities, techniques, the five
 * questions, timeline and containment, and alerts); Markdown is for
 * terminals and tickets; HTML is one self-contained file (inline style and
 * SVG, one small inline script for the timeline zoom, no external resource).
 */
#ifndef TYTO_REPORT_H
#define TYTO_REPORT_H

#include <tyto/buf.h>
#include <tyto/err.h>
#include <tyto/store.h>

struct ty_investigation;

enum ty_report_format { TY_REPORT_JSON, TY_REPORT_MD, TY_REPORT_HTML };

/* The format for an output path by its extension (.json, .md, .html), or -1. */
int ty_report_format_for_path(const char *path);
/* The format named "json", "md" (or "markdown"), "html", or -1. */
int ty_report_format_named(const char *name);

/* Render the report of the case into out. inv is the correlation to report
 * (NULL: computed here with the default options); incident 0 reports every
 * incident, N only incident N (TY_EINVAL when there is none). */
int ty_report_render(struct ty_store *st, const struct ty_investigation *inv, int incident,
                     int format, struct ty_buf *out, struct ty_err *err);

/* Render and write to out_path (replaced atomically). */
int ty_report_write(struct ty_store *st, const struct ty_investigation *inv,
                    const char *out_path, int format, struct ty_err *err);

#endif
