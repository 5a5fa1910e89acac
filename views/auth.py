"""Login for editors (and, when a viewer password is set, for viewers).

Every editing action calls `is_editor()` again when it runs, so crafting widget state
to reach a button without the login achieves nothing.
"""
from __future__ import annotations

import os
import threading
import time

import streamlit as st

from access.passwords import ensure_editor_password, login_delay, stored_hash, verify

EDITOR_TIMEOUT_SECONDS = 30 * 60
_failures = {"count": 0}
_failures_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def announce_first_password() -> bool:
    """Once per server process: without an editor password, make one and print it once."""
    password = ensure_editor_password()
    if password:
        print(f"\n  法治政府建设指标看板：已生成编辑密码（仅显示这一次，请妥善保存）：{password}\n"
              "  以后可用 `fazhi set-password` 修改。\n", flush=True)
    return True


def _throttle_failure() -> None:
    """Failed logins are answered ever more slowly, across all sessions of the server."""
    with _failures_lock:
        _failures["count"] += 1
        count = _failures["count"]
    base = float(os.environ.get("FAZHI_LOGIN_DELAY_BASE", "0.5"))
    time.sleep(login_delay(count, base_seconds=base))


def _reset_failures() -> None:
    with _failures_lock:
        _failures["count"] = 0


def is_editor() -> bool:
    """True while this session's editor login is fresh; each use extends it."""
    until = st.session_state.get("editor_until", 0.0)
    if until < time.time():
        if until:
            st.session_state.pop("editor_until", None)
            st.session_state["editor_expired"] = True
        return False
    st.session_state["editor_until"] = time.time() + EDITOR_TIMEOUT_SECONDS
    return True


def _login_form(role: str, title: str) -> bool:
    with st.form(f"login_{role}"):
        st.markdown(f"**{title}**")
        password = st.text_input("密码", type="password", key=f"password_{role}")
        submitted = st.form_submit_button("登录")
    if not submitted:
        return False
    if verify(role, password):
        _reset_failures()
        return True
    _throttle_failure()
    st.error("密码不正确。多次失败后，每次尝试都会等待更久。")
    return False


def require_editor(message: str = "数据更新仅限编辑人员。请输入编辑密码。") -> bool:
    """Show the editor login unless this session is logged in; True when it may edit."""
    if is_editor():
        with st.sidebar:
            if st.button("退出编辑登录", key="editor_logout"):
                st.session_state.pop("editor_until", None)
                st.rerun()
        return True
    if st.session_state.pop("editor_expired", False):
        st.info("编辑登录已超时（30 分钟无操作），请重新登录。")
    st.info(message)
    if _login_form("editor", "编辑登录"):
        st.session_state["editor_until"] = time.time() + EDITOR_TIMEOUT_SECONDS
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
