"""Several hosts, as in production (issue 19): two web nodes and two Celery workers in network
namespaces of their own behind HAProxy, a PostgreSQL primary and its streaming standby, one Redis
(tests/multihost/cluster.py). A secretary drafts and sends minutes with requests alternating
between the nodes, one node is killed half-way, two signers sign on different nodes, the worker
rendering the first PDF is killed, and the notice reaches the public board read from the
standby. Nothing is lost, nothing is done twice.

Run on its own with `pytest -m multihost` (needs root, for `ip netns`).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import httpx
import pytest
from django.db import connections

from tests.conftest import PASSWORD
from tests.multihost.cluster import STANDBY_PORT, Cluster
from tests.multihost.hosts import namespaces_left

# django_db: so that the test database exists (its schema is what the primary gets).
pytestmark = [pytest.mark.multihost, pytest.mark.django_db]


@pytest.fixture(scope="module")
def cluster(django_db_setup, tmp_path_factory) -> Iterator[Cluster]:
    if os.geteuid() != 0:
        pytest.skip("the hosts are network namespaces: `ip netns` needs root")
    made = Cluster(logs_in=tmp_path_factory.mktemp("cluster-logs"))  # kept by pytest, for a failure
    try:
        made.start(connections["default"].settings_dict)  # the test database, as django_db_setup named it
        yield made
    finally:
        tag = made.net.tag if made.net else ""
        root = made.root
        made.close()
        assert not namespaces_left(tag), "a namespace of the test is left behind"
        assert root is None or not root.exists(), "the data directory is left behind"


class Person:
    """A browser: cookies kept, every answer's node (HAProxy's X-Node) noted."""

    def __init__(self, cluster: Cluster) -> None:
        self.http = httpx.Client(base_url=cluster.url, timeout=60)
        self.nodes: list[str] = []

    def _noted(self, response: httpx.Response) -> httpx.Response:
        self.nodes.append(response.headers["x-node"])
        return response

    def get(self, path: str, node: str = "") -> httpx.Response:
        return self._noted(self.http.get(path, headers={"X-Pin": node}))

    def post(self, path: str, data: dict[str, object], node: str = "") -> httpx.Response:
        data = {**data, "csrfmiddlewaretoken": self.http.cookies["csrftoken"]}
        return self._noted(self.http.post(path, data=data, headers={"X-Pin": node}))

    def log_in(self, username: str, node: str = "") -> None:
        self.get("/konto/logga-in/", node)
        answer = self.post("/konto/logga-in/", {"username": username, "password": PASSWORD}, node)
        assert answer.status_code == 302, answer.text[-2000:]


def _wait(condition, timeout: float, what: str, cluster: Cluster):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s\n{cluster.logs()}")
        time.sleep(0.05)


def test_minutes_across_hosts_lose_nothing_when_a_web_node_and_a_worker_die(cluster):
    data = cluster.data
    meeting = data["meeting"]

    # --- the secretary drafts: new §§ and a save of each, through the load balancer ------------
    secretary = Person(cluster)
    secretary.log_in(data["secretary"])
    titles = [f"Ärende på flera värdar {i}" for i in range(8)]
    for i, title in enumerate(titles):
        if i == 4:
            assert set(secretary.nodes) == {"web1", "web2"}  # the requests went to both nodes
            cluster.kill("web1")  # kill -9 of a web node while the secretary works
            from_here = len(secretary.nodes)
        added = secretary.post(f"/sammantraden/{meeting}/paragrafer/", {"title": title})
        assert added.status_code == 302, added.text[-2000:]
        ((pk, version),) = cluster.sql(
            "SELECT id, version FROM minutes_paragraph WHERE meeting_id = %s AND title = %s", [meeting, title])
        saved = secretary.post(f"/paragrafer/{pk}/", {
            "version": version, "title": title, "body": f"Underlag {i} för styrelsen.", "clauses": f"Att besluta {i}",
        })
        assert saved.status_code in (200, 302), saved.text[-2000:]
    # After the kill every request was answered, by the node left, in the same session.
    assert set(secretary.nodes[from_here:]) == {"web2"}
    rows = cluster.sql("SELECT number, title, body FROM minutes_paragraph WHERE meeting_id = %s ORDER BY number",
                       [meeting])
    numbers = [number for number, _, _ in rows]
    assert numbers == list(range(numbers[0], numbers[0] + len(rows)))  # no gap, no twin
    drafted = {title: body for _, title, body in rows if title in titles}
    assert drafted == {title: f"<p>Underlag {i} för styrelsen.</p>" for i, title in enumerate(titles)}

    cluster.start_web("web1")  # the node comes back; HAProxy takes it in again
    _wait(lambda: httpx.get(f"{cluster.url}/robots.txt", headers={"X-Pin": "web1"}).headers["x-node"] == "web1",
          15, "web1 back behind the load balancer", cluster)

    # --- sent for justering: every signer mailed once, by whichever worker took it -----------
    assert secretary.post(f"/sammantraden/{meeting}/justering/skicka/", {}).status_code == 302
    assert cluster.sql("SELECT status FROM minutes_meeting WHERE id = %s", [meeting]) == [("under_justering",)]
    signers = {f"{data[who]}@example.se" for who in ("secretary", "chair", "member")}
    _wait(lambda: {m["To"] for m in cluster.smtp.messages} >= signers, 60, "the mail to every signer", cluster)
    time.sleep(3)  # time for a second copy, were there one
    assert sorted(m["To"] for m in cluster.smtp.messages) == sorted(signers)  # once each, not once per worker

    # --- two signers, each on another node ----------------------------------------------------
    for who, node in (("chair", "web1"), ("member", "web2")):
        signer = Person(cluster)
        signer.log_in(data[who], node)
        signed = signer.post(f"/sammantraden/{meeting}/justering/skriv-under/", {"password": PASSWORD, "version": 1},
                             node)
        assert signed.status_code == 302 and signer.nodes[-1] == node
    assert cluster.sql("SELECT count(*) FROM minutes_signature s JOIN minutes_minutesversion v ON v.id = s.version_id"
                       " WHERE v.meeting_id = %s", [meeting]) == [(2,)]

    # --- the last signature; the worker rendering the first PDF dies; the standby lags ---------
    cluster.celery["worker2"].send_signal(signal.SIGSTOP)  # so that worker1 takes the first render
    cluster.sql("SELECT pg_wal_replay_pause()", port=STANDBY_PORT)
    try:
        assert secretary.post(f"/sammantraden/{meeting}/justering/skriv-under/",
                              {"password": PASSWORD, "version": 1}).status_code == 302
        _wait(lambda: cluster.sql("SELECT id FROM board_rendereddocument WHERE status = 'renderas'"), 30,
              "a render started by worker1", cluster)
        cluster.kill("worker1")  # kill -9 mid-render
    finally:
        os.killpg(cluster.celery["worker2"].pid, signal.SIGCONT)
    ((title,),) = cluster.sql("SELECT title FROM minutes_notice WHERE meeting_id = %s", [meeting])
    visitor = Person(cluster)
    for node in ("web1", "web2"):  # the public board is read from the standby, which has not replayed it
        board = visitor.get("/anslagstavla/", node)
        assert board.status_code == 200 and title not in board.text
    resumed = time.monotonic()
    cluster.sql("SELECT pg_wal_replay_resume()", port=STANDBY_PORT)
    _wait(lambda: all(title in visitor.get("/anslagstavla/", node).text for node in ("web1", "web2")), 10,
          "the notice on the board of both nodes once the standby replayed it", cluster)
    print(f"notice on the board {time.monotonic() - resumed:.2f} s after the standby resumed")

    # --- every PDF issued, each exactly once, by the worker left ------------------------------
    def documents() -> list[tuple]:
        return cluster.sql(
            "SELECT d.id, d.kind, d.status, d.attempts, d.file, d.size FROM board_rendereddocument d"
            " WHERE d.organisation_id = %s ORDER BY d.id", [data["organisation"]])

    _wait(lambda: documents() and all(status == "klar" for _, _, status, *_ in documents()), 90,
          "every document rendered after the worker's death", cluster)
    done = documents()
    kinds = sorted(kind for _, kind, *_ in done)
    assert {"minutes.full", "minutes.public", "notice.certificate"} <= set(kinds)
    assert len(kinds) == len(set(kinds))  # one row per document
    assert max(attempts for _, _, _, attempts, _, _ in done) == 2  # the render taken over from the dead worker
    for pk, kind, _, _, name, size in done:
        assert cluster.sql("SELECT count(*) FROM board_auditevent WHERE verb = 'document.issued' AND target_id = %s",
                           [str(pk)]) == [(1,)], kind
        stored = cluster.root / "media" / name
        assert stored.stat().st_size == size > 0  # on the media every node shares
    assert cluster.sql("SELECT status FROM minutes_meeting WHERE id = %s", [meeting]) == [("justerat",)]
