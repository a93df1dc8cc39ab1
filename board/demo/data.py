"""The demo registry's facts from the seeds: associations, members, boards, office and logins.

Sources (in /work/shared/seeds):
- 003 (delårsrapport 2024): Samordningsförbundet Västmanland's board 2024, 13 rows
  Ledamot | Ersättare | Utsedd av; chair Shpetim Pirraku, vice chair Maria Kesselring.
- 000 (interimsstyrelsen 2023-08-29): the interim board of 2023 from the attendance list.
- 004 (NVSam 2023-11-02): Norra Västmanlands Samordningsförbund's board; Ann Rilegård
  secretary, Elisabet Pettersson chair, Roger Ingvarsson adjuster.
- 001 (SVM 2020-09-03): Samordningsförbundet Västra Mälardalen's board and office.
- 002 (Samordningsförbundet Västerås 2022-06-17): its board, office and auditors.

Each person has one canonical name here; ALIASES maps the seeds' other spellings to it.

Where the seeds are silent we choose, and say so: the seeds do not name Samordningsförbundet
Västmanland's förbundschef, ekonom or revisor for 2024, so the demo gives those roles to
people the seeds name in the same roles at the predecessor associations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from board.models import Appointment, Organ, StaffRole

D = dt.date
PASSWORD = "samordna-demo"
MERGER = D(2024, 1, 1)
LAST_DAY_BEFORE_MERGER = D(2023, 12, 31)

FK = "Försäkringskassan"
AF = "Arbetsförmedlingen"
REGION = "Region Västmanland"
MUNICIPALITIES = [
    "Arboga kommun",
    "Fagersta kommun",
    "Hallstahammars kommun",
    "Kungsörs kommun",
    "Köpings kommun",
    "Norbergs kommun",
    "Sala kommun",
    "Skinnskattebergs kommun",
    "Surahammars kommun",
    "Västerås stad",
]

# Other spellings in the seeds -> the canonical name used here.
ALIASES = {
    "Lena Eldstahl": "Lena Eldståhl",
    "Rahaf Ramdo": "Rahaf Ramado",
    "Linda Söder-Jonsson": "Linda Söder Jonsson",
    "Staffan Egerberg": "Staffan Egeberg",
    "Jennie Fernroos": "Jennie Fernros",
    "Sirpa Jarvenpéd": "Sirpa Järvenpää",
    "Elisabeth Fonelius": "Elisabeth Fornelius",
}

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "vastmanland",
        "name": "Samordningsförbundet Västmanland",
        "short_name": "SF Västmanland",
        "paragraph_prefix": "",
        "storage_place": "Stöd och styrning, Fagersta kommun",
        "notice_place": "Förbundets webbplats",
        "active_from": MERGER,
        "active_until": None,
        "successor": None,
        "members": [FK, AF, REGION, *MUNICIPALITIES],
        "members_from": MERGER,
    },
    {
        "slug": "norra-vastmanland",
        "name": "Norra Västmanlands Samordningsförbund",
        "short_name": "NVSam",
        "paragraph_prefix": "NVSam",
        "storage_place": "Stöd och styrning, Fagersta kommun",
        "notice_place": "Förbundets webbplats",
        "active_from": None,
        "active_until": LAST_DAY_BEFORE_MERGER,
        "successor": "vastmanland",
        "members": [
            FK, AF, REGION, "Fagersta kommun", "Hallstahammars kommun", "Norbergs kommun",
            "Sala kommun", "Skinnskattebergs kommun", "Surahammars kommun",
        ],
        "members_from": D(2010, 1, 1),
    },
    {
        "slug": "vastra-malardalen",
        "name": "Samordningsförbundet Västra Mälardalen",
        "short_name": "SVM",
        "paragraph_prefix": "SVM",
        "storage_place": "Social- och arbetsmarknadsförvaltningen, Nibblesbackevägen 17, Köping",
        "notice_place": "Förbundets webbplats",
        "active_from": D(2010, 1, 1),
        "active_until": LAST_DAY_BEFORE_MERGER,
        "successor": "vastmanland",
        "members": [FK, AF, REGION, "Arboga kommun", "Köpings kommun", "Kungsörs kommun"],
        "members_from": D(2010, 1, 1),
    },
    {
        "slug": "vasteras",
        "name": "Samordningsförbundet Västerås",
        "short_name": "SF Västerås",
        "paragraph_prefix": "",
        "storage_place": "Samordningsförbundet Västerås kansli",
        "notice_place": "Förbundets webbplats",
        "active_from": None,
        "active_until": LAST_DAY_BEFORE_MERGER,
        "successor": "vastmanland",
        "members": [FK, AF, REGION, "Västerås stad"],
        "members_from": D(2010, 1, 1),
    },
]

# (organisation slug, organ name, kind, active from, active until)
ORGANS = [
    ("vastmanland", "Styrelsen", Organ.Kind.BOARD, MERGER, None),
    ("vastmanland", "Interimsstyrelsen", Organ.Kind.INTERIM_BOARD, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("norra-vastmanland", "Styrelsen", Organ.Kind.BOARD, None, LAST_DAY_BEFORE_MERGER),
    ("vastra-malardalen", "Styrelsen", Organ.Kind.BOARD, None, LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Styrelsen", Organ.Kind.BOARD, None, LAST_DAY_BEFORE_MERGER),
]

CHAIR = Appointment.Role.CHAIR
VICE = Appointment.Role.VICE_CHAIR

# Seed 003: (ledamot, role, ersättare, utsedd av). The board from the merger, open-ended.
BOARD_2024 = [
    ("Shpetim Pirraku", CHAIR, "Staffan Egeberg", "Köpings kommun"),
    ("Maria Kesselring", VICE, "Anna Maria Romlid", "Västerås stad"),
    ("Anela Sakambet", "", "Oskar Söderberg", AF),
    ("Rahaf Ramado", "", "Martina Fransson", "Arboga kommun"),
    ("Lena Eldståhl", "", "Kristina Hellman", "Fagersta kommun"),
    ("Åsa Brodd", "", "Lena Kruse", FK),
    ("Jenny Hödefors", "", "Rolf Korsbäck", "Hallstahammars kommun"),
    ("Linda Söder Jonsson", "", "Marita Pettersson", "Kungsörs kommun"),
    ("Marianne Ångström", "", "Karin Hurtig", "Norbergs kommun"),
    ("Mikael Söderlund", "", "Ulrika Spårebo", REGION),
    ("Ingela Kilholm Lindström", "", "Eva Bergling", "Sala kommun"),
    ("Roger Ingvarsson", "", "Elisabeth Åberg", "Skinnskattebergs kommun"),
    ("Inge Larsson", "", "Leif Carlberg", "Surahammars kommun"),
]

# Seed 000 attendance: the interim board of 2023. Seats the list names; the rest unknown.
INTERIM_2023_MEMBERS = [
    ("Shpetim Pirraku", CHAIR, "Köpings kommun"),
    ("Maria Kesselring", VICE, "Västerås stad"),
    ("Lena Eldståhl", "", "Fagersta kommun"),
    ("Mikael Söderlund", "", REGION),
    ("Åsa Brodd", "", FK),
    ("Anela Sakambet", "", AF),
    ("Jenny Hödefors", "", "Hallstahammars kommun"),
    ("Inge Larsson", "", "Surahammars kommun"),
    ("Linda Söder Jonsson", "", "Kungsörs kommun"),
    ("Rahaf Ramado", "", "Arboga kommun"),
]
INTERIM_2023_SUBSTITUTES = [
    ("Marita Pettersson", "Kungsörs kommun"),
    ("Oskar Söderberg", AF),
    ("Rolf Korsbäck", "Hallstahammars kommun"),
    ("Ulrika Spårebo", REGION),
    ("Staffan Egeberg", "Köpings kommun"),
    ("Kristina Hellman", "Fagersta kommun"),
]

# Seed 004: Norra Västmanland 2023 (beslutande and the ersättare present).
NVSAM_2023_MEMBERS = [
    ("Elisabet Pettersson", CHAIR, "Sala kommun"),
    ("Karin Hurtig", "", "Norbergs kommun"),
    ("Åsa Brodd", "", FK),
    ("Rolf Korsgren", "", "Hallstahammars kommun"),
    ("Roger Ingvarsson", "", "Skinnskattebergs kommun"),
    ("Inge Larsson", "", "Surahammars kommun"),
    ("Kristina Hellman", "", "Fagersta kommun"),
]
NVSAM_2023_SUBSTITUTES = [("Eva Bergling", "Sala kommun")]

# Seed 001: Västra Mälardalen, term 2019–2022. Carl-Inge Westberg chaired the meeting as
# an ersättare; the seed does not name the elected chair, so the board page warns.
SVM_MEMBERS = [
    ("Marie-Louise Söderström", "", "Arboga kommun"),
    ("Richard Fallqvist", "", REGION),
    ("Ove Båhlström", "", FK),
    ("Britt-Mari Enholm Gahnström", "", AF),
]
SVM_SUBSTITUTES = [
    ("Carl-Inge Westberg", "Köpings kommun"),
    ("Yvonne Ericsson", "Kungsörs kommun"),
    ("Joakim Rönnberg", REGION),
    ("Roger Lindberg", AF),
]

# Seed 002: Västerås, 2022.
VASTERAS_MEMBERS = [
    ("Ann-Louise Molin Östling", CHAIR, "Västerås stad"),
    ("Dennis Nilsson", VICE, REGION),
    ("Anela Sakambet", "", AF),
    ("Anna Fallgren", "", FK),
]
VASTERAS_SUBSTITUTES = [
    ("Carin Lidman", "Västerås stad"),
    ("Maria Vallgren Eriksson", REGION),
    ("Darin Isaksson", FK),
]

S = StaffRole.Role
# (organisation, person, role, start, end)
STAFF = [
    # Seed 004: Ann Rilegård, sekreterare and responsible for notices at NVSam.
    ("norra-vastmanland", "Ann Rilegård", S.SECRETARY, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vastmanland", "Ann Rilegård", S.SECRETARY, MERGER, None),
    # Seed 000: Mikael Thesslund, Fagersta kommun, took the interim board's minutes.
    ("vastmanland", "Mikael Thesslund", S.SECRETARY, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER),
    # Seeds 001/002: the predecessors' offices.
    ("vastra-malardalen", "Linda Anderfjäll", S.DIRECTOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vastra-malardalen", "Emma Bertheussen", S.SECRETARY, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vastra-malardalen", "Sirpa Järvenpää", S.ACCOUNTANT, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Catarina Örtengren", S.DIRECTOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Anna Lena Bäckvall Hallin", S.SECRETARY, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Sirpa Järvenpää", S.ACCOUNTANT, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Barbro Hillring", S.AUDITOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Hans Stergel", S.AUDITOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Cecilia Qvist", S.AUDITOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    # Demo choice (the seeds do not name them for 2024): people the seeds name in the
    # same roles at the predecessors carry on in Samordningsförbundet Västmanland.
    ("vastmanland", "Catarina Örtengren", S.DIRECTOR, MERGER, None),
    ("vastmanland", "Sirpa Järvenpää", S.ACCOUNTANT, MERGER, None),
    ("vastmanland", "Barbro Hillring", S.AUDITOR, MERGER, None),
]

# Fictitious personnummer for the demo's e-ID sign-in (bin/dev's local test provider): the
# individual numbers 98x are of the series Skatteverket keeps for tests, so none is a real
# person's. Real ones are entered by the registry's keeper (board/identity.py).
DEMO_IDENTITY_NUMBERS: dict[str, str] = {
    "Ann Rilegård": "197003159816",
    "Elisabet Pettersson": "195807229827",
    "Roger Ingvarsson": "196402099839",
    "Mikael Söderlund": "197611309845",
    "Catarina Örtengren": "196905049851",
    "Sirpa Järvenpää": "197208179866",
    "Barbro Hillring": "196101269873",
}

# Demo login -> the seed person it belongs to (None: no person).
USERS: list[tuple[str, str | None, bool]] = [
    ("admin", None, True),
    ("sekreterare", "Ann Rilegård", False),
    ("ordforande", "Elisabet Pettersson", False),  # chair, seed 004
    ("justerare", "Roger Ingvarsson", False),  # adjuster, seed 004; ledamot in seed 003
    ("ledamot", "Mikael Söderlund", False),  # ledamot, seed 003
    ("forbundschef", "Catarina Örtengren", False),
    ("ekonom", "Sirpa Järvenpää", False),
    ("revisor", "Barbro Hillring", False),
]
