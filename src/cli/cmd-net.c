/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-net.c - `tyto net PCAP... [--zeek-logs DIR] [--json]`: packet captures
 * (pcap, pcapng, gzip'd) to Zeek-compatible conn/dns/http/ssl logs and a
 * summary. Captures are read in order as one stream of packets, like
 * `zeek -r`; a damaged capture is reported with its byte offset, and a missing
 * or unreadable one by name, and the run goes on with the next one (exit 1 at
 * the end).
 */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include <tyto/net.h>

#include "cli.h"

int cmd_net(int argc, const char **argv)
{
    const char *dir = NULL, *filter = NULL;
    bool json = false, no_cksum = false;
    int64_t max_conns = 0;
    struct opt opts[] = {
        {OPT_STRING, 0, "zeek-logs", &dir, "DIR", "write conn.log, dns.log, http.log, ssl.log"},
        {OPT_FLAG, 0, "json", &json, NULL, "Zeek JSON logs and a JSON summary"},
        {OPT_FLAG, 'C', "ignore-checksums", &no_cksum, NULL,
         "analyse packets with bad TCP/UDP checksums (zeek -C)"},
        {OPT_STRING, 'f', "filter", &filter, "BPF", "only packets matching this filter"},
        {OPT_INT, 0, "max-conns", &max_conns, "N", "live connection cap (default 1000000)"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto net PCAP... [--zeek-logs DIR] [--json] [-C]",
        "Analyse packet captures (pcap, pcapng, gzip'd) as Zeek does with its default\n"
        "scripts: connections (conn_state, history, bytes, packets), DNS, HTTP and TLS.\n"
        "Captures are read in order as one stream. With --zeek-logs the records are\n"
        "written as Zeek logs (TSV with the full header, or JSON with --json).",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, -1))
        return EXIT_USAGE;
    struct ty_err err = {0};
    struct ty_net_logs *logs = NULL;
    struct ty_net *n = NULL;
    struct ty_net_sink sink = {0};
    struct ty_net_opts no = {.max_conns = (size_t)(max_conns > 0 ? max_conns : 0),
                             .ignore_checksums = no_cksum, .filter = filter};
    int ret = 1, damaged = 0, unreadable = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dir) {
        mkdir(dir, 0777);
        if (ty_net_logs_open(&logs, dir, json, &err) != 0) {
            cli_error("%s", err.msg);
            goto out;
        }
        ty_net_logs_sink(logs, &sink);
    }
    if (ty_net_new(&n, &no, &sink, &err) != 0) {
        cli_error("%s", err.msg);
        goto out;
    }
    for (int i = 0; i < argc; i++) {
        int rc = ty_net_read_file(n, argv[i], &err);
        if (rc < 0 && ty_net_sink_error(n)) {
            cli_error("writing the logs failed: %s", err.msg);
            goto out;
        }
        if (rc == TY_ECORRUPT) {
            fprintf(stderr, "tyto: %s\n", err.msg);
            damaged++;
        } else if (rc < 0) { /* missing or not a capture: say so, go on with the others */
            fprintf(stderr, "tyto: %s\n", err.msg);
            unreadable++;
        }
    }
    if (ty_net_finish(n) < 0) {
        cli_error("writing the logs failed");
        goto out;
    }
    if (logs) {
        int rc = ty_net_logs_close(logs, &err);
        logs = NULL;
        if (rc != 0) {
            cli_error("%s", err.msg);
            goto out;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    const struct ty_net_stats *s = ty_net_stats(n);
    if (json) {
        printf("{\"captures\":%d,\"damaged\":%d,\"unreadable\":%d,\"packets\":%llu,"
               "\"bytes\":%llu,"
               "\"ip_packets\":%llu,\"non_ip\":%llu,\"truncated\":%llu,\"bad_checksum\":%llu,"
               "\"fragments\":%llu,\"frag_dropped\":%llu,\"conn\":%llu,\"dns\":%llu,"
               "\"http\":%llu,\"ssl\":%llu,\"files\":%llu,\"conns_max\":%llu,"
               "\"conns_evicted\":%llu,"
               "\"app_mem_max\":%llu,\"app_mem_refused\":%llu,\"seconds\":%.3f}\n",
               argc, damaged, unreadable, (unsigned long long)s->packets,
               (unsigned long long)s->bytes,
               (unsigned long long)s->ip_packets, (unsigned long long)s->non_ip,
               (unsigned long long)s->truncated, (unsigned long long)s->bad_checksum,
               (unsigned long long)s->fragments, (unsigned long long)s->frag_dropped,
               (unsigned long long)s->conns, (unsigned long long)s->dns,
               (unsigned long long)s->http, (unsigned long long)s->ssl,
               (unsigned long long)s->files, (unsigned long long)s->conns_max,
               (unsigned long long)s->conns_evicted,
               (unsigned long long)s->app_mem_max, (unsigned long long)s->app_mem_refused, secs);
    } else {
        printf("captures      %d (%d damaged, %d unreadable)\n", argc, damaged, unreadable);
        printf("packets       %llu (%llu bytes; %llu IP, %llu not IP, %llu truncated, "
               "%llu bad checksum)\n",
               (unsigned long long)s->packets, (unsigned long long)s->bytes,
               (unsigned long long)s->ip_packets, (unsigned long long)s->non_ip,
               (unsigned long long)s->truncated, (unsigned long long)s->bad_checksum);
        printf("fragments     %llu (%llu not reassembled)\n", (unsigned long long)s->fragments,
               (unsigned long long)s->frag_dropped);
        printf("records       conn %llu, dns %llu, http %llu, ssl %llu, files %llu\n",
               (unsigned long long)s->conns, (unsigned long long)s->dns,
               (unsigned long long)s->http, (unsigned long long)s->ssl,
               (unsigned long long)s->files);
        printf("connections   %llu live at most, %llu evicted early\n",
               (unsigned long long)s->conns_max, (unsigned long long)s->conns_evicted);
        printf("analyzers     %.1f MB at most, %llu allocations refused over the budget\n",
               (double)s->app_mem_max / 1e6, (unsigned long long)s->app_mem_refused);
        printf("time          %.3f s (%.0f packets/s)\n", secs,
               secs > 0 ? (double)s->packets / secs : 0.0);
    }
    ret = damaged || unreadable ? 1 : 0;
out:
    if (logs)
        ty_net_logs_close(logs, NULL);
    ty_net_free(n);
    return ret;
}
