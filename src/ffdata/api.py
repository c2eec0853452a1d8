"""The loading API: tables as typed pandas DataFrames, codebook, comparisons, provenance.

Everything reads the Parquet files shipped with the package (or the checkout's
``data/processed/``), offline.

Example:
    >>> import ffdata
    >>> ce = ffdata.load("country_estimates")
    >>> int(ce.query("iso3 == 'TUN' and estimate == 'official'").fighters.iloc[0])
    6000
"""

from __future__ import annotations

import difflib
import functools
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ffdata.display import readable
from ffdata.errors import FfdataError, UnknownNameError
from ffdata.locate import PROCESSED, data_root
from ffdata.lookup import find_country
from ffdata.reading import read_arrow_once
from ffdata.tables import ESTIMATES, TABLES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "compare",
    "country_summary",
    "describe",
    "find_country",
    "list_tables",
    "load",
    "path",
    "provenance",
    "source_ids",
    "totals",
]


#: Up to this many valid choices are listed in an error; more are pointed to, not listed.
_LISTED_CHOICES = 12


def _unknown(kind: str, name: str, choices: list[str], listing: str = "") -> UnknownNameError:
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


def _root(release: str | Path | None) -> Path:
    if release is None:
        return data_root()
    from ffdata.fetch import release_root

    return release_root(release)


def path(name: str, release: str | Path | None = None) -> Path:
    """Return the Parquet file of table ``name``, e.g. for polars or DuckDB.

    ``release`` reads a release instead: a version such as ``"0.1.0"``, the path or
    address of an archive (fetched, cached and verified on every call by
    :func:`ffdata.fetch_release`), or the folder of an unpacked release (checked
    against its ``SHA256SUMS``).

    Example:
        >>> path("country_estimates").name
        'country_estimates.parquet'
        >>> # polars.read_parquet(path("countries")); duckdb.sql(f"FROM '{path('countries')}'")
    """
    if name not in TABLES:
        raise _unknown("table", name, list(TABLES))
    return _root(release) / PROCESSED / f"{name}.parquet"


#: What :func:`load` can return: a pandas or polars DataFrame, or a pyarrow Table.
BACKENDS = ("pandas", "polars", "pyarrow")


def load(
    name: str,
    columns: list[str] | None = None,
    release: str | Path | None = None,
    backend: str = "pandas",
) -> Any:
    """Return table ``name`` with its declared types, as a pandas DataFrame by default.

    pandas: nullable integers (``Int64``), ``string`` text, closed vocabularies
    (``estimate``, ``unit``, ...) as categoricals with every allowed value.
    ``backend="polars"`` gives a polars DataFrame (closed vocabularies as
    ``pl.Enum``; needs ``pip install 'ffdata[polars]'``), ``backend="pyarrow"`` the
    Arrow table as stored in the Parquet file.

    Example:
        >>> countries = load("countries", columns=["iso3", "name", "population_2015"])
        >>> countries.set_index("iso3").loc["NLD", "name"]
        'Netherlands'
        >>> load("country_estimates").estimate.dtype
        CategoricalDtype(categories=['official', 'unofficial', 'reported'], ordered=False, categories_dtype=str)
        >>> load("countries", columns=["iso3"], backend="pyarrow").num_rows
        77
    """
    if backend not in BACKENDS:
        raise _unknown("backend", backend, list(BACKENDS))
    file = path(name, release=release)
    table = TABLES[name]
    if isinstance(columns, str):
        columns = [columns]
    if columns is not None:
        known = [c.name for c in table.columns]
        for column in columns:
            if column not in known:
                raise _unknown(f"column of {name}", column, known)
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
    for column, allowed in enums.items():
        if column in stored.column_names:
            categorical, outside = _categorical(stored.column(column), allowed)
            if outside:  # e.g. a release made with other vocabularies: never turn it into NaN
                raise _outside_vocabulary(name, file, column, outside, allowed)
            frame[column] = categorical
    return frame


