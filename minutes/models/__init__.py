"""The models of the minutes, one module per wing; Django finds them here (app label `minutes`).

drafting: meetings, agenda, attendance, paragraphs and their decisions and votes;
justering: the signed versions and their signatures; notices: the anslagstavla;
public: the stored public page of justerade minutes and their search index. They import only board and Django.
"""

from .drafting import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    DecisionClause,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    ParagraphYear,
    ProtocolNote,
    Recusal,
    Reservation,
    Vote,
    VoteBallot,
    VoteProposal,
    document_upload_to,
    paragraph_label,
)
from .justering import JusteringComment, JusteringDecline, MinutesUnlock, MinutesVersion, Signature
from .notices import Notice, NoticeAttachment, NoticeQuerySet, notice_attachment_upload_to
from .public import SEARCH_CONFIG, PublicParagraph, PublishedMinutes

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "Attendance",
    "DecisionClause",
    "JusteringComment",
    "JusteringDecline",
    "Meeting",
    "MinutesAdjuster",
    "MinutesUnlock",
    "MinutesVersion",
    "Notice",
    "NoticeAttachment",
    "NoticeQuerySet",
    "Paragraph",
    "ParagraphYear",
    "ProtocolNote",
    "PublicParagraph",
    "PublishedMinutes",
    "SEARCH_CONFIG",
    "Recusal",
    "Reservation",
    "Signature",
    "Vote",
    "VoteBallot",
    "VoteProposal",
    "document_upload_to",
    "notice_attachment_upload_to",
    "paragraph_label",
]
