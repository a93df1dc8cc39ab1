"""Registry pages. Board composition is public; contact details and forms are not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from board.models import (
    AccessibilityFeedback,
    Appointment,
    MemberOrganisation,
    Organisation,
    Person,
    StaffRole,
)

from . import selectors, services
from .forms import (
    AppointmentForm,
    EndForm,
    IdentityNumberForm,
    PersonForm,
    StaffRoleForm,
    WebSettingsForm,
    add_service_errors,
)
from .people import display_name
from .permissions import (
    Action,
    Role,
    can,
    may_view_any,
    organisation_ids_for,
    organisation_or_404,
    roles_by_organisation,
)

ROLE_LABELS = {
    Role.SECRETARY: "Sekreterare",
    Role.CHAIR: "Ordförande",
    Role.MEMBER: "Ledamot eller ersättare",
    Role.DIRECTOR: "Förbundschef",
    Role.ACCOUNTANT: "Ekonom",
    Role.DEVELOPER: "Utvecklingsledare",
    Role.AUDITOR: "Revisor",
    Role.ARCHIVIST: "Arkivarie",
}


def _day_from(request: HttpRequest) -> tuple[dt.date, str | None]:
    """The ?datum= of a page, today when absent; an error text when it is not a date."""
    raw = request.GET.get("datum", "").strip()
    if not raw:
        return timezone.localdate(), None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        return timezone.localdate(), "Ogiltigt datum – ange det som ÅÅÅÅ-MM-DD."
    return day, None


def home(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("successor").order_by("name")
    return render(request, "board/home.html", {"organisations": organisations})


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("successor").prefetch_related("predecessors")
    return render(request, "board/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("successor", "notice_responsible").prefetch_related("predecessors", "organs"),
        slug=slug,
    )
    day, date_error = _day_from(request)
    boards = []
    for organ in organisation.organs.all():
        if not organ.is_board:
            continue
        appointments = list(selectors.board_on(organ, day))
        if not appointments and not (
            (organ.active_from is None or organ.active_from <= day)
            and (organ.active_until is None or day <= organ.active_until)
        ):
            continue
        boards.append(
            {
                "organ": organ,
                "rows": selectors.board_table(appointments),
                "warnings": selectors.composition_warnings(organ, day, appointments),
            }
        )
    context = {
        "organisation": organisation,
        "day": day,
        "date_error": date_error,
        "boards": boards,
        "members": selectors.members_on(organisation, day),
        "staff": selectors.staff_on(organisation, day),
        "can_manage": can(request.user, Action.MANAGE_REGISTRY, organisation),
        "can_view": can(request.user, Action.VIEW, organisation),
        "can_archive": can(request.user, Action.DELIVER_ARCHIVE, organisation),
    }
    return render(request, "board/organisation_detail.html", context)


# --- Dashboard and person page -------------------------------------------------------------
# Pages that are not public send anonymous visitors to the login page (@login_required) and
# answer 404 to outsiders.


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Mina förbund: the associations the user has roles in today, and the user's own seats."""
    roles = roles_by_organisation(request.user)
    organisations = Organisation.objects.filter(pk__in=roles).order_by("name")
    rows = [
        {"organisation": o, "roles": sorted(ROLE_LABELS[r] for r in roles[o.pk])} for o in organisations
    ]
    person = getattr(request.user, "person", None)
    appointments = staff_roles = []
    if person is not None:
        today = timezone.localdate()
        appointments = list(
            Appointment.objects.active_on(today).filter(person=person)
            .select_related("organ__organisation", "appointed_by")
        )
        staff_roles = list(StaffRole.objects.active_on(today).filter(person=person).select_related("organisation"))
    return render(
        request,
        "board/dashboard.html",
        {"rows": rows, "person": person, "appointments": appointments, "staff_roles": staff_roles,
         "is_site_admin": request.user.is_superuser},
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: who a person is and the seats they held. Contact details only to insiders."""
    person = get_object_or_404(Person, pk=pk)
    appointments = list(
        person.appointments.select_related("organ__organisation", "appointed_by", "substitute_for__person")
        .order_by("-start", "organ__name")
    )
    staff_roles = list(person.staff_roles.select_related("organisation").order_by("-start"))
    org_ids = {a.organ.organisation_id for a in appointments} | {s.organisation_id for s in staff_roles}
    may_view = may_view_any(request.user, org_ids)
    manageable = organisation_ids_for(request.user, Action.MANAGE_REGISTRY)
    for a in appointments:
        a.can_manage = manageable is None or a.organ.organisation_id in manageable  # type: ignore[attr-defined]
    for s in staff_roles:
        s.can_manage = manageable is None or s.organisation_id in manageable  # type: ignore[attr-defined]
    # Where the viewer keeps the registry: the personnummer for e-ID, masked, and where to set it.
    identity_org = next((a.organ.organisation for a in appointments if a.can_manage),  # type: ignore[attr-defined]
                        next((s.organisation for s in staff_roles if s.can_manage), None))  # type: ignore[attr-defined]
    # A person nobody can see a seat or role of is not public (e.g. just added): 404.
    if not appointments and not staff_roles and not may_view and not (
        manageable is None or manageable
    ):
        raise Http404
    return render(
        request,
        "board/person_detail.html",
        {"person": person, "appointments": appointments, "staff_roles": staff_roles,
         "show_contact": may_view, "today": timezone.localdate(), "identity_org": identity_org},
    )


# --- Forms: people, appointments, staff roles ----------------------------------------------


def _form_page(request: HttpRequest, form: Any, *, title: str, organisation: Organisation, submit: str,
               intro: str = "") -> HttpResponse:
    return render(
        request,
        "board/form.html",
        {"form": form, "title": title, "organisation": organisation, "submit": submit, "intro": intro},
    )


def _apply(form: Any, call: Any) -> Any:
    """Run a service; its ValidationError becomes form errors (by field where it names one)."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@login_required
def person_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _apply(form, lambda: services.person_create(**form.cleaned_data, actor=request.user))
        if person is not None:
            messages.success(request, f"{person.full_name} är tillagd. Lägg till ett uppdrag eller en roll.")
            return redirect("board:appointment_add", slug=organisation.slug)
    return _form_page(request, form, title="Lägg till person", organisation=organisation, submit="Spara")


@login_required
def person_identity_number(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The registry's manager sets the personnummer that e-ID signatures are matched against.
    The page shows only the masked number; the form never shows the stored one."""
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    person = get_object_or_404(
        Person.objects.filter(
            Q(appointments__organ__organisation=organisation) | Q(staff_roles__organisation=organisation)
        ).distinct(), pk=pk,
    )
    form = IdentityNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _apply(form, lambda: services.person_identity_number_set(
            person=person, identity_number=form.cleaned_data["identity_number"], organisation=organisation,
            actor=request.user))
        if done is not None:
            messages.success(request, f"Personnumret för {person.full_name} är sparat." if done.personal_identity_number
                             else f"Personnumret för {person.full_name} är borttaget.")
            return redirect(person.get_absolute_url())
    current = person.identity_masked or "inte inlagt"
    return _form_page(
        request, form, title=f"Personnummer för {person.full_name}", organisation=organisation, submit="Spara",
        intro=f"Nu: {current}. En underskrift med e-legitimation tas bara emot när e-legitimationens personnummer "
              "är detsamma.",
    )


@login_required
def appointment_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    form = AppointmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "role": form.cleaned_data["role"] or ""}
        appointment = _apply(form, lambda: services.appointment_add(**data, actor=request.user))
        if appointment is not None:
            messages.success(request, f"Uppdraget är sparat: {appointment}.")
            return redirect(organisation.get_absolute_url())
    return _form_page(
        request, form, title="Lägg till uppdrag", organisation=organisation, submit="Spara uppdraget",
        intro="Ofullständig sammansättning stoppar inte sparandet; den visas som varning på förbundets sida.",
    )


@login_required
def appointment_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    appointment = get_object_or_404(
        Appointment.objects.select_related("person", "organ"), pk=pk, organ__organisation=organisation
    )
    form = EndForm(request.POST or None, start=appointment.start)
    if request.method == "POST" and form.is_valid():
        done = _apply(form, lambda: services.appointment_end(
            appointment=appointment, end=form.cleaned_data["end"], actor=request.user))
        if done is not None:
            messages.success(request, f"Uppdraget för {appointment.person.full_name} avslutas {done.end:%Y-%m-%d}.")
            return redirect(appointment.person.get_absolute_url())
    return _form_page(request, form, title=f"Avsluta uppdrag: {appointment}", organisation=organisation,
                      submit="Avsluta uppdraget")


@login_required
def staff_role_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    form = StaffRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = _apply(form, lambda: services.staff_role_add(
            organisation=organisation, **form.cleaned_data, actor=request.user))
        if role is not None:
            messages.success(request, f"Rollen är sparad: {role}.")
            return redirect(organisation.get_absolute_url())
    return _form_page(request, form, title="Lägg till tjänsteroll", organisation=organisation, submit="Spara rollen")


@login_required
def staff_role_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    staff_role = get_object_or_404(StaffRole.objects.select_related("person"), pk=pk, organisation=organisation)
    form = EndForm(request.POST or None, start=staff_role.start)
    if request.method == "POST" and form.is_valid():
        done = _apply(form, lambda: services.staff_role_end(
            staff_role=staff_role, end=form.cleaned_data["end"], actor=request.user))
        if done is not None:
            messages.success(request, f"Rollen för {staff_role.person.full_name} avslutas {done.end:%Y-%m-%d}.")
            return redirect(staff_role.person.get_absolute_url())
    return _form_page(request, form, title=f"Avsluta tjänsteroll: {staff_role}", organisation=organisation,
                      submit="Avsluta rollen")


# --- Historik ------------------------------------------------------------------------------


def _shown(field: Any, value: Any) -> str:
    """A history value as a person reads it: ISO dates, choice labels, names not ids."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.date):
        return value.isoformat()
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return f"#{value} (borttagen)"
        # A user (a row's author, a person's login) by the person's name, never the login.
        return display_name(related) if _is_user_field(field) else str(related)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _is_user_field(field: Any) -> bool:
    return bool(field.is_relation and field.related_model is not None
                and issubclass(field.related_model, AbstractBaseUser))


def history_page(
    request: HttpRequest, instance: Any, *, title: str, back: str,
    as_text: dict[str, Callable[[Any], str]] | None = None,
) -> HttpResponse:
    """Who changed what and when, newest first, from django-simple-history (any app's row with
    `history`; the caller has checked that the user may see it). `as_text`: how the caller's
    fields whose values are markup read as text (a paragraph's HTML body as its words)."""
    records = list(instance.history.select_related("history_user__person").order_by("-history_date", "-history_id"))
    model = type(instance)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = model._meta.get_field(change.field)
                if _is_user_field(field) and change.new == newer.history_user_id:
                    continue  # "updated by" the row's author: the Vem column names them already
                if as_text and change.field in as_text:
                    old, new = as_text[change.field](change.old), as_text[change.field](change.new)
                else:
                    old, new = _shown(field, change.old), _shown(field, change.new)
                changes.append({"field": field.verbose_name, "old": old, "new": new})
        entries.append({"record": newer, "changes": changes})
    return render(request, "board/history.html", {"title": title, "entries": entries, "back": back})


@login_required
def organisation_history(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    return history_page(request, organisation, title=f"Historik: {organisation.name}",
                         back=organisation.get_absolute_url())


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    if not may_view_any(request.user, selectors.person_organisation_ids(person)):
        raise Http404
    return history_page(request, person, title=f"Historik: {person.full_name}", back=person.get_absolute_url())


@login_required
def appointment_history(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment.objects.select_related("person", "organ"), pk=pk)
    if not can(request.user, Action.VIEW, appointment.organ.organisation_id):
        raise Http404
    return history_page(request, appointment, title=f"Historik: {appointment}",
                         back=appointment.person.get_absolute_url())


@login_required
def staff_role_history(request: HttpRequest, pk: int) -> HttpResponse:
    staff_role = get_object_or_404(StaffRole.objects.select_related("person", "organisation"), pk=pk)
    if not can(request.user, Action.VIEW, staff_role.organisation_id):
        raise Http404
    return history_page(request, staff_role, title=f"Historik: {staff_role}",
                         back=staff_role.person.get_absolute_url())


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(MemberOrganisation, pk=pk)
    if not may_view_any(request.user, member.memberships.values_list("organisation_id", flat=True)):
        raise Http404
    return history_page(request, member, title=f"Historik: {member.name}", back=reverse("board:organisations"))


# --- the public side: web publication settings and accessibility feedback -------------------


@login_required
def web_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretary's page for what the association publishes on the web and for how long."""
    organisation = organisation_or_404(request.user, slug, Action.EDIT_MINUTES)
    form = WebSettingsForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        done = _apply(form, lambda: services.organisation_web_settings_set(
            organisation=organisation, actor=request.user, **form.cleaned_data))
        if done is not None:
            messages.success(request, "Inställningarna för webbpublicering är sparade.")
            return redirect("board:web_settings", slug=organisation.slug)
    return _form_page(
        request, form, title="Webbpublicering", organisation=organisation, submit="Spara",
        intro="Hur länge protokoll och nedtagna anslag finns på de offentliga sidorna, hur länge sökmotorer "
              "får indexera protokollen och vart allmänheten skriver för att begära ut handlingar.",
    )


@login_required
def accessibility_feedback_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The association's feedback on accessibility, unanswered first; POST marks one answered."""
    organisation = organisation_or_404(request.user, slug, Action.EDIT_MINUTES)
    if request.method == "POST":
        try:
            pk = int(request.POST.get("besvarad", ""))
        except ValueError:
            raise Http404 from None
        feedback = get_object_or_404(AccessibilityFeedback, pk=pk, organisation=organisation)
        services.accessibility_feedback_answer(feedback=feedback, actor=request.user)
        messages.success(request, "Synpunkten är markerad som besvarad.")
        return redirect("board:accessibility_feedback", slug=organisation.slug)
    rows = list(organisation.accessibility_feedback.select_related("answered_by")
                .order_by(F("answered_at").desc(nulls_first=True), "-created_at")[:500])
    return render(request, "board/accessibility_feedback.html", {"organisation": organisation, "rows": rows})
