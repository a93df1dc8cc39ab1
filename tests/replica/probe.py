"""Run by tests/replica/test_standby.py in a process of its own, whose DATABASE_URL is a primary
the test made and whose DATABASE_REPLICA_URL is its streaming standby. Prints one JSON object:
what each kind of read saw while the standby's replay was paused, and after it resumed."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from board.models import StaffRole  # noqa: E402
from config.db_router import _public_reads  # noqa: E402
from minutes.models import Notice  # noqa: E402
from minutes.notices import services as notices  # noqa: E402
from tests.conftest import make_board, user_with_staff_role  # noqa: E402


def _dsn(alias: str) -> str:
    db = connections[alias].settings_dict
    return f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}"


def standby(sql: str) -> None:
    with psycopg.connect(_dsn("replica"), autocommit=True) as conn:
        conn.execute(sql)


def caught_up(timeout: float = 30) -> None:
    with psycopg.connect(_dsn("default"), autocommit=True) as primary:
        lsn = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(_dsn("replica"), autocommit=True) as replica:
        while not replica.execute("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [lsn]).fetchone()[0]:
            if time.monotonic() > deadline:
                raise SystemExit("the standby did not catch up")
            time.sleep(0.1)


def _api_notices() -> str:
    return json.dumps(Client().get("/api/v1/public/notices").json(), ensure_ascii=False)


def main() -> None:
    cache = os.environ["PUBLIC_CACHE_SECONDS"]  # the probe runs once without the page cache, once with it
    board = make_board(name=f"Samordningsförbundet Replik {cache}", slug=f"replik-{cache}")
    secretary = user_with_staff_role(board, f"sekreterare{cache}", StaffRole.Role.SECRETARY)
    caught_up()
    seen: dict[str, object] = {}
    standby("SELECT pg_wal_replay_pause()")
    try:
        today = timezone.localdate()
        notice = notices.notice_create(
            organisation=board.organisation, kind=Notice.Kind.FREE, title=f"Nytt anslag medan standbyn väntar ({cache})",
            posted_on=today, takedown_on=today + dt.timedelta(days=5), actor=secretary,
        )
        title = notice.title
        seen["board_from_standby"] = title in Client().get("/anslagstavla/").content.decode()
        seen["api_from_standby"] = title in _api_notices()
        staff = Client()
        staff.force_login(secretary)
        seen["staff_page_from_primary"] = title in staff.get(f"/forbund/{board.organisation.slug}/anslag/").content.decode()
        writer = Client()
        writer.post("/tillganglighet/", {})  # any POST: this person now reads from the primary
        seen["board_after_own_post"] = title in writer.get("/anslagstavla/").content.decode()
        token = _public_reads.set(True)
        try:
            seen["public_read_outside_transaction"] = Notice.objects.filter(pk=notice.pk).exists()
            with transaction.atomic():  # a read that is part of a write: the primary's state
                seen["read_in_transaction"] = Notice.objects.filter(pk=notice.pk).exists()
                seen["locking_read_in_transaction"] = Notice.objects.select_for_update().filter(pk=notice.pk).exists()
        finally:
            _public_reads.reset(token)
    finally:
        standby("SELECT pg_wal_replay_resume()")
    caught_up()
    seen["board_after_catching_up"] = title in Client().get("/anslagstavla/").content.decode()
    seen["api_after_catching_up"] = title in _api_notices()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
