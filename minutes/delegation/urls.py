"""URLs of the delegation order and register, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("forbund/<slug:slug>/delegationsordning/", views.delegation_order, name="delegation_order"),
    path("forbund/<slug:slug>/delegationsordning/ny/", views.delegation_line_add, name="delegation_line_add"),
    path("forbund/<slug:slug>/delegationsordning/<int:pk>/", views.delegation_line_edit, name="delegation_line_edit"),
    path("forbund/<slug:slug>/delegationsbeslut/", views.delegation_register, name="delegation_register"),
    path("forbund/<slug:slug>/delegationsbeslut/nytt/", views.delegation_decision_add, name="delegation_decision_add"),
    path("forbund/<slug:slug>/delegationsbeslut/export.xlsx", views.delegation_export, name="delegation_export"),
    path("delegationsbeslut/<int:pk>/anslag/", views.delegation_notice, name="delegation_notice"),
    path("sammantraden/<int:pk>/delegationsbeslut/", views.delegation_report, name="delegation_report"),
]
