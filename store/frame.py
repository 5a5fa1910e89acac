"""Running a query into a DataFrame: the one way the store, pages, commands and benchmarks read."""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import duckdb
import pandas as pd
import pyarrow as pa


def each_row(frame: pd.DataFrame, *columns: str) -> Iterator[tuple]:
    """The rows of some columns as tuples of plain Python values, for a loop over them.
    pandas 3 keeps text in Arrow, and iterating such a column hands out its items one at a
    time: zip over a page's 2,000 rows of value, unit and qualifier took 6.5 ms where the
    columns converted whole (tolist) take 2.7."""
    return zip(*(frame[column].tolist() for column in columns))


def _as_df_types(table: pa.Table) -> pd.DataFrame:
    """table.to_pandas(), with each column typed as DuckDB's .df() types it: integers and
    booleans with NULLs nullable (so a year prints as 2019, not 2019.0), a text column of
    NULLs only None (so `value or "—"` still works), decimals float, dates datetime64,
    lists Python lists (NULL pd.NA).

    In one thread: Arrow's thread pool cost more than it saved at every size a page reads
    (65 rows 0.73 against 0.45 ms, 100k rows 2.5 against 1.9 ms). Nullable columns are made
    from the Arrow column, not by converting pandas' float column (0.45 against 0.28 ms)."""
    # Python lists, not the numpy arrays Arrow makes of a list column: st.cache_data pickles
    # every result it keeps and unpickles it on every hit, and 3,308 regions' aliases as
    # arrays took 11.7 ms each way (as lists 0.7 and 1.6). Left out of to_pandas, which
    # would build the arrays first.
    lists = [name for name, column in zip(table.column_names, table.columns)
             if pa.types.is_list(column.type) or pa.types.is_large_list(column.type)]
    frame = table.drop_columns(lists).to_pandas(date_as_object=False, use_threads=False)
    for name in lists:
        frame.insert(table.column_names.index(name), name,
                     pd.Series([pd.NA if v is None else v for v in table.column(name).to_pylist()], dtype=object))
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_integer(kind) and column.null_count:
            dtype = pd.api.types.pandas_dtype(("UInt" if pa.types.is_unsigned_integer(kind) else "Int")
                                              + str(kind.bit_width))
            frame[name] = dtype.__from_arrow__(column)
        elif pa.types.is_boolean(kind) and column.null_count:
            frame[name] = pd.BooleanDtype().__from_arrow__(column)
        elif pa.types.is_decimal(kind):
            frame[name] = frame[name].astype("float64")
        elif pa.types.is_date(kind):
            frame[name] = frame[name].astype("datetime64[us]")
        elif (pa.types.is_string(kind) or pa.types.is_large_string(kind)) and column.null_count == len(column):
            frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame


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
