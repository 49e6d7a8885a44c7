#!/usr/bin/python3
"""The raw HTTP floor for reading quotas: the same GETs Get-VdcQuota makes, from Python's stdlib.

    raw-quota-floor.py create --count 300 --prefix qbench-x    make managed projects (vdcps_plan set), print their ids
    raw-quota-floor.py read --ids FILE --concurrency 4          time the quota GETs of those projects
    raw-quota-floor.py delete --ids FILE                        delete the projects

read: one GET of the domain's projects (what Get-VdcTenant does), then per project Nova
os-quota-sets/{id}/detail, Cinder os-quota-sets/{id}?usage=true and Neutron quotas/{id}/details.json,
at most --concurrency requests in flight, one new connection per request (like curl), the token
taken before the clock starts. Prints one JSON line: {"tenants", "requests", "seconds", "concurrency"}.
Lab credentials (admin/secret on 127.0.0.1) only.
"""
import argparse
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

KS = "http://127.0.0.1:5000/v3"
NOVA = "http://127.0.0.1:8774/v2.1"
NEUTRON = "http://127.0.0.1:9696/v2.0"


def call(method, url, token=None, body=None, want_header=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if token:
        req.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(req, timeout=120) as resp:
        raw = resp.read()
        doc = json.loads(raw) if raw else None
        return (resp.headers.get(want_header), doc) if want_header else doc


def login():
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}},
                     "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    token, doc = call("POST", KS + "/auth/tokens", body=auth, want_header="X-Subject-Token")
    return token, doc["token"]["project"]["id"]


def create(a, token):
    def make(i):
        name = "%s-%04d" % (a.prefix, i)
        body = {"project": {"name": name, "domain_id": "default", "description": "quota bench", "vdcps_plan": "vdc-small",
                            "vdcps_customer": "BENCH", "vdcps_state": "active",
                            # a whole record (an active tenant has its activation time), so Test-VdcTenant reads it too
                            "vdcps_activated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}}
        return call("POST", KS + "/projects", token, body)["project"]["id"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(make, range(a.count)))
    print(json.dumps(ids))


def delete(a, token):
    ids = json.load(open(a.ids))
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda p: call("DELETE", KS + "/projects/" + p, token), ids))
    print(json.dumps({"deleted": len(ids)}))


def read(a, token, admin_project):
    ids = json.load(open(a.ids))
    cinder = "http://127.0.0.1:8776/v3/" + admin_project
    # The compute microversion VdcPS negotiates (the lab's newest): same answer shape as VdcPS gets.
    nova_headers = {"OpenStack-API-Version": "compute " + a.microversion, "X-OpenStack-Nova-API-Version": a.microversion}
    urls = []
    for p in ids:
        urls.append(("%s/os-quota-sets/%s/detail" % (NOVA, p), nova_headers))
        urls.append(("%s/os-quota-sets/%s?usage=true" % (cinder, p), None))
        urls.append(("%s/quotas/%s/details.json" % (NEUTRON, p), None))
    t0 = time.monotonic()
    call("GET", KS + "/projects?domain_id=default", token)
    with ThreadPoolExecutor(max_workers=a.concurrency) as pool:
        docs = list(pool.map(lambda u: call("GET", u[0], token, headers=u[1]), urls))
    seconds = time.monotonic() - t0
    keys = sum(len(d.get("quota_set") or d.get("quota") or {}) for d in docs)
    print(json.dumps({"tenants": len(ids), "requests": len(urls) + 1, "seconds": round(seconds, 3), "concurrency": a.concurrency, "values": keys}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["create", "read", "delete"])
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--prefix", default="qbench")
    ap.add_argument("--ids", help="JSON file with the project ids (from create)")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--microversion", default="2.93")
    a = ap.parse_args()
    token, admin_project = login()
    {"create": lambda: create(a, token), "delete": lambda: delete(a, token), "read": lambda: read(a, token, admin_project)}[a.mode]()


if __name__ == "__main__":
    main()
