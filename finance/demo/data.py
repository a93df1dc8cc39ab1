"""The demo budgets' facts from the seeds, and what the demo chooses where they are silent.

- Seed 003 (delårsrapport januari–augusti 2024, Samordningsförbundet Västmanland): the 2024
  budget with the outcome per 2024-08-31, the full-year forecast and the comments, line by
  line as in "Ekonomiskt utfall per 31 augusti samt prognos för helår 2024". Nothing here
  stores a total: the SUMMA row (−1 945 000 / 2 355 335 / −1 703 329 / 241 671) comes out of
  finance.reports.
- Seed 002 (Samordningsförbundet Västerås, styrelsemöte 2022-06-17 § 7): budget 2022 and the
  revised budget adopted that day ("Reviderad budget 2022", column "Rev budget 2022-06-17").
  The seed writes costs as positive numbers; here they are negative like everywhere else.
  Also the outcome per 2022-06-10 from the seed's second table (its SUMMA: 4 201 625) and the
  notes under the revised budget.
- Seed 000 (§ 28, 2023-08-29): the state's allocation for 2024, 9 519 000 kr; seed 004
  (NVSam § 57): NNS service fee 2 ‰, 3,5 ‰ proposed.

Where the seeds are silent we choose, and say so: seed 003 does not say when the 2024 budget
was adopted (the interim board in the autumn of 2023, confirmed by the board in 2024), so the
version has no date. The seeds give no population key: the municipalities' populations below
are approximate (SCB, end of 2023, rounded to hundreds) and only illustrate the split.
"""

from __future__ import annotations

import datetime as dt

from finance.models import BudgetGroup

K = BudgetGroup.Kind
REPORT_DATE_2024 = dt.date(2024, 8, 31)

# (group kind, group name, [(code, name, budget, outcome 2024-08-31, forecast, comment)])
VASTMANLAND_2024: list[tuple[str, str, list[tuple[str, str, int, int, int, str]]]] = [
    (K.INCOME, "Intäkter", [
        ("medel-huvudmannen", "Medel från huvudmännen", 19_038_000, 11_898_750, 19_038_000, ""),
    ]),
    (K.BOARD, "Styrelse", [
        ("styrelse", "Styrelse", -606_263, -364_535, -681_107, ""),
    ]),
    (K.ADMINISTRATION, "Administration", [
        ("administration", "Administration", -2_022_414, -1_093_741, -1_905_575,
         "Revisionskostnaden beräknas bli 100 000 kr högre än budgeterat då revisionskostnad 2023 "
         "inte blev uppbokad. Därför kommer resultaträkningen år 2024 bli belastad med "
         "revisionskostnad för både 2023 och 2024. Pensionskostnaden beräknas bli motsvarande "
         "449 000 kronor högre än budget beroende på en hög kostnad för pensionsavsättning som i "
         "sin tur beror på en hög inflation. Konsulttjänster inom administrationen beräknas inte "
         "behöva användas under året och blir 348 000 kr lägre än budget. Årets ränteintäkter "
         "beräknas bli 180 000 högre än budget."),
    ]),
    (K.INDIVIDUAL, "Individinsatser", [
        ("samordningsteam-surahammar", "Samordningsteam Surahammar", -1_200_000, -478_076, -1_200_000, ""),
        ("samordningsteam-hallstahammar", "Samordningsteam Hallstahammar", -1_200_000, -597_392, -1_200_000, ""),
        ("samordningsteam-vasteras", "Samordningsteam Västerås", -6_200_000, -2_908_811, -6_200_000, ""),
        ("samordningsteam-fns", "Samordningsteamet FNS", -1_525_000, -462_394, -1_425_000,
         "Medel till Samordningsteam FNS beräknas bli 100 000 lägre än budgeterat pga att "
         "Arbetsförmedlingen inte kommer ha personal i insatsen under hösten, att tidigare "
         "verksamhetsledare gått i pension tidigare än planerat i budgeten samt att insatspersonal "
         "varit deltidssjukskriven."),
        ("samordningsteam-sala", "Samordningsteam Sala", -1_700_000, -745_806, -1_700_000, ""),
        ("teamsamverkan-vastra-malardalen", "Teamssamverkan Västra Mälardalen", -1_700_000, -595_944, -1_700_000, ""),
        ("kurator-samordningsteam", "Kurator Samordningsteam", -400_000, -77_836, -300_000, ""),
    ]),
    (K.STRUCTURAL, "Strukturpåverkande insatser", [
        ("mgt-vasteras", "Myndighetsgemensamt Team Västerås", -1_120_000, -558_825, -1_120_000, ""),
        ("sip-utvecklare", "SIP-Utvecklare V Mälardalen", -40_000, -6_791, -25_000, ""),
        ("rehabkoordinatorer", "Rehabkoordinatorer i samverkan", -595_000, -200_000, -450_000, ""),
        ("samverkansmedel-ofordelat", "Samverkansmedel ofördelat", -400_000, -31_733, -350_000, ""),
        ("ovriga-utvarderingsinsatser", "Övriga utvärderingsinsatser", -100_000, -15_000, -30_000, ""),
        ("utvecklingsdagar", "Utvecklingsdagar samordningsteam", 0, -1_058, -10_000, ""),
        ("utbildningar-konferenser", "Utbildningar och konferenser", -500_000, -221_504, -600_000, ""),
        ("processtod-samverkansinsatser", "Processstöd samverkansinsatser", -1_674_323, -1_183_969, -1_844_647,
         "Processstöd samverkansinsatser beräknas bli 170 000 kr högre än budgeterat på grund av "
         "högre lönekostnader än budget samt att del av lönekostnaden för förbundschefen bokats om "
         "till denna post."),
    ]),
]

