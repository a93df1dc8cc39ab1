"""`{% load minutes_extras %}`: the minutes' Markdown filter, and <option>s for the public filters."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from minutes.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Markdown to sanitised HTML (nh3): a <script> in the text stays inert."""
    return render_markdown(text)


@register.simple_tag
def select_options(field: BoundField) -> SafeString:
    """The <option>s of a bound ChoiceField, the current value selected.

    Written in Python: Django's select widget renders every option through a template of its
    own, which for the public search form's 160 options cost more than the search itself.
    """
    current = "" if field.value() is None else str(field.value())
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if str(value) == current else "", label)  # noqa: S308 - a constant
         for value, label in field.field.choices),
    )
