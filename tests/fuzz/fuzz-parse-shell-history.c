/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-shell-history.c - libFuzzer target for the bash/zsh history
 * parser, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_shell_history;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_shell_history, data, size);
}