# (group kind, group name, [(code, name, budget 2022, revised 2022-06-17)]); seed 002, costs negated.
VASTERAS_2022: list[tuple[str, str, list[tuple[str, str, int, int]]]] = [
    (K.INCOME, "Intäkter och finansiella poster", [
        ("region-vastmanland", "Region Västmanland", 2_749_000, 2_749_000),
        ("staten", "Staten (AF+FK)", 5_498_000, 5_498_000),
        ("vasteras-stad", "Västerås Stad", 2_749_000, 2_749_000),
    ]),
    (K.INDIVIDUAL, "Individinsatser", [
        ("processtod-ledning", "Processtöd/Ledning", 0, -486_000),
        ("samordningsteam-vasteras", "Projekt Samordningsteam Västerås", -6_700_000, -6_700_000),
        ("jobbfokus-spira", "Projekt JobbFokus 2.0/SPIRA", -1_919_000, -1_650_000),
        ("sim", "Projekt Studie främjande psykisk hälsa/SIM", -925_000, -925_000),
        ("insatskatalog", "Insatskatalog/Indikatorer", -140_000, -140_000),
        ("kartlaggning", "Kartläggning/utvärdering", 0, 0),
        ("naringslivskoordinator", "Näringslivskoordinator", -500_000, -586_000),
        ("operativ-utvecklingsledare", "Operativ utvecklingsledare", -460_000, -300_000),
        ("myndighetsgemensamt-team", "Myndighetsgemensamt team", -600_000, -813_000),
        ("efterstod", "Efterstöd (Spira, Samordningsteam)", -200_000, -200_000),
    ]),
    (K.STRUCTURAL, "Strukturella insatser", [
        ("utvecklingsmedel", "Utvecklingsmedel", -800_000, -800_000),
        ("lokala-utbildningsinsatser", "Lokala utbildningsinsatser Västerås", -1_000_000, -740_000),
        ("lansgemensamma-utbildningsinsatser", "Länsgemensamma utbildn insatser och seminarier", -250_000, -150_000),
        ("lansgemensam-forbundsprocess", "Länsgemensam Förbundsprocess", 0, -100_000),
        ("ovrigt-projektansokningar", "Övrigt/ex projektansökningar", -800_000, -800_000),
    ]),
    (K.ADMINISTRATION, "Administrativa kostnader", [
        ("representation", "Representation/möteskostnader", -12_000, -12_000),
        ("revision", "Revision", -60_000, -60_000),
        ("styrelsearvoden", "Styrelsearvoden", -70_000, -50_000),
        ("konferenser", "Konferenser", -42_000, -42_000),
        ("resekostnader", "Resekostnader", -2_000, -75_000),
        ("trycksaker", "Trycksaker, böcker", -10_000, -20_000),
        ("hemsida", "Hemsida och nyhetsbrev", -10_000, -20_000),
        ("ekonomitjanst", "Ekonomitjänst", -140_000, -140_000),
        ("administrativa-tjanster", "Administrativa tjänster", -30_000, 0),
        ("lon-forbundschef", "Lön Förbundschef", -1_300_000, -740_000),
        ("kop-av-tjanst", "Köp av tjänst från Västerås", 0, -460_000),
        ("bankkostnader", "Bankkostnader", -11_000, -11_000),
        ("serviceavgift-nns", "Serviceavgift NNS", -27_000, -27_000),
        ("ovrigt-adm", "Övrigt adm", -38_850, -76_000),
    ]),
]

