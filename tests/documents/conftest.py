"""Fixtures for issued documents: a seal certificate, test producers, media in a tmp dir.

The seal certificate is created at the configured paths (settings.PDF_SEAL_*), the same ones
the Celery worker subprocess reads from the same environment, so whichever test starts the
worker first, both processes seal and verify with one certificate. Creation is idempotent and
locked, so an existing development certificate is reused and none is needed beforehand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from board.management.commands.create_dev_certificate import dev_certificate_create


@pytest.fixture(scope="session", autouse=True)
def seal_certificate() -> Path:
    dev_certificate_create(
        key_file=Path(settings.PDF_SEAL_KEY_FILE),
        cert_file=Path(settings.PDF_SEAL_CERT_FILE),
        passphrase=settings.PDF_SEAL_KEY_PASSPHRASE,
    )
    return Path(settings.PDF_SEAL_CERT_FILE)


@pytest.fixture(autouse=True)
def media_in_tmp(request, settings, tmp_path) -> Iterator[Path]:
    """Files go to a tmp dir, except in worker tests, where the worker's MEDIA_ROOT rules."""
    if request.node.get_closest_marker("worker"):
        yield Path(settings.MEDIA_ROOT)
        return
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield tmp_path / "media"


@pytest.fixture
def producers():
    """The test producers (registered on import, found by the worker through their path)."""
    from tests.documents import producers as module

    return module
