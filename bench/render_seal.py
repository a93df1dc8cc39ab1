"""Benchmark: render + seal a 13-page minutes document (issue 4: target below 1.5 s).

    uv run python bench/render_seal.py [--runs 7]

Builds minutes-like HTML in the layout of the seeds (running header with "Sida N (M)",
justering block, table of contents, paragraphs with "Utdragsbestyrkande"), renders it with
board.documents.pdf.render_pdf (PDF/A-3b, tagged, JSON attachment) and seals it with board.documents.pdf.seal_pdf,
N times; prints the median and min/max, and the sealing time alone. Uses the configured seal
certificate (creates the development one if missing, like `make run`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import pypdf  # noqa: E402
from django.conf import settings  # noqa: E402

from board.documents.pdf import PdfAttachment, render_pdf, seal_pdf, verify_pdf  # noqa: E402
from board.management.commands.create_dev_certificate import dev_certificate_create  # noqa: E402

TARGET_PAGES = 13
ORGAN = "Samordningsförbundet Västmanland"
DATE = "2024-03-21"

PAGE_CSS = f"""
@page {{
  size: A4; margin: 32mm 20mm 22mm 22mm;
  @top-left {{ content: "{ORGAN}\\A Sammanträdesprotokoll"; white-space: pre; font-size: 9pt; }}
  @top-center {{ content: "Sammanträdesdatum\\A {DATE}"; white-space: pre; font-size: 9pt; }}
  @top-right {{ content: "Sida\\A " counter(page) " (" counter(pages) ")"; white-space: pre; font-size: 9pt; }}
}}
"""
CSS = PAGE_CSS + """
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; border-bottom: 0.5pt solid #999; }
.paragraph { break-before: auto; } .paragraph:nth-of-type(3n+1) { break-before: page; }
h2, h3 { break-after: avoid; }
.utdrag { margin-top: 2em; font-size: 8pt; border-top: 0.5pt solid #000; width: 40%; }
"""

TEXTS = [
    "Samordningsteam Sala inkom med ett tilläggsäskande om 147 424 kr för innevarande år. Skälet "
    "som angavs var att personalkostnaden för kommunens och Arbetsförmedlingens personal blivit "
    "högre än budgeterat, samt att övriga kostnader såsom bilhyra, telefoner, livsmedel, "
    "datalicenser och kontorsmaterial har ökat mer än budget.",
    "Styrelsen beslutade vid föregående sammanträde att återföra frågan till styrgruppen för "
    "förtydligande och förklaring av orsakerna till underskottet samt med en beskrivning av "
    "konsekvenserna vid utebliven kostnadstäckning. Styrgruppen har via verksamhetsledaren lämnat "
    "ett svar på frågorna till förbundet.",
    "Bland annat diskuterades att löpande uppföljning av budget och utfall behöver säkerställas "
    "via insatsens styrgrupp. Resultaten för deltagarna i verksamheten har under lång tid varit "
    "mycket goda, och det vore olyckligt om verksamheten skulle behöva stanna av resten av året.",
    "Förbundet har varit medlem i Nationella Nätverket för Samordningsförbund sedan föreningen "
    "bildades. Nätverkets roll är att vara språkrör för samordningsförbunden på nationell nivå, "
    "att stödja förbunden i deras utvecklingsarbete och att vara ett forum för dialog, "
    "erfarenhetsutbyte, kunskapsspridning och gemensamt lärande.",
    "Förbundschefen redogör för delårsrapporten per den 31 augusti. Utfallet för perioden visar "
    "ett överskott på 1 214 000 kr mot budget, främst beroende på att två insatser startat senare "
    "än planerat. Prognosen för helåret pekar på ett resultat i balans med det egna kapitalet "
    "inom den nivå som styrelsen har fastställt.",
    "Arbetsförmedlingen, Försäkringskassan, Region Västmanland och medlemskommunerna har i "
    "beredningsgruppen enats om att föreslå en fortsättning av insatsen under ytterligare två år, "
    "med en årlig finansiering om 2 350 000 kr och med uppföljning i SUS av deltagarnas "
    "stegförflyttningar och avslut till arbete eller studier.",
]
TITLES = [
    "Tilläggsäskande Samordningsteam Sala", "Delårsrapport per augusti",
    "Förslag till ökad serviceavgift NNS", "Verksamhetsplan och budget 2025–2027",
    "Fortsatt finansiering av insatsen Steget vidare", "Rapport från beredningsgruppen",
    "Internkontrollplan", "Revisorernas granskning", "Arvoden och ersättningar",
    "Sammanträdesplan", "Information från förbundschefen", "Övriga frågor",
]


def minutes_html(n_paragraphs: int, last_length: int | None = None) -> str:
    signers = [
        ("Ann Rilegård", "Sekreterare", "2024-03-22 12:21"),
        ("Elisabet Pettersson", "Ordförande", "2024-03-25 07:05"),
        ("Roger Ingvarsson", "Justerare", "2024-03-25 09:40"),
    ]
    first = 25
    numbers = list(range(first, first + n_paragraphs))
    rows = "".join(
        f"<tr><th scope='row'>{role}</th><td>{escape(name)}</td><td>{at}</td></tr>"
        for name, role, at in signers
    )
    toc = "".join(
        f"<li>§ {no} {escape(TITLES[i % len(TITLES)])}</li>" for i, no in enumerate(numbers)
    )
    paragraphs = []
    for i, no in enumerate(numbers):
        # Paragraphs of the seeds vary from two lines (Dagordning) to two pages.
        length = (2, 5, 11, 3, 14, 6)[i % 6]
        if i == n_paragraphs - 1 and last_length is not None:
            length = last_length
        body = "".join(f"<p>{escape(TEXTS[(i + k) % len(TEXTS)])}</p>" for k in range(length))
        paragraphs.append(
            f"<section class='paragraph'><h2>§ {no} {escape(TITLES[i % len(TITLES)])}</h2>{body}"
            f"<h3>Beslut</h3><p>Att bifalla förslaget i enlighet med tjänsteskrivelsen.</p>"
            f"<p class='utdrag'>Utdragsbestyrkande</p></section>"
        )
    return (
        f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Protokoll</title>"
        f"<style>{CSS}</style></head><body>"
        f"<h1>Sammanträdesprotokoll</h1>"
        f"<table><tbody><tr><th scope='row'>Plats och tid</th><td>Förbundets kansli, Västerås, kl 08.30–11.30</td></tr>"
        f"<tr><th scope='row'>Beslutande</th><td>Elisabet Pettersson (ordförande), Karin Hurtig, Åsa Brodd, Rolf Korsgren, Roger Ingvarsson, Inge Larsson, Kristina Hellman</td></tr>"
        f"<tr><th scope='row'>Övriga deltagande</th><td>Eva Bergling, ersättare; Ann Rilegård, förbundschef</td></tr></tbody></table>"
        f"<h2>Justering</h2><p>Protokollet justeras digitalt och saknar därför namnunderskrifter.</p>"
        f"<table><thead><tr><th scope='col'>Roll</th><th scope='col'>Namn</th><th scope='col'>Tidpunkt</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<p>Paragrafer {numbers[0]}–{numbers[-1]}</p>"
        f"<h2>ANSLAG/BEVIS</h2><p>Förvaringsplats för protokollet: förbundets kansli, Västerås.</p>"
        f"<h2>Innehållsförteckning</h2><ul>{toc}</ul>"
        f"{''.join(paragraphs)}</body></html>"
    )


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    dev_certificate_create(
        key_file=Path(settings.PDF_SEAL_KEY_FILE),
        cert_file=Path(settings.PDF_SEAL_CERT_FILE),
        passphrase=settings.PDF_SEAL_KEY_PASSPHRASE,
    )
    attachment = PdfAttachment(
        name="protokoll.json", data=json.dumps({"paragrafer": list(range(25, 37))}).encode(),
        mime_type="application/json", description="Protokollets data",
    )
    # Add paragraphs until the minutes run to 13 pages.
    n = 6
    cold_start = time.perf_counter()
    html = minutes_html(n)
    pdf = render_pdf(html, title="Protokoll", attachments=[attachment])
    # The first seal imports pyHanko and loads the key: part of the cold start, not the runs.
    seal_pdf(pdf, reason="Uppvärmning")
    cold = time.perf_counter() - cold_start
    while pages(pdf) < TARGET_PAGES:
        n += 1
        html = minutes_html(n)
        pdf = render_pdf(html, title="Protokoll", attachments=[attachment])
    # The last paragraph may overshoot: shorten it until the document is exactly 13 pages.
    last = 14
    while pages(pdf) > TARGET_PAGES and last > 1:
        last -= 1
        html = minutes_html(n, last_length=last)
        pdf = render_pdf(html, title="Protokoll", attachments=[attachment])
    page_count = pages(pdf)

    totals, seals = [], []
    sealed = b""
    for _ in range(args.runs):
        start = time.perf_counter()
        rendered = render_pdf(html, title="Protokoll", attachments=[attachment])
        mid = time.perf_counter()
        sealed = seal_pdf(rendered, reason="Justerat protokoll", location="Västerås")
        end = time.perf_counter()
        totals.append(end - start)
        seals.append(end - mid)
    assert verify_pdf(sealed).ok, "the sealed benchmark PDF does not validate"

    from cryptography import x509

    key = x509.load_pem_x509_certificate(Path(settings.PDF_SEAL_CERT_FILE).read_bytes()).public_key()
    key_type = f"{type(key).__name__.removeprefix('_')} {getattr(key, 'key_size', '')} bit"
    print(f"document: {page_count} pages, {n} paragraphs, {len(sealed) / 1024:.0f} KiB sealed, seal key {key_type}")
    print(f"first render + seal (cold: imports, fonts, key): {cold:.3f} s")
    print(
        f"render + seal, {args.runs} runs: median {statistics.median(totals):.3f} s "
        f"(min {min(totals):.3f} s, max {max(totals):.3f} s); target < 1.5 s"
    )
    print(
        f"seal alone: median {statistics.median(seals):.3f} s "
        f"(min {min(seals):.3f} s, max {max(seals):.3f} s)"
    )


if __name__ == "__main__":
    main()
