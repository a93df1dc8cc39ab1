"""The delårsrapport as a sealed PDF through the shared document toolkit and a real Celery worker."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import document_render
from finance.demo import loader as demo
from finance.models import Budget, BudgetLine, ForecastEntry
from finance.pdf import current_document, report_request, report_version
from finance.reports import build_report
from finance.services.forecasts import forecast_update
from tests.conftest import wait_until_rendered


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode().replace("\u00a0", " ")


@pytest.mark.django_db
def test_the_pdf_is_sealed_and_shows_seed_003s_summa(seal_certificate, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo.load(stdout=io.StringIO())
    budget = Budget.objects.get(organisation__slug="vastmanland", year=2024)
    document = report_request(budget=budget, actor=None)
    done = document_render(document.pk)
    assert done.status == RenderedDocument.Status.DONE
    content = Path(done.file.path).read_bytes()
    assert verify_pdf(content).ok
    text = _text(content)
    assert "Samordningsteamet FNS" in text or "Samordningsteamet" in text
    assert "-1 945 000" in text and "2 355 335" in text and "-1 703 329" in text and "241 671" in text


@pytest.mark.django_db
def test_a_changed_forecast_is_a_new_pdf_version_and_an_unchanged_table_the_same(budget, director):
    before = report_version(build_report(budget))
    assert report_version(build_report(budget)) == before
    forecast_update(line=BudgetLine.objects.get(budget=budget, code="mgt"), amount=Decimal(-150_000),
                             based_on=None, actor=director)
    assert report_version(build_report(budget)) != before


@pytest.mark.django_db
def test_the_page_shows_the_pdf_last_asked_for_even_of_a_version_asked_for_before(budget, director, login):
    """Figures changed and changed back: the first PDF is the current one again, not the
    second (versions are checksums, so the highest is not the newest)."""
    client = login(director)
    slug, line = budget.organisation.slug, BudgetLine.objects.get(budget=budget, code="mgt")
    original = next(row.forecast for row in build_report(budget).rows if row.line.pk == line.pk)

    def ask() -> RenderedDocument:
        assert client.post(reverse("finance:budget_pdf", args=[slug, 2024])).status_code == 302
        shown = client.get(reverse("finance:budget", args=[slug, 2024])).context["pdf_document"]
        assert shown.version == report_version(build_report(budget))
        return shown

    def forecast(amount: Decimal) -> None:
        latest = ForecastEntry.objects.filter(line=line).order_by("-id").first()
        forecast_update(line=line, amount=amount, based_on=latest and latest.pk, actor=director)

    first = ask()
    forecast(Decimal(-150_000))
    second = ask()
    forecast(original)
    assert ask() == first != second
    assert RenderedDocument.objects.filter(object_id=budget.pk, kind="finance.report").count() == 2


@pytest.mark.worker
def test_the_director_asks_for_the_pdf_and_the_worker_renders_it(
    transactional_db, celery_worker, seal_certificate, budget, director, login
):
    client = login(director)
    response = client.post(reverse("finance:budget_pdf", args=[budget.organisation.slug, 2024]))
    assert response.status_code == 302
    document = current_document(budget)
    document = wait_until_rendered(document.pk, timeout=60)
    path = Path(document.file.path)
    try:
        assert verify_pdf(path.read_bytes()).ok
        page = client.get(reverse("finance:budget", args=[budget.organisation.slug, 2024])).content.decode()
        assert document.get_download_url() in page
    finally:
        path.unlink(missing_ok=True)


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "year"), [("vastmanland", 2024), ("vasteras", 2022)])
def test_a_report_over_several_pages_has_one_summa_and_its_headings_on_every_page(
    seal_certificate, settings, tmp_path, slug, year
):
    from board.formatting import format_amount

    settings.MEDIA_ROOT = str(tmp_path)
    demo.load(stdout=io.StringIO())
    budget = Budget.objects.get(organisation__slug=slug, year=year)
    done = document_render(report_request(budget=budget, actor=None).pk)
    pages = _text(Path(done.file.path).read_bytes()).split("\f")[:-1]
    assert len(pages) >= 2  # the case that matters: a table that runs over a page break
    # SUMMA once, below the last group: not at the foot of every page, mid-table.
    summa = [i for i, page in enumerate(pages) for line in page.splitlines() if line.strip().startswith("SUMMA ")]
    assert summa == [len(pages) - 1]
    for i, page in enumerate(pages, start=1):
        # Every page says what it is and what its columns are.
        assert f"{budget.organisation.name} – ekonomiskt utfall och prognos {year}" in " ".join(page.split()), i
        assert f"Prognos {year}" in page and "Avvikelse prognos från budget" in page, i
        assert f"Sida {i} av {len(pages)}" in page
    # A row is never split over two pages: each group's sum has its label and figures together.
    for block in build_report(budget, adopted_only=False).groups:
        label = f"Summa {block.group.name.lower().split()[0]}"
        amount = format_amount(block.sums.budgets[-1]).replace("\u00a0", " ")
        where = [i for i, page in enumerate(pages) for line in page.splitlines()
                 if line.strip().startswith(label) and amount in line]
        assert where, (label, amount)
