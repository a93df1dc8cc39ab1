"""Parameter types the API's routers share, bounded to what PostgreSQL takes.

Pydantic accepts more than the database does: any page number (the offset it makes overflowed
PostgreSQL's bigint and answered 500) and any UTC offset up to ±23:59 (PostgreSQL refuses
more than ±15:59, another 500). Declared here once, the bounds also appear in the OpenAPI
document, so a client sees them and a bad value is a 422 with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator

# A list of 100 per page reaches 100 million rows: more than any list here will hold.
MAX_PAGE = 1_000_000
# PostgreSQL's timestamptz takes UTC offsets up to 15:59 (its TZ_DISP_MAX is 15:59:59).
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59, seconds=59)


class ErrorOut(Schema):
    """Every 4xx: {"detail": "reason"}, {"detail": {"field": ["reason"]}} (a service's
    ValidationError) or {"detail": [{"loc": ..., "msg": ...}]} (django-ninja's input check)."""

    detail: Any


class Pages(PageNumberPagination):
    """`page` (1 to MAX_PAGE) and `page_size` (1 to the endpoint's maximum)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


def _within_postgres(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("Tidszonen ska ligga mellan -15:59 och +15:59.")
    return value


# A datetime to filter on: one PostgreSQL can compare with.
DbDateTime = Annotated[dt.datetime, AfterValidator(_within_postgres)]
