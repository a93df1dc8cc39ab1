"""Parameter types the API's routers share, bounded to what PostgreSQL takes.

Pydantic accepts more than the database does: any UTC offset up to ±23:59 (PostgreSQL refuses
more than ±15:59, another 500). Declared here once, the bounds also appear in the OpenAPI
document, so a client sees them and a bad value is a 422 with the reason. The public lists are
paged by keyset (Keyset): a cursor that does not decode or fit is a 400 with the reason.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, QueryDict
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase
from pydantic import AfterValidator

# PostgreSQL's timestamptz takes UTC offsets up to 15:59 (its TZ_DISP_MAX is 15:59:59).
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59, seconds=59)


class ErrorOut(Schema):
    """Every 4xx: {"detail": "reason"}, {"detail": {"field": ["reason"]}} (a service's
    ValidationError) or {"detail": [{"loc": ..., "msg": ...}]} (django-ninja's input check)."""

    detail: Any


class Keyset(PaginationBase):
    """Keyset (cursor) pagination: `page_size` rows and the address of the next page.

    A page is the rows after the last one of the page before in the list's order (the
    queryset's order_by, which must end in the primary key, so that it is total): a WHERE on
    the order's columns, not an OFFSET, so page 1,000 costs what page 1 costs when an index
    serves the order, and nothing is counted. The cursor is the last row's key, base64 JSON;
    one that does not decode or does not fit the list is a 400 with the reason.
    """

    items_attribute = "items"

    class Input(Schema):
        cursor: str | None = Field(None, max_length=2000, description="Från `next` på sidan före; utan: första sidan.")
        page_size: int | None = Field(None, ge=1, le=100, description="Rader per sida (högst 100).")
        page: int | None = Field(None, description="Används inte längre: följ `next` (400 om den anges).")

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(description="Adressen till nästa sida; null på den sista.")

    def __init__(self, *, page_size: int = 50, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        if pagination.page is not None:
            raise HttpError(400, "Listorna sidindelas med markör: följ adressen i `next` i stället för `page`.")
        qs, keys = queryset, _order_keys(queryset)
        size = pagination.page_size or self.page_size
        if pagination.cursor:
            qs = qs.filter(_after(keys, _decode(pagination.cursor, qs.model, keys)))
        rows = list(qs[: size + 1])
        following = None
        if len(rows) > size:
            rows = rows[:size]
            query = QueryDict(mutable=True)
            query.update(request.GET)
            query["cursor"] = _encode([_value(rows[-1], path) for path, _ in keys])
            query.pop("page", None)
            following = f"{request.path}?{urlencode(sorted(query.items()))}"
        return {"items": rows, "next": following}


def _order_keys(qs: QuerySet[Any]) -> list[tuple[str, bool]]:
    """The queryset's order as (field path, descending), the primary key by its column's name
    (a one-to-one primary key's `paragraph_id`, not the object)."""
    pk = qs.model._meta.pk
    keys = []
    for term in qs.query.order_by:
        if not isinstance(term, str):
            raise TypeError("Keyset pagination orders by field names only")
        descending = term.startswith("-")
        path = term.lstrip("-")
        keys.append((pk.attname if path in ("pk", pk.name) else path, descending))
    if not keys or keys[-1][0] != pk.attname:
        raise TypeError("Keyset pagination needs an order that ends in the primary key")
    return keys


def _value(row: Model, path: str) -> Any:
    value: Any = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _field(model: type[Model], path: str) -> Any:
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    return model._meta.get_field(parts[-1])


def _encode(values: list[Any]) -> str:
    text = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, model: type[Model], keys: list[tuple[str, bool]]) -> list[Any]:
    bad = HttpError(400, "Markören (cursor) gäller inte den här listan: börja om från första sidan.")
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise bad
    try:
        parsed = [_field(model, path).to_python(value) for (path, _), value in zip(keys, values, strict=True)]
    except (DjangoValidationError, FieldDoesNotExist, TypeError, ValueError):
        raise bad from None
    if any(value is None or (isinstance(value, int) and abs(value) > 2**62) for value in parsed):
        raise bad
    return parsed


def _after(keys: list[tuple[str, bool]], values: list[Any]) -> Q:
    """The rows after `values` in the order `keys`: (k1 beyond) or (k1 equal and k2 beyond) or
    ...; and, first, k1 not before its value, which an index on the order can start from."""
    first, first_descending = keys[0]
    bound = Q(**{f"{first}__{'lte' if first_descending else 'gte'}": values[0]})
    beyond = Q()
    for i, (path, descending) in enumerate(keys):
        step = Q(**{f"{path}__{'lt' if descending else 'gt'}": values[i]})
        for earlier, value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{earlier[0]: value})
        beyond |= step
    return bound & beyond


def _within_postgres(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("Tidszonen ska ligga mellan -15:59 och +15:59.")
    return value


# A datetime to filter on: one PostgreSQL can compare with.
DbDateTime = Annotated[dt.datetime, AfterValidator(_within_postgres)]
