"""An association's text modules: standard phrases for a paragraph's body and standard
decisions ("Att …" clauses), added, changed and removed by whoever may edit its minutes.

A phrase is kept in the body's restricted HTML subset, sanitised with nh3 on every save by the
body's own rendering.clean_html: text typed without tags becomes paragraphs (a blank line
starts a new one, a line break stays one).
A decision is one line of plain text beginning with "Att", as a decision clause is. The
shortcut is kept without its slash, in lower case, unique in the association.

Every association starts with DEFAULT_TEXT_MODULES: new ones when they are created
(minutes/drafting/receivers.py), those that existed before text modules by the migration
minutes 0017 (which keeps its own copy of this list, as migrations do).
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from board.audit import acting_user, save_with_actor
from board.models import Organisation

from ...models import SHORTCUT_MAX_LENGTH, SHORTCUT_PATTERN, TextModule
from ..rendering import clean_html, is_html
from .editing import clean_text, delete_row

PHRASE = TextModule.Kind.PHRASE
DECISION = TextModule.Kind.DECISION

# (kind, name, shortcut, text): what a secretary writes in almost every set of minutes.
DEFAULT_TEXT_MODULES: tuple[tuple[str, str, str, str], ...] = (
    (PHRASE, "Informationen läggs till handlingarna", "handlingarna",
     "<p>Styrelsen noterar informationen och lägger den till handlingarna.</p>"),
    (PHRASE, "Förbundschefen föredrar", "foredrar", "<p>Förbundschefen föredrar ärendet.</p>"),
    (PHRASE, "Mötets öppnande", "oppnande",
     "<p>Ordförande hälsar alla välkomna och förklarar mötet öppnat.</p>"),
    (PHRASE, "Mötets avslutande", "avslutande",
     "<p>Ordförande tackar alla närvarande och förklarar mötet avslutat.</p>"),
    (DECISION, "Godkänna dagordningen", "dagordning", "Att godkänna dagordningen"),
    (DECISION, "Godkänna föregående protokoll", "foregaende",
     "Att föregående protokoll godkänns och läggs till handlingarna."),
    (DECISION, "Lägga informationen till handlingarna", "tillhandlingarna",
     "Att lägga informationen till handlingarna"),
    (DECISION, "Bordlägga ärendet", "bordlagg", "Att bordlägga ärendet till nästa sammanträde"),
)

NAME_MAX_LENGTH = 100
PHRASE_MAX_LENGTH = 10_000
DECISION_MAX_LENGTH = 1_000

_SHORTCUT = re.compile(SHORTCUT_PATTERN)
_TAG = re.compile(r"<[a-zA-Z/!]")


def clean_phrase_html(text: str | None) -> str:
    """The phrase as the body's HTML subset (rendering.clean_html, as a body is saved): typed
    text becomes <p> paragraphs; HTML keeps what the subset allows and loses the rest. Inline
    markup alone ("Anmäler <em>jäv</em>") is one paragraph, where clean_html would take HTML
    that does not start with a block for plain text and show its tags as characters."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if _TAG.search(text) and not is_html(text):
        text = f"<p>{text}</p>"
    return clean_html(text)


_SIMPLE = re.compile(r"^(<p>(?:(?!</?(?!br>)[a-z]).)*</p>)+$", re.DOTALL)


def phrase_as_typed(html: str) -> str:
    """A phrase of plain paragraphs back as the text one would type for it (for the form);
    any other HTML as it is."""
    if not _SIMPLE.match(html or ""):
        return html
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
    # nh3 leaves the text's entities escaped (&amp;); the form shows the characters.
    return "\n\n".join(html_lib.unescape(nh3.clean(p.replace("<br>", "\n"), tags=set())) for p in paragraphs)


def normalised_shortcut(value: str) -> str:
    return clean_text(value).lstrip("/").strip().lower()


