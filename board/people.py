"""People, not logins: the one way a page, a message, a mail or the API names a user.

A user is shown as the person they are ("Ann Rilegård"); a user without a person (the site
admin) by the name on their login, and one without any name by a neutral label. Never by the
login (username) itself: it is a credential, and "sekreterare har ändrat den" tells nobody who.

Templates: `{% load samordna %}` then `{{ user|namn }}`. Roles are shown by their label
(`get_role_display`, `Signature.Role(key).label`), never by their key ("ordforande").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def display_name(user: Any) -> str:
    """ "Förnamn Efternamn" for a user: their person's name, else the name on the login, else
    "Administratör" (staff) or "Användare utan namn"; "" for nobody (None, anonymous).

    Reads `user.person` (the reverse one-to-one, cached on the user: select_related
    "person" or "<fk>__person" to spare the query where many users are named)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    person = getattr(user, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
    if person is not None and person.full_name:
        return str(person.full_name)
    full = (user.get_full_name() or "").strip()
    if full:
        return str(full)
    if user.is_staff or user.is_superuser:
        return _("Administratör")
    return _("Användare utan namn")

