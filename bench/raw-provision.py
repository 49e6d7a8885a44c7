#!/usr/bin/python3
"""The raw HTTP floor for provisioning: the same requests New-VdcTenant makes, from Python's stdlib.

Per tenant: POST project, POST user, PUT role (concurrently with) PUT Nova, Cinder and Neutron
quotas, PATCH project (commit). Tenants one after another, like the VdcPS bench.
Usage: raw-provision.py --count 50 --prefix rawbench [--cleanup]
Prints one JSON line: {"tenants": n, "seconds": s, "requests": r}.
"""
import argparse, json, time, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

KS = "http://127.0.0.1:5000/v3"


def call(method, url, token=None, body=None, want_header=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(req, timeout=60) as resp:
        raw = resp.read()
        doc = json.loads(raw) if raw else None
        return (resp.headers.get(want_header), doc) if want_header else doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--prefix", default="rawbench")
    ap.add_argument("--cleanup", action="store_true")
    a = ap.parse_args()
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}},
                     "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    token, doc = call("POST", KS + "/auth/tokens", body=auth, want_header="X-Subject-Token")
    admin_project = doc["token"]["project"]["id"]
    role = call("GET", KS + "/roles?name=member", token)["roles"][0]["id"]
    nova, cinder, neutron = "http://127.0.0.1:8774/v2.1", "http://127.0.0.1:8776/v3/" + admin_project, "http://127.0.0.1:9696/v2.0"
    compute_q = {"cores": 4, "ram": 8192, "instances": 5, "key_pairs": 10, "server_groups": 2}
    volume_q = {"volumes": 10, "gigabytes": 200, "snapshots": 10, "backups": 5, "backup_gigabytes": 200}
    network_q = {"network": 2, "subnet": 4, "port": 25, "router": 1, "floatingip": 1, "security_group": 10, "security_group_rule": 100}
    pool = ThreadPoolExecutor(max_workers=4)
    names, requests = [], 0
    t0 = time.monotonic()
    for i in range(a.count):
        name = "%s-%04d" % (a.prefix, i)
        names.append(name)
        p = call("POST", KS + "/projects", token, {"project": {"name": name, "domain_id": "default", "vdcps_plan": "vdc-small",
                                                               "vdcps_customer": "RAW", "vdcps_state": "provisioning"}})["project"]["id"]
        u = call("POST", KS + "/users", token, {"user": {"name": name, "domain_id": "default", "password": "Raw-bench-pw-1", "default_project_id": p}})["user"]["id"]
        futures = [
            pool.submit(call, "PUT", "%s/projects/%s/users/%s/roles/%s" % (KS, p, u, role), token),
            pool.submit(call, "PUT", "%s/os-quota-sets/%s" % (nova, p), token, {"quota_set": compute_q}),
            pool.submit(call, "PUT", "%s/os-quota-sets/%s" % (cinder, p), token, {"quota_set": volume_q}),
            pool.submit(call, "PUT", "%s/quotas/%s" % (neutron, p), token, {"quota": network_q}),
        ]
        for f in futures:
            f.result()
        call("PATCH", KS + "/projects/" + p, token, {"project": {"vdcps_state": "active", "vdcps_user_id": u}})
        requests += 7
    seconds = time.monotonic() - t0
    if a.cleanup:
        for name in names:
            pid = call("GET", KS + "/projects?name=" + name, token)["projects"][0]["id"]
            for user in call("GET", KS + "/users?name=" + name, token)["users"]:
                call("DELETE", KS + "/users/" + user["id"], token)
            for url in ("%s/os-quota-sets/%s" % (nova, pid), "%s/os-quota-sets/%s" % (cinder, pid), "%s/quotas/%s" % (neutron, pid)):
                call("DELETE", url, token)
            call("DELETE", KS + "/projects/" + pid, token)
    print(json.dumps({"tenants": a.count, "seconds": round(seconds, 3), "requests": requests}))


if __name__ == "__main__":
    main()
