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

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json", "markdown")


def _missing(value: object) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _cell(value: object) -> str:
    return "" if _missing(value) else str(value)


def _visible(text: str) -> str:
    return text.replace("\t", "\\t").replace("\n", "\\n")


def render(frame: pd.DataFrame, fmt: str) -> str:
    """Return ``frame`` as text in format ``fmt`` (one of :data:`FORMATS`).

    ``table`` aligns columns for a terminal (tabs shown as ``\\t``); ``csv``
    and ``json`` are exact and parse back with pandas or ``json``.

    Example:
        >>> import pandas as pd
        >>> render(pd.DataFrame({"a": [1, None]}, dtype="Int64"), "json")
        '[\\n  {\\n    "a": 1\\n  },\\n  {\\n    "a": null\\n  }\\n]'
    """
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n").rstrip("\n")
    if fmt == "json":
        records = [
            {k: _json_value(v) for k, v in row.items()}
            for row in frame.astype(object).to_dict("records")
        ]
        return json.dumps(records, indent=2, ensure_ascii=False)
    rows = [
        [_visible(_cell(v)) for v in row] for row in frame.astype(object).itertuples(index=False)
    ]
    header = [str(c) for c in frame.columns]
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(lines)
    if fmt == "table":
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
        numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]

        def line(cells: list[str]) -> str:
            return "  ".join(
                c.rjust(w) if n else c.ljust(w)
                for c, w, n in zip(cells, widths, numeric, strict=True)
            ).rstrip()

        return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _json_value(value: object) -> object:
    if _missing(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return str(value)
