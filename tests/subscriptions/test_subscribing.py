"""Subscribing through the public pages: double opt-in, the same answer whatever the address,
Swedish errors that save nothing, the rate limits, and no cookie anywhere."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from board.models import OutgoingMail
from minutes.models import Subscription
from minutes.subscriptions.services import subscriptions_expire
from tests.subscriptions.conftest import (
    confirm_path,
    deliver,
    fan_out,
    header,
    post_free_notice,
    subscribe,
    subscribed,
)

pytestmark = pytest.mark.django_db
Kind = OutgoingMail.Kind


def test_nothing_is_mailed_until_the_address_confirms_and_a_get_of_the_link_confirms_nothing(
    client, smtp, org, secretary
):
    r = subscribe(client, "Lasare@Example.se", forbund=org.slug)
    assert r.status_code == 200 and "Om adressen inte redan prenumererar" in r.content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.organisation_id, subscription.notices, subscription.meetings,
            subscription.confirmed_at) == ("lasare@example.se", org.pk, True, False, None)
    deliver()
    [mail] = smtp.to("lasare@example.se")
    assert header(mail, "Subject") == "Bekräfta din prenumeration på anslagstavlan"
    assert "Samordningsförbundet Prov" in mail.get_content() and "List-Unsubscribe" not in mail

    # Unconfirmed: a notice posted now mails nobody.
    assert fan_out(post_free_notice(org, secretary, title="Före bekräftelsen")) == 0
    deliver()
    assert len(smtp.to("lasare@example.se")) == 1

    # A mail scanner follows the link: the page shows a button and confirms nothing.
    link = confirm_path(smtp, "lasare@example.se")
    page = client.get(link)
    assert page.status_code == 200 and "Bekräfta prenumerationen</button>" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200 and "Prenumerationen är bekräftad" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert fan_out(post_free_notice(org, secretary, title="Efter bekräftelsen")) == 1
    deliver()
    assert [header(m, "Subject") for m in smtp.to("lasare@example.se")][1:] == ["Nytt anslag: Efter bekräftelsen"]


def test_the_answer_is_the_same_for_a_new_a_waiting_and_a_confirmed_address(client, smtp, org):
    confirmed = subscribed(client, smtp, "redan@example.se", forbund=org.slug)
    token, confirmed_at = confirmed.token, confirmed.confirmed_at
    subscribe(client, "vantar@example.se", forbund=org.slug)
    deliver()
    smtp.messages.clear()

    answers = [subscribe(client, address, forbund=org.slug, ip=f"198.51.100.{i}")
               for i, address in enumerate(["ny@example.se", "vantar@example.se", "redan@example.se"], start=20)]
    assert {r.status_code for r in answers} == {200}
    assert answers[0].content == answers[1].content == answers[2].content
    assert answers[0].headers.items() == answers[2].headers.items()

    deliver()
    # What happened is told to the address only: links for the new and the waiting, a sentence
    # for the confirmed one, whose subscription is as it was.
    assert "/prenumerera/bekrafta/" in smtp.to("ny@example.se")[0].get_content()
    assert "/prenumerera/bekrafta/" in smtp.to("vantar@example.se")[0].get_content()
    already = smtp.to("redan@example.se")[0].get_content()
    assert "prenumererar redan" in already and "/prenumerera/bekrafta/" not in already
    assert "/avprenumerera/" in already
    confirmed.refresh_from_db()
    assert (confirmed.token, confirmed.confirmed_at) == (token, confirmed_at)
    assert Subscription.objects.filter(email="vantar@example.se").count() == 1


@pytest.mark.parametrize(("data", "error"), [
    ({"email": "inte-en-adress", "anslag": "on"}, "Skriv en giltig e-postadress, t.ex. namn@exempel.se."),
    ({"email": "", "anslag": "on"}, "Skriv din e-postadress."),
    ({"email": "a@" + "b" * 260 + ".se", "anslag": "on"}, "Adressen är för lång."),
    ({"email": "lasare@example.se"}, "Välj om du vill ha nya anslag, kungörelser av sammanträden eller båda."),
    ({"email": "lasare@example.se", "anslag": "on", "forbund": "finns-inte"}, "Välj ett av förbunden i listan."),
    ({"email": "lasare@example.se\r\nBcc: x@example.se", "anslag": "on"}, "Skriv en giltig e-postadress"),
])
def test_bad_input_shows_a_swedish_error_and_saves_and_mails_nothing(client, org, data, error):
    r = client.post("/prenumerera/", data)
    assert r.status_code == 422
    assert error in r.content.decode()
    assert not Subscription.objects.exists() and not OutgoingMail.objects.exists()


def test_one_computer_is_refused_after_the_limit_and_one_address_gets_no_more_mail(client, smtp, org, settings):
    settings.SUBSCRIBE_LIMIT_PER_IP = 3
    settings.SUBSCRIBE_LIMIT_PER_ADDRESS = 2
    for i in range(3):
        assert subscribe(client, f"dator{i}@example.se", ip="203.0.113.5").status_code == 200
    refused = subscribe(client, "dator3@example.se", ip="203.0.113.5")
    assert refused.status_code == 429 and "Försök igen om en timme" in refused.content.decode()
    assert not Subscription.objects.filter(email="dator3@example.se").exists()
    assert subscribe(client, "dator3@example.se", ip="203.0.113.6").status_code == 200  # another computer

    # One address from many computers: the third answer looks like the others, and mails nothing.
    answers = [subscribe(client, "offer@example.se", ip=f"203.0.113.{20 + i}") for i in range(3)]
    assert {r.status_code for r in answers} == {200} and answers[1].content == answers[2].content
    assert OutgoingMail.objects.filter(recipient="offer@example.se").count() == 2


def test_the_pages_set_no_cookie_and_take_posts_without_a_csrf_token(smtp, org, secretary):
    client = Client(enforce_csrf_checks=True)
    responses = [client.get("/prenumerera/"), client.get(f"/prenumerera/?forbund={org.slug}"),
                 client.get("/anslagstavla/"), client.get(f"/anslagstavla/{org.slug}/"),
                 subscribe(client, "kaka@example.se", forbund=org.slug)]
    deliver()
    link = confirm_path(smtp, "kaka@example.se")
    responses += [client.get(link), client.post(link)]
    token = Subscription.objects.get().token
    responses += [client.get(f"/avprenumerera/{token}/"), client.post(f"/avprenumerera/{token}/")]
    assert [r.status_code for r in responses] == [200] * 9
    for r in responses:
        assert not r.cookies, (r.request["PATH_INFO"], r.cookies)
        assert r["X-Robots-Tag"] == "noindex"
    assert not Subscription.objects.exists()


def test_the_notice_board_offers_the_form_for_its_association(client, org):
    page = client.get(f"/anslagstavla/{org.slug}/").content.decode()
    assert 'action="/prenumerera/#formular"' in page
    assert f'name="forbund" value="{org.slug}"' in page and "Nya anslag från Samordningsförbundet Prov" in page
    everyone = client.get("/anslagstavla/").content.decode()
    assert 'name="forbund" value=""' in everyone and "Nya anslag från alla förbund" in everyone
    form = client.get(f"/prenumerera/?forbund={org.slug}").content.decode()
    assert f'<option value="{org.slug}" selected>' in form


def test_an_unconfirmed_subscription_is_deleted_when_its_time_has_run_out(client, smtp, org, settings):
    settings.SUBSCRIPTION_CONFIRM_HOURS = 48
    kept = subscribed(client, smtp, "kvar@example.se")
    subscribe(client, "glomd@example.se", forbund=org.slug)
    subscribe(client, "sen@example.se", forbund=org.slug)
    deliver()
    late_link = confirm_path(smtp, "sen@example.se")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=47), tick=False):
        assert subscriptions_expire() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49), tick=False):
        # Its link no longer confirms it (and deletes it), before any sweep has run.
        gone = client.post(late_link)
        assert gone.status_code == 404 and "Länken gäller inte längre" in gone.content.decode()
        assert not Subscription.objects.filter(email="sen@example.se").exists()
        assert subscriptions_expire() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == [kept.email]
    # Nothing of the forgotten addresses stays, not even the record of the mail they were sent.
    assert set(OutgoingMail.objects.values_list("recipient", flat=True)) == {"kvar@example.se"}


def test_asking_again_while_waiting_renews_the_link_time_and_takes_the_latest_choice(client, smtp, org, settings):
    settings.SUBSCRIPTION_CONFIRM_HOURS = 48
    subscribe(client, "igen@example.se", forbund=org.slug)
    first = Subscription.objects.get()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=40), tick=False):
        subscribe(client, "igen@example.se", forbund=org.slug, notices=False, meetings=True)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=60), tick=False):
        assert subscriptions_expire() == 0
        again = Subscription.objects.get()
        assert (again.pk, again.token, again.notices, again.meetings) == (first.pk, first.token, False, True)


def test_a_site_admin_sees_the_subscriptions_and_deletes_one_with_its_mail(client, smtp, org, site_admin, login):
    subscription = subscribed(client, smtp, "fragar@example.se", forbund=org.slug)
    admin = login(site_admin)
    listing = admin.get("/admin/minutes/subscription/").content.decode()
    assert "fragar@example.se" in listing
    page = admin.get(f"/admin/minutes/subscription/{subscription.pk}/change/").content.decode()
    assert subscription.token not in page  # the key of the person's links stays out of sight
    assert admin.post(f"/admin/minutes/subscription/{subscription.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Subscription.objects.exists()
    assert not OutgoingMail.objects.filter(recipient="fragar@example.se").exists()
