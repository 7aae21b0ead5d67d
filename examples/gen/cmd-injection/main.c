/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - generator of the "command injection to reverse shell (network only)" story
 * (DESIGN.md section 1, fourth story): one packet capture of a day on the API VM, benign
 * traffic with the attack woven in, plus README.txt, attack-notes.txt and expected.json.
 * Usage: cmd-injection OUTDIR [--scale N] [--seed S]; same arguments give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "args.h"
#include "notes.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"

static const uint8_t VM_MAC[6] = {0x0a, 0x3f, 0x5c, 0x11, 0x02, 0x9e};
static const uint8_t GW_MAC[6] = {0x0a, 0x3f, 0x5c, 0x00, 0x00, 0x01};

int64_t ci_at(const struct ci_world *cw, int h, int m, int s, int us)
{
    return cw->day0 + ((int64_t)h * 3600 + m * 60 + s) * 1000000 + us;
}

struct pcap_host ci_remote(const struct ci_world *cw, const char *ip, uint8_t ttl)
{
    return pcap_host_make(ip, GW_MAC, ttl);
}

uint16_t ci_port(struct ci_world *cw)
{
    uint16_t p = cw->next_port;
    cw->next_port = (uint16_t)(p >= 60999 ? 32768 : p + 1 + rng_n(7));
    return p;
}

void ci_open(struct ci_world *cw, struct pcap_tcp *s, int64_t t, int64_t rtt,
             const struct pcap_host *cli, int cport, const struct pcap_host *srv, uint16_t sport)
{
    uint16_t port = cport < 0 ? ci_port(cw) : cport ? (uint16_t)cport
                                                     : (uint16_t)rng_range(32768, 64999);
    pcap_tcp_start(s, cw->w, t, rtt, cli, port, srv, sport);
    cw->sessions++;
}

void ci_refused(struct ci_world *cw, int64_t t, int64_t rtt, const struct pcap_host *srv,
                uint16_t sport)
{
    uint16_t port = ci_port(cw);
    uint32_t isn = (uint32_t)rng_u64();
    pcap_tcp_refused(cw->w, t, rtt, &cw->vm, port, srv, sport, isn);
}

void ci_dns(struct ci_world *cw, int64_t t, const char *name, const char *cname,
            const char *ip)
{
    uint32_t a = ip ? pcap_host_make(ip, GW_MAC, 64).ip : 0;
    uint16_t id = (uint16_t)rng_u64();
    int64_t rtt = rng_range(300, 1800);
    uint16_t port = ci_port(cw);
    pcap_dns(cw->w, t, rtt, &cw->vm, port, &cw->resolver, id, name, 1, ip ? 0 : 3,
             cname, ip ? &a : NULL, ip ? 1 : 0, ip ? 60 : 0);
    cw->dns_queries++;
}

void ci_note(struct ci_world *cw, int64_t t, const char *what)
{
    if (cw->nmarks == (int)(sizeof cw->marks / sizeof cw->marks[0]))
        die("too many notes");
    cw->marks[cw->nmarks] = pcap_mark(cw->w);
    cw->mark_t[cw->nmarks] = t;
    cw->mark_what[cw->nmarks] = xstrdup(what);
    cw->nmarks++;
}

/* Once the capture is written: each note with the frame it cites. */
static void write_notes(struct ci_world *cw)
{
    for (int i = 0; i < cw->nmarks; i++) {
        uint64_t fr, off;
        char where[160];
        pcap_locate(cw->w, cw->marks[i], &fr, &off);
        snprintf(where, sizeof where, CI_PCAP " frame %llu (record at byte %llu)",
                 (unsigned long long)fr, (unsigned long long)off);
        note_at(cw->mark_t[i] * 1000, where, "%s", cw->mark_what[i]);
        free(cw->mark_what[i]);
    }
    notes_write("attack-notes.txt", "Attack steps of " CI_STORY " (times UTC, 2026-11-03). "
                "Frames are numbered from 1 as tshark and\nWireshark number them; byte "
                "offsets are those of the 16-byte record header.\n\n");
}

