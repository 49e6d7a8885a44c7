#!/usr/bin/python3
"""Idempotent set-up of what real servers need in the VdcPS lab (called by lab.sh; stdlib only).

  flavors  m1.tiny (id 1), m1.small (2), m1.medium (3), m1.large (4), public. The demo's seeded
           month uses the same names and sizes.
  image    "vdcps-tiny": a 4 KiB raw image (bare), public. Nova's fake virt driver never reads it,
           but Nova checks that it exists, is active and fits the flavor.
  network  "public": a shared external flat network (physical network "public") with the subnet
           "public-subnet" 203.0.113.0/24 (TEST-NET-3, no DHCP), for routers' gateways and floating
           IPs (a plan's starter_network names it as external_network). Ports stay unbound: ML2 has
           no mechanism driver here (see NOTES.md), which floating IPs do not need.

Usage: lab-servers.py [--lab DIR]
"""
import argparse
import importlib.util
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("lab_setup", os.path.join(HERE, "lab-setup.py"))
lab_setup = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab_setup)

# (id, name, vcpus, ram MiB, disk GiB)
FLAVORS = [
    ("1", "m1.tiny", 1, 512, 1),
    ("2", "m1.small", 1, 2048, 20),
    ("3", "m1.medium", 2, 4096, 40),
    ("4", "m1.large", 4, 8192, 80),
]
IMAGE_NAME = "vdcps-tiny"
IMAGE_BYTES = b"\0" * 4096


def setup_flavors(cfg, http):
    nova = cfg["endpoints"]["compute"]
    have = {f["name"]: f for f in http("GET", f"{nova}/flavors/detail?is_public=None")[2]["flavors"]}
    created = []
    for fid, name, vcpus, ram, disk in FLAVORS:
        f = have.get(name)
        if f is None:
            http("POST", f"{nova}/flavors", {"flavor": {
                "id": fid, "name": name, "vcpus": vcpus, "ram": ram, "disk": disk,
                "os-flavor-access:is_public": True}})
            created.append(f"flavor {name}")
        elif (f["vcpus"], f["ram"], f["disk"]) != (vcpus, ram, disk):
            print(f"warning: flavor {name} exists with {f['vcpus']} vCPU, {f['ram']} MiB, {f['disk']} GiB;"
                  f" expected {vcpus}, {ram}, {disk}: left alone", file=sys.stderr)
    return created


def setup_image(cfg, http):
    glance = cfg["endpoints"]["image"]
    images = http("GET", f"{glance}/v2/images?name={IMAGE_NAME}")[2]["images"]
    active = [i for i in images if i["status"] == "active"]
    if active:
        return []
    for broken in images:   # an upload that was interrupted: queued or saving without data
        http("DELETE", f"{glance}/v2/images/{broken['id']}")
    image = http("POST", f"{glance}/v2/images", {
        "name": IMAGE_NAME, "disk_format": "raw", "container_format": "bare",
        "visibility": "public", "min_disk": 0, "min_ram": 0})[2]
    req = lab_setup.urllib.request.Request(f"{glance}/v2/images/{image['id']}/file", data=IMAGE_BYTES,
                                           method="PUT")
    req.add_header("Content-Type", "application/octet-stream")
    req.add_header("X-Auth-Token", http.token)
    with lab_setup.OPENER.open(req, timeout=60) as resp:
        resp.read()
    status = http("GET", f"{glance}/v2/images/{image['id']}")[2]["status"]
    if status != "active":
        raise SystemExit(f"image {IMAGE_NAME} is {status} after the upload")
    return [f"image {IMAGE_NAME} ({image['id']})"]


PUBLIC_NET = "public"
PUBLIC_SUBNET = "public-subnet"
PUBLIC_CIDR = "203.0.113.0/24"


def setup_public_network(cfg, http):
    neutron = cfg["endpoints"]["network"].rstrip("/")
    created = []
    nets = http("GET", f"{neutron}/v2.0/networks?name={PUBLIC_NET}")[2]["networks"]
    if nets:
        net = nets[0]
        if not net.get("router:external"):
            print(f"warning: network {PUBLIC_NET} exists but is not external: left alone", file=sys.stderr)
    else:
        net = http("POST", f"{neutron}/v2.0/networks", {"network": {
            "name": PUBLIC_NET, "router:external": True, "shared": True,
            "provider:network_type": "flat", "provider:physical_network": PUBLIC_NET}})[2]["network"]
        created.append(f"network {PUBLIC_NET} ({net['id']})")
    subnets = http("GET", f"{neutron}/v2.0/subnets?network_id={net['id']}&name={PUBLIC_SUBNET}")[2]["subnets"]
    if not subnets:
        http("POST", f"{neutron}/v2.0/subnets", {"subnet": {
            "name": PUBLIC_SUBNET, "network_id": net["id"], "ip_version": 4, "cidr": PUBLIC_CIDR,
            "gateway_ip": "203.0.113.1", "enable_dhcp": False}})
        created.append(f"subnet {PUBLIC_SUBNET} {PUBLIC_CIDR}")
    return created


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab", default=os.environ.get("VDCPS_LAB_DIR") or os.path.join(HERE, "..", "..", ".lab"))
    args = ap.parse_args()
    with open(os.path.join(args.lab, "lab.json")) as f:
        cfg = json.load(f)
    t0 = time.monotonic()
    http = lab_setup.Http(lab_setup.admin_token(cfg))
    created = setup_flavors(cfg, http) + setup_image(cfg, http) + setup_public_network(cfg, http)
    print("servers: " + (", ".join(created) if created else "nothing to change"))
    print(f"lab-servers: {time.monotonic() - t0:.2f}s")


if __name__ == "__main__":
    sys.exit(main())
