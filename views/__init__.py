"""Streamlit pages (each module draws) and their cached data functions (views/connection.py)."""
