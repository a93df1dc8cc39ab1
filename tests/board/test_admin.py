"""The back office: every registry model is in the admin with its history."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from board.models import (
    Appointment,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    Person,
    StaffRole,
)

HISTORY_MODELS = [Organisation, MemberOrganisation, Membership, Organ, Person, Appointment, StaffRole]


@pytest.mark.parametrize("model", HISTORY_MODELS)
def test_registry_models_use_simple_history_admin(model):
    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def test_site_admin_opens_list_change_and_history_of_every_registry_model(board, chair, secretary, site_admin, login):
    client = login(site_admin)
    for model in HISTORY_MODELS:
        opts = model._meta
        obj = model.objects.first()
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
        history = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
        assert history.status_code == 200, model
    for name in ("auditevent", "apitoken"):
        assert client.get(reverse(f"admin:board_{name}_changelist")).status_code == 200


def test_association_users_do_not_get_into_the_admin(board, secretary, outsider, login):
    for user in (secretary, outsider):
        response = login(user).get(reverse("admin:board_person_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_site_admin_names_the_person_responsible_for_notices_with_history(board, secretary, site_admin, login):
    org = board.organisation
    person = secretary.person
    url = reverse("admin:board_organisation_change", args=[org.pk])
    client = login(site_admin)
    form = client.get(url).context["adminform"].form
    assert "notice_responsible" in form.fields
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"notice_responsible": person.pk, "mandate_years": org.mandate_years})
    for prefix in ("memberships", "organs"):  # the inlines, left as they are
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    org.refresh_from_db()
    assert org.notice_responsible == person
    assert org.history.first().notice_responsible_id == person.pk
    assert org.history.first().history_user == site_admin
    # Shown with the association's other settings, on its page and in the API.
    page = " ".join(client.get(reverse("board:organisation", args=[org.slug])).content.decode().split())
    assert f"<dt>Ansvarig för anslag</dt><dd>{person.full_name}</dd>" in page
    assert client.get(f"/api/v1/organisations/{org.slug}").json()["notice_responsible"] == person.full_name
