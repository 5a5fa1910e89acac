"""What a read-only replica says about itself: which snapshot it shows and where the
editor instance is."""
from __future__ import annotations

import streamlit as st

from paths.operations import operations
from store.snapshots import Snapshot


def _editor_page(page: str) -> str:
    editor_url = operations().editor_url
    return f"请到编辑实例 [{editor_url}]({editor_url}) 的“{page}”页" if editor_url else f"请到编辑实例（主看板）的“{page}”页"


def read_only_here(what: str, page: str) -> None:
    """What a replica cannot do (it reads published snapshots only), and where it is done."""
    st.info(f"这是只读副本，不能在这里{what}。{_editor_page(page)}。", icon=":material/lock:")


def replica_notice(snapshot: Snapshot | None) -> bool:
    """The sidebar note of a replica; False (with the reason on the page) when there is
    no snapshot to show yet."""
    where = _editor_page("数据更新")
    if snapshot is None:
        st.warning("这是只读副本，编辑实例尚未发布数据快照，请稍后刷新。" + f"更新数据{where}。")
        return False
    st.sidebar.caption(f"只读副本：显示的是{snapshot.label}。更新数据{where}。")
    return True
