"""Benchmark of the secretary's minutes editor (issue 16): the editor page of a 40-paragraph
meeting, one autosave round trip and the minutes preview, next to the bare view, in one run.

    DATABASE_URL=.../samordna_bench uv run python bench/editor_bench.py [--runs 30] [--paragraphs 40]
    make bench-editor                  # the same, with BENCH_ARGS="--runs 50 --paragraphs 5,40"

In process, through Django's test client (no network: the time is the server's, from the
request entering the middleware to the rendered answer), with DEBUG off, so templates are
cached as in production. The first run adds, and later runs reuse, an association of its own
("Bench-förbundet Protokoll", slug `editor-bench`, 13 ledamöter and 13 ersättare with a
secretary) and a meeting per size with realistic paragraphs: bodies in the editor's HTML
subset (<p>, <ul><li>, <strong>), decision clauses or a stock decision, handlingar of the §
and of its agenda item, recusals, reservations, notes, votes with ballots, a ledamot present
for some §§ and a serving substitute. It writes to the database DATABASE_URL points at (not
the bench_data association, whose slugs start with bench-, and not the demo).

Rows, each measured `--runs` times after `--warmup` unmeasured requests, interleaved (one
request of each row in turn) so a change in the machine's load touches every row alike:

- bare: /bench/bare, a view that only returns "ok" (BENCH_BARE_VIEW=1): the floor of
  middleware, session and test client;
- editor: GET /sammantraden/<id>/protokoll/ as the secretary;
- editor, cold: the same with the rendered bodies forgotten before each request
  (body_html keeps its last 1,024 results): the first request of a fresh worker process, or
  of a meeting nobody opened since it started;
- autosave: POST /paragrafer/<id>/ of one § with htmx's header (HX-Request), as the editor's
  form posts it while the secretary types: every field as it is, the body changed, the current
  version; the answer is the status fragment with the new version;
- preview: GET /sammantraden/<id>/protokoll/forhandsvisning/.

For each: the SQL queries of one request (CaptureQueriesContext; timed requests are not
captured), the answer's size and its number of <form> and <option> elements (what makes an
editor page heavy), median, p95 and max time, median and p95 as a multiple of the bare view's
of the same run, and the median as a multiple of the same meeting's preview. Times depend on
the machine and its load; compare ratios, and the query counts, which
tests/minutes/test_editor_queries.py holds constant in the number of §§.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ["BENCH_BARE_VIEW"] = "1"
# WhiteNoise warns that collectstatic has not run; the pages' static files are not requested.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.results import keep  # noqa: E402
from board.models import (  # noqa: E402
    Appointment,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    Person,
    StaffRole,
)
from minutes.drafting import services  # noqa: E402
from minutes.drafting.forms import ParagraphForm  # noqa: E402
from minutes.drafting.rendering import body_html  # noqa: E402
from minutes.management.commands.bench_data import (  # noqa: E402
    CLAUSES,
    FIRST,
    LAST,
    SENTENCES,
    SUBJECTS,
    TOWNS,
)
from minutes.models import Attendance, Meeting, Paragraph  # noqa: E402

SLUG = "editor-bench"
SECRETARY = "editor-bench-sekreterare"
MEMBERS = [
    ("Försäkringskassan", MemberOrganisation.Kind.FK), ("Arbetsförmedlingen", MemberOrganisation.Kind.AF),
    ("Region Bergslagen", MemberOrganisation.Kind.REGION), ("Köpings kommun", MemberOrganisation.Kind.MUNICIPALITY),
    ("Arboga kommun", MemberOrganisation.Kind.MUNICIPALITY), ("Kungsörs kommun", MemberOrganisation.Kind.MUNICIPALITY),
    ("Fagersta kommun", MemberOrganisation.Kind.MUNICIPALITY), ("Norbergs kommun", MemberOrganisation.Kind.MUNICIPALITY),
]
SEATS = 13


def board() -> tuple[Organ, Person]:
    """The association, its board of 13 + 13 and its secretary: created once, then reused."""
    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        return Organ.objects.get(organisation=org), Person.objects.get(user__username=SECRETARY)
    with transaction.atomic():
        start = dt.date(2020, 1, 1)
        org = Organisation.objects.create(
            name="Bench-förbundet Protokoll", short_name="BFP", slug=SLUG, paragraph_prefix="BFP",
            storage_place="Förbundets kansli", notice_place="Förbundets webbplats", active_from=start,
        )
        organ = Organ.objects.create(organisation=org, name="Styrelsen")
        members = [MemberOrganisation.objects.create(name=f"{name} (editor-bench)", kind=kind) for name, kind in MEMBERS]
        Membership.objects.bulk_create([Membership(organisation=org, member=m, start=start) for m in members])
        names = [(f, la) for la in LAST for f in FIRST]
        random.Random(16).shuffle(names)
        people = Person.objects.bulk_create([
            Person(first_name=f, last_name=la, email=f"{f}.{la}.{i}@example.se".lower())
            for i, (f, la) in enumerate(names[: 2 * SEATS])
        ])
        seats = [
            Appointment.objects.create(
                organ=organ, person=people[i], seat=Appointment.Seat.MEMBER, appointed_by=members[i % len(members)],
                start=start, role=(Appointment.Role.CHAIR if i == 0 else Appointment.Role.VICE_CHAIR if i == 1 else ""),
            )
            for i in range(SEATS)
        ]
        Appointment.objects.bulk_create([
            Appointment(organ=organ, person=people[SEATS + i], seat=Appointment.Seat.SUBSTITUTE,
                        appointed_by=members[i % len(members)], substitute_for=seats[i], call_order=1, start=start)
            for i in range(SEATS)
        ])
        user = get_user_model().objects.create_user(SECRETARY, f"{SECRETARY}@example.se")
        secretary = Person.objects.create(first_name="Ann", last_name="Sekreterare", user=user)
        StaffRole.objects.create(organisation=org, person=secretary, role=StaffRole.Role.SECRETARY, start=start)
    return organ, secretary


def body(rnd: random.Random, i: int) -> str:
    """A § body in the editor's HTML subset: paragraphs, now and then a list, some bold."""
    town = rnd.choice(TOWNS)

    def sentence() -> str:
        return rnd.choice(SENTENCES).format(town=town, n=rnd.randint(12, 80), amount=f"{rnd.randint(2, 40) * 25_000:,}".replace(",", " "))

    parts = [f"<p>{sentence()} {sentence()}</p>"]
    if i % 3 == 0:
        items = "".join(f"<li>{rnd.choice(SUBJECTS).format(town=rnd.choice(TOWNS))}</li>" for _ in range(rnd.randint(2, 5)))
        parts.append(f"<p>Underlaget omfattar:</p><ul>{items}</ul>")
    if i % 4 == 1:
        parts.append(f"<p><strong>Förbundschefens förslag:</strong> {sentence()}</p>")
    if i % 2 == 0:
        parts.append(f"<p>{sentence()}</p>")
    return "".join(parts)


