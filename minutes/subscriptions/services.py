"""Everything that changes the public's subscriptions, and the mailing of a posted notice.

Subscribing is double opt-in: `subscription_request` stores the address unconfirmed and mails
a link; only `subscription_confirm` (a POST from that link's page: mail scanners follow GETs)
starts the subscription. The request answers nothing about the address: whether it was new,
waiting or already confirmed, the caller gets None, and the address gets a mail saying what
happened. An unconfirmed subscription is deleted after SUBSCRIPTION_CONFIRM_HOURS
(`subscriptions_expire`, hourly from beat). `subscription_cancel` deletes the subscription, and
the record of the mail sent to it (board.mail.mails_forget): nothing of the address stays
once its last subscription has ended.

A posted notice (minutes.signals.notice_posted) gets a `NoticeMailing` row in the posting's
transaction (`mailing_create`); the row is the record that the notice is owed. Once the notice
is up (its posting day reached, a justering's minutes justerade, not past the association's
retention) `mailing_batch` queues one OutgoingMail per confirmed address, SUBSCRIPTION_BATCH_SIZE
at a time, and sends the task for the next batch after commit, spaced to keep within
SUBSCRIPTION_MAIL_PER_MINUTE. A batch runs only for the cursor it was sent with, under the row's
lock: a duplicated or retried message finds the cursor moved on and does nothing, so a notice is
mailed once. A batch whose message was lost, or a notice whose posting day has come, is sent
again by the sweep (`mailings_release_stuck`, WORKER_SWEEP_TASKS).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from board.mail import mail_queue, mails_forget
from board.models import Organisation, OutgoingMail
from config.celery import task_send

from ..models import Notice, NoticeMailing, Subscription
from ..notices.services import appeal_text
from ..projection import public_text
from ..public.selectors import public_notices

logger = logging.getLogger(__name__)

# The Celery task of one batch (tasks.py), sent by name: tasks.py imports this module.
FANOUT_TASK = "minutes.subscription_fanout"
SUBSCRIPTION_KINDS = (
    OutgoingMail.Kind.SUBSCRIPTION_CONFIRM, OutgoingMail.Kind.SUBSCRIPTION_NOTICE,
    OutgoingMail.Kind.SUBSCRIPTION_MEETING,
)
ONE_CLICK = "List-Unsubscribe=One-Click"  # RFC 8058: the body of the POST, and the header's value


# --- words and links ------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscription: Subscription) -> str:
    return absolute(reverse("minutes:subscription_confirm", args=[subscription.token]))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("minutes:unsubscribe", args=[subscription.token]))


def list_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a mail client's own unsubscribe button POSTs to this URL."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(subscription)}>", "List-Unsubscribe-Post": ONE_CLICK}


def what_text(*, notices: bool, meetings: bool) -> str:
    if notices and meetings:
        return "nya anslag och kungörelser av sammanträden"
    return "nya anslag" if notices else "kungörelser av sammanträden"


def scope_text(organisation: Organisation | None) -> str:
    return f"från {organisation.name}" if organisation is not None else "från alla samordningsförbund"


def confirm_hours() -> int:
    return int(settings.SUBSCRIPTION_CONFIRM_HOURS)


def _expired(subscription: Subscription, now: dt.datetime) -> bool:
    return (subscription.confirmed_at is None
            and subscription.created_at < now - dt.timedelta(hours=confirm_hours()))


def normalised_address(email: str) -> str:
    """The address as stored and compared: trimmed, in lower case (one row per mailbox)."""
    return email.strip().lower()


# --- subscribing ----------------------------------------------------------------------------


@transaction.atomic
def subscription_request(*, email: str, organisation_id: int | None, notices: bool, meetings: bool) -> None:
    """Ask for a subscription: a new or unconfirmed one is (re)stored unconfirmed and mailed a
    confirmation link; a confirmed one is left as it is and mailed a sentence saying so. Returns
    nothing that differs between the cases. Raises ValidationError for bad input."""
    address = normalised_address(email)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": "Skriv en giltig e-postadress, t.ex. namn@exempel.se."}) from None
    if not (notices or meetings):
        raise ValidationError("Välj om du vill ha nya anslag, kungörelser av sammanträden eller båda.")
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise ValidationError({"forbund": "Välj ett av förbunden i listan."})
    now = timezone.now()
    existing = Subscription.objects.select_for_update().filter(email=address, organisation=organisation)
    subscription = existing.first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=address, organisation=organisation, notices=notices, meetings=meetings,
                    token=secrets.token_urlsafe(32), created_at=now,
                )
        except IntegrityError:  # asked for at the same moment by another request
            subscription = existing.get()
        else:
            _mail_confirmation(subscription)
            return
    if subscription.is_confirmed:
        _mail_already(subscription, notices=notices, meetings=meetings)
        return
    # Waiting for its confirmation: the latest choice counts, and the link's time runs from now.
    subscription.notices, subscription.meetings, subscription.created_at = notices, meetings, now
    subscription.save(update_fields=["notices", "meetings", "created_at"])
    _mail_confirmation(subscription)


def _mail_confirmation(subscription: Subscription) -> None:
    what = what_text(notices=subscription.notices, meetings=subscription.meetings)
    body = (
        "Hej!\n\n"
        f"Någon, förhoppningsvis du, har anmält den här e-postadressen för att få e-post om {what} "
        f"{scope_text(subscription.organisation)} på anslagstavlan.\n\n"
        "Prenumerationen börjar först när du har bekräftat den. Öppna länken och tryck på "
        "knappen Bekräfta prenumerationen:\n\n"
        f"{confirm_url(subscription)}\n\n"
        f"Länken gäller i {confirm_hours()} timmar. Har du inte anmält dig behöver du inte göra "
        "något: utan bekräftelse tas adressen bort efter den tiden.\n\n"
        "Vi sparar bara din e-postadress, vad du valt att få och när du bekräftade. Du kan när "
        "som helst avsluta prenumerationen med länken i varje utskick; då tas adressen bort.\n"
    )
    mail_queue(to=subscription.email, subject="Bekräfta din prenumeration på anslagstavlan", body=body,
               kind=OutgoingMail.Kind.SUBSCRIPTION_CONFIRM, organisation=subscription.organisation)


def _mail_already(subscription: Subscription, *, notices: bool, meetings: bool) -> None:
    """To a confirmed address asked for again: nothing changes, and the address is told how to."""
    assert subscription.confirmed_at is not None
    current = what_text(notices=subscription.notices, meetings=subscription.meetings)
    body = (
        "Hej!\n\n"
        f"Någon, förhoppningsvis du, har anmält den här e-postadressen för att få e-post om "
        f"{what_text(notices=notices, meetings=meetings)} {scope_text(subscription.organisation)} på "
        f"anslagstavlan. Adressen prenumererar redan på {current} "
        f"{scope_text(subscription.organisation)} sedan {timezone.localtime(subscription.confirmed_at):%Y-%m-%d}, "
        "så ingenting har ändrats.\n\n"
        "Vill du få något annat: avsluta prenumerationen med länken nedan och anmäl dig sedan igen.\n\n"
        f"Avsluta prenumerationen: {unsubscribe_url(subscription)}\n"
    )
    mail_queue(to=subscription.email, subject="Din prenumeration på anslagstavlan", body=body,
               kind=OutgoingMail.Kind.SUBSCRIPTION_CONFIRM, organisation=subscription.organisation)


def subscription_by_token(token: str) -> Subscription | None:
    """The subscription of a link: confirmed, or waiting and not past its time; else None."""
    subscription = Subscription.objects.select_related("organisation").filter(token=token).first()
    if subscription is None or _expired(subscription, timezone.now()):
        return None
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    """Start the subscription of `token` (again: nothing changes); None when the link is unknown
    or its time has run out (the waiting subscription is deleted then)."""
    subscription = Subscription.objects.select_for_update(of=("self",)).select_related("organisation").filter(token=token).first()
    if subscription is None:
        return None
    now = timezone.now()
    if _expired(subscription, now):
        subscription_delete(subscription)
        return None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> bool:
    """End the subscription of `token`: the row is deleted, and the mail it was sent. False when
    there was none (ended already): asking twice is no error."""
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        return False
    subscription_delete(subscription)
    return True


def subscription_delete(subscription: Subscription) -> None:
    """Delete the subscription and the record of its mail: all subscription mail to the address
    when it has no other subscription left, else the mail that carried this one's link. (The
    unsubscribe link, the expiry, and the site admin on a person's request.)"""
    address, headers = subscription.email, list_headers(subscription)
    subscription.delete()
    if Subscription.objects.filter(email=address).exists():
        mails_forget(recipient=address, kinds=SUBSCRIPTION_KINDS, headers={"List-Unsubscribe": headers["List-Unsubscribe"]})
    else:
        mails_forget(recipient=address, kinds=SUBSCRIPTION_KINDS)


