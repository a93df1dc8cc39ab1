"""/api/v1/ for the minutes: every action of the editor, through the same services.

Token authentication (Authorization: Bearer <key>). Reading needs Action.VIEW in the meeting's
association, changing needs Action.EDIT_MINUTES; a meeting the caller may not see answers 404.
A service's ValidationError becomes 422 with field reasons (config/api.py); a stale paragraph
save answers 409 with the current text.

One router per area, gathered here under the tag and authentication they share: meetings (and
kallelse), agenda (and handlingar), attendance (and justerare), paragraphs (and what is recorded
on them), the association's text modules. schemas: what goes in and out; common: finding what a request names.
"""

from __future__ import annotations

from ninja import Router

from board.auth import token_auth

from . import agenda, attendance, meetings, paragraphs, text_modules

router = Router(tags=["protokoll"], auth=token_auth)
router.add_router("", meetings.router)
router.add_router("", agenda.router)
router.add_router("", attendance.router)
router.add_router("", paragraphs.router)
router.add_router("", text_modules.router)
