"""Reading a pinned CSV table of the raw folder (reference data, reviewed aliases), checked.

Every row must have as many cells as the header, the header must hold the columns the
reader needs, the bytes must be UTF-8 and no cell may hold a control character; each
refusal names the file, the line and what would fix it.

Example:
    >>> rows = read_csv_rows(b"a,b\\n1,2\\n", "t.csv", ["a"])
    >>> rows
    [(2, {'a': '1', 'b': '2'})]
"""

from __future__ import annotations

import csv
import io

from ffdata.builder.inputs.manifest import CONTROL_CHARACTERS, utf8_text
from ffdata.errors import ReferenceDataError


def read_csv_rows(
    data: bytes, file: str, needed: list[str], *, hint: str = "restore the pinned file"
) -> list[tuple[int, dict[str, str]]]:
    """Return (line, row) for each data row of a UTF-8 CSV holding the columns ``needed``.

    Example:
        >>> read_csv_rows(b"a,b\\n1\\n", "t.csv", ["a"])
        Traceback (most recent call last):
        ...
        ffdata.errors.ReferenceDataError: t.csv:2: row has 1 cells, the header 2: '1'
          hint: restore the pinned file
    """
    text = utf8_text(data, file, ReferenceDataError, f"{hint} (saved as UTF-8)")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, [])
    missing = [name for name in needed if name not in header]
    if missing:
        raise ReferenceDataError(
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
            if len(cells) != len(header):
                raise ReferenceDataError(
                    f"row has {len(cells)} cells, the header {len(header)}",
                    document=file,
                    line=line,
                    text=",".join(cells),
                    hint=hint,
                )
            if CONTROL_CHARACTERS.search("".join(cells)):  # one search a row, not a cell
                bad = next(c for c in cells if CONTROL_CHARACTERS.search(c))
                raise ReferenceDataError(
                    "a cell holds a control character (a line break, an escape)",
                    document=file,
                    line=line,
                    text=bad,
                    hint=hint,
                )
            rows.append((line, dict(zip(header, cells, strict=True))))
        line = reader.line_num + 1
    return rows
