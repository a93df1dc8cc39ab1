"""A cache of the rendered content of the public pages (the notice board, minutes, search).

The public pages are the same for every visitor, and rendering a board of a hundred notices
costs more than all its queries. The content is cached under a key made of:

- a version number in Redis, moved on (after commit) by every save or delete of something
  the pages show (notice_models.PUBLIC_MODELS), so a new notice or an issued PDF shows at
  once;
- today's date in Europe/Stockholm, so a notice goes up and comes down at midnight exactly,
  whatever the cache holds;
- the page and its parameters.

A change written past the ORM's signals (QuerySet.update) shows when the entry expires,
after PUBLIC_CACHE_SECONDS (default 120; 0 turns the cache off).
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


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return int(version)


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


_MISSING = object()


def cached_value(key: str, compute: Callable[[], T]) -> T:
    """`compute()` for `key` today, from the cache or freshly computed (picklable values)."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    full_key = f"public:{public_version()}:{today():%Y%m%d}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, seconds)
    return value  # type: ignore[return-value]


def cached_content(key: str, render: Callable[[], str]) -> SafeString:
    """The rendered content for `key` today, from the cache or freshly rendered."""
    return mark_safe(cached_value(key, render))  # noqa: S308 - rendered by our own templates
