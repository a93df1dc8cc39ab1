"""The board renders each notice's block once (minutes/public/blocks.py) and again whenever
anything the block shows has changed: the notice, its association, its files."""

from __future__ import annotations

import datetime as dt

from board.documents.models import RenderedDocument
from board.documents.services import document_render
from minutes.models import Notice, NoticeBlock
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
    text, rendered = _board(client)
    assert rendered == 0 and "Gammalt innehåll" in text  # the key still matches: stored blocks are trusted
    NoticeBlock.objects.filter(notice=notice).update(key="0" * 64)
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
