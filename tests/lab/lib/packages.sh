# shellcheck shell=bash
# VdcPS lab: part of tests/lab/lab.sh, which sources it (it only defines variables and functions).
# 1. The Debian packages: installed with apt-get, or only unpacked into <lab>/pkg.

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
