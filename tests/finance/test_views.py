"""Finance pages: who gets in, the seed 003 table, forecast editing in place and plain, import, Excel."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from board.models import AuditEvent, StaffRole
from finance.demo import loader as demo
from finance.imports import outcome_import_start
from finance.models import BudgetLine, ForecastEntry, Outcome
from finance.services.allocations import contribution_key_set, equity_set, state_allocation_set
from finance.services.budgets import budget_line_add, budget_version_create
from finance.services.forecasts import forecast_update
from finance.services.outcomes import outcome_set
from tests.finance.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db


def urls(budget, line_code="team-a", import_pk=1, version_pk=None) -> dict[str, str]:
    slug, year = budget.organisation.slug, budget.year
    version_pk = version_pk or budget.versions.order_by("number").first().pk
    return {
        "list": reverse("finance:budgets", args=[slug]),
        "budget": reverse("finance:budget", args=[slug, year]),
        "excel": reverse("finance:budget_excel", args=[slug, year]),
        "line": reverse("finance:line", args=[slug, year, line_code]),
        "outcomes": reverse("finance:outcome_entry", args=[slug, year]),
        "import": reverse("finance:import_start", args=[slug, year]),
        "import_preview": reverse("finance:import_preview", args=[slug, year, import_pk]),
        "contributions": reverse("finance:contributions", args=[slug, year]),
        "create": reverse("finance:budget_create", args=[slug]),
        "settings": reverse("finance:settings", args=[slug]),
        "version": reverse("finance:version_create", args=[slug, year]),
        "contributions_edit": reverse("finance:contributions_edit", args=[slug, year]),
        "adopt": reverse("finance:version_adopt", args=[slug, year, version_pk]),
    }


READ_PAGES = ["list", "budget", "excel", "line", "contributions"]
EDIT_PAGES = ["outcomes", "import", "import_preview", "create", "settings", "version", "contributions_edit", "adopt"]


@pytest.fixture
def an_import(budget, director):
    return outcome_import_start(budget=budget, filename="e.csv", content=b"rad;belopp\nmedel;1\n",
                                         date=dt.date(2024, 8, 31), actor=director)


def test_the_outsider_gets_404_on_every_page_and_post(budget, an_import, outsider, login):
    client = login(outsider)
    for name, url in urls(budget, import_pk=an_import.pk).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"amount": "1"}).status_code in (404, 405), name
    assert client.post(reverse("finance:budget_pdf", args=[budget.organisation.slug, 2024])).status_code == 404
    assert client.post(reverse("finance:line_add", args=[budget.organisation.slug, 2024]),
                       {"rad-group": "1", "rad-name": "x"}).status_code == 404
    assert budget.lines.count() == 6 and budget.versions.count() == 1


def test_anonymous_gets_404_when_budgets_are_not_public(budget, an_import, client):
    for name, url in urls(budget, import_pk=an_import.pk).items():
        assert client.get(url).status_code == 404, name


def test_anonymous_reads_adopted_budgets_when_public_but_edits_nothing(budget, an_import, client, director):
    budget.organisation.budgets_public = True
    budget.organisation.save()
    budget_version_create(budget=budget, label="Utkast till revidering", amounts={"mgt": "-1"},
                                   actor=director)
    u = urls(budget, import_pk=an_import.pk)
    page = client.get(u["budget"])
    assert page.status_code == 200
    assert "Budget 2024" in page.content.decode() and "Utkast till revidering" not in page.content.decode()
    assert "?fragment=rad" not in page.content.decode()
    for name in ["list", "excel", "line"]:
        assert client.get(u[name]).status_code == 200, name
    for name in EDIT_PAGES + ["contributions"]:
        assert client.get(u[name]).status_code == 404, name
    assert client.post(u["line"], {"amount": "-1", "based_on": ""}).status_code == 404
    assert ForecastEntry.objects.count() == 0


def test_an_unadopted_budget_is_not_public(budget, client):
    budget.organisation.budgets_public = True
    budget.organisation.save()
    budget.versions.update(adopted=False)
    assert client.get(urls(budget)["budget"]).status_code == 404


@pytest.mark.parametrize("role", ["member", "auditor", "chair", "secretary"])
def test_board_members_and_auditors_read_but_do_not_edit(request, budget, an_import, login, role):
    client = login(request.getfixturevalue(role))
    u = urls(budget, import_pk=an_import.pk)
    for name in READ_PAGES:
        assert client.get(u[name]).status_code == 200, name
    assert "?fragment=rad" not in client.get(u["budget"]).content.decode()
    for name in EDIT_PAGES:
        assert client.get(u[name]).status_code == 403, name
    assert client.post(u["line"], {"amount": "-1", "based_on": ""}).status_code == 403
    assert ForecastEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["director", "accountant"])
def test_director_and_accountant_edit(request, budget, an_import, login, role):
    client = login(request.getfixturevalue(role))
    draft = budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=None)
    u = urls(budget, import_pk=an_import.pk, version_pk=draft.pk)
    for name in READ_PAGES + EDIT_PAGES:
        assert client.get(u[name]).status_code == 200, name
    assert "?fragment=rad" in client.get(u["budget"]).content.decode()
    response = client.post(u["line"], {"amount": "-390 000", "comment": "Vakans", "based_on": ""})
    assert response.status_code == 302
    assert ForecastEntry.objects.get().amount == Decimal("-390000")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_the_budget_page_shows_seed_003s_table(login, db):
    demo.load(stdout=io.StringIO())
    from finance.models import Budget

    budget = Budget.objects.get(organisation__slug="vastmanland", year=2024)
    user = user_with_staff_role_in(budget.organisation, "chefen", StaffRole.Role.DIRECTOR)
    html = login(user).get(urls(budget)["budget"]).content.decode()
    text = _text(html)
    assert "Utfall 2024-08-31" in text
    assert "Samordningsteamet FNS -1 525 000 -462 394 -1 425 000 ! Stor avvikelse: 100 000" in text
    assert "Samordningsteam Sala -1 700 000 -745 806 -1 700 000 0" in text
    assert "SUMMA (resultat) -1 945 000 2 355 335 -1 703 329 241 671" in text
    assert "Medel till Samordningsteam FNS beräknas bli 100 000 lägre" in text
    assert "75,9 %" in text or "75.9 %" in text
    assert 'role="img"' in html and "<title id=\"diagram-titel\">" in html and "<desc" in html


def user_with_staff_role_in(organisation, username, role):
    from tests.factories import PersonFactory, StaffRoleFactory, UserFactory

    user = UserFactory(username=username)
    StaffRoleFactory(organisation=organisation, person=PersonFactory(user=user), role=role,
                     start=dt.date(2020, 1, 1))
    return user


def test_forecast_in_place_with_htmx_redraws_the_table(budget, director, login):
    client = login(director)
    u = urls(budget, "team-a")
    form_row = client.get(u["line"] + "?fragment=rad", HTTP_HX_REQUEST="true")
    assert form_row.status_code == 200
    assert form_row.content.decode().lstrip().startswith('<tr id="rad-team-a"')
    response = client.post(u["line"], {"amount": "-300 000", "comment": "Lägre", "based_on": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert text.lstrip().startswith("Prognosen är sparad")
    assert "Samordningsteam A -400 000 – -300 000 ! Stor avvikelse: 100 000 Lägre" in text
    assert "SUMMA (resultat) 0 0 100 000 100 000" in text


def test_the_forecast_form_in_place_focuses_the_amount_or_its_error_summary(budget, director, login):
    """The form goes through the product's renderer; opened in the row the amount has the
    focus, a refused one gives it to the error summary (HTMX focuses [autofocus])."""
    client = login(director)
    u = urls(budget, "team-a")
    row = client.get(u["line"] + "?fragment=rad", HTTP_HX_REQUEST="true").content.decode()
    amount = re.search(r'<input[^>]*name="amount"[^>]*>', row).group(0)
    assert "autofocus" in amount and 'inputmode="decimal"' in amount and 'autocomplete="off"' in amount
    assert 'aria-describedby="id_amount_helptext"' in amount and "error-summary" not in row
    refused = client.post(u["line"], {"amount": "mycket", "based_on": ""}, HTTP_HX_REQUEST="true").content.decode()
    summary = re.search(r'<div class="govuk-error-summary[^>]*>', refused).group(0)
    assert "autofocus" in summary and 'href="#id_amount"' in refused
    amount = re.search(r'<input[^>]*name="amount"[^>]*>', refused).group(0)
    assert "autofocus" not in amount and 'aria-invalid="true"' in amount
    assert 'aria-describedby="id_amount_helptext id_amount_error"' in amount
    assert 'id="id_amount_error"' in refused and "Ange ett belopp i kronor" in refused
    # On the line's own page the form does not take the focus.
    page = client.get(u["line"]).content.decode()
    assert "autofocus" not in re.search(r'<input[^>]*name="amount"[^>]*>', page).group(0)


def test_outcome_entry_errors_are_in_the_error_summary(budget, director, login):
    client = login(director)
    lines = {line.code: line.pk for line in budget.lines.all()}
    bad_row = client.post(urls(budget)["outcomes"], {"date": "2024-08-31", f"rad-{lines['mgt']}": "x"}).content.decode()
    summary = bad_row.split('<div class="govuk-error-summary', 1)[1].split("</ul>", 1)[0]
    assert "inte ett belopp" in summary
    bad_date = client.post(urls(budget)["outcomes"], {"date": "31/8", f"rad-{lines['mgt']}": "5"})
    assert bad_date.status_code == 422 and Outcome.objects.count() == 0
    html = bad_date.content.decode()
    assert 'href="#id_date">Utfall per datum: Ange ett giltigt datum (ÅÅÅÅ-MM-DD).</a>' in html
    date = re.search(r'<input[^>]*name="date"[^>]*>', html).group(0)
    assert 'type="date"' in date and 'aria-invalid="true"' in date and 'aria-describedby="id_date_error"' in date
    other_year = client.post(urls(budget)["outcomes"], {"date": "2023-12-31", f"rad-{lines['mgt']}": "5"})
    assert other_year.status_code == 422 and 'href="#id_date"' in other_year.content.decode()
    assert "inte i budgetåret" in other_year.content.decode()


def test_forecast_conflict_keeps_the_input_and_tells_who_changed_it(budget, director, accountant, login):
    line = BudgetLine.objects.get(budget=budget, code="team-b")
    first = forecast_update(line=line, amount=Decimal(-210_000), based_on=None, actor=director)
    forecast_update(line=line, amount=Decimal(-190_000), comment="Chefen", based_on=first.pk,
                             actor=director)
    client = login(accountant)
    u = urls(budget, "team-b")
    response = client.post(u["line"], {"amount": "-250 000", "comment": "Ekonomen", "based_on": first.pk})
    assert response.status_code == 409
    html = response.content.decode()
    assert "ändrade prognosen till -190" in html and 'value="-250 000"' in html and "Ekonomen" in html
    htmx = client.post(u["line"], {"amount": "-250 000", "comment": "Ekonomen", "based_on": first.pk},
                       HTTP_HX_REQUEST="true")
    assert htmx["HX-Retarget"] == "#rad-team-b" and "ändrade prognosen" in htmx.content.decode()
    assert ForecastEntry.objects.filter(line=line).latest("pk").comment == "Chefen"


def test_forecast_form_errors_in_swedish(budget, director, login):
    response = login(director).post(urls(budget)["line"], {"amount": "mycket", "based_on": ""})
    assert response.status_code == 422 and "Ange ett belopp i kronor" in response.content.decode()


def test_line_page_shows_forecast_history(budget, director, login):
    line = BudgetLine.objects.get(budget=budget, code="team-a")
    e1 = forecast_update(line=line, amount=Decimal(-380_000), comment="Första", based_on=None,
                                  actor=director)
    forecast_update(line=line, amount=Decimal(-350_000), comment="Andra", based_on=e1.pk, actor=director)
    text = _text(login(director).get(urls(budget)["line"]).content.decode())
    assert text.index("Andra") < text.index("Första")
    assert "-350 000 50 000 Andra" in text and "-380 000 20 000 Första" in text


def test_outcome_entry_saves_all_or_nothing(budget, director, login):
    client = login(director)
    lines = {line.code: line.pk for line in budget.lines.all()}
    bad = client.post(urls(budget)["outcomes"], {"date": "2024-08-31", f"rad-{lines['medel']}": "500 000",
                                                  f"rad-{lines['mgt']}": "x"})
    assert bad.status_code == 422 and Outcome.objects.count() == 0
    assert "inte ett belopp" in bad.content.decode()
    good = client.post(urls(budget)["outcomes"], {"date": "2024-08-31", f"rad-{lines['medel']}": "500 000",
                                                   f"rad-{lines['mgt']}": "-80 000"})
    assert good.status_code == 302 and Outcome.objects.count() == 2


def test_import_wizard_upload_map_preview_commit(budget, director, login):
    client = login(director)
    content = xlsx_bytes([["Konto", "Benämning", "Belopp"], ["", "Samordningsteam A", -120000], ["", "okänd", 5]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("export.xlsx", content)
    response = client.post(urls(budget)["import"], {"file": upload, "date": "2024-08-31"})
    assert response.status_code == 302
    preview_url = response["Location"]
    mapped = client.post(preview_url, {"action": "kolumner", "line_column": "1", "amount_column": "2",
                                       "year_column": ""})
    assert mapped.status_code == 302
    page = client.get(preview_url).content.decode()
    assert "Rad 3: Okänd budgetrad ”okänd”." in page and "Spara 2 utfallsrader" not in page
    commit = client.post(preview_url, {"action": "spara"})
    assert commit.status_code == 422 and Outcome.objects.count() == 0


def test_excel_has_real_sum_formulas_that_give_seed_003s_summa(login):
    demo.load(stdout=io.StringIO())
    from finance.models import Budget

    budget = Budget.objects.get(organisation__slug="vastmanland", year=2024)
    budget.organisation.budgets_public = True
    budget.organisation.save()
    response = Client().get(urls(budget)["excel"])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any(f.startswith("=SUM(B") for f in formulas)
    values = evaluate(ws)
    summa = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Resultat (SUMMA)")
    assert [values[(summa, c)] for c in (2, 3, 4, 5)] == [-1_945_000, 2_355_335, -1_703_329, 241_671]


def evaluate(ws) -> dict[tuple[int, int], float]:
    """A tiny evaluator for the formulas the export writes: =SUM(X1:X9), =X1+X2, =X1-X2."""
    from openpyxl.utils import column_index_from_string

    cache: dict[tuple[int, int], float] = {}

    def ref(text: str) -> tuple[int, int]:
        m = re.fullmatch(r"([A-Z]+)(\d+)", text)
        return int(m.group(2)), column_index_from_string(m.group(1))

    def value(r: int, c: int) -> float:
        if (r, c) in cache:
            return cache[(r, c)]
        v = ws.cell(r, c).value
        if isinstance(v, str) and v.startswith("="):
            expr = v[1:]
            m = re.fullmatch(r"SUM\(([A-Z]+\d+):([A-Z]+\d+)\)", expr)
            if m:
                (r1, c1), (r2, _) = ref(m.group(1)), ref(m.group(2))
                result = sum(value(rr, c1) for rr in range(r1, r2 + 1))
            else:
                result = 0.0
                for sign, cell in re.findall(r"([+-]?)([A-Z]+\d+)", expr):
                    result += (-1 if sign == "-" else 1) * value(*ref(cell))
        else:
            result = float(v) if isinstance(v, (int, float)) else 0.0
        cache[(r, c)] = result
        return result

    return {(r, c): value(r, c) for r in range(1, ws.max_row + 1) for c in range(1, ws.max_column + 1)}


def test_contributions_page(org, board, director, member, login):
    state_allocation_set(organisation=org, year=2024, amount=Decimal(9_519_000),
                                  nns_fee_proposed_per_mille=Decimal("3.5"), actor=director)
    contribution_key_set(organisation=org, year=2024, member=board.members[3], population=3, actor=director)
    contribution_key_set(organisation=org, year=2024, member=board.members[4], population=1, actor=director)
    equity_set(organisation=org, year=2023, amount=Decimal(4_000_000), actor=director)
    text = _text(login(member).get(reverse("finance:contributions", args=[org.slug, 2024])).content.decode())
    assert "Kommun A (prov) 3 75,0 % 3 569 625" in text
    assert "Kommun B (prov) 1 25,0 % 1 189 875" in text
    assert "Summa medel 19 038 000" in text
    assert "38 076 kr" in text and "66 633 kr" in text and "2023-12-31 4 000 000 kr" in text


def _grow(budget, director, n):
    group = budget.groups.get(kind="individ")
    for i in range(n):
        line = budget_line_add(budget=budget, group=group, code=f"extra-{i}", name=f"Extra {i}",
                                        actor=director)
        outcome_set(line=line, date=dt.date(2024, 8, 31), amount=Decimal(-i), actor=director)
        forecast_update(line=line, amount=Decimal(-i), based_on=None, actor=director)


def test_budget_page_query_count_does_not_grow_with_lines(budget, director, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(director)
    url = urls(budget)["budget"]
    _grow(budget, director, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_more = 40
    group = budget.groups.get(kind="struktur")
    for i in range(_grow_more):
        line = budget_line_add(budget=budget, group=group, code=f"more-{i}", name=f"More {i}", actor=director)
        forecast_update(line=line, amount=Decimal(-i), comment="k", based_on=None, actor=director)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    with django_assert_max_num_queries(len(small)):
        client.get(url)


def test_director_creates_a_budget_from_last_years_lines_and_adopts_it(budget, director, login):
    client = login(director)
    slug = budget.organisation.slug
    response = client.post(reverse("finance:budget_create", args=[slug]), {"year": "2025", "copy_from": "2024"})
    assert response.status_code == 302
    from finance.models import Budget

    new = Budget.objects.get(organisation=budget.organisation, year=2025)
    assert sorted(new.lines.values_list("code", flat=True)) == sorted(budget.lines.values_list("code", flat=True))
    lines = {line.code: line.pk for line in new.lines.all()}
    data = {"label": "Budget 2025", "adopted": "on", "adopted_on": "2024-11-20",
            **{f"belopp-{pk}": "0" for pk in lines.values()}}
    data[f"belopp-{lines['medel']}"] = "1 200 000"
    data[f"belopp-{lines['team-a']}"] = "-500 000"
    assert client.post(reverse("finance:version_create", args=[slug, 2025]), data).status_code == 302
    version = new.versions.get()
    assert version.adopted and version.adopted_on == dt.date(2024, 11, 20)
    text = _text(client.get(reverse("finance:budget", args=[slug, 2025])).content.decode())
    assert "SUMMA (resultat) 700 000" in text


def test_revision_page_keeps_the_original_and_shows_both(budget, director, login):
    client = login(director)
    slug = budget.organisation.slug
    page = client.get(urls(budget)["version"]).content.decode()
    lines = {line.code: line.pk for line in budget.lines.all()}
    assert f'name="belopp-{lines["team-a"]}" value="-400 000"' in page.replace("\u00a0", " ")
    data = {"label": "Reviderad budget 2024", "adopted": "on", "adopted_on": "2024-06-10",
            **{f"belopp-{pk}": "" for pk in lines.values()}}
    for line in budget.lines.all():
        data[f"belopp-{line.pk}"] = str(line.amounts.get().amount)
    data[f"belopp-{lines['team-a']}"] = "-300 000"
    bad = client.post(urls(budget)["version"], {**data, f"belopp-{lines['mgt']}": "mycket"})
    assert bad.status_code == 422 and budget.versions.count() == 1
    assert client.post(urls(budget)["version"], data).status_code == 302
    text = _text(client.get(reverse("finance:budget", args=[slug, 2024])).content.decode())
    assert "Budget 2024 Reviderad budget 2024" in text
    assert "Samordningsteam A -400 000 -300 000" in text
    assert "SUMMA (resultat) 0 100 000" in text


def test_settings_threshold_changes_which_lines_are_highlighted(budget, director, login):
    client = login(director)
    line = BudgetLine.objects.get(budget=budget, code="team-a")
    forecast_update(line=line, amount=Decimal(-380_000), based_on=None, actor=director)
    assert 'class="govuk-table__row line highlight"' not in client.get(urls(budget)["budget"]).content.decode()
    bad = client.post(urls(budget)["settings"], {"deviation_threshold": "x", "individual_target_percent": "60"})
    assert bad.status_code == 422
    assert client.post(urls(budget)["settings"], {"deviation_threshold": "20 000",
                                                  "individual_target_percent": "60"}).status_code == 302
    html = client.get(urls(budget)["budget"]).content.decode()
    assert '<tr id="rad-team-a" class="govuk-table__row line highlight">' in html


def test_accountant_sets_allocation_key_and_equity_all_or_nothing(org, board, accountant, login):
    from finance.models import ContributionKey, Equity, StateAllocation

    client = login(accountant)
    url = reverse("finance:contributions_edit", args=[org.slug, 2024])
    kommun_a, kommun_b = board.members[3].pk, board.members[4].pk
    form = client.get(url).content.decode()
    assert f'name="invanare-{kommun_a}"' in form and f'name="invanare-{kommun_b}"' in form
    data = {"allocation": "9 519 000", "nns_fee_per_mille": "2", "nns_fee_proposed_per_mille": "3,5",
            "equity_previous_year": "4 100 000", f"invanare-{kommun_a}": "30000", f"invanare-{kommun_b}": "0"}
    bad = client.post(url, data)
    assert bad.status_code == 422
    assert not StateAllocation.objects.exists() and not ContributionKey.objects.exists() and not Equity.objects.exists()
    data[f"invanare-{kommun_b}"] = "10000"
    assert client.post(url, data).status_code == 302
    text = _text(client.get(reverse("finance:contributions", args=[org.slug, 2024])).content.decode())
    assert "Kommun A (prov) 30 000 75,0 % 3 569 625" in text and "66 633 kr" in text
    assert "2023-12-31 4 100 000 kr" in text


def test_a_year_outside_the_calendar_is_404_not_an_error(budget, director, login):
    client = login(director)
    slug = budget.organisation.slug
    for year in (0, 99999):
        for path in (f"/forbund/{slug}/budget/{year}/", f"/forbund/{slug}/medlemsinsats/{year}/andra/"):
            assert client.get(path).status_code == 404, path


def test_the_director_adopts_a_draft_version_with_date_and_decision(budget, director, member, login):
    draft = budget_version_create(budget=budget, label="Reviderad budget 2024", amounts={"mgt": "-150000"},
                                           actor=director)
    client = login(director)
    u = urls(budget, version_pk=draft.pk)
    page = client.get(u["budget"]).content.decode()
    assert f'href="{u["adopt"]}"' in page
    assert u["adopt"] not in login(member).get(u["budget"]).content.decode()  # readers get no link

    missing = client.post(u["adopt"], {"decision_reference": "§ 31"})
    assert missing.status_code == 422 and "Detta fält måste fyllas i." in missing.content.decode()
    draft.refresh_from_db()
    assert not draft.adopted

    done = client.post(u["adopt"], {"adopted_on": "2024-06-12", "decision_reference": "§ 31"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.adopted and draft.adopted_on == dt.date(2024, 6, 12) and draft.decision_reference == "§ 31"
    assert AuditEvent.objects.filter(verb="budget.adopted").count() == 1
    page = client.get(u["budget"]).content.decode()
    assert "antagen 2024-06-12" in page
    assert u["adopt"] not in page
    assert client.get(u["adopt"]).status_code == 404  # adopted: nothing left to adopt


def test_a_draft_overtaken_by_a_later_adopted_version_is_not_adopted(budget, director, login):
    draft = budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=director)
    budget_version_create(budget=budget, label="Reviderad budget 2024", amounts={"mgt": "-2"},
                                   adopted=True, adopted_on=dt.date(2024, 6, 1), actor=director)
    client = login(director)
    u = urls(budget, version_pk=draft.pk)
    assert u["adopt"] not in client.get(u["budget"]).content.decode()
    refused = client.post(u["adopt"], {"adopted_on": "2024-06-12"})
    assert refused.status_code == 422
    assert "Reviderad budget 2024 är antagen efter det här utkastet" in refused.content.decode()
    draft.refresh_from_db()
    assert not draft.adopted


def test_a_lines_typed_texts_are_text_on_the_budget_page(budget, director):
    """The table's rows are written in Python (finance/templatetags/finance_report.py): a line's
    name and its forecast's comment are shown as typed, never as markup."""
    group = budget.groups.first()
    line = budget_line_add(budget=budget, group=group, code="xss", name='<img src=x onerror="alert(1)">', actor=director)
    forecast_update(line=line, amount=Decimal(-1), comment="<script>alert('k')</script> & mer", based_on=None,
                    actor=director)
    client = Client()
    client.force_login(director)
    page = client.get(f"/forbund/{budget.organisation.slug}/budget/{budget.year}/").content.decode()
    row = page[page.index('<tr id="rad-xss"'):]
    row = row[:row.index("</tr>")]
    assert "<img" not in row and "<script" not in row
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in row
    assert "&lt;script&gt;alert(&#x27;k&#x27;)&lt;/script&gt; &amp; mer" in row
    assert f'href="/forbund/{budget.organisation.slug}/budget/{budget.year}/rad/xss/"' in row


