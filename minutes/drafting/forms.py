"""Forms for the minutes pages. They validate input; the services decide the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from board.models import Organ, Person

from ..models import (
    SHORTCUT_MAX_LENGTH,
    AgendaItem,
    Attendance,
    Meeting,
    Paragraph,
    TextModule,
    Vote,
    VoteBallot,
)
from .services.start import STANDARD_CLOSING, STANDARD_OPENING

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(forms.Form):
    organ = forms.ModelChoiceField(label=_("Organ"), queryset=Organ.objects.none())
    date = forms.DateField(label=_("Datum"), widget=DATE)
    start_time = forms.TimeField(label=_("Starttid"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("Sluttid"), required=False, widget=TIME)
    place = forms.CharField(label=_("Plats"), required=False, max_length=200)
    is_remote = forms.BooleanField(label=_("Digitalt via Teams"), required=False)
    kind = forms.ChoiceField(label=_("Typ av sammanträde"), choices=Meeting.Kind.choices)
    kallelse_message = forms.CharField(
        label=_("Meddelande i kallelsen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Any, with_organ: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_organ:
            fields = cast(dict[str, forms.ModelChoiceField], self.fields)
            fields["organ"].queryset = Organ.objects.filter(organisation=organisation)
        else:
            del self.fields["organ"]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    dnr = forms.CharField(label=_("Diarienummer"), required=False, max_length=60)
    presenter = forms.CharField(label=_("Föredragande"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_decision = forms.CharField(
        label=_("Förslag till beslut (en beslutssats per rad)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), required=False, max_length=300)
    file = forms.FileField(label=_("Fil (PDF, DOCX, XLSX eller ODT)"), required=False)
    agenda_item = forms.ModelChoiceField(
        label=_("Hör till punkt"), queryset=AgendaItem.objects.none(), required=False,
        empty_label=_("Hela mötet"),
    )
    confidential = forms.BooleanField(
        label=_("Sekretessmarkerad (OSL): visas bara för styrelsens ledamöter och ersättare och kansliet, "
                "vattenmärks med läsarens namn och varje öppning loggas"),
        required=False,
    )
    osl_reference = forms.CharField(label=_("Sekretessgrund"), required=False, max_length=120,
                                    help_text=_("T.ex. OSL 21 kap. 1 §."))

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            fields = cast(dict[str, forms.ModelChoiceField], self.fields)
            fields["agenda_item"].queryset = meeting.agenda_items.order_by("position")


class PersonChoiceMixin:
    """Person fields limited to a given queryset (the meeting's attendees, the board)."""

    def limit_people(self, people: Any, *names: str) -> None:
        for name in names:
            self.fields[name].queryset = people  # type: ignore[attr-defined]


class AttendanceForm(PersonChoiceMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Närvaro"), choices=Attendance.Role.choices)
    function = forms.ChoiceField(
        label=_("Funktion vid mötet"), choices=Attendance.Function.choices, required=False
    )
    replacing = forms.ModelChoiceField(
        label=_("Tjänstgör för"), queryset=Person.objects.none(), required=False
    )
    affiliation = forms.CharField(label=_("Företräder"), required=False, max_length=200)
    role_text = forms.CharField(label=_("Roll"), required=False, max_length=200)
    party = forms.CharField(label=_("Parti"), required=False, max_length=20)
    is_remote = forms.BooleanField(label=_("Via Teams"), required=False)
    present_from = forms.TimeField(label=_("Fr o m kl"), required=False, widget=TIME)
    present_until = forms.TimeField(label=_("T o m kl"), required=False, widget=TIME)
    from_paragraph = forms.ModelChoiceField(
        label=_("Fr o m §"), queryset=Paragraph.objects.none(), required=False
    )
    until_paragraph = forms.ModelChoiceField(
        label=_("T o m §"), queryset=Paragraph.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_people(people, "person", "replacing")
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["from_paragraph"].queryset = meeting.paragraphs.all()
        fields["until_paragraph"].queryset = meeting.paragraphs.all()


class GuestForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    role_text = forms.CharField(label=_("Roll"), max_length=200, required=False)
    affiliation = forms.CharField(label=_("Företräder"), max_length=200, required=False)


class MinutesStartForm(forms.Form):
    opening = forms.MultipleChoiceField(
        label=_("Inledande paragrafer"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, t) for k, t, _d in STANDARD_OPENING],
        initial=[k for k, _t, _d in STANDARD_OPENING],
    )
    from_agenda = forms.BooleanField(
        label=_("En paragraf per punkt på dagordningen"), required=False, initial=True
    )
    closing = forms.MultipleChoiceField(
        label=_("Avslutande paragrafer"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, t) for k, t, _d in STANDARD_CLOSING],
        initial=[k for k, _t, _d in STANDARD_CLOSING],
    )


class ParagraphForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    dnr = forms.CharField(label=_("Dnr"), required=False, max_length=60)
    handled_at = forms.TimeField(label=_("Behandlades kl"), required=False, widget=TIME)
    # The HTML subset of rendering.py; the editor edits it as rich text (Quill), and without
    # JavaScript as HTML in this textarea. The services clean it on save.
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    clauses = forms.CharField(
        label=_("Beslut: en beslutssats per rad (\"Att …\")"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stock_decision = forms.ChoiceField(
        label=_("Eller standardbeslut"), choices=Paragraph.StockDecision.choices, required=False
    )
    exp_till = forms.CharField(label=_("Exp. till"), required=False, max_length=500)
    kopia_till = forms.CharField(label=_("Kopia till"), required=False, max_length=500)
    immediate_justering = forms.BooleanField(label=_("Omedelbar justering (OJ)"), required=False)
    is_confidential = forms.BooleanField(label=_("Sekretess"), required=False)
    osl_reference = forms.CharField(label=_("Sekretess enligt (OSL)"), required=False, max_length=100)

    @classmethod
    def initial_for(cls, paragraph: Paragraph) -> dict[str, Any]:
        """Initial values from a prefetched paragraph (no queries)."""
        return {
            "version": paragraph.version,
            "title": paragraph.title,
            "dnr": paragraph.dnr,
            "handled_at": paragraph.handled_at,
            "body": paragraph.body,
            "clauses": "\n".join(c.text for c in paragraph.clauses.all()),
            "stock_decision": paragraph.stock_decision,
            "exp_till": paragraph.exp_till,
            "kopia_till": paragraph.kopia_till,
            "immediate_justering": paragraph.immediate_justering,
            "is_confidential": paragraph.is_confidential,
            "osl_reference": paragraph.osl_reference,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        data["clauses"] = [line for line in data["clauses"].splitlines() if line.strip()]
        return data


class NewParagraphForm(forms.Form):
    title = forms.CharField(label=_("Rubrik på ny paragraf"), max_length=300)
    dnr = forms.CharField(label=_("Dnr"), required=False, max_length=60)
    agenda_item = forms.ModelChoiceField(
        label=_("Från punkt på dagordningen"), queryset=AgendaItem.objects.none(), required=False,
        empty_label=_("Ingen (tillagd under mötet)"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["agenda_item"].queryset = meeting.agenda_items.all()


class VoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag"), choices=Vote.Kind.choices)
    question = forms.CharField(label=_("Propositionsordning"), required=False, max_length=500)
    yes_text = forms.CharField(label=_("Förslag som röstas med ja"), widget=forms.Textarea(attrs={"rows": 2}))
    no_text = forms.CharField(label=_("Förslag som röstas med nej"), widget=forms.Textarea(attrs={"rows": 2}))
    casting_vote = forms.ChoiceField(
        label=_("Ordförandens utslagsröst vid lika"), required=False,
        choices=[("", "—"), *Vote.Answer.choices],
    )
    lot_result = forms.ChoiceField(
        label=_("Lottens utfall vid lika (val, personalärende)"), required=False,
        choices=[("", "—"), *Vote.Answer.choices],
    )

    def __init__(self, *args: Any, voters: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        for person in voters:
            self.fields[f"ballot_{person.pk}"] = forms.ChoiceField(
                label=person.full_name, required=False,
                choices=[("", _("Röstar inte")), *VoteBallot.Choice.choices],
            )

    def ballots(self) -> dict[int, str]:
        return {
            p.pk: self.cleaned_data[f"ballot_{p.pk}"]
            for p in self.voters
            if self.cleaned_data.get(f"ballot_{p.pk}")
        }


class PersonTextForm(PersonChoiceMixin, forms.Form):
    """Reservation, protokollsanteckning or jäv: a person and a text."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: Any, person_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_people(people, "person")
        self.fields["person"].required = person_required


class AdjustersForm(PersonChoiceMixin, forms.Form):
    persons = forms.ModelMultipleChoiceField(
        label=_("Justerare"), queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_people(people, "persons")


class FirstNumberForm(forms.Form):
    first_number = forms.IntegerField(label=_("Årets första paragrafnummer i systemet"), min_value=1)


class TextModuleForm(forms.Form):
    """A text module; the service checks the shortcut, the kind's text and cleans a phrase."""

    name = forms.CharField(
        label=_("Namn"), max_length=100, help_text=_("Det som visas i menyn Textmoduler i protokollet."),
    )
    shortcut = forms.CharField(
        label=_("Kortkommando"), max_length=SHORTCUT_MAX_LENGTH + 1,
        help_text=_("Skriv snedstreck och kortkommandot i texten, följt av mellanslag eller Enter, "
                    "t.ex. /handlingarna."),
    )
    kind = forms.ChoiceField(label=_("Slag"), choices=TextModule.Kind.choices)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Fras: texten som infogas i paragrafen; en tomrad börjar ett nytt stycke. "
                    "Beslut: en beslutssats som börjar med ”Att”."),
    )
