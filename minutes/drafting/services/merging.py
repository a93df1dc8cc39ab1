"""Two texts of one § side by side with their differences marked, and a three-way merge of
them against the text both started from. Pure functions: no database, no request.

The editor uses them when a save meets a newer version (someone else saved the § while the
secretary typed, `paragraphs.StaleParagraph`). They work on a body in the stored HTML subset
(p, br, strong, em, u, s, ul, ol, li, a, tables) and on plain text (the title, the decision's
"Att …" clauses, a body from before the HTML subset). A text is cut into tokens (a tag, a
word, a run of spaces, a punctuation mark, a line break) and compared with difflib;
what comes out is built from those tokens with every piece of text escaped and, for HTML,
cleaned again with nh3: the texts are typed by people and never trusted.

The merge is diff3 on the tokens: a change made on one side only is taken; where both sides
changed the same place differently, both texts are kept, one after the other, between
⟦ ⟧ markers that name whose text each is, for the secretary to edit. Nothing either side
wrote is dropped without being shown. It merges whole blocks (paragraphs, lists, tables)
first and words only inside the blocks both changed, so a merge never splices a tag of one
text into the middle of the other's: where the overlapping change involves formatting, the
two versions of the blocks are kept whole.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# The tags a body may hold (the stored subset, with the older Markdown output's few extras)
# and the diff markers. Everything else is dropped by nh3 on the way out.
BODY_TAGS = frozenset({
    "p", "br", "strong", "em", "u", "s", "b", "i", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "blockquote", "code", "pre",
    "sub", "sup", "hr",
})
DIFF_TAGS = BODY_TAGS | {"ins", "del"}
INLINE_TAGS = frozenset({"strong", "em", "u", "s", "b", "i", "a", "code", "sub", "sup"})
VOID_TAGS = frozenset({"br", "hr"})
ATTRIBUTES = {"a": {"href"}}

Kind = Literal["tag", "text", "nl"]


@dataclass(frozen=True)
class Token:
    kind: Kind
    raw: str  # the text as typed (for plain text), or the tag's name (for a tag)
    html: str  # escaped text, or the tag as HTML
    key: tuple[str, ...]  # what the comparison sees
    opens: bool = False  # a start tag of a block element
    closes: bool = False  # an end tag of a block element


# A word, a run of spaces, a punctuation mark (and for plain text a line break on its own).
_HTML_WORDS = re.compile(r"[^\W_]+|\s+|[\W_]", re.UNICODE)
_PLAIN_WORDS = re.compile(r"\n|[^\W_]+|[^\S\n]+|[\W_]", re.UNICODE)
_BLOCK_START = re.compile(r"\s*<(p|ul|ol|li|table|br|h[1-6]|blockquote|pre)\b", re.IGNORECASE)


def is_html(text: str) -> bool:
    """Whether a body is in the HTML subset (it starts with a block tag) rather than plain text."""
    return bool(_BLOCK_START.match(text or ""))


def _text_key(word: str) -> str:
    """A word compares as itself; any run of spaces as one space."""
    return word.strip() or " "


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.inline: list[str] = []  # the inline tags open here, as HTML (the words' context)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ATTRIBUTES.get(tag, set())
        attributes = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs if name in allowed
        )
        markup = f"<{tag}{attributes}>"
        if tag in VOID_TAGS:
            self.tokens.append(Token("tag", tag, markup, ("tag", markup)))
            return
        if tag in INLINE_TAGS:
            self.inline.append(markup)
        self.tokens.append(Token("tag", tag, markup, ("tag", markup), opens=tag not in INLINE_TAGS))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag in INLINE_TAGS:
            for i in range(len(self.inline) - 1, -1, -1):
                if self.inline[i].startswith(f"<{tag}"):
                    del self.inline[i]
                    break
        markup = f"</{tag}>"
        self.tokens.append(Token("tag", tag, markup, ("tag", markup), closes=tag not in INLINE_TAGS))

    def handle_data(self, data: str) -> None:
        context = tuple(self.inline)
        for word in _HTML_WORDS.findall(data):
            self.tokens.append(Token("text", word, html.escape(word, quote=False), ("text", *context, _text_key(word))))


def tokens_of(text: str, *, as_html: bool) -> list[Token]:
    """The tokens of a text: tags and words of HTML, or words and line breaks of plain text."""
    text = (text or "").replace("\r\n", "\n")
    if as_html:
        parser = _Tokenizer()
        parser.feed(text)
        parser.close()
        return parser.tokens
    return [
        Token("nl", word, "<br>", ("nl",)) if word == "\n"
        else Token("text", word, html.escape(word, quote=False), ("text", _text_key(word)))
        for word in _PLAIN_WORDS.findall(text)
    ]


def _keys(tokens: Sequence[Token]) -> list[tuple[str, ...]]:
    return [t.key for t in tokens]


def _clean(markup: str, tags: frozenset[str]) -> str:
    return nh3.clean(
        markup, tags=set(tags), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
    )


# --- Side by side -------------------------------------------------------------------------


def _bridged(tokens: Sequence[Token], changed: Sequence[bool]) -> list[bool]:
    """Spaces between two changed words count as changed, so "med tillägg" is one run."""
    result = list(changed)
    for i, token in enumerate(tokens):
        if (
            not result[i] and token.kind == "text" and not token.raw.strip()
            and 0 < i < len(tokens) - 1 and result[i - 1] and changed[i + 1]
            and tokens[i - 1].kind == "text" and tokens[i + 1].kind == "text"
        ):
            result[i] = True
    return result


def _marked(tokens: Sequence[Token], changed: Sequence[bool], marker: str) -> str:
    """The tokens as HTML, each run of changed words inside <marker> (closed before any tag,
    so the markers never cross the text's own elements)."""
    changed = _bridged(tokens, changed)
    out: list[str] = []
    open_ = False
    for token, is_changed in zip(tokens, changed, strict=True):
        if token.kind == "text" and (is_changed and (open_ or token.raw.strip())):
            if not open_:
                out.append(f"<{marker}>")
                open_ = True
        elif open_:
            out.append(f"</{marker}>")
            open_ = False
        out.append(token.html)
    if open_:
        out.append(f"</{marker}>")
    return "".join(out)


@dataclass(frozen=True)
class SideBySide:
    mine: SafeString
    theirs: SafeString
    differs: bool


def side_by_side(mine: str, theirs: str, *, as_html: bool | None = None) -> SideBySide:
    """Two texts as HTML for two columns: in `theirs` (the saved text) the words yours lacks
    inside <del>, in `mine` the words the saved text lacks inside <ins>. A word whose
    formatting changed (made bold, linked) counts as changed. Plain text keeps its line
    breaks (<br>); everything typed is escaped."""
    if as_html is None:
        as_html = is_html(mine) or is_html(theirs)
    a = tokens_of(theirs, as_html=as_html)
    b = tokens_of(mine, as_html=as_html)
    changed_a = [False] * len(a)
    changed_b = [False] * len(b)
    matcher = difflib.SequenceMatcher(None, _keys(a), _keys(b), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changed_a[i1:i2] = [True] * (i2 - i1)
            changed_b[j1:j2] = [True] * (j2 - j1)
    tags = DIFF_TAGS
    return SideBySide(
        mine=mark_safe(_clean(_marked(b, changed_b, "ins"), tags)),  # noqa: S308 - cleaned by nh3
        theirs=mark_safe(_clean(_marked(a, changed_a, "del"), tags)),  # noqa: S308 - cleaned by nh3
        differs=_keys(a) != _keys(b),
    )


# --- Three-way merge ----------------------------------------------------------------------

Region = tuple[str, int, int, int, int, int, int]  # what, base i..j, mine i..j, theirs i..j


def _sync_regions(base: Sequence[object], mine: Sequence[object], theirs: Sequence[object]) -> list[tuple[int, ...]]:
    """Stretches of the base that both sides kept unchanged, with where they are in each
    side (the "sync regions" of diff3), ending with an empty one at the three ends."""
    a_blocks = difflib.SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    b_blocks = difflib.SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    regions: list[tuple[int, ...]] = []
    ia = ib = 0
    while ia < len(a_blocks) and ib < len(b_blocks):
        a_base, a_match, a_len = a_blocks[ia]
        b_base, b_match, b_len = b_blocks[ib]
        start, end = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if start < end:
            a_sub = a_match + (start - a_base)
            b_sub = b_match + (start - b_base)
            regions.append((start, end, a_sub, a_sub + end - start, b_sub, b_sub + end - start))
        if a_base + a_len < b_base + b_len:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(mine), len(mine), len(theirs), len(theirs)))
    return regions


