/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-net.c - `tyto net PCAP... [--zeek-logs DIR] [--json]`: packet captures
 * to Zeek-compatible conn/dns/http/ssl logs and a summary (work in progress).
 */
#include <stdio.h>

#include "cli.h"

int cmd_net(int argc, const char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("net: not implemented yet");
}
