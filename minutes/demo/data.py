"""The demo minutes' facts from the seeds: meetings, attendance, paragraphs and decisions.

- 000: Interimsstyrelsen, Samordningsförbundet Västmanland, 2023-08-29, §§ 25–34.
- 001: Styrelsen, Samordningsförbundet Västra Mälardalen, 2020-09-03, SVM §§ 20–27, with
  Dnr, partial attendance "§§ 20–21" and "Exp. till: Diariet".
- 004: Styrelsen, Norra Västmanlands Samordningsförbund, 2023-11-02, NVSam §§ 54–58.

`first` is where each organ's series for the year starts (`ParagraphYear.first_number`), so
the numbers come out as in the seeds: the earlier meetings of those years are not in the system.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minutes.models import Attendance, Meeting, Paragraph

B = Attendance.Role.MEMBER
TE = Attendance.Role.SERVING_SUBSTITUTE
E = Attendance.Role.SUBSTITUTE
O = Attendance.Role.OTHER  # noqa: E741 - the seeds' "Övriga"
CHAIR = Attendance.Function.CHAIR
VICE = Attendance.Function.VICE_CHAIR
SECRETARY = Attendance.Function.SECRETARY
NOTED = Paragraph.StockDecision.NOTED
NO_DECISION = Paragraph.StockDecision.NO_DECISION
AGENDA = Paragraph.StockDecision.AGENDA_APPROVED
T = dt.time


def P(title: str, **kw: Any) -> dict[str, Any]:  # noqa: N802 - reads like the seeds' §
    return {"title": title, **kw}


SEED_000: dict[str, Any] = {
    "org": "vastmanland", "organ": "Interimsstyrelsen", "date": dt.date(2023, 8, 29), "first": 25,
    "meeting": {"start_time": T(8, 30), "end_time": T(11, 30), "place": "Hotell Scheele i Köping",
                "is_remote": False, "kind": Meeting.Kind.ORDINARY},
    "attendance": [
        ("Shpetim Pirraku", B, {"function": CHAIR, "affiliation": "Köpings kommun"}),
        ("Maria Kesselring", B, {"function": VICE, "affiliation": "Västerås stad"}),
        ("Lena Eldstahl", B, {"affiliation": "Fagersta kommun"}),
        ("Mikael Söderlund", B, {"affiliation": "Region Västmanland"}),
        ("Åsa Brodd", B, {"affiliation": "Försäkringskassan", "is_remote": True}),
        ("Anela Sakambet", B, {"affiliation": "Arbetsförmedlingen"}),
        ("Jenny Hödefors", B, {"affiliation": "Hallstahammars kommun"}),
        ("Inge Larsson", B, {"affiliation": "Surahammars kommun"}),
        ("Linda Söder-Jonsson", B, {"affiliation": "Kungsörs kommun", "present_from": T(9, 50)}),
        ("Rahaf Ramado", B, {"affiliation": "Arboga kommun"}),
        ("Marita Pettersson", E, {"affiliation": "Kungsörs kommun"}),
        ("Oskar Söderberg", E, {"affiliation": "Arbetsförmedlingen"}),
        ("Rolf Korsbäck", E, {"affiliation": "Hallstahammars kommun"}),
        ("Ulrika Spårebo", E, {"affiliation": "Region Västmanland"}),
        ("Staffan Egerberg", E, {"affiliation": "Köpings kommun"}),
        ("Kristina Hellman", E, {"affiliation": "Fagersta kommun"}),
        ("Ann Rilegård", O, {"affiliation": "Norra Västmanlands Samordningsförbund"}),
        ("Charlotte Axelsson", O, {"affiliation": "LEDA AB", "role_text": "externt processtöd"}),
        ("Mikael Thesslund", O, {"function": SECRETARY, "affiliation": "Fagersta kommun",
                                 "role_text": "mötessekreterare"}),
    ],
    "adjusters": ["Ulrika Spårebo"],
    "paragraphs": [
        P("Val av protokolljusterare", kind=Paragraph.Kind.ADJUSTERS,
          body="Ulrika Spårebo föreslås till protokolljusterare.",
          clauses=["Att utse Ulrika Spårebo till protokolljusterare"]),
        P("Dagordning", kind=Paragraph.Kind.AGENDA, body="Föreslagen dagordning fastställs."),
        P("Föregående protokoll", kind=Paragraph.Kind.PREVIOUS,
          docs=["Protokoll – styrelsemöte interimsstyrelsen Samordningsförbundet Västmanland 2023-06-15"],
          body="Föregående protokoll finns publicerat på förbundets hemsida.",
          clauses=["Att föregående protokoll godkänns och läggs till handlingarna."]),
        P("Medelstildelning 2024",
          docs=["Tjänsteskrivelse – medlemsinsats 2024", "Medlemsinsats 2024 (excel)"],
          body=(
              "Ann Rilegård informerar att staten via Försäkringskassan först gör en beräkning på möjlig "
              "statlig medelstildelning till respektive samordningsförbund i landet. Storleken på den "
              "statliga medelstildelningen kommuniceras med samordningsförbundens medlemmar. Kommuner och "
              "Region matchar, 25% vardera, den statliga tilldelningen. Slutgiltigt beslut om "
              "medelstildelning kommer under oktober-november.\n\n"
              "Det preliminära beskedet från staten för 2024 är en medelstildelning om 9 519 000 kr. Av "
              "bilaga *Medlemsinsats 2024* framgår insats för respektive medlem i förbundet. De medlemmar "
              "där insatsen justerats uppåt är kommunicerade om förändringen."
          ),
          clauses=["Att Samordningsförbundet Västmanland begär statlig medelstildelning om 9 519 000 kr"]),
        P("Lokala styrelsernas inspel om vilka befintliga insatser som man önskar prioritera inför 2024",
          docs=["Insatser från Västra Mälardalen till länsförbundet",
                "Protokollsutdrag – Norra Västmanlands Samordningsförbund 2023-06-15",
                "Kostnader insatser 2023 Norra Västmanlands Samordningsförbund",
                "Protokoll Samordningsförbundet Västerås extra styrelsemöte 230630"],
          body=(
              "Samordningsförbundet Västra Mälardalen, Norra Västmanlands Samordningsförbund och "
              "Samordningsförbundet Västerås har lämnat rekommendationer om insatser att föra med in i "
              "länssamordningsförbundet.\n\n"
              "Samordningsförbundet Västra Mälardalen rekommenderar:\n\n"
              "- Projekt SIP-utvecklare Västra Mälardalen\n- Teamsamordning Västra Mälardalen\n"
              "- Medel till nämnda insatser är reserverade och följer med från Samordningsförbundet Västmanland.\n\n"
              "Samordningsförbundet Västerås rekommenderar:\n\n"
              "- Projekt Rehabkoordinatorer i samverkan. (En förstudie har påbörjats under hösten 2023)\n"
              "- Samordningsteam Västerås\n- Myndighetsgemensamt team\n\n"
              "Norra Västmanlands Samordningsförbund rekommenderar:\n\n"
              "- 4 Samordningsteam (Sala, Surahammar, Hallstahammar och FNS)\n"
              "- Fortsatt spridning av det lösningsfokuserade arbetssättet i samverkan\n"
              "- Grönkvist – handledarutbildningar\n"
              "- Fortsatt spridning och implementering av BIP – forskningsbaserad kunskap om vilka faktorer "
              "som har störst betydelse för arbetslösa individer att komma i arbete.\n\n"
              "Styrelsen diskuterade också stödet till Insatskatalogen/Välfärdsguiden som alla tre "
              "Samordningsförbund i Västmanland har varit med och finansierat under en längre tid. "
              "Användningen av verktyget har visat sig vara låg, trots ett flertal informationsinsatser. "
              "Styrelsen är överens om att avsluta engagemanget i Insatskatalogen/Välfärdsguiden."
          )),
        P("Vägledande principer - individinsatser vs strukturella insatser, projekt, metodutveckling",
          body=(
              "Ordförande poängterar att utgångspunkten för diskussionen är att styrelsen ska sätta ramen för "
              "vilken verksamhet som ska prioriteras och att balans behövs mellan stöd till individinsatser "
              "och stöd till strukturella insatser. Ett riktmärke kan vara ca 60% individinsatser och 40% "
              "strukturella insatser.\n\nMedskick från interimsstyrelsen:\n\n"
              "- ”En väg in” – länsgemensamma arbetssätt för remitteringsförfarande till de samordnade "
              "individinsatserna.\n"
              "- Att den operativa verksamheten ges i uppdrag att bedriva en mer enhetlig verksamhet i länet.\n"
              "- Att tydliggöra hur resultat av individinsatser ska mätas i kommande länssamordningsförbund.\n"
              "- Att sprida kunskaper och erfarenheter i länet.\n\n"
              "Styrelsen föreslår att en ”kick-off” arrangeras i slutet på året. Datum bestäms till 8 december. "
              "Förbundschefen får i uppdrag att tillsammans med presidiet planera innehåll, samt att bjuda in "
              "berörda deltagare."
          )),
        P("Rekryteringsprocessen till kansliet",
          body=(
              "Förbundschefen informerar om rekryteringsprocessen av två utvecklingsledare till kansliet. "
              "Annonsering har skett och totalt har det inkommit 38 ansökningar. 8 kandidater har blivit "
              "intervjuade. Just nu pågår referenstagning med målet att anställningsprocessen ska vara klar "
              "inom en vecka."
          ),
          stock=Paragraph.StockDecision.FILED),
        P("Avtal om stödfunktioner",
          docs=["Avtal Fagersta kommun och SF Västmanland om administrativa tjänster från 2024-01-01"],
          body=(
              "Avtalet med Fagersta kommun omfattar köp av administrativa tjänster såsom diarieföring, arkiv, "
              "posthantering. Köp av tjänster utöver de som omfattas av avtalet debiteras per timme.\n\n"
              "Det har också inkommit ett förslag på avtal för köp av ekonomiska tjänster från Norra "
              "Västmanlands ekonomiförvaltning. Nya avtalet kommer med indexering kosta ca 229 tkr för 2024. "
              "Kostnaden uppfattas som rimlig och presidiet får i uppdrag att underteckna avtal efter att ha "
              "kontrollerat avtalet mer genomgående."
          ),
          clauses=["Att avtal Fagersta kommun och SF Västmanland om administrativa tjänster godkänns",
                   "Att presidiet undertecknar avtal om köp ekonomiska tjänster efter kontroll"]),
        P("Revision av interimsstyrelsens arbete",
          docs=["Tjänsteskrivelse – Revision av interimsstyrelsens arbete 2023"],
          body=(
              "Frågan om revision av arbetet som interimsstyrelsen för Samordningsförbundet Västmanland "
              "genomför under 2023. Enligt revisionsbiträde Jennie Fernroos, Freveko, föreligger inget krav "
              "på revision, men att det ändå kan vara lämpligt att en auktoriserad revisor gör en genomlysning."
          ),
          clauses=["Att Samordningsförbundet Västmanland ger auktoriserad revisor i uppdrag att i början på "
                   "december 2023 gå igenom interimsstyrelsens styrelseprotokoll och de styrande dokument som "
                   "upprättats, samt därefter lämna en revisionsrapport.",
                   "Att kostnaden för uppdraget inte får överstiga 20 000 kr exklusive moms."]),
        P("Övriga frågor", kind=Paragraph.Kind.OTHER,
          body=(
              "Staffan Egerberg tar upp frågan om barn med funktionsnedsättning och deras rätt till "
              "aktivitetsersättning. Åsa Brodd informerar att rätten till aktivitetsersättning bedöms på "
              "läkarutlåtande, att det är individuella bedömningar. Staffan och Åsa upprättar vidare "
              "kontakt vid behov."
          )),
    ],
}

SEED_001: dict[str, Any] = {
    "org": "vastra-malardalen", "organ": "Styrelsen", "date": dt.date(2020, 9, 3), "first": 20,
    "meeting": {"start_time": T(9, 0), "end_time": T(14, 20), "place": "Stadskällaren, Nygatan 42, Arboga",
                "is_remote": False, "kind": Meeting.Kind.ORDINARY},
    "attendance": [
        ("Carl-Inge Westberg", TE, {"function": CHAIR, "party": "S", "affiliation": "Köpings kommun"}),
        ("Marie-Louise Söderström", B, {"party": "C", "affiliation": "Arboga kommun"}),
        ("Richard Fallqvist", B, {"party": "L", "affiliation": "Region Västmanland"}),
        ("Ove Båhlström", B, {"affiliation": "Försäkringskassan"}),
        ("Britt-Mari Enholm Gahnström", B, {"affiliation": "Arbetsförmedlingen"}),
        ("Yvonne Ericsson", TE, {"party": "M", "affiliation": "Kungsörs kommun"}),
        ("Joakim Rönnberg", E, {"party": "S", "affiliation": "Region Västmanland"}),
        ("Roger Lindberg", E, {"affiliation": "Arbetsförmedlingen", "paragraphs": (0, 1)}),
        ("Linda Anderfjäll", O, {"role_text": "förbundssamordnare"}),
        ("Sirpa Järvenpää", O, {"role_text": "ekonom"}),
        ("Emma Bertheussen", O, {"function": SECRETARY, "role_text": "sekreterare"}),
        ("Viktoria Johansson", O, {"role_text": "projektcoach #KlarFramtid", "paragraphs": (0, 1)}),
        ("Nima Bigdely", O, {"role_text": "projektcoach #KlarFramtid", "paragraphs": (0, 1)}),
        ("Anna Bernanker", O, {"role_text": "verksamhetschef Köpings kommun", "paragraphs": (0, 1)}),
        ("Birgitta Nilsson", O, {"role_text": "projektledare Hela Viia", "paragraphs": (0, 1)}),
        ("Marita Garman", O, {"role_text": "projektledare Vem gör vad…", "paragraphs": (0, 1)}),
        ("Elisabeth Fornelius", O, {"role_text": "projektledare Vem gör vad…", "paragraphs": (0, 1)}),
        ("Sonja Jernberg", O, {"affiliation": "Försäkringskassan", "paragraphs": (0, 0), "is_remote": True}),
        ("Kristina Bucht", O, {"affiliation": "Region Västmanland", "paragraphs": (1, 1), "is_remote": True}),
    ],
    "adjusters": ["Marie-Louise Söderström"],
    "paragraphs": [
        P("Omvärldsanalys", stock=NOTED, body=(
            "En kortare information om den regionala utvecklingsplanen i Västmanland, samt respektive "
            "medlems situation utifrån i förväg utskickade frågor.\n\n"
            "Förbundssamordnare Linda Anderfjäll berättar om de 5 av 20 mål från den regionala "
            "utvecklingsplanen där Samordningsförbundet Västra Mälardalen bidrar:\n\n"
            "- Mål 1 – Minska andelen barn i ekonomiskt utsatta hushåll\n"
            "- Mål 5 – Öka andelen som anger att deras hälsa är bra eller mycket bra\n"
            "- Mål 17 – Öka andelen elever som fullföljer sina studier\n"
            "- Mål 19 – Öka andelen sysselsatta\n- Mål 20 – God ekonomisk utveckling\n\n"
            "Sonja Jernberg, **Försäkringskassan** är med via Teams. Försäkringskassan ser behov av "
            "samordnade rehabiliteringsinsatser som de kan remittera till.\n\n"
            "Roger Lindberg, **Arbetsförmedlingen** pratar om arbetsmarknadsläget i Västra Mälardalen. "
            "Trenden är att arbetslösheten ökar i länet.\n\n"
            "Region Västmanland och **Kungsörs kommun** hade ingen presentation."
        )),
        P("Återkoppling från pågående insatser", stock=NOTED, body=(
            "Information från de insatser som pågår just nu, hur det går och vilka resultat som kan ses.\n\n"
            "- *Hälsoinsatser för nyanlända*: projektledare Kristina Bucht berättar om projektet.\n"
            "- *Vem gör vad för unga i KAK?*: Marita Garman och Elisabeth Fornelius berättar om projektet.\n"
            "- *Hela ViiA*: Birgitta Nilsson, projektledare, berättar om språk- och arbetsträningsverksamheten.\n"
            "- *ESF Unga (SKU - #KlarFramtid)*: Viktoria Johansson och Nima Bigdely berättar om projektet."
        )),
        P("Delårsrapport 2020", dnr="SVM 2019/22", exp_till="Diariet", body=(
            "De sammantagna resultaten i delårsrapporten visar att Samordningsförbundet Västra Mälardalen "
            "jobbar enligt sitt uppdrag. För första halvåret 2020 redovisas ett överskott om 410 000 kr. "
            "Prognosen för helåret är budget i balans."
        ), clauses=["Styrelsen antar Delårsrapport 2020."]),
        P("Revidering av budget 2020", dnr="SVM 2019/22", exp_till="Diariet", body=(
            "Nuvarande års budget behöver revideras då ett antal nya beslut som inneburit kostnadsposter "
            "tillkommit, samt att årets kostnader för möten minskat i och med pandemin.\n\n"
            "Förbundssamordnarens lön kommer nu delas mellan personalkostnad och insatskostnad, efter "
            "rekommendation från revisorerna i revisionsrapporten för 2019."
        ), clauses=["Styrelsen godkänner reviderad budget 2020."]),
        P("Medskick från länsägarmöte + ägarmöte", dnr="SVM 2015/32", stock=NO_DECISION, body=(
            "I december 2019 hölls ett ägarmöte för samtliga samordningsförbund i länet, och i maj 2020 "
            "hölls ett ägarmöte för Samordningsförbundet Västra Mälardalen. Vid sammanträdet diskuteras vad "
            "de tre förbunden kan vinna på att göra gemensamt och vad förbundet vill behålla lokalt.\n\n"
            "Insatser i KAK ska alltid finnas utifrån de lokala behoven."
        )),
        P("Verksamhetsplan och budget 2021, 2022 och 2023", stock=NO_DECISION, body=(
            "En diskussion om samordningsförbundets inriktning för de kommande åren. Ekonom Sirpa Järvenpää "
            "presenterar ett förslag för kommande budgetar: färre och större individinsatser, fortsatt fokus "
            "på unga och utveckla länssamverkan.\n\n"
            "Kommunerna tar med hem till sina socialchefer för att sen återkoppla tillbaka till förbundet."
        )),
        P("Innovation- och kunskapscenter för välfärd i samverkan", dnr="SVM 2020/4", exp_till="Diariet", body=(
            "I våras fick styrelsen information om planerna på ett innovations- och kunskapscenter för "
            "samordnings- och samverkansfrågor inom Samarbete i Östra Mellansverige (ÖMS). Vad kostnaden "
            "för ett deltagande skulle innebära för förbundet är inte helt klart."
        ), clauses=["Styrelsen beslutar att tjänstemannen ska fortsätta att följa utvecklingen.",
                    "Styrelsen beslutar att inte gå in i ÖMS-enheten i dagsläget"]),
        P("Reviderad förbundsordning", dnr="SVM 2018/26", exp_till="Diariet", stock=NOTED, body=(
            "Under 2018 reviderades den första versionen av Samordningsförbundet Västra Mälardalens "
            "förbundsordning från 2010. Nu har samtliga medlemmar i förbundet fastställt den nya "
            "förbundsordningen."
        )),
    ],
}

SEED_004: dict[str, Any] = {
    "org": "norra-vastmanland", "organ": "Styrelsen", "date": dt.date(2023, 11, 2), "first": 54,
    "meeting": {"start_time": T(8, 30), "end_time": T(9, 30), "place": "", "is_remote": True,
                "kind": Meeting.Kind.EXTRA},
    "attendance": [
        ("Elisabet Pettersson", B, {"function": CHAIR, "affiliation": "Sala kommun"}),
        ("Karin Hurtig", B, {"affiliation": "Norbergs kommun"}),
        ("Åsa Brodd", B, {"affiliation": "Försäkringskassan"}),
        ("Rolf Korsgren", B, {"affiliation": "Hallstahammars kommun"}),
        ("Roger Ingvarsson", B, {"affiliation": "Skinnskattebergs kommun"}),
        ("Inge Larsson", B, {"affiliation": "Surahammars kommun"}),
        ("Kristina Hellman", B, {"affiliation": "Fagersta kommun"}),
        ("Eva Bergling", E, {"affiliation": "Sala kommun"}),
        ("Ann Rilegård", O, {"function": SECRETARY, "affiliation": "Norra Västmanlands Samordningsförbund"}),
    ],
    "adjusters": ["Roger Ingvarsson"],
    "paragraphs": [
        P("Val av protokollsjusterare", kind=Paragraph.Kind.ADJUSTERS,
          body="Roger Ingvarsson föreslås till protokolljusterare.",
          clauses=["Att utse Roger Ingvarsson till protokolljusterare"]),
        P("Dagordning", kind=Paragraph.Kind.AGENDA, stock=AGENDA),
        P("Tilläggsäskande 2023 Samordningsteam Sala",
          docs=["Utdrag styrelseprotokoll NVSam 2023 § 48",
                "Tilläggsäskande Samordningsteam Sala 2023-09-25",
                "Skrivelse 2023-10-20 från styrgrupp Samordningsteam Sala om tilläggsäskande 2023"],
          kopia_till="styrgruppen för Samordningsteam Sala",
          body=(
              "Samordningsteam Sala inkom 2023-09-25 med ett tilläggsäskande om 147 424 kr för 2023. Skälet "
              "som angavs var att personalkostnad för kommunens och Arbetsförmedlingens personal blivit högre "
              "än budgeterat, samt att övriga kostnader (såsom bilhyra, telefoner, livsmedel, datalicenser och "
              "kontorsmaterial) har ökat mer än budget.\n\n"
              "Styrelsen beslutade 2023-09-26 att återföra frågan till styrgruppen för Samordningsteam Sala för "
              "förtydligande och förklaring av orsakerna till underskottet samt med en beskrivning av "
              "konsekvenserna vid utebliven kostnadstäckning.\n\n"
              "Styrgruppen, via verksamhetsledaren, lämnade 2023-10-22 ett svar på ovanstående frågor till "
              "förbundet. Bland annat framfördes att konsekvensen av uppkommet underskott skulle vara att en av "
              "de två socialkonsulenterna (anställda av Sala kommun) skulle behöva arbeta med andra uppgifter "
              "inom kommunen resten av året, vilket skulle innebära att verksamheten inte kan ha öppet som "
              "tidigare, att flera pågående deltagare skulle behöva avslutas samt att inga nya deltagare skulle "
              "kunna tas in under resten av året.\n\n"
              "Frågan behandlades vid dagens extra styrelsemöte. Det är ett stort belopp som styrgruppen "
              "tilläggsäskar om, jämfört med tidigare tilläggsäskanden från andra insatser (20 tkr-62 tkr).\n\n"
              "Bland annat diskuterades att löpande uppföljning av budget och utfall behöver säkerställas via "
              "insatsens styrgrupp. Resultaten för deltagarna i verksamheten i Samordningsteam Sala har dock "
              "under en lång tid varit mycket goda, och det skulle vara olyckligt om verksamheten skulle behöva "
              "stanna av resten av året.\n\n"
              "Ordförande föreslår att styrelsen beviljar 120 tkr i tilläggsäskande till Samordningsteam Sala. "
              "Ett av de andra Samordningsteamen har under hösten meddelat att de kommer ha ett överskott på "
              "ca 90 tkr 2023, vilket med ordförandes förslag skulle betyda ett nettouttag utöver budget på "
              "30 tkr för förbundet."
          ),
          clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr"]),
        P("Förslag till ökad serviceavgift Nationella Nätverket för Samordningsförbund",
          docs=["Brev från NNS styrelse oktober 2023",
                "Underlag rörande förslag om förändrad serviceavgift för NNS 2024",
                "Förslag till NNS verksamhetsinriktning 2024-2026 inkl plan och budget för 2024",
                "Bilaga till verksamhetsinriktning plan och budget 2024 Prioriterade områden",
                "Tjänsteskrivelse – angående NNS förslag om utökad serviceavgift för 2024"],
          body=(
              "Norra Västmanlands Samordningsförbund har varit medlem i Nationella Nätverket för "
              "Samordningsförbund (NNS) sedan föreningen bildades 2012. NNS roll är att vara ”språkrör” för "
              "Samordningsförbunden på nationell nivå, samt att stödja samordningsförbunden i deras "
              "utvecklingsarbete. Av landets 72 Samordningsförbund är 67 medlemmar i NNS.\n\n"
              "För att NNS ska ha resurser att fortsätta sitt utvecklingsarbete har man sett ett behov av att "
              "höja serviceavgiften. Nuvarande serviceavgift är 2 promille av medelstilldelningen per medlem, "
              "och förslaget som kommer presenteras på NNS medlemsmöte den 24 november är en höjning till "
              "3,5 promille.\n\n"
              "Norra Västmanlands Samordningsförbund kommer från 2024 att utökas till Samordningsförbundet "
              "Västmanland. Eftersom NNS medlemsmöte kommer behandla frågan om utökad serviceavgift under "
              "2023 behöver dock de nuvarande medlemmarna ta ställning i frågan.\n\n"
              "För Samordningsförbundet Västmanland skulle föreslagen serviceavgift innebära 66 600 kr, att "
              "jämföra med 38 000 kr för oförändrad nivå.\n\n"
              "Sammantaget är bedömningen att den ökade nyttan med förbundets medlemskap i NNS motiverar en "
              "ökad kostnad."
          ),
          clauses=["Att uppdra åt ordförande att vid NNS medlemsmöte den 24 november rösta för NNS förslag om "
                   "utökad serviceavgift till 3,5 promille av Samordningsförbundens medelstilldelning."]),
        P("Övriga frågor", kind=Paragraph.Kind.OTHER,
          body="Inga övriga frågor.\n\nOrdförande tackar alla närvarande och förklarar mötet avslutat."),
    ],
}

SEEDS = [SEED_000, SEED_001, SEED_004]
