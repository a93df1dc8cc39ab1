"""`{% load editor_presence %}`: the editor's presence heartbeat, in seconds, for hx-trigger."""

from __future__ import annotations

from django import template

from minutes.drafting.services.presence import heartbeat_seconds

register = template.Library()


@register.simple_tag
def presence_heartbeat() -> int:
    return heartbeat_seconds()
