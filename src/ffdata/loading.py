"""Loading the published tables offline: typed pandas, polars or pyarrow tables, from the
Parquet files shipped with the package (or the checkout's, or a release's).

Example:
    >>> load("countries", columns=["iso3", "country_name"]).columns.tolist()
    ['iso3', 'country_name']
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
from ffdata.hashes import sha256_of
from ffdata.locate import DESCRIPTOR, PROCESSED, data_root
from ffdata.reading import arrow_from_bytes
from ffdata.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


#: The key of a published Parquet file's key-value metadata that holds the dataset version
#: (written by the build, read by :func:`load` with the file at no extra cost).
VERSION_KEY = "ffdata.data_version"
#: What :func:`load` says about the file it read: ``attrs`` of a pandas frame, and the
#: schema metadata of a pyarrow table as ``ffdata.<key>``.
ATTRS = ("data_version", "file", "sha256")

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
    ``pl.Enum``) or an Arrow table (``backend="pyarrow"``, as dictionary-encoded strings of
    every allowed value; pandas is not imported).

    A pandas frame's ``attrs`` say what was read: ``data_version`` (the dataset version
    recorded in the Parquet file), ``file`` (its path) and ``sha256`` (of the bytes read); a
    pyarrow table carries them in its schema metadata as ``ffdata.data_version``,
    ``ffdata.file`` and ``ffdata.sha256``. A polars frame has no place for them:
    ``pl.read_parquet_metadata(ffdata.path(name))`` gives the version.

    Example:
        >>> countries = load("countries", columns=["iso3", "country_name", "population_2015"])
        >>> countries.set_index("iso3").loc["NLD", "country_name"]
        'Netherlands'
        >>> import ffdata
        >>> countries.attrs["data_version"] == ffdata.__version__, len(countries.attrs["sha256"])
        (True, 64)
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
        with open(file, "rb") as handle:  # one read: see reading.read_arrow_once
            data = handle.read()
        stored = arrow_from_bytes(data, columns)
    except (OSError, ValueError) as exc:  # missing file; pyarrow's ArrowInvalid is a ValueError
        raise _unreadable(name, file, exc) from exc
    facts = {"data_version": _recorded_version(stored.schema.metadata, file), "file": str(file)}
    facts["sha256"] = sha256_of(data)
    present = [c for c in enums if c in stored.column_names]  # a release may lack one
    encoded = {}
    for column in present:
        codes, outside = _codes(stored.column(column), enums[column])
        if outside:  # e.g. a release made with other vocabularies: never turn it into NaN
            raise _outside_vocabulary(name, file, column, outside, enums[column])
        encoded[column] = codes
    if backend == "pyarrow":
        return _dictionary_encoded(stored, encoded, enums, facts)
    frame = stored.to_pandas()
    for column, codes in encoded.items():
        frame[column] = _categorical(codes, enums[column])
    frame.attrs.update(facts)
    return frame


def data_version(release: str | Path | None = None) -> str | None:
    """Return the dataset version of the installed tables (or of ``release``), as their
    Parquet files record it: the version a frame of :func:`ffdata.compare` and the like is
    made from (``attrs["data_version"]``).

    Example:
        >>> import ffdata
        >>> data_version() == ffdata.__version__
        True
    """
    import pyarrow.parquet as pq

    file = path("sources", release=release)
    try:
        metadata = pq.read_metadata(file).metadata
    except (OSError, ValueError) as exc:
        raise _unreadable("sources", file, exc) from exc
    return _recorded_version(metadata, file)


def _recorded_version(metadata: dict[bytes, bytes] | None, file: Path) -> str | None:
    """The dataset version of a Parquet file, from its key-value ``metadata``'s
    :data:`VERSION_KEY`, else (a file written before 0.2.0 did not record it) from the
    ``datapackage.json`` of its package."""
    recorded = (metadata or {}).get(VERSION_KEY.encode())
    if recorded is not None:
        return recorded.decode("utf-8")
    import json

    try:
        descriptor = file.parents[len(PROCESSED.parts)] / DESCRIPTOR
        version = json.loads(descriptor.read_bytes()).get("version")
    except (OSError, ValueError, AttributeError, IndexError):
        return None
    return version if isinstance(version, str) else None


def _codes(values: pa.ChunkedArray, allowed: list[str]) -> tuple[pa.ChunkedArray, list[str]]:
    """A column's positions in the ``allowed`` values (found by Arrow, 3 ms a column faster
    than pandas; null for a missing value), and the values outside them, sorted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    value_set = _value_set(tuple(allowed))
    if pa.types.is_large_string(values.type) or (
        pa.types.is_dictionary(values.type) and pa.types.is_string(values.type.value_type)
    ):  # text stored otherwise (another tool's file)
        values = values.cast(pa.string())
    if not pa.types.is_string(values.type):  # not text (another tool's file): refused
        outside = sorted({str(v) for v in values.to_pylist() if v is not None} - set(allowed))
        return pc.index_in(values.cast(pa.string()), value_set=value_set), outside
    codes = pc.index_in(values, value_set=value_set)
    outside = []
    if codes.null_count > values.null_count:  # some value is not in the vocabulary
        unknown = pc.filter(values, pc.and_(pc.is_null(codes), pc.is_valid(values)))
        outside = sorted(set(unknown.to_pylist()))
    return codes, outside


