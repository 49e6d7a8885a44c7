#!/usr/bin/python3
"""Termination bench helper, Python stdlib only, against the lab (admin token).

seed  --project ID [--servers 2 --ports 20 --fips 10 --groups 14]
      Gives the project about 50 resources: servers (m1.tiny, no network, fake driver), a network
      with a subnet, a router with an interface on it and a gateway on 'public', ports, floating IPs
      from 'public', security groups. The lab has no Cinder volume service, so no volumes.
      Prints {"resources": n}.
raw   --project ID --user ID [--concurrency 4]
      The raw HTTP floor of Remove-VdcTenant's work on that project: the same deletes in the same
      dependency levels at the same concurrency (servers waited for with the same 2 s poll), then the
      same Keystone and quota requests (mark removing, reset quotas, revoke roles, delete user, the
      last PATCH). Prints {"seconds": s, "requests": r}.
"""
import argparse, json, time, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

KS = "http://127.0.0.1:5000/v3"
NOVA, NEUTRON = "http://127.0.0.1:8774/v2.1", "http://127.0.0.1:9696/v2.0"
COUNT = [0]


def call(method, url, token=None, body=None, want_header=None, ok404=False, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if token:
        req.add_header("X-Auth-Token", token)
    COUNT[0] += 1
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            raw = resp.read()
            doc = json.loads(raw) if raw else None
            return (resp.headers.get(want_header), doc) if want_header else doc
    except urllib.error.HTTPError as e:
        if ok404 and e.code == 404:
            return None
        raise RuntimeError("%s %s -> %s %s" % (method, url, e.code, e.read()[:300]))


def token_for(project_id=None):
    scope = {"project": {"id": project_id}} if project_id else {"project": {"name": "admin", "domain": {"id": "default"}}}
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}},
                     "scope": scope}}
    tok, doc = call("POST", KS + "/auth/tokens", body=auth, want_header="X-Subject-Token")
    return tok, doc["token"]["project"]["id"]


def seed(a):
    admin, _ = token_for()
    member_role = call("GET", KS + "/roles?name=member", admin)["roles"][0]["id"]
    admin_user = call("GET", KS + "/users?name=admin", admin)["users"][0]["id"]
    call("PUT", "%s/projects/%s/users/%s/roles/%s" % (KS, a.project, admin_user, member_role), admin)
    # room for the seed whatever the plan (untimed)
    call("PUT", NEUTRON + "/quotas/" + a.project, admin, {"quota": {"port": 200, "floatingip": 50, "security_group": 50, "network": 10, "subnet": 10, "router": 5}})
    call("PUT", NOVA + "/os-quota-sets/" + a.project, admin, {"quota_set": {"instances": 20, "cores": 40, "ram": 65536}})
    tok, _ = token_for(a.project)   # servers are made in the project (Nova has no project_id on create)
    public = call("GET", NEUTRON + "/networks?name=public", admin)["networks"][0]["id"]
    flavor = call("GET", NOVA + "/flavors?minDisk=0", admin)["flavors"]
    flavor = [f for f in flavor if f["name"] == "m1.tiny"][0]["id"]
    image = call("GET", "http://127.0.0.1:9292/v2/images?name=vdcps-tiny", admin)["images"][0]["id"]
    n = 0
    net = call("POST", NEUTRON + "/networks", admin, {"network": {"name": "b-net", "project_id": a.project}})["network"]["id"]
    sub = call("POST", NEUTRON + "/subnets", admin, {"subnet": {"name": "b-sub", "network_id": net, "ip_version": 4, "cidr": "10.90.0.0/22", "project_id": a.project}})["subnet"]["id"]
    rtr = call("POST", NEUTRON + "/routers", admin, {"router": {"name": "b-rtr", "project_id": a.project, "external_gateway_info": {"network_id": public}}})["router"]["id"]
    call("PUT", NEUTRON + "/routers/%s/add_router_interface" % rtr, admin, {"subnet_id": sub})
    n += 5  # network, subnet, router, interface, gateway
    pool = ThreadPoolExecutor(max_workers=4)
    ports = list(pool.map(lambda i: call("POST", NEUTRON + "/ports", admin, {"port": {"name": "b-port-%d" % i, "network_id": net, "project_id": a.project}})["port"]["id"], range(a.ports)))
    n += len(ports)
    fips = list(pool.map(lambda i: call("POST", NEUTRON + "/floatingips", admin, {"floatingip": {"floating_network_id": public, "project_id": a.project}}), range(a.fips)))
    n += len(fips)
    groups = list(pool.map(lambda i: call("POST", NEUTRON + "/security-groups", admin, {"security_group": {"name": "b-sg-%d" % i, "project_id": a.project}}), range(a.groups)))
    n += len(groups)
    servers = [call("POST", NOVA + "/servers", tok, {"server": {"name": "b-vm-%d" % i, "flavorRef": flavor, "imageRef": image, "networks": "none"}},
                    headers={"OpenStack-API-Version": "compute 2.37"})["server"]["id"] for i in range(a.servers)]
    deadline = time.monotonic() + 600
    for s in servers:
        while True:
            st = call("GET", NOVA + "/servers/" + s, admin)["server"]["status"]
            if st == "ACTIVE":
                break
            if st == "ERROR" or time.monotonic() > deadline:
                raise RuntimeError("server %s is %s" % (s, st))
            time.sleep(1)
    n += len(servers)
    call("DELETE", "%s/projects/%s/users/%s/roles/%s" % (KS, a.project, admin_user, member_role), admin)
    print(json.dumps({"resources": n}))


