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
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$HERE/../.." && pwd)
LAB=${VDCPS_LAB_DIR:-$REPO/.lab}
case $LAB in /*) ;; *) LAB=$PWD/$LAB ;; esac

# The script's parts, sourced in the order of its work; they only define variables and
# functions. HERE stays this file's folder (lab-setup.py, lab-servers.py, lab_*.py are there).
source "$HERE/lib/common.sh"        # settings; helpers: log, spawn, wait_http, put, restart_stale
source "$HERE/lib/packages.sh"      # 1. packages
source "$HERE/lib/configs.sh"       # 2. configs
source "$HERE/lib/databases.sh"     # 3. databases (+ PostgreSQL, InfluxDB)
source "$HERE/lib/services.sh"      # 4. services
source "$HERE/lib/stop-status.sh"   # stop / status

# ------------------------------------------------------------------------------ commands
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
