"""Done when (issue 15): in `make run`'s demo a signer of the NVSam 2023-11-02 minutes signs with
e-ID through the local TEST provider (`manage.py demo_eid_provider`: the tests' oidc-provider with
`provider_environment`'s clients and accounts, and the "demo" OIDC_PROVIDERS entry bin/dev sets),
another signs with a passkey added after identifying with that e-ID, the sealed full PDF's
Underskrifter page shows both methods at the advanced level, and /verifiera/ finds each signer's
evidence valid. In Debian's Chromium, with the real Celery worker sealing the PDF."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from board.demo import loader as board_demo
from board.demo.data import DEMO_IDENTITY_NUMBERS, PASSWORD
from board.documents.models import RenderedDocument
from board.identity import Level, mask
from minutes.demo import loader as minutes_demo
from minutes.management.commands.demo_eid_provider import PROVIDER, provider_environment
from minutes.models import Meeting, Signature
from tests.conftest import wait_until_rendered
from tests.servers import OidcProvider, free_port

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def _bin_dev_providers(port: int) -> dict:
    """OIDC_PROVIDERS exactly as bin/dev exports it for the demo, with the provider on `port`."""
    script = (Path(django_settings.BASE_DIR) / "bin" / "dev").read_text()
    found = re.search(r'export OIDC_PROVIDERS="(.*)"\n', script)
    assert found, "bin/dev no longer sets the demo's OIDC_PROVIDERS"
    return json.loads(found.group(1).replace('\\"', '"').replace("$EID_PORT", str(port)))


@pytest.fixture
def demo_op(live_server, settings) -> Iterator[tuple[OidcProvider, str]]:
    """The demo's test e-ID provider, as make run starts it, sending signers back to the live server."""
    settings.SITE_URL = live_server.url
    port = free_port()
    settings.OIDC_PROVIDERS = _bin_dev_providers(port)
    conf = settings.OIDC_PROVIDERS[PROVIDER]
    environment = provider_environment(conf, port)
    op = OidcProvider(port=port, clients=json.loads(environment["OIDC_CLIENTS"]),
                      accounts=json.loads(environment["OIDC_ACCOUNTS"]))
    op.start()
    assert op.issuer == conf["issuer"]
    yield op, conf["label"]
    op.stop()


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _at_the_provider(page, live_server, login: str) -> None:
    """The test provider's own login page: the demo login name, any password; back at our site."""
    page.wait_for_url(lambda url: not url.startswith(live_server.url))
    page.get_by_label("Användarnamn").fill(login)
    page.get_by_label("Lösenord").fill("vad-som-helst")
    page.get_by_label("Lösenord").press("Enter")
    page.wait_for_url(lambda url: url.startswith(live_server.url) and "/retur/" not in url)
    page.wait_for_load_state()


