"""The outcome import with files it cannot use: unreadable, too long, malformed (issue 13).

A file that cannot be read gets a Swedish error and saves nothing; an import has a row limit
that fits a chart of accounts; the rows read at upload are kept for the preview and the save;
the preview shows the errors and a sample, not every row.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.imports import (
    outcome_import_commit,
    outcome_import_map,
    outcome_import_preview,
    outcome_import_start,
)
from finance.models import Outcome, OutcomeImport
from tests.finance.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 8, 31)


def _start(budget, director, name: str, content: bytes) -> OutcomeImport:
    return outcome_import_start(budget=budget, filename=name, content=content, date=DAY, actor=director)


def _upload(client, budget, name: str, content: bytes):
    url = reverse("finance:import_start", args=[budget.organisation.slug, budget.year])
    return client.post(url, {"file": SimpleUploadedFile(name, content), "date": DAY.isoformat()})


def test_a_csv_with_a_bare_carriage_return_is_read_as_a_line_end(budget, director, login):
    # An old Mac export ends lines with a bare CR; one inside a field answered 500.
    content = b"Budgetrad;Utfall\nmedel;600000\rstyrelse;-40000\nmgt;-90\r000\n"
    response = _upload(login(director), budget, "export.csv", content)
    assert response.status_code == 302
    imp = outcome_import_map(imp=OutcomeImport.objects.get(), line_column=0, amount_column=1,
                                      year_column=None, costs_positive=False, actor=director)
    preview = outcome_import_preview(imp=imp)
    assert [(r.raw_line, r.raw_amount) for r in preview.rows] == [
        ("medel", "600000"), ("styrelse", "-40000"), ("mgt", "-90"), ("000", "")]


def test_a_csv_that_cannot_be_read_gets_a_swedish_error_on_the_page_and_saves_nothing(
        budget, director, login):
    # A field longer than the csv module reads (128 KiB) is a csv.Error, as a NUL byte was.
    content = b"Budgetrad;Utfall\nmedel;\"" + b"9" * 200_000 + b"\"\n"
    response = _upload(login(director), budget, "export.csv", content)
    assert response.status_code == 422
    assert "Filen kunde inte läsas som CSV" in response.content.decode()
    assert not OutcomeImport.objects.exists()


def test_an_import_has_a_row_limit_and_says_so(budget, director, login):
    rows = [["Konto", "Belopp"]] + [[f"{3000 + i}", -i] for i in range(1001)]
    for name, content in (("export.xlsx", xlsx_bytes(rows)),
                          ("export.csv", "\n".join(f"{a};{b}" for a, b in rows).encode())):
        response = _upload(login(director), budget, name, content)
        assert response.status_code == 422, name
        assert "Filen har fler än 1\u00a0000 rader" in response.content.decode()
    assert not OutcomeImport.objects.exists()
    # The limit itself is fine, and the upload page says what it is.
    imp = _start(budget, director, "export.xlsx", xlsx_bytes(rows[:-1]))
    assert len(imp.table) == 1001
    page = login(director).get(reverse("finance:import_start", args=[budget.organisation.slug, 2024]))
    assert "Högst 1\u00a0000 rader" in page.content.decode()


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_parsed(budget, director):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="Filen packas upp till mer än 10 MB") as exc:
        _start(budget, director, "bomb.xlsx", buffer.getvalue())
    assert "packas upp till mer än 10 MB" in exc.value.message_dict["file"][0]


def test_the_rows_read_at_upload_are_used_for_the_preview_and_the_save(budget, director):
    imp = _start(budget, director, "export.xlsx", xlsx_bytes([["Budgetrad", "Utfall"], ["medel", 600_000],
                                                                ["Samordningsteam A", "-250 000,50"]]))
    # The file is not read again: without it the preview and the save still have the rows.
    OutcomeImport.objects.filter(pk=imp.pk).update(content=b"")
    imp = outcome_import_map(imp=OutcomeImport.objects.get(pk=imp.pk), line_column=0,
                                      amount_column=1, year_column=None, costs_positive=False, actor=director)
    assert outcome_import_preview(imp=imp).ok
    outcome_import_commit(imp=imp, actor=director)
    assert dict(Outcome.objects.values_list("line__code", "amount")) == {
        "medel": Decimal("600000"), "team-a": Decimal("-250000.50")}


def test_the_preview_shows_the_errors_and_a_sample_not_every_row(budget, director, login):
    rows = [["Budgetrad", "Utfall"]] + [[f"okänd {i}", i] for i in range(300)]
    imp = _start(budget, director, "export.xlsx", xlsx_bytes(rows))
    outcome_import_map(imp=imp, line_column=0, amount_column=1, year_column=None,
                                costs_positive=False, actor=director)
    page = login(director).get(
        reverse("finance:import_preview", args=[budget.organisation.slug, 2024, imp.pk])).content.decode()
    assert page.count('<tr class="govuk-table__row bad">') == 20
    assert "De första 20 av 300 raderna i filen" in page
    assert "300 av 300 rader med fel" in page
    assert page.count("<li>Rad ") == 100 and "… och 200 fel till." in page


def test_the_api_takes_at_most_the_row_limit_of_outcomes(budget, director):
    from django.test import Client

    from board.models import ApiToken

    _token, key = ApiToken.issue(user=director, name="ekonomisystem")
    rows = [{"line": "medel", "amount": "1"}] * 1001
    response = Client(headers={"Authorization": f"Bearer {key}"}).post(
        f"/api/v1/organisations/{budget.organisation.slug}/budgets/2024/outcomes",
        {"date": DAY.isoformat(), "rows": rows}, content_type="application/json")
    assert response.status_code == 422 and "Högst 1\u00a0000 rader" in response.json()["detail"]["rows"][0]
    assert not Outcome.objects.exists()
