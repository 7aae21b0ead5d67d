/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-store.c - case store throughput: inserts N synthetic CloudTrail-like
 * events (realistic field mix and cardinalities, ~1.5 KB raw JSON each, a
 * unique eventID per record) into a fresh case, then streams them back in
 * time order. Prints events/s, MB/s of raw, case size, compression, peak RSS.
 *
 *   build/bench/bench-store [-n N] [-l zstd-level] [-o case-path]
 *                           [--journal delete|wal|off] [--sync off|normal] [--threads N]
 *                           [--keep] [--load-only|--read-only]
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tyto/store.h>
#include <tyto/time.h>

#include "store/store-int.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* skewed pick in [0, n): small indexes are much more frequent */
static unsigned pick(unsigned n)
{
    uint64_t r = next_rand();
    unsigned a = (unsigned)(r % n), b = (unsigned)((r >> 32) % n);
    return a < b ? a : b;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *xstrdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xstrdup_printf(const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    char *p = strdup(tmp);
    if (!p)
        abort();
    return p;
}

static void uuid(char *out)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = next_rand(), b = next_rand();
    for (int i = 0, k = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            out[i] = '-';
            continue;
        }
        uint64_t *w = k < 16 ? &a : &b;
        out[i] = hex[(*w >> ((k % 16) * 4)) & 15];
        k++;
    }
    out[36] = '\0';
}

/* ---- the pools ---- */

#define N_ACTIONS 180
#define N_PROVIDERS 30
#define N_PRINCIPALS 400
#define N_KEYS 900
#define N_AGENTS 120
#define N_IPS 2500
#define N_ACCOUNTS 8
#define N_REGIONS 16
#define N_BUCKETS 40
#define N_TEMPLATES 4096

static char *actions[N_ACTIONS], *providers[N_PROVIDERS], *principals[N_PRINCIPALS];
static char *principal_ids[N_PRINCIPALS], *keys[N_KEYS], *agents[N_AGENTS], *ips[N_IPS];
static char *accounts[N_ACCOUNTS], *regions[N_REGIONS], *buckets[N_BUCKETS];

static void make_pools(void)
{
    static const char *const verbs[] = {"Get", "List", "Describe", "Put", "Create", "Delete",
                                        "Update", "Assume", "Attach", "Start"};
    static const char *const nouns[] = {"Object", "Bucket", "Role", "User", "Policy",
                                        "Instances", "SecurityGroups", "Function", "Key",
                                        "Trail", "Parameters", "Secret", "Cluster", "Volume",
                                        "Snapshot", "LogEvents", "AccessKey", "LoginProfile"};
    static const char *const svcs[] = {"s3", "iam", "ec2", "sts", "lambda", "kms", "cloudtrail",
                                       "ssm", "secretsmanager", "eks", "logs", "rds"};
    for (int i = 0; i < N_ACTIONS; i++)
        actions[i] = xstrdup_printf("%s%s%s", verbs[i % 10], nouns[(i / 10) % 18],
                                    i >= 180 ? "V2" : "");
    for (int i = 0; i < N_PROVIDERS; i++)
        providers[i] = xstrdup_printf("%s%s.amazonaws.com", svcs[i % 12], i >= 12 ? "-x" : "");
    for (int i = 0; i < N_ACCOUNTS; i++)
        accounts[i] = xstrdup_printf("%012" PRIu64, next_rand() % UINT64_C(900000000000) +
                                                        UINT64_C(100000000000));
    for (int i = 0; i < N_PRINCIPALS; i++) {
        principals[i] = xstrdup_printf("arn:aws:sts::%s:assumed-role/role-%d/session-%d",
                                       accounts[i % N_ACCOUNTS], i % 37, i);
        principal_ids[i] = xstrdup_printf("AROA%016" PRIX64 ":session-%d", next_rand(), i);
    }
    for (int i = 0; i < N_KEYS; i++)
        keys[i] = xstrdup_printf("ASIA%016" PRIX64, next_rand());
    for (int i = 0; i < N_AGENTS; i++)
        agents[i] = xstrdup_printf("aws-cli/2.%d.%d Python/3.11.%d Linux/5.10.%d-%d.amzn2.x86_64"
                                   " exe/x86_64.amzn.2 prompt/off command/%s",
                                   i % 17, i % 9, i % 7, 100 + i, i % 50,
                                   actions[i % N_ACTIONS]);
    for (int i = 0; i < N_IPS; i++) {
        uint64_t r = next_rand();
        ips[i] = xstrdup_printf("%u.%u.%u.%u", (unsigned)(r % 223) + 1, (unsigned)(r >> 8) & 255,
                                (unsigned)(r >> 16) & 255, (unsigned)(r >> 24) & 255);
    }
    for (int i = 0; i < N_REGIONS; i++)
        regions[i] = xstrdup_printf("%s-%s-%d", i % 3 ? "us" : "eu",
                                    i % 2 ? "east" : "west", i % 4 + 1);
    for (int i = 0; i < N_BUCKETS; i++)
        buckets[i] = xstrdup_printf("corp-data-%d-%s", i, accounts[i % N_ACCOUNTS]);
}

