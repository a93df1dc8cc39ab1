"""A local STAND-IN for BankID's Relying Party API v6, for the tests. It is not BankID.

BankID's test environment (appapi2.test.bankid.com) cannot be reached from the machines these
tests run on, so the tests talk to this server instead, with the same client code the
production path uses (pybankid over HTTPS with a client certificate). It implements the
documented contract of /rp/v6.0/auth, /sign, /collect and /cancel: the JSON shapes, the
errorCode responses, the pending and failed hintCodes and a completionData whose signature XML
has BankID's layout (an XMLDSig signature enveloping bankIdSignedData with usrVisibleData,
usrNonVisibleData, srvInfo and clientInfo) and is REALLY signed (signxml, ECDSA-SHA256) by a
certificate for the signer issued by a stand-in bank CA under a stand-in "BankID root"
(`signature_root_path`: what the tests set BANKID_SIGNATURE_ROOTS to). It is not BankID's root,
and nothing outside the tests trusts it. Its ocspResponse is a real OCSP response (RFC 6960)
about the signing certificate, signed by an OCSP responder the bank CA certified, as BankID's
are. What it does not do: no app ever scans anything; the test scripts what the signer does:

    standin.hint(order_ref, "userSign")        # the signer opened the order in the app
    standin.complete(order_ref, "199001011234", "Anna Andersson")
    standin.complete(order_ref, ..., foreign_ca=True)  # signed by a CA outside the root
    standin.complete(order_ref, ..., ocsp="revoked")   # or "forged", "other-certificate"
    standin.fail(order_ref, "userCancel")

`BankIdStandin(workdir).start()` makes a throwaway CA, a server certificate for 127.0.0.1 and a
client certificate (the stand-in requires a client certificate from that CA, as BankID requires
the relying party's), and listens on a free port; `url`, `ca_path`, `client_cert_path` and
`client_key_path` are what the BANKID_* settings need.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from lxml import etree
from signxml import XMLSigner, methods
from signxml.algorithms import CanonicalizationMethod

PENDING_HINTS = {"outstandingTransaction", "noClient", "started", "userMrtd", "userCallConfirm", "userSign"}
FAILED_HINTS = {
    "expiredTransaction", "certificateErr", "userCancel", "cancelled", "startFailed",
    "userDeclinedCall", "notSupportedByUserApp",
}


@dataclass
class Order:
    kind: str  # "auth" or "sign"
    end_user_ip: str
    user_visible_data: str = ""  # base64, as received
    user_non_visible_data: str = ""  # base64, as received
    requirement: dict[str, Any] = field(default_factory=dict)
    status: str = "pending"
    hint_code: str = "outstandingTransaction"
    completion_data: dict[str, Any] | None = None


def _write_key_and_cert(directory: Path, name: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> tuple[Path, Path]:
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.pem"
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption(),
    ))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _issue(ca_key: ec.EllipticCurvePrivateKey | None, issuer: x509.Name | None, common_name: str, *,
           ca: bool = False, server: bool = False, signing: bool = False, ocsp_signing: bool = False,
           serial_number: str = "") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if serial_number:
        names.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    subject = x509.Name(names)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    signer = ca_key or key
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False,
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False), critical=True,
        )
    elif signing:  # a BankID user's signing certificate
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False), critical=True,
        )
    elif ocsp_signing:  # a bank CA's OCSP responder
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
    else:
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
    return key, builder.sign(signer, hashes.SHA256())


BANKID_NS = "http://www.bankid.com/signature/v1.0.0/types"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"


def _signed_data(order: Order, order_ref: str, personal_number: str) -> etree._Element:
    """bankIdSignedData as BankID lays it out: what the user saw and signed, and the server's
    and the app's information."""
    def add(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{BANKID_NS}}}{tag}", **attributes)
        element.text = text or None
        return element

    data = etree.Element(f"{{{BANKID_NS}}}bankIdSignedData", nsmap={None: BANKID_NS}, Id="bidSignedData")
    add(data, "usrVisibleData", order.user_visible_data, charset="UTF-8", visible="wysiwys")
    add(data, "usrNonVisibleData", order.user_non_visible_data)
    srv = add(data, "srvInfo")
    add(srv, "name", base64.b64encode(b"Samordna RP (stand-in)").decode())
    add(srv, "nonce", base64.b64encode(uuid.uuid4().bytes).decode())
    add(srv, "displayName", base64.b64encode(b"Samordna").decode())
    client = add(data, "clientInfo")
    add(client, "funcId", "Signing")
    host = add(client, "host")
    add(host, "fqdn", "bankid-standin.invalid")
    add(host, "ip", order.end_user_ip)
    add(client, "version", "standin")
    add(data, "orderRef", order_ref)
    add(data, "personalNumber", personal_number)
    return data


