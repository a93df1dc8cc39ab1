from __future__ import annotations

from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.home, name="home"),
    path("forbund/", views.organisation_list, name="organisations"),
    path("forbund/<slug:slug>/", views.organisation_detail, name="organisation"),
]
