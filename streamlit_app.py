"""Entry point: page config and navigation only. The pages live in dashboard/pages/."""

import streamlit as st

from dashboard.registry import PAGES

st.set_page_config(page_title="工会绩效评价看板", page_icon=":material/monitoring:", layout="wide")
sections: dict[str, list] = {}
for p in PAGES:
    sections.setdefault(p.section, []).append(
        st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, help=p.help, default=p is PAGES[0])
    )
st.navigation(sections).run()
