"""BankID (RP API v6) as a signing method, through the maintained `pybankid` client.

`start` asks BankID to sign: `userVisibleData` is the Swedish text the signer reads in the app,
`userNonVisibleData` the version's SHA-256 (pybankid base64-encodes both, as the API wants).
The page shows the animated QR code (`qr_data`, recomputed every second from the order's
qrStartToken and qrStartSecret, the secret never leaving the server) for "BankID på annan
enhet" and the autostart link for "BankID på den här enheten". `poll` calls /collect and turns
every hintCode into BankID's recommended Swedish user message (the RFA texts of BankID's
integration guide); `cancel` calls /cancel.

The completion data BankID returns (user, device, bankIdIssueDate, the signature XML and the
OCSP response, both base64) is the evidence. `verify` checks it with the maintained `signxml`
library: the XML signature (XMLDSig) over bankIdSignedData must be valid, its certificate must
chain to one of the roots of BANKID_SIGNATURE_ROOTS (BankID's root CA), and the signed
bankIdSignedData - what the signature covers, not whatever else the document holds - must carry
exactly this SHA-256 as its usrNonVisibleData. The OCSP response is kept, not yet checked.

Configuration (config/settings.py, from the environment): BANKID_CERT_PATH and BANKID_KEY_PATH,
the relying party's certificate and key from its bank; BANKID_CA_PATH, the CA of BankID's server
certificate (default: the one pybankid ships for the endpoint); BANKID_TEST_SERVER for BankID's
test environment; BANKID_URL to use another address (the tests' stand-in);
BANKID_SIGNATURE_ROOTS, the PEM file(s) of the roots a signature's certificate must chain to.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx
from bankid import BankIDClient
from bankid.exceptions import BankIDError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from lxml import etree
from signxml import XMLVerifier
from signxml.exceptions import SignXMLException

from .base import Completed, Level, Pending, SigningFailed, SigningRequest, Started

BANKID_SIGNATURE_NS = "http://www.bankid.com/signature/v1.0.0/types"

# BankID's recommended user messages (RFA = "Recommended For Action"), in Swedish.
RFA1 = "Starta BankID-appen."
RFA3 = "Åtgärden avbruten. Försök igen."
RFA4 = "En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen."
RFA5 = "Internt tekniskt fel. Försök igen."
RFA6 = "Åtgärden avbruten."
RFA8 = (
    "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. "
    "Om du inte har något giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen."
)
RFA9 = "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
RFA15 = (
    "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och inget "
    "BankID har hittats har du sannolikt inget BankID som går att använda för den aktuella "
    "identifieringen/underskriften i den här enheten. Om du inte har något BankID kan du skaffa "
    "ett hos din bank."
)
RFA16 = (
    "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller "
    "skaffa ett nytt hos din bank."
)
RFA17 = (
    "BankID-appen verkar inte finnas i din dator eller mobil. Installera den och skaffa ett BankID "
    "hos din bank. Installera appen från din appbutik eller https://install.bankid.com."
)
RFA21 = "Identifiering eller underskrift pågår."
RFA22 = "Okänt fel. Försök igen."
RFA23 = "Fotografera och läs av din ID-handling med BankID-appen."

# status "pending": the signer is on the way; unknown hintCodes get RFA21, as BankID asks.
# outstandingTransaction is RFA1 for the QR code; BankID suggests RFA13 ("Försöker starta
# BankID-appen.") once the page has followed the autostart link, which the page can show itself.
PENDING_MESSAGES = {
    "outstandingTransaction": RFA1,
    "noClient": RFA1,
    "started": RFA15,
    "userMrtd": RFA23,
    # Only for phone orders (/phone/sign), which the justering does not start; BankID has no
    # RFA text for it.
    "userCallConfirm": "Bekräfta samtalet i BankID-appen.",
    "userSign": RFA9,
}
# status "failed": the order is over; unknown hintCodes get RFA22.
FAILED_MESSAGES = {
    "expiredTransaction": RFA8,
    "certificateErr": RFA16,
    "userCancel": RFA6,
    "cancelled": RFA3,
    "startFailed": RFA17,
    "userDeclinedCall": RFA6,
    "notSupportedByUserApp": RFA3,
}


def pending_message(hint_code: str) -> str:
    return PENDING_MESSAGES.get(hint_code, RFA21)


def failed_message(hint_code: str) -> str:
    return FAILED_MESSAGES.get(hint_code, RFA22)


def qr_data(qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    """The animated QR code's content `seconds` after the order started:
    "bankid.<qrStartToken>.<seconds>.<HMAC-SHA256(qrStartSecret, str(seconds)) hex>"."""
    auth_code = hmac.new(qr_start_secret.encode(), str(seconds).encode(), hashlib.sha256).hexdigest()
    return f"bankid.{qr_start_token}.{seconds}.{auth_code}"


def qr_data_now(data: dict[str, Any], now: float | None = None) -> str:
    """The QR content to show now for a `Started.data` of this method."""
    now = time.time() if now is None else now
    seconds = max(0, math.floor(now - data["started_at"]))
    return qr_data(data["qr_start_token"], data["qr_start_secret"], seconds)


def autostart_url(autostart_token: str, redirect: str = "null") -> str:
    """The link that opens BankID on the signer's own device."""
    return f"bankid:///?autostarttoken={autostart_token}&redirect={redirect}"


