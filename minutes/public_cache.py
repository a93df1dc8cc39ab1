"""A cache of the rendered content of the public pages (the notice board, search).

The public pages are the same for every visitor, and rendering a board of a hundred notices
costs more than all its queries. The content is cached under a key made of today's date in
Europe/Stockholm (so a notice goes up and comes down at midnight exactly, whatever the cache
holds) and the page and its parameters. Each entry keeps the version it was rendered at: a
number in Redis, moved on by every save or delete of something the pages show
(notice_models.PUBLIC_MODELS). An entry of another version than the current one is not used,
so a new notice or an issued PDF shows at once.

The version and the entry are read in one round trip (MGET), so a page from the cache costs
one Redis command and a page rendered afresh two. A change written past the ORM's signals
(QuerySet.update) shows when the entry expires, after PUBLIC_CACHE_SECONDS (default 120;
0 turns the cache off).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from .public_selectors import today

VERSION_KEY = "public:version"
T = TypeVar("T")


def cache_seconds() -> int:
    return int(settings.PUBLIC_CACHE_SECONDS)


def _start_version() -> int:
    """The version when Redis has none (a fresh or flushed Redis): a new one, agreed by all."""
    mine = time.time_ns()
    cache.add(VERSION_KEY, mine, timeout=None)
    return int(cache.get(VERSION_KEY, mine))


def public_version_bump() -> None:
    """Move the version on at the save itself: no page rendered after it comes from before it.

    Not (also) on commit: other apps' tests count the on-commit callbacks of their services.
    A page rendered in the milliseconds between the save and the commit of its transaction
    is cached under the new version with the old content, at worst for PUBLIC_CACHE_SECONDS
    (or until the next change); the dates in the key keep visibility exact regardless.
    """
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def cached_value(key: str, compute: Callable[[], T]) -> T:
    """`compute()` for `key` today, from the cache or freshly computed (picklable values)."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    full_key = f"public:{today():%Y%m%d}:{key}"
    found = cache.get_many([VERSION_KEY, full_key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = _start_version()
    entry = found.get(full_key)
    if entry is not None and entry[0] == version:
        return entry[1]  # type: ignore[no-any-return]
    value = compute()
    cache.set(full_key, (version, value), seconds)
    return value


def cached_content(key: str, render: Callable[[], str]) -> SafeString:
    """The rendered content for `key` today, from the cache or freshly rendered."""
    return mark_safe(cached_value(key, render))  # noqa: S308 - rendered by our own templates
