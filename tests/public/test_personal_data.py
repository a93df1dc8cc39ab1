"""Personal data on the public side (issue 17, point 3): identity numbers masked in every public
output, noindex where search engines get nothing, robots.txt and the sitemap, retention with
410 Gone, and the accessibility feedback form with its list in the back office."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine

from board.identity import identity_numbers, mask_identity_numbers
from board.models import AccessibilityFeedback, Organisation, OutgoingMail, Person
from minutes.drafting import services
from minutes.models import Meeting, MinutesVersion, Notice, PublicParagraph
from minutes.notices import services as notices
from minutes.projection import identity_number_warnings, public_minutes
from tests.conftest import justered_without_signatures

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Valid numbers (date and Luhn): a personnummer in three spellings and a samordningsnummer (day + 60).
PNR = "811218-9876"
PNR_LONG = "198112189876"
PNR_PLUS = "19811218+9876"  # wrong separator for a 12-digit form, still a candidate and valid
SAMORDNING = "701063-2391"
ALL_DIGITS = ("8112189876", "7010632391")
VALID = (PNR, PNR_LONG, SAMORDNING)
# Numbers that are not identity numbers and must stay as written.
NOT_NUMBERS = ("811218-9877", "0701234567", "Dnr 2023/0145", "1 250 000 kr", "070-123 45 67")
WORD = "Arbetsträningsinsatsen"


def _leaks(text: str) -> list[str]:
    flat = text.replace("-", "").replace("+", "")
    return [n for n in VALID if n in text] + [d for d in ALL_DIGITS if d in flat]


def test_only_numbers_with_a_valid_date_and_check_digit_are_found_and_masked():
    text = f"A {PNR} B {PNR_LONG} C {SAMORDNING} D " + " ".join(NOT_NUMBERS) + " abc8112189876"
    assert identity_numbers(text) == [PNR, PNR_LONG, SAMORDNING]
    masked = mask_identity_numbers(text)
    assert "A ÅÅMMDD-XXXX B ÅÅÅÅMMDD-XXXX C ÅÅMMDD-XXXX D" in masked
    for kept in (*NOT_NUMBERS, "abc8112189876"):
        assert kept in masked
    assert not _leaks(masked.replace("abc8112189876", ""))


def test_the_fast_pattern_finds_what_the_plain_one_does():
    """IDENTITY_CANDIDATE begins with the digit for speed; it must find exactly what the plain
    reading of the rule finds (not after a digit or letter, 6 or 8 digits, "-" or "+" or nothing,
    4 digits, not before a digit or letter), on texts made of the characters that matter."""
    import random
    import re

    from board.identity import IDENTITY_CANDIDATE

    plain = re.compile(r"(?<![0-9A-Za-z])((?:\d{2})?\d{6})([-+]?)(\d{4})(?![0-9A-Za-z])")
    rnd = random.Random(18)
    alphabet = "0123456789" * 3 + "-+ aZå/\n"
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(30000)]
    texts += [PNR, PNR_LONG, PNR_PLUS, SAMORDNING, *NOT_NUMBERS, "x811218-9876", "8112189876y", "1" * 14]
    for text in texts:
        found = [(m.span(), m.groups()) for m in IDENTITY_CANDIDATE.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_the_projection_masks_every_text_and_warns_for_open_paragraphs_only():
    snapshot = {
        "format": "samordna.minutes/1", "meeting": {"id": 1, "place_and_time": f"Kansliet {PNR}"},
        "attendance": {"ovriga": [f"Tolk, {SAMORDNING}"]}, "paragraph_range": "§ 1-2", "signers": [],
        "paragraphs": [
            {"id": 1, "label": "§ 1", "number": 1, "title": f"Ansökan {PNR_LONG}", "body": f"Text {PNR}",
             "decision": [f"Att bevilja {SAMORDNING}"], "confidential": False,
             "notes": [{"name": "A", "text": PNR}], "votes": [{"question": PNR, "ballots": []}]},
            {"id": 2, "label": "§ 2", "number": 2, "title": f"Sekretess {PNR}", "confidential": True,
             "osl_reference": "26 kap. 1 § OSL"},
        ],
    }
    projected = public_minutes(snapshot)
    assert not _leaks(json.dumps(projected, ensure_ascii=False))
    assert PNR in json.dumps(snapshot)  # the signed snapshot is not changed
    warnings = identity_number_warnings(snapshot)
    places = {where for where, _ in warnings}
    assert places == {"Sammanträdet", "Närvaro", "§ 1"}  # not § 2: confidential, never public
    assert ("§ 1", "19xxxxxx-xx76") in warnings
    assert not _leaks(" ".join(n for _, n in warnings))


@pytest.fixture
def with_numbers(board, secretary) -> Meeting:
    """Justerade minutes with identity numbers in a title, a text, a decision, the place and an
    attendance note, and numbers that are not identity numbers beside them."""
    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 11, 2), start_time=dt.time(9, 0),
                                      end_time=dt.time(11, 0), place=f"Kansliet, rum {PNR_LONG}", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    interpreter = Person.objects.create(first_name="Tolk", last_name="Tolksson")
    services.attendance_set(meeting=meeting, person=interpreter, actor=secretary,
                            role="ovrig", role_text=f"tolk, samordningsnummer {SAMORDNING}")
    services.paragraph_add(
        meeting=meeting, title=f"{WORD} för {PNR}",
        body=f"{WORD}: ansökan från {PNR_LONG}. " + ", ".join(NOT_NUMBERS) + ".",
        clauses=[f"Att bevilja {SAMORDNING} {WORD.lower()}"], actor=secretary,
    )
    return justered_without_signatures(meeting, secretary)


@pytest.fixture
def on_day():
    with time_machine.travel(dt.datetime(2023, 11, 10, 12, 0, tzinfo=STOCKHOLM), tick=False):
        yield


def test_no_public_output_holds_an_identity_number(client, with_numbers, secretary, on_day):
    meeting = with_numbers
    notice = notices.notice_for_justering(meeting=meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    free = notices.notice_create(organisation=meeting.organ.organisation, kind=Notice.Kind.FREE,
                                 title=f"Delegationsbeslut för {PNR}", body=f"Gäller {SAMORDNING}.",
                                 posted_on=dt.date(2023, 11, 8), takedown_on=dt.date(2023, 11, 30), actor=secretary)
    # A coming meeting with a number in its place: the calendar.
    services.meeting_create(organ=meeting.organ, date=dt.date(2023, 12, 1), start_time=dt.time(9, 0),
                            place=f"Hos {PNR}", actor=secretary)
    urls = [
        f"/protokoll/prov/2023/{meeting.pk}/", "/protokoll/prov/2023/", "/anslagstavla/", "/anslagstavla/prov/",
        f"/anslagstavla/anslag/{notice.pk}/", f"/anslagstavla/anslag/{free.pk}/", "/anslagstavla/atom.xml",
        "/kalender.ics", f"/sok/?q={WORD}", "/api/v1/public/meetings", f"/api/v1/public/meetings/{meeting.pk}",
        "/api/v1/public/agendaItems", "/api/v1/public/notices", f"/api/v1/public/notices/{free.pk}",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert not _leaks(r.content.decode()), url
    page = client.get(f"/protokoll/prov/2023/{meeting.pk}/").content.decode()
    assert "ÅÅMMDD-XXXX" in page and "ÅÅÅÅMMDD-XXXX" in page
    for kept in NOT_NUMBERS:
        assert kept in page, kept  # no false positives
    assert "ÅÅMMDD-XXXX" in client.get("/kalender.ics").content.decode()
    search = client.get("/sok/", {"q": WORD}).content.decode()
    assert "1 träff" in search
    # Searching for the number finds nothing: the index holds the mask.
    assert "0 träffar" in client.get("/sok/", {"q": PNR_LONG}).content.decode()
    rows = PublicParagraph.objects.filter(meeting=meeting)
    assert not _leaks(json.dumps([[r.title, r.body, r.content] for r in rows], ensure_ascii=False))
    # The full version keeps what was written: the signed snapshot and the live paragraph.
    snapshot = json.dumps(MinutesVersion.objects.get(meeting=meeting, status="justerad").snapshot, ensure_ascii=False)
    assert PNR in snapshot and PNR_LONG in snapshot and SAMORDNING in snapshot


def test_the_justering_page_warns_before_sending(client, board, secretary, login):
    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 11, 2), start_time=dt.time(9, 0),
                                      place="Kansliet", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    services.paragraph_add(meeting=meeting, title="Ansökan", body=f"Från {PNR}, dnr 2023/0145, 0701234567.",
                           clauses=["Att bevilja"], actor=secretary)
    services.paragraph_add(meeting=meeting, title="Sekretess", body=f"{PNR_LONG}", clauses=["Att avslå"],
                           is_confidential=True, osl_reference="26 kap. 1 § OSL", actor=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFTING)
    c = login(secretary)
    page = c.get(f"/sammantraden/{meeting.pk}/justering/").content.decode()
    assert 'id="personnummer-varning"' in page
    label = meeting.paragraphs.get(is_confidential=False).label
    warning = page.split('id="personnummer-varning"')[1].split("</div>")[0]
    assert f"{label}: 19xxxxxx-xx76" in warning
    assert PNR not in warning and PNR_LONG not in warning
    assert meeting.paragraphs.get(is_confidential=True).label + ":" not in warning  # confidential: never public
    # A warning, not a refusal: the send button is still there.
    assert f'action="/sammantraden/{meeting.pk}/justering/skicka/"' in page


# --- search engines -----------------------------------------------------------------------------


def test_notices_search_and_feed_say_noindex_minutes_only_through_the_appeal_period(client, published, secretary):
    meeting = published.meeting
    notice = notices.notice_for_justering(meeting=meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    assert notice.last_appeal_day == dt.date(2023, 11, 27)
    minutes_url = f"/protokoll/prov/2023/{meeting.pk}/"
    meta = '<meta name="robots" content="noindex">'
    with time_machine.travel(dt.datetime(2023, 11, 27, 12, 0, tzinfo=STOCKHOLM), tick=False):
        for url in ("/anslagstavla/", "/anslagstavla/prov/", "/anslagstavla/arkiv/", f"/anslagstavla/anslag/{notice.pk}/",
                    "/sok/?q=budget"):
            r = client.get(url)
            assert r["X-Robots-Tag"] == "noindex" and meta in r.content.decode(), url
        for url in ("/anslagstavla/atom.xml", "/kalender.ics"):
            assert client.get(url)["X-Robots-Tag"] == "noindex", url
        for url in (minutes_url, "/protokoll/prov/2023/", "/protokoll/", "/protokoll/prov/", "/tillganglighet/"):
            r = client.get(url)
            assert "X-Robots-Tag" not in r and meta not in r.content.decode(), url
        sitemap = client.get("/sitemap.xml").content.decode()
        assert minutes_url in sitemap and "/protokoll/prov/2023/<" in sitemap
        assert "/anslagstavla/" not in sitemap and "/sok/" not in sitemap
    with time_machine.travel(dt.datetime(2023, 11, 28, 12, 0, tzinfo=STOCKHOLM), tick=False):
        r = client.get(minutes_url)
        assert r.status_code == 200 and r["X-Robots-Tag"] == "noindex" and meta in r.content.decode()
        assert client.get("/protokoll/prov/2023/")["X-Robots-Tag"] == "noindex"
        sitemap = client.get("/sitemap.xml").content.decode()
        assert minutes_url not in sitemap and "/protokoll/prov/" in sitemap
        ET.fromstring(client.get("/sitemap.xml").content)  # well-formed
    # An association that lets search engines have its minutes as long as they are on the web.
    Organisation.objects.filter(pk=meeting.organ.organisation_id).update(minutes_indexing="alltid")
    with time_machine.travel(dt.datetime(2024, 3, 1, 12, 0, tzinfo=STOCKHOLM), tick=False):
        assert "X-Robots-Tag" not in client.get(minutes_url)
        assert minutes_url in client.get("/sitemap.xml").content.decode()
    Organisation.objects.filter(pk=meeting.organ.organisation_id).update(minutes_indexing="aldrig")
    with time_machine.travel(dt.datetime(2023, 11, 10, 12, 0, tzinfo=STOCKHOLM), tick=False):
        assert client.get(minutes_url)["X-Robots-Tag"] == "noindex"
        assert minutes_url not in client.get("/sitemap.xml").content.decode()


def test_robots_txt_lets_crawlers_into_the_public_pages_only(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    text = r.content.decode()
    for line in ("Allow: /protokoll/", "Allow: /anslagstavla/", "Disallow: /sok/", "Disallow: /api/", "Disallow: /"):
        assert line in text.splitlines(), line
    assert "Sitemap: " in text and text.rstrip().endswith("/sitemap.xml")


# --- retention --------------------------------------------------------------------------------


def test_minutes_and_notices_past_retention_are_gone_from_every_public_output(
    client, published, secretary, login, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_CACHE_SECONDS = 300  # withdrawal by time must not wait for a write
    organisation = published.meeting.organ.organisation
    Organisation.objects.filter(pk=organisation.pk).update(
        minutes_retention_months=12, notice_retention_months=3, contact_email="registrator@prov.se")
    meeting = published.meeting
    notice = notices.notice_for_justering(meeting=meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    minutes_url = f"/protokoll/prov/2023/{meeting.pk}/"
    notice_url = f"/anslagstavla/anslag/{notice.pk}/"
    # 2024-02-27: the notice (down after 2023-11-27) is in the archive its last day; the minutes are up.
    with time_machine.travel(dt.datetime(2024, 2, 27, 12, 0, tzinfo=STOCKHOLM), tick=False):
        assert client.get(notice_url).status_code == 200
        assert notice.title in client.get("/anslagstavla/arkiv/").content.decode()
        assert client.get(minutes_url).status_code == 200
        assert "1 träff" in client.get("/sok/", {"q": "tilläggsäskande"}).content.decode()  # now in the cache
    with time_machine.travel(dt.datetime(2024, 2, 28, 12, 0, tzinfo=STOCKHOLM), tick=False):
        r = client.get(notice_url)
        assert r.status_code == 410 and "registrator@prov.se" in r.content.decode()
        assert "begära att få ut" in r.content.decode()
        assert notice.title not in client.get("/anslagstavla/arkiv/").content.decode()
        assert client.get(f"/api/v1/public/notices/{notice.pk}").status_code == 410
        assert notice.pk not in [n["id"] for n in client.get("/api/v1/public/notices").json()["items"]]
        assert notice.title not in client.get("/anslagstavla/atom.xml").content.decode()
        assert client.get(minutes_url).status_code == 200
    # 2024-11-03: past twelve months after the meeting, the minutes leave the web, the cache notwithstanding.
    with time_machine.travel(dt.datetime(2024, 11, 3, 12, 0, tzinfo=STOCKHOLM), tick=False):
        r = client.get(minutes_url)
        assert r.status_code == 410
        text = r.content.decode()
        assert "allmän handling" in text and "registrator@prov.se" in text and "noindex" in text
        assert client.get("/protokoll/prov/2023/").status_code == 410
        assert "0 träffar" in client.get("/sok/", {"q": "tilläggsäskande"}).content.decode()
        api = client.get(f"/api/v1/public/meetings/{meeting.pk}")
        assert api.status_code == 410 and "registrator@prov.se" in api.json()["detail"]
        assert client.get("/api/v1/public/meetings").json()["items"] == []
        assert client.get("/api/v1/public/agendaItems").json()["items"] == []
        assert minutes_url not in client.get("/sitemap.xml").content.decode()
        # Those who may see the association's records still have them.
        c = login(secretary)
        assert c.get(f"/sammantraden/{meeting.pk}/justering/").status_code == 200
    with time_machine.travel(dt.datetime(2024, 11, 2, 12, 0, tzinfo=STOCKHOLM), tick=False):
        assert client.get(minutes_url).status_code == 200  # its last day on the web


def test_a_notice_stays_on_the_web_for_its_own_associations_retention_not_another_ones(
    client, published, secretary
):
    """The notice lists bound the notices by the longest retention of any association (a bound
    on the notice's own column, selectors.public_notices, so the last page of the API need not
    join every older notice to its association); each association's own retention still decides."""
    from tests.factories import OrganisationFactory

    Organisation.objects.filter(pk=published.meeting.organ.organisation_id).update(notice_retention_months=24)
    OrganisationFactory(slug="kort", notice_retention_months=3)
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    # A year after it came down (2023-11-27): past the other association's three months, within its 24.
    with time_machine.travel(dt.datetime(2024, 11, 27, 12, 0, tzinfo=STOCKHOLM), tick=False):
        assert notice.pk in [n["id"] for n in client.get("/api/v1/public/notices").json()["items"]]
        assert notice.title in client.get("/anslagstavla/arkiv/").content.decode()
        assert client.get(f"/anslagstavla/anslag/{notice.pk}/").status_code == 200
    # And past its own 24 months, gone.
    with time_machine.travel(dt.datetime(2025, 11, 28, 12, 0, tzinfo=STOCKHOLM), tick=False):
        assert notice.pk not in [n["id"] for n in client.get("/api/v1/public/notices").json()["items"]]
        assert client.get(f"/anslagstavla/anslag/{notice.pk}/").status_code == 410


