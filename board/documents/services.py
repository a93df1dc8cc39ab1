"""Issued documents: the status row of every sealed PDF, and the services that render them.

An app that issues a PDF registers a producer for its kind once (in its AppConfig.ready()):

    register_producer("minutes.full", produce_full_minutes, label="Protokoll",
                      may_download=lambda user, document: ...)

and asks for a document where the act happens (in the same transaction):

    document_request(kind="minutes.full", target=minutes, version=minutes.version,
                     organisation=minutes.organisation, actor=request.user)

which creates (or finds) the `RenderedDocument` row and queues the Celery task after commit.
The worker calls `document_render(document_id)`, which calls the producer
`fn(document) -> ProducedPdf` (HTML -> `pdf.render_pdf` -> `pdf.seal_pdf`) and
stores the file with its SHA-256, which `/verifiera/` looks up. No web request waits for a
render: pages include `documents/_status.html`, which refreshes itself until the file is there.

The row is the record that the render is owed, whatever happens to its message. A render
claims the row for its attempt (the Celery task id) with a lease of DOCUMENT_LEASE_SECONDS,
which it renews while the producer runs. Another message for the row is skipped while the lease
holds; the same task delivered again (its pool process died, reject_on_worker_lost) takes the
row over at once; a lease that ran out (the whole worker died) is taken over by whoever comes
next. `documents_stuck` finds the rows whose message was lost or never sent, and every worker
sends them again (tasks.requeue_stuck_documents, config/celery.py). Only the attempt that
holds the claim stores its file, so a row is issued once.

"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from board.audit import acting_user, event_record
from board.permissions import Action, can
from config.celery import task_send

from .models import MAX_ATTEMPTS, RenderedDocument
from .registry import ProducedPdf, dotted_path, producer_for, spec_for

logger = logging.getLogger(__name__)

# The longest a failed render waits for Celery's retry (retry_backoff_max in tasks.py);
# a failed row waiting longer than this and a lease has lost its retry message.
RETRY_WAIT_MAX = dt.timedelta(seconds=300)


# The Celery task that renders a row (tasks.py); sent by name, as tasks.py imports this module.
RENDER_TASK = "board.render_document"


def lease() -> dt.timedelta:
    """How long a claim on a render holds without being renewed (settings.DOCUMENT_LEASE_SECONDS)."""
    return dt.timedelta(seconds=settings.DOCUMENT_LEASE_SECONDS)


def document_may_download(*, user: Any, document: RenderedDocument) -> bool:
    """Whether `user` may have the file (and see its status)."""
    if document.is_public:
        return True
    if user is None or not user.is_authenticated:
        return False
    spec = spec_for(document.kind)
    if spec is not None and spec.may_download is not None:
        return bool(spec.may_download(user, document))
    return can(user, Action.VIEW, document.organisation_id)


# What the user is told when a render was ordered but could not be handed to the background
# service (RenderedDocument.broker_unreachable); the page or API says what was ordered first.
BROKER_UNREACHABLE = (
    "Bakgrundstjänsten går inte att nå just nu. Beställningen är sparad och dokumentet skapas "
    "av sig självt när tjänsten är tillbaka."
)


# --- Services -----------------------------------------------------------------------------


def document_request(
    *,
    kind: str,
    target: models.Model,
    version: int,
    organisation: Any,
    actor: Any = None,
) -> RenderedDocument:
    """The document of `kind` for this version of `target`, queued for rendering unless done.

    Call it inside the transaction that made the document due (e.g. the last signature): the
    task is queued only when that transaction commits. Asking again is harmless; a failed
    document is queued again. If the broker cannot be reached after commit, nothing is raised:
    the row stays queued, a worker's sweep sends it when the broker is back, and
    `broker_unreachable` is set on the returned row for the page to say so.
    """
    content_type = ContentType.objects.get_for_model(target)
    spec = spec_for(kind)
    with transaction.atomic():
        document, created = RenderedDocument.objects.select_for_update().get_or_create(
            kind=kind,
            content_type=content_type,
            object_id=target.pk,
            version=version,
            defaults={
                "organisation": organisation,
                "producer": dotted_path(spec.fn) if spec else "",
                "requested_by": acting_user(actor),
                "issued": spec.issued if spec else True,
            },
        )
        if not created:
            document.requested_at = timezone.now()
            document.save(update_fields=["requested_at"])
        if document.status == RenderedDocument.Status.DONE:
            return document
        if document.status == RenderedDocument.Status.FAILED:
            document.status = RenderedDocument.Status.QUEUED
            document.queued_at = timezone.now()
            document.save(update_fields=["status", "queued_at"])
        if created:
                event_record(
                verb="document.requested",
                actor=actor,
                organisation=organisation,
                target=target,
                summary=f"{document.kind_label} v{version} beställd",
                data={"document": document.pk, "kind": kind, "version": version},
            )
        transaction.on_commit(lambda: _send(document))
    return document


def _send(document: RenderedDocument) -> None:
    if not task_send(RENDER_TASK, document.pk):
        document.broker_unreachable = True


def _claim(document_id: int, attempt: str) -> RenderedDocument | None:
    """Mark the row as `attempt`'s to render; None when it is done or a live render holds it."""
    now = timezone.now()
    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == RenderedDocument.Status.DONE:
            return None
        if document.status == RenderedDocument.Status.RENDERING:
            if (
                document.claimed_by != attempt
                and document.lease_until is not None
                and document.lease_until > now
            ):
                return None  # a live render elsewhere (a duplicate message, a sweep's resend)
            # The attempt that held it died: this is its own message delivered again after its
            # pool process was lost, or its lease ran out. A render that kills its worker every
            # time must not be tried for ever.
            if document.attempts >= MAX_ATTEMPTS:
                document.status = RenderedDocument.Status.FAILED
                document.error = (
                    f"Renderingen avbröts {document.attempts} gånger utan att bli klar "
                    "(arbetsprocessen dog); den görs inte om av sig själv."
                )
                document.finished_at = now
                document.save(update_fields=["status", "error", "finished_at"])
                return None
        document.status = RenderedDocument.Status.RENDERING
        document.started_at = now
        document.claimed_by = attempt
        document.lease_until = now + lease()
        document.finished_at = None
        document.attempts += 1
        document.error = ""
        document.save(update_fields=[
            "status", "started_at", "claimed_by", "lease_until", "finished_at", "attempts", "error",
        ])
        return document


