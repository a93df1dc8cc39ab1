"""URLs of the public's e-mail subscriptions, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("prenumerera/", views.subscribe, name="subscribe"),
    path("prenumerera/bekrafta/<slug:token>/", views.confirm, name="subscription_confirm"),
    path("avprenumerera/<slug:token>/", views.unsubscribe, name="unsubscribe"),
]
