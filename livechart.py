"""Charts drawn in place: a Streamlit component that hands each new figure to `Plotly.react`.

Streamlit 1.67 keys a `st.plotly_chart` by a hash of its figure and its frontend reads a figure
only when mounted, so every filter change replaced the chart (a new element and a full Plotly
draw). This component mounts once per key and redraws on the same element. It loads Plotly's
basic build when the setup fetched it (see `frontend.plotly_source`), else borrows the build
Streamlit serves (its chart module sets `window.Plotly` when loaded), and it dresses figures in
Streamlit's chart theme as `st.plotly_chart` would.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import streamlit as st

from frontend import plotly_source, served
from timeline.style import DARK_THEME, chart_theme

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Pixels a hover label's character takes: the lines of a 390 px phone's labels hold 48.
HOVER_CHAR_PX = 8
LIVE_CHART_JS = """
const DARK = __DARK_THEME__;  // timeline/style.py's chart theme for a dark page
// The fullscreen button's icons (1000 x 1000): four corners out, four corners in.
const ICONS = {
  open: { width: 1000, height: 1000, path: "M0 0H350V100H100V350H0ZM650 0H1000V350H900V100H650Z"
    + "M0 650H100V900H350V1000H0ZM900 650H1000V1000H650V900H900Z" },
  close: { width: 1000, height: 1000, path: "M250 0H350V350H0V250H250ZM650 0H750V250H1000V350H650Z"
    + "M0 650H350V1000H250V750H0ZM650 650H1000V750H750V1000H650Z" },
};

function merge(base, over) {  // over's values win; objects merge key by key
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const both = [value, base[key]].every((v) => v && typeof v === "object" && !Array.isArray(v));
    out[key] = both ? merge(base[key], value) : value;
  }
  return out;
}

function isDark(color) {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return false;
  const n = parseInt(hex[1], 16);
  return 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255) < 128;
}

function wrapped(text, chars) {  // lines of at most `chars`, broken at spaces
  if (typeof text !== "string") return text;
  return text.split("<br>").map((line) => {
    const lines = [];
    let now = "";
    for (const word of line.split(" ")) {
      if (now && now.length + 1 + word.length > chars) {
        lines.push(now);
        now = word;
      } else now = now ? `${now} ${word}` : word;
    }
    return [...lines, now].join("<br>");
  }).join("<br>");
}

// A hover label wider than the chart is cut off (a long title on a phone). Each long string a
// trace's hover template shows from its customdata gets a wrapped copy at the end of its row,
// and the template shows the copy: the points' data (ids, titles) stays as it came.
function wrapHovers(traces, chars) {
  return traces.map((trace) => {
    const rows = trace.customdata;
    const template = trace.hovertemplate;
    if (typeof template !== "string" || !Array.isArray(rows) || !Array.isArray(rows[0])) {
      return trace;
    }
    const refs = [...template.matchAll(/%\\{customdata\\[(\\d+)\\]\\}/g)].map((m) => +m[1]);
    const long = (k) => rows.some((row) => typeof row[k] === "string" && row[k].length > chars);
    const shown = [...new Set(refs)].filter(long);
    if (!shown.length) return trace;
    const width = rows[0].length;
    const copies = shown.map((k, i) => [`%{customdata[${k}]}`, `%{customdata[${width + i}]}`]);
    return {
      ...trace,
      customdata: rows.map((row) => [...row, ...shown.map((k) => wrapped(row[k], chars))]),
      hovertemplate: copies.reduce((t, [from, to]) => t.replaceAll(from, to), template),
    };
  });
}