@functools.cache
def _value_set(allowed: tuple[str, ...]) -> pa.Array:
    """``allowed`` as an Arrow string array, built from its buffers: ``pa.array`` of a list
    imports pandas (pyarrow looks for a pandas object), which ``backend="pyarrow"`` must not."""
    import array
    import itertools

    import pyarrow as pa

    encoded = [value.encode("utf-8") for value in allowed]
    offsets = array.array("i", [0, *itertools.accumulate(len(e) for e in encoded)])
    buffers = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(allowed), buffers)


def _dictionary_encoded(
    stored: pa.Table, encoded: dict[str, pa.ChunkedArray], enums: dict, facts: dict
) -> pa.Table:
    """``stored`` with each closed vocabulary dictionary-encoded over every allowed value (as
    pandas gets categoricals) and ``facts`` in its schema metadata."""
    import pyarrow as pa

    for column, codes in encoded.items():
        dictionary = _value_set(tuple(enums[column]))
        chunks = [pa.DictionaryArray.from_arrays(chunk, dictionary) for chunk in codes.chunks]
        kind = pa.dictionary(pa.int32(), pa.string())
        stored = stored.set_column(
            stored.column_names.index(column),
            stored.schema.field(column).with_type(kind),
            pa.chunked_array(chunks, type=kind),
        )
    metadata = dict(stored.schema.metadata or {})
    metadata.update({f"ffdata.{key}".encode(): str(value).encode() for key, value in facts.items()})
    return stored.replace_schema_metadata(metadata)


def _categorical(codes: pa.ChunkedArray, allowed: list[str]) -> pd.Categorical:
    """A column of :func:`_codes` as a pandas categorical of the ``allowed`` values."""
    import pandas as pd
    import pyarrow.compute as pc

    return pd.Categorical.from_codes(
        pc.fill_null(codes, -1).to_numpy(), dtype=_categories(tuple(allowed))
    )


@functools.cache
def _categories(allowed: tuple[str, ...]) -> pd.CategoricalDtype:
    import pandas as pd

    return pd.CategoricalDtype(list(allowed))


def _outside_vocabulary(
    name: str, file: Path, column: str, outside: list[str], allowed: list[str]
) -> FfdataError:
    return FfdataError(
        f"table {name}, column {column}: {outside} not among "
        f"the values this ffdata knows ({', '.join(allowed)})",
        document=str(file),
        hint=f"read the file as stored, pyarrow.parquet.read_table(ffdata.path({name!r}, "
        "release=...)), or load it with the ffdata version that made it",
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
    casts = [pl.col(c).cast(pl.Enum(allowed)) for c, allowed in enums.items()]
    if all(frame.schema[c] == pl.String for c in enums):  # text: a strict cast checks it
        try:
            return frame.with_columns(casts)
        except pl.exceptions.InvalidOperationError:
            pass  # a value outside a vocabulary: found and named below
    for column, allowed in enums.items():
        values = frame[column].cast(pl.String, strict=False)
        outside = sorted(set(values.drop_nulls().to_list()) - set(allowed))
        if outside:  # as load's pandas path: refused by name, never a polars traceback
            raise _outside_vocabulary(file.stem, file, column, outside, allowed)
    return frame.with_columns(casts)
