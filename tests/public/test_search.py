"""The search ranks the most recent CANDIDATES matches, says when there were more, and the
filters make it complete again within what they select."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes.drafting import services
from minutes.models import Meeting, Paragraph
from minutes.public import search
from tests.conftest import justered_without_signatures, triggers_off
from tests.public.conftest import make_minutes

WORD = "samverkansavtal"


def _meeting(board, secretary, day: dt.date, paragraphs: list[tuple[str, str]]) -> list[Paragraph]:
    meeting = make_minutes(organ=board.organ, actor=secretary, date=day, titles=[], confidential=False,
                           status=Meeting.Status.DRAFTING)
    made = [services.paragraph_add(meeting=meeting, title=title, body=body, actor=secretary)
            for title, body in paragraphs]
    justered_without_signatures(meeting, secretary)
    return made


@pytest.fixture
def archive(board, secretary) -> dict[str, Paragraph]:
    """Two years of minutes; the word in a title ranks above the word in a text."""
    a1, a2 = _meeting(board, secretary, dt.date(2022, 5, 4), [
        (f"Nytt {WORD} med regionen", "Förbundschefen redogör för ärendet."),
        ("Uppföljning", f"Förbundschefen redogör för {WORD} i ärendet."),
    ])
    b1, b2, b3, b4, b5 = _meeting(board, secretary, dt.date(2023, 5, 3), [
        ("Budget", "Förbundschefen redogör för budgeten."),
        ("Uppföljning", f"Förbundschefen redogör för {WORD} i ärendet."),
        ("Rapport", f"Förbundschefen redogör för {WORD} i ärendet."),
        (f"Förlängt {WORD} med regionen", "Förbundschefen redogör för ärendet."),
        ("Övrigt", "Inga övriga frågor."),  # the newest paragraph of all does not match
    ])
    return {"a1": a1, "a2": a2, "b1": b1, "b2": b2, "b3": b3, "b4": b4, "b5": b5}


def _hits(client, **params) -> tuple[str, list[int]]:
    r = client.get("/sok/", {"q": WORD, **params})
    assert r.status_code == 200
    text = r.content.decode()
    return text, [int(pk) for pk in re.findall(r'href="/protokoll/[^"]*#p(\d+)"', text)]


def test_every_match_is_ranked_when_there_are_few(client, archive):
    text, ids = _hits(client)
    p = archive
    assert "6 träffar" not in text  # b1 and b5 do not mention the word
    assert "5 träffar" in text
    # Titles first (newest first among equals), then texts.
    assert ids == [p["b4"].pk, p["a1"].pk, p["b2"].pk, p["b3"].pk, p["a2"].pk]


def test_only_the_newest_candidates_are_ranked_and_the_page_says_so(client, archive, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    p = archive
    text, ids = _hits(client)
    assert "Fler än 3 träffar" in text
    assert "De 3 senast protokollförda visas" in text
    # a1 would rank second of all, but it is older than the three newest matches.
    assert ids == [p["b4"].pk, p["b2"].pk, p["b3"].pk]
    # A filter narrows the candidates: within 2022 the ranking is complete again.
    text, ids = _hits(client, ar="2022")
    assert "2 träffar" in text and "Fler än" not in text
    assert ids == [p["a1"].pk, p["a2"].pk]
    # Exactly as many matches as candidates is not "more than".
    text, ids = _hits(client, ar="2023")
    assert "3 träffar" in text and "Fler än" not in text
    assert ids == [p["b4"].pk, p["b2"].pk, p["b3"].pk]


def test_the_association_and_organ_filters_keep_to_their_own(client, archive, board, other_board, secretary, outsider):
    other = make_minutes(organ=other_board.organ, actor=outsider, date=dt.date(2023, 6, 1), titles=[],
                         confidential=False, status=Meeting.Status.DRAFTING)
    theirs = services.paragraph_add(meeting=other, title=f"Deras {WORD}", body="Text.", actor=outsider)
    justered_without_signatures(other, outsider)
    _, everyone = _hits(client)
    assert theirs.pk in everyone and len(everyone) == 6
    _, ours = _hits(client, forbund=board.organisation.slug)
    assert theirs.pk not in ours and len(ours) == 5
    _, by_organ = _hits(client, organ=str(other_board.organ.pk))
    assert by_organ == [theirs.pk]
    _, other_year = _hits(client, forbund=other_board.organisation.slug, ar="2022")
    assert other_year == []


def test_the_candidate_window_keeps_to_public_paragraphs(client, archive, board, secretary, monkeypatch):
    """The newest matches are a draft's and a confidential one's: they take no candidate place."""
    monkeypatch.setattr(search, "CANDIDATES", 2)
    meeting = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2024, 2, 1), titles=[],
                           confidential=False, status=Meeting.Status.DRAFTING)
    services.paragraph_add(meeting=meeting, title=f"Utkast om {WORD}", body=WORD, actor=secretary)
    signed = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2024, 3, 1), titles=[],
                          confidential=False, status=Meeting.Status.DRAFTING)
    services.paragraph_add(meeting=signed, title=f"Sekretess om {WORD}", body=WORD, is_confidential=True,
                           osl_reference="26 kap. 1 § OSL", actor=secretary)
    justered_without_signatures(signed, secretary)
    text, ids = _hits(client)
    assert ids == [archive["b4"].pk, archive["b3"].pk]
    assert "Utkast om" not in text and "Sekretess om" not in text


def test_a_search_is_two_queries_whatever_the_number_of_matches(client, archive, board, secretary, settings):
    client.get("/sok/", {"q": WORD})  # the per-process ContentType cache, as in a running server
    with CaptureQueriesContext(connection) as few:
        client.get("/sok/", {"q": WORD})
    _meeting(board, secretary, dt.date(2024, 4, 2), [(f"Ännu ett {WORD}", WORD)] * 12)
    with CaptureQueriesContext(connection) as many:
        client.get("/sok/", {"q": WORD})
    searches = [q["sql"] for q in many.captured_queries if "websearch_to_tsquery" in q["sql"]]
    assert len(searches) == 2  # the candidates with their rank; then one page of them with snippets
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pages_of_hits_and_a_page_past_the_last(client, board, secretary):
    """21 hits: page 2 holds the 21st; a page past the last shows the last, not nothing."""
    made = _meeting(board, secretary, dt.date(2024, 4, 2), [(f"Ärende {i} om {WORD}", "Text.") for i in range(21)])
    text, first = _hits(client)
    assert "21 träffar" in text and "Sida 1 av 2" in text and len(first) == 20
    text, second = _hits(client, sida="2")
    assert "Sida 2 av 2" in text and len(second) == 1
    assert sorted(first + second) == sorted(p.pk for p in made)
    text, past = _hits(client, sida="9")
    assert "Sida 2 av 2" in text and past == second
    text, none = _hits(client, q="ordetsomintefinns")
    assert "0 träffar" in text and none == []


def test_the_filter_options_are_escaped_and_keep_the_choice(client, board, other_board):
    from board.models import Organisation

    Organisation.objects.filter(slug="prov").update(name='Förbundet <b>"Väst"</b> & co')
    text = client.get("/sok/", {"q": WORD, "forbund": "prov", "ar": "2023"}).content.decode()
    assert '<option value="prov" selected>Förbundet &lt;b&gt;&quot;Väst&quot;&lt;/b&gt; &amp; co</option>' in text
    assert '<option value="2023" selected>2023</option>' in text
    assert '<option value="" selected>Alla organ</option>' in text
    assert "<b>" not in text.split('id="id_forbund"')[1].split("</select>")[0]


def test_the_filters_choices_are_read_anew_at_each_call(board, other_board):
    """Their two queries are compiled once per process (config/compiled.py): the rows are still
    the database's of the moment, an association and an organ added or renamed shown at once."""
    from board.models import Organ, Organisation
    from minutes.public.selectors import filter_choices
    from tests.factories import OrganFactory, OrganisationFactory

    before = filter_choices()
    added = OrganisationFactory(name="Samordningsförbundet Ånge", slug="ange", short_name="")
    OrganFactory(organisation=added, name="Styrelsen")
    Organisation.objects.filter(slug="prov").update(name="Förbundet Prov, nytt namn")
    after = filter_choices()
    assert len(after.organisations) == len(before.organisations) + 1
    assert [(c.slug, c.name, c.minutes_retention_months) for c in after.organisations] == list(
        Organisation.objects.order_by("name").values_list("slug", "name", "minutes_retention_months"))
    assert "Förbundet Prov, nytt namn" in [c.name for c in after.organisations]
    # An association without a short name is named in full after its organ's name.
    assert (Organ.objects.get(organisation=added).pk, "Styrelsen (Samordningsförbundet Ånge)") in after.organs
    assert len(after.organs) == len(before.organs) + 1


