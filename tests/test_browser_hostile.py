"""Hostile uploads in the real browser: each ends in a message, the last good timeline stays."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

import timeline as tl
from tests.browser import (
    click_event,
    click_point,
    open_page,
    shot,
    streamlit_server,
    wait_for_charts,
    wait_idle,
)
from tests.conftest import MINI
from timeline.load import MAX_UPLOAD_BYTES

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
    upload(page, "huge.yaml", BASE.encode() + b"#" * (MAX_UPLOAD_BYTES + 1))
    expect(page.locator('[data-testid="stFileUploader"]')).to_contain_text(
        f"must be {MAX_UPLOAD_BYTES // 2**20}", timeout=30_000
    )
    assert_still_showing(page, "Mini Moon")


# --- Nothing in a timeline reaches out ---------------------------------------------------------

EVIL = "evil.example"


def reaching(tag: str) -> str:
    """Every way a piece of text could make a page fetch or link: Markdown, HTML, autolinks."""
    return (
        f"![{tag}](http://{EVIL}/{tag}.png) <img src='http://{EVIL}/{tag}-i.png'> "
        f"<a href='http://{EVIL}/{tag}'>{tag}</a> www.{EVIL} http://{EVIL}/{tag}-b me@{EVIL} %{{x}}"
    )


def styled(tag: str) -> str:
    """Plotly's pseudo-HTML: a style that fetches and overlays the page."""
    return (
        f"<span style='cursor:url(http://{EVIL}/{tag}c);background-image:url(http://{EVIL}/"
        f"{tag}b);font-size:60px'>{tag}</span> ![i](http://{EVIL}/{tag}.png)"
    )


def hostile_timeline() -> dict:
    """Mini Moon with every text field reaching out; still a valid timeline."""
    data = tl.dump_timeline(tl.load_timeline(MINI))
    data["title"] = reaching("title")
    data["description"] = reaching("description")
    data["histories"]["reference"]["label"] = styled("ref")
    data["histories"]["diverged"]["label"] = styled("div")
    for i, era in enumerate(data["eras"]):
        era["label"] = reaching(f"era{i}")
        era["note"] = reaching(f"note{i}")
    for source in data["sources"]:
        source["title"] = reaching(source["id"])
        source["publisher"] = f"www.{EVIL} ![p](http://{EVIL}/p.png)"
        if "url" in source:
            source["url"] = f"https://example.org/b)![u](http://{EVIL}/url.png)"
    for i, event in enumerate(data["events"]):
        event["title"] = f"{i} " + reaching(f"ev{i}")[:190]
        event["summary"] = reaching(f"sum{i}") + " " + styled(f"sum{i}")
        event["category"] = f"<img src=http://{EVIL}/c{i % 2}.png>"
        event["tags"] = [f"![t](http://{EVIL}/t.png)"]
    return data


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("hostile") / "reaching.json"
    path.write_text(json.dumps(hostile_timeline()))
    with streamlit_server("--data", str(path)) as url:
        yield url


TAB_TITLES = {
    "Milestones": "when each was reached in the two histories",  # not "Milestones in every history"
    "Divergence over time": "Divergence over time",
    "Ripples": "Ripples",
    "Time jumps": "Time jumps",
    "Per era": "Per era",
}
OWN_SCHEMES = ("data:", "blob:", "about:")


def literal(text: str) -> re.Pattern[str]:
    """`text` as shown, allowing the invisible word joiners that stop autolinks."""
    return re.compile("\u2060?".join(map(re.escape, text)))


def hover_everything(page: Page) -> None:
    """Move the mouse over every point and bar of the chart on screen, as a reader would."""
    marks = page.locator(
        '[role="tabpanel"]:visible .js-plotly-plot :is(.scatterlayer .points path, .bars path)'
    )
    for i in range(min(marks.count(), 30)):
        mark = marks.nth(i)
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        if box is not None and box["width"] > 0:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
    points = page.locator('[role="tabpanel"]:visible .js-plotly-plot .scatterlayer .points path')
    if points.count():  # back to the first point: its hover label, with file text, is drawn
        points.first.scroll_into_view_if_needed()
        box = points.first.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
        hover = page.locator('[role="tabpanel"]:visible .hoverlayer > *')
        expect(hover).not_to_have_count(0)


