from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = _("Register")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login/logout audit)
