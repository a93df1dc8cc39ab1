"""Create the database named in DATABASE_URL if it does not exist yet."""

from __future__ import annotations

import os
import sys

import psycopg
from psycopg import sql

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from config.settings import DATABASES  # noqa: E402

db = DATABASES["default"]
params = {k: v for k, v in {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}.items() if v}
with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
    if not exists:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(db["NAME"]))))
        print(f"Created database {db['NAME']}")
