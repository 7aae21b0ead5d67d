/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-fs.c - `tyto fs IMAGE|BODYFILE`: a filesystem timeline (placeholder
 * until the mactime engine lands).
 */
#include <stdio.h>

#include "cli.h"

int cmd_fs(int argc, const char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("fs: not implemented yet");
}
