/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-sigma-rule.c - libFuzzer target for whole rule files: the input is
 * loaded as a rule file (detection, correlation, filter documents,
 * collections), the set is compiled, and the loaded rules are run against a
 * few fixed JSON events. Every problem must be a diagnostic with a message;
 * nothing may crash, leak or hang.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/sigma.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const events[] = {
    "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"userIdentity\":"
    "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/r/i-1\"},"
    "\"sourceIPAddress\":\"203.0.113.7\",\"requestParameters\":{\"bucketName\":\"b\"}}",
    "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\"},"
    "\"user\":{\"username\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]},"
    "\"sourceIPs\":[\"10.0.0.1\"],\"id.orig_h\":\"10.1.2.3\",\"n\":5,\"b\":true,\"z\":null}",
    "[1,2,3]",
};

static int on_match(void *arg, const struct ty_event *ev, const struct ty_sigma_match *m)
{
    (void)ev;
    for (size_t i = 0; i < m->n_hits; i++)
        if (m->hits[i].value.len && !m->hits[i].value.p)
            abort();
    (*(unsigned *)arg)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ty_sigma_set *s = NULL;
    struct ty_sigma_scratch *sc = NULL;
    struct ty_err err;
    if (size > 64 * 1024)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (ty_sigma_set_new(&s, &err) == 0 && ty_sigma_set_load_text(s, "fuzz.yml", text, size,
                                                                  &err) == 0 &&
        ty_sigma_set_compile(s, &err) == 0 && ty_sigma_scratch_new(&sc, &err) == 0) {
        for (size_t i = 0; i < ty_sigma_set_ndiag(s); i++)
            if (!ty_sigma_set_diag(s, i)->msg[0])
                abort(); /* a diagnostic always says something */
        unsigned n = 0;
        for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
            ty_sigma_match_json(s, sc, (struct ty_str){events[i], strlen(events[i])},
                                TY_SIGMA_MAP_NONE, on_match, &n, &err);
    }
    ty_sigma_scratch_free(sc);
    ty_sigma_set_free(s);
    free(text);
    return 0;
}
