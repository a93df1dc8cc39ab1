"""Fixtures for the mail: minutes ready to send for justering, a meeting ready to call."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes.drafting import services as minutes_services
from minutes.models import Meeting
from tests.justering.conftest import build_minutes


@pytest.fixture(autouse=True)
def _media(media_in_tmp: Path) -> Path:
    return media_in_tmp


@pytest.fixture
def minutes(board, secretary, chair, member) -> Meeting:
    return build_minutes(board, secretary, chair, member)


@pytest.fixture
def called(minutes, secretary) -> Meeting:
    """The meeting with an agenda, so its kallelse can be sent (to the ten on the board)."""
    minutes_services.agenda_item_add(meeting=minutes, title="Budget 2024", actor=secretary)
    return minutes
