"""Strict parsing of numbers as printed in the documents.

Accepted: plain digits (``6000``), thousands separated by commas (``1,200``),
surrounding whitespace including non-breaking spaces (``5,000 ``). Everything
else is refused with the document, line and text: a letter among digits
(``6O00``), a misplaced comma (``1,20``), a sign, a decimal point in a count.

Example:
    >>> parse_count("1,200", document="doc.txt", line=3)
    1200
"""

from __future__ import annotations

import re

from ffdata.errors import ExtractionError

_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_DASHES = {"-", "\u2013", "\u2014"}
#: No count of people has more than 12 digits; a longer run is damage, not a count.
_MAX_DIGITS = 12


def parse_count(text: str, *, document: str, line: int) -> int:
    """Return the non-negative integer printed as ``text``, or raise.

    Example:
        >>> parse_count(" 5,000\\u00a0", document="doc.txt", line=1)
        5000
        >>> parse_count("6O00", document="doc.txt", line=112)
        Traceback (most recent call last):
        ...
        ffdata.errors.ExtractionError: doc.txt:112: count is not a whole number: '6O00'
          hint: a count is digits with optional thousands commas (6000 or 6,000); correct the document and record its new sha256
    """
    cleaned = text.strip()
    if len(cleaned) > 2 * _MAX_DIGITS or not _COUNT.fullmatch(cleaned):
        raise ExtractionError(
            "count is not a whole number",
            document=document,
            line=line,
            text=text,
            hint="a count is digits with optional thousands commas (6000 or 6,000); "
            "correct the document and record its new sha256",
        )
    digits = cleaned.replace(",", "")
    if len(digits) > _MAX_DIGITS:
        raise ExtractionError(
            f"count has {len(digits)} digits, more than any count of people",
            document=document,
            line=line,
            text=text,
            hint="the digits are probably damaged; correct the document",
        )
    return int(digits)


def parse_optional_count(text: str, *, document: str, line: int) -> int | None:
    """Like :func:`parse_count`, but an empty cell or a dash means "no figure" (``None``).

    Example:
        >>> parse_optional_count("-", document="doc.txt", line=1) is None
        True
        >>> parse_optional_count("250", document="doc.txt", line=1)
        250
    """
    cleaned = text.strip()
    if cleaned == "" or cleaned in _DASHES:
        return None
    return parse_count(text, document=document, line=line)
