"""The record of the mail sent about a meeting, for the secretary, on the meeting's pages:
{% load board_mail %}{% mail_record meeting "kallelse" %} (or "justering.")."""

from __future__ import annotations

from typing import Any

from django import template

from board.mail import meeting_mails
from board.permissions import Action, can

register = template.Library()

SHOWN = 200  # the newest; a meeting's mail is a few dozen


@register.inclusion_tag("board/_mail_record.html", takes_context=True)
def mail_record(context: Any, meeting: Any, kind_prefix: str = "") -> dict[str, Any]:
    """Only the association's secretary (and a site admin) sees whom the mail went to."""
    request = context.get("request")
    if request is None or not can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id):
        return {"mails": []}
    return {"mails": list(meeting_mails(meeting, kind_prefix=kind_prefix)[:SHOWN])}
