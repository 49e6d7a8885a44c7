# shellcheck shell=bash
# VdcPS lab: part of tests/lab/lab.sh, which sources it (it only defines variables and functions).
# stop and status.
# PIDS is a setting from common.sh (not a misspelling of cmd_status's local pids):
# shellcheck disable=SC2153

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