def test_bad_search_input_is_named_in_swedish(client, board):
    text = client.get("/sok/", {"q": "x" * 201}).content.decode()
    assert "som mest 200 tecken" in text and "träff" not in text
    text = client.get("/sok/", {"q": WORD, "forbund": "finns-inte"}).content.decode()
    assert "Välj ett giltigt alternativ" in text and "träff" not in text
    text = client.get("/sok/", {"q": WORD, "ar": "tjugo"}).content.decode()
    assert "Välj ett giltigt alternativ" in text and "träff" not in text
    for params in ({"ar": "1990"}, {"organ": "999999"}, {"organ": "styrelsen"}):
        text = client.get("/sok/", {"q": WORD, **params}).content.decode()
        value = next(iter(params.values()))
        assert f"Välj ett giltigt alternativ. {value} finns inte" in text and "träff" not in text, params
    assert "%(value)s" not in text


@pytest.mark.parametrize("status", [s for s in Meeting.Status if s != Meeting.Status.SIGNED])
def test_only_justerade_minutes_are_searched(client, board, secretary, status):
    """The search asks for the meeting's status itself: minutes published once and then in any
    other status (unlocked, say) find nothing."""
    meeting = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2024, 2, 1), titles=[],
                           confidential=False, status=Meeting.Status.DRAFTING)
    paragraph = services.paragraph_add(meeting=meeting, title=f"Om {WORD}", body=WORD, actor=secretary)
    text, ids = _hits(client)
    assert ids == [] and "0 träffar" in text  # a draft was never published
    justered_without_signatures(meeting, secretary)
    assert _hits(client)[1] == [paragraph.pk]
    with triggers_off():  # as an unlock would, without its rows
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    text, ids = _hits(client)
    assert ids == [] and "0 träffar" in text


