"""Fixtures of the delegation register: a small order of the `board` association."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from board.models import StaffRole
from minutes.delegation import services


@pytest.fixture(autouse=True)
def _media(media_in_tmp: Path) -> Path:
    return media_in_tmp


@pytest.fixture
def line(org, secretary):
    """3.2: the förbundschef may buy services up to 50 000 kr, reported to the board."""
    return services.delegation_line_add(
        organisation=org, code="3.2", matter="Inköp av tjänster", delegate_role=StaffRole.Role.DIRECTOR,
        max_amount=50_000, valid_from=dt.date(2023, 1, 1), actor=secretary,
    )


def record(org, line, actor, **kwargs):
    values = {
        "decided_on": dt.date(2023, 10, 2), "matter": "Föreläsare till temadag",
        "decision": "Att anlita Föreläsning AB", "amount": 12_000, "appealable": False,
    }
    values.update(kwargs)
    return services.delegation_decision_record(organisation=org, line=line, actor=actor, **values)
