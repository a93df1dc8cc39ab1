"""The demo minutes' facts from the seeds: meetings, attendance, paragraphs, decisions and the
kallelse's agenda items with their handlingar.

- 000: Interimsstyrelsen, Samordningsförbundet Västmanland, 2023-08-29, §§ 25–34.
- 001: Styrelsen, Samordningsförbundet Västra Mälardalen, 2020-09-03, SVM §§ 20–27, with
  Dnr, partial attendance "§§ 20–21" and "Exp. till: Diariet".
- 004: Styrelsen, Norra Västmanlands Samordningsförbund, 2023-11-02, NVSam §§ 54–58.

`first` is where each organ's series for the year starts (`ParagraphYear.first_number`), so
the numbers come out as in the seeds: the earlier meetings of those years are not in the system.

Every paragraph is the seed's text in full, word for word (the seeds' own spelling kept, as in
signed minutes), in the restricted HTML the editor stores (<p>, <ul>/<li>, <em>, <strong>,
<br>): lists where the seed has lists. A paragraph whose kind is an ordinary item (or
"Föregående protokoll", which has a handling) is also a point on the kallelse's agenda; its
handlingar (`docs`) belong to both the agenda item and the paragraph. The standard opening and
closing paragraphs (justerare, dagordning, övriga frågor) are the ones "Påbörja protokollet"
adds itself, so they are no agenda items.

`WALKTHROUGH` is a held meeting of NVSam with seed 004's agenda and handlingar and no minutes
yet: the secretary's walk-through of writing the 2023-11-02 minutes from the agenda, next to
seed 004 itself (whose minutes are loaded in full, under work, for the justering's).
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
FILED = Paragraph.StockDecision.FILED


def P(title: str, **kw: Any) -> dict[str, Any]:  # noqa: N802 - reads like the seeds' §
    return {"title": title, **kw}


Block = str | list[str]


def html(*blocks: Block) -> str:
    """A paragraph body in the stored HTML subset: a string is a <p>, a list a <ul>.

    The strings are the demo's own (trusted) text and may hold <em>, <strong> and <br>.
    """
    return "".join(
        f"<p>{block}</p>" if isinstance(block, str) else "<ul>" + "".join(f"<li>{i}</li>" for i in block) + "</ul>"
        for block in blocks
    )


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
          body=html("Ulrika Spårebo föreslås till protokolljusterare."),
          clauses=["Att utse Ulrika Spårebo till protokolljusterare"]),
        P("Dagordning", kind=Paragraph.Kind.AGENDA, body=html("Föreslagen dagordning fastställs.")),
        P("Föregående protokoll", kind=Paragraph.Kind.PREVIOUS,
          docs=["Protokoll – styrelsemöte interimsstyrelsen Samordningsförbundet Västmanland 2023-06-15"],
          body=html("Föregående protokoll finns publicerat på förbundets hemsida."),
          clauses=["Att föregående protokoll godkänns och läggs till handlingarna."]),
        P("Medelstildelning 2024",
          docs=["Tjänsteskrivelse – medlemsinsats 2024", "Medlemsinsats 2024 (excel)"],
          body=html(
              "Ann Rilegård informerar att staten via Försäkringskassan först gör en beräkning på möjlig "
              "statlig medelstildelning till respektive samordningsförbund i landet. Storleken på den "
              "statliga medelstildelningen kommuniceras med samordningsförbundens medlemmar. Kommuner och "
              "Region matchar, 25% vardera, den statliga tilldelningen. Slutgiltigt beslut om "
              "medelstildelning kommer under oktober-november.",
              "Det preliminära beskedet från staten för 2024 är en medelstildelning om 9 519 000kr. Av "
              "bilaga <em>Medlemsinsats 2024</em> framgår insats för respektive medlem i förbundet. De "
              "medlemmar där insatsen justerats uppåt är kommunicerade om förändringen.",
          ),
          clauses=["Att Samordningsförbundet Västmanland begär statlig medelstildelning om 9 519 000kr"]),
        P("Lokala styrelsernas inspel om vilka befintliga insatser som man önskar prioritera inför 2024",
          docs=["Insatser från Västra Mälardalen till länsförbundet",
                "Protokollsutdrag – Norra Västmanlands Samordningsförbund 2023-06-15",
                "Kostnader insatser 2023 Norra Västmanlands Samordningsförbund",
                "Protokoll Samordningsförbundet Västerås extra styrelsemöte 230630"],
          body=html(
              "Samordningsförbundet Västra Mälardalen, Norra Västmanlands Samordningsförbund och "
              "Samordningsförbundet Västerås har lämnat rekommendationer om insatser att föra med in i "
              "länssamordningsförbundet.",
              "Samordningsförbundet Västra Mälardalen rekommenderar:",
              ["Projekt SIP-utvecklare Västra Mälardalen", "Teamsamordning Västra Mälardalen",
               "Medel till nämnda insatser är reserverade och följer med från Samordningsförbundet Västmanland."],
              "Samordningsförbundet Västerås rekommenderar:",
              ["Projekt Rehabkoordinatorer i samverkan. (En förstudie har påbörjats under hösten 2023)",
               "Samordningsteam Västerås", "Myndighetsgemensamt team"],
              "Norra Västmanlands Samordningsförbund rekommenderar:",
              ["4 Samordningsteam (Sala, Surahammar, Hallstahammar och FNS)",
               "Fortsatt spridning av det lösningsfokuserade arbetssättet i samverkan",
               "Grönkvist – handledarutbildningar",
               "Fortsatt spridning och implementering av BIP – forskningsbaserad kunskap om vilka faktorer "
               "som har störst betydelse för arbetslösa individer att komma i arbete."],
              "Styrelsen diskuterade också stödet till Insatskatalogen/Välfärdsguiden som alla tre "
              "Samordningsförbund i Västmanland har varit med och finansierat under en längre tid. "
              "Insatskatalogen/Välfärdsguiden ägs och utvecklas av Samordningsförbundet Centrala "
              "Östergötland. Användningen av verktyget har visat sig vara låg, trots ett flertal "
              "informationsinsatser. Styrelsen är överens om att avsluta engagemanget i "
              "Insatskatalogen/Välfärdsguiden.",
          )),
        P("Vägledande principer - individinsatser vs strukturella insatser, projekt, metodutveckling",
          body=html(
              "Ordförande poängterar att utgångspunkten för diskussionen är att styrelsen ska sätta ramen för "
              "vilken verksamhet som ska prioriteras och att balans behövs mellan stöd till individinsatser "
              "och stöd till strukturella insatser, såsom metodutveckling, projekt och myndighetsgemensam "
              "kompetensutveckling. Ett riktmärke kan vara ca 60% individinsatser och 40% strukturella "
              "insatser. Förbundschefen kommer utifrån diskussion och rekommendationer lägga fram ett förslag "
              "på verksamhetsplan och budget vid interimsstyrelsens möte i oktober och vid styrelsens möte i "
              "november tas slutgiltigt beslut.",
              "Medskick från interimsstyrelsen:",
              ["”En väg in” – dvs att hitta länsgemensamma arbetssätt när det gäller remitteringsförfarande "
               "till de samordnade individinsatserna.",
               "Att den operativa verksamheten ges i uppdrag att bedriva en mer enhetlig verksamhet i länet.",
               "Att tydliggöra hur resultat av individinsatser ska mätas i kommande länsamordningsförbund.<br>"
               "(t ex antal individer i samordnade insatser, stegförflyttning mot arbete, antal individer som "
               "kommer i arbete eller studier, tid i utanförskap/ genomströmningstid)",
               "Att utgå från behovsanalyser för att fastställa vilka individinsatser som behövs. "
               "Arbetsförmedlingen och Försäkringskassan kommer under hösten bidra med statistikunderlag.",
               "Balans mellan att arbeta med de individinsatser man gör idag och att satsa mer förebyggande.",
               "Att det primära med verksamhetsplan 2024 är att ange inriktning på individinsatser kontra "
               "metodutveckling/strukturella insatser.",
               "Att där det redan finns resurser hos enskilda medlemmar som fungerar bra kan "
               "samordningsförbundet vara behjälplig med att synkronisera insatser.",
               "Att sprida kunskaper och erfarenheter i länet",
               "Att arbeta med frågan om psykisk ohälsa och skillnaden i diagnosticering mellan könen; "
               "exempelvis genom föreläsningar om bemötande av kvinnor med NPF-diagnoser.",
               "Att arbeta med insatser omkring utrikesfödda kvinnor med psykisk ohälsa, vilka idag ofta "
               "bOLLAS mellan Af och Fk",
               "Att länsförbundet behöver göras mer välkänt hos förbundsmedlemmarna och att en vision behöver "
               "formuleras."],
              "Styrelsen föreslår att en ”kick-off” arrangeras i slutet på året (med styrelse, styrgrupper, "
              "beredningsgrupper och insatspersonal). Syftet är att diskutera verksamhetsutveckling för "
              "kommande år samt att gemensamt ta fram en vision för förbundet. Datum bestäms till 8 december. "
              "Förbundschefen får i uppdrag att tillsammans med presidiet planera innehåll, samt att bjuda in "
              "berörda deltagare.",
          )),
        P("Rekryteringsprocessen till kansliet",
          body=html(
              "Förbundschefen informerar om rekryteringsprocessen av två utvecklingsledare till kansliet. "
              "Annonsering har skett och totalt har det inkommit 38 ansökningar. HR-konsult på Fagersta "
              "kommun har varit behjälplig. 8 kandidater har blivit intervjuade. Man gick vidare med 5st, "
              "varav en drog tillbaka sin ansökan. Kvarvarande fyra har gjort Jobmatch Talent test, vilket "
              "bekräftade intrycken från intervjuerna. Just nu pågår referenstagning med målet att "
              "anställningsprocessen ska vara klar inom en vecka.",
          ),
          stock=FILED),
        P("Avtal om stödfunktioner",
          docs=["Avtal Fagersta kommun och SF Västmanland om administrativa tjänster från 2024-01-01"],
          body=html(
              "Avtalet med Fagersta kommun omfattar köp av administrativa tjänster såsom diarieföring, arkiv, "
              "posthantering. Köp av tjänster utöver de som omfattas av avtalet debiteras per timmer.",
              "Det har också inkommit ett förslag på avtal för köp av ekonomiska tjänster från Norra "
              "Västmanlands ekonomiförvaltning. Norra Västmanlands Samordningsförbund har idag motsvarande "
              "avtal med Norra Västmanlands ekonomiförvaltning. Förbundschefen och styrelsen förordar "
              "motsvarande avtal. I avtalet ingår bokföring, bokslut, moms, controller, redovisningsekonom, "
              "fakturahantering som idag kostar ca 156 tkr/år. Nya avtalet kommer med indexering kosta ca "
              "229 tkr för 2024. Kostnaden uppfattas som rimlig och presidiet får i uppdrag att underteckna "
              "avtal efter att ha kontrollerat avtalet mer genomgående.",
          ),
          clauses=["Att avtal Fagersta kommun och SF Västmanland om administrativa tjänster godkänns",
                   "Att presidiet undertecknar avtal om köp ekonomiska tjänster efter kontroll"]),
        P("Revision av interimsstyrelsens arbete",
          docs=["Tjänsteskrivelse- Revision av interimsstyrelsens arbete 2023"],
          body=html(
              "Frågan om revision av arbetet som interimsstyrelsen för Samordningsförbundet Västmanland "
              "genomför under 2023. Enligt revisionsbiträde Jennie Fernroos, Freveko, föreligger inget krav "
              "på revision, men att det ändå kan vara lämpligt att en auktoriserad revisor gör en genomlysning.",
          ),
          clauses=["Att Samordningsförbundet Västmanland ger auktoriserad revisor i uppdrag att i början på "
                   "december 2023 gå igenom interimsstyrelsens styrelseprotokoll och de styrande dokument som "
                   "upprättats, samt därefter lämna en revisionsrapport.",
                   "Att kostnaden för uppdraget inte får överstiga 20 000kr exklusive moms."]),
        P("Övriga frågor", kind=Paragraph.Kind.OTHER,
          body=html(
              "Staffan Egerberg tar upp frågan om barn med funktionsnedsättning och deras rätt till "
              "aktivitetsersättning. Åsa Brodd informerar att rätten till aktivitetsersättning bedöms på "
              "läkarutlåtande som styrker rätten till ersättning samt behoven, att det är individuella "
              "bedömningar. Staffan och Åsa upprättar vidare kontakt vid behov.",
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
        ("Marita Garman", O, {"role_text": "projektledare Vem gör vad...", "paragraphs": (0, 1)}),
        ("Elisabeth Fornelius", O, {"role_text": "projektledare Vem gör vad...", "paragraphs": (0, 1)}),
        ("Sonja Jernberg", O, {"affiliation": "Försäkringskassan", "paragraphs": (0, 0), "is_remote": True}),
        ("Kristina Bucht", O, {"affiliation": "Region Västmanland", "paragraphs": (1, 1), "is_remote": True}),
    ],
    "adjusters": ["Marie-Louise Söderström"],
    "paragraphs": [
        P("Omvärldsanalys", stock=NOTED, body=html(
            "En kortare information om den regionala utvecklingsplanen i Västmanland, samt respektive "
            "medlems situation utifrån i förväg utskickade frågor.",
            "Förbundssamordnare Linda Anderfjäll berättar om de 5 av 20 mål från den regionala "
            "utvecklingsplanen där Samordningsförbundet Västra Mälardalen bidrar:",
            ["Mål 1 – Minska andelen barn i ekonomiskt utsatta hushåll",
             "Mål 5 – Öka andelen som anger att deras hälsa är bra eller mycket bra",
             "Mål 17 – Öka andelen elever som fullföljer sina studier",
             "Mål 19 – Öka andelen sysselsatta",
             "Mål 20 – God ekonomisk utveckling"],
            "Till viss del bidrar samordningsförbundet även kring målen gällande trygghet och tillit.",
            "Från utvecklingsgruppen presenteras medlemmarnas situation i dagsläget:",
            "Sonja Jernberg, <strong>Försäkringskassan</strong> är med via Teams. Enligt sjukpenningtalet "
            "sticker Kungsör ut något. Försäkringskassan ser behov av samordnade rehabiliteringsinsatser som "
            "de kan remittera till. Övriga länet har samordningsteam där man arbetar på individuell nivå med "
            "individer som står långt ifrån arbetsinriktad rehabilitering, gäller framförallt unga personer "
            "med aktivitetsersättning. Försäkringskassan önskar liknande team även i KAK.",
            "Roger Lindberg, <strong>Arbetsförmedlingen</strong> pratar om arbetsmarknadsläget i Västra "
            "Mälardalen. Trenden är att arbetslösheten ökar i länet. Ungdomsarbetslösheten är hög, "
            "framförallt i Köping och Kungsör, och har ökat.",
            "Anna Bernanker, <strong>Köpings kommun</strong> berättar att Köping följer "
            "arbetslöshetssiffrorna nogsamt nu. Ingen dramatisk ökning på försörjningsstöd än. Många barn "
            "bland de hushåll med ekonomiskt bistånd.",
            "Elisabeth Fonelius, <strong>Arboga kommun</strong> berättar att Arboga sticker ut något vad "
            "gäller arbetslösheten bland utrikesfödda. Arboga framför önskemål om tydligare fokus på de "
            "dagliga samverkansformerna mellan lokala aktörer som exempelvis kommunala verksamheter, "
            "psykiatri och vårdcentraler.",
            "Region Västmanland och <strong>Kungsör kommun</strong> hade ingen presentation",
        )),
        P("Återkoppling från pågående insatser", stock=NOTED, body=html(
            "Information från de insatser som pågår just nu, hur det går och vilka resultat som kan ses.",
            ["<em>Hälsoinsatser för nyanlända</em><br>Projektledare Kristina Bucht berättar om projektet, "
             "projekt mål och projektorganisation. Projektet startade upp i maj.",
             "<em>Vem gör vad för unga i KAK?</em><br>Marita Garman och Elisabeth Fonelius berättar om "
             "projektet som pågått cirka ett år. De har varit runt i olika verksamheter i de tre kommunerna "
             "för att samla in så mycket information som möjligt. De berättar om de utmaningar de har sett.",
             "<em>Hela ViiA</em><br>Birgitta Nilsson, projektledare berättar om språk- och "
             "arbetsträningsverksamheten <em>Hela vägen in i arbete</em>. Projektet är också finansierat av "
             "AMIF. Fler deltagare behöver in i projektet.",
             "<em>ESF Unga (SKU - #KlarFramtid)</em><br>Viktoria Johansson och Nima Bigdely, projektcoacher "
             "#KlarFramtid berättar om projektet, syfte och teamet som arbetar med projektet."],
        )),
        P("Delårsrapport 2020", dnr="SVM 2019/22", exp_till="Diariet", body=html(
            "De sammantagna resultaten i delårsrapporten visar att Samordningsförbundet Västra Mälardalen "
            "jobbar enligt sitt uppdrag att stödja medlemmarnas arbete att förbättra för individer i behov av "
            "samordnad arbetslivsinriktad rehabilitering att närma sig eller nå egen försörjning. "
            "Samordningsförbundet har goda möjligheter att uppnå de mål som styrelsen beslutat om.",
            "För första halvåret 2020 redovisas ett överskott om 410 000 kr. Under andra halvåret 2020 "
            "förväntas mer medel förbrukas då fler insatser kommit igång, samt att kostnaderna för de "
            "länsgemensamma insatserna kommer i slutet av året. Prognosen för helåret är budget i balans.",
        ), clauses=["Styrelsen antar Delårsrapport 2020."]),
        P("Revidering av budget 2020", dnr="SVM 2019/22", exp_till="Diariet", body=html(
            "Nuvarande års budget behöver revideras då ett antal nya beslut som inneburit kostnadsposter "
            "tillkommit, samt att årets kostnader för möten minskat i och med pandemin.",
            "Förbundssamordnarens lön kommer nu delas mellan personalkostnad och insatskostnad. Detta efter "
            "rekommendation från revisorerna i och med revisionsrapporten för 2019.",
        ), clauses=["Styrelsen godkänner reviderad budget 2020."]),
        P("Medskick från länsägarmöte + ägarmöte", dnr="SVM 2015/32", stock=NO_DECISION, body=html(
            "I december 2019 hölls ett ägarmöte för samtliga samordningsförbund i länet, och i maj 2020 "
            "hölls ett ägarmöte för Samordningsförbundet Västra Mälardalen.",
            "Förbundssamordnare Linda Anderfjäll presenterar vad som sades och förslogs vid det "
            "länsgemensamma presidiummötet 2 september 2020.",
            "Vid sammanträdet diskuteras vad de tre förbunden kan vinna på att göra gemensamt och vad "
            "förbundet vill behålla lokalt.",
            "Linda kommer ta med de åsikter som framförs till kommande träff 21 oktober.",
            "Mindre sårbarhet och mindre uppfinnande av hjul ska uppfyllas, två fördelar att få ut av att "
            "samarbeta annorlunda.",
            "Insatser i KAK ska alltid finnas utifrån de lokala behoven.",
        )),
        P("Verksamhetsplan och budget 2021, 2022 och 2023", stock=NO_DECISION, body=html(
            "En diskussion om samordningsförbundets inriktning för de kommande åren för att lättare kunna ta "
            "fram förutsättningar för verksamhetsplan och budget.",
            "Ekonom Sirpa Järvenpää presenterar ett förslag för kommande budgetar. Att fortsätt på inlagen "
            "väg med färre och större individinsatser, fortsatt fokus på unga och utveckla länssamverkan.",
            "Kommunerna tar med hem till sina socialchefer för att sen återkoppla tillbaka till förbundet.",
        )),
        P("Innovation- och kunskapscenter för välfärd i samverkan", dnr="SVM 2020/4", exp_till="Diariet",
          body=html(
              "I våras fick styrelsen information om planerna på ett innovations- och kunskapscenter för "
              "samordnings- och samverkansfrågor inom Samarbete i Östra Mellansverige (ÖMS).",
              "Centret ska fungera som sammanhållande, strategisk och samlade nod där bättre planering och "
              "tillvaratagande av erfarenheter och resurser görs möjligt lokalt, regionalt och nationellt. Vad "
              "kostnaden för ett deltagande skulle innebära för förbundet är inte helt klart.",
              "Fokus och nytta måste vara på medborgarna. Effekten måste finnas på lokal nivå. Var finns "
              "styrelsen med i helheten?",
          ), clauses=["Styrelsen beslutar att tjänstemannen ska fortsätta att följa utvecklingen.",
                      "Styrelsen beslutar att inte gå in i ÖMS-enheten i dagsläget"]),
        P("Reviderad förbundsordning", dnr="SVM 2018/26", exp_till="Diariet", stock=NOTED, body=html(
            "Under 2018 reviderades den första versionen av Samordningsförbundet Västra Mälardalens "
            "förbundsordning från 2010. Nu har samtliga medlemmar i förbundet fastställt den nya "
            "förbundsordningen.",
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
          body=html("Roger Ingvarsson föreslås till protokolljusterare."),
          clauses=["Att utse Roger Ingvarsson till protokolljusterare"]),
        P("Dagordning", kind=Paragraph.Kind.AGENDA, stock=AGENDA),
        P("Tilläggsäskande 2023 Samordningsteam Sala",
          docs=["Utdrag styrelseprotokoll NVSam 2023 § 48",
                "Tilläggsäskande Samordningsteam Sala 2023-09-25",
                "Skrivelse 2023-10-20 från styrgrupp Samordningsteam Sala om tilläggsäskande 2023"],
          kopia_till="styrgruppen för Samordningsteam Sala",
          body=html(
              "Samordningsteam Sala inkom 2023-09-25 med ett tilläggsäskande om 147 424 kr för 2023. Skälet "
              "som angavs var att personalkostnad för kommunens och Arbetsförmedlingens personal blivit högre "
              "än budgeterat, samt att övriga kostnader (såsom bilhyra, telefoner, livsmedel, datalicenser och "
              "kontorsmaterial) har ökat mer än budget.",
              "Styrelsen beslutade 2023-09-26 att återföra frågan till styrgruppen för Samordningsteam Sala för "
              "förtydligande och förklaring av orsakerna till underskottet samt med en beskrivning av "
              "konsekvenserna vid utebliven kostnadstäckning.",
              "Styrgruppen, via verksamhetsledaren, lämnade 2023-10-22 ett svar på ovanstående frågor till "
              "förbundet. Bland annat framfördes att konsekvensen av uppkommet underskott skulle vara att en av "
              "de två socialkonsulenter (anställda av Sala kommun) skulle behöva arbeta med andra uppgifter "
              "inom kommunen resten av året, vilket skulle innebära att verksamheten inte kan ha öppet som "
              "tidigare, att flera pågående deltagare skulle behöva avslutas samt att inga nya deltagare skulle "
              "kunna tas in under resten av året.",
              "Frågan behandlades vid dagens extra styrelsemöte. Det är ett stort belopp som styrgruppen "
              "tilläggs-äskar om, jämfört med tidigare tilläggsäskanden från andra insatser (20 tkr-62 tkr).",
              "Bland annat diskuterades att löpande uppföljning av budget och utfall behöver säkerställas via "
              "insatsens styrgrupp. Resultaten för deltagarna i verksamheten i Samordningsteam Sala har dock "
              "under en lång tid varit mycket goda, och det skulle vara olyckligt om verksamheten skulle behöva "
              "stanna av resten av året.",
              "Ordförande föreslår att styrelsen beviljar 120 tkr i tilläggsäskande till Samordningsteam Sala. "
              "Ett av de andra Samordningsteamerna har under hösten meddelat att de kommer ha ett överskott på "
              "ca 90 tkr 2023, vilket med ordförandes förslag skulle betyda ett nettouttag utöver budget på "
              "30 tkr för förbundet.",
          ),
          clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr"]),
        P("Förslag till ökad serviceavgift Nationella Nätverket för Samordningsförbund",
          docs=["Brev från NNS styrelse oktober 2023",
                "Underlag rörande förslag om förändrad serviceavgift för NNS 2024",
                "Förslag till NNS verksamhetsinriktning 2024-2026 inkl plan och budget för 2024",
                "Bilaga till verksamhetsinriktning plan och budget 2024 Prioriterade områden",
                "Tjänsteskrivelse – angående NNS förslag om utökad serviceavgift för 2024"],
          body=html(
              "Norra Västmanlands Samordningsförbund har varit medlem i Nationella Nätverket för "
              "Samordningsförbund (NNS) sedan föreningen bildades 2012. NNS roll är att vara ”språkrör” för "
              "Samordningsförbunden på nationell nivå, samt att stödja samordningsförbunden i deras "
              "utvecklingsarbete, vara ett forum för dialog, erfarenhetsutbyte, kunskapsspridning och "
              "gemensamt lärande. NNS vill också ge en samlad bild av samordningsförbundens verksamhet, "
              "resultat och betydelse i det svenska samhället. Av landets 72 Samordningsförbund är 67 "
              "medlemmar i NNS.",
              "NNS intäkter består av medlems- och serviceavgifter från föreningens medlemmar samt medel som "
              "är kopplade till indikatorverksamheten, partnerskapet med Malmö universitet, medel från ESF "
              "kopplade till förstudien om samverkan samt medel till det nationella regeringsuppdraget om ökad "
              "upptäckt av våld (där medel betalas ut av Jämställdhetsmyndigheten, Jämy).",
              "NNS huvudsakliga kostnader beskrivs som tjänstepersonstöd som köps av medlemsförbunden (stöd i "
              "NNS operativa arbete), arvoden till NNS styrelse, utveckling av hemsidan, konferenser och "
              "seminarier (t ex ordförandekonferens, medlemsmöte och årsmöte), Indikatorverksamheten samt "
              "arbete med en förstudie om samverkan och det nationella regeringsuppdraget om att öka "
              "upptäckten av våld.",
              "Medlemmarna har under en tid diskuterat behovet av att vidareutveckla NNS verksamhet. Under "
              "senaste året har en rad nya inslag testats, såsom månadsträffar, ökat påverkansarbete, nytt "
              "upplägg för kontaktpersoner/ordförandeträffar, en arbetsgrupp för uppföljning, utvärdering och "
              "analys samt en arbetsgrupp för medlemsnytta.",
              "För att NNS ska ha resurser att fortsätta sitt utvecklingsarbete har man sett ett behov av att "
              "höja serviceavgiften. Nuvarande serviceavgift är 2 promille av medelstilledningen per medlem, "
              "och förslaget som kommer presenteras på NNS medlemsmöte den 24 november är en höjning till "
              "3,5 promille.",
              "Norra Västmanlands Samordningsförbund kommer från 2024 att utökas till Samordningsförbundet "
              "Västmanland. Eftersom NNS medlemsmöte kommer behandla frågan om utökad serviceavgift under 2023 "
              "behöver dock de nuvarande medlemmarna, dvs de tre lokala samordningsförbunden i Västmanland, ta "
              "ställning i frågan i det fall de deltar på kommande medlemsmöte NNS i november.",
              "För Samordningsförbundet Västmanland skulle föreslagen serviceavgift innebära 66 600 kr, att "
              "jämföra med 38 000 kr för oförändrad nivå.",
              "NNS utvecklingsarbete senaste tiden har varit mycket positiv:",
              ["Tydligare och betydligt mer aktiva i stödet till Samordningsförbunden",
               "Betydligt mer aktiva i påverkansarbete och kommunikation med regering, riksdag och departement "
               "samt andra parter på nationell nivå",
               "Betydligt mer lyhörda och kommunicerande i dialog med medlemmarna och vad medlemmarna vill och "
               "behöver från NNS."],
              "Sammantaget är bedömningen att den ökade nyttan med förbundets medlemskap i NNS motiverar en "
              "ökad kostnad.",
          ),
          clauses=["Att uppdra åt ordförande att vid NNS medlemsmöte den 24 november rösta för NNS förslag om "
                   "utökad serviceavgift till 3,5 promille av Samordningsförbundens medelstilledning."]),
        P("Övriga frågor", kind=Paragraph.Kind.OTHER,
          body=html("Inga övriga frågor.", "Ordförande tackar alla närvarande och förklarar mötet avslutat.")),
    ],
}

SEEDS = [SEED_000, SEED_001, SEED_004]

# The walk-through: seed 004's meeting before its minutes were written. A held meeting of the
# same board with the same agenda items and handlingar and no paragraphs, so the secretary
# can start the minutes from the agenda ("Påbörja protokollet") and write them. Dated after
# seed 004 (the organ's last 2023 meeting in the demo) so seed 004 keeps its numbers 54–58.
WALKTHROUGH: dict[str, Any] = {
    "org": "norra-vastmanland", "organ": "Styrelsen", "date": dt.date(2023, 12, 7),
    "meeting": {
        **SEED_004["meeting"],
        "kallelse_message": (
            "Övningssammanträde i demon: samma dagordning och handlingar som det extra sammanträdet "
            "2023-11-02 (NVSam §§ 54–58), utan protokoll. Påbörja protokollet och skriv det från "
            "dagordningen."
        ),
    },
    "agenda_of": SEED_004,
}


# Samordningsförbundet Västmanland's delegation order (a demo choice; the seeds have none) and
# three decisions by its förbundschef, the demo login "forbundschef", not yet reported: the
# secretary adds them to the board's next meeting with "Lägg till Anmälan av delegationsbeslut".
DELEGATION_ORG = "vastmanland"
DELEGATION_FROM = dt.date(2024, 1, 1)
# (code, matter, delegate role, max amount in kronor or None, report duty)
DELEGATION_LINES: list[tuple[str, str, str, int | None, bool]] = [
    ("2.1", "Anställning av personal på förbundets kansli", "forbundschef", None, True),
    ("3.2", "Inköp av varor och tjänster inom budget", "forbundschef", 100_000, True),
    ("3.4", "Attest av fakturor", "ekonom", 50_000, False),
]
# (line code, date, matter, decision, amount or None, appealable)
DELEGATION_DECISIONS: list[tuple[str, dt.date, str, str, int | None, bool]] = [
    ("3.2", dt.date(2024, 1, 22), "Föreläsare till temadag om arbetslivsinriktad rehabilitering",
     "Att anlita Föreläsning i Mälardalen AB för temadagen 2024-03-05", 18_500, False),
    ("2.1", dt.date(2024, 2, 5), "Visstidsanställning av projektsamordnare",
     "Att anställa en projektsamordnare 2024-03-01–2024-12-31", None, False),
    ("3.2", dt.date(2024, 2, 19), "Lokal för samordningsteamet i Köping",
     "Att hyra lokal på Stora Gatan 12 i Köping från 2024-04-01", 96_000, True),
]
# The board's next meeting, DELEGATION_DAYS_AHEAD after the day the demo is first loaded (kept
# on later loads while it is still to come): its agenda with a handling, for `ledamot`'s
# "Mitt sammanträde", and its minutes started, where the report of the decisions goes.
DELEGATION_DAYS_AHEAD = 14
DELEGATION_MEETING: dict[str, Any] = {
    "org": "vastmanland", "organ": "Styrelsen",
    "meeting": {"start_time": T(9, 0), "end_time": T(11, 0), "place": "Västerås, förbundets kansli"},
    # (title, description, handling: (title, text of its one page) or None)
    "agenda": [
        ("Mötets öppnande", "", None),
        ("Anmälan av delegationsbeslut", "Förbundschefens beslut fattade på delegation sedan förra sammanträdet.", None),
        ("Uppföljning av samordningsteamet i Köping",
         "Förbundschefen redovisar verksamhetens första månader i de nya lokalerna.",
         ("Uppföljning samordningsteamet Köping",
          "Samordningsteamet i Köping har sedan april tagit emot 34 deltagare. Teamet har flyttat till "
          "lokalen på Stora Gatan 12. Förbundschefen föreslår att styrelsen noterar informationen.")),
        ("Mötets avslutande", "", None),
    ],
}
