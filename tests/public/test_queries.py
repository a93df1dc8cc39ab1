"""The number of SQL queries of the public pages does not grow with the data."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes.drafting import services
from minutes.models import Meeting
from minutes.notices import services as notices
from tests.conftest import justered_without_signatures, make_board
from tests.factories import UserFactory
from tests.public.conftest import make_minutes


def _grow(board, secretary, n: int, start: dt.date) -> list[Meeting]:
    """n justerade meetings with notices, votes, and an upcoming one; another association too."""
    meetings = []
    for i in range(n):
        day = start + dt.timedelta(days=7 * i)
        m = make_minutes(organ=board.organ, actor=secretary, date=day,
                         titles=[f"Tilläggsäskande nummer {i}", "Budget", "Uppföljning"], status=Meeting.Status.DRAFTING)
        p = m.paragraphs.first()
        voters = [a.person for a in m.attendances.filter(role="beslutande")][:3]
        if voters:
            services.vote_record(paragraph=p, yes_text="Bifall", no_text="Avslag",
                                 ballots={v.pk: "ja" for v in voters}, actor=secretary)
        justered_without_signatures(m, secretary)
        notices.notice_for_justering(meeting=m, justered_on=day + dt.timedelta(days=3), actor=secretary)
        meetings.append(m)
    return meetings


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


def test_public_pages_take_the_same_number_of_queries_at_two_sizes(client, board, secretary):
    other = make_board(name="Samordningsförbundet Tredje", slug="tredje")
    other_secretary = UserFactory(username="sek3", is_superuser=True)
    # Small: one notice already taken down, two up on the day measured; then six more.
    small = _grow(board, secretary, 1, dt.date(2023, 6, 1)) + _grow(board, secretary, 2, dt.date(2023, 8, 1))
    _grow(other, other_secretary, 1, dt.date(2023, 8, 2))
    day = dt.datetime(2023, 8, 20, 12, 0)

    def urls(meeting: Meeting) -> list[str]:
        return [
            "/anslagstavla/", "/anslagstavla/prov/", "/anslagstavla/arkiv/",
            f"/protokoll/prov/2023/{meeting.pk}/", "/protokoll/prov/2023/",
            "/sok/?q=tilläggsäskande", "/sok/?q=budget&forbund=prov&ar=2023",
            "/anslagstavla/atom.xml", "/api/v1/public/meetings", "/api/v1/public/agendaItems",
            f"/api/v1/public/meetings/{meeting.pk}", "/api/v1/public/notices",
        ]

    with time_machine.travel(day, tick=False):
        for u in urls(small[0]):
            client.get(u)  # warms the per-process ContentType cache, as in any running server
        before = {u: _count(client, u) for u in urls(small[0])}
    big = _grow(board, secretary, 6, dt.date(2023, 8, 15)) + _grow(board, secretary, 4, dt.date(2022, 3, 1))
    # A bigger meeting: more paragraphs, attendance and votes on the one page measured.
    with time_machine.travel(day, tick=False):
        for u in urls(small[0]):
            client.get(u)  # the board stores the blocks of the notices new on it (one write, once)
        after = {u: _count(client, u) for u in urls(small[0])}
    assert len(big) == 10
    assert after == before
    # And the numbers are small (issue 18): the board is the associations, the count, the page
    # of notices with their stored blocks, the attachments, the anslagsbevis and PDFs together;
    # a minutes page is one query with its links; a search is the filters' choices (two, with
    # the page cache off), the candidates and the page of hits.
    assert before["/anslagstavla/"] <= 5 and before["/anslagstavla/prov/"] <= 5
    assert before[f"/protokoll/prov/2023/{small[0].pk}/"] == 1
    assert before["/sok/?q=tilläggsäskande"] <= 4


def test_the_api_lists_are_paged_by_keyset_every_row_once_and_no_page_dearer_than_the_first(client, board, secretary):
    """Following `next` from the first page to the last gives every row of the list once, in
    its order; a deep page takes the queries of the first, with no OFFSET and no COUNT."""
    from minutes.models import PublicParagraph

    _grow(board, secretary, 4, dt.date(2023, 6, 1))
    other = make_board(name="Samordningsförbundet Fjärde", slug="fjarde")
    _grow(other, UserFactory(username="sek4", is_superuser=True), 2, dt.date(2023, 6, 1))  # the same days
    day = dt.datetime(2023, 8, 20, 12, 0)
    with time_machine.travel(day, tick=False):
        for endpoint in ("agendaItems", "meetings", "notices", "persons", "bodies", "organizations"):
            everything = client.get(f"/api/v1/public/{endpoint}", {"page_size": 100}).json()
            assert everything["next"] is None
            ids, url, costs, sql = [], f"/api/v1/public/{endpoint}?page_size=2", [], []
            while url:
                with CaptureQueriesContext(connection) as ctx:
                    page = client.get(url).json()
                costs.append(len(ctx.captured_queries))
                sql += [q["sql"] for q in ctx.captured_queries]
                assert len(page["items"]) <= 2
                ids += [item["id"] for item in page["items"]]
                url = page["next"]
            assert ids == [item["id"] for item in everything["items"]], endpoint
            assert len(ids) == len(set(ids)) >= 2, endpoint
            assert max(costs) == costs[0], (endpoint, costs)
            assert not any("OFFSET" in q or "COUNT(" in q for q in sql), endpoint
    # The agendaItems: newest meeting first, each meeting's paragraphs in their order.
    with time_machine.travel(day, tick=False):
        items = client.get("/api/v1/public/agendaItems", {"page_size": 100}).json()["items"]
    rows = {p.pk: p for p in PublicParagraph.objects.all()}
    keys = [(rows[i["id"]].meeting_date, rows[i["id"]].meeting_id, rows[i["id"]].position) for i in items]
    assert keys == sorted(keys, key=lambda k: (-k[0].toordinal(), -k[1], k[2]))
