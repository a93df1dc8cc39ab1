from __future__ import annotations

from django.urls import path

from .views import action_items, follow_up, registry, supplementary

app_name = "interventions"

P = "forbund/<slug:slug>/insatser/<int:pk>/"

urlpatterns = [
    path("forbund/<slug:slug>/insatser/", registry.intervention_list, name="list"),
    path("forbund/<slug:slug>/insatser/ny/", registry.intervention_new, name="new"),
    path(P, registry.intervention_detail, name="detail"),
    path(P + "andra/", registry.intervention_edit, name="edit"),
    path(P + "styrgrupp/", registry.steering_add, name="steering_add"),
    path(P + "styrgrupp/<int:member_pk>/ta-bort/", registry.steering_remove, name="steering_remove"),
    path(P + "dokument/", registry.document_add, name="document_add"),
    path(P + "dokument/<int:document_pk>/", registry.document_download, name="document"),
    path(P + "finansiering/", registry.funding_add, name="funding_add"),
    path(P + "tillaggsaskande/ny/", supplementary.request_new, name="request_new"),
    path(P + "tillaggsaskande/<int:request_pk>/dagordning/", supplementary.request_agenda, name="request_agenda"),
    path(P + "tillaggsaskande/<int:request_pk>/beslut/", supplementary.request_decide, name="request_decide"),
    path(P + "uppfoljning/", follow_up.follow_up, name="follow_up"),
    path(P + "indikatorer/", follow_up.indicator_add, name="indicator_add"),
    path(P + "rapport/pdf/", follow_up.report_pdf, name="report_pdf"),
    path("forbund/<slug:slug>/uppdrag/", action_items.action_item_list, name="action_items"),
    path("forbund/<slug:slug>/uppdrag/<int:item_pk>/", action_items.action_item_update, name="action_item_update"),
    path("forbund/<slug:slug>/uppdrag/fran-protokoll/", action_items.action_items_scan, name="action_items_scan"),
    path("forbund/<slug:slug>/uppdrag/till-dagordning/", action_items.action_items_agenda, name="action_items_agenda"),
]
