"""Votes (omröstningar) on a paragraph and their outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from board.audit import event_record, save_with_actor
from board.models import Person

from ...models import (
    Attendance,
    Meeting,
    Paragraph,
    Vote,
    VoteBallot,
    VoteProposal,
)
from .editing import clean_text, delete_row, require_editable, send_edited
from .quorum import meeting_quorum


@dataclass
class VoteOutcome:
    yes: int
    no: int
    abstain: int
    result: str
    decided_by: str


def vote_outcome(
    *, kind: str, ballots: dict[int, str], chair_id: int | None, casting_vote: str = "", lot_result: str = ""
) -> VoteOutcome:
    """Count the ballots and decide; pure so the rule can be tested on its own.

    A tie is decided by the chair's casting vote (the chair's own ja/nej unless given
    separately), except in elections and personnel matters, where lot decides.
    """
    yes = sum(1 for c in ballots.values() if c == VoteBallot.Choice.YES)
    no = sum(1 for c in ballots.values() if c == VoteBallot.Choice.NO)
    abstain = sum(1 for c in ballots.values() if c == VoteBallot.Choice.ABSTAIN)
    if yes != no:
        return VoteOutcome(yes, no, abstain, Vote.Answer.YES if yes > no else Vote.Answer.NO,
                           Vote.DecidedBy.MAJORITY)
    if yes == 0:
        raise ValidationError({"ballots": _("Ingen har röstat ja eller nej.")})
    if kind in {Vote.Kind.ELECTION, Vote.Kind.PERSONNEL}:
        if lot_result not in {Vote.Answer.YES, Vote.Answer.NO}:
            raise ValidationError(
                {"lot_result": _("Lika röstetal i val eller personalärende: lotten avgör. Ange lottens utfall.")}
            )
        return VoteOutcome(yes, no, abstain, lot_result, Vote.DecidedBy.LOT)
    casting = casting_vote or (ballots.get(chair_id, "") if chair_id else "")
    if casting not in {Vote.Answer.YES, Vote.Answer.NO}:
        raise ValidationError(
            {"casting_vote": _("Lika röstetal: ordförandens utslagsröst avgör. Ange den (ordföranden har inte röstat ja eller nej).")}
        )
    return VoteOutcome(yes, no, abstain, casting, Vote.DecidedBy.CASTING)


@transaction.atomic
def vote_record(
    *,
    paragraph: Paragraph,
    yes_text: str,
    no_text: str,
    ballots: dict[Person, str] | dict[int, str],
    actor: Any,
    kind: str = Vote.Kind.ORDINARY,
    question: str = "",
    yes_proposer: Person | None = None,
    no_proposer: Person | None = None,
    casting_vote: str = "",
    lot_result: str = "",
) -> Vote:
    """Record an omröstning: the two proposals, each member's vote and the result."""
    paragraph = Paragraph.objects.select_for_update().select_related("meeting__organ").get(pk=paragraph.pk)
    meeting = paragraph.meeting
    require_editable(meeting)
    errors: dict[str, str] = {}
    if not clean_text(yes_text):
        errors["yes_text"] = _("Ange förslaget som röstas med ja.")
    if not clean_text(no_text):
        errors["no_text"] = _("Ange förslaget som röstas med nej.")
    if kind not in Vote.Kind.values:
        errors["kind"] = _("Okänt slag av omröstning.")
    by_id = {(p.pk if isinstance(p, Person) else int(p)): c for p, c in ballots.items() if c}
    if any(c not in VoteBallot.Choice.values for c in by_id.values()):
        errors["ballots"] = _("En röst är ja, nej eller avstår.")
    if errors:
        raise ValidationError(errors)
    q = meeting_quorum(meeting)[paragraph.pk]
    allowed = {p.pk for p in q.present} | {p.pk for p in q.uncertain}
    strangers = set(by_id) - allowed
    if strangers:
        names = ", ".join(str(p) for p in Person.objects.filter(pk__in=strangers))
        raise ValidationError(
            {"ballots": _("Bara beslutande som deltar i paragrafen kan rösta (inte: %(n)s).") % {"n": names}}
        )
    chair = meeting.attendances.filter(function=Attendance.Function.CHAIR).first()
    outcome = vote_outcome(
        kind=kind, ballots=by_id, chair_id=chair.person_id if chair else None,
        casting_vote=casting_vote, lot_result=lot_result,
    )
    position = (paragraph.votes.aggregate(m=Max("position"))["m"] or 0) + 1
    vote = Vote(
        paragraph=paragraph, position=position, kind=kind, question=clean_text(question),
        casting_vote=casting_vote if outcome.decided_by == Vote.DecidedBy.CASTING else "",
        lot_result=lot_result if outcome.decided_by == Vote.DecidedBy.LOT else "",
        result=outcome.result, decided_by=outcome.decided_by,
        yes_count=outcome.yes, no_count=outcome.no, abstain_count=outcome.abstain,
    )
    if outcome.decided_by == Vote.DecidedBy.CASTING and not casting_vote:
        vote.casting_vote = outcome.result
    save_with_actor(vote, actor)
    save_with_actor(VoteProposal(vote=vote, answer=Vote.Answer.YES, text=clean_text(yes_text), proposer=yes_proposer), actor)
    save_with_actor(VoteProposal(vote=vote, answer=Vote.Answer.NO, text=clean_text(no_text), proposer=no_proposer), actor)
    for person_id, choice in by_id.items():
        save_with_actor(VoteBallot(vote=vote, person_id=person_id, choice=choice), actor)
    event_record(
        verb="minutes.vote", actor=actor, organisation=meeting.organ.organisation, target=vote,
        summary=f"Omröstning {paragraph.label}: {outcome.yes} ja, {outcome.no} nej, {outcome.abstain} avstår",
    )
    send_edited(meeting, actor, "vote.recorded")
    return vote


@transaction.atomic
def vote_delete(*, vote: Vote, actor: Any) -> None:
    meeting = Meeting.objects.get(paragraphs__votes=vote)
    require_editable(meeting)
    delete_row(vote, actor)
    send_edited(meeting, actor, "vote.deleted")
