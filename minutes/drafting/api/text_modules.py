"""The association's text modules: list, add, change, remove, and those of a meeting's
association (what the editor offers). Whoever may edit the association's minutes; anyone else
who may see it gets 403, an outsider 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from board.models import Organisation
from board.permissions import Action, can, organisation_or_404

from ...models import TextModule
from .. import services
from ..selectors import text_modules_of
from .common import meeting_or_404
from .schemas import TextModuleIn, TextModuleOut, TextModulePatch

router = Router()

REFUSED = "Du får inte ändra protokoll i det här förbundet."


def _organisation_to_edit(request: HttpRequest, slug: str) -> Organisation:
    organisation = organisation_or_404(request.user, slug)
    if not can(request.user, Action.EDIT_MINUTES, organisation):
        raise PermissionDenied(REFUSED)
    return organisation


def _module_to_edit(request: HttpRequest, pk: int) -> TextModule:
    module = get_object_or_404(TextModule.objects.select_related("organisation"), pk=pk)
    if not can(request.user, Action.VIEW, module.organisation_id):
        raise Http404
    if not can(request.user, Action.EDIT_MINUTES, module.organisation_id):
        raise PermissionDenied(REFUSED)
    return module


@router.get("/organisations/{slug}/text-modules", response=list[TextModuleOut])
def text_module_list(request: HttpRequest, slug: str) -> list[TextModule]:
    return _of(_organisation_to_edit(request, slug))


@router.post("/organisations/{slug}/text-modules", response={201: TextModuleOut})
def text_module_add(request: HttpRequest, slug: str, payload: TextModuleIn) -> Status[TextModule]:
    organisation = _organisation_to_edit(request, slug)
    return Status(201, services.text_module_add(organisation=organisation, **payload.dict(), actor=request.user))


@router.get("/text-modules/{pk}", response=TextModuleOut)
def text_module_detail(request: HttpRequest, pk: int) -> TextModule:
    return _module_to_edit(request, pk)


@router.patch("/text-modules/{pk}", response=TextModuleOut)
def text_module_update(request: HttpRequest, pk: int, payload: TextModulePatch) -> TextModule:
    module = _module_to_edit(request, pk)
    saved = services.text_module_update(module=module, **payload.dict(exclude_unset=True), actor=request.user)
    saved.organisation = module.organisation  # the service reads the row again, without its association
    return saved


@router.delete("/text-modules/{pk}", response={204: None})
def text_module_delete(request: HttpRequest, pk: int) -> Status[None]:
    services.text_module_delete(module=_module_to_edit(request, pk), actor=request.user)
    return Status(204, None)


@router.get("/meetings/{pk}/text-modules", response=list[TextModuleOut])
def meeting_text_modules(request: HttpRequest, pk: int) -> list[TextModule]:
    """The modules the editor offers in this meeting's minutes: its association's."""
    return _of(meeting_or_404(request, pk, edit=True).organ.organisation)


def _of(organisation: Organisation) -> list[TextModule]:
    """The association's modules, each with the association it was read by (TextModuleOut
    answers its slug): no query per module."""
    modules = list(text_modules_of(organisation))
    for module in modules:
        module.organisation = organisation
    return modules
