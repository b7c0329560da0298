"""Who is using the dashboard, what they may do and which region they see.

Three modes, chosen at every run:
- `oidc`: `.streamlit/secrets.toml` has an [auth] section: Streamlit's st.login signs the user
  in with the OIDC provider; the users file (matched by e-mail) gives the role and region, and an
  identity the file does not know is refused.
- `users`: the users file exists (data/users.toml, or DASHBOARD_USERS): a name and password form
  (warehouse/users.py, scrypt hashes). The signed-in name is kept in the session; the role and
  region are read from the file at every run, so a removed user is out at their next click.
- `local`: neither: single-user local mode for `make run` and CI, every role, national scope,
  with a banner saying so; the server listens on 127.0.0.1 only (.streamlit/config.toml).

Roles (warehouse.users.ROLES): viewer browses, analyst also has the SQL console and the
downloads, steward also imports, admin everything. The region scope reaches every query through
dashboard/data.py (the cursor's schema) and the SQL console (warehouse.safe.run_query(scope=…)).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

import warehouse.users as users

LOCAL_BANNER = "本地单用户模式：未配置登录，仅限本机访问"
LOCAL_USER = users.User("本机用户", "admin", "")
_SESSION_KEY = "_auth_user"

# Outside a Streamlit session (benchmarks, tests calling dashboard.data directly) the scope is
# this variable's, national unless set with `scoped()`.
_SCOPE: contextvars.ContextVar[str] = contextvars.ContextVar("dashboard_scope", default="")


class NotSignedIn(PermissionError):
    pass


@contextmanager
def scoped(region: str) -> Iterator[None]:
    """Run dashboard.data calls outside Streamlit as a user of `region` (tests, benchmarks)."""
    token = _SCOPE.set(users.normalise_region(region))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def _in_streamlit() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx(suppress_warning=True) is not None


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file, or an unreadable one: not configured
        return False


def mode() -> str:
    if oidc_configured():
        return "oidc"
    return "users" if users.users_path().exists() else "local"


def current_user() -> users.User | None:
    """The signed-in user of this session (LOCAL_USER in local mode), None when nobody is."""
    m = mode()
    if m == "local":
        return LOCAL_USER
    if m == "oidc":
        if not getattr(st.user, "is_logged_in", False):
            return None
        return users.by_email(str(st.user.get("email") or ""))
    name = st.session_state.get(_SESSION_KEY)
    return users.load().get(name) if name else None


def current_scope() -> str:
    """The region prefix the current user sees ('' = national). Fails closed: raises when a
    Streamlit session has nobody signed in."""
    if not _in_streamlit():
        return _SCOPE.get()
    user = current_user()
    if user is None:
        raise NotSignedIn("未登录")
    return user.region


def can(permission: str) -> bool:
    user = current_user() if _in_streamlit() else LOCAL_USER
    return user is not None and user.can(permission)


def require(permission: str) -> None:
    """Stop the page unless the current user has `permission` (a page opened by its URL)."""
    if not can(permission):
        st.error("没有权限：当前账号不能使用此页面。如需开通，请联系管理员。", icon=":material/lock:")
        st.stop()


def sign_in() -> users.User:
    """The signed-in user; otherwise draw the sign-in form (or the OIDC button) and stop the run."""
    user = current_user()
    if user is not None:
        return user
    m = mode()
    st.title("工会绩效评价看板")
    if m == "oidc":
        if getattr(st.user, "is_logged_in", False):
            st.error("此账号未被授权使用本看板，请联系管理员。", icon=":material/lock:")
            st.button("退出登录", on_click=st.logout)
        else:
            st.button("登录", type="primary", on_click=st.login, icon=":material/login:")
        st.stop()
    with st.form("sign_in"):
        st.subheader("登录")
        name = st.text_input("用户名", key="sign_in_name")
        password = st.text_input("密码", type="password", key="sign_in_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        found = users.authenticate(name.strip(), password)
        if found is None:
            st.error("用户名或密码不正确。", icon=":material/lock:")
        else:
            st.session_state[_SESSION_KEY] = found.name
            st.rerun()
    st.stop()


def sign_out() -> None:
    st.session_state.pop(_SESSION_KEY, None)
    for key in ("_sql_outcome", "sql_text"):
        st.session_state.pop(key, None)


def who(user: users.User) -> str:
    """The user in one line for the sidebar: name, role and region."""
    region = f"地区 {user.region}" if user.region else "全国"
    return f"{user.name} · {users.ROLE_LABELS.get(user.role, user.role)} · {region}"


def user_box(user: users.User) -> None:
    """The local-mode banner, or who is signed in and the sign-out button."""
    if mode() == "local":
        st.sidebar.warning(LOCAL_BANNER, icon=":material/person:")
        return
    box = st.sidebar.container(key="auth_box")
    box.caption("当前用户：" + who(user))
    if mode() == "oidc":
        box.button("退出登录", key="sign_out", on_click=st.logout)
    else:
        box.button("退出登录", key="sign_out", on_click=sign_out)
