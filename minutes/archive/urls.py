"""URLs of the archive delivery, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("forbund/<slug:slug>/arkivleverans/", views.archive_list, name="archive_list"),
    path("arkivleverans/<int:pk>/", views.archive_package, name="archive_package"),
    path("arkivleverans/<int:pk>/paket.<str:fmt>", views.archive_download, name="archive_download"),
]
