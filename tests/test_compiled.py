"""A values() queryset compiled once and run with other values (config/compiled.py): the same
rows as the ORM, one query a call, and anything but a plain swap of values refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from board.models import Organ, Organisation
from config.compiled import CompiledValues
from tests.factories import OrganFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _organs(slug: str, months: int, since: dt.date):
    # A join, an annotation and a constant parameter (the kind of organ) beside the named ones.
    return (
        Organ.objects.filter(organisation__slug=slug, organisation__minutes_retention_months__gte=months)
        .filter(Q(organisation__active_from__gte=since) | Q(kind=Organ.Kind.OTHER))
        .annotate(members=Count("appointments"), association=F("organisation__name"))
        .order_by("pk")
        .values("pk", "name", "association", "members")
    )


@pytest.fixture
def organs():
    first = OrganisationFactory(slug="forsta", name="Första", minutes_retention_months=48,
                                active_from=dt.date(2020, 1, 1))
    second = OrganisationFactory(slug="andra", name="Andra", minutes_retention_months=12,
                                 active_from=dt.date(2020, 1, 1))
    return [OrganFactory(organisation=org, name=f"{kind.label} {org.name}", kind=kind)
            for org, kind in ((first, Organ.Kind.BOARD), (second, Organ.Kind.BOARD), (first, Organ.Kind.OTHER))]


def test_the_rows_are_those_of_the_queryset_for_every_value(organs):
    compiled = CompiledValues(Organ, _organs, slug=("a", "b"), months=(1, 2),
                              since=(dt.date(2001, 1, 1), dt.date(2002, 1, 1)))
    cases = [(slug, months, since) for slug in ("forsta", "andra", "saknas") for months in (0, 12, 48, 49)
                      for since in (dt.date(2000, 1, 1), dt.date(2999, 1, 1))]
    seen = set()
    for slug, months, since in cases:
        expected = list(_organs(slug, months, since))
        assert compiled.rows(slug=slug, months=months, since=since) == expected
        seen.add(len(expected))
    assert seen == {0, 1, 2}  # the cases found none, one and two organs: the values did count


def test_a_call_is_one_query_and_the_queryset_is_built_only_at_the_first(organs):
    built = []

    def build(slug: str):
        built.append(slug)
        return Organisation.objects.filter(slug=slug).values("name")

    compiled = CompiledValues(Organisation, build, slug=("a", "b"))
    assert compiled.rows(slug="forsta") == [{"name": "Första"}]
    builds = len(built)
    for slug, name in (("andra", "Andra"), ("forsta", "Första")):
        with CaptureQueriesContext(connection) as queries:
            assert compiled.rows(slug=slug) == [{"name": name}]
        assert len(queries) == 1
    assert len(built) == builds

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as a flush sends it
    assert compiled.rows(slug="andra") == [{"name": "Andra"}]
    assert len(built) > builds  # compiled again: ids frozen in the SQL may have changed


@pytest.mark.parametrize(("build", "samples"), [
    (lambda slug: Organisation.objects.filter(slug__in=slug).values("pk"), {"slug": (["a"], ["a", "b"])}),
    (lambda slug: Organisation.objects.filter(slug=slug).values("pk"), {"slug": (None, "b")}),
    (lambda slug: Organisation.objects.filter(name__contains=slug).values("pk"), {"slug": ("a", "b")}),
    (lambda slug: Organisation.objects.filter(slug="fast").values("pk"), {"slug": ("a", "b")}),
    (lambda slug: Organisation.objects.filter(slug=slug).values("pk"), {"slug": ("a", "a")}),
    (lambda slug: Organisation.objects.filter(slug=slug).values("pk"), {"slug": ("a", 1)}),
], ids=["a list changes the SQL", "a None sample", "a transformed value", "not a parameter",
        "two samples alike", "samples of two types"])
def test_anything_but_a_swap_of_values_is_refused(build, samples):
    with pytest.raises(ImproperlyConfigured):
        CompiledValues(Organisation, build, **samples).rows(slug=samples["slug"][1])


def test_a_value_of_another_type_or_a_missing_one_is_refused(organs):
    compiled = CompiledValues(Organisation, lambda slug: Organisation.objects.filter(slug=slug).values("pk"),
                              slug=("a", "b"))
    for values in ({"slug": None}, {"slug": 1}, {}, {"slug": "a", "other": "b"}):
        with pytest.raises(TypeError):
            compiled.rows(**values)


def test_a_parameter_used_twice_takes_the_value_in_both_places(organs):
    compiled = CompiledValues(
        Organisation, lambda slug: Organisation.objects.filter(Q(slug=slug) | Q(short_name=slug)).values("slug"),
        slug=("a", "b"))
    assert compiled.rows(slug="andra") == [{"slug": "andra"}]
    Organisation.objects.filter(slug="forsta").update(short_name="andra")
    assert sorted(r["slug"] for r in compiled.rows(slug="andra")) == ["andra", "forsta"]


# --- prepare=True: planned once per connection ----------------------------------------------


def _prepared() -> dict[str, int]:
    """This connection's prepared statements: their SQL and how often each has run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _cases():
    return [(slug, months, since) for slug in ("forsta", "andra", "saknas") for months in (0, 12, 48)
            for since in (dt.date(2000, 1, 1), dt.date(2999, 1, 1))]


