"""Two web nodes on one database and one Redis, as behind a load balancer: consecutive requests
of one person land on different nodes (issue 19, "stateless nodes, shown"). Two real gunicorn
processes on ports of their own; the person is an HTTP client whose cookies go to both."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from board.models import ApiToken
from minutes.models import Notice, Paragraph
from minutes.notices import services as notices
from tests.conftest import database_url_for_tests
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "korrekt-hast-batteri"  # tests/factories.py


def _node(port: int) -> subprocess.Popen:
    env = {
        **os.environ, "DATABASE_URL": database_url_for_tests(), "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "DB_CONN_MAX_AGE": "0", "PUBLIC_CACHE_SECONDS": "120",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )


@pytest.fixture(scope="module")
def nodes(django_db_setup) -> Iterator[tuple[str, str]]:
    """The two nodes for the module's tests (they close their connections after each request,
    so a test's tables can be flushed under them)."""
    ports = free_port(), free_port()
    procs = [_node(port) for port in ports]
    urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
    try:
        deadline = time.monotonic() + 60
        for url, proc in zip(urls, procs, strict=True):
            while True:
                try:
                    if httpx.get(f"{url}/robots.txt", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the web node at {url} did not start")
                time.sleep(0.2)
        yield urls  # type: ignore[misc]
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)


@pytest.fixture
def two_nodes(transactional_db, nodes) -> tuple[str, str]:
    return nodes


def _log_in(client: httpx.Client, node: str, username: str, password: str) -> httpx.Response:
    client.get(f"{node}/konto/logga-in/")
    return client.post(f"{node}/konto/logga-in/", data={
        "username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"],
    }, headers={"Referer": f"{node}/konto/logga-in/"})


def test_a_login_on_one_node_holds_on_the_other_and_failed_logins_count_on_both(two_nodes, board, secretary):
    a, b = two_nodes
    slug = board.organisation.slug
    with httpx.Client() as person:
        assert _log_in(person, a, secretary.username, PASSWORD).status_code == 302
        page = person.get(f"{b}/forbund/{slug}/sammantraden/")
        assert page.status_code == 200 and "Sammanträden" in page.text  # the session, read on the other node
    with httpx.Client() as guesser:
        limit = settings.AXES_FAILURE_LIMIT
        for attempt in range(limit - 1):  # alternately on the two nodes
            assert _log_in(guesser, (a, b)[attempt % 2], secretary.username, "fel").status_code == 200
        # The limit-th failure, on whichever node, is counted with the others: locked.
        assert _log_in(guesser, (a, b)[(limit - 1) % 2], secretary.username, "fel").status_code == 429
        # And the right password is refused on either node now.
        assert _log_in(guesser, a, secretary.username, PASSWORD).status_code == 429
        assert _log_in(guesser, b, secretary.username, PASSWORD).status_code == 429


def test_the_board_cached_on_one_node_shows_a_new_notice_on_both(two_nodes, board, secretary):
    a, b = two_nodes
    title = "Kungörelse som båda noderna ska visa"
    assert title not in httpx.get(f"{a}/anslagstavla/").text  # rendered and cached (in Redis) by A
    assert title not in httpx.get(f"{b}/anslagstavla/").text
    today = dt.date.today()
    notices.notice_create(organisation=board.organisation, kind=Notice.Kind.FREE, title=title,
                          posted_on=today, takedown_on=today + dt.timedelta(days=5), actor=secretary)
    assert title in httpx.get(f"{b}/anslagstavla/").text
    assert title in httpx.get(f"{a}/anslagstavla/").text


def test_paragraphs_added_at_once_on_both_nodes_get_one_number_each(two_nodes, meeting, secretary):
    """The numbering lock is the database's: 16 paragraphs sent at once, half to each node."""
    a, b = two_nodes
    _token, key = ApiToken.issue(user=secretary, name="noder")
    before = set(Paragraph.objects.filter(meeting=meeting).values_list("number", flat=True))
    answers: list[int] = []

    def send(node: str, n: int) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=60) as api:
            for i in range(n):
                r = api.post(f"{node}/api/v1/meetings/{meeting.pk}/paragraphs", json={"title": f"Ärende {node[-5:]}-{i}"})
                answers.append(r.status_code)

    threads = [threading.Thread(target=send, args=(node, 8)) for node in (a, b, a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [201] * 32
    numbers = sorted(Paragraph.objects.filter(meeting=meeting).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == len(before) + 32
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # no gap, no twin
