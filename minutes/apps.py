from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Protokoll")

    def ready(self) -> None:
        # The justering listens to `minutes_edited`; minutes_pdf and notices register their PDF
        # producers (labels, who may download) in every process, the worker's too.
        from .justering import services as justering  # noqa: F401
        from .notices import minutes_pdf  # noqa: F401
        from .notices import services as notices  # noqa: F401
