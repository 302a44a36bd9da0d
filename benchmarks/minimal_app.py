"""The yardstick: the smallest Streamlit page with one chart as big as the shipped timeline."""

import plotly.graph_objects as go
import streamlit as st

st.title("Minimal app")
st.plotly_chart(
    go.Figure(go.Scatter(x=list(range(127)), y=[i % 3 for i in range(127)], mode="markers"))
)
