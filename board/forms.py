"""Registry forms. They only collect input; the services decide what is valid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from board.models import (
    AccessibilityFeedback,
    Appointment,
    MemberOrganisation,
    Organ,
    Organisation,
    Person,
    StaffRole,
)

END_BEFORE_START = _("Slutdatum måste vara efter startdatum.")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where it names one of the
    form's fields, above the form otherwise (every app's views use this)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def error_texts(form: forms.BaseForm) -> list[str]:
    """The form's errors as lines of text, "Label: message message" per field (the messages
    alone for errors of the whole form): for a message or an HTMX fragment."""
    texts = []
    for name, errors in form.errors.items():
        joined = " ".join(str(e) for e in errors)
        texts.append(f"{form.fields[name].label}: {joined}" if name in form.fields else joined)
    return texts


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def govuk_widget_class(widget: forms.Widget) -> str:
    """GOV.UK Frontend's class for a widget's input ("" for a hidden one)."""
    if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
        return ""
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple too: each option's input
        return "govuk-checkboxes__input" if widget.input_type == "checkbox" else "govuk-radios__input"
    if isinstance(widget, forms.Select):
        return "govuk-select"
    if isinstance(widget, forms.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload"
    return "govuk-input"


class GovukBoundField(forms.BoundField):
    """A field whose input carries GOV.UK Frontend's class, before any class the form gave it."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if govuk := govuk_widget_class(widget):
            own = attrs.get("class") or widget.attrs.get("class")
            attrs["class"] = f"{govuk} {own}" if own else govuk
        return attrs


class FormRenderer(TemplatesSetting):
    """Every form of the product renders through one template pair (settings.FORM_RENDERER):
    `{{ form }}` is templates/forms/form.html, the error summary (templates/forms/errors.html,
    focused when the page loads, each error a link to its field) and the fields; each field is
    templates/forms/field.html, its label, help text and error text, whose ids Django's
    BoundField puts in the input's aria-describedby ("<id>_helptext", "<id>_error").
    Each input gets GOV.UK Frontend's class from GovukBoundField (Django's own widget
    templates); templates/django/forms/widgets/ only lays out checkboxes and radios as GOV.UK's."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovukBoundField


def options_html(choices: Iterable[tuple[object, object]], current: str) -> SafeString:
    """<option>s for (value, label) pairs, `current` selected.

    Written in Python with the standard library's escape: Django's select widget renders
    every option through a template of its own, and even format_html per option cost 4 ms
    for the public search form's 160 options, more than its SQL; a {% for %} over the 72
    associations of the board's filter cost 2 ms.
    """
    return mark_safe("".join(  # noqa: S308 - every value and label escaped here
        f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>{escape(str(label))}</option>'
        for value, label in choices
    ))


class OptionsSelect(forms.Select):
    """A <select> of `offered`, (value, label) pairs, written in Python (options_html): Django's
    Select renders every option, and the select itself, through templates of their own. The
    field around it is the product's field template, as every field's."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.offered: Sequence[tuple[object, object]] = ()

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        values = self.format_value(value)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options_html(self.offered, values[0] if values else ""))


class PlainSearchInput(forms.SearchInput):
    """Django's search input written in Python, as OptionsSelect: the same HTML as its three
    widget templates (search.html, input.html, attrs.html), which took 0.4 ms of a public search's
    7 ms of CPU (issue 18) for one <input>."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        shown = self.format_value(value)
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name,
                           format_html(' value="{}"', shown) if shown is not None else "",
                           flatatt(self.build_attrs(self.attrs, attrs)))


class LoginForm(AuthenticationForm):
    """Django's login form (its fields: autofocus, autocomplete) with the product's own words
    for a wrong user name or password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Fel användarnamn eller lösenord. Försök igen."),
    }


