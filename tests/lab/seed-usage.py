#!/usr/bin/python3
"""Seed compute usage into the VdcPS lab without booting anything, and print expected totals.

Writes instances straight into Nova's cell1 database (instances + instance_extra with the flavor
JSON), so that os-simple-tenant-usage reports exactly known hours. The expected totals are computed
here, independently of Nova, from the lifetimes clipped to the period (end clamped to "now", as
Nova does).

Input (file or "-" for stdin), JSON: a list (or {"instances": [...]}) of
  {"project_id": "...", (or "project_name": "..." with --create-projects)
   "name": "vm-1",
   "flavor": {"name": "m1.small", "vcpus": 1, "memory_mb": 2048, "root_gb": 20, "ephemeral_gb": 0},
   "launched_at": "2026-10-01T00:00:00Z", "terminated_at": null, "uuid": "optional"}
or CSV with the header
  project_id,project_name,name,flavor_name,vcpus,memory_mb,root_gb,ephemeral_gb,launched_at,terminated_at,uuid
(times are UTC; "Z", "+00:00" or no zone).

The JSON object form may also hold what Ceilometer meters from Cinder and Neutron, written to Gnocchi
in the shape Ceilometer Zed writes it (ceilometer/publisher/data/gnocchi_resources.yaml; the lab's
resource types come from lab-setup.py), with hourly points inside the period:
  "volumes":      [{"project_id"|"project_name", "name", "size_gb": 100, "volume_type": "fast-ssd",
                    "created_at", "deleted_at", "uuid"}]
                  -> a "volume" resource (attributes display_name, volume_type) with metric volume.size.
                  volume_type is written as given: Ceilometer's volume.size pollster writes the type's
                  name, Cinder's notifications (volume.exists ...) the type's id.
  "snapshots":    [{..., "size_gb": 10, "created_at", "deleted_at", "uuid"}]
                  -> a "volume" resource whose id is the snapshot's, with the pollster's metric
                  volume.snapshot.size (hourly) and the notification meter snapshot.size (one point at
                  creation, as snapshot.create.end writes it).
  "floating_ips": [{..., "status": "ACTIVE"|"DOWN", "created_at", "deleted_at", "uuid"}]
                  -> a "network" resource (no attributes) with metric ip.floating, whose value is the
                  status code of Ceilometer's FloatingIPPollster (ACTIVE 1, DOWN 3).
Expected totals per project: volume_gb_hours (and volume_gb_hours_by_type keyed by the volume_type
written, "(none)" without one), snapshot_gb_hours, floating_ip_hours: whole hours with a point, times the size.

Examples
  seed-usage.py --generate 5000 --projects 500 --month 2026-10 --seed 42 --create-projects
  seed-usage.py instances.json --month 2026-10 --gnocchi
  seed-usage.py --clear-project 0123abcd... --clear-project ...      seed-usage.py --clear-all
  seed-usage.py --generate 60 --projects 6 --month 2026-10 --seed 7 --dry-run   (totals only)

Seeded rows are marked with user_id "vdcps-seed" (Nova and Gnocchi); projects created with
--create-projects carry the Keystone tag "vdcps-seed". Only /usr/bin/python3 and its stdlib.
"""
import argparse
import calendar
import concurrent.futures
import csv
import datetime as dt
import http.client
import io
import json
import os
import random
import sqlite3
import sys
import time
import urllib.parse
import uuid

MARKER = "vdcps-seed"                       # instances.user_id / Gnocchi user_id / Keystone tag
NAMESPACE = uuid.UUID("8c3f7d4e-5b1a-4c2e-9d6f-0a1b2c3d4e5f")
ARCHIVE_POLICY = "billing-hourly"
HOUR = dt.timedelta(hours=1)
UTC = dt.timezone.utc
FLAVORS = [  # name, vcpus, memory_mb, root_gb
    ("m1.tiny", 1, 512, 1),
    ("m1.small", 1, 2048, 20),
    ("m1.medium", 2, 4096, 40),
    ("m1.large", 4, 8192, 80),
    ("m1.xlarge", 8, 16384, 160),
    ("c1.highcpu", 16, 16384, 40),
]


