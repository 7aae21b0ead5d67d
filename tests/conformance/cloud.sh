#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cloud.sh - the proof of the GCP and Azure parsers on ../shared/data (docs/internals/
# CLOUD-AUDIT.md): (1) every GCP, Azure, Entra, GKE and AKS sample ingested through the
# real walker and sniffing, with exact formats, events and quarantines, each quarantine
# explained below; (2) Sekoia's expected values against tyto's events (cloud-oracle.py);
# (3) SigmaHQ's GCP, Azure and Kubernetes rules over Panther's labelled tests: for each
# Panther rule mapped to the SigmaHQ rule describing the same behaviour
# (cloud-sigma-map.tsv), every positive test must fire it or be listed with its reason
# (cloud-sigma-known.txt). Skipped when the shared data is absent.
# (4) rules: composed evidence (one stream per case, bursts generated here) ingested with
# tyto's pack from rules/, each case raising its rule (correlations included) - this is also
# the proof that GKE and AKS events reach the Kubernetes rules and that Azure callers come
# from the claims. (5) tyto's own pack over the same tests: how many Panther positives raise at least one
# tyto alert (information: Panther's rules are not tyto's).
# Usage: TYTO=build/tyto tests/conformance/cloud.sh [counts|oracle|sigma|pack]...
set -uo pipefail
TYTO=${TYTO:-build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
D=${TYTO_SHARED_DATA:-$HERE/../../../shared/data}
if [ ! -d "$D" ]; then
    echo "cloud: skipped: $D not found (the shared sample data sits beside the clone)"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
parts=${*:-counts oracle sigma rules pack}
fail=0

# expect NAME "FORMAT:STREAMS ..." EVENTS QUARANTINED PATH...
expect() {
    local name=$1 formats=$2 events=$3 quar=$4
    shift 4
    local c="$work/$name.tyto" got_f got_e got_q
    "$TYTO" ingest -q "$c" "$@" 2>"$work/$name.err"
    got_f=$("$TYTO" query "$c" "select f||':'||count(*) from (select coalesce(nullif(format,''),'-') as f from evidence) group by f order by f" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')
    got_e=$("$TYTO" query "$c" "select total(events) from evidence" | tail -n +2 | sed 's/\.0$//')
    got_q=$("$TYTO" query "$c" "select total(quarantined) from evidence" | tail -n +2 | sed 's/\.0$//')
    if [ "$got_f" = "$formats" ] && [ "$got_e" = "$events" ] && [ "$got_q" = "$quar" ]; then
        printf '  ok   %-26s %-28s events %5s quarantined %s\n' "$name" "$got_f" "$got_e" "$got_q"
    else
        fail=1
        printf '  FAIL %-26s formats [%s] want [%s]; events %s want %s; quarantined %s want %s\n' \
            "$name" "$got_f" "$formats" "$got_e" "$events" "$got_q" "$quar"
        head -5 "$work/$name.err" | sed 's/^/       /'
    fi
}

P=$D/panther-analysis/_derived
counts() {
    echo "cloud: samples"
    # GCP: plaso's file mixes 9 audit entries with a jsonPayload and a textPayload entry
    expect plaso-gcp "gcp-audit:1" 11 0 "$D/plaso/test_data/jsonl/gcp_logging.jsonl"
    expect sekoia-gcp-audit "gcp-audit:1" 27 0 \
        "$D/sekoia-intake-formats/_derived/Google_Cloud__Google_Cloud_Audit.inputs.txt"
    # GKE: Sekoia's "Google Kubernetes Engine" intake is container and event logs, not audit
    expect sekoia-gke-logs "gcp-audit:1" 6 0 \
        "$D/sekoia-intake-formats/_derived/Google_Cloud__Google_Kubernetes_Engine.inputs.txt"
    expect elastic-gke-audit "gcp-audit:1" 1 0 \
        "$D/elastic-integrations/packages/gcp/data_stream/audit/_dev/test/pipeline/test-k8s-nonmatching-resourcename.log"
    # Azure and Entra
    expect plaso-azure-activity "azure-monitor:1" 4 0 "$D/plaso/test_data/jsonl/azure_activity_log.jsonl"
    expect sekoia-azure-activity "azure-monitor:1" 4 0 \
        "$D/sekoia-intake-formats/_derived/Azure__azure-activity-logs.inputs.txt"
    expect sekoia-azure-ad "azure-monitor:1" 25 0 \
        "$D/sekoia-intake-formats/_derived/Azure__azure-ad.inputs.txt"
    expect sekoia-entra-graphapi "azure-monitor:1" 79 0 \
        "$D/sekoia-intake-formats/_derived/Microsoft__microsoft-entraid-graphapi.inputs.txt"
    expect otrf-aad-audit "azure-monitor:1" 4 0 \
        "$D/otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/AADAuditEvents/AADAuditEvents.json"
    # Panther's test logs (the log of each test, one per line). They are rule fixtures: 53
    # GCP logs carry no time at all (44), "..." as the time (1) or no LogEntry keys, only a
    # methodName or an operation (8); 35 Azure logs have no time (34 kube-audit records
    # whose Event has no timestamps, 1 Activity record). tyto never invents a time.
    jq -c .log "$P/tests.GCP.AuditLog.jsonl" >"$work/panther-gcp.jsonl"
    jq -c .log "$P/tests.Azure.MonitorActivity.jsonl" >"$work/panther-azure.jsonl"
    jq -c .log "$P/tests.Azure.Audit.jsonl" >"$work/panther-aad.jsonl"
    expect panther-gcp "gcp-audit:1" 149 53 "$work/panther-gcp.jsonl"
    expect panther-azure-activity "azure-monitor:1" 214 35 "$work/panther-azure.jsonl"
    expect panther-azure-signin "azure-monitor:1" 47 0 "$work/panther-aad.jsonl"
}

oracle() {
    echo "cloud: Sekoia expected values"
    python3 "$HERE/cloud-oracle.py" "$TYTO" "$D" || fail=1
}

# Panther fixtures without a time get one (2024-01-01), so that the rule, not the missing
# time, decides: tyto quarantines untimed evidence.
sigma() {
    local S=$D/sigmahq-sigma map="$HERE/cloud-sigma-map.tsv" known="$HERE/cloud-sigma-known.txt"
    echo "cloud: SigmaHQ rules on Panther's positives (rule describing the same behaviour)"
    jq -c '.log | if .protoPayload != null and .timestamp == null and .receiveTimestamp == null
                  then .timestamp = "2024-01-01T00:00:00Z" else . end' \
        "$P/tests.GCP.AuditLog.jsonl" >"$work/gcp.jsonl"
    jq -c '.log | (if .time == null and .TimeGenerated == null
                   then .time = "2024-01-01T00:00:00Z" else . end)
                | (if .category == "kube-audit" and (.properties.log | type) == "string"
                   then .properties.log = (.properties.log | fromjson
                        | (if .requestReceivedTimestamp == null
                           then .requestReceivedTimestamp = "2024-01-01T00:00:00.000000Z"
                           else . end) | tojson)
                   else . end)' "$P/tests.Azure.MonitorActivity.jsonl" >"$work/az.jsonl"
    jq -c '.log | if .time == null then .time = "2024-01-01T00:00:00Z" else . end' \
        "$P/tests.Azure.Audit.jsonl" >"$work/aad.jsonl"
    local set t fmt ok=0 pos=0 kn=0 bad=0 stale=0
    printf '  %-58s %-10s %s\n' "Panther rule (SigmaHQ rule)" "result" "test"
    for set in gcp az aad; do
        case $set in
        gcp) t=GCP.AuditLog fmt=gcp-audit ;;
        az) t=Azure.MonitorActivity fmt=azure-monitor ;;
        *) t=Azure.Audit fmt=azure-monitor ;;
        esac
        "$TYTO" rules test --no-builtin-rules --rules "$S/rules/cloud/gcp" \
            --rules "$S/rules/cloud/azure" --rules "$S/rules/application/kubernetes" \
            --format "$fmt" "$work/$set.jsonl" >"$work/$set.hits" 2>/dev/null
        # "FILE:N: RULE_ID TITLE: fields" -> "N<TAB>RULE_ID"
        sed -n 's/^.*:\([0-9][0-9]*\): \([0-9a-f-]\{36\}\) .*/\1\t\2/p' "$work/$set.hits" \
            >"$work/$set.pairs"
        jq -r '[.rule_id, (.expected_result | tostring), .test_name] | @tsv' "$P/tests.$t.jsonl" |
            awk -F'\t' -v OFS='\t' '{ print NR, $0 }' >"$work/$set.tests"
        while IFS=$'\t' read -r n prule want tname; do
            local srule
            srule=$(awk -F'\t' -v r="$prule" '!/^#/ && $1 == r { print $2; exit }' "$map")
            [ -n "$srule" ] && [ "$want" = true ] || continue
            pos=$((pos + 1))
            local got=0 listed=0 v
            awk -F'\t' -v n="$n" -v r="$srule" '$1 == n && $2 == r { f = 1 } END { exit !f }' \
                "$work/$set.pairs" && got=1
            awk -F'\t' -v r="$prule" -v t="$tname" '!/^#/ && $1 == r && $2 == t { f = 1 }
                END { exit !f }' "$known" && listed=1
            if [ $got = 1 ] && [ $listed = 1 ]; then v=STALE stale=$((stale + 1))
            elif [ $got = 1 ]; then v=ok ok=$((ok + 1))
            elif [ $listed = 1 ]; then v=known kn=$((kn + 1))
            else v=MISS bad=$((bad + 1)); fi
            printf '  %-58s %-10s %s\n' "$prule (${srule:0:8})" "$v" "$tname"
        done <"$work/$set.tests"
    done
    echo "cloud: $ok of $pos Panther positives fire the SigmaHQ rule of the same behaviour" \
        "($kn listed in cloud-sigma-known.txt, $bad unexplained, $stale stale)"
    [ $bad = 0 ] && [ $stale = 0 ] || fail=1
}