@contextmanager
def _lease_renewed(pk: int, claim: int) -> Iterator[None]:
    """Renew the claim's lease every third of it while the block (the producer) runs.

    A long render is not taken over by a sweep; a render whose process dies stops renewing,
    and its lease runs out. The thread uses its own database connection and closes it.
    """
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(lease().total_seconds() / 3):
                RenderedDocument.objects.filter(
                    pk=pk, status=RenderedDocument.Status.RENDERING, attempts=claim
                ).update(lease_until=timezone.now() + lease())
        except Exception as exc:  # noqa: BLE001 - the render goes on; at worst it is taken over
            logger.warning("document %s: lease not renewed: %s", pk, exc)
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name=f"document-{pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def document_render(document_id: int, *, attempt: str = "") -> RenderedDocument | None:
    """Render, seal and store one document. Idempotent; raises when the producer fails.

    `attempt` names this try (the Celery task id; a fresh one when empty). A row that is
    already klar is left alone, one held by a live render too; a row whose render died is
    taken over (see the module's docstring). The producer runs outside any transaction (it may
    take a while), and the result is stored only if the row is still this attempt's, so two
    runs never leave two files.
    """
    document = _claim(document_id, attempt or f"direct-{uuid.uuid4()}")
    if document is None:
        return None
    claim = document.attempts  # one more with every claim: it names this claim
    try:
        with _lease_renewed(document.pk, claim):
            produced = producer_for(document)(document)
        if not produced.content.startswith(b"%PDF-"):
            raise ValueError("Producenten lämnade inte en PDF.")
        return _store(document.pk, claim, produced)
    except Exception as exc:
        # Recorded on the row (shown to the secretary), then raised for the task's retry.
        RenderedDocument.objects.filter(
            pk=document.pk, status=RenderedDocument.Status.RENDERING, attempts=claim
        ).update(
            status=RenderedDocument.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:4000],
            finished_at=timezone.now(),
        )
        logger.warning("document %s (%s) failed: %s", document.pk, document.kind, exc)
        raise


