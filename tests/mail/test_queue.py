"""The mail queue in this process, against the tests' SMTP server: a row per mail, a claim
that sends it once, retries with growing pauses, a sweep for rows whose message was lost, and
the record the secretary sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from board.mail import MailRetry, lease, mail_queue, mail_retry_delay, mail_send, mails_stuck
from board.models import OutgoingMail
from board.tasks import requeue_stuck_mail
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering

pytestmark = pytest.mark.django_db
Status = OutgoingMail.Status
Kind = OutgoingMail.Kind


def _queued(org, address: str = "mottagare@example.se") -> OutgoingMail:
    return mail_queue(to=address, subject="Prov\nrad två", body="Text.", kind=Kind.KALLELSE, organisation=org)


def test_the_kallelse_is_one_row_per_recipient_sent_over_smtp_with_its_calendar_file(called, secretary, chair, smtp):
    sent = minutes_services.kallelse_send(meeting=called, actor=secretary)
    rows = OutgoingMail.objects.filter(meeting=called)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(sent) and len(sent) == 10
    assert {(r.kind, r.status, r.attempts, r.actor_id) for r in rows} == {(Kind.KALLELSE, Status.QUEUED, 0, secretary.pk)}
    assert smtp.messages == []  # nothing leaves before the worker takes the row
    for row in rows:
        mail_send(row.pk)
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}
    assert sorted(m["To"] for m in smtp.messages) == sorted(sent)
    (message,) = smtp.to(chair.person.email)
    assert message["Subject"].strip().startswith("Kallelse: ")  # Django folds it after "Subject:"
    assert f"/sammantraden/{called.pk}/" in message.get_body(("plain",)).get_content()
    (ics,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "sammantrade-2023-11-02.ics"
    assert b"BEGIN:VEVENT" in ics.get_content().encode()


def test_a_refused_mail_is_kept_and_retried_with_growing_pauses_and_sent_once(org, smtp, settings):
    settings.MAIL_RETRY_SECONDS, settings.MAIL_RETRY_MAX_SECONDS = 30, 100
    assert [mail_retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]
    mail = _queued(org)
    assert mail.subject == "Prov rad två"  # a Subject header is one line
    smtp.refuse = "451 4.3.0 Prova igen senare"
    with pytest.raises(MailRetry) as retry:
        mail_send(mail.pk, attempt="task-1")
    assert retry.value.seconds == 30
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.claimed_by) == (Status.QUEUED, 1, "task-1")
    assert mail.last_error == "E-postservern svarade 451: 4.3.0 Prova igen senare"
    assert mail.lease_until > timezone.now() + dt.timedelta(seconds=29)
    # Another message for the row (a duplicate, a sweep's) leaves it to the attempt that waits.
    assert mail_send(mail.pk, attempt="task-2") is None
    with pytest.raises(MailRetry) as retry:
        mail_send(mail.pk, attempt="task-1")
    assert retry.value.seconds == 60
    smtp.refuse = None
    sent = mail_send(mail.pk, attempt="task-1")
    assert (sent.status, sent.attempts, sent.last_error, sent.claimed_by) == (Status.SENT, 3, "", "")
    assert sent.sent_at is not None and sent.lease_until is None
    assert mail_send(mail.pk, attempt="task-1") is None and mail_send(mail.pk) is None
    assert [m["To"] for m in smtp.messages] == ["mottagare@example.se"]


def test_a_server_that_keeps_refusing_fails_the_mail_after_the_last_attempt(org, smtp, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    mail = _queued(org)
    smtp.refuse = "421 4.3.2 Tjänsten är stängd"
    with pytest.raises(MailRetry):
        mail_send(mail.pk, attempt="t")
    failed = mail_send(mail.pk, attempt="t")
    assert (failed.status, failed.attempts, failed.lease_until) == (Status.FAILED, 2, None)
    assert "421" in failed.last_error
    smtp.refuse = None
    assert mail_send(mail.pk, attempt="t") is None and smtp.messages == []
    assert not mails_stuck().exists()


def test_a_permanent_refusal_fails_at_once(org, smtp):
    mail = _queued(org)
    smtp.refuse = "550 5.1.1 Okänd avsändare"
    failed = mail_send(mail.pk)
    assert (failed.status, failed.attempts) == (Status.FAILED, 1)
    assert failed.last_error == "E-postservern svarade 550: 5.1.1 Okänd avsändare"


def test_a_server_that_cannot_be_reached_is_retried(org, smtp, settings):
    settings.EMAIL_PORT = smtp.port + 1 if smtp.port < 65535 else smtp.port - 1  # nobody listens there
    mail = _queued(org)
    with pytest.raises(MailRetry):
        mail_send(mail.pk)
    mail.refresh_from_db()
    assert mail.status == Status.QUEUED and mail.last_error.startswith("E-postservern gick inte att nå")


def test_stuck_rows_are_the_waiting_ones_whose_lease_ran_out_and_the_sweep_frees_them(org, smtp):
    now = timezone.now()
    rows = {name: _queued(org, f"{name}@example.se") for name in ("lost", "dead", "fresh", "sent", "failed")}
    OutgoingMail.objects.filter(pk=rows["lost"].pk).update(lease_until=now - dt.timedelta(seconds=1))
    OutgoingMail.objects.filter(pk=rows["dead"].pk).update(
        claimed_by="a-worker-that-died", attempts=1, lease_until=now - dt.timedelta(seconds=1)
    )
    OutgoingMail.objects.filter(pk=rows["sent"].pk).update(status=Status.SENT, sent_at=now, lease_until=None)
    OutgoingMail.objects.filter(pk=rows["failed"].pk).update(status=Status.FAILED, lease_until=None)
    assert set(mails_stuck()) == {rows["lost"], rows["dead"]}
    assert requeue_stuck_mail() == 2
    assert not mails_stuck().exists()  # a fresh lease: the next sweep leaves them alone
    dead = OutgoingMail.objects.get(pk=rows["dead"].pk)
    assert dead.claimed_by == "" and dead.lease_until > now + lease() - dt.timedelta(seconds=5)
    # The freed row is sent by the next message, whichever it is.
    assert mail_send(dead.pk, attempt="the-sweeps-message").status == Status.SENT


def test_the_sweep_runs_on_every_worker_and_beat_runs_it_every_minute(settings):
    from config.celery import app

    assert "board.requeue_stuck_mail" in settings.WORKER_SWEEP_TASKS
    app.loader.import_default_modules()  # as a worker does when it starts (autodiscovery)
    assert set(settings.WORKER_SWEEP_TASKS) <= set(app.tasks)  # its sweep finds them
    assert settings.CELERY_BEAT_SCHEDULE["requeue-stuck-mail"]["task"] == "board.requeue_stuck_mail"
    # A retry waits in the worker unacknowledged: past the visibility timeout it would be handed
    # out twice. A server that hangs fails the attempt before its lease runs out.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.MAIL_RETRY_MAX_SECONDS
    assert 0 < settings.EMAIL_TIMEOUT < settings.MAIL_LEASE_SECONDS


# --- The record on the meeting -------------------------------------------------------------


def test_the_secretary_sees_on_the_kallelse_page_whom_it_went_to_and_how_it_went(called, secretary, login, smtp):
    minutes_services.kallelse_send(meeting=called, actor=secretary)
    rows = list(OutgoingMail.objects.filter(meeting=called).order_by("pk"))
    mail_send(rows[0].pk)
    OutgoingMail.objects.filter(pk=rows[1].pk).update(
        status=Status.FAILED, attempts=10, last_error="E-postservern svarade 451: försök senare"
    )
    OutgoingMail.objects.filter(pk=rows[2].pk).update(attempts=2, last_error="E-postservern gick inte att nå")
    html = login(secretary).get(f"/sammantraden/{called.pk}/").content.decode()
    assert "Skickad e-post" in html
    assert all(row.recipient in html for row in rows)
    assert html.count("<tr class=\"mail-skickad\">") == 1
    assert "misslyckades</strong>: E-postservern svarade 451: försök senare" in html
    assert "väntar (försök 2: E-postservern gick inte att nå)" in html
    assert html.count("<tr class=\"mail-vantar\">") == 8


def test_the_record_is_the_secretary_s_alone(called, secretary, chair, member, outsider, login, smtp):
    minutes_services.kallelse_send(meeting=called, actor=secretary)
    justering.minutes_send_for_justering(meeting=called, actor=secretary)
    pages = {"kallelse": f"/sammantraden/{called.pk}/", "justering": f"/sammantraden/{called.pk}/justering/"}
    kallelse = login(secretary).get(pages["kallelse"]).content.decode()
    assert "Skickad e-post" in kallelse and "Protokoll att justera" not in kallelse
    on_justering = login(secretary).get(pages["justering"]).content.decode()
    assert "Skickad e-post" in on_justering and "Protokoll att justera" in on_justering
    assert chair.person.email in on_justering
    for url in pages.values():
        for reader in (chair, member):  # they read the pages (and sign), not the mail log
            response = login(reader).get(url)
            assert response.status_code == 200 and "Skickad e-post" not in response.content.decode()
        assert login(outsider).get(url).status_code == 404
