"""The bench data (minutes/management/commands/bench_data.py) reads its rows back in batches and
writes with COPY: what it stores must still be what the product itself would store.

For every justerade minutes it made: the version's snapshot is minutes_snapshot(minutes_document(m))
with the same signer, and the stored page and search index rows are what render_published and
_index_rows give for that snapshot now (publish() writes the same).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from minutes.drafting.selectors import minutes_document
from minutes.justering.rules import RequiredSigner, minutes_snapshot, snapshot_sha256
from minutes.models import Meeting, MinutesVersion, PublicParagraph, PublishedMinutes
from minutes.projection import public_minutes
from minutes.public.publication import _index_rows, render_published, voter_ids

pytestmark = pytest.mark.django_db

ROW_FIELDS = [
    "paragraph_id", "meeting_id", "organ_id", "meeting_date", "year", "position", "label", "title", "body", "content",
]


def test_bench_data_stores_what_the_product_would(monkeypatch):
    # A fixed today: the same meetings (so the same votes and confidential paragraphs) every day.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2025, 12, 31))
    call_command("bench_data", associations=2, years=2, stdout=StringIO())
    meetings = list(
        Meeting.objects.filter(organ__organisation__slug__startswith="bench-", status=Meeting.Status.SIGNED)
        .select_related("organ__organisation")
        .order_by("pk")
    )
    assert len(meetings) > 30
    # What the pages show differently is there: confidential paragraphs and votes with ballots.
    assert PublicParagraph.objects.filter(meeting__in=meetings, content__confidential=True).exists()
    assert PublicParagraph.objects.filter(meeting__in=meetings, content__votes__0__ballots__0__person_id__gt=0).exists()
    for meeting in meetings:
        version = MinutesVersion.objects.get(meeting=meeting, status=MinutesVersion.Status.SIGNED)
        signature = version.signatures.get()
        expected = minutes_snapshot(minutes_document(meeting), [RequiredSigner(signature.person, signature.role)])
        assert version.snapshot == expected, meeting.pk
        assert version.sha256 == snapshot_sha256(expected) == signature.sha256

        stored = PublishedMinutes.objects.get(meeting=meeting)  # (a page made for it takes meeting.published)
        projected = public_minutes(version.snapshot)
        page = render_published(meeting, projected)
        assert (stored.head_html, stored.body_html) == (page.head_html, page.body_html), meeting.pk
        assert stored.meeting_updated_at == meeting.updated_at

        rows = _index_rows(meeting, projected, voter_ids([meeting])[meeting.pk])
        assert [[getattr(r, f) for f in ROW_FIELDS] for r in rows] == [
            [getattr(r, f) for f in ROW_FIELDS]
            for r in PublicParagraph.objects.filter(meeting=meeting).order_by("position")
        ], meeting.pk
