"""The justering page's BankID signature, against the local stand-in of BankID's RP API
(tests/bankid_standin.py, not BankID): start, the QR code, the messages, complete, failed,
cancel, refusals, who gets in; and the whole flow in Chromium with axe and the keyboard."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from minutes.justering.bankid_views import SESSION_KEY
from minutes.justering.signing import bankid
from minutes.models import Meeting, Signature
from tests.justering.conftest import PNR, last_order, with_personnummer

pytestmark = pytest.mark.django_db


def _url(meeting: Meeting, part: str = "") -> str:
    return f"/sammantraden/{meeting.pk}/justering/bankid/{part}"


def _status(client: Client, meeting: Meeting, hint: str = ""):
    return client.get(_url(meeting, "status/"), {"hint": hint}, headers={"HX-Request": "true"})


@pytest.fixture
def signing(sent, chair, member, secretary, bankid_standin, login):
    """The minutes under justering, the signers with their personnummer, the chair logged in
    and started on BankID."""
    with_personnummer(chair, member, secretary)
    client = login(chair)
    response = client.post(_url(sent, "starta/"))
    assert response.status_code == 302 and response["Location"] == _url(sent)
    return client


def test_the_justering_page_offers_bankid_only_where_the_association_does(sent, chair, bankid_standin, login, board):
    page = login(chair).get(f"/sammantraden/{sent.pk}/justering/")
    assert "Skriv under med BankID" in page.content.decode()
    board.organisation.signing_methods = ["losenord"]
    board.organisation.save()
    page = login(chair).get(f"/sammantraden/{sent.pk}/justering/")
    assert "Skriv under med BankID" not in page.content.decode()


def test_start_signs_the_versions_sha256_with_a_swedish_text_and_keeps_the_secret_in_the_session(
    signing, sent, bankid_standin, chair
):
    endpoint, body = bankid_standin.calls[-1]
    version = sent.versions.get(status="aktuell")
    assert endpoint == "sign"
    assert base64.b64decode(body["userNonVisibleData"]).decode() == version.sha256
    text = base64.b64decode(body["userVisibleData"]).decode()
    for part in ("Samordningsförbundet Prov", "Styrelsen Samordningsförbundet Prov", "2023-11-02", "§§",
                 f"Version {version.number}, SHA-256: {version.sha256}"):
        assert part in text
    assert body["requirement"] == {"personalNumber": PNR["ordforande"]}
    assert body["endUserIp"] == "127.0.0.1"
    record = signing.session[SESSION_KEY][str(sent.pk)]
    assert record["order_ref"] == last_order(bankid_standin)
    assert (record["sha256"], record["version"], record["meeting"]) == (version.sha256, version.number, sent.pk)

    page = signing.get(_url(sent))
    html = page.content.decode()
    assert page.status_code == 200
    assert record["qr_start_secret"] not in html
    assert 'role="img" aria-label="QR-kod för BankID"' in html and "<svg" in html
    assert f"bankid:///?autostarttoken={record['autostart_token']}" in html
    assert 'role="status"' in html and "Starta BankID-appen." in html
    assert 'hx-trigger="every 1s"' in html


def test_the_qr_code_changes_every_second(signing, sent, monkeypatch):
    record = signing.session[SESSION_KEY][str(sent.pk)]
    monkeypatch.setattr(bankid.time, "time", lambda: record["started_at"] + 0.2)
    first = _status(signing, sent, "outstandingTransaction").content.decode()
    monkeypatch.setattr(bankid.time, "time", lambda: record["started_at"] + 1.2)
    second = _status(signing, sent, "outstandingTransaction").content.decode()
    assert "<svg" in first and "<svg" in second and first != second
    # The message did not change, so it is not sent again (the live region stays quiet).
    assert 'id="bankid-message"' not in second


def test_the_waiting_message_replaces_the_qr_code_when_the_app_has_the_order(signing, sent, bankid_standin):
    bankid_standin.hint(last_order(bankid_standin), "userSign")
    html = _status(signing, sent, "outstandingTransaction").content.decode()
    assert "Skriv in din säkerhetskod i BankID-appen" in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "<svg" not in html and 'hx-trigger="every 1s"' in html


def test_user_cancel_shows_the_failed_message_and_try_again(signing, sent, bankid_standin):
    bankid_standin.fail(last_order(bankid_standin), "userCancel")
    html = _status(signing, sent, "outstandingTransaction").content.decode()
    assert "Åtgärden avbruten." in html and "Försök igen" in html
    assert 'hx-trigger' not in html  # no more polling
    assert str(sent.pk) not in signing.session.get(SESSION_KEY, {})
    assert not Signature.objects.exists()
    again = signing.post(_url(sent, "starta/"))  # Försök igen starts a new order
    assert again.status_code == 302
    assert signing.session[SESSION_KEY][str(sent.pk)]["order_ref"] == last_order(bankid_standin)


def test_complete_records_the_bankid_signature_and_redirects_with_a_message(signing, sent, bankid_standin, chair):
    ref = last_order(bankid_standin)
    bankid_standin.complete(ref, PNR["ordforande"], "Ordforande Testsson")
    response = _status(signing, sent)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/sammantraden/{sent.pk}/justering/"
    signature = Signature.objects.get()
    assert (signature.person, signature.method, signature.level, signature.reference) == (
        chair.person, "bankid", "avancerad", ref)
    assert signature.identity_masked == "19xxxxxx-xx30"
    assert bankid.BankIdMethod().verify(signature.evidence, signature.sha256)
    page = signing.get(f"/sammantraden/{sent.pk}/justering/")
    assert "Du har skrivit under protokollet med BankID." in page.content.decode()
    # Polled again after the redirect was sent: nothing more is signed.
    assert "Ingen underskrift med BankID pågår" in _status(signing, sent).content.decode()
    assert Signature.objects.count() == 1


def test_a_bankid_that_is_not_the_signers_is_refused_and_nothing_is_signed(signing, sent, bankid_standin):
    ref = last_order(bankid_standin)
    bankid_standin.orders[ref].requirement.clear()  # as if BankID had not held the order to the personnummer
    bankid_standin.complete(ref, "199001011239", "Någon Annan")
    html = _status(signing, sent).content.decode()
    assert "tillhör en annan person" in html and "Försök igen" in html
    assert not Signature.objects.exists()


def test_a_signature_from_another_ca_is_refused_and_nothing_is_signed(signing, sent, bankid_standin):
    bankid_standin.complete(last_order(bankid_standin), PNR["ordforande"], "Ordforande Testsson", foreign_ca=True)
    html = _status(signing, sent).content.decode()
    assert "kunde inte kontrolleras" in html
    assert not Signature.objects.exists()


def test_a_version_changed_after_the_start_is_refused(signing, sent, bankid_standin, secretary, member):
    from minutes.justering import services as justering

    justering.justering_decline(meeting=sent, reason="§ 4 saknar beloppet.", actor=member)
    justering.minutes_send_for_justering(meeting=sent, actor=secretary)  # version 2
    bankid_standin.complete(last_order(bankid_standin), PNR["ordforande"], "Ordforande Testsson")
    html = _status(signing, sent).content.decode()
    assert "ändrats" in html
    assert not Signature.objects.exists()


def test_cancel_stops_the_order_at_bankid(signing, sent, bankid_standin):
    ref = last_order(bankid_standin)
    response = signing.post(_url(sent, "avbryt/"), {"order_ref": ref})
    assert response.status_code == 302
    assert ("cancel", {"orderRef": ref}) in bankid_standin.calls
    assert ref not in bankid_standin.orders
    assert str(sent.pk) not in signing.session.get(SESSION_KEY, {})
    page = signing.get(response["Location"])
    assert "Underskriften med BankID är avbruten." in page.content.decode()


def test_the_beacon_cancels_only_the_order_it_names(signing, sent, bankid_standin):
    ref = last_order(bankid_standin)
    stale = signing.post(_url(sent, "avbryt/"), {"order_ref": "an-earlier-order", "beacon": "1"})
    assert stale.status_code == 204
    assert ref in bankid_standin.orders  # the running order is left alone
    left = signing.post(_url(sent, "avbryt/"), {"order_ref": ref, "beacon": "1"})
    assert left.status_code == 204 and ref not in bankid_standin.orders


def test_the_beacon_needs_the_csrf_token(signing, sent, bankid_standin, chair):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(chair)
    ref = last_order(bankid_standin)
    assert strict.post(_url(sent, "avbryt/"), {"order_ref": ref, "beacon": "1"}).status_code == 403


def test_an_association_without_bankid_refuses_to_start(sent, chair, member, secretary, bankid_standin, login, board):
    with_personnummer(chair, member, secretary)
    board.organisation.signing_methods = ["losenord"]
    board.organisation.save()
    client = login(chair)
    response = client.post(_url(sent, "starta/"), follow=True)
    assert "tar inte emot underskrifter med BankID" in response.content.decode()
    assert bankid_standin.calls == []


def test_a_signer_without_a_personnummer_is_told_before_bankid_starts(sent, chair, bankid_standin, login):
    response = login(chair).post(_url(sent, "starta/"), follow=True)
    assert "har inte ditt personnummer" in response.content.decode()
    assert bankid_standin.calls == []


def test_the_page_without_an_order_sends_back_to_the_justering(sent, chair, bankid_standin, login):
    response = login(chair).get(_url(sent))
    assert response.status_code == 302 and response["Location"].startswith(f"/sammantraden/{sent.pk}/justering/")


# --- Who gets in ---------------------------------------------------------------------------


def _calls(meeting: Meeting) -> list[tuple[str, str]]:
    return [("post", _url(meeting, "starta/")), ("get", _url(meeting)), ("get", _url(meeting, "status/")),
            ("post", _url(meeting, "avbryt/"))]


def test_a_member_who_does_not_sign_is_refused_every_bankid_url(sent, director, bankid_standin, login):
    for method, url in _calls(sent):
        assert getattr(login(director), method)(url).status_code == 403, url
    assert bankid_standin.calls == []


def test_a_signer_of_another_meeting_is_refused(sent, board, secretary, chair, member, bankid_standin, login):
    import datetime as dt

    from tests.justering.conftest import build_minutes

    other = build_minutes(board, secretary, chair, member, date=dt.date(2023, 12, 7))
    # A ledamot of the association who signs `sent` but not `other` (not its justerare).
    from minutes.drafting import services as drafting

    drafting.adjusters_set(meeting=other, persons=[], actor=secretary)
    for method, url in _calls(other):
        assert getattr(login(member), method)(url).status_code in (403, 404), url
    assert bankid_standin.calls == []


def test_the_outsider_and_the_anonymous_visitor_are_refused(sent, outsider, bankid_standin, login):
    for method, url in _calls(sent):
        assert getattr(login(outsider), method)(url).status_code == 404, url
        anonymous = getattr(Client(), method)(url)
        assert anonymous.status_code == 302 and "logga-in" in anonymous["Location"], url
    assert bankid_standin.calls == []


# --- In Chromium ----------------------------------------------------------------------------


def _login(page, live_server, username: str) -> None:
    from tests.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _tab_to(page, element_id: str) -> None:
    """Move the focus with the Tab key alone until it is on the element."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def _wait(condition, seconds: float = 10) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def test_the_bankid_flow_in_chromium_by_keyboard_with_axe(live_server, page, board, secretary, chair, member,
                                                          bankid_standin):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    from minutes.justering import services as justering
    from tests.justering.conftest import build_minutes

    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    with_personnummer(chair, member, secretary)
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"
    axe = Axe()

    def no_violations(state: str) -> None:
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
        assert results.response["passes"], state
        assert results.violations_count == 0, f"{state}: {results.generate_report()}"

    _login(page, live_server, "ordforande")
    page.goto(url)
    no_violations("the justering page with Skriv under med BankID")
    _tab_to(page, "bankid-button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sammantraden/{meeting.pk}/justering/bankid/")
    qr = page.get_by_role("img", name="QR-kod för BankID")
    expect(qr).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Starta BankID-appen.")
    autostart = page.get_by_role("link", name="Öppna BankID på den här enheten")
    assert autostart.get_attribute("href").startswith("bankid:///?autostarttoken=")
    first = page.eval_on_selector("#bankid-poll svg", "e => e.outerHTML")
    page.wait_for_function(
        "(first) => { const s = document.querySelector('#bankid-poll svg'); return s && s.outerHTML !== first; }",
        arg=first, timeout=5000)
    assert page.eval_on_selector("#bankid-poll svg", "e => e.outerHTML") != first  # the QR code changed
    no_violations("QR shown")

    ref = last_order(bankid_standin)
    bankid_standin.hint(ref, "userSign")
    expect(page.get_by_role("status")).to_contain_text("Skriv in din säkerhetskod i BankID-appen", timeout=5000)
    expect(qr).to_have_count(0)
    no_violations("waiting")

    bankid_standin.fail(ref, "userCancel")
    expect(page.get_by_role("status")).to_have_text("Åtgärden avbruten.", timeout=5000)
    expect(page.get_by_role("button", name="Försök igen")).to_be_visible()
    no_violations("failed")
    assert not Signature.objects.exists()

    _tab_to(page, "bankid-retry")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sammantraden/{meeting.pk}/justering/bankid/")
    expect(page.get_by_role("img", name="QR-kod för BankID")).to_be_visible()
    ref = last_order(bankid_standin)
    bankid_standin.complete(ref, PNR["ordforande"], "Ordforande Testsson")
    page.wait_for_url(url, timeout=10000)
    expect(page.locator("main")).to_contain_text("Du har skrivit under protokollet med BankID.")
    no_violations("done")
    assert Signature.objects.get().method == "bankid"

    # The justerare starts, leaves the page (the order is cancelled), starts again and signs;
    # then the secretary, whose signature makes the minutes justerade.
    _login(page, live_server, "ledamot")
    page.goto(url)
    page.get_by_role("button", name="Skriv under med BankID").click()
    page.wait_for_url("**/bankid/")
    left = last_order(bankid_standin)
    page.goto(url)
    _wait(lambda: ("cancel", {"orderRef": left}) in bankid_standin.calls)
    for username in ("ledamot", "sekreterare"):
        _login(page, live_server, username)
        page.goto(url)
        page.get_by_role("button", name="Skriv under med BankID").click()
        page.wait_for_url("**/bankid/")
        bankid_standin.complete(last_order(bankid_standin), PNR[username], f"{username} Testsson")
        page.wait_for_url(url, timeout=10000)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED
    expect(page.locator("#justering-status")).to_contain_text("Justerat")
    assert set(Signature.objects.values_list("method", flat=True)) == {"bankid"}


def test_avbryt_by_keyboard_cancels_the_order(live_server, page, board, secretary, chair, member, bankid_standin):
    from playwright.sync_api import expect

    from minutes.justering import services as justering
    from tests.justering.conftest import build_minutes

    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    with_personnummer(chair)
    _login(page, live_server, "ordforande")
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/justering/")
    page.get_by_role("button", name="Skriv under med BankID").click()
    page.wait_for_url("**/bankid/")
    ref = last_order(bankid_standin)
    _tab_to(page, "bankid-cancel-button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sammantraden/{meeting.pk}/justering/#skriv-under")
    expect(page.locator("main")).to_contain_text("Underskriften med BankID är avbruten.")
    assert ref not in bankid_standin.orders
