"""Login for editors (and, when a viewer password is set, for viewers).

Every editing action calls `is_editor()` again when it runs, so crafting widget state
to reach a button without the login achieves nothing.
"""
from __future__ import annotations

import os
import time

import streamlit as st

from access.passwords import ensure_editor_password, stored_hash, verify
from access.sessions import LoginThrottle, SessionTokens, client_address
from paths.operations import operations

EDITOR_TIMEOUT_SECONDS = 30 * 60
COOKIE = "fazhi_editor"
# The token is issued again once less than this is left, so an active editor keeps it.
RENEW_BELOW_SECONDS = EDITOR_TIMEOUT_SECONDS - 5 * 60


@st.cache_resource(show_spinner=False)
def _throttle() -> LoginThrottle:
    """One per server process: failures counted per client and per account."""
    return LoginThrottle(base_seconds=float(os.environ.get("FAZHI_LOGIN_DELAY_BASE", "0.5")))


@st.cache_resource(show_spinner=False)
def _tokens() -> SessionTokens:
    return SessionTokens()


@st.cache_resource(show_spinner=False)
def announce_first_password() -> bool:
    """Once per server process: without an editor password, make one and print it once."""
    password = ensure_editor_password()
    if password:
        print(f"\n  法治政府建设指标看板：已生成编辑密码（仅显示这一次，请妥善保存）：{password}\n"
              "  以后可用 `fazhi set-password` 修改。\n", flush=True)
    return True


def _client() -> str:
    """Who is trying: the browser's address (all sessions of one client share a queue),
    behind a trusted reverse proxy the one it forwards."""
    forwarded = ",".join(st.context.headers.get_all("X-Forwarded-For"))
    return client_address(st.context.ip_address, forwarded, operations().trusted_proxies) or "unknown"


def _keep_in_browser(token: str | None) -> None:
    """Store the editor's token as a cookie (or clear it), so that a refresh or a new tab
    of the same browser finds the login. The token is made by the server: no user text."""
    value, age = (token, EDITOR_TIMEOUT_SECONDS) if token else ("", 0)
    script = f"<script>document.cookie = '{COOKIE}={value}; path=/; max-age={age}; SameSite=Strict';</script>"
    st.html(script, unsafe_allow_javascript=True)  # STATIC_SCRIPT: a server-made token only, no data


def _start_editor_session() -> None:
    token = _tokens().issue("editor", EDITOR_TIMEOUT_SECONDS)
    st.session_state["editor_token"] = token
    st.session_state["editor_until"] = time.time() + EDITOR_TIMEOUT_SECONDS
    st.session_state[COOKIE] = token  # written by the next run: a rerun would drop it


def _write_pending_cookie() -> None:
    if COOKIE in st.session_state:
        _keep_in_browser(st.session_state.pop(COOKIE) or None)


def _token_from_browser() -> bool:
    """A new session (after F5) with a genuine, unexpired editor token in its cookie."""
    token = st.context.cookies.get(COOKIE)
    if _tokens().role(token) != "editor":
        return False
    st.session_state["editor_token"] = token
    st.session_state["editor_until"] = time.time() + EDITOR_TIMEOUT_SECONDS
    return True


def is_editor() -> bool:
    """True while this session's editor login is fresh; each use extends it."""
    until = st.session_state.get("editor_until", 0.0)
    if until < time.time() and not (not until and _token_from_browser()):
        if until:
            st.session_state.pop("editor_until", None)
            _tokens().revoke(st.session_state.pop("editor_token", None))
            st.session_state["editor_expired"] = True
        return False
    st.session_state["editor_until"] = time.time() + EDITOR_TIMEOUT_SECONDS
    token = st.session_state.get("editor_token")
    if token and _tokens().seconds_left(token) < RENEW_BELOW_SECONDS:
        # The new token goes to the browser in this run; the old one is left to expire on its
        # own (within 25 minutes), so that a refresh before the new cookie lands still finds
        # a valid login (revoked at once, an F5 after any page but 数据更新 logged the editor out).
        st.session_state["editor_token_before"] = token  # revoked with the login (退出编辑登录)
        _start_editor_session()
        _write_pending_cookie()
    return True


def _login_form(role: str, title: str) -> bool:
    with st.form(f"login_{role}"):
        st.markdown(f"**{title}**")
        password = st.text_input("密码", type="password", key=f"password_{role}")
        submitted = st.form_submit_button("登录")
    if not submitted:
        return False
    if _throttle().attempt(_client(), role, lambda: verify(role, password)):
        return True
    st.error("密码不正确。同一台电脑多次失败后，每次尝试都会等待更久。")
    return False


def require_editor(message: str = "数据更新仅限编辑人员。请输入编辑密码。") -> bool:
    """Show the editor login unless this session is logged in; True when it may edit."""
    _write_pending_cookie()
    if is_editor():
        with st.sidebar:
            if st.button("退出编辑登录", key="editor_logout"):
                st.session_state.pop("editor_until", None)
                for key in ("editor_token", "editor_token_before"):
                    _tokens().revoke(st.session_state.pop(key, None))
                st.session_state[COOKIE] = ""
                st.rerun()
        return True
    if st.session_state.pop("editor_expired", False):
        st.info("编辑登录已超时（30 分钟无操作），请重新登录。")
    st.info(message)
    if _login_form("editor", "编辑登录"):
        _start_editor_session()
        st.rerun()
    return False


def require_viewer() -> bool:
    """With a viewer password configured, the whole dashboard is closed until login."""
    if not stored_hash("viewer") or st.session_state.get("viewer_ok") or is_editor():
        return True
    st.title("法治政府建设指标看板")
    if _login_form("viewer", "请输入查看密码"):
        st.session_state["viewer_ok"] = True
        st.rerun()
    return False
