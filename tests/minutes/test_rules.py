"""The rules of the minutes: quorum, votes, optimistic locking, sanitised text, uploads, kallelse."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from board.models import Appointment
from minutes.drafting import services
from minutes.drafting.rendering import body_text, clean_html, render_richtext
from minutes.drafting.selectors import minutes_document
from minutes.models import AgendaDocument, Attendance, Meeting, Paragraph, Vote
from tests.conftest import assert_timezones_defined, mail_outbox


def voters(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.filter(role=Attendance.Role.MEMBER).select_related("person").order_by("position"))


def quorum_of(meeting: Meeting, paragraph: Paragraph) -> services.Quorum:
    return services.meeting_quorum(meeting)[paragraph.pk]


# --- quorum --------------------------------------------------------------------------------


def test_the_test_board_has_five_seats_and_everyone_is_prefilled(meeting):
    assert services.seats_with_vote(meeting) == 5
    assert len(voters(meeting)) == 5
    assert meeting.attendances.filter(role=Attendance.Role.SUBSTITUTE).count() == 5
    assert meeting.attendances.get(function=Attendance.Function.CHAIR).person.first_name == "Ordforande"
    assert meeting.attendances.get(function=Attendance.Function.SECRETARY).role == Attendance.Role.OTHER


def test_quorum_needs_more_than_half_of_the_seats(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    rows = voters(meeting)
    for a in rows[:2]:
        services.attendance_set(meeting=meeting, person=a.person, role=Attendance.Role.ABSENT, actor=secretary)
    q = quorum_of(meeting, p)
    assert (q.count, q.needed, q.ok) == (3, 3, True)
    services.attendance_set(meeting=meeting, person=rows[2].person, role=Attendance.Role.ABSENT, actor=secretary)
    assert quorum_of(meeting, p).ok is False


def test_a_serving_substitute_counts_but_a_present_substitute_does_not(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    rows = voters(meeting)
    for a in rows[:3]:
        services.attendance_set(meeting=meeting, person=a.person, role=Attendance.Role.ABSENT, actor=secretary)
    assert quorum_of(meeting, p).ok is False
    sub = meeting.attendances.filter(role=Attendance.Role.SUBSTITUTE).first()
    services.attendance_set(
        meeting=meeting, person=sub.person, role=Attendance.Role.SERVING_SUBSTITUTE,
        replacing=rows[0].person, actor=secretary,
    )
    assert quorum_of(meeting, p).ok is True


def test_partial_presence_by_paragraph_range_changes_quorum_per_paragraph(meeting, secretary):
    first, second, third = (services.paragraph_add(meeting=meeting, title=t, actor=secretary) for t in "ABC")
    rows = voters(meeting)
    services.attendance_set(meeting=meeting, person=rows[0].person, role=Attendance.Role.ABSENT, actor=secretary)
    services.attendance_set(meeting=meeting, person=rows[1].person, role=Attendance.Role.ABSENT, actor=secretary)
    # Two of the three left were there only for the first two paragraphs ("§§ 1–2").
    for a in rows[2:4]:
        services.attendance_set(meeting=meeting, person=a.person, until_paragraph=second, actor=secretary)
    q = services.meeting_quorum(meeting)
    assert q[first.pk].ok and q[second.pk].ok
    assert q[third.pk].count == 1 and not q[third.pk].ok
    doc = minutes_document(meeting)
    assert [pv.paragraph.pk for pv in doc.quorum_problems] == [third.pk]


def test_partial_presence_by_time_uses_the_time_the_paragraph_was_handled(meeting, secretary):
    early = services.paragraph_add(meeting=meeting, title="Tidigt", handled_at=dt.time(9, 0), actor=secretary)
    late = services.paragraph_add(meeting=meeting, title="Sent", handled_at=dt.time(10, 0), actor=secretary)
    unknown = services.paragraph_add(meeting=meeting, title="Okänd tid", actor=secretary)
    late_comer = voters(meeting)[4]
    services.attendance_set(meeting=meeting, person=late_comer.person, present_from=dt.time(9, 50), actor=secretary)
    q = services.meeting_quorum(meeting)
    assert late_comer.person not in q[early.pk].present
    assert late_comer.person in q[late.pk].present
    assert late_comer.person in q[unknown.pk].uncertain


def test_jav_removes_the_member_from_the_paragraph_and_the_minutes_say_so(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Avtal med kommun A", actor=secretary)
    other = services.paragraph_add(meeting=meeting, title="Övrigt", actor=secretary)
    rows = voters(meeting)
    for a in rows[:2]:
        services.attendance_set(meeting=meeting, person=a.person, role=Attendance.Role.ABSENT, actor=secretary)
    assert quorum_of(meeting, p).ok
    services.recusal_add(paragraph=p, person=rows[2].person, actor=secretary)
    q = services.meeting_quorum(meeting)
    assert not q[p.pk].ok and q[other.pk].ok
    doc = minutes_document(meeting)
    text = [pv for pv in doc.paragraphs if pv.paragraph.pk == p.pk][0]
    assert text.recused_names == [rows[2].person.full_name]


def test_a_member_with_jav_cannot_vote_or_reserve(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Avtal", actor=secretary)
    rows = voters(meeting)
    services.recusal_add(paragraph=p, person=rows[1].person, actor=secretary)
    with pytest.raises(ValidationError, match="Bara beslutande som deltar"):
        services.vote_record(
            paragraph=p, yes_text="Bifall", no_text="Avslag", actor=secretary,
            ballots={rows[0].person: "ja", rows[1].person: "nej"},
        )
    with pytest.raises(ValidationError, match="jäv"):
        services.reservation_add(paragraph=p, person=rows[1].person, motivation="Nej", actor=secretary)


# --- votes ---------------------------------------------------------------------------------


def test_a_majority_decides(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    r = voters(meeting)
    vote = services.vote_record(
        paragraph=p, yes_text="Ordförandens förslag", no_text="Avslag", actor=secretary,
        ballots={r[0].person: "ja", r[1].person: "ja", r[2].person: "ja", r[3].person: "nej", r[4].person: "avstar"},
    )
    assert (vote.yes_count, vote.no_count, vote.abstain_count) == (3, 1, 1)
    assert vote.result == "ja" and vote.decided_by == Vote.DecidedBy.MAJORITY
    assert vote.ballots.count() == 5 and vote.proposals.count() == 2


def test_a_tie_is_decided_by_the_chairs_casting_vote(meeting, secretary, chair):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    r = [a for a in voters(meeting) if a.person != chair.person]
    vote = services.vote_record(
        paragraph=p, yes_text="Bifall", no_text="Avslag", actor=secretary,
        ballots={chair.person: "nej", r[0].person: "nej", r[1].person: "ja", r[2].person: "ja"},
    )
    assert vote.result == "nej" and vote.decided_by == Vote.DecidedBy.CASTING and vote.casting_vote == "nej"


def test_a_tie_without_the_chairs_vote_needs_the_casting_vote_stated(meeting, secretary, chair):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    r = [a for a in voters(meeting) if a.person != chair.person]
    ballots = {r[0].person: "nej", r[1].person: "ja"}
    with pytest.raises(ValidationError, match="utslagsröst"):
        services.vote_record(paragraph=p, yes_text="Bifall", no_text="Avslag", ballots=ballots, actor=secretary)
    vote = services.vote_record(
        paragraph=p, yes_text="Bifall", no_text="Avslag", ballots=ballots, casting_vote="ja", actor=secretary
    )
    assert vote.result == "ja" and vote.decided_by == Vote.DecidedBy.CASTING


@pytest.mark.parametrize("kind", [Vote.Kind.ELECTION, Vote.Kind.PERSONNEL])
def test_a_tie_in_an_election_or_personnel_matter_is_decided_by_lot(meeting, secretary, chair, kind):
    p = services.paragraph_add(meeting=meeting, title="Val av vice ordförande", actor=secretary)
    r = [a for a in voters(meeting) if a.person != chair.person]
    ballots = {chair.person: "ja", r[0].person: "nej"}
    with pytest.raises(ValidationError, match="lotten avgör"):
        services.vote_record(paragraph=p, kind=kind, yes_text="A", no_text="B", ballots=ballots, actor=secretary)
    vote = services.vote_record(
        paragraph=p, kind=kind, yes_text="A", no_text="B", ballots=ballots, lot_result="nej", actor=secretary
    )
    assert vote.result == "nej" and vote.decided_by == Vote.DecidedBy.LOT and vote.casting_vote == ""


def test_only_members_with_vote_may_vote(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    substitute = meeting.attendances.filter(role=Attendance.Role.SUBSTITUTE).first()
    with pytest.raises(ValidationError, match="Bara beslutande"):
        services.vote_record(
            paragraph=p, yes_text="A", no_text="B", ballots={substitute.person: "ja"}, actor=secretary
        )


def test_reservation_and_note_appear_in_the_preview(meeting, secretary, login):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    r = voters(meeting)
    services.reservation_add(paragraph=p, person=r[1].person, motivation="Budgeten är för hög.", actor=secretary)
    services.note_add(paragraph=p, text="Kommun B vill ha en uppföljning.", actor=secretary)
    html = login(secretary).get(f"/sammantraden/{meeting.pk}/protokoll/forhandsvisning/").content.decode()
    assert f"{r[1].person.full_name} reserverar sig mot beslutet. Budgeten är för hög." in html
    assert "Kommun B vill ha en uppföljning." in html


# --- optimistic locking ----------------------------------------------------------------------


def test_a_stale_save_is_refused_and_shows_the_other_persons_text(meeting, secretary, site_admin):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    seen = p.version
    services.paragraph_update(paragraph=p, expected_version=seen, body="Admins text", actor=site_admin)
    with pytest.raises(services.StaleParagraph) as info:
        services.paragraph_update(
            paragraph=p, expected_version=seen, body="Sekreterarens text", clauses=["Att X"], actor=secretary
        )
    assert "Admins text" in str(info.value) and "admin" in str(info.value)
    p.refresh_from_db()
    assert p.body == "<p>Admins text</p>" and p.version == seen + 1 and p.clauses.count() == 0


def test_the_stale_save_in_the_editor_keeps_the_users_text(meeting, secretary, site_admin, login):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    services.paragraph_update(paragraph=p, expected_version=1, body="Admins text", actor=site_admin)
    response = login(secretary).post(
        f"/paragrafer/{p.pk}/", {"version": 1, "title": "Budget", "body": "Min egen text"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "inte sparad" in html and "Admins text" in html and 'role="alert"' in html
    assert "hx-swap-oob" not in html  # the form keeps the old version: the next autosave fails too
    plain = login(secretary).post(f"/paragrafer/{p.pk}/", {"version": 1, "title": "Budget", "body": "Min egen text"})
    assert plain.status_code == 409
    assert "Min egen text" in plain.content.decode() and "Admins text" in plain.content.decode()


# --- the body's sanitised HTML subset -------------------------------------------------------

HOSTILE = (
    '<p onclick="steal()" style="color:red" class="MsoNormal"><b>Viktigt</b> <span style="font-family:Arial">och</span> '
    '<i>kursivt</i></p><script>alert("x")</script><ul><li>ett</li><li>två</li></ul>'
    '<p><a href="javascript:alert(1)">dålig länk</a> <a href="https://example.se/a" target="_blank" onmouseover="x()">bra länk</a></p>'
    '<style>p {color: red}</style><!-- en kommentar --><p><img src=x onerror=alert(1)><font color="red">röd</font></p>'
    '<table style="border:1px"><tr><td class="x">1</td><td>2</td></tr></table>'
)
CLEAN = (
    "<p><strong>Viktigt</strong> och <em>kursivt</em></p><ul><li>ett</li><li>två</li></ul>"
    '<p><a>dålig länk</a> <a href="https://example.se/a">bra länk</a></p><p>röd</p>'
    "<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
)


def test_clean_html_keeps_the_subset_and_drops_everything_hostile():
    assert clean_html(HOSTILE) == CLEAN
    assert clean_html("Rad ett\nrad två\n\n1 < 2 & <b>inte fet</b>") == (
        "<p>Rad ett<br>rad två</p><p>1 &lt; 2 &amp; &lt;b&gt;inte fet&lt;/b&gt;</p>"  # plain text stays text
    )
    assert clean_html("<p><br></p><p>Text</p><p></p>") == "<p>Text</p>"
    assert clean_html("") == "" and clean_html(None) == ""


def test_a_hostile_body_is_stored_clean_and_rendered_clean(meeting, secretary, login):
    p = services.paragraph_add(meeting=meeting, title="Info", body=HOSTILE, actor=secretary)
    assert p.body == CLEAN  # sanitised on save
    page = login(secretary).get(f"/sammantraden/{meeting.pk}/protokoll/forhandsvisning/").content.decode()
    assert "<strong>Viktigt</strong>" in page and "<li>två</li>" in page
    assert 'href="https://example.se/a" rel="noopener noreferrer"' in page
    for bad in ("alert(", "onclick", "onerror", "javascript:", "MsoNormal", "font-family", "<font", "en kommentar"):
        assert bad not in page, bad
    editor = login(secretary).get(f"/sammantraden/{meeting.pk}/protokoll/").content.decode()
    assert "<script>alert" not in editor and "onclick" not in editor


def test_a_markdown_body_from_before_the_html_subset_still_renders():
    """The signed snapshots of justerade minutes keep the Markdown they were written in."""
    html = str(render_richtext("**Viktigt**\n\n- ett\n- två\n\n<script>alert('x')</script>[länk](javascript:alert(1))"))
    assert "<strong>Viktigt</strong>" in html and "<li>ett</li>" in html
    assert "<script" not in html and "alert('x')" not in html and "javascript:" not in html
    assert body_text("**Viktigt**\n\n- ett") == "Viktigt\nett"
    assert body_text(CLEAN) == "Viktigt och kursivt\nett\ntvå\ndålig länk bra länk\nröd\n1\n2"


# --- uploads -------------------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("budget.pdf", b"%PDF-1.7\n1 0 obj\n%%EOF\n", "pdf"),
    ("tjansteskrivelse.docx", DOCX, "docx"),
    ("medlemsinsats.xlsx", XLSX, "xlsx"),
    ("protokoll.odt", ODT, "odt"),
    ("fel-namn.pdf", DOCX, "docx"),  # the content decides, and the stored name follows it
])
def test_documents_are_accepted_by_content(meeting, secretary, media, name, content, kind):
    doc = services.document_add(meeting=meeting, title="", upload=SimpleUploadedFile(name, content), actor=secretary)
    assert doc.file_type == kind and doc.file.name.endswith(f".{kind}") and doc.size == len(content)
    assert doc.title == name.rsplit(".", 1)[0]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.pdf", b"MZ\x90\x00 this is an exe renamed to pdf", "inte en PDF"),
    ("bild.pdf", b"\x89PNG\r\n\x1a\n....", "inte en PDF"),
    ("tom.pdf", b"", "tom"),
    ("arkiv.docx", _zip({"hello.txt": b"hej"}), "inte en PDF"),
    ("ods.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "inte en PDF"),
])
def test_wrong_or_empty_files_are_refused(meeting, secretary, media, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.document_add(meeting=meeting, title="X", upload=SimpleUploadedFile(name, content), actor=secretary)
    assert not AgendaDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_too_large_file_is_refused(meeting, secretary, media, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="för stor"):
        services.document_add(
            meeting=meeting, title="Stor", upload=SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * 1000),
            actor=secretary,
        )
    assert not AgendaDocument.objects.exists()


def test_the_upload_form_shows_the_reason(meeting, secretary, media, login):
    response = login(secretary).post(
        f"/sammantraden/{meeting.pk}/handlingar/",
        {"title": "Virus", "file": SimpleUploadedFile("virus.pdf", b"MZ not a pdf")}, follow=True,
    )
    assert "inte en PDF, DOCX, XLSX eller ODT" in response.content.decode()
    assert not AgendaDocument.objects.exists()


# --- kallelse ------------------------------------------------------------------------------


def test_the_kallelse_goes_to_every_board_member_with_an_ics(meeting, secretary, board):
    services.agenda_item_add(meeting=meeting, title="Val av justerare", actor=secretary)
    services.agenda_item_add(meeting=meeting, title="Budget 2024", dnr="PRV 2023/4", actor=secretary)
    sent = services.kallelse_send(meeting=meeting, actor=secretary)
    on_board = {a.person.email for a in Appointment.objects.filter(organ=board.organ)}
    assert set(sent) == on_board and len(mail_outbox()) == len(on_board) == 10
    message = mail_outbox()[0]
    assert f"/sammantraden/{meeting.pk}/" in message.body and "2. Budget 2024" in message.body
    name, ics, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == "2023-08-29T08:30:00+02:00"
    assert str(event.get("location")) == "Hotell Scheele i Köping"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CALLED and meeting.kallelse_sent_at is not None


def test_a_kallelse_without_agenda_is_refused(meeting, secretary):
    with pytest.raises(ValidationError, match="dagordningen"):
        services.kallelse_send(meeting=meeting, actor=secretary)
    assert mail_outbox() == []


# --- standard paragraphs and adjusters -----------------------------------------------------


def test_starting_the_minutes_offers_standard_paragraphs_around_the_agenda(meeting, secretary):
    services.agenda_item_add(meeting=meeting, title="Budget 2024", dnr="PRV 2023/4",
                             proposed_decision="Att anta budgeten", actor=secretary)
    services.minutes_start(meeting=meeting, actor=secretary)
    titles = list(meeting.paragraphs.order_by("number").values_list("title", "kind"))
    assert titles == [
        ("Val av justerare", "val_av_justerare"), ("Godkännande av dagordning", "dagordning"),
        ("Föregående protokoll", "foregaende_protokoll"), ("Budget 2024", ""),
        ("Övriga frågor", "ovriga_fragor"), ("Mötets avslutande", "avslutande"),
    ]
    budget = meeting.paragraphs.get(title="Budget 2024")
    assert budget.dnr == "PRV 2023/4" and [c.text for c in budget.clauses.all()] == ["Att anta budgeten"]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFTING


def test_adjusters_are_chosen_among_those_present_and_not_the_chair(meeting, secretary, chair, member):
    services.minutes_start(meeting=meeting, actor=secretary, from_agenda=False)
    with pytest.raises(ValidationError, match="Ordföranden"):
        services.adjusters_set(meeting=meeting, persons=[chair.person], actor=secretary)
    chosen = services.adjusters_set(meeting=meeting, persons=[member.person], actor=secretary)
    assert chosen[0].chosen_in.kind == Paragraph.Kind.ADJUSTERS
    assert [a.person for a in meeting.adjusters.all()] == [member.person]


def test_signed_minutes_cannot_be_edited(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SIGNED)
    with pytest.raises(ValidationError, match="justerat"):
        services.paragraph_update(paragraph=p, expected_version=p.version, body="Ny", actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        services.paragraph_move(paragraph=p, position=1, actor=secretary)
    with pytest.raises(ValidationError, match="Protokollet är justerat och kan inte ändras"):
        services.attendance_set(meeting=meeting, person=voters(meeting)[0].person, role="franvarande", actor=secretary)


def test_every_change_is_in_the_history_with_the_actor(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    services.paragraph_update(paragraph=p, expected_version=1, body="Text", actor=secretary)
    assert p.history.count() == 2
    assert {h.history_user for h in p.history.all()} == {secretary}


def test_more_people_with_vote_than_seats_is_flagged_not_counted(meeting, secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    sub = meeting.attendances.filter(role=Attendance.Role.SUBSTITUTE).first()
    services.attendance_set(meeting=meeting, person=sub.person, role=Attendance.Role.SERVING_SUBSTITUTE, actor=secretary)
    q = quorum_of(meeting, p)
    assert q.count == 5 and q.overfull and len(q.present) == 6


def test_the_meeting_s_calendar_file_defines_its_time_zone(meeting, secretary, login):
    services.agenda_item_add(meeting=meeting, title="Val av justerare", actor=secretary)
    sent = services.kallelse_send(meeting=meeting, actor=secretary)
    assert sent
    _name, attached, _mimetype = mail_outbox()[0].attachments[0]
    assert_timezones_defined(attached if isinstance(attached, bytes) else attached.encode())
    response = login(secretary).get(f"/sammantraden/{meeting.pk}/kalender.ics")
    assert response.status_code == 200
    assert_timezones_defined(response.content)
