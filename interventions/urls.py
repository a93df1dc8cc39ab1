from __future__ import annotations

from django.urls import path

from . import views

app_name = "interventions"

P = "forbund/<slug:slug>/insatser/<int:pk>/"

urlpatterns = [
    path("forbund/<slug:slug>/insatser/", views.intervention_list, name="list"),
    path("forbund/<slug:slug>/insatser/ny/", views.intervention_new, name="new"),
    path(P, views.intervention_detail, name="detail"),
    path(P + "andra/", views.intervention_edit, name="edit"),
    path(P + "styrgrupp/", views.steering_add, name="steering_add"),
    path(P + "styrgrupp/<int:member_pk>/ta-bort/", views.steering_remove, name="steering_remove"),
    path(P + "dokument/", views.document_add, name="document_add"),
    path(P + "dokument/<int:document_pk>/", views.document_download, name="document"),
    path(P + "finansiering/", views.funding_add, name="funding_add"),
    path(P + "tillaggsaskande/ny/", views.request_new, name="request_new"),
    path(P + "tillaggsaskande/<int:request_pk>/dagordning/", views.request_agenda, name="request_agenda"),
    path(P + "tillaggsaskande/<int:request_pk>/beslut/", views.request_decide, name="request_decide"),
    path(P + "uppfoljning/", views.follow_up, name="follow_up"),
    path(P + "indikatorer/", views.indicator_add, name="indicator_add"),
    path(P + "rapport/pdf/", views.report_pdf, name="report_pdf"),
    path("forbund/<slug:slug>/uppdrag/", views.action_item_list, name="action_items"),
    path("forbund/<slug:slug>/uppdrag/<int:item_pk>/", views.action_item_update, name="action_item_update"),
    path("forbund/<slug:slug>/uppdrag/fran-protokoll/", views.action_items_scan, name="action_items_scan"),
    path("forbund/<slug:slug>/uppdrag/till-dagordning/", views.action_items_agenda, name="action_items_agenda"),
]