def _categorical(values: pa.ChunkedArray, allowed: list[str]) -> tuple[pd.Categorical, list[str]]:
    """A column as stored, as a categorical of the ``allowed`` values, and the values
    outside them (each value, where the column does not hold text).

    Arrow finds each value's code: building the categorical from the strings cost pandas
    3 ms a column, twice the read of the whole table.
    """
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
    """The pandas dtype and the Arrow array of a closed vocabulary, made once (the dtype
    alone cost 0.17 ms a column of each load)."""
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
    """The table as a polars DataFrame, closed vocabularies as ``pl.Enum``."""
    try:
        import polars as pl
    except ImportError as exc:
        raise FfdataError(
            "backend='polars' needs polars, which is not installed",
            document=sys.prefix,
            hint="pip install 'ffdata[polars]' (or pip install polars); "
            "backend='pandas' and backend='pyarrow' need nothing more",
        ) from exc
    try:
        with open(file, "rb") as handle:  # one read: see reading.read_arrow_once
            frame = pl.read_parquet(io.BytesIO(handle.read()), columns=columns)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise _unreadable(file.stem, file, exc) from exc
    for column, allowed in enums.items():
        if column in frame.columns:
            values = frame[column].cast(pl.String, strict=False)
            outside = sorted(set(values.drop_nulls().to_list()) - set(allowed))
            if outside:  # as load's pandas path: refused by name, never a polars traceback
                raise _outside_vocabulary(file.stem, file, column, outside, allowed)
    return frame.with_columns(
        pl.col(column).cast(pl.Enum(allowed))
        for column, allowed in enums.items()
        if column in frame.columns
    )


def describe(name: str) -> pd.DataFrame:
    """Return the codebook of table ``name``: column, type, unit, constraints, key, meaning.

    Example:
        >>> book = describe("country_estimates").set_index("column")
        >>> book.loc["fighters", "unit"]
        'people'
    """
    import pandas as pd

    from ffdata.codebook import codebook_rows

    if name not in TABLES:
        raise _unknown("table", name, list(TABLES))
    return pd.DataFrame(codebook_rows(name))


def compare(country: str) -> pd.DataFrame:
    """Return every estimate for one country across sources and dates, oldest first.

    One row per source and kind of estimate: the country's name, the source's label and
    producer, the date it
    refers to and the date it was published, the single figure or the range as
    printed (``fighters``, or ``fighters_low`` and ``fighters_high``), per-million
    rates, and where it is printed. Rows run in order of the date each estimate
    refers to (the end of a span), then of publication. The frame prints
    ``text_as_printed`` with its tabs shown as `` ⇥ `` (:func:`ffdata.display.shown`);
    its values keep the exact text.

    Example:
        >>> uk = compare("UK")
        >>> print(uk[["label", "refers_to_date", "fighters", "fighters_low", "fighters_high"]]
        ...       .to_string(index=False))
                label  refers_to_date  fighters  fighters_low  fighters_high
        ICSR Dec 2013 2011/2013-12-10      <NA>            43            366
        ICSR Jan 2015         2014-12      <NA>           500            600
             IEP 2015            2015       600          <NA>           <NA>
          Soufan 2015            2015       760          <NA>           <NA>
    """
    iso3 = find_country(country)
    estimates = load("country_estimates")
    sources = load("sources", columns=["source_id", "label", "producer"])
    names = load("countries", columns=["iso3", "name"])
    rows = estimates[estimates["iso3"] == iso3].merge(sources, on="source_id", how="left")
    rows = rows.merge(names, on="iso3", how="left")
    columns = [
        "iso3",
        "name",
        "source_id",
        "label",
        "producer",
        "estimate",
        "refers_to_date",
        "refers_to_precision",
        "published_date",
        "fighters",
        "fighters_low",
        "fighters_high",
        "fighters_per_million",
        "fighters_low_per_million",
        "fighters_high_per_million",
        "population_year",
        "name_as_printed",
        "document_id",
        "line",
        "text_as_printed",
        "oddities",
    ]
    rows = rows.assign(_until=rows["refers_to_date"].str.split("/").str[-1])
    order = ["_until", "published_date", "source_id", "estimate"]
    rows = rows.sort_values(order, kind="stable", na_position="last")
    return readable(rows[columns].reset_index(drop=True))


