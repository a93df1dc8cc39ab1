"""Public pages (no login) and the secretary's notice pages; namespace "public"."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from . import views
from .feeds import NoticeFeed, calendar_ics
from .sitemaps import SITEMAPS, robots_txt

app_name = "public"

urlpatterns = [
    path("anslagstavla/", views.board, name="board"),
    path("anslagstavla/atom.xml", NoticeFeed(), name="feed"),
    path("anslagstavla/arkiv/", views.archive, name="archive"),
    path("anslagstavla/anslag/<int:pk>/", views.notice_detail, name="notice"),
    path("anslagstavla/anslag/<int:pk>/bilagor/<int:att_pk>/", views.notice_attachment, name="notice_attachment"),
    path("anslagstavla/<slug:slug>/", views.board, name="board_org"),
    path("protokoll/", views.minutes_index, name="minutes_index"),
    path("protokoll/<slug:slug>/", views.minutes_index, name="minutes_years"),
    path("protokoll/<slug:slug>/<year:year>/", views.minutes_year, name="minutes_year"),
    path("protokoll/<slug:slug>/<year:year>/<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("sok/", views.search, name="search"),
    path("kalender.ics", calendar_ics, name="calendar"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("forbund/<slug:slug>/anslag/", views.manage_notices, name="manage_notices"),
    path("anslag/<int:pk>/anslagsdag/", views.posting_day, name="posting_day"),
    path("sammantraden/<int:pk>/kungor/", views.kungorelse_create, name="kungorelse_create"),
]

if settings.BENCH_BARE_VIEW:
    # A view that does nothing, served by the same gunicorn: the baseline of bench/public_bench.py.
    def _bare(request):  # noqa: ANN001, ANN202
        return HttpResponse(b"ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare", _bare, name="bench_bare"))
