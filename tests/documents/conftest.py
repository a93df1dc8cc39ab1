"""Fixtures for issued documents: test producers, media in a tmp dir.

The seal certificate is a session fixture in tests/conftest.py, shared by every app's tests
and the worker subprocess.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media(media_in_tmp: Path) -> Path:
    return media_in_tmp


@pytest.fixture
def producers():
    """The test producers (registered on import, found by the worker through their path)."""
    from tests.documents import producers as module

    return module
