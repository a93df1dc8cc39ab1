"""In Debian's Chromium: the API docs render under our CSP, offline, with no violations."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_docs_render_under_the_csp_without_violations(live_server, page):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    external: list[str] = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(live_server.url)
            and not req.url.startswith("data:") else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .information-container .title", timeout=15000)
    assert "Samordna API" in page.inner_text("#swagger-ui .information-container .title")
    page.wait_for_selector('[data-path="/api/v1/organisations/{slug}/appointments"]', state="attached")
    assert violations == []
    assert external == []  # works offline: everything from our own static files
