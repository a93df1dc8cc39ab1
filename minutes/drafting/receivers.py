"""What the drafting wing does when something below it changes: a new association gets the
standard text modules (services.text_modules_create_defaults)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from board.models import Organisation

from .services.text_modules import text_modules_create_defaults


@receiver(post_save, sender=Organisation, dispatch_uid="text_modules_for_new_association")
def text_modules_for_new_association(sender: Any, instance: Organisation, created: bool, raw: bool = False,
                                     **kwargs: Any) -> None:
    if created and not raw:
        text_modules_create_defaults(organisation=instance, actor=None)
