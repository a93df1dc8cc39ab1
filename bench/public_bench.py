"""Benchmark of the public pages under concurrent load, served by the real gunicorn.

    DATABASE_URL=postgres://.../samordna_bench uv run python bench/public_bench.py \
        [--clients 20] [--requests 600] [--time-cap 60] [--workers 4] [--cache both|on|off] [--rows ...]

Run `python manage.py bench_data` on that database first. The script starts gunicorn
(config.wsgi, DEBUG off, a free port on 127.0.0.1, BENCH_BARE_VIEW=1 so /bench/bare exists),
warms every worker on one URL of each kind, then for each row runs a bounded load:
`--clients` threads, each with its own http.client connection per request, sharing a fixed
number of requests, stopped early at the time cap. It reports p50/p95/max latency, requests
per second, errors and how many distinct URLs the row asked for:

- bare: a Django view that only returns "ok" (the floor: WSGI, middleware, gunicorn);
- board: /anslagstavla/ (every association), and the 72 per-association boards in turn;
- minutes: the public page of one justerade minutes, repeated; and `--requests` different
  minutes pages, the newest first, so that each request is a page nobody asked for before;
- search: one common word repeated; and `--requests` different searches (words of the
  dataset, alone or with an association, a year or an organ), each asked once, so none can
  come from the page cache.

The "mix" rows are what a cache cannot help: every URL is new (the script moves the public
cache's version on before it starts, so pages cached by an earlier run do not count). By default
every row runs twice, against a server with the page cache on and one with PUBLIC_CACHE_SECONDS=0
(every request renders); each row's "share" is its requests per second over the bare view's in
the same server run, the figure the targets (issue 18, README "Benchmarks") are set in. Client and server share the
machine's cores, so the figures include the client's own cost.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import keep  # noqa: E402


@dataclass
class Result:
    name: str
    path: str
    distinct: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0

    def row(self) -> dict[str, object]:
        lat = sorted(self.latencies)
        n = len(lat)

        def pct(p: float) -> float:
            return lat[min(n - 1, int(round(p * (n - 1))))] * 1000 if n else float("nan")

        return {
            "name": self.name, "path": self.path, "distinct": self.distinct, "requests": n,
            "errors": self.errors,
            "p50_ms": round(pct(0.50), 1), "p95_ms": round(pct(0.95), 1),
            "max_ms": round(lat[-1] * 1000, 1) if n else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if n else None,
            "rps": round(n / self.wall, 1) if self.wall else None,
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 30, host: str = "127.0.0.1") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, "Accept-Language": "sv"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(port: int, workers: int, *, cache: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        **({} if cache else {"PUBLIC_CACHE_SECONDS": "0"}),
        "DEBUG": "false",
        "BENCH_BARE_VIEW": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--backlog", "256", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if get(port, "/bench/bare", timeout=2)[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError("gunicorn did not answer within 60 s")


def forget_cached_pages() -> None:
    """Move the public cache's version on, so a row of distinct URLs is not answered from
    pages an earlier run cached today."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from minutes.public.cache import public_version_bump; public_version_bump()"],
        cwd=ROOT, check=True, capture_output=True,
    )


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def load(port: int, name: str, paths: list[str], *, clients: int, requests: int, time_cap: float,
         host: str = "127.0.0.1") -> Result:
    """`requests` GETs by `clients` threads; request i asks for paths[i % len(paths)]."""
    result = Result(name=name, path=paths[0] + (f" (+{len(paths) - 1} more)" if len(paths) > 1 else ""),
                    distinct=min(len(paths), requests))
    lock = threading.Lock()
    issued = [0]
    deadline = time.monotonic() + time_cap

    def worker() -> None:
        while True:
            with lock:
                if issued[0] >= requests or time.monotonic() > deadline:
                    return
                path = paths[issued[0] % len(paths)]
                issued[0] += 1
            started = time.perf_counter()
            try:
                status, _body = get(port, path, host=host)
                ok = status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - began
    return result


# Words of the dataset (bench_data's subjects and sentences), from common to rare.
SEARCH_WORDS = [
    "tilläggsäskande", "budget", "delårsrapport", "verksamhetsplan", "revisorerna", "samordningsteam",
    "arbetsträning", "stegförflyttning", "riskanalys", "internkontrollplan", "attestordning",
    "Arbetsförmedlingen", "Försäkringskassan", "utvärdering", "deltagare", "finansiering",
    "eget kapital", "presidiet", "styrgruppen", "årsredovisning", "metodutveckling", "medlemsinsatser",
    "ekonomitjänster", "överskott", "huvudmännen", "målgruppen", "Sala", "Köping", "Mora", "Gävle",
    '"fortsatt finansiering"', "budget -delårsrapport", "revisionsberättelse arbetsträning",
]


def json_get(port: int, path: str, host: str = "127.0.0.1") -> dict:
    status, body = get(port, path, host=host)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return json.loads(body)


