"""Country estimates from the selected rows of a CSV data file, one per country.

Low and high both given: a range (``figure_column`` its midpoint, flagged when not);
both empty: a single figure; ``NA``: listed without a figure (flagged).

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
    >>> doc = load_document(read_manifest(default_raw_dir()),
    ...                     "reference/icsr-foreign-fighters/data/icsr.csv")
    >>> spec = DataRowsSpec.from_layout({"name": "ICSR", "select_column": "icsr.date",
    ...     "select_value": "20150126", "name_column": "country", "code_column": "countrycode",
    ...     "low_column": "icsr.low", "high_column": "icsr.high", "figure_column": "icsr.mean"})
    >>> [(r.name_as_printed, r.fighters_low, r.fighters_high) for r in read_data_rows(doc, spec)][2]
    ('kosovo', 100, 150)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ffdata.builder.extract.records import CountryFigure
from ffdata.builder.inputs.manifest import Document

FLAG_LOW_ABOVE_HIGH = "low_above_high"
FLAG_NO_FIGURE = "listed_without_figure"
FLAG_NOT_MIDPOINT = "copy_mean_not_midpoint"
#: How the file marks a country listed without a figure.
NOT_AVAILABLE = "NA"
_WHOLE = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]+)?")
_COLUMNS = "select_column name_column code_column low_column high_column figure_column"
_COLUMN_KEYS = tuple(_COLUMNS.split())


@dataclass(frozen=True)
class DataRowsSpec:
    """Which rows of a data file are a source's, and which columns hold what."""

    name: str
    select_column: str
    select_value: str
    name_column: str
    code_column: str
    low_column: str
    high_column: str
    figure_column: str
    #: The kind of estimate the source declares (its rows' ``estimate``).
    estimate: str = "reported"

    @classmethod
    def from_layout(cls, layout: Mapping[str, object], estimate: str = "reported") -> DataRowsSpec:
        """A spec from a ``layout``; ValueError if it cannot work.

        Example:
            >>> DataRowsSpec.from_layout({"name": "x", "select_column": "d",
            ...     "select_value": "1", "name_column": "c", "code_column": "c",
            ...     "low_column": "l", "high_column": "h", "figure_column": "m"})
            Traceback (most recent call last):
            ...
            ValueError: each column may be named once, but c is named twice
        """
        values = {key: str(layout[key]) for key in ("name", "select_value", *_COLUMN_KEYS)}
        columns = [values[key] for key in _COLUMN_KEYS]
        for column in columns:
            if columns.count(column) > 1:
                raise ValueError(f"each column may be named once, but {column} is named twice")
        return cls(**values, estimate=estimate)


def _header(doc: Document, spec: DataRowsSpec) -> dict[str, int]:
    """Column name -> position, from line 1; every column of the layout must be there."""
    header = next(csv.reader([doc.line(1)]))
    missing = [getattr(spec, k) for k in _COLUMN_KEYS if getattr(spec, k) not in header]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if missing or duplicated:
        problem = f"has no column {missing[0]!r}" if missing else f"repeats {duplicated[0]!r}"
        raise doc.refusal(
            1,
            f"the header of the {spec.name} file {problem}",
            "name the columns as the file's first line prints them",
        )
    return {name: header.index(name) for name in header}


def _whole(cell: str, column: str, doc: Document, line: int) -> int:
    if not _WHOLE.fullmatch(cell):
        raise doc.refusal(
            line,
            f"{column} {cell!r} is not a whole number of people",
            "correct the file (and its sha256 in manifest.toml), or the declared columns",
        )
    return int(cell)


def _row(doc: Document, spec: DataRowsSpec, line: int, cells: dict[str, str]) -> CountryFigure:
    """One selected row, read as printed."""
    low_cell, high_cell = cells[spec.low_column], cells[spec.high_column]
    figure_cell = cells[spec.figure_column]
    low = high = fighters = None
    flags: set[str] = set()
    if low_cell and high_cell:
        low = _whole(low_cell, spec.low_column, doc, line)
        high = _whole(high_cell, spec.high_column, doc, line)
        if not _DECIMAL.fullmatch(figure_cell):
            raise doc.refusal(
                line,
                f"{spec.figure_column} {figure_cell!r} is not a number beside the range "
                f"{low}-{high}, so the columns do not read as declared",
                "check the file against its provenance, or the declared columns",
            )
        if float(figure_cell) != (low + high) / 2:
            flags.add(FLAG_NOT_MIDPOINT)
        if low > high:
            flags.add(FLAG_LOW_ABOVE_HIGH)
    elif low_cell or high_cell:
        raise doc.refusal(
            line,
            f"the row gives one end of a range only ({spec.low_column} {low_cell!r}, "
            f"{spec.high_column} {high_cell!r})",
            "give both ends, or neither and the single figure",
        )
    elif figure_cell == NOT_AVAILABLE:
        flags.add(FLAG_NO_FIGURE)
    else:
        fighters = _whole(figure_cell, spec.figure_column, doc, line)
    return CountryFigure(
        source_id="",
        estimate=spec.estimate,
        fighters=fighters,
        rank_as_printed=None,
        name_as_printed=cells[spec.name_column],
        file=doc.file,
        line=line,
        text_as_printed=doc.line(line),
        flags=frozenset(flags),
        fighters_low=low,
        fighters_high=high,
        code_as_printed=cells[spec.code_column] or None,
    )


def read_data_rows(doc: Document, spec: DataRowsSpec) -> list[CountryFigure]:
    """The source's rows of a CSV data file, in file order (see the module example)."""
    index = _header(doc, spec)
    rows: list[CountryFigure] = []
    seen: dict[str, int] = {}
    for line in range(2, len(doc.lines) + 1):
        text = doc.line(line)
        if not text.strip():
            continue
        try:
            (values,) = list(csv.reader([text], strict=True))
        except (csv.Error, ValueError):
            values = []
        if len(values) != len(index):
            raise doc.refusal(
                line,
                f"the row has {len(values)} cells, the header {len(index)}",
                "each row of the file must be one line with one cell per column",
            )
        cells = {name: values[i].strip() for name, i in index.items()}
        if cells[spec.select_column] != spec.select_value:
            continue
        name = cells[spec.name_column]
        if not name or name in seen:
            problem = "has no country" if not name else f"repeats line {seen[name]}"
            raise doc.refusal(
                line,
                f"a row of the {spec.name} {problem}",
                "one row per country and source",
            )
        seen[name] = line
        rows.append(_row(doc, spec, line, cells))
    if not rows:
        raise doc.refusal(
            1,
            f"no row of the file has {spec.select_column} = {spec.select_value!r} ({spec.name})",
            "check select_column and select_value of the source's layout",
        )
    return rows
