"""Create the self-signed development seal certificate (ECDSA P-256) if it is not there.

Production points PDF_SEAL_CERT_FILE / PDF_SEAL_KEY_FILE to the organisation's real
certificate; this command leaves existing files alone unless --force is given, so `make run`
can call it every time.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

SUBJECT_CN = "Samordna utvecklingssigill"
SUBJECT_O = "Samordna (utveckling)"


def dev_certificate_create(
    *, key_file: Path, cert_file: Path, passphrase: str = "", force: bool = False, days: int = 3650
) -> bool:
    """Write a new key and self-signed certificate; False when both exist and not forced.

    A lock file serialises concurrent callers (the web process, a worker and tests may all
    start at once), and each file is written to a temporary name and renamed into place, so a
    reader never sees a key without its certificate.
    """
    key_file.parent.mkdir(parents=True, exist_ok=True)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    lock_path = cert_file.parent / ".seal.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if key_file.is_file() and cert_file.is_file() and not force:
            return False
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, SUBJECT_O),
                x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT_CN),
            ]
        )
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=True,
                    crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                critical=False,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        _write_atomic(key_file, key_pem, mode=0o600)
        _write_atomic(cert_file, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
        return True


def _write_atomic(path: Path, data: bytes, *, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


class Command(BaseCommand):
    help = "Skapar ett självsignerat utvecklingscertifikat för PDF-sigill (ECDSA P-256) om det saknas."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Ersätt befintlig nyckel och certifikat.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        key_file = Path(settings.PDF_SEAL_KEY_FILE)
        cert_file = Path(settings.PDF_SEAL_CERT_FILE)
        created = dev_certificate_create(
            key_file=key_file,
            cert_file=cert_file,
            passphrase=settings.PDF_SEAL_KEY_PASSPHRASE,
            force=force,
        )
        if created:
            self.stdout.write(f"Skapade utvecklingscertifikat {cert_file} och nyckel {key_file}.")
        else:
            self.stdout.write(f"Certifikatet {cert_file} finns redan; inget ändrat (--force ersätter).")
