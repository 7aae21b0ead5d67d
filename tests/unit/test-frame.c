/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-frame.c - the record framer: lines (CRLF, blank lines, no final
 * newline, over-long lines), JSON (arrays unrolled, concatenated documents,
 * CloudTrail "Records" files and digests, pretty-printed line numbers,
 * brackets inside strings, unbalanced brackets, truncation), whole streams,
 * damage reported by the input, and the same results whatever the read and
 * chunk sizes (records split across every boundary).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/err.h>
#include <tyto/frame.h>
#include <tyto/input.h>

#include "read/read-int.h"
#include "test.h"

struct rec {
    int rc;
    char *p;
    size_t len;
    uint64_t offset, line;
    char msg[256];
};

struct run {
    struct rec r[64];
    int n;
    int end_rc; /* TY_EOF, or a fatal code */
};

static void run_free(struct run *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->r[i].p);
    memset(r, 0, sizeof(*r));
}

/* Frame data with the given spec; max_read/chunk 0 mean the defaults;
 * fail_at injects input damage after that many bytes (SIZE_MAX: none). */
static void frame_ex(struct run *out, const char *data, size_t len, enum ty_frame_kind kind,
                     const char *key, size_t max_record, size_t max_read, size_t chunk,
                     size_t fail_at)
{
    struct ty_input *in = NULL;
    struct ty_framer *f = NULL;
    struct ty_frame_spec spec = {kind, key, max_record};
    struct ty_err err;
    size_t guard = 4 * len + 100;

    memset(out, 0, sizeof(*out));
    out->end_rc = TY_ERR;
    CHECK_INT(ty_input_mem_open(&in, "mem", data, len), 0);
    if (!in)
        return;
    if (max_read)
        ty__input_mem_set_max_read(in, max_read);
    if (fail_at != (size_t)-1)
        ty__input_mem_set_fail_at(in, fail_at);
    CHECK_INT(ty_framer_new(&f, in, &spec, &err), 0);
    if (chunk)
        ty__framer_set_chunk(f, chunk);
    while (guard--) {
        struct ty_record rec;
        int rc;
        ty_err_clear(&err);
        rc = ty_framer_next(f, &rec, &err);
        if (rc != TY_OK && rc != TY_ECORRUPT) {
            out->end_rc = rc;
            break;
        }
        CHECK(rec.p != NULL);
        if (out->n < 64) {
            struct rec *r = &out->r[out->n++];
            r->rc = rc;
            r->p = malloc(rec.len + 1);
            memcpy(r->p, rec.p, rec.len);
            r->p[rec.len] = '\0';
            r->len = rec.len;
            r->offset = rec.offset;
            r->line = rec.line;
            snprintf(r->msg, sizeof(r->msg), "%s", rc == TY_OK ? "" : err.msg);
        }
    }
    CHECK(guard != (size_t)-1); /* the framer ended */
    ty_framer_free(f);
    ty_input_free(in);
}

static void frame(struct run *out, const char *data, enum ty_frame_kind kind, const char *key)
{
    frame_ex(out, data, strlen(data), kind, key, 0, 0, 0, (size_t)-1);
}

#define CHECK_REC(run, i, rc_, text, off, ln)                                                      \
    do {                                                                                           \
        if ((run).n > (i)) {                                                                       \
            CHECK_INT((run).r[i].rc, rc_);                                                         \
            CHECK_STR((run).r[i].p, text);                                                         \
            CHECK_INT((run).r[i].offset, off);                                                     \
            CHECK_INT((run).r[i].line, ln);                                                        \
        } else {                                                                                   \
            CHECK(!"record " #i " missing");                                                       \
        }                                                                                          \
    } while (0)

/* The same input framed with tiny reads and chunks gives the same records. */
static void check_invariant(const char *data, size_t len, enum ty_frame_kind kind,
                            const char *key, size_t max_record, size_t fail_at)
{
    struct run ref, r;
    static const size_t reads[] = {1, 2, 3, 7, 0};
    static const size_t chunks[] = {1, 3, 5, 7, 64};

    frame_ex(&ref, data, len, kind, key, max_record, 0, 0, fail_at);
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
            frame_ex(&r, data, len, kind, key, max_record, reads[i], chunks[j], fail_at);
            CHECK_INT(r.n, ref.n);
            CHECK_INT(r.end_rc, ref.end_rc);
            for (int k = 0; k < r.n && k < ref.n; k++) {
                CHECK_INT(r.r[k].rc, ref.r[k].rc);
                CHECK_INT(r.r[k].offset, ref.r[k].offset);
                CHECK_INT(r.r[k].line, ref.r[k].line);
                CHECK_STR(r.r[k].msg, ref.r[k].msg);
                if (ref.r[k].rc == TY_OK) {
                    CHECK_STR(r.r[k].p, ref.r[k].p);
                } else { /* a bad record shows at least its first max_record bytes */
                    size_t m = r.r[k].len < ref.r[k].len ? r.r[k].len : ref.r[k].len;
                    CHECK(memcmp(r.r[k].p, ref.r[k].p, m) == 0);
                }
            }
            run_free(&r);
        }
    }
    run_free(&ref);
}

