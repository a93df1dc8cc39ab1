"""The tests' OpenID Provider, started once per module, and a browser's way through its pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from tests.servers import OidcProvider, free_port

PNR = "https://id.oidc.se/claim/personalIdentityNumber"
REDIRECT = "http://127.0.0.1:9/callback"  # never called: the test reads the code off the redirect


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    op = OidcProvider(
        port=free_port(),
        clients=[{"client_id": "samordna", "client_secret": "test-secret", "redirect_uris": [REDIRECT]}],
        accounts={"roger": {"personalIdentityNumber": "196802022389", "given_name": "Roger",
                            "family_name": "Ingvarsson"}},
    )
    op.start()
    yield op
    op.stop()


def login_at_provider(browser: requests.Session, url: str, login: str) -> str:
    """Through the provider's own login and consent pages; the redirect to us, with the code."""
    response = browser.get(url, allow_redirects=True)
    for _step in range(4):
        form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        assert form, response.text[:500]
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', response.text))
        if 'name="login"' in response.text:
            fields.update(login=login, password="any")
        response = browser.post(requests.compat.urljoin(response.url, form.group(1)), data=fields,
                                allow_redirects=False)
        while response.is_redirect:
            location = requests.compat.urljoin(response.url, response.headers["Location"])
            if location.startswith(REDIRECT):
                return location
            response = browser.get(location, allow_redirects=False)
    raise AssertionError("the provider never redirected back")


