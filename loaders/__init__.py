"""Bytes in, candidate rows and issues out: file checks, workbooks, values, units, periods,
validation and the curated seed figures. No database, no printing, no Streamlit."""
