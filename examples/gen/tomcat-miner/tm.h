/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tm.h - the world of the "Tomcat manager to cryptominer (Kubernetes)" story: names,
 * addresses, identifiers and attack times every source of the case agrees on, and the
 * writers of each source (tomcat.c, k8s.c, falco.c, node.c) with the notes they leave.
 */
#ifndef TM_H
#define TM_H

#include <stdint.h>
#include <stdlib.h>

#include "json.h"
#include "lines.h"
#include "notes.h"
#include "out.h"
#include "rng.h"
#include "sb.h"
#include "timefmt.h"

#define NS 1000000000LL
#define PICK(arr) (arr)[rng_n(sizeof(arr) / sizeof((arr)[0]))]

#define DAY 2026, 10, 20
#define CLUSTER "shop-prod"
#define NSP "shop"
#define DEPLOY "tomcat-web"
#define RS_HASH "7c9f6d8b54"
#define POD "tomcat-web-7c9f6d8b54-q8zjm"
#define POD_UID "3b6e2a91-5f4c-4d7e-9a18-c02f7e6b5d43"
#define POD_IP "10.42.3.131"
#define POD2 "tomcat-web-7c9f6d8b54-lx4vd"
#define POD2_IP "10.42.1.77"
#define POD3 "tomcat-web-7c9f6d8b54-v5n2c" /* replacement created after the relabel */
#define POD3_IP "10.42.2.19"
#define NODE "ip-10-42-3-58.eu-west-1.compute.internal"
#define NODE_IP "10.42.3.58"
#define NODE_A "ip-10-42-1-17.eu-west-1.compute.internal"
#define NODE_A_IP "10.42.1.17"
#define NODE_B "ip-10-42-2-204.eu-west-1.compute.internal"
#define NODE_B_IP "10.42.2.204"
#define CTR "tomcat"
#define CID "9e4b7c2d1a08f35e6b9d47c0a2e5f18b3c6d9a0e7f214b58c3a6d9e0f1b2c4a7"
#define CID12 "9e4b7c2d1a08"
#define PAUSE_ID "51c0d8e3a9f2b7641e5d0c9a8b3f27e6d4c1a0b9f8e7d6c5b4a3928170f6e5d4"
#define MOUNT_ID "c7f13a9e50b2d84617e9c3a0f5b2d8e6a1c4f7b0e3d6a9c2f5b8e1d4a7c0f3b6"
#define IMAGE "registry.acme-shop.example/shop/tomcat-web:2.14.0"
#define IMAGE_ID "sha256:6f2d8a4c1e9b7305d2f8c6a4e1b9d7053c8a6f4e2d0b9c7a5e3f1d8b6c4a2e09"
#define CTR_PID 24117

#define ATTACKER "198.51.100.73"
#define DROPPER "203.0.113.199"
#define POOL_IP "203.0.113.57"
#define POOL_URL "stratum+tcp://" POOL_IP ":3333"
#define MGR_USER "tomcat"
#define WAR "/usr/local/tomcat/webapps/x.war"
#define SHELL_URL "/x/index.jsp"
#define RESPONDER "oidc:dana.kim@acme-shop.example"

/* Attack times, seconds of the day (UTC). */
#define T_SCAN (10 * 3600 + 58 * 60 + 12)
#define T_LOGIN (11 * 3600 + 2 * 60 + 41)
#define T_UPLOAD (11 * 3600 + 3 * 60 + 5)
#define T_CMD (11 * 3600 + 3 * 60 + 29)
#define T_KINSING (11 * 3600 + 3 * 60 + 36)
#define T_MINER (11 * 3600 + 3 * 60 + 52)
#define T_POOL (11 * 3600 + 3 * 60 + 58)
#define T_EXEC (11 * 3600 + 21 * 60 + 40)
#define T_RELABEL (11 * 3600 + 24 * 60 + 3)
#define T_NETPOL (11 * 3600 + 25 * 60 + 12)
#define T_CORDON (11 * 3600 + 26 * 60 + 30)
#define T_SNAP (11 * 3600 + 31 * 60 + 0)
#define T_POD_START_DAYS_AGO 2

extern int64_t day0; /* ns of 00:00:00 UTC of the case day */
extern int scale;

int64_t at(int sec);          /* day0 + sec seconds */
int64_t jitter_ms(int64_t t); /* t + 0..999 ms */

void gen_tomcat(void); /* access log (in the overlay upper layer) + container json log */
void gen_k8s(void);    /* kube-apiserver audit, kubectl get pod -o json */
void gen_falco(void);  /* Falco JSON alerts of the node */
void gen_node(void);   /* /var/lib/docker snapshot, docker diff, blobs, Prometheus export */

#define ACCESS_LOG_IN_LAYER "usr/local/tomcat/logs/localhost_access_log.2026-10-20.txt"
#define DOCKER_ROOT "node-snapshot/" NODE "/var/lib/docker"

/* Written by gen_tomcat, placed by gen_node into the container's upper layer. */
extern struct sb access_log;

#endif
