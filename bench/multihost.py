"""Figures of several hosts (issue 19): the public pages through the load balancer of
tests/multihost/cluster.py (network namespaces; HAProxy, gunicorn nodes of 2 sync workers each,
two Celery workers, PostgreSQL primary and streaming standby, one Redis), on a copy of the bench
dataset, in one run:

    sudo make bench-hosts          # or: DATABASE_URL=.../samordna_bench uv run python bench/multihost.py

Rows (each with its share of the bare view's requests per second in the same configuration):
bare, the board, `--requests` different minutes pages and `--requests` different searches, with
the page cache off (what scaling has to carry), for: two web nodes reading the standby, one web
node reading the standby, two web nodes reading the primary. Then the time from the last
signature of a justering (through the load balancer) to its notice being visible on the board
read from the standby. All parts share this machine's cores, so two nodes cannot be twice one:
the figures show what the layout costs and that it keeps working, not capacity.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.db import connections  # noqa: E402

from bench.public_bench import json_get, load, minutes_paths, search_paths  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.multihost.cluster import Cluster  # noqa: E402


def rows(cluster: Cluster, args: argparse.Namespace, label: str) -> list[dict[str, object]]:
    host = cluster.host("lb").address
    slugs = [b["id"] for b in json_get(80, "/api/v1/public/bodies?page_size=100", host)["items"]]
    organs = [o["id"] for o in json_get(80, "/api/v1/public/organizations?page_size=100", host)["items"]]
    targets = [
        ("bare", ["/bench/bare"]),
        ("board", ["/anslagstavla/"]),
        ("minutes mix", minutes_paths(80, args.requests, host)),
        ("search mix", search_paths(args.requests, slugs, organs, list(range(2017, 2027)), seed=len(label))),
    ]
    targets = [(name, paths) for name, paths in targets if paths]  # no minutes in a dataset without any
    for path in ("/bench/bare", "/anslagstavla/?forbund=", "/sok/?q=uppv%C3%A4rmning"):
        for _ in range(12):
            httpx.get(f"http://{host}{path}", timeout=30)
    # Warm the database servers (a fresh standby reads its indexes from disk at first) on
    # searches and minutes pages that the rows do not ask for; not counted.
    warm = search_paths(150, slugs, organs, list(range(2017, 2027)), seed=1000 + len(label))
    warm += minutes_paths(80, args.requests + 150, host)[args.requests:]
    load(80, "warm", warm, clients=4, requests=len(warm), time_cap=120, host=host)
    results = [load(80, name, paths, clients=args.clients, requests=args.requests, time_cap=args.time_cap, host=host)
               for name, paths in targets]
    out = [r.row() for r in results]
    bare = float(out[0]["rps"])
    for r in out:
        r["setup"] = label
        r["share_of_bare"] = round(float(r["rps"]) / bare, 3) if bare else None
    return out


def signature_to_board(cluster: Cluster) -> float:
    """Seconds from the answer to the last signature to the notice on the board (standby)."""
    data, url = cluster.data, cluster.url
    meeting = data["meeting"]

    def person(username: str) -> httpx.Client:
        client = httpx.Client(base_url=url, timeout=60)
        client.get("/konto/logga-in/")
        client.post("/konto/logga-in/", data={"username": username, "password": PASSWORD,
                                              "csrfmiddlewaretoken": client.cookies["csrftoken"]})
        return client

    def post(client: httpx.Client, path: str, data: dict[str, object]) -> None:
        answer = client.post(path, data={**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]})
        if answer.status_code != 302:
            raise SystemExit(f"{path} answered {answer.status_code}")

    secretary = person(str(data["secretary"]))
    post(secretary, f"/sammantraden/{meeting}/justering/skicka/", {})
    for who in ("chair", "member"):
        post(person(str(data[who])), f"/sammantraden/{meeting}/justering/skriv-under/", {"password": PASSWORD, "version": 1})
    post(secretary, f"/sammantraden/{meeting}/justering/skriv-under/", {"password": PASSWORD, "version": 1})
    signed = time.monotonic()
    ((title,),) = cluster.sql("SELECT title FROM minutes_notice WHERE meeting_id = %s", [meeting])
    while title not in httpx.get(f"{url}/anslagstavla/kluster/", timeout=30).text:
        if time.monotonic() - signed > 120:
            raise SystemExit("the notice did not reach the board within 120 s")
        time.sleep(0.02)
    return time.monotonic() - signed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300, help="requests per row")
    parser.add_argument("--time-cap", type=float, default=60)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("the hosts are network namespaces: run as root")
    cluster = Cluster(env_extra={"BENCH_BARE_VIEW": "1", "PUBLIC_CACHE_SECONDS": "0", "LOG_LEVEL": "WARNING"})
    try:
        started = time.monotonic()
        cluster.start(connections["default"].settings_dict)
        print(f"cluster with a copy of {connections['default'].settings_dict['NAME']} up in "
              f"{time.monotonic() - started:.0f} s", flush=True)
        table = rows(cluster, args, "2 nodes, standby")
        cluster.balance("web1")
        table += rows(cluster, args, "1 node, standby")
        cluster.balance("web1", "web2")
        cluster.restart_webs(public_reads_from_standby=False)
        table += rows(cluster, args, "2 nodes, primary")
        cluster.restart_webs(public_reads_from_standby=True)
        seconds = signature_to_board(cluster)
    finally:
        cluster.close()
    print(f"{args.clients} clients, {args.requests} requests per row, page cache off, {os.cpu_count()} CPUs "
          "shared by every host; share = the row's req/s over the bare view's in the same set-up")
    print(f"{'set-up':18} {'row':12} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'share':>7} {'err':>4}")
    for r in table:
        share = f"{r['share_of_bare'] * 100:.1f}%" if r["share_of_bare"] is not None else "-"
        print(f"{r['setup']:18} {r['name']:12} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['rps']:>8} {share:>7} {r['errors']:>4}")
    print(f"last signature -> notice on the board read from the standby: {seconds:.2f} s")
    return 0 if all(r["errors"] == 0 for r in table) else 1


if __name__ == "__main__":
    raise SystemExit(main())