// The figure, dressed as Streamlit's charts are (the page's font and colours, its chart theme)
// and sized for the page or, in fullscreen, for the window.
function draw(plot) {
  const { fig, clickable } = plot.latest;
  const css = getComputedStyle(plot.parentElement);
  const page = (name) => css.getPropertyValue(name).trim();
  const layout = { ...(fig.layout || {}) };
  if (isDark(page("--st-background-color")) && layout.template) {
    layout.template = { ...layout.template, layout: merge(layout.template.layout || {}, DARK) };
  }
  const theme = {};
  if (page("--st-font")) theme.family = page("--st-font");
  if (page("--st-text-color")) theme.color = page("--st-text-color");
  layout.paper_bgcolor = layout.paper_bgcolor || "rgba(0,0,0,0)";
  layout.font = { ...theme, ...layout.font };
  const hover = layout.hoverlabel || {};
  layout.hoverlabel = { ...hover, font: { ...theme, ...hover.font } };
  if (layout.title && typeof layout.title === "object") {  // bold, as the page's headings
    layout.title = { ...layout.title, font: { weight: 600, ...layout.title.font } };
  }
  if (clickable) layout.dragmode = layout.dragmode || "pan";
  if (plot.full) {
    layout.width = window.innerWidth;
    layout.height = Math.max(layout.height || 450, window.innerHeight);
  }
  const width = layout.width || plot.clientWidth || window.innerWidth;
  // One button object per state, kept on the chart: Plotly.react compares the config and, on any
  // difference (a new click function each draw), draws the whole chart anew instead of updating.
  plot.buttons = plot.buttons || {
    open: { name: "Fullscreen", title: "Fullscreen", icon: ICONS.open,
      click: () => fullscreen(plot, true) },
    close: { name: "Close fullscreen", title: "Close fullscreen", icon: ICONS.close,
      click: () => fullscreen(plot, false) },
  };
  const button = plot.full ? plot.buttons.close : plot.buttons.open;
  const config = {
    responsive: true, displaylogo: false, showSendToCloud: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "sendDataToCloud"],
    modeBarButtonsToAdd: [button],
  };
  const chars = Math.max(24, Math.floor(width / __HOVER_CHAR_PX__));
  return window.Plotly.react(plot, wrapHovers(fig.data || [], chars), layout, config);
}

// Fullscreen as Streamlit's own charts have it: the chart over the whole window, its button
// (or Escape) to close.
async function fullscreen(plot, on) {
  plot.full = on;
  plot.classList.toggle("live-chart-full", on);
  if (on) document.addEventListener("keydown", plot.onEscape);
  else document.removeEventListener("keydown", plot.onEscape);
  await draw(plot);
  if (!on) window.Plotly.Plots.resize(plot);  // back to the page's width
}

export default async function ({ data: bytes, parentElement, setTriggerValue }) {
  const data = JSON.parse(new TextDecoder().decode(bytes));
  const load = (path) => import(new URL(path, document.baseURI).href);
  // Streamlit's own build if ours is not served (an app started from another folder).
  const plotly = window.Plotly || load(data.plotly).catch(() => load(data.fallback));
  let plot = parentElement.querySelector(".live-chart");
  if (!plot) {
    plot = document.createElement("div");
    plot.className = "live-chart";
    plot.onEscape = (event) => event.key === "Escape" && fullscreen(plot, false);
    parentElement.appendChild(plot);
  }
  plot.sendClick = setTriggerValue;  // the latest run's, for the listener added once below
  plot.latest = { fig: data.figure, clickable: data.clickable };
  await plotly;
  await draw(plot);
  if (data.clickable && !plot.listening) {
    plot.listening = true;
    plot.on("plotly_click", (event) => {
      const point = (event.points || []).find((p) => Array.isArray(p.customdata));
      const id = point && point.customdata[0];
      if (id != null) plot.sendClick("click", String(id));
    });
  }
}
""".replace("__DARK_THEME__", json.dumps(chart_theme(DARK_THEME))).replace(
    "__HOVER_CHAR_PX__", str(HOVER_CHAR_PX)
)
# In fullscreen the chart covers the window, Streamlit's header too.
LIVE_CHART_CSS = """
.live-chart.live-chart-full {
  position: fixed; inset: 0; z-index: 1000100; overflow: auto;
  background: var(--st-background-color, #fff);
}
"""
PLOTLY_MODULE = plotly_source()  # Plotly's basic build, or Streamlit's chart module
PLOTLY_FALLBACK = served("PlotlyChart")
live_chart = st.components.v2.component(
    "timeline.live_chart", js=LIVE_CHART_JS, css=LIVE_CHART_CSS, isolate_styles=False
)


def chart_data(plotly: str, fig: go.Figure, clickable: bool) -> bytes:
    """What the chart component reads, as JSON bytes: sent as they are, where a dict would be
    encoded again (the figure's JSON escaped inside it) and hashed once more for its identity."""
    head = json.dumps({"plotly": plotly, "fallback": PLOTLY_FALLBACK, "clickable": clickable})
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
