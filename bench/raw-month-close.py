#!/usr/bin/python3
"""The floor of a month close, written from the OpenStack API reference and the price list, not from
VdcPS's requests or code: the fewest requests that give every tenant's usage and plan, then a plain
script that rates it and writes one invoice file per customer.

Requests (Python's stdlib, one connection each, in order):
  - one Keystone token (POST /v3/auth/tokens?nocatalog: the endpoints come from lab.json),
  - GET /os-simple-tenant-usage at microversion 2.40 with detailed=0 (tenant totals only) and
    limit=1000, following the next links' markers; a tenant's servers can span pages, so its totals
    are added up by tenant id,
  - one GET /v3/projects (names, plans, customers, histories).
Rating (the catalog read with PyYAML): for every project with a vdcps_plan, active through the whole
period or not at all (its history has no event inside the period; any other tenant is refused with
exit code 3, so the floor never silently rates differently): the plan's monthly fee for every day of
the month when it was active at the start,
and for each Nova resource the plan prices, quantity x rate; every amount rounded half away from
zero to the cent. RAM is Nova's MB-hours / 1024. Invoices: one CSV per customer, lines sorted by
tenant name, fees first; subtotals per charge type and the total.

Usage: raw-month-close.py --start 2023-05-01T00:00:00 --end 2023-06-01T00:00:00 --catalog plans.yaml --out DIR
Prints JSON: seconds (all of it: requests, rating, files), request seconds, pages, tenants, invoices, lines, total.
"""
import argparse
import calendar
import datetime as dt
import http.client
import json
import os
import resource
import time
import urllib.parse
from decimal import Decimal, ROUND_HALF_UP

import yaml

NOVA_RESOURCES = ("disk-gb-hour", "instance-hour", "ram-gb-hour", "vcpu-hour")
CENT = Decimal("0.01")


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


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def money(x):
    return x.quantize(CENT, rounding=ROUND_HALF_UP)   # ROUND_HALF_UP is half away from zero in decimal


def text(d):
    s = format(d.normalize(), "f")
    return s