class _Client(BankIDClient):
    """pybankid's client, with BANKID_URL and BANKID_CA_PATH where they are set."""

    client: httpx.Client

    def __init__(self) -> None:
        cert, key = settings.BANKID_CERT_PATH, settings.BANKID_KEY_PATH
        if not cert or not key:
            raise ImproperlyConfigured("BankID needs BANKID_CERT_PATH and BANKID_KEY_PATH")
        super().__init__(certificates=(cert, key), test_server=settings.BANKID_TEST_SERVER, request_timeout=10)
        if settings.BANKID_URL:
            # pybankid knows BankID's two addresses only; build the endpoints as it does.
            self.api_url = settings.BANKID_URL.rstrip("/") + "/"
            self._auth_endpoint = urljoin(self.api_url, "auth")
            self._sign_endpoint = urljoin(self.api_url, "sign")
            self._collect_endpoint = urljoin(self.api_url, "collect")
            self._cancel_endpoint = urljoin(self.api_url, "cancel")
        if settings.BANKID_CA_PATH:
            self.ctx = ssl.create_default_context(cafile=settings.BANKID_CA_PATH)
            self.ctx.load_cert_chain(cert, key)
            self.client.close()
            self.client = httpx.Client(headers={"Content-Type": "application/json"}, verify=self.ctx, timeout=10)


class BankIdUnavailable(SigningFailed):
    """BankID (or the address configured for it) cannot be reached or answers nonsense."""


UNAVAILABLE = "BankID går inte att nå just nu. Försök igen om en stund."


@dataclass(frozen=True)
class Collected:
    """What /collect said: status "pending", "complete" or "failed", BankID's hintCode, the
    Swedish message for the signer, and the completed signature when it is complete."""

    status: str
    hint_code: str
    message: str
    completed: Completed | None = None


def _refused(exc: BankIDError) -> SigningFailed:
    """A Swedish message for an error response: RFA4/RFA5 where BankID names one, otherwise a
    technical error on our side that the signer cannot act on."""
    return SigningFailed({4: RFA4, 5: RFA5}.get(exc.rfa or 0, RFA22))


