from __future__ import annotations

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("forbund/<slug:slug>/budget/", views.budget_list, name="budgets"),
    path("forbund/<slug:slug>/budget/ny/", views.budget_create, name="budget_create"),
    path("forbund/<slug:slug>/budget/installningar/", views.finance_settings, name="settings"),
    path("forbund/<slug:slug>/budget/<year:year>/", views.budget_detail, name="budget"),
    path("forbund/<slug:slug>/budget/<year:year>/version/", views.version_create, name="version_create"),
    path("forbund/<slug:slug>/budget/<year:year>/version/<int:pk>/anta/", views.version_adopt, name="version_adopt"),
    path("forbund/<slug:slug>/budget/<year:year>/rader/", views.line_add, name="line_add"),
    path("forbund/<slug:slug>/budget/<year:year>/excel/", views.budget_excel, name="budget_excel"),
    path("forbund/<slug:slug>/budget/<year:year>/pdf/", views.budget_pdf, name="budget_pdf"),
    path("forbund/<slug:slug>/budget/<year:year>/utfall/", views.outcome_entry, name="outcome_entry"),
    path("forbund/<slug:slug>/budget/<year:year>/import/", views.import_start, name="import_start"),
    path("forbund/<slug:slug>/budget/<year:year>/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("forbund/<slug:slug>/budget/<year:year>/rad/<slug:code>/", views.line_detail, name="line"),
    path("forbund/<slug:slug>/medlemsinsats/<year:year>/", views.contributions, name="contributions"),
    path("forbund/<slug:slug>/medlemsinsats/<year:year>/andra/", views.contributions_edit, name="contributions_edit"),
]
