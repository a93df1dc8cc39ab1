"""Template filters: {% load samordna %} then {{ amount|kr }}, {{ amount|belopp }}, {{ day|datum }}."""

from __future__ import annotations

from django import template

from board.formatting import format_amount, format_date, format_kr

register = template.Library()
register.filter("kr", format_kr)
register.filter("belopp", format_amount)
register.filter("datum", format_date)