class BankIdMethod:
    """BankID's /sign, /collect and /cancel; an advanced electronic signature (eIDAS art. 26).

    `end_user_ip` is the signer's IP address as the server sees it, which BankID requires on
    every order: build the method per request, `BankIdMethod(end_user_ip=request_ip)`.
    """

    key = "bankid"
    label = "BankID"
    level = Level.ADVANCED.value

    def __init__(self, end_user_ip: str = "") -> None:
        self.end_user_ip = end_user_ip

    def start(self, request: SigningRequest) -> Started:
        if not self.end_user_ip:
            raise ImproperlyConfigured("BankIdMethod needs the signer's IP address (end_user_ip)")
        requirement = {"personalNumber": request.identity_number} if request.identity_number else None
        client = _Client()
        try:
            order = client.sign(
                end_user_ip=self.end_user_ip,
                user_visible_data=request.visible_text,
                user_non_visible_data=request.sha256,
                requirement=requirement,
            )
        except BankIDError as exc:
            raise _refused(exc) from exc
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise BankIdUnavailable(UNAVAILABLE) from exc
        finally:
            client.client.close()
        return Started(
            reference=order["orderRef"],
            data={
                "qr_start_token": order["qrStartToken"],
                "qr_start_secret": order["qrStartSecret"],  # server-side only, never to the browser
                "autostart_token": order["autoStartToken"],
                "started_at": time.time(),
            },
        )

    def collect(self, reference: str) -> Collected:
        """/collect once: pending (with the hintCode's message), complete or failed. Raises
        SigningFailed only when BankID refuses the call (an unknown or finished order) and
        BankIdUnavailable when it cannot be reached."""
        client = _Client()
        try:
            result: dict[str, Any] = dict(client.collect(reference))
        except BankIDError as exc:
            raise _refused(exc) from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise BankIdUnavailable(UNAVAILABLE) from exc
        finally:
            client.client.close()
        status, hint = result.get("status"), str(result.get("hintCode") or "")
        if status == "pending":
            return Collected("pending", hint, pending_message(hint))
        if status == "complete":
            try:
                data = result["completionData"]
                user = data["user"]
                completed = Completed(level=self.level, identity_number=user["personalNumber"], name=user["name"],
                                      evidence=data)
            except (KeyError, TypeError) as exc:
                raise BankIdUnavailable(UNAVAILABLE) from exc
            return Collected("complete", "", "", completed)
        return Collected("failed", hint, failed_message(hint))

    def poll(self, reference: str) -> Pending | Completed:
        collected = self.collect(reference)
        if collected.completed is not None:
            return collected.completed
        if collected.status == "pending":
            return Pending(collected.message)
        raise SigningFailed(collected.message)

    def cancel(self, reference: str) -> None:
        client = _Client()
        try:
            client.cancel(reference)
        except (BankIDError, httpx.HTTPError, ValueError):
            pass  # already finished or unknown, or BankID away: the order runs out by itself
        finally:
            client.client.close()

    def verify(self, evidence: dict[str, Any], sha256: str) -> bool:
        """Whether `evidence` holds a BankID signature, valid and chaining to one of
        BANKID_SIGNATURE_ROOTS, whose signed usrNonVisibleData is exactly `sha256` (as sent:
        the base64 of the hex digest's text)."""
        signed = signed_data(evidence)
        if signed is None:
            return False
        found = signed.findall(f"{{{BANKID_SIGNATURE_NS}}}usrNonVisibleData")
        expected = base64.b64encode(sha256.encode()).decode("ascii")
        return len(found) == 1 and hmac.compare_digest((found[0].text or "").strip(), expected)


def signed_data(evidence: dict[str, Any], roots: list[str] | None = None) -> Any:
    """The bankIdSignedData element the signature XML of `evidence` covers, as signxml returns
    it after checking the signature and the certificate chain up to one of `roots` (default
    settings.BANKID_SIGNATURE_ROOTS); None when there is no such signature.

    Only the verified element is read afterwards: a document may carry other, unsigned
    elements (a second bankIdSignedData, a changed copy), and those must not count."""
    roots = settings.BANKID_SIGNATURE_ROOTS if roots is None else roots
    try:
        xml = base64.b64decode(evidence["signature"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None
    for root in roots:
        try:
            # expect_references=True: BankID signs bankIdSignedData and its KeyInfo (two references).
            results = XMLVerifier().verify(xml, ca_pem_file=root, expect_references=True, id_attribute="Id")
        except (SignXMLException, etree.LxmlError, ValueError, TypeError, OSError):
            continue
        signed = [r.signed_xml for r in (results if isinstance(results, list) else [results])
                  if r.signed_xml is not None and r.signed_xml.tag == f"{{{BANKID_SIGNATURE_NS}}}bankIdSignedData"]
        if len(signed) == 1:
            return signed[0]
    return None