def test_a_timeline_never_makes_the_page_reach_another_host(browser: Browser, hostile_url: str):
    own = urlsplit(hostile_url).netloc
    outside: list[str] = []
    with open_page(browser) as page:
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(OWN_SCHEMES) or urlsplit(r.url).netloc == own
                else outside.append(r.url)
            ),
        )
        page.goto(hostile_url)
        expect(page.locator("h1").first).to_contain_text(literal(reaching("title")), timeout=60_000)
        expect(page.locator(".js-plotly-plot .legend").first).to_contain_text(
            "<span style=", timeout=30_000
        )
        # Select an event with counterparts through its point, then walk every link-like
        # button of the panel (each opens another event; Close is last).
        click_event(page, "apollo-landing")
        details = page.locator(".st-key-details")
        expect(details).to_contain_text("Sources", timeout=30_000)
        hover_everything(page)
        for _ in range(3):
            buttons = details.get_by_role("button")
            if not buttons.count():
                break
            heading = details.locator("h3").first.inner_text()
            buttons.first.click()
            expect(details.locator("h3").first).not_to_have_text(heading, timeout=30_000)
        for tab, title in TAB_TITLES.items():
            page.get_by_role("tab", name=tab).click()
            panel = page.locator('[role="tabpanel"]:visible')
            expect(panel.locator(".js-plotly-plot .gtitle")).to_contain_text(title, timeout=30_000)
            hover_everything(page)
        # Side by side is a data grid drawn on a canvas: its cells are pixels, never markup.
        page.get_by_role("tab", name="Side by side").click()
        expect(page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]')).to_be_visible(
            timeout=30_000
        )
        page.get_by_role("tab", name="Export").click()
        expect(page.locator('[role="tabpanel"]:visible')).to_contain_text(
            "events in the current view", timeout=30_000
        )
        shot(page, "hostile-reaching-out")
        # Text stays text: no image, no link to the outside host, no page-sized font.
        expect(page.locator(f"img[src*='{EVIL}']")).to_have_count(0)
        expect(page.locator(f"a[href^='http://{EVIL}'], a[href^='mailto:']")).to_have_count(0)
        expect(page.locator(".js-plotly-plot [style*='60px']")).to_have_count(0)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert outside == [], "\n".join(outside)


def test_the_source_link_is_the_only_outside_link_and_cannot_break_out(
    browser: Browser, hostile_url: str
):
    with open_page(browser) as page:
        page.goto(f"{hostile_url}/?event=skylab")
        details = page.locator(".st-key-details")
        expect(details).to_contain_text("Sources", timeout=60_000)
        links = details.locator("a[href^='http']")
        expect(links).to_have_count(1)
        expect(links).to_have_attribute(
            "href", f"https://example.org/b%29!%5Bu%5D%28http://{EVIL}/url.png%29"
        )
        expect(links).to_contain_text(literal(reaching("web-b")))


# --- The view is never lost --------------------------------------------------------------------


@pytest.mark.parametrize("query", ["from=nan&to=1990", "from=-inf&to=inf", "from=1e400&to=1990"])
def test_bad_years_in_the_address_are_ignored_with_a_notice(page: Page, query: str):
    url = page.url.split("?")[0]
    page.goto(f"{url}?era=custom&{query}")
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_contain_text(
        "Ignored from the address: from, to", timeout=30_000
    )
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"from="))


def test_custom_years_when_every_event_is_in_one_year(page: Page):
    one_year = re.sub(r"date: \d{4}(-\d\d(-\d\d)?)?", "date: 1970-05-05", BASE)
    one_year = one_year.replace("start: 2019", "start: 1970").replace("end: 2026", "end: 1971")
    upload(page, "one-year.yaml", one_year.encode())
    expect(page.locator("h1").first).to_have_text("Mini Moon")
    page.get_by_role("combobox", name="Era or period").click()
    page.get_by_role("option", name="Years you type…").click()
    expect(page.get_by_label("From year")).to_have_value("1970", timeout=30_000)
    expect(page.get_by_label("To year")).to_have_value("1970")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    assert_still_showing(page, "Mini Moon")


def test_utf16_that_does_not_decode_keeps_the_last_good_timeline(page: Page):
    upload(page, "odd.yaml", b"\xff\xfe" + "title: x\n".encode("utf-16-le") + b"\x41")
    expect(page.locator('[data-testid="stCode"]')).to_contain_text(
        "odd.yaml:2: the file is not valid UTF-16 at byte 20", timeout=30_000
    )
    assert_still_showing(page, "Mini Moon")


def test_a_data_path_that_is_a_device_is_one_message(browser: Browser):
    with streamlit_server("--data", "/dev/zero") as url, open_page(browser) as page:
        page.goto(url)
        expect(page.locator('[data-testid="stCode"]')).to_contain_text(
            "/dev/zero: is not a regular file (a device, pipe or socket)", timeout=60_000
        )
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
