"""Django's error views where the API needs JSON.

A request Django refuses before any view runs (a Host header not in ALLOWED_HOSTS, a cookie
or header it cannot read) is answered by the `handler400` view: an HTML page for the site,
and for /api/ the same JSON shape as every other API answer (`{"detail": ...}`), so an API
client never has to read HTML (schemathesis found the HTML under a random Host header).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        reason = str(exception) or "begäran kunde inte läsas"
        return JsonResponse({"detail": f"Felaktig begäran: {reason}"}, status=400)
    return defaults.bad_request(request, exception)
