/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-docker-ps.c - libFuzzer target for the docker-ps parser
 * (src/parse/parse-docker-cli.c), checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_docker_ps;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_docker_ps, data, size);
}
