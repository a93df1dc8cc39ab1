"""`{% load minutes_extras %}`: the paragraph body's `richtext` filter, the notices' `markdown`
filter, and the <option>s of the board's association filter (board.forms.options_html)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from board.forms import options_html
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


@register.simple_tag
def organisation_options(organisations: Iterable[Any], selected: Any = None) -> SafeString:
    """"Alla förbund" and every association (slug, name), `selected` (one of them) selected."""
    return options_html([("", "Alla förbund"), *((o.slug, o.name) for o in organisations)],
                    selected.slug if selected else "")
