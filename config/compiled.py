"""A values() queryset compiled to SQL once per process, then run with other values for its
named parameters.

For a page whose one query costs Django more to build and compile than PostgreSQL takes to
run it. The public minutes page's query (a meeting, its association, its stored page, its
justering notice and its latest public PDF) took 1.4 ms to build, 3.6 ms to compile and
3.4 ms to run through the ORM, against 1.7 ms for the same SQL on a cursor, on the bench
dataset (issue 18; `bench/public_inprocess.py`, the "minutes mix" row). The SQL is still the
ORM's own, written by the selectors that hold the rules: only the values of the named
parameters change from one call to the next.

Django has no such API, and django-prepared-queries (the library that did this) was last
released in 2019 for Django < 2.2. So this is small and strict instead: at the first use the
queryset is built once with each parameter's two sample values, and anything but a plain
swap of values is refused (ImproperlyConfigured): a value that changes the SQL (None, a
list), one the ORM transforms (a `__contains` pattern), a parameter that appears nowhere.
What the queryset reads at build time (today's date, a setting) is frozen in the SQL, so a
build function may take everything that varies from its parameters only. Ids the database
gives at migrate (a content type's) may be frozen too: every compiled query is forgotten at
post_migrate, which a test database's flush sends as well.

`prepare=True` also has PostgreSQL plan the query once per connection (a prepared statement,
psycopg's, run by name after its first run). For a lookup by key, planning was most of what
PostgreSQL spent: 0.8-0.9 ms of the minutes page's 1.0 ms, 0.5 of the 2.1 ms of a search's
shown rows (EXPLAIN ANALYZE on the bench dataset). After five runs PostgreSQL keeps one generic
plan when it costs no more than the plans made for the values; the search's candidates query
is not prepared, since its best plan depends on the words (a common word's generic plan took
100-142 ms instead of 23-28, README "Benchmarks").
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.signals import post_migrate

_ALL: weakref.WeakSet[CompiledValues] = weakref.WeakSet()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: dict[str, list[int]]  # each parameter's places in params
    names: list[str]  # the columns, as QuerySet.values() names them
    compiler: Any  # the SQLCompiler that wrote `sql`: its converters turn a row into values


class CompiledValues:
    """`build(**parameters)` (a values() queryset of `model`), compiled once per database alias.

    `samples` gives each parameter two different values of the type it takes; `rows(**values)`
    runs the compiled SQL with those values, one query, and returns what
    `list(build(**values))` would. `prepare`: run it as a prepared statement (see above), for
    a query whose plan does not depend on its values.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any, Any]], *, prepare: bool = False,
                 **samples: tuple[Any, Any]) -> None:
        for name, (a, b) in samples.items():
            if a is None or type(a) is not type(b) or a == b:
                raise ImproperlyConfigured(f"{build.__name__}: {name} needs two different samples of one type")
        self._model = model
        self._build = build
        self._samples = samples
        self._prepare = prepare
        self._compiled: dict[str, _Compiled] = {}
        _ALL.add(self)

    def forget(self) -> None:
        self._compiled = {}

    def _sql(self, alias: str, values: dict[str, Any]) -> tuple[Any, str, tuple[Any, ...]]:
        queryset = self._build(**values)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        return compiler, sql, tuple(params)

    def _compile(self, alias: str) -> _Compiled:
        first = {name: pair[0] for name, pair in self._samples.items()}
        compiler, sql, params = self._sql(alias, first)
        positions: dict[str, list[int]] = {}
        for name, (a, b) in self._samples.items():
            _, other_sql, other_params = self._sql(alias, {**first, name: b})
            if other_sql != sql or len(other_params) != len(params):
                raise ImproperlyConfigured(f"{self._build.__name__}: {name} changes the SQL, not only a value")
            changed = [i for i, (x, y) in enumerate(zip(params, other_params, strict=True)) if x != y]
            if not changed or any(params[i] != a or other_params[i] != b for i in changed):
                raise ImproperlyConfigured(f"{self._build.__name__}: {name} is not a parameter of the SQL as given")
            positions[name] = changed
        query = compiler.query
        names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select]
        compiled = _Compiled(sql=sql, params=params, positions=positions, names=names, compiler=compiler)
        self._compiled[alias] = compiled
        return compiled

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        if values.keys() != self._samples.keys():
            raise TypeError(f"{self._build.__name__} takes {sorted(self._samples)}, not {sorted(values)}")
        for name, value in values.items():
            kind = type(self._samples[name][0])
            if type(value) is not kind:  # None or another type could mean other SQL
                raise TypeError(f"{self._build.__name__}: {name} must be {kind.__name__}, not {type(value).__name__}")
        alias = str(router.db_for_read(self._model))  # the standby for a public read (config/db_router.py)
        compiled = self._compiled.get(alias) or self._compile(alias)
        params = list(compiled.params)
        for name, places in compiled.positions.items():
            for i in places:
                params[i] = values[name]
        connection = connections[alias]
        with _preparing_cursor(connection) if self._prepare else connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        return [dict(zip(compiled.names, row, strict=True))
                for row in compiled.compiler.results_iter(results=[fetched])]


def _preparing_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor on `connection` whose statements psycopg prepares at their first run and runs
    by name after (the connection's prepare_threshold, 0: settings.database_from_url): one
    that binds its values on the server, psycopg's Cursor (Django's with server_side_binding).
    Django's own cursors bind on the client, which psycopg never prepares. Wrapped as
    connection.cursor() wraps them, so the query is logged and counted (CaptureQueriesContext,
    execute_wrapper) like any other. psycopg forgets its statements at a rollback (PostgreSQL
    drops those made in the transaction) and prepares them again; with prepare_threshold None
    it prepares nothing."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = psycopg.Cursor(connection.connection)
    return (_LoggedWithValues if connection.queries_logged else CursorWrapper)(raw, connection)


class _LoggedWithValues(CursorDebugWrapper):
    """connection.queries and the SQL log with the values written in, as for every other query:
    Django reads those off a cursor that binds on the client (last_executed_query)."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


def _forget_all(**kwargs: Any) -> None:
    for compiled in list(_ALL):
        compiled.forget()


post_migrate.connect(_forget_all, dispatch_uid="config.compiled.forget_all")