def test_the_retention_is_the_associations_and_its_secretary_sets_it(client, org, secretary, outsider, login):
    url = f"/forbund/{org.slug}/webbpublicering/"
    assert client.get(url).status_code == 302
    assert login(outsider).get(url).status_code == 404
    c = login(secretary)
    assert c.get(url).status_code == 200
    r = c.post(url, {"contact_email": "registrator@prov.se", "minutes_indexing": "aldrig",
                     "minutes_retention_months": "120", "notice_retention_months": "6"})
    assert r.status_code == 302
    org.refresh_from_db()
    assert (org.contact_email, org.minutes_indexing, org.minutes_retention_months, org.notice_retention_months) == (
        "registrator@prov.se", "aldrig", 120, 6)
    r = c.post(url, {"contact_email": "inte en adress", "minutes_indexing": "ibland",
                     "minutes_retention_months": "0", "notice_retention_months": "x"})
    assert r.status_code == 200
    assert "Ange en giltig e-postadress" in r.content.decode() or "giltig" in r.content.decode()
    assert Organisation.objects.get(pk=org.pk).minutes_retention_months == 120


def test_defaults_of_a_new_association():
    org = Organisation(name="Ny", slug="ny")
    assert (org.minutes_indexing, org.minutes_retention_months, org.notice_retention_months) == (
        "overklagandetid", 48, 3)


