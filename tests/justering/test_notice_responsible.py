"""Who the notice of a justering names as responsible ("Ansvarig för anslag").

Seed 004's justering was completed by the justerare, yet its ANSLAG/BEVIS names the
secretary; seed 000 names the person the association made responsible, not the meeting's
secretary. Every place that shows the notice says the same name: the sealed minutes, the
anslagsbevis, the notice page, the board, the Atom feed and the public API. A notice already
posted keeps the name it was posted with.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from xml.etree import ElementTree

import pytest
import time_machine

from board.documents.models import RenderedDocument
from board.documents.services import document_render
from minutes.models import Meeting, Notice
from minutes.notices import services as notices
from tests.factories import PersonFactory
from tests.justering.conftest import sign

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def pdf_text(document: RenderedDocument) -> str:
    document_render(document.pk)  # what the worker does
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.DONE, document.error
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=document.file.read(),
                          capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def shown_everywhere(client, notice: Notice) -> dict[str, str]:
    """The responsible person as each place shows the notice (flattened text or value)."""
    minutes_pdf = pdf_text(RenderedDocument.objects.get(kind="minutes.full", object_id=notice.meeting_id))
    certificate = pdf_text(RenderedDocument.objects.get(kind="notice.certificate", object_id=notice.pk))
    page = " ".join(client.get(f"/anslagstavla/anslag/{notice.pk}/").content.decode().split())
    board = " ".join(client.get("/anslagstavla/").content.decode().split())
    feed = ElementTree.fromstring(client.get("/anslagstavla/atom.xml").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == notice.title)
    api = client.get(f"/api/v1/public/notices/{notice.pk}").json()
    return {
        "minutes_pdf": minutes_pdf, "certificate": certificate, "page": page, "board": board,
        "feed": entry.findtext(f"{ATOM}summary") or "", "api": api["responsible"],
    }


def assert_names(shown: dict[str, str], name: str, not_name: str) -> None:
    assert f"Ansvarig för anslag {name}" in shown["minutes_pdf"]
    assert f"Ansvarig för anslag {name}" in shown["certificate"]
    assert f"<dt>Ansvarig för anslag</dt><dd>{name}</dd>" in shown["page"]
    assert f"<dt>Ansvarig för anslag</dt><dd>{name}</dd>" in shown["board"]
    assert f"Ansvarig för anslag: {name}." in shown["feed"]
    assert shown["api"] == name
    for where, text in shown.items():
        assert f"Ansvarig för anslag {not_name}" not in text, where
        assert f"<dd>{not_name}</dd>" not in text, where


def test_a_justering_completed_by_the_justerare_names_the_secretary(sent, secretary, chair, member, client):
    # Seed 004's order: the secretary and the chair sign first, the justerare completes it.
    for user in (secretary, chair, member):
        sign(sent, user)
    sent.refresh_from_db()
    assert sent.status == Meeting.Status.SIGNED
    notice = Notice.objects.get(meeting=sent, kind=Notice.Kind.JUSTERING)
    assert notice.posted_by == member  # the audit trail keeps who completed the justering
    assert notice.posted_by_name == secretary.person.full_name
    assert_names(shown_everywhere(client, notice), secretary.person.full_name, member.person.full_name)


def test_the_person_the_association_names_is_named_instead_of_the_secretary(sent, secretary, chair, member, client):
    organisation = sent.organ.organisation
    responsible = PersonFactory(first_name="Ann", last_name="Rilegård")
    organisation.notice_responsible = responsible
    organisation.save()
    assert organisation.history.first().notice_responsible_id == responsible.pk  # the change is in the history
    for user in (secretary, chair, member):
        sign(sent, user)
    notice = Notice.objects.get(meeting=sent, kind=Notice.Kind.JUSTERING)
    assert notice.posted_by_name == "Ann Rilegård"
    assert_names(shown_everywhere(client, notice), "Ann Rilegård", secretary.person.full_name)


def test_a_notice_already_posted_keeps_the_name_it_was_posted_with(sent, secretary, chair, member, client):
    for user in (secretary, chair, member):
        sign(sent, user)
    notice = Notice.objects.get(meeting=sent, kind=Notice.Kind.JUSTERING)
    # As a notice posted before this rule was: it named whoever completed the justering.
    Notice.objects.filter(pk=notice.pk).update(posted_by_name=member.person.full_name)
    organisation = sent.organ.organisation
    organisation.notice_responsible = PersonFactory(first_name="Ann", last_name="Rilegård")
    organisation.save()
    # Moving the posting day issues the anslagsbevis again: with the notice's own name.
    notice.refresh_from_db()
    tomorrow = notice.justered_on + dt.timedelta(days=1)
    moved = notices.notice_set_posting_day(notice=notice, posted_on=tomorrow, actor=secretary)
    assert moved.version == 2 and moved.posted_by_name == member.person.full_name
    again = RenderedDocument.objects.get(kind="notice.certificate", object_id=notice.pk, version=2)
    assert f"Ansvarig för anslag {member.person.full_name}" in pdf_text(again)
    with time_machine.travel(dt.datetime.combine(tomorrow, dt.time(12, 0)), tick=False):
        page = " ".join(client.get(f"/anslagstavla/anslag/{notice.pk}/").content.decode().split())
        api = client.get(f"/api/v1/public/notices/{notice.pk}").json()
    assert f"<dd>{member.person.full_name}</dd>" in page and "Rilegård" not in page
    assert api["responsible"] == member.person.full_name
