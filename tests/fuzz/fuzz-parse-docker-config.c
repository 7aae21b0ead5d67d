/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-docker-config.c - libFuzzer target for the docker-config parser
 * (src/parse/parse-docker.c), checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_docker_config;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_docker_config, data, size);
}
