from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import parse_amount


class AmountField(forms.CharField):
    """A krona amount as people write it: "-1 425 000", "−1425000", "12 500,50"."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        amount = parse_amount(value)
        if amount is None:
            raise forms.ValidationError(_("Ange ett belopp i kronor, t.ex. -1 425 000."))
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise forms.ValidationError(_("Högst två decimaler."))
        return amount


class ForecastForm(forms.Form):
    amount = AmountField(
        label=_("Prognos helår (kr)"),
        help_text=_("Kostnader skrivs med minustecken, som i budgeten."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OutcomeDateForm(forms.Form):
    date = forms.DateField(label=_("Utfall per datum"), widget=forms.DateInput(attrs={"type": "date"}))


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Fil från ekonomisystemet (.xlsx eller .csv)"))
    date = forms.DateField(label=_("Utfall per datum"), widget=forms.DateInput(attrs={"type": "date"}))


class ImportMappingForm(forms.Form):
    line_column = forms.TypedChoiceField(label=_("Kolumn med budgetrad (kod eller namn)"), coerce=int)
    amount_column = forms.TypedChoiceField(label=_("Kolumn med belopp"), coerce=int)
    year_column = forms.TypedChoiceField(
        label=_("Kolumn med år eller datum (valfri)"), coerce=int, required=False, empty_value=None
    )
    costs_positive = forms.BooleanField(label=_("Kostnader står som positiva belopp i filen"), required=False)

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(i, f"{chr(65 + i) if i < 26 else i + 1}: {name or '(tom rubrik)'}") for i, name in enumerate(header)]
        self.fields["line_column"].choices = choices
        self.fields["amount_column"].choices = choices
        self.fields["year_column"].choices = [("", _("– ingen –")), *choices]
