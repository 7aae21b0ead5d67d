/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-persist.c - libFuzzer target for the persistence file parsers
 * (crontab, systemd units, authorized_keys, ld.so.preload, rc scripts): the
 * same input through each, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_crontab, ty_parser_systemd_unit,
    ty_parser_authorized_keys, ty_parser_ld_preload, ty_parser_rc_script;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_run(&ty_parser_crontab, data, size);
    fz_run(&ty_parser_systemd_unit, data, size);
    fz_run(&ty_parser_authorized_keys, data, size);
    fz_run(&ty_parser_ld_preload, data, size);
    return fz_run(&ty_parser_rc_script, data, size);
}
