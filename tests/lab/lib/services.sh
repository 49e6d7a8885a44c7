# shellcheck shell=bash
# VdcPS lab: part of tests/lab/lab.sh, which sources it (it only defines variables and functions).
# 4. The services: epmd and RabbitMQ, the OpenStack services, keystone/gnocchi set-up,
# flavors and image, the compute host.

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
