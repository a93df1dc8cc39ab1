from __future__ import annotations

from django.urls import path

from ..drafting.views import agenda
from . import views

urlpatterns = [
    path("mitt-sammantrade/", views.my_room, name="my_room"),
    path("mitt-sammantrade/<int:pk>/", views.room_meeting, name="room_meeting"),
    path("mitt-sammantrade/<int:pk>/anteckning/", views.note_save, name="room_note"),
    path("mitt-sammantrade/<int:pk>/handlingar.zip", views.bundle, name="room_bundle"),
    path("handlingar/<int:doc_pk>/visa/", agenda.document_read, name="document_read"),
    path("mina-anteckningar.txt", views.notes_export, name="notes_export"),
]
