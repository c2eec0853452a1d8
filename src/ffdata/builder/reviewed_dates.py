"""Reviewed ISO dates beside dates as printed: checked against the calendar and the text.

A reviewer writes the ISO 8601 form of a date as printed (``refers_to_date`` of a
figure in ``figures.toml``, ``published_date`` of a document in ``manifest.toml``),
at the precision printed and never more precise (:mod:`ffdata.builder.dates`). The
build refuses a malformed or impossible date, a span that runs backwards, a date that
names no year the printed text names, and a printed year left without its ISO date: a
:class:`DateReviewError` that the reader of the file turns into its own error (a
``ReviewedInputError`` for figures.toml, a ``ManifestError`` for manifest.toml).

Example:
    >>> reviewed_date("2015-12", "December 2015", field="refers_to_date")
    ('2015-12', 'month')
    >>> reviewed_date(None, "not stated", field="refers_to_date")
    (None, None)
"""

from __future__ import annotations

import re

from ffdata.builder.dates import date_precision

_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_FORMS = "2015, 2015-12, 2015-12-10, or a span start/end such as 2013/2014 or 2014-01/2015-08"


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


def reviewed_date(value: str | None, printed: str, *, field: str) -> tuple[str | None, str | None]:
    """Check a reviewed ISO date against the date as printed; return (date, precision).

    ``value`` is ``None`` when the entry gives no date, ``""`` when it says that no
    date can be given although a year is printed ("the coming years (from 2019)").

    Example:
        >>> reviewed_date("2013/2014", "2013-2014", field="refers_to_date")
        ('2013/2014', 'span')
        >>> try:
        ...     reviewed_date("2015-13", "December 2015", field="refers_to_date")
        ... except DateReviewError as exc:
        ...     print(exc, exc.hint, sep=" | ")
        refers_to_date '2015-13' is not a valid date: '2015-13' is not a calendar date: month must be in 1..12 | write the date printed ('December 2015') in ISO 8601 at the precision printed: 2015, 2015-12, 2015-12-10, or a span start/end such as 2013/2014 or 2014-01/2015-08
    """
    if not value:
        if value is None and printed_years(printed):
            raise DateReviewError(
                f"the date as printed ({printed!r}) names a year, but the entry has no {field}",
                hint=f"add {field} in ISO 8601 at the precision printed ({_FORMS}), or "
                f'{field} = "" when the text gives no date the figure refers to',
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
    if not printed_years(printed) & {part[:4] for part in value.split("/")}:
        raise DateReviewError(
            f"{field} {value!r} names no year that the date as printed ({printed!r}) names",
            hint="correct the ISO date (or the date as printed): they must describe the same date",
        )
    return value, precision
