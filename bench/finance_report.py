"""Benchmark: the delårsrapport of seed 003 as page, Excel and sealed PDF; queries at two sizes.

    DATABASE_URL=... uv run python bench/finance_report.py [--runs 15]

Needs a migrated database (`manage.py migrate`). Everything runs inside one transaction that
is rolled back, so the database is left as it was. Prints, for the seed's 18-line budget and
a synthetic 300-line one: queries and median time of the budget page, of build_report and of
the Excel export; and the time to render and seal the PDF of the seed's table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("FAST_PASSWORD_HASHER", "true")
os.environ.setdefault("DEBUG", "false")
os.environ["BENCH_BARE_VIEW"] = "1"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.results import keep  # noqa: E402
from board.management.commands.create_dev_certificate import dev_certificate_create  # noqa: E402
from board.models import Organisation, StaffRole  # noqa: E402
from finance.demo import loader as demo  # noqa: E402
from finance.excel import report_xlsx  # noqa: E402
from finance.models import Budget, BudgetGroup  # noqa: E402
from finance.reports import build_report  # noqa: E402
from finance.services.budgets import (  # noqa: E402
    budget_create,
    budget_line_add,
    budget_revise,
    budget_version_create,
)
from finance.services.forecasts import forecast_update  # noqa: E402
from finance.services.outcomes import outcome_set  # noqa: E402


class Rollback(Exception):
    pass


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def big_budget(organisation: Organisation, lines: int) -> Budget:
    budget = budget_create(organisation=organisation, year=2099, actor=None)
    groups = list(budget.groups.all())
    amounts = {}
    for i in range(lines):
        group = groups[i % len(groups)]
        line = budget_line_add(budget=budget, group=group, code=f"rad-{i}", name=f"Rad {i}", actor=None)
        amounts[line.code] = Decimal(100_000 if group.kind == BudgetGroup.Kind.INCOME else -10_000 - i)
    budget_version_create(budget=budget, label="Budget", amounts=amounts, adopted=True, actor=None)
    budget_revise(budget=budget, label="Reviderad", changes={"rad-1": "-1"}, adopted_on=None, actor=None)
    for line in budget.lines.all():
        outcome_set(line=line, date=dt.date(2099, 8, 31), amount=Decimal(-5), actor=None)
        forecast_update(line=line, amount=Decimal(-7), comment="k", based_on=None, actor=None)
    return budget


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the large page")
    args = parser.parse_args()
    try:
        with transaction.atomic():
            demo.load(stdout=io.StringIO())
            seed = Budget.objects.get(organisation__slug="vastmanland", year=2024)
            from tests.factories import PersonFactory, StaffRoleFactory, UserFactory

            user = UserFactory(username="bench-chef")
            StaffRoleFactory(organisation=seed.organisation, person=PersonFactory(user=user),
                             role=StaffRole.Role.DIRECTOR, start=dt.date(2020, 1, 1))
            client = Client()
            client.force_login(user)
            large = big_budget(seed.organisation, args.lines)
            client.get("/bench/bare")
            bare_t = timed(lambda: client.get("/bench/bare"), args.runs * 5)[0]
            print(f"bare view (/bench/bare): median {bare_t * 1000:.2f} ms")
            print(f"{'budget':<28}{'lines':>6}{'page q':>8}{'page ms':>10}{'x bare':>8}{'x 18':>6}"
                  f"{'report ms':>11}{'xlsx ms':>9}")
            first_t = None
            kept = []
            # The two pages timed in turn, run by run: on a machine whose speed swings between
            # phases, timing one page's runs and then the other's made their ratio swing too
            # (1.4-2.07x in four runs minutes apart, 2026-12-07).
            urls = [f"/forbund/{b.organisation.slug}/budget/{b.year}/" for b in (seed, large)]
            page_times: list[list[float]] = [[], []]
            for url in urls:
                client.get(url)
            for _ in range(args.runs):
                for i, url in enumerate(urls):
                    page_times[i].append(timed(lambda url=url: client.get(url), 1)[0])
            for budget, url, times in zip((seed, large), urls, page_times, strict=True):
                page_q = queries(lambda url=url: client.get(url))
                page_t = statistics.median(times)
                first_t = first_t or page_t
                report_t = timed(lambda b=budget: build_report(b), args.runs)[0]
                report = build_report(budget)
                xlsx_t = timed(lambda r=report: report_xlsx(r), args.runs)[0]
                kept.append({"lines": len(report.rows), "queries": page_q, "page_ms": round(page_t * 1000, 1),
                             "x_bare": round(page_t / bare_t, 1), "x_first": round(page_t / first_t, 2)})
                print(f"{str(budget) + ' ' + budget.organisation.slug:<28}{len(report.rows):>6}{page_q:>8}"
                      f"{page_t * 1000:>10.1f}{page_t / bare_t:>8.0f}{page_t / first_t:>6.1f}"
                      f"{report_t * 1000:>11.1f}{xlsx_t * 1000:>9.1f}")
            keep("budget", kept)
            if args.profile:
                import cProfile
                import pstats

                url = f"/forbund/{large.organisation.slug}/budget/{large.year}/"
                profile = cProfile.Profile()
                profile.runcall(lambda: [client.get(url) for _ in range(args.runs)])
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)
            dev_certificate_create(
                key_file=Path(settings.PDF_SEAL_KEY_FILE),
                cert_file=Path(settings.PDF_SEAL_CERT_FILE),
                passphrase=settings.PDF_SEAL_KEY_PASSPHRASE,
            )
            from django.contrib.contenttypes.models import ContentType

            from board.documents.models import RenderedDocument
            from finance.pdf import produce_report

            doc = RenderedDocument(kind="finance.report", content_type=ContentType.objects.get_for_model(Budget),
                                   object_id=seed.pk, version=1, organisation=seed.organisation)
            produce_report(doc)  # warm up WeasyPrint and fonts
            median, low, high = timed(lambda: produce_report(doc), max(3, args.runs // 2))
            size = len(produce_report(doc).content)
            print(f"PDF (seed 003 table, render + seal): median {median:.2f} s (min {low:.2f}, max {high:.2f}), "
                  f"{size / 1024:.0f} kB")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
