from __future__ import annotations

from django.urls import path

from .views import budgets, contributions, lines, outcomes

app_name = "finance"

urlpatterns = [
    path("forbund/<slug:slug>/budget/", budgets.budget_list, name="budgets"),
    path("forbund/<slug:slug>/budget/ny/", budgets.budget_create, name="budget_create"),
    path("forbund/<slug:slug>/budget/installningar/", budgets.finance_settings, name="settings"),
    path("forbund/<slug:slug>/budget/<year:year>/", budgets.budget_detail, name="budget"),
    path("forbund/<slug:slug>/budget/<year:year>/version/", budgets.version_create, name="version_create"),
    path("forbund/<slug:slug>/budget/<year:year>/version/<int:pk>/anta/", budgets.version_adopt, name="version_adopt"),
    path("forbund/<slug:slug>/budget/<year:year>/rader/", budgets.line_add, name="line_add"),
    path("forbund/<slug:slug>/budget/<year:year>/excel/", budgets.budget_excel, name="budget_excel"),
    path("forbund/<slug:slug>/budget/<year:year>/pdf/", budgets.budget_pdf, name="budget_pdf"),
    path("forbund/<slug:slug>/budget/<year:year>/utfall/", outcomes.outcome_entry, name="outcome_entry"),
    path("forbund/<slug:slug>/budget/<year:year>/import/", outcomes.import_start, name="import_start"),
    path("forbund/<slug:slug>/budget/<year:year>/import/<int:pk>/", outcomes.import_preview, name="import_preview"),
    path("forbund/<slug:slug>/budget/<year:year>/rad/<slug:code>/", lines.line_detail, name="line"),
    path("forbund/<slug:slug>/medlemsinsats/<year:year>/", contributions.contributions, name="contributions"),
    path("forbund/<slug:slug>/medlemsinsats/<year:year>/andra/", contributions.contributions_edit, name="contributions_edit"),
]
