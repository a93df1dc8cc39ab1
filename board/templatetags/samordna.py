"""Template filters: {% load samordna %} then {{ amount|kr }}, {{ amount|belopp }}, {{ day|datum }},
{{ text|nowrap_dates }}, {{ user|namn }} (the person's name, never the login: board.people);
{% nav_item url label %} (the header's navigation)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
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


@register.simple_tag(takes_context=True)
def nav_item(context: template.Context, url: str, label: str) -> SafeString:
    """One item of the header's service navigation (GOV.UK Frontend), marked as the current
    page (aria-current) when the request's path is at or under `url`."""
    request = context.get("request")
    path = getattr(request, "path", "")
    current = url != "/" and path.startswith(url)
    if current:
        return format_html(
            '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
            '<a class="govuk-service-navigation__link" href="{}" aria-current="page">'
            '<strong class="govuk-service-navigation__active-fallback">{}</strong></a></li>',
            url, label,
        )
    return format_html(
        '<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="{}">{}</a></li>',
        url, label,
    )

