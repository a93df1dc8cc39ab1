"""Benchmark of the justering's PDFs (issue 4), as medians of several runs on this machine:

1. render + seal of a 13-page minutes through the real producer (minutes_document -> the
   print template -> WeasyPrint PDF/A-3b -> pyHanko seal); target below 1.5 s;
2. the time from the last signature to the sealed PDF being available, through a real Celery
   worker started here as a subprocess on the same database and Redis; target below 5 s.

    uv run python bench/justering_bench.py [--runs 5]

It writes justerade minutes, which the database never lets anyone delete, so it uses its own
database: BENCH_DATABASE_URL, or the DATABASE_URL's database name with "_bench" appended
(created and migrated here). REDIS_URL as configured.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samordna"))
    return urlunsplit(url._replace(path=url.path.rstrip("/") + "_bench"))


os.environ["DATABASE_URL"] = _bench_database_url()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("FAST_PASSWORD_HASHER", "true")
# The e-mails to the signers are not what is measured.
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
subprocess.run([sys.executable, "scripts/ensure_db.py"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True,
               stderr=subprocess.DEVNULL)

import django  # noqa: E402

django.setup()

import pypdf  # noqa: E402
from django.conf import settings  # noqa: E402

from board.documents.models import RenderedDocument  # noqa: E402
from board.documents.pdf import verify_pdf  # noqa: E402
from board.management.commands.create_dev_certificate import dev_certificate_create  # noqa: E402
from board.models import Appointment, StaffRole  # noqa: E402
from minutes.justering import services as justering  # noqa: E402
from minutes.notices.minutes_pdf import produce_full_minutes  # noqa: E402
from tests.conftest import PASSWORD, make_board, user_with_seat, user_with_staff_role  # noqa: E402
from tests.justering.conftest import build_minutes, signing_request  # noqa: E402

TARGET_PAGES = 13


def justered_minutes(extra: int, *, last_signature: bool = True):
    """A fresh association with minutes of 7 + `extra` paragraphs, sent and (all but) signed."""
    tag = uuid.uuid4().hex[:8]
    board = make_board(name=f"Samordningsförbundet Bänk {tag}", slug=f"bank-{tag}", prefix="BNK")
    for i in range(2, 5):
        from tests.factories import AppointmentFactory

        AppointmentFactory(organ=board.organ, appointed_by=board.members[i], seat=Appointment.Seat.MEMBER)
    chair = user_with_seat(board, f"ordf{tag}", 0, role=Appointment.Role.CHAIR)
    member = user_with_seat(board, f"just{tag}", 1)
    secretary = user_with_staff_role(board, f"sekr{tag}", StaffRole.Role.SECRETARY)
    meeting = build_minutes(board, secretary, chair, member, extra_paragraphs=extra)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    justering.justering_sign(meeting=meeting, actor=secretary, password=PASSWORD, request=signing_request())
    justering.justering_sign(meeting=meeting, actor=member, password=PASSWORD, request=signing_request())
    if last_signature:
        justering.justering_sign(meeting=meeting, actor=chair, password=PASSWORD, request=signing_request())
    return meeting, chair


def full_document(meeting) -> RenderedDocument:
    return RenderedDocument.objects.get(object_id=meeting.pk, kind="minutes.full", content_type__model="meeting")


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def bench_render(runs: int) -> None:
    extra, pdf, meeting = 2, b"", None
    while True:
        meeting, _chair = justered_minutes(extra)
        pdf = produce_full_minutes(full_document(meeting)).content
        if page_count(pdf) >= TARGET_PAGES:
            break
        extra += 1
    document = full_document(meeting)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        produced = produce_full_minutes(document)
        times.append(time.perf_counter() - start)
    assert verify_pdf(produced.content).ok
    print(f"minutes: {page_count(produced.content)} pages, {meeting.paragraphs.count()} paragraphs, "
          f"{len(produced.content) / 1024:.0f} KiB sealed")
    print(f"render + seal (producer, from the database), {runs} runs: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}); target < 1.5 s")


def start_worker() -> subprocess.Popen:
    from config.celery import app

    app.control.purge()
    name = f"bench-{os.getpid()}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-heartbeat", "--without-mingle", "--without-gossip", f"--hostname={name}@%h"],
        cwd=ROOT, env={**os.environ, "DB_CONN_MAX_AGE": "0"}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5, destination=[f"{name}@{os.uname().nodename}"]):
            return proc
    proc.kill()
    raise RuntimeError("the worker did not answer within 60 s")


def bench_worker(runs: int) -> None:
    proc = start_worker()
    try:
        # One warm-up: the worker's first render imports WeasyPrint and loads the fonts.
        meeting, _chair = justered_minutes(2)
        wait_done(full_document(meeting).pk)
        times = []
        for _ in range(runs):
            meeting, chair = justered_minutes(2, last_signature=False)
            start = time.perf_counter()
            justering.justering_sign(meeting=meeting, actor=chair, password=PASSWORD, request=signing_request())
            wait_done(full_document(meeting).pk)
            times.append(time.perf_counter() - start)
        print(f"last signature -> sealed PDF available (real worker), {runs} runs: median "
              f"{statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}); target < 5 s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_done(pk: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if RenderedDocument.objects.filter(pk=pk, status=RenderedDocument.Status.DONE).exists():
            return
        time.sleep(0.02)
    raise RuntimeError(f"document {pk} not done within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dev_certificate_create(
        key_file=Path(settings.PDF_SEAL_KEY_FILE), cert_file=Path(settings.PDF_SEAL_CERT_FILE),
        passphrase=settings.PDF_SEAL_KEY_PASSPHRASE,
    )
    print(f"database: {settings.DATABASES['default']['NAME']}, redis: {settings.REDIS_URL}")
    bench_render(args.runs)
    bench_worker(args.runs)


if __name__ == "__main__":
    main()
