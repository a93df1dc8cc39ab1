from __future__ import annotations

from django.urls import path

from . import account_views, passkey_views, views
from .documents import views as documents_views

app_name = "board"

urlpatterns = [
    path("", views.home, name="home"),
    path("mina-forbund/", views.dashboard, name="dashboard"),
    path("forbund/", views.organisation_list, name="organisations"),
    path("forbund/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("forbund/<slug:slug>/historik/", views.organisation_history, name="organisation_history"),
    path("forbund/<slug:slug>/personer/ny/", views.person_add, name="person_add"),
    path("forbund/<slug:slug>/uppdrag/nytt/", views.appointment_add, name="appointment_add"),
    path("forbund/<slug:slug>/uppdrag/<int:pk>/avsluta/", views.appointment_end, name="appointment_end"),
    path("forbund/<slug:slug>/tjansteroller/ny/", views.staff_role_add, name="staff_role_add"),
    path("forbund/<slug:slug>/tjansteroller/<int:pk>/avsluta/", views.staff_role_end, name="staff_role_end"),
    path("forbund/<slug:slug>/personer/<int:pk>/personnummer/", views.person_identity_number,
         name="person_identity_number"),
    path("forbund/<slug:slug>/webbpublicering/", views.web_settings, name="web_settings"),
    path("forbund/<slug:slug>/tillganglighet/", views.accessibility_feedback_list, name="accessibility_feedback"),
    path("personer/<int:pk>/", views.person_detail, name="person"),
    path("personer/<int:pk>/historik/", views.person_history, name="person_history"),
    path("uppdrag/<int:pk>/historik/", views.appointment_history, name="appointment_history"),
    path("tjansteroller/<int:pk>/historik/", views.staff_role_history, name="staff_role_history"),
    path("forbundsmedlemmar/<int:pk>/historik/", views.member_history, name="member_history"),
]

# Issued documents (/verifiera/, a document's status and download) and the signed-in user's
# authenticator app keep their names in the board namespace.
urlpatterns += documents_views.urlpatterns + account_views.urlpatterns
urlpatterns += passkey_views.urlpatterns
