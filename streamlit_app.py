"""Entry point: page config and navigation only. The pages live in dashboard/pages/."""

import streamlit as st

from dashboard.registry import PAGES

st.set_page_config(page_title="工会绩效评价看板", page_icon="📊", layout="wide")
st.navigation([st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in PAGES]).run()
