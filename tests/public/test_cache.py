"""The cache of the public pages never shows a notice outside its dates, and a change shows at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection

from minutes.notices import services as notices
from minutes.public.cache import public_version_bump

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_cached_board_follows_the_dates_and_every_change(
    client, published, secretary, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_CACHE_SECONDS = 300
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    with time_machine.travel(dt.datetime(2023, 11, 27, 23, 59, tzinfo=STOCKHOLM), tick=False):
        assert notice.title in client.get("/anslagstavla/").content.decode()
        assert notice.title in client.get("/anslagstavla/prov/").content.decode()
        with CaptureQueriesContext(connection) as ctx:
            assert notice.title in client.get("/anslagstavla/").content.decode()
            # The association, too, comes from the cache: no query for its row.
            assert notice.title in client.get("/anslagstavla/prov/").content.decode()
            assert client.get("/anslagstavla/finns-inte/").status_code == 404
        assert len(ctx.captured_queries) == 0  # served from the cache
        # A change (the posting day moved) shows at once, not after the cache expires: the
        # version moves on when the change commits (here the test's transaction stands in).
        with django_capture_on_commit_callbacks(execute=True):
            notices.notice_set_posting_day(notice=notice, posted_on=dt.date(2023, 11, 7), actor=secretary)
        assert "2023-11-28" in client.get("/anslagstavla/").content.decode()
    with time_machine.travel(dt.datetime(2023, 11, 29, 0, 0, 1, tzinfo=STOCKHOLM), tick=False):
        # Midnight after the last day: down, whatever the cache held the day before.
        assert notice.title not in client.get("/anslagstavla/").content.decode()
        assert notice.title in client.get("/anslagstavla/arkiv/").content.decode()


def test_cached_minutes_and_search_stay_public_only(client, published, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    url = f"/protokoll/prov/2023/{published.meeting.pk}/"
    def main(html: bytes) -> str:
        text = html.decode()
        return text[text.index("<main"):text.index("</main>")]

    first = main(client.get(url).content)
    assert published.open_paragraph.title in first
    assert first == main(client.get(url).content)
    assert client.get(f"/protokoll/prov/2023/{published.draft.pk}/").status_code == 404
    assert "Hemligsakuppgift" not in client.get("/sok/?q=Hemligsakuppgift").content.decode().replace(
        'value="Hemligsakuppgift"', "")


def test_drafting_leaves_the_public_cache_alone_and_a_justering_renews_it(
    client, published, secretary, settings, django_capture_on_commit_callbacks
):
    """An autosave in any association's draft must not empty every public page's cache; the
    meeting's status change (justering, unlocking) must, when it commits."""
    from minutes.drafting import services
    from minutes.models import Meeting
    from tests.conftest import justered_without_signatures

    settings.PUBLIC_CACHE_SECONDS = 300
    url = "/sok/?q=Utkastordet"  # the draft's word: no hit until it is justerad
    client.get(url)
    client.get("/anslagstavla/")
    draft_paragraph = published.draft.paragraphs.order_by("position").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.paragraph_update(paragraph=draft_paragraph, actor=secretary,
                                  expected_version=draft_paragraph.version, body="Ny text i utkastet.")
        services.clauses_set(paragraph=draft_paragraph, clauses=["Att notera informationen"], actor=secretary)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
        assert client.get("/anslagstavla/").status_code == 200
    assert len(ctx.captured_queries) == 0  # both still from the cache

    # The draft is justerad: the meeting's save renews the cache, so a search finds it at once.
    draft = Meeting.objects.get(pk=published.draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        justered_without_signatures(draft, secretary)
    assert f"/protokoll/prov/2023/{draft.pk}/" in client.get(url).content.decode()
    assert "Ny text i utkastet." in client.get(f"/protokoll/prov/2023/{draft.pk}/").content.decode()


def test_a_page_from_the_cache_is_one_redis_command(client, published, settings, monkeypatch):
    """The version and the entry come in one MGET: no GET before it, no SET after it.

    Counted on the way out of this process (each command still goes to the real Redis), so
    a Celery worker using the same server cannot disturb the count."""
    import redis

    settings.PUBLIC_CACHE_SECONDS = 300
    sent: list[str] = []
    execute = redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(str(args[0]).upper())
        return execute(self, *args, **options)

    client.get("/anslagstavla/")  # rendered and stored
    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    assert published.open_paragraph.meeting.organ.organisation.name in client.get("/anslagstavla/").content.decode()
    assert sent == ["MGET"]
    # One redis.Redis client for every operation of the process, not one per operation
    # (django-redis; Django's own backend builds one per operation: bench/cache_client.py).
    assert get_redis_connection("default") is get_redis_connection("default", write=False)


def _message_waiting(client, text: str) -> None:
    """A message queued for the client's next page, as a redirect after a form leaves it (the
    cookie the messages framework writes)."""
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    storage = request._messages = FallbackStorage(request)  # where MessageMiddleware puts it
    messages.add_message(request, messages.INFO, text)
    response = HttpResponse()
    storage.update(response)
    client.cookies.update(response.cookies)


def test_a_reader_not_signed_in_gets_the_whole_page_from_the_cache(client, published, settings):
    """The board, a search and a minutes page: the second visit renders nothing and reads
    nothing from the database, and answers the same bytes with the same status and headers."""
    settings.PUBLIC_CACHE_SECONDS = 300
    public_version_bump()  # nothing kept by an earlier test (its changes never committed) counts
    minutes = f"/protokoll/prov/2023/{published.meeting.pk}/"
    pages = ["/anslagstavla/", "/anslagstavla/prov/", "/sok/?q=beslut", minutes]
    first = {url: client.get(url) for url in pages}
    with CaptureQueriesContext(connection) as ctx:
        again = {url: client.get(url) for url in pages}
    assert len(ctx.captured_queries) == 0
    for url in pages:
        assert first[url].status_code == again[url].status_code == 200, url
        assert first[url].templates and not again[url].templates, url  # rendered once, then kept
        assert first[url].content == again[url].content, url
        assert first[url].get("X-Robots-Tag") == again[url].get("X-Robots-Tag"), url
        assert again[url]["Content-Type"] == "text/html; charset=utf-8"
        assert not again[url].cookies, url  # a cookie here would be another reader's
    assert again["/anslagstavla/"]["X-Robots-Tag"] == "noindex"
    # A page that is not there is not kept: asked twice, it is looked up twice.
    assert client.get("/protokoll/prov/2023/999999/").status_code == 404
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/protokoll/prov/2023/999999/").status_code == 404
    assert len(ctx.captured_queries) >= 1


def test_the_whole_page_cache_keeps_nothing_of_one_reader_for_another(client, published, secretary, settings):
    """The frame differs for a reader signed in (their name, a CSRF token), in another language
    or with a message waiting: none of those pages is kept for the others, nor the others' for them."""
    from django.test import Client

    settings.PUBLIC_CACHE_SECONDS = 300
    public_version_bump()
    name = "Logga ut Sekreterare Kansli"  # the header names the person signed in (tests/conftest.py)
    for url in ["/anslagstavla/", "/sok/?q=beslut", f"/protokoll/prov/2023/{published.meeting.pk}/"]:
        signed_in = Client()
        signed_in.force_login(secretary)
        assert name in signed_in.get(url).content.decode(), url  # first: rendered for them
        anonymous = client.get(url).content.decode()
        assert "Logga ut" not in anonymous and "Logga in" in anonymous and "csrfmiddlewaretoken" not in anonymous
        assert name in signed_in.get(url).content.decode(), url  # the anonymous page is kept, not for them

        english = Client()
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert '<html lang="en"' in english.get(url).content.decode(), url
        assert '<html lang="sv"' in client.get(url).content.decode(), url

        reader = Client()
        _message_waiting(reader, "Meddelandet som väntar")
        assert "Meddelandet som väntar" in reader.get(url).content.decode(), url
        assert "Meddelandet som väntar" not in reader.get(url).content.decode(), url  # shown once
        assert "Meddelandet som väntar" not in client.get(url).content.decode(), url
