"""Shared fixtures: one association with a user per role, and an outsider from another.

`org` is the association under test; `other_org` is where the outsider sits. Every view's
tests use `outsider` (a user of another association) and `client` (anonymous) to check who
must not get in.
"""

from __future__ import annotations

import datetime as dt
import email
import email.message
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings

from board.models import Appointment, MemberOrganisation, Organ, Organisation, StaffRole
from tests.factories import (
    AppointmentFactory,
    MemberOrganisationFactory,
    MembershipFactory,
    OrganFactory,
    OrganisationFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.servers import RedisServer, free_port, point_celery_at

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "korrekt-hast-batteri"


@dataclass
class Board:
    organisation: Organisation
    organ: Organ
    members: list[MemberOrganisation]


def make_board(*, name: str, slug: str, prefix: str = "") -> Board:
    """An association with FK, AF, a region and two municipalities, each with a ledamot and an ersättare."""
    # The tests' minutes and notices carry dates of years past while many read them on the real
    # today: kept on the web for 50 years here; the tests of retention set their own.
    org = OrganisationFactory(name=name, slug=slug, short_name=slug.upper(), paragraph_prefix=prefix,
                              minutes_retention_months=600, notice_retention_months=600)
    organ = OrganFactory(organisation=org, name=f"Styrelsen {name}")
    members = [
        MemberOrganisationFactory(name=f"Försäkringskassan ({slug})", kind=MemberOrganisation.Kind.FK),
        MemberOrganisationFactory(name=f"Arbetsförmedlingen ({slug})", kind=MemberOrganisation.Kind.AF),
        MemberOrganisationFactory(name=f"Region ({slug})", kind=MemberOrganisation.Kind.REGION),
        MemberOrganisationFactory(name=f"Kommun A ({slug})", kind=MemberOrganisation.Kind.MUNICIPALITY),
        MemberOrganisationFactory(name=f"Kommun B ({slug})", kind=MemberOrganisation.Kind.MUNICIPALITY),
    ]
    for member in members:
        MembershipFactory(organisation=org, member=member, start=dt.date(2015, 1, 1))
    return Board(organisation=org, organ=organ, members=members)


def user_with_seat(board: Board, username: str, member_index: int, *, role: str = "", seat: str = Appointment.Seat.MEMBER):
    user = UserFactory(username=username)
    person = PersonFactory(first_name=username.capitalize(), last_name="Testsson", user=user, email=f"{username}@example.se")
    AppointmentFactory(
        organ=board.organ, person=person, seat=seat, role=role,
        appointed_by=board.members[member_index], start=dt.date(2020, 1, 1),
    )
    return user


def user_with_staff_role(board: Board, username: str, role: str):
    user = UserFactory(username=username)
    person = PersonFactory(first_name=username.capitalize(), last_name="Kansli", user=user, email=f"{username}@example.se")
    StaffRoleFactory(organisation=board.organisation, person=person, role=role, start=dt.date(2020, 1, 1))
    return user


@pytest.fixture
def board(db) -> Board:
    b = make_board(name="Samordningsförbundet Prov", slug="prov", prefix="PRV")
    # Complete composition: a ledamot and an ersättare per member; user-bearing seats below.
    for i in range(2, 5):
        AppointmentFactory(organ=b.organ, appointed_by=b.members[i], seat=Appointment.Seat.MEMBER)
    for i in range(5):
        AppointmentFactory(organ=b.organ, appointed_by=b.members[i], seat=Appointment.Seat.SUBSTITUTE)
    return b


@pytest.fixture
def org(board: Board) -> Organisation:
    return board.organisation


@pytest.fixture
def chair(board: Board):
    return user_with_seat(board, "ordforande", 0, role=Appointment.Role.CHAIR)


@pytest.fixture
def member(board: Board):
    return user_with_seat(board, "ledamot", 1)


@pytest.fixture
def secretary(board: Board):
    return user_with_staff_role(board, "sekreterare", StaffRole.Role.SECRETARY)


@pytest.fixture
def director(board: Board):
    return user_with_staff_role(board, "forbundschef", StaffRole.Role.DIRECTOR)


@pytest.fixture
def accountant(board: Board):
    return user_with_staff_role(board, "ekonom", StaffRole.Role.ACCOUNTANT)


@pytest.fixture
def auditor(board: Board):
    return user_with_staff_role(board, "revisor", StaffRole.Role.AUDITOR)


@pytest.fixture
def site_admin(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def other_board(db) -> Board:
    return make_board(name="Samordningsförbundet Annat", slug="annat", prefix="ANN")


@pytest.fixture
def other_org(other_board: Board) -> Organisation:
    return other_board.organisation


@pytest.fixture
def outsider(other_board: Board):
    """The secretary of another association: powerful there, nobody here."""
    return user_with_staff_role(other_board, "utomstaende", StaffRole.Role.SECRETARY)


@contextmanager
def triggers_off() -> Iterator[None]:
    """Set up a state the lock triggers forbid, as only a superuser can (the tests connect as one):
    session_replication_role = replica skips triggers until the block ends."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def login():
    return client_for


# Marked by what they use, so a new test that starts a worker or a browser is left out of
# `make test-fast` without anyone remembering the marker.
WORKER_FIXTURES = {"celery_worker", "celery_worker_process", "start_worker"}
BROWSER_FIXTURES = {"page", "browser", "context"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & WORKER_FIXTURES:
            item.add_marker(pytest.mark.worker)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


def pytest_configure(config: pytest.Config) -> None:
    """A flush that fails is tried again, once the other sessions on the database show why.

    One CI run (of many) found a flush after a passing test fail with the database's error
    hidden behind Django's CommandError. TRUNCATE of every table takes 1,470 locks at once;
    a session of another part (a worker, a web node, a thread a test started) holding a lock
    it needs can deadlock with it, and PostgreSQL then cancels one of the two. The second try
    runs after the other has gone on; the warning names the error and the sessions, so the
    next such run says which part it was instead of losing the suite's result to a race.
    """
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def flush_and_retry(self: TransactionTestCase) -> None:
        for attempt in range(1, 4):
            try:
                return flush(self)
            except CommandError as exc:
                if attempt == 3:
                    raise
                warnings.warn(f"flush try {attempt} failed: {exc.__cause__!r}; {_other_sessions()}", stacklevel=1)
                time.sleep(attempt)

    TransactionTestCase._fixture_teardown = flush_and_retry  # type: ignore[method-assign]


def _other_sessions() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, wait_event_type, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return f"other sessions on the database: {cursor.fetchall()}"


@pytest.fixture(autouse=True)
def no_public_cache(settings):
    """Every test sees every change at once. The public pages' cache in Redis outlives a test
    (a non-transactional test never commits, so the version bump after commit never runs);
    tests/public/test_cache.py and tests/faults/ turn it on where it is the subject."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def board_generation_at_each_write(request) -> None:
    """The notice board's generation moves on at the commit of what changed it (migration 0026's
    deferred triggers), and a non-transactional test never commits: in its transaction they
    fire at each statement instead, so the board shows a change at once, as it does after a
    commit (tests/public/test_board_pages.py checks the deferral itself, committing)."""
    if "_django_db_helper" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("_django_db_helper")  # the test's transaction first
    if connection.in_atomic_block:
        import importlib

        triggers = importlib.import_module("minutes.migrations.0026_board_pages").TRIGGERS
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {', '.join(triggers)} IMMEDIATE")


@pytest.fixture(autouse=True)
def swedish_after() -> Iterator[None]:
    """Each test starts in the site's language: a request in English (the language cookie)
    leaves English active in the thread, and a form rendered after it outside a request
    would speak English (tests/test_forms.py after tests/board/test_security.py)."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


# --- The seal certificate and media files ---------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def seal_certificate() -> Path:
    """The development seal certificate at the configured paths (settings.PDF_SEAL_*).

    The Celery worker subprocess reads the same paths from the same environment, so both
    processes seal and verify with one certificate. Creation is idempotent and locked.
    """
    from board.management.commands.create_dev_certificate import dev_certificate_create

    dev_certificate_create(
        key_file=Path(settings.PDF_SEAL_KEY_FILE),
        cert_file=Path(settings.PDF_SEAL_CERT_FILE),
        passphrase=settings.PDF_SEAL_KEY_PASSPHRASE,
    )
    return Path(settings.PDF_SEAL_CERT_FILE)


@pytest.fixture
def media_in_tmp(request, settings, tmp_path) -> Iterator[Path]:
    """Files go to a tmp dir, except where another process (a worker, a live server) must find them."""
    if request.node.get_closest_marker("worker") or "live_server" in request.fixturenames:
        yield Path(settings.MEDIA_ROOT)
        return
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield tmp_path / "media"


# --- Mail: a real SMTP server started by the tests ----------------------------------------


class SmtpServer:
    """An SMTP server (aiosmtpd) on a free local port that keeps what it receives in
    `messages`, or, while `refuse` holds an answer such as "451 ..." or "421 ...", refuses
    every mail with it (an outage)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: str | None = None
        self.host = host
        with socket.socket() as probe:
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname=self.host, port=self.port)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd's hook
        if self.refuse:
            return self.refuse
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer, settings) -> Iterator[SmtpServer]:
    """The tests' SMTP server, empty and answering, as this process's mail backend too (the
    test worker always sends to it). It answers again after the test, whatever the test did."""
    smtp_server.messages.clear()
    smtp_server.refuse = None
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    yield smtp_server
    smtp_server.refuse = None


