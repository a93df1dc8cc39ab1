"""In Debian's Chromium: /verifiera/ with the sealed full minutes of a justering that mixes
methods lists per signer the method, the level and whether the evidence holds; axe finds nothing.

The live server commits, so the last signature queues the render: the session's real worker
makes the PDF and the test waits for it (rendering it here as well raced that worker).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from board.documents.models import RenderedDocument
from tests.conftest import wait_until_rendered
from tests.justering import evidence_setup
from tests.justering.evidence_setup import (
    assert_no_identity,
)

# The fixtures of tests/justering/evidence_setup.py, used by name.
mixed = evidence_setup.mixed
oidc_provider = evidence_setup.oidc_provider
oidc_settings = evidence_setup.oidc_settings
standin = evidence_setup.standin

pytestmark = pytest.mark.browser


def test_verifiera_lists_each_signers_method_level_and_evidence(  # noqa: PLR0913 - fixtures
    live_server, celery_worker, cleanup_files, page, mixed, tmp_path,  # noqa: F811
):
    full = wait_until_rendered(RenderedDocument.objects.get(object_id=mixed.pk, kind="minutes.full").pk)
    for document in RenderedDocument.objects.filter(object_id=mixed.pk, kind__startswith="minutes."):
        cleanup_files.append(Path(wait_until_rendered(document.pk).file.path))
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(Path(full.file.path).read_bytes())
    page.goto(f"{live_server.url}/verifiera/")
    page.get_by_label("PDF-fil").set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera").click()
    page.wait_for_selector("#resultat")
    table = page.get_by_role("table", name="Underskrifter")
    for name, method, level, result in (
        ("Ordforande Testsson", "BankID", "Avancerad elektronisk underskrift", "giltig"),
        ("Ledamot Testsson", "Testlegitimation", "Avancerad elektronisk underskrift", "giltig"),
        ("Sekreterare Kansli", "Lösenord och kod", "Enkel elektronisk underskrift",
         "enkel underskrift – inget kryptografiskt bevis"),
    ):
        row = table.get_by_role("row", name=name)
        assert [c.strip() for c in row.get_by_role("cell").all_inner_texts()][-3:] == [method, level, result]
    assert_no_identity(page.content(), "/verifiera/ in the browser")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
