"""URLs of the justering, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from . import bankid_views, oidc_views, passkey_views, views

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
    path("sammantraden/<int:pk>/justering/passkey/alternativ/", passkey_views.passkey_options,
         name="justering_passkey_options"),
    path("sammantraden/<int:pk>/justering/passkey/skriv-under/", passkey_views.passkey_sign,
         name="justering_passkey_sign"),
    path("sammantraden/<int:pk>/justering/bankid/", bankid_views.bankid_page, name="justering_bankid"),
    path("sammantraden/<int:pk>/justering/bankid/starta/", bankid_views.bankid_start, name="justering_bankid_start"),
    path("sammantraden/<int:pk>/justering/bankid/status/", bankid_views.bankid_status, name="justering_bankid_status"),
    path("sammantraden/<int:pk>/justering/bankid/avbryt/", bankid_views.bankid_cancel, name="justering_bankid_cancel"),
    path("sammantraden/<int:pk>/justering/e-legitimation/", oidc_views.oidc_sign_start,
         name="justering_oidc_start"),
    path("justering/e-legitimation/retur/", oidc_views.oidc_return, name="justering_oidc_return"),
    path("konto/e-legitimation/", oidc_views.eid_identify, name="eid_identify"),
    path("utdrag/<int:para_pk>/", views.extract_request, name="extract_request"),
    path("utdrag/<int:para_pk>/skicka/", views.extract_send, name="extract_send"),
]
