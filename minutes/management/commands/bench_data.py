"""Generate a large, realistic dataset for the public pages' benchmark (bench/public_bench.py).

    python manage.py bench_data                       # 72 associations x 10 years
    python manage.py bench_data --associations 5 --years 2

About 10 meetings a year per association, 14 paragraphs a meeting (one in forty
confidential), a decision clause each, attendance, a vote now and then, the justering notice
of every justerade minutes with its (placeholder) anslagsbevis row and its stored public
web page (as the justering writes it), and upcoming meetings with their kungörelse. Written
with bulk_create (COPY for the big tables) into whatever DATABASE_URL points at, in one
transaction; history tables are not filled (this is load, not governance data).

Meetings are inserted as "protokoll under arbete" and switched to justerat at the end: the
justering's database triggers refuse rows added to justerade minutes, as they should.

What the product derives is derived by the product's code, in batches: each version's
snapshot is minutes_snapshot() of what build_document() makes (as minutes_document() does)
from rows read for 500 meetings at a time; each page and its search index rows are
publication()'s (what publish() writes) of that snapshot, rendered in a worker process per CPU
while the next 500 meetings' snapshots are made here. COPY (_copy) writes the values
bulk_create would. tests/test_bench_data.py holds the result to minutes_document()'s and
publish()'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, Generic, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models import NOT_PROVIDED, Count, Field, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from psycopg.types.json import Jsonb

from board.documents.models import RenderedDocument
from board.models import Appointment, Organ, Organisation, Person
from minutes.drafting.selectors import MinutesDocument, build_document
from minutes.justering.rules import RequiredSigner, minutes_snapshot, snapshot_sha256
from minutes.models import (
    AgendaDocument,
    Attendance,
    DecisionClause,
    Meeting,
    MinutesAdjuster,
    MinutesVersion,
    Notice,
    Paragraph,
    ProtocolNote,
    PublicParagraph,
    PublishedMinutes,
    Recusal,
    Reservation,
    Signature,
    Vote,
    VoteBallot,
    VoteProposal,
)
from minutes.notices.legal_dates import last_appeal_day
from minutes.notices.services import CERTIFICATE_KIND
from minutes.public.publication import publication, voter_ids

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M", bound=Model)
SLUG_PREFIX = "bench-"
TOWNS = [
    "Arboga", "Avesta", "Borlänge", "Eskilstuna", "Fagersta", "Falun", "Gävle", "Hallstahammar",
    "Hedemora", "Karlstad", "Köping", "Kungsör", "Leksand", "Lindesberg", "Ludvika", "Mora",
    "Norberg", "Nyköping", "Örebro", "Sala", "Sandviken", "Skinnskatteberg", "Surahammar",
    "Torshälla", "Uppsala", "Västerås", "Enköping", "Heby", "Tierp", "Östhammar",
]
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Lena",
         "Mikael", "Åsa", "Björn", "Ingrid", "Ola", "Helena", "Jonas", "Kristina", "Magnus"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
        "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Brodd", "Lindqvist", "Berg", "Holm"]
SUBJECTS = [
    "Tilläggsäskande för insatsen {town}teamet", "Delårsrapport januari–augusti",
    "Budget och verksamhetsplan", "Uppföljning av individinsatser", "Samordningsteam {town}",
    "Årsredovisning och revisionsberättelse", "Strukturell insats: metodutveckling i {town}",
    "Medelstilldelning och medlemsinsatser", "Förbundschefens rapport", "Internkontrollplan",
    "Riskanalys", "Stegförflyttning bland deltagarna", "Avtal om ekonomitjänster", "Attestordning",
    "Ansökan om medel för arbetsträning i {town}", "Samverkan med Arbetsförmedlingen",
]
SENTENCES = [
    "Förbundschefen redogör för läget i insatsen och deltagarnas stegförflyttningar.",
    "Styrelsen diskuterar behovet av fortsatt finansiering under nästa år.",
    "Insatsen har haft {n} deltagare under perioden, varav en tredjedel gått vidare till arbete eller studier.",
    "Ett tilläggsäskande om {amount} kronor har kommit in från styrgruppen.",
    "Revisorerna har inte haft några anmärkningar på förvaltningen.",
    "Prognosen för helåret visar ett överskott mot budget som föreslås föras till eget kapital.",
    "Kommunerna i {town} och Region har tillsammans med Försäkringskassan tagit fram underlaget.",
    "Ärendet har beretts av presidiet och förbundschefen.",
    "Utvärderingen visar att samordningsteamet når målgruppen och att samverkan fungerar väl.",
    "Beslutet expedieras till huvudmännen och styrgruppen.",
]
CLAUSES = [
    "Att godkänna rapporten och lägga den till handlingarna",
    "Att bevilja tilläggsäskandet med {tkr} tkr",
    "Att fastställa budget och verksamhetsplan enligt förslaget",
    "Att uppdra åt förbundschefen att återkomma med en utvärdering",
    "Att notera informationen",
]
STANDARD = ["Mötets öppnande", "Val av justerare", "Godkännande av dagordning", "Föregående protokoll"]
CLOSING = ["Övriga frågor", "Mötets avslutande"]
CHUNK = 500  # meetings whose rows are read at a time
PAGES = 50  # meetings a worker renders at a time
MEETING_MONTH_DAYS = [(2, 10), (3, 20), (4, 25), (5, 28), (6, 12), (8, 28), (9, 20), (10, 15), (11, 10), (12, 8)]


class Command(BaseCommand):
    help = "Generate a large dataset (72 associations x 10 years) for the public-page benchmark."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--associations", type=int, default=72)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument("--if-missing", action="store_true",
                            help="do nothing when the database already has the bench data (make bench)")

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            if options["if_missing"]:
                self.stdout.write("The bench data is already in this database: reused.")
                return
            raise CommandError(
                "Bench data already exists in this database (organisations bench-*). "
                "Use a fresh database (e.g. samordna_h6bench)."
            )
        started = time.monotonic()
        self._marks = [("start", started)]
        rnd = random.Random(options["seed"])
        today = timezone.localdate()
        years = list(range(today.year - options["years"] + 1, today.year + 1))
        with transaction.atomic():
            counts = self._generate(rnd, options["associations"], years, today)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._mark("commit, analyze")
        counts["seconds"] = round(time.monotonic() - started, 1)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
        if os.environ.get("BENCH_RESULTS"):  # make bench, from the repository: for bench/targets.py
            from bench.results import keep

            keep("bench_data", counts)
        if options["verbosity"] >= 2:  # where the time went
            self.stdout.write(", ".join(
                f"{name}: {end - begin:.1f} s" for (_, begin), (name, end) in itertools.pairwise(self._marks)))

    def _mark(self, name: str) -> None:
        self._marks.append((name, time.monotonic()))

    def _generate(self, rnd: random.Random, n_orgs: int, years: list[int], today: dt.date) -> dict[str, Any]:
        orgs = Organisation.objects.bulk_create([
            Organisation(
                name=f"Samordningsförbundet {TOWNS[i % len(TOWNS)]} {i + 1:02d}",
                short_name=f"SF{i + 1:02d}", slug=f"{SLUG_PREFIX}{i + 1:02d}",
                paragraph_prefix=f"SF{i + 1:02d}" if i % 3 == 0 else "",
                storage_place="Förbundets kansli", notice_place="Förbundets webbplats",
                active_from=dt.date(years[0], 1, 1),
            )
            for i in range(n_orgs)
        ])
        organs = Organ.objects.bulk_create([
            Organ(organisation=o, name="Styrelsen", kind=Organ.Kind.BOARD) for o in orgs
        ])
        people = Person.objects.bulk_create([
            Person(first_name=rnd.choice(FIRST), last_name=rnd.choice(LAST))
            for _ in range(len(organs) * 10)
        ])
        seats: dict[int, list[Person]] = {}
        appointments = []
        for i, organ in enumerate(organs):
            members = people[i * 10:(i + 1) * 10]
            seats[organ.pk] = members
            for j, person in enumerate(members):
                appointments.append(Appointment(
                    organ=organ, person=person,
                    seat=Appointment.Seat.MEMBER if j < 5 else Appointment.Seat.SUBSTITUTE,
                    role=Appointment.Role.CHAIR if j == 0 else "", start=dt.date(years[0], 1, 1),
                ))
        Appointment.objects.bulk_create(appointments)

        meetings: list[Meeting] = []
        for organ in organs:
            for year in years:
                for month, day in MEETING_MONTH_DAYS:
                    date = dt.date(year, month, day)
                    meetings.append(Meeting(
                        organ=organ, date=date, start_time=dt.time(9, 0), end_time=dt.time(12, 0),
                        place=f"Kommunhuset i {rnd.choice(TOWNS)}", is_remote=rnd.random() < 0.3,
                        status=Meeting.Status.DRAFTING if date < today else Meeting.Status.CALLED,
                    ))
        meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
        past = [m for m in meetings if m.date < today]
        # The most recent past meeting of each organ is still a draft: it must never show.
        last_past: dict[int, Meeting] = {}
        for m in past:
            if m.organ_id not in last_past or m.date > last_past[m.organ_id].date:
                last_past[m.organ_id] = m
        drafts = {m.pk for m in last_past.values()}

        paragraphs: list[Paragraph] = []
        numbers: dict[tuple[int, int], int] = {}
        prefix_of = {o.pk: o.paragraph_prefix for o in orgs}
        org_of_organ = {organ.pk: organ.organisation_id for organ in organs}
        for m in past:
            key = (m.organ_id, m.date.year)
            titles = STANDARD + [
                rnd.choice(SUBJECTS).format(town=rnd.choice(TOWNS)) for _ in range(rnd.randint(6, 10))
            ] + CLOSING
            for position, title in enumerate(titles, start=1):
                numbers[key] = numbers.get(key, 0) + 1
                confidential = title not in STANDARD + CLOSING and rnd.random() < 0.025
                body = " ".join(
                    rnd.choice(SENTENCES).format(
                        n=rnd.randint(8, 60), amount=f"{rnd.randint(50, 400) * 1000:,}".replace(",", " "),
                        town=rnd.choice(TOWNS),
                    )
                    for _ in range(rnd.randint(2, 5))
                )
                paragraphs.append(Paragraph(
                    meeting=m, organ_id=m.organ_id, year=m.date.year, number=numbers[key],
                    prefix=prefix_of[org_of_organ[m.organ_id]], position=position, title=title,
                    dnr=f"Dnr {m.date.year}/{rnd.randint(1, 99)}" if position > 4 else "",
                    body=body, is_confidential=confidential,
                    osl_reference="26 kap. 1 § OSL" if confidential else "",
                ))
        _copy(Paragraph, paragraphs)
        _copy(DecisionClause, [
            DecisionClause(paragraph=p, position=1, text=rnd.choice(CLAUSES).format(tkr=rnd.randint(50, 400)))
            for p in paragraphs
        ])

        attendances = []
        for m in past:
            for j, person in enumerate(seats[m.organ_id][:8]):
                role = Attendance.Role.MEMBER if j < 5 else Attendance.Role.SUBSTITUTE
                attendances.append(Attendance(
                    meeting=m, person=person, role=role, position=j,
                    function=Attendance.Function.CHAIR if j == 0 else "",
                ))
        _copy(Attendance, attendances)

        votes, ballots = [], []
        voted = [p for p in paragraphs if not p.is_confidential and p.position > 4 and rnd.random() < 0.005]
        for p in voted:
            votes.append(Vote(paragraph=p, question="Bifall eller avslag", result="ja",
                              decided_by=Vote.DecidedBy.MAJORITY, yes_count=3, no_count=2))
        votes = Vote.objects.bulk_create(votes)
        for v, p in zip(votes, voted, strict=True):
            for j, person in enumerate(seats[p.organ_id][:5]):
                ballots.append(VoteBallot(vote=v, person=person, choice="ja" if j < 3 else "nej"))
        VoteBallot.objects.bulk_create(ballots)

        self._mark("rows")
        signed = [m for m in past if m.pk not in drafts]
        # Each justerade minutes as the justering leaves them: a version holding the snapshot,
        # signed by the chair (the first seat), then justerad; the public projection of that
        # snapshot is what the stored page and the search index are written from, as publish()
        # writes them (minutes/public/publication.py). A chunk of meetings at a time: its
        # snapshots are made here, then its pages are rendered in worker processes (most of
        # the run's CPU) while the next chunk's snapshots are made, and written here.
        signer_user = get_user_model().objects.create(username=f"{SLUG_PREFIX}signer", is_active=False)
        # Statistics first: without them the queries that read the rows back scan whole tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with _Workers(_publications) as workers:
            for chunk in _chunks(signed, CHUNK):
                signers = [seats[m.organ_id][0] for m in chunk]
                snapshots = [
                    minutes_snapshot(doc, [RequiredSigner(signer, Signature.Role.CHAIR)])
                    for doc, signer in zip(minutes_documents(chunk), signers, strict=True)
                ]
                versions = _copy(MinutesVersion, [
                    MinutesVersion(meeting=m, number=1, reason="Skickad för justering", snapshot=snapshot,
                                   sha256=snapshot_sha256(snapshot))
                    for m, snapshot in zip(chunk, snapshots, strict=True)
                ])
                now = timezone.now()
                _copy(Signature, [
                    Signature(version=v, person=signer, user=signer_user, role=Signature.Role.CHAIR,
                              signed_at=now, sha256=v.sha256)
                    for v, signer in zip(versions, signers, strict=True)
                ])
                MinutesVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
                    status=MinutesVersion.Status.SIGNED, justered_at=now)
                Meeting.objects.filter(pk__in=[m.pk for m in chunk]).update(status=Meeting.Status.SIGNED)
                # The pages of the justerade meetings as the database holds them now (the
                # update leaves updated_at, which each page stores), from the snapshots just
                # written: signed_snapshots() would read back the same.
                stored = Meeting.objects.select_related("organ__organisation").in_bulk([m.pk for m in chunk])
                justerade = [stored[m.pk] for m in chunk]
                ids = voter_ids(justerade)
                snapshot_of = {m.pk: snapshot for m, snapshot in zip(chunk, snapshots, strict=True)}
                for part in _chunks(justerade, PAGES):
                    workers.submit([(m, snapshot_of[m.pk], ids[m.pk]) for m in part])
                for pages, rows in workers.done(ahead=2 * CHUNK // PAGES):
                    _write(PublishedMinutes, pages)
                    _write(PublicParagraph, rows)
            self._mark("snapshots, signatures, pages")

            # The notices while the workers render the last pages.
            notices = self._notices(rnd, orgs, org_of_organ, paragraphs, signed, meetings, today)
            self._mark("notices")
            for pages, rows in workers.rest():
                _write(PublishedMinutes, pages)
                _write(PublicParagraph, rows)
            self._mark("last pages")
        return {
            "associations": len(orgs), "meetings": len(meetings), "justerade": len(signed),
            "paragraphs": len(paragraphs), "attendance": len(attendances), "votes": len(votes),
            "notices": len(notices),
        }

    def _notices(self, rnd: random.Random, orgs: list[Organisation], org_of_organ: dict[int, int],
                 paragraphs: list[Paragraph], signed: list[Meeting], meetings: list[Meeting],
                 today: dt.date) -> list[Notice]:
        """The justering notice of every justerade minutes with its anslagsbevis row, and the
        kungörelse of each upcoming meeting within three weeks."""
        ranges: dict[int, tuple[int, int, str]] = {}
        for p in paragraphs:
            lo, hi, pre = ranges.get(p.meeting_id, (p.number, p.number, p.prefix))
            ranges[p.meeting_id] = (min(lo, p.number), max(hi, p.number), pre)
        notices = []
        org_by_pk = {o.pk: o for o in orgs}
        for m in signed:
            justered = m.date + dt.timedelta(days=rnd.randint(3, 10))
            posted = justered + dt.timedelta(days=rnd.randint(0, 2))
            last = last_appeal_day(posted)
            lo, hi, pre = ranges[m.pk]
            org = org_by_pk[org_of_organ[m.organ_id]]
            notices.append(Notice(
                organisation=org, organ_id=m.organ_id, kind=Notice.Kind.JUSTERING,
                title=f"Justerat protokoll: Styrelsen, {org.short_name}, sammanträde {m.date:%Y-%m-%d}",
                meeting=m, paragraphs=f"{pre} §§ {lo}–{hi}".strip(), justered_on=justered, posted_on=posted,
                last_appeal_day=last, takedown_on=last, storage_place=org.storage_place,
                posted_by_name="Sekreteraren",
            ))
        upcoming = [m for m in meetings if m.date >= today]
        for m in upcoming:
            if m.date - today <= dt.timedelta(days=21):
                org = org_by_pk[org_of_organ[m.organ_id]]
                notices.append(Notice(
                    organisation=org, organ_id=m.organ_id, kind=Notice.Kind.KUNGORELSE,
                    title=f"Kungörelse: Styrelsen sammanträder {m.date:%Y-%m-%d}",
                    body=f"Styrelsen, {org.name}, sammanträder {m.date:%Y-%m-%d} kl. 09.00.",
                    meeting=m, posted_on=today - dt.timedelta(days=3), takedown_on=m.date,
                    storage_place=org.storage_place,
                ))
        notices = Notice.objects.bulk_create(notices, batch_size=5000)

        # The anslagsbevis rows as the worker leaves them (one shared placeholder file).
        notice_ct = ContentType.objects.get_for_model(Notice)
        digest = hashlib.sha256(b"bench").hexdigest()
        _copy(RenderedDocument, [
            RenderedDocument(
                organisation_id=n.organisation_id, kind=CERTIFICATE_KIND, content_type=notice_ct,
                object_id=n.pk, version=1, status=RenderedDocument.Status.DONE,
                file="documents/bench/anslagsbevis.pdf", sha256=digest, size=24000,
                finished_at=timezone.now(), metadata={"title": "Anslagsbevis"},
            )
            for n in notices if n.kind == Notice.Kind.JUSTERING
        ])
        return notices


def minutes_documents(meetings: list[Meeting]) -> list[MinutesDocument]:
    """`minutes_document(m)` of each meeting, its rows read in a dozen queries for all of them.

    minutes_document's prefetch_related costs about 50 µs a paragraph and relation here (a
    related manager and a filtered queryset for each), some 50 s of CPU for the 100,000
    paragraphs even in batches. The same rows (the same querysets, in the same order) are read
    once for all the meetings and put where prefetch_related puts them, then `build_document`
    (what minutes_document builds with) does the rest. The bench paragraphs have no agenda
    item. tests/test_bench_data.py holds the snapshots to minutes_document's.
    """
    ids = [m.pk for m in meetings]
    paragraphs = list(Paragraph.objects.filter(meeting_id__in=ids).order_by("meeting_id", "position"))
    if any(p.agenda_item_id for p in paragraphs):
        raise CommandError("Bench paragraphs have no agenda items: load them here if they get some.")
    # By meeting, not by paragraph: an IN list of 7,000 paragraph ids costs more than the rows.
    of_meetings = {"paragraph__meeting_id__in": ids}
    votes = list(Vote.objects.filter(**of_meetings).order_by("paragraph_id", "position"))
    _prefetched(votes, "pk", {
        "proposals": VoteProposal.objects.filter(vote__paragraph__meeting_id__in=ids).select_related("proposer"),
        "ballots": VoteBallot.objects.filter(vote__paragraph__meeting_id__in=ids).select_related("person"),
    }, "vote_id")
    _prefetched(paragraphs, "pk", {
        "clauses": DecisionClause.objects.filter(**of_meetings),
        "recusals": Recusal.objects.filter(**of_meetings).select_related("person"),
        "reservations": Reservation.objects.filter(**of_meetings).select_related("person"),
        "notes": ProtocolNote.objects.filter(**of_meetings).select_related("person"),
        "documents": AgendaDocument.objects.filter(**of_meetings).order_by("position", "pk"),
        "votes": votes,
    }, "paragraph_id")
    attendances = Attendance.objects.filter(meeting_id__in=ids).select_related(
        "person", "replacing", "from_paragraph", "until_paragraph").order_by("meeting_id", "position", "pk")
    adjusters = MinutesAdjuster.objects.filter(meeting_id__in=ids).select_related("person").order_by(
        "meeting_id", "position")
    # seats_with_vote (the ledamöter among board_on's appointments) of every meeting in one query.
    members = Appointment.objects.active_on(OuterRef("date")).filter(  # type: ignore[arg-type]
        organ_id=OuterRef("organ_id"), seat=Appointment.Seat.MEMBER,
    ).order_by().values("organ_id").annotate(n=Count("pk")).values("n")
    seats = dict(Meeting.objects.filter(pk__in=ids).annotate(n=Coalesce(Subquery(members), 0)).values_list("pk", "n"))
    paragraphs_of = _grouped(paragraphs, "meeting_id")
    attendances_of = _grouped(attendances, "meeting_id")
    adjusters_of = _grouped(adjusters, "meeting_id")
    return [
        build_document(m, paragraphs_of.get(m.pk, []), attendances_of.get(m.pk, []), adjusters_of.get(m.pk, []),
                       seats=seats[m.pk])
        for m in meetings
    ]


def _grouped(rows: Iterable[M], key: str) -> dict[Any, list[M]]:
    """The rows by the value of `key`, each group in the rows' order."""
    groups: dict[Any, list[M]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def _prefetched(instances: list[Any], key: str, related: dict[str, Iterable[Any]], fk: str) -> None:
    """Put each instance's related rows where prefetch_related puts them (the relation's
    `.all()` returns them without a query): {relation name: the rows of every instance}."""
    groups = {name: _grouped(rows, fk) for name, rows in related.items()}
    for instance in instances:
        value = getattr(instance, key)
        instance._prefetched_objects_cache = {name: group.get(value, []) for name, group in groups.items()}


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _publications(
    work: list[tuple[Meeting, dict[str, Any], dict[str, int | None]]],
) -> tuple[list[list[Any]], list[list[Any]]]:
    """publication() of each (meeting, signed snapshot, voter ids), as the rows _write takes
    (lighter to send back from a worker than the model objects): no query, a worker's task.
    The JSON values are sent as the text COPY writes for them (their Jsonb's dumps), made
    here: a string is a tenth of the nested values' cost to unpickle, and the dumps is done."""
    found = [publication(m, snapshot, ids) for m, snapshot, ids in work]
    return (
        _prepared(PublishedMinutes, [page for page, _ in found]),
        [[_json_text(v) for v in row] for row in
         _prepared(PublicParagraph, [row for _, rows in found for row in rows])],
    )


def _json_text(value: Any) -> Any:
    """A Jsonb value (get_db_prep_save of a JSONField) as the text its dumper writes in a COPY."""
    if isinstance(value, Jsonb) and value.dumps is not None:
        return value.dumps(value.obj)
    return value


class _Workers(Generic[T, R]):
    """function(task) of each task submitted, in order, computed in a worker process per CPU
    while this one goes on (here, at submit, if there is one CPU). The workers are forked when
    the block is entered: they have what this process had loaded then, and `function` must
    make no query (they leave its database connection alone)."""

    def __init__(self, function: Callable[[T], R]) -> None:
        self.function = function
        self.processes = min(os.cpu_count() or 1, 4)
        self.pool: Pool | None = None
        self.pending: deque[AsyncResult[R]] = deque()
        self.computed: deque[R] = deque()

    def __enter__(self) -> _Workers[T, R]:
        if self.processes > 1:
            self.pool = multiprocessing.get_context("fork").Pool(self.processes)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()  # as Pool's own __exit__ does
            self.pool.join()

    def submit(self, task: T) -> None:
        if self.pool is None:
            self.computed.append(self.function(task))
        else:
            self.pending.append(self.pool.apply_async(self.function, (task,)))

    def done(self, ahead: int = 0) -> Iterator[R]:
        """The results computed by now, in order, up to the first still being computed; and
        more, waiting for them, while over `ahead` tasks are left (0: no wait)."""
        while self.computed:
            yield self.computed.popleft()
        while self.pending and (self.pending[0].ready() or 0 < ahead < len(self.pending)):
            yield self.pending.popleft().get()

    def rest(self) -> Iterator[R]:
        """All the results not yet taken, in order, waiting for them."""
        yield from self.done()
        while self.pending:
            yield self.pending.popleft().get()
        if self.pool is not None:
            self.pool.close()


def _copy(model: type[M], objs: list[M]) -> list[M]:
    """Insert `objs` as bulk_create does (the same columns, prepared by the same fields), with
    COPY: a third of bulk_create's CPU (the most of it here). The ids of objects without one
    are taken from the table's sequence in order, as bulk_create's INSERT would take them,
    and set on the objects; their related objects must be saved already."""
    opts = model._meta
    new = [o for o in objs if o.pk is None]
    if new:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(new)],
            )
            for obj, (pk,) in zip(new, cursor.fetchall(), strict=True):
                obj.pk = pk
    _write(model, _prepared(model, objs))
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def _columns(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns COPY writes: not those the database fills itself (generated ones, and those
    with a database default, such as PublicParagraph.retention_months, which a trigger sets)."""
    return [f for f in model._meta.concrete_fields if not f.generated and f.db_default is NOT_PROVIDED]


# The fields whose get_db_prep_save returns a value of this type (or None) as it is, and whose
# pre_save reads it (no auto_now): _prepared takes such values without the calls.
_PLAIN: dict[type[Field[Any, Any]], type] = {
    models.AutoField: int, models.BigAutoField: int, models.SmallAutoField: int,
    models.IntegerField: int, models.BigIntegerField: int, models.SmallIntegerField: int,
    models.PositiveIntegerField: int, models.PositiveBigIntegerField: int, models.PositiveSmallIntegerField: int,
    models.CharField: str, models.TextField: str, models.BooleanField: bool,
    models.DateField: dt.date, models.TimeField: dt.time,
}


def _plain_type(field: Field[Any, Any]) -> type | None:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    if isinstance(field, models.ForeignKey):  # an id, as its target field's
        return _plain_type(field.target_field) if type(field) in (models.ForeignKey, models.OneToOneField) else None
    return _PLAIN.get(type(field))


def _prepared(model: type[M], objs: list[M]) -> list[list[Any]]:
    """The values bulk_create would write for each object (auto_now fields set on it as there).

    A value of its field's plain type (_PLAIN: what psycopg writes itself) is taken as it is,
    as get_db_prep_save would return it: the calls were most of the 100,000 paragraphs' cost."""
    fields = [(f, f.attname, _plain_type(f)) for f in _columns(model)]
    rows = []
    for obj in objs:
        row = []
        for f, attname, plain in fields:
            if plain is not None:
                value = getattr(obj, attname)
                if value is None or type(value) is plain:
                    row.append(value)
                    continue
            row.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
        rows.append(row)
    return rows


def _write(model: type[Model], rows: list[list[Any]]) -> None:
    """COPY the rows (_prepared) into the model's table."""
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in _columns(model))
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)
