"""`PORT=8123 make run` serves on 8123 (bin/dev), and the absolute links follow: SITE_URL's
default is http://127.0.0.1:$PORT unless SITE_URL is set."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT, database_url_for_tests

PRINT_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def _site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL", "SITE_URL_FILE")}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SITE_URL], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"PORT": "8123", "SITE_URL": "https://samordna.example.se/"}, "https://samordna.example.se"),
    ],
)
def test_site_url_follows_the_port_unless_it_is_set(env, expected):
    assert _site_url(**env) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_bin_dev_serves_on_the_port_it_is_given(django_db_setup):
    """The real bin/dev (runserver, worker and beat) on a free port, on the test database (a
    fresh machine has no other); its worker and beat get a broker address where nothing
    listens, so they take no task of anyone's."""
    port, no_redis = _free_port(), _free_port()
    env = {**os.environ, "PORT": str(port), "REDIS_URL": f"redis://127.0.0.1:{no_redis}/0",
           "DATABASE_URL": database_url_for_tests()}
    env.pop("SITE_URL", None)
    process = subprocess.Popen([str(ROOT / "bin" / "dev")], cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        status = None
        while status is None and time.monotonic() < deadline:
            assert process.poll() is None, "bin/dev ended"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:  # 503: Redis and the worker are down, as arranged
                status = exc.code
            except OSError:
                time.sleep(0.5)
        assert status in (200, 503), f"nothing answered on port {port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
