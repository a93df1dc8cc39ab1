"""Markdown in, safe HTML out: the body of a paragraph is the secretary's text, never trusted."""

from __future__ import annotations

import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# What minutes need: paragraphs, lists, emphasis, headings, tables, links. No images, no
# raw HTML survives (nh3 drops <script> with its content and every on* attribute).
ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One converter per thread, reset between texts: building one (its extensions and
    processors) cost as much as converting a paragraph."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return converter


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    html = _converter().reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
