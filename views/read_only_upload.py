"""数据更新 on a read-only replica: a link to it (shared, or from the README) says where
data is updated instead of Streamlit's English "Page not found"."""
import streamlit as st

from views.operations import read_only_here

st.title("数据更新")
read_only_here("上传填报表、导入报告或撤销批次", "数据更新")
