"""The public API masks personal identity numbers in every string of every answer (issue 21):
every public schema is a PublicSchema, whose serialized output goes through `public_value`,
nested votes, ballots and decisions included."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import time_machine
from ninja import Schema

from board.models import Organ, Organisation, Person
from minutes.drafting import services
from minutes.models import Notice
from minutes.notices import services as notices
from minutes.public import schemas
from minutes.public.api import router
from tests.conftest import justered_without_signatures

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LONG, SHORT = "19121212-1212", "121212-1212"  # Skatteverket's test personnummer, valid (date and Luhn)
BOTH = f"{LONG} och {SHORT}"


def _leaks(text: str) -> bool:
    return "1212121212" in text.replace("-", "").replace("+", "")


def test_every_public_schema_masks():
    declared = [v for v in vars(schemas).values() if isinstance(v, type) and issubclass(v, Schema) and v.__module__ == schemas.__name__]
    assert len(declared) >= 10
    assert all(issubclass(cls, schemas.PublicSchema) for cls in declared)
    # And every 200 of the router answers one of them (a list's items or the object).
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            answer = operation.response_models[200].model_fields["response"].annotation
            item = answer.model_fields["items"].annotation if "items" in getattr(answer, "model_fields", {}) else answer
            item = getattr(item, "__args__", (item,))[0]
            assert issubclass(item, schemas.PublicSchema), operation.view_func.__name__


def test_no_answer_of_the_public_api_shows_an_identity_number(client, board, secretary):
    Organisation.objects.filter(pk=board.organisation.pk).update(short_name=f"Prov {SHORT}")
    Organ.objects.filter(pk=board.organ.pk).update(name=f"Styrelsen {LONG}")
    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 11, 2), start_time=dt.time(9, 0),
                                      end_time=dt.time(11, 0), place=f"Kansliet, rum {BOTH}", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    voters = [a.person for a in meeting.attendances.filter(role="beslutande")][:3]
    assert voters
    Person.objects.filter(pk__in=[v.pk for v in voters]).update(last_name=f"Svensson {SHORT}")
    services.paragraph_add(meeting=meeting, title=f"Ansökan från {LONG}", body=f"Gäller {BOTH}.",
                           clauses=[f"Att bevilja {SHORT}", f"Att avslå {LONG}"], actor=secretary)
    services.paragraph_add(meeting=meeting, title=f"Sekretess {LONG}", body=f"Hemligt {SHORT}.",
                           clauses=[f"Att bevilja {LONG}"], is_confidential=True,
                           osl_reference=f"26 kap. 1 § OSL {SHORT}", actor=secretary)
    paragraph = meeting.paragraphs.order_by("position").first()
    services.vote_record(paragraph=paragraph, yes_text=f"Bifall {LONG}", no_text=f"Avslag {SHORT}",
                         ballots={v.pk: "ja" for v in voters}, actor=secretary)
    justered_without_signatures(meeting, secretary)
    with time_machine.travel(dt.datetime(2023, 11, 10, 12, 0, tzinfo=STOCKHOLM), tick=False):
        notices.notice_for_justering(meeting=meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
        free = notices.notice_create(organisation=board.organisation, kind=Notice.Kind.FREE,
                                     title=f"Delegationsbeslut för {LONG}", body=f"Gäller {BOTH}.",
                                     posted_on=dt.date(2023, 11, 8), takedown_on=dt.date(2023, 11, 30),
                                     actor=secretary)
        Notice.objects.filter(pk=free.pk).update(storage_place=f"Arkivet {SHORT}")
        urls = [f"/api/v1/public/{e}" for e in
                ("bodies", "organizations", "persons", "meetings", "agendaItems", "papers", "notices")]
        urls += [f"/api/v1/public/meetings/{meeting.pk}", f"/api/v1/public/notices/{free.pk}"]
        answers = {}
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, url
            answers[url] = r.content.decode()
            assert not _leaks(answers[url]), (url, answers[url])
    # The numbers were there to mask: every kind of text shows its mask.
    detail = json.loads(answers[f"/api/v1/public/meetings/{meeting.pk}"])
    assert "ÅÅÅÅMMDD-XXXX" in detail["location"] and "ÅÅMMDD-XXXX" in detail["location"]
    opened = next(item for item in detail["agendaItem"] if item["public"])
    assert "ÅÅÅÅMMDD-XXXX" in opened["name"] and "ÅÅMMDD-XXXX" in opened["text"]
    assert any("XXXX" in d for d in opened["decisions"])
    assert any("XXXX" in b["name"] for v in opened["votes"] for b in v["ballots"])
    closed = next(item for item in detail["agendaItem"] if not item["public"])
    assert "ÅÅMMDD-XXXX" in closed["confidentialityReason"]
    shown = json.loads(answers[f"/api/v1/public/notices/{free.pk}"])
    assert "ÅÅÅÅMMDD-XXXX" in shown["name"] and "ÅÅMMDD-XXXX" in shown["text"] and "XXXX" in shown["storagePlace"]
    assert "XXXX" in answers["/api/v1/public/persons"] and "XXXX" in answers["/api/v1/public/organizations"]
    assert "XXXX" in answers["/api/v1/public/bodies"]
