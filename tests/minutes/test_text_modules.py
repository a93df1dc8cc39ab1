"""Text modules: an association's standard phrases and decisions, kept by its secretary.

The rules (shortcut, the decision's "Att", the phrase's HTML sanitised), the standard set every
association starts with, the management pages with their Swedish errors, the list the editor
fetches, and who must not get in: a ledamot (403), an outsider (404), anonymous (to log in).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from board.models import Organisation
from minutes.drafting import services
from minutes.models import TextModule

PHRASE, DECISION = TextModule.Kind.PHRASE, TextModule.Kind.DECISION


def add(org, secretary, **kwargs):
    values = {"name": "Prov", "shortcut": "prov", "kind": PHRASE, "text": "Ett prov."} | kwargs
    return services.text_module_add(organisation=org, actor=secretary, **values)


# --- The rules ---------------------------------------------------------------------------------


def test_a_typed_phrase_becomes_paragraphs_and_keeps_its_history(org, secretary):
    module = add(org, secretary, shortcut="/Fastställd", text="Första stycket & mer.\nSamma stycke.\n\nAndra.")
    assert module.shortcut == "fastställd"
    assert module.text == "<p>Första stycket &amp; mer.<br>Samma stycke.</p><p>Andra.</p>"
    assert services.phrase_as_typed(module.text) == "Första stycket & mer.\nSamma stycke.\n\nAndra."
    created = module.history.get()
    assert created.history_type == "+" and created.history_user == secretary


def test_a_phrase_in_html_keeps_the_bodys_formatting_and_loses_everything_else(org, secretary):
    module = add(org, secretary, text=(
        '<p style="color:red" class="MsoNormal" onclick="alert(1)">Styrelsen <strong>noterar</strong>'
        '<span style="font-family:Calibri"> informationen</span><script>alert(2)</script></p>'
        '<ul><li><a href="javascript:alert(3)">länk</a></li><li><a href="https://example.se">ok</a></li></ul>'
    ))
    assert "<strong>noterar</strong>" in module.text and "<ul><li>" in module.text
    for dropped in ("style", "class", "onclick", "script", "alert", "span", "javascript"):
        assert dropped not in module.text
    assert 'href="https://example.se"' in module.text


def test_a_phrase_that_is_only_markup_is_refused(org, secretary):
    with pytest.raises(ValidationError) as exc:
        add(org, secretary, text="<script>alert(1)</script><p> </p>")
    assert exc.value.message_dict == {"text": ["Skriv frasens text."]}


@pytest.mark.parametrize(("text", "error"), [
    ("godkänna dagordningen", "Ett beslut börjar med ”Att”, t.ex. ”Att godkänna dagordningen”."),
    ("Att godkänna\nAtt fastställa", "Ett beslut är en enda beslutssats, på en rad."),
    ("   ", "Skriv beslutet, t.ex. ”Att godkänna dagordningen”."),
])
def test_a_decision_is_one_clause_beginning_with_att(org, secretary, text, error):
    with pytest.raises(ValidationError) as exc:
        add(org, secretary, kind=DECISION, text=text)
    assert exc.value.message_dict == {"text": [error]}


def test_a_decision_is_kept_as_plain_text_with_a_capital_att(org, secretary):
    module = add(org, secretary, kind=DECISION, text="  att  godkänna <b>dagordningen</b> ")
    assert module.text == "Att godkänna <b>dagordningen</b>"  # plain text: escaped wherever shown


@pytest.mark.parametrize("shortcut", ["två ord", "/", "a/b", "-start", "x" * 41, "<b>"])
def test_a_shortcut_is_letters_digits_and_hyphens(org, secretary, shortcut):
    with pytest.raises(ValidationError) as exc:
        add(org, secretary, shortcut=shortcut)
    assert list(exc.value.message_dict) == ["shortcut"]


def test_a_shortcut_is_unique_in_the_association_only(org, other_org, secretary):
    with pytest.raises(ValidationError) as exc:
        add(org, secretary, shortcut="/Handlingarna")  # a standard module has it
    assert exc.value.message_dict == {
        "shortcut": ["Kortkommandot /handlingarna används redan av ”Informationen läggs till handlingarna”."]
    }
    assert add(other_org, secretary, shortcut="prov").organisation == other_org
    assert add(org, secretary, shortcut="prov").organisation == org


def test_the_database_refuses_a_shortcut_the_service_would_refuse(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        TextModule.objects.create(organisation=org, name="x", shortcut="Två ord", kind=PHRASE, text="<p>x</p>")
    with pytest.raises(IntegrityError), transaction.atomic():
        TextModule.objects.create(organisation=org, name="x", shortcut="handlingarna", kind=PHRASE, text="<p>x</p>")


def test_changing_and_removing_keep_the_history(org, secretary):
    module = add(org, secretary)
    services.text_module_update(module=module, name="Nytt namn", shortcut="nytt", text="Ny text.", actor=secretary)
    module.refresh_from_db()
    assert (module.name, module.shortcut, module.text) == ("Nytt namn", "nytt", "<p>Ny text.</p>")
    with pytest.raises(ValidationError) as exc:  # a phrase's HTML is no decision
        services.text_module_update(module=module, kind=DECISION, actor=secretary)
    assert list(exc.value.message_dict) == ["text"]
    pk = module.pk
    services.text_module_delete(module=module, actor=secretary)
    assert not TextModule.objects.filter(pk=pk).exists()
    assert [h.history_type for h in TextModule.history.filter(id=pk).order_by("history_id")] == ["+", "~", "-"]
    assert TextModule.history.filter(id=pk, history_type="-").get().history_user == secretary


# --- The standard set ---------------------------------------------------------------------------


def test_a_new_association_starts_with_the_standard_modules(db):
    org = Organisation.objects.create(name="Samordningsförbundet Nytt", slug="nytt")
    assert sorted(org.text_modules.values_list("kind", "shortcut", "text")) == sorted(
        (kind, shortcut, text) for kind, _, shortcut, text in services.DEFAULT_TEXT_MODULES
    )
    assert services.text_modules_create_defaults(organisation=org, actor=None) == []  # once only
    assert org.text_modules.count() == len(services.DEFAULT_TEXT_MODULES)


def test_the_standard_modules_pass_the_services_own_rules(org, secretary):
    for module in org.text_modules.all():
        saved = services.text_module_update(module=module, name=module.name, text=module.text, actor=secretary)
        assert saved.text == module.text


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_the_associations_that_exist_the_standard_modules():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # The whole project as it stood when 0017 was written: the board app too, or columns added to
    # board_organisation since (e.g. contact_email, NOT NULL) are still there when the historical
    # model of that time inserts a row without them.
    board = ("board", "0011_staffrole_archivist")
    before = [("minutes", "0016_paragraph_body_html"), board]
    after = [("minutes", "0017_text_modules"), board]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old.get_model("board", "Organisation").objects.create(name="Från förr", slug="forr")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        modules = new.get_model("minutes", "TextModule").objects.filter(organisation__slug="forr")
        assert sorted(modules.values_list("kind", "shortcut", "text")) == sorted(
            (kind, shortcut, text) for kind, _, shortcut, text in services.DEFAULT_TEXT_MODULES
        )
        history = new.get_model("minutes", "HistoricalTextModule").objects.filter(organisation_id=modules[0].organisation_id)
        assert history.count() == len(services.DEFAULT_TEXT_MODULES)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


# --- The pages ----------------------------------------------------------------------------------


def test_the_secretary_finds_the_page_from_the_meetings_and_sees_the_modules(login, org, secretary, member):
    meetings = reverse("minutes:meetings", args=[org.slug])
    url = reverse("minutes:text_modules", args=[org.slug])
    assert f'href="{url}"' in login(secretary).get(meetings).content.decode()
    assert f'href="{url}"' not in login(member).get(meetings).content.decode()
    page = login(secretary).get(url).content.decode()
    assert "Informationen läggs till handlingarna" in page and "/handlingarna" in page
    assert "Att godkänna dagordningen" in page


def test_the_secretary_adds_a_phrase_and_it_is_shown_sanitised(login, org, secretary):
    client = login(secretary)
    response = client.post(reverse("minutes:text_module_add", args=[org.slug]), {
        "name": "Jäv", "shortcut": "/jav", "kind": PHRASE, "text": "<p>Anmäler <em>jäv</em><img src=x onerror=alert(1)></p>",
    })
    assert response.status_code == 302 and response["Location"] == reverse("minutes:text_modules", args=[org.slug])
    module = org.text_modules.get(shortcut="jav")
    assert module.text == "<p>Anmäler <em>jäv</em></p>"
    page = client.get(response["Location"]).content.decode()
    assert "Textmodulen ”Jäv” är tillagd." in page and "<em>jäv</em>" in page and "onerror" not in page


def test_the_form_shows_errors_in_swedish(login, org, secretary):
    response = login(secretary).post(reverse("minutes:text_module_add", args=[org.slug]), {
        "name": "", "shortcut": "/handlingarna", "kind": DECISION, "text": "godkänna",
    })
    assert response.status_code == 422
    page = response.content.decode()
    assert "Formuläret innehåller fel" in page and "Detta fält måste fyllas i." in page  # Django's, in Swedish
    response = login(secretary).post(reverse("minutes:text_module_add", args=[org.slug]), {
        "name": "Godkänna", "shortcut": "/handlingarna", "kind": DECISION, "text": "godkänna",
    })
    page = response.content.decode()
    assert response.status_code == 422
    assert "Kortkommandot /handlingarna används redan av ”Informationen läggs till handlingarna”." in page
    assert "Ett beslut börjar med ”Att”" in page
    assert not org.text_modules.filter(name="Godkänna").exists()


def test_the_secretary_changes_a_module_from_its_form_as_typed(login, org, secretary):
    module = org.text_modules.get(shortcut="handlingarna")
    url = reverse("minutes:text_module_change", args=[org.slug, module.pk])
    client = login(secretary)
    form = client.get(url).content.decode()
    assert 'value="/handlingarna"' in form
    assert ">\nStyrelsen noterar informationen och lägger den till handlingarna.</textarea>" in form
    response = client.post(url, {"name": module.name, "shortcut": "/noterat", "kind": PHRASE, "text": "Noterat."})
    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.shortcut, module.text) == ("noterat", "<p>Noterat.</p>")
    assert module.history.first().history_user == secretary


def test_the_secretary_removes_a_module_after_confirming(login, org, secretary):
    module = org.text_modules.get(shortcut="bordlagg")
    url = reverse("minutes:text_module_delete", args=[org.slug, module.pk])
    client = login(secretary)
    assert "Ta bort textmodulen ”Bordlägga ärendet”?" in client.get(url).content.decode()
    assert org.text_modules.filter(pk=module.pk).exists()  # the GET asked only
    assert client.post(url).status_code == 302
    assert not org.text_modules.filter(pk=module.pk).exists()


def test_the_editor_gets_the_modules_of_the_meetings_association(login, meeting, org, other_org, secretary):
    add(other_org, secretary, name="Annat förbunds", shortcut="annat")
    data = login(secretary).get(reverse("minutes:text_modules_json", args=[meeting.pk])).json()
    assert data["manage_url"] == reverse("minutes:text_modules", args=[org.slug])
    by_shortcut = {m["shortcut"]: m for m in data["modules"]}
    assert set(by_shortcut) == set(org.text_modules.values_list("shortcut", flat=True))
    assert by_shortcut["handlingarna"] | {"id": 0} == {
        "id": 0, "name": "Informationen läggs till handlingarna", "shortcut": "handlingarna", "kind": "fras",
        "text": "<p>Styrelsen noterar informationen och lägger den till handlingarna.</p>",
    }
    assert by_shortcut["dagordning"]["kind"] == "beslut"
    assert by_shortcut["dagordning"]["text"] == "Att godkänna dagordningen"


# --- Who must not get in --------------------------------------------------------------------------


def guarded(org, meeting) -> list[tuple[str, str]]:
    module = org.text_modules.first()
    return [
        ("get", reverse("minutes:text_modules", args=[org.slug])),
        ("get", reverse("minutes:text_module_add", args=[org.slug])),
        ("post", reverse("minutes:text_module_add", args=[org.slug])),
        ("get", reverse("minutes:text_module_change", args=[org.slug, module.pk])),
        ("post", reverse("minutes:text_module_change", args=[org.slug, module.pk])),
        ("get", reverse("minutes:text_module_delete", args=[org.slug, module.pk])),
        ("post", reverse("minutes:text_module_delete", args=[org.slug, module.pk])),
        ("get", reverse("minutes:text_modules_json", args=[meeting.pk])),
    ]


VALID = {"name": "Intrång", "shortcut": "intrang", "kind": PHRASE, "text": "Intrång."}


def test_a_ledamot_of_the_association_may_not_manage_or_fetch_them(login, org, meeting, member):
    client = login(member)
    before = list(org.text_modules.values_list("pk", "name", "shortcut", "text"))
    for method, url in guarded(org, meeting):
        assert getattr(client, method)(url, VALID if method == "post" else None).status_code == 403, url
    assert list(org.text_modules.values_list("pk", "name", "shortcut", "text")) == before


def test_an_outsider_learns_nothing_of_them(login, org, meeting, outsider):
    client = login(outsider)
    before = list(org.text_modules.values_list("pk", "name", "shortcut", "text"))
    for method, url in guarded(org, meeting):
        assert getattr(client, method)(url, VALID if method == "post" else None).status_code == 404, url
    assert list(org.text_modules.values_list("pk", "name", "shortcut", "text")) == before


def test_a_secretary_cannot_reach_another_associations_module_through_their_own(login, org, other_org, secretary, outsider):
    theirs = other_org.text_modules.first()
    client = login(secretary)
    for name in ("text_module_change", "text_module_delete"):
        url = reverse(f"minutes:{name}", args=[org.slug, theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, VALID).status_code == 404
    assert TextModule.objects.filter(pk=theirs.pk, name=theirs.name).exists()


def test_anonymous_is_sent_to_log_in(client, org, meeting):
    for method, url in guarded(org, meeting):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"), url


# --- The API ------------------------------------------------------------------------------------


def api(user):
    from django.test import Client

    from board.models import ApiToken

    _token, key = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_secretary_keeps_the_modules_through_the_api(org, meeting, secretary):
    c = api(secretary)
    listed = c.get(f"/api/v1/organisations/{org.slug}/text-modules").json()
    assert {m["shortcut"] for m in listed} == set(org.text_modules.values_list("shortcut", flat=True))
    r = c.post(f"/api/v1/organisations/{org.slug}/text-modules", {
        "name": "Jäv", "shortcut": "/jav", "kind": "fras", "text": "Anmäler <em>jäv</em><script>x</script>",
    }, content_type="application/json")
    assert r.status_code == 201, r.content
    created = r.json()
    assert created | {"id": 0} == {"id": 0, "organisation": org.slug, "name": "Jäv", "shortcut": "jav",
                                   "kind": "fras", "text": "<p>Anmäler <em>jäv</em></p>"}
    bad = c.post(f"/api/v1/organisations/{org.slug}/text-modules", {
        "name": "Dubbel", "shortcut": "jav", "kind": "beslut", "text": "godkänna",
    }, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"] == {
        "shortcut": ["Kortkommandot /jav används redan av ”Jäv”."],
        "text": ["Ett beslut börjar med ”Att”, t.ex. ”Att godkänna dagordningen”."],
    }
    null = c.patch(f"/api/v1/text-modules/{created['id']}", {"name": None}, content_type="application/json")
    assert null.status_code == 422 and "null" in null.json()["detail"]["name"][0]
    changed = c.patch(f"/api/v1/text-modules/{created['id']}", {"name": "Jäv anmäls"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["name"] == "Jäv anmäls"
    for_meeting = c.get(f"/api/v1/meetings/{meeting.pk}/text-modules").json()
    assert "Jäv anmäls" in {m["name"] for m in for_meeting}
    assert c.delete(f"/api/v1/text-modules/{created['id']}").status_code == 204
    assert not org.text_modules.filter(pk=created["id"]).exists()


def test_the_api_refuses_a_ledamot_with_403_and_an_outsider_with_404(org, meeting, member, outsider):
    module = org.text_modules.first()
    calls = [
        ("get", f"/api/v1/organisations/{org.slug}/text-modules", None),
        ("post", f"/api/v1/organisations/{org.slug}/text-modules", VALID),
        ("get", f"/api/v1/text-modules/{module.pk}", None),
        ("patch", f"/api/v1/text-modules/{module.pk}", {"name": "Intrång"}),
        ("delete", f"/api/v1/text-modules/{module.pk}", None),
        ("get", f"/api/v1/meetings/{meeting.pk}/text-modules", None),
    ]
    before = list(org.text_modules.values_list("pk", "name", "shortcut", "text"))
    for user, status in ((member, 403), (outsider, 404)):
        c = api(user)
        for method, url, body in calls:
            kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
            assert getattr(c, method)(url, **kwargs).status_code == status, (user, method, url)
    assert list(org.text_modules.values_list("pk", "name", "shortcut", "text")) == before
