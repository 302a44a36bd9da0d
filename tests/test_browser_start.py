"""A server's first page: the browser asks for Plotly before the dashboard's first element."""

from __future__ import annotations

import time

from playwright.sync_api import Browser, WebSocket

import frontend
from tests.browser import open_app, open_page, streamlit_server
from tests.conftest import MINI


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