# Seed 002, second table ("Utfall 2022-06-10"), costs negated; blank cells are left out.
VASTERAS_OUTCOME_DATE = dt.date(2022, 6, 10)
VASTERAS_OUTCOME_2022_06_10: dict[str, int] = {
    "region-vastmanland": 2_749_000,
    "staten": 2_749_000,
    "vasteras-stad": 2_749_000,
    "processtod-ledning": -202_500,
    "samordningsteam-vasteras": -1_709_513,
    "jobbfokus-spira": -739_028,
    "insatskatalog": -82_000,
    "kartlaggning": 0,
    "naringslivskoordinator": -119_500,
    "operativ-utvecklingsledare": -119_500,
    "lokala-utbildningsinsatser": -342_708,
    "lansgemensamma-utbildningsinsatser": -35_220,
    "lansgemensam-forbundsprocess": -133_500,
    "representation": -5_551,
    "revision": -12_491,
    "styrelsearvoden": -33_021,
    "konferenser": -2_259,
    "resekostnader": -18_040,
    "trycksaker": -2_698,
    "ekonomitjanst": -58_336,
    "administrativa-tjanster": 0,
    "lon-forbundschef": -308_953,
    "kop-av-tjanst": -89_000,
    "bankkostnader": -4_310,
    "serviceavgift-nns": -22_192,
    "ovrigt-adm": -5_055,
}

# The notes under seed 002's "Reviderad budget 2022".
VASTERAS_REVISION_NOTE = (
    "Förbundschef fördelas 40 % till processtöd/ledning och 60 % till administration. "
    "Projektet SPIRA prognostiseras lägre utfall. "
    "Lön förbundschef avser lön, po-pålägg, telefon och dator för anställda. "
    "Lokala utbildningsinsatser beräknas kosta lägre. "
    "Styrelsearvodena prognostiseras lägre utfall. "
    "Resekostnader beräknas högre p.g.a. resan till Almedalen. "
    "Kostnad för trycksaker och böcker beräknas bli något högre. "
    "Kostnad för hemsida och nyhetsbrev beräknas bli något högre. "
    "Köp av tjänst från Västerås avser OH-kostnader (såsom lokalkostnad för anställda, chefskap, IT-support m.m.). "
    "Övrigt avser övriga kostnader som ej ingår i andra poster, ex porto, kontorsmaterial, 10 % sekreterare utvecklare."
)

# Approximate populations (SCB, 2023-12-31, rounded to hundreds): NOT from the seeds.
POPULATION_2024 = {
    "Arboga kommun": 14_000,
    "Fagersta kommun": 13_400,
    "Hallstahammars kommun": 16_500,
    "Kungsörs kommun": 8_800,
    "Köpings kommun": 26_800,
    "Norbergs kommun": 5_700,
    "Sala kommun": 23_000,
    "Skinnskattebergs kommun": 4_400,
    "Surahammars kommun": 10_100,
    "Västerås stad": 158_000,
}
