"""The editor's outline (templates/minutes/_outline.html): what its script gets back after a
move (paragraph_move in .editor answers it with outline_answer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string

from ...models import Meeting
from ..selectors import minutes_document


def wants_json(request: HttpRequest) -> bool:
    """The outline's script asks for JSON (Accept); a plain form POST gets the redirect."""
    return "application/json" in request.headers.get("Accept", "")


def outline_answer(request: HttpRequest, meeting: Meeting, *, status: int = 200, **data: Any) -> JsonResponse:
    """The outline's items re-rendered and every § of the meeting with its new number, so the
    page updates the outline and the paragraphs' numbers without a reload."""
    doc = minutes_document(meeting)
    return JsonResponse({
        **data,
        "outline": render_to_string(
            "minutes/_outline_items.html", {"doc": doc, "editable": meeting.is_editable}, request=request
        ),
        "paragraphs": [
            {"pk": pv.paragraph.pk, "label": pv.paragraph.label, "number": pv.paragraph.number,
             "position": pv.paragraph.position}
            for pv in doc.paragraphs
        ],
    }, status=status)