def test_the_compiled_search_reads_the_day_and_the_filters_at_each_search(client, archive, board, monkeypatch):
    """The queries are compiled once per process (config/compiled.py): the day, the words and
    each filter's value are parameters, not frozen in the SQL of the first search."""
    from django.utils import timezone

    from board.models import Organisation

    p = archive
    Organisation.objects.filter(pk=board.organisation.pk).update(minutes_retention_months=48)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 5, 3))
    assert {h.pk for h in search.search_page(WORD).hits} == {p["a1"].pk, p["a2"].pk, p["b2"].pk, p["b3"].pk,
                                                              p["b4"].pk}
    # A day later the minutes of 2022-05-04 are past the association's 48 months.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 5, 5))
    assert {h.pk for h in search.search_page(WORD).hits} == {p["b2"].pk, p["b3"].pk, p["b4"].pk}
    assert [h.pk for h in search.search_page("Uppföljning").hits] == [p["b2"].pk]
    for year, found in ((2023, {p["b2"].pk, p["b3"].pk, p["b4"].pk}), (2024, set())):
        assert {h.pk for h in search.search_page(WORD, search.Filters(year=year)).hits} == found
    for organisation, found in ((board.organisation.pk, 3), (board.organisation.pk + 1000, 0)):
        assert len(search.search_page(WORD, search.Filters(organisation_id=organisation)).hits) == found
    for organ, found in ((board.organ.pk, 3), (board.organ.pk + 1000, 0)):
        assert len(search.search_page(WORD, search.Filters(organ_id=organ)).hits) == found
    every = search.Filters(organisation_id=board.organisation.pk, year=2023, organ_id=board.organ.pk)
    assert len(search.search_page(WORD, every).hits) == 3
    assert search.search_page(WORD, search.Filters(organisation_id=board.organisation.pk, year=2022,
                                                   organ_id=board.organ.pk)).hits == []  # withdrawn by now


