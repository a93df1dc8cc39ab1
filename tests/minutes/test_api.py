"""/api/v1/ for the minutes: the editor's actions with a token, same rules, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from board.models import ApiToken
from minutes.drafting import services
from minutes.models import Attendance, Meeting, Paragraph


def api(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_secretary_drafts_minutes_through_the_api(board, secretary, chair, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = api(secretary)
    r = c.post("/api/v1/meetings", {
        "organ_id": board.organ.pk, "date": "2023-11-02", "start_time": "08:30", "end_time": "09:30",
        "is_remote": True, "kind": "extra",
    }, content_type="application/json")
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    item = c.post(f"/api/v1/meetings/{mid}/agenda", {"title": "Tilläggsäskande", "dnr": "PRV 2023/9",
                  "proposed_decision": "Att bevilja 120 tkr"}, content_type="application/json").json()
    doc = c.post(f"/api/v1/meetings/{mid}/documents", {
        "title": "Tjänsteskrivelse", "agenda_item_id": item["id"],
        "file": SimpleUploadedFile("ts.pdf", b"%PDF-1.7\n%%EOF\n"),
    })
    assert doc.status_code == 201 and doc.json()["file_type"] == "pdf"
    bad = c.post(f"/api/v1/meetings/{mid}/documents", {"file": SimpleUploadedFile("x.pdf", b"GIF89a")})
    assert bad.status_code == 422 and "file" in bad.json()["detail"]
    assert len(c.post(f"/api/v1/meetings/{mid}/attendance/prefill").json()) == 11  # 10 seats + the secretary
    paragraphs = c.post(f"/api/v1/meetings/{mid}/minutes/start", {}, content_type="application/json").json()
    assert [p["label"] for p in paragraphs] == [f"PRV § {i}" for i in range(1, 7)]
    budget = next(p for p in paragraphs if p["title"] == "Tilläggsäskande")
    assert budget["clauses"] == ["Att bevilja 120 tkr"]

    saved = c.patch(f"/api/v1/paragraphs/{budget['id']}", {"version": budget["version"], "body": "<p>Text</p>",
                    "clauses": ["Att bevilja 120 tkr", "Att återrapportera"]}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == budget["version"] + 1
    stale = c.patch(f"/api/v1/paragraphs/{budget['id']}", {"version": budget["version"], "body": "Gammal"},
                    content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["body"] == "<p>Text</p>"

    added = c.post(f"/api/v1/meetings/{mid}/paragraphs", {"title": "Extra punkt", "position": 1},
                   content_type="application/json")
    assert added.status_code == 201 and added.json()["number"] == 1
    moved = c.post(f"/api/v1/paragraphs/{added.json()['id']}/move", {"position": 7},
                   content_type="application/json").json()
    assert [p["number"] for p in moved] == list(range(1, 8)) and moved[-1]["title"] == "Extra punkt"

    meeting = Meeting.objects.get(pk=mid)
    r1, r2, r3 = [a.person_id for a in meeting.attendances.filter(role="beslutande").exclude(person=chair.person)][:3]
    vote = c.post(f"/api/v1/paragraphs/{budget['id']}/votes", {
        "yes_text": "Bifall", "no_text": "Avslag", "ballots": {str(chair.person.pk): "ja", str(r1): "nej"},
    }, content_type="application/json")
    assert vote.status_code == 201 and vote.json()["result"] == "ja" and vote.json()["decided_by"] == "utslagsrost"
    assert c.post(f"/api/v1/paragraphs/{budget['id']}/reservations", {"person_id": r1, "text": "För dyrt"},
                  content_type="application/json").status_code == 201
    assert c.post(f"/api/v1/paragraphs/{budget['id']}/recusals", {"person_id": r2},
                  content_type="application/json").status_code == 201
    r = c.put(f"/api/v1/meetings/{mid}/attendance", {"person_id": r3, "present_from": "08:45", "is_remote": True},
              content_type="application/json")
    assert r.status_code == 200 and r.json()["present_from"] == "08:45:00"
    assert c.put(f"/api/v1/meetings/{mid}/adjusters", {"person_ids": [member.person.pk]},
                 content_type="application/json").json() == [member.person.pk]
    listing = c.get(f"/api/v1/meetings/{mid}/paragraphs").json()
    budget_out = next(p for p in listing if p["id"] == budget["id"])
    assert budget_out["quorum"]["present"] == 3  # five seats, r2 jävig, r3 from 08:45 with no time on the §
    assert budget_out["reservations"][0]["text"] == "För dyrt"
    assert c.get(f"/api/v1/organisations/{board.organisation.slug}/meetings").json()["items"][0]["paragraphs"] == "PRV §§ 1–7"


def test_the_api_takes_and_gives_the_html_subset_and_drops_hostile_markup(meeting, secretary):
    c = api(secretary)
    hostile = (
        '<p style="color:red" onclick="x()"><b>Fet</b> <span class="MsoNormal">text</span></p>'
        '<script>alert(1)</script><ol><li><a href="javascript:alert(1)">a</a> <a href="mailto:a@b.se">b</a></li></ol>'
    )
    clean = '<p><strong>Fet</strong> text</p><ol><li><a>a</a> <a href="mailto:a@b.se">b</a></li></ol>'
    added = c.post(f"/api/v1/meetings/{meeting.pk}/paragraphs", {"title": "Info", "body": hostile},
                   content_type="application/json")
    assert added.status_code == 201 and added.json()["body"] == clean
    p = added.json()
    patched = c.patch(f"/api/v1/paragraphs/{p['id']}", {"version": p["version"], "body": hostile + "<p>Mer</p>"},
                      content_type="application/json")
    assert patched.status_code == 200 and patched.json()["body"] == clean + "<p>Mer</p>"
    assert Paragraph.objects.get(pk=p["id"]).body == clean + "<p>Mer</p>"
    listed = c.get(f"/api/v1/meetings/{meeting.pk}/paragraphs").json()
    assert next(x for x in listed if x["id"] == p["id"])["body"] == clean + "<p>Mer</p>"
    schema = c.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "HTML subset" in schema["ParagraphIn"]["properties"]["body"]["description"]
    assert "javascript:" in schema["ParagraphPatch"]["properties"]["body"]["description"]


def test_errors_are_422_with_field_reasons(board, meeting, secretary):
    c = api(secretary)
    r = c.post("/api/v1/meetings", {"organ_id": board.organ.pk, "date": "2023-11-02"}, content_type="application/json")
    assert r.status_code == 422 and "place" in r.json()["detail"]
    p = services.paragraph_add(meeting=meeting, title="A", actor=secretary)
    r = c.patch(f"/api/v1/paragraphs/{p.pk}", {"version": 1, "title": " "}, content_type="application/json")
    assert r.status_code == 422 and "title" in r.json()["detail"]
    r = c.patch(f"/api/v1/paragraphs/{p.pk}", {"version": 1, "is_confidential": True}, content_type="application/json")
    assert r.status_code == 422 and "osl_reference" in r.json()["detail"]
    r = c.post(f"/api/v1/paragraphs/{p.pk}/votes", {"yes_text": "A", "no_text": "B", "ballots": {}},
               content_type="application/json")
    assert r.status_code == 422 and "ballots" in r.json()["detail"]
    r = c.put(f"/api/v1/meetings/{meeting.pk}/attendance", {"person_id": 999999, "role": "beslutande"},
              content_type="application/json")
    assert r.status_code == 422 and "person_id" in r.json()["detail"]
    assert Paragraph.objects.get(pk=p.pk).version == 1


@pytest.fixture
def endpoints(meeting, secretary):
    services.agenda_item_add(meeting=meeting, title="Budget", actor=secretary)
    services.minutes_start(meeting=meeting, actor=secretary)
    p = meeting.paragraphs.first()
    a = meeting.attendances.first()
    item = meeting.agenda_items.first()
    v = services.vote_record(
        paragraph=p, yes_text="A", no_text="B", actor=secretary,
        ballots={a.person: "ja" for a in meeting.attendances.filter(role=Attendance.Role.MEMBER)[:1]},
    )
    reads = [
        f"/api/v1/organisations/{meeting.organ.organisation.slug}/meetings", f"/api/v1/meetings/{meeting.pk}",
        f"/api/v1/meetings/{meeting.pk}/agenda", f"/api/v1/meetings/{meeting.pk}/documents",
        f"/api/v1/meetings/{meeting.pk}/attendance", f"/api/v1/meetings/{meeting.pk}/paragraphs",
        f"/api/v1/paragraphs/{p.pk}", f"/api/v1/meetings/{meeting.pk}/kallelse.ics",
    ]
    writes = [
        ("patch", f"/api/v1/meetings/{meeting.pk}"), ("post", f"/api/v1/meetings/{meeting.pk}/kallelse"),
        ("post", f"/api/v1/meetings/{meeting.pk}/minutes/start"), ("post", f"/api/v1/meetings/{meeting.pk}/agenda"),
        ("patch", f"/api/v1/agenda/{item.pk}"), ("post", f"/api/v1/agenda/{item.pk}/move"),
        ("delete", f"/api/v1/agenda/{item.pk}"), ("post", f"/api/v1/meetings/{meeting.pk}/documents"),
        ("post", f"/api/v1/meetings/{meeting.pk}/attendance/prefill"),
        ("put", f"/api/v1/meetings/{meeting.pk}/attendance"), ("delete", f"/api/v1/attendance/{a.pk}"),
        ("put", f"/api/v1/meetings/{meeting.pk}/adjusters"), ("post", f"/api/v1/meetings/{meeting.pk}/paragraphs"),
        ("patch", f"/api/v1/paragraphs/{p.pk}"), ("post", f"/api/v1/paragraphs/{p.pk}/move"),
        ("delete", f"/api/v1/paragraphs/{p.pk}"), ("put", f"/api/v1/paragraphs/{p.pk}/decision"),
        ("post", f"/api/v1/paragraphs/{p.pk}/votes"), ("delete", f"/api/v1/votes/{v.pk}"),
        ("post", f"/api/v1/paragraphs/{p.pk}/reservations"), ("post", f"/api/v1/paragraphs/{p.pk}/notes"),
        ("post", f"/api/v1/paragraphs/{p.pk}/recusals"), ("delete", f"/api/v1/paragraphs/{p.pk}/notes/1"),
    ]
    return reads, writes


BODIES = {
    "/move": {"position": 1}, "/adjusters": {"person_ids": []}, "/votes": {"yes_text": "A", "no_text": "B", "ballots": {}},
    "/attendance": {"person_id": 1, "role": "franvarande"},
}


def _body(url: str) -> dict:
    for suffix, body in BODIES.items():
        if url.endswith(suffix):
            return body
    return {"title": "Inbrytning", "version": 1, "position": 1}


def test_the_outsider_gets_404_on_every_endpoint(endpoints, outsider, meeting):
    reads, writes = endpoints
    c = api(outsider)
    for url in reads:
        assert c.get(url).status_code == 404, url
    for method, url in writes:
        r = getattr(c, method)(url, _body(url), content_type="application/json")
        assert r.status_code == 404, (method, url, r.status_code)
    assert meeting.paragraphs.count() == 6 and not Paragraph.objects.filter(title="Inbrytning").exists()


def test_a_member_reads_but_may_not_write(endpoints, member):
    reads, writes = endpoints
    c = api(member)
    for url in reads:
        assert c.get(url).status_code == 200, url
    for method, url in writes:
        r = getattr(c, method)(url, _body(url), content_type="application/json")
        assert r.status_code in (403, 404) if url.endswith("/notes/1") else r.status_code == 403, (method, url)


def test_the_outsider_cannot_create_a_meeting_in_another_association(board, outsider):
    r = api(outsider).post("/api/v1/meetings", {"organ_id": board.organ.pk, "date": "2023-11-02", "place": "X"},
                           content_type="application/json")
    assert r.status_code == 422 and not Meeting.objects.exists()


def test_no_token_no_entry(endpoints, client):
    reads, writes = endpoints
    for url in reads:
        assert client.get(url).status_code == 401, url
    for method, url in writes:
        assert getattr(client, method)(url, {}, content_type="application/json").status_code == 401, url
    assert client.post("/api/v1/meetings", {}, content_type="application/json").status_code == 401


def test_a_meeting_date_moves_within_the_year_and_numbers_follow(board, secretary):
    c = api(secretary)
    a = services.meeting_create(organ=board.organ, date=dt.date(2023, 3, 1), place="X", actor=secretary)
    b = services.meeting_create(organ=board.organ, date=dt.date(2023, 5, 1), place="X", actor=secretary)
    services.paragraph_add(meeting=a, title="A", actor=secretary)
    services.paragraph_add(meeting=b, title="B", actor=secretary)
    assert c.patch(f"/api/v1/meetings/{a.pk}", {"date": "2023-06-01"}, content_type="application/json").status_code == 200
    assert a.paragraphs.get().number == 2 and b.paragraphs.get().number == 1
    r = c.patch(f"/api/v1/meetings/{a.pk}", {"date": "2024-01-10"}, content_type="application/json")
    assert r.status_code == 422 and "date" in r.json()["detail"]


def test_the_drafting_operations_keep_their_ids_across_the_modules_by_area(client):
    """Clients generated from the document name the operations minutes_api_<name>; the
    endpoints live in minutes.drafting.api.<area> (config/api.py keeps the ids)."""
    doc = client.get("/api/v1/openapi.json").json()
    ids = {f"{m.upper()} {path}": op["operationId"] for path, ops in doc["paths"].items() for m, op in ops.items()}
    assert ids["GET /api/v1/organisations/{slug}/meetings"] == "minutes_api_meeting_list"
    assert ids["PATCH /api/v1/agenda/{pk}"] == "minutes_api_agenda_update"
    assert ids["PUT /api/v1/meetings/{pk}/attendance"] == "minutes_api_attendance_set"
    assert ids["DELETE /api/v1/paragraphs/{pk}/{kind}/{child_pk}"] == "minutes_api_child_delete"
    assert sum(i.startswith("minutes_api_") for i in ids.values()) == 39  # 33, and 6 of text modules
    assert ids["GET /api/v1/meetings/{pk}/text-modules"] == "minutes_api_meeting_text_modules"
    assert not [i for i in ids.values() if i.startswith("minutes_drafting")]