# rule_case NAME WANT_RULE_ID FILE: ingest FILE with the pack from rules/ and want the alert.
rule_case() {
    local name=$1 want=$2 file=$3 c="$work/rule-$1.tyto" got
    "$TYTO" ingest -q --no-builtin-rules --rules "$HERE/../../rules" "$c" "$file" \
        2>"$work/rule-$name.err"
    got=$("$TYTO" query "$c" "select count(*) from alerts where rule_uid = '$want'" |
        tail -n +2)
    if [ "${got:-0}" -ge 1 ]; then
        printf '  ok   %-24s %s (%s alerts)\n' "$name" "${want:0:8}" "$got"
    else
        fail=1
        printf '  FAIL %-24s no alert of %s\n' "$name" "$want"
        head -3 "$work/rule-$name.err" | sed 's/^/       /'
    fi
}

rules() {
    local f=$work/fx i
    mkdir -p "$f"
    echo "cloud: tyto's GCP, Azure and Kubernetes rules on composed evidence"
    awk '/^### 2.6/ { on = 1 } on && /^\{"insertId"/ { print; exit }' \
        "$HERE/../../../shared/docs/formats.md" >"$f/key.json" 2>/dev/null
    [ -s "$f/key.json" ] || printf '%s\n' '{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"methodName":"google.iam.admin.v1.CreateServiceAccountKey","serviceName":"iam.googleapis.com","status":{}},"timestamp":"2024-03-12T14:06:41Z"}' >"$f/key.json"
    rule_case gcp-key-created fd8c43cd-9693-443e-93cb-c8f50e70845b "$f/key.json"
    for i in 1 2 3; do
        printf '{"logName":"projects/p/logs/cloudaudit.googleapis.com%%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"ci@p.iam.gserviceaccount.com","serviceAccountKeyName":"//iam.googleapis.com/projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com/keys/k1"},"methodName":"storage.buckets.list","serviceName":"storage.googleapis.com","requestMetadata":{"callerIp":"198.51.100.%d"}},"timestamp":"2024-03-12T14:0%d:00Z"}\n' "$i" "$i"
    done >"$f/key-ips.jsonl"
    rule_case gcp-key-three-ips 08dd48f7-37ae-4a14-aa70-fa286dbd9b65 "$f/key-ips.jsonl"
    printf '%s\n' '{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"google.logging.v2.ConfigServiceV2.DeleteSink","serviceName":"logging.googleapis.com","resourceName":"projects/p/sinks/to-siem"},"timestamp":"2024-03-12T14:10:00Z"}' >"$f/sink.json"
    rule_case gcp-sink-deleted 5feba8be-6c7f-4fba-8458-f98da168a849 "$f/sink.json"
    printf '%s\n' '{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"SetIamPolicy","serviceName":"cloudresourcemanager.googleapis.com","resourceName":"projects/p","serviceData":{"policyDelta":{"bindingDeltas":[{"action":"ADD","member":"user:evil@gmail.com","role":"roles/owner"}]}}},"timestamp":"2024-03-12T14:11:00Z"}' >"$f/owner.json"
    rule_case gcp-owner-granted 964efe3a-5f5a-480c-a5e0-9466fb2c5724 "$f/owner.json"
    printf '%s\n' '{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"v1.compute.instances.insert","serviceName":"compute.googleapis.com","request":{"machineType":"zones/us-central1-a/machineTypes/a2-highgpu-8g","guestAccelerators":[{"acceleratorType":"zones/us-central1-a/acceleratorTypes/nvidia-tesla-a100","acceleratorCount":8}]},"resourceName":"projects/p/zones/us-central1-a/instances/m1"},"timestamp":"2024-03-12T14:12:00Z"}' >"$f/gpu.json"
    rule_case gcp-gpu-instance b12462c5-5aa2-4e70-a2d0-d43b16017c78 "$f/gpu.json"
    for i in $(seq 10 21); do
        printf '{"logName":"projects/p/logs/cloudaudit.googleapis.com%%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"v1.compute.instances.insert","serviceName":"compute.googleapis.com","resourceName":"projects/p/zones/us-central1-a/instances/m%d"},"timestamp":"2024-03-12T14:%d:00Z"}\n' "$i" "$i"
    done >"$f/vms.jsonl"
    rule_case gcp-instance-burst a8daed7b-d415-470e-b01e-e5d2b2ba5ec6 "$f/vms.jsonl"
    for i in $(seq 100 220); do
        printf '{"logName":"projects/p/logs/cloudaudit.googleapis.com%%2Fdata_access","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"storage.objects.get","serviceName":"storage.googleapis.com","resourceName":"projects/_/buckets/b/objects/f%d.csv"},"timestamp":"2024-03-12T14:20:%02d.%03dZ"}\n' "$i" $((i % 60)) "$i"
    done >"$f/objects.jsonl"
    rule_case gcp-object-read-burst 10ceb178-5652-47e6-8286-da9f75e940ec "$f/objects.jsonl"
    for i in $(seq 10 22); do
        printf '{"logName":"projects/p/logs/cloudaudit.googleapis.com%%2Fdata_access","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion","serviceName":"secretmanager.googleapis.com","resourceName":"projects/p/secrets/s%d/versions/1"},"timestamp":"2024-03-12T14:30:%dZ"}\n' "$i" "$i"
    done >"$f/secrets.jsonl"
    rule_case gcp-secret-burst 28a8c3e4-5b49-4ca7-bfb8-60f1658ef994 "$f/secrets.jsonl"
    printf '%s\n' '{"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"io.k8s.core.v1.pods.exec.create","serviceName":"k8s.io","resourceName":"core/v1/namespaces/payments/pods/api-7c9d/exec","requestMetadata":{"callerIp":"198.51.100.23"}},"resource":{"type":"k8s_cluster","labels":{"cluster_name":"prod-1"}},"timestamp":"2024-03-12T14:08:02Z"}' >"$f/gke-exec.json"
    rule_case gke-exec-k8s-rule b6f5d5eb-ba75-4b61-ba72-b4758d0f000c "$f/gke-exec.json"
    printf '%s\n' '{"time":"2024-03-12T14:40:00Z","resourceId":"/SUBSCRIPTIONS/S1/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/TO-SIEM","operationName":"MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE","category":"Administrative","resultType":"Success","callerIpAddress":"203.0.113.9"}' >"$f/diag.json"
    rule_case azure-diag-deleted 182082f8-9df2-4182-8c24-53681562e759 "$f/diag.json"
    printf '%s\n' '{"time":"2024-03-12T14:07:30Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/5E7A","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative","resultType":"Success","callerIpAddress":"203.0.113.77"}' >"$f/role.json"
    rule_case azure-role-assignment 5cfd6912-305c-49b5-a94c-cd5aa61d1b6b "$f/role.json"
    printf '%s\n' '{"time":"2024-03-12T14:09:55Z","resourceId":"/tenants/t/providers/Microsoft.aadiam","operationName":"Update application – Certificates and secrets management ","category":"AuditLogs","tenantId":"t","properties":{"result":"success","activityDisplayName":"Update application – Certificates and secrets management ","initiatedBy":{"user":{"userPrincipalName":"jdoe@contoso.example"}},"targetResources":[{"displayName":"backup-automation","type":"Application"}]}}' >"$f/appcred.json"
    rule_case entra-app-credential cf9a641a-aaf7-4216-88fd-ca3369ecc3b1 "$f/appcred.json"
    printf '%s\n' '{"time":"2024-03-12T14:09:55Z","operationName":"Add owner to application","category":"AuditLogs","tenantId":"t","properties":{"result":"success","activityDisplayName":"Add owner to application","initiatedBy":{"user":{"userPrincipalName":"jdoe@contoso.example"}}}}' >"$f/owner-app.json"
    rule_case entra-app-owner 8dc924e2-24e8-4503-8bdd-d6d602f4cf65 "$f/owner-app.json"
    printf '%s\n' '{"time":"2024-03-12T14:09:55Z","operationName":"User registered security info","category":"AuditLogs","tenantId":"t","properties":{"result":"success","activityDisplayName":"User registered security info","loggedByService":"Authentication Methods"}}' >"$f/mfa.json"
    rule_case entra-mfa-changed 5141042e-0d41-4c19-ac7f-0e09e9a741a7 "$f/mfa.json"
    printf '%s\n' '{"time":"2024-03-12T14:01:12Z","operationName":"Sign-in activity","category":"SignInLogs","tenantId":"t","resultType":"0","properties":{"userPrincipalName":"jdoe@contoso.example","appDisplayName":"Azure Portal","ipAddress":"198.51.100.61","riskLevelDuringSignIn":"high","location":{"countryOrRegion":"NL"}}}' >"$f/risky.json"
    rule_case entra-risky-signin 6c35c91c-a914-434b-8633-6eef3877bf93 "$f/risky.json"
    for cc in NL BR; do
        printf '{"time":"2024-03-12T14:0%d:12Z","operationName":"Sign-in activity","category":"SignInLogs","tenantId":"t","resultType":"0","properties":{"userPrincipalName":"jdoe@contoso.example","appDisplayName":"Azure Portal","location":{"countryOrRegion":"%s"}}}\n' "${#cc}" "$cc"
    done >"$f/countries.jsonl"
    rule_case entra-two-countries 3b28268c-8ef8-4767-8ba3-af6949afe738 "$f/countries.jsonl"
    for i in $(seq 10 22); do
        printf '{"time":"2024-03-12T14:50:%dZ","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","callerIpAddress":"203.0.113.9","properties":{"id":"https://kv1.vault.azure.net/secrets/s%d"}}\n' "$i" "$i"
    done >"$f/kv.jsonl"
    rule_case azure-keyvault-burst 290b6573-6257-44f4-a886-f5423cea953c "$f/kv.jsonl"
    for i in $(seq 100 205); do
        printf '{"time":"2024-03-12T15:00:%02d.%03dZ","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/SA1/BLOBSERVICES/DEFAULT","operationName":"GetBlob","category":"StorageRead","resultType":"Success","callerIpAddress":"203.0.113.9","properties":{"objectKey":"/sa1/c/f%d"}}\n' $((i % 60)) "$i" "$i"
    done >"$f/blobs.jsonl"
    rule_case azure-blob-burst 23e30752-390f-430d-9ad5-9aa0a27fe626 "$f/blobs.jsonl"
    for i in $(seq 10 21); do
        printf '{"time":"2024-03-12T16:%d:00Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/M%d","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE","category":"Administrative","resultType":"Success","callerIpAddress":"203.0.113.9","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"mallory@contoso.example"}}}\n' "$i" "$i"
    done >"$f/azvms.jsonl"
    rule_case azure-vm-burst-by-claims 49dd3134-ebf1-4cd2-9ade-61051fd9f7ec "$f/azvms.jsonl"
    printf '%s\n' '{"time":"2024-03-12T14:07:30Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/MINER-1","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE","category":"Administrative","resultType":"Start","properties":{"requestbody":"{\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_NC24ads_A100_v4\"}}}"}}' >"$f/azgpu.json"
    rule_case azure-gpu-vm 625b55ef-d547-40fa-853a-b818b1c35573 "$f/azgpu.json"
    printf '%s\n' '{"time":"2024-03-12T14:20:00Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-1","category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{"log":"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"a-1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/pods/web/exec?command=sh\",\"verb\":\"create\",\"user\":{\"username\":\"alice@contoso.example\"},\"sourceIPs\":[\"203.0.113.9\"],\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"web\",\"subresource\":\"exec\"},\"responseStatus\":{\"code\":101},\"requestReceivedTimestamp\":\"2024-03-12T14:19:59.000001Z\"}"}}' >"$f/aks-exec.json"
    rule_case aks-exec-k8s-rule b6f5d5eb-ba75-4b61-ba72-b4758d0f000c "$f/aks-exec.json"
}