static void test_lines(void)
{
    struct run r;
    const char *t = "a\nbb\r\n\n  \r\n\tccc\n\r\nlast";

    frame(&r, t, TY_FRAME_LINES, NULL);
    CHECK_INT(r.n, 4);
    CHECK_REC(r, 0, TY_OK, "a", 0, 1);
    CHECK_REC(r, 1, TY_OK, "bb", 2, 2);
    CHECK_REC(r, 2, TY_OK, "\tccc", 11, 5);
    CHECK_REC(r, 3, TY_OK, "last", 18, 7); /* no final newline: still a record */
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_LINES, NULL, 0, (size_t)-1);

    /* BOM, empty input, only blank lines */
    frame(&r, "\xef\xbb\xbfx\n", TY_FRAME_LINES, NULL);
    CHECK_INT(r.n, 1);
    CHECK_REC(r, 0, TY_OK, "x", 3, 1);
    run_free(&r);
    frame(&r, "", TY_FRAME_LINES, NULL);
    CHECK_INT(r.n, 0);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    frame(&r, "\n\r\n \n", TY_FRAME_LINES, NULL);
    CHECK_INT(r.n, 0);
    run_free(&r);

    /* over-long lines are reported with their start, then skipped to the
     * next newline; the line count goes on */
    {
        char buf[2000];
        size_t k = 0;
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "short\n");
        for (int i = 0; i < 300; i++)
            buf[k++] = (char)('a' + i % 26);
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\nnext\n");
        for (int i = 0; i < 101; i++)
            buf[k++] = 'z';
        buf[k] = '\0';
        frame_ex(&r, buf, k, TY_FRAME_LINES, NULL, 100, 0, 0, (size_t)-1);
        CHECK_INT(r.n, 4);
        CHECK_REC(r, 0, TY_OK, "short", 0, 1);
        if (r.n == 4) {
            CHECK_INT(r.r[1].rc, TY_ECORRUPT);
            CHECK_STR(r.r[1].msg, "record longer than 100 bytes at offset 6");
            CHECK(r.r[1].len > 100 && memcmp(r.r[1].p, "abcdef", 6) == 0);
            CHECK_INT(r.r[1].offset, 6);
            CHECK_INT(r.r[1].line, 2);
            CHECK_INT(r.r[3].rc, TY_ECORRUPT);
            CHECK_INT(r.r[3].line, 4);
        }
        CHECK_REC(r, 2, TY_OK, "next", 307, 3);
        run_free(&r);
        check_invariant(buf, k, TY_FRAME_LINES, NULL, 100, (size_t)-1);
        /* exactly max_record is fine */
        frame_ex(&r, buf + 6, 100, TY_FRAME_LINES, NULL, 100, 0, 0, (size_t)-1);
        CHECK_INT(r.n, 1);
        CHECK_INT(r.r[0].rc, TY_OK);
        run_free(&r);
    }

    /* a 10 MB record is accepted by default */
    {
        size_t n = 10 * 1000 * 1000;
        char *big = malloc(n + 10);
        memset(big, 'x', n);
        memcpy(big + n, "\nok\n", 4);
        frame_ex(&r, big, n + 4, TY_FRAME_LINES, NULL, 0, 0, 0, (size_t)-1);
        CHECK_INT(r.n, 2);
        if (r.n == 2) {
            CHECK_INT(r.r[0].rc, TY_OK);
            CHECK_INT(r.r[0].len, n);
        }
        CHECK_REC(r, 1, TY_OK, "ok", n + 1, 2);
        run_free(&r);
        free(big);
    }

    /* damage reported by the input: inside a record, the partial record;
     * between records, a record-less ECORRUPT; then EOF */
    frame_ex(&r, "one\ntwo\nthree\n", 14, TY_FRAME_LINES, NULL, 0, 0, 0, 10);
    CHECK_INT(r.n, 3);
    CHECK_REC(r, 0, TY_OK, "one", 0, 1);
    CHECK_REC(r, 1, TY_OK, "two", 4, 2);
    CHECK_REC(r, 2, TY_ECORRUPT, "th", 8, 3);
    if (r.n == 3)
        CHECK(strstr(r.r[2].msg, "injected damage at decoded offset 10") != NULL);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant("one\ntwo\nthree\n", 14, TY_FRAME_LINES, NULL, 0, 10);
    frame_ex(&r, "one\ntwo\nthree\n", 14, TY_FRAME_LINES, NULL, 0, 0, 0, 8);
    CHECK_INT(r.n, 3);
    CHECK_REC(r, 2, TY_ECORRUPT, "", 8, 3);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant("one\ntwo\nthree\n", 14, TY_FRAME_LINES, NULL, 0, 8);
}