def csv_row(fields):
    return ",".join('"' + str(f).replace('"', '""') + '"' for f in fields) + "\r\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab", default=os.environ.get("VDCPS_LAB_DIR") or os.path.join(here, "..", ".lab"))
    ap.add_argument("--start", required=True)
    ap.add_argument("--end", required=True)
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    cfg = json.load(open(os.path.join(args.lab, "lab.json")))
    start, end = parse_time(args.start), parse_time(args.end)

    t0 = time.monotonic()
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": cfg["username"], "domain": {"id": cfg["domain_id"]}, "password": cfg["password"]}}},
        "scope": {"project": {"name": cfg["project_name"], "domain": {"id": cfg["domain_id"]}}}}}
    r, _ = call("POST", cfg["auth_url"] + "/auth/tokens?nocatalog", body=auth)
    token = r.getheader("X-Subject-Token")

    nova = cfg["endpoints"]["compute"]
    mv = {"OpenStack-API-Version": "compute 2.40", "X-OpenStack-Nova-API-Version": "2.40"}
    q = {"start": args.start, "end": args.end, "detailed": "0", "limit": "1000"}
    usage, pages = {}, 0
    while True:
        _, data = call("GET", nova + "/os-simple-tenant-usage?" + urllib.parse.urlencode(q), token, headers=mv)
        doc = json.loads(data, parse_float=Decimal)
        pages += 1
        for t in doc["tenant_usages"]:
            s = usage.setdefault(t["tenant_id"], {k: Decimal(0) for k in NOVA_RESOURCES})
            s["instance-hour"] += Decimal(t["total_hours"])
            s["vcpu-hour"] += Decimal(t["total_vcpus_usage"])
            s["ram-gb-hour"] += Decimal(t["total_memory_mb_usage"]) / 1024
            s["disk-gb-hour"] += Decimal(t["total_local_gb_usage"])
        nxt = [l["href"] for l in doc.get("tenant_usages_links", []) if l.get("rel") == "next"]
        if not nxt:
            break
        q["marker"] = urllib.parse.parse_qs(urllib.parse.urlsplit(nxt[0]).query)["marker"][0]
    _, data = call("GET", cfg["auth_url"] + "/projects", token)
    projects = json.loads(data)["projects"]
    request_seconds = time.monotonic() - t0

    catalog = yaml.safe_load(open(args.catalog))
    currency = catalog.get("currency", "EUR")
    days = calendar.monthrange(start.year, start.month)[1]
    whole_month = start.day == 1 and start.time() == dt.time(0) and end == (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if not whole_month:
        raise SystemExit("the floor rates whole calendar months only")
    invoices = {}
    for p in projects:
        plan_name = p.get("vdcps_plan")
        if not plan_name:
            continue
        active = False
        for e in sorted(p.get("vdcps_history") or [], key=lambda e: e["at"]):
            at = parse_time(e["at"])
            if start <= at < end:
                print(json.dumps({"refused": p["id"], "why": "history event inside the period"}))
                raise SystemExit(3)
            if at < start:
                active = e["event"] in ("activated", "resumed", "plan-changed")
                plan_name = e.get("plan") or plan_name
        if not active and not usage.get(p["id"]):
            continue     # not active in the period and nothing used: no line
        plan = catalog["plans"][plan_name]
        prices = plan.get("prices", {})
        customer = p.get("vdcps_customer", "")
        lines = invoices.setdefault(customer, [])
        fee = Decimal(str(prices.get("monthly_fee", 0)))
        if fee and active:
            lines.append((p["name"], p["id"], 0, plan_name, "MonthlyFee", f"monthly fee {start:%Y-%m}", Decimal(days), "day",
                          (fee / days).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP), money(fee * days / days)))
        rates = prices.get("rates") or {}
        for res in NOVA_RESOURCES:
            qty = usage.get(p["id"], {}).get(res, Decimal(0))
            if qty and res in rates:
                rate = Decimal(str(rates[res]))
                lines.append((p["name"], p["id"], 3, plan_name, "PayPerUse", res, qty, res, rate, money(qty * rate)))

    os.makedirs(args.out, exist_ok=True)
    # the layout of Export-VdcInvoice: lines only (their Amount column sums to the total), and a summary file
    header = ["CustomerId", "TenantId", "TenantName", "Plan", "PeriodStart", "PeriodEnd", "ServicePeriodStart", "ServicePeriodEnd",
              "ChargeType", "Description", "Quantity", "Unit", "UnitPrice", "Amount", "Currency", "Source"]
    summary_header = ["CustomerId", "PeriodStart", "PeriodEnd", "Currency", "Tenants", "LineCount", "MonthlyFees", "Allocations",
                      "SetupFees", "ProfessionalServices", "PayPerUse", "Total", "Source"]
    d0, d1 = start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")
    n_lines, grand = 0, Decimal(0)
    for customer, lines in sorted(invoices.items()):
        if not lines:
            continue
        lines.sort(key=lambda l: (l[0], l[1], l[2], l[5]))
        out = [csv_row(header)]
        sums = {"MonthlyFee": Decimal(0), "Allocation": Decimal(0), "SetupFee": Decimal(0), "ProfessionalService": Decimal(0), "PayPerUse": Decimal(0)}
        for (name, pid, _, plan_name, kind, desc, qty, unit, price, amount) in lines:
            out.append(csv_row([customer, pid, name, plan_name, d0, d1, d0, d1, kind, desc, text(qty), unit, text(price), text(amount), currency, "floor"]))
            sums[kind] += amount
        total = sum(sums.values())
        tenants = "; ".join(sorted({l[0] for l in lines}))
        summary = [csv_row(summary_header), csv_row([customer, d0, d1, currency, tenants, str(len(lines))]
                                                    + [format(a, ".2f") for a in sums.values()] + [format(total, ".2f"), "floor"])]
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-.") else "_" for c in customer or "no-customer")
        with open(os.path.join(args.out, f"{safe}_{start:%Y-%m}_{currency}.csv"), "w", encoding="utf-8-sig", newline="") as f:
            f.write("".join(out))
        with open(os.path.join(args.out, f"{safe}_{start:%Y-%m}_{currency}.summary.csv"), "w", encoding="utf-8-sig", newline="") as f:
            f.write("".join(summary))
        n_lines += len(lines)
        grand += total
    seconds = time.monotonic() - t0
    print(json.dumps({"seconds": round(seconds, 3), "request_seconds": round(request_seconds, 3), "pages": pages,
                      "tenants": sum(1 for p in projects if p.get("vdcps_plan")), "invoices": sum(1 for l in invoices.values() if l),
                      "lines": n_lines, "total": format(grand, ".2f"),
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
