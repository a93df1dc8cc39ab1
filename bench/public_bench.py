"""Benchmark of the public pages under concurrent load, served by the real gunicorn.

    DATABASE_URL=postgres://.../samordna_h6bench uv run python bench/public_bench.py \
        [--clients 20] [--requests 600] [--time-cap 60] [--workers 4]

Run `python manage.py bench_data` on that database first. The script starts gunicorn
(config.wsgi, DEBUG off, a free port on 127.0.0.1, BENCH_BARE_VIEW=1 so /bench/bare exists),
warms it up, then for each URL runs a bounded load: `--clients` threads, each with its own
http.client connection per request, sharing a fixed number of requests, stopped early at the
time cap. It reports p50/p95/max latency, requests per second and errors for:

- bare: a Django view that only returns "ok" (the floor: WSGI, middleware, gunicorn),
- board: /anslagstavla/,
- minutes: the public page of one justerade minutes (the most recent of bench-07),
- search: /sok/?q=... (a common word: about a third of all paragraphs match; and a rarer one).

Client and server share the machine's cores, so the figures include the client's own cost.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    name: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0

    def row(self) -> dict[str, object]:
        lat = sorted(self.latencies)
        n = len(lat)

        def pct(p: float) -> float:
            return lat[min(n - 1, int(round(p * (n - 1))))] * 1000 if n else float("nan")

        return {
            "name": self.name, "path": self.path, "requests": n, "errors": self.errors,
            "p50_ms": round(pct(0.50), 1), "p95_ms": round(pct(0.95), 1),
            "max_ms": round(lat[-1] * 1000, 1) if n else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if n else None,
            "rps": round(n / self.wall, 1) if self.wall else None,
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Language": "sv"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
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


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def load(port: int, name: str, path: str, *, clients: int, requests: int, time_cap: float) -> Result:
    result = Result(name=name, path=path)
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + time_cap

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, _body = get(port, path)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="requests per URL")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per URL at most")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--association", default="bench-07")
    parser.add_argument("--search", default="tilläggsäskande")
    parser.add_argument("--rare-search", default="revisionsberättelse arbetsträning")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    port = free_port()
    proc = start_gunicorn(port, args.workers)
    try:
        status, body = get(port, f"/api/v1/public/meetings?body={args.association}&page_size=1")
        if status != 200 or not json.loads(body)["items"]:
            raise SystemExit(f"No justerade minutes for {args.association}: run `manage.py bench_data` first.")
        minutes_path = json.loads(body)["items"][0]["web"]
        targets = [
            ("bare", "/bench/bare"),
            ("board", "/anslagstavla/"),
            ("minutes", minutes_path),
            ("search", f"/sok/?q={quote(args.search)}"),
            ("search (rare)", f"/sok/?q={quote(args.rare_search)}"),
        ]
        for _name, path in targets:  # warm every worker: imports, templates, connections
            for _ in range(args.workers * 3):
                get(port, path)
        results = [
            load(port, name, path, clients=args.clients, requests=args.requests, time_cap=args.time_cap)
            for name, path in targets
        ]
    finally:
        stop(proc)
    rows = [r.row() for r in results]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(f"gunicorn {args.workers} sync workers, {args.clients} concurrent clients, "
              f"{args.requests} requests per URL (cap {args.time_cap:.0f} s), {os.cpu_count()} CPUs")
        print(f"{'':15} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>8} {'n':>6} {'err':>4}  path")
        for r in rows:
            print(f"{r['name']:15} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8} {r['rps']:>8} "
                  f"{r['requests']:>6} {r['errors']:>4}  {r['path']}")
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
