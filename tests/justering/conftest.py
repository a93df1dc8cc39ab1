"""Fixtures for the justering: minutes ready to send, signers, the seal certificate, media in tmp."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import RequestFactory

from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.models import Meeting
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _media(media_in_tmp: Path) -> Path:
    return media_in_tmp


def build_minutes(board, secretary, chair, member, *, date=dt.date(2023, 11, 2), extra_paragraphs: int = 0) -> Meeting:
    """A held meeting with attendance, five standard §§, a decision, a confidential § and a justerare."""
    m = minutes_services.meeting_create(
        organ=board.organ, date=date, start_time=dt.time(8, 30), end_time=dt.time(9, 30),
        place="", is_remote=True, actor=secretary,
    )
    minutes_services.attendance_prefill(meeting=m, actor=secretary)
    minutes_services.minutes_start(meeting=m, actor=secretary)
    minutes_services.paragraph_add(
        meeting=m, title="Tilläggsäskande 2023 Samordningsteam Sala", position=4, actor=secretary,
        body="Samordningsteam Sala inkom 2023-09-25 med ett tilläggsäskande om 147 424 kr för 2023.",
        clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr"],
        exp_till="styrgrupp@sala.example.se, Ledamot Testsson",
    )
    minutes_services.paragraph_add(
        meeting=m, title="Personalärende förbundschef", position=5, actor=secretary,
        body="HEMLIGT-INNEHALL om en enskild anställds hälsa.", is_confidential=True,
        osl_reference="39 kap. 3 § OSL", clauses=["Att godkänna överenskommelsen"],
    )
    for i in range(extra_paragraphs):
        minutes_services.paragraph_add(
            meeting=m, title=f"Ärende {i + 1}", actor=secretary, position=6 + i,
            body=("Styrelsen diskuterar ärendet ingående. " * 40 + "\n\n") * 3,
            clauses=[f"Att godkänna ärende {i + 1}"],
        )
    minutes_services.adjusters_set(meeting=m, persons=[member.person], actor=secretary)
    m.refresh_from_db()
    return m


@pytest.fixture
def minutes(board, secretary, chair, member) -> Meeting:
    return build_minutes(board, secretary, chair, member)


@pytest.fixture
def sent(minutes, secretary) -> Meeting:
    justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    minutes.refresh_from_db()
    return minutes


def signing_request(address: str = "10.9.8.7"):
    """The request a signature comes with: django-axes counts wrong passwords per user and address."""
    return RequestFactory().post("/", REMOTE_ADDR=address)


def sign(meeting: Meeting, user, **kwargs):
    kwargs.setdefault("request", signing_request())
    return justering.justering_sign(meeting=meeting, actor=user, password=PASSWORD, **kwargs)


@pytest.fixture
def justered(sent, secretary, chair, member) -> Meeting:
    for user in (chair, member, secretary):
        sign(sent, user)
    sent.refresh_from_db()
    return sent



# --- BankID through the stand-in (tests/bankid_standin.py, not BankID) ---------------------

PNR = {"ordforande": "197505051230", "ledamot": "198002024563", "sekreterare": "196603037893"}


@pytest.fixture
def bankid_standin(tmp_path: Path, settings):
    """The local stand-in of BankID's RP API v6, with the settings pointing at it and its own
    test root as the root BankID signatures must chain to."""
    from tests.bankid_standin import BankIdStandin

    server = BankIdStandin(tmp_path)
    server.start()
    settings.BANKID_URL = server.url
    settings.BANKID_CA_PATH = str(server.ca_path)
    settings.BANKID_CERT_PATH = str(server.client_cert_path)
    settings.BANKID_KEY_PATH = str(server.client_key_path)
    settings.BANKID_SIGNATURE_ROOTS = [str(server.signature_root_path)]
    yield server
    server.stop()


def with_personnummer(*users) -> None:
    """Give the signers the personnummer BankID will know them by."""
    for user in users:
        user.person.personal_identity_number = PNR[user.username]
        user.person.save()


def last_order(standin) -> str:
    """The orderRef of the stand-in's latest sign order."""
    return list(standin.orders)[-1]