def _validated(
    module: TextModule, *, name: str, shortcut: str, kind: str, text: str
) -> TextModule:
    errors: dict[str, str] = {}
    module.name = clean_text(name)
    if not module.name:
        errors["name"] = _("Ange ett namn.")
    elif len(module.name) > NAME_MAX_LENGTH:
        errors["name"] = _("Namnet får vara högst %(n)s tecken.") % {"n": NAME_MAX_LENGTH}
    module.shortcut = normalised_shortcut(shortcut)
    if not module.shortcut:
        errors["shortcut"] = _("Ange ett kortkommando, t.ex. /handlingarna.")
    elif len(module.shortcut) > SHORTCUT_MAX_LENGTH:
        errors["shortcut"] = _("Kortkommandot får vara högst %(n)s tecken.") % {"n": SHORTCUT_MAX_LENGTH}
    elif not _SHORTCUT.match(module.shortcut):
        errors["shortcut"] = _(
            "Kortkommandot får bara innehålla bokstäver, siffror och bindestreck (inga mellanslag), "
            "t.ex. /handlingarna."
        )
    else:
        taken = (
            TextModule.objects.filter(organisation_id=module.organisation_id, shortcut=module.shortcut)
            .exclude(pk=module.pk).first()
        )
        if taken is not None:
            errors["shortcut"] = _("Kortkommandot /%(s)s används redan av ”%(n)s”.") % {
                "s": module.shortcut, "n": taken.name,
            }
    if kind not in TextModule.Kind.values:
        errors["kind"] = _("Välj fras eller beslut.")
    module.kind = kind
    if kind == DECISION:
        module.text = " ".join(clean_text(text).split())
        if not module.text:
            errors["text"] = _("Skriv beslutet, t.ex. ”Att godkänna dagordningen”.")
        elif "\n" in clean_text(text):
            errors["text"] = _("Ett beslut är en enda beslutssats, på en rad.")
        elif not module.text.lower().startswith("att "):
            errors["text"] = _("Ett beslut börjar med ”Att”, t.ex. ”Att godkänna dagordningen”.")
        elif len(module.text) > DECISION_MAX_LENGTH:
            errors["text"] = _("Beslutet får vara högst %(n)s tecken.") % {"n": DECISION_MAX_LENGTH}
        else:
            module.text = "A" + module.text[1:]
    elif kind == PHRASE:
        module.text = clean_phrase_html(text)
        if not nh3.clean(module.text, tags=set()).strip():
            errors["text"] = _("Skriv frasens text.")
        elif len(module.text) > PHRASE_MAX_LENGTH:
            errors["text"] = _("Frasen får vara högst %(n)s tecken.") % {"n": PHRASE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return module


@transaction.atomic
def text_module_add(
    *, organisation: Organisation, name: str, shortcut: str, kind: str, text: str, actor: Any
) -> TextModule:
    # One writer at a time per association, so two secretaries cannot take one shortcut.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    module = _validated(
        TextModule(organisation=organisation), name=name, shortcut=shortcut, kind=kind, text=text
    )
    module.updated_by = acting_user(actor)
    save_with_actor(module, actor)
    return module


TEXT_MODULE_FIELDS = ("name", "shortcut", "kind", "text")


@transaction.atomic
def text_module_update(*, module: TextModule, actor: Any, **changes: Any) -> TextModule:
    Organisation.objects.select_for_update().filter(pk=module.organisation_id).first()
    module = TextModule.objects.select_for_update().get(pk=module.pk)
    for name in changes:
        if name not in TEXT_MODULE_FIELDS:
            raise ValidationError({name: _("Fältet kan inte ändras.")})
    for name, value in changes.items():
        if value is None:
            raise ValidationError({name: _("Värdet får inte vara null: utelämna fältet eller ange ett värde.")})
    values = {f: getattr(module, f) for f in TEXT_MODULE_FIELDS} | changes
    if changes.get("kind") not in (None, module.kind) and "text" not in changes:
        # A phrase's HTML is no decision, nor the reverse: the new kind needs its text.
        raise ValidationError({"text": _("Skriv texten på nytt när slaget ändras.")})
    _validated(module, **values)
    module.updated_by = acting_user(actor)
    save_with_actor(module, actor)
    return module


@transaction.atomic
def text_module_delete(*, module: TextModule, actor: Any) -> None:
    delete_row(module, actor)


@transaction.atomic
def text_modules_create_defaults(*, organisation: Organisation, actor: Any) -> list[TextModule]:
    """The standard modules, for an association that has none yet (a second call adds nothing)."""
    if TextModule.objects.filter(organisation=organisation).exists():
        return []
    created = []
    for kind, name, shortcut, text in DEFAULT_TEXT_MODULES:
        created.append(text_module_add(
            organisation=organisation, name=name, shortcut=shortcut, kind=kind, text=text, actor=actor,
        ))
    return created