def provenance(
    country: str | None = None,
    source: str | None = None,
    estimate: str | None = None,
    figure: str | None = None,
) -> pd.DataFrame:
    """Return where figures come from: document, file, line and the exact text as printed.

    Give a ``country`` (optionally ``source`` and ``estimate``), or an aggregate
    ``figure`` id.

    Example:
        >>> p = provenance("Tunisia", source="soufan-2015", estimate="official").iloc[0]
        >>> p.file, int(p.line), p.text_as_printed
        ('002_882cd01f73eb6394.txt', 112, '1\\tTunisia\\t6000\\t7000')
    """
    documents = load("documents", columns=["document_id", "file", "title"])
    if figure is not None and (country, source, estimate) != (None, None, None):
        raise UnknownNameError(
            "give either a figure id or a country (with source and estimate), not both",
            hint="e.g. provenance(figure=<a figure_id of aggregate_figures>) or provenance('Tunisia')",
        )
    if estimate is not None and estimate not in ESTIMATES:
        raise _unknown("estimate", estimate, list(ESTIMATES))
    if figure is not None:
        rows = figure_row(figure).rename(columns={"figure_id": "figure"})
        value_columns = ["figure", "value", "value_low", "value_high", "unit", "qualifier"]
    else:
        if country is None:
            raise UnknownNameError(
                "give a country or a figure id", hint="e.g. provenance('Tunisia')"
            )
        rows = load("country_estimates")
        rows = rows[rows["iso3"] == find_country(country)]
        if source is not None:
            choices = sorted(source_ids())
            if source not in choices:
                raise _unknown("source", source, choices)
            rows = rows[rows["source_id"] == source]
        if estimate is not None:
            rows = rows[rows["estimate"] == estimate]
        value_columns = ["iso3", "source_id", "estimate", "fighters"]
    rows = rows.merge(documents, on="document_id", how="left")
    columns = [*value_columns, "document_id", "file", "line", "text_as_printed", "title"]
    return readable(rows[columns].reset_index(drop=True))


