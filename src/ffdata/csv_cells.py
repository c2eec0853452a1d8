"""How text cells are written in the published CSV files so that no spreadsheet runs them.

A *text* cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or an
apostrophe is written with one apostrophe before it, which spreadsheets show as text;
removing it gives the text as printed. Number cells and the Parquet files are never changed.

Example:
    >>> escape_cell("=HYPERLINK(1)"), unescape_cell("'=HYPERLINK(1)")
    ("'=HYPERLINK(1)", '=HYPERLINK(1)')
    >>> escape_cell("Tunisia"), escape_cell("'quoted'"), unescape_cell("''quoted'")
    ('Tunisia', "''quoted'", "'quoted'")
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ffdata.tables import Table

#: First characters that make a spreadsheet run a cell, and the escape character itself.
ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
ESCAPE = "'"


def escape_cell(text: str) -> str:
    """Return a text cell as written in a published CSV (example: the module's)."""
    return ESCAPE + text if text.startswith(ESCAPED_STARTS) else text


#: A number as a CSV cell holds it: kept as it is when a column mixes numbers and text.
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def escape_text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` (a diff, a command's output: text columns of any content) with every
    text cell escaped as :func:`escape_cell` does, numbers kept (a copy); every CSV ffdata
    writes goes through this or :func:`escape_frame`.

    Example:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"new_value": ["=HYPERLINK(1)", "-5", "Tunisia"]})
        >>> escape_text_cells(frame).new_value.tolist()
        ["'=HYPERLINK(1)", '-5', 'Tunisia']
    """
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            out[name] = column.map(
                lambda v: v if not isinstance(v, str) or _NUMBER.fullmatch(v) else escape_cell(v),
                na_action="ignore",
            )
    return out


def unescape_cell(text: str) -> str:
    """Return the text as printed from a cell of a published CSV (example: the module's)."""
    return text[len(ESCAPE) :] if text.startswith(ESCAPE) else text


def _replace_starts(
    frame: pd.DataFrame,
    table: Table,
    starts: tuple[str, ...],
    replace: Callable[[pd.Series], pd.Series],
) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells that start with one of ``starts`` are replaced
    (Arrow finds them on the whole column: a Python call per cell cost 12 ms a table)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    out = frame.copy()
    for name in [c.name for c in table.columns if c.type == "string" and c.name in out.columns]:
        text = out[name]
        first = pc.utf8_slice_codeunits(pa.array(text), 0, 1)
        found = pc.is_in(first, value_set=pa.array(starts, pa.string()))
        hit = pd.Series(found.to_numpy(zero_copy_only=False), index=text.index)
        if hit.any():
            out[name] = text.where(~hit, replace(text))
    return out


def number_cell(value: float) -> str:
    """Return a number cell as written in a published CSV: an integral number without
    ``.0`` (a headcount of 11000 is ``11000``), any other as Python's shortest repr.

    Example:
        >>> number_cell(11000.0), number_cell(11.11111111111111), number_cell(526.21)
        ('11000', '11.11111111111111', '526.21')
    """
    return str(int(value)) if value.is_integer() else repr(value)


def format_numbers(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Return ``frame`` with the cells of its ``number`` columns as :func:`number_cell`
    writes them (a copy; nulls stay null; integer and text columns unchanged).

    Example:
        >>> import pandas as pd
        >>> from ffdata.tables import TABLES
        >>> frame = pd.DataFrame({"value": [11000.0, None, 2.5]}, dtype="Float64")
        >>> format_numbers(frame, TABLES["aggregate_figures"]).value.tolist()
        ['11000', <NA>, '2.5']
    """
    out = frame.copy()
    for name in [c.name for c in table.columns if c.type == "number" and c.name in out.columns]:
        column = out[name]
        known = column.notna().tolist()
        cells = [number_cell(float(v)) if k else None for v, k in zip(column, known, strict=True)]
        out[name] = _string_series(cells, column.index)
    return out


def _string_series(cells: list[str | None], index: object) -> pd.Series:
    """A string Series of ``cells`` (None: null) on ``index``."""
    import pandas as pd

    return pd.Series(cells, index=index, dtype="string")


def escape_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Return ``frame`` with its text cells escaped for CSV (a copy; nulls stay null).

    Example:
        >>> import pandas as pd
        >>> from ffdata.tables import TABLES
        >>> escape_frame(pd.DataFrame({"note": ["-5 is printed"]}), TABLES["sources"]).note[0]
        "'-5 is printed"
    """
    return _replace_starts(frame, table, ESCAPED_STARTS, lambda text: ESCAPE + text)


def unescape_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Return ``frame`` read from a published CSV with its text cells as printed.

    Example:
        >>> import pandas as pd
        >>> from ffdata.tables import TABLES
        >>> unescape_frame(pd.DataFrame({"note": ["'-5"]}), TABLES["sources"]).note[0]
        '-5'
    """
    return _replace_starts(frame, table, (ESCAPE,), lambda text: text.str.slice(len(ESCAPE)))
