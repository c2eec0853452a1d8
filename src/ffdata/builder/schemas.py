"""pandera schemas, generated from the table declarations in :mod:`ffdata.tables`.

Example:
    >>> schema = schema_for("country_estimates")
    >>> schema.columns["rank_as_printed"].nullable, schema.unique
    (True, ['source_id', 'iso3', 'estimate'])
"""

from __future__ import annotations

from functools import cache

import pandera.pandas as pa

from ffdata.tables import PANDAS_DTYPES, TABLES, Column


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
        checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, error="empty string"))
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
                PANDAS_DTYPES[c.type],
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
