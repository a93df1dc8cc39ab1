"""The public's subscription pages (no login): the form, the confirmation, the unsubscribe page.

Like every public page they set no cookie: the forms are exempt from CSRF (anonymous, with no
session to ride on; a CSRF cookie would be the pages' only cookie), as the accessibility form.
What a forged request could do is ask for a subscription (which the address must confirm),
and confirm or end one whose secret link it has.

The form answers alike whether the address was new, waiting for its confirmation or already
subscribed: the page is the same, and the address is told by mail. It takes
SUBSCRIBE_LIMIT_PER_IP requests an hour from one computer (then 429 with a Swedish sentence)
and SUBSCRIBE_LIMIT_PER_ADDRESS for one e-mail address (then the same answer, and no mail: a
refusal would tell that the address was asked for before).

The confirmation and unsubscribe links show a page with a button (GET changes nothing: mail
scanners follow links); the POST acts. The unsubscribe URL is also the mail's List-Unsubscribe
(RFC 8058): a mail client POSTs `List-Unsubscribe=One-Click` to it, without cookies or token
other than the URL's, and the subscription is gone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from board.forms import add_service_errors
from board.ratelimit import rate_limited

from ..public.cache import cached_value
from ..public.selectors import FilterChoices, OrganisationChoice, filter_choices
from ..public.views import public_response
from . import services

SENT_TEXT = ("Om adressen inte redan prenumererar på det du valde får den inom några minuter ett mejl "
             "med en länk för att bekräfta prenumerationen. Prenumerationen börjar först när du har "
             "bekräftat den. Kommer inget mejl: titta i skräpposten.")
LIMITED_TEXT = "Du har gjort många anmälningar på kort tid. Försök igen om en timme."
ALL = ""


def _organisations() -> list[OrganisationChoice]:
    choices: FilterChoices = cached_value("choices", filter_choices)
    return choices.organisations


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Din e-postadress", max_length=254,
        error_messages={"required": "Skriv din e-postadress.",
                        "invalid": "Skriv en giltig e-postadress, t.ex. namn@exempel.se.",
                        "max_length": "Adressen är för lång."},
    )
    forbund = forms.ChoiceField(label="Förbund", required=False,
                                error_messages={"invalid_choice": "Välj ett av förbunden i listan."})
    anslag = forms.BooleanField(label="Nya anslag: justerade protokoll, delegationsbeslut och andra anslag",
                                required=False, initial=True)
    kungorelser = forms.BooleanField(label="Kungörelser av kommande sammanträden", required=False)

    def __init__(self, *args: Any, organisations: list[OrganisationChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        field = self.fields["forbund"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL, "Alla förbund")] + [(o.slug, o.name) for o in organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("anslag") and not data.get("kungorelser"):
            raise ValidationError("Välj om du vill ha nya anslag, kungörelser av sammanträden eller båda.")
        return data

    def organisation_id(self) -> int | None:
        slug = self.cleaned_data.get("forbund") or ALL
        return self.organisations[slug].pk if slug != ALL else None


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # Nothing here is for search engines.
    return public_response(render(request, template, {**context, "noindex": True}, status=status), noindex=True)


@csrf_exempt  # see the module's docstring
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    organisations = _organisations()
    chosen = request.GET.get("forbund", ALL)
    initial = {"forbund": chosen if any(o.slug == chosen for o in organisations) else ALL}
    form = SubscribeForm(request.POST or None, organisations=organisations, initial=initial)
    status, sent, limited = 200, False, False
    if request.method == "POST":
        if rate_limited("prenumeration:dator", request.META.get("REMOTE_ADDR", ""),
                        limit=settings.SUBSCRIBE_LIMIT_PER_IP):
            limited, status = True, 429
        elif form.is_valid():
            data = form.cleaned_data
            address = services.normalised_address(data["email"])
            if not rate_limited("prenumeration:adress", address, limit=settings.SUBSCRIBE_LIMIT_PER_ADDRESS):
                try:
                    services.subscription_request(
                        email=address, organisation_id=form.organisation_id(),
                        notices=data["anslag"], meetings=data["kungorelser"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
            if not form.errors:
                sent = True
                form = SubscribeForm(organisations=organisations, initial={"forbund": data["forbund"] or ALL})
        if form.errors:
            status = 422
    return _page(request, "public/subscribe.html", {
        "form": form, "sent": sent, "sent_text": SENT_TEXT, "limited": limited, "limited_text": LIMITED_TEXT,
        "confirm_hours": services.confirm_hours(),
    }, status=status)


@csrf_exempt  # the token in the URL is the key; see the module's docstring
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        subscription = services.subscription_confirm(token=token)
        confirmed = True
    else:
        subscription = services.subscription_by_token(token)
        confirmed = subscription is not None and subscription.is_confirmed
    if subscription is None:
        return _page(request, "public/subscription_gone.html", {"confirm_hours": services.confirm_hours()}, status=404)
    return _page(request, "public/subscription_confirm.html", {
        **_described(subscription), "confirmed": confirmed,
    })


@csrf_exempt  # RFC 8058: the mail client's POST carries no cookie and no form token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        # Whether or not it still existed: a second click (or the client's retry) is no error.
        services.subscription_cancel(token=token)
        return _page(request, "public/unsubscribe.html", {"done": True})
    subscription = services.subscription_by_token(token)
    if subscription is None:
        return _page(request, "public/subscription_gone.html", {"confirm_hours": services.confirm_hours()}, status=404)
    return _page(request, "public/unsubscribe.html", {**_described(subscription), "done": False})


def _described(subscription: Any) -> dict[str, Any]:
    """The subscription and what it is, in words, for its confirm and unsubscribe pages."""
    return {
        "subscription": subscription,
        "what": services.what_text(notices=subscription.notices, meetings=subscription.meetings),
        "scope": services.scope_text(subscription.organisation),
    }
