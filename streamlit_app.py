"""Entry point: page config and navigation only. The pages live in dashboard/pages/.

Every page has its own URL, the overview included (/overview). The app's root (/) is a hidden
page that switches to the overview with the query parameters it was opened with, because
st.navigation serves its default page at / only, never at the page's own url_path.
"""

import logging

import streamlit as st

from dashboard import auth
from dashboard.registry import APP_ICON, PAGES

st.set_page_config(page_title="工会绩效评价看板", page_icon=APP_ICON, layout="wide")
# Sign-in first (a form, st.login, or the single-user local mode); a page the user's role does not
# allow is not in the navigation, so its URL does not open it (and the page checks again).
user = auth.sign_in()
auth.user_box(user)
allowed = [p for p in PAGES if user.can(p.permission)]
pages = {p.path: st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, help=p.help) for p in allowed}


def root() -> None:
    st.switch_page(pages[PAGES[0].path], query_params={k: st.query_params.get_all(k) for k in st.query_params})


sections: dict[str, list] = {PAGES[0].section: [st.Page(root, title=PAGES[0].title, url_path="home", default=True,
                                                       visibility="hidden")]}
for p in allowed:
    sections.setdefault(p.section, []).append(pages[p.path])
try:
    st.navigation(sections).run()
except Exception:  # st.stop/st.rerun are BaseExceptions and pass through
    # the trace goes to the server log; the user reads a message in Chinese (showErrorDetails is off)
    logging.getLogger("dashboard").exception("page failed")
    st.error("页面出错了：这一步没有完成，已记录在服务器日志中。请刷新页面重试；如果仍然出错，请联系管理员。")