def mail_outbox() -> list:
    """mail.outbox once the queued mail has been sent, for tests without a worker: they never
    commit, so no message went to a worker; this does the worker's part (board.mail.mail_send)
    for every row still waiting, to this process's backend (locmem in tests)."""
    from django.core import mail

    from board.mail import mail_send
    from board.models import OutgoingMail

    for pk in OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).order_by("pk").values_list("pk", flat=True):
        mail_send(pk)
    return mail.outbox


def wait_for(condition, timeout: float = 60, what: str = "the condition"):
    """Poll until `condition()` is true (returns it), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.1)
    return result


# --- A Redis of the session's own, and a real Celery worker on it ---------------------------


@pytest.fixture(scope="session", autouse=True)
def test_redis(tmp_path_factory) -> Iterator[RedisServer]:
    """A `redis-server` of this pytest process's own: broker, results and page cache.

    Each xdist worker is a process of its own, so parallel workers never take each other's
    tasks, purge each other's queue or read each other's cached pages, and no worker of a
    `make run` (or of another checkout's tests) on the shared Redis takes a test's task.
    """
    server = RedisServer(port=free_port(), workdir=tmp_path_factory.mktemp("redis"))
    server.start()
    url = server.url
    own = override_settings(
        REDIS_URL=url, CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url,
        CACHES={"default": {**settings.CACHES["default"], "LOCATION": url}},
    )
    own.enable()
    point_celery_at(url, url)
    yield server
    own.disable()
    server.stop()



def database_url_for_tests() -> str:
    db = settings.DATABASES["default"]
    auth = quote(str(db["USER"]))
    if db["PASSWORD"]:
        auth += ":" + quote(str(db["PASSWORD"]))
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(test_redis, django_db_setup, django_db_blocker, smtp_server) -> Iterator[subprocess.Popen]:
    """A `celery worker` subprocess on the test database and the session's Redis, sending mail
    to the tests' SMTP server (retrying after 1 and 2 s instead of minutes).

    It lives for the session but takes tasks only during a test that asks for `celery_worker`
    (which adds the task queue to it and takes it away again): a later test that renders in
    process must not find the worker racing it for its row, nor have the worker still
    rendering when its tables are flushed.
    """
    from config.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "DB_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "MAIL_RETRY_SECONDS": "1",
        "MAIL_RETRY_MAX_SECONDS": "2",
    }
    app.control.purge()
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         f"--queues={IDLE_QUEUE}", "--loglevel=WARNING",
         "--without-heartbeat", "--without-mingle", "--without-gossip",
         f"--hostname=test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited with {proc.returncode}")
        if app.control.ping(timeout=0.5, destination=[_worker_name()]):
            break
    else:
        proc.kill()
        raise RuntimeError("celery worker did not answer within 60 s")
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


IDLE_QUEUE = "tests-idle"  # nothing is sent there: the worker's queue between worker tests


def _worker_name() -> str:
    return f"test-{os.getpid()}@{os.uname().nodename}"


def _worker_idle() -> bool:
    """Nothing queued, running or waiting for a retry in the test worker."""
    from config.celery import app

    inspect = app.control.inspect(destination=[_worker_name()], timeout=1.0)
    for answer in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if answer is None or any(answer.values()):
            return False
    with app.connection_for_read() as connection:  # and nothing left in the queue for it to take
        return connection.default_channel.client.llen(app.conf.task_default_queue) == 0


@pytest.fixture
def celery_worker(transactional_db, celery_worker_process) -> Iterator[subprocess.Popen]:
    """The test worker for one test, which ends only when the worker is idle.

    A justering queues more than a test waits for (the notice's certificate, e-mail); if the
    worker still held a row lock when the test's tables are flushed, the flush deadlocked
    with it and the next test found the last one's rows. Its teardown runs before the flush
    (it depends on transactional_db).

    The worker takes the task queue only for this test (see `celery_worker_process`).
    """
    from config.celery import app

    queue = app.conf.task_default_queue
    _answered(app.control.add_consumer(queue, destination=[_worker_name()], reply=True), "add_consumer")
    yield celery_worker_process
    deadline = time.monotonic() + 90
    while not _worker_idle():
        if time.monotonic() > deadline:
            pytest.fail("the Celery worker was still busy 90 s after the test")
        time.sleep(0.2)
    _answered(app.control.cancel_consumer(queue, destination=[_worker_name()], reply=True), "cancel_consumer")


def _answered(replies: list | None, what: str) -> None:
    if not replies:
        raise RuntimeError(f"the Celery worker did not answer {what}")


@pytest.fixture(autouse=True)
def no_tasks_left_behind(request) -> Iterator[None]:
    """After a test that committed without the worker, its queued tasks go with its rows: the
    next worker test must not run them against rows of the same ids that are not theirs."""
    yield
    used = set(request.fixturenames)
    if "transactional_db" in used and not used & WORKER_FIXTURES:
        from config.celery import app

        app.control.purge()


def wait_until_rendered(document_id: int, timeout: float = 90):
    """Poll a RenderedDocument until the worker has made it `klar` (or fail with its error)."""
    from board.documents.models import RenderedDocument

    deadline = time.monotonic() + timeout
    while True:
        document = RenderedDocument.objects.get(pk=document_id)
        if document.status == RenderedDocument.Status.DONE:
            return document
        if time.monotonic() > deadline:
            raise AssertionError(f"not rendered within {timeout} s: {document.status} {document.error!r}")
        time.sleep(0.2)


@pytest.fixture
def cleanup_files() -> Iterator[list[Path]]:
    """Files a worker wrote outside the test's tmp dir; removed after the test."""
    created: list[Path] = []
    yield created
    for path in created:
        path.unlink(missing_ok=True)


# --- Playwright in Debian's Chromium -------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


def assert_timezones_defined(ics: bytes) -> None:
    """RFC 5545 3.2.19: every TZID a property refers to has its VTIMEZONE in the calendar;
    without one, a client has to guess what the TZID means."""
    from icalendar import Calendar

    cal = Calendar.from_ical(ics)
    used = {
        str(prop.params["TZID"])
        for event in cal.walk("VEVENT")
        for name in ("DTSTART", "DTEND")
        if (prop := event.get(name)) is not None and "TZID" in prop.params
    }
    assert used == {"Europe/Stockholm"}
    defined = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
    assert set(defined) == used
    rules = {c.name for c in defined["Europe/Stockholm"].subcomponents}
    assert rules == {"STANDARD", "DAYLIGHT"}  # CET and CEST
    text = ics.decode()
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")



def justered_without_signatures(meeting, actor=None):
    """What a justering leaves, without its signatures: a justerad version holding the snapshot
    of the minutes as they are, the meeting justerat, and the public page and search index
    written from that snapshot's public projection (as `_justered` in
    minutes/justering/services/signing.py does).

    For tests of the public side on their own; the justering itself is tested in tests/justering.
    """
    from django.db import transaction
    from django.utils import timezone

    from minutes.drafting.selectors import minutes_document
    from minutes.justering.rules import minutes_snapshot, snapshot_sha256
    from minutes.models import Meeting, MinutesVersion
    from minutes.public.publication import publish

    snapshot = minutes_snapshot(minutes_document(meeting), [])
    number = (meeting.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    with transaction.atomic(), triggers_off():  # a justerad version without its signatures
        MinutesVersion.objects.create(
            meeting=meeting, number=number, snapshot=snapshot, sha256=snapshot_sha256(snapshot),
            reason="Justerad (test)", created_by=actor, status=MinutesVersion.Status.SIGNED,
            justered_at=timezone.now(),
        )
        meeting = Meeting.objects.get(pk=meeting.pk)
        meeting.status = Meeting.Status.SIGNED
        meeting.save()  # its post_save moves the public cache on, as the justering's save does
    publish(meeting)
    return meeting
