# shellcheck shell=bash
# VdcPS lab: part of tests/lab/lab.sh, which sources it (it only defines variables and functions).
# Settings (lab.sh sets HERE, its own folder, and REPO and LAB first) and the helpers every
# phase uses: log/die, spawn/alive/pid_of, wait_http/wait_port, put, set_confs/restart_stale.
# The settings are read by the other parts, which shellcheck does not see from here:
# shellcheck disable=SC2034

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