static void test_json_plain(void)
{
    struct run r;
    const char *t;

    /* a top-level array is unrolled; concatenated values; scalars */
    t = "[{\"a\":1}, {\"b\":[1,2,{}]} ,[3]]{\"c\":\"x\"}\n{\"d\":null} 42 \"s\" true";
    frame(&r, t, TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 8);
    CHECK_REC(r, 0, TY_OK, "{\"a\":1}", 1, 1);
    CHECK_REC(r, 1, TY_OK, "{\"b\":[1,2,{}]}", 10, 1);
    CHECK_REC(r, 2, TY_OK, "[3]", 26, 1);
    CHECK_REC(r, 3, TY_OK, "{\"c\":\"x\"}", 30, 1);
    CHECK_REC(r, 4, TY_OK, "{\"d\":null}", 40, 2);
    CHECK_REC(r, 5, TY_OK, "42", 51, 2);
    CHECK_REC(r, 6, TY_OK, "\"s\"", 54, 2);
    CHECK_REC(r, 7, TY_OK, "true", 58, 2);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, NULL, 0, (size_t)-1);

    /* pretty-printed: line numbers of each record's first byte */
    t = "\xef\xbb\xbf\n[\n  {\n    \"a\": 1,\n    \"s\": \"x\\ny\"\n  },\n"
        "  {\n    \"b\": [\n      2\n    ]\n  }\n]\n";
    frame(&r, t, TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 2);
    if (r.n == 2) {
        CHECK_INT(r.r[0].line, 3);
        CHECK_INT(r.r[0].offset, 8);
        CHECK_INT(r.r[1].line, 7);
        CHECK(r.r[1].p[0] == '{' && r.r[1].p[r.r[1].len - 1] == '}');
    }
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, NULL, 0, (size_t)-1);

    /* brackets and quotes inside strings, escaped backslashes */
    t = "{\"a\":\"}]\\\"{[\",\"b\":\"x\\\\\"}{\"c\":\"\\\\\\\"}\"}";
    frame(&r, t, TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 0, TY_OK, "{\"a\":\"}]\\\"{[\",\"b\":\"x\\\\\"}", 0, 1);
    CHECK_REC(r, 1, TY_OK, "{\"c\":\"\\\\\\\"}\"}", 24, 1);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, NULL, 0, (size_t)-1);

    /* unbalanced: the bad element, a stray closer, then the next good one */
    t = "[{\"a\":1]},{\"b\":2}]";
    frame(&r, t, TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 3);
    CHECK_REC(r, 0, TY_ECORRUPT, "{\"a\":1]", 1, 1);
    if (r.n == 3) {
        CHECK(strstr(r.r[0].msg, "unbalanced brackets: ']' at offset 7 closes '{'") != NULL);
        CHECK_STR(r.r[1].msg, "unexpected '}' at offset 8");
    }
    CHECK_REC(r, 1, TY_ECORRUPT, "}", 8, 1);
    CHECK_REC(r, 2, TY_OK, "{\"b\":2}", 10, 1);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, NULL, 0, (size_t)-1);

    /* truncated: the partial record, then EOF */
    t = "[{\"a\":1},\n{\"b\":\"x";
    frame(&r, t, TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 0, TY_OK, "{\"a\":1}", 1, 1);
    CHECK_REC(r, 1, TY_ECORRUPT, "{\"b\":\"x", 10, 2);
    if (r.n == 2)
        CHECK_STR(r.r[1].msg, "truncated record at offset 10");
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, NULL, 0, (size_t)-1);
    /* an array that never closes after a whole element: record-less */
    frame(&r, "[{\"a\":1}, ", TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 1, TY_ECORRUPT, "", 10, 1);
    if (r.n == 2)
        CHECK(strstr(r.r[1].msg, "inside the array opened at offset 0") != NULL);
    run_free(&r);

    /* over-long element: reported with its start, skipped to its end while
     * depth is tracked, then the next element */
    {
        char buf[1000];
        size_t k = (size_t)snprintf(buf, sizeof(buf), "[{\"a\":\"");
        for (int i = 0; i < 200; i++)
            buf[k++] = (i % 10 == 0) ? '[' : 'x';
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\",\"n\":[[{}]]},\n{\"b\":2}]");
        frame_ex(&r, buf, k, TY_FRAME_JSON, NULL, 64, 0, 0, (size_t)-1);
        CHECK_INT(r.n, 2);
        if (r.n == 2) {
            CHECK_INT(r.r[0].rc, TY_ECORRUPT);
            CHECK_STR(r.r[0].msg, "record longer than 64 bytes at offset 1");
            CHECK(r.r[0].len > 64);
        }
        CHECK_REC(r, 1, TY_OK, "{\"b\":2}", k - 8, 2);
        run_free(&r);
        check_invariant(buf, k, TY_FRAME_JSON, NULL, 64, (size_t)-1);
    }

    /* stray closers at the top, garbage as a scalar record */
    frame(&r, "}]x {\"a\":1}", TY_FRAME_JSON, NULL);
    CHECK_INT(r.n, 4);
    CHECK_REC(r, 0, TY_ECORRUPT, "}", 0, 1);
    CHECK_REC(r, 1, TY_ECORRUPT, "]", 1, 1);
    CHECK_REC(r, 2, TY_OK, "x", 2, 1);
    CHECK_REC(r, 3, TY_OK, "{\"a\":1}", 4, 1);
    run_free(&r);

    /* damage from the input inside an element, and between elements */
    t = "[{\"a\":1},{\"b\":2}]";
    frame_ex(&r, t, strlen(t), TY_FRAME_JSON, NULL, 0, 0, 0, 12);
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 0, TY_OK, "{\"a\":1}", 1, 1);
    CHECK_REC(r, 1, TY_ECORRUPT, "{\"b", 9, 1);
    if (r.n == 2)
        CHECK(strstr(r.r[1].msg, "injected damage") != NULL);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, NULL, 0, 12);
    frame_ex(&r, t, strlen(t), TY_FRAME_JSON, NULL, 0, 0, 0, 8);
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 1, TY_ECORRUPT, "", 8, 1);
    if (r.n == 2)
        CHECK(strstr(r.r[1].msg, "injected damage") != NULL);
    run_free(&r);
}

