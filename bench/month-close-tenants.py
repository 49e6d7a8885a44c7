#!/usr/bin/python3
"""Tenants for the month-close bench, straight through Keystone's API (Python stdlib):

    month-close-tenants.py create --count 300 --month 2023-05 --prefix mclose-1 --instances instances.json
        creates COUNT managed projects (vdcps_plan among the sample plans, vdcps_customer: three
        tenants per customer, vdcps_state active, activated two months before the month, tagged
        vdcps-seed) and writes 10 instances per tenant for tests/lab/seed-usage.py (whole hours
        around the month, deterministic); prints {"project_ids": [...]} as JSON.
    month-close-tenants.py delete --prefix mclose-1
        deletes the projects whose name starts with the prefix.
Lab credentials from lab.json.
"""
import argparse
import datetime as dt
import http.client
import json
import os
import random
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

PLANS = ("vdc-small", "vdc-medium", "vdc-large", "vdc-payg")
FLAVORS = (("m1.tiny", 1, 512, 1), ("m1.small", 1, 2048, 20), ("m1.medium", 2, 4096, 40), ("m1.large", 4, 8192, 80))


def call(method, url, token=None, body=None):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.netloc, timeout=300)
    h = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        h["X-Auth-Token"] = token
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=json.dumps(body) if body else None, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status >= 300 and not (method == "DELETE" and r.status == 404):
        raise SystemExit(f"{method} {url} -> {r.status}: {data[:300]!r}")
    return r, (json.loads(data) if data else None)


def login(cfg):
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": cfg["username"], "domain": {"id": cfg["domain_id"]}, "password": cfg["password"]}}},
        "scope": {"project": {"name": cfg["project_name"], "domain": {"id": cfg["domain_id"]}}}}}
    r, _ = call("POST", cfg["auth_url"] + "/auth/tokens?nocatalog", body=auth)
    return r.getheader("X-Subject-Token")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=("create", "delete"))
    ap.add_argument("--lab", default=os.environ.get("VDCPS_LAB_DIR") or os.path.join(here, "..", ".lab"))
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--month", default="2023-05")
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--instances")
    ap.add_argument("--seed", type=int, default=2105)
    a = ap.parse_args()
    cfg = json.load(open(os.path.join(a.lab, "lab.json")))
    ks = cfg["auth_url"]
    token = login(cfg)
    pool = ThreadPoolExecutor(max_workers=4)

    if a.action == "delete":
        _, doc = call("GET", ks + "/projects?tags=vdcps-seed", token)
        ids = [p["id"] for p in doc["projects"] if p["name"].startswith(a.prefix + "-")]

        list(pool.map(lambda pid: call("DELETE", f"{ks}/projects/{pid}", token), ids))
        print(json.dumps({"deleted": len(ids)}))
        return

    start = dt.datetime.strptime(a.month + "-01", "%Y-%m-%d")
    end = (start + dt.timedelta(days=32)).replace(day=1)
    activated = (start - dt.timedelta(days=60)).strftime("%Y-%m-%dT00:00:00Z")

    def create(i):
        plan = PLANS[i % len(PLANS)]
        body = {"project": {"name": f"{a.prefix}-{i:05d}", "domain_id": cfg["domain_id"], "tags": ["vdcps-seed"],
                            "vdcps_plan": plan, "vdcps_customer": f"MC-{i // 3:05d}", "vdcps_state": "active",
                            "vdcps_activated_at": activated,
                            "vdcps_history": [{"at": activated, "event": "activated", "plan": plan}]}}
        _, doc = call("POST", ks + "/projects", token, body)
        return doc["project"]["id"]
    ids = list(pool.map(create, range(a.count)))

    rng = random.Random(a.seed)
    hours = int((end - start).total_seconds() // 3600)
    instances = []
    for pid in ids:
        for k in range(10):
            name, vcpus, ram, disk = FLAVORS[rng.randrange(len(FLAVORS))]
            kind = rng.random()
            if kind < 0.5:      # running through the month
                launched, terminated = start - dt.timedelta(hours=rng.randrange(1, 2000)), None
            elif kind < 0.8:    # started in the month
                launched, terminated = start + dt.timedelta(hours=rng.randrange(0, hours)), None
            else:               # started and ended in the month
                h = rng.randrange(0, hours - 1)
                launched, terminated = start + dt.timedelta(hours=h), start + dt.timedelta(hours=rng.randrange(h + 1, hours))
            instances.append({"project_id": pid, "name": f"mc-{k}",
                              "flavor": {"name": name, "vcpus": vcpus, "memory_mb": ram, "root_gb": disk, "ephemeral_gb": 0},
                              "launched_at": launched.strftime("%Y-%m-%dT%H:%M:%SZ"),
                              "terminated_at": terminated.strftime("%Y-%m-%dT%H:%M:%SZ") if terminated else None})
    if a.instances:
        with open(a.instances, "w") as f:
            json.dump(instances, f)
    print(json.dumps({"project_ids": ids}))


if __name__ == "__main__":
    main()
