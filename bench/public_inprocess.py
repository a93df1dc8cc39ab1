"""The public pages in process, with the page cache off: median time, queries and size of each,
and its time as a multiple of the bare view's in the same run.

    DATABASE_URL=postgres://.../samordna_bench uv run python bench/public_inprocess.py [--runs 60]

Made to compare two trees on one machine without gunicorn's and the clients' noise (issue 21,
point 5). Besides the wall time it prints the CPU time each request took in this process and
in its PostgreSQL backend (read from /proc, so with the database on this machine): on a shared
machine whose speed swings between runs, CPU time moves much less than wall time, and the
two together are what a server pays per request. Run it from each tree's root (`git worktree add /tmp/before <commit>`, then
`cd /tmp/before && /path/to/.venv/bin/python bench/public_inprocess.py`), alternating, on the
bench dataset (`manage.py bench_data`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ["PUBLIC_CACHE_SECONDS"] = "0"
os.environ["DEBUG"] = "false"
os.environ["BENCH_BARE_VIEW"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.public_bench import search_paths  # noqa: E402
from bench.results import keep  # noqa: E402
from board.models import Organ, Organisation  # noqa: E402
from minutes.models import Meeting, Notice  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]


def _backend_cpu() -> Callable[[], float]:
    """Seconds of CPU this process's PostgreSQL backend has used so far (its /proc stat: user
    and system ticks); 0 always when the server is not on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--association", default="bench-07")
    args = parser.parse_args()
    import_module("config.wsgi")  # as the server: every view imported, then gc.freeze()
    meeting = (Meeting.objects.filter(organ__organisation__slug=args.association, status=Meeting.Status.SIGNED)
               .order_by("-date").first())
    urls: list[tuple[str, list[str]]] = [(url, [url]) for url in (
        "/bench/bare", "/anslagstavla/", f"/anslagstavla/{args.association}/", "/protokoll/",
        f"/protokoll/{args.association}/{meeting.date.year}/{meeting.pk}/" if meeting else "/protokoll/",
        "/sok/?q=tilläggsäskande")]
    # As public_bench.py's "mix" rows: a different page at every request (its stored row not
    # the one just read), the newest minutes first, and searches of the dataset's words.
    mix = [reverse("public:minutes_detail", args=[m.organ.organisation.slug, m.date.year, m.pk])
           for m in Meeting.objects.filter(status=Meeting.Status.SIGNED)
           .select_related("organ__organisation").order_by("-date", "-pk")[: args.runs + 5]]
    slugs = list(Organisation.objects.order_by("slug").values_list("slug", flat=True))
    organs = list(Organ.objects.order_by("pk").values_list("pk", flat=True))
    searches = search_paths(args.runs + 5, slugs, organs, list(range(2017, 2027)))
    urls += [(f"minutes mix ({len(mix)} pages)", mix), (f"search mix ({len(searches)} searches)", searches)]

    up = list(Notice.objects.filter(takedown_on__gte=timezone.localdate()).order_by("-pk").values_list("pk", flat=True)[:1])

    def notices_written() -> None:
        """A notice written as it was: the board's generation moves on at the commit (migration 0026)."""
        Notice.objects.filter(pk__in=up).update(title=F("title"))

    # The board as the first visitor after a change sees it: made from the notices, not as stored.
    rows = [(name, paths, None) for name, paths in urls]
    rows.insert(3, ("/anslagstavla/ after a change", ["/anslagstavla/"], notices_written))
    client = Client()
    backend = _backend_cpu()
    bare = None
    kept = []
    print(f"{'page':44s} status  median ms  p90 ms  × bare  queries   bytes  cpu ms  db cpu ms")
    for name, paths, before in rows:
        for url in paths[:5] if len(paths) > 1 else paths * 5:
            client.get(url)
        times = []
        cpu_at, pg_at = time.process_time(), backend()
        for i in range(args.runs):
            if before:
                before()
            started = time.perf_counter()
            response = client.get(paths[(5 + i) % len(paths)] if len(paths) > 1 else paths[0])
            times.append((time.perf_counter() - started) * 1000)
        cpu, pg = (time.process_time() - cpu_at) * 1000 / args.runs, (backend() - pg_at) * 1000 / args.runs
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            client.get(paths[-1])
        median = statistics.median(times)
        bare = bare or median
        p90 = sorted(times)[int(len(times) * 0.9) - 1]
        print(f"{name.replace(' ', '_'):44s} {response.status_code:6d} {median:10.2f} {p90:7.2f} {median / bare:7.1f} "
              f"{len(queries):8d} {len(response.content):7d} {cpu:7.2f} {pg:10.2f}")
        kept.append({"name": name, "median_ms": round(median, 2), "p90_ms": round(p90, 2),
                     "queries": len(queries), "bytes": len(response.content),
                     "cpu_ms": round(cpu, 2), "db_cpu_ms": round(pg, 2)})
    keep("public_inprocess", kept)


if __name__ == "__main__":
    main()
