/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-fs-mactime.c - the mactime-compatible timeline of `tyto fs`: outputs
 * checked against what TSK 4.11's mactime printed for the same bodyfile (its
 * quirks: '|' in names, %XX, repeated names, odd inodes, all-zero lines, date
 * ranges), the external sort forced to spill runs giving the same bytes,
 * the sleuthkit sample's derived timelines, and the libtsk walk of
 * image.dd giving the `fls -r -m /` bodyfile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/fs.h>

#include "test.h"

static const char body[] =
    "0|/etc/cron.d/.updater|786435|r/rrw-r--r--|0|0|61|1710252401|1710252401|1710252401|"
    "1710252401\n"
    "0|/tmp/x.sh (deleted)|917530|r/rrwxr-xr-x|0|0|412|1710252310|1710252310|1710252312|"
    "1710252310\n"
    "# comment\n"
    "0|/a|b|1|r/r---------|0|0|1|5|5|5|5\n"
    "0|/q\"uote,%41|7|r/r---------|0|0|9|0|1710252312|0|0\n"
    "0|/dup|8|r/r---------|0|0|1|1710252300|1710252300|1710252300|0\n"
    "0|/dup|9|d/d---------|5|5|2|1710252301|1710252301|1710252301|0\n"
    "0|/odd|3a|r/r---------|0|0|1|1710252300|1710252300|1710252300|0\n"
    "0|/zero|4|r/r---------|0|0|1|0|0|0|0"; /* no final newline */

static const char want_csv[] =
    "Date,Size,Type,Mode,UID,GID,Meta,File Name\n"
    "Xxx Xxx 00 0000 00:00:00,9,.acb,r/r---------,0,0,7,\"/q\"\"uote,A\"\n"
    "Xxx Xxx 00 0000 00:00:00,2,...b,d/d---------,5,5,8,\"/dup\"\n"
    "Xxx Xxx 00 0000 00:00:00,2,...b,d/d---------,5,5,9,\"/dup\"\n"
    "Tue Mar 12 2024 14:05:00,2,mac.,d/d---------,5,5,8,\"/dup\"\n"
    "Tue Mar 12 2024 14:05:01,2,mac.,d/d---------,5,5,9,\"/dup\"\n"
    "Tue Mar 12 2024 14:05:10,412,ma.b,r/rrwxr-xr-x,0,0,917530,\"/tmp/x.sh (deleted)\"\n"
    "Tue Mar 12 2024 14:05:12,9,m...,r/r---------,0,0,7,\"/q\"\"uote,A\"\n"
    "Tue Mar 12 2024 14:05:12,412,..c.,r/rrwxr-xr-x,0,0,917530,\"/tmp/x.sh (deleted)\"\n"
    "Tue Mar 12 2024 14:06:41,61,macb,r/rrw-r--r--,0,0,786435,\"/etc/cron.d/.updater\"\n";

static const char want_iso[] =
    "0000-00-00T00:00:00Z        9 .acb r/r--------- 0        0        7        /q\"uote,A\n"
    "                            2 ...b d/d--------- 5        5        8        /dup\n"
    "                            2 ...b d/d--------- 5        5        9        /dup\n"
    "2024-03-12T14:05:00Z        2 mac. d/d--------- 5        5        8        /dup\n"
    "2024-03-12T14:05:01Z        2 mac. d/d--------- 5        5        9        /dup\n"
    "2024-03-12T14:05:10Z      412 ma.b r/rrwxr-xr-x 0        0        917530   /tmp/x.sh "
    "(deleted)\n"
    "2024-03-12T14:05:12Z        9 m... r/r--------- 0        0        7        /q\"uote,A\n"
    "                          412 ..c. r/rrwxr-xr-x 0        0        917530   /tmp/x.sh "
    "(deleted)\n"
    "2024-03-12T14:06:41Z       61 macb r/rrw-r--r-- 0        0        786435   "
    "/etc/cron.d/.updater\n";

static const char want_range[] =
    "Date,Size,Type,Mode,UID,GID,Meta,File Name\n"
    "Tue Mar 12 2024 14:05:10,412,ma.b,r/rrwxr-xr-x,0,0,917530,\"/tmp/x.sh (deleted)\"\n"
    "Tue Mar 12 2024 14:05:12,9,m...,r/r---------,0,0,7,\"/q\"\"uote,A\"\n"
    "Tue Mar 12 2024 14:05:12,412,..c.,r/rrwxr-xr-x,0,0,917530,\"/tmp/x.sh (deleted)\"\n";

/* Run the timeline over text fed in chunks of `chunk` bytes; malloc'd output. */
static char *run(const char *text, size_t len, struct ty_mactime_opts o, size_t chunk,
                 struct ty_mactime_stats *st)
{
    struct ty_mactime *m = NULL;
    struct ty_err err;
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    if (!f)
        return NULL;
    if (ty_mactime_new(&m, &o, &err) != 0) {
        fclose(f);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < len; i += chunk)
        CHECK_INT(ty_mactime_feed(m, text + i, len - i < chunk ? len - i : chunk, &err), 0);
    CHECK_INT(ty_mactime_write(m, f, &err), 0);
    if (st)
        ty_mactime_stats(m, st);
    ty_mactime_free(m);
    fclose(f);
    return out;
}

