"""Issue an API key for a user. The key is printed once; only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from board.audit import event_record
from board.models import ApiToken


class Command(BaseCommand):
    help = "Skapar en API-nyckel för en användare och skriver ut den en gång."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="Vad nyckeln används till, t.ex. 'diariet'.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Ingen användare heter {username!r}.") from exc
        token, key = ApiToken.issue(user=user, name=name)
        event_record(verb="api_token.created", actor=user, target=token, summary=f"{name} ({token.prefix}…)")
        self.stdout.write(key)
        self.stderr.write(f"Nyckeln visas bara nu. Använd den som: Authorization: Bearer {key[:8]}…")
