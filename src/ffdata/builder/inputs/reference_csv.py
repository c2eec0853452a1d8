"""Reading a pinned CSV table of the raw folder: reference data, and the hand-written
tables checked against their schema.
"""

from __future__ import annotations

import csv
import io

from ffdata.builder.inputs.reader import Entry, Place, checked, decode
from ffdata.builder.inputs.schema import CONTROL_CHARACTERS, Input
from ffdata.errors import FfdataError, ReferenceDataError


def read_csv_rows(
    data: bytes,
    file: str,
    needed: list[str],
    *,
    hint: str = "restore the pinned file",
    error: type[FfdataError] = ReferenceDataError,
) -> list[tuple[int, dict[str, str]]]:
    """Return (line, row) for each data row of a UTF-8 CSV holding the columns ``needed``.

    Example:
        >>> read_csv_rows(b"a,b\\n1\\n", "t.csv", ["a"])
        Traceback (most recent call last):
        ...
        ffdata.errors.ReferenceDataError: t.csv:2: row has 1 cells, the header 2: '1'
          hint: restore the pinned file
    """
    text = decode(data, file, error, f"{hint} (saved as UTF-8)")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, [])
    missing = [name for name in needed if name not in header]
    if missing:
        raise error(
            f"the header lacks the column(s) {missing}",
            document=file,
            line=1,
            text=",".join(header),
            hint=hint,
        )
    rows = []
    line = reader.line_num + 1
    for cells in reader:
        if cells:
            problem = f"row has {len(cells)} cells, the header {len(header)}"
            if len(cells) == len(header) and CONTROL_CHARACTERS.search("".join(cells)):
                bad = next(c for c in cells if CONTROL_CHARACTERS.search(c))
                problem, cells = "a cell holds a control character (a line break, an escape)", [bad]
            elif len(cells) == len(header):
                rows.append((line, dict(zip(header, cells, strict=True))))
                problem = ""
            if problem:
                raise error(problem, document=file, line=line, text=",".join(cells), hint=hint)
        line = reader.line_num + 1
    return rows


def parse_csv(data: bytes, file: str, spec: Input, hint: str) -> list[Entry]:
    """Read a hand-written CSV whose header is exactly the fields of ``spec``; check each row.

    Example:
        >>> from ffdata.builder.inputs.schema import INPUTS
        >>> parse_csv(b"name,iso3,note\\nUK,GBR,short\\n", "a.csv", INPUTS["aliases"], "")[0]["iso3"]
        'GBR'
    """
    names = [f.name for f in spec.fields]
    rows = read_csv_rows(data, file, names, hint=hint, error=spec.error)
    if rows and list(rows[0][1]) != names:
        raise spec.error(
            f"the header should be {','.join(names)}",
            document=file,
            line=1,
            text=",".join(rows[0][1]),
            hint=hint,
        )
    out = []
    for line, cells in rows:
        entry = Entry(cells, Place(file, line))
        out.append(Entry(checked(cells, spec.fields, entry, spec.error), entry.place))
    return out
