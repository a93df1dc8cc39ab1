"""The demo is the seeds: every paragraph of seeds 000, 001 and 004, read from the seed files
themselves (copies of /work/shared/seeds in tests/minutes/seeds/), is in the demo's minutes in
full: its number and title, every sentence of its text, its handlingar, each decision as it is
modelled, Exp./Kopia till; the meeting's time, place, attendance and justerare. Each demo
meeting carries its kallelse (agenda items with their handlingar), and the walk-through meeting
has seed 004's agenda and no minutes, ready to be written from the agenda.
"""

from __future__ import annotations

import html as htmllib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from board.demo import loader as board_demo
from board.demo.data import ALIASES
from minutes.demo import loader as demo
from minutes.drafting import services
from minutes.models import Meeting, Paragraph

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).parent / "seeds"

# The seeds' page furniture, repeated on every page between and inside paragraphs.
FURNITURE = re.compile(
    r"^(Sammanträdesprotokoll|Sammanträdesdatum|Sida|Utdragsbestyrkande|-+\s+-+|\d+|\d{4}-\d\d-\d\d"
    r"|Samordningsförbundet Västmanland|Norra Västmanlands Samordningsförbund)$"
)
HEADING = re.compile(r"^((?:SVM |NVSam )?§ \d+)$")
HANDLING = re.compile(r"^(?:- )?\*?Handling(?:ar)?\s*[:-]\s*", re.IGNORECASE)


@dataclass
class SeedParagraph:
    label: str
    titles: set[str]
    dnr: str = ""
    text: list[str] = field(default_factory=list)  # the text's paragraphs and list items
    handlingar: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    exp_till: str = ""
    kopia_till: str = ""


def _plain(line: str) -> str:
    return " ".join(line.replace("*", "").split())


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def parse_seed(path: Path) -> tuple[str, list[SeedParagraph]]:
    """The seed's header (before its first §) and its paragraphs."""
    lines = path.read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if HEADING.match(line.strip()))
    header = "\n".join(lines[:first])
    toc = dict(re.findall(r"^- (§ \d+) (.+)$", header, re.MULTILINE))
    body = [line for line in lines[first:] if not FURNITURE.match(line.strip())]
    starts = [i for i, line in enumerate(body) if HEADING.match(line.strip())] + [len(body)]
    paragraphs = []
    for start, end in zip(starts, starts[1:], strict=False):
        label = body[start].strip()
        blocks = _blocks(body[start + 1:end])
        p = SeedParagraph(label=label, titles=set())
        if blocks[0][0].startswith("Dnr "):
            p.dnr = blocks.pop(0)[0].removeprefix("Dnr ")
        p.titles = {blocks.pop(0)[0], toc.get(label.split(" ", 1)[-1] if label.startswith(("SVM", "NVSam")) else label, "")}
        in_decision = after_handling = False
        for block in blocks:
            if block == ["Beslut"]:
                in_decision = True
            elif block[0].startswith("Exp. till:"):
                p.exp_till = block[0].removeprefix("Exp. till:").strip()
            elif block[0].startswith("Kopia till "):
                p.kopia_till = block[0].removeprefix("Kopia till ").strip()
            elif block[0] in ("Handling:", "Handlingar:"):
                after_handling = True
            elif after_handling or HANDLING.match(block[0]):
                p.handlingar += [_plain(HANDLING.sub("", line).removeprefix("- ")) for line in block]
                after_handling = False
            elif in_decision:
                p.decisions += [_plain(line.removeprefix("- ")) for line in block]
            elif block[0].startswith("-"):
                items: list[str] = []
                for line in block:  # a list: an item, and the lines that continue it
                    if line.startswith("-"):
                        items.append(line.removeprefix("-").strip())
                    else:
                        items[-1] += " " + line
                p.text += [_plain(i) for i in items]
            else:
                p.text.append(_plain(" ".join(block)))
        paragraphs.append(p)
    return header, paragraphs


def text_of(html: str) -> str:
    """What a reader sees: block elements apart, inline ones run on, entities decoded."""
    html = re.sub(r"<(?:em|strong|a|span|u|s|time|abbr)\b[^>]*>|</(?:em|strong|a|span|u|s|time|abbr)>", "", html)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", text) if s]


@pytest.fixture
def loaded():
    board_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())


@pytest.fixture
def secretary_client(client):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


SEED_MEETINGS = [
    ("000_63b9192c506db88b.txt", "vastmanland", "Interimsstyrelsen", "2023-08-29"),
    ("001_90a6bde803d3bf45.txt", "vastra-malardalen", "Styrelsen", "2020-09-03"),
    ("004_1b056f253d10c124.txt", "norra-vastmanland", "Styrelsen", "2023-11-02"),
]