def meeting_with(organ: Organ, secretary: Person, paragraphs: int) -> Meeting:
    """The association's meeting with that many §§ (one per size, created once)."""
    date = dt.date(2025, 1, 1) + dt.timedelta(days=paragraphs)
    existing = Meeting.objects.filter(organ=organ, date=date).first()
    if existing is not None and existing.paragraphs.count() == paragraphs:
        return existing
    if existing is not None:
        raise SystemExit(f"Meeting {existing.pk} on {date} has {existing.paragraphs.count()} §§, not {paragraphs}.")
    actor = secretary.user
    rnd = random.Random(paragraphs)
    started = time.perf_counter()
    meeting = services.meeting_create(organ=organ, date=date, start_time=dt.time(9, 0), end_time=dt.time(12, 0),
                                      place="Kommunhuset i Köping", actor=actor)
    services.attendance_prefill(meeting=meeting, actor=actor)
    members = [a.person for a in meeting.attendances.filter(role=Attendance.Role.MEMBER).select_related("person")]
    subs = [a.person for a in meeting.attendances.filter(role=Attendance.Role.SUBSTITUTE).select_related("person")]
    # Before any vote: ledamot 12 is away and the first ersättare serves for them.
    services.attendance_set(meeting=meeting, person=members[12], role=Attendance.Role.ABSENT, actor=actor)
    services.attendance_set(meeting=meeting, person=subs[0], role=Attendance.Role.SERVING_SUBSTITUTE,
                            replacing=members[12], actor=actor)
    added: list[Paragraph] = []
    for i in range(paragraphs):
        title = rnd.choice(SUBJECTS).format(town=rnd.choice(TOWNS))
        item = None
        if i % 2 == 0:
            item = services.agenda_item_add(meeting=meeting, title=title, dnr=f"BFP {date.year}/{i + 1}",
                                            proposed_decision="Att godkänna förslaget", actor=actor)
            services.document_add(meeting=meeting, title=f"Tjänsteskrivelse: {title}", agenda_item=item, actor=actor)
        stock = i % 7 == 3
        clauses = [] if stock else [c.format(tkr=rnd.randint(50, 900)) for c in rnd.sample(CLAUSES, rnd.randint(1, 3))]
        p = services.paragraph_add(
            meeting=meeting, title=title, dnr=f"BFP {date.year}/{i + 1}" if i % 3 else "", body=body(rnd, i),
            agenda_item=item, clauses=clauses, exp_till="Huvudmännen" if i % 4 == 0 else "", actor=actor,
            **({"stock_decision": Paragraph.StockDecision.NOTED} if stock else {}),
        )
        if i % 5 == 1:
            services.document_add(meeting=meeting, title=f"Bilaga {i + 1}", paragraph=p, actor=actor)
        if i % 6 == 2:
            services.recusal_add(paragraph=p, person=members[2 + i % 5], reason="Ledamot i sökande organisation",
                                 actor=actor)
        if i % 8 == 4:
            voters = [m for m in members[:12] if m != members[2 + i % 5]]
            services.vote_record(
                paragraph=p, yes_text="Förbundschefens förslag", no_text="Avslag", actor=actor,
                yes_proposer=members[0], no_proposer=members[3],
                ballots={m: ("nej" if k % 4 == 0 else "ja") for k, m in enumerate(voters)},
            )
            services.reservation_add(paragraph=p, person=members[3], motivation="Till förmån för avslagsyrkandet.",
                                     actor=actor)
        if i % 9 == 3:
            services.note_add(paragraph=p, text="Ledamoten önskar få antecknat att underlaget kom sent.",
                              person=members[5], actor=actor)
        added.append(p)
    services.attendance_set(meeting=meeting, person=members[11], from_paragraph=added[min(2, paragraphs - 1)],
                            present_from=dt.time(9, 40), actor=actor)
    services.adjusters_set(meeting=meeting, persons=[members[1]], actor=actor)
    print(f"(created meeting {meeting.pk} with {paragraphs} §§ in {time.perf_counter() - started:.0f} s)",
          file=sys.stderr)
    return meeting


