#!/usr/bin/env bash
# Smoke test of the running VdcPS lab (curl only). Exit code 0 = every check passed.
# On a failure it prints the response and the last 30 lines of that service's log.
# It creates one temporary project and removes it (and its quotas) again.
set -uo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$HERE/../.." && pwd)
LAB=${VDCPS_LAB_DIR:-$REPO/.lab}
case $LAB in /*) ;; *) LAB=$PWD/$LAB ;; esac
PY=/usr/bin/python3
IP=127.0.0.1
KS=http://$IP:5000/v3
NOVA=http://$IP:8774/v2.1
CINDER=http://$IP:8776/v3
NEUTRON=http://$IP:9696/v2.0
GLANCE=http://$IP:9292
PLACEMENT=http://$IP:8778
GNOCCHI=http://$IP:8041
CK=http://$IP:8889
ADMIN_PASSWORD=secret
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1

WORK=$(mktemp -d)
BODY=$WORK/body
pass=0
failed=0
declare -A failed_logs=()

show_log() {  # $1 service (log name)
  local f=$LAB/logs/$1.log
  [ -n "${failed_logs[$1]:-}" ] && return 0
  failed_logs[$1]=1
  if [ -f "$f" ]; then
    echo "  ----- last 30 lines of $f -----"
    tail -n 30 "$f" | sed 's/^/  | /'
  fi
}

# check LABEL SERVICE EXPECTED(code|code...) curl-args...   (response body -> $BODY)
check() {
  local label=$1 svc=$2 want=$3; shift 3
  local out code t
  rm -f "$BODY"
  out=$(curl -s -m 60 -o "$BODY" -w '%{http_code} %{time_total}' "$@" 2>/dev/null)
  code=${out% *}; t=${out#* }
  if [[ "|$want|" == *"|$code|"* ]]; then
    pass=$((pass + 1)); printf 'ok   %-62s %s %6.3fs\n' "$label" "$code" "$t"; return 0
  fi
  failed=$((failed + 1)); printf 'FAIL %-62s got %s, want %s\n' "$label" "$code" "$want"
  head -c 500 "$BODY" 2>/dev/null | sed 's/^/  > /'; echo
  show_log "$svc"
  return 1
}
# expect LABEL SERVICE PYTHON-EXPR   (d = parsed $BODY; the expression must be true)
expect() {
  local label=$1 svc=$2 expr=$3
  if "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$BODY" "$expr" 2>/dev/null; then
    pass=$((pass + 1)); printf 'ok   %s\n' "$label"; return 0
  fi
  failed=$((failed + 1)); printf 'FAIL %s  (%s)\n' "$label" "$expr"
  head -c 500 "$BODY" 2>/dev/null | sed 's/^/  > /'; echo
  show_log "$svc"
  return 1
}
jval() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$BODY" "$1" 2>/dev/null; }

token() {  # $1 scope JSON -> token on stdout (and body in $BODY)
  curl -s -m 30 -D "$WORK/headers" -o "$BODY" -H 'Content-Type: application/json' -X POST "$KS/auth/tokens" -d \
    "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"$ADMIN_PASSWORD\"}}},\"scope\":$1}}" &&
  awk -F': ' 'tolower($1) == "x-subject-token" {print $2}' "$WORK/headers" | tr -d '\r'
}

P=""
cleanup() {
  if [ -n "$P" ] && [ -n "${TOK:-}" ]; then
    curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOK" "$NOVA/os-quota-sets/$P"
    curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOK" "$CINDER/$ADMIN_PID/os-quota-sets/$P"
    curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOK" "$NEUTRON/quotas/$P"
    curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOK" "$KS/projects/$P"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== VdcPS lab smoke test ($LAB)"
# ---------------------------------------------------------------- every service answers
check "keystone GET /v3" keystone 200 "$KS"
check "nova GET /" nova-api '200|300' "http://$IP:8774/"
check "cinder GET /" cinder-api '200|300' "http://$IP:8776/"
check "neutron GET /" neutron-api 200 "http://$IP:9696/"
check "gnocchi GET /" gnocchi-api 200 "$GNOCCHI/"
check "cloudkitty GET /" cloudkitty-api 200 "$CK/"
check "placement GET /" placement-api 200 "$PLACEMENT/"
check "glance GET /" glance-api '200|300' "$GLANCE/"
check "influxdb GET /ping" influxdb 204 "http://$IP:8086/ping"
if (exec 3<>"/dev/tcp/$IP/5672") 2>/dev/null; then
  pass=$((pass + 1)); echo "ok   rabbitmq accepts connections on $IP:5672"
else
  failed=$((failed + 1)); echo "FAIL rabbitmq on $IP:5672"; show_log rabbitmq
fi
if /usr/lib/postgresql/15/bin/pg_isready -q -h $IP -p 5433; then
  pass=$((pass + 1)); echo "ok   postgresql accepts connections on $IP:5433"
else
  failed=$((failed + 1)); echo "FAIL postgresql on $IP:5433"; show_log postgres
fi

# ---------------------------------------------------------------- tokens
TOK=$(token '{"project":{"name":"admin","domain":{"id":"default"}}}')
[ -n "$TOK" ] || { echo "FAIL keystone: no project-scoped token"; show_log keystone; exit 1; }
check "keystone: project-scoped admin token issued and validates" keystone 200 \
  -H "X-Auth-Token: $TOK" -H "X-Subject-Token: $TOK" "$KS/auth/tokens"
expect "  token is scoped to project admin with role admin" keystone \
  'd["token"]["project"]["name"] == "admin" and "admin" in [r["name"] for r in d["token"]["roles"]]'
ADMIN_PID=$(jval 'd["token"]["project"]["id"]')
STOK=$(token '{"system":{"all":true}}')
check "keystone: system-scoped admin token issued and validates" keystone 200 \
  -H "X-Auth-Token: $TOK" -H "X-Subject-Token: ${STOK:-none}" "$KS/auth/tokens"
expect "keystone: system-scoped admin token (system all)" keystone \
  'd["token"].get("system", {}).get("all") is True and "admin" in [r["name"] for r in d["token"]["roles"]]'
check "keystone: system token lists projects" keystone 200 -H "X-Auth-Token: $STOK" "$KS/projects"
H=(-H "X-Auth-Token: $TOK" -H 'Content-Type: application/json' -H 'Accept: application/json')

# ---------------------------------------------------------------- catalog, roles
check "keystone: GET /v3/auth/catalog" keystone 200 "${H[@]}" "$KS/auth/catalog"
for t in identity compute placement image volumev3 block-storage network metric rating; do
  expect "  catalog has $t (public, internal, admin; RegionOne)" keystone \
    "any(s['type'] == '$t' and sorted(e['interface'] for e in s['endpoints'] if e['region_id'] == 'RegionOne') == ['admin', 'internal', 'public'] for s in d['catalog'])"
done
expect "  compute URL is http://127.0.0.1:8774/v2.1" keystone \
  "[e['url'] for s in d['catalog'] if s['type'] == 'compute' for e in s['endpoints'] if e['interface'] == 'public'] == ['http://127.0.0.1:8774/v2.1']"
expect "  volumev3 URL ends with the token's project id" keystone \
  "[e['url'] for s in d['catalog'] if s['type'] == 'volumev3' for e in s['endpoints'] if e['interface'] == 'public'] == ['http://127.0.0.1:8776/v3/$ADMIN_PID']"
check "keystone: GET /v3/roles" keystone 200 "${H[@]}" "$KS/roles"
expect "  roles admin, member, reader, rating exist" keystone \
  '{"admin", "member", "reader", "rating"} <= {r["name"] for r in d["roles"]}'

# ---------------------------------------------------------------- temporary project
check "keystone: create project" keystone 201 "${H[@]}" -X POST "$KS/projects" \
  -d "{\"project\":{\"name\":\"vdcps-verify-$$-$RANDOM\",\"domain_id\":\"default\",\"tags\":[\"vdcps-verify\"]}}"
P=$(jval 'd["project"]["id"]')

# quota_roundtrip LABEL SERVICE URL WRAPPER-KEY JSON-FIELDS(k=v,...)
# GET the quota, PUT new values, GET them back, PUT the old values back, GET again.
quota_roundtrip() {
  local label=$1 svc=$2 url=$3 key=$4 fields=$5
  check "$label: GET quota" "$svc" 200 "${H[@]}" "$url" || return
  local orig
  orig=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))[sys.argv[2]]; print(json.dumps({k: d[k] for k in sys.argv[3].split(",")}))' \
         "$BODY" "$key" "$(echo "$fields" | sed 's/=[^,]*//g')")
  local new
  new=$("$PY" -c 'import json,sys; print(json.dumps(dict((kv.split("=")[0], int(kv.split("=")[1])) for kv in sys.argv[1].split(","))))' "$fields")
  check "$label: PUT $fields" "$svc" 200 "${H[@]}" -X PUT "$url" -d "{\"$key\": $new}" || return
  check "$label: GET after PUT" "$svc" 200 "${H[@]}" "$url"
  expect "  $label: values read back" "$svc" "all(d['$key'][k] == v for k, v in $new.items())"
  check "$label: PUT original values back" "$svc" 200 "${H[@]}" -X PUT "$url" -d "{\"$key\": $orig}"
  check "$label: GET after restore" "$svc" 200 "${H[@]}" "$url"
  expect "  $label: original values restored $orig" "$svc" "all(d['$key'][k] == v for k, v in $orig.items())"
}
quota_roundtrip "nova" nova-api "$NOVA/os-quota-sets/$P" quota_set "cores=37,ram=65536,instances=13"
# Cinder: the project in the URL must be the token's project; the target goes after os-quota-sets/.
quota_roundtrip "cinder" cinder-api "$CINDER/$ADMIN_PID/os-quota-sets/$P" quota_set "volumes=17,gigabytes=777,snapshots=9"
check "cinder: URL project != token project is rejected (400)" cinder-api 400 "${H[@]}" "$CINDER/$P/os-quota-sets/$P"
quota_roundtrip "neutron" neutron-api "$NEUTRON/quotas/$P" quota "network=5,port=99,router=3,floatingip=4,security_group=8"
NOW=$(date -u +%Y-%m-%dT%H:%M:%S); WEEK_AGO=$(date -u -d '-7 days' +%Y-%m-%dT00:00:00)
check "nova: os-simple-tenant-usage (microversion 2.40)" nova-api 200 "${H[@]}" \
  -H 'OpenStack-API-Version: compute 2.40' "$NOVA/os-simple-tenant-usage?start=$WEEK_AGO&end=$NOW&detailed=1&limit=1"

