/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h - writing the investigation report of a case.
 *
 * JSON follows the report contract of DESIGN.md §4 (tyto_version, case,
 * evidence with counts, incidents, alerts); Markdown is for terminals; HTML is
 * one self-contained file (no script, no external resource).
 * This version reports evidence and counts; incidents and alerts are empty
 * arrays until detection and correlation exist, and the report says so.
 */
#ifndef TYTO_REPORT_H
#define TYTO_REPORT_H

#include <tyto/err.h>
#include <tyto/store.h>

enum ty_report_format { TY_REPORT_JSON, TY_REPORT_MD, TY_REPORT_HTML };

/* The format for an output path by its extension (.json, .md, .html), or -1. */
int ty_report_format_for_path(const char *path);

/* Write the report of the case to out_path (replaced atomically). */
int ty_report_write(struct ty_store *st, const char *out_path, int format, struct ty_err *err);

#endif
