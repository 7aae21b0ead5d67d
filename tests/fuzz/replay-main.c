/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay-main.c - a main() for libFuzzer targets built without libFuzzer:
 * feeds every file under the given files/directories to
 * LLVMFuzzerTestOneInput, so the normal (and sanitizer) build replays each
 * target's corpus. Prints "fuzz-NAME: N inputs" and exits non-zero only if
 * a file cannot be read (crashes abort on their own).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n_inputs;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: cannot stat\n", path);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, cap = 0;
        int rc = 0;
        if (!d)
            return 1;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                names = realloc(names, cap * sizeof(*names));
                if (!names)
                    abort();
            }
            size_t len = strlen(path) + strlen(de->d_name) + 2;
            names[n] = malloc(len);
            if (!names[n])
                abort();
            snprintf(names[n++], len, "%s/%s", path, de->d_name);
        }
        closedir(d);
        if (n)
            qsort(names, n, sizeof(*names), cmp_names);
        for (size_t i = 0; i < n; i++) {
            rc |= replay(names[i]);
            free(names[i]);
        }
        free(names);
        return rc;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!buf)
        abort();
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    /* Exactly-sized copy so ASan sees reads past the end. */
    uint8_t *exact = malloc(got ? got : 1);
    if (!exact)
        abort();
    memcpy(exact, buf, got);
    free(buf);
    LLVMFuzzerTestOneInput(exact, got);
    free(exact);
    n_inputs++;
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= replay(argv[i]);
    fprintf(stderr, "%s: %d inputs replayed\n", argv[0], n_inputs);
    return rc;
}