def _store(pk: int, claim: int, produced: ProducedPdf) -> RenderedDocument:
    """Save the file and mark the row klar, if the row is still this claim's."""
    digest = hashlib.sha256(produced.content).hexdigest()
    with transaction.atomic():
        current = RenderedDocument.objects.select_for_update().get(pk=pk)
        if current.status != RenderedDocument.Status.RENDERING or current.attempts != claim:
            return current  # taken over meanwhile; the other run stores its own file
        old_name = current.file.name if current.file else ""
        current.metadata = {**produced.metadata, "filename": produced.filename}
        current.file.save(
            _storage_name(produced.filename, digest), ContentFile(produced.content), save=False
        )
        current.sha256 = digest
        current.size = len(produced.content)
        current.status = RenderedDocument.Status.DONE
        current.finished_at = timezone.now()
        current.lease_until = None
        current.error = ""
        current.save(update_fields=[
            "metadata", "file", "sha256", "size", "status", "finished_at", "lease_until", "error",
        ])
        if old_name and old_name != current.file.name:
            # A file from an earlier, interrupted run: keep exactly one per row.
            storage = current.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
        event_record(
            verb="document.issued",
            organisation=current.organisation,
            target=current,
            summary=f"{current.kind_label} v{current.version} utfärdad",
            data={"kind": current.kind, "version": current.version, "sha256": digest},
        )
    return current


def _storage_name(filename: str, digest: str) -> str:
    stem = filename.rsplit(".", 1)[0] if filename.lower().endswith(".pdf") else filename
    return f"{stem}-{digest[:12]}.pdf"


def documents_stuck(*, now: dt.datetime | None = None) -> models.QuerySet[RenderedDocument]:
    """Rows that no message will render any more, unless one is sent again:

    - queued, and not taken within a lease of being sent (the message was lost with the
      broker, or never sent because the broker was down);
    - rendering, with a lease that ran out (the worker died);
    - failed with retries left, and no retry within the longest retry wait and a lease (the
      retry's message was lost).

    Each only if not sent again within the last lease (queued_at), so a queue that is merely
    long gets one more message per row and lease, not one per sweep.
    """
    now = now or timezone.now()
    Status = RenderedDocument.Status
    not_sent_lately = Q(queued_at__lt=now - lease())
    return RenderedDocument.objects.filter(
        not_sent_lately
        & (
            Q(status=Status.QUEUED)
            | Q(status=Status.RENDERING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            | Q(status=Status.FAILED, attempts__lt=MAX_ATTEMPTS,
                finished_at__lt=now - RETRY_WAIT_MAX - lease())
        )
    )


def document_for_sha256(sha256: str) -> RenderedDocument | None:
    """The issued document with this SHA-256, for /verifiera/."""
    return (
        RenderedDocument.objects.select_related("organisation", "content_type")
        .filter(sha256=sha256.lower(), status=RenderedDocument.Status.DONE, issued=True)
        .first()
    )


def document_latest(*, kind: str, target: models.Model) -> RenderedDocument | None:
    """The document of `kind` for `target` last asked for, for the target's page (it may be of
    an older state of the target). Not the highest version: reports number their versions by a
    checksum of their content, and a version asked for again is the current one again."""
    return (
        RenderedDocument.objects.filter(
            kind=kind,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


