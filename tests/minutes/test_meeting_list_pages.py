"""The secretary's meeting list is paged: a page costs the same after ten years of meetings as
after one, and every meeting is on exactly one page, newest first."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes.drafting.views.meetings import MEETINGS_PAGE_SIZE
from minutes.models import Meeting


def _add(board, count: int, start: dt.date) -> None:
    Meeting.objects.bulk_create([
        Meeting(organ=board.organ, date=start - dt.timedelta(days=7 * i), place="Köping") for i in range(count)
    ])


def _page(client, url: str) -> tuple[list[str], int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    dates = re.findall(r'<th\b[^>]*\bscope="row"[^>]*><a href="[^"]+">(\d{4}-\d\d-\d\d)</a></th>', text)
    return dates, len(ctx.captured_queries), text


def test_the_meeting_list_is_paged_and_a_page_costs_the_same_however_many_meetings(board, secretary, login):
    client = login(secretary)
    url = reverse("minutes:meetings", args=[board.organisation.slug])
    _add(board, MEETINGS_PAGE_SIZE + 1, dt.date(2023, 12, 1))
    first, few, text = _page(client, url)
    assert len(first) == MEETINGS_PAGE_SIZE and first[0] == "2023-12-01"
    assert 'href="?sida=2" rel="next"' in text and "Sida 1 av 2" in text
    second, _, text = _page(client, url + "?sida=2")
    assert len(second) == 1 and 'rel="prev"' in text
    _add(board, 3 * MEETINGS_PAGE_SIZE, dt.date(2019, 12, 1))
    _, many, _ = _page(client, url)
    assert many == few
    seen: list[str] = []
    for number in range(1, 6):
        dates, _, _ = _page(client, f"{url}?sida={number}")
        seen += dates
    assert len(seen) == len(set(seen)) == 4 * MEETINGS_PAGE_SIZE + 1
    assert seen == sorted(seen, reverse=True)
    assert _page(client, url + "?sida=x")[0] == first  # not a number: the first page


def test_the_apis_meeting_list_is_paged_by_cursor_and_a_page_costs_the_same_at_any_depth(board, secretary):
    """GET /api/v1/organisations/<slug>/meetings: 50 a page, newest first, `next` to follow;
    the same queries on the last page as on the first, and every meeting exactly once."""
    from tests.minutes.test_api import api

    client = api(secretary)
    url = f"/api/v1/organisations/{board.organisation.slug}/meetings"
    _add(board, 120, dt.date(2023, 12, 1))
    client.get(url)  # the token's first use is recorded once; not a cost of the list
    seen: list[str] = []
    queries: list[int] = []
    address: str | None = url
    while address:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(address)
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= 50
        seen += [item["date"] for item in body["items"]]
        queries.append(len(ctx.captured_queries))
        address = body["next"]
    assert len(queries) == 3 and len(set(queries)) == 1
    assert len(seen) == len(set(seen)) == 120 and seen == sorted(seen, reverse=True)
    assert client.get(url + "?cursor=bm9wZQ").status_code == 400  # "nope": not this list's cursor
    assert client.get(url + "?page=2").status_code == 400