def figure_row(figure: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Return the ``aggregate_figures`` row of figure id ``figure``, or refuse it, saying
    where the ids are listed.

    Example:
        >>> figure_row("un-2014-foreign-fighters", ["source_id", "value"]).values.tolist()
        [['un-2014', 15000.0]]
    """
    wanted = None if columns is None else list(dict.fromkeys(["figure_id", *columns]))
    figures = load("aggregate_figures", columns=wanted)
    if figure not in set(figures["figure_id"]):
        raise _unknown(
            "figure",
            figure,
            sorted(figures["figure_id"]),
            listing="ffdata.load('aggregate_figures').figure_id",
        )
    rows = figures[figures["figure_id"] == figure]
    return rows if columns is None else rows[columns]


def source_ids() -> list[str]:
    """Return the source ids of the published ``sources`` table.

    Example:
        >>> "iep-gti-2015" in source_ids()
        True
    """
    return list(load("sources", columns=["source_id"])["source_id"])


def country_summary() -> pd.DataFrame:
    """Return one row per country, columns per source and estimate, with per-capita rates.

    Columns: ``iso3, iso2, iso_numeric, name, region, subregion, population_2015``,
    then, for each source with country estimates (in ``sources`` order) and each
    kind of estimate it declares, ``<column_stem>_<estimate>`` (the single figure);
    for a source that prints ranges also ``..._low`` and ``..._high`` (the ends of a
    range; a range is never collapsed into the single-figure column); then the
    ``..._per_million`` rate of each of those columns. The stems are the sources
    table's ``column_stem``: ``soufan_official``, ``iep_reported``,
    ``icsr_2015_reported_low``... Each rate uses the population of the year the
    estimate refers to.

    Example:
        >>> s = country_summary().set_index("iso3")
        >>> s.loc["TUN", ["soufan_official", "soufan_unofficial", "iep_reported"]].tolist()
        [6000, 7000, 5000]
        >>> s.loc["GBR", ["icsr_2015_reported", "icsr_2015_reported_low",
        ...               "icsr_2015_reported_high"]].tolist()
        [<NA>, 500, 600]
        >>> float(s.loc["TUN", "soufan_official_per_million"])
        526.21
    """
    import pandas as pd

    sources = load("sources", columns=["source_id", "column_stem", "estimate_kinds"])
    sources = sources.dropna(subset=["column_stem"])
    keys = {
        (source_id, kind): f"{stem}_{kind}"
        for source_id, stem, kinds in sources.itertuples(index=False)
        for kind in str(kinds).split(";")
    }
    estimates = load("country_estimates")
    estimates = estimates.assign(
        key=[
            keys.get((s, str(e)), f"{s}_{e}".replace("-", "_"))
            for s, e in zip(estimates["source_id"], estimates["estimate"], strict=True)
        ]
    )
    order = [k for k in keys.values() if k in set(estimates["key"])]
    order += sorted(set(estimates["key"]) - set(order))
    suffixes = {"fighters": "", "fighters_low": "_low", "fighters_high": "_high"}
    parts = {}
    for figure, suffix in suffixes.items():
        for rate in ("", "_per_million"):
            wide = estimates.pivot(index="iso3", columns="key", values=figure + rate)
            for key in order:
                ranged = (
                    figure != "fighters"
                    and estimates.loc[estimates["key"] == key, figure].notna().any()
                )
                if figure == "fighters" or ranged:
                    parts[f"{key}{suffix}{rate}"] = wide[key]
    figures = [f"{k}{s}" for k in order for s in suffixes.values() if f"{k}{s}" in parts]
    columns = figures + [f"{c}_per_million" for c in figures]
    countries = load("countries").drop(columns=["region_note"])
    # countries also lists those only aggregate figures concern; they have no estimates
    countries = countries[countries["iso3"].isin(estimates["iso3"])].set_index("iso3")
    summary = countries.join(pd.DataFrame({c: parts[c] for c in columns}))
    summary = summary.reset_index().sort_values("name", kind="stable").reset_index(drop=True)
    for column in figures:
        summary[column] = summary[column].astype("Int64")
    for column in columns[len(figures) :]:
        summary[column] = summary[column].astype("Float64")
    return pd.DataFrame(summary)


def totals() -> pd.DataFrame:
    """Return the worldwide totals of foreign fighters over time, in date order.

    The aggregate figures of metric ``foreign_fighters`` (people) that concern no one
    country (``iso3`` empty) and whose topic is the Islamic State, with the producer the
    text names, the date (ISO, and as printed), the value as printed with its qualifier,
    and where it is printed. Figures whose date is not known sort last.

    Example:
        >>> t = totals()
        >>> [(d, int(v)) for d, v in t[["refers_to_date", "value"]].dropna().values][:5]
        [('2013', 11000), ('2014-09', 15000), ('2015-02', 20000), ('2015-09', 30000), ('2015-11', 25000)]
        >>> t.loc[t.figure_id == "fbi-2015-foreign-fighters", "qualifier"].item()
        'no_qualifier'
    """
    figures = load("aggregate_figures")
    keep = (
        (figures["metric"] == "foreign_fighters")
        & (figures["unit"] == "people")
        & figures["iso3"].isna()
        & (figures["topic"] == "islamic_state")
    )
    columns = [
        "refers_to_date",
        "refers_to",
        "producer",
        "source_id",
        "value",
        "value_low",
        "value_high",
        "qualifier",
        "figure_id",
        "document_id",
        "line",
        "text_as_printed",
    ]
    rows = figures.loc[keep, columns]
    rows = rows.sort_values(["refers_to_date", "figure_id"], kind="stable", na_position="last")
    return rows.reset_index(drop=True)
