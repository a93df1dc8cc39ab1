"""Ordering, building and delivering the yearly archive package.

`archive_request(...)` records the order (an ArchivePackage row, köad) in the caller's
transaction and queues the Celery task after commit. The worker calls `archive_build(pk)`,
which claims the row with a lease (renewed with every step of progress), builds the package in a
temporary folder (package.py), validates it (validation.py: the XSDs and CSIP's rules; a package
that does not pass is not delivered), writes it as a ZIP through Django's default storage and
marks the row klar. A build can run twice: a row that is klar, or held by a live build, is left
alone, and only the build that holds the claim stores its file. `archives_stuck()` finds the
rows whose message was lost or whose worker died; every worker's sweep sends them again.

The ZIP is the stored form. `archive_stream(package, "tar")` streams the same files as a TAR,
read from the stored ZIP member by member, so nothing is written to a local path to serve it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tarfile
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from board.audit import acting_user, event_record
from board.models import Organ, Organisation
from board.permissions import Action, can
from config.celery import task_send

from ..models import ARCHIVE_MAX_ATTEMPTS, ArchivePackage
from .package import BuiltPackage, package_build
from .validation import validate_package

logger = logging.getLogger(__name__)

BUILD_TASK = "minutes.build_archive_package"
RETRY_WAIT_MAX = dt.timedelta(seconds=300)
FIRST_YEAR = 1990  # the first samordningsförbund came with Finsam in 2004; earlier is a typo


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ARCHIVE_LEASE_SECONDS)


def archive_may_deliver(user: Any, organisation: Organisation | int) -> bool:
    """The secretary and the arkivarie of the association (and a site admin)."""
    return can(user, Action.DELIVER_ARCHIVE, organisation)


@transaction.atomic
def archive_request(
    *, organisation: Organisation, year: int, organ: Organ | None = None, actor: Any
) -> ArchivePackage:
    """Order the package of the association's year (and organ); built after commit."""
    if not archive_may_deliver(actor, organisation):
        raise PermissionDenied
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError({"year": f"Välj ett år mellan {FIRST_YEAR} och {this_year}."})
    if organ is not None and organ.organisation_id != organisation.pk:
        raise ValidationError({"organ": "Organet hör till ett annat förbund."})
    package = ArchivePackage.objects.create(
        organisation=organisation, organ=organ, year=year, requested_by=acting_user(actor),
        step="Köad",
    )
    event_record(
        verb="archive.requested", actor=actor, organisation=organisation, target=package,
        summary=f"Arkivpaket {year} beställt" + (f" ({organ.name})" if organ else ""),
        data={"package": package.pk, "year": year, "organ": organ.pk if organ else None},
    )
    transaction.on_commit(lambda: task_send(BUILD_TASK, package.pk))
    return package


def _claim(package_id: int, attempt: str) -> ArchivePackage | None:
    now = timezone.now()
    Status = ArchivePackage.Status
    with transaction.atomic():
        package = ArchivePackage.objects.select_for_update().filter(pk=package_id).first()
        if package is None or package.status == Status.DONE:
            return None
        if package.status == Status.BUILDING:
            if package.claimed_by != attempt and package.lease_until and package.lease_until > now:
                return None  # a live build elsewhere
            if package.attempts >= ARCHIVE_MAX_ATTEMPTS:
                package.status = Status.FAILED
                package.error = (f"Bygget avbröts {package.attempts} gånger utan att bli klart "
                                 "(arbetsprocessen dog); det görs inte om av sig självt.")
                package.finished_at = now
                package.save(update_fields=["status", "error", "finished_at"])
                return None
        package.status = Status.BUILDING
        package.started_at = now
        package.claimed_by = attempt
        package.lease_until = now + lease()
        package.finished_at = None
        package.attempts += 1
        package.error = ""
        package.progress = 0
        package.step = "Påbörjat"
        package.save(update_fields=["status", "started_at", "claimed_by", "lease_until", "finished_at",
                                    "attempts", "error", "progress", "step"])
        return package


def _progress_for(pk: int, claim: int) -> Callable[[int, str], None]:
    """Progress on the row, which also renews the claim's lease (only while it is the claim's)."""

    def report(percent: int, step: str) -> None:
        ArchivePackage.objects.filter(
            pk=pk, status=ArchivePackage.Status.BUILDING, attempts=claim
        ).update(progress=max(0, min(percent, 99)), step=step[:200], lease_until=timezone.now() + lease())

    return report


