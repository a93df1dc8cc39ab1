"""The OpenAPI document at /api/v1/openapi.json says what the API answers."""

from __future__ import annotations


def test_no_two_schemas_of_the_api_share_a_name():
    """django-ninja names a schema component by its class name alone: two classes of one name
    in two routers left one endpoint declared with the other's schema (/organisations/{slug}/members
    was documented as the public API's membership)."""
    from ninja import Schema

    import config.api  # noqa: F401 - every router and its schemas are imported

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    ours = [c for c in subclasses(Schema) if c.__module__.split(".")[0] in {"board", "minutes", "finance",
                                                                             "interventions", "config"}]
    names = [c.__name__ for c in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []
