"""People, not logins (issue 16, point 7): every page, message and mail names a person by their
name and a role by its label, never by a login or an internal key.

The users' logins ("u-sekr-7f3a") cannot collide with any name or word on a page, so finding
one in the HTML means a login was printed. The role keys that differ from their labels
("ordforande", "franvarande") must not be in the text a reader sees (an option's value or a
CSS class may hold them).
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from board.models import Appointment, OutgoingMail, StaffRole
from board.people import display_name
from minutes.drafting import services as drafting
from minutes.justering import services as justering
from minutes.models import Meeting, Paragraph
from tests.conftest import PASSWORD, client_for
from tests.factories import AppointmentFactory, PersonFactory, StaffRoleFactory, UserFactory
from tests.justering.conftest import build_minutes, signing_request
from tests.test_bad_input import api

SECRETARY_LOGIN = "u-sekr-7f3a"
CHAIR_LOGIN = "u-ordf-9c1e"
MEMBER_LOGIN = "u-led-2b8d"
ADMIN_LOGIN = "u-admin-5e0c"
LOGINS = (SECRETARY_LOGIN, CHAIR_LOGIN, MEMBER_LOGIN, ADMIN_LOGIN)

# Keys of the role, function, status and kind choices that read differently from their labels.
RAW_KEYS = re.compile(
    r"\b(ordforande|vice_ordforande|franvarande|tjanstgorande_ersattare|narvarande_ersattare|"
    r"ersattare|forbundschef|utvecklingsledare|under_justering|protokoll_under_arbete|genomfort|"
    r"genomford|avbojd|upplast|foreslagen|val_av_justerare|foregaende_protokoll|ovriga_fragor|"
    r"till_handlingarna|inget_beslut|kungorelse)\b",
    re.IGNORECASE,
)


class _Text(HTMLParser):
    """The text a reader meets: text nodes and the attributes read out (aria-label, title, alt,
    placeholder, a button's value), not scripts, styles or an option's value."""

    READ = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        found = dict(attrs)
        self.parts.extend(v for k, v in attrs if k in self.READ and v)
        if tag == "input" and found.get("type") in {"submit", "button"} and found.get("value"):
            self.parts.append(found["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def assert_people_not_logins(html: str, where: str, *names: str) -> None:
    for login in LOGINS:
        assert login not in html, f"{where}: the login {login!r} is shown"
    text = visible_text(html)
    keys = sorted({m.group(0) for m in RAW_KEYS.finditer(text)})
    assert not keys, f"{where}: internal keys shown: {keys}"
    for name in names:
        assert name in text, f"{where}: {name!r} is not named"


# The three people of the minutes, with logins that are no names.


@pytest.fixture
def secretary(board):
    user = UserFactory(username=SECRETARY_LOGIN)
    person = PersonFactory(first_name="Ann", last_name="Rilegård", user=user, email="ann@example.se")
    StaffRoleFactory(organisation=board.organisation, person=person, role=StaffRole.Role.SECRETARY,
                     start=dt.date(2020, 1, 1))
    return user


@pytest.fixture
def chair(board):
    user = UserFactory(username=CHAIR_LOGIN)
    person = PersonFactory(first_name="Elisabet", last_name="Pettersson", user=user, email="elisabet@example.se")
    AppointmentFactory(organ=board.organ, person=person, seat=Appointment.Seat.MEMBER,
                       role=Appointment.Role.CHAIR, appointed_by=board.members[0], start=dt.date(2020, 1, 1))
    return user


@pytest.fixture
def member(board):
    user = UserFactory(username=MEMBER_LOGIN)
    person = PersonFactory(first_name="Roger", last_name="Ingvarsson", user=user, email="roger@example.se")
    AppointmentFactory(organ=board.organ, person=person, seat=Appointment.Seat.MEMBER,
                       appointed_by=board.members[1], start=dt.date(2020, 1, 1))
    return user


@pytest.fixture
def named_admin(db):
    """A site admin without a person: named by the name on the login."""
    return UserFactory(username=ADMIN_LOGIN, first_name="Kim", last_name="Lind", is_staff=True, is_superuser=True)


@pytest.fixture
def walked(board, secretary, chair, member, named_admin, media_in_tmp):
    """Minutes with a conflict in the editor, a paragraph's history by two people, a declined
    version, a comment and the chair's signature: every place a person is named."""
    meeting = build_minutes(board, secretary, chair, member)
    first = meeting.paragraphs.get(title__startswith="Tilläggsäskande")
    drafting.paragraph_update(paragraph=first, expected_version=first.version, body="Kims text", actor=named_admin)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    justering.justering_decline(meeting=meeting, reason="Fel belopp i § 4.", actor=member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    justering.justering_comment_add(meeting=meeting, text="Ser bra ut.", actor=chair)
    justering.justering_sign(meeting=meeting, actor=chair, password=PASSWORD, request=signing_request())
    return Meeting.objects.get(pk=meeting.pk)


PEOPLE = ("Ann Rilegård", "Elisabet Pettersson", "Roger Ingvarsson")


def _pages(meeting: Meeting, paragraph: Paragraph, user) -> dict[str, tuple[str, ...]]:
    """Each page a signer reads, with the names it must show (beside the header's own)."""
    org = meeting.organ.organisation
    return {
        reverse("minutes:meetings", args=[org.slug]): (),
        reverse("minutes:my_meetings"): (),
        reverse("minutes:kallelse", args=[meeting.pk]): (),
        reverse("minutes:preview", args=[meeting.pk]): PEOPLE,
        reverse("minutes:justering", args=[meeting.pk]): PEOPLE,
        reverse("minutes:justering_history", args=[meeting.pk]): ("Elisabet Pettersson", "Roger Ingvarsson"),
        reverse("minutes:paragraph_history", args=[paragraph.pk]): ("Ann Rilegård", "Kim Lind"),
        reverse("board:dashboard"): (),
        reverse("board:organisation", args=[org.slug]): ("Elisabet Pettersson", "Roger Ingvarsson"),
        reverse("board:person", args=[user.person.pk]): (),
        reverse("board:two_factor"): (),
        reverse("board:passkeys"): (),
        reverse("minutes:eid_identify"): (),
    }


@pytest.mark.parametrize("who", ["secretary", "chair", "member"])
def test_the_pages_name_people_never_logins_or_keys(who, walked, request):
    user = request.getfixturevalue(who)
    paragraph = walked.paragraphs.get(title__startswith="Tilläggsäskande")
    client = client_for(user)
    pages = _pages(walked, paragraph, user)
    if who == "secretary":
        pages[reverse("minutes:editor", args=[walked.pk])] = PEOPLE
    own = display_name(user)
    for url, names in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_people_not_logins(html, url, own, *names)
        assert f"Logga ut {own}" in visible_text(html), url


def test_justerade_minutes_name_who_signed(walked, secretary, member, login):
    for user in (member, secretary):
        justering.justering_sign(meeting=walked, actor=user, password=PASSWORD, request=signing_request())
    assert Meeting.objects.get(pk=walked.pk).status == Meeting.Status.SIGNED
    for url in (reverse("minutes:editor", args=[walked.pk]), reverse("minutes:justering", args=[walked.pk]),
                reverse("minutes:justering_history", args=[walked.pk])):
        html = login(secretary).get(url).content.decode()
        assert_people_not_logins(html, url, *PEOPLE)


def test_the_mail_names_people(walked):
    mails = list(OutgoingMail.objects.all())
    assert mails, "sending, declining and commenting mail the signers"
    for mail in mails:
        for login in LOGINS:
            assert login not in mail.subject and login not in mail.body, (mail.subject, login)
        assert not RAW_KEYS.search(mail.subject + mail.body), mail.subject
    assert any("Elisabet Pettersson" in m.body for m in mails)  # her comment, to the secretary
    assert any("Roger Ingvarsson" in m.body for m in mails)  # his decline


def test_the_api_names_people_and_roles_in_words(walked, secretary, member):
    status = api(member).get(f"/api/v1/meetings/{walked.pk}/justering")
    assert status.status_code == 200
    signers = {s["name"]: (s["role"], s["role_label"]) for s in status.json()["signers"]}
    assert signers == {
        "Ann Rilegård": ("sekreterare", "Sekreterare"),
        "Elisabet Pettersson": ("ordforande", "Ordförande"),
        "Roger Ingvarsson": ("justerare", "Justerande"),
    }
    comment = api(member).post(f"/api/v1/meetings/{walked.pk}/justering/comments", {"text": "Ok"},
                               content_type="application/json")
    assert comment.status_code == 201 and comment.json()["author"] == "Roger Ingvarsson"
    paragraph = walked.paragraphs.get(title__startswith="Tilläggsäskande")
    stale = api(secretary).patch(f"/api/v1/paragraphs/{paragraph.pk}", {"version": 1, "body": "X"},
                                 content_type="application/json")
    assert stale.status_code == 409
    assert "ändrats av Kim Lind kl" in stale.json()["detail"] and ADMIN_LOGIN not in stale.content.decode()


def test_a_conflict_names_the_person_who_saved(board, secretary, chair, member, named_admin, login):
    meeting = build_minutes(board, secretary, chair, member)
    paragraph = meeting.paragraphs.get(title__startswith="Tilläggsäskande")
    seen = paragraph.version
    drafting.paragraph_update(paragraph=paragraph, expected_version=seen, body="Anns text", actor=secretary)
    with pytest.raises(drafting.StaleParagraph) as info:
        drafting.paragraph_update(paragraph=paragraph, expected_version=seen, body="Kims text", actor=named_admin)
    assert info.value.who == "Ann Rilegård"
    assert "av Ann Rilegård kl" in info.value.messages[0]
    assert SECRETARY_LOGIN not in info.value.messages[0]

    # Seen in the editor (autosave and a form without JavaScript), by the admin.
    url = reverse("minutes:paragraph_save", args=[paragraph.pk])
    data = {"version": seen, "title": paragraph.title, "body": "Kims text"}
    fragment = login(named_admin).post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "Ann Rilegård har ändrat den" in visible_text(fragment)
    page = login(named_admin).post(url, data)
    assert page.status_code == 409
    assert_people_not_logins(page.content.decode(), "konfliktsidan", "Ann Rilegård har ändrat paragrafen", "Kim Lind")


def test_a_conflict_with_the_site_admin_names_them_by_the_name_on_their_login(
    board, secretary, chair, member, named_admin, login
):
    meeting = build_minutes(board, secretary, chair, member)
    paragraph = meeting.paragraphs.get(title__startswith="Tilläggsäskande")
    seen = paragraph.version
    drafting.paragraph_update(paragraph=paragraph, expected_version=seen, body="Kims text", actor=named_admin)
    url = reverse("minutes:paragraph_save", args=[paragraph.pk])
    fragment = login(secretary).post(
        url, {"version": seen, "title": paragraph.title, "body": "Anns text"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert_people_not_logins(fragment, "autosave", "Kim Lind har ändrat den")


def test_a_user_is_named_by_their_person_then_their_login_name_then_a_neutral_label(db, board):
    User = get_user_model()
    with_person = UserFactory(username="u-x-1", first_name="Login", last_name="Namn")
    PersonFactory(first_name="Ann", last_name="Rilegård", user=with_person)
    assert display_name(User.objects.get(pk=with_person.pk)) == "Ann Rilegård"
    assert display_name(UserFactory(username="u-x-2", first_name="Kim", last_name="Lind")) == "Kim Lind"
    assert display_name(UserFactory(username="u-x-3", is_staff=True, is_superuser=True)) == "Administratör"
    assert display_name(UserFactory(username="u-x-4")) == "Användare utan namn"
    assert display_name(None) == ""
