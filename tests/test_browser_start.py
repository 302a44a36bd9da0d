"""A server's first page: the browser asks for Plotly before the dashboard's first element."""

from __future__ import annotations

import time

from playwright.sync_api import Browser, WebSocket

import frontend
from tests.browser import open_app, open_page, streamlit_server, wait_for_charts
from tests.conftest import MINI, ROOT


def test_plotly_is_requested_before_the_first_run_sends_the_title(browser: Browser):
    # A server of its own: its first run (imports and all) is what this test is about.
    with streamlit_server("--data", str(MINI)) as url, open_page(browser) as page:
        seen: dict[str, float] = {}

        def frames(ws: WebSocket) -> None:
            def on_frame(payload: str | bytes) -> None:
                data = payload if isinstance(payload, bytes) else payload.encode()
                if b"Mini Moon" in data:
                    seen.setdefault("title", time.perf_counter())

            ws.on("framereceived", on_frame)

        page.on("websocket", frames)
        plotly = frontend.plotly_source()
        assert plotly is not None
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.on(
            "request",
            lambda r: r.url.endswith(plotly) and seen.setdefault("plotly", time.perf_counter()),
        )
        open_app(page, url)
        assert seen["plotly"] < seen["title"]
        # With Plotly's basic build, Streamlit's 4.7 MB chart module is never fetched.
        assert frontend.plotly_basic_ready()
        assert not [u for u in requested if "/PlotlyChart." in u]
        # One chart component on the page: the chart itself (no hidden early instance).
        assert page.get_by_test_id("stBidiComponentRegular").count() == 1


def test_the_chart_draws_with_streamlits_plotly_where_the_basic_build_is_not_served(
    browser: Browser,
):
    # The app run from another folder (the benchmark's uncapped app): `static/` is served from
    # that folder, so the basic build's address answers 404 and the chart takes Streamlit's.
    uncapped = ROOT / "benchmarks" / "uncapped_app.py"
    with streamlit_server("--data", str(MINI), app=uncapped) as url, open_page(browser) as page:
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        open_app(page, url)
        wait_for_charts(page)
        assert [u for u in requested if u.endswith("plotly-basic.min.js")]
        assert [u for u in requested if "/PlotlyChart." in u]
        assert page.locator(".js-plotly-plot .scatterlayer .points path").count() > 0