def signature_xml(order: Order, order_ref: str, personal_number: str, key: ec.EllipticCurvePrivateKey,
                  chain: list[x509.Certificate]) -> bytes:
    """BankID's signature document: an XMLDSig Signature over bankIdSignedData (exclusive
    c14n, ECDSA-SHA256), the signer's certificate and its CA in KeyInfo, and bankIdSignedData
    inside the Signature's Object. Signed for real with `key` (certificate `chain[0]`)."""
    data = _signed_data(order, order_ref, personal_number)
    holder = etree.Element("holder")
    holder.append(data)
    signer = XMLSigner(method=methods.detached, signature_algorithm="ecdsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0)
    signer.namespaces = {None: DSIG_NS}
    signature = signer.sign(holder, key=key, cert=chain, reference_uri=["#bidSignedData"])
    etree.SubElement(signature, f"{{{DSIG_NS}}}Object").append(data)
    return bytes(etree.tostring(signature, xml_declaration=True, encoding="UTF-8", standalone=False))


def _ocsp_response(certificate: x509.Certificate, issuer: x509.Certificate,
                   responder: tuple[ec.EllipticCurvePrivateKey, x509.Certificate], *, revoked: bool = False) -> bytes:
    """A real OCSP response (DER) about `certificate`, signed by `responder`, produced now."""
    now = dt.datetime.now(dt.UTC)
    key, cert = responder
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=certificate, issuer=issuer, algorithm=hashes.SHA256(),
        cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
        this_update=now, next_update=now + dt.timedelta(hours=12),
        revocation_time=now - dt.timedelta(hours=1) if revoked else None,
        revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, cert).certificates([cert])
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class BankIdStandin:
    """The stand-in server and its script control; see the module's docstring."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.orders: dict[str, Order] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []  # (endpoint, request body) in order
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        ca_key, ca_cert = _issue(None, None, "Samordna BankID stand-in CA", ca=True)
        _, self.ca_path = _write_key_and_cert(workdir, "standin-ca", ca_key, ca_cert)
        key, cert = _issue(ca_key, ca_cert.subject, "127.0.0.1", server=True)
        self.server_key_path, self.server_cert_path = _write_key_and_cert(workdir, "standin-server", key, cert)
        key, cert = _issue(ca_key, ca_cert.subject, "Samordna RP (stand-in)")
        self.client_key_path, self.client_cert_path = _write_key_and_cert(workdir, "standin-rp", key, cert)
        # The signatures' PKI: a stand-in "BankID root" and a bank's CA under it (as BankID's
        # root CA and a bank's issuing CA); and another root's CA, for a signature no one trusts.
        root_key, root_cert = _issue(None, None, "Stand-in BankID Root CA (not BankID)", ca=True)
        _, self.signature_root_path = _write_key_and_cert(workdir, "standin-bankid-root", root_key, root_cert)
        self._bank_key, self._bank_cert = _issue(root_key, root_cert.subject, "Stand-in Bank CA (not BankID)", ca=True)
        other_root_key, other_root = _issue(None, None, "Another root (stand-in)", ca=True)
        self._foreign_key, self._foreign_cert = _issue(other_root_key, other_root.subject, "Another bank CA", ca=True)
        self._responders = {  # each CA's OCSP responder, as BankID's banks have
            "bank": _issue(self._bank_key, self._bank_cert.subject, "Stand-in Bank OCSP", ocsp_signing=True),
            "foreign": _issue(self._foreign_key, self._foreign_cert.subject, "Another bank OCSP", ocsp_signing=True),
            "forged": _issue(None, None, "Stand-in Bank OCSP", ocsp_signing=True),  # self-made, same name
        }

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}/rp/v6.0/"

    def start(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.server_cert_path, self.server_key_path)
        context.load_verify_locations(self.ca_path)
        context.verify_mode = ssl.CERT_REQUIRED  # the relying party's client certificate
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = None
                status, payload = standin.handle(self.path, body)
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # The API -------------------------------------------------------------------------------

    def handle(self, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        endpoint = path.removeprefix("/rp/v6.0/")
        if endpoint not in {"auth", "sign", "collect", "cancel"}:
            return 404, {"errorCode": "notFound", "details": "No such endpoint"}
        if not isinstance(body, dict):
            return 400, {"errorCode": "invalidParameters", "details": "Invalid JSON"}
        with self._lock:
            self.calls.append((endpoint, body))
            if endpoint in {"auth", "sign"}:
                return self._order(endpoint, body)
            order_ref = body.get("orderRef")
            order = self.orders.get(order_ref) if isinstance(order_ref, str) else None
            if order is None:
                return 400, {"errorCode": "invalidParameters", "details": "No such order"}
            if endpoint == "cancel":
                del self.orders[order_ref]  # a cancelled order is gone, as at BankID
                return 200, {}
            result: dict[str, Any] = {"orderRef": order_ref, "status": order.status}
            if order.status == "complete":
                result["completionData"] = order.completion_data
            else:
                result["hintCode"] = order.hint_code
            return 200, result

    def _order(self, kind: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ip = body.get("endUserIp")
        if not isinstance(ip, str) or not ip:
            return 400, {"errorCode": "invalidParameters", "details": "Incorrect endUserIp"}
        visible, hidden = body.get("userVisibleData", ""), body.get("userNonVisibleData", "")
        for value in (visible, hidden):
            try:
                base64.b64decode(value, validate=True)
            except (TypeError, ValueError):
                return 400, {"errorCode": "invalidParameters", "details": "Invalid base64"}
        if kind == "sign" and not visible:
            return 400, {"errorCode": "invalidParameters", "details": "Missing userVisibleData"}
        order_ref = str(uuid.uuid4())
        self.orders[order_ref] = Order(kind=kind, end_user_ip=ip, user_visible_data=visible,
                                       user_non_visible_data=hidden, requirement=body.get("requirement") or {})
        return 200, {
            "orderRef": order_ref,
            "autoStartToken": str(uuid.uuid4()),
            "qrStartToken": str(uuid.uuid4()),
            "qrStartSecret": str(uuid.uuid4()),
        }

    # The script: what the signer does in the app --------------------------------------------

    def hint(self, order_ref: str, code: str) -> None:
        assert code in PENDING_HINTS, f"{code} is not a pending hintCode"
        with self._lock:
            self.orders[order_ref].hint_code = code

    def fail(self, order_ref: str, code: str) -> None:
        assert code in FAILED_HINTS, f"{code} is not a failed hintCode"
        with self._lock:
            order = self.orders[order_ref]
            order.status, order.hint_code = "failed", code

    def complete(self, order_ref: str, personal_number: str, name: str, *, foreign_ca: bool = False,
                 ocsp: str = "good") -> dict[str, Any]:
        """The signer signs in the app: the order completes with a signature XML signed by a
        certificate for `personal_number` from the stand-in bank CA (or, `foreign_ca`, from a
        CA under another root), and the CA's OCSP response for that certificate: `ocsp` "good",
        "revoked", "forged" (signed by a responder the CA never certified) or
        "other-certificate" (about another certificate of the same CA)."""
        ca_key, ca_cert = (self._foreign_key, self._foreign_cert) if foreign_ca else (self._bank_key, self._bank_cert)
        user_key, user_cert = _issue(ca_key, ca_cert.subject, name, signing=True, serial_number=personal_number)
        responder = self._responders["forged" if ocsp == "forged" else "foreign" if foreign_ca else "bank"]
        about = _issue(ca_key, ca_cert.subject, "Someone else", signing=True)[1] if ocsp == "other-certificate" else user_cert
        with self._lock:
            order = self.orders[order_ref]
            required = order.requirement.get("personalNumber")
            if required and required != personal_number:
                raise AssertionError("BankID lets only the required personalNumber sign this order")
            given, _, surname = name.partition(" ")
            order.status = "complete"
            order.completion_data = {
                "user": {"personalNumber": personal_number, "name": name, "givenName": given, "surname": surname},
                "device": {"ipAddress": order.end_user_ip, "uhi": "STANDIN-UHI"},
                "bankIdIssueDate": "2024-01-15",
                "stepUp": {"mrtd": False},
                "signature": base64.b64encode(
                    signature_xml(order, order_ref, personal_number, user_key, [user_cert, ca_cert])
                ).decode(),
                "ocspResponse": base64.b64encode(
                    _ocsp_response(about, ca_cert, responder, revoked=ocsp == "revoked")
                ).decode(),
            }
            return order.completion_data
