#!/usr/bin/python3
"""Idempotent set-up of the VdcPS lab (called by lab.sh; stdlib only).

  keystone  roles member/reader/rating/service, project "service", service users (admin role in
            "service"), every service in the catalog (RegionOne; public, internal, admin).
  gnocchi   archive policy "billing-hourly" and the resource types "instance", "volume" and "network"
            (volume and network with Ceilometer Zed's attributes).

Usage: lab-setup.py [--lab DIR] keystone|gnocchi [...]
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request

IP = "127.0.0.1"
SERVICE_USERS = ["nova", "cinder", "neutron", "gnocchi", "cloudkitty", "placement", "glance"]   # password: <name>-secret
ROLES = ["admin", "member", "reader", "rating", "service"]
# (type, name, url) - the identity entry is created by keystone-manage bootstrap
CATALOG = [
    ("identity", "keystone", f"http://{IP}:5000/v3/"),
    ("compute", "nova", f"http://{IP}:8774/v2.1"),
    ("placement", "placement", f"http://{IP}:8778"),
    ("image", "glance", f"http://{IP}:9292"),
    ("volumev3", "cinderv3", f"http://{IP}:8776/v3/%(project_id)s"),
    ("block-storage", "cinder", f"http://{IP}:8776/v3/%(project_id)s"),
    ("network", "neutron", f"http://{IP}:9696"),
    ("metric", "gnocchi", f"http://{IP}:8041"),
    ("rating", "cloudkitty", f"http://{IP}:8889"),
]
INTERFACES = ("public", "internal", "admin")
REGION = "RegionOne"

ARCHIVE_POLICY = {
    "name": "billing-hourly",
    "back_window": 0,
    "aggregation_methods": ["mean", "sum", "max", "min", "last", "count"],
    "definition": [{"granularity": "1:00:00", "timespan": "400 days"}],
}
STR = {"type": "string", "min_length": 0, "max_length": 255, "required": False}
UUID = {"type": "uuid", "required": False}
# Attributes as Ceilometer Zed (19.x, what Debian 12 ships) creates them (ceilometer/gnocchi_client.py
# resources_initial + resources_update_operations), so that the seeder can write what Ceilometer writes
# (ceilometer/publisher/data/gnocchi_resources.yaml): volume.size, snapshot.size, volume.snapshot.size and
# volume.backup.size on "volume" resources (a snapshot or backup is a "volume" resource with its own id),
# ip.floating on "network" resources (one per floating IP). "instance" keeps the lab's relaxed
# attributes (nothing required), which the Nova usage seeder relies on.
RESOURCE_TYPES = {
    "instance": {a: STR for a in ["display_name", "flavor_name", "flavor_id", "host", "image_ref", "server_group"]},
    "volume": {"display_name": STR, "volume_type": STR, "image_id": UUID, "instance_id": UUID},
    "network": {},
}


# never use a proxy for the lab on 127.0.0.1
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Http:
    def __init__(self, token=None):
        self.token = token

    def __call__(self, method, url, body=None, ok=(200, 201, 204), content_type="application/json"):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", content_type)
        req.add_header("Accept", "application/json")
        if self.token:
            req.add_header("X-Auth-Token", self.token)
        try:
            with OPENER.open(req, timeout=60) as resp:
                raw = resp.read()
                return resp.status, resp.headers, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read().decode(errors="replace")
            if e.code in ok:
                return e.code, e.headers, raw
            raise SystemExit(f"{method} {url} -> HTTP {e.code}: {raw[:500]}")


def admin_token(cfg):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": cfg["username"], "domain": {"id": cfg["domain_id"]}, "password": cfg["password"]}}},
        "scope": {"project": {"name": cfg["project_name"], "domain": {"id": cfg["domain_id"]}}}}}
    for attempt in range(60):
        try:
            _, headers, _ = Http()("POST", cfg["auth_url"] + "/auth/tokens", body)
            return headers["X-Subject-Token"]
        except (urllib.error.URLError, ConnectionError):
            time.sleep(1)
    raise SystemExit("keystone does not answer")


def setup_keystone(cfg, http):
    ks = cfg["auth_url"]
    created = []

    def listing(coll, query=""):
        return http("GET", f"{ks}/{coll}{query}")[2][coll]

    roles = {r["name"]: r["id"] for r in listing("roles")}
    for name in ROLES:
        if name not in roles:
            roles[name] = http("POST", f"{ks}/roles", {"role": {"name": name}})[2]["role"]["id"]
            created.append(f"role {name}")

    projects = {p["name"]: p["id"] for p in listing("projects", "?domain_id=default")}
    if "service" not in projects:
        projects["service"] = http("POST", f"{ks}/projects", {"project": {
            "name": "service", "domain_id": "default", "description": "lab service users"}})[2]["project"]["id"]
        created.append("project service")

    users = {u["name"]: u["id"] for u in listing("users", "?domain_id=default")}
    for name in SERVICE_USERS:
        if name not in users:
            users[name] = http("POST", f"{ks}/users", {"user": {
                "name": name, "domain_id": "default", "password": f"{name}-secret"}})[2]["user"]["id"]
            created.append(f"user {name}")
        # PUT is idempotent (204 when already granted)
        http("PUT", f"{ks}/projects/{projects['service']}/users/{users[name]}/roles/{roles['admin']}")

    services = {s["type"]: s for s in listing("services")}
    endpoints = listing("endpoints")
    for stype, sname, url in CATALOG:
        if stype not in services:
            services[stype] = http("POST", f"{ks}/services", {"service": {
                "type": stype, "name": sname, "enabled": True}})[2]["service"]
            created.append(f"service {stype}")
        sid = services[stype]["id"]
        for iface in INTERFACES:
            have = [e for e in endpoints if e["service_id"] == sid and e["interface"] == iface]
            if not have:
                http("POST", f"{ks}/endpoints", {"endpoint": {
                    "service_id": sid, "interface": iface, "url": url, "region_id": REGION}})
                created.append(f"endpoint {stype}/{iface}")
            elif have[0]["url"] != url or have[0].get("region_id") != REGION:
                http("PATCH", f"{ks}/endpoints/{have[0]['id']}", {"endpoint": {"url": url, "region_id": REGION}})
                created.append(f"endpoint {stype}/{iface} (updated)")
    print("keystone: " + (", ".join(created) if created else "nothing to change"))


def setup_gnocchi(cfg, http):
    g = cfg["endpoints"]["metric"]
    created = []
    st, _, _ = http("POST", f"{g}/v1/archive_policy", ARCHIVE_POLICY, ok=(201, 409))
    if st == 201:
        created.append("archive policy " + ARCHIVE_POLICY["name"])
    for rtype, attrs in RESOURCE_TYPES.items():
        body = {"name": rtype, "attributes": attrs}
        st, _, _ = http("POST", f"{g}/v1/resource_type", body, ok=(201, 409))
        if st == 201:
            created.append("resource type " + rtype)
            continue
        # an older lab: add the attributes it lacks (JSON patch, as ceilometer-upgrade does)
        _, _, have = http("GET", f"{g}/v1/resource_type/{rtype}")
        missing = [{"op": "add", "path": "/attributes/" + a, "value": spec}
                   for a, spec in attrs.items() if a not in (have or {}).get("attributes", {})]
        if missing:
            http("PATCH", f"{g}/v1/resource_type/{rtype}", missing, content_type="application/json-patch+json")
            created.append(f"resource type {rtype} (+{', '.join(m['path'].split('/')[-1] for m in missing)})")
    print("gnocchi: " + (", ".join(created) if created else "nothing to change"))


def keystone_sqlite_hygiene(lab):
    """Removes rows that sqlite left behind when application credentials were deleted.

    Keystone's schema relies on ON DELETE CASCADE, which sqlite ignores unless foreign keys are
    switched on per connection. Deleted credentials leave their application_credential_role rows;
    sqlite then reuses the credential's integer key, and the next credential fails with a 409
    "Duplicate entry" (UNIQUE constraint on application_credential_role). A real cloud's MySQL or
    PostgreSQL cascades the delete; only the lab needs this.
    """
    import sqlite3
    path = os.path.join(lab, "data", "keystone.sqlite")
    if not os.path.exists(path):
        return 0
    with sqlite3.connect(path, timeout=30) as db:
        removed = 0
        for table in ("application_credential_role", "application_credential_access_rule"):
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()
            if exists:
                removed += db.execute(
                    f"DELETE FROM {table} WHERE application_credential_id NOT IN (SELECT internal_id FROM application_credential)").rowcount
        return removed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab", default=os.environ.get("VDCPS_LAB_DIR") or os.path.join(here, "..", "..", ".lab"))
    ap.add_argument("what", nargs="+", choices=["keystone", "gnocchi"])
    args = ap.parse_args()
    with open(os.path.join(args.lab, "lab.json")) as f:
        cfg = json.load(f)
    t0 = time.monotonic()
    http = Http(admin_token(cfg))
    if "keystone" in args.what:
        setup_keystone(cfg, http)
        removed = keystone_sqlite_hygiene(args.lab)
        if removed:
            print(f"removed {removed} orphaned application credential row(s) (sqlite has no cascade)")
    if "gnocchi" in args.what:
        setup_gnocchi(cfg, http)
    print(f"lab-setup {' '.join(args.what)}: {time.monotonic() - t0:.2f}s")


if __name__ == "__main__":
    sys.exit(main())
