"""The demo interventions' facts from the seeds, and what the demo chooses where they are silent.

- Seed 003 (delårsrapport januari–augusti 2024, Samordningsförbundet Västmanland): the
  interventions of its budget table, each linked to its 2024 budget line (loaded by
  the finance demo), with the parties the text names: the six individual interventions
  (Samordningsteamen Fagersta/FNS incl. Norberg and Skinnskatteberg, Hallstahammar, Sala,
  Surahammar, Västerås, and Teamsamverkan Västra Mälardalen), Kurator Samordningsteam, MGT
  Västerås ("personal från Arbetsförmedlingen, Försäkringskassan, Region Västmanland och
  Västerås Stad"), SIP-utvecklare ("kommun och region", Västra Mälardalen) and
  Rehabkoordinatorer i samverkan ("länets kommuner och de lokala vårdcentralerna").
- Seed 004 (NVSam 2023-11-02): Samordningsteam Sala's request of 2023-09-25 for 147 424 kr,
  decided in NVSam § 56 (from the minutes demo) as 120 000 kr, and the budget revision it
  gives; the task in NVSam § 57 ("Att uppdra åt ordförande att …") becomes an action item,
  as do the other task-giving clauses of the demo minutes.

Where the seeds are silent we choose, and say so:
- Finance's demo has no 2023 budget for Norra Västmanland. A minimal one is created
  by the loader through finance's services (one line, Samordningsteam Sala, 1 700 000 kr as in 2024) so the
  § 56 decision has a budget line to revise. The 2023 amount is NOT from the seeds.
- Seed 003 gives no participant figures per intervention (they were reported "i separata
  delårsrapporter"). The follow-up figures and indicator values of the six individual
  interventions below are ILLUSTRATIVE, to show the report and its charts.
- Which party leads an intervention is only given for Sala (seed 004: the socialkonsulenter
  are employed by Sala kommun); elsewhere it is left empty.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from interventions.models import Intervention

D = dt.date
FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Västmanland"
VMD = ["Arboga kommun", "Köpings kommun", "Kungsörs kommun"]
ALL_MUNICIPALITIES = [
    "Arboga kommun", "Fagersta kommun", "Hallstahammars kommun", "Kungsörs kommun", "Köpings kommun",
    "Norbergs kommun", "Sala kommun", "Skinnskattebergs kommun", "Surahammars kommun", "Västerås stad",
]
IND, STR = Intervention.Kind.INDIVIDUAL, Intervention.Kind.STRUCTURAL
ORD, PROJ = Intervention.Form.ORDINARY, Intervention.Form.PROJECT

# (name, kind, form, 2024 line code, parties, lead, description)
INTERVENTIONS: list[tuple[str, str, str, str, list[str], str | None, str]] = [
    ("Samordningsteam Surahammar", IND, ORD, "samordningsteam-surahammar",
     [FK, AF, REGION, "Surahammars kommun"], None,
     "Samordnad individinsats som parterna driver gemensamt (seed 003)."),
    ("Samordningsteam Hallstahammar", IND, ORD, "samordningsteam-hallstahammar",
     [FK, AF, REGION, "Hallstahammars kommun"], None,
     "Samordnad individinsats. Styrelsen beviljade 2024 medel för metodutveckling av Supported "
     "employment via utökad tjänstgöring för arbetsförmedlaren under hösten 2024 (seed 003)."),
    ("Samordningsteam Västerås", IND, ORD, "samordningsteam-vasteras",
     [FK, AF, REGION, "Västerås stad"], None, "Samordnad individinsats (seed 003)."),
    ("Samordningsteamet FNS", IND, ORD, "samordningsteam-fns",
     [FK, AF, REGION, "Fagersta kommun", "Norbergs kommun", "Skinnskattebergs kommun"], None,
     "Samordningsteamet Fagersta inklusive Norberg och Skinnskatteberg (seed 003)."),
    ("Samordningsteam Sala", IND, ORD, "samordningsteam-sala",
     [FK, AF, REGION, "Sala kommun"], "Sala kommun",
     "Samordnad individinsats. Personal från Sala kommun (socialkonsulenter) och "
     "Arbetsförmedlingen; resultaten för deltagarna har under lång tid varit mycket goda (seed 004)."),
    ("Teamsamverkan Västra Mälardalen", IND, ORD, "teamsamverkan-vastra-malardalen",
     [FK, AF, REGION, *VMD], None, "Samordnad individinsats i Arboga, Köping och Kungsör (seed 003)."),
    ("Kurator Samordningsteam", IND, ORD, "kurator-samordningsteam",
     [FK, AF, REGION, *ALL_MUNICIPALITIES], None, "Kuratorsstöd till samordningsteamen (seed 003, budgetraden)."),
    ("MGT Västerås", STR, PROJ, "mgt-vasteras",
     [FK, AF, REGION, "Västerås stad"], None,
     "Rådgivande myndighetsgemensamt team: kartläggning och rådgivande planering av den fortsatta "
     "rehabiliteringen mot arbete för individer med komplexa behov. Startade 2023 via "
     "Samordningsförbundet Västerås (seed 003)."),
    ("SIP-utvecklare Västra Mälardalen", STR, PROJ, "sip-utvecklare",
     [REGION, *VMD], None,
     "Projekt för fler och bättre samordnade individuella planer (SIP), i första hand för personer "
     "16–29 år; projektets sista år 2024 (seed 003)."),
    ("Rehabkoordinatorer i samverkan", STR, PROJ, "rehabkoordinatorer",
     [REGION, *ALL_MUNICIPALITIES], None,
     "Kontakt och samarbetsrutiner mellan länets kommuner och de lokala vårdcentralerna (seed 003)."),
]
INDIVIDUAL_TEAMS = [row[0] for row in INTERVENTIONS[:6]]

# ILLUSTRATIVE follow-up (see the module docstring): per team, per period
# (enrolled at start, new, closed, steps towards work, steps towards studies, closed to work or studies %).
PERIODS = [(D(2023, 9, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2024, 4, 30)), (D(2024, 5, 1), D(2024, 8, 31))]
FIGURES: dict[str, list[tuple[int, int, int, int, int, int]]] = {
    "Samordningsteam Surahammar": [(22, 8, 6, 9, 3, 33), (24, 9, 7, 11, 4, 43), (26, 7, 8, 12, 4, 50)],
    "Samordningsteam Hallstahammar": [(25, 9, 8, 10, 4, 38), (26, 10, 9, 14, 5, 44), (27, 8, 9, 16, 4, 56)],
    "Samordningsteam Västerås": [(95, 30, 28, 44, 14, 39), (97, 34, 30, 52, 18, 47), (101, 29, 33, 60, 17, 52)],
    "Samordningsteamet FNS": [(30, 10, 9, 12, 5, 33), (31, 9, 10, 13, 5, 40), (30, 6, 9, 12, 4, 44)],
    "Samordningsteam Sala": [(34, 11, 10, 20, 6, 50), (35, 12, 11, 24, 7, 55), (36, 10, 12, 27, 6, 58)],
    "Teamsamverkan Västra Mälardalen": [(33, 10, 9, 13, 5, 33), (34, 11, 10, 16, 6, 40), (35, 9, 11, 18, 5, 45)],
}
STEP_INDICATOR = "Andel deltagare med stegförflyttning mot arbete eller studier"
CLOSED_INDICATOR = "Andel avslutade till arbete eller studier"

SALA_RECEIVED, SALA_ASKED, SALA_GRANTED = D(2023, 9, 25), Decimal("147424"), Decimal("120000")
SALA_REASON = (
    "Personalkostnaden för kommunens och Arbetsförmedlingens personal har blivit högre än "
    "budgeterat, och övriga kostnader (bilhyra, telefoner, livsmedel, datalicenser och "
    "kontorsmaterial) har ökat mer än budget. Utan täckning skulle en av två socialkonsulenter "
    "behöva arbeta med annat resten av året, verksamheten inte kunna ha öppet som tidigare, "
    "pågående deltagare avslutas och nya inte tas in (seed 004, NVSam § 56)."
)
