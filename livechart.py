"""Charts drawn in place: a Streamlit component that hands each new figure to `Plotly.react`.

Streamlit 1.67 keys a `st.plotly_chart` by a hash of its figure and its frontend reads a figure
only when mounted, so every filter change replaced the chart (a new element and a full Plotly
draw). This component mounts once per key and redraws on the same element. It borrows the
Plotly build Streamlit serves (its chart module sets `window.Plotly` when loaded), so nothing
more is shipped, and it dresses figures in Streamlit's chart theme as `st.plotly_chart` would.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import streamlit as st

from frontend import served

if TYPE_CHECKING:
    import plotly.graph_objects as go

LIVE_CHART_JS = """
export default async function ({ data: bytes, parentElement, setTriggerValue }) {
  const data = JSON.parse(new TextDecoder().decode(bytes));
  const plotly = window.Plotly || import(new URL(data.plotly, document.baseURI).href);
  let plot = parentElement.querySelector(".live-chart");
  if (!plot) {
    plot = document.createElement("div");
    plot.className = "live-chart";
    parentElement.appendChild(plot);
  }
  plot.sendClick = setTriggerValue;  // the latest run's, for the listener added once below
  await plotly;
  const fig = data.figure;
  const layout = fig.layout || {};
  // Streamlit's theme, as its own charts take it: the page's font and text colour on its
  // background (the figures' template names the font; the page serves it under its own name).
  const css = getComputedStyle(parentElement);
  const theme = {};
  for (const [name, v] of [["family", "--st-font"], ["color", "--st-text-color"]]) {
    const value = css.getPropertyValue(v).trim();
    if (value) theme[name] = value;
  }
  layout.paper_bgcolor = layout.paper_bgcolor || "rgba(0,0,0,0)";
  layout.font = { ...theme, ...layout.font };
  const hover = layout.hoverlabel || {};
  if (theme.family) layout.hoverlabel = { ...hover, font: { family: theme.family, ...hover.font } };
  if (layout.title && typeof layout.title === "object") {  // bold, as the page's headings
    layout.title = { ...layout.title, font: { weight: 600, ...layout.title.font } };
  }
  if (data.clickable) layout.dragmode = layout.dragmode || "pan";
  const config = {
    responsive: true, displaylogo: false, showSendToCloud: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "sendDataToCloud"],
  };
  await window.Plotly.react(plot, fig.data || [], layout, config);
  if (data.clickable && !plot.listening) {
    plot.listening = true;
    plot.on("plotly_click", (event) => {
      const point = (event.points || []).find((p) => Array.isArray(p.customdata));
      const id = point && point.customdata[0];
      if (id != null) plot.sendClick("click", String(id));
    });
  }
}
"""
PLOTLY_MODULE = served("PlotlyChart")  # Streamlit's chart module, which carries Plotly
live_chart = st.components.v2.component(
    "timeline.live_chart", js=LIVE_CHART_JS, isolate_styles=False
)


def chart_data(plotly: str, fig: go.Figure, clickable: bool) -> bytes:
    """What the chart component reads, as JSON bytes: sent as they are, where a dict would be
    encoded again (the figure's JSON escaped inside it) and hashed once more for its identity."""
    head = json.dumps({"plotly": plotly, "clickable": clickable})
    return f'{head[:-1]}, "figure": {fig.to_json()}}}'.encode()


def draw(fig: go.Figure, key: str, clickable: bool) -> str | None:
    """Draw a figure, updated in place on later runs; the first customdata value of a clicked
    point, on the run right after the click (a click is an event, never a lasting selection)."""
    if PLOTLY_MODULE is None:  # another Streamlit build: its own chart, remounted on a change
        st.plotly_chart(fig, key=key)
        return None
    state = live_chart(
        key=f"chart-{key}",
        data=chart_data(PLOTLY_MODULE, fig, clickable),
        on_click_change=lambda: None,
    )
    clicked = state.get("click")
    return str(clicked) if clicked else None
