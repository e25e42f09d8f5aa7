"""The API's Swagger UI renders in a real browser under the portal's CSP, from this server only."""

from __future__ import annotations

import pytest

from .conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_every_group_from_this_server(page, live_server):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((live_server.url, "data:", "blob:")) else None
        ),
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert len(tags) >= 5, tags
    assert page.locator(".opblock").count() >= 20
    shot(page, "api-docs-1366")
    assert outside == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
