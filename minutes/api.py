"""The minutes' API, one router per wing; config/api.py mounts it under /api/v1/."""

from __future__ import annotations

from ninja import Router

from .drafting.api import router as drafting_router
from .justering.api import router as justering_router
from .justering.bankid_api import router as justering_bankid_router
from .public.api import router as public_router

router = Router()
router.add_router("", drafting_router)
# The public read API (no authentication).
router.add_router("/public", public_router)
router.add_router("", justering_router)
router.add_router("", justering_bankid_router)
