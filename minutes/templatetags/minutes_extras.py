"""`{% load minutes_extras %}`: the paragraph body's `richtext` filter, the notices' `markdown`
filter, and <option>s for the public filters (options_html, also the public search form's
OptionsSelect)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from minutes.drafting.rendering import render_markdown, render_richtext

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Markdown to sanitised HTML (nh3): a <script> in the text stays inert."""
    return render_markdown(text)


@register.filter(name="richtext")
def richtext_filter(text: str | None) -> SafeString:
    """A paragraph's body (the HTML subset, or Markdown from before it) sanitised again with
    nh3 (minutes/drafting/rendering.py)."""
    return render_richtext(text)


def options_html(choices: Iterable[tuple[object, object]], current: str) -> SafeString:
    """<option>s for (value, label) pairs, `current` selected.

    Written in Python with the standard library's escape: Django's select widget renders
    every option through a template of its own, and even format_html per option cost 4 ms
    for the public search form's 160 options, more than its SQL; a {% for %} over the 72
    associations of the board's filter cost 2 ms.
    """
    return mark_safe("".join(  # noqa: S308 - every value and label escaped here
        f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>{escape(str(label))}</option>'
        for value, label in choices
    ))


@register.simple_tag
def organisation_options(organisations: Iterable[Any], selected: Any = None) -> SafeString:
    """"Alla förbund" and every association (slug, name), `selected` (one of them) selected."""
    return options_html([("", "Alla förbund"), *((o.slug, o.name) for o in organisations)],
                    selected.slug if selected else "")
