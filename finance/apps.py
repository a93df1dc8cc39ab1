from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Ekonomi")

    def ready(self) -> None:
        # The delårsrapport PDF is issued through the shared document toolkit.
        # Imported here, not at the top: it imports models, which exist only once the app
        # registry is ready (Django's AppConfig.ready idiom).
        from .pdf import register

        register()