def test_the_candidates_are_bounded_by_the_longest_retention_as_a_value(client, board, other_board, secretary,
                                                                         outsider, monkeypatch):
    """The meeting dates searched are bounded by the longest minutes retention of any
    association, sent as a value (the filters' choices hold it) so that PostgreSQL plans with
    it: as a subquery its estimate was a guess, and a phrase took 25 ms instead of 2. Minutes
    one association still keeps are found; another's, past its shorter retention, are not."""
    from django.utils import timezone

    from board.models import Organisation

    Organisation.objects.filter(pk=board.organisation.pk).update(minutes_retention_months=48)
    Organisation.objects.filter(pk=other_board.organisation.pk).update(minutes_retention_months=12)
    [ours] = _meeting(board, secretary, dt.date(2024, 5, 4), [(f"Vårt {WORD}", "Text.")])
    theirs = make_minutes(organ=other_board.organ, actor=outsider, date=dt.date(2024, 5, 4), titles=[],
                          confidential=False, status=Meeting.Status.DRAFTING)
    services.paragraph_add(meeting=theirs, title=f"Deras {WORD}", body="Text.", actor=outsider)
    justered_without_signatures(theirs, outsider)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 5, 5))  # 24 months on
    with CaptureQueriesContext(connection) as queries:
        text, ids = _hits(client)
    assert ids == [ours.pk] and "Deras" not in text
    [candidates] = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
    assert "board_organisation" not in candidates  # no subquery: the bound is a value
    assert "make_interval(months => 48)" in candidates
    # Without the choices at hand, search_page reads the longest retention itself.
    assert [h.pk for h in search.search_page(WORD).hits] == [ours.pk]
    assert search.search_page(WORD, longest_months=12).hits == []  # a shorter bound hides ours


def test_a_page_of_any_size_is_one_query_of_the_same_sql(client, board, secretary):
    """The page's rows are asked for as one array: 1 and 20 ids are the same statement."""
    _meeting(board, secretary, dt.date(2024, 4, 2), [(f"Ärende {i} om {WORD}", "Text.") for i in range(21)])
    statements = []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            found = search.search_page(WORD, number=page)
        assert len(found.hits) == (20 if page == 1 else 1)
        statements.append([q["sql"] for q in queries.captured_queries if "ts_headline" in q["sql"]])
    assert len(statements[0]) == len(statements[1]) == 1
    assert re.sub(r"ARRAY\[[^]]*\]|'\{[^}]*\}'", "IDS", statements[0][0]) == \
        re.sub(r"ARRAY\[[^]]*\]|'\{[^}]*\}'", "IDS", statements[1][0])


def test_the_pages_key_lookups_are_prepared_and_the_ranking_is_not(client, archive):
    """Planned once per connection (config/compiled.py, prepare=True): the search's shown rows,
    the filters' choices and the minutes page, whose plan does not depend on the values. Not
    the candidates: the best plan for a word depends on the word."""
    meeting = archive["b1"].meeting
    for _ in range(6):
        assert client.get("/sok/", {"q": WORD}).status_code == 200
        assert client.get(f"/protokoll/prov/2023/{meeting.pk}/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    assert not [sql for sql, _ in prepared if "ts_rank" in sql]
    shown = [plans for sql, plans in prepared if "ts_headline" in sql]
    page = [plans for sql, plans in prepared if '"minutes_publishedminutes"' in sql and '"minutes_meeting"' in sql]
    choices = [sql for sql, _ in prepared if sql.startswith('SELECT "board_organ')]
    assert len(shown) == 1 and len(page) == 1 and len(choices) == 2, prepared
    assert page[0] >= 1  # PostgreSQL runs one generic plan: the lookup is no longer planned at each visit
