"""The public pages, feed, calendar, search and API: what they show, and what they never show
(confidential paragraphs, drafts)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
import time_machine

from board.documents.models import RenderedDocument
from minutes.drafting import services
from minutes.models import Notice
from minutes.notices import services as notices
from tests.conftest import assert_timezones_defined, justered_without_signatures
from tests.public.conftest import DRAFT_WORD, PUBLIC_WORD, SECRET

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = dt.date(2023, 11, 10)


@pytest.fixture
def notice(published, secretary) -> Notice:
    return notices.notice_for_justering(meeting=published.meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)


@pytest.fixture
def on_day():
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(12, 0)), tick=False):
        yield DAY


def public_urls(published, notice) -> list[str]:
    m = published.meeting
    return [
        "/anslagstavla/", "/anslagstavla/prov/", "/anslagstavla/?forbund=prov", "/anslagstavla/arkiv/",
        f"/anslagstavla/anslag/{notice.pk}/", "/protokoll/", "/protokoll/prov/", "/protokoll/prov/2023/",
        f"/protokoll/prov/2023/{m.pk}/", f"/sok/?q={PUBLIC_WORD}", "/sok/?q=Hemligsakuppgift",
        "/sok/?q=Utkastordet", "/anslagstavla/atom.xml", "/kalender.ics", "/tillganglighet/",
    ]


def api_urls(published, notice) -> list[str]:
    m = published.meeting
    return [
        "/api/v1/public/bodies", "/api/v1/public/organizations", "/api/v1/public/persons",
        "/api/v1/public/meetings", f"/api/v1/public/meetings/{m.pk}", "/api/v1/public/agendaItems",
        f"/api/v1/public/agendaItems?meeting={m.pk}", "/api/v1/public/papers", "/api/v1/public/notices",
        f"/api/v1/public/notices/{notice.pk}",
    ]


def test_every_public_page_answers_anonymously(client, published, notice, on_day):
    for url in public_urls(published, notice):
        r = client.get(url, follow=True)
        assert r.status_code == 200, url
        assert not r.cookies, (url, r.cookies)  # nothing stored on a reader's machine


def test_the_confidential_paragraph_and_the_draft_appear_nowhere(client, published, notice, on_day):
    for url in public_urls(published, notice) + api_urls(published, notice):
        r = client.get(url, follow=True)
        assert r.status_code == 200, url
        text = r.content.decode()
        assert SECRET not in text, url
        assert "Hemligsakuppgift" not in text.replace("q=Hemligsakuppgift", "").replace(
            'value="Hemligsakuppgift"', ""), url
        assert DRAFT_WORD not in text and "Utkastordet" not in text.replace("q=Utkastordet", "").replace(
            'value="Utkastordet"', ""), url


def test_the_minutes_page_shows_the_confidential_paragraph_as_its_number_and_osl_only(client, published, on_day):
    text = client.get(f"/protokoll/prov/2023/{published.meeting.pk}/").content.decode()
    label = published.secret_paragraph.label
    assert f"<h3 id=\"h-p{published.secret_paragraph.pk}\">{label}</h3>" in text
    assert "Sekretess enligt OSL 26 kap. 1 § OSL" in text
    assert published.open_paragraph.title in text
    assert "Att godkänna insatsen steget" in text


def test_drafts_are_not_in_the_archive_nor_reachable_by_anyone_outside(client, published, outsider, login, on_day):
    draft = published.draft
    url = f"/protokoll/prov/{draft.date.year}/{draft.pk}/"
    assert client.get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert client.get(f"/api/v1/public/meetings/{draft.pk}").status_code == 404
    assert login(outsider).get(f"/api/v1/public/meetings/{draft.pk}").status_code == 404
    # The secretary's own pages of the draft stay closed to the public and the outsider.
    for path in (f"/sammantraden/{draft.pk}/protokoll/", f"/sammantraden/{draft.pk}/protokoll/forhandsvisning/"):
        assert client.get(path).status_code in (302, 404)
        assert login(outsider).get(path).status_code == 404
    ids = [m["id"] for m in client.get("/api/v1/public/meetings").json()["items"]]
    assert ids == [published.meeting.pk]
    listing = client.get("/protokoll/prov/2023/").content.decode()
    assert "2023-12-07" not in listing and "2023-11-02" in listing


def test_search_ranks_highlights_and_filters(client, published, other_board, secretary, on_day):
    r = client.get("/sok/", {"q": PUBLIC_WORD})
    text = r.content.decode()
    assert "1 träff" in text
    assert f"<mark>{PUBLIC_WORD}</mark>" in text.lower() or "<mark>Tilläggsäskande</mark>" in text
    # Swedish stemming: the plural finds the singular.
    assert "1 träff" in client.get("/sok/", {"q": "tilläggsäskanden"}).content.decode()
    assert "0 träffar" in client.get("/sok/", {"q": PUBLIC_WORD, "ar": "2022"}).content.decode()
    assert "0 träffar" in client.get("/sok/", {"q": PUBLIC_WORD, "forbund": "annat"}).content.decode()
    assert "1 träff" in client.get("/sok/", {"q": PUBLIC_WORD, "forbund": "prov", "ar": "2023",
                                            "organ": published.meeting.organ_id}).content.decode()
    assert "0 träffar" in client.get("/sok/", {"q": "Hemligsakuppgift"}).content.decode()
    assert "0 träffar" in client.get("/sok/", {"q": "Utkastordet"}).content.decode()


def test_a_paragraph_text_with_markup_is_escaped_in_the_snippet(client, board, secretary, on_day):
    from minutes.models import Meeting
    from tests.public.conftest import make_minutes

    meeting = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2023, 10, 1),
                           titles=["Övrigt"], confidential=False, status=Meeting.Status.DRAFTING)
    meeting.paragraphs.update(body="<script>alert(1)</script> om samverkansavtal")
    justered_without_signatures(meeting, secretary)
    text = client.get("/sok/", {"q": "samverkansavtal"}).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "<mark>samverkansavtal</mark>" in text
    # And whatever the headline keeps of the text is escaped before the marks are added.
    from minutes.public.search import START, STOP, highlight

    assert highlight(f"<b>x</b> & {START}avtal{STOP}") == "&lt;b&gt;x&lt;/b&gt; &amp; <mark>avtal</mark>"


def test_the_atom_feed_is_valid_atom(client, published, notice, on_day):
    r = client.get("/anslagstavla/atom.xml")
    assert r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id").text
    assert dt.datetime.fromisoformat(root.find(f"{ATOM}updated").text)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}id").text == f"tag:samordna,{notice.created:%Y-%m-%d}:anslag/{notice.pk}"
    assert dt.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert entry.find(f"{ATOM}title").text == notice.title
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/anslagstavla/anslag/{notice.pk}/")
    assert "2023-11-27" in entry.find(f"{ATOM}summary").text


def test_the_calendar_lists_upcoming_meetings_as_valid_icalendar(client, board, secretary, published):
    from icalendar import Calendar

    upcoming = services.meeting_create(organ=board.organ, date=dt.date(2031, 2, 3), start_time=dt.time(13, 0),
                                       place="Stadshuset", actor=secretary)
    with time_machine.travel(dt.datetime(2031, 1, 15, 12, 0), tick=False):
        r = client.get("/kalender.ics")
    assert r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"meeting-{upcoming.pk}@samordna"]
    event = events[0]
    assert event.decoded("dtstart").isoformat() == "2031-02-03T13:00:00+01:00"
    assert str(event["location"]) == "Stadshuset"
    assert str(cal["version"]) == "2.0"
    assert_timezones_defined(r.content)  # a VTIMEZONE for Europe/Stockholm


def test_the_api_lists_public_content_with_decisions_and_votes(client, published, notice, on_day):
    data = client.get(f"/api/v1/public/meetings/{published.meeting.pk}").json()
    items = {i["id"]: i for i in data["agendaItem"]}
    secret = items[published.secret_paragraph.pk]
    assert secret["public"] is False and secret["name"] == "" and secret["decisions"] == []
    assert secret["confidentialityReason"] == "Sekretess enligt OSL 26 kap. 1 § OSL"
    assert items[published.open_paragraph.pk]["decisions"] == ["Att godkänna insatsen steget, tilläggsäskande 147 424 kr"]
    notices_page = client.get("/api/v1/public/notices?up=true").json()
    assert len(notices_page["items"]) == 1 and notices_page["items"][0]["lastAppealDay"] == "2023-11-27"
    assert notices_page["next"] is None
    assert client.get("/api/v1/public/notices?up=false").json()["items"] == []
    assert client.get("/api/v1/public/meetings?start_date=2023-11-03").json()["items"] == []
    assert len(client.get("/api/v1/public/meetings?end_date=2023-11-02").json()["items"]) == 1
    since = client.get("/api/v1/public/agendaItems", {"modified_since": "2099-01-01T00:00:00Z"}).json()
    assert since["items"] == []
    persons = client.get("/api/v1/public/persons").json()
    from board.models import Person

    assert len(persons["items"]) == Person.objects.filter(appointments__isnull=False).distinct().count() >= 8
    assert all("email" not in p and "phone" not in p for p in persons["items"])
    assert "@example.se" not in json.dumps(persons)
    everything = client.get("/api/v1/public/agendaItems").json()["items"]
    page1 = client.get("/api/v1/public/agendaItems", {"page_size": 2}).json()
    page2 = client.get(page1["next"]).json()
    assert len(everything) == 4 and page2["next"] is None
    assert [i["id"] for i in page1["items"] + page2["items"]] == [i["id"] for i in everything]


def test_the_api_answers_without_authentication_and_refuses_bad_input(client, db):
    assert client.get("/api/v1/public/bodies").status_code == 200
    assert client.get("/api/v1/public/meetings?start_date=igår").status_code == 422
    assert client.get("/api/v1/public/meetings?page_size=0").status_code == 422


def test_a_vote_shows_per_person_in_the_page_and_the_api(client, board, secretary, on_day):
    from minutes.models import Attendance, Meeting, Vote
    from tests.public.conftest import make_minutes

    meeting = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2023, 9, 14), titles=["Ny insats"],
                           confidential=False, status=Meeting.Status.DRAFTING)
    paragraph = meeting.paragraphs.get()
    voters = [a.person for a in meeting.attendances.filter(role=Attendance.Role.MEMBER)]
    services.vote_record(
        paragraph=paragraph, yes_text="Bifall", no_text="Avslag",
        ballots={p.pk: ("ja" if i % 3 else "nej") for i, p in enumerate(voters)}, actor=secretary,
    )
    justered_without_signatures(meeting, secretary)
    assert Vote.objects.filter(paragraph=paragraph).count() == 1
    page = client.get(f"/protokoll/prov/2023/{meeting.pk}/").content.decode()
    api = client.get(f"/api/v1/public/meetings/{meeting.pk}").json()
    ballots = api["agendaItem"][0]["votes"][0]["ballots"]
    assert len(ballots) == len(voters)
    for person in voters:
        assert person.full_name in page
    assert {b["choice"] for b in ballots} == {"ja", "nej"}
    # Each ballot links to its person, by the name the signed snapshot gives.
    assert {b["person"] for b in ballots} == {p.pk for p in voters}


def test_the_public_minutes_pdf_and_certificate_are_linked_when_issued(client, published, notice, on_day):
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from minutes.models import Meeting

    def issued(kind, target, version=1):
        doc = RenderedDocument.objects.get_or_create(
            kind=kind, content_type=ContentType.objects.get_for_model(target), object_id=target.pk, version=version,
            defaults={"organisation": published.meeting.organ.organisation},
        )[0]
        doc.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        doc.sha256 = "a" * 64
        doc.size = 13
        doc.status = RenderedDocument.Status.DONE
        doc.save()
        return doc

    full = issued("minutes.full", published.meeting)
    public = issued("minutes.public", published.meeting)
    certificate = RenderedDocument.objects.get(kind="notice.certificate")
    issued("notice.certificate", notice)
    for url in ("/anslagstavla/", f"/anslagstavla/anslag/{notice.pk}/"):
        text = client.get(url).content.decode()
        assert "<dt>Sammanträdesdatum</dt><dd>2023-11-02</dd>" in text
        assert public.get_download_url() in text
        assert certificate.get_download_url() in text
        assert full.get_download_url() not in text  # the full minutes may hold secrets
    assert public.get_download_url() in client.get(f"/protokoll/prov/2023/{published.meeting.pk}/").content.decode()
    assert public.get_download_url() in client.get("/protokoll/prov/2023/").content.decode()
    assert client.get(public.get_download_url()).status_code == 200
    assert client.get(full.get_download_url()).status_code in (302, 403, 404)
    kinds = {p["kind"] for p in client.get("/api/v1/public/papers").json()["items"]}
    assert kinds == {"minutes.public", "notice.certificate"}
    assert Meeting.objects.get(pk=published.meeting.pk).status == "justerat"


def test_board_filter_and_unknown_association(client, published, notice, other_org, on_day):
    assert client.get("/anslagstavla/?forbund=prov")["Location"] == "/anslagstavla/prov/"
    assert client.get("/anslagstavla/finns-inte/").status_code == 404
    other = client.get(f"/anslagstavla/{other_org.slug}/")
    assert other.status_code == 200 and notice.title not in other.content.decode()
    assert notice.title in client.get("/anslagstavla/prov/").content.decode()
    # The filter offers every association, the one shown selected, names escaped.
    other_org.name = 'Förbundet <i>"Öst"</i>'
    other_org.save()
    text = client.get("/anslagstavla/prov/").content.decode()
    assert '<option value="">Alla förbund</option>' in text and '<option value="prov" selected>' in text
    assert f'<option value="{other_org.slug}">Förbundet &lt;i&gt;&quot;Öst&quot;&lt;/i&gt;</option>' in text
    assert '<option value="" selected>Alla förbund</option>' in client.get("/anslagstavla/arkiv/").content.decode()


def test_the_menu_and_footer_link_to_the_site(client, secretary, login):
    """base.html's addresses come from the site_urls context processor, reversed once."""
    from django.urls import reverse

    text = client.get("/tillganglighet/").content.decode()
    for name in ("board:home", "public:board", "public:minutes_index", "public:search", "board:organisations",
                 "public:accessibility", "board:verify"):
        assert f'href="{reverse(name)}"' in text, name
    assert f'href="{reverse("login")}?next=/tillganglighet/"' in text
    signed_in = login(secretary).get("/tillganglighet/").content.decode()
    assert f'href="{reverse("board:dashboard")}"' in signed_in
    assert f'action="{reverse("logout")}"' in signed_in


def test_nowrap_dates_keeps_each_date_together_and_escapes_the_rest():
    from board.templatetags.samordna import nowrap_dates

    html = nowrap_dates('<script>x</script> sammanträde 2023-11-02, "2024-01-01"')
    assert html == ('&lt;script&gt;x&lt;/script&gt; sammanträde <span class="date">2023-11-02</span>, '
                    '&quot;<span class="date">2024-01-01</span>&quot;')
