"""The attendance list (närvaro) and the adjusters (justerare)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from ...models import Attendance
from .. import services
from .common import meeting_or_404, paragraph_of_meeting, person_or_422
from .schemas import AdjustersIn, AttendanceIn, AttendanceOut

router = Router()


@router.get("/meetings/{pk}/attendance", response=list[AttendanceOut])
def attendance_list(request: HttpRequest, pk: int) -> QuerySet[Attendance]:
    meeting = meeting_or_404(request, pk)
    return meeting.attendances.select_related("person")


@router.post("/meetings/{pk}/attendance/prefill", response=list[AttendanceOut])
def attendance_prefill(request: HttpRequest, pk: int) -> QuerySet[Attendance]:
    meeting = meeting_or_404(request, pk, edit=True)
    services.attendance_prefill(meeting=meeting, actor=request.user)
    return meeting.attendances.select_related("person")


@router.put("/meetings/{pk}/attendance", response=AttendanceOut)
def attendance_set(request: HttpRequest, pk: int, payload: AttendanceIn) -> Attendance:
    meeting = meeting_or_404(request, pk, edit=True)
    data = payload.dict(exclude_unset=True)
    person = person_or_422(data.pop("person_id"))
    if person is None:
        raise ValidationError({"person_id": "Ange personen."})
    values: dict[str, Any] = {}
    if "replacing_id" in data:
        values["replacing"] = person_or_422(data.pop("replacing_id"), "replacing_id")
    for name in ("from_paragraph", "until_paragraph"):
        if f"{name}_id" in data:
            values[name] = paragraph_of_meeting(meeting, data.pop(f"{name}_id"), f"{name}_id")
    values.update(data)
    return services.attendance_set(meeting=meeting, person=person, actor=request.user, **values)


@router.delete("/attendance/{pk}", response={204: None})
def attendance_remove(request: HttpRequest, pk: int) -> Status[None]:
    row = get_object_or_404(Attendance, pk=pk)
    meeting_or_404(request, row.meeting_id, edit=True)
    services.attendance_remove(attendance=row, actor=request.user)
    return Status(204, None)


@router.put("/meetings/{pk}/adjusters", response=list[int])
def adjusters_set(request: HttpRequest, pk: int, payload: AdjustersIn) -> list[int]:
    meeting = meeting_or_404(request, pk, edit=True)
    persons = [person_or_422(i, "person_ids") for i in payload.person_ids]
    chosen = services.adjusters_set(meeting=meeting, persons=persons, actor=request.user)  # type: ignore[arg-type]
    return [a.person_id for a in chosen]
