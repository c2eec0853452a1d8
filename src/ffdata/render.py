"""Rendering DataFrames for the terminal and for pipes: table, csv, json, markdown.

Example:
    >>> import pandas as pd
    >>> print(render(pd.DataFrame({"iso3": ["TUN"], "fighters": [6000]}), "markdown"))
    | iso3 | fighters |
    | --- | --- |
    | TUN | 6000 |
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ffdata.display import is_missing, shown

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json", "markdown")


#: The narrowest a text column of a table is cut to when the table is wider than the terminal.
MIN_TEXT_WIDTH = 8
ELLIPSIS = "\u2026"


def render(
    frame: pd.DataFrame, fmt: str, width: int | None = None, keep: tuple[str, ...] = ()
) -> str:
    """Return ``frame`` as text in format ``fmt`` (one of :data:`FORMATS`): ``csv`` and
    ``json`` exact, ``table`` and ``markdown`` displays (text through
    :func:`ffdata.display.shown`; a ``table`` wider than ``width`` has its widest text cut,
    never a number, a ``*_date`` column or a column of ``keep``).

    Example:
        >>> import pandas as pd
        >>> render(pd.DataFrame({"a": [1, None]}, dtype="Int64"), "json")
        '[\\n  {\\n    "a": 1\\n  },\\n  {\\n    "a": null\\n  }\\n]'
    """
    if fmt == "csv":  # text cells escaped as in the published CSVs
        from ffdata.csv_cells import escape_text_cells

        return escape_text_cells(frame).to_csv(index=False, lineterminator="\n").rstrip("\n")
    if fmt == "json":
        records = [
            {k: _json_value(v) for k, v in row.items()}
            for row in frame.astype(object).to_dict("records")
        ]
        return json.dumps(records, indent=2, ensure_ascii=False)
    rows = [
        ["" if is_missing(v) else shown(v) for v in row]
        for row in frame.astype(object).itertuples(index=False)
    ]
    header = [shown(c) for c in frame.columns]
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(lines)
    if fmt == "table":
        return _table(frame, header, rows, width, keep)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _table(
    frame: pd.DataFrame,
    header: list[str],
    rows: list[list[str]],
    width: int | None,
    keep: tuple[str, ...] = (),
) -> str:
    """Aligned columns, numbers right-aligned, fitted to ``width``; else :func:`_blocks`."""
    fixed = [
        frame[c].dtype.kind in "iufM" or str(c).endswith("_date") or c in keep
        for c in frame.columns
    ]
    numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    if width is not None:
        widths = _fit(widths, fixed, width)
        if sum(widths) + 2 * (len(widths) - 1) > width:
            return _blocks(header, rows, width)

    def line(cells: list[str]) -> str:
        return "  ".join(
            _cut(c, w).rjust(w) if n else _cut(c, w).ljust(w)
            for c, w, n in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _blocks(header: list[str], rows: list[list[str]], width: int) -> str:
    """Each row as lines of ``column  value`` (empty cells left out), values cut to ``width``."""
    label = max(len(h) for h in header)
    room = max(width - label - 2, MIN_TEXT_WIDTH)
    out = []
    for number, row in enumerate(rows, start=1):
        out.append(f"-[ row {number} ]-")
        out += [f"{h.ljust(label)}  {_cut(c, room)}" for h, c in zip(header, row, strict=True) if c]
    return "\n".join(out)


def _fit(widths: list[int], fixed: list[bool], width: int) -> list[int]:
    """Column widths that fit ``width``, cutting the widest text column (never below
    :data:`MIN_TEXT_WIDTH`, never a ``fixed`` one) one character at a time."""
    fitted = list(widths)
    while sum(fitted) + 2 * (len(fitted) - 1) > width:
        cuttable = [i for i, w in enumerate(fitted) if not fixed[i] and w > MIN_TEXT_WIDTH]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: fitted[i])
        fitted[widest] -= 1
    return fitted


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def _json_value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return str(value)