def write_zip(built: BuiltPackage, out: IO[bytes]) -> None:
    """The package folder as a ZIP whose one top folder is the package (named by its OBJID)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(p for p in built.root.rglob("*") if p.is_file()):
            archive.write(path, f"{built.object_id}/{path.relative_to(built.root).as_posix()}")


def write_tar(built: BuiltPackage, out: IO[bytes]) -> None:
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        archive.add(built.root, arcname=built.object_id, recursive=True)


def archive_build(package_id: int, *, attempt: str = "") -> ArchivePackage | None:
    """Build, validate and store one package. Idempotent; raises when the build fails."""
    package = _claim(package_id, attempt or f"direct-{uuid.uuid4()}")
    if package is None:
        return None
    claim = package.attempts
    report = _progress_for(package.pk, claim)
    try:
        with tempfile.TemporaryDirectory(prefix="arkivpaket-") as scratch:
            built = package_build(
                organisation=package.organisation, year=package.year, organ=package.organ,
                target=Path(scratch), created=package.created_at, progress=report,
            )
            report(96, "Paketet kontrolleras mot scheman och CSIP:s regler")
            errors = validate_package(built.root)
            if errors:
                raise ValueError("Paketet klarar inte kontrollen: " + "; ".join(errors[:10]))
            report(98, "Paketet packas och sparas")
            with tempfile.TemporaryFile() as zipped:
                write_zip(built, zipped)
                zipped.seek(0)
                digest = hashlib.sha256()
                for chunk in iter(lambda: zipped.read(1024 * 1024), b""):
                    digest.update(chunk)
                size = zipped.tell()
                zipped.seek(0)
                return _store(package.pk, claim, built, zipped, digest.hexdigest(), size)
    except Exception as exc:
        ArchivePackage.objects.filter(
            pk=package.pk, status=ArchivePackage.Status.BUILDING, attempts=claim
        ).update(status=ArchivePackage.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:4000],
                 finished_at=timezone.now(), lease_until=None)
        logger.warning("archive package %s failed: %s", package.pk, exc)
        raise


def _store(pk: int, claim: int, built: BuiltPackage, zipped: IO[bytes], digest: str, size: int) -> ArchivePackage:
    with transaction.atomic():
        current = ArchivePackage.objects.select_for_update().get(pk=pk)
        if current.status != ArchivePackage.Status.BUILDING or current.attempts != claim:
            return current  # taken over meanwhile; that build stores its own file
        old_name = current.file.name if current.file else ""
        current.file.save(f"{built.object_id}.zip", File(zipped), save=False)
        current.object_id = built.object_id
        current.sha256 = digest
        current.size = size
        current.left_out = built.left_out
        current.summary = {"meetings": built.meetings, "notices": built.notices,
                           "files": len(built.files), "data_bytes": built.data_bytes}
        current.status = ArchivePackage.Status.DONE
        current.progress = 100
        current.step = "Klart"
        current.finished_at = timezone.now()
        current.lease_until = None
        current.error = ""
        current.save(update_fields=["file", "object_id", "sha256", "size", "left_out", "summary", "status",
                                    "progress", "step", "finished_at", "lease_until", "error"])
        if old_name and old_name != current.file.name:
            storage = current.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
        event_record(
            verb="archive.built", organisation=current.organisation, target=current,
            summary=f"Arkivpaket {current.year} klart ({built.meetings} sammanträden, {len(built.files)} filer)",
            data={"sha256": digest, "size": size, "left_out": len(built.left_out)},
        )
    return current


def archives_stuck(*, now: dt.datetime | None = None) -> QuerySet[ArchivePackage]:
    """Rows no message will build any more unless one is sent again (as documents_stuck)."""
    now = now or timezone.now()
    Status = ArchivePackage.Status
    return ArchivePackage.objects.filter(
        Q(queued_at__lt=now - lease())
        & (
            Q(status=Status.QUEUED)
            | Q(status=Status.BUILDING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            | Q(status=Status.FAILED, attempts__lt=ARCHIVE_MAX_ATTEMPTS,
                finished_at__lt=now - RETRY_WAIT_MAX - lease())
        )
    )


def archive_downloaded(*, package: ArchivePackage, fmt: str, actor: Any) -> None:
    event_record(
        verb="archive.downloaded", actor=actor, organisation=package.organisation, target=package,
        summary=f"Arkivpaket {package.year} hämtat som {fmt.upper()}", data={"format": fmt},
    )


class _Chunks:
    """A write-only file that hands what is written to a generator (for streaming a TAR)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def tar_stream_from_zip(source: IO[bytes]) -> Iterator[bytes]:
    """The ZIP's files as an uncompressed TAR, member by member, without a local file."""
    sink = _Chunks()
    with zipfile.ZipFile(source) as archive, tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = tarfile.TarInfo(info.filename)
            member.size = info.file_size
            member.mtime = int(dt.datetime(*info.date_time).timestamp())
            member.mode = 0o644
            with archive.open(info) as data:
                tar.addfile(member, data)
            yield sink.take()
    yield sink.take()


def zip_stream(source: IO[bytes], chunk: int = 512 * 1024) -> Iterator[bytes]:
    try:
        yield from iter(lambda: source.read(chunk), b"")
    finally:
        source.close()


def archive_stream(package: ArchivePackage, fmt: str) -> tuple[Iterator[bytes], str, str, int | None]:
    """(chunks, filename, content type, length or None) of the stored package as ZIP or TAR."""
    source = package.file.open("rb")  # the storage API: a filesystem or S3 alike
    if fmt == "zip":
        return zip_stream(source), f"{package.object_id}.zip", "application/zip", package.size

    def tar_chunks() -> Iterator[bytes]:
        try:
            yield from tar_stream_from_zip(source)
        finally:
            source.close()

    return tar_chunks(), f"{package.object_id}.tar", "application/x-tar", None
