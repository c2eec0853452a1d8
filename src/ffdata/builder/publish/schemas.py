"""pandera schemas, generated from the table declarations in :mod:`ffdata.tables`."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Iterator
from functools import cache

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from ffdata.tables import PANDAS_DTYPES, TABLES, Column


@dataclasses.dataclass(frozen=True)
class _Text(pandas_engine.STRING):
    """pandas' ``string`` dtype, checked on the dtype alone (pandera's checks every cell."""

    def check(self, pandera_dtype, data_container=None) -> bool:  # type: ignore[override]
        if data_container is None:
            return bool(super().check(pandera_dtype))
        return data_container.dtype == pd.StringDtype("pyarrow")

    def __str__(self) -> str:
        return "string"


def _dtype(column: Column) -> object:
    return _Text() if column.type == "string" else PANDAS_DTYPES[column.type]


def _checks(column: Column) -> list[pa.Check]:
    checks = []
    if column.enum is not None:
        checks.append(pa.Check.isin(list(column.enum)))
    if column.minimum is not None:
        checks.append(pa.Check.ge(column.minimum))
    if column.maximum is not None:
        checks.append(pa.Check.le(column.maximum))
    if column.pattern is not None:
        checks.append(pa.Check.str_matches(column.pattern))
    if column.type == "string" and column.required:
        checks.append(pa.Check(lambda s: s.str.strip() != "", error="empty string"))
    return checks


@cache
def schema_for(name: str) -> pa.DataFrameSchema:
    """Return the pandera schema of table ``name`` (types, constraints, primary key).

    Example:
        >>> schema_for("countries").unique
        ['iso3']
    """
    table = TABLES[name]
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                _dtype(c),
                checks=_checks(c),
                nullable=not c.required,
                unique=c.unique,
                description=c.description,
                title=c.name,
            )
            for c in table.columns
        },
        unique=list(table.primary_key),
        strict=True,
        ordered=True,
        name=name,
        description=table.description,
    )


@contextlib.contextmanager
def without_hypothesis() -> Iterator[None]:
    """Keep pandera's first validation from importing hypothesis (0.2 s, a tenth of a build),
    which validating never uses; where it is already imported, nothing changes.

    Example:
        >>> from ffdata.builder.publish.assemble import to_frame
        >>> with without_hypothesis():
        ...     checked = schema_for("countries").validate(to_frame("countries", []))
        >>> len(checked)
        0
    """
    if "hypothesis" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        del sys.modules["hypothesis"]
