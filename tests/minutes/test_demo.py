"""The demo minutes come out as in the seeds, and loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.urls import reverse

from board.demo import loader as board_demo
from minutes.demo import loader as demo
from minutes.models import Meeting

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in apps.get_app_config("minutes").get_models()}


@pytest.fixture
def loaded():
    board_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())


def labels(meeting: Meeting) -> list[str]:
    return [p.label for p in meeting.paragraphs.order_by("position")]


def test_the_seed_numbers_come_out_as_in_the_seeds(loaded):
    interim = Meeting.objects.get(organ__name="Interimsstyrelsen", date="2023-08-29")
    svm = Meeting.objects.get(organ__organisation__slug="vastra-malardalen", date="2020-09-03")
    nvsam = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    assert labels(interim) == [f"§ {n}" for n in range(25, 35)]
    assert labels(svm) == [f"SVM § {n}" for n in range(20, 28)]
    assert labels(nvsam) == [f"NVSam § {n}" for n in range(54, 59)]
    assert {m.status for m in (interim, svm, nvsam)} == {Meeting.Status.DRAFTING}


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    demo.load(stdout=io.StringIO())
    assert counts() == before


def test_the_demo_secretary_sees_seed_004_in_the_preview(loaded, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sekreterare"))
    nvsam = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    html = client.get(reverse("minutes:preview", args=[nvsam.pk])).content.decode()
    for text in [
        "Norra Västmanlands Samordningsförbund", "Sammanträdesprotokoll", "2023-11-02",
        "Digitalt via Teams, kl 08.30–09.30", "Elisabet Pettersson, ordförande, Sala kommun",
        "Eva Bergling, Sala kommun", "Roger Ingvarsson", "NVSam §§ 54–58", "NVSam § 56",
        "Tilläggsäskande 2023 Samordningsteam Sala", "147 424 kr",
        "Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr",
        "Kopia till: styrgruppen för Samordningsteam Sala", "Tilläggsäskande Samordningsteam Sala 2023-09-25",
        "Föreslagen dagordning fastställs.", "Innehållsförteckning",
    ]:
        assert text in html, text
    assert client.get(reverse("minutes:editor", args=[nvsam.pk])).status_code == 200


def test_seed_001_shows_partial_attendance_dnr_and_exp_till(loaded, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    svm = Meeting.objects.get(organ__organisation__slug="vastra-malardalen", date="2020-09-03")
    html = client.get(reverse("minutes:preview", args=[svm.pk])).content.decode()
    for text in [
        "Roger Lindberg, Arbetsförmedlingen (§§ 20–21)", "Sonja Jernberg, Försäkringskassan (§ 20, via Teams)",
        "Carl-Inge Westberg (S), tjänstgörande ersättare, ordförande, Köpings kommun", "Dnr SVM 2019/22",
        "Exp. till: Diariet", "SVM §§ 20–27", "Styrelsen noterar informationen.", "Ärendet föranleder inget beslut.",
    ]:
        assert text in html, text
    interim = Meeting.objects.get(organ__name="Interimsstyrelsen")
    html = client.get(reverse("minutes:preview", args=[interim.pk])).content.decode()
    assert "Linda Söder Jonsson, Kungsörs kommun (fr o m kl 09.50)" in html
    assert "Åsa Brodd, Försäkringskassan (via Teams)" in html and "§§ 25–34" in html
