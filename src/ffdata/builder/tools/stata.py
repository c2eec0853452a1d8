"""Stata files of the release: one reproducible ``.dta`` per table (format 118, UTF-8), labelled
from the codebook; integers are ``long`` when complete and in range, else ``double``; a
boolean is a ``byte`` 0/1 with the value labels no/yes (:data:`BOOLEAN_LABELS`).

Example:
    >>> from ffdata.reading import read_table
    >>> stata_bytes(read_table(".", "countries"), "countries")[:11]
    b'<stata_dta>'
"""

from __future__ import annotations

import datetime
import io
import re
import warnings

import pandas as pd

from ffdata.errors import PublishError
from ffdata.tables import TABLES

LABEL_CHARS = 80
LONG_MAX = 2_147_483_620
#: The time of every Stata file and archive entry (the earliest a zip holds).
FIXED_TIME = datetime.datetime(1980, 1, 1)


#: A boolean's values in Stata: the byte 0 or 1, labelled as Stata users label a yes/no variable.
BOOLEAN_LABELS = ("no", "yes")
#: Dropped from the end of a cut label before its "...".
_DANGLING = ",;:-(/ "


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """Return ``text`` on one line and at most ``limit`` characters: whole words, ending in
    ``...`` if cut (a single word longer than the limit is cut inside).

    Example:
        >>> short_label("Point figure as printed; empty when the source prints a range.", 30)
        'Point figure as printed...'
    """
    one_line = " ".join(text.split())
    if len(one_line) <= limit:
        return one_line
    room = limit - 3
    kept = one_line[: one_line.rfind(" ", 0, room + 1)] if " " in one_line[: room + 1] else ""
    kept = kept.rstrip(_DANGLING) or one_line[:room]
    return kept + "..."


def _stata_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return ``frame`` in the types Stata holds."""
    table = TABLES[name]
    out = {}
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.enum is not None:
            out[column.name] = pd.Categorical(values.astype("object"), categories=column.enum)
        elif column.type == "integer":
            fits = values.dropna().abs().le(LONG_MAX).all()
            out[column.name] = values.astype("Int32" if fits else "Float64").astype(
                "float64" if not fits or values.isna().any() else "int32"
            )
        elif column.type == "boolean":  # codes 0 (no) and 1 (yes): a byte, value-labelled
            no, yes = BOOLEAN_LABELS
            flags = values.astype("boolean").map({False: no, True: yes}, na_action="ignore")
            out[column.name] = pd.Categorical(flags.astype("object"), categories=BOOLEAN_LABELS)
        elif column.type == "number":
            out[column.name] = values.astype("Float64").astype("float64")
        else:
            out[column.name] = values.astype("object").where(values.notna(), "")
    return pd.DataFrame(out, index=range(len(frame)))


def stata_bytes(frame: pd.DataFrame, name: str) -> bytes:
    """Return table ``name`` as the bytes of a Stata 118 file. Example: see the module docstring."""
    table = TABLES[name]
    for column in table.columns:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", column.name):
            hint = "shorten the column's name in src/ffdata/tables.py; Stata would rename it"
            why = "column name is not a Stata variable name (letters, digits, _; 32 at most)"
            raise PublishError(why, table=name, text=column.name, hint=hint)
    data = _stata_frame(frame, name)
    labels = {c.name: short_label(c.description) for c in table.columns if c.name in data}
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # pandas warns of each type widened
        warnings.simplefilter("ignore")
        data.to_stata(
            buffer,
            write_index=False,
            version=118,
            variable_labels=labels,
            data_label=short_label(table.title),
            time_stamp=FIXED_TIME,
        )
    return buffer.getvalue()
