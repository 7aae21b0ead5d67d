/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-iocs.c - `tyto iocs CASE [--incident N] [--format csv|stix]`: the
 * indicators of a case's incidents (attacker addresses, domains, URLs, hashes,
 * files, identities) as CSV or as a STIX 2.1 bundle, on stdout.
 */
#include <stdio.h>
#include <string.h>

#include <tyto/correlate.h>

#include "cli.h"

int cmd_iocs(int argc, const char **argv)
{
    struct cli_corr corr = {0};
    int64_t incident = 0;
    const char *format = "csv";
    struct opt opts[] = {
        {OPT_INT, 'i', "incident", &incident, "N", "only this incident (default: all)"},
        {OPT_STRING, 'F', "format", &format, "FMT", "csv (default) or stix (a STIX 2.1 bundle)"},
        CLI_CORR_OPTS(corr),
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto iocs CASE [--incident N] [--format csv|stix]",
        "Write the indicators of the case's incidents: the attackers' public addresses, the\n"
        "domains, URLs, hashes and files the attack used or left, and the identities it used\n"
        "or compromised. csv: type,value,role,first_seen,last_seen,incident,context (RFC 4180\n"
        "quoting, values as found). stix: one bundle with tyto's identity, an indicator per\n"
        "value (STIX patterning, UUIDv5 ids: the same case gives the same bundle) and a report\n"
        "per incident.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    int fmt = strcmp(format, "csv") == 0 ? TY_IOC_CSV : strcmp(format, "stix") == 0 ? TY_IOC_STIX
                                                                                      : -1;
    if (fmt < 0)
        return cli_error("--format %s: use csv or stix", format) ? EXIT_USAGE : 0;
    if (incident < 0 || incident > 1000000)
        return cli_error("--incident %lld: a positive number", (long long)incident) ? EXIT_USAGE
                                                                                     : 0;
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    struct ty_investigation *inv = cli_investigate(st, &corr);
    ty_store_close(st);
    if (!inv)
        return 1;
    struct ty_buf b;
    struct ty_err err;
    int rc = 0;
    ty_err_clear(&err);
    ty_buf_init(&b, (size_t)1 << 30);
    if (ty_iocs_write(inv, (int)incident, fmt, &b, &err))
        rc = cli_error("%s", err.msg);
    else if (fwrite(b.buf, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
        rc = cli_error("writing the indicators failed");
    ty_buf_release(&b);
    ty_investigation_free(inv);
    return rc;
}
