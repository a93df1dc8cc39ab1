from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Protokoll")

    def ready(self) -> None:
        # The justering listens to `minutes_edited` and registers the minutes' PDF producers.
        from . import justering  # noqa: F401
