#!/usr/bin/python3
"""The raw HTTP floor of a month of usage per tenant, written from Nova's and Keystone's API reference,
not from VdcPS's requests: the fewest requests that give every tenant's totals with its name.
  - one Keystone token (POST /v3/auth/tokens?nocatalog: the endpoints come from lab.json),
  - GET /os-simple-tenant-usage at microversion 2.40 with detailed=0 (totals only: the per-server
    lines are not needed for tenant totals) and limit=1000, following the next links' markers; a
    tenant's servers can span pages, so its totals are added up by tenant id,
  - one GET /v3/projects for the names.
With Python's stdlib and nothing else. --detailed asks detailed=1 instead (to measure what the
per-server lines cost). Prints JSON: seconds (requests and parsing only), pages, bytes, servers
(only with --detailed), tenants, totals, peak RSS (MiB).
Usage: raw-usage.py --start 2024-02-01T00:00:00 --end 2024-03-01T00:00:00 [--lab .lab] [--detailed]
"""
import argparse
import http.client
import json
import os
import resource
import time
import urllib.parse


def call(method, url, token=None, body=None, headers=None):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.netloc, timeout=300)
    h = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        h["X-Auth-Token"] = token
    h.update(headers or {})
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=json.dumps(body) if body else None, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status >= 300:
        raise SystemExit(f"{method} {url} -> {r.status}: {data[:300]!r}")
    return r, data


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab", default=os.environ.get("VDCPS_LAB_DIR") or os.path.join(here, "..", ".lab"))
    ap.add_argument("--start", required=True)
    ap.add_argument("--end", required=True)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--detailed", action="store_true", help="ask detailed=1 (per-server lines) instead of detailed=0")
    args = ap.parse_args()
    cfg = json.load(open(os.path.join(args.lab, "lab.json")))

    t0 = time.monotonic()
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": cfg["username"], "domain": {"id": cfg["domain_id"]}, "password": cfg["password"]}}},
        "scope": {"project": {"name": cfg["project_name"], "domain": {"id": cfg["domain_id"]}}}}}
    r, _ = call("POST", cfg["auth_url"] + "/auth/tokens?nocatalog", body=auth)
    token = r.getheader("X-Subject-Token")
    _, projects = call("GET", cfg["auth_url"] + "/projects", token)
    names = {p["id"]: p["name"] for p in json.loads(projects)["projects"]}

    nova = cfg["endpoints"]["compute"]
    mv = {"OpenStack-API-Version": "compute 2.40", "X-OpenStack-Nova-API-Version": "2.40"}
    q = {"start": args.start, "end": args.end, "detailed": "1" if args.detailed else "0", "limit": str(args.limit)}
    totals, pages, servers, size = {}, 0, 0, 0
    while True:
        _, data = call("GET", nova + "/os-simple-tenant-usage?" + urllib.parse.urlencode(q), token, headers=mv)
        size += len(data)
        doc = json.loads(data)
        pages += 1
        for t in doc["tenant_usages"]:
            s = totals.setdefault(t["tenant_id"], [0.0, 0.0, 0.0, 0.0])
            s[0] += t["total_hours"]; s[1] += t["total_vcpus_usage"]
            s[2] += t["total_memory_mb_usage"]; s[3] += t["total_local_gb_usage"]
            servers += len(t.get("server_usages", []))
        nxt = [l["href"] for l in doc.get("tenant_usages_links", []) if l.get("rel") == "next"]
        if not nxt:
            break
        q["marker"] = urllib.parse.parse_qs(urllib.parse.urlsplit(nxt[0]).query)["marker"][0]
    seconds = time.monotonic() - t0
    print(json.dumps({
        "seconds": round(seconds, 3), "pages": pages, "bytes": size, "detailed": args.detailed,
        "servers": servers if args.detailed else None, "tenants": len(totals),
        "named": sum(1 for t in totals if t in names),
        "instance_hours": sum(v[0] for v in totals.values()), "vcpu_hours": sum(v[1] for v in totals.values()),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
