#!/usr/bin/env bash
# VdcPS local OpenStack lab: real OpenStack services from Debian 12 packages, on 127.0.0.1 only.
#
#   RabbitMQ 3.10      :5672  own node, epmd on 127.0.0.1:4369 (message bus of Nova)
#   Keystone 22 (Zed)  :5000  uwsgi, 1 process, in-memory cache, sqlite
#   Placement 8        :8778  uwsgi, sqlite
#   Nova 26            :8774  API (uwsgi nova-api-wsgi), conductor, scheduler, one compute with the
#                             fake virt driver (host vdcps-compute); sqlite (api, cell0, cell1)
#   Glance 25          :9292  glance-api (eventlet, 1 worker), file store, image "vdcps-tiny"
#   Cinder API 21      :8776  uwsgi (cinder-wsgi), sqlite, no volume backend
#   Neutron 21         :9696  uwsgi (neutron-api), ML2 local/flat, service_plugins=router, sqlite
#   PostgreSQL 15      :5433  own cluster in $LAB/pg (Gnocchi indexer, CloudKitty DB)
#   InfluxDB 1.6       :8086  (+ RPC 127.0.0.1:8088), binary extracted from Debian's .deb
#   Gnocchi 4.4        :8041  uwsgi, auth_mode=keystone, + gnocchi-metricd
#   CloudKitty 17      :8889  uwsgi, auth_strategy=keystone, storage v2 (InfluxDB), + cloudkitty-processor
#
# Usage: lab.sh [start|stop|status|reset|env|restart-processor]
#   start   (default) install what is missing, write configs, create databases that are missing,
#           start what is not running, register the catalog. Idempotent.
#   stop    stop every process the lab started (by PID / process group); data is kept.
#   status  show each process, its RSS and the listening ports; exit 0 only if all run.
#   reset   stop, wipe all data, start.
#   env     print the shell exports for the openstack CLI.
#   restart-processor  restart cloudkitty-processor (it sleeps an hour after each pass).
#
# Environment: VDCPS_LAB_DIR (default <repo>/.lab), VDCPS_LAB_WORKERS (uwsgi processes for
# nova/cinder/neutron, default 1), VDCPS_LAB_SKIP_APT=1 (never call apt-get).
# See tests/lab/NOTES.md.
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$HERE/../.." && pwd)
LAB=${VDCPS_LAB_DIR:-$REPO/.lab}
case $LAB in /*) ;; *) LAB=$PWD/$LAB ;; esac

PY=/usr/bin/python3            # Debian's python: python3 on PATH may be a pyenv shim
PGBIN=/usr/lib/postgresql/15/bin
IP=127.0.0.1
PG_PORT=5433
ADMIN_PASSWORD=secret          # lab only
PG_PASSWORD=vdcps-pg-secret    # role "vdcps" (Gnocchi, CloudKitty)
RABBIT_PORT=5672
RABBIT_PASSWORD=vdcps-rabbit-secret   # RabbitMQ user "vdcps"
TRANSPORT_URL="rabbit://vdcps:$RABBIT_PASSWORD@$IP:$RABBIT_PORT/"
COMPUTE_HOST=vdcps-compute     # not "vdcps-lab": seed-usage.py puts its rows on host vdcps-lab
WORKERS=${VDCPS_LAB_WORKERS:-1}
RABBIT_T0=""                   # set when this run starts RabbitMQ (for the log)
export DEBIAN_FRONTEND=noninteractive

ETC=$LAB/etc
DATA=$LAB/data
LOGS=$LAB/logs
PIDS=$LAB/pids
PKG=$LAB/pkg                   # downloaded .debs and what was unpacked from them
ROOTFS=$PKG/root               # files taken from the *-common debs and influxdb
XBIN=$ROOTFS/usr/bin

# Every long-running process, in start order; stop goes in reverse.
SERVICES=(postgres influxdb epmd rabbitmq keystone placement-api nova-api nova-conductor
          nova-scheduler nova-compute glance-api cinder-api neutron-api gnocchi-api gnocchi-metricd
          cloudkitty-api cloudkitty-processor)
declare -A PORT=([postgres]=$PG_PORT [influxdb]=8086 [epmd]=4369 [rabbitmq]=$RABBIT_PORT
                 [keystone]=5000 [placement-api]=8778 [nova-api]=8774 [glance-api]=9292
                 [cinder-api]=8776 [neutron-api]=9696 [gnocchi-api]=8041 [cloudkitty-api]=8889)

# ------------------------------------------------------------------------------ helpers
now_us() { echo "${EPOCHREALTIME/./}"; }
secs() {  # $1 start (µs) -> "12.3s"
  local d=$(( $(now_us) - $1 ))
  printf '%d.%ds' $(( d / 1000000 )) $(( d / 100000 % 10 ))
}
log() { printf '[lab %s] %s\n' "$(date +%T)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid" || true; }
# Ours if spawn() tagged its environment with VDCPS_LAB_SERVICE=<name>@<lab> (oslo.service
# renames its processes, and the rabbitmq-server script and epmd name no lab path), or, for a
# process started by an older lab.sh, if its command line names the lab (uwsgi masters are
# renamed "vdcps-lab-<name> uWSGI master", the others carry $LAB/ in their arguments).
# A stale PID file (reboot) can point to an unrelated process that must never be taken for a
# lab service, let alone be killed.
# (bash builtins only: status and start call this for every service, on a busy machine)
is_ours() {  # $1 name $2 pid
  local -a a
  local cmd e
  mapfile -d '' a 2>/dev/null <"/proc/$2/cmdline" || return 1
  cmd="${a[*]} "
  [[ $cmd == *"vdcps-lab-$1 "* || $cmd == *"$LAB/"* ]] && return 0
  mapfile -d '' a 2>/dev/null <"/proc/$2/environ" || return 1
  for e in "${a[@]}"; do [ "$e" = "VDCPS_LAB_SERVICE=$1@$LAB" ] && return 0; done
  return 1
}
alive() {
  local p=
  [ -f "$PIDS/$1.pid" ] && read -r p <"$PIDS/$1.pid"
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null && is_ours "$1" "$p"
}

tail_log() {  # $1 service: last lines of its log on stderr
  local f=$LOGS/$1.log
  [ -f "$f" ] || return 0
  echo "----- last 30 lines of $f -----" >&2
  tail -n 30 "$f" >&2
  echo "-----" >&2
}

# Start "$@" as its own session (PID = process group id), output to logs/<name>.log.
spawn() {  # $1 name, then the command
  local name=$1; shift
  if alive "$name"; then return 0; fi
  # 9>&-: the services must not inherit the lock of this script
  VDCPS_LAB_SERVICE="$name@$LAB" setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$PIDS/$name.pid"
  # setsid execs in place unless its caller leads a process group (never so in this script).
  [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ] ||
    log "warning: $name (pid $pid) is not its own process group"
}

wait_http() {  # $1 name $2 url $3 timeout (s): wait until the URL answers with any HTTP status
  local t0; t0=$(now_us)
  local deadline=$(( $(now_us) + $3 * 1000000 ))
  while [ "$(now_us)" -lt "$deadline" ]; do
    local code
    code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$2" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != 000 ]; then return 0; fi
    if ! alive "$1"; then log "$1 died while starting"; tail_log "$1"; return 1; fi
    sleep 0.2
  done
  log "$1 did not answer $2 within $3 s"; tail_log "$1"; return 1
}

wait_port() {  # $1 name $2 port $3 timeout (s): wait until something listens on 127.0.0.1:port
  local deadline=$(( $(now_us) + $3 * 1000000 ))
  while [ "$(now_us)" -lt "$deadline" ]; do
    if ss -Hltn "src $IP:$2" 2>/dev/null | grep -q .; then return 0; fi
    if ! alive "$1"; then log "$1 died while starting"; tail_log "$1"; return 1; fi
    sleep 0.2
  done
  log "$1 does not listen on $IP:$2 after $3 s"; tail_log "$1"; return 1
}

# Writes stdin to $1 only if the content differs, so that a file's mtime tells when its content
# last changed (restart_stale restarts a service whose configuration is newer than the process).
put() {  # $1 file
  local tmp="$1.new.$$"
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1"; fi
}

# The files each long-running service reads at start (restart_stale compares their mtimes).
declare -A CONFS
set_confs() {
  CONFS=(
    [keystone]="$ETC/keystone/keystone.conf $ETC/uwsgi/keystone.ini"
    [placement-api]="$ETC/placement/placement.conf $ETC/uwsgi/placement-api.ini $LAB/lib/lab_sqlite_retry.py"
    [nova-api]="$ETC/nova/nova.conf $ETC/nova/api-paste.ini $ETC/uwsgi/nova-api.ini $LAB/lib/lab_sqlite_retry.py"
    [nova-conductor]="$ETC/nova/nova.conf $LAB/bin/nova-conductor $LAB/lib/lab_sqlite_retry.py"
    [nova-scheduler]="$ETC/nova/nova.conf $LAB/bin/nova-scheduler $LAB/lib/lab_sqlite_retry.py"
    [nova-compute]="$ETC/nova/nova.conf $ETC/nova/nova-compute.conf $LAB/bin/nova-compute $LAB/lib/lab_fake_virt.py $LAB/lib/lab_sqlite_retry.py"
    [glance-api]="$ETC/glance/glance-api.conf $ETC/glance/glance-api-paste.ini"
    [cinder-api]="$ETC/cinder/cinder.conf $ETC/cinder/api-paste.ini $ETC/uwsgi/cinder-api.ini"
    [neutron-api]="$ETC/neutron/neutron.conf $ETC/neutron/plugins/ml2/ml2_conf.ini $ETC/uwsgi/neutron-api.ini"
    [gnocchi-api]="$ETC/gnocchi/gnocchi.conf $ETC/gnocchi/api-paste.ini $ETC/uwsgi/gnocchi-api.ini"
    [gnocchi-metricd]="$ETC/gnocchi/gnocchi.conf"
    [cloudkitty-api]="$ETC/cloudkitty/cloudkitty.conf $ETC/uwsgi/cloudkitty-api.ini"
    [cloudkitty-processor]="$ETC/cloudkitty/cloudkitty.conf $ETC/cloudkitty/metrics.yml"
    [rabbitmq]="$ETC/rabbitmq/rabbitmq.conf"
  )
}

# Stops every running service whose configuration changed after it started (start then starts
# it again with the new files). Services whose files did not change keep running.
restart_stale() {
  local s pid started f newest stale=()
  for s in "${!CONFS[@]}"; do
    alive "$s" || continue
    pid=$(pid_of "$s")
    started=$(( $(date +%s) - $(ps -o etimes= -p "$pid" | tr -d ' ') ))
    newest=0
    for f in ${CONFS[$s]}; do
      [ -f "$f" ] && [ "$(stat -c %Y "$f")" -gt "$newest" ] && newest=$(stat -c %Y "$f")
    done
    [ "$newest" -gt "$started" ] && stale+=("$s")
  done
  [ ${#stale[@]} -gt 0 ] || return 0
  log "configuration changed since start, restarting: ${stale[*]}"
  for s in "${stale[@]}"; do stop_one "$s" & done
  wait
}

psql_pg() { runuser -u postgres -- "$PGBIN/psql" -h "$LAB/pg" -p "$PG_PORT" -U postgres -qAt "$@"; }

# ------------------------------------------------------------------------------ 1. packages
APT_PKGS=(python3-keystone python3-keystonemiddleware python3-nova python3-cinder python3-neutron
          python3-gnocchi python3-gnocchiclient python3-cloudkitty python3-openstackclient
          python3-placement python3-glance rabbitmq-server
          uwsgi-core uwsgi-plugin-python3 postgresql-15 sqlite3 curl)
# Taken apart, never installed: the *-common packages run dbconfig-common/debconf, and
# installing influxdb would create a system service on 0.0.0.0:8086.
EXTRACT_DEBS=(nova-common cinder-common neutron-common cloudkitty-common glance-common influxdb)

ensure_packages() {
  local t0 missing=()
  t0=$(now_us)
  local installed
  installed=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' "${APT_PKGS[@]}" 2>/dev/null |
              awk '$2 == "installed" {print $1}' || true)
  for p in "${APT_PKGS[@]}"; do
    grep -qx "$p" <<<"$installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    [ "${VDCPS_LAB_SKIP_APT:-0}" = 1 ] && die "missing packages (VDCPS_LAB_SKIP_APT=1): ${missing[*]}"
    log "apt-get install ${missing[*]} (log: $LOGS/apt.log)"
    # An empty package list (fresh machine) makes the install fail: update once in that case.
    if ! apt-cache show python3-keystone >/dev/null 2>&1; then
      apt-get -o DPkg::Lock::Timeout=900 update >>"$LOGS/apt.log" 2>&1
    fi
    apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}" \
      >>"$LOGS/apt.log" 2>&1 || { tail -n 30 "$LOGS/apt.log" >&2; die "apt-get install failed"; }
    log "packages installed in $(secs "$t0")"
  fi
  if [ ! -x "$XBIN/nova-api-wsgi" ] || [ ! -x "$XBIN/cinder-wsgi" ] || [ ! -x "$XBIN/neutron-api" ] ||
     [ ! -f "$ROOTFS/usr/share/cloudkitty-common/api_paste.ini" ] || [ ! -x "$XBIN/influxd" ] ||
     [ ! -f "$ROOTFS/usr/share/glance-common/glance-api-paste.ini" ]; then
    local t1; t1=$(now_us)
    mkdir -p "$PKG/debs" "$ROOTFS"
    rm -f "$PKG"/debs/*.deb
    (cd "$PKG/debs" && apt-get download "${EXTRACT_DEBS[@]}") >>"$LOGS/apt.log" 2>&1 ||
      { tail -n 20 "$LOGS/apt.log" >&2; die "apt-get download failed"; }
    for f in "$PKG"/debs/*.deb; do dpkg-deb -x "$f" "$ROOTFS"; done
    log "unpacked ${EXTRACT_DEBS[*]} in $(secs "$t1")"
  fi
  log "phase packages: $(secs "$t0")"
}

# ------------------------------------------------------------------------------ 2. configs
authtoken_section() {  # $1 service user
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://$IP:5000
auth_url = http://$IP:5000
auth_type = password
project_domain_id = default
user_domain_id = default
project_name = service
username = $1
password = $1-secret
region_name = RegionOne
EOF
}

# credentials of a service user for a client section of a config ([placement], [neutron], ...)
service_auth_section() {  # $1 section $2 service user
  cat <<EOF
[$1]
auth_type = password
auth_url = http://$IP:5000/v3
project_domain_id = default
user_domain_id = default
project_name = service
username = $2
password = $2-secret
region_name = RegionOne
EOF
}

# uwsgi ini. Plain --http-socket closes every connection; "Connection: close" tells clients so
# (keystoneauth/requests otherwise reuse a closed socket and get ECONNRESET). Threads stay at 1
# for the sqlite services ("SQLite objects created in a thread can only be used in that thread").
uwsgi_sqlite_ini() {  # $1 name $2 port $3 wsgi-file $4 processes; extra lines on stdin
  cat <<EOF
[uwsgi]
plugins = python3
http-socket = $IP:$2
wsgi-file = $3
master = true
processes = $4
threads = 1
lazy-apps = true
die-on-term = true
need-app = true
buffer-size = 65535
add-header = Connection: close
procname-prefix-spaced = vdcps-lab-$1
# without it every worker segfaults in greenlet's teardown (Py_Finalize) when stopped
skip-atexit-teardown = true
EOF
  cat
}
# Gnocchi and CloudKitty keep connections open (--http11-socket): CloudKitty's collector reuses
# pooled connections and keystoneauth sleeps 0.5 s before each retry on a closed one.
# Each open connection holds one uwsgi thread until it has been idle for socket-timeout (4 s),
# so a client with more connections than threads waits up to 4 s: threads are generous.
uwsgi_keepalive_ini() {  # $1 name $2 port $3 threads; extra lines on stdin
  cat <<EOF
[uwsgi]
plugins = python3
http11-socket = $IP:$2
master = true
processes = 1
threads = $3
enable-threads = true
thunder-lock = true
lazy-apps = true
die-on-term = true
need-app = true
chdir = /
procname-prefix-spaced = vdcps-lab-$1
# without it every worker segfaults in greenlet's teardown (Py_Finalize) when stopped
skip-atexit-teardown = true
EOF
  cat
}

write_configs() {
  local t0; t0=$(now_us)
  mkdir -p "$ETC"/{keystone,nova,placement,glance,rabbitmq,cinder,neutron/plugins/ml2,gnocchi,cloudkitty,uwsgi} \
           "$DATA"/{lock,nova-state/instances,cinder-state,neutron-state,glance/{images,staging,tasks}} \
           "$LAB"/{gnocchi-data,influxdb,cloudkitty-locks,bin,lib,rabbitmq/mnesia}

  # --- Keystone
  put "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
debug = false
[database]
connection = sqlite:///$DATA/keystone.sqlite
# lab data: no fsync per commit (oslo.db sets PRAGMA synchronous=OFF)
sqlite_synchronous = false
[identity]
# lab only: cheap bcrypt so password authentication does not eat the CPU
password_hash_rounds = 4
[token]
provider = fernet
[fernet_tokens]
key_repository = $ETC/keystone/fernet-keys
[fernet_receipts]
# the default (/etc/keystone/fernet-keys) would be written by fernet_setup too
key_repository = $ETC/keystone/fernet-receipts
[credential]
key_repository = $ETC/keystone/credential-keys
[cache]
# one process only, so a per-process cache cannot serve stale entities
enabled = true
backend = dogpile.cache.memory
EOF

  # --- Nova
  put "$ETC/nova/api-paste.ini" <"$ROOTFS/usr/share/nova-common/api-paste.ini"
  put "$ETC/nova/nova.conf" <<EOF
[DEFAULT]
debug = false
transport_url = $TRANSPORT_URL
state_path = $DATA/nova-state
instances_path = $DATA/nova-state/instances
host = vdcps-lab
my_ip = $IP
enabled_apis = osapi_compute
# one compute node: resize goes to the same host
allow_resize_to_same_host = true
# shelve offloads at once (the server leaves the host and stops accruing usage)
shelved_offload_time = 0
[api]
auth_strategy = keystone
[conductor]
workers = 1
[scheduler]
workers = 1
# lab.sh maps the compute host itself (nova-manage cell_v2 discover_hosts)
discover_hosts_in_cells_interval = -1
[oslo_messaging_notifications]
# no consumer (no Ceilometer): see NOTES.md
driver = noop
[vnc]
enabled = false
[glance]
region_name = RegionOne
[cinder]
os_region_name = RegionOne
$(service_auth_section placement nova)
$(service_auth_section neutron nova)
[api_database]
connection = sqlite:///$DATA/nova_api.sqlite
sqlite_synchronous = false
[database]
connection = sqlite:///$DATA/nova.sqlite
sqlite_synchronous = false
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[oslo_concurrency]
lock_path = $DATA/lock
[oslo_policy]
policy_file = $ETC/nova/policy.yaml
$(authtoken_section nova)
EOF

  # The compute service: its own host name, the lab's fake virt driver (nova's FakeDriver whose
  # guests survive a restart of nova-compute, see tests/lab/lab_fake_virt.py).
  put "$LAB/lib/lab_fake_virt.py" <"$HERE/lab_fake_virt.py"
  # SQLite's "database is locked" retried like a MySQL deadlock (see tests/lab/lab_sqlite_retry.py)
  put "$LAB/lib/lab_sqlite_retry.py" <"$HERE/lab_sqlite_retry.py"
  put "$ETC/nova/nova-compute.conf" <<EOF
[DEFAULT]
host = $COMPUTE_HOST
compute_driver = lab_fake_virt.LabFakeDriver
# nothing to heal: servers boot without ports (see NOTES.md)
heal_instance_info_cache_interval = -1
EOF
  # python3-nova ships no entry scripts for these three daemons
  local d
  for d in conductor scheduler compute; do
    {
      echo "#!$PY"
      echo "# nova-$d for the VdcPS lab (python3-nova has the code but no script)"
      echo "import sys"
      echo "sys.path.insert(0, '$LAB/lib')"
      echo "import lab_sqlite_retry  # noqa: F401 (SQLite lock retried as a deadlock)"
      echo "from nova.cmd.$d import main"
      # nova loads compute_driver from the nova.virt package only
      [ $d != compute ] || echo "import nova.virt; nova.virt.__path__.append('$LAB/lib')"
      echo "sys.exit(main())"
    } | put "$LAB/bin/nova-$d"
    chmod 755 "$LAB/bin/nova-$d"
  done
  put "$LAB/bin/glance-api" <<EOF
#!$PY
import sys
from glance.cmd.api import main
sys.exit(main())
EOF
  chmod 755 "$LAB/bin/glance-api"

  # --- Placement
  put "$ETC/placement/placement.conf" <<EOF
[DEFAULT]
debug = false
[api]
auth_strategy = keystone
[placement_database]
connection = sqlite:///$DATA/placement.sqlite
sqlite_synchronous = false
[oslo_policy]
policy_file = $ETC/placement/policy.yaml
$(authtoken_section placement)
EOF

  # --- Glance (eventlet glance-api, one worker, file store)
  put "$ETC/glance/glance-api-paste.ini" <"$ROOTFS/usr/share/glance-common/glance-api-paste.ini"
  put "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
debug = false
bind_host = $IP
bind_port = 9292
workers = 1
enabled_backends = file:file
[database]
connection = sqlite:///$DATA/glance.sqlite
sqlite_synchronous = false
[glance_store]
default_backend = file
[file]
filesystem_store_datadir = $DATA/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $DATA/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $DATA/glance/tasks
[paste_deploy]
flavor = keystone
config_file = $ETC/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $DATA/lock
[oslo_policy]
policy_file = $ETC/glance/policy.yaml
$(authtoken_section glance)
EOF

  # --- RabbitMQ: own node, data and logs under the lab; epmd is started by lab.sh
  put "$ETC/rabbitmq/rabbitmq.conf" <<EOF
listeners.tcp.1 = $IP:$RABBIT_PORT
default_user = vdcps
default_pass = $RABBIT_PASSWORD
log.console = true
log.console.level = warning
log.file = false
EOF
  put "$ETC/rabbitmq/enabled_plugins" <<<'[].'
  put "$ETC/rabbitmq/rabbitmq-env.conf" <<EOF
# sourced by rabbitmq-server (RABBITMQ_CONF_ENV_FILE)
export HOME=$LAB/rabbitmq
RABBITMQ_NODENAME=vdcps-lab@localhost
RABBITMQ_CONFIG_FILE=$ETC/rabbitmq/rabbitmq.conf
RABBITMQ_ENABLED_PLUGINS_FILE=$ETC/rabbitmq/enabled_plugins
RABBITMQ_MNESIA_BASE=$LAB/rabbitmq/mnesia
RABBITMQ_LOG_BASE=$LOGS
RABBITMQ_PID_FILE=$LAB/rabbitmq/rabbitmq.pid
# distribution port on loopback; one scheduler without busy-waiting (2 shared cores)
RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none"
EOF

  # --- Cinder
  put "$ETC/cinder/api-paste.ini" <"$ROOTFS/usr/share/cinder-common/api-paste.ini"
  put "$ETC/cinder/cinder.conf" <<EOF
[DEFAULT]
debug = false
auth_strategy = keystone
transport_url = fake://
host = vdcps-lab
state_path = $DATA/cinder-state
api_paste_config = $ETC/cinder/api-paste.ini
[database]
connection = sqlite:///$DATA/cinder.sqlite
sqlite_synchronous = false
[coordination]
backend_url = file://$DATA/cinder-state/coordination
[oslo_concurrency]
lock_path = $DATA/lock
[oslo_policy]
policy_file = $ETC/cinder/policy.yaml
$(authtoken_section cinder)
EOF

  # --- Neutron
  put "$ETC/neutron/api-paste.ini" <"$ROOTFS/usr/share/neutron-common/api-paste.ini"
  put "$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
debug = false
host = vdcps-lab
core_plugin = ml2
# "router" adds the router and floatingip quota resources
service_plugins = router
auth_strategy = keystone
transport_url = fake://
state_path = $DATA/neutron-state
api_paste_config = $ETC/neutron/api-paste.ini
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
[database]
connection = sqlite:///$DATA/neutron.sqlite
sqlite_synchronous = false
[oslo_concurrency]
lock_path = $DATA/lock
[oslo_policy]
policy_file = $ETC/neutron/policy.yaml
[agent]
root_helper =
$(authtoken_section neutron)
EOF
  put "$ETC/neutron/plugins/ml2/ml2_conf.ini" <<EOF
[ml2]
type_drivers = local,flat
tenant_network_types = local
mechanism_drivers =
extension_drivers =
[ml2_type_flat]
flat_networks = *
EOF

  # --- Gnocchi
  put "$ETC/gnocchi/gnocchi.conf" <<EOF
[DEFAULT]
debug = false
[api]
auth_mode = keystone
paste_config = $ETC/gnocchi/api-paste.ini
[indexer]
url = postgresql://vdcps:$PG_PASSWORD@$IP:$PG_PORT/gnocchi
[storage]
driver = file
file_basepath = $LAB/gnocchi-data
[incoming]
driver = file
file_basepath = $LAB/gnocchi-data
[metricd]
workers = 1
metric_processing_delay = 2
# -1: no reporting process (it only logs the backlog; /v1/status works without it)
metric_reporting_delay = -1
metric_cleanup_delay = 60
$(authtoken_section gnocchi)
EOF
  # Gnocchi's own api-paste.ini, except that keystonemiddleware is pointed at our gnocchi.conf:
  # with only "oslo_config_project = gnocchi" it reads /etc/gnocchi/gnocchi.conf.
  sed -e "s|^oslo_config_project = gnocchi$|&\noslo_config_file = $ETC/gnocchi/gnocchi.conf|" \
      -e "s|/etc/gnocchi/healthcheck_disable|$ETC/gnocchi/healthcheck_disable|" \
      /usr/lib/python3/dist-packages/gnocchi/rest/api-paste.ini | put "$ETC/gnocchi/api-paste.ini"

  # --- InfluxDB (CloudKitty v2 storage)
  put "$ETC/influxdb.conf" <<EOF
reporting-enabled = false
bind-address = "$IP:8088"
[meta]
  dir = "$LAB/influxdb/meta"
[data]
  dir = "$LAB/influxdb/data"
  wal-dir = "$LAB/influxdb/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "$IP:8086"
  auth-enabled = false
  log-enabled = false
[continuous_queries]
  enabled = false
EOF

  # --- CloudKitty
  sed -e "s|/etc/cloudkitty/healthcheck_disable|$ETC/cloudkitty/healthcheck_disable|" \
      "$ROOTFS/usr/share/cloudkitty-common/api_paste.ini" | put "$ETC/cloudkitty/api_paste.ini"
  put "$ETC/cloudkitty/cloudkitty.conf" <<EOF
[DEFAULT]
debug = false
auth_strategy = keystone
# No message bus: API -> processor casts (PUT /v2/scope) are dropped; see NOTES.md.
transport_url = fake://
api_paste_config = $ETC/cloudkitty/api_paste.ini
host = vdcps-lab
[api]
host_ip = $IP
port = 8889
[database]
connection = postgresql://vdcps:$PG_PASSWORD@$IP:$PG_PORT/cloudkitty
[storage]
version = 2
backend = influxdb
[storage_influxdb]
host = $IP
port = 8086
database = cloudkitty
use_ssl = false
[collect]
collector = gnocchi
period = 3600
wait_periods = 2
metrics_conf = $ETC/cloudkitty/metrics.yml
scope_key = project_id
[collector_gnocchi]
gnocchi_auth_type = keystone
auth_section = ks_authenticate
interface = internal
region_name = RegionOne
[fetcher]
# rates the projects on which the cloudkitty user has the "rating" role
backend = keystone
[fetcher_keystone]
keystone_version = 3
auth_section = ks_authenticate
[ks_authenticate]
auth_type = password
auth_url = http://$IP:5000/v3
username = cloudkitty
password = cloudkitty-secret
project_name = service
user_domain_id = default
project_domain_id = default
[orchestrator]
coordination_url = file://$LAB/cloudkitty-locks
max_workers = 1
max_workers_reprocessing = 0
max_threads = 4
[oslo_concurrency]
lock_path = $LAB/cloudkitty-locks
$(authtoken_section cloudkitty)
EOF
  put "$ETC/cloudkitty/metrics.yml" <<'EOF'
metrics:
  # instance-hours: cumulative cpu time mutated to 1/0, i.e. 1 per hour with data
  cpu:
    unit: instance
    alt_name: instance
    groupby: [id, user_id, project_id]
    metadata: [flavor_name, flavor_id]
    mutate: NUMBOOL
    extra_args:
      aggregation_method: mean
      resource_type: instance
  vcpus:
    unit: vcpu
    groupby: [id, user_id, project_id]
    extra_args:
      aggregation_method: mean
      resource_type: instance
  memory:
    unit: GiB
    factor: 1/1024
    groupby: [id, user_id, project_id]
    extra_args:
      aggregation_method: mean
      resource_type: instance
  volume.size:
    unit: GiB
    groupby: [id, user_id, project_id]
    metadata: [volume_type]
    extra_args:
      aggregation_method: mean
      resource_type: volume
EOF

  # --- uwsgi
  uwsgi_sqlite_ini keystone 5000 /usr/bin/keystone-wsgi-public 1 <<EOF | put "$ETC/uwsgi/keystone.ini"
env = OS_KEYSTONE_CONFIG_DIR=$ETC/keystone
EOF
  uwsgi_sqlite_ini nova-api 8774 "$XBIN/nova-api-wsgi" "$WORKERS" <<EOF | put "$ETC/uwsgi/nova-api.ini"
env = OS_NOVA_CONFIG_DIR=$ETC/nova
pythonpath = $LAB/lib
import = lab_sqlite_retry
EOF
  uwsgi_sqlite_ini placement-api 8778 /usr/bin/placement-api 1 <<EOF | put "$ETC/uwsgi/placement-api.ini"
env = OS_PLACEMENT_CONFIG_DIR=$ETC/placement
pythonpath = $LAB/lib
import = lab_sqlite_retry
EOF
  uwsgi_sqlite_ini cinder-api 8776 "$XBIN/cinder-wsgi" "$WORKERS" <<EOF | put "$ETC/uwsgi/cinder-api.ini"
pyargv = --config-file $ETC/cinder/cinder.conf
EOF
  uwsgi_sqlite_ini neutron-api 9696 "$XBIN/neutron-api" "$WORKERS" <<EOF | put "$ETC/uwsgi/neutron-api.ini"
pyargv = --config-file $ETC/neutron/neutron.conf --config-file $ETC/neutron/plugins/ml2/ml2_conf.ini
EOF
  uwsgi_keepalive_ini gnocchi-api 8041 16 <<EOF | put "$ETC/uwsgi/gnocchi-api.ini"
module = gnocchi.rest.wsgi
pyargv = --config-file $ETC/gnocchi/gnocchi.conf
EOF
  uwsgi_keepalive_ini cloudkitty-api 8889 8 <<EOF | put "$ETC/uwsgi/cloudkitty-api.ini"
wsgi-file = /usr/lib/python3/dist-packages/cloudkitty/api/app.wsgi
pyargv = --config-file $ETC/cloudkitty/cloudkitty.conf
EOF

  write_client_files
  log "phase configs: $(secs "$t0")"
}

# clouds.yaml (no passwords) + secure.yaml (passwords only), as openstacksdk merges them.
# openstacksdk looks for secure.yaml in the current directory, ~/.config/openstack and
# /etc/openstack or at OS_CLIENT_SECURE_FILE, NOT next to OS_CLIENT_CONFIG_FILE (see NOTES.md),
# so clouds.yaml keeps the password as well and `env` also exports OS_CLIENT_SECURE_FILE.
write_client_files() {
  local cloud
  {
    echo "# VdcPS lab clouds (written by tests/lab/lab.sh). Passwords also in secure.yaml."
    echo "clouds:"
    for cloud in vdcps-lab vdcps-lab-system; do
      echo "  $cloud:"
      echo "    auth:"
      echo "      auth_url: http://$IP:5000/v3"
      echo "      username: admin"
      echo "      password: $ADMIN_PASSWORD"
      echo "      user_domain_id: default"
      if [ $cloud = vdcps-lab ]; then
        echo "      project_name: admin"
        echo "      project_domain_id: default"
      else
        echo "      system_scope: all"
      fi
      echo "    region_name: RegionOne"
      echo "    interface: public"
      echo "    identity_api_version: 3"
    done
  } >"$LAB/clouds.yaml"
  {
    echo "# Secrets for clouds.yaml (openstacksdk merges this file into it)."
    echo "clouds:"
    for cloud in vdcps-lab vdcps-lab-system; do
      printf '  %s:\n    auth:\n      password: %s\n' $cloud "$ADMIN_PASSWORD"
    done
  } >"$LAB/secure.yaml"
  chmod 600 "$LAB/secure.yaml"
  # For the stdlib-only helper scripts (verify.sh, seed-usage.py, lab-setup.py).
  cat >"$LAB/lab.json" <<EOF
{
  "auth_url": "http://$IP:5000/v3",
  "username": "admin",
  "password": "$ADMIN_PASSWORD",
  "project_name": "admin",
  "domain_id": "default",
  "region": "RegionOne",
  "endpoints": {
    "identity": "http://$IP:5000/v3",
    "compute": "http://$IP:8774/v2.1",
    "placement": "http://$IP:8778",
    "image": "http://$IP:9292",
    "volumev3": "http://$IP:8776/v3",
    "network": "http://$IP:9696",
    "metric": "http://$IP:8041",
    "rating": "http://$IP:8889"
  },
  "nova_cell1_db": "$DATA/nova.sqlite"
}
EOF
}

# ------------------------------------------------------------------------------ 3. databases
# Each initialiser runs in the background; a database counts as ready when its marker exists.
# keystone-manage and nova-manage print an "Exception ignored ... eventlet" traceback at exit
# (harmless, exit code 0): their output goes to logs/init-*.log only.
wal() { local f; for f in "$@"; do sqlite3 "$f" 'PRAGMA journal_mode=WAL;' >/dev/null; done; }

init_keystone() {
  rm -rf "$DATA"/keystone.sqlite* "$ETC"/keystone/{fernet-keys,fernet-receipts,credential-keys}
  local km=(keystone-manage --config-file "$ETC/keystone/keystone.conf")
  "${km[@]}" fernet_setup --keystone-user root --keystone-group root
  "${km[@]}" credential_setup --keystone-user root --keystone-group root
  "${km[@]}" db_sync
  wal "$DATA/keystone.sqlite"    # without WAL, a lingering read lock makes writes fail ("database is locked")
  "${km[@]}" bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "http://$IP:5000/v3/" --bootstrap-internal-url "http://$IP:5000/v3/" \
    --bootstrap-public-url "http://$IP:5000/v3/"
}
init_nova() {
  rm -f "$DATA"/nova_api.sqlite* "$DATA"/nova.sqlite* "$DATA"/nova_cell0.sqlite*
  local nm=("$XBIN/nova-manage" --config-file "$ETC/nova/nova.conf")
  "${nm[@]}" api_db sync
  "${nm[@]}" cell_v2 map_cell0 --database_connection "sqlite:///$DATA/nova_cell0.sqlite"
  "${nm[@]}" db sync
  "${nm[@]}" cell_v2 create_cell --name cell1 --transport-url "$TRANSPORT_URL"
  wal "$DATA/nova_api.sqlite" "$DATA/nova.sqlite" "$DATA/nova_cell0.sqlite"
}
# Casts to cell1's services use the cell mapping's transport URL, not nova.conf's: a lab made
# before the message bus existed still has fake:// there.
ensure_cell1_transport() {
  local uuid url
  IFS='|' read -r uuid url < <(sqlite3 "$DATA/nova_api.sqlite" \
    "SELECT uuid, transport_url FROM cell_mappings WHERE name = 'cell1'") || true
  [ -n "$uuid" ] || die "cell1 is not mapped in $DATA/nova_api.sqlite"
  [ "$url" = "$TRANSPORT_URL" ] && return 0
  "$XBIN/nova-manage" --config-file "$ETC/nova/nova.conf" cell_v2 update_cell --cell_uuid "$uuid" \
    --transport-url "$TRANSPORT_URL" >>"$LOGS/init-nova.log" 2>&1 ||
    { tail -n 20 "$LOGS/init-nova.log" >&2; die "nova-manage cell_v2 update_cell failed"; }
  log "cell1 now uses the message bus (was: ${url%%:*}://)"
}
init_placement() {
  rm -f "$DATA"/placement.sqlite*
  placement-manage --config-file "$ETC/placement/placement.conf" db sync
  wal "$DATA/placement.sqlite"
}
init_glance() {
  rm -f "$DATA"/glance.sqlite*
  "$XBIN/glance-manage" --config-file "$ETC/glance/glance-api.conf" db_sync
  wal "$DATA/glance.sqlite"
}
init_cinder() {
  rm -f "$DATA"/cinder.sqlite*
  "$XBIN/cinder-manage" --config-file "$ETC/cinder/cinder.conf" db sync
  wal "$DATA/cinder.sqlite"
}
init_neutron() {
  rm -f "$DATA"/neutron.sqlite*
  # Neutron's migrations cannot ALTER constraints on sqlite: build the schema from the models
  # and stamp the alembic heads instead.
  "$PY" - "$DATA/neutron.sqlite" <<'EOF'
import sys
import sqlalchemy as sa
from neutron.db.migration.models import head
head.get_metadata().create_all(sa.create_engine('sqlite:///' + sys.argv[1]))
EOF
  "$XBIN/neutron-db-manage" --config-file "$ETC/neutron/neutron.conf" \
    --config-file "$ETC/neutron/plugins/ml2/ml2_conf.ini" stamp heads
  wal "$DATA/neutron.sqlite"
}

start_postgres() {
  if [ ! -f "$LAB/pg/PG_VERSION" ]; then
    rm -rf "$LAB/pg"
    install -d -o postgres -g postgres -m 700 "$LAB/pg"
    runuser -u postgres -- "$PGBIN/initdb" -D "$LAB/pg" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 ||
      { cat "$LOGS/initdb.log"; return 1; }
  fi
  touch "$LOGS/postgres.log"; chown postgres "$LOGS/postgres.log"
  if ! alive postgres; then
    rm -f "$PIDS/postgres.pid"
    # pg_ctl starts the postmaster in its own session; its PID is in postmaster.pid.
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$LAB/pg" -l "$LOGS/postgres.log" -w -t 60 \
      -o "-c listen_addresses=$IP -p $PG_PORT -k $LAB/pg -c shared_buffers=32MB -c max_connections=60" \
      start >/dev/null 9>&- || { tail_log postgres; return 1; }
    head -1 "$LAB/pg/postmaster.pid" >"$PIDS/postgres.pid"
  fi
  if [ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname = 'vdcps'")" != 1 ]; then
    psql_pg -c "CREATE ROLE vdcps LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  local db
  for db in gnocchi cloudkitty; do
    [ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ] ||
      psql_pg -c "CREATE DATABASE $db OWNER vdcps"
  done
}
start_influxdb() {
  spawn influxdb "$XBIN/influxd" -config "$ETC/influxdb.conf"
  wait_http influxdb "http://$IP:8086/ping" 60
  curl -sf -XPOST "http://$IP:8086/query" --data-urlencode "q=CREATE DATABASE cloudkitty" >/dev/null
}
# PostgreSQL + InfluxDB must run for the metering schemas, so they start here.
init_metering() {
  start_postgres
  start_influxdb
  if [ ! -f "$DATA/.metering.done" ]; then
    gnocchi-upgrade --config-file "$ETC/gnocchi/gnocchi.conf"
    cloudkitty-dbsync --config-file "$ETC/cloudkitty/cloudkitty.conf" upgrade
    cloudkitty-storage-init --config-file "$ETC/cloudkitty/cloudkitty.conf"
  fi
}

init_databases() {
  local t0; t0=$(now_us)
  declare -A files=([keystone]=keystone.sqlite [nova]=nova.sqlite [cinder]=cinder.sqlite
                    [neutron]=neutron.sqlite [placement]=placement.sqlite [glance]=glance.sqlite)
  declare -A job=()
  local s
  for s in keystone nova placement glance cinder neutron metering; do
    if [ $s != metering ]; then
      if [ -f "$DATA/.$s.done" ] && [ -f "$DATA/${files[$s]}" ]; then continue; fi
      rm -f "$DATA/.$s.done"
    fi
    ( set -e; t=$(now_us); "init_$s"; touch "$DATA/.$s.done"; echo "init $s: $(secs "$t")" ) \
      >"$LOGS/init-$s.log" 2>&1 &
    job[$s]=$!
  done
  local failed=0
  for s in "${!job[@]}"; do
    if wait "${job[$s]}"; then
      log "$(tail -1 "$LOGS/init-$s.log")"
    else
      log "initialising $s FAILED; last lines of logs/init-$s.log:"; tail -n 30 "$LOGS/init-$s.log" >&2
      failed=1
    fi
  done
  [ $failed = 0 ] || die "database initialisation failed"
  ensure_cell1_transport
  log "phase databases (+ postgres, influxdb): $(secs "$t0")"
}

# ------------------------------------------------------------------------------ 4. services
# epmd and RabbitMQ. Started before the databases are initialised: RabbitMQ needs ~12 s to listen.
start_bus() {
  if ! alive epmd; then
    # run in the foreground under our own PID (rabbitmq-server would start a detached one)
    spawn epmd /usr/bin/epmd -address "$IP" -port "${PORT[epmd]}"
    wait_port epmd "${PORT[epmd]}" 20
  fi
  alive rabbitmq || RABBIT_T0=$(now_us)
  spawn rabbitmq env RABBITMQ_CONF_ENV_FILE="$ETC/rabbitmq/rabbitmq-env.conf" \
    ERL_EPMD_ADDRESS="$IP" ERL_EPMD_PORT="${PORT[epmd]}" /usr/lib/rabbitmq/bin/rabbitmq-server
}

# nova-compute creates its compute node record at start; then the host is mapped into cell1.
# $1: when nova-compute was spawned by this run (UTC, "YYYY-MM-DD HH:MM:SS"), or empty: then its
# service record must have reported since, or the scheduler still takes the host for down (a
# warm start finds the old compute node record at once).
discover_compute() {
  local t0 n since=${1:-}; t0=$(now_us)
  local deadline=$(( $(now_us) + 180 * 1000000 ))
  while :; do
    n=$(sqlite3 "$DATA/nova.sqlite" \
      "SELECT COUNT(*) FROM compute_nodes WHERE host = '$COMPUTE_HOST' AND deleted = 0" 2>/dev/null || echo 0)
    if [ "$n" -gt 0 ] && [ -n "$since" ]; then
      n=$(sqlite3 "$DATA/nova.sqlite" "SELECT COUNT(*) FROM services WHERE host = '$COMPUTE_HOST'
            AND \"binary\" = 'nova-compute' AND deleted = 0 AND updated_at >= '$since'" 2>/dev/null || echo 0)
    fi
    [ "$n" -gt 0 ] && break
    alive nova-compute || { tail_log nova-compute; die "nova-compute died while starting"; }
    [ "$(now_us)" -lt "$deadline" ] || { tail_log nova-compute; die "nova-compute did not register or report within 180 s"; }
    sleep 0.5
  done
  n=$(sqlite3 "$DATA/nova_api.sqlite" "SELECT COUNT(*) FROM host_mappings WHERE host = '$COMPUTE_HOST'")
  if [ "$n" = 0 ]; then
    "$XBIN/nova-manage" --config-file "$ETC/nova/nova.conf" cell_v2 discover_hosts \
      >>"$LOGS/init-nova.log" 2>&1 || { tail -n 20 "$LOGS/init-nova.log" >&2; die "discover_hosts failed"; }
  fi
  log "compute host $COMPUTE_HOST up and mapped: $(secs "$t0")"
}

servers_setup() {  # flavors and the image (lab-servers.py)
  local t1; t1=$(now_us)
  "$PY" "$HERE/lab-servers.py" --lab "$LAB" >>"$LOGS/lab-setup.log" 2>&1 ||
    { tail -n 30 "$LOGS/lab-setup.log" >&2; die "flavor/image setup failed"; }
  log "flavors and image: $(secs "$t1")"
}

start_services() {
  local t0; t0=$(now_us)
  local s
  for s in keystone placement-api nova-api cinder-api neutron-api gnocchi-api cloudkitty-api; do
    spawn "$s" uwsgi --ini "$ETC/uwsgi/$s.ini"
  done
  spawn glance-api "$LAB/bin/glance-api" --config-file "$ETC/glance/glance-api.conf"
  spawn gnocchi-metricd gnocchi-metricd --config-file "$ETC/gnocchi/gnocchi.conf"
  wait_http keystone "http://$IP:5000/v3" 120
  log "keystone answers after $(secs "$t0")"

  local t1; t1=$(now_us)
  "$PY" "$HERE/lab-setup.py" --lab "$LAB" keystone >>"$LOGS/lab-setup.log" 2>&1 ||
    { tail -n 30 "$LOGS/lab-setup.log" >&2; die "keystone setup failed"; }
  log "keystone setup (roles, service users, catalog): $(secs "$t1")"
  # The processor authenticates as the cloudkitty user, so it starts after the setup.
  spawn cloudkitty-processor cloudkitty-processor --config-file "$ETC/cloudkitty/cloudkitty.conf"

  wait_http gnocchi-api "http://$IP:8041/" 120
  t1=$(now_us)
  "$PY" "$HERE/lab-setup.py" --lab "$LAB" gnocchi >>"$LOGS/lab-setup.log" 2>&1 ||
    { tail -n 30 "$LOGS/lab-setup.log" >&2; die "gnocchi setup failed"; }
  log "gnocchi setup (archive policy, resource types): $(secs "$t1")"

  wait_port rabbitmq "$RABBIT_PORT" 180
  [ -z "$RABBIT_T0" ] || log "rabbitmq listens $(secs "$RABBIT_T0") after its start"
  spawn nova-conductor "$LAB/bin/nova-conductor" --config-file "$ETC/nova/nova.conf"
  spawn nova-scheduler "$LAB/bin/nova-scheduler" --config-file "$ETC/nova/nova.conf"
  local compute_since=""
  alive nova-compute || compute_since=$(date -u '+%F %T')
  spawn nova-compute "$LAB/bin/nova-compute" \
    --config-file "$ETC/nova/nova.conf" --config-file "$ETC/nova/nova-compute.conf"
  for s in placement-api nova-api glance-api cinder-api neutron-api cloudkitty-api; do
    wait_http "$s" "http://$IP:${PORT[$s]}/" 120
  done
  servers_setup
  discover_compute "$compute_since"
  for s in gnocchi-metricd cloudkitty-processor nova-conductor nova-scheduler nova-compute; do
    alive "$s" || { tail_log "$s"; die "$s is not running"; }
  done
  log "phase services: $(secs "$t0")"
}

# ------------------------------------------------------------------------------ stop / status
# uwsgi masters and the postmaster stop at once on SIGINT (SIGTERM to a uwsgi group waited
# >15 s on workers holding keep-alive connections); the others get SIGTERM on their group.
stop_one() {  # $1 name
  local name=$1 pid p
  pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  # a stale PID file (e.g. after a reboot) is only removed: that PID is not ours
  alive "$name" || { rm -f "$PIDS/$name.pid"; return 0; }
  case $name in
    glance-api) kill -TERM -- "-$pid" 2>/dev/null || true ;;
    postgres|keystone|*-api) kill -INT "$pid" 2>/dev/null || true ;;
    *) kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true ;;
  esac
  local i
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop within 15 s: SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  # whatever is left of its process group and descendants (a worker that outlived its master)
  if [ -n "$(members "$pid")" ]; then
    sleep 0.5
    for p in $(members "$pid"); do kill -KILL "$p" 2>/dev/null || true; done
  fi
  rm -f "$PIDS/$name.pid"
}

# A service's processes: the recorded PID, its process group and all their descendants
# (PostgreSQL's backends call setsid, so they are only found as descendants).
members() {  # $1 pid -> PIDs, one per line
  ps -eo pid=,ppid=,pgid= | awk -v root="$1" '
    { pid[NR] = $1; ppid[NR] = $2; pgid[NR] = $3; seen[$1] = 1 }
    END {
      for (i = 1; i <= NR; i++) if (pid[i] == root || pgid[i] == root) keep[pid[i]] = 1
      do { changed = 0
        for (i = 1; i <= NR; i++) if (!(pid[i] in keep) && (ppid[i] in keep)) { keep[pid[i]] = 1; changed = 1 }
      } while (changed)
      for (p in keep) print p
    }'
}

# PIDs holding one of the lab's ports
port_holders() {
  local ports
  ports=$(IFS='|'; echo "${PORT[*]}|8088|$((RABBIT_PORT + 20000))")
  ss -Hltnp 2>/dev/null | awk -v re=":($ports)\$" '$4 ~ re' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -un
}

cmd_stop() {
  local t0; t0=$(now_us)
  [ -d "$PIDS" ] || { log "nothing to stop"; return 0; }
  local s pid before=""
  for s in "${SERVICES[@]}"; do
    pid=$(pid_of "$s")
    alive "$s" && before+=" $(members "$pid" | tr '\n' ' ')"
  done
  # API services and daemons first (in parallel), then the stores they use.
  for s in cloudkitty-processor cloudkitty-api gnocchi-metricd gnocchi-api neutron-api cinder-api \
           glance-api nova-compute nova-scheduler nova-conductor nova-api placement-api keystone; do
    stop_one "$s" &
  done
  wait
  stop_one influxdb & stop_one postgres & stop_one rabbitmq & wait
  stop_one epmd
  local left="" p
  for p in $before $(port_holders); do kill -0 "$p" 2>/dev/null && left+=" $p"; done
  if [ -n "$left" ]; then
    log "WARNING: lab processes still alive after stop:$left"
    ps -o pid,pgid,args -p "$(echo $left | tr ' ' ,)" >&2 || true
    return 1
  fi
  log "stopped in $(secs "$t0"); no lab process left"
}

cmd_status() {
  local s pid running=0 total=0 rss_total=0 pss_total=0
  printf '%-22s %-8s %-6s %9s %9s  %s\n' service pid procs 'RSS MiB' 'PSS MiB' port
  for s in "${SERVICES[@]}"; do
    total=$((total + 1))
    pid=$(pid_of "$s")
    if alive "$s"; then
      running=$((running + 1))
      local pids rss pss=0 p
      pids=$(members "$pid" | paste -sd,)
      rss=$(ps -o rss= -p "$pids" | awk '{s+=$1} END {print s+0}')
      for p in ${pids//,/ }; do
        pss=$(( pss + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) ))
      done
      rss_total=$((rss_total + rss)); pss_total=$((pss_total + pss))
      printf '%-22s %-8s %-6s %9d %9d  %s\n' "$s" "$pid" "$(tr , '\n' <<<"$pids" | wc -l)" $((rss / 1024)) $((pss / 1024)) "${PORT[$s]:-}"
    else
      printf '%-22s %-8s\n' "$s" "down"
    fi
  done
  printf '%-22s %-8s %-6s %9d %9d\n' total "" "" $((rss_total / 1024)) $((pss_total / 1024))
  echo "lab dir: $LAB"
  if [ $running = "$total" ]; then echo "lab: running"; return 0; fi
  if [ $running = 0 ]; then echo "lab: stopped"; return 3; fi
  echo "lab: partly running ($running of $total)"; return 1
}

cmd_env() {
  echo "export OS_CLIENT_CONFIG_FILE=$LAB/clouds.yaml OS_CLIENT_SECURE_FILE=$LAB/secure.yaml OS_CLOUD=vdcps-lab"
}

cmd_start() {
  local t0; t0=$(now_us)
  set_confs
  [ "$(id -u)" = 0 ] || die "run as root (apt-get, and PostgreSQL runs as user postgres)"
  mkdir -p "$LAB" "$LOGS" "$PIDS" "$DATA"
  # PostgreSQL (user postgres) must reach $LAB/pg
  if ! runuser -u postgres -- test -x "$LAB" 2>/dev/null && id postgres >/dev/null 2>&1; then
    die "user postgres cannot enter $LAB; set VDCPS_LAB_DIR to a world-traversable path"
  fi
  ensure_packages
  write_configs
  # a service whose configuration changed (e.g. nova-api when the message bus came) restarts
  restart_stale
  local all=1 s
  for s in "${SERVICES[@]}"; do alive "$s" || all=0; done
  if [ $all = 1 ]; then
    # Already running: only check that the APIs answer and the set-up is complete.
    for s in keystone placement-api nova-api glance-api cinder-api neutron-api gnocchi-api cloudkitty-api; do
      wait_http "$s" "http://$IP:${PORT[$s]}/" 30
    done
    "$PY" "$HERE/lab-setup.py" --lab "$LAB" keystone gnocchi >>"$LOGS/lab-setup.log" 2>&1 ||
      { tail -n 30 "$LOGS/lab-setup.log" >&2; die "lab setup failed"; }
    servers_setup
    log "already running; checked in $(secs "$t0")"
  else
    start_bus
    init_databases
    start_services
    log "lab started in $(secs "$t0")"
  fi
  cmd_status >"$LOGS/status.txt" || true
  grep '^total' "$LOGS/status.txt" | awk '{printf "[lab] memory: RSS %s MiB, PSS %s MiB over all lab processes\n", $2, $3}'
  cmd_env
}

cmd_reset() {
  cmd_stop || die "stop failed; not wiping"
  log "wiping $DATA $LAB/pg $LAB/gnocchi-data $LAB/influxdb $LAB/cloudkitty-locks $LAB/rabbitmq $ETC"
  rm -rf "$DATA" "$LAB/pg" "$LAB/gnocchi-data" "$LAB/influxdb" "$LAB/cloudkitty-locks" "$ETC" \
         "$LAB/rabbitmq" "$LAB/bin" "$LAB/lib" "$LAB/clouds.yaml" "$LAB/secure.yaml" "$LAB/lab.json"
  cmd_start
}

cmd_restart_processor() {
  stop_one cloudkitty-processor
  spawn cloudkitty-processor cloudkitty-processor --config-file "$ETC/cloudkitty/cloudkitty.conf"
  log "cloudkitty-processor restarted (pid $(pid_of cloudkitty-processor))"
}

# One start/stop/reset at a time (e.g. build.ps1 and a person at once).
lock() {
  mkdir -p "$LAB"
  exec 9>"$LAB/.lock"
  flock -w 900 9 || die "another lab.sh holds $LAB/.lock"
}

case "${1:-start}" in
  start|stop|reset|restart-processor) lock ;;
esac
case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  env) cmd_env ;;
  restart-processor) cmd_restart_processor ;;
  -h|--help|help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: $0 [start|stop|status|reset|env|restart-processor]" >&2; exit 2 ;;
esac