def merge_regions(base: Sequence[object], mine: Sequence[object], theirs: Sequence[object]) -> Iterator[Region]:
    """diff3: the sequences cut into regions, each "unchanged", "same" (both sides made the
    same change), "mine" or "theirs" (only that side changed it) or "conflict"."""
    iz = im = it = 0
    for z0, z1, m0, m1, t0, t1 in _sync_regions(base, mine, theirs):
        if m0 > im or t0 > it:
            b_part, m_part, t_part = base[iz:z0], mine[im:m0], theirs[it:t0]
            if m_part == t_part:
                what = "same"
            elif m_part == b_part:
                what = "theirs"
            elif t_part == b_part:
                what = "mine"
            else:
                what = "conflict"
            yield (what, iz, z0, im, m0, it, t0)
        if z1 > z0:
            yield ("unchanged", z0, z1, m0, m1, t0, t1)
        iz, im, it = z1, m1, t1


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # places where both changed the same text, kept both between ⟦ ⟧


def _blocks(tokens: Sequence[Token], *, as_html: bool) -> list[list[Token]]:
    """Top-level blocks: an element such as <p>, <ul> or <table> with all it holds, or a run
    of loose text; for plain text, lines (each with its line break)."""
    blocks: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        if as_html:
            if token.opens:
                if depth == 0 and current:
                    blocks.append(current)
                    current = []
                depth += 1
            current.append(token)
            if token.closes:
                depth = max(0, depth - 1)
                if depth == 0:
                    blocks.append(current)
                    current = []
        else:
            current.append(token)
            if token.kind == "nl":
                blocks.append(current)
                current = []
    if current:
        blocks.append(current)
    return blocks


