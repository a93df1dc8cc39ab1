"""Template context for every page: the addresses of the site's menu and footer."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

# The names of the URLs base.html links to on every page.
SITE_URL_NAMES = (
    "board:home", "public:board", "public:minutes_index", "public:search", "board:organisations",
    "board:dashboard", "minutes:my_meetings", "minutes:my_room", "board:two_factor", "logout", "login", "public:accessibility", "board:verify",
)


@lru_cache(maxsize=16)
def _site_urls(script_prefix: str) -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in SITE_URL_NAMES}


def site_urls(request: HttpRequest) -> dict[str, dict[str, str]]:
    """`site_urls.public_board` and so on: reversed once per process (and script prefix)
    instead of a dozen {% url %} tags on every page, a quarter of rendering the page frame."""
    return {"site_urls": _site_urls(get_script_prefix())}
