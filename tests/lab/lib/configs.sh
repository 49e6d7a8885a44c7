# shellcheck shell=bash
# VdcPS lab: part of tests/lab/lab.sh, which sources it (it only defines variables and functions).
# 2. Every file a service reads: <lab>/etc, the wrappers in <lab>/bin, the modules in <lab>/lib,
# clouds.yaml, secure.yaml and lab.json.

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
           "$LAB"/{gnocchi-data,gnocchi-coord,influxdb,cloudkitty-locks,bin,lib,rabbitmq/mnesia}

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
# Without it Gnocchi coordinates through the indexer's PostgreSQL (tooz pgsql), which opens a new
# connection for every sack lock: about ten a second with metricd's 2 s loop, each a forked backend with
# SCRAM authentication, which kept 1.6 of the machine's 2 cores busy while the lab sat idle.
# One metricd on one host needs only file locks.
coordination_url = file://$LAB/gnocchi-coord
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
