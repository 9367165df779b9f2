"""The API's documentation page in a browser: it works under the site's Content Security
Policy and fetches nothing from anywhere but this server."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e


def test_the_docs_page_shows_every_operation_from_this_server_only(page, live_server):
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/v1/docs")
    page.get_by_text("Data Circle catalogue").first.wait_for()
    page.locator("#operations-default-list_modules").wait_for()
    for operation in ("import_module", "record_delivery", "get_reach", "get_module_version"):
        assert page.locator(f"#operations-default-{operation}").count() == 1
    server = urlparse(live_server.url).netloc
    assert requested
    assert {urlparse(url).netloc for url in requested if not url.startswith("data:")} == {server}
    assert refused == []