def log(msg):
    print(f"[seed-usage] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ time helpers
def parse_time(value):
    if value in (None, "", "null", "None"):
        return None
    if isinstance(value, dt.datetime):
        t = value
    else:
        s = str(value).strip().replace(" ", "T")
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        t = dt.datetime.fromisoformat(s)
    if t.tzinfo is not None:
        t = t.astimezone(UTC).replace(tzinfo=None)
    return t                                  # naive UTC


def nova_time(t):
    """Nova's text format on sqlite (compared as strings, so it must be exactly this)."""
    return None if t is None else t.strftime("%Y-%m-%d %H:%M:%S.%f")


def iso(t):
    return None if t is None else t.strftime("%Y-%m-%dT%H:%M:%S")


def month_range(month):
    y, m = (int(x) for x in month.split("-"))
    days = calendar.monthrange(y, m)[1]
    start = dt.datetime(y, m, 1)
    return start, start + dt.timedelta(days=days)


def utcnow():
    return dt.datetime.now(UTC).replace(tzinfo=None)


# ------------------------------------------------------------------------------ instances
def normalise(raw, index):
    fl = raw.get("flavor")
    if not isinstance(fl, dict):
        fl = {"name": raw.get("flavor_name") or fl or "custom"}
    flavor = {
        "name": str(fl.get("name") or raw.get("flavor_name") or "custom"),
        "vcpus": int(fl.get("vcpus", raw.get("vcpus", 0)) or 0),
        "memory_mb": int(fl.get("memory_mb", raw.get("memory_mb", 0)) or 0),
        "root_gb": int(fl.get("root_gb", raw.get("root_gb", 0)) or 0),
        "ephemeral_gb": int(fl.get("ephemeral_gb", raw.get("ephemeral_gb", 0)) or 0),
    }
    inst = {
        "project_id": raw.get("project_id") or None,
        "project_name": raw.get("project_name") or raw.get("project") or None,
        "name": str(raw.get("name") or f"vm-{index}"),
        "flavor": flavor,
        "launched_at": parse_time(raw.get("launched_at")),
        "terminated_at": parse_time(raw.get("terminated_at")),
        "uuid": raw.get("uuid") or None,
    }
    if inst["launched_at"] is None:
        raise SystemExit(f"instance #{index} ({inst['name']}): launched_at is required")
    if inst["terminated_at"] is not None and inst["terminated_at"] < inst["launched_at"]:
        raise SystemExit(f"instance #{index} ({inst['name']}): terminated_at before launched_at")
    if not inst["project_id"] and not inst["project_name"]:
        raise SystemExit(f"instance #{index} ({inst['name']}): project_id or project_name is required")
    return inst


METER_KINDS = {"volumes": "volume", "snapshots": "snapshot", "floating_ips": "floating_ip"}
FIP_STATUS = {"ACTIVE": 1, "DOWN": 3, "ERROR": 7}    # ceilometer/network/services/base.py STATUS


def normalise_meter(raw, kind, index):
    """A volume, snapshot or floating IP to seed into Gnocchi only."""
    label = f"{kind} #{index} ({raw.get('name') or '?'})"
    m = {
        "kind": kind,
        "project_id": raw.get("project_id") or None,
        "project_name": raw.get("project_name") or raw.get("project") or None,
        "name": str(raw.get("name") or f"{kind}-{index}"),
        "created_at": parse_time(raw.get("created_at")),
        "deleted_at": parse_time(raw.get("deleted_at")),
        "uuid": raw.get("uuid") or None,
    }
    if m["created_at"] is None:
        raise SystemExit(f"{label}: created_at is required")
    if m["deleted_at"] is not None and m["deleted_at"] < m["created_at"]:
        raise SystemExit(f"{label}: deleted_at before created_at")
    if not m["project_id"] and not m["project_name"]:
        raise SystemExit(f"{label}: project_id or project_name is required")
    if kind in ("volume", "snapshot"):
        m["size_gb"] = int(raw.get("size_gb") or 0)
        if m["size_gb"] <= 0:
            raise SystemExit(f"{label}: size_gb must be a whole number above 0")
    if kind == "volume":
        m["volume_type"] = raw.get("volume_type") or None
    if kind == "floating_ip":
        status = str(raw.get("status") or "ACTIVE").upper()
        if status not in FIP_STATUS:
            raise SystemExit(f"{label}: status must be one of {', '.join(FIP_STATUS)}")
        m["status"] = status
    return m


def read_input(path):
    """(instances, meters): meters are the volumes, snapshots and floating IPs of a JSON object."""
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    stripped = text.lstrip()
    meters = []
    if stripped.startswith("[") or stripped.startswith("{"):
        data = json.loads(text)
        rows = data.get("instances", []) if isinstance(data, dict) else data
        if isinstance(data, dict):
            for key, kind in METER_KINDS.items():
                meters += [normalise_meter(r, kind, i) for i, r in enumerate(data.get(key) or [])]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    return [normalise(r, i) for i, r in enumerate(rows)], meters


def generate(n, nprojects, month, seed):
    """Deterministic set of n instances over nprojects projects around the given month.
    Times are whole hours so Nova, Gnocchi and CloudKitty all agree on the hours."""
    rng = random.Random(seed)
    start, end = month_range(month)
    hours = int((end - start) / HOUR)
    projects = [f"vdcps-seed{seed}-p{k:04d}" for k in range(1, nprojects + 1)]
    out = []
    for i in range(n):
        pname = projects[i] if i < nprojects else rng.choice(projects)
        fname, vcpus, ram, disk = rng.choice(FLAVORS)
        kind = rng.random()
        if kind < 0.30:      # running since before the month, still running
            launched, terminated = start - rng.randint(1, 2000) * HOUR, None
        elif kind < 0.55:    # launched in the month, still running
            launched, terminated = start + rng.randint(0, hours - 1) * HOUR, None
        elif kind < 0.80:    # launched and terminated in the month (some end after it)
            a = rng.randint(0, hours - 1)
            launched, terminated = start + a * HOUR, start + rng.randint(a + 1, hours + 48) * HOUR
        elif kind < 0.90:    # launched before, terminated in the month
            launched, terminated = start - rng.randint(1, 500) * HOUR, start + rng.randint(1, hours) * HOUR
        elif kind < 0.95:    # gone before the month: no usage
            b = rng.randint(0, 300)
            launched, terminated = start - (b + rng.randint(1, 300)) * HOUR, start - b * HOUR
        else:                # launched at/after the month's end: no usage
            launched, terminated = end + rng.randint(0, 48) * HOUR, None
        out.append({
            "project_id": None, "project_name": pname, "name": f"seed{seed}-vm{i:05d}",
            "flavor": {"name": fname, "vcpus": vcpus, "memory_mb": ram, "root_gb": disk, "ephemeral_gb": 0},
            "launched_at": launched, "terminated_at": terminated,
            "uuid": str(uuid.uuid5(NAMESPACE, f"{seed}/{month}/{i}")),
        })
    return out


def expected_totals(instances, start, end, now):
    """Usage per project over [start, min(end, now)), computed from the lifetimes alone."""
    stop = min(end, now) if end else now
    per = {}
    for inst in instances:
        launched, terminated = inst["launched_at"], inst["terminated_at"]
        # Nova selects terminated_at > start (or NULL) and launched_at < stop
        if terminated is not None and terminated <= start:
            continue
        if launched >= stop:
            continue
        hours = ((min(terminated, stop) if terminated else stop) - max(launched, start)).total_seconds() / 3600.0
        fl = inst["flavor"]
        p = per.setdefault(inst["project_id"], {
            "project_name": inst.get("project_name"), "servers": 0, "instance_hours": 0.0,
            "vcpu_hours": 0.0, "ram_mb_hours": 0.0, "disk_gb_hours": 0.0})
        p["servers"] += 1
        p["instance_hours"] += hours
        p["vcpu_hours"] += fl["vcpus"] * hours
        p["ram_mb_hours"] += fl["memory_mb"] * hours
        p["disk_gb_hours"] += (fl["root_gb"] + fl["ephemeral_gb"]) * hours
    totals = {k: sum(p[k] for p in per.values())
              for k in ("servers", "instance_hours", "vcpu_hours", "ram_mb_hours", "disk_gb_hours")}
    totals["projects"] = len(per)
    return {"period": {"start": iso(start), "end": iso(end) if end else None, "effective_end": iso(stop)},
            "totals": totals, "by_project": dict(sorted(per.items()))}


# ------------------------------------------------------------------------------ HTTP (stdlib)
class Api:
    """Small JSON client; one keep-alive connection per thread (servers that close are reopened)."""

    def __init__(self, token):
        self.token = token
        self._conns = {}

    def _conn(self, netloc):
        import threading
        key = (threading.get_ident(), netloc)
        if key not in self._conns:
            self._conns[key] = http.client.HTTPConnection(netloc, timeout=120)
        return key

    def call(self, method, url, body=None, ok=(200, 201, 202, 204)):
        u = urllib.parse.urlsplit(url)
        path = u.path + ("?" + u.query if u.query else "")
        data = json.dumps(body).encode() if body is not None else None
        # Gnocchi answers 406 to a DELETE that accepts only application/json
        headers = {"Accept": "application/json, */*", "Content-Type": "application/json"}
        if self.token:
            headers["X-Auth-Token"] = self.token
        for attempt in (1, 2):
            key = self._conn(u.netloc)
            conn = self._conns[key]
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                del self._conns[key]
                if attempt == 2:
                    raise
        if resp.status not in ok:
            raise RuntimeError(f"{method} {url} -> HTTP {resp.status}: {raw[:400].decode(errors='replace')}")
        return resp.status, resp, (json.loads(raw) if raw and raw[:1] in b"{[" else raw)


def login(cfg):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": cfg["username"], "domain": {"id": cfg["domain_id"]}, "password": cfg["password"]}}},
        "scope": {"project": {"name": cfg["project_name"], "domain": {"id": cfg["domain_id"]}}}}}
    _, resp, _ = Api(None).call("POST", cfg["auth_url"] + "/auth/tokens", body)
    return Api(resp.getheader("X-Subject-Token"))