def _authenticator(page) -> None:
    """A virtual platform authenticator (Chrome DevTools Protocol, WebAuthn domain)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True,
    }})


def test_the_demo_minutes_are_signed_with_e_id_and_a_passkey_sealed_and_verified(  # noqa: PLR0915 - one story
        live_server, demo_op, page, celery_worker, cleanup_files, tmp_path):
    op, label = demo_op
    board_demo.load(stdout=io.StringIO())
    minutes_demo.load(stdout=io.StringIO())
    meeting = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"
    _authenticator(page)

    _login(page, live_server, "sekreterare")
    page.goto(url)
    page.get_by_role("button", name="Skicka för justering").click()
    page.wait_for_load_state()
    assert "Protokollet är skickat för justering." in page.inner_text("main")

    # The chair: e-ID at the demo's test provider, logging in there with her demo login name.
    _login(page, live_server, "ordforande")
    page.goto(url)
    page.get_by_role("button", name=f"Skriv under med {label}").click()
    _at_the_provider(page, live_server, "ordforande")
    assert page.url.startswith(url)
    assert f"Du har skrivit under protokollet med {label}." in page.inner_text("main")
    chair = Signature.objects.get(version__meeting=meeting, user__username="ordforande")
    assert (chair.method, chair.level) == (f"oidc-{PROVIDER}", Level.ADVANCED)
    assert chair.identity_masked == mask(DEMO_IDENTITY_NUMBERS["Elisabet Pettersson"])

    # The justerare: identifies with e-ID on the account page, then adds a passkey (advanced) and signs with it.
    _login(page, live_server, "justerare")
    page.goto(f"{live_server.url}/konto/e-legitimation/")
    page.get_by_role("button", name=f"Identifiera dig med {label}").click()
    _at_the_provider(page, live_server, "justerare")
    assert "Du är identifierad med e-legitimation." in page.inner_text("main")
    page.goto(f"{live_server.url}/konto/passkeys/")
    assert "ger en avancerad elektronisk underskrift" in page.inner_text("#passkey-level")
    form = page.locator("#passkey-add")
    form.get_by_label("Namn på passkeyn").fill("Demotelefon")
    form.get_by_label("Ditt lösenord").fill(PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button", name="Lägg till passkey").click()
    page.wait_for_load_state()
    assert "Passkeyn Demotelefon är upplagd." in page.inner_text("main")
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Skriv under med passkey").click()
    page.wait_for_load_state()
    assert "Du har skrivit under protokollet med passkey." in page.inner_text("main")
    adjuster = Signature.objects.get(version__meeting=meeting, user__username="justerare")
    assert (adjuster.method, adjuster.level) == ("passkey", Level.ADVANCED)

    # The secretary last, with her password (the demo accepts a simple signature): justerat.
    _login(page, live_server, "sekreterare")
    page.goto(url)
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Skriv under protokollet").click()
    page.wait_for_load_state()
    assert "Du har skrivit under protokollet." in page.inner_text("main")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED

    # The real worker seals the full minutes; their Underskrifter page names both methods, advanced.
    full = RenderedDocument.objects.get(object_id=meeting.pk, kind="minutes.full")
    for document in RenderedDocument.objects.filter(object_id=meeting.pk, kind__startswith="minutes."):
        cleanup_files.append(Path(wait_until_rendered(document.pk).file.path))
    content = Path(wait_until_rendered(full.pk).file.path).read_bytes()
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    underskrifter = text[text.rindex("Underskrifter"):]
    flat = " ".join(underskrifter.split())
    # The provider's name as the evidence recorded it at signing (the worker has no OIDC_PROVIDERS).
    e_id = r"Demo-e-legitimation \(lokal testleverantör\)"
    for signer, method, level, proof in (
        ("Ordförande Elisabet Pettersson", e_id, "avancerad", r"underskrift-\d-oidc-demo\.json \(giltig\)"),
        ("Justerande Roger Ingvarsson", "Passkey", "avancerad", r"underskrift-\d-passkey\.json \(giltig\)"),
        ("Sekreterare Ann Rilegård", "Lösenord och kod", "enkel", r"underskrift-\d-losenord\.json"),
    ):
        assert re.search(rf"{signer} Underskrift {method} – {level} elektronisk underskrift Tidpunkt [^B]*Bevis {proof}",
                         flat), (signer, flat)
    assert mask(DEMO_IDENTITY_NUMBERS["Elisabet Pettersson"]) in flat

    # /verifiera/ with the sealed PDF: each signer's method, level and evidence.
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(content)
    page.goto(f"{live_server.url}/verifiera/")
    page.get_by_label("PDF-fil").set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera").click()
    page.wait_for_selector("#resultat")
    assert "Äkta" in page.inner_text("#resultat")
    table = page.get_by_role("table", name="Underskrifter")
    for name, method, level, result in (
        ("Elisabet Pettersson", label, "Avancerad elektronisk underskrift", "giltig"),
        ("Roger Ingvarsson", "Passkey", "Avancerad elektronisk underskrift", "giltig"),
        ("Ann Rilegård", "Lösenord och kod", "Enkel elektronisk underskrift",
         "enkel underskrift – inget kryptografiskt bevis"),
    ):
        row = table.get_by_role("row", name=name)
        assert [c.strip() for c in row.get_by_role("cell").all_inner_texts()][-3:] == [method, level, result], name
