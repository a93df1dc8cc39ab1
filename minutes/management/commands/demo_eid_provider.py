"""`make run`'s local e-ID provider: a TEST OpenID Provider, not a real e-ID.

It runs the same npm `oidc-provider` the tests start (tests/oidc/provider.mjs, configured like a
Swedish e-ID under the oidc.se profile) with the demo logins as its accounts, each with the
fictitious personnummer its person has in the demo (board/demo/data.py). bin/dev starts it when
`node_modules` holds oidc-provider and gives the web server the matching OIDC_PROVIDERS; at its
login page a demo login name (any password) signs in.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from board.demo.data import DEMO_IDENTITY_NUMBERS, USERS

PROVIDER = "demo"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def provider_environment(conf: dict[str, Any], port: int) -> dict[str, str]:
    """The provider's settings (tests/oidc/provider.mjs reads them from the environment)."""
    redirect = settings.SITE_URL.rstrip("/") + reverse("minutes:justering_oidc_return")
    accounts = {}
    for username, person_name, _superuser in USERS:
        number = DEMO_IDENTITY_NUMBERS.get(person_name or "")
        if number and person_name:
            given, _, family = person_name.partition(" ")
            accounts[username] = {"personalIdentityNumber": number, "given_name": given, "family_name": family,
                                  "acr": LOA3}
    clients = [{"client_id": conf["client_id"], "client_secret": conf["client_secret"], "redirect_uris": [redirect]}]
    return {"OIDC_PORT": str(port), "OIDC_CLIENTS": json.dumps(clients), "OIDC_ACCOUNTS": json.dumps(accounts)}


class Command(BaseCommand):
    help = "Run the demo's local test e-ID provider (OpenID Connect) in the foreground."

    def handle(self, *args: Any, **options: Any) -> None:
        conf = settings.OIDC_PROVIDERS.get(PROVIDER)
        if not conf:
            raise CommandError(f"OIDC_PROVIDERS has no {PROVIDER!r} entry (bin/dev sets it).")
        port = int(conf["issuer"].rstrip("/").rsplit(":", 1)[1])
        env = {**os.environ, **provider_environment(conf, port)}
        script = str(settings.BASE_DIR / "tests" / "oidc" / "provider.mjs")
        os.execvpe("node", ["node", script], env)
