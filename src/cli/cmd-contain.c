/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-contain.c - `tyto contain CASE` (placeholder until the correlator lands: the
 * command exists so the table and help are stable).
 */
#include <stdio.h>

#include "cli.h"

int cmd_contain(int argc, const char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("contain: incidents are not built yet (the correlator is not in this build)");
}
