"""The text of a paragraph: a restricted HTML subset, sanitised on every save and again when shown.

`Paragraph.body` holds only p, br, strong, em, u, s, ul, ol, li, a[href] (http, https,
mailto), table, thead, tbody, tr, th and td: what the editor (Quill) produces for bold,
italic, lists, links and simple tables, and nothing else (no style, class, span, font or
colour). `clean_html` makes any input that (the services call it on every save: form,
autosave, API); the `richtext` template filter cleans it again when it is shown (defence in
depth) and `body_text` gives the words for the search index.

Bodies written before the HTML subset (migration 0016 converted the live paragraphs; the
signed snapshots of justerade minutes cannot change) are Markdown: stored HTML always starts
with a block tag (`<p>`, `<ul>`, `<ol>`, `<table>`), so a body that does not is Markdown and is
converted with the same renderer it was written for, then cleaned to the same subset.
Notices (anslag) keep Markdown: `render_markdown`.
"""

from __future__ import annotations

import functools
import re
import threading
from html import escape
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# Markdown (notices, and paragraphs written before the HTML subset): what minutes need.
# No images, no raw HTML survives (nh3 drops <script> with its content and every on* attribute).
ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}

# The paragraph body's HTML subset. <b> and <i> are let through nh3 only to be renamed.
BODY_TAGS = {
    "p", "br", "strong", "em", "u", "s", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
BODY_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
BLOCK_START = re.compile(r"^<(p|ul|ol|table)[\s>]")
_RENAMES = (("<b>", "<strong>"), ("</b>", "</strong>"), ("<i>", "<em>"), ("</i>", "</em>"))
_EMPTY_EDGE = re.compile(r"^(\s*<p>(\s|<br>)*</p>)+|(<p>(\s|<br>)*</p>\s*)+$")

_local = threading.local()


def _converter() -> markdown.Markdown:
    """One converter per thread, reset between texts: building one (its extensions and
    processors) cost as much as converting a paragraph."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return converter


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML (notices)."""
    if not text:
        return mark_safe("")
    html_text = _converter().reset().convert(text)
    clean = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def _subset(text: str, link_rel: str | None = None) -> str:
    clean = nh3.clean(
        text, tags=BODY_TAGS | {"b", "i"}, attributes=BODY_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel=link_rel, strip_comments=True,
    )
    for old, new in _RENAMES:
        clean = clean.replace(old, new)
    return clean


def is_html(text: str) -> bool:
    """Whether a stored body is the HTML subset (else it is Markdown written before it)."""
    return bool(BLOCK_START.match(text.lstrip()))


def clean_html(text: str | None) -> str:
    """Any input to the body's HTML subset, as it is stored.

    HTML that starts with a block is sanitised to the subset (tags outside it dropped with
    their attributes, their text kept; <script>, <style> and comments dropped whole; links
    only http, https and mailto; <b>/<i> become <strong>/<em>); empty paragraphs at the
    start and end go. Anything else is plain text (escaped, so "<" stays a character): one
    <p> per stretch between blank lines, a single line break a <br>.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if not is_html(text):
        chunks = [c.strip() for c in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if c.strip()]
        text = "".join(f"<p>{escape(chunk)}</p>" for chunk in chunks)
        text = text.replace("\n", "<br>")
    clean = _EMPTY_EDGE.sub("", _subset(text)).strip()
    return clean


@functools.lru_cache(maxsize=1024)
def body_html(text: str | None) -> str:
    """A stored body, HTML subset or Markdown from before it, as the HTML subset.

    Kept for the last 1,024 bodies (a pure function of the text): a justering renders each
    body for the page and again for the search index, and the Markdown conversion of the
    bodies written before the HTML subset is most of that (bench_data, issue 18)."""
    text = (text or "").strip()
    if not text:
        return ""
    if is_html(text):
        return clean_html(text)
    return clean_html(_converter().reset().convert(text)) or clean_html(text)


def render_richtext(text: str | None) -> SafeString:
    """A body for a page or a PDF: cleaned again (links get rel="noopener noreferrer")."""
    return mark_safe(_subset(body_html(text), link_rel="noopener noreferrer"))  # noqa: S308 - nh3 just above


class _TextCollector(HTMLParser):
    BREAKS = {"p", "br", "li", "tr", "td", "th", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def body_text(text: str | None) -> str:
    """The words of a body, without tags (search index, plain-text messages): a line per
    paragraph, list item and table cell."""
    collector = _TextCollector()
    collector.feed(body_html(text))
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)
