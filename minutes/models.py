"""Meetings and their minutes: agenda, handlingar, attendance, numbered paragraphs, decisions.

The data model follows the seeds (000, 001, 004): a meeting of an organ has attendance with
partial presence, paragraphs numbered continuously per organ and calendar year (with the
association's prefix, "NVSam § 54"), and each paragraph has its decision clauses, votes,
reservations, notes and jäv. Other apps link to `Paragraph` (finance, interventions) and the
justering builds on `Meeting.status` and `MinutesAdjuster`.

Rules that must hold even if a service is bypassed live in the database: one number per
organ and year (deferrable, so a renumbering inside one transaction may pass through
duplicates), one position per meeting, one attendance row per person and meeting.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Deferrable, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    """A sammanträde of an organ (board, interim board, group)."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinarie", _("Ordinarie sammanträde")
        EXTRA = "extra", _("Extra sammanträde")

    class Status(models.TextChoices):
        PLANNED = "planerat", _("Planerat")
        CALLED = "kallat", _("Kallat")
        HELD = "genomfort", _("Genomfört")
        DRAFTING = "protokoll_under_arbete", _("Protokoll under arbete")
        JUSTERING = "under_justering", _("Under justering")
        SIGNED = "justerat", _("Justerat")

    # Statuses in which the minutes may still change. Under justering an edit is allowed
    # but voids the signatures (the justering app listens to `minutes_edited`).
    EDITABLE_STATUSES = frozenset(
        {Status.PLANNED, Status.CALLED, Status.HELD, Status.DRAFTING, Status.JUSTERING}
    )

    organ = models.ForeignKey(
        "board.Organ", verbose_name=_("organ"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    is_remote = models.BooleanField(_("digitalt via Teams"), default=False)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.ORDINARY)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    kallelse_message = models.TextField(_("meddelande i kallelsen"), blank=True)
    kallelse_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    minutes_started_at = models.DateTimeField(_("protokoll påbörjat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["organ", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="meeting_end_after_start",
                violation_error_message=_("Sluttiden kan inte vara före starttiden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:editor", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def place_display(self) -> str:
        if self.is_remote and self.place:
            return f"{self.place} och digitalt via Teams"
        if self.is_remote:
            return "Digitalt via Teams"
        return self.place


class ParagraphYear(models.Model):
    """The numbering series of an organ in a calendar year, and its lock.

    `first_number` is the number the first paragraph of the year in this system gets, so that
    meetings held before the system was taken into use (§§ 1–24 of 2023) keep their place.
    Adding or moving paragraphs locks this row (SELECT ... FOR UPDATE), which serialises
    numbering per organ and year without locking anything else.
    """

    organ = models.ForeignKey(
        "board.Organ", verbose_name=_("organ"), on_delete=models.CASCADE, related_name="paragraph_years"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    first_number = models.PositiveIntegerField(
        _("första paragrafnummer"),
        default=1,
        help_text=_("Numret på årets första paragraf i systemet (om tidigare paragrafer finns utanför systemet)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragrafserie")
        verbose_name_plural = _("paragrafserier")
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="paragraphyear_unique"),
            models.CheckConstraint(condition=Q(first_number__gte=1), name="paragraphyear_first_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.year} (från § {self.first_number})"


class AgendaItem(models.Model):
    """A point of the föredragningslista in the kallelse."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("rubrik"), max_length=300)
    dnr = models.CharField(_("diarienummer"), max_length=60, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    proposed_decision = models.TextField(_("förslag till beslut"), blank=True)
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("punkter på dagordningen")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agendaitem_unique_position",
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def document_upload_to(instance: AgendaDocument, filename: str) -> str:
    # The stored name is not the user's: it cannot collide or carry path tricks.
    return f"handlingar/{instance.meeting_id}/{dt.date.today():%Y%m%d}-{filename}"


class AgendaDocument(models.Model):
    """A handling: a document for an agenda item or a paragraph.

    The file is checked by its content in the service (PDF, DOCX, XLSX, ODT). A handling may
    be listed by title only (a paper document, or one kept elsewhere), as in the seeds.
    """

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        ODT = "odt", "OpenDocument (ODT)"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    paragraph = models.ForeignKey(
        "Paragraph", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("titel"), max_length=300)
    file = models.FileField(_("fil"), upload_to=document_upload_to, blank=True, max_length=300)
    file_type = models.CharField(_("filtyp"), max_length=10, choices=FileType.choices, blank=True)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def paragraph_label(prefix: str, number: int) -> str:
    """ "NVSam § 54" or "§ 25"."""
    return f"{prefix} § {number}".strip()


class Paragraph(models.Model):
    """A numbered § of the minutes.

    `organ` and `year` repeat the meeting's so the database itself can keep the number unique
    per organ and year. `prefix` is a snapshot of the association's prefix when the paragraph
    was created (an association may change or lose its prefix later; the minutes may not).
    `version` is bumped on every save through the service; a save that brings an older version
    is refused (optimistic locking in the editor).
    """

    class Kind(models.TextChoices):
        ORDINARY = "", _("Ärende")
        ADJUSTERS = "val_av_justerare", _("Val av justerare")
        AGENDA = "dagordning", _("Godkännande av dagordning")
        PREVIOUS = "foregaende_protokoll", _("Föregående protokoll")
        OTHER = "ovriga_fragor", _("Övriga frågor")
        CLOSING = "avslutande", _("Mötets avslutande")

    class StockDecision(models.TextChoices):
        NONE = "", _("Inget standardbeslut")
        NOTED = "noterar", _("Styrelsen noterar informationen.")
        NO_DECISION = "inget_beslut", _("Ärendet föranleder inget beslut.")
        FILED = "till_handlingarna", _("Att godkänna informationen och lägga den till handlingarna.")
        AGENDA_APPROVED = "dagordning", _("Föreslagen dagordning fastställs.")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paragraphs")
    organ = models.ForeignKey("board.Organ", on_delete=models.PROTECT, related_name="paragraphs")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("nummer"))
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    position = models.PositiveIntegerField(_("ordning"))
    kind = models.CharField(_("slag"), max_length=30, choices=Kind.choices, blank=True, default="")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="paragraphs"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    dnr = models.CharField(_("diarienummer"), max_length=60, blank=True)
    handled_at = models.TimeField(
        _("behandlades kl"),
        null=True,
        blank=True,
        help_text=_("Behövs för beslutförheten när någon var närvarande bara en del av tiden."),
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    stock_decision = models.CharField(
        _("standardbeslut"), max_length=30, choices=StockDecision.choices, blank=True, default=""
    )
    is_confidential = models.BooleanField(_("sekretess"), default=False)
    osl_reference = models.CharField(
        _("sekretess enligt OSL"), max_length=100, blank=True, help_text=_("T.ex. 21 kap. 1 § OSL.")
    )
    immediate_justering = models.BooleanField(_("omedelbar justering (OJ)"), default=False)
    exp_till = models.CharField(_("Exp. till"), max_length=500, blank=True)
    kopia_till = models.CharField(_("Kopia till"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "number"],
                name="paragraph_unique_number",
                deferrable=Deferrable.DEFERRED,
                violation_error_message=_("Paragrafnumret används redan i år."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="paragraph_unique_position",
                deferrable=Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="paragraph_number_positive"),
            models.CheckConstraint(
                condition=Q(is_confidential=False) | ~Q(osl_reference=""),
                name="paragraph_confidential_needs_osl",
                violation_error_message=_("Ange sekretessbestämmelse (OSL) för en paragraf med sekretess."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:editor", args=[self.meeting_id]) + f"#p{self.pk}"

    @property
    def label(self) -> str:
        return paragraph_label(self.prefix, self.number)

    @property
    def decision_lines(self) -> list[str]:
        """The "Att …" clauses, or the stock decision; uses prefetched clauses when there are."""
        clauses = [c.text for c in self.clauses.all()]
        if clauses:
            return clauses
        return [self.get_stock_decision_display()] if self.stock_decision else []


class DecisionClause(models.Model):
    """One "Att …" clause of a paragraph's decision."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField(_("ordning"))
    text = models.TextField(_("beslutssats"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslutssats")
        verbose_name_plural = _("beslutssatser")
        ordering = ["paragraph", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "position"],
                name="clause_unique_position",
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Attendance(models.Model):
    """One person's presence at a meeting.

    Partial presence is either a time ("fr o m kl 09.50") or a paragraph range ("§§ 20–21");
    both may be given. `replacing` is the ledamot a tjänstgörande ersättare stands in for.
    """

    class Role(models.TextChoices):
        MEMBER = "beslutande", _("Beslutande (ledamot)")
        SERVING_SUBSTITUTE = "tjanstgorande_ersattare", _("Tjänstgörande ersättare")
        SUBSTITUTE = "narvarande_ersattare", _("Närvarande ersättare")
        OTHER = "ovrig", _("Övrig deltagare")
        ABSENT = "franvarande", _("Frånvarande")

    class Function(models.TextChoices):
        NONE = "", _("—")
        CHAIR = "ordforande", _("Ordförande")
        VICE_CHAIR = "vice_ordforande", _("Vice ordförande")
        SECRETARY = "sekreterare", _("Sekreterare")

    VOTING_ROLES = frozenset({Role.MEMBER, Role.SERVING_SUBSTITUTE})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="attendances")
    appointment = models.ForeignKey(
        "board.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("närvaro"), max_length=30, choices=Role.choices)
    function = models.CharField(
        _("funktion vid mötet"), max_length=20, choices=Function.choices, blank=True, default=""
    )
    replacing = models.ForeignKey(
        "board.Person",
        verbose_name=_("tjänstgör för"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role_text = models.CharField(
        _("roll"), max_length=200, blank=True, help_text=_("T.ex. förbundschef, mötessekreterare.")
    )
    affiliation = models.CharField(_("företräder"), max_length=200, blank=True)
    party = models.CharField(_("parti"), max_length=20, blank=True)
    is_remote = models.BooleanField(_("via Teams"), default=False)
    present_from = models.TimeField(_("närvarande fr o m kl"), null=True, blank=True)
    present_until = models.TimeField(_("närvarande t o m kl"), null=True, blank=True)
    from_paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("närvarande fr o m §"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    until_paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("närvarande t o m §"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(function="ordforande"),
                name="attendance_one_chair",
                violation_error_message=_("Mötet har redan en ordförande."),
            ),
            models.CheckConstraint(
                condition=Q(replacing__isnull=True) | Q(role="tjanstgorande_ersattare"),
                name="attendance_replacing_only_serving",
                violation_error_message=_("Bara en tjänstgörande ersättare ersätter någon."),
            ),
            models.CheckConstraint(
                condition=Q(present_from__isnull=True)
                | Q(present_until__isnull=True)
                | Q(present_until__gte=models.F("present_from")),
                name="attendance_times_order",
                violation_error_message=_("Tiden t o m kan inte vara före tiden fr o m."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def is_partial(self) -> bool:
        return bool(
            self.present_from or self.present_until or self.from_paragraph_id or self.until_paragraph_id
        )


class MinutesAdjuster(models.Model):
    """A justerare chosen in "val av justerare": who signs the minutes with the chair."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjusters")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("ordning"), default=1)
    chosen_in = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.SET_NULL, related_name="adjusters_chosen"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="adjuster_unique_person"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Recusal(models.Model):
    """Jäv: the person takes no part in the paragraph (and the minutes say so)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        ordering = ["paragraph", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "person"], name="recusal_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} deltar inte i {self.paragraph.label}"


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


class Reservation(models.Model):
    """A reservation (dissent) against the decision, with its written motivation."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="reservations")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    motivation = models.TextField(_("motivering"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")
        ordering = ["paragraph", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "person"], name="reservation_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} reserverar sig"


class ProtocolNote(models.Model):
    """A protokollsanteckning, by a member or without a named author."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(
        "board.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("anteckning"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protokollsanteckning")
        verbose_name_plural = _("protokollsanteckningar")
        ordering = ["paragraph", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


from .justering_models import *  # noqa: E402,F401,F403
from .notice_models import *  # noqa: E402,F401,F403
from .public_models import *  # noqa: E402,F401,F403