# --- the accessibility feedback -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The counts live in the shared Redis for an hour: each test starts from none."""
    import hashlib

    from django.core.cache import cache

    cache.delete_many(["public:tillganglighet:" + hashlib.sha256(a.encode()).hexdigest()
                       for a in ("127.0.0.1", "203.0.113.9", "203.0.113.10")])


def test_feedback_reaches_the_association_and_is_answered_from_its_list(
    client, org, secretary, outsider, login, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=org.pk).update(contact_email="registrator@prov.se")
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post("/tillganglighet/", {"organisation": org.pk, "kind": "dokument", "page": "/protokoll/prov/2023/",
                                             "message": "Bilagan går inte att läsa med skärmläsare.",
                                             "email": "lasare@example.se"})
    assert r.status_code == 200 and "Tack!" in r.content.decode()
    assert not r.cookies
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.organisation_id, feedback.kind, feedback.email) == (org.pk, "dokument", "lasare@example.se")
    mail = OutgoingMail.objects.get(kind=OutgoingMail.Kind.ACCESSIBILITY)
    assert mail.recipient == "registrator@prov.se" and "skärmläsare" in mail.body
    url = f"/forbund/{org.slug}/tillganglighet/"
    assert client.get(url).status_code == 302
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(url, {"besvarad": feedback.pk}).status_code == 404
    c = login(secretary)
    page = c.get(url).content.decode()
    assert "skärmläsare" in page and "Markera som besvarad" in page
    assert c.post(url, {"besvarad": "x"}).status_code == 404
    assert c.post(url, {"besvarad": feedback.pk}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.answered_at is not None and feedback.answered_by == secretary


def test_feedback_errors_are_swedish_and_the_form_is_rate_limited(client, org):
    r = client.post("/tillganglighet/", {"organisation": "999999", "kind": "annat", "message": "", "email": "x"})
    assert r.status_code == 422
    text = r.content.decode()
    for message in ("Välj ett av förbunden i listan.", "Skriv vad det gäller.", "Skriv en giltig e-postadress"):
        assert message in text, message
    assert client.post("/tillganglighet/", {"message": "\x00"}).status_code in (400, 422)
    assert AccessibilityFeedback.objects.count() == 0
    data = {"organisation": org.pk, "kind": "problem", "message": "Knappen saknar text."}
    statuses = [client.post("/tillganglighet/", data, REMOTE_ADDR="203.0.113.9").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    assert "Försök igen om en timme" in client.post("/tillganglighet/", data, REMOTE_ADDR="203.0.113.9").content.decode()
    assert client.post("/tillganglighet/", data, REMOTE_ADDR="203.0.113.10").status_code == 200
