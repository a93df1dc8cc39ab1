"""Every change is attributable: the acting user on a row's history, and an explicit event
(AuditEvent) where the act itself matters. Every app's services use these three.

The ground floor: it imports only board.models, so any module of any app may import it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from board.models import AuditEvent, Organisation


def acting_user(actor: Any) -> Any:
    """The user behind `actor`, for a row's author and history; None for the system (a task,
    a command, the demo loader) and an anonymous request."""
    return actor if getattr(actor, "is_authenticated", False) else None


def save_with_actor(instance: models.Model, actor: Any, **kwargs: Any) -> None:
    """Validate and save, recording the acting user in the row's history."""
    if acting_user(actor) is not None:
        instance._history_user = actor  # type: ignore[attr-defined]
    _refuse_null(instance)
    instance.full_clean()
    instance.save(**kwargs)


def _refuse_null(instance: models.Model) -> None:
    """A None in a NOT NULL column, or a NUL character in text, is a ValidationError (422, a
    form error), not an IntegrityError or DataError (500).

    full_clean() lets None through a field with blank=True (it skips "empty" values there), so
    `{"dnr": null}` reached the database and answered 500.
    """
    errors = {
        field.name: _("Värdet får inte vara null: utelämna fältet eller ange ett värde.")
        for field in instance._meta.concrete_fields
        if field.blank and not field.null and field.editable and not field.primary_key
        and getattr(instance, field.attname) is None
    }
    # PostgreSQL text cannot hold a NUL character; psycopg refused it with a DataError (500).
    # Forms refuse it already (ProhibitNullCharactersValidator); the API reached this far.
    errors.update({
        field.name: _("Texten innehåller ett NUL-tecken (\\u0000), som inte kan sparas.")
        for field in instance._meta.concrete_fields
        if isinstance(getattr(instance, field.attname), str) and "\x00" in getattr(instance, field.attname)
    })
    if errors:
        raise ValidationError(errors)


def event_record(
    *,
    verb: str,
    actor: Any = None,
    organisation: Organisation | None = None,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        verb=verb,
        actor=acting_user(actor),
        organisation=organisation,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data or {},
        ip_address=ip_address,
    )
