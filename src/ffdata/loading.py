"""Loading the published tables offline: typed pandas, polars or pyarrow tables, from the
Parquet files shipped with the package (or the checkout's, or a release's).

Example:
    >>> load("countries", columns=["iso3", "name"]).columns.tolist()
    ['iso3', 'name']
"""

from __future__ import annotations

import difflib
import functools
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ffdata._version import DISTRIBUTION
from ffdata.errors import FfdataError, UnknownNameError
from ffdata.locate import PROCESSED, data_root
from ffdata.reading import read_arrow_once
from ffdata.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


#: Up to this many valid choices are listed in an error; more are pointed to, not listed.
_LISTED_CHOICES = 12


def unknown_choice(kind: str, name: str, choices: list[str], listing: str = "") -> UnknownNameError:
    """Return the error for an unknown ``name`` of a ``kind``, with the closest ``choices``.

    Example:
        >>> print(unknown_choice("table", "countrys", ["countries", "regions"]))
        unknown table 'countrys'
          hint: did you mean countries? valid choices: countries, regions
    """
    close = difflib.get_close_matches(str(name), choices, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    if len(choices) <= _LISTED_CHOICES or not listing:
        return UnknownNameError(
            f"unknown {kind} {name!r}", hint=f"{hint}valid choices: {', '.join(choices)}"
        )
    return UnknownNameError(
        f"unknown {kind} {name!r}", hint=f"{hint}{len(choices)} valid choices: {listing}"
    )


def list_tables() -> list[str]:
    """Return the names of the published tables.

    Example:
        >>> list_tables()[:3]
        ['documents', 'sources', 'countries']
    """
    return list(TABLES)


def path(name: str, release: str | Path | None = None) -> Path:
    """Return the Parquet file of table ``name``, e.g. for polars or DuckDB; of ``release``
    (a version, an archive's path or address, or an unpacked release), verified, if given.

    Example:
        >>> path("country_estimates").name
        'country_estimates.parquet'
    """
    if name not in TABLES:
        raise unknown_choice("table", name, list(TABLES))
    if release is None:
        return data_root() / PROCESSED / f"{name}.parquet"
    from ffdata.fetch import release_root

    return release_root(release) / PROCESSED / f"{name}.parquet"


#: What :func:`load` can return: a pandas or polars DataFrame, or a pyarrow Table.
BACKENDS = ("pandas", "polars", "pyarrow")


def load(
    name: str,
    columns: list[str] | None = None,
    release: str | Path | None = None,
    backend: str = "pandas",
) -> Any:
    """Return table ``name`` with its declared types: a pandas DataFrame (closed vocabularies
    as categoricals of every allowed value), a polars one (``backend="polars"``, as
    ``pl.Enum``) or the Arrow table as stored (``backend="pyarrow"``).

    Example:
        >>> countries = load("countries", columns=["iso3", "name", "population_2015"])
        >>> countries.set_index("iso3").loc["NLD", "name"]
        'Netherlands'
    """
    if backend not in BACKENDS:
        raise unknown_choice("backend", backend, list(BACKENDS))
    file = path(name, release=release)
    table = TABLES[name]
    if isinstance(columns, str):
        columns = [columns]
    known = [c.name for c in table.columns]
    for column in columns or []:
        if column not in known:
            raise unknown_choice(f"column of {name}", column, known)
    enums = {c.name: list(c.enum) for c in table.columns if c.enum is not None}
    if backend == "polars":
        return _load_polars(file, columns, enums)
    try:
        stored = read_arrow_once(file, columns)
    except (OSError, ValueError) as exc:  # missing file; pyarrow's ArrowInvalid is a ValueError
        raise _unreadable(name, file, exc) from exc
    if backend == "pyarrow":
        return stored
    frame = stored.to_pandas()
    for column in [c for c in enums if c in stored.column_names]:  # a release may lack one
        categorical, outside = _categorical(stored.column(column), enums[column])
        if outside:  # e.g. a release made with other vocabularies: never turn it into NaN
            raise _outside_vocabulary(name, file, column, outside, enums[column])
        frame[column] = categorical
    return frame


def _categorical(values: pa.ChunkedArray, allowed: list[str]) -> tuple[pd.Categorical, list[str]]:
    """A column as a categorical of the ``allowed`` values (codes found by Arrow, 3 ms a column
    faster than pandas), and the values outside them."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype, value_set = _vocabulary(tuple(allowed))
    if pa.types.is_large_string(values.type) or (
        pa.types.is_dictionary(values.type) and pa.types.is_string(values.type.value_type)
    ):  # text stored otherwise (another tool's file)
        values = values.cast(pa.string())
    if not pa.types.is_string(values.type):  # not text (another tool's file): refused
        outside = sorted({str(v) for v in values.to_pylist() if v is not None} - set(allowed))
        return pd.Categorical.from_codes([-1] * len(values), dtype=dtype), outside
    codes = pc.index_in(values, value_set=value_set)
    outside = []
    if codes.null_count > values.null_count:  # some value is not in the vocabulary
        unknown = pc.filter(values, pc.and_(pc.is_null(codes), pc.is_valid(values)))
        outside = sorted(set(unknown.to_pylist()))
    codes = pc.fill_null(codes, -1).to_numpy()
    return pd.Categorical.from_codes(codes, dtype=dtype), outside


@functools.cache
def _vocabulary(allowed: tuple[str, ...]) -> tuple[pd.CategoricalDtype, Any]:
    import pandas as pd
    import pyarrow as pa

    return pd.CategoricalDtype(list(allowed)), pa.array(allowed, pa.string())


def _outside_vocabulary(
    name: str, file: Path, column: str, outside: list[str], allowed: list[str]
) -> FfdataError:
    return FfdataError(
        f"table {name}, column {column}: {outside} not among "
        f"the values this ffdata knows ({', '.join(allowed)})",
        document=str(file),
        hint="read a release of another version with backend='pyarrow', or "
        "with the ffdata version that made it",
    )


def _unreadable(name: str, file: Path, exc: Exception) -> FfdataError:
    return FfdataError(
        f"cannot read table {name} ({type(exc).__name__}: {exc})",
        document=str(file),
        hint="the installed data is missing or damaged: reinstall ffdata, or run `make data`",
    )


def _load_polars(file: Path, columns: list[str] | None, enums: dict[str, list[str]]) -> Any:
    try:
        import polars as pl
    except ImportError as exc:
        raise FfdataError(
            "backend='polars' needs polars, which is not installed",
            document=sys.prefix,
            hint=f"pip install '{DISTRIBUTION}[polars]' (or pip install polars); "
            "backend='pandas' and backend='pyarrow' need nothing more",
        ) from exc
    try:
        with open(file, "rb") as handle:  # one read: see reading.read_arrow_once
            frame = pl.read_parquet(io.BytesIO(handle.read()), columns=columns)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise _unreadable(file.stem, file, exc) from exc
    enums = {c: allowed for c, allowed in enums.items() if c in frame.columns}
    for column, allowed in enums.items():
        values = frame[column].cast(pl.String, strict=False)
        outside = sorted(set(values.drop_nulls().to_list()) - set(allowed))
        if outside:  # as load's pandas path: refused by name, never a polars traceback
            raise _outside_vocabulary(file.stem, file, column, outside, allowed)
    return frame.with_columns(pl.col(c).cast(pl.Enum(allowed)) for c, allowed in enums.items())
