"""The forms of the delegation pages; the services check the rules a form cannot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from board.forms import DateInput
from board.models import StaffRole

from ..models import DelegationLine

# A thousand billion kronor: more than any association's budget, well within the column.
MAX_KRONOR = 10**12


class DelegationLineForm(forms.Form):
    code = forms.CharField(label=_("Nummer"), max_length=20, help_text=_("T.ex. 3.2."))
    matter = forms.CharField(label=_("Ärende"), max_length=300)
    delegate_role = forms.ChoiceField(label=_("Delegat"), choices=StaffRole.Role.choices)
    max_amount = forms.IntegerField(
        label=_("Högsta belopp (kr)"), min_value=0, max_value=MAX_KRONOR, required=False, help_text=_("Lämna tomt: inget beloppstak."),
    )
    report_duty = forms.BooleanField(label=_("Besluten anmäls till styrelsen"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput())
    valid_to = forms.DateField(label=_("Gäller till och med"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, only_end: bool = False, **kwargs: Any) -> None:
        """`only_end`: a line with decisions, whose end date alone may be set (the others shown, disabled)."""
        super().__init__(*args, **kwargs)
        if only_end:
            for name, field in self.fields.items():
                field.disabled = name != "valid_to"

    def changed_values(self) -> dict[str, Any]:
        """The fields a person changed (a disabled field never is), for the update service."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DelegationLine) -> str:
        limit = f", högst {obj.max_amount:,} kr".replace(",", " ") if obj.max_amount is not None else ""
        return f"{obj.code} {obj.matter} ({obj.get_delegate_role_display()}{limit})"


class DelegationDecisionForm(forms.Form):
    line = LineChoiceField(label=_("Punkt i delegationsordningen"), queryset=DelegationLine.objects.none())
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    matter = forms.CharField(label=_("Ärende"), max_length=300)
    decision = forms.CharField(label=_("Beslut"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.IntegerField(label=_("Belopp (kr)"), min_value=0, max_value=MAX_KRONOR, required=False)
    appealable = forms.BooleanField(label=_("Beslutet kan överklagas"), required=False)

    def __init__(self, *args: Any, lines: QuerySet[DelegationLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = lines


class NoticeDayForm(forms.Form):
    """The day the notice of an appealable decision goes up: today, or a day to come."""

    posted_on = forms.DateField(label=_("Anslagsdag"), widget=DateInput())

    def clean_posted_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["posted_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Anslaget kan inte sättas upp en dag som redan har varit."))
        return day
