"""法治政府建设指标看板: the router. Each page lives in its own module under views/."""
import streamlit as st

from views.auth import announce_first_password, require_viewer
from views.common import chinese_interface_script, chinese_widget_static_css, whole_labels_css
from views.connection import begin_run, is_replica
from views.heap import freeze_long_lived
from views.kept_upload import forget_everything_kept
from views.operations import replica_notice

st.set_page_config(page_title="法治政府建设指标看板", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="auto")

UPLOAD = st.Page("views/upload.py", title="数据更新", icon=":material/upload_file:", url_path="upload")
PAGES = {
    "看板": [
        st.Page("views/overview.py", title="总览", icon=":material/dashboard:", url_path="home", default=True),
        st.Page("views/trends.py", title="趋势", icon=":material/trending_up:", url_path="trends"),
        st.Page("views/compare.py", title="地区对比", icon=":material/leaderboard:", url_path="compare"),
        st.Page("views/targets.py", title="目标进度", icon=":material/flag:", url_path="targets"),
    ],
    "数据": [
        st.Page("views/data_sources.py", title="数据与来源", icon=":material/table:", url_path="data"),
        st.Page("views/catalog_page.py", title="指标说明", icon=":material/menu_book:", url_path="catalog"),
        st.Page("views/collection.py", title="数据征集", icon=":material/fact_check:", url_path="collection"),
        UPLOAD,
    ],
}
# The default page is served at the root; a link to /overview (its name in older links
# and in the README) opens the same page instead of Streamlit's English "Page not found".
OVERVIEW_ALIAS = st.Page("views/overview.py", title="总览", url_path="overview", visibility="hidden")

# Style only: st.html puts it in the event container, where it takes no room on the page.
st.html(chinese_widget_static_css())  # STATIC_CSS: fixed text, no data
st.html(whole_labels_css())  # STATIC_CSS: fixed text, no data
st.html(chinese_interface_script(), unsafe_allow_javascript=True)  # STATIC_SCRIPT: fixed text, no data
# On a replica, a link to 数据更新 says where data is updated (the page is not in its menu).
READ_ONLY_UPLOAD = st.Page("views/read_only_upload.py", title="数据更新", url_path="upload", visibility="hidden")
hidden = [OVERVIEW_ALIAS]
if is_replica():  # reads published snapshots only: no 数据更新, no editor password of its own
    PAGES["数据"] = [p for p in PAGES["数据"] if p is not UPLOAD]
    hidden.append(READ_ONLY_UPLOAD)
    if not replica_notice(begin_run()):
        st.stop()
else:
    announce_first_password()
if not require_viewer():
    st.stop()
try:
    page = st.navigation({**PAGES, "": hidden})
    if page.url_path != UPLOAD.url_path:  # what 数据更新 kept is let go when the editor leaves it
        forget_everything_kept()
    page.run()
finally:
    freeze_long_lived()
