"""The outgoing e-mail: one row per message and recipient, sent by board.mail after commit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import Organisation


class OutgoingMail(models.Model):
    """One e-mail to one recipient, written in the transaction of the act that sends it.

    The row is the record that the mail is owed and, once sent, that it was (board/mail.py):
    the worker claims it, sends it over SMTP, and marks it skickad; a failing server is tried
    again with a growing pause until MAIL_MAX_ATTEMPTS, then the row says misslyckades and why.
    """

    class Kind(models.TextChoices):
        KALLELSE = "kallelse", _("Kallelse")
        JUSTERING_SENT = "justering.sent", _("Protokoll att justera")
        JUSTERING_VOIDED = "justering.voided", _("Underskrift gäller inte längre")
        JUSTERING_COMMENT = "justering.comment", _("Kommentar till protokollet")
        JUSTERING_DECLINED = "justering.declined", _("Justeringen avböjd")
        JUSTERING_REMINDER = "justering.reminder", _("Påminnelse om justering")
        JUSTERING_EXTRACT = "justering.extract", _("Protokollsutdrag")
        ACCESSIBILITY = "tillganglighet", _("Synpunkt på tillgänglighet")
        SUBSCRIPTION_CONFIRM = "prenumeration.bekraftelse", _("Bekräfta prenumeration")
        SUBSCRIPTION_NOTICE = "prenumeration.anslag", _("Nytt anslag (prenumeration)")
        SUBSCRIPTION_MEETING = "prenumeration.kungorelse", _("Kungörelse (prenumeration)")

    class Status(models.TextChoices):
        QUEUED = "vantar", _("väntar")
        SENT = "skickad", _("skickad")
        FAILED = "misslyckad", _("misslyckades")

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("samordningsförbund"),
    )
    meeting = models.ForeignKey(
        "minutes.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sammanträde"),
    )
    kind = models.CharField(_("slag"), max_length=40, choices=Kind.choices)
    recipient = models.EmailField(_("mottagare"))
    recipient_name = models.CharField(_("mottagarens namn"), max_length=200, blank=True)
    subject = models.TextField(_("ämne"))
    body = models.TextField(_("text"))
    # Django's (filename, content, mimetype) as {"filename", "mimetype", "content" (base64)},
    # or {"document": id} for an issued PDF (board.documents), read when the mail is sent.
    attachments = models.JSONField(_("bilagor"), default=list, blank=True)
    # Extra headers of the message, {name: value}: List-Unsubscribe and List-Unsubscribe-Post
    # (RFC 8058) on the mail to the public's subscriptions.
    headers = models.JSONField(_("rubrikfält"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("resultat"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    queued_at = models.DateTimeField(_("köad"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    # The attempt (Celery task id) sending it now, and until when a message is expected to
    # have taken the row or finished with it; past that, the sweep sends it again.
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("skickad e-post")
        verbose_name_plural = _("skickad e-post")
        ordering = ["-queued_at", "-pk"]
        indexes = [
            models.Index(
                fields=["lease_until"], condition=Q(status="vantar"), name="outgoing_mail_waiting"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="skickad") | Q(sent_at__isnull=False),
                name="outgoing_mail_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} till {self.recipient} ({self.get_status_display()})"