# ---------------------------------------------------------------- real servers: services, flavors, image
check "nova: GET /os-services" nova-api 200 "${H[@]}" "$NOVA/os-services"
expect "  nova-conductor, nova-scheduler and nova-compute (vdcps-compute) are up" nova-api \
  "{(s['binary'], s['host']) for s in d['services'] if s['state'] == 'up' and s['status'] == 'enabled'} >= {('nova-conductor', 'vdcps-lab'), ('nova-scheduler', 'vdcps-lab'), ('nova-compute', 'vdcps-compute')}"
check "nova: GET /os-hypervisors/detail" nova-api 200 "${H[@]}" "$NOVA/os-hypervisors/detail"
expect "  hypervisor vdcps-compute (fake) is up" nova-api \
  "[(h['hypervisor_hostname'], h['state'], h['hypervisor_type']) for h in d['hypervisors']] == [('vdcps-compute', 'up', 'fake')]"
check "placement: GET /resource_providers" placement-api 200 "${H[@]}" "$PLACEMENT/resource_providers"
expect "  resource provider vdcps-compute" placement-api "[r['name'] for r in d['resource_providers']] == ['vdcps-compute']"
check "nova: GET /flavors/detail" nova-api 200 "${H[@]}" "$NOVA/flavors/detail"
expect "  flavors m1.tiny (1), m1.small (2), m1.medium (3), m1.large (4)" nova-api \
  "{(f['id'], f['name'], f['vcpus'], f['ram'], f['disk']) for f in d['flavors']} >= {('1', 'm1.tiny', 1, 512, 1), ('2', 'm1.small', 1, 2048, 20), ('3', 'm1.medium', 2, 4096, 40), ('4', 'm1.large', 4, 8192, 80)}"
