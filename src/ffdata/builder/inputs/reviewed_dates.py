"""Reviewed ISO dates beside dates as printed: checked against the calendar and the text.

A malformed date, or one naming no year (or month) the text names, or a printed year left
without its ISO date, is a :class:`DateReviewError` the file's reader turns into its own.

Example:
    >>> reviewed_date(None, "not stated", field="refers_to_date")
    (None, None)
"""

from __future__ import annotations

import re
from typing import Any

from ffdata.builder.inputs.dates import date_precision

_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_FORMS = "2015, 2015-12, 2015-12-10, or a span start/end such as 2013/2014 or 2014-01/2015-08"


_MONTH_NAMES = (
    "January February March April May June July August September October November December"
)
_MONTHS = tuple(_MONTH_NAMES.split())
#: A month named in English, in full or abbreviated (``Dec``, ``Sept``), capitalised.
_MONTH = re.compile(
    r"\b(" + "|".join(sorted({*_MONTHS, *(m[:3] for m in _MONTHS), "Sept"}, key=len)[::-1]) + r")\b"
)


class DateReviewError(ValueError):
    """A reviewed date that disagrees with the calendar or the text; ``hint`` says the fix."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def printed_years(text: str) -> set[str]:
    """Return the four-digit years (1800-2099) printed in ``text``.

    Example:
        >>> sorted(printed_years("the 1980s, Winter 2010/11, March 1, 2013"))
        ['1980', '2010', '2013']
    """
    return set(_YEAR.findall(text))


def printed_months(text: str) -> set[int]:
    """Return the months (1-12) that ``text`` names in English words.

    Example:
        >>> sorted(printed_months("December 2013 and Jan. 2015; Sept 2014, in May"))
        [1, 5, 9, 12]
    """
    return {
        next(i for i, name in enumerate(_MONTHS, start=1) if name.startswith(word[:3]))
        for word in _MONTH.findall(text)
    }


def reviewed_date(value: str | None, printed: str, *, field: str) -> tuple[str | None, str | None]:
    """Check a reviewed ISO date (``None``: not given; ``""``: none can be given) against the
    date as printed; return (date, precision).

    Example:
        >>> reviewed_date("2015-03", "December 2015", field="published_date")
        Traceback (most recent call last):
        ...
        ffdata.builder.inputs.reviewed_dates.DateReviewError: published_date '2015-03' names no month that the date as printed ('December 2015') names
    """
    if not value:
        if value is None and printed_years(printed):
            # a date a figure refers to may be unknowable; a publication date never is
            unknowable = f' or {field} = "" when the text gives no date the figure refers to'
            raise DateReviewError(
                f"the date as printed ({printed!r}) names a year, but the entry has no {field}",
                hint=f"add {field} in ISO 8601 at the precision printed ({_FORMS})"
                + (unknowable if field == "refers_to_date" else ""),
            )
        return None, None
    try:
        precision = date_precision(value)
    except ValueError as exc:
        raise DateReviewError(
            f"{field} {value!r} is not a valid date: {exc}",
            hint=f"write the date printed ({printed!r}) in ISO 8601 at the precision printed: "
            f"{_FORMS}",
        ) from None
    parts = value.split("/")
    if not printed_years(printed) & {part[:4] for part in parts}:
        raise DateReviewError(
            f"{field} {value!r} names no year that the date as printed ({printed!r}) names",
            hint="correct the ISO date (or the date as printed): they must describe the same date",
        )
    months = printed_months(printed)
    iso_months = {int(part[5:7]) for part in parts if len(part) >= 7}
    if months and iso_months and not months & iso_months:
        raise DateReviewError(
            f"{field} {value!r} names no month that the date as printed ({printed!r}) names",
            hint="correct the ISO date (or the date as printed): they must describe the same date",
        )
    return value, precision


def entry_date(
    entry: Any, field: str, value: str | None, printed: str, error: type[Exception]
) -> tuple[str | None, str | None]:
    """:func:`reviewed_date` of an entry's ``field``, refused with ``error`` at the field."""
    try:
        return reviewed_date(value, printed, field=field)
    except DateReviewError as exc:
        raise error(str(exc), document=str(entry.at(field)), hint=exc.hint) from None