def parallel(fn, items, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


# ------------------------------------------------------------------------------ Keystone
def resolve_projects(instances, cfg, create, api):
    """Fill project_id from project_name (creating missing projects when asked)."""
    names = sorted({i["project_name"] for i in instances if not i["project_id"]})
    if not names:
        return 0
    ids = {}
    created = 0
    if create or api:
        api = api or login(cfg)
        _, _, d = api.call("GET", cfg["auth_url"] + "/projects?domain_id=" + cfg["domain_id"])
        existing = {p["name"]: p["id"] for p in d["projects"]}
        ids.update({n: existing[n] for n in names if n in existing})
        missing = [n for n in names if n not in existing]
        if missing and create:
            def make(name):
                _, _, r = api.call("POST", cfg["auth_url"] + "/projects", {"project": {
                    "name": name, "domain_id": cfg["domain_id"], "tags": [MARKER],
                    "description": "usage seeded by tests/lab/seed-usage.py"}})
                return name, r["project"]["id"]
            ids.update(dict(parallel(make, missing, 4)))
            created = len(missing)
    for n in names:          # not in Keystone and not created: a stable made-up id
        ids.setdefault(n, uuid.uuid5(NAMESPACE, "project/" + n).hex)
    for inst in instances:
        if not inst["project_id"]:
            inst["project_id"] = ids[inst["project_name"]]
    return created


def delete_seeded_projects(cfg, api, only_ids=None):
    _, _, d = api.call("GET", cfg["auth_url"] + "/projects?tags=" + MARKER)
    victims = [p["id"] for p in d["projects"] if only_ids is None or p["id"] in only_ids]
    parallel(lambda pid: api.call("DELETE", f"{cfg['auth_url']}/projects/{pid}", ok=(204, 404)), victims, 4)
    return len(victims)


# ------------------------------------------------------------------------------ Nova
def flavor_json(fl, index):
    data = {"id": 1000 + index, "name": fl["name"], "memory_mb": fl["memory_mb"], "vcpus": fl["vcpus"],
            "root_gb": fl["root_gb"], "ephemeral_gb": fl["ephemeral_gb"], "flavorid": fl["name"],
            "swap": 0, "rxtx_factor": 1.0, "vcpu_weight": 0, "disabled": False, "is_public": True,
            "extra_specs": {}, "description": None}
    return json.dumps({"cur": {"nova_object.name": "Flavor", "nova_object.namespace": "nova",
                               "nova_object.version": "1.2", "nova_object.data": data},
                       "old": None, "new": None})


def open_nova(db):
    if not os.path.exists(db):
        raise SystemExit(f"Nova cell1 database not found: {db} (is the lab started?)")
    con = sqlite3.connect(db, timeout=60, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 60000")
    return con


def nova_insert(db, instances):
    flavor_ids = {}
    inst_rows, extra_rows = [], []
    for inst in instances:
        fl = inst["flavor"]
        key = tuple(sorted(fl.items()))
        fjson = flavor_json(fl, flavor_ids.setdefault(key, len(flavor_ids)))
        launched, terminated = nova_time(inst["launched_at"]), nova_time(inst["terminated_at"])
        running = terminated is None
        host = "vdcps-lab"
        inst_rows.append((
            launched, terminated or launched, terminated, MARKER, inst["project_id"], "",
            1 if running else 0, "active" if running else "deleted", fl["memory_mb"], fl["vcpus"],
            inst["name"], host, launched, terminated, inst["name"], "seeded by tests/lab/seed-usage.py",
            "nova", 0, host, inst["uuid"], fl["root_gb"], fl["ephemeral_gb"], host, 0, 0, "r-" + MARKER))
        extra_rows.append((launched, inst["uuid"], fjson))
    con = open_nova(db)
    try:
        con.execute("BEGIN IMMEDIATE")
        uuids = [(i["uuid"],) for i in instances]
        # re-seeding the same uuids replaces them (idempotent reruns)
        con.executemany("DELETE FROM instance_extra WHERE instance_uuid = ?", uuids)
        con.executemany("DELETE FROM instances WHERE uuid = ?", uuids)
        con.executemany(
            "INSERT INTO instances (created_at, updated_at, deleted_at, user_id, project_id, image_ref,"
            " power_state, vm_state, memory_mb, vcpus, hostname, host, launched_at, terminated_at,"
            " display_name, display_description, availability_zone, locked, launched_on, uuid, root_gb,"
            " ephemeral_gb, node, cleaned, hidden, reservation_id, deleted)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)", inst_rows)
        con.executemany(
            "INSERT INTO instance_extra (created_at, instance_uuid, flavor, deleted) VALUES (?,?,?,0)",
            extra_rows)
        # Nova soft-deletes by setting deleted = id (rows stay and still count for usage)
        con.execute("UPDATE instances SET deleted = id, cleaned = 1"
                    " WHERE user_id = ? AND terminated_at IS NOT NULL AND deleted = 0", (MARKER,))
        con.execute("UPDATE instance_extra SET deleted = id, deleted_at = (SELECT terminated_at FROM"
                    " instances WHERE uuid = instance_uuid) WHERE deleted = 0 AND instance_uuid IN"
                    " (SELECT uuid FROM instances WHERE user_id = ? AND deleted != 0)", (MARKER,))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def nova_clear(db, projects=None):
    con = open_nova(db)
    try:
        con.execute("BEGIN IMMEDIATE")
        where, args = "user_id = ?", [MARKER]
        if projects is not None:
            where += " AND project_id IN (%s)" % ",".join("?" * len(projects))
            args += list(projects)
        con.execute(f"DELETE FROM instance_extra WHERE instance_uuid IN (SELECT uuid FROM instances WHERE {where})", args)
        n = con.execute(f"DELETE FROM instances WHERE {where}", args).rowcount
        con.execute("COMMIT")
        return n
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()


# ------------------------------------------------------------------------------ Gnocchi
def gnocchi_seed(cfg, api, instances, start, end):
    """Instance resources (started_at/ended_at) and hourly measures inside [start, end):
    vcpus, memory (MB) and cpu (cumulative ns at 25 % load, the value at the end of each hour)."""
    g = cfg["endpoints"]["metric"]
    ap = {"archive_policy_name": ARCHIVE_POLICY}

    def create(inst):
        fl = inst["flavor"]
        body = {"id": inst["uuid"], "project_id": inst["project_id"], "user_id": MARKER,
                "display_name": inst["name"], "flavor_name": fl["name"], "flavor_id": fl["name"],
                "host": "vdcps-lab", "started_at": iso(inst["launched_at"]),
                "metrics": {"cpu": ap, "vcpus": ap, "memory": ap}}
        if inst["terminated_at"]:        # Gnocchi 4.4 answers 500 to "ended_at": null
            body["ended_at"] = iso(inst["terminated_at"])
        st, _, _ = api.call("POST", f"{g}/v1/resource/instance", body, ok=(201, 409))
        if st == 409:     # seeded before: replace it
            api.call("DELETE", f"{g}/v1/resource/generic/{inst['uuid']}", ok=(204, 404))
            api.call("POST", f"{g}/v1/resource/instance", body, ok=(201,))

    parallel(create, instances, 4)
    npoints = 0
    batch = {}

    def flush():
        if batch:
            api.call("POST", f"{g}/v1/batch/resources/metrics/measures", batch, ok=(202,))
            batch.clear()

    stop_all = min(end, utcnow())
    for inst in instances:
        fl = inst["flavor"]
        first = max(inst["launched_at"], start)
        first = first.replace(minute=0, second=0, microsecond=0) + (HOUR if first.minute or first.second else dt.timedelta())
        last = min(inst["terminated_at"] or stop_all, stop_all)
        series = {"cpu": [], "vcpus": [], "memory": []}
        t = first
        while t < last:
            ts = iso(t) + "+00:00"
            used = int(((t - inst["launched_at"]) / HOUR) + 1)
            series["vcpus"].append({"timestamp": ts, "value": fl["vcpus"]})
            series["memory"].append({"timestamp": ts, "value": fl["memory_mb"]})
            series["cpu"].append({"timestamp": ts, "value": int(used * fl["vcpus"] * 0.25 * 3600e9)})
            t += HOUR
        if series["cpu"]:
            batch[inst["uuid"]] = series
            npoints += 3 * len(series["cpu"])
            if len(batch) >= 100:
                flush()
    flush()
    return npoints


def meter_hours(m, start, stop):
    """The hourly timestamps Ceilometer's pollsters would leave in [start, stop): whole hours from the
    first full hour of the resource's life (the instances' rule above)."""
    first = max(m["created_at"], start)
    first = first.replace(minute=0, second=0, microsecond=0) + (HOUR if first.minute or first.second else dt.timedelta())
    last = min(m["deleted_at"] or stop, stop)
    out = []
    t = first
    while t < last:
        out.append(t)
        t += HOUR
    return out


def gnocchi_seed_meters(cfg, api, meters, start, end):
    """Volumes, snapshots and floating IPs in Ceilometer's Gnocchi shape (see the module doc)."""
    g = cfg["endpoints"]["metric"]
    ap = {"archive_policy_name": ARCHIVE_POLICY}

    def create(m):
        body = {"id": m["uuid"], "project_id": m["project_id"], "user_id": MARKER,
                "started_at": iso(m["created_at"])}
        if m["deleted_at"]:
            body["ended_at"] = iso(m["deleted_at"])
        if m["kind"] == "volume":
            rtype = "volume"
            body.update({"display_name": m["name"], "metrics": {"volume.size": ap}})
            if m["volume_type"]:
                body["volume_type"] = m["volume_type"]
        elif m["kind"] == "snapshot":
            rtype = "volume"
            body.update({"display_name": m["name"], "metrics": {"volume.snapshot.size": ap, "snapshot.size": ap}})
        else:
            rtype = "network"
            body["metrics"] = {"ip.floating": ap}
        st, _, _ = api.call("POST", f"{g}/v1/resource/{rtype}", body, ok=(201, 409))
        if st == 409:     # seeded before: replace it
            api.call("DELETE", f"{g}/v1/resource/generic/{m['uuid']}", ok=(204, 404))
            api.call("POST", f"{g}/v1/resource/{rtype}", body, ok=(201,))

    parallel(create, meters, 4)
    batch = {}
    npoints = 0
    stop_all = min(end, utcnow())
    for m in meters:
        hours = [iso(t) + "+00:00" for t in meter_hours(m, start, stop_all)]
        if m["kind"] == "volume":
            series = {"volume.size": [{"timestamp": ts, "value": m["size_gb"]} for ts in hours]}
        elif m["kind"] == "snapshot":
            series = {"volume.snapshot.size": [{"timestamp": ts, "value": m["size_gb"]} for ts in hours]}
            if hours:   # snapshot.create.end: one sample when it was made
                series["snapshot.size"] = [{"timestamp": hours[0], "value": m["size_gb"]}]
        else:
            series = {"ip.floating": [{"timestamp": ts, "value": FIP_STATUS[m["status"]]} for ts in hours]}
        if hours:
            batch[m["uuid"]] = series
            npoints += sum(len(v) for v in series.values())
    if batch:
        api.call("POST", f"{g}/v1/batch/resources/metrics/measures", batch, ok=(202,))
    return npoints


def expected_meter_totals(meters, start, end, now, per):
    """Adds volume/snapshot GB-hours and floating-IP hours per project to `per` (expected_totals')."""
    stop = min(end, now) if end else now
    for m in meters:
        hours = len(meter_hours(m, start, stop))
        p = per.setdefault(m["project_id"], {
            "project_name": m.get("project_name"), "servers": 0, "instance_hours": 0.0,
            "vcpu_hours": 0.0, "ram_mb_hours": 0.0, "disk_gb_hours": 0.0})
        for k in ("volume_gb_hours", "snapshot_gb_hours", "floating_ip_hours"):
            p.setdefault(k, 0.0)
        p.setdefault("volume_gb_hours_by_type", {})
        if m["kind"] == "volume":
            p["volume_gb_hours"] += hours * m["size_gb"]
            key = m["volume_type"] or "(none)"    # not "": PowerShell's ConvertFrom-Json refuses an empty key
            p["volume_gb_hours_by_type"][key] = p["volume_gb_hours_by_type"].get(key, 0.0) + hours * m["size_gb"]
        elif m["kind"] == "snapshot":
            p["snapshot_gb_hours"] += hours * m["size_gb"]
        else:
            p["floating_ip_hours"] += hours


def gnocchi_clear(cfg, api, projects=None):
    g = cfg["endpoints"]["metric"]
    flt = {"=": {"user_id": MARKER}}
    if projects is not None:
        flt = {"and": [flt, {"in": {"project_id": list(projects)}}]}
    # Not /v1/resource/instance: on Debian 12 (SQLAlchemy 1.4) Gnocchi's batch delete of a
    # non-generic type removes only the type's table rows and leaves the base "resource" rows
    # (invisible, yet their ids answer 409 on create and 404 on delete). generic deletes all.
    _, _, d = api.call("DELETE", f"{g}/v1/resource/generic", flt, ok=(200,))
    return d.get("deleted", 0) if isinstance(d, dict) else 0


# ------------------------------------------------------------------------------ main
def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?", help="JSON or CSV file with instances, '-' for stdin")
    ap.add_argument("--lab", default=os.environ.get("VDCPS_LAB_DIR") or os.path.join(here, "..", "..", ".lab"),
                    help="lab folder (default: $VDCPS_LAB_DIR or <repo>/.lab)")
    ap.add_argument("--generate", type=int, metavar="N", help="generate N instances instead of reading input")
    ap.add_argument("--projects", type=int, default=10, metavar="M", help="projects for --generate (default 10)")
    ap.add_argument("--month", metavar="YYYY-MM", help="usage period (default with --generate: previous month)")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="random seed for --generate (default 1)")
    ap.add_argument("--start", help="period start (UTC), instead of --month")
    ap.add_argument("--end", help="period end (UTC), instead of --month")
    ap.add_argument("--create-projects", action="store_true",
                    help="create the Keystone projects named by project_name if missing (tag vdcps-seed)")
    ap.add_argument("--gnocchi", action="store_true",
                    help="also create Gnocchi instance resources and hourly measures within the period")
    ap.add_argument("--clear-project", action="append", default=[], metavar="P",
                    help="remove seeded rows of project P (repeatable; also 'a,b,c')")
    ap.add_argument("--clear-all", action="store_true", help="remove every seeded row")
    ap.add_argument("--keep-projects", action="store_true",
                    help="with --clear-*: keep the Keystone projects created with --create-projects")
    ap.add_argument("--dry-run", action="store_true", help="only compute and print the expected totals")
    ap.add_argument("--output", metavar="FILE", help="also write the JSON result to FILE")
    args = ap.parse_args()

    t_all = time.monotonic()
    cfg_path = os.path.join(args.lab, "lab.json")
    cfg = json.load(open(cfg_path)) if os.path.exists(cfg_path) else None
    if cfg is None and not args.dry_run:
        raise SystemExit(f"{cfg_path} not found: start the lab first (tests/lab/lab.sh start)")
    nova_db = (cfg or {}).get("nova_cell1_db") or os.path.join(args.lab, "data", "nova.sqlite")
    timing = {}
    result = {}

    # --- clearing
    clear_projects = [p for v in args.clear_project for p in v.split(",") if p]
    if args.clear_all or clear_projects:
        t = time.monotonic()
        projects = None if args.clear_all else clear_projects
        n = nova_clear(nova_db, projects)
        api = login(cfg)
        try:
            ng = gnocchi_clear(cfg, api, projects)
        except (RuntimeError, OSError) as e:
            log(f"gnocchi clear skipped: {e}")
            ng = 0
        nk = 0 if args.keep_projects else delete_seeded_projects(cfg, api, None if args.clear_all else set(projects))
        timing["clear_s"] = round(time.monotonic() - t, 3)
        log(f"cleared {n} Nova instances, {ng} Gnocchi resources, {nk} Keystone projects in {timing['clear_s']}s")
        result["cleared"] = {"nova_instances": n, "gnocchi_resources": ng, "keystone_projects": nk}
        if not args.input and not args.generate:
            print(json.dumps(result, indent=1))
            return 0

    # --- instances
    t = time.monotonic()
    if args.generate:
        if not args.month and not args.start:
            first = utcnow().replace(day=1)
            args.month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
        instances = generate(args.generate, args.projects, args.month or args.start[:7], args.seed)
        meters = []
    elif args.input:
        instances, meters = read_input(args.input)
    else:
        ap.error("give an input file, --generate N, or --clear-*")
    timing["generate_s"] = round(time.monotonic() - t, 3)

    if args.month:
        start, end = month_range(args.month)
    elif args.start:
        start, end = parse_time(args.start), parse_time(args.end) if args.end else None
    else:
        start, end = min([i["launched_at"] for i in instances] + [m["created_at"] for m in meters]), None
    if args.start:
        start = parse_time(args.start)
    if args.end:
        end = parse_time(args.end)

    # --- projects
    api = None
    t = time.monotonic()
    owners = instances + meters
    if any(not i["project_id"] for i in owners):
        if args.create_projects and not args.dry_run:
            api = login(cfg)
            created = resolve_projects(owners, cfg, True, api)
            log(f"keystone: {created} projects created in {time.monotonic() - t:.2f}s")
        else:
            resolve_projects(owners, cfg, False, None)
    timing["keystone_s"] = round(time.monotonic() - t, 3)
    for inst in instances:
        inst["uuid"] = inst["uuid"] or str(uuid.uuid5(
            NAMESPACE, f"{inst['project_id']}/{inst['name']}/{inst['launched_at']}"))
    for m in meters:
        m["uuid"] = m["uuid"] or str(uuid.uuid5(NAMESPACE, f"{m['kind']}/{m['project_id']}/{m['name']}/{m['created_at']}"))

    # --- Nova
    if not args.dry_run and instances:
        t = time.monotonic()
        nova_insert(nova_db, instances)
        timing["nova_s"] = round(time.monotonic() - t, 3)
        log(f"nova: {len(instances)} instances over {len({i['project_id'] for i in instances})} projects"
            f" written in {timing['nova_s']}s")
    # --- Gnocchi
    if args.gnocchi and not args.dry_run:
        t = time.monotonic()
        api = api or login(cfg)
        npoints = gnocchi_seed(cfg, api, instances, start, end or utcnow())
        timing["gnocchi_s"] = round(time.monotonic() - t, 3)
        log(f"gnocchi: {len(instances)} resources, {npoints} measures posted in {timing['gnocchi_s']}s")
        result["gnocchi_measures"] = npoints

    if meters and not args.dry_run:
        t = time.monotonic()
        api = api or login(cfg)
        npoints = gnocchi_seed_meters(cfg, api, meters, start, end or utcnow())
        timing["gnocchi_meters_s"] = round(time.monotonic() - t, 3)
        log(f"gnocchi: {len(meters)} volumes/snapshots/floating IPs, {npoints} measures posted in {timing['gnocchi_meters_s']}s")
        result["gnocchi_meter_measures"] = npoints

    now = utcnow()
    result.update(expected_totals(instances, start, end, now))
    if meters:
        expected_meter_totals(meters, start, end, now, result["by_project"])
        for k in ("volume_gb_hours", "snapshot_gb_hours", "floating_ip_hours"):
            result["totals"][k] = sum(p.get(k, 0.0) for p in result["by_project"].values())
        result["totals"]["projects"] = len(result["by_project"])
        result["meters"] = len(meters)
    result["instances"] = len(instances)
    result["project_ids"] = sorted({i["project_id"] for i in owners})
    result["project_names"] = {i["project_id"]: i["project_name"] for i in owners if i["project_name"]}
    timing["total_s"] = round(time.monotonic() - t_all, 3)
    result["timing"] = timing
    log(f"done in {timing['total_s']}s: {json.dumps(timing)}")
    text = json.dumps(result, indent=1)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