# Information only: tyto's pack (alerting rules, not informational inputs) on the same tests.
pack() {
    echo "cloud: tyto's pack on Panther's tests (information)"
    [ -s "$work/gcp.jsonl" ] || sigma >/dev/null
    "$TYTO" rules list 2>/dev/null | awk '$3 != "informational" { print $1 }' >"$work/alerting"
    local set fmt t
    for set in gcp az aad; do
        case $set in
        gcp) t=GCP.AuditLog fmt=gcp-audit ;;
        az) t=Azure.MonitorActivity fmt=azure-monitor ;;
        *) t=Azure.Audit fmt=azure-monitor ;;
        esac
        "$TYTO" rules test --format "$fmt" "$work/$set.jsonl" 2>/dev/null |
            sed -n 's/^.*:\([0-9][0-9]*\): \([0-9a-f-]\{36\}\) .*/\1\t\2/p' |
            awk -F'\t' 'NR == FNR { a[$1] = 1; next } a[$2] { print $1 }' "$work/alerting" - |
            sort -u >"$work/$set.alerted"
        jq -r '.expected_result | tostring' "$P/tests.$t.jsonl" |
            awk -v t="$t" 'NR == FNR { hit[$1] = 1; next }
                { if ($1 == "true") { p++; if (hit[FNR]) pa++ } else { n++; if (hit[FNR]) na++ } }
                END { printf "  %-22s positives alerted %3d of %3d; negatives alerted %3d of %3d\n",
                      t, pa, p, na, n }' "$work/$set.alerted" -
    done
}

for p in $parts; do "$p"; done
if [ $fail = 0 ]; then echo "cloud: PASS"; else echo "cloud: FAIL"; fi
exit $fail