@dataclass
class Row:
    name: str
    path: str
    request: Callable[[], HttpResponse]
    # Run before each request, outside its time and query count (the client's own work).
    before: Callable[[], None] = lambda: None
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    size: int = 0
    forms: int = 0
    options: int = 0
    times: list[float] = field(default_factory=list)

    def pct(self, p: float) -> float:
        lat = sorted(self.times)
        return lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))] * 1000

    def summary(self, bare: Row) -> dict[str, object]:
        median = statistics.median(self.times) * 1000
        return {
            "name": self.name, "path": self.path, "queries": self.queries, "kb": round(self.size / 1024, 1),
            "forms": self.forms, "options": self.options,
            "median_ms": round(median, 1), "p95_ms": round(self.pct(0.95), 1),
            "max_ms": round(max(self.times) * 1000, 1),
            "x_bare_median": round(median / (statistics.median(bare.times) * 1000), 1),
            "x_bare_p95": round(self.pct(0.95) / bare.pct(0.95), 1),
        }


def autosave(client: Client, paragraph: Paragraph) -> tuple[Callable[[], HttpResponse], Callable[[], None]]:
    """One autosave of the § as the editor's form posts it, each with a new body and the
    current version (which the editor's page holds, so it is read before, untimed)."""
    base = Paragraph.objects.prefetch_related("clauses").get(pk=paragraph.pk)
    fields: dict[str, str] = {}
    for name, value in ParagraphForm.initial_for(base).items():
        if isinstance(value, bool):
            if value:
                fields[name] = "on"
        else:
            fields[name] = "" if value is None else str(value)
    url = reverse("minutes:paragraph_save", args=[paragraph.pk])
    data: dict[str, str] = {}
    count = [0]

    def before() -> None:
        version = Paragraph.objects.values_list("version", flat=True).get(pk=paragraph.pk)
        if count[0] and version != int(data["version"]) + 1:
            # htmx gets 200 for a conflict or an error too: only the new version says it saved.
            raise SystemExit(f"autosave {count[0]} did not save (version {version}, posted {data['version']})")
        count[0] += 1
        data.update(fields, version=str(version),
                    body=base.body + f"<p>Tillägg {count[0]}: styrelsen <strong>noterar</strong> informationen.</p>")

    def post() -> HttpResponse:
        response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"status-{paragraph.pk}")
        if response.status_code != 200:
            raise SystemExit(f"autosave answered {response.status_code}: {response.content[:300]!r}")
        return response

    return post, before


