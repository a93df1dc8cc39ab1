"""The platform itself: Celery through the real Redis, /healthz, security headers."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.test import Client, override_settings

from config.celery import ping
from tests.conftest import database_url_for_tests


@pytest.mark.worker
def test_celery_round_trip_through_real_redis_and_worker(transactional_db, celery_worker):
    result = ping.delay("hej från testet")
    assert result.get(timeout=30) == "hej från testet"


@pytest.mark.worker
def test_the_session_worker_takes_tasks_only_during_a_worker_test(transactional_db, celery_worker_process):
    """Between worker tests the worker must leave a test's tasks alone: a test that renders in
    process would otherwise race it for the row (and the worker render on after the flush)."""
    from config.celery import app

    waiting = ping.delay("inte nu")
    time.sleep(2)  # the solo worker takes a task within milliseconds when it consumes the queue
    assert waiting.state == "PENDING"
    with app.connection_for_read() as connection:
        assert connection.default_channel.client.llen(app.conf.task_default_queue) == 1
    app.control.purge()


@pytest.mark.worker
def test_healthz_reports_ok_when_database_redis_and_worker_are_up(transactional_db, celery_worker):
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
    # Redis is up, but no worker listens on database 1 of the session's Redis.
    from config.celery import app

    empty = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/1"
    # The app builds its connection and producer pools on first use, from the settings of
    # that moment: build them now, or the override below would pin them to database 1 for
    # the rest of the session and the worker tests would ping an empty Redis database.
    assert app.amqp.producer_pool.connections.connection.as_uri().endswith(
        settings.CELERY_BROKER_URL.rsplit("/", 1)[-1]
    )
    with override_settings(CELERY_BROKER_URL=empty):
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


# --- Production settings -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra: str) -> dict[str, str]:
    # Only what production has: no test speed-ups (DJANGO_ALLOW_ASYNC_UNSAFE is itself an error).
    test_only = {"DEBUG", "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE",
                 "FAST_PASSWORD_HASHER"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    return {**env, "DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "example.se", **extra}


def test_check_deploy_gives_no_warnings_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- Backup and restore --------------------------------------------------------------------


def _url_with_db(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = quote(str(db["USER"])) + (":" + quote(str(db["PASSWORD"])) if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def test_backup_and_restore_keep_a_row_and_a_media_file(transactional_db, tmp_path):
    from board.models import Organisation

    Organisation.objects.create(name="Samordningsförbundet Säkerhetskopia", slug="sakerhetskopia")
    media = tmp_path / "media"
    (media / "protokoll" / "2024").mkdir(parents=True)
    (media / "protokoll" / "2024" / "protokoll-§1.pdf").write_bytes(b"%PDF-1.7 justerat")
    env = {**os.environ, "DATABASE_URL": _url_with_db(settings.DATABASES["default"]["NAME"]),
           "MEDIA_ROOT": str(media)}
    backup = subprocess.run(["bash", "scripts/backup.sh", str(tmp_path / "backups")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert (folder / "db.dump").stat().st_size > 0 and (folder / "media.tar.gz").exists()

    scratch = f"{settings.DATABASES['default']['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restored_media = tmp_path / "restored-media"
        restore = subprocess.run(
            ["bash", "scripts/restore.sh", str(folder), _url_with_db(scratch)], cwd=ROOT,
            env={**env, "MEDIA_ROOT": str(restored_media)}, capture_output=True, text=True, timeout=120,
        )
        assert restore.returncode == 0, restore.stderr
        with psycopg.connect(_url_with_db(scratch)) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM board_organisation")]
            history = conn.execute("SELECT count(*) FROM board_historicalorganisation").fetchone()[0]
        assert names == ["Samordningsförbundet Säkerhetskopia"]
        assert history == 1
        assert (restored_media / "protokoll" / "2024" / "protokoll-§1.pdf").read_bytes() == b"%PDF-1.7 justerat"
        # A damaged dump is refused before anything is touched.
        with (folder / "db.dump").open("ab") as f:
            f.write(b"x")
        broken = subprocess.run(["bash", "scripts/restore.sh", str(folder), _url_with_db(scratch)], cwd=ROOT,
                                env={**env, "MEDIA_ROOT": str(restored_media)}, capture_output=True, text=True)
        assert broken.returncode != 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_with_media_in_object_storage_the_backup_says_so_instead_of_packing_a_folder(transactional_db, tmp_path):
    """MEDIA_STORAGE=s3: the files are in the bucket, so the backup holds no media.tar.gz of a
    local folder (which would be empty or stale) but says which bucket to back up with the
    object store's own tools, and its restore says so too. A folder backup restored where the
    media are in a bucket is unpacked, with the warning that the application does not read it."""
    stale = tmp_path / "media"
    stale.mkdir()
    (stale / "gammal.pdf").write_bytes(b"%PDF-1.7 inte den riktiga")
    env = {**os.environ, "DATABASE_URL": _url_with_db(settings.DATABASES["default"]["NAME"]),
           "MEDIA_ROOT": str(stale)}
    s3 = {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "samordna-media", "MEDIA_S3_PREFIX": "prod",
          "MEDIA_S3_ENDPOINT_URL": "https://s3.example.se"}
    backup = subprocess.run(["bash", "scripts/backup.sh", str(tmp_path / "backups")], cwd=ROOT, env={**env, **s3},
                            capture_output=True, text=True, timeout=120)
    assert backup.returncode == 0, backup.stderr
    assert "not in this backup" in backup.stderr and "s3://samordna-media/prod" in backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "db.dump", "media-in-object-storage.txt"]
    assert (folder / "media-in-object-storage.txt").read_text() == "s3://samordna-media/prod at https://s3.example.se\n"

    scratch = f"{settings.DATABASES['default']['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restored_media = tmp_path / "restored-media"
        restore = subprocess.run(
            ["bash", "scripts/restore.sh", str(folder), _url_with_db(scratch)], cwd=ROOT,
            env={**env, **s3, "MEDIA_ROOT": str(restored_media)}, capture_output=True, text=True, timeout=120,
        )
        assert restore.returncode == 0, restore.stderr
        assert "s3://samordna-media/prod" in restore.stdout and not restored_media.exists()

        folder_backup = subprocess.run(["bash", "scripts/backup.sh", str(tmp_path / "backups-folder")], cwd=ROOT,
                                       env=env, capture_output=True, text=True, timeout=120)
        assert folder_backup.returncode == 0, folder_backup.stderr
        restore = subprocess.run(
            ["bash", "scripts/restore.sh", folder_backup.stdout.strip().splitlines()[-1], _url_with_db(scratch)],
            cwd=ROOT, env={**env, **s3, "MEDIA_ROOT": str(restored_media)}, capture_output=True, text=True,
            timeout=120,
        )
        assert restore.returncode == 0, restore.stderr
        assert (restored_media / "gammal.pdf").exists()
        assert "reads its files from the bucket" in restore.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_no_address_serves_the_media_files_not_even_in_development(tmp_path):
    """Handlingar, minutes PDFs and uploads are only streamed by views after their access
    check: `static(MEDIA_URL)` under DEBUG served every file to anyone who had its name. A
    process started as `make run` starts one (DEBUG on), asked for a file that is there."""
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "sekretess.pdf").write_bytes(b"%PDF-1.7 hemlig")
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "print(Client().get('/media/documents/sekretess.pdf').status_code)\n"
    )
    env = {**os.environ, "DEBUG": "true", "MEDIA_ROOT": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    run = subprocess.run([sys.executable, "-c", probe], cwd=Path(__file__).resolve().parent.parent, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "404"


def test_a_flush_that_deadlocks_with_another_session_is_tried_again_and_says_why(transactional_db, board):
    """The tests' flush (tests/conftest.py, pytest_configure) when another session holds a lock
    it needs and then waits for one it holds: PostgreSQL cancels the flush, the second try empties
    the tables, and the warning names the error and the other session."""
    import threading

    from django.test import TransactionTestCase

    from board.models import Organisation

    tables = connection.ops.sql_flush(no_style(), connection.introspection.django_table_names(only_existing=True))
    names = re.findall(r'"([^"]+)"', tables[0])  # the TRUNCATE's tables, in its order
    first, last = names[0], names[-1]
    url = database_url_for_tests()
    locked = threading.Event()

    def other_session() -> None:
        with psycopg.connect(url, autocommit=False) as other:
            other.execute(f'LOCK TABLE "{last}" IN ACCESS SHARE MODE')  # the flush waits for this
            locked.set()
            time.sleep(0.5)  # the flush holds the first table by now
            try:
                other.execute(f'LOCK TABLE "{first}" IN ACCESS SHARE MODE')
                time.sleep(0.5)
            except psycopg.errors.DeadlockDetected:
                pass
            other.rollback()

    thread = threading.Thread(target=other_session)
    thread.start()
    locked.wait(10)

    class Flush(TransactionTestCase):
        databases = {"default"}

        def runTest(self) -> None:  # noqa: N802 - unittest's name
            pass

    with pytest.warns(UserWarning, match=r"(?s)flush try 1 failed: .*deadlock detected.*other sessions on the database: \[\(\d+"):
        Flush()._fixture_teardown()
    thread.join(10)
    assert not Organisation.objects.exists()