static void test_json_records(void)
{
    struct run r;
    const char *t;

    /* CloudTrail files concatenated, a digest object, decoys */
    t = "{\"Records\":[{\"e\":1},\n{\"e\":[2]}]}\n"
        "{\"Records\": [ {\"e\":3} ] , \"x\":{\"Records\":[9]}}"
        "{\"digestStartTime\":\"t\",\"logFiles\":[{\"s3Object\":\"k\"}]}"
        "{\"a\":\"Records\",\"b\":{\"Records\":[1]}}"
        "[{\"e\":4}]";
    frame(&r, t, TY_FRAME_JSON, "Records");
    CHECK_INT(r.n, 6);
    CHECK_REC(r, 0, TY_OK, "{\"e\":1}", 12, 1);
    CHECK_REC(r, 1, TY_OK, "{\"e\":[2]}", 21, 2);
    CHECK_REC(r, 2, TY_OK, "{\"e\":3}", 47, 3);
    CHECK_REC(r, 3, TY_OK, "{\"digestStartTime\":\"t\",\"logFiles\":[{\"s3Object\":\"k\"}]}", 79,
              3);
    CHECK_REC(r, 4, TY_OK, "{\"a\":\"Records\",\"b\":{\"Records\":[1]}}", 132, 3);
    CHECK_REC(r, 5, TY_OK, "{\"e\":4}", 168, 3);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant(t, strlen(t), TY_FRAME_JSON, "Records", 0, (size_t)-1);

    /* an empty Records array yields nothing; Records not an array: whole */
    t = "{\"Records\":[]}{\"Records\":null}";
    frame(&r, t, TY_FRAME_JSON, "Records");
    CHECK_INT(r.n, 1);
    CHECK_REC(r, 0, TY_OK, "{\"Records\":null}", 14, 1);
    run_free(&r);

    /* a long prefix before the key: the object is not a record, its
     * Records elements come out; a long object without the key is one
     * record, too long */
    {
        char buf[1000];
        size_t k = (size_t)snprintf(buf, sizeof(buf), "{\"pad\":\"");
        for (int i = 0; i < 300; i++)
            buf[k++] = 'p';
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\",\"Records\":[{\"e\":1}]}{\"z\":1}");
        frame_ex(&r, buf, k, TY_FRAME_JSON, "Records", 100, 0, 0, (size_t)-1);
        CHECK_INT(r.n, 2);
        CHECK_REC(r, 0, TY_OK, "{\"e\":1}", k - 16, 1);
        CHECK_REC(r, 1, TY_OK, "{\"z\":1}", k - 7, 1);
        run_free(&r);
        check_invariant(buf, k, TY_FRAME_JSON, "Records", 100, (size_t)-1);
        memcpy(buf + 311, "Recordz", 7);
        frame_ex(&r, buf, k, TY_FRAME_JSON, "Records", 100, 0, 0, (size_t)-1);
        CHECK_INT(r.n, 2);
        if (r.n == 2) {
            CHECK_INT(r.r[0].rc, TY_ECORRUPT);
            CHECK_STR(r.r[0].msg, "record longer than 100 bytes at offset 0");
            CHECK(r.r[0].len > 100 && memcmp(r.r[0].p, "{\"pad\":\"ppp", 11) == 0);
        }
        CHECK_REC(r, 1, TY_OK, "{\"z\":1}", k - 7, 1);
        run_free(&r);
        check_invariant(buf, k, TY_FRAME_JSON, "Records", 100, (size_t)-1);
    }

    /* truncated inside the Records array and inside a digest */
    frame(&r, "{\"Records\":[{\"e\":1},{\"e\"", TY_FRAME_JSON, "Records");
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 1, TY_ECORRUPT, "{\"e\"", 20, 1);
    run_free(&r);
    frame(&r, "{\"Records\":[{\"e\":1}", TY_FRAME_JSON, "Records");
    CHECK_INT(r.n, 2);
    CHECK_REC(r, 1, TY_ECORRUPT, "", 19, 1);
    run_free(&r);
    frame(&r, "{\"digest\":{\"a\":1}", TY_FRAME_JSON, "Records");
    CHECK_INT(r.n, 1);
    CHECK_REC(r, 0, TY_ECORRUPT, "{\"digest\":{\"a\":1}", 0, 1);
    run_free(&r);
}

