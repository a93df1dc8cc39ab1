"""Through the real Celery worker: from the last signature of a justering that mixes password,
OIDC e-ID and BankID (the stand-in) to the sealed full PDF with every signature's evidence."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from minutes.justering import services as justering
from minutes.justering.signing import evidence
from tests.conftest import wait_until_rendered
from tests.justering import evidence_setup
from tests.justering.conftest import build_minutes
from tests.justering.evidence_setup import (
    attachments,
    give_identities,
    sign_last,
    sign_mixed_but_last,
)

# The fixtures of tests/justering/evidence_setup.py, used by name.
oidc_provider = evidence_setup.oidc_provider
oidc_settings = evidence_setup.oidc_settings
standin = evidence_setup.standin

pytestmark = pytest.mark.worker


def test_the_last_signature_leads_to_the_sealed_full_pdf_with_the_evidence(  # noqa: PLR0913 - fixtures
    transactional_db, celery_worker, board, secretary, chair, member, oidc_settings, standin,
    cleanup_files,
):
    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    give_identities(chair, member)
    sha256 = sign_mixed_but_last(meeting, chair, member, oidc_settings, standin)

    started = time.monotonic()
    sign_last(meeting, secretary)
    returned = time.monotonic() - started
    full = RenderedDocument.objects.get(object_id=meeting.pk, kind="minutes.full")
    done = wait_until_rendered(full.pk)
    elapsed = time.monotonic() - started
    print(f"\nlast signature -> sealed full PDF with evidence: {elapsed:.1f} s (the signature returned in {returned:.2f} s)")
    for d in RenderedDocument.objects.filter(object_id=meeting.pk, kind__startswith="minutes."):
        cleanup_files.append(Path(wait_until_rendered(d.pk).file.path))

    content = Path(done.file.path).read_bytes()
    assert verify_pdf(content).ok
    files = attachments(content)
    items = [json.loads(data) for name, data in files.items() if name.startswith("underskrift-")]
    assert sorted(item["method"] for item in items) == ["bankid", "losenord", "oidc-test"]
    for item in items:
        if item["method"] != "losenord":
            assert evidence.verify(item["method"], item["evidence"], sha256) is True, item["method"]
    # The figure is printed, not asserted (wall time depends on the machine); wait_until_rendered
    # fails the test when the PDF is not there within its timeout.