def subscriptions_expire(*, limit: int = 1000) -> int:
    """Delete the subscriptions not confirmed within SUBSCRIPTION_CONFIRM_HOURS; how many went."""
    cutoff = timezone.now() - dt.timedelta(hours=confirm_hours())
    gone = 0
    with transaction.atomic():
        for subscription in (Subscription.objects.select_for_update(skip_locked=True)
                             .filter(confirmed_at__isnull=True, created_at__lt=cutoff).order_by("pk")[:limit]):
            subscription_delete(subscription)
            gone += 1
    return gone


# --- mailing a posted notice ----------------------------------------------------------------


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def batch_spacing() -> int:
    """Seconds between two batches, so that at most SUBSCRIPTION_MAIL_PER_MINUTE are queued a minute."""
    return math.ceil(60 * settings.SUBSCRIPTION_BATCH_SIZE / max(settings.SUBSCRIPTION_MAIL_PER_MINUTE, 1))


def _up_today() -> QuerySet[Notice]:
    """Notices the public sees on the board today: the ones that are mailed."""
    return public_notices().up_on(timezone.localdate())


def mailing_create(*, notice: Notice) -> NoticeMailing:
    """Record, in the posting's transaction, that `notice` is owed to the subscribers; if it is up
    already, its first batch is sent after commit, else the sweep sends it on its posting day."""
    due = _up_today().filter(pk=notice.pk).exists()
    mailing, created = NoticeMailing.objects.get_or_create(
        notice=notice, defaults={"lease_until": timezone.now() + lease() if due else None},
    )
    if created and due:
        pk = mailing.pk
        transaction.on_commit(lambda: task_send(FANOUT_TASK, pk, ""))
    return mailing


