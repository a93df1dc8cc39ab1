"""/api/v1/: one NinjaAPI; each app contributes a router built on its services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI

from board.api import router as board_router
from board.documents.api import router as documents_router
from board.services import TooManyAttempts
from finance.api import router as finance_router
from interventions.api import router as interventions_router
from minutes.api import router as minutes_router

from .api_params import ErrorOut

_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}


class SamordnaAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document also declares the 4xx answers each operation gives.

    django-ninja declares only the answers an endpoint names; a client (and schemathesis)
    then finds a 401, 404 or 422 nowhere in the document. They follow from the operation's
    shape, so they are added here once instead of on each of the ~90 endpoints.
    """

    def get_openapi_operation_id(self, operation: Any) -> str:
        # The ids predate minutes/ in wings ("minutes_api_meeting_list"): clients generated from
        # the document keep their names although the drafting endpoints moved to
        # minutes.drafting.api and from there into one module per area.
        if operation.view_func.__module__.startswith("minutes.drafting.api."):
            return f"minutes_api_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema()
        _times_without_offset(schema)
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                for status, reason in _errors_of(path, operation).items():
                    operation["responses"].setdefault(status, {"description": reason, **_ERROR_REF})
        return schema


# A time of day as the API writes and reads it: "09:00" or "09:00:00" (Europe/Stockholm).
_TIME_OF_DAY = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"}


def _times_without_offset(node: Any) -> None:
    """pydantic declares a `datetime.time` as format "time", which JSON Schema defines as RFC
    3339 full-time, with a UTC offset ("09:00:00Z"); the API's times are local times of day
    without one. Declared as what they are, a validating client accepts "09:00:00"."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node.update(_TIME_OF_DAY)
        for value in node.values():
            _times_without_offset(value)
    elif isinstance(node, list):
        for value in node:
            _times_without_offset(value)


def _errors_of(path: str, operation: dict[str, Any]) -> dict[int, str]:
    errors: dict[int, str] = {}
    if operation.get("requestBody"):
        errors[400] = "Kroppen kunde inte läsas (trasig JSON eller multipart)."
    if operation.get("security"):
        errors[401] = "API-nyckel saknas eller är ogiltig."
        errors[403] = "Användaren får inte göra detta i förbundet."
    if "{" in path:
        errors[404] = "Finns inte, eller syns inte för den som frågar."
    if operation.get("parameters") or operation.get("requestBody"):
        errors[422] = "Ogiltiga värden: detail säger vilka och varför."
    return errors


api = SamordnaAPI(
    title="Samordna API",
    version="1",
    description=(
        "Läs- och skrivgränssnitt för samordningsförbundens styrelsearbete. "
        "Offentliga endpoints kräver ingen inloggning; övriga kräver en API-nyckel "
        "(Authorization: Bearer <nyckel>)."
    ),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail: object = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        detail = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(TooManyAttempts)
def _too_many_attempts(request: HttpRequest, exc: TooManyAttempts) -> HttpResponse:
    """Signing after too many wrong passwords or codes: 429 with the reason, as the page says it."""
    response = api.create_response(request, {"detail": " ".join(exc.messages)}, status=429)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(MultiPartParserError)
def _malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django's own handler answers these 400 too, but as an HTML page (and a 500 under DEBUG,
    # where django-ninja shows the traceback): an API client gets the reason in JSON.
    return api.create_response(
        request, {"detail": f"Kroppen kunde inte läsas som multipart/form-data: {exc}"}, status=400
    )


@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def _bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Felaktig begäran."}, status=400)


@api.exception_handler(DataError)
def _nul_in_text(request: HttpRequest, exc: DataError) -> HttpResponse:
    # psycopg refuses a NUL character in a text parameter before the query is sent (a filter
    # ?body=%00, a path /organisations/a%00b); what is saved is refused earlier, in
    # save_with_actor. Any other DataError stays a server error: it is a defect to find.
    if "NUL (0x00)" not in str(exc):
        raise exc
    return api.create_response(
        request, {"detail": "Texten innehåller ett NUL-tecken (\\u0000), som inte kan sparas eller sökas på."}, status=422
    )


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Åtkomst nekad."}, status=403)


# Each app's router, at the root of /api/v1/ (the paths name their app's things).
for router in (board_router, documents_router, minutes_router, finance_router, interventions_router):
    api.add_router("/", router)
