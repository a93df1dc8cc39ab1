"""The board renders each notice's block once (minutes/public/blocks.py) and again whenever
anything the block shows has changed: the notice, its association, its files."""

from __future__ import annotations

import datetime as dt

from board.documents.models import RenderedDocument
from board.documents.services import document_render
from minutes.models import BoardPage, Notice, NoticeBlock
from minutes.notices import services as notices
from tests.public.test_notices import JUSTERED, at

ROW = "public/_notice_row.html"


def _board(client) -> tuple[str, int]:
    """The board's text on the justering day, and how many notice blocks it rendered."""
    with at(JUSTERED):
        response = client.get("/anslagstavla/")
    assert response.status_code == 200
    return response.content.decode(), [t.name for t in response.templates].count(ROW)


def test_a_block_is_rendered_once_and_again_when_the_worker_issues_its_anslagsbevis(published, secretary, client):
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=JUSTERED, actor=secretary)
    text, rendered = _board(client)
    assert rendered == 1 and notice.title in text and "Anslagsbevis (PDF" not in text
    assert NoticeBlock.objects.filter(notice=notice).count() == 1
    text, rendered = _board(client)
    assert rendered == 0 and notice.title in text  # as stored
    certificate = RenderedDocument.objects.get(kind=notices.CERTIFICATE_KIND, object_id=notice.pk, version=1)
    assert document_render(certificate.pk).status == RenderedDocument.Status.DONE
    text, rendered = _board(client)
    assert rendered == 1 and "Anslagsbevis (PDF" in text
    organisation = notice.organisation
    organisation.name = "Samordningsförbundet med nytt namn"
    organisation.save()
    text, rendered = _board(client)
    assert rendered == 1 and "Samordningsförbundet med nytt namn" in text
    assert NoticeBlock.objects.filter(notice=notice).count() == 1  # replaced, not added


def test_a_change_to_the_row_by_any_means_is_shown(org, secretary, client):
    """The key is taken from every column of the notice, not only `updated_at`: a row changed
    without save() (an UPDATE, as a data migration might) is not shown as it was."""
    notice = notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title="Kungörelse om mötet",
                                   posted_on=JUSTERED, takedown_on=JUSTERED + dt.timedelta(days=5),
                                   actor=secretary)
    _board(client)
    Notice.objects.filter(pk=notice.pk).update(posted_by_name="Registrator Rask")
    text, rendered = _board(client)
    assert rendered == 1 and "Registrator Rask" in text


def test_a_stored_block_is_not_shown_for_another_notice_or_when_it_no_longer_fits(org, secretary, client):
    """A block whose key does not match (another template, a tampered row) is never shown as it is."""
    notice = notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title="Rätt rubrik",
                                   posted_on=JUSTERED, takedown_on=JUSTERED + dt.timedelta(days=5),
                                   actor=secretary)
    _board(client)
    NoticeBlock.objects.filter(notice=notice).update(html="<p>Gammalt innehåll</p>")
    BoardPage.objects.all().delete()  # the page made from the blocks again, not as stored
    text, rendered = _board(client)
    assert rendered == 0 and "Gammalt innehåll" in text  # the key still matches: stored blocks are trusted
    NoticeBlock.objects.filter(notice=notice).update(key="0" * 64)
    BoardPage.objects.all().delete()
    text, rendered = _board(client)
    assert rendered == 1 and "Gammalt innehåll" not in text and "Rätt rubrik" in text


def test_the_blocks_of_notices_taken_down_are_deleted_hourly(org, secretary, client):
    """A block is a rendering for the board only: once its notice is down it is not kept."""
    from django.conf import settings

    from minutes.public.blocks import notice_blocks_prune

    down = notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title="Kommer ned",
                                 posted_on=JUSTERED, takedown_on=JUSTERED + dt.timedelta(days=1),
                                 actor=secretary)
    up = notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title="Sitter kvar",
                               posted_on=JUSTERED, takedown_on=JUSTERED + dt.timedelta(days=30),
                               actor=secretary)
    _board(client)
    assert set(NoticeBlock.objects.values_list("notice_id", flat=True)) == {down.pk, up.pk}
    with at(JUSTERED + dt.timedelta(days=1)):
        assert notice_blocks_prune() == 0  # its last day on the board: kept
    with at(JUSTERED + dt.timedelta(days=2)):
        assert notice_blocks_prune() == 1
    assert list(NoticeBlock.objects.values_list("notice_id", flat=True)) == [up.pk]
    assert settings.CELERY_BEAT_SCHEDULE["notice-blocks-prune"]["task"] == "minutes.notice_blocks_prune"


def test_the_board_links_the_latest_issued_anslagsbevis_and_public_pdf_only(published, secretary, client):
    """Both kinds come in one query (selectors.notice_rows): each notice gets its own kind's
    latest finished document (the anslagsbevis by version, the public PDF by when it was
    finished), never one queued, of the full minutes, or of the other kind."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from minutes.models import Meeting

    meeting = published.meeting
    notice = notices.notice_for_justering(meeting=meeting, justered_on=JUSTERED, actor=secretary)
    RenderedDocument.objects.filter(object_id__in=[notice.pk, meeting.pk]).delete()
    at_noon = dt.datetime(2023, 11, 6, 12, 0, tzinfo=dt.UTC)

    def document(kind: str, model: type, object_id: int, version: int, done: bool, hours: int) -> RenderedDocument:
        doc = RenderedDocument(
            organisation=notice.organisation, kind=kind, version=version,
            content_type=ContentType.objects.get_for_model(model), object_id=object_id,
            status=RenderedDocument.Status.DONE if done else RenderedDocument.Status.QUEUED,
            finished_at=at_noon + dt.timedelta(hours=hours) if done else None, size=1000 * version,
        )
        if done:
            doc.file.save(f"v{version}.pdf", ContentFile(b"%PDF-1.7"), save=False)
            doc.sha256 = f"{version % 10}" * 64
        doc.save()
        return doc

    # The newer anslagsbevis finished first, the older public PDF has the higher version.
    certificate_v2 = document(notices.CERTIFICATE_KIND, Notice, notice.pk, 2, True, 1)
    certificate_v1 = document(notices.CERTIFICATE_KIND, Notice, notice.pk, 1, True, 5)
    certificate_v3 = document(notices.CERTIFICATE_KIND, Notice, notice.pk, 3, False, 0)
    pdf_older = document("minutes.public", Meeting, meeting.pk, 9, True, 2)
    pdf_newer = document("minutes.public", Meeting, meeting.pk, 8, True, 3)
    full = document("minutes.full", Meeting, meeting.pk, 7, True, 4)
    text, _ = _board(client)
    assert certificate_v2.get_download_url() in text and pdf_newer.get_download_url() in text
    for other in (certificate_v1, certificate_v3, pdf_older, full):
        assert other.get_download_url() not in text
