"""Lets the minutes' kallelse and editor show the organ's open tasks without the minutes
views reaching into the interventions app: {% load interventions_tags %}{% open_action_items meeting %}."""

from __future__ import annotations

from typing import Any

from django import template

from board.permissions import Action, can
from interventions.selectors import open_action_items_for

register = template.Library()


@register.inclusion_tag("interventions/_open_action_items.html", takes_context=True)
def open_action_items(context: Any, meeting: Any) -> dict[str, Any]:
    return {
        "items": list(open_action_items_for(meeting)),
        "meeting": meeting,
        "may_edit": "request" in context
        and can(context["request"].user, Action.EDIT_MINUTES, meeting.organ.organisation_id),
        "csrf_token": context.get("csrf_token"),
        "next_url": context["request"].get_full_path() if "request" in context else "",
    }
