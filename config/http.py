"""Types of the requests our views receive (for annotations)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that has passed django-htmx's HtmxMiddleware (config.settings), which sets `htmx`."""

    htmx: HtmxDetails
