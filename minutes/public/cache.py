"""A cache of the rendered public pages (the notice board, search, a minutes page): their
content, and for a reader who is not signed in the whole response (views._whole_page).

The public pages are the same for every visitor, and rendering a board of a hundred notices
costs more than all its queries. The content is cached under a key made of today's date in
Europe/Stockholm (so a notice goes up and comes down at midnight exactly, whatever the cache
holds) and the page and its parameters. Each entry keeps the version it was rendered at: a
number in Redis, moved on by every save or delete of something the pages show
(minutes/public/receivers.py, PUBLIC_MODELS). An entry of another version than the current one is not used,
so a new notice or an issued PDF shows at once. With a standby serving the public reads
(config/db_router.py), a page rendered there before the standby has replayed the change is shown
but not kept, so the cache never holds on to the standby's lag.

The version and the entry are read in one round trip (MGET), so a page from the cache costs
one Redis command and a page rendered afresh two. A change written past the ORM's signals
(QuerySet.update) shows when the entry expires, after PUBLIC_CACHE_SECONDS (default 120;
0 turns the cache off).

The notice board is a legal duty, the cache only a speed-up: when Redis cannot be reached,
the pages are computed from the database (and the failure logged), and moving the version on
never raises into the transaction of a legal act. A version this process could not move on is
moved on at its next use of the cache that works; until then, at worst for
PUBLIC_CACHE_SECONDS, another process may show the page from before the change (a Redis that
restarted has lost its entries anyway).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

from config.db_router import primary_position, reading_from_standby, standby_has_replayed

from .selectors import today

logger = logging.getLogger(__name__)

VERSION_KEY = "public:version"
# With a standby (config/db_router.py): the primary's WAL position after the last change the
# pages show. A page rendered from a standby that has not replayed up to it is not kept.
WRITTEN_KEY = "public:written_at"
T = TypeVar("T")

# A bump this process could not make while Redis was down (see the module's docstring).
_bump_owed = False
# While Redis is down every page would log its failure: one warning a minute is enough.
WARN_EVERY = 60.0
_last_warning = -WARN_EVERY


def _warn(message: str, *args: object) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        logger.warning(message, *args)


def cache_seconds() -> int:
    return int(settings.PUBLIC_CACHE_SECONDS)


def _start_version() -> int:
    """The version when Redis has none (a fresh or flushed Redis): a new one, agreed by all."""
    mine = time.time_ns()
    cache.add(VERSION_KEY, mine, timeout=None)
    return int(cache.get(VERSION_KEY, mine))


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def public_version_bump() -> None:
    """Move the version on now, so that no page cached before comes back. Never raises."""
    global _bump_owed
    try:
        written = primary_position()
        if written is not None:  # before the version: whoever sees the new version sees this too
            cache.set(WRITTEN_KEY, written, timeout=None)
        _bump()
    except Exception as exc:  # noqa: BLE001 - Redis down: owed, and the pages read the database
        _bump_owed = True
        _warn("public page cache: version not moved on, owed: %s", exc)
    else:
        _bump_owed = False


def public_version_bump_on_commit() -> None:
    """Move the version on when the current transaction commits (at once outside one).

    After the commit, not at the save: a page rendered between the two is cached under the
    version from before and is dropped by the bump; and a cache that is down cannot undo the
    transaction (a signature, a notice).
    """
    transaction.on_commit(public_version_bump)


def cached_value(key: str, compute: Callable[[], T]) -> T:
    """`compute()` for `key` today, from the cache or freshly computed (picklable values).

    With the cache unreachable, computed every time: the page is slower, never missing.
    """
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    full_key = f"public:{today():%Y%m%d}:{key}"
    try:
        if _bump_owed:
            public_version_bump()
        found = cache.get_many([VERSION_KEY, WRITTEN_KEY, full_key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = _start_version()
    except Exception as exc:  # noqa: BLE001 - Redis down: the database answers
        _warn("public page cache unreachable, pages computed from the database: %s", exc)
        return compute()
    entry = found.get(full_key)
    if entry is not None and entry[0] == version:
        return entry[1]  # type: ignore[no-any-return]
    # Asked before rendering: a standby that has replayed the last change by now renders it.
    written = found.get(WRITTEN_KEY)
    if written and reading_from_standby() and not standby_has_replayed(written):
        return compute()  # the standby is behind the last change: shown, not kept
    value = compute()
    try:
        cache.set(full_key, (version, value), seconds)
    except Exception as exc:  # noqa: BLE001 - not kept this time
        _warn("public page cache unreachable, page not stored: %s", exc)
    return value


def cached_content(key: str, render: Callable[[], str]) -> SafeString:
    """The rendered content for `key` today, from the cache or freshly rendered."""
    return mark_safe(cached_value(key, render))  # noqa: S308 - rendered by our own templates
