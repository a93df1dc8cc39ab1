"""One field template and one error summary for every form of the product (issue 21, point 3):
`{{ form }}` goes through board.forms.FormRenderer (templates/forms/), whichever app the form is of."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.conf import settings

from board.forms import PersonForm
from finance.forms import ForecastForm
from interventions.forms import IndicatorForm
from minutes.delegation.forms import DelegationLineForm


@pytest.mark.parametrize("form_class", [PersonForm, ForecastForm, IndicatorForm, DelegationLineForm])
def test_every_apps_form_renders_the_summary_and_fields_that_name_their_errors(form_class):
    assert settings.FORM_RENDERER == "board.forms.FormRenderer"
    form = form_class(data={})
    assert not form.is_valid()
    html = str(form)
    # The summary's list ends before the first closing </div> (its body); the fields follow.
    summary, fields = html.split("</div>", 1)
    assert 'class="govuk-error-summary error-summary" role="alert" tabindex="-1" autofocus' in summary
    assert "Formuläret innehåller fel" in summary
    required = [name for name, field in form.fields.items() if field.required and not field.disabled]
    assert required, form_class
    for name in required:
        bound = form[name]
        # The summary links the field; the field's error has the id its input names.
        assert f'href="#{bound.id_for_label}"' in summary
        assert f'id="{bound.auto_id}_error"' in fields and "Detta fält måste fyllas i." in fields
        described = re.search(rf'<[^>]+id="{bound.auto_id}"[^>]*>', fields).group(0)
        assert f"{bound.auto_id}_error" in described and 'aria-invalid="true"' in described


def test_a_valid_form_has_no_summary_and_text_is_escaped():
    class Probe(forms.Form):
        name = forms.CharField(label="Namn <b>", help_text="Hjälp & <i>")

    html = str(Probe(data={"name": "x"}))
    assert "error-summary" not in html and "Namn &lt;b&gt;" in html and "Hjälp &amp; &lt;i&gt;" in html
    assert 'aria-describedby="id_name_helptext"' in html and 'id="id_name_helptext"' in html
