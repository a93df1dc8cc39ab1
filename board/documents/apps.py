from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Issued documents as an app of their own inside board: their model is found in this
    app's models module, not re-exported through board.models. The table keeps its name
    (board_rendereddocument, Meta.db_table)."""

    name = "board.documents"
    label = "documents"
    verbose_name = _("Utfärdade dokument")