def raw(a):
    t0 = time.monotonic()
    COUNT[0] = 0
    admin, admin_project = token_for()
    p = a.project
    pool = ThreadPoolExecutor(max_workers=a.concurrency)
    call("PATCH", KS + "/projects/" + p, admin, {"project": {"enabled": False, "vdcps_state": "removing"}})
    cinder = "http://127.0.0.1:8776/v3/" + admin_project

    def inventory():
        # as VdcPS reads it: one list per kind, in parallel (Glance, Cinder, keypairs and credentials too)
        urls = {
            "servers": NOVA + "/servers/detail?all_tenants=1&project_id=%s&limit=500" % p,
            "fips": NEUTRON + "/floatingips?project_id=" + p,
            "routers": NEUTRON + "/routers?project_id=" + p,
            "ports": NEUTRON + "/ports?project_id=" + p,
            "subnets": NEUTRON + "/subnets?project_id=" + p,
            "networks": NEUTRON + "/networks?project_id=" + p,
            "groups": NEUTRON + "/security-groups?project_id=" + p,
            "volumes": cinder + "/volumes/detail?all_tenants=1&project_id=" + p,
            "snapshots": cinder + "/snapshots/detail?all_tenants=1&project_id=" + p,
            "backups": cinder + "/backups/detail?all_tenants=1&project_id=" + p,
            "images": "http://127.0.0.1:9292/v2/images?owner=" + p,
        }
        if a.user:
            urls["keypairs"] = NOVA + "/os-keypairs?user_id=" + a.user
            urls["credentials"] = KS + "/users/%s/application_credentials" % a.user
        futures = {k: pool.submit(call, "GET", u, admin) for k, u in urls.items()}
        return {k: f.result() for k, f in futures.items()}

    inv = inventory()

    def delete_server(s):
        call("DELETE", NOVA + "/servers/" + s, admin, ok404=True)
        while call("GET", NOVA + "/servers/" + s, admin, ok404=True) is not None:
            time.sleep(2)

    routers = [r["id"] for r in inv["routers"]["routers"]]
    iface_ports = [q for q in inv["ports"]["ports"] if q["device_owner"] == "network:router_interface"]
    plain_ports = [q["id"] for q in inv["ports"]["ports"] if not q["device_owner"].startswith("network:")]
    levels = [
        [(delete_server, s["id"]) for s in inv["servers"]["servers"]]
        + [(lambda f: call("DELETE", NEUTRON + "/floatingips/" + f, admin, ok404=True), f["id"]) for f in inv["fips"]["floatingips"]],
        [(lambda q: call("PUT", NEUTRON + "/routers/%s/remove_router_interface" % q["device_id"], admin, {"port_id": q["id"]}), q) for q in iface_ports]
        + [(lambda r: call("PUT", NEUTRON + "/routers/" + r, admin, {"router": {"external_gateway_info": {}}}), r) for r in routers],
        [(lambda r: call("DELETE", NEUTRON + "/routers/" + r, admin, ok404=True), r) for r in routers]
        + [(lambda q: call("DELETE", NEUTRON + "/ports/" + q, admin, ok404=True), q) for q in plain_ports],
        [(lambda s: call("DELETE", NEUTRON + "/subnets/" + s, admin, ok404=True), s["id"]) for s in inv["subnets"]["subnets"]],
        [(lambda n: call("DELETE", NEUTRON + "/networks/" + n, admin, ok404=True), n["id"]) for n in inv["networks"]["networks"]]
        + [(lambda g: call("DELETE", NEUTRON + "/security-groups/" + g, admin, ok404=True), g["id"]) for g in inv["groups"]["security_groups"]],
    ]
    deleted = 0
    for level in levels:
        for f in [pool.submit(fn, arg) for fn, arg in level]:
            f.result()
        deleted += len(level)
    # read back (VdcPS goes on only when nothing is left), then the recreated default group
    again = inventory()
    for f in [pool.submit(call, "DELETE", NEUTRON + "/security-groups/" + g["id"], admin, None, None, True) for g in again["groups"]["security_groups"]]:
        f.result()
    # the Keystone and quota steps of a termination
    quotas = [pool.submit(call, "DELETE", u, admin, ok404=True) for u in (NOVA + "/os-quota-sets/" + p, cinder + "/os-quota-sets/" + p, NEUTRON + "/quotas/" + p)]
    assignments = call("GET", KS + "/role_assignments?scope.project.id=" + p, admin)["role_assignments"]
    for f in [pool.submit(call, "DELETE", "%s/projects/%s/users/%s/roles/%s" % (KS, p, x["user"]["id"], x["role"]["id"]), admin) for x in assignments if "user" in x]:
        f.result()
    for f in quotas:
        f.result()
    if a.user:
        call("DELETE", KS + "/users/" + a.user, admin, ok404=True)
    call("PATCH", KS + "/projects/" + p, admin, {"project": {"name": "vdcps-terminated-" + p, "enabled": False, "vdcps_state": "terminated"}})
    print(json.dumps({"seconds": round(time.monotonic() - t0, 3), "requests": COUNT[0], "deleted": deleted}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["seed", "raw"])
    ap.add_argument("--project", required=True)
    ap.add_argument("--user", default="")
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--ports", type=int, default=20)
    ap.add_argument("--fips", type=int, default=10)
    ap.add_argument("--groups", type=int, default=14)
    ap.add_argument("--concurrency", type=int, default=4)
    a = ap.parse_args()
    seed(a) if a.mode == "seed" else raw(a)


if __name__ == "__main__":
    main()