class PeriodMixin:
    """The one rule a form can check alone: a period ends after it starts."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", END_BEFORE_START)  # type: ignore[attr-defined]
        return data


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("E-post"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)


class IdentityNumberForm(forms.Form):
    identity_number = forms.CharField(
        label=_("Personnummer"), max_length=20, required=False,
        help_text=_("ÅÅÅÅMMDD-NNNN. Används bara för att kontrollera underskrifter med e-legitimation; "
                    "visas aldrig i sin helhet. Lämna tomt för att ta bort."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.last_name}, {obj.first_name}"


class MemberSeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Appointment) -> str:
        return f"{obj.person.full_name} ({obj.organ.name}, från {obj.start:%Y-%m-%d})"


class AppointmentForm(PeriodMixin, forms.Form):
    organ = forms.ModelChoiceField(label=_("Organ"), queryset=Organ.objects.none())
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.order_by("last_name", "first_name"))
    seat = forms.ChoiceField(label=_("Uppdrag"), choices=Appointment.Seat.choices)
    appointed_by = forms.ModelChoiceField(
        label=_("Utsedd av"), queryset=MemberOrganisation.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=[("", _("Ingen särskild roll"))] + [c for c in Appointment.Role.choices if c[0]],
        required=False,
    )
    substitute_for = MemberSeatChoiceField(
        label=_("Ersättare för (ledamot)"),
        queryset=Appointment.objects.none(),
        required=False,
        help_text=_("Bara för ersättare: den ledamot ersättaren i första hand går in för."),
    )
    call_order = forms.IntegerField(
        label=_("Inkallelseordning"), min_value=1, max_value=99, required=False,
        help_text=_("1 kallas in först."),
    )
    start = forms.DateField(label=_("Från och med"), widget=DateInput())
    end = forms.DateField(label=_("Till och med"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["organ"].queryset = organisation.organs.all()
        fields["appointed_by"].queryset = MemberOrganisation.objects.filter(
            memberships__organisation=organisation
        ).distinct()
        # Pair with a ledamot who sits now or later, not with a seat long gone.
        fields["substitute_for"].queryset = (
            Appointment.objects.filter(organ__organisation=organisation, seat=Appointment.Seat.MEMBER)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .select_related("person", "organ")
            .order_by("organ__name", "person__last_name")
        )


class EndForm(forms.Form):
    end = forms.DateField(label=_("Sista dag (till och med)"), widget=DateInput())

    def __init__(self, *args: Any, start: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start = start

    def clean_end(self) -> dt.date:
        end: dt.date = self.cleaned_data["end"]
        if end <= self.start:
            raise forms.ValidationError(END_BEFORE_START)
        return end


class StaffRoleForm(PeriodMixin, forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.order_by("last_name", "first_name"))
    role = forms.ChoiceField(label=_("Roll"), choices=StaffRole.Role.choices)
    start = forms.DateField(label=_("Från och med"), widget=DateInput())
    end = forms.DateField(label=_("Till och med"), widget=DateInput(), required=False)


class TotpCodeForm(forms.Form):
    """A code from the authenticator app (six digits; spaces are allowed and ignored)."""

    code = forms.CharField(
        label=_("Kod från appen"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text=_("Sex siffror. Koden byts var 30:e sekund."),
    )


class TotpRemoveForm(TotpCodeForm):
    password = forms.CharField(
        label=_("Ditt lösenord"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["password", "code"]


class WebSettingsForm(forms.ModelForm):
    """The association's choices for its public pages (services.organisation_web_settings_set)."""

    class Meta:
        model = Organisation
        fields = ["contact_email", "minutes_indexing", "minutes_retention_months", "notice_retention_months"]


class AccessibilityFeedbackForm(forms.Form):
    """The accessibility statement's form (lag (2018:1937) 10 §). Only what an answer needs."""

    organisation = forms.ModelChoiceField(
        label=_("Förbund"), queryset=Organisation.objects.order_by("name"), empty_label=_("Välj förbund"),
        error_messages={"required": _("Välj vilket förbund det gäller."),
                        "invalid_choice": _("Välj ett av förbunden i listan.")},
    )
    kind = forms.ChoiceField(label=_("Ärende"), choices=AccessibilityFeedback.Kind.choices,
                             error_messages={"required": _("Välj om du vill rapportera ett problem eller begära innehåll.")})
    page = forms.CharField(label=_("Sida eller dokument det gäller"), max_length=500, required=False,
                           help_text=_("Adressen eller namnet, om det finns."))
    message = forms.CharField(label=_("Beskriv problemet eller vad du behöver"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": _("Skriv vad det gäller."),
                                              "max_length": _("Skriv högst %(limit_value)d tecken.")})
    email = forms.EmailField(label=_("Din e-postadress (om du vill ha svar)"), required=False,
                             error_messages={"invalid": _("Skriv en giltig e-postadress, t.ex. namn@exempel.se.")})
