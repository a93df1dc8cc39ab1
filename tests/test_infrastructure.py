"""The platform itself: Celery through the real Redis, /healthz, security headers."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from config.celery import ping


@pytest.mark.worker
def test_celery_round_trip_through_real_redis_and_worker(transactional_db, celery_worker_process):
    result = ping.delay("hej från testet")
    assert result.get(timeout=30) == "hej från testet"


@pytest.mark.worker
def test_healthz_reports_ok_when_database_redis_and_worker_are_up(transactional_db, celery_worker_process):
    response = Client().get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "redis": "ok", "worker": "ok"}


def test_healthz_names_redis_when_it_is_unreachable(db):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["down"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] != "ok"


def test_healthz_names_the_worker_when_none_answers(db):
    # Redis is up, but no worker listens on Redis database 13.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/13"):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]


def test_pages_carry_a_content_security_policy_allowing_only_own_scripts(db):
    response = Client().get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