static void write_expected(void)
{
    static const char text[] =
        "{\n"
        "  \"story\": \"" CI_STORY "\",\n"
        "  \"title\": \"" CI_TITLE "\",\n"
        "  \"attacker_ips\": [\"" CI_ATTACKER_WEB_IP "\", \"" CI_ATTACKER_C2_IP "\"],\n"
        "  \"compromised\": {\n"
        "    \"identities\": [\"www-data\", \"" CI_ROLE "\"],\n"
        "    \"workloads\": [\"" CI_VM_NAME "\"]\n"
        "  },\n"
        "  \"questions\": {\n"
        "    \"initial_access\": {\"techniques\": [\"T1190\", \"T1059.004\", \"T1571\"],\n"
        "      \"artifacts\": [\"/dangerzone\", \"/dev/tcp/" CI_ATTACKER_C2_IP "/3000\", \""
        CI_ATTACKER_WEB_IP "\", \"" CI_ATTACKER_C2_IP "\"]},\n"
        "    \"spread\": {\"techniques\": [\"T1552.005\"],\n"
        "      \"artifacts\": [\"" CI_IMDS_IP "\", \"/latest/meta-data/iam/security-credentials/"
        CI_ROLE "\"]},\n"
        "    \"persistence\": {\"techniques\": [\"T1053.003\"],\n"
        "      \"artifacts\": [\"crontab\", \"" CI_CRON_LINE "\"]},\n"
        "    \"impact\": {\"techniques\": [\"T1041\"],\n"
        "      \"artifacts\": [\"" CI_EXPORT "\", \"" CI_ATTACKER_C2_IP "\"]},\n"
        "    \"prevention\": {\"keywords\": [\"input validation\", \"shell\", \"egress\", "
        "\"IMDSv2\", \"least privilege\"]}\n"
        "  },\n"
        "  \"sources\": {\"" CI_PCAP "\": \"pcap\"}\n"
        "}\n";
    out_meta_file("expected.json", text, sizeof text - 1);
}

static void write_readme(const struct ci_world *cw)
{
    struct sb b = {0};
    sb_s(&b, "Story: " CI_TITLE " (" CI_STORY ")\n\n"
         "What a responder collected: one packet capture taken on the API VM's eth0 for the\n"
         "whole day of 2026-11-03 (UTC). Nothing else: no host logs survived.\n\n"
         "  " CI_PCAP "  libpcap (magic a1b2c3d4, microsecond timestamps, Ethernet)\n\n"
         "The world:\n"
         "  " CI_VM_NAME "       " CI_VM_IP ", the product API (gunicorn, no proxy) on port 80, "
         "public by 1:1 NAT\n"
         "  resolver       " CI_RESOLVER_IP " (VPC DNS)\n"
         "  inventory      " CI_INVENTORY_IP ":8080, internal service the API calls\n"
         "  graphite       " CI_GRAPHITE_IP ":2003, metrics pushed every minute on one "
         "connection all day\n"
         "  metadata       " CI_IMDS_IP " (IMDSv1 enabled), instance role " CI_ROLE "\n"
         "  uptime checks  three monitoring probes, GET /healthz every 5 minutes each\n"
         "  web clients    browsers, the mobile app and partners (python-requests)\n"
         "  chrony (NTP), apt-daily (deb.debian.org, security.debian.org)\n"
         "  attacker       " CI_ATTACKER_WEB_IP " (requests), " CI_ATTACKER_C2_IP
         ":3000 (listener, never resolved by DNS)\n\n");
    sb_f(&b, "Volume at --scale %d: %llu packets, %llu bytes of frames, %llu TCP sessions, "
         "%llu HTTP requests, %llu DNS queries.\n", cw->scale,
         (unsigned long long)pcap_packets(cw->w), (unsigned long long)pcap_bytes(cw->w),
         (unsigned long long)cw->sessions, (unsigned long long)cw->http_requests,
         (unsigned long long)cw->dns_queries);
    sb_s(&b, "\nattack-notes.txt lists each attack step with its time and frame number;\n"
         "expected.json is the answer key.\n");
    out_meta_file("README.txt", b.p, b.n);
    free(b.p);
}

int main(int argc, char **argv)
{
    struct ci_world cw;
    uint64_t seed = 1;
    memset(&cw, 0, sizeof cw);
    args_parse(argc, argv, "cmd-injection", &cw.scale, &seed);
    rng_seed(seed);
    cw.w = pcap_new();
    cw.day0 = tf_epoch(CI_Y, CI_MO, CI_D, 0, 0, 0) * 1000000;
    cw.vm = pcap_host_make(CI_VM_IP, VM_MAC, 64);
    cw.gw = pcap_host_make("10.0.3.1", GW_MAC, 64);
    cw.resolver = ci_remote(&cw, CI_RESOLVER_IP, 64);
    cw.inventory = ci_remote(&cw, CI_INVENTORY_IP, 63);
    cw.imds = ci_remote(&cw, CI_IMDS_IP, 255);
    cw.next_port = 33012;

    ci_benign(&cw);
    ci_attack(&cw);

    pcap_save(cw.w, CI_PCAP);
    write_notes(&cw);
    write_readme(&cw);
    write_expected();
    pcap_free(cw.w);
    return 0;
}
