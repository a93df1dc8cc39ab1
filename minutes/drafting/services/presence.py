"""Who else has the minutes editor of a meeting open, and in which §.

The editor page sends a heartbeat every EDITOR_PRESENCE_HEARTBEAT seconds (and when a § is
opened or closed) naming the § it has open. The state lives in the Django cache (Redis), so
every web node sees the same, and nothing in a process's memory: one key per meeting holding
{user id: [§ id or None, time of the last heartbeat, the person's name]}. The key expires
EDITOR_PRESENCE_SECONDS after the last heartbeat of anyone, and an entry older than that is
left out when read and dropped at the next write: a person who closes the tab (or whose
browser sends no goodbye) is gone within that time, one who leaves the page properly
(`presence_leave`) at once.

Two heartbeats for one meeting at the same moment may both read the old value and the later
write wins: the other person's entry is then one heartbeat old (or missing for one beat) and
is right again at their next heartbeat. Presence is a hint, never a lock: the version check
of the § (`paragraph_update`) is what keeps edits from being lost.

A Redis that does not answer makes presence empty, never an error: the editor works on.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def presence_seconds() -> int:
    return int(getattr(settings, "EDITOR_PRESENCE_SECONDS", 30))


def heartbeat_seconds() -> int:
    return int(getattr(settings, "EDITOR_PRESENCE_HEARTBEAT", 10))


def _key(meeting_id: int) -> str:
    return f"editor-presence:{meeting_id}"


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    paragraph_id: int | None
    seen: float


def _read(meeting_id: int) -> dict[str, list[Any]]:
    try:
        value = cache.get(_key(meeting_id))
    except Exception:  # noqa: BLE001 - any cache failure: presence is a hint, the editor goes on
        log.warning("editor presence: the cache did not answer", exc_info=True)
        return {}
    return value if isinstance(value, dict) else {}


def _write(meeting_id: int, entries: dict[str, list[Any]]) -> None:
    try:
        if entries:
            cache.set(_key(meeting_id), entries, timeout=presence_seconds())
        else:
            cache.delete(_key(meeting_id))
    except Exception:  # noqa: BLE001 - as in _read
        log.warning("editor presence: the cache did not answer", exc_info=True)


def _fresh(entries: dict[str, list[Any]], now: float) -> dict[str, list[Any]]:
    limit = now - presence_seconds()
    return {uid: entry for uid, entry in entries.items() if isinstance(entry, list) and len(entry) == 3 and entry[1] >= limit}


def presence_beat(*, meeting_id: int, user_id: int, name: str, paragraph_id: int | None, now: float | None = None) -> None:
    """The user has the meeting's editor open, with § `paragraph_id` open (None: none)."""
    now = time.time() if now is None else now
    entries = _fresh(_read(meeting_id), now)
    entries[str(user_id)] = [paragraph_id, now, name]
    _write(meeting_id, entries)


def presence_leave(*, meeting_id: int, user_id: int, now: float | None = None) -> None:
    """The user left the editor (closed or left the page)."""
    now = time.time() if now is None else now
    entries = _fresh(_read(meeting_id), now)
    if entries.pop(str(user_id), None) is not None:
        _write(meeting_id, entries)


def presence_others(*, meeting_id: int, user_id: int, now: float | None = None) -> list[Present]:
    """The others who have the editor open now, by name."""
    now = time.time() if now is None else now
    return sorted(
        (
            Present(user_id=int(uid), name=str(entry[2]), paragraph_id=entry[0] if isinstance(entry[0], int) else None,
                    seen=float(entry[1]))
            for uid, entry in _fresh(_read(meeting_id), now).items() if uid != str(user_id)
        ),
        key=lambda p: p.name,
    )
