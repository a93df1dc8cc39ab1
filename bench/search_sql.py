"""The search's candidates query alone, in PostgreSQL, for the searches of the bench mix:
what one tree's SQL costs the database, without the web process's noise.

    DATABASE_URL=postgres://.../samordna_bench uv run python bench/search_sql.py [--searches 300]

For each search of bench/public_bench.py's mix (the same words and filters), the candidates
query is run as the search runs it (minutes/public/search.py, compiled), its SQL captured,
and then timed: the CPU time of this connection's PostgreSQL backend and the wall time, per
query over `--rounds` passes, and EXPLAIN (ANALYZE)'s planning and execution time (the faster
of two), with the slowest 5 % and the slowest. `SELECT 1`, the bare query, is timed the same
way, and each mean is printed as a multiple of it. Made to compare two trees, each with the
dataset its migrations make (`manage.py bench_data`), run alternately from each tree's root.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.public_bench import search_paths  # noqa: E402
from bench.public_inprocess import _backend_cpu  # noqa: E402  (it sets Django up, as the server does)
from board.models import Organ, Organisation  # noqa: E402
from minutes.public import search  # noqa: E402
from minutes.public.selectors import longest_minutes_retention, organisation_choices, today  # noqa: E402


def candidates_sql(paths: list[str]) -> list[str]:
    """The candidates query of each search, as search_page sends it (values in place)."""
    organisations = organisation_choices()
    ids = {o.slug: o.pk for o in organisations}
    longest = longest_minutes_retention(organisations)
    sqls = []
    for path in paths:
        asked = {name: values[0] for name, values in parse_qs(urlparse(path).query).items()}
        filters = search.Filters(organisation_id=ids.get(asked.get("forbund", "")),
                                 year=int(asked["ar"]) if "ar" in asked else None,
                                 organ_id=int(asked["organ"]) if "organ" in asked else None)
        compiled, given = search.candidates_for(filters, search.CANDIDATES)
        with CaptureQueriesContext(connection) as ctx:
            compiled.rows(text=asked["q"], day=today(), longest_months=longest, **given)
        sqls.append(ctx.captured_queries[-1]["sql"])
    return sqls


def timed(sqls: list[str], rounds: int) -> dict[str, float]:
    """Per query: the backend's CPU and the wall time over `rounds` passes, and EXPLAIN's."""
    cpu = _backend_cpu()
    explained = []
    with connection.cursor() as cursor:
        for sql in sqls:  # warm: the pages in PostgreSQL's buffers
            cursor.execute(sql)
        cpu_start, wall_start = cpu(), time.perf_counter()
        for _ in range(rounds):
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
        cpu_used, wall = cpu() - cpu_start, time.perf_counter() - wall_start
        for sql in sqls:
            runs = []
            for _ in range(2):
                cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0][0]
                runs.append((plan["Planning Time"] + plan["Execution Time"], plan["Planning Time"],
                             plan["Execution Time"]))
            explained.append(min(runs))
    count = len(sqls) * rounds
    totals = sorted(total for total, _, _ in explained)
    return {
        "cpu": 1000 * cpu_used / count, "wall": 1000 * wall / count,
        "planning": sum(p for _, p, _ in explained) / len(sqls), "execution": sum(e for _, _, e in explained) / len(sqls),
        "p95": totals[int(0.95 * len(totals))], "max": totals[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    slugs = list(Organisation.objects.order_by("slug").values_list("slug", flat=True))
    organs = list(Organ.objects.order_by("pk").values_list("pk", flat=True))
    paths = search_paths(args.searches, slugs, organs, list(range(2017, 2027)))
    # The bare query many times over, so that its CPU is more than the clock's ticks (10 ms).
    bare = timed(["SELECT 1"] * 2000, 10)
    query = timed(candidates_sql(paths), args.rounds)
    print(f"{len(paths)} searches of the bench mix, {args.rounds} passes; ms per query (x the bare query's)")
    print(f"{'':18} {'backend cpu':>16} {'wall':>16} {'planning':>9} {'execution':>10} {'p95':>7} {'max':>7}")
    for name, row in (("SELECT 1", bare), ("candidates query", query)):
        print(f"{name:18} {row['cpu']:7.2f} ({row['cpu'] / bare['cpu']:6.1f}x) "
              f"{row['wall']:7.2f} ({row['wall'] / bare['wall']:6.1f}x) {row['planning']:9.2f} "
              f"{row['execution']:10.2f} {row['p95']:7.1f} {row['max']:7.1f}")


if __name__ == "__main__":
    main()
