from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Protokoll")

    def ready(self) -> None:
        # Imported here, once the models are loaded, and in every process (the worker's too):
        # the receivers connect each wing to the signals sent by the wings below it
        # (minutes/signals.py), and the PDF modules register their producers (labels, who may
        # download) with board.documents; the justering's tasks register its reminder with Celery;
        # drafting gives a new association its standard text modules; the subscriptions answer a
        # posted notice and register their tasks; the delegation register marks the decisions of
        # justerade minutes reported.
        from .archive import tasks as archive_tasks  # noqa: F401
        from .delegation import receivers as delegation_receivers  # noqa: F401
        from .drafting import receivers as drafting_receivers  # noqa: F401
        from .justering import receivers as justering_receivers  # noqa: F401
        from .justering import tasks as justering_tasks  # noqa: F401
        from .notices import minutes_pdf, services  # noqa: F401
        from .notices import receivers as notices_receivers  # noqa: F401
        from .public import blocks as public_blocks  # noqa: F401
        from .public import privacy as public_privacy  # noqa: F401
        from .public import receivers as public_receivers  # noqa: F401
        from .subscriptions import receivers as subscription_receivers  # noqa: F401
        from .subscriptions import tasks as subscription_tasks  # noqa: F401
