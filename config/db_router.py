"""Public reads from a PostgreSQL hot standby, when DATABASE_REPLICA_URL is set.

The public side (the notice board, the minutes archive, the search, the feed, the calendar,
the public API) is most of the traffic and reads only; a standby can carry it. Everything else
stays on the primary:

- every write (db_for_write is always the primary, also for an object read from the standby);
- every read inside a transaction (`transaction.atomic` on the primary: a read there is part
  of what is being written, and `select_for_update` cannot run on a standby);
- every read of a request that is not a GET or HEAD of a public page (PUBLIC_READ_VIEWS,
  PUBLIC_READ_PATHS), and of a person who wrote within REPLICA_STICKY_SECONDS (a cookie set
  on the answer to any POST, PUT, PATCH or DELETE): a secretary who has just posted a notice
  sees it on the board at once, whatever the standby's lag;
- sessions, logins and their locks (PRIMARY_ONLY_APPS), whatever the page.

The public pages may be behind the primary by the standby's lag, and no longer: the page cache
(minutes/public/cache.py) keeps a page rendered from the standby only when the standby has
replayed the last change the pages show, so a justering's notice is on the board as soon as
the standby has caught up, not PUBLIC_CACHE_SECONDS later. Without the setting there is
no "replica" database and this router is not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
STICKY_COOKIE = "samordna_primary"
# Read from the primary whatever the page: who is logged in, their session, their locks.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "otp_static", "otp_totp", "admin", "passkeys"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_ATTRIBUTE = "_public_reads_token"

_public_reads: ContextVar[bool] = ContextVar("public_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_from_standby() -> bool:
    """Whether a read here and now goes to the standby (see PublicReplicaRouter.db_for_read)."""
    return replica_configured() and _public_reads.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block


def primary_position() -> str | None:
    """The primary's current WAL position when a standby is configured, else None."""
    if not replica_configured():
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return str(cursor.fetchone()[0])


def standby_has_replayed(position: str) -> bool:
    """Whether the standby has replayed the primary's WAL up to `position` (a server that is not
    in recovery, such as the primary named as its own replica, is always current)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [position])
        return bool(cursor.fetchone()[0])


class PublicReplicaRouter:
    """settings.DATABASE_ROUTERS when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if (
            _public_reads.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS  # type: ignore[attr-defined]
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data, whichever server an object was read from

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class PublicReadsMiddleware:
    """Marks a GET or HEAD of a public page as readable from the standby for the time of its
    view (see the module's docstring), and makes whoever writes read from the primary for a
    while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, TOKEN_ATTRIBUTE, None)
            if token is not None:
                _public_reads.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(STICKY_COOKIE, "1", max_age=settings.REPLICA_STICKY_SECONDS,
                                httponly=True, samesite="Lax", secure=request.is_secure())
        return response

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        """After URL resolution (`request.resolver_match`), just before the view."""
        if (
            replica_configured()
            and request.method in SAFE_METHODS
            and not request.COOKIES.get(STICKY_COOKIE)
            and _is_public(request)
        ):
            setattr(request, TOKEN_ATTRIBUTE, _public_reads.set(True))


def _is_public(request: HttpRequest) -> bool:
    match = request.resolver_match
    return request.path.startswith(tuple(settings.PUBLIC_READ_PATHS)) or (
        match is not None and match.view_name in settings.PUBLIC_READ_VIEWS
    )