def _section(page: str, paragraph: Paragraph) -> str:
    """The paragraph's section of the rendered minutes."""
    start = page.index(f'<section class="minutes-paragraph" id="para-{paragraph.pk}"')
    end = page.find('<section class="minutes-paragraph"', start + 1)
    return page[start:end if end != -1 else len(page)]


def test_the_seed_parser_reads_what_the_seeds_say():
    """The parser finds the seeds' paragraphs, text and decisions (so the test below is no
    vacuous pass): § 57 of seed 004 has nine paragraphs of text and its three-item list."""
    _, paragraphs = parse_seed(SEEDS / "004_1b056f253d10c124.txt")
    assert [p.label for p in paragraphs] == [f"NVSam § {n}" for n in range(54, 59)]
    p57 = paragraphs[3]
    assert len(p57.handlingar) == 5 and len(p57.decisions) == 1
    assert p57.text[0].startswith("Norra Västmanlands Samordningsförbund har varit medlem")
    assert p57.text[-1].startswith("Sammantaget är bedömningen")
    assert len(p57.text) == 9
    _, paragraphs = parse_seed(SEEDS / "001_90a6bde803d3bf45.txt")
    assert paragraphs[2].dnr == "SVM 2019/22" and paragraphs[2].exp_till == "Diariet"
    assert paragraphs[6].decisions == ["Styrelsen beslutar att tjänstemannen ska fortsätta att följa utvecklingen.",
                                       "Styrelsen beslutar att inte gå in i ÖMS-enheten i dagsläget"]
    _, paragraphs = parse_seed(SEEDS / "000_63b9192c506db88b.txt")
    assert paragraphs[4].text[2] == "Projekt SIP-utvecklare Västra Mälardalen"
    assert sum(len(p.text) for p in paragraphs) == 40


@pytest.mark.parametrize(("seed", "org", "organ", "day"), SEED_MEETINGS)
def test_every_paragraph_of_the_seed_is_in_the_demo_minutes_in_full(loaded, secretary_client, seed, org, organ, day):
    header, seed_paragraphs = parse_seed(SEEDS / seed)
    meeting = Meeting.objects.get(organ__organisation__slug=org, organ__name=organ, date=day)
    paragraphs = list(meeting.paragraphs.order_by("position").prefetch_related("clauses"))
    page = secretary_client.get(reverse("minutes:preview", args=[meeting.pk])).content.decode()

    assert [p.label for p in paragraphs] == [s.label for s in seed_paragraphs]
    missing: list[tuple[str, str]] = []  # (§, what): all of them, so a failure names every gap
    for paragraph, expected in zip(paragraphs, seed_paragraphs, strict=True):
        where = expected.label
        stock = paragraph.get_stock_decision_display() if paragraph.stock_decision else ""
        rendered = text_of(_section(page, paragraph))
        stored = text_of(paragraph.body)
        if paragraph.title not in expected.titles:
            missing.append((where, f"title {paragraph.title!r}"))
        if paragraph.dnr != expected.dnr:
            missing.append((where, f"Dnr {expected.dnr}"))
        for block in expected.text:
            for sentence in sentences(block):
                # "Ärendet föranleder inget beslut." is the modelled stock decision, not text.
                if sentence not in stored and sentence != stock or sentence not in rendered:
                    missing.append((where, sentence))
        decisions = [c.text for c in paragraph.clauses.all()] or ([stock] if stock else [])
        if decisions != expected.decisions and not (not expected.decisions and decisions == [stock]
                                                     and stock in expected.text):
            missing.append((where, f"decisions {expected.decisions} (demo: {decisions})"))
        missing += [(where, d) for d in decisions if d not in rendered]
        item_documents = paragraph.agenda_item.documents.all() if paragraph.agenda_item else []
        titles = [d.title.casefold() for d in item_documents]
        if titles != [h.casefold().removesuffix(".docx.pdf") for h in expected.handlingar]:
            missing.append((where, f"handlingar {expected.handlingar} (demo: {titles})"))
        missing += [(where, t) for t in titles if t not in rendered.casefold()]
        if (paragraph.exp_till, paragraph.kopia_till) != (expected.exp_till, expected.kopia_till):
            missing.append((where, f"Exp. till {expected.exp_till!r}, Kopia till {expected.kopia_till!r}"))
        for label, value in (("Exp. till", expected.exp_till), ("Kopia till", expected.kopia_till)):
            if value and f"{label}: {value}" not in rendered:
                missing.append((where, f"{label}: {value}"))
    assert not missing, "\n".join(f"{w}: {s}" for w, s in missing)

    # The header: time, place, everyone present, the justerare.
    plain = " ".join(header.replace("*", "").split())
    times = {f"{meeting.start_time:%H:%M}-{meeting.end_time:%H:%M}", f"{meeting.start_time:%H.%M} – {meeting.end_time:%H.%M}"}
    assert any(t in plain for t in times), times
    assert (meeting.place or "Digitalt via Teams") in plain

    def in_seed(name: str, text: str) -> bool:  # the registry's name, or a spelling of the seed's
        return any(n in text for n in [name, *(k for k, v in ALIASES.items() if v == name)])

    attendance = list(meeting.attendances.select_related("person"))
    assert attendance
    for row in attendance:
        assert in_seed(row.person.full_name, plain), row.person.full_name
    adjusters = [a.person.full_name for a in meeting.adjusters.select_related("person")]
    assert adjusters and all(in_seed(a, plain.split("Juster", 1)[1]) for a in adjusters), adjusters


