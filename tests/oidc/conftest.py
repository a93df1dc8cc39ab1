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


def login_at_provider(browser: requests.Session, url: str, login: str, back_to: str = REDIRECT) -> str:
    """Through the provider's own login and consent pages; the redirect to us (`back_to`), with the code."""
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
            if location.startswith(back_to):
                return location
            response = browser.get(location, allow_redirects=False)
    raise AssertionError("the provider never redirected back")




# --- The app's own OIDC views against the provider ------------------------------------------

RETURN_PATH = "/justering/e-legitimation/retur/"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
SUBSTANTIAL = "http://id.elegnamnden.se/loa/1.0/eidas-sub"
CHAIR_PNR = "196802022381"  # valid numbers: the Person model checks them
OTHER_PNR = "197001011233"
ACCOUNTS = {
    "ordforande": {"personalIdentityNumber": CHAIR_PNR, "given_name": "Ordforande", "family_name": "Testsson"},
    # The chair's number, but a login below the level the installation accepts.
    "lagniva": {"personalIdentityNumber": CHAIR_PNR, "given_name": "Ordforande", "family_name": "Testsson",
                "acr": SUBSTANTIAL},
    "annan": {"personalIdentityNumber": OTHER_PNR, "given_name": "Annan", "family_name": "Person"},
}


def app_provider(site_url: str) -> OidcProvider:
    """A provider whose client is Samordna at `site_url`, with the accounts above."""
    return OidcProvider(
        port=free_port(),
        clients=[{"client_id": "samordna", "client_secret": "test-secret",
                  "redirect_uris": [site_url + RETURN_PATH]}],
        accounts=ACCOUNTS,
    )


def use_provider(settings, op: OidcProvider, site_url: str) -> None:
    """settings.OIDC_PROVIDERS naming the tests' provider as "test" (label Test-eID), LoA 3 accepted."""
    settings.SITE_URL = site_url
    settings.OIDC_PROVIDERS = {"test": {"issuer": op.issuer, "client_id": "samordna", "client_secret": "test-secret",
                                        "label": "Test-eID", "acr_values": [LOA3]}}


@pytest.fixture(scope="module")
def app_op() -> Iterator[OidcProvider]:
    """The provider for the Django test client (host testserver)."""
    op = app_provider("http://testserver")
    op.start()
    yield op
    op.stop()


@pytest.fixture
def oidc_settings(settings, app_op: OidcProvider) -> OidcProvider:
    use_provider(settings, app_op, "http://testserver")
    return app_op
