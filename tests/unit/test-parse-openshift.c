/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-openshift.c - OpenShift audit evidence goes through the
 * k8s-audit parser (docs/internals/CLOUD-AUDIT.md): `oc adm node-logs` lines
 * prefixed with the control-plane node's name, OAuth server login events
 * (authentication.openshift.io annotations: the login's decision and user)
 * and openshift-apiserver resources (project requests), with their shape
 * and sniff score.
 */
#include <string.h>

#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

static const char oauth[] =
    "master-0 {'kind':'Event','apiVersion':'audit.k8s.io/v1','level':'Metadata','auditID':"
    "'9b7c','stage':'ResponseComplete','requestURI':'/oauth/authorize?client_id=openshift-"
    "browser-client&response_type=code','verb':'get','user':{'username':'system:anonymous',"
    "'groups':['system:unauthenticated']},'sourceIPs':['198.51.100.8'],'userAgent':"
    "'Mozilla/5.0','responseStatus':{'metadata':{},'code':302},'requestReceivedTimestamp':"
    "'2024-03-12T14:02:11.101010Z','stageTimestamp':'2024-03-12T14:02:11.202020Z',"
    "'annotations':{'authentication.openshift.io/decision':'deny',"
    "'authentication.openshift.io/username':'kubeadmin','authorization.k8s.io/decision':"
    "'allow'}}\n";

static const char project[] =
    "master-1 {'kind':'Event','apiVersion':'audit.k8s.io/v1','level':'Metadata','auditID':"
    "'1c2d','stage':'ResponseComplete','requestURI':'/apis/project.openshift.io/v1/"
    "projectrequests','verb':'create','user':{'username':'dev1','groups':["
    "'system:authenticated:oauth']},'sourceIPs':['10.0.0.5'],'userAgent':'oc/4.15.0',"
    "'objectRef':{'resource':'projectrequests','name':'miner','apiGroup':"
    "'project.openshift.io','apiVersion':'v1'},'responseStatus':{'metadata':{},'code':201},"
    "'requestReceivedTimestamp':'2024-03-12T14:03:00.000001Z'}\n";

void test_parse_openshift(void);
void test_parse_openshift(void)
{
    struct h h;
    char ipb[TY_IP_STRLEN];
    char stream[4096];
    const struct ty_parser *p = &ty_parser_k8s_audit;
    snprintf(stream, sizeof(stream), "%s%s", q(&h, oauth), q(&h, project));
    const struct ty_parser *got = NULL;
    struct ty_err err;
    CHECK_INT(ty_parser_sniff(ty_str_cstr(stream), &got, &err), 0);
    CHECK(got == p);
    struct run_counts c = h_run(&h, p, stream);
    CHECK_STR(h.ctx.shape, "node-name-prefixed JSON lines, audit.k8s.io/v1");
    CHECK_INT(c.ev, 2);
    CHECK_INT(c.bad, 0);
    /* the first event: the OAuth login refused for kubeadmin */
    const char *first = h.out.buf, *nl = strchr(first, '\n');
    CHECK(nl != NULL);
    char line[2048];
    snprintf(line, sizeof(line), "%.*s", nl ? (int)(nl - first) : 0, first);
    CHECK(strstr(line, "\"outcome\":\"failure\"") != NULL);
    CHECK(strstr(line, "\"target_user\":\"kubeadmin\"") != NULL);
    CHECK(strstr(line, "\"host\":\"master-0\"") != NULL);
    CHECK(strstr(line, "login=deny") != NULL);
    CHECK(strstr(line, "\"src_ip\":\"198.51.100.8\"") != NULL);
    /* the second: a project requested through openshift-apiserver */
    struct ty_event *ev = &h.last;
    CHECK_SPAN(ty_event_str(ev, TY_F_ACTION), "create projectrequests");
    CHECK_SPAN(ty_event_str(ev, TY_F_TARGET_NAME), "miner");
    CHECK_SPAN(ty_event_str(ev, TY_F_HOST), "master-1");
    CHECK_SPAN(ty_event_str(ev, TY_F_OUTCOME), "success");
    CHECK_STR(ipstr(ev, TY_F_SRC_IP, ipb), "10.0.0.5");
    h_close(&h);
    q_release();
}
