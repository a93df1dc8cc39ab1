"""The public API's lists at depth (issue 18): `GET /api/v1/public/agendaItems` page 1 and page
1,000 (reached by following `next` 999 times), and the same for `meetings` and `notices` at
the deepest page they have, next to the bare view, in one run, in process.

    DATABASE_URL=.../samordna_bench uv run python bench/api_depth.py [--runs 30] [--depth 1000]

Needs the bench dataset (`manage.py bench_data`). Through Django's test client with DEBUG
off, so the time is the server's. For each row: the queries of one request (held constant by
tests/public/test_queries.py), median and p95 time, and the median as a multiple of the bare
view's and of the same list's first page.
The lists are paged by keyset (config.api_params.Keyset): page 1,000 should cost what page 1
costs (the target: within 2x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["BENCH_BARE_VIEW"] = "1"
os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()


from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.results import keep  # noqa: E402


def deep(client: Client, url: str, depth: int) -> tuple[str, int]:
    """The address of page `depth` of the list at `url` (or its last page), and its number."""
    number = 1
    while number < depth:
        following = client.get(url).json()["next"]
        if not following:
            break
        url, number = following, number + 1
    return url, number


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    count = len(queries)  # now: the next request empties the connection's log
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--depth", type=int, default=1000)
    args = parser.parse_args()
    client = Client()
    rows: list[tuple[str, str]] = [("bare", "/bench/bare")]
    for endpoint in ("agendaItems", "meetings", "notices"):
        first = f"/api/v1/public/{endpoint}?page_size=50"
        url, number = deep(client, first, args.depth)
        rows += [(f"{endpoint} page 1", first), (f"{endpoint} page {number}", url)]
    results = {name: measure(client, url, args.runs) for name, url in rows}
    keep("api_depth", {name: {"p50_ms": p50, "p95_ms": p95, "queries": n} for name, (p50, p95, n) in results.items()})
    bare = results["bare"][0]
    print(f"in process, DEBUG off, {args.runs} runs a row; x bare = median over the bare view's median")
    print(f"{'':26} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} {'x page 1':>9}")
    for name, _url in rows:
        p50, p95, count = results[name]
        base = name.split(" page ")[0]
        page1 = results.get(f"{base} page 1")
        ratio = f"{p50 / page1[0]:.2f}" if page1 and " page " in name else "-"
        print(f"{name:26} {count:>7} {p50:>8.1f} {p95:>8.1f} {p50 / bare:>7.1f} {ratio:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
