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
#: The fewest characters of the document a cut ``document:line`` cell keeps (its start and end).
MIN_DOCUMENT_WIDTH = 12


def render(
    frame: pd.DataFrame,
    fmt: str,
    width: int | None = None,
    keep: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
) -> str:
    """Return ``frame`` as text in format ``fmt`` (one of :data:`FORMATS`): ``csv`` and
    ``json`` exact, ``table`` and ``markdown`` displays (text through
    :func:`ffdata.display.shown`; a ``table`` wider than ``width`` has its widest text cut,
    never a number, a ``*_date`` column or a column of ``keep``; a cut never makes two
    different cells of a column read the same; a column of ``places`` holds
    ``document:line`` cells, cut in the middle of the document so ``:line`` stays whole).

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
        return _table(frame, header, rows, width, keep, places)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _table(
    frame: pd.DataFrame,
    header: list[str],
    rows: list[list[str]],
    width: int | None,
    keep: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
) -> str:
    """Aligned columns, numbers right-aligned, fitted to ``width``; else :func:`_blocks`."""
    fixed = [
        frame[c].dtype.kind in "iufM" or str(c).endswith("_date") or c in keep
        for c in frame.columns
    ]
    numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]
    middle = [c in places for c in frame.columns]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    if width is not None:
        floors = [
            w if f else _floor([r[i] for r in rows], w, m)
            for i, (w, f, m) in enumerate(zip(widths, fixed, middle, strict=True))
        ]
        widths = _fit(widths, floors, width)
        if sum(widths) + 2 * (len(widths) - 1) > width:
            return _blocks(header, rows, width, middle)

    def line(cells: list[str]) -> str:
        return "  ".join(
            _cut(c, w, m).rjust(w) if n else _cut(c, w, m).ljust(w)
            for c, w, n, m in zip(cells, widths, numeric, middle, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _blocks(header: list[str], rows: list[list[str]], width: int, middle: list[bool]) -> str:
    """Each row as lines of ``column  value`` (empty cells left out), values cut to ``width``
    (a ``middle`` column's as :func:`_cut` cuts a place)."""
    label = max(len(h) for h in header)
    room = max(width - label - 2, MIN_TEXT_WIDTH)
    out = []
    for number, row in enumerate(rows, start=1):
        out.append(f"-[ row {number} ]-")
        out += [
            f"{h.ljust(label)}  {_cut(c, room, m)}"
            for h, c, m in zip(header, row, middle, strict=True)
            if c
        ]
    return "\n".join(out)


def _floor(cells: list[str], full: int, middle: bool) -> int:
    """The narrowest a text column may be cut to: at least :data:`MIN_TEXT_WIDTH` and, for
    ``middle`` (``document:line``) cells, their ``:line`` and :data:`MIN_DOCUMENT_WIDTH`
    characters of the document, and wide enough that no two different cells read the same once cut (else ``full``).

    Example:
        >>> _floor(["us-intelligence-2015", "us-intelligence-2016"], 20, False)
        20
        >>> _floor(["icsr-foreign-fighters-copy:52", "niu-2018-excerpt:5"], 29, True)
        16
    """
    least = MIN_TEXT_WIDTH
    if middle:
        least = max([least] + [len(_line_part(c)) + MIN_DOCUMENT_WIDTH + 1 for c in cells])
    for w in range(least, full):
        if len({_cut(c, w, middle) for c in cells}) == len(set(cells)):
            return w
    return max(full, least)


def _fit(widths: list[int], floors: list[int], width: int) -> list[int]:
    """Column widths that fit ``width``, cutting the widest text column (never below its
    ``floors`` width) one character at a time."""
    fitted = list(widths)
    while sum(fitted) + 2 * (len(fitted) - 1) > width:
        cuttable = [i for i, w in enumerate(fitted) if w > floors[i]]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: fitted[i])
        fitted[widest] -= 1
    return fitted


def _cut(text: str, width: int, middle: bool = False) -> str:
    """``text`` cut to ``width`` with an ellipsis at the end, or for a ``middle``
    (``document:line``) cell in the middle of the document, ``:line`` kept whole.

    Example:
        >>> _cut("icsr-foreign-fighters-copy:52", 16, middle=True)
        'icsr-for…copy:52'
        >>> _cut("viableopposition-2015", 11)
        'viableoppo…'
    """
    if len(text) <= width:
        return text
    tail = _line_part(text) if middle else ""
    room = width - len(tail) - 1
    if not tail or room < 2:
        return text[: width - 1] + ELLIPSIS
    body = text[: len(text) - len(tail)]
    head = room - room // 3  # more of the start, which names the document
    return body[:head] + ELLIPSIS + body[len(body) - (room - head) :] + tail


def _line_part(text: str) -> str:
    """The ``:line`` ending of a ``document:line`` cell ("" if it has none)."""
    document, colon, line = text.rpartition(":")
    return colon + line if document and line.isdigit() else ""


def _json_value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return str(value)