def _flat(blocks: Sequence[Sequence[Token]]) -> list[Token]:
    return [t for block in blocks for t in block]


@dataclass(frozen=True)
class _Labels:
    mine: str
    theirs: str


def _inline_conflict(mine: Sequence[Token], theirs: Sequence[Token], labels: _Labels, *, as_html: bool) -> str:
    """Both texts of one place, marked: ⟦Din text: …⟧ ⟦Text av Ann Rilegård: …⟧."""
    struck = _("(struket)")
    # The spaces or line break around the changed words stand around the pair of texts too.
    raw = "".join(t.raw for t in mine) if "".join(t.raw for t in mine).strip() else "".join(t.raw for t in theirs)
    lead = raw[: len(raw) - len(raw.lstrip())]
    tail = raw[len(raw.rstrip()):] if raw.strip() else " "
    if as_html:
        mine_text = "".join(t.html for t in mine).strip() or struck
        theirs_text = "".join(t.html for t in theirs).strip() or struck
        return (
            f"{lead}<strong>⟦{html.escape(labels.mine)}:</strong> {mine_text} <strong>⟧ "
            f"⟦{html.escape(labels.theirs)}:</strong> {theirs_text} <strong>⟧</strong>{tail}"
        )
    mine_text = "".join(t.raw for t in mine).strip() or struck
    theirs_text = "".join(t.raw for t in theirs).strip() or struck
    return f"{lead}⟦{labels.mine}: {mine_text}⟧ ⟦{labels.theirs}: {theirs_text}⟧{tail}"


