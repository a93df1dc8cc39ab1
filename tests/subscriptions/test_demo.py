"""Done when (issue 17, point 4): a subscriber gets one mail for the NVSam notice when the demo
minutes are justerade, and none after unsubscribing. Through the pages, the real worker and the
tests' SMTP server."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import timezone

from board.demo import loader as board_demo
from board.demo.data import PASSWORD
from board.models import OutgoingMail
from minutes.demo import loader as minutes_demo
from minutes.justering import services as justering
from minutes.models import Meeting, Notice, NoticeMailing, Subscription
from tests.conftest import _worker_idle, wait_for
from tests.subscriptions.conftest import confirm_path, header, path_of, post_free_notice, subscribe

pytestmark = pytest.mark.worker
ADDRESS = "medborgare@example.se"


def test_a_subscriber_gets_one_mail_for_the_nvsam_notice_and_none_after_unsubscribing(
    transactional_db, celery_worker, smtp
):
    board_demo.load(stdout=io.StringIO())
    minutes_demo.load(stdout=io.StringIO())
    client = Client()
    assert subscribe(client, ADDRESS, forbund="norra-vastmanland").status_code == 200
    wait_for(lambda: smtp.to(ADDRESS), what="the confirmation mail")
    assert client.post(confirm_path(smtp, ADDRESS)).status_code == 200
    assert Subscription.objects.get(email=ADDRESS).confirmed_at is not None

    meeting = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    users = get_user_model().objects
    version = justering.minutes_send_for_justering(meeting=meeting, actor=users.get(username="sekreterare"))
    for signer in version.snapshot["signers"]:
        justering.justering_sign(meeting=meeting, actor=users.get(person__pk=signer["person_id"]), password=PASSWORD,
                                 request=RequestFactory().post("/", REMOTE_ADDR="10.0.0.1"))
    notice = Notice.objects.get(meeting=meeting, kind=Notice.Kind.JUSTERING)
    assert notice.posted_on == timezone.localdate() and notice.paragraphs == "NVSam §§ 54–58"

    wait_for(lambda: len(smtp.to(ADDRESS)) >= 2, timeout=90, what="the notice's mail")
    wait_for(lambda: NoticeMailing.objects.get(notice=notice).status == "klar", what="the mailing done")
    wait_for(_worker_idle, timeout=120, what="the worker going idle")
    mails = smtp.to(ADDRESS)[1:]
    assert len(mails) == 1  # one, not one per batch or per message
    [mail] = mails
    assert header(mail, "Subject") == f"Nytt anslag: {notice.title}"
    text = mail.get_content()
    assert "Norra Västmanlands Samordningsförbund" in text and "NVSam §§ 54–58" in text
    assert f"Sista dag för överklagande: {notice.last_appeal_day:%Y-%m-%d}" in text
    assert header(mail, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"

    # The mail client's one-click unsubscribe (RFC 8058), to the URL the mail carries.
    url = header(mail, "List-Unsubscribe").strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert not OutgoingMail.objects.filter(recipient=ADDRESS).exists()

    other = post_free_notice(notice.organisation, users.get(username="sekreterare"), title="Nästa anslag")
    wait_for(lambda: NoticeMailing.objects.get(notice=other).status == "klar", what="the next mailing done")
    wait_for(_worker_idle, timeout=120, what="the worker going idle")
    assert NoticeMailing.objects.get(notice=other).mailed == 0
    assert len(smtp.to(ADDRESS)) == 2  # the confirmation and the one notice