def _compiled_organs(prepare: bool) -> CompiledValues:
    return CompiledValues(Organ, _organs, prepare=prepare, slug=("a", "b"), months=(1, 2),
                          since=(dt.date(2001, 1, 1), dt.date(2002, 1, 1)))


def test_a_prepared_query_gives_the_querysets_rows_prepared_once_and_run_by_name(organs):
    compiled = _compiled_organs(prepare=True)
    before = _prepared()
    expected = [list(_organs(*case)) for case in _cases()]
    assert _prepared() == before  # the ORM's own queries are never prepared
    for case, rows in zip(_cases(), expected, strict=True):
        slug, months, since = case
        with CaptureQueriesContext(connection) as queries:
            assert compiled.rows(slug=slug, months=months, since=since) == rows
        assert len(queries) == 1  # counted and logged as any other query, its values written in
        assert f"\"board_organisation\".\"slug\" = '{slug}'" in queries[0]["sql"]
    assert {len(rows) for rows in expected} == {0, 1, 2}
    new = {sql: runs for sql, runs in _prepared().items() if sql not in before}
    assert len(new) == 1, new  # one statement for every call
    [(sql, runs)] = new.items()
    assert '"board_organ"' in sql and "$1" in sql  # its values bound on the server
    assert runs == len(expected)  # each call ran it by name


def test_the_rows_are_the_same_prepared_or_not_and_off_nothing_is_prepared(organs, monkeypatch):
    prepared, plain = _compiled_organs(prepare=True), _compiled_organs(prepare=False)
    before = _prepared()
    results = [plain.rows(slug=s, months=m, since=d) for s, m, d in _cases()]
    assert _prepared() == before
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)  # DB_PREPARED_STATEMENTS=false
    assert [prepared.rows(slug=s, months=m, since=d) for s, m, d in _cases()] == results
    assert _prepared() == before
    monkeypatch.undo()
    assert [prepared.rows(slug=s, months=m, since=d) for s, m, d in _cases()] == results
    assert len(_prepared()) == len(before) + 1


def test_a_rollback_drops_the_statement_and_the_next_call_prepares_it_again(organs):
    compiled = CompiledValues(Organisation, lambda slug: Organisation.objects.filter(slug=slug).values("name"),
                              prepare=True, slug=("a", "b"))
    with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint inside the test's transaction
        assert compiled.rows(slug="forsta") == [{"name": "Första"}]
        assert any('"board_organisation"' in sql for sql in _prepared())
        raise RuntimeError
    assert not any('"board_organisation"' in sql for sql in _prepared())  # PostgreSQL dropped it
    assert compiled.rows(slug="andra") == [{"name": "Andra"}]  # not "prepared statement does not exist"
    assert compiled.rows(slug="forsta") == [{"name": "Första"}]