def subscribers_of(notice: Notice) -> QuerySet[Subscription]:
    """The confirmed subscriptions that want `notice`, one per address (the all-associations one
    where an address has both), in address order."""
    wants = {"meetings": True} if notice.kind == Notice.Kind.KUNGORELSE else {"notices": True}
    return (
        Subscription.objects.filter(confirmed_at__isnull=False, **wants)
        .filter(Q(organisation__isnull=True) | Q(organisation_id=notice.organisation_id))
        .select_related("organisation")
        .order_by("email", F("organisation_id").asc(nulls_first=True))
        .distinct("email")
    )


def mailing_batch(mailing_id: int, cursor: str) -> int:
    """Queue the next batch of `mailing` if it still starts at `cursor`; how many were queued.

    Under the row's lock: another message for the same batch waits, then finds the cursor moved
    on (or the mailing done) and does nothing.
    """
    with transaction.atomic():
        mailing = NoticeMailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.status != NoticeMailing.Status.PENDING or mailing.cursor != cursor:
            return 0
        now = timezone.now()
        notice = _up_today().select_related("organisation", "organ", "meeting").filter(pk=mailing.notice_id).first()
        if notice is None:
            taken_down = Notice.objects.filter(pk=mailing.notice_id, takedown_on__lt=timezone.localdate()).exists()
            if taken_down:  # never up while it was owed: too late to tell anyone
                mailing.status, mailing.finished_at = NoticeMailing.Status.SKIPPED, now
            # Else not up yet (its posting day, its minutes justerade again): the sweep sends
            # it when it is.
            mailing.lease_until = None
            mailing.save(update_fields=["status", "finished_at", "lease_until"])
            return 0
        size = settings.SUBSCRIPTION_BATCH_SIZE
        batch = list(subscribers_of(notice).filter(email__gt=cursor)[:size])
        kind = (OutgoingMail.Kind.SUBSCRIPTION_MEETING if notice.kind == Notice.Kind.KUNGORELSE
                else OutgoingMail.Kind.SUBSCRIPTION_NOTICE)
        subject, text = notice_mail(notice)
        for subscription in batch:
            mail_queue(to=subscription.email, subject=subject, body=text + _footer(subscription, notice),
                       kind=kind, organisation=notice.organisation, headers=list_headers(subscription))
        mailing.mailed += len(batch)
        mailing.batches += 1
        if batch:
            mailing.cursor = batch[-1].email
        if len(batch) < size:
            mailing.status, mailing.finished_at, mailing.lease_until = NoticeMailing.Status.DONE, now, None
        else:
            spacing = batch_spacing()
            mailing.lease_until = now + dt.timedelta(seconds=spacing) + lease()
            pk, next_cursor = mailing.pk, mailing.cursor
            transaction.on_commit(lambda: task_send(FANOUT_TASK, pk, next_cursor, countdown=spacing))
        mailing.save(update_fields=["mailed", "batches", "cursor", "status", "finished_at", "lease_until"])
        return len(batch)


