"""Forms of the intervention pages. Rules live in the services; the forms repeat the parties
rule so the person filling in gets the message next to the field before anything is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from board.forms import DateInput
from board.models import MemberOrganisation, Person
from board.selectors import family_ids
from finance.models import BudgetLine
from minutes.models import Meeting

from .models import ActionItem, Indicator, Intervention
from .services.registry import PARTIES_MESSAGE, party_count

DATE = DateInput()


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["name", "kind", "form", "status", "start", "end", "parties", "lead_organisation",
                  "contact_person", "description"]
        widgets = {"start": DATE, "end": DATE, "parties": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = MemberOrganisation.objects.filter(
            memberships__organisation_id__in=family_ids(organisation)
        ).distinct().order_by("name")
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["parties"].queryset = members
        fields["parties"].required = True
        fields["parties"].help_text = "Minst två parter; kommunerna räknas tillsammans som en part."
        fields["lead_organisation"].queryset = members
        fields["contact_person"].queryset = Person.objects.order_by("last_name", "first_name")

    def clean_parties(self) -> Any:
        parties = self.cleaned_data["parties"]
        if party_count(parties) < 2:
            raise forms.ValidationError(PARTIES_MESSAGE)
        return parties


class SteeringMemberForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.order_by("last_name", "first_name"))
    role = forms.CharField(label="Roll i styrgruppen", max_length=200, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=300, required=False)
    file = forms.FileField(label="Fil (PDF, DOCX, XLSX eller ODT)")


class FundingForm(forms.Form):
    budget_line = forms.ModelChoiceField(label="Budgetrad", queryset=BudgetLine.objects.none())

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[BudgetLine]", self.fields["budget_line"])
        field.queryset = (
            BudgetLine.objects.filter(
                budget__organisation_id__in=family_ids(intervention.organisation_id), intervention_link__isnull=True
            )
            .select_related("budget__organisation")
            .order_by("-budget__year", "budget__organisation__name", "order")
        )
        # Django lets a field instance replace label_from_instance; the stubs declare it a method.
        field.label_from_instance = (  # type: ignore[method-assign]
            lambda obj: f"{obj.budget.year} {obj.budget.organisation.short_name or obj.budget.organisation}: {obj.name}"
        )


class RequestForm(forms.Form):
    year = forms.IntegerField(label="Budgetår", min_value=2000, max_value=2100)
    amount = forms.DecimalField(label="Äskat belopp (kr)", min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    received_on = forms.DateField(label="Inkom", widget=DATE)
    reason = forms.CharField(label="Skäl", widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label="Bifoga äskandet (valfritt)", required=False)


class AgendaForm(forms.Form):
    meeting: forms.ModelChoiceField[Meeting] = forms.ModelChoiceField(label="Sammanträde", queryset=None)

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Meeting]", self.fields["meeting"])
        field.queryset = meetings
        # Django lets a field instance replace label_from_instance; the stubs declare it a method.
        field.label_from_instance = (  # type: ignore[method-assign]
            lambda obj: f"{obj.organ} {obj.date:%Y-%m-%d} ({obj.get_status_display().lower()})"
        )


class DecideForm(forms.Form):
    granted_amount = forms.DecimalField(
        label="Beviljat belopp (kr)", min_value=Decimal("0"), max_digits=14, decimal_places=2,
        help_text="0 kr betyder att äskandet avslås. Beloppet kan vara lägre än det äskade.",
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label="Indikator", max_length=200)
    unit = forms.ChoiceField(label="Enhet", choices=Indicator.Unit.choices)
    source = forms.ChoiceField(label="Värden", choices=Indicator.Source.choices)
    target = forms.DecimalField(label="Mål", min_value=Decimal("0"), max_digits=10, decimal_places=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean() returns cleaned_data
        if data.get("unit") == Indicator.Unit.PERCENT and data.get("target") is not None and data["target"] > 100:
            self.add_error("target", "Ett mål i procent kan inte vara över 100.")
        return data


class FollowUpForm(forms.Form):
    period_start = forms.DateField(label="Period från", widget=DATE)
    period_end = forms.DateField(label="Period till och med", widget=DATE)
    enrolled = forms.IntegerField(label="Inskrivna vid periodens början", min_value=0)
    new = forms.IntegerField(label="Nya under perioden", min_value=0)
    closed = forms.IntegerField(label="Avslutade under perioden", min_value=0)
    steps_work = forms.IntegerField(label="Stegförflyttning mot arbete", min_value=0, initial=0)
    steps_studies = forms.IntegerField(label="Stegförflyttning mot studier", min_value=0, initial=0)
    comment = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = [i for i in indicators if i.source == Indicator.Source.MANUAL]
        for indicator in self.indicators:
            percent = indicator.unit == Indicator.Unit.PERCENT
            self.fields[f"indikator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({'%' if percent else 'antal'})", required=False, min_value=Decimal("0"),
                max_value=Decimal("100") if percent else None, max_digits=10, decimal_places=1,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean() returns cleaned_data
        # Any: the `None not in (...)` test below rules out None, which mypy cannot narrow.
        enrolled: Any
        new: Any
        closed: Any
        enrolled, new, closed = data.get("enrolled"), data.get("new"), data.get("closed")
        if None not in (enrolled, new, closed) and closed > enrolled + new:
            self.add_error("closed", f"Avslutade kan inte vara fler än inskrivna och nya tillsammans ({enrolled + new}).")
        return data

    def values(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data.get(f"indikator_{i.pk}") for i in self.indicators}


class ActionItemForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionItem.Status.choices)
    due_date = forms.DateField(label="Klart senast", required=False, widget=DATE)
    owner_text = forms.CharField(label="Ansvarig", max_length=200, required=False)
    report = forms.CharField(label="Återrapportering", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingChoiceForm(forms.Form):
    meeting: forms.ModelChoiceField[Meeting] = forms.ModelChoiceField(label="Sammanträde", queryset=None)

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Meeting]", self.fields["meeting"])
        field.queryset = meetings
        # Django lets a field instance replace label_from_instance; the stubs declare it a method.
        field.label_from_instance = lambda obj: f"{obj.organ} {obj.date:%Y-%m-%d}"  # type: ignore[method-assign]