def minutes_paths(port: int, count: int, host: str = "127.0.0.1") -> list[str]:
    """The web addresses of `count` justerade minutes, newest first, across associations."""
    bodies = [b["id"] for b in json_get(port, "/api/v1/public/bodies?page_size=100", host)["items"]
              if b["id"].startswith("bench-")]  # bench_data's, as run_mode's slugs
    per_body = max(1, -(-count // max(1, len(bodies))))
    paths: list[str] = []
    for body in bodies:
        url: str | None = f"/api/v1/public/meetings?body={body}&page_size=50"
        found = 0
        while url and found < per_body:
            page = json_get(port, url, host)
            paths.extend(item["web"] for item in page["items"])
            found += len(page["items"])
            url = page["next"]
    paths.sort(key=lambda p: p.split("/")[-3], reverse=True)  # by year, newest first
    return paths[:count]


def search_paths(count: int, slugs: list[str], organ_ids: list[int], years: list[int], seed: int = 5) -> list[str]:
    """`count` different searches: a word alone, or with an association, a year or an organ."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    paths: list[str] = []
    while len(paths) < count:
        params = {"q": rnd.choice(SEARCH_WORDS)}
        kind = rnd.random()
        if kind < 0.4:
            params["forbund"] = rnd.choice(slugs)
        elif kind < 0.7:
            params["ar"] = str(rnd.choice(years))
        elif kind < 0.85:
            params["organ"] = str(rnd.choice(organ_ids))
        else:
            params["sida"] = str(rnd.randint(1, 5))
        path = "/sok/?" + urlencode(params)
        if path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


def run_mode(args: argparse.Namespace, *, cache: bool) -> list[dict[str, object]]:
    """Every row against one gunicorn, with the page cache on or off; bare first."""
    forget_cached_pages()
    port = free_port()
    proc = start_gunicorn(port, args.workers, cache=cache)
    try:
        first = json_get(port, f"/api/v1/public/meetings?body={args.association}&page_size=1")["items"]
        if not first:
            raise SystemExit(f"No justerade minutes for {args.association}: run `manage.py bench_data` first.")
        bodies = json_get(port, "/api/v1/public/bodies?page_size=100")["items"]
        # bench_data's associations only: editor_bench.py (make bench) adds one of its own,
        # which would make every run after the first ask for one board more.
        slugs = [b["id"] for b in bodies if b["id"].startswith("bench-")]
        organ_ids = [o["id"] for o in json_get(port, "/api/v1/public/organizations?page_size=100")["items"]]
        years = sorted({int(p.split("/")[-3]) for p in minutes_paths(port, 50)} | set(range(2017, 2027)))
        targets: list[tuple[str, list[str]]] = [
            ("bare", ["/bench/bare"]),
            ("board", ["/anslagstavla/"]),
            ("board per förbund", [f"/anslagstavla/{slug}/" for slug in slugs]),
            ("minutes", [first[0]["web"]]),
            ("minutes mix", minutes_paths(port, args.requests)),
            ("search", [f"/sok/?q={quote(args.search)}"]),
            ("search mix", search_paths(args.requests, slugs, organ_ids, years)),
        ]
        if args.rows:
            wanted = {name.strip() for name in args.rows.split(",")} | {"bare"}
            targets = [(name, paths) for name, paths in targets if name in wanted]
        # Warm every worker (imports, templates, connections) on a URL the rows do not ask for.
        warm = ["/bench/bare", "/anslagstavla/?forbund=", "/tillganglighet/", "/sok/?q=uppv%C3%A4rmning"]
        for path in warm:
            for _ in range(args.workers * 3):
                get(port, path)
        results = [
            load(port, name, paths, clients=args.clients, requests=args.requests, time_cap=args.time_cap)
            for name, paths in targets
        ]
    finally:
        stop(proc)
    rows = [r.row() for r in results]
    bare_rps = next((r["rps"] for r in rows if r["name"] == "bare"), None)
    for r in rows:
        r["cache"] = "on" if cache else "off"
        r["share_of_bare"] = round(float(r["rps"]) / float(bare_rps), 3) if bare_rps and r["rps"] else None
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="requests per URL")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per URL at most")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--association", default="bench-07")
    parser.add_argument("--search", default="tilläggsäskande")
    parser.add_argument("--cache", choices=["both", "on", "off"], default="both",
                        help="the page cache on, off (PUBLIC_CACHE_SECONDS=0) or one run of each (default)")
    parser.add_argument("--no-cache", action="store_true", help="the same as --cache off")
    parser.add_argument("--rows", default="", help="only these rows, comma-separated (e.g. 'search mix'); bare always")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    modes = {"both": [True, False], "on": [True], "off": [False]}["off" if args.no_cache else args.cache]
    rows = [row for cache in modes for row in run_mode(args, cache=cache)]
    keep("public", rows)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(f"gunicorn {args.workers} sync workers, {args.clients} concurrent clients, "
              f"{args.requests} requests per row (cap {args.time_cap:.0f} s), {os.cpu_count()} CPUs; "
              "share = the row's req/s over the bare view's in the same server run")
        print(f"{'':18} {'cache':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>8} {'share':>7} "
              f"{'n':>6} {'urls':>6} {'err':>4}  path")
        for r in rows:
            share = f"{r['share_of_bare'] * 100:.1f}%" if r["share_of_bare"] is not None else "-"
            print(f"{r['name']:18} {r['cache']:>5} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8} "
                  f"{r['rps']:>8} {share:>7} {r['requests']:>6} {r['distinct']:>6} {r['errors']:>4}  {r['path']}")
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
