"""The association's text modules: the secretary's page to list, add, change and remove them,
and the list the editor fetches for a meeting (JSON).

Everyone who may edit the association's minutes manages its modules; anyone else who may see
the association gets 403, an outsider 404 (as the meeting pages do).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from board.forms import add_service_errors
from board.models import Organisation
from board.permissions import Action, can, organisation_or_404

from ...models import TextModule
from .. import services
from ..forms import TextModuleForm
from ..selectors import text_modules_of
from .common import meeting_or_404


def _organisation_to_edit(request: HttpRequest, slug: str) -> Organisation:
    organisation = organisation_or_404(request.user, slug)
    if not can(request.user, Action.EDIT_MINUTES, organisation):
        raise PermissionDenied
    return organisation


def _module_or_404(organisation: Organisation, pk: int) -> TextModule:
    return get_object_or_404(TextModule, pk=pk, organisation=organisation)


def _list_url(organisation: Organisation) -> str:
    return reverse("minutes:text_modules", args=[organisation.slug])


@login_required
@require_GET
def text_module_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_to_edit(request, slug)
    modules = list(text_modules_of(organisation))
    return render(request, "minutes/text_modules.html", {
        "organisation": organisation,
        "phrases": [m for m in modules if m.kind == TextModule.Kind.PHRASE],
        "decisions": [m for m in modules if m.kind == TextModule.Kind.DECISION],
    })


def _form_page(request: HttpRequest, organisation: Organisation, form: TextModuleForm,
               module: TextModule | None) -> HttpResponse:
    return render(request, "minutes/text_module_form.html", {
        "organisation": organisation, "form": form, "module": module,
    }, status=422 if form.errors else 200)


def _submit(request: HttpRequest, organisation: Organisation, form: TextModuleForm, module: TextModule | None,
            done: str, save: Callable[[dict[str, Any]], TextModule]) -> HttpResponse:
    """The add and change pages' POST: save through the service, its refusals shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done % {"n": saved.name})
            return redirect(_list_url(organisation))
    return _form_page(request, organisation, form, module)


@login_required
@require_http_methods(["GET", "POST"])
def text_module_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_to_edit(request, slug)
    form = TextModuleForm(request.POST or None, initial={"kind": TextModule.Kind.PHRASE})
    return _submit(request, organisation, form, None, _("Textmodulen ”%(n)s” är tillagd."),
                   lambda data: services.text_module_add(organisation=organisation, **data, actor=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def text_module_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_to_edit(request, slug)
    module = _module_or_404(organisation, pk)
    text = services.phrase_as_typed(module.text) if module.kind == TextModule.Kind.PHRASE else module.text
    form = TextModuleForm(request.POST or None, initial={
        "name": module.name, "shortcut": f"/{module.shortcut}", "kind": module.kind, "text": text,
    })
    return _submit(request, organisation, form, module, _("Textmodulen ”%(n)s” är sparad."),
                   lambda data: services.text_module_update(module=module, **data, actor=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def text_module_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_to_edit(request, slug)
    module = _module_or_404(organisation, pk)
    if request.method == "POST":
        services.text_module_delete(module=module, actor=request.user)
        messages.success(request, _("Textmodulen ”%(n)s” är borttagen.") % {"n": module.name})
        return redirect(_list_url(organisation))
    return render(request, "minutes/text_module_delete.html", {"organisation": organisation, "module": module})


@login_required
@require_GET
def text_modules_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The modules of the meeting's association, for the editor's menu and shortcuts."""
    meeting = meeting_or_404(request, pk, edit=True)
    organisation = meeting.organ.organisation
    return JsonResponse({
        "manage_url": _list_url(organisation),
        "modules": [
            {
                "id": m.pk, "name": m.name, "shortcut": m.shortcut, "kind": m.kind,
                "text": services.clean_phrase_html(m.text) if m.kind == TextModule.Kind.PHRASE else m.text,
            }
            for m in text_modules_of(organisation)
        ],
    })
