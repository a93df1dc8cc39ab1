"""/robots.txt and /sitemap.xml: what search engines are told.

The sitemap lists only pages search engines may index today: the archive's index pages, the
accessibility statement, and the justerade minutes (with their year pages) whose association
lets search engines have them (Organisation.minutes_indexing, by default through the appeal
period) and which are still within its retention. Notices, their archive, the search, the feed,
the calendar and the API are never in it; their responses say noindex.

robots.txt lets crawlers into the public pages only (they must be able to fetch a notice to
read its noindex) and keeps them out of the search results, the API, the calendar and every
page of the back office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from board.models import Organisation

from ..models import Meeting
from .links import MINUTES_DETAIL, MINUTES_YEAR, MINUTES_YEARS
from .selectors import indexable_meetings, today


class ArchiveSitemap(Sitemap):
    """The index pages of the archive and the accessibility statement."""

    def items(self) -> list[str]:
        slugs = list(Organisation.objects.order_by("name").values_list("slug", flat=True))
        return [reverse("public:minutes_index"), reverse("public:accessibility"),
                *(MINUTES_YEARS(slug) for slug in slugs)]

    def location(self, item: str) -> str:
        return item


class MinutesSitemap(Sitemap):
    """Justerade minutes search engines may index today."""

    def items(self) -> list[Meeting]:
        return indexable_meetings(today())

    def location(self, item: Meeting) -> str:
        return MINUTES_DETAIL(item.organ.organisation.slug, item.date.year, item.pk)

    def lastmod(self, item: Meeting) -> dt.datetime:
        return item.updated_at


class YearSitemap(Sitemap):
    """The year pages that list at least one indexable minutes."""

    def items(self) -> list[tuple[str, int]]:
        return sorted({(m.organ.organisation.slug, m.date.year) for m in indexable_meetings(today())})

    def location(self, item: tuple[str, int]) -> str:
        return MINUTES_YEAR(*item)


SITEMAPS: dict[str, Any] = {"arkiv": ArchiveSitemap, "protokoll": MinutesSitemap, "ar": YearSitemap}

ROBOTS = """User-agent: *
Allow: /protokoll/
Allow: /anslagstavla/
Allow: /tillganglighet/
Allow: /dokument/
Allow: /static/
Disallow: /sok/
Disallow: /api/
Disallow: /kalender.ics
Disallow: /

Sitemap: {site}/sitemap.xml
"""


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    site = settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")
    return HttpResponse(ROBOTS.format(site=site), content_type="text/plain; charset=utf-8")
