/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-iocs.c - `tyto iocs CASE` (placeholder until the correlator lands: the
 * command exists so the table and help are stable).
 */
#include <stdio.h>

#include "cli.h"

int cmd_iocs(int argc, const char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("iocs: incidents are not built yet (the correlator is not in this build)");
}
