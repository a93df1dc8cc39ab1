"""Report PDFs ordered while Redis (the broker) is down: the order is committed and the page
says, in Swedish, that the PDF is made when the background service is back (no 500). The
sweep that sends them later is tested with the extracts (test_broker_outage.py)."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from board.documents.models import RenderedDocument
from tests.interventions.conftest import budget, contact, intervention, line  # noqa: F401 - fixtures


def _warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_report_pdfs_ordered_while_redis_is_down_are_kept_and_the_page_says_so(
    transactional_db, on_own_redis, login, org, director, secretary, intervention  # noqa: F811
):
    on_own_redis.stop()
    finance_page = login(director)
    finance_page.raise_request_exception = False
    response = finance_page.post(reverse("finance:budget_pdf", args=[org.slug, 2024]))
    assert response.status_code == 302
    assert any("bakgrundstjänsten går inte att nå" in m.lower() for m in _warnings(response))

    follow_up = login(secretary)
    follow_up.raise_request_exception = False
    response = follow_up.post(reverse("interventions:report_pdf", args=[org.slug, intervention.pk]))
    assert response.status_code == 302
    assert any("bakgrundstjänsten går inte att nå" in m.lower() for m in _warnings(response))

    kinds = set(RenderedDocument.objects.filter(status=RenderedDocument.Status.QUEUED).values_list("kind", flat=True))
    assert kinds == {"finance.report", "interventions.report"}