check "glance: GET /v2/images?name=vdcps-tiny" glance-api 200 "${H[@]}" "$GLANCE/v2/images?name=vdcps-tiny"
expect "  image vdcps-tiny is active, public, raw" glance-api \
  "[(i['status'], i['visibility'], i['disk_format']) for i in d['images']] == [('active', 'public', 'raw')]"

# ---------------------------------------------------------------- Gnocchi, CloudKitty (Keystone tokens)
check "gnocchi: no token -> 401 (auth_mode keystone)" gnocchi-api 401 "$GNOCCHI/v1/archive_policy"
check "gnocchi: archive policy billing-hourly" gnocchi-api 200 "${H[@]}" "$GNOCCHI/v1/archive_policy/billing-hourly"
expect "  1 h granularity, back_window 0" gnocchi-api \
  'd["back_window"] == 0 and d["definition"][0]["granularity"] == "1:00:00" and {"mean","sum","max","min","last","count"} <= set(d["aggregation_methods"])'
check "gnocchi: resource type instance" gnocchi-api 200 "${H[@]}" "$GNOCCHI/v1/resource_type/instance"
check "gnocchi: resource type volume" gnocchi-api 200 "${H[@]}" "$GNOCCHI/v1/resource_type/volume"
check "gnocchi: status (admin)" gnocchi-api 200 "${H[@]}" "$GNOCCHI/v1/status"
check "cloudkitty: no token -> 401 (auth_strategy keystone)" cloudkitty-api 401 "$CK/v1/rating/modules"
check "cloudkitty: GET /v1/rating/modules" cloudkitty-api 200 "${H[@]}" "$CK/v1/rating/modules"
check "cloudkitty: GET /v2/summary (InfluxDB storage)" cloudkitty-api 200 "${H[@]}" "$CK/v2/summary"
check "cloudkitty: GET /v1/report/total" cloudkitty-api 200 "${H[@]}" "$CK/v1/report/total"

echo "$pass passed, $failed failed"
[ "$failed" = 0 ]
