"""Everything that changes meetings and minutes, one module per kind of thing changed.

Views, the API and the demo loader call these as `services.<name>`: each service runs in one
transaction, records the acting user in the history (`save_with_actor`) and, for acts that
matter in themselves (kallelse sent, vote recorded), an AuditEvent. Shared checks are in
`editing`.
"""

from __future__ import annotations

from .agenda import (
    AGENDA_FIELDS,
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    document_add,
    document_delete,
)
from .attendance import (
    ATTENDANCE_FIELDS,
    adjusters_set,
    attendance_prefill,
    attendance_remove,
    attendance_set,
)
from .meetings import (
    MEETING_FIELDS,
    MEETING_YEARS,
    STOCKHOLM,
    kallelse_recipients,
    kallelse_send,
    meeting_create,
    meeting_ics,
    meeting_update,
)
from .numbering import lock_year, paragraph_year_set_first_number, renumber_year
from .paragraphs import (
    PARAGRAPH_FIELDS,
    StaleParagraph,
    clauses_set,
    note_add,
    paragraph_add,
    paragraph_child_remove,
    paragraph_delete,
    paragraph_move,
    paragraph_update,
    recusal_add,
    reservation_add,
)
from .quorum import Quorum, meeting_quorum, present_for, quorum_by_paragraph, seats_with_vote
from .start import STANDARD_BODY, STANDARD_CLOSING, STANDARD_OPENING, STANDARD_TEXT, minutes_start
from .text_modules import (
    DEFAULT_TEXT_MODULES,
    TEXT_MODULE_FIELDS,
    clean_phrase_html,
    normalised_shortcut,
    phrase_as_typed,
    text_module_add,
    text_module_delete,
    text_module_update,
    text_modules_create_defaults,
)
from .uploads import ODT_MIMETYPE, document_type_of, validated_upload
from .votes import VoteOutcome, vote_delete, vote_outcome, vote_record

__all__ = [
    "AGENDA_FIELDS",
    "DEFAULT_TEXT_MODULES",
    "ATTENDANCE_FIELDS",
    "MEETING_FIELDS",
    "MEETING_YEARS",
    "ODT_MIMETYPE",
    "PARAGRAPH_FIELDS",
    "Quorum",
    "STANDARD_BODY",
    "STANDARD_CLOSING",
    "STANDARD_OPENING",
    "STANDARD_TEXT",
    "STOCKHOLM",
    "TEXT_MODULE_FIELDS",
    "StaleParagraph",
    "VoteOutcome",
    "adjusters_set",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_update",
    "attendance_prefill",
    "attendance_remove",
    "attendance_set",
    "clauses_set",
    "clean_phrase_html",
    "document_add",
    "document_delete",
    "document_type_of",
    "kallelse_recipients",
    "kallelse_send",
    "lock_year",
    "meeting_create",
    "meeting_ics",
    "meeting_quorum",
    "meeting_update",
    "minutes_start",
    "normalised_shortcut",
    "note_add",
    "paragraph_add",
    "paragraph_child_remove",
    "paragraph_delete",
    "paragraph_move",
    "paragraph_update",
    "paragraph_year_set_first_number",
    "phrase_as_typed",
    "present_for",
    "quorum_by_paragraph",
    "recusal_add",
    "renumber_year",
    "reservation_add",
    "seats_with_vote",
    "text_module_add",
    "text_module_delete",
    "text_module_update",
    "text_modules_create_defaults",
    "validated_upload",
    "vote_delete",
    "vote_outcome",
    "vote_record",
]
