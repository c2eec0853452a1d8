"""Dates as data: ISO 8601 dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and spans
``start/end``, never more precise than printed.

Example:
    >>> date_precision("2013-12-10"), date_precision("2015-12"), date_precision("2011/2013-12-10")
    ('day', 'month', 'span')
"""

from __future__ import annotations

import datetime as dt
import re

from ffdata.tables import ISO_PERIOD_PATTERN

_PERIOD = re.compile(ISO_PERIOD_PATTERN)
_PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


def _bounds(part: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError if not a date."""
    numbers = [int(p) for p in part.split("-")]
    if len(numbers) == 1:
        return dt.date(numbers[0], 1, 1), dt.date(numbers[0], 12, 31)
    if len(numbers) == 2:
        first = dt.date(numbers[0], numbers[1], 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    day = dt.date(*numbers)
    return day, day


def period_bounds(value: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of an ISO date, month, year or span ``start/end``.

    Example:
        >>> period_bounds("2011/2013-12-10")
        (datetime.date(2011, 1, 1), datetime.date(2013, 12, 10))
    """
    parts = str(value).split("/")
    return _bounds(parts[0])[0], _bounds(parts[-1])[1]


def date_precision(value: str) -> str:
    """Return the precision of an ISO date or span (day, month, year, span); ValueError if invalid.

    Example:
        >>> date_precision("2015-02-30")
        Traceback (most recent call last):
        ...
        ValueError: '2015-02-30' is not a calendar date: day is out of range for month
    """
    if not isinstance(value, str) or not _PERIOD.match(value):
        raise ValueError(
            f"{value!r} is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD) or span (start/end)"
        )
    parts = value.split("/")
    try:
        bounds = [_bounds(part) for part in parts]
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date: {exc}") from None
    if len(parts) == 1:
        return _PRECISION_BY_LENGTH[len(value)]
    (start, _), (_, end) = bounds
    if start > end or parts[0] == parts[1]:
        raise ValueError(f"{value!r}: a span must run from an earlier date to a later one")
    return "span"


def period_end_year(value: str) -> int:
    """Return the year a date or span ends in (the population year of an estimate).

    Example:
        >>> period_end_year("2011/2013-12-10"), period_end_year("2015-12")
        (2013, 2015)
    """
    date_precision(value)
    return int(value.split("/")[-1][:4])
