"""The Streamlit entry point (`streamlit run app.py`): starts the page, then runs the dashboard.

The page's settings, style and an early fetch of Streamlit's chart and widget code go out before
the dashboard is imported: on a server's first run its imports (pydantic and the loader, then,
once the sidebar and the title are out, pandas and the charts) take about a second, and the
browser fetches and compiles Plotly meanwhile.
"""

from __future__ import annotations

import streamlit as st

from frontend import early_fetch_script

# Headline numbers wrap rather than being cut. Phone width: numbers two by two, no chart
# toolbar over the titles, key-event labels left to hover (a phone's plot is too narrow for
# them), less padding.
PAGE_STYLE = """
<style>
/* A headline number too long for its column ("16,772 of 16,786") wraps at its spaces: cut to
   "16,772 of 16,…" it would say something else. */
.st-key-headline [data-testid="stMetricValue"] :is(div, p) { white-space: normal !important; }
@media (max-width: 640px) {
  .st-key-headline [data-testid="stHorizontalBlock"] {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.25rem 0.75rem !important;
  }
  .st-key-headline [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.75rem) !important; min-width: calc(50% - 0.75rem) !important;
    width: calc(50% - 0.75rem) !important;
  }
  .st-key-headline [data-testid="stMetricValue"] { font-size: 1.3rem !important; }
  .st-key-headline [data-testid="stMetricLabel"] p { font-size: 0.8rem !important; }
  .st-key-pair [data-testid="stHorizontalBlock"] {
    flex-direction: row !important; flex-wrap: nowrap !important; gap: 0.5rem !important;
  }
  .st-key-pair [data-testid="stColumn"] { flex: 1 1 50% !important; min-width: 0 !important; }
  .st-key-views .modebar-container { display: none !important; }
  .st-key-views .textpoint { display: none !important; }
  [data-testid="stMainBlockContainer"] { padding: 3.2rem 0.6rem 2rem 0.6rem !important; }
  h1 { font-size: 1.5rem !important; padding-bottom: 0.2rem !important; }
}
</style>
"""
EARLY_KEY = "early-fetch"
EARLY_STYLE = f"<style>.st-key-{EARLY_KEY} {{ display: none !important; }}</style>"


def start_page() -> None:
    """Settings, style and the early fetch: the first things the browser gets."""
    st.set_page_config(page_title="Alternate-history timeline explorer", layout="wide")
    st.html(PAGE_STYLE + EARLY_STYLE)  # style alone: Streamlit gives it no room on the page
    # A script (our constant, never a file's text) runs only with this flag; its hidden
    # container takes no room either.
    st.container(key=EARLY_KEY).html(early_fetch_script(), unsafe_allow_javascript=True)


def run() -> None:
    start_page()
    import dashboard  # here, not at the top: see the module docstring

    dashboard.run()


if __name__ == "__main__":  # `streamlit run` runs it; the benchmark imports the dashboard only
    run()