@pytest.mark.parametrize(("seed", "org", "organ", "day"), SEED_MEETINGS)
def test_each_demo_meeting_has_its_kallelse_with_agenda_items_and_handlingar(
    loaded, secretary_client, seed, org, organ, day
):
    _, seed_paragraphs = parse_seed(SEEDS / seed)
    meeting = Meeting.objects.get(organ__organisation__slug=org, organ__name=organ, date=day)
    items = list(meeting.agenda_items.order_by("position").prefetch_related("documents", "paragraphs"))
    ordinary = [p for p in meeting.paragraphs.order_by("position")
                if p.kind in (Paragraph.Kind.ORDINARY, Paragraph.Kind.PREVIOUS)]
    assert items and [i.title for i in items] == [p.title for p in ordinary]
    assert [list(i.paragraphs.all()) for i in items] == [[p] for p in ordinary]
    handlingar = [h for s in seed_paragraphs for h in s.handlingar]
    assert sum(len(i.documents.all()) for i in items) == len(handlingar)
    page = text_of(secretary_client.get(reverse("minutes:kallelse", args=[meeting.pk])).content.decode())
    for item in items:
        assert item.title in page
        for d in item.documents.all():
            assert d.title in page


def test_the_walkthrough_meeting_has_seed_004s_agenda_and_minutes_left_to_write(loaded, secretary_client):
    seed = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    walk = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-12-07")
    assert walk.status == Meeting.Status.HELD and not walk.paragraphs.exists()
    assert (walk.start_time, walk.end_time, walk.is_remote, walk.kind) == (
        seed.start_time, seed.end_time, seed.is_remote, seed.kind)

    def agenda(m: Meeting) -> list[tuple[str, list[str]]]:
        return [(i.title, [d.title for d in i.documents.all()]) for i in m.agenda_items.order_by("position")]

    assert agenda(walk) == agenda(seed) and len(agenda(walk)) == 2
    page = secretary_client.get(reverse("minutes:kallelse", args=[walk.pk])).content.decode()
    assert "Påbörja protokollet" in page and "2023-11-02" in page

    # What the secretary does: the seed's two opening §§, one § per agenda item, Övriga frågor.
    services.minutes_start(meeting=walk, actor=None, opening=[Paragraph.Kind.ADJUSTERS, Paragraph.Kind.AGENDA],
                           closing=[Paragraph.Kind.OTHER])
    started = list(walk.paragraphs.order_by("position"))
    assert [p.title for p in started[2:4]] == [t for t, _ in agenda(seed)]
    assert len(started) == 5 and all(p.body == "" for p in started)
    # Seed 004 keeps its numbers; the walk-through's follow it in the board's 2023 series.
    assert [p.label for p in seed.paragraphs.order_by("position")] == [f"NVSam § {n}" for n in range(54, 59)]
    assert [p.label for p in started] == [f"NVSam § {n}" for n in range(59, 64)]

    # A reload leaves the started minutes and their status alone.
    demo.load(stdout=io.StringIO())
    walk.refresh_from_db()
    assert walk.status == Meeting.Status.DRAFTING and walk.paragraphs.count() == 5


def test_paragraph_bodies_are_the_html_subset_with_lists_where_the_seed_has_lists(loaded, secretary_client):
    allowed = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}
    bodies = list(Paragraph.objects.exclude(body="").values_list("body", flat=True))
    assert len(bodies) >= 20
    for body in bodies:
        assert body.startswith("<p>") or body.startswith("<ul>"), body[:40]
        assert set(re.findall(r"</?([a-z0-9]+)", body)) <= allowed, body[:80]
    nvsam = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    p57 = nvsam.paragraphs.get(number=57)
    page = secretary_client.get(reverse("minutes:preview", args=[nvsam.pk])).content.decode()
    section = _section(page, p57)
    body = section[section.index('<div class="para-body">'):]
    assert "<li>Tydligare och betydligt mer aktiva i stödet till Samordningsförbunden</li>" in body
    assert body.count("<p>") >= 9
