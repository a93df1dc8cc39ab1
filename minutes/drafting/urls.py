"""The drafting pages, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("sammantraden/", views.my_meetings, name="my_meetings"),
    path("forbund/<slug:slug>/sammantraden/", views.meeting_list, name="meetings"),
    path("forbund/<slug:slug>/sammantraden/nytt/", views.meeting_create, name="meeting_create"),
    path("forbund/<slug:slug>/sammantraden/numrering/", views.paragraph_year_set, name="paragraph_year"),
    path("sammantraden/<int:pk>/", views.kallelse, name="kallelse"),
    path("sammantraden/<int:pk>/dagordning/", views.agenda_add, name="agenda_add"),
    path("sammantraden/<int:pk>/dagordning/<int:item_pk>/", views.agenda_change, name="agenda_change"),
    path("sammantraden/<int:pk>/handlingar/", views.document_add, name="document_add"),
    path("sammantraden/<int:pk>/kalender.ics", views.kallelse_ics, name="kallelse_ics"),
    path("sammantraden/<int:pk>/kallelse/skicka/", views.kallelse_send, name="kallelse_send"),
    path("sammantraden/<int:pk>/protokoll/", views.editor, name="editor"),
    path("sammantraden/<int:pk>/protokoll/starta/", views.minutes_start, name="minutes_start"),
    path("sammantraden/<int:pk>/protokoll/forhandsvisning/", views.preview, name="preview"),
    path("sammantraden/<int:pk>/narvaro/", views.attendance_save, name="attendance_save"),
    path("sammantraden/<int:pk>/narvaro/hamta/", views.attendance_prefill, name="attendance_prefill"),
    path("sammantraden/<int:pk>/narvaro/gast/", views.attendance_guest, name="attendance_guest"),
    path("sammantraden/<int:pk>/justerare/", views.adjusters_save, name="adjusters_save"),
    path("sammantraden/<int:pk>/paragrafer/", views.paragraph_add, name="paragraph_add"),
    path("handlingar/<int:doc_pk>/", views.document_download, name="document"),
    path("handlingar/<int:doc_pk>/ta-bort/", views.document_delete, name="document_delete"),
    path("paragrafer/<int:para_pk>/", views.paragraph_save, name="paragraph_save"),
    path("paragrafer/<int:para_pk>/flytta/", views.paragraph_move, name="paragraph_move"),
    path("paragrafer/<int:para_pk>/ta-bort/", views.paragraph_delete, name="paragraph_delete"),
    path("paragrafer/<int:para_pk>/omrostning/", views.vote_add, name="vote_add"),
    path("omrostningar/<int:vote_pk>/ta-bort/", views.vote_delete, name="vote_delete"),
    path("paragrafer/<int:para_pk>/<str:kind>/", views.child_add, name="child_add"),
    path("paragrafdelar/<str:kind>/<int:obj_pk>/ta-bort/", views.child_delete, name="child_delete"),
]