static void test_whole(void)
{
    struct run r;
    frame(&r, "abc\ndef", TY_FRAME_WHOLE, NULL);
    CHECK_INT(r.n, 1);
    CHECK_REC(r, 0, TY_OK, "abc\ndef", 0, 1);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    frame(&r, "", TY_FRAME_WHOLE, NULL);
    CHECK_INT(r.n, 0);
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    frame_ex(&r, "0123456789", 10, TY_FRAME_WHOLE, NULL, 4, 0, 0, (size_t)-1);
    CHECK_INT(r.n, 1);
    if (r.n == 1) {
        CHECK_INT(r.r[0].rc, TY_ECORRUPT);
        CHECK_STR(r.r[0].msg, "record longer than 4 bytes at offset 0");
    }
    CHECK_INT(r.end_rc, TY_EOF);
    run_free(&r);
    check_invariant("0123456789", 10, TY_FRAME_WHOLE, NULL, 4, (size_t)-1);
    frame_ex(&r, "0123456789", 10, TY_FRAME_WHOLE, NULL, 0, 0, 0, 6);
    CHECK_INT(r.n, 1);
    CHECK_REC(r, 0, TY_ECORRUPT, "012345", 0, 1);
    run_free(&r);
}

void test_frame(void);
void test_frame(void)
{
    test_lines();
    test_json_plain();
    test_json_records();
    test_whole();
}
