"""/api/v1/: one NinjaAPI; each app contributes a router built on its services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from board.services import TooManyAttempts

api = NinjaAPI(
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


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Åtkomst nekad."}, status=403)


def _add_routers() -> None:
    from board.api import router as board_router

    api.add_router("/", board_router)
    for app in ("minutes", "finance", "interventions"):
        try:
            module = __import__(f"{app}.api", fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.api":
                raise
            continue
        api.add_router("/", module.router)


_add_routers()
