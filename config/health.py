"""/healthz: is the database, Redis and at least one Celery worker reachable?"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from redis import Redis
from redis.exceptions import RedisError

from .celery import app as celery_app


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return None
    except Exception as exc:  # any failure means "down"; the message says why
        return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__


def _redis() -> str | None:
    try:
        Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return None
    except RedisError as exc:
        return str(exc) or exc.__class__.__name__


def _worker() -> str | None:
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
            replies = celery_app.control.ping(timeout=1.0, connection=conn)
    except Exception as exc:  # the broker is down, so no worker can be reached
        return f"broker unreachable: {exc}"
    return None if replies else "no worker answered"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "redis": _redis()}
    # With Redis down the worker cannot be asked; say so rather than wait for a timeout.
    checks["worker"] = "redis unreachable" if checks["redis"] else _worker()
    down = [name for name, error in checks.items() if error]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": {name: ("ok" if error is None else error) for name, error in checks.items()},
    }
    return JsonResponse(body, status=200 if not down else 503)