def notice_mail(notice: Notice) -> tuple[str, str]:
    """The subject and text (without the subscriber's footer) of the mail about `notice`, as the
    public may see it: personal identity numbers masked, nothing the notice page does not show."""
    organisation = notice.organisation
    subject = notice.title if notice.kind == Notice.Kind.KUNGORELSE else f"Nytt anslag: {notice.title}"
    lines = [
        f"{organisation.name} har satt upp ett anslag på anslagstavlan.",
        "",
        notice.title,
        "",
        f"Slag: {notice.get_kind_display()}",
    ]
    if notice.organ is not None:
        lines.append(f"Organ: {notice.organ.name}")
    if notice.meeting is not None:
        lines.append(f"Sammanträdesdatum: {notice.meeting.date:%Y-%m-%d}")
    if notice.paragraphs:
        lines.append(f"Paragrafer: {notice.paragraphs}")
    if notice.justered_on is not None:
        lines.append(f"Justerat: {notice.justered_on:%Y-%m-%d}")
    lines.append(f"Datum för anslags uppsättande: {notice.posted_on:%Y-%m-%d}")
    if notice.last_appeal_day is not None:
        lines.append(f"Sista dag för överklagande: {notice.last_appeal_day:%Y-%m-%d}")
    lines.append(f"Datum för anslags nedtagande: {notice.takedown_on:%Y-%m-%d}")
    if notice.storage_place:
        lines.append(f"Förvaringsplats för protokollet: {notice.storage_place}")
    if notice.body:
        lines += ["", notice.body.strip()]
    if appeal := appeal_text(notice):
        lines += ["", appeal]
    lines += ["", f"Läs anslaget: {absolute(notice.get_absolute_url())}", ""]
    return public_text(subject), public_text("\n".join(lines))


def _footer(subscription: Subscription, notice: Notice) -> str:
    what = "kungörelser av sammanträden" if notice.kind == Notice.Kind.KUNGORELSE else "nya anslag"
    return (
        "-- \n"
        f"Du får det här mejlet eftersom adressen prenumererar på {what} {scope_text(subscription.organisation)}.\n"
        f"Avsluta prenumerationen: {unsubscribe_url(subscription)}\n"
    )


def mailings_release_stuck(*, limit: int = 100) -> list[tuple[int, str]]:
    """The mailings of notices up today that no message will move on (lost with the broker, never
    sent, their batch failed, or their posting day has come), each as (id, cursor) for a new
    message, with a fresh lease so the next sweep leaves them alone; and the mailings of notices
    taken down before they were up are closed as not sent."""
    now = timezone.now()
    with transaction.atomic():
        NoticeMailing.objects.filter(
            status=NoticeMailing.Status.PENDING, notice__takedown_on__lt=timezone.localdate(),
        ).update(status=NoticeMailing.Status.SKIPPED, finished_at=now, lease_until=None)
        rows = list(
            NoticeMailing.objects.select_for_update(skip_locked=True)
            .filter(status=NoticeMailing.Status.PENDING)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .filter(notice_id__in=_up_today().values("pk"))
            .order_by("created_at").values_list("pk", "cursor")[:limit]
        )
        NoticeMailing.objects.filter(pk__in=[pk for pk, _cursor in rows]).update(lease_until=now + lease())
    return rows
