"""URLs of the justering, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from . import oidc_views, views

urlpatterns = [
    path("sammantraden/<int:pk>/justering/", views.justering_page, name="justering"),
    path("sammantraden/<int:pk>/justering/historik/", views.justering_history, name="justering_history"),
    path("sammantraden/<int:pk>/justering/skicka/", views.send, name="justering_send"),
    path("sammantraden/<int:pk>/justering/kommentera/", views.comment, name="justering_comment"),
    path("sammantraden/<int:pk>/justering/skriv-under/", views.sign, name="justering_sign"),
    path("sammantraden/<int:pk>/justering/avboj/", views.decline, name="justering_decline"),
    path("sammantraden/<int:pk>/justering/upplasning/", views.unlock_propose, name="unlock_propose"),
    path("sammantraden/<int:pk>/justering/upplasning/<int:unlock_pk>/bekrafta/", views.unlock_confirm,
         name="unlock_confirm"),
    path("sammantraden/<int:pk>/justering/e-legitimation/", oidc_views.oidc_sign_start,
         name="justering_oidc_start"),
    path("justering/e-legitimation/retur/", oidc_views.oidc_return, name="justering_oidc_return"),
    path("konto/e-legitimation/", oidc_views.eid_identify, name="eid_identify"),
    path("utdrag/<int:para_pk>/", views.extract_request, name="extract_request"),
    path("utdrag/<int:para_pk>/skicka/", views.extract_send, name="extract_send"),
]
