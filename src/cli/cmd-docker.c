/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-docker.c - `tyto docker ROOT`: offline forensics of a /var/lib/docker
 * (overlay2) or /var/lib/containerd tree from a snapshot (work in progress).
 */
#include <stdio.h>

#include "cli.h"

int cmd_docker(int argc, const char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("docker: not implemented yet");
}