def test_a_comment_is_shortened_to_twelve_words_on_one_line_in_the_table(budget, director):
    """The table shows at most twelve words of a forecast's comment, on one line; the
    Kommentarer section below it shows the whole comment."""
    lines = BudgetLine.objects.filter(budget=budget).order_by("pk")
    long = " ".join(f"ord{i}" for i in range(1, 16))
    forecast_update(line=lines[0], amount=Decimal(-1), comment=long, based_on=None, actor=director)
    forecast_update(line=lines[1], amount=Decimal(-1), comment="Vakans\n  under   våren", based_on=None,
                    actor=director)
    twelve = " ".join(f"ord{i}" for i in range(1, 13))
    forecast_update(line=lines[2], amount=Decimal(-1), comment=twelve, based_on=None, actor=director)
    client = Client()
    client.force_login(director)
    page = client.get(f"/forbund/{budget.organisation.slug}/budget/{budget.year}/").content.decode()

    def cell(line):
        row = page[page.index(f'<tr id="rad-{line.code}"'):]
        row = row[:row.index("</tr>")]
        return re.search(r'<td class="govuk-table__cell comment">(.*?)</td>', row).group(1)

    assert cell(lines[0]) == f"{twelve} …"
    assert cell(lines[1]) == "Vakans under våren"
    assert cell(lines[2]) == twelve
    assert long in page  # whole, in Kommentarer
