"""Who else has the minutes editor of a meeting open, and in which §.

The editor page sends a heartbeat every EDITOR_PRESENCE_HEARTBEAT seconds (and when a § is
opened or closed) naming the § it has open. The state lives in Redis (the cache's server), so
every web node sees the same, and nothing in a process's memory: one hash per meeting, one
field per person holding [§ id or None, time of the last heartbeat, the person's name]. The
hash expires EDITOR_PRESENCE_SECONDS after the last heartbeat of anyone, and a field older
than that is left out when read and dropped at the next heartbeat: a person who closes the
tab (or whose browser sends no goodbye) is gone within that time, one who leaves the page
properly (`presence_leave`) at once.

Each heartbeat writes its own field only (HSET), so two people's heartbeats at the same
moment cannot undo each other, nor one person's leaving. Each editor page names itself with
a random `page` id, in its heartbeats and in its goodbye. The goodbye marks that page as gone
for EDITOR_PRESENCE_SECONDS, and a heartbeat of a gone page is not written: one already on
its way when the tab closed would otherwise bring the person back until the TTL. The check
and the write are one Lua script, so nothing comes between them. A new page (another tab,
the page loaded again) has a new id and is seen at once.

Presence is a hint, never a lock: the version check of the § (`paragraph_update`) is what
keeps edits from being lost. A Redis that does not answer makes presence empty, never an
error: the editor works on.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection

log = logging.getLogger(__name__)

#: A page's id, as static/js/presence.js makes it: letters and digits, never a person's text.
PAGE_ID = re.compile(r"[A-Za-z0-9]{8,64}")

# KEYS[1] the meeting's hash, KEYS[2] (if the page is named) the page's "gone" mark; ARGV the
# user id, the entry, the TTL and the oldest time still fresh. Writes the entry unless the page
# has said goodbye, and drops the fields that are no longer fresh.
_BEAT = """
if #KEYS < 2 or redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local ok, entry = pcall(cjson.decode, all[i + 1])
  if not ok or type(entry) ~= 'table' or type(entry[2]) ~= 'number' or entry[2] < tonumber(ARGV[4]) then
    redis.call('HDEL', KEYS[1], all[i])
  end
end
"""


def presence_seconds() -> int:
    return int(getattr(settings, "EDITOR_PRESENCE_SECONDS", 30))


def heartbeat_seconds() -> int:
    return int(getattr(settings, "EDITOR_PRESENCE_HEARTBEAT", 10))


def _key(meeting_id: int) -> str:
    return cache.make_key(f"editor-presence:{meeting_id}")


def _gone_key(meeting_id: int, page: str) -> str:
    return cache.make_key(f"editor-presence-gone:{meeting_id}:{page}")


def _redis() -> Any:
    return get_redis_connection("default")


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    paragraph_id: int | None
    seen: float


def _present(fields: dict[bytes, bytes], now: float) -> list[Present]:
    """The fresh entries of a meeting's hash, sorted by name; anything unreadable is left out."""
    limit = now - presence_seconds()
    present = []
    for uid, raw in fields.items():
        try:
            paragraph_id, seen, name = json.loads(raw)
            present.append(Present(user_id=int(uid), name=str(name), seen=float(seen),
                                   paragraph_id=paragraph_id if isinstance(paragraph_id, int) else None))
        except (TypeError, ValueError):
            continue
    return sorted((p for p in present if p.seen >= limit), key=lambda p: p.name)


def presence_beat(*, meeting_id: int, user_id: int, name: str, paragraph_id: int | None, page: str = "",
                  now: float | None = None) -> None:
    """The user has the meeting's editor open on `page`, with § `paragraph_id` open (None:
    none), unless that page has said goodbye."""
    now = time.time() if now is None else now
    keys = [_key(meeting_id)] + ([_gone_key(meeting_id, page)] if page else [])
    try:
        _redis().eval(_BEAT, len(keys), *keys, str(user_id), json.dumps([paragraph_id, now, name]),
                      presence_seconds(), now - presence_seconds())
    except Exception:  # noqa: BLE001 - any Redis failure: presence is a hint, the editor goes on
        log.warning("editor presence: Redis did not answer", exc_info=True)


def presence_leave(*, meeting_id: int, user_id: int, page: str = "") -> None:
    """The user left the editor (closed or left `page`): gone from the others' lists at once,
    and a heartbeat of that page arriving later is not written."""
    try:
        with _redis().pipeline(transaction=True) as pipe:
            if page:
                pipe.set(_gone_key(meeting_id, page), 1, ex=presence_seconds())
            pipe.hdel(_key(meeting_id), str(user_id))
            pipe.execute()
    except Exception:  # noqa: BLE001 - as in presence_beat
        log.warning("editor presence: Redis did not answer", exc_info=True)


def presence_others(*, meeting_id: int, user_id: int, now: float | None = None) -> list[Present]:
    """The others who have the editor open now, by name."""
    now = time.time() if now is None else now
    try:
        fields = _redis().hgetall(_key(meeting_id))
    except Exception:  # noqa: BLE001 - as in presence_beat
        log.warning("editor presence: Redis did not answer", exc_info=True)
        return []
    return [p for p in _present(fields, now) if p.user_id != user_id]
