"""Everything that changes the registry. Views, the API and commands call these."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from board.models import (
    AccessibilityFeedback,
    Appointment,
    MemberOrganisation,
    Organ,
    Organisation,
    OutgoingMail,
    Person,
    StaffRole,
)

from . import identity, selectors
from .audit import event_record, save_with_actor
from .mail import mail_queue
from .people import display_name


def _check_period(start: dt.date, end: dt.date | None) -> None:
    # The database refuses it too (CheckConstraint); here it gets a field and a Swedish reason.
    if end is not None and end <= start:
        raise ValidationError({"end": _("Slutdatum måste vara efter startdatum.")})


@transaction.atomic
def person_create(
    *, first_name: str, last_name: str, email: str = "", phone: str = "", actor: Any
) -> Person:
    person = Person(first_name=first_name, last_name=last_name, email=email, phone=phone)
    save_with_actor(person, actor)
    return person


@transaction.atomic
def person_identity_number_set(*, person: Person, identity_number: str, organisation: Organisation, actor: Any) -> Person:
    """Set (or, with "", remove) the personnummer that e-ID signatures are matched against.

    The number is validated and kept as twelve digits; another person's number is refused. It is
    not kept in the person's history: the audit event says that it changed and who changed it,
    never the number."""
    number = identity.normalise(identity_number)
    if number and Person.objects.filter(personal_identity_number=number).exclude(pk=person.pk).exists():
        raise ValidationError({"identity_number": _("En annan person har redan det personnumret.")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if number == person.personal_identity_number:
        return person
    person.personal_identity_number = number
    person.save(update_fields=["personal_identity_number"])
    event_record(
        verb="person.identity_number", actor=actor, organisation=organisation, target=person,
        summary=f"Personnummer för e-legitimation {'ändrat' if number else 'borttaget'} för {person.full_name}",
    )
    return person


@transaction.atomic
def appointment_add(
    *,
    organ: Organ,
    person: Person,
    seat: str,
    start: dt.date,
    appointed_by: MemberOrganisation | None = None,
    end: dt.date | None = None,
    role: str = "",
    substitute_for: Appointment | None = None,
    call_order: int | None = None,
    actor: Any,
) -> Appointment:
    """Add a seat. Composition gaps are warnings on the board page, not errors here."""
    _check_period(start, end)
    if role and seat != Appointment.Seat.MEMBER:
        raise ValidationError({"role": _("Bara en ledamot kan vara ordförande eller vice ordförande.")})
    if appointed_by is not None and not organ.organisation.memberships.filter(member=appointed_by).exists():
        raise ValidationError(
            {"appointed_by": _("%(member)s är inte medlem i förbundet.") % {"member": appointed_by}}
        )
    if substitute_for is not None:
        if substitute_for.organ_id != organ.pk:
            raise ValidationError({"substitute_for": _("Ledamoten sitter i ett annat organ.")})
        if substitute_for.seat != Appointment.Seat.MEMBER:
            raise ValidationError({"substitute_for": _("En ersättare paras med en ledamot.")})
        if seat != Appointment.Seat.SUBSTITUTE:
            raise ValidationError({"substitute_for": _("Bara en ersättare kan vara ersättare för någon.")})
    appointment = Appointment(
        organ=organ,
        person=person,
        seat=seat,
        appointed_by=appointed_by,
        start=start,
        end=end,
        role=role,
        substitute_for=substitute_for,
        call_order=call_order,
    )
    save_with_actor(appointment, actor)
    event_record(
        verb="appointment.added",
        actor=actor,
        organisation=organ.organisation,
        target=appointment,
        summary=str(appointment),
    )
    return appointment


@transaction.atomic
def appointment_end(*, appointment: Appointment, end: dt.date, actor: Any) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _check_period(appointment.start, end)
    appointment.end = end
    save_with_actor(appointment, actor)
    event_record(
        verb="appointment.ended",
        actor=actor,
        organisation=appointment.organ.organisation,
        target=appointment,
        summary=f"{appointment} t.o.m. {end:%Y-%m-%d}",
    )
    return appointment


@transaction.atomic
def staff_role_add(
    *,
    organisation: Organisation,
    person: Person,
    role: str,
    start: dt.date,
    end: dt.date | None = None,
    actor: Any,
) -> StaffRole:
    _check_period(start, end)
    staff_role = StaffRole(organisation=organisation, person=person, role=role, start=start, end=end)
    save_with_actor(staff_role, actor)
    event_record(
        verb="staff_role.added",
        actor=actor,
        organisation=organisation,
        target=staff_role,
        summary=str(staff_role),
    )
    return staff_role


@transaction.atomic
def staff_role_end(*, staff_role: StaffRole, end: dt.date, actor: Any) -> StaffRole:
    staff_role = StaffRole.objects.select_for_update().get(pk=staff_role.pk)
    _check_period(staff_role.start, end)
    staff_role.end = end
    save_with_actor(staff_role, actor)
    event_record(
        verb="staff_role.ended",
        actor=actor,
        organisation=staff_role.organisation,
        target=staff_role,
        summary=f"{staff_role} t.o.m. {end:%Y-%m-%d}",
    )
    return staff_role


# --- Two-factor codes for signing (TOTP, django-otp) ---------------------------------------
# A user adds an authenticator app themselves: the app is created unconfirmed, the page shows
# its key, and it counts (signing asks for its code) once a code from it has been given. Taking
# it away needs the password and a code from the app, so a stolen password alone cannot swap
# the app for the thief's. A lost phone is for an administrator (the admin's OTP devices).

TOTP_DEVICE_NAME = "Autentiseringsapp"


def totp_refusal(devices: list[TOTPDevice], code: str) -> str | None:
    """Why `code` is accepted by none of `devices` (the user's apps), None when one accepts it.

    Call it outside a transaction that may roll back: django-otp counts a wrong code in the
    device's row and makes the next attempt wait (1, 2, 4 ... seconds), which is what stops
    guessing; a rollback would forget the count."""
    code = re.sub(r"\s", "", code or "")
    if not code:
        return _("Ange koden som autentiseringsappen visar.")
    refusals = []
    for device in devices:
        if not device.verify_is_allowed()[0]:
            refusals.append(_("För många felaktiga koder i rad. Vänta en stund och försök igen."))
        elif device.verify_token(code):
            return None
        else:
            refusals.append(_("Fel eller för gammal kod. Kontrollera att telefonens klocka går rätt."))
    return refusals[0] if refusals else _("Du har ingen autentiseringsapp.")


# --- The password (and code) asked again: counted and throttled like the login --------------
# Signing and taking the authenticator app away ask for the password again, and for a code.
# A wrong one is a failed login to django-axes (per user name and address, as the login
# counts them; AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME), so a stolen session or API key cannot
# guess the password at the speed of requests, and failures at the login and here add up.
# Once locked, the credentials are not even looked at until the cool-off has run out; a
# success resets the count as a login does (AXES_RESET_ON_SUCCESS). Call it outside a
# transaction that may roll back: the count must survive the refused request.


class TooManyAttempts(ValidationError):
    """Refused without looking at the credentials: too many wrong ones from this user and address."""

    def __init__(self, request: HttpRequest) -> None:
        cool_off = get_cool_off(request)
        self.retry_after: int | None = int(cool_off.total_seconds()) if cool_off else None
        if self.retry_after is None:  # AXES_COOLOFF_TIME = None: locked until an administrator lifts it
            wait = _("tills en administratör häver spärren")
        else:
            wait = _("i %(minutes)s minuter från det senaste felaktiga försöket") % {
                "minutes": max(1, self.retry_after // 60)}
        super().__init__(_(
            "För många felaktiga försök med lösenord eller kod. Av säkerhetsskäl är det spärrat %(wait)s. "
            "Kontakta förbundets kansli om du behöver hjälp."
        ) % {"wait": wait})


def credentials_check(
    *,
    user: Any,
    request: HttpRequest,
    password: str,
    devices: list[TOTPDevice] | None = None,
    code: str = "",
    code_field: str = "code",
    purpose: str,
) -> None:
    """The user's password, and a code from one of `devices` when given; ValidationError
    (TooManyAttempts when locked out) if refused.

    `purpose` names the act in the audit trail ("justering", "tvåfaktor"). The code is only
    looked at when the password is right, so a wrong password tells nothing about the code."""
    username = user.get_username()
    credentials = get_credentials(username)
    if not AxesProxyHandler.is_allowed(request, credentials):
        raise TooManyAttempts(request)
    errors: dict[str, str] = {}
    if not password or not user.check_password(password):
        errors["password"] = _("Fel lösenord.")
    elif devices is not None:
        refusal = totp_refusal(devices, code)
        if refusal:
            errors[code_field] = refusal
    if not errors:
        if settings.AXES_RESET_ON_SUCCESS:
            AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=username)  # type: ignore[attr-defined]
        return
    AxesProxyHandler.user_login_failed(sender=credentials_check, credentials=credentials, request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    # axes marks the request so that its middleware answers with the login's lockout page;
    # this check answers itself (a message on its page, 429 from the API).
    request.axes_locked_out = False  # type: ignore[attr-defined]
    event_record(
        verb="auth.credentials_failed", actor=user, summary=f"{username}: {purpose}",
        data={"purpose": purpose, "fields": sorted(errors), "locked": locked},
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    if locked:
        raise TooManyAttempts(request)
    raise ValidationError(errors)


def totp_setup_start(*, user: Any) -> TOTPDevice:
    """A new, unconfirmed app for `user` (an unfinished one is replaced); refused while the
    user has a confirmed one."""
    with transaction.atomic():
        if selectors.totp_devices(user):
            raise ValidationError(_("Du har redan en autentiseringsapp. Ta bort den först om du vill byta."))
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_setup_confirm(*, user: Any, code: str) -> TOTPDevice:
    """Confirm the unfinished app with a code from it; from now on signing asks for one."""
    device = selectors.totp_pending(user)
    if device is None:
        raise ValidationError(_("Ingen autentiseringsapp håller på att läggas upp. Börja om."))
    refusal = totp_refusal([device], code)
    if refusal:
        raise ValidationError({"code": refusal})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        event_record(verb="account.totp_added", actor=user, target=user,
                     summary=f"{display_name(user)} lade upp en autentiseringsapp")
    return device


def totp_remove(*, user: Any, password: str, code: str, request: HttpRequest) -> None:
    """Take the user's app away: password and a code from the app (credentials_check)."""
    devices = selectors.totp_devices(user)
    if not devices:
        raise ValidationError(_("Du har ingen autentiseringsapp."))
    credentials_check(user=user, request=request, password=password, devices=devices, code=code,
                      purpose="tvåfaktor")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        event_record(verb="account.totp_removed", actor=user, target=user,
                     summary=f"{display_name(user)} tog bort sin autentiseringsapp")


# --- The personnummer an e-ID identification gave ------------------------------------------


@transaction.atomic
def person_identity_number_confirm(*, person: Person, identity_number: str, actor: Any) -> Person:
    """Keep the personnummer a Swedish e-ID gave for `person` (the user confirmed it is theirs).

    Refused, in Swedish and with nothing saved, when the person already has another number
    (only an administrator changes it) or another person has this one."""
    number = identity.normalise(identity_number)
    if not number:
        raise ValidationError(_("E-legitimationen gav inget personnummer."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.personal_identity_number == number:
        return person
    if person.personal_identity_number:
        raise ValidationError(_(
            "Förbundet har redan ett annat personnummer för dig. E-legitimationen tillhör någon annan; "
            "ingenting har sparats. Kontakta sekreteraren om personnumret är fel."
        ))
    if Person.objects.filter(personal_identity_number=number).exclude(pk=person.pk).exists():
        raise ValidationError(_(
            "Personnumret hör redan till en annan person hos förbundet. Ingenting har sparats. "
            "Kontakta sekreteraren."
        ))
    person.personal_identity_number = number
    save_with_actor(person, actor)
    event_record(verb="person.identified", actor=actor, target=person,
                 summary=f"{person} identifierade sig med e-legitimation ({identity.mask(number)})")
    return person


# --- the public side: web publication settings and accessibility feedback -------------------

WEB_SETTINGS_FIELDS = ("contact_email", "minutes_indexing", "minutes_retention_months", "notice_retention_months")


@transaction.atomic
def organisation_web_settings_set(*, organisation: Organisation, actor: Any, **values: Any) -> Organisation:
    """What the association publishes of itself on the web: the registrator's address, how
    long search engines may index its minutes, and how long minutes and taken-down notices stay
    on the public pages (README, "Personal data on the public side")."""
    unknown = set(values) - set(WEB_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Okända inställningar: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for name, value in values.items():
        setattr(organisation, name, value)
    save_with_actor(organisation, actor)
    event_record(verb="organisation.web_settings", actor=actor, organisation=organisation, target=organisation,
                 summary="Inställningar för webbpublicering ändrade",
                 data={name: getattr(organisation, name) for name in values})
    return organisation


@transaction.atomic
def accessibility_feedback_submit(
    *, organisation: Organisation, kind: str, message: str, page: str = "", email: str = ""
) -> AccessibilityFeedback:
    """Feedback from the accessibility statement's form (lag (2018:1937) 10 §), written by
    anyone: kept for the association's secretary to answer, and mailed to the association's
    registrator address (after the commit, board/mail.py) when it has one."""
    feedback = AccessibilityFeedback(organisation=organisation, kind=kind, message=message.strip(),
                                     page=page.strip(), email=email.strip())
    feedback.full_clean()
    feedback.save()
    if organisation.contact_email:
        lines = [
            f"{feedback.get_kind_display()} via tillgänglighetsredogörelsen på webbplatsen.",
            "",
            f"Sida eller dokument: {feedback.page or '(inte angivet)'}",
            f"Svar till: {feedback.email or '(ingen adress angiven)'}",
            "",
            feedback.message,
            "",
            "Markera som besvarad i Samordna under förbundets synpunkter på tillgänglighet.",
        ]
        mail_queue(to=organisation.contact_email, subject=f"Tillgänglighet: {feedback.get_kind_display()}",
                   body="\n".join(lines), kind=OutgoingMail.Kind.ACCESSIBILITY, organisation=organisation)
    return feedback


@transaction.atomic
def accessibility_feedback_answer(*, feedback: AccessibilityFeedback, actor: Any) -> AccessibilityFeedback:
    """Mark the feedback as answered (once; answering again changes nothing)."""
    feedback = AccessibilityFeedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.answered_at is None:
        feedback.answered_at = timezone.now()
        feedback.answered_by = actor if getattr(actor, "is_authenticated", False) else None
        feedback.save(update_fields=["answered_at", "answered_by"])
        event_record(verb="accessibility_feedback.answered", actor=actor, organisation=feedback.organisation,
                     target=feedback, summary="Synpunkt på tillgänglighet besvarad")
    return feedback
