"""The budget Excel export: each group appears once with its lines and its subtotal."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _export(client, budget) -> bytes:
    response = client.get(reverse("finance:budget_excel", args=[budget.organisation.slug, budget.year]))
    assert response.status_code == 200
    return response.content


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