static void test_quirks(void)
{
    struct ty_mactime_opts o = {.mactime = true, .csv = true, .tz = "UTC"};
    struct ty_mactime_stats st;
    char *s = run(body, strlen(body), o, 7, &st);
    CHECK_STR(s, want_csv);
    CHECK_INT(st.lines, 9);
    CHECK_INT(st.skipped, 3); /* the comment, the '|' name, the all-zero line */
    CHECK_INT(st.entries, 9);
    free(s);
    o.csv = false;
    o.iso = true;
    s = run(body, strlen(body), o, 4096, NULL);
    CHECK_STR(s, want_iso);
    free(s);
    o.iso = false;
    o.csv = true;
    o.range = "2024-03-12T14:05:10..2024-03-12T14:06:00";
    s = run(body, strlen(body), o, 4096, NULL);
    CHECK_STR(s, want_range);
    free(s);
    /* tyto's JSON lines */
    struct ty_mactime_opts j = {.json = true};
    s = run(body, strlen(body), j, 4096, NULL);
    CHECK(s && strstr(s, "{\"time\":\"2024-03-12T14:05:12Z\",\"epoch\":1710252312,\"macb\":"
                         "\"m...\",\"size\":\"9\",\"mode\":\"r/r---------\",\"uid\":\"0\","
                         "\"gid\":\"0\",\"inode\":\"7\",\"name\":\"/q\\\"uote,A\"}\n") != NULL);
    free(s);
    /* a bad date is refused as mactime words it */
    struct ty_mactime *m = NULL;
    struct ty_err err;
    o.range = "2024-13-45x";
    CHECK_INT(ty_mactime_new(&m, &o, &err), TY_EINVAL);
    CHECK_STR(err.msg, "Invalid Date: 2024-13-45x");
    CHECK(m == NULL);
}

/* A few thousand generated lines: spilling runs to disk changes nothing. */
static void test_external_sort(void)
{
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    unsigned seed = 12345;
    for (int i = 0; i < 5000 && text; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        len += (size_t)snprintf(text + len, cap - len,
                                "0|/d%u/f%u|%u|r/rrw-r--r--|%u|0|%u|%u|%u|%u|%u\n", r % 7, r % 911,
                                r % 4000, r % 3, r % 100000, 1700000000 + r % 5000,
                                1700000000 + r % 4000, 1700000000 + (r >> 3) % 4000,
                                (r & 1) ? 0 : 1700000000 + r % 3000);
    }
    if (!text)
        return;
    struct ty_mactime_opts o = {.mactime = true, .csv = true, .tz = "UTC"};
    struct ty_mactime_stats a, b;
    char *mem = run(text, len, o, 65536, &a);
    o.mem_budget = 64 * 1024; /* forces many runs */
    char *ext = run(text, len, o, 65536, &b);
    CHECK(mem && ext && strcmp(mem, ext) == 0);
    CHECK_INT(a.runs, 0);
    CHECK(b.runs > 4);
    CHECK_INT(a.entries, b.entries);
    CHECK(a.entries > 5000);
    free(mem);
    free(ext);
    free(text);
}

static int collect(void *arg, const char *line, size_t len)
{
    FILE *f = arg;
    fwrite(line, 1, len, f);
    fputc('\n', f);
    return 0;
}

static void test_sleuthkit_sample(void)
{
    const char *dir = ty_test_data_dir();
    char path[1024];
    if (!dir) {
        ty_test_skip("shared data absent");
        return;
    }
    size_t blen, clen, tlen;
    snprintf(path, sizeof(path), "%s/sleuthkit/_derived/image.dd.fls-r-m.body", dir);
    char *b = ty_test_read_file(path, &blen);
    snprintf(path, sizeof(path), "%s/sleuthkit/_derived/image.dd.mactime-d-y-UTC.csv", dir);
    char *c = ty_test_read_file(path, &clen);
    snprintf(path, sizeof(path), "%s/sleuthkit/_derived/image.dd.mactime-UTC.txt", dir);
    char *t = ty_test_read_file(path, &tlen);
    if (!b || !c || !t) {
        ty_test_skip("sleuthkit sample absent");
        free(b);
        free(c);
        free(t);
        return;
    }
    struct ty_mactime_opts o = {.mactime = true, .csv = true, .iso = true, .tz = "UTC"};
    char *s = run(b, blen, o, 100, NULL);
    CHECK_STR(s, c);
    free(s);
    o.csv = o.iso = false;
    s = run(b, blen, o, 100, NULL);
    CHECK_STR(s, t);
    free(s);

    /* the image walked with libtsk: the same lines as fls -r -m / */
    char *w = NULL;
    size_t wlen = 0;
    FILE *f = open_memstream(&w, &wlen);
    struct ty_err err;
    snprintf(path, sizeof(path), "%s/sleuthkit/test/data/image.dd", dir);
    CHECK_INT(ty_fs_image_walk(path, 0, collect, f, &err), 0);
    fclose(f);
    CHECK_STR(w, b);
    free(w);
    /* a text file is not an image */
    snprintf(path, sizeof(path), "%s/sleuthkit/_derived/image.dd.fls-r-m.body", dir);
    CHECK_INT(ty_fs_image_walk(path, 0, collect, NULL, &err), TY_EINVAL);
    free(b);
    free(c);
    free(t);
}

void test_fs_mactime(void);
void test_fs_mactime(void)
{
    char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    test_quirks();
    test_external_sort();
    test_sleuthkit_sample();
    if (tz) {
        setenv("TZ", tz, 1);
        free(tz);
    } else {
        unsetenv("TZ");
    }
}
