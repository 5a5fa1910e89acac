"""Running a query into a DataFrame: the one way the store, pages, commands and benchmarks read."""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa


def each_row(frame: pd.DataFrame, *columns: str) -> Iterator[tuple]:
    """The rows of some columns as tuples of plain Python values, for a loop over them.
    pandas 3 keeps text in Arrow, and iterating such a column hands out its items one at a
    time: zip over a page's 2,000 rows of value, unit and qualifier took 6.5 ms where the
    columns converted whole (tolist) take 2.7."""
    return zip(*(frame[column].tolist() for column in columns))


_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's str, as .df() makes text


def _text(column: pa.ChunkedArray) -> object:
    """A text column as .df() types it: pandas' str (its NULLs NaN), or, when every value is
    NULL (or there is none), None in an object column, so that `value or "—"` still works."""
    if column.null_count == len(column):
        return np.full(len(column), None, dtype=object)
    return _TEXT.__from_arrow__(column)


def _list(column: pa.ChunkedArray) -> np.ndarray:
    """A list column as Python lists (NULL pd.NA), not the numpy arrays Arrow makes of it:
    st.cache_data pickles every result it keeps and unpickles it on every hit, and 3,308
    regions' aliases as arrays took 11.7 ms each way (as lists 0.7 and 1.6)."""
    values = np.empty(len(column), dtype=object)
    values[:] = [pd.NA if v is None else v for v in column.to_pylist()]
    return values


def _pandas_column(column: pa.ChunkedArray) -> object:
    """One column, typed as DuckDB's .df() types it: integers and booleans with NULLs
    nullable (so a year prints as 2019, not 2019.0), text as _text, decimals float, dates
    datetime64, lists as _list."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _text(column)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _list(column)
    if (pa.types.is_integer(kind) or pa.types.is_boolean(kind)) and column.null_count:
        nullable = "boolean" if pa.types.is_boolean(kind) else (
            ("UInt" if pa.types.is_unsigned_integer(kind) else "Int") + str(kind.bit_width))
        return pd.api.types.pandas_dtype(nullable).__from_arrow__(column)
    values = column.to_numpy(zero_copy_only=False)
    if pa.types.is_decimal(kind):
        return values.astype("float64")
    if pa.types.is_date(kind):
        return values.astype("datetime64[us]")
    return values


def _as_df_types(table: pa.Table) -> pd.DataFrame:
    """The table as .df() would make it, column by column (_pandas_column). Not
    table.to_pandas(), whose pandas metadata and block building cost ~0.3 ms more on every
    page's result (62 to 2,000 rows), then needed its columns retyped; in one thread, as
    Arrow's thread pool cost more than it saved at every size a page reads."""
    return pd.DataFrame({name: _pandas_column(column) for name, column in zip(table.column_names, table.columns)},
                        copy=False)


_ARROW_COPY_MESSAGE = "Arrow output on a DB-API result"
_ARROW_COPY_WARNING = ("ignore", re.compile(_ARROW_COPY_MESSAGE, re.I), UserWarning, None, 0)


def fetch_frame(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> pd.DataFrame:
    """A query's result as a DataFrame, typed as .df() would type it but read through
    Arrow: .df() turns every string into a Python object first, which made converting a
    page's result take longer than running its query (28k rows: 70 ms against 10 ms).

    execute(), not sql(): sql() refuses a cursor whose last execute() result was not read
    to the end (a fetchone() in the store), and parses the query in Python first. Arrow
    from execute() copies the rows once more (≈1 ms for 28k rows), which DuckDB warns
    about on every call; the warning is silenced here (again whenever something, such as
    pytest around each test, has reset the filters). The chunks are combined: st.cache_data
    pickles every result it keeps, and DuckDB's chunks pickle 4× slower than one."""
    if _ARROW_COPY_WARNING not in warnings.filters:
        warnings.filterwarnings("ignore", message=_ARROW_COPY_MESSAGE, category=UserWarning)
    return _as_df_types(con.execute(sql, params).to_arrow_table().combine_chunks())
