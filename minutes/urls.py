"""The pages of the minutes for signed-in users, namespace "minutes": drafting and justering.

The public pages and the secretary's notice pages are minutes/public/urls.py (namespace "public").
"""

from __future__ import annotations

from .drafting.urls import urlpatterns as drafting_urlpatterns
from .justering.urls import urlpatterns as justering_urlpatterns

app_name = "minutes"

urlpatterns = drafting_urlpatterns + justering_urlpatterns
