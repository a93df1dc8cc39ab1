"""Fixtures for the minutes: a meeting of the test board with its attendance prefilled."""

from __future__ import annotations

import datetime as dt

import pytest

from minutes.drafting import services


@pytest.fixture
def meeting(board, secretary, chair, member):
    """A meeting of the test board on 2023-08-29, attendance from the registry."""
    m = services.meeting_create(
        organ=board.organ, date=dt.date(2023, 8, 29), start_time=dt.time(8, 30),
        end_time=dt.time(11, 30), place="Hotell Scheele i Köping", actor=secretary,
    )
    services.attendance_prefill(meeting=m, actor=secretary)
    return m
