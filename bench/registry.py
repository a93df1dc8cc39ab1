"""Benchmark: registry pages and API on the demo data and on a large synthetic board.

    DATABASE_URL=... uv run python bench/registry.py [--runs 20] [--seats 200]

Loads the demo (idempotent), then measures, through Django's test client in-process (no
network), the organisation page, the person page and the public board API: the number of
SQL queries and the median/max wall time. Then adds a synthetic association with --seats
ledamöter and as many ersättare, in a transaction that is rolled back, and measures again:
the query counts must not grow with the board.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from board.models import Appointment, MemberOrganisation, Membership, Organ, Organisation, Person  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[int, float, float]:
    # With DEBUG on, the query log is a bounded deque that load_demo has already filled.
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return len(ctx), statistics.median(times), max(times)


def report(client: Client, label: str, urls: dict[str, str], runs: int) -> None:
    print(f"\n{label}")
    print(f"  {'page':<34} {'queries':>7} {'median ms':>10} {'max ms':>8}")
    for name, url in urls.items():
        queries, median, worst = measure(client, url, runs)
        print(f"  {name:<34} {queries:>7} {median:>10.1f} {worst:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seats", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username="sekreterare"))
    person = Person.objects.get(first_name="Roger", last_name="Ingvarsson")
    report(client, "Demo data (Samordningsförbundet Västmanland, 13 + 13 seats)", {
        "organisation page": "/forbund/vastmanland/",
        "organisation page 2023-08-29": "/forbund/vastmanland/?datum=2023-08-29",
        "person page (Roger Ingvarsson)": f"/personer/{person.pk}/",
        "API board composition": "/api/v1/organisations/vastmanland/board",
    }, args.runs)

    with transaction.atomic():
        org = Organisation.objects.create(name="Bench-förbundet", slug="bench")
        organ = Organ.objects.create(organisation=org, name="Styrelsen")
        members = [MemberOrganisation.objects.create(name=f"Bench-kommun {i}", kind="kommun") for i in range(20)]
        Membership.objects.bulk_create(
            [Membership(organisation=org, member=m, start=dt.date(2020, 1, 1)) for m in members]
        )
        people = Person.objects.bulk_create(
            [Person(first_name=f"P{i}", last_name=f"Bench{i}") for i in range(args.seats * 2)]
        )
        seats = Appointment.objects.bulk_create([
            Appointment(organ=organ, person=people[i], seat="ledamot", appointed_by=members[i % 20],
                        start=dt.date(2020, 1, 1), role="ordforande" if i == 0 else "")
            for i in range(args.seats)
        ])
        Appointment.objects.bulk_create([
            Appointment(organ=organ, person=people[args.seats + i], seat="ersattare",
                        appointed_by=members[i % 20], substitute_for=seats[i], call_order=1,
                        start=dt.date(2020, 1, 1))
            for i in range(args.seats)
        ])
        # A person with a long history: one seat a year for 30 years.
        veteran = people[0]
        Appointment.objects.bulk_create([
            Appointment(organ=organ, person=veteran, seat="ersattare", appointed_by=members[0],
                        start=dt.date(1980 + y, 1, 1), end=dt.date(1980 + y, 12, 31))
            for y in range(30)
        ])
        site_admin = Client()
        site_admin.force_login(get_user_model().objects.get(username="admin"))
        report(site_admin, f"Synthetic board ({args.seats} ledamöter + {args.seats} ersättare, 20 members)", {
            "organisation page": "/forbund/bench/",
            "person page (31 seats)": f"/personer/{veteran.pk}/",
            "API board composition": "/api/v1/organisations/bench/board",
        }, args.runs)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
