/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - shared declarations of the tyto command-line tool: the command
 * functions, the declarative option parser, and output helpers.
 */
#ifndef TYTO_CLI_H
#define TYTO_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include <tyto/tyto.h>

/* Exit codes: 0 ok, 1 the command failed, 2 usage error. */
enum { EXIT_USAGE = 2 };

enum opt_type { OPT_END, OPT_FLAG, OPT_STRING, OPT_INT, OPT_LIST };

struct opt {
    enum opt_type type;
    char short_name;        /* 0 for none */
    const char *long_name;
    void *value;            /* bool*, const char**, int64_t*, struct opt_list* */
    const char *argh;       /* argument name in help */
    const char *help;
};

#define OPT_LIST_MAX 64
struct opt_list {
    const char *v[OPT_LIST_MAX];
    unsigned n;
};

struct cmd_usage {
    const char *synopsis;   /* "tyto ingest CASE EVIDENCE..." */
    const char *summary;    /* one paragraph */
    const struct opt *opts;
};

/* Parse options in place; positional arguments are moved to argv[0..*argc).
 * Prints help and exits 0 on -h/--help; prints a usage error and returns
 * EXIT_USAGE on bad options. */
int opt_parse(int *argc, const char **argv, const struct cmd_usage *u);
void opt_usage(const struct cmd_usage *u, FILE *out);
/* opt_parse, then check that min..max positional arguments remain (max < 0:
 * no upper bound); prints the usage when not. Returns 0 or EXIT_USAGE. */
int opt_parse_args(int *argc, const char **argv, const struct cmd_usage *u, int min, int max);

/* One-line error on stderr: "tyto: <msg>". Returns 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open a case for a command; prints the error. */
struct ty_store *cli_open_case(const char *path, bool create);
/* Print the per-evidence summary of a case ("records = events + quarantined"). */
int cli_print_case_summary(struct ty_store *st, FILE *out);
/* Parse a user time ("2026-10-01", "2026-10-01T10:00Z", epoch seconds). */
int cli_parse_time(const char *s, int64_t *ns);
/* Ingest paths into an open case, printing totals unless quiet. */
struct cli_rules;
int cli_ingest_into(struct ty_store *st, const char *case_path, int n, const char **paths,
                    const char *format, const struct ty_sigma_set *rules, bool quiet);
/* Ingest, then detect over the new events with the rules asked for. */
int cli_ingest_detect(struct ty_store *st, const char *case_path, int n, const char **paths,
                      const char *format, const struct cli_rules *rules, bool quiet);
/* Print events matching q as a timeline (format: table, csv, jsonl, timesketch). */
int cli_print_timeline(struct ty_store *st, const struct ty_event_query *q, const char *format,
                       const char *grep, bool all_stages);
/* Fill a query from the common filter options; prints errors. */
int cli_build_query(struct ty_event_query *q, const char *from, const char *to,
                    const struct opt_list *where, int64_t limit);
/* Top principals, source addresses and failing principals of a case. */
int cli_print_overview(struct ty_store *st, unsigned top);
/* Whether stderr is a terminal (progress bars). */
bool cli_stderr_tty(void);

/* Correlation options shared by incidents, report, investigate, contain, iocs. */
struct cli_corr {
    int64_t window_h;           /* --window HOURS */
    int64_t common_permille;    /* --common PERMILLE */
    int64_t min_score;          /* --min-score N */
};
#define CLI_CORR_OPTS(c)                                                                      \
    {OPT_INT, 0, "window", &(c).window_h, "HOURS",                                            \
     "alerts further apart never merge directly (default 24)"},                               \
    {OPT_INT, 0, "common", &(c).common_permille, "PERMILLE",                                  \
     "an entity in more than this share of events is common: it never glues (default 20)"},  \
    {OPT_INT, 0, "min-score", &(c).min_score, "N",                                            \
     "score an incident needs (low 1, medium 3, high 8, critical 15 per rule; default 8)"}
struct ty_correlate_opts;
struct ty_investigation;
int cli_correlate_opts(struct ty_correlate_opts *o, const struct cli_corr *c);
/* Correlate the case with the options; prints the error and returns NULL on failure. */
struct ty_investigation *cli_investigate(struct ty_store *st, const struct cli_corr *c);
struct ty_incident;
/* One incident as a block of text: severity, span, title, techniques,
 * entities and one line per question. */
void cli_print_incident(const struct ty_incident *inc, FILE *out);

/* Rule options shared by ingest, investigate and detect. */
struct cli_rules {
    struct opt_list paths;      /* --rules PATH, repeatable */
    bool no_builtin;            /* --no-builtin-rules */
    bool no_detect;             /* --no-detect */
    const char *placeholders;   /* --placeholders FILE */
};
#define CLI_RULE_OPTS(r)                                                                       \
    {OPT_LIST, 'r', "rules", &(r).paths, "PATH",                                               \
     "also load Sigma rules from PATH (file or directory); repeatable"},                       \
        {OPT_FLAG, 0, "no-builtin-rules", &(r).no_builtin, NULL, "do not load tyto's own rules"}, \
        {OPT_STRING, 0, "placeholders", &(r).placeholders, "FILE",                             \
         "values for %name% placeholders of |expand rules (YAML map name: [values])"}
/* Load and compile the rule set the options ask for; prints load errors as
 * a count (and each one when verbose). NULL on failure (printed). */
struct ty_sigma_set *cli_load_rules(const struct cli_rules *r, bool verbose);
/* Run detection over the events of a case with id > min_id; prints totals
 * unless quiet. */
int cli_detect(struct ty_store *st, const struct ty_sigma_set *set, int64_t min_id, bool quiet);
int cli_detect_finish(struct ty_store *st, const struct ty_sigma_set *set,
                      struct ty_detect_stats *ds, double seconds, bool quiet);

/* The alerts of a case as a table, the first `limit` (0: all); *total gets
 * how many there are. */
int cli_print_alerts(struct ty_store *st, unsigned long limit, unsigned long *total);

int cmd_detect(int argc, const char **argv);
int cmd_alerts(int argc, const char **argv);
int cmd_rules(int argc, const char **argv);
int cmd_ingest(int argc, const char **argv);
int cmd_parse(int argc, const char **argv);
int cmd_timeline(int argc, const char **argv);
int cmd_formats(int argc, const char **argv);
int cmd_fields(int argc, const char **argv);
int cmd_investigate(int argc, const char **argv);
int cmd_query(int argc, const char **argv);
int cmd_quarantine(int argc, const char **argv);
int cmd_summary(int argc, const char **argv);
int cmd_net(int argc, const char **argv);
int cmd_fs(int argc, const char **argv);
int cmd_docker(int argc, const char **argv);
int cmd_contain(int argc, const char **argv);
int cmd_iocs(int argc, const char **argv);
int cmd_incidents(int argc, const char **argv);
int cmd_report(int argc, const char **argv);

#endif
