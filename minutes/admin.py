"""Django's admin autodiscovery imports this module: it registers each wing's admin."""

from __future__ import annotations

from .drafting import admin as drafting_admin  # noqa: F401
from .justering import admin as justering_admin  # noqa: F401
from .subscriptions import admin as subscriptions_admin  # noqa: F401
