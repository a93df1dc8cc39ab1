"""The pages of the minutes, namespace "minutes": drafting, justering and archive delivery for
signed-in users, and the public's e-mail subscriptions to the notice board.

The public pages and the secretary's notice pages are minutes/public/urls.py (namespace "public").
"""

from __future__ import annotations

from .archive.urls import urlpatterns as archive_urlpatterns
from .delegation.urls import urlpatterns as delegation_urlpatterns
from .drafting.urls import urlpatterns as drafting_urlpatterns
from .justering.urls import urlpatterns as justering_urlpatterns
from .member.urls import urlpatterns as member_urlpatterns
from .subscriptions.urls import urlpatterns as subscription_urlpatterns

app_name = "minutes"

urlpatterns = (
    drafting_urlpatterns + justering_urlpatterns + archive_urlpatterns + subscription_urlpatterns
    + delegation_urlpatterns + member_urlpatterns
)
