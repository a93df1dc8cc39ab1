"""Who may order and download the archive package, the build through a real Celery worker,
and the demo's 2023 package of Norra Västmanland."""

from __future__ import annotations

import datetime as dt
import io
import tarfile
import time
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from board.documents.models import RenderedDocument
from minutes.archive import services
from minutes.archive.package import package_build
from minutes.archive.validation import validate_package
from minutes.models import ArchivePackage
from tests.archive.conftest import make_year, render_owed
from tests.conftest import client_for, user_with_staff_role, wait_until_rendered

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _built(org, secretary) -> ArchivePackage:
    package = services.archive_request(organisation=org, year=2023, actor=secretary)
    services.archive_build(package.pk)
    package.refresh_from_db()
    return package


@pytest.mark.django_db
def test_the_secretary_and_the_arkivarie_build_and_download_zip_and_tar(board, org, secretary, year_2023, tmp_path):
    archivist = user_with_staff_role(board, "arkivarie", "arkivarie")
    client = client_for(archivist)
    response = client.post(f"/forbund/{org.slug}/arkivleverans/", {"year": "2023"})
    assert response.status_code == 302
    package = ArchivePackage.objects.get()
    services.archive_build(package.pk)
    package.refresh_from_db()
    assert package.status == "klar" and package.progress == 100
    page = client.get(package.get_absolute_url()).content.decode()
    assert "Ladda ner som ZIP" in page and "2023-12-07" in page and "inte justerat" in page
    assert client.get(package.get_absolute_url(), HTTP_HX_REQUEST="true").status_code == 286
    for user in (secretary, archivist):
        zipped = b"".join(client_for(user).get(f"/arkivleverans/{package.pk}/paket.zip").streaming_content)
        with zipfile.ZipFile(io.BytesIO(zipped)) as z:
            z.extractall(tmp_path / f"zip-{user.pk}")
        assert validate_package(tmp_path / f"zip-{user.pk}" / package.object_id) == []
    tarred = b"".join(client.get(f"/arkivleverans/{package.pk}/paket.tar").streaming_content)
    with tarfile.open(fileobj=io.BytesIO(tarred)) as t:
        t.extractall(tmp_path / "tar", filter="data")
    assert validate_package(tmp_path / "tar" / package.object_id) == []


@pytest.mark.django_db
def test_anonymous_outsider_member_and_auditor_get_no_page_and_no_download(
    org, secretary, member, auditor, outsider, year_2023
):
    package = _built(org, secretary)
    urls = [f"/forbund/{org.slug}/arkivleverans/", package.get_absolute_url(),
            f"/arkivleverans/{package.pk}/paket.zip", f"/arkivleverans/{package.pk}/paket.tar"]
    from django.test import Client

    for url in urls:
        assert Client().get(url).status_code == 302  # to the login
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(member).get(url).status_code == 403
        assert client_for(auditor).get(url).status_code == 403
        assert client_for(secretary).get(url).status_code == 200
    assert client_for(member).post(f"/forbund/{org.slug}/arkivleverans/", {"year": "2023"}).status_code == 403
    assert ArchivePackage.objects.count() == 1


@pytest.mark.django_db
def test_a_year_in_the_future_is_refused_on_the_form(org, secretary):
    response = client_for(secretary).post(f"/forbund/{org.slug}/arkivleverans/", {"year": "2999"})
    assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    assert not ArchivePackage.objects.exists()


@pytest.mark.worker
def test_the_worker_builds_the_package_after_commit_and_a_second_run_changes_nothing(
    transactional_db, celery_worker, board, org, secretary, chair, member, cleanup_files
):
    make_year(board, secretary, chair, member, render=False)  # the worker renders the PDFs
    for pk in RenderedDocument.objects.values_list("pk", flat=True):
        cleanup_files.append(Path(wait_until_rendered(pk).file.path))
    package = services.archive_request(organisation=org, year=2023, actor=secretary)
    deadline = time.monotonic() + 120
    while True:
        package.refresh_from_db()
        if package.status == "klar":
            break
        assert package.status != "misslyckad" or package.attempts < 3, package.error
        assert time.monotonic() < deadline, (package.status, package.step, package.error)
        time.sleep(0.3)
    cleanup_files.append(Path(package.file.path))
    assert package.attempts == 1 and package.summary["meetings"] == 1
    assert services.archive_build(package.pk) is None  # klar: the second run does nothing
    with package.file.open("rb") as f, zipfile.ZipFile(f) as z:
        assert f"{package.object_id}/METS.xml" in z.namelist()


@pytest.mark.django_db
def test_the_demo_2023_package_of_norra_vastmanland_passes(media_in_tmp, tmp_path):
    from board.demo import loader as board_demo
    from board.models import Organisation
    from minutes.demo import loader as minutes_demo
    from minutes.justering import services as justering
    from minutes.models import Meeting

    board_demo.load(stdout=io.StringIO())
    minutes_demo.load(stdout=io.StringIO())
    meeting = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date=dt.date(2023, 11, 2))
    users = get_user_model().objects
    with time_machine.travel(dt.datetime(2023, 11, 6, 10, 0, tzinfo=STOCKHOLM), tick=False):
        version = justering.minutes_send_for_justering(meeting=meeting, actor=users.get(username="sekreterare"))
        for signer in version.snapshot["signers"]:
            justering.justering_sign(meeting=meeting, actor=users.get(person__pk=signer["person_id"]),
                                     password="samordna-demo", request=RequestFactory().post("/", REMOTE_ADDR="10.0.0.1"))
    render_owed()
    organisation = Organisation.objects.get(slug="norra-vastmanland")
    started = time.perf_counter()
    built = package_build(organisation=organisation, year=2023, target=tmp_path)
    print(f"\nNVSam 2023: {built.meetings} sammanträde, {built.notices} anslag, {len(built.files)} files, "
          f"{built.data_bytes} bytes of data, built in {time.perf_counter() - started:.2f} s")
    assert validate_package(built.root) == []
    assert built.meetings == 1
    assert any(f.path.endswith("protokoll-v1.pdf") for f in built.files)
    assert any("2023-12-07" in i["what"] for i in built.left_out)  # the övningssammanträde, not justerat
