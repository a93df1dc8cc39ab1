"""`{% load minutes_extras %}`: the minutes' Markdown filter."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from minutes.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Markdown to sanitised HTML (nh3): a <script> in the text stays inert."""
    return render_markdown(text)
