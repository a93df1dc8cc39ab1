"""One beat sends the periodic tasks however many are started (celery-redbeat's lock in Redis),
and another takes over when that one dies. Real `celery beat` processes on a Redis of the
test's own; nothing consumes the queue, so every message beat sent is counted there."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis

from tests.servers import RedisServer, free_port

ROOT = Path(__file__).resolve().parent.parent
TASK = "board.requeue_stuck_documents"  # scheduled every BEAT_SWEEP_SECONDS
LOCK_SECONDS = 3


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(port=free_port(), workdir=tmp_path)
    server.start()
    yield server
    server.stop()


def _beat(broker: RedisServer, tmp_path: Path, name: str) -> subprocess.Popen:
    env = {
        **os.environ, "REDIS_URL": broker.url, "BEAT_SWEEP_SECONDS": "1", "BEAT_LOOP_SECONDS": "1",
        "REDBEAT_LOCK_SECONDS": str(LOCK_SECONDS),
    }
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
         f"--pidfile={tmp_path / name}.pid"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _sent(client: Redis) -> int:
    """How many messages for TASK are in the queue."""
    return sum(json.loads(raw)["headers"]["task"] == TASK for raw in client.lrange("celery", 0, -1))


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.2)


def test_two_beats_send_each_period_once_and_the_second_takes_over(broker, tmp_path):
    client = Redis.from_url(broker.url)
    first = _beat(broker, tmp_path, "forsta")
    second = None
    try:
        _wait_for(lambda: _sent(client) >= 1, 60, "the first beat's first message")
        second = _beat(broker, tmp_path, "andra")
        time.sleep(4)  # the second beat is up and has tried the lock (it starts in about 2 s)
        start, began = _sent(client), time.monotonic()
        time.sleep(6)
        sent, seconds = _sent(client) - start, time.monotonic() - began
        # Every second, once: with two beats sending, about twice as many.
        assert 3 <= sent <= seconds + 1, (sent, seconds)
        assert second.poll() is None, "the second beat must wait for the lock, not exit"
        assert "Sending due task" not in (tmp_path / "andra.log").read_text(), "two beats sent"

        os.killpg(first.pid, signal.SIGKILL)  # dies holding the lock: it runs out, the other takes it
        first.wait()
        after_kill = _sent(client)
        _wait_for(lambda: _sent(client) >= after_kill + 3, LOCK_SECONDS + 20, "the second beat taking over")
        assert "Sending due task" in (tmp_path / "andra.log").read_text()
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
