"""How the public documents of the minutes stand on the web (board.documents asks at each
download): the public minutes PDF is indexable while its association lets search engines have
the minutes (Organisation.minutes_indexing) and withdrawn past its retention; an anslagsbevis
is never indexable and is withdrawn with its notice. Registered in MinutesConfig.ready()."""

from __future__ import annotations

from typing import Any

from board.documents.registry import WebState, register_web_state

from ..models import Meeting, Notice
from ..notices.minutes_pdf import PUBLIC_MINUTES_KIND
from ..notices.services import CERTIFICATE_KIND
from .selectors import meeting_withdrawn, minutes_indexable, notice_withdrawn


def gone_sentence(organisation: Any, what: str) -> str:
    """What a withdrawn document's answer says (410 Gone), in Swedish."""
    how = (f"genom att skriva till {organisation.contact_email}" if organisation.contact_email
           else "genom att kontakta förbundets kansli")
    return (f"{what} har funnits på webben den tid som {organisation.name} har bestämt och är nu borttaget "
            f"härifrån. Det är fortfarande en allmän handling som du kan begära att få ut från "
            f"{organisation.name} {how}.")


def public_minutes_state(document: Any) -> WebState:
    meeting = document.target
    if not isinstance(meeting, Meeting):
        return WebState()
    organisation = meeting.organ.organisation
    if meeting_withdrawn(meeting, organisation):
        return WebState(withdrawn=True, message=gone_sentence(organisation, "Protokollet"))
    notice = meeting.notices.filter(kind=Notice.Kind.JUSTERING).order_by("-posted_on", "-pk").first()
    return WebState(indexable=minutes_indexable(organisation, notice.last_appeal_day if notice else None))


def certificate_state(document: Any) -> WebState:
    notice = document.target
    if isinstance(notice, Notice) and notice_withdrawn(notice, notice.organisation):
        return WebState(withdrawn=True, message=gone_sentence(notice.organisation, "Anslagsbeviset"))
    return WebState()


register_web_state(PUBLIC_MINUTES_KIND, public_minutes_state)
register_web_state(CERTIFICATE_KIND, certificate_state)
