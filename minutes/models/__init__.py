"""The models of the minutes, one module per subject; Django finds them here (app label `minutes`).

The drafting wing's: meetings (and the paragraph numbering series), agenda (items and
handlingar), paragraphs (with decisions, jäv, reservations and notes), attendance (and the
justerare), votes, text modules (an association's standard phrases and decisions).
justering: the signed versions and their signatures; notices: the
anslagstavla; public: the stored public page of justerade minutes and their search index.
archive: the yearly E-ARK / FGS package. delegation: the delegation order and the register
of delegated decisions. member: a board member's private notes and last visits. subscriptions: the public's e-mail subscriptions to
the notice board and each notice's mailing. They import only board and Django.
"""

from .agenda import AgendaDocument, AgendaItem, DocumentOpen, document_upload_to
from .archive import ARCHIVE_MAX_ATTEMPTS, ArchivePackage, archive_upload_to
from .attendance import Attendance, MinutesAdjuster
from .delegation import DelegationDecision, DelegationLine
from .justering import JusteringComment, JusteringDecline, MinutesUnlock, MinutesVersion, Signature
from .meetings import Meeting, ParagraphYear
from .member import NOTE_MAX_LENGTH, MeetingVisit, PrivateNote
from .notices import Notice, NoticeAttachment, NoticeQuerySet, notice_attachment_upload_to
from .paragraphs import (
    DecisionClause,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    paragraph_label,
)
from .public import (
    SEARCH_CONFIG,
    BoardGeneration,
    BoardPage,
    NoticeBlock,
    PublicParagraph,
    PublishedMinutes,
)
from .subscriptions import NoticeMailing, Subscription
from .text_modules import SHORTCUT_MAX_LENGTH, SHORTCUT_PATTERN, TextModule
from .votes import Vote, VoteBallot, VoteProposal

__all__ = [
    "NOTE_MAX_LENGTH",
    "MeetingVisit",
    "PrivateNote",
    "ARCHIVE_MAX_ATTEMPTS",
    "ArchivePackage",
    "archive_upload_to",
    "AgendaDocument",
    "AgendaItem",
    "DocumentOpen",
    "Attendance",
    "DecisionClause",
    "DelegationDecision",
    "DelegationLine",
    "JusteringComment",
    "JusteringDecline",
    "Meeting",
    "MinutesAdjuster",
    "MinutesUnlock",
    "MinutesVersion",
    "Notice",
    "NoticeAttachment",
    "BoardGeneration",
    "BoardPage",
    "NoticeBlock",
    "NoticeMailing",
    "NoticeQuerySet",
    "Paragraph",
    "ParagraphYear",
    "ProtocolNote",
    "PublicParagraph",
    "PublishedMinutes",
    "SEARCH_CONFIG",
    "Recusal",
    "Reservation",
    "SHORTCUT_MAX_LENGTH",
    "SHORTCUT_PATTERN",
    "Signature",
    "Subscription",
    "TextModule",
    "Vote",
    "VoteBallot",
    "VoteProposal",
    "document_upload_to",
    "notice_attachment_upload_to",
    "paragraph_label",
]
