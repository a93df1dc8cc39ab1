"""The budget report's line rows, written in Python.

At 300 lines the template language's lookups and filters per cell (about 27 a row) and a
`{% url %}` per row were most of the budget page's time (`bench/finance_report.py --profile`).
`{% report_rows block.rows ... %}` writes each line's `<tr>` as one string (report_line), every
typed text escaped; the line's address is reversed once per page and each row's is that and
its code (a slug).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from board.formatting import format_amount

register = template.Library()

FLAG = '<span class="flag" aria-hidden="true">!</span><span class="visually-hidden">Stor avvikelse: </span>'


def _line_base(context: template.Context, slug: str, year: int) -> str:
    """/forbund/<slug>/budget/<year>/rad/, reversed once for the page's rendering."""
    key = f"finance_line_base:{slug}:{year}"
    base = context.render_context.get(key)
    if base is None:
        base = context.render_context[key] = reverse("finance:line", args=[slug, year, "x"])[: -len("x/")]
    return str(base)


NUM = "govuk-table__cell govuk-table__cell--numeric num"  # GOV.UK Frontend's numeric cell


@register.simple_tag(takes_context=True)
def report_rows(context: template.Context, rows: Any, slug: str, year: int, can_edit: bool, updated: Any) -> SafeString:
    """The <tr> of each of a group's lines (report_line), one tag for the group: a tag per line
    resolved its five arguments again on every line, two fifths of the rows' time at 300 lines."""
    base = _line_base(context, slug, year)
    return mark_safe("".join(report_line(row, base, can_edit, updated) for row in rows))  # noqa: S308 - report_line escapes


def report_line(row: Any, base: str, can_edit: bool, updated: Any) -> str:
    """One line's <tr>. Every text a person typed (the line's code, name and comment) and the
    address go through html.escape here; the amounts are format_amount's digits and spaces."""
    line = row.line
    url = escape(f"{base}{line.code}/")
    code, name = escape(line.code), escape(line.name)
    classes = "govuk-table__row line" + (" highlight" if row.highlighted else "") + (" updated" if updated == line.pk else "")
    budgets = "".join(f'<td class="{NUM}">{format_amount(amount)}</td>' for amount in row.budgets)
    # Twelve words at most, on one line; Truncator (a lazy object per call, a sixth of a row's
    # time) only for a comment it shortens.
    words = row.comment.split()
    comment = escape(" ".join(words) if len(words) <= 12 else Truncator(row.comment).words(12, truncate=" …"))
    edit = (
        f'<td class="govuk-table__cell"><a href="{url}" hx-get="{url}?fragment=rad" hx-target="closest tr" hx-swap="outerHTML"'
        f'{" autofocus" if updated == line.pk else ""}>Ändra<span class="visually-hidden"> prognos för {name}</span></a></td>'
    ) if can_edit else ""
    return (  # every typed text above is escaped
        f'<tr id="rad-{code}" class="{classes}">\n      <th class="govuk-table__header" scope="row"><a href="{url}">{name}</a></th>\n      {budgets}\n'
        f'      <td class="{NUM}">{format_amount(row.outcome) or "–"}</td>\n'
        f'      <td class="{NUM}" data-col="prognos">{format_amount(row.forecast)}</td>\n'
        f'      <td class="{NUM}" data-col="avvikelse">{FLAG if row.highlighted else ""}{format_amount(row.deviation)}</td>\n'
        f'      <td class="govuk-table__cell comment">{comment}</td>\n      {edit}\n    </tr>'
    )
