"""The OpenAPI document at /api/v1/openapi.json says what the API answers."""

from __future__ import annotations

import re


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


def test_the_document_declares_the_errors_and_the_times_the_api_gives(client, db):
    document = client.get("/api/v1/openapi.json").json()
    patch = document["paths"]["/api/v1/agenda/{pk}"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(patch)
    assert patch["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    public = document["paths"]["/api/v1/public/bodies"]["get"]["responses"]
    assert "401" not in public and "422" in public  # no token asked; page numbers checked
    # A time of day is written "09:00:00", without the UTC offset that JSON Schema's "time" requires.
    start = document["components"]["schemas"]["MeetingOut"]["properties"]["start_time"]["anyOf"][0]
    assert "format" not in start and re.fullmatch(start["pattern"], "09:00:00")
