# shellcheck shell=bash
# VdcPS lab: part of tests/lab/lab.sh, which sources it (it only defines variables and functions).
# 3. The databases: sqlite schemas, PostgreSQL and InfluxDB, the metering schemas.

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
