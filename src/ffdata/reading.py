"""Reading published tables back, with the declared dtypes.

Example:
    >>> frame = read_table(".", "country_estimates")
    >>> int(frame.loc[frame.name_as_printed.eq("Tunisia")
    ...               & frame.estimate.eq("official"), "fighters"].iloc[0])
    6000
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from ffdata.csv_cells import unescape_frame
from ffdata.locate import PROCESSED
from ffdata.tables import PANDAS_DTYPES, TABLES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


def dtypes(name: str) -> dict[str, str]:
    """Return column -> pandas dtype of table ``name``.

    Example:
        >>> dtypes("country_estimates")["fighters"]
        'Int64'
    """
    return {c.name: PANDAS_DTYPES[c.type] for c in TABLES[name].columns}


def read_arrow_once(path: Path | str, columns: list[str] | None = None) -> pa.Table:
    """Read a Parquet file as an Arrow table from one read of its bytes (given a path, pyarrow
    opens it twice, and a build replacing it in between makes the second see another file).

    Example:
        >>> read_arrow_once(PROCESSED / "countries.parquet", ["iso3"]).num_columns
        1
    """
    with open(path, "rb") as handle:
        data = handle.read()
    return arrow_from_bytes(data, columns)


def arrow_from_bytes(data: bytes, columns: list[str] | None = None) -> pa.Table:
    """Return the Arrow table of the Parquet file whose bytes are ``data``, with the file's
    key-value metadata as its schema metadata; never imports pandas (``pq.read_table`` goes
    through ``pyarrow.dataset``, whose import does).

    Example:
        >>> data = (PROCESSED / "countries.parquet").read_bytes()
        >>> arrow_from_bytes(data, ["iso3"]).column_names
        ['iso3']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    # One thread: with Arrow's thread pool, a read after a pyarrow.compute call (load's
    # categoricals) let the process abort at exit ("terminate called without an active
    # exception", pyarrow 26, about 1 exit in 4); the tables are too small to gain from it.
    return pq.ParquetFile(pa.BufferReader(data)).read(columns=columns, use_threads=False)


def read_parquet_once(path: Path | str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a Parquet file as ``pd.read_parquet`` does, from one read of its bytes (see
    :func:`read_arrow_once`) and without its file-system layer (0.5 ms of a 4 ms read).

    Example:
        >>> list(read_parquet_once(PROCESSED / "countries.parquet", ["iso3"]).columns)
        ['iso3']
    """
    return read_arrow_once(path, columns).to_pandas()


def read_table(root: Path | str, name: str, fmt: str = "parquet") -> pd.DataFrame:
    """Read table ``name`` of the package at ``root`` (Parquet or CSV, its cells unescaped)
    with the declared dtypes; a file that lacks a declared column raises ``ValueError``.
    Example: the module's."""
    import pandas as pd

    path = Path(root) / PROCESSED / f"{name}.{fmt}"
    if fmt == "parquet":
        frame = read_parquet_once(path)
    elif fmt == "csv":
        frame = pd.read_csv(
            io.BytesIO(path.read_bytes()),
            dtype={k: v for k, v in dtypes(name).items() if v != "boolean"},
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
        )
    else:
        raise ValueError(f"unknown format {fmt!r}; use 'parquet' or 'csv'")
    missing = [c for c in dtypes(name) if c not in frame.columns]
    if missing:
        raise ValueError(f"columns missing: {missing}")
    if fmt == "csv":
        frame = unescape_frame(frame, TABLES[name])
    declared = {c: pd.api.types.pandas_dtype(t) for c, t in dtypes(name).items()}
    differ = {c: t for c, t in declared.items() if frame[c].dtype != t}
    return frame.astype(differ) if differ else frame  # astype of every column: 2-3 ms a table
