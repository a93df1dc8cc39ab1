"""Omröstningar in a paragraph: the proposals put against each other and each member's vote."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .paragraphs import Paragraph


class Vote(models.Model):
    """An omröstning in a paragraph: a yes-proposal against a no-proposal.

    On a tie the chair's casting vote decides, except in elections and personnel matters where
    lot decides (finsam.se, styrelsearbetet).
    """

    class Kind(models.TextChoices):
        ORDINARY = "ordinarie", _("Sakfråga")
        ELECTION = "val", _("Val")
        PERSONNEL = "personal", _("Personalärende")

    class Answer(models.TextChoices):
        YES = "ja", _("Ja")
        NO = "nej", _("Nej")

    class DecidedBy(models.TextChoices):
        MAJORITY = "majoritet", _("Majoritet")
        CASTING = "utslagsrost", _("Ordförandens utslagsröst")
        LOT = "lottning", _("Lottning")

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="votes")
    position = models.PositiveIntegerField(_("ordning"), default=1)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices, default=Kind.ORDINARY)
    question = models.CharField(_("propositionsordning"), max_length=500, blank=True)
    casting_vote = models.CharField(
        _("ordförandens utslagsröst"), max_length=3, choices=Answer.choices, blank=True
    )
    lot_result = models.CharField(_("lottens utfall"), max_length=3, choices=Answer.choices, blank=True)
    result = models.CharField(_("resultat"), max_length=3, choices=Answer.choices, blank=True)
    decided_by = models.CharField(_("avgjort genom"), max_length=12, choices=DecidedBy.choices, blank=True)
    yes_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    abstain_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("omröstning")
        verbose_name_plural = _("omröstningar")
        ordering = ["paragraph", "position"]

    def __str__(self) -> str:
        return f"Omröstning i {self.paragraph.label}"


class VoteProposal(models.Model):
    """A proposal in a vote: the one you vote "ja" for, and the one you vote "nej" for."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="proposals")
    answer = models.CharField(_("röstas med"), max_length=3, choices=Vote.Answer.choices)
    text = models.TextField(_("förslag"))
    proposer = models.ForeignKey(
        "board.Person", verbose_name=_("förslagsställare"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förslag")
        verbose_name_plural = _("förslag")
        ordering = ["vote", "answer"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "answer"], name="voteproposal_unique_answer"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class VoteBallot(models.Model):
    """One member's vote: ja, nej or avstår."""

    class Choice(models.TextChoices):
        YES = "ja", _("Ja")
        NO = "nej", _("Nej")
        ABSTAIN = "avstar", _("Avstår")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("röst"), max_length=6, choices=Choice.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        ordering = ["vote", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "person"], name="voteballot_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"
