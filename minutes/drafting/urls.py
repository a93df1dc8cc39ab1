"""The drafting pages, added to the minutes' namespace by minutes/urls.py."""

from __future__ import annotations

from django.urls import path

from .views import agenda, attendance, editor, meetings, parts, presence, text_modules

urlpatterns = [
    path("sammantraden/", meetings.my_meetings, name="my_meetings"),
    path("forbund/<slug:slug>/sammantraden/", meetings.meeting_list, name="meetings"),
    path("forbund/<slug:slug>/sammantraden/nytt/", meetings.meeting_create, name="meeting_create"),
    path("forbund/<slug:slug>/sammantraden/numrering/", meetings.paragraph_year_set, name="paragraph_year"),
    path("forbund/<slug:slug>/textmoduler/", text_modules.text_module_list, name="text_modules"),
    path("forbund/<slug:slug>/textmoduler/ny/", text_modules.text_module_add, name="text_module_add"),
    path("forbund/<slug:slug>/textmoduler/<int:pk>/", text_modules.text_module_change, name="text_module_change"),
    path("forbund/<slug:slug>/textmoduler/<int:pk>/ta-bort/", text_modules.text_module_delete,
         name="text_module_delete"),
    path("sammantraden/<int:pk>/", meetings.kallelse, name="kallelse"),
    path("sammantraden/<int:pk>/textmoduler.json", text_modules.text_modules_json, name="text_modules_json"),
    path("sammantraden/<int:pk>/dagordning/", agenda.agenda_add, name="agenda_add"),
    path("sammantraden/<int:pk>/dagordning/<int:item_pk>/", agenda.agenda_change, name="agenda_change"),
    path("sammantraden/<int:pk>/handlingar/", agenda.document_add, name="document_add"),
    path("sammantraden/<int:pk>/kalender.ics", meetings.kallelse_ics, name="kallelse_ics"),
    path("sammantraden/<int:pk>/kallelse/skicka/", meetings.kallelse_send, name="kallelse_send"),
    path("sammantraden/<int:pk>/protokoll/", editor.editor, name="editor"),
    path("sammantraden/<int:pk>/protokoll/starta/", meetings.minutes_start, name="minutes_start"),
    path("sammantraden/<int:pk>/protokoll/forhandsvisning/", editor.preview, name="preview"),
    path("sammantraden/<int:pk>/narvaro-i-editorn/", presence.editor_presence, name="editor_presence"),
    path("sammantraden/<int:pk>/narvaro/", attendance.attendance_save, name="attendance_save"),
    path("sammantraden/<int:pk>/narvaro/hamta/", attendance.attendance_prefill, name="attendance_prefill"),
    path("sammantraden/<int:pk>/narvaro/gast/", attendance.attendance_guest, name="attendance_guest"),
    path("sammantraden/<int:pk>/narvaro/<int:person_pk>/formular/", editor.attendance_edit_part, name="attendance_edit_part"),
    path("sammantraden/<int:pk>/justerare/", attendance.adjusters_save, name="adjusters_save"),
    path("sammantraden/<int:pk>/paragrafer/", editor.paragraph_add, name="paragraph_add"),
    path("handlingar/<int:doc_pk>/", agenda.document_download, name="document"),
    path("handlingar/<int:doc_pk>/ta-bort/", agenda.document_delete, name="document_delete"),
    path("paragrafer/<int:para_pk>/", editor.paragraph_save, name="paragraph_save"),
    path("paragrafer/<int:para_pk>/formular/", editor.paragraph_edit_part, name="paragraph_edit_part"),
    path("paragrafer/<int:para_pk>/flytta/", editor.paragraph_move, name="paragraph_move"),
    path("paragrafer/<int:para_pk>/ta-bort/", editor.paragraph_delete, name="paragraph_delete"),
    path("paragrafer/<int:para_pk>/historik/", editor.paragraph_history, name="paragraph_history"),
    path("paragrafer/<int:para_pk>/omrostning/", parts.vote_add, name="vote_add"),
    path("omrostningar/<int:vote_pk>/ta-bort/", parts.vote_delete, name="vote_delete"),
    path("paragrafer/<int:para_pk>/<str:kind>/", parts.child_add, name="child_add"),
    path("paragrafdelar/<str:kind>/<int:obj_pk>/ta-bort/", parts.child_delete, name="child_delete"),
]
