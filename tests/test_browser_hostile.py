"""Hostile uploads in the real browser: each ends in a message, the last good timeline stays."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    click_point,
    open_page,
    shot,
    streamlit_server,
    wait_for_charts,
    wait_idle,
)
from tests.conftest import MINI

BASE = MINI.read_text()
# If any of this ever runs as script, it leaves a mark the test reads back.
MARK = "window.__pwned = (window.__pwned || 0) + 1"
IMG = f'<img src=x onerror="{MARK}">'

HOSTILE: dict[str, tuple[bytes, str]] = {
    "alias-bomb.yaml": (
        ("a: &a " + "x" * 10_000 + "\nb: [" + ", ".join(["*a"] * 10_000) + "]\n").encode(),
        "YAML aliases (*name) are not allowed",
    ),
    "deep.yaml": (("title: " + "[" * 30_000 + "]" * 30_000).encode(), "nesting deeper than 32"),
    "python-tag.yaml": (
        BASE.replace("title: Skylab launched", "title: !!python/object/apply:os.system [id]")
        .replace("title: Mini Moon", f"title: '{IMG}'")
        .encode(),
        "is not allowed",
    ),
    "duplicate.yaml": (
        BASE.replace("title: Mini Moon\n", "title: Mini Moon\ntitle: Other\n", 1).encode(),
        "duplicate key",
    ),
    "not-utf8.yaml": (BASE.encode().replace(b"Skylab", b"Sky\xfflab"), "not valid UTF-8"),
    "script-url.yaml": (
        BASE.replace("url: https://example.org/b", 'url: "javascript:alert(1)"').encode(),
        "is not a web address",
    ),
    "multi-doc.yaml": (b"a: 1\n---\nb: 2\n", "more than one YAML document"),
    "top-level-list.yaml": (b"- <script>alert(1)</script>\n", "the file is a list"),
}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with streamlit_server("--data", str(MINI)) as url, open_page(browser) as page:
        page.goto(url)
        wait_for_charts(page)
        yield page


def upload(page: Page, name: str, content: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
        {"name": name, "mimeType": "text/yaml", "buffer": content}
    )
    wait_idle(page)


def assert_still_showing(page: Page, title: str) -> None:
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert page.evaluate("() => window.__pwned") is None, "a script from a file ran"


def test_hostile_uploads_one_after_another_keep_the_last_good_timeline(page: Page):
    for name, (content, message) in HOSTILE.items():
        upload(page, name, content)
        alert = page.locator('[data-testid="stAlertContentError"]')
        expect(alert).to_contain_text(f"{name} could not be opened", timeout=30_000)
        expect(alert).to_contain_text("Still showing Mini Moon")
        expect(page.locator('[data-testid="stCode"]')).to_contain_text(message)
        expect(page.locator('[data-testid="stCode"]')).to_contain_text(name + ":")
        assert_still_showing(page, "Mini Moon")
    shot(page, "hostile-upload-error")


def test_markup_in_a_valid_upload_is_shown_as_text(page: Page):
    title = f"<script>{MARK}</script>"
    text = BASE.replace("title: Mini Moon", f"title: '{title}'")
    text = re.sub(r"summary: (.*)", lambda m: f"summary: '{IMG} <b>bold?</b> {m[1]}'", text)
    upload(page, "markup.yaml", text.encode())
    assert_still_showing(page, title)
    click_point(page, "Mini Moon", 0)
    details = page.locator(".st-key-details")
    expect(details).to_contain_text(f"{IMG} <b>bold?</b>", timeout=30_000)
    assert page.locator("img[onerror]").count() == 0
    assert page.locator("b", has_text="bold?").count() == 0
    assert_still_showing(page, title)
    shot(page, "hostile-markup-as-text")


def test_an_upload_over_the_size_cap_is_refused_by_the_page(page: Page):
    upload(page, "huge.yaml", BASE.encode() + b"#" * (5 * 1024 * 1024 + 1))
    expect(page.locator('[data-testid="stFileUploader"]')).to_contain_text(
        "must be 5", timeout=30_000
    )
    assert_still_showing(page, "Mini Moon")
