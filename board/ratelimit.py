"""Counting how often someone does something, across every web node (the shared Redis cache).

The public forms that anyone may send (the accessibility feedback, the e-mail subscriptions)
count per address of the sender's computer, or per e-mail address, in the cache: the key holds
only a SHA-256 of who it counts, and lives as long as the window. With the cache down, nobody
is refused: the forms work without it.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def rate_limited(scope: str, who: str, *, limit: int, seconds: int = 3600) -> bool:
    """Count one more for `who` in `scope`; True when that is more than `limit` within the
    `seconds` since the first of them (a fixed window)."""
    key = f"{scope}:{hashlib.sha256(who.encode()).hexdigest()}"
    try:
        count = 1 if cache.add(key, 1, timeout=seconds) else cache.incr(key)
    except Exception:  # noqa: BLE001 - the form works without the cache
        logger.warning("rate limit %s not counted: the cache did not answer", scope)
        return False
    return count > limit
