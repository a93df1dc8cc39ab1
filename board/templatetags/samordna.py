"""Template filters: {% load samordna %} then {{ amount|kr }}, {{ amount|belopp }}, {{ day|datum }},
{{ text|nowrap_dates }}, {{ user|namn }} (the person's name, never the login: board.people)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from board.formatting import format_amount, format_date, format_kr
from board.people import display_name

register = template.Library()
register.filter("kr", format_kr)
register.filter("belopp", format_amount)
register.filter("datum", format_date)
register.filter("namn", display_name)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@register.filter(needs_autoescape=True)
def nowrap_dates(value: object, autoescape: bool = True) -> SafeString:
    """The text, escaped, with each date ("2023-11-02") in a <span class="date"> that keeps it
    on one line (a heading must not read "2023-11-" / "02")."""
    text = conditional_escape(str(value)) if autoescape else str(value)
    return mark_safe(ISO_DATE.sub(r'<span class="date">\g<0></span>', text))
