"""Media in S3-compatible object storage (MEDIA_STORAGE=s3), against a real SeaweedFS server
the tests start (tests/storage/conftest.py), through django-storages' S3 backend over HTTP.

Uploaded handlingar, issued PDFs (rendered in this process and by a real Celery worker) and
the archive package land in the bucket and nowhere under MEDIA_ROOT; downloads stream the
bucket's bytes through the views after their access check; the objects are private and their
plain URL is refused. The S3 backend has no local path (`path()` raises NotImplementedError),
so the whole upload, render, archive and download cycle here fails wherever application code
assumes a file on the local disk.

SeaweedFS keeps no canned ACL (it answers every object with the owner's FULL_CONTROL alone,
whatever was sent), so that the objects are private is shown by the `x-amz-acl: private` each
upload sends, and by the server refusing the plain URL.
"""

from __future__ import annotations

import hashlib
import io
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import document_render, document_request
from config.settings import media_storage
from minutes.archive import services as archive
from minutes.models import AgendaDocument
from tests.archive.conftest import HANDLING, make_year
from tests.conftest import wait_until_rendered

PDF = b"%PDF-1.7\n% underlag till styrelsen\n%%EOF\n"


def _anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _uploads_acl(storage) -> list[str | None]:
    """The x-amz-acl header of every PutObject the storage sends from now on."""
    sent: list[str | None] = []

    def seen(request, **_kwargs):
        sent.append(request.headers.get("x-amz-acl", b"").decode() or None)

    storage.connection.meta.client.meta.events.register("before-send.s3.PutObject", seen)
    return sent


# --- The settings -------------------------------------------------------------------------


def test_the_filesystem_is_the_default_and_s3_needs_a_bucket(monkeypatch):
    for name in ("MEDIA_STORAGE", "MEDIA_S3_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    assert media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_BUCKET"):
        media_storage()
    monkeypatch.setenv("MEDIA_STORAGE", "nfs")
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        media_storage()


def test_s3_storage_has_private_objects_short_signed_urls_and_no_local_path(s3_media):
    from storages.backends.s3 import S3Storage

    assert isinstance(default_storage, S3Storage)
    name = default_storage.save("prov/hemlig.pdf", io.BytesIO(PDF))
    assert name in s3_media.names() and s3_media.read(name) == PDF
    with pytest.raises(NotImplementedError):
        default_storage.path(name)
    # No public URL: the plain address is refused; the only URL the storage makes is signed and
    # lasts a minute (the app hands none out: every download is streamed through a view).
    assert _anonymous_get(s3_media.plain_url(name)) == 403
    signed = default_storage.url(name)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    with urllib.request.urlopen(signed, timeout=10) as response:
        assert response.read() == PDF


# --- Uploaded handlingar ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_uploaded_handling_lands_in_the_bucket_private_and_not_in_media_root(
    s3_media, meeting, secretary, login
):
    acl = _uploads_acl(default_storage)
    response = login(secretary).post(
        f"/sammantraden/{meeting.pk}/handlingar/",
        {"title": "Underlag budget", "file": SimpleUploadedFile("underlag.pdf", PDF)},
    )
    assert response.status_code == 302
    document = AgendaDocument.objects.get()
    assert document.file.name in s3_media.names()
    assert s3_media.read(document.file.name) == PDF
    assert s3_media.local_files() == []
    assert acl == ["private"]
    assert _anonymous_get(s3_media.plain_url(document.file.name)) == 403


@pytest.mark.django_db
def test_a_handling_is_streamed_from_the_bucket_after_the_access_check(
    s3_media, meeting, secretary, member, outsider, login
):
    login(secretary).post(f"/sammantraden/{meeting.pk}/handlingar/",
                          {"title": "Underlag", "file": SimpleUploadedFile("underlag.pdf", PDF)})
    document = AgendaDocument.objects.get()
    url = f"/handlingar/{document.pk}/"
    response = login(member).get(url)
    assert response.status_code == 200  # the bytes themselves, not a redirect to the bucket
    assert b"".join(response.streaming_content) == s3_media.read(document.file.name) == PDF
    assert login(outsider).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logga-in/")


# --- Issued PDFs --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_issued_pdf_rendered_in_process_is_stored_in_the_bucket_and_downloaded_from_it(
    s3_media, org, member, outsider, login, producers
):
    requested = document_request(kind="test.sample", target=org, version=1, organisation=org)
    done = document_render(requested.pk)
    assert done is not None and done.status == RenderedDocument.Status.DONE
    stored = s3_media.read(done.file.name)
    assert hashlib.sha256(stored).hexdigest() == done.sha256 and verify_pdf(stored).ok
    assert s3_media.local_files() == []
    response = login(member).get(done.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert login(outsider).get(done.get_download_url()).status_code == 404
    assert Client().get(done.get_download_url()).status_code == 404


def test_a_pdf_rendered_by_a_real_worker_lands_in_the_bucket(s3_media, start_worker, org, member, login, producers):
    """A `celery worker` subprocess started with the MEDIA_STORAGE=s3 variables: its settings
    choose the S3 backend themselves, and the file it stores is in the bucket."""
    start_worker(lease=30, sweep=60)
    requested = document_request(kind="test.sample", target=org, version=1, organisation=org)
    done = wait_until_rendered(requested.pk)
    assert done.file.name in s3_media.names()
    stored = s3_media.read(done.file.name)
    assert hashlib.sha256(stored).hexdigest() == done.sha256 and verify_pdf(stored).ok
    assert s3_media.local_files() == []
    response = login(member).get(done.get_download_url())
    assert b"".join(response.streaming_content) == stored


# --- The archive package ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_archive_package_is_built_from_the_bucket_and_stored_in_it(
    s3_media, board, org, secretary, chair, member, login
):
    """The whole cycle on S3: a handling uploaded, the minutes justerade and their PDFs
    rendered, the year's package built from the bucket's files, stored there and downloaded."""
    make_year(board, secretary, chair, member)
    issued = list(RenderedDocument.objects.filter(status=RenderedDocument.Status.DONE))
    assert issued
    missing = issued.pop()  # one the bucket has lost
    s3_media.server.client().delete_object(Bucket=s3_media.server.bucket, Key=s3_media.key(missing.file.name))

    package = archive.archive_request(organisation=org, year=2023, actor=secretary)
    archive.archive_build(package.pk)
    package.refresh_from_db()
    assert package.status == "klar", package.error
    assert package.file.name in s3_media.names()
    assert s3_media.local_files() == []
    assert any("saknas i lagringen" in item["why"] for item in package.left_out), package.left_out

    zipped = b"".join(login(secretary).get(f"/arkivleverans/{package.pk}/paket.zip").streaming_content)
    assert zipped == s3_media.read(package.file.name)
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        packed = {hashlib.sha256(z.read(info)).hexdigest() for info in z.infolist() if not info.is_dir()}
    assert hashlib.sha256(HANDLING).hexdigest() in packed
    assert {hashlib.sha256(s3_media.read(doc.file.name)).hexdigest() for doc in issued} <= packed
    assert missing.sha256 not in packed
