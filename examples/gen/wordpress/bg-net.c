/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bg-net.c - the WordPress story's benign network day in the flow logs: blog readers, MySQL,
 * DNS, NTP, the EKS endpoint, package mirrors, rejected scans and an idle ENI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rng.h"
#include "world.h"

static const char *const web_clients[] = {
    "192.0.2.33", "192.0.2.71", "192.0.2.140", "198.51.100.9", "198.51.100.77",
    "198.51.100.201", "203.0.113.14", "203.0.113.150", "203.0.113.201", "192.0.2.212",
};

void bg_vpc(void)
{
    struct conv v;

    /* readers of the blog */
    EVERY(t, g_day, g_day + 86400, 300) {
        CONV_INIT(v);
        v.t = t;
        v.dur = rng_range(1, 40);
        v.c = web_clients[rng_n(sizeof web_clients / sizeof web_clients[0])];
        v.cport = eport();
        v.s = ALB_IP;
        v.sport = 443;
        v.proto = 6;
        v.up = 900 + rng_n(5000);
        v.down = 12000 + rng_n(220000);
        v.note = -1;
        flow(&v);
        if (n_visits % 256 == 0)
            visits = xrealloc(visits, (n_visits + 256) * sizeof *visits);
        visits[n_visits].t = v.t;
        visits[n_visits].dur = v.dur;
        visits[n_visits++].client = v.c;
        v.c = ALB_IP;
        v.cport = eport();
        v.s = pods[P_WP].ip;
        v.sport = 80;
        flow(&v);
    }
    /* wordpress -> mysql */
    EVERY(t, g_day, g_day + 86400, 900) {
        CONV_INIT(v);
        v.t = t;
        v.dur = rng_range(0, 3);
        v.c = pods[P_WP].ip;
        v.cport = eport();
        v.s = pods[P_MYSQL].ip;
        v.sport = 3306;
        v.proto = 6;
        v.up = 2000 + rng_n(9000);
        v.down = 8000 + rng_n(90000);
        v.note = -1;
        flow(&v);
    }
    /* DNS to CoreDNS (the VPC resolver itself is never logged) */
    EVERY(t, g_day, g_day + 86400, 600) {
        static const int clients[] = { P_WP, P_FETCH, P_MYSQL, P_NEWS };

        CONV_INIT(v);
        v.t = t;
        v.dur = 0;
        v.c = pods[clients[rng_n(4)]].ip;
        v.cport = eport();
        v.s = rng_n(2) ? pods[P_DNS1].ip : pods[P_DNS2].ip;
        v.sport = 53;
        v.proto = 17;
        v.up = 60 + rng_n(40);
        v.down = 120 + rng_n(200);
        v.note = -1;
        flow(&v);
    }
    /* NTP from the system node (chrony pool besides the Amazon Time Sync Service) */
    EVERY(t, g_day, g_day + 86400, 1024) {
        CONV_INIT(v);
        v.t = t;
        v.dur = 0;
        v.c = nodes[2].ip;
        v.cport = 123;
        v.s = rng_n(2) ? "185.125.190.57" : "185.125.190.58";
        v.sport = 123;
        v.proto = 17;
        v.up = 48;
        v.down = 48;
        v.note = -1;
        flow(&v);
    }
    /* kubelets to the EKS API endpoint (cross-account ENIs in the VPC, not monitored) */
    for (int i = 0; i < 3; i++) {
        EVERY(t, g_day, g_day + 86400, 1800) {
            CONV_INIT(v);
            v.t = t;
            v.dur = rng_range(20, 55);
            v.c = nodes[i].ip;
            v.cport = eport();
            v.s = rng_n(2) ? "10.0.1.200" : "10.0.2.200";
            v.sport = 443;
            v.proto = 6;
            v.up = 30000 + rng_n(60000);
            v.down = 60000 + rng_n(300000);
            v.note = -1;
            flow(&v);
        }
        /* package updates (unattended upgrades) through the NAT gateway */
        CONV_INIT(v);
        v.t = at(6, 25, 0) + (int64_t)rng_n(1200);
        v.dur = rng_range(5, 40);
        v.c = nodes[i].ip;
        v.cport = eport();
        v.s = rng_n(2) ? "91.189.91.83" : "185.125.190.36";
        v.sport = 80;
        v.proto = 6;
        v.up = 9000 + rng_n(4000);
        v.down = 2000000 + rng_n(9000000);
        v.note = -1;
        flow(&v);
    }
    /* internet noise rejected at the load balancer's security group */
    EVERY(t, g_day, g_day + 86400, 2400) {
        static const int ports[] = { 22, 23, 3389, 8080, 6443, 445 };

        CONV_INIT(v);
        v.t = t;
        v.dur = rng_range(0, 3);
        v.c = rng_n(2) ? "198.51.100.231" : "192.0.2.250";
        v.cport = eport();
        v.s = ALB_IP;
        v.sport = ports[rng_n(6)];
        v.proto = 6;
        v.reject = 1;
        v.note = -1;
        flow(&v);
    }
    /* an idle secondary ENI: NODATA windows */
    EVERY(t, g_day, g_day + 86400, 600)
        vf_nodata(E_IDLE, t, t + 60);
}

