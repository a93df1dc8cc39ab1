"""DATABASE_URL and DATABASE_REPLICA_URL through dj-database-url (config/settings.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import database_from_url


def test_a_database_url_becomes_the_django_entry_with_its_options():
    db = database_from_url("postgres://app%40forbund:p%C3%A5ss%2Fw@db.example:6543/samordna_prod?sslmode=require")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "samordna_prod", "app@forbund", "påss/w", "db.example", 6543)
    assert db["OPTIONS"] == {"sslmode": "require", "prepare_threshold": 0}
    assert db["CONN_HEALTH_CHECKS"] is True and db["TEST"] == {"NAME": "test_samordna_prod"}


def test_psycopg_may_prepare_unless_turned_off_for_a_pooler(monkeypatch):
    # config/compiled.py: only the queries that ask are prepared; a transaction pooler needs it off.
    assert database_from_url("postgres://u@h/db")["OPTIONS"] == {"prepare_threshold": 0}
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "false")
    assert "prepare_threshold" not in database_from_url("postgres://u@h/db").get("OPTIONS", {})


def test_a_url_without_a_database_name_names_the_default_and_another_engine_is_refused():
    assert database_from_url("postgresql://postgres@127.0.0.1:5432/")["NAME"] == "samordna"
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://root@127.0.0.1/samordna")
