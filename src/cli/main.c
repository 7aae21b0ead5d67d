/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - tyto's entry point: the git-style command table and dispatch.
 * Data goes to stdout, diagnostics to stderr; exit 0 ok, 1 failure, 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int argc, const char **argv);
    const char *help;
} commands[] = {
    {"investigate", cmd_investigate, "ingest evidence into a case and summarise it (the main job)"},
    {"ingest", cmd_ingest, "detect formats, parse, normalise and store evidence in a case"},
    {"detect", cmd_detect, "run Sigma rules over a stored case and record alerts"},
    {"alerts", cmd_alerts, "list the alerts of a case"},
    {"report", cmd_report, "the investigation report of a case: Markdown, HTML or JSON"},
    {"incidents", cmd_incidents, "merge the alerts of a case into incidents and answer the five questions"},
    {"rules", cmd_rules, "list, lint and test Sigma rules"},
    {"timeline", cmd_timeline, "print a case's events in time order, filtered"},
    {"summary", cmd_summary, "per-evidence counts of a case: records, events, quarantined"},
    {"quarantine", cmd_quarantine, "list the records a case could not parse, with reasons"},
    {"query", cmd_query, "run read-only SQL over a case"},
    {"parse", cmd_parse, "parse evidence without a case: events as JSON lines, or counts"},
    {"formats", cmd_formats, "list the evidence formats tyto reads and how it recognises them"},
    {"fields", cmd_fields, "list the normalized event fields"},
    {"net", cmd_net, "packet captures to Zeek-compatible conn/dns/http/ssl records"},
    {"fs", cmd_fs, "filesystem timeline of a disk image or bodyfile, mactime-compatible"},
    {"docker", cmd_docker, "offline forensics of a /var/lib/docker or containerd snapshot"},
    {"contain", cmd_contain, "an incident's containment plan (printed; --apply runs host actions)"},
    {"iocs", cmd_iocs, "an incident's indicators as CSV or a STIX 2.1 bundle"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
    fputs("usage: tyto <command> [options] [args]\n\n"
          "tyto - cloud incident forensics: evidence in, one timeline out.\n\ncommands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].help);
    fputs("\n`tyto <command> --help` describes each command.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("tyto %s\n", TYTO_VERSION);
        return 0;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn(argc - 1, (const char **)argv + 1);
    fprintf(stderr, "tyto: '%s' is not a tyto command (see tyto --help)\n", name);
    return EXIT_USAGE;
}
