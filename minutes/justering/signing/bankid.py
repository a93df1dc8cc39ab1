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
exactly this SHA-256 as its usrNonVisibleData. The OCSP response BankID gave at signing is the
proof of *when* the certificate was good: it must be signed by the signer certificate's CA (or a
responder that CA certified for OCSP signing), name the signer certificate, and say "good"; the
certificate chain is then checked at its producedAt, not today, so the evidence stays valid
after the signer's certificate has expired (in twenty years, from the PDF alone).

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
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
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
    settings.BANKID_SIGNATURE_ROOTS) at the time BankID's OCSP response of the evidence was
    produced, that response being BankID's "good" for exactly the signing certificate; None when
    there is no such signature.

    Only the verified element is read afterwards: a document may carry other, unsigned
    elements (a second bankIdSignedData, a changed copy), and those must not count."""
    roots = settings.BANKID_SIGNATURE_ROOTS if roots is None else roots
    try:
        xml = base64.b64decode(evidence["signature"], validate=True)
        response = ocsp.load_der_ocsp_response(base64.b64decode(evidence["ocspResponse"], validate=True))
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None
        produced_at = response.produced_at_utc
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None
    # expect_references=True: BankID signs bankIdSignedData and its KeyInfo (two references).
    config = SignatureConfiguration(expect_references=True, verification_time=produced_at)
    for root in roots:
        try:
            results = XMLVerifier().verify(xml, ca_pem_file=root, id_attribute="Id", expect_config=config)
        except (SignXMLException, etree.LxmlError, ValueError, TypeError, OSError):
            continue
        results = results if isinstance(results, list) else [results]
        signed = [r.signed_xml for r in results
                  if r.signed_xml is not None and r.signed_xml.tag == f"{{{BANKID_SIGNATURE_NS}}}bankIdSignedData"]
        if len(signed) == 1 and _ocsp_says_good(response, results[0]):
            return signed[0]
    return None


def _certificates(signature: etree._Element) -> list[x509.Certificate]:
    found = []
    for element in signature.iter("{http://www.w3.org/2000/09/xmldsig#}X509Certificate"):
        try:
            found.append(x509.load_der_x509_certificate(base64.b64decode("".join((element.text or "").split()))))
        except (ValueError, binascii.Error):
            continue
    return found


def _ocsp_says_good(response: ocsp.OCSPResponse, verified: Any) -> bool:
    """Whether `response` is a "good" for the certificate that made the verified signature,
    signed by that certificate's CA or by a responder the CA certified for OCSP signing.

    The signer's certificate is the one whose key signxml verified the signature with, and its
    CA the certificate in the same KeyInfo that really issued it (signxml has checked that
    chain up to BankID's root)."""
    certificates = _certificates(verified.signature_xml)
    key = serialization.load_pem_public_key(verified.signature_key)
    signer = next((c for c in certificates if c.public_key() == key), None)
    if signer is None:
        return False
    issuer = next((c for c in certificates if _issued_by(signer, c)), None)
    if issuer is None:
        return False
    try:
        matches = [single for single in response.responses
                   if single.serial_number == signer.serial_number
                   and single.issuer_key_hash == _key_hash(issuer, single.hash_algorithm)]
    except (ValueError, UnsupportedAlgorithm):
        return False
    if len(matches) != 1 or matches[0].certificate_status != ocsp.OCSPCertStatus.GOOD:
        return False
    responder = issuer
    if not _signed_by(response, issuer):
        delegated = [c for c in response.certificates if _issued_by(c, issuer) and _may_sign_ocsp(c)]
        responder = next((c for c in delegated if _signed_by(response, c)), None)  # type: ignore[assignment]
    return responder is not None and response.produced_at_utc >= signer.not_valid_before_utc


def _key_hash(certificate: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    """The OCSP issuer key hash (RFC 6960): the hash of the issuer's subjectPublicKey bits."""
    digest = hashes.Hash(algorithm)
    digest.update(_subject_public_key(certificate))
    return digest.finalize()


def _subject_public_key(certificate: x509.Certificate) -> bytes:
    """The subjectPublicKey bit string's bytes (what the SHA-1 key identifier hashes)."""
    public_key = certificate.public_key()
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _may_sign_ocsp(certificate: x509.Certificate) -> bool:
    try:
        usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.OCSP_SIGNING in usages


def _signed_by(response: ocsp.OCSPResponse, certificate: x509.Certificate) -> bool:
    public_key = certificate.public_key()
    algorithm = response.signature_hash_algorithm
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey) and algorithm is not None:
            public_key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        elif isinstance(public_key, rsa.RSAPublicKey) and algorithm is not None:
            public_key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm)
        else:
            return False
    except (InvalidSignature, ValueError, UnsupportedAlgorithm):
        return False
    return True
