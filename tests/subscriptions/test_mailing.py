"""A posted notice mailed to its subscribers: once, in batches, to those who asked for that
association (or all) and that kind, with RFC 8058's one-click unsubscribe, and never before the
notice is up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from board.models import OutgoingMail
from minutes.drafting import services as minutes_services
from minutes.models import NoticeMailing, Subscription
from minutes.notices import services as notices
from minutes.subscriptions.services import mailing_batch, mailings_release_stuck
from tests.subscriptions.conftest import (
    deliver,
    fan_out,
    header,
    path_of,
    post_free_notice,
    subscribed,
)

pytestmark = pytest.mark.django_db


def _subjects(smtp, address: str) -> list[str]:
    return [header(m, "Subject") for m in smtp.to(address)]


def test_the_mail_carries_rfc_8058_headers_and_one_click_unsubscribes_for_good(client, smtp, org, secretary):
    subscription = subscribed(client, smtp, "klick@example.se", forbund=org.slug)
    notice = post_free_notice(org, secretary, title="Ny förbundsordning")
    assert fan_out(notice) == 1
    deliver()
    mail = smtp.to("klick@example.se")[-1]
    unsubscribe = f"http://127.0.0.1:8000/avprenumerera/{subscription.token}/"
    assert header(mail, "List-Unsubscribe") == f"<{unsubscribe}>"
    assert header(mail, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    text = mail.get_content()
    assert "Samordningsförbundet Prov har satt upp ett anslag" in text and "Ny förbundsordning" in text
    assert f"Datum för anslags uppsättande: {notice.posted_on:%Y-%m-%d}" in text
    assert f"/anslagstavla/anslag/{notice.pk}/" in text and unsubscribe in text

    # The GET a scanner makes shows a button and deletes nothing.
    assert "Avsluta prenumerationen</button>" in client.get(path_of(unsubscribe)).content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    # The mail client's POST (RFC 8058 3.2): no cookie, no CSRF token, this body.
    one_click = Client(enforce_csrf_checks=True).post(
        path_of(header(mail, "List-Unsubscribe").strip("<>")), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200 and "Prenumerationen är avslutad" in one_click.content.decode()
    assert not one_click.cookies
    assert not Subscription.objects.filter(email="klick@example.se").exists()
    # Nothing of the address is kept: neither the subscription nor the record of its mail.
    assert not OutgoingMail.objects.filter(recipient="klick@example.se").exists()
    # A second click (or the client's retry) is answered alike; the page of the link is gone.
    assert Client().post(path_of(unsubscribe), "List-Unsubscribe=One-Click",
                         content_type="application/x-www-form-urlencoded").status_code == 200
    assert client.get(path_of(unsubscribe)).status_code == 404

    smtp.messages.clear()
    fan_out(post_free_notice(org, secretary, title="Efter avslutet"))
    deliver()
    assert smtp.to("klick@example.se") == []


def test_one_association_or_all_and_one_mail_for_an_address_with_both(client, smtp, org, other_org, secretary, outsider):
    subscribed(client, smtp, "prov@example.se", forbund=org.slug)
    subscribed(client, smtp, "alla@example.se")
    subscribed(client, smtp, "annat@example.se", forbund=other_org.slug)
    subscribed(client, smtp, "bada@example.se", forbund=org.slug)
    subscribed(client, smtp, "bada@example.se")
    smtp.messages.clear()

    assert fan_out(post_free_notice(org, secretary, title="Provs anslag")) == 3
    assert fan_out(post_free_notice(other_org, outsider, title="Det andras anslag")) == 3
    deliver()
    assert _subjects(smtp, "prov@example.se") == ["Nytt anslag: Provs anslag"]
    assert _subjects(smtp, "annat@example.se") == ["Nytt anslag: Det andras anslag"]
    assert sorted(_subjects(smtp, "alla@example.se")) == ["Nytt anslag: Det andras anslag", "Nytt anslag: Provs anslag"]
    assert sorted(_subjects(smtp, "bada@example.se")) == ["Nytt anslag: Det andras anslag", "Nytt anslag: Provs anslag"]
    # Its mail names the all-associations subscription, whose link it carries.
    every = Subscription.objects.get(email="bada@example.se", organisation=None)
    assert all(every.token in m["List-Unsubscribe"] for m in smtp.to("bada@example.se"))
    assert "prenumererar på nya anslag från alla samordningsförbund" in smtp.to("bada@example.se")[0].get_content()


def test_kungorelser_go_to_who_asked_for_meetings_and_notices_to_who_asked_for_notices(
    client, smtp, board, org, secretary
):
    subscribed(client, smtp, "moten@example.se", forbund=org.slug, notices=False, meetings=True)
    subscribed(client, smtp, "anslag@example.se", forbund=org.slug)
    subscribed(client, smtp, "allt@example.se", notices=True, meetings=True)
    smtp.messages.clear()
    meeting = minutes_services.meeting_create(
        organ=board.organ, date=timezone.localdate() + dt.timedelta(days=10), start_time=dt.time(9),
        place="Kansliet, Köping", actor=secretary)
    minutes_services.agenda_item_add(meeting=meeting, title="Budget 2027", actor=secretary)
    kungorelse = notices.notice_kungorelse(meeting=meeting, actor=secretary)
    assert fan_out(kungorelse) == 2
    assert fan_out(post_free_notice(org, secretary, title="Ett anslag")) == 2
    deliver()
    assert _subjects(smtp, "moten@example.se") == [kungorelse.title]
    assert _subjects(smtp, "anslag@example.se") == ["Nytt anslag: Ett anslag"]
    assert sorted(_subjects(smtp, "allt@example.se")) == sorted([kungorelse.title, "Nytt anslag: Ett anslag"])
    text = smtp.to("moten@example.se")[0].get_content()
    assert "Budget 2027" in text and "Kansliet, Köping" in text
    assert "prenumererar på kungörelser av sammanträden" in text
    assert smtp.to("moten@example.se")[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutgoingMail.objects.filter(kind=OutgoingMail.Kind.SUBSCRIPTION_MEETING).count() == 2


def test_a_notice_is_mailed_once_in_batches_however_often_a_batch_runs(
    client, smtp, org, secretary, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTION_BATCH_SIZE = 2
    settings.SUBSCRIPTION_MAIL_PER_MINUTE = 6  # a batch of two every 20 s
    for i in range(5):
        subscribed(client, smtp, f"s{i}@example.se", forbund=org.slug)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks() as first:
        notice = post_free_notice(org, secretary, title="Till fem")
    mailing = NoticeMailing.objects.get(notice=notice)
    assert first and mailing.lease_until is not None  # its first batch is sent after commit
    assert mailing_batch(mailing.pk, "") == 2
    assert mailing_batch(mailing.pk, "") == 0  # the same message again: the cursor has moved on
    mailing.refresh_from_db()
    assert (mailing.cursor, mailing.status) == ("s1@example.se", "vantar")
    # The next batch waits its turn: its lease covers the 20 s it is spaced by.
    assert mailing.lease_until > timezone.now() + dt.timedelta(seconds=20)
    assert mailings_release_stuck() == []
    assert mailing_batch(mailing.pk, "s1@example.se") == 2
    assert mailing_batch(mailing.pk, "s3@example.se") == 1
    assert mailing_batch(mailing.pk, "s3@example.se") == 0
    mailing.refresh_from_db()
    assert (mailing.status, mailing.mailed, mailing.batches) == ("klar", 5, 3)
    deliver()
    assert sorted(m["To"] for m in smtp.messages) == [f"s{i}@example.se" for i in range(5)]


def test_a_lost_batch_is_sent_again_by_the_sweep_from_where_it_stood(client, smtp, org, secretary, settings):
    settings.SUBSCRIPTION_BATCH_SIZE = 1
    for i in range(2):
        subscribed(client, smtp, f"t{i}@example.se")
    notice = post_free_notice(org, secretary, title="Borttappat")
    mailing = notice.mailing
    assert mailing_batch(mailing.pk, "") == 1
    # The message of the next batch was lost with the broker: its lease runs out.
    NoticeMailing.objects.filter(pk=mailing.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert mailings_release_stuck() == [(mailing.pk, "t0@example.se")]
    assert mailings_release_stuck() == []  # the fresh lease holds while the message waits
    assert mailing_batch(mailing.pk, "t0@example.se") == 1


def test_a_notice_is_mailed_on_its_posting_day_not_before(client, smtp, org, secretary):
    subscribed(client, smtp, "dag@example.se")
    smtp.messages.clear()
    posting_day = timezone.localdate() + dt.timedelta(days=3)
    notice = post_free_notice(org, secretary, title="Sätts upp om tre dagar", posted_on=posting_day)
    mailing = notice.mailing
    assert mailing.lease_until is None  # no message was sent: nothing to mail yet
    assert fan_out(notice) == 0 and mailings_release_stuck() == []
    morning = timezone.make_aware(dt.datetime.combine(posting_day, dt.time(0, 5)))
    with time_machine.travel(morning, tick=False):
        assert mailings_release_stuck() == [(mailing.pk, "")]
        assert mailing_batch(mailing.pk, "") == 1
    deliver()
    assert [header(m, "Subject") for m in smtp.messages] == ["Nytt anslag: Sätts upp om tre dagar"]


def test_a_notice_taken_down_before_it_was_mailed_is_not_mailed(client, smtp, org, secretary):
    subscribed(client, smtp, "sent@example.se")
    notice = post_free_notice(org, secretary, title="Kort anslag")
    later = timezone.now() + dt.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        assert mailings_release_stuck() == []
        assert mailing_batch(notice.mailing.pk, "") == 0
    notice.mailing.refresh_from_db()
    assert notice.mailing.status == "hoppad"
    assert not OutgoingMail.objects.filter(kind=OutgoingMail.Kind.SUBSCRIPTION_NOTICE).exists()


def test_the_mail_shows_no_personal_identity_number(client, smtp, org, secretary):
    subscribed(client, smtp, "maskad@example.se")
    smtp.messages.clear()
    notice = post_free_notice(org, secretary, title="Beslut om 19121212-1212",
                              body="Beslutet gäller 19121212-1212 och 121212-1212.")
    fan_out(notice)
    deliver()
    [mail] = smtp.messages
    text = mail["Subject"] + mail.get_content()
    assert "1212-1212" not in text and "121212-1212" not in text
    assert "XXXX" in text


def test_justerade_minutes_are_mailed_with_their_appeal_dates(client, smtp, board, org, secretary, chair, member):
    from minutes.justering import services as justering
    from minutes.models import Notice
    from tests.justering.conftest import build_minutes, sign

    subscribed(client, smtp, "protokoll@example.se", forbund=org.slug)
    smtp.messages.clear()
    meeting = build_minutes(board, secretary, chair, member, date=timezone.localdate() - dt.timedelta(days=2))
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (chair, member, secretary):
        sign(meeting, user)
    notice = Notice.objects.get(meeting=meeting, kind=Notice.Kind.JUSTERING)
    assert fan_out(notice) == 1
    deliver()
    [mail] = smtp.to("protokoll@example.se")
    text = mail.get_content()
    assert header(mail, "Subject") == f"Nytt anslag: {notice.title}"
    assert f"Sista dag för överklagande: {notice.last_appeal_day:%Y-%m-%d}" in text
    assert f"Paragrafer: {notice.paragraphs}" in text and "förvaltningsrätten" in text
    assert "HEMLIGT-INNEHALL" not in text  # the confidential § is not in the notice, nor here
