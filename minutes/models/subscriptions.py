"""The public's e-mail subscriptions to the notice board, and the record of each notice's mailing.

A `Subscription` is an address that asked for new notices (anslag) and/or kungörelser of coming
meetings, of one association or of all (organisation empty). It holds nothing but what sending
needs: the address, the choice, a secret token for the links in the mail (confirm, unsubscribe),
when it was asked for and when it was confirmed. Not in the history (simple-history would keep
the address after it is deleted): unsubscribing deletes the row and nothing of it stays; an
unconfirmed row is deleted when its confirmation time has run out.

A `NoticeMailing` is the record that a notice is owed to the subscribers (written in the
transaction that posts the notice) and how far its batches have got: one per notice, so a
notice is mailed once, however often its tasks run.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    email = models.EmailField(_("e-postadress"))
    # Empty: every association.
    organisation = models.ForeignKey(
        "board.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("samordningsförbund"),
    )
    notices = models.BooleanField(_("nya anslag"), default=True)
    meetings = models.BooleanField(_("kungörelser av sammanträden"), default=False)
    # In the confirm and unsubscribe links: whoever has it may confirm or end this subscription.
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        ordering = ["email", "pk"]
        constraints = [
            # One subscription per address and association (or "all"): asking again changes it.
            models.UniqueConstraint(
                fields=["email", "organisation"], nulls_distinct=False, name="subscription_one_per_scope",
            ),
            models.CheckConstraint(condition=Q(notices=True) | Q(meetings=True), name="subscription_wants_something"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="subscription_email_lower"),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(confirmed_at__isnull=True), name="subscription_unconfirmed"),
        ]

    def __str__(self) -> str:
        return f"Prenumeration {self.pk}"  # not the address: it shows in logs and the admin's titles

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class NoticeMailing(models.Model):
    """A notice owed to the subscribers; its batches move `cursor` through their addresses."""

    class Status(models.TextChoices):
        PENDING = "vantar", _("väntar")
        DONE = "klar", _("klar")
        SKIPPED = "hoppad", _("inte skickad")

    notice = models.OneToOneField(
        "minutes.Notice", on_delete=models.CASCADE, related_name="mailing", verbose_name=_("anslag"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    # The last address mailed (the batches go through the addresses in order); "" before the first.
    cursor = models.CharField(max_length=254, blank=True)
    mailed = models.PositiveIntegerField(_("skickade"), default=0)
    batches = models.PositiveIntegerField(_("omgångar"), default=0)
    created_at = models.DateTimeField(_("köad"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # Until when a message for the next batch is expected to have run; past it (or empty: no
    # message was sent, the notice was not up yet) the sweep sends one for the current cursor.
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("utskick av anslag")
        verbose_name_plural = _("utskick av anslag")
        indexes = [
            models.Index(fields=["lease_until"], condition=Q(status="vantar"), name="notice_mailing_pending"),
        ]

    def __str__(self) -> str:
        return f"Utskick av anslag {self.notice_id} ({self.get_status_display()})"