def _block_conflict(mine: Sequence[Token], theirs: Sequence[Token], labels: _Labels) -> str:
    """Both versions of whole blocks, one after the other, between marker paragraphs."""
    return (
        f"<p><strong>⟦{html.escape(labels.mine)}:</strong></p>{''.join(t.html for t in mine)}"
        f"<p><strong>⟧ ⟦{html.escape(labels.theirs)}:</strong></p>{''.join(t.html for t in theirs)}"
        "<p><strong>⟧</strong></p>"
    )


def _out(tokens: Sequence[Token], *, as_html: bool) -> str:
    return "".join(t.html if as_html else t.raw for t in tokens)


def _merge_words(
    base: Sequence[Token], mine: Sequence[Token], theirs: Sequence[Token], labels: _Labels, *, as_html: bool
) -> tuple[str, int] | None:
    """Word by word; None when an overlapping change involves a tag (merge the blocks whole)."""
    out: list[str] = []
    conflicts = 0
    for what, _z0, _z1, m0, m1, t0, t1 in merge_regions(_keys(base), _keys(mine), _keys(theirs)):
        if what == "conflict":
            m_part, t_part = mine[m0:m1], theirs[t0:t1]
            if as_html and any(t.kind != "text" for t in (*m_part, *t_part)):
                return None
            out.append(_inline_conflict(m_part, t_part, labels, as_html=as_html))
            conflicts += 1
        elif what == "theirs":
            out.append(_out(theirs[t0:t1], as_html=as_html))
        else:
            out.append(_out(mine[m0:m1], as_html=as_html))
    return "".join(out), conflicts


def merge_text(
    base: str | None, mine: str, theirs: str, *, mine_label: str, theirs_label: str, as_html: bool | None = None
) -> Merged:
    """The three-way merge of `mine` and `theirs`, both edited from `base` (None: unknown,
    then every difference between them is a conflict and both texts are kept there).

    `mine_label`/`theirs_label` name the texts in the ⟦ ⟧ markers ("Din text", "Text av Ann
    Rilegård"). HTML comes out cleaned to the body's subset; plain text as plain text.
    """
    if as_html is None:
        as_html = is_html(mine) or is_html(theirs) or is_html(base or "")
    labels = _Labels(mine_label, theirs_label)
    if mine == theirs or theirs == base:
        return Merged(_clean(mine, BODY_TAGS) if as_html else mine, 0)
    if mine == base:
        return Merged(_clean(theirs, BODY_TAGS) if as_html else theirs, 0)
    # Plain text is merged line by line first: every line, the last too, ends with a line
    # break while merging, so a line added after the last one is not a change to it.
    end = "" if as_html else "\n"
    b_blocks = _blocks(tokens_of((base or "") + end, as_html=as_html), as_html=as_html)
    m_blocks = _blocks(tokens_of(mine + end, as_html=as_html), as_html=as_html)
    t_blocks = _blocks(tokens_of(theirs + end, as_html=as_html), as_html=as_html)

    def key(blocks: list[list[Token]]) -> list[tuple[tuple[str, ...], ...]]:
        return [tuple(_keys(block)) for block in blocks]

    out: list[str] = []
    conflicts = 0
    for what, z0, z1, m0, m1, t0, t1 in merge_regions(key(b_blocks), key(m_blocks), key(t_blocks)):
        if what == "theirs":
            out.append(_out(_flat(t_blocks[t0:t1]), as_html=as_html))
        elif what != "conflict":
            out.append(_out(_flat(m_blocks[m0:m1]), as_html=as_html))
        else:
            m_part, t_part = _flat(m_blocks[m0:m1]), _flat(t_blocks[t0:t1])
            words = _merge_words(_flat(b_blocks[z0:z1]), m_part, t_part, labels, as_html=as_html)
            if words is None:
                out.append(_block_conflict(m_part, t_part, labels))
                conflicts += 1
            else:
                out.append(words[0])
                conflicts += words[1]
    text = "".join(out)
    if as_html:
        return Merged(_clean(text, BODY_TAGS), conflicts)
    return Merged(text[:-1] if text.endswith("\n") and not mine.endswith("\n") else text, conflicts)