/* One pre-built record: the event fields point into pools or into text. */
struct tmpl {
    struct ty_event ev;
    char *raw;
    size_t raw_len;
    size_t uuid_at;   /* where the eventID sits in raw, patched per insert */
    char vendor[40];  /* vendor_id text (also patched) */
    char corr[40];
    char key[160];
};

static struct tmpl *tmpls;

static void make_templates(void)
{
    tmpls = calloc(N_TEMPLATES, sizeof(*tmpls));
    if (!tmpls)
        abort();
    for (int t = 0; t < N_TEMPLATES; t++) {
        struct tmpl *m = &tmpls[t];
        struct ty_event *ev = &m->ev;
        unsigned a = pick(N_ACTIONS), p = pick(N_PROVIDERS), u = pick(N_PRINCIPALS);
        unsigned k = pick(N_KEYS), ag = pick(N_AGENTS), ip = pick(N_IPS);
        unsigned acct = u % N_ACCOUNTS, rg = pick(N_REGIONS);
        bool s3 = (next_rand() % 10) < 3, fail = (next_rand() % 20) == 0;
        bool internal = (next_rand() % 10) == 0;
        char params[900];
        int pn = 0;

        uuid(m->vendor);
        uuid(m->corr);
        if (s3)
            snprintf(m->key, sizeof(m->key), "exports/%04u/%02u/part-%05u-%s.csv.gz",
                     2020 + t % 5, t % 12 + 1, t, m->corr);
        /* requestParameters / responseElements of realistic size */
        /* requestParameters / responseElements of realistic size: S3 calls,
         * describe calls with filters, or credential-returning calls */
        switch (t % 3) {
        case 0:
            pn = snprintf(params, sizeof(params),
                          "\"requestParameters\":{\"bucketName\":\"%s\",\"key\":\"%s\","
                          "\"Host\":\"%s.s3.%s.amazonaws.com\"},\"responseElements\":null,"
                          "\"additionalEventData\":{\"SignatureVersion\":\"SigV4\","
                          "\"bytesTransferredIn\":%u,\"x-amz-id-2\":\"%016" PRIx64 "\","
                          "\"bytesTransferredOut\":%u}",
                          buckets[t % N_BUCKETS], s3 ? m->key : "-", buckets[t % N_BUCKETS],
                          regions[rg], (unsigned)(next_rand() % 100000), next_rand(),
                          (unsigned)(next_rand() % 10000000));
            break;
        case 1:
            pn = snprintf(params, sizeof(params),
                          "\"requestParameters\":{\"filterSet\":{\"items\":[{\"name\":"
                          "\"tag:Environment\",\"valueSet\":{\"items\":[{\"value\":\"prod\"}]}},"
                          "{\"name\":\"instance-state-name\",\"valueSet\":{\"items\":[{"
                          "\"value\":\"running\"}]}}]},\"maxResults\":%u},"
                          "\"responseElements\":null",
                          (unsigned)(next_rand() % 1000));
            break;
        default:
            pn = snprintf(params, sizeof(params),
                          "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::%s:role/role-%u\","
                          "\"roleSessionName\":\"session-%u\",\"durationSeconds\":3600},"
                          "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"%s\","
                          "\"expiration\":\"Mar 12, 2024, 3:05:09 PM\",\"sessionToken\":\"%016"
                          PRIx64 "%016" PRIx64 "\"},\"assumedRoleUser\":{\"assumedRoleId\":"
                          "\"%s\",\"arn\":\"%s\"}}",
                          accounts[acct], u % 37, u, keys[(k + 1) % N_KEYS], next_rand(),
                          next_rand(), principal_ids[u], principals[u]);
            break;
        }
        char raw[2600];
        int n = snprintf(raw, sizeof(raw),
                         "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\","
                         "\"principalId\":\"%s\",\"arn\":\"%s\",\"accountId\":\"%s\","
                         "\"accessKeyId\":\"%s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":"
                         "\"Role\",\"principalId\":\"%s\",\"arn\":\"arn:aws:iam::%s:role/role-%u\","
                         "\"accountId\":\"%s\",\"userName\":\"role-%u\"},\"attributes\":{"
                         "\"creationDate\":\"2024-03-12T13:59:41Z\","
                         "\"mfaAuthenticated\":\"false\"}}},"
                         "\"eventTime\":\"2024-03-12T14:05:09Z\",\"eventSource\":\"%s\","
                         "\"eventName\":\"%s\",\"awsRegion\":\"%s\",\"sourceIPAddress\":\"%s\","
                         "\"userAgent\":\"%s\",%s%s%s,\"requestID\":\"%s\","
                         "\"eventID\":\"%s\",\"readOnly\":%s,\"eventType\":\"AwsApiCall\","
                         "\"managementEvent\":true,\"recipientAccountId\":\"%s\","
                         "\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":"
                         "\"TLSv1.2\",\"cipherSuite\":\"ECDHE-RSA-AES128-GCM-SHA256\","
                         "\"clientProvidedHostHeader\":\"%s.%s.amazonaws.com\"}}",
                         principal_ids[u], principals[u], accounts[acct], keys[k],
                         principal_ids[u], accounts[acct], u % 37, accounts[acct], u % 37,
                         providers[p], actions[a], regions[rg],
                         internal ? "AWS Internal" : ips[ip], agents[ag],
                         fail ? "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User is not "
                                "authorized to perform this operation\"," : "",
                         params, "", m->corr, m->vendor, a % 10 < 3 ? "true" : "false",
                         accounts[acct], providers[p], regions[rg]);
        (void)pn;
        m->raw = malloc((size_t)n + 1);
        memcpy(m->raw, raw, (size_t)n + 1);
        m->raw_len = (size_t)n;
        m->uuid_at = (size_t)(strstr(m->raw, "\"eventID\":\"") - m->raw) + 11;

        ty_event_clear(ev);
        ty_event_set_int(ev, TY_F_TS_PREC, 0);
        ty_event_set_str(ev, TY_F_TIME_TEXT, ty_str_cstr("2024-03-12T14:05:09Z"));
        ty_event_set_str(ev, TY_F_CATEGORY, ty_str_cstr("api"));
        ty_event_set_str(ev, TY_F_ACTION, ty_str_cstr(actions[a]));
        ty_event_set_str(ev, TY_F_PROVIDER, ty_str_cstr(providers[p]));
        ty_event_set_str(ev, TY_F_OUTCOME, ty_str_cstr(fail ? "failure" : "success"));
        if (fail) {
            ty_event_set_str(ev, TY_F_STATUS_CODE, ty_str_cstr("AccessDenied"));
            ty_event_set_str(ev, TY_F_STATUS_DETAIL,
                             ty_str_cstr("User is not authorized to perform this operation"));
        }
        ty_event_set_int(ev, TY_F_READ_ONLY, a % 10 < 3);
        ty_event_set_str(ev, TY_F_VENDOR_ID, ty_str_make(m->vendor, 36));
        ty_event_set_str(ev, TY_F_CORRELATION_ID, ty_str_make(m->corr, 36));
        ty_event_set_str(ev, TY_F_ACTOR, ty_str_cstr(principals[u]));
        ty_event_set_str(ev, TY_F_ACTOR_TYPE, ty_str_cstr("AssumedRole"));
        ty_event_set_str(ev, TY_F_ACTOR_ID, ty_str_cstr(principal_ids[u]));
        ty_event_set_str(ev, TY_F_ACTOR_ACCOUNT, ty_str_cstr(accounts[acct]));
        ty_event_set_str(ev, TY_F_ACCESS_KEY, ty_str_cstr(keys[k]));
        ty_event_set_int(ev, TY_F_ACTOR_MFA, 0);
        ty_event_set_str(ev, TY_F_USER_AGENT, ty_str_cstr(agents[ag]));
        ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR,
                          ty_str_cstr(internal ? "AWS Internal" : ips[ip]));
        ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, ty_str_cstr("aws"));
        ty_event_set_str(ev, TY_F_CLOUD_ACCOUNT, ty_str_cstr(accounts[acct]));
        ty_event_set_str(ev, TY_F_CLOUD_REGION, ty_str_cstr(regions[rg]));
        if (s3) {
            ty_event_set_str(ev, TY_F_TARGET_KIND, ty_str_cstr("s3-object"));
            ty_event_set_str(ev, TY_F_BUCKET, ty_str_cstr(buckets[t % N_BUCKETS]));
            ty_event_set_str(ev, TY_F_OBJECT_KEY, ty_str_cstr(m->key));
        }
        ev->format = "aws-cloudtrail";
    }
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int64_t sql_count(struct ty_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

struct counter {
    uint64_t n, bytes;
};

static int count_cb(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct counter *c = arg;
    c->n++;
    c->bytes += ty_event_str(ev, TY_F_ACTOR).len;
    return 0;
}

int main(int argc, char **argv)
{
    long n = 1000000;
    int level = TY__RAW_DEFAULT_LEVEL;
    const char *path = "/tmp/bench-store.tyto", *journal = NULL, *sync = NULL, *threads = NULL;
    bool keep = false, load_only = false, read_only = false;
    struct ty_store *st = NULL;
    struct ty_err err;
    char pragma[128];

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            n = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-l") && i + 1 < argc)
            level = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            path = argv[++i];
        else if (!strcmp(argv[i], "--journal") && i + 1 < argc)
            journal = argv[++i];
        else if (!strcmp(argv[i], "--sync") && i + 1 < argc)
            sync = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = argv[++i];
        else if (!strcmp(argv[i], "--keep"))
            keep = true;
        else if (!strcmp(argv[i], "--load-only"))
            load_only = true;
        else if (!strcmp(argv[i], "--read-only"))
            read_only = true;
        else {
            fprintf(stderr, "usage: %s [-n N] [-l level] [-o case] [--journal delete|wal|off]"
                            " [--sync off|normal] [--threads N] [--keep] [--load-only|--read-only]\n", argv[0]);
            return 2;
        }
    }
    ty_err_clear(&err);
    make_pools();
    make_templates();
    if (read_only) {
        keep = true;
        goto read;
    }
    unlink(path);
    snprintf(pragma, sizeof(pragma), "%s-journal", path);
    unlink(pragma);
    snprintf(pragma, sizeof(pragma), "%s-wal", path);
    unlink(pragma);

    double t0 = now(), c0 = cpu_seconds(), w0 = thread_cpu_seconds();
    if (ty_store_open(&st, path, TY_STORE_CREATE, &err))
        goto fail;
    ty__store_set_raw_block(st, 0, 0, level);
    if (journal) {
        snprintf(pragma, sizeof(pragma), "PRAGMA journal_mode=%s", journal);
        sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
    }
    if (threads) {
        snprintf(pragma, sizeof(pragma), "PRAGMA threads=%s", threads);
        sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
    }
    if (sync) {
        snprintf(pragma, sizeof(pragma), "PRAGMA synchronous=%s", sync);
        sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
    }
    if (getenv("BENCH_EARLY_INDEX"))
        sqlite3_exec(st->db,
                     "CREATE INDEX events_ts ON events(\"ts\", evidence_id, \"offset\", sub);"
                     "CREATE INDEX events_evidence ON events(evidence_id, \"offset\", sub);"
                     "CREATE INDEX events_actor ON events(actor) WHERE actor IS NOT NULL;"
                     "CREATE INDEX events_action ON events(action) WHERE action IS NOT NULL;"
                     "CREATE INDEX events_src_ip ON events(src_ip) WHERE src_ip IS NOT NULL;",
                     NULL, NULL, NULL);
    if (ty_store_begin(st, &err))
        goto fail;
    struct ty_evidence evd;
    memset(&evd, 0, sizeof(evd));
    evd.path = "bench/cloudtrail.json";
    evd.format = "aws-cloudtrail";
    memset(evd.sha256, 'a', 64);
    if (ty_store_evidence_put(st, &evd, &err))
        goto fail;

    uint64_t raw_bytes = 0, off = 0;
    int64_t ts = INT64_C(1710252309) * TY_NS_PER_SEC;
    for (long i = 0; i < n; i++) {
        struct tmpl *m = &tmpls[(uint64_t)i * 2654435761u % N_TEMPLATES];
        uuid(m->raw + m->uuid_at); /* a unique eventID per record */
        m->raw[m->uuid_at + 36] = '"';
        memcpy(m->vendor, m->raw + m->uuid_at, 36);
        ts += (int64_t)(next_rand() % 2000000);
        ty_event_set_int(&m->ev, TY_F_TS, ts);
        m->ev.raw = ty_str_make(m->raw, m->raw_len);
        m->ev.offset = off;
        m->ev.line = (uint64_t)i + 1;
        off += m->raw_len + 1;
        raw_bytes += m->raw_len;
        if (ty_store_event_add(st, evd.id, &m->ev, NULL, &err))
            goto fail;
    }
    double t1 = now(), w1 = thread_cpu_seconds();
    if (ty_store_finish_load(st, &err))
        goto fail;
    double t2 = now(), w2 = thread_cpu_seconds();
    evd.records = evd.events = (uint64_t)n;
    if (ty_store_evidence_put(st, &evd, &err) || ty_store_commit(st, &err))
        goto fail;
    uint64_t bin = st->raw.bytes_in, bout = st->raw.bytes_out, blocks = st->raw.blocks_written;
    uint64_t hits = st->dict.hits, misses = st->dict.misses;
    ty_store_close(st);
    st = NULL;
    double t3 = now(), c3 = cpu_seconds(), w3 = thread_cpu_seconds();

    struct stat sb;
    stat(path, &sb);
    double total = t3 - t0;
    printf("events            %ld (raw %.1f MB, %.0f B/record)\n", n, (double)raw_bytes / 1e6,
           (double)raw_bytes / (double)n);
    printf("zstd level        %d: %" PRIu64 " blocks, %.1f MB -> %.1f MB (%.1fx)\n", level, blocks,
           (double)bin / 1e6, (double)bout / 1e6, bout ? (double)bin / (double)bout : 0.0);
    printf("dict cache        %" PRIu64 " hits, %" PRIu64 " misses\n", hits, misses);
    printf("insert            %.2f s  (%.0f events/s, %.0f MB/s raw)\n", t1 - t0,
           (double)n / (t1 - t0), (double)raw_bytes / 1e6 / (t1 - t0));
    printf("indexes           %.2f s\n", t2 - t1);
    printf("commit+close      %.2f s\n", t3 - t2);
    printf("total             %.2f s  (%.0f events/s, %.0f MB/s raw)\n", total,
           (double)n / total, (double)raw_bytes / 1e6 / total);
    printf("cpu (load)        %.2f s all threads (%.0f events per cpu-second)\n", c3 - c0,
           (double)n / (c3 - c0));
    printf("cpu (writer)      %.2f s = insert %.2f + indexes %.2f + commit %.2f"
           " (%.0f events/s, %.0f MB/s raw on one core)\n", w3 - w0, w1 - w0, w2 - w1, w3 - w2,
           (double)n / (w3 - w0), (double)raw_bytes / 1e6 / (w3 - w0));
    printf("case file         %.1f MB (%.0f B/event, %.1f%% of raw)\n", (double)sb.st_size / 1e6,
           (double)sb.st_size / (double)n, 100.0 * (double)sb.st_size / (double)raw_bytes);
    printf("peak RSS (load)   %.1f MB\n", (double)peak_rss_kib() / 1024.0);

    if (load_only) {
        if (!keep)
            unlink(path);
        return 0;
    }
read:
    /* stream everything back in time order, then one filtered query */
    if (ty_store_open(&st, path, TY_STORE_READONLY, &err))
        goto fail;
    if (read_only)
        n = (long)sql_count(st, "select count(*) from events");
    if (getenv("BENCH_MMAP"))
        sqlite3_exec(st->db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
    double r0 = cpu_seconds();
    struct ty_event_query q;
    struct counter c = {0, 0};
    memset(&q, 0, sizeof(q));
    double t4 = now();
    if (ty_store_events(st, &q, count_cb, &c, &err))
        goto fail;
    double t5 = now();
    printf("timeline (all)    %.2f s  (%.0f events/s, %.2f cpu-s)\n", t5 - t4,
           (double)c.n / (t5 - t4), cpu_seconds() - r0);
    struct counter c2 = {0, 0};
    q.where[0].field = TY_F_ACTOR;
    q.where[0].cmp = TY_CMP_EQ;
    q.where[0].value = principals[5];
    q.n_where = 1;
    if (ty_store_events(st, &q, count_cb, &c2, &err))
        goto fail;
    double t6 = now();
    printf("actor = x         %.3f s  (%" PRIu64 " events)\n", t6 - t5, c2.n);
    struct ty_buf b;
    ty_buf_init(&b, 0);
    double t7 = now();
    uint64_t got = 0;
    for (int i = 0; i < 10000; i++) {
        ty_buf_reset(&b);
        if (ty_store_raw(st, 1 + (int64_t)(next_rand() % (uint64_t)n), &b, &err))
            goto fail;
        got += b.len;
    }
    double t8 = now();
    printf("raw, random       %.0f records/s\n", 10000 / (t8 - t7));
    ty_buf_release(&b);
    printf("peak RSS (all)    %.1f MB\n", (double)peak_rss_kib() / 1024.0);
    ty_store_close(st);
    if (!keep)
        unlink(path);
    return got ? 0 : 1;
fail:
    fprintf(stderr, "bench-store: %s\n", err.msg);
    ty_store_close(st);
    return 1;
}
