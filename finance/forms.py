from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from board.forms import DateInput

from .services.amounts import parse_amount


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


class DecimalCommaField(forms.DecimalField):
    """A decimal number written with a comma or a point: "3,5" or "3.5"."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
        return super().to_python(value)


class ForecastForm(forms.Form):
    amount = AmountField(
        label=_("Prognos helår (kr)"),
        help_text=_("Kostnader skrivs med minustecken, som i budgeten."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OutcomeDateForm(forms.Form):
    date = forms.DateField(
        label=_("Utfall per datum"), widget=DateInput(),
        error_messages=dict.fromkeys(("required", "invalid"), _("Ange ett giltigt datum (ÅÅÅÅ-MM-DD).")),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Fil från ekonomisystemet (.xlsx eller .csv)"))
    date = forms.DateField(label=_("Utfall per datum"), widget=DateInput())


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
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["line_column"].choices = choices
        fields["amount_column"].choices = choices
        fields["year_column"].choices = [("", _("– ingen –")), *choices]


class BudgetCreateForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Rubrik (valfri)"), required=False, max_length=200)
    copy_from = forms.TypedChoiceField(
        label=_("Kopiera grupper och rader från"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["copy_from"]).choices = [
            ("", _("– standardgrupper, inga rader –")), *[(y, str(y)) for y in years]
        ]


class LineAddForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Grupp"), coerce=int)
    name = forms.CharField(label=_("Namn på raden"), max_length=200)
    code = forms.SlugField(
        label=_("Kod (valfri)"), required=False, max_length=60,
        help_text=_("Den kod ekonomisystemets export och API:t använder; skapas av namnet om du lämnar den tom."),
    )

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = groups


class DecisionForm(forms.Form):
    """Where the board decided: a paragraph of the association's minutes, or a text."""

    decided_in = forms.TypedChoiceField(
        label=_("Beslut i protokollet"), required=False, coerce=int, empty_value=None
    )
    decision_reference = forms.CharField(
        label=_("Beslut (text, om paragrafen inte finns i systemet)"), required=False, max_length=120
    )

    def __init__(self, *args: Any, paragraphs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decided_in"]).choices = [("", _("– ingen –")), *paragraphs]


class VersionForm(DecisionForm):
    label = forms.CharField(label=_("Benämning"), max_length=120)
    adopted = forms.BooleanField(label=_("Antagen av styrelsen"), required=False)
    adopted_on = forms.DateField(
        label=_("Antagen den"), required=False, widget=DateInput()
    )
    field_order = ["label", "adopted", "adopted_on", "decided_in", "decision_reference"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean() returns cleaned_data
        if data.get("adopted_on") and not data.get("adopted"):
            self.add_error("adopted", _("Kryssa i Antagen när du anger ett datum."))
        return data


class AdoptForm(DecisionForm):
    """The board adopts a draft version."""

    adopted_on = forms.DateField(label=_("Antagen den"), widget=DateInput())
    field_order = ["adopted_on", "decided_in", "decision_reference"]


class SettingsForm(forms.Form):
    deviation_threshold = AmountField(label=_("Markera avvikelser från (kr)"))
    individual_target_percent = DecimalCommaField(
        label=_("Mål för andel individinsatser (%)"), min_value=0, max_value=100, decimal_places=2
    )


class ContributionsForm(forms.Form):
    allocation = AmountField(label=_("Statlig medelstilldelning (kr)"))
    nns_fee_per_mille = DecimalCommaField(
        label=_("Serviceavgift NNS (promille)"), min_value=0, max_value=100, decimal_places=2
    )
    nns_fee_proposed_per_mille = DecimalCommaField(
        label=_("Föreslagen serviceavgift NNS (promille, valfri)"), min_value=0, max_value=100, decimal_places=2,
        required=False,
    )
    equity_previous_year = AmountField(label=_("Eget kapital vid förra årets slut (kr, valfritt)"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality_fields = []
        for pk, name in municipalities:
            key = f"invanare-{pk}"
            self.fields[key] = forms.IntegerField(label=_("Invånare i %(name)s") % {"name": name}, min_value=1)
            self.municipality_fields.append(key)

    def clean_allocation(self) -> Any:
        value = self.cleaned_data["allocation"]
        if value is not None and value != value.to_integral_value():
            raise forms.ValidationError(_("Ange hela kronor."))
        return value
