"""One field template and one error summary for every form of the product (issue 21, point 3):
`{{ form }}` goes through board.forms.FormRenderer (templates/forms/), whichever app the form is of."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.conf import settings
from django.test import Client

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


def _tag(html: str, name: str) -> str:
    """The opening tag of the control named `name`."""
    return re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{name}"[^>]*>', html).group(0)


def _summary(html: str) -> str:
    """The error summary's list (templates/forms/errors.html), focused when the page loads."""
    opening = '<div class="govuk-error-summary error-summary" role="alert" tabindex="-1" autofocus>'
    return html.split(opening, 1)[1].split("</ul>", 1)[0]


@pytest.mark.django_db
def test_the_login_page_is_the_renderers_with_its_own_words_for_a_wrong_password(secretary):
    client = Client()
    page = client.get("/konto/logga-in/?next=/protokoll/").content.decode()
    assert "error-summary" not in page and 'name="next" value="/protokoll/"' in page
    username, password = _tag(page, "username"), _tag(page, "password")
    assert "autofocus" in username and 'autocomplete="username"' in username and 'class="govuk-input"' in username
    assert 'autocomplete="current-password"' in password and 'type="password"' in password
    assert '<label class="govuk-label govuk-label--s" for="id_username">Användarnamn</label>' in page
    refused = client.post("/konto/logga-in/", {"username": "sekreterare", "password": "fel"}, REMOTE_ADDR="10.1.2.3")
    assert refused.status_code == 200
    assert "Fel användarnamn eller lösenord. Försök igen." in _summary(refused.content.decode())
    empty = client.post("/konto/logga-in/", {}, REMOTE_ADDR="10.1.2.4").content.decode()
    assert 'href="#id_password">Lösenord: Detta fält måste fyllas i.</a>' in _summary(empty)
    assert 'aria-describedby="id_password_error"' in _tag(empty, "password")


@pytest.mark.django_db
def test_the_verify_page_names_each_fields_help_and_error():
    client = Client()
    page = client.get("/verifiera/").content.decode()
    file = _tag(page, "file")
    assert 'accept="application/pdf,.pdf"' in file and 'aria-describedby="id_file_helptext"' in file
    assert 'class="govuk-file-upload"' in file and 'id="id_file_helptext"' in page
    assert 'autocomplete="off"' in _tag(page, "sha256") and 'spellcheck="false"' in _tag(page, "sha256")
    neither = client.post("/verifiera/", {}).content.decode()
    assert "Välj en PDF-fil eller ange en kontrollsumma." in _summary(neither)
    bad = client.post("/verifiera/", {"sha256": "xyz"}).content.decode()
    assert 'href="#id_sha256">eller kontrollsumma (SHA-256): Kontrollsumman ska vara' in _summary(bad)
    sha256 = _tag(bad, "sha256")
    assert 'aria-describedby="id_sha256_helptext id_sha256_error"' in sha256 and 'aria-invalid="true"' in sha256


def test_the_public_search_filters_are_the_renderers_fields_in_a_get_form(org):
    client = Client()
    page = client.get("/sok/", {"q": "budget", "forbund": org.slug}).content.decode()
    assert '<form method="get" action="/sok/" class="search-form" role="search">' in page
    assert "error-summary" not in page
    q = _tag(page, "q")
    assert 'type="search"' in q and 'value="budget"' in q and 'aria-describedby="id_q_helptext"' in q
    assert 'id="id_q_helptext">Ord eller &quot;exakt fras&quot;; -ord utesluter.</div>' in page
    assert '<select name="forbund" class="govuk-select" id="id_forbund">' in page
    assert f'<option value="{org.slug}" selected>' in page and '<option value="" selected>Alla år</option>' in page
    refused = client.get("/sok/", {"q": "budget", "ar": "1999"}).content.decode()
    assert 'href="#id_ar">År: Välj ett giltigt alternativ.' in _summary(refused)
    ar = _tag(refused, "ar")
    assert 'aria-invalid="true"' in ar and 'aria-describedby="id_ar_error"' in ar and 'id="id_ar_error"' in refused


def test_the_notice_and_archive_forms_show_the_summary_and_their_fields_help(org, secretary):
    client = Client()
    client.force_login(secretary)
    page = client.post(f"/forbund/{org.slug}/anslag/", {"kind": "fritt"}).content.decode()
    assert 'href="#id_title">Rubrik: Detta fält måste fyllas i.</a>' in _summary(page)
    assert 'aria-describedby="id_body_helptext"' in _tag(page, "body") and 'id="id_body_helptext">Markdown.' in page
    archive = client.post(f"/forbund/{org.slug}/arkivleverans/", {"year": "2999"}).content.decode()
    assert 'href="#id_year">År: Välj ett giltigt alternativ.' in _summary(archive)


def _input(html: str) -> tuple[str, dict[str, str | None]]:
    """An <input>'s tag name and its attributes, in any order, values unescaped once."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str | None]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Parser().feed(html)
    assert len(found) == 1, html
    return found[0]


@pytest.mark.parametrize("value", [None, "", "budget", '"><script>alert(1)</script>&amp; å'])
def test_the_search_input_written_in_python_is_djangos_input(value):
    """PlainSearchInput (the public search's words) writes what Django's templates write: the
    same attributes and values, the typed text escaped (it never closes the attribute)."""
    from board.forms import GovukBoundField, PlainSearchInput

    class Search(forms.Form):
        bound_field_class = GovukBoundField
        django = forms.CharField(max_length=200, help_text="Ord", widget=forms.SearchInput)
        plain = forms.CharField(max_length=200, help_text="Ord", widget=PlainSearchInput)

    form = Search(None if value is None else {"django": value, "plain": value})
    if value is not None:
        form.is_valid()
    theirs, ours = str(form["django"]), str(form["plain"]).replace("plain", "django")
    assert _input(ours) == _input(theirs)
    assert "<script>" not in ours
    if value:
        assert _input(ours)[1]["value"] == value