def get(client: Client, url: str) -> Callable[[], HttpResponse]:
    def request() -> HttpResponse:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return request


def measure(rows: list[Row], runs: int, warmup: int) -> None:
    for row in rows:
        for _ in range(warmup):
            row.before()
            row.request()
        row.before()
        with CaptureQueriesContext(connection) as ctx:
            response = row.request()
        row.queries, row.size = len(ctx), len(response.content)
        row.forms, row.options = response.content.count(b"<form"), response.content.count(b"<option")
        row.sql = [q["sql"] for q in ctx.captured_queries]
    for _ in range(runs):
        for row in rows:
            row.before()
            started = time.perf_counter()
            row.request()
            row.times.append(time.perf_counter() - started)
    for row in rows:
        row.before()  # the autosave row checks that its last post saved


ROWS_PER_SIZE = 4  # editor cold, editor, autosave, preview (last)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per row")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--paragraphs", default="40", help="meeting sizes, comma-separated (e.g. 5,40)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sql", action="store_true", help="also print each row's queries")
    args = parser.parse_args()

    call_command("migrate", verbosity=0, stdout=StringIO())
    organ, secretary = board()
    client = Client()
    client.force_login(secretary.user)
    bare = Row("bare", "/bench/bare", get(client, "/bench/bare"))
    rows = [bare]
    for size in (int(s) for s in args.paragraphs.split(",")):
        meeting = meeting_with(organ, secretary, size)
        paragraph = meeting.paragraphs.order_by("position")[size // 2]
        tag = f" ({size} §§)"
        post, before = autosave(client, paragraph)
        rows += [
            # Cold first: its request fills what the next row finds, as a first visit does.
            Row("editor, cold" + tag, reverse("minutes:editor", args=[meeting.pk]),
                get(client, reverse("minutes:editor", args=[meeting.pk])), body_html.cache_clear),
            Row("editor" + tag, reverse("minutes:editor", args=[meeting.pk]),
                get(client, reverse("minutes:editor", args=[meeting.pk]))),
            Row("autosave" + tag, f"POST {reverse('minutes:paragraph_save', args=[paragraph.pk])}", post, before),
            Row("preview" + tag, reverse("minutes:preview", args=[meeting.pk]),
                get(client, reverse("minutes:preview", args=[meeting.pk]))),
        ]
    measure(rows, args.runs, args.warmup)
    table = [row.summary(bare) for row in rows]
    # Each size's rows also as a multiple of that size's preview (the page the editor shows).
    for i in range(1, len(rows), ROWS_PER_SIZE):
        preview = statistics.median(rows[i + ROWS_PER_SIZE - 1].times)
        for r, row in zip(table[i:i + ROWS_PER_SIZE], rows[i:i + ROWS_PER_SIZE], strict=True):
            r["x_preview_median"] = round(statistics.median(row.times) / preview, 2)
    keep("editor", table)
    if args.json:
        print(json.dumps(table, ensure_ascii=False, indent=2))
        return 0
    load = os.getloadavg()[0]
    print(f"Editor benchmark, in process (Django test client, DEBUG off), {args.runs} runs per row after "
          f"{args.warmup} warm-up, {os.cpu_count()} CPUs, load {load:.1f}")
    print(f"{'':20} {'queries':>7} {'KB':>7} {'forms':>5} {'options':>7} {'median ms':>9} {'p95 ms':>8} {'max ms':>8} {'×bare med':>9} "
          f"{'×bare p95':>9} {'×preview':>8}  path")
    for r in table:
        print(f"{r['name']:20} {r['queries']:>7} {r['kb']:>7} {r['forms']:>5} {r['options']:>7} {r['median_ms']:>9} {r['p95_ms']:>8} {r['max_ms']:>8} "
              f"{r['x_bare_median']:>9} {r['x_bare_p95']:>9} {r.get('x_preview_median', ''):>8}  {r['path']}")
    if args.sql:
        for row in rows:
            print(f"\n{row.name}: {row.queries} queries")
            for sql in row.sql:
                print(f"  {sql[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
