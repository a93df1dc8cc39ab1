"""Mail through the real Celery worker to the tests' SMTP server: it arrives after commit, an
outage delays it without touching the act, a rolled-back act mails nobody, and a row whose
message was lost is sent by the sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from board.mail import mail_queue
from board.models import OutgoingMail
from board.tasks import requeue_stuck_mail
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.models import Meeting, Signature
from tests.conftest import _worker_idle, wait_for
from tests.justering.conftest import sign

pytestmark = pytest.mark.worker
Status = OutgoingMail.Status


def _all_sent(rows) -> bool:
    return set(rows.values_list("status", flat=True)) == {Status.SENT}


def test_the_kallelse_arrives_over_smtp_once_per_board_member(transactional_db, celery_worker, smtp, called, secretary):
    sent = minutes_services.kallelse_send(meeting=called, actor=secretary)
    wait_for(lambda: len(smtp.messages) >= len(sent), what="the kallelse arriving")
    wait_for(lambda: _all_sent(OutgoingMail.objects.filter(meeting=called)), what="the rows marked skickad")
    assert sorted(m["To"] for m in smtp.messages) == sorted(sent)
    assert all(m.get_content_type() == "multipart/mixed" for m in smtp.messages)  # with the ICS


def test_an_smtp_outage_during_the_justering_delays_the_mail_and_not_the_justering(
    transactional_db, celery_worker, smtp, minutes, secretary, chair, member
):
    smtp.refuse = "421 4.3.2 Tjänsten är tillfälligt stängd"
    justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    sign(minutes, chair)
    # The justering is done and committed while the server refuses.
    assert Meeting.objects.get(pk=minutes.pk).status == Meeting.Status.JUSTERING
    assert Signature.objects.filter(person=chair.person).exists()
    rows = OutgoingMail.objects.filter(meeting=minutes, kind=OutgoingMail.Kind.JUSTERING_SENT)
    assert rows.count() == 3
    wait_for(lambda: all(r.attempts >= 2 and "421" in r.last_error for r in rows.all()), what="two refused tries each")
    assert smtp.messages == [] and set(rows.values_list("status", flat=True)) == {Status.QUEUED}
    smtp.refuse = None  # the server is back: the retries deliver
    wait_for(lambda: _all_sent(rows), what="the retries delivering")
    wait_for(_worker_idle, what="the worker going idle")
    signers = [secretary.person.email, chair.person.email, member.person.email]
    assert sorted(m["To"] for m in smtp.messages) == sorted(signers)  # once each, not twice


def test_a_rolled_back_act_mails_nobody_and_leaves_no_row(transactional_db, celery_worker, smtp, called, secretary, org):
    with pytest.raises(RuntimeError), transaction.atomic():
        minutes_services.kallelse_send(meeting=called, actor=secretary)
        raise RuntimeError("the act fails after its mail was queued")
    assert not OutgoingMail.objects.exists()
    assert Meeting.objects.get(pk=called.pk).kallelse_sent_at is None
    # A mail queued afterwards arrives: the worker was there to send the others had they existed.
    mail_queue(to="kontroll@example.se", subject="Kontroll", body="Text.", kind=OutgoingMail.Kind.KALLELSE, organisation=org)
    wait_for(lambda: smtp.messages, what="the control mail arriving")
    wait_for(_worker_idle, what="the worker going idle")
    assert [m["To"] for m in smtp.messages] == ["kontroll@example.se"]


def test_a_mail_whose_message_was_lost_is_sent_by_the_sweep(transactional_db, celery_worker, smtp, org):
    # A row committed while the broker lost (or never got) its message: its lease ran out.
    mail = OutgoingMail.objects.create(
        organisation=org, kind=OutgoingMail.Kind.KALLELSE, recipient="borttappad@example.se",
        subject="Borttappad", body="Text.", lease_until=timezone.now() - dt.timedelta(seconds=1),
    )
    assert requeue_stuck_mail() == 1
    wait_for(lambda: OutgoingMail.objects.get(pk=mail.pk).status == Status.SENT, what="the sweep's message sending it")
    assert [m["To"] for m in smtp.messages] == ["borttappad@example.se"]
