"""Numbers as printed in the documents: the one home of their patterns and parsers.

Counts in tables and lists (:func:`parse_count`) are strict; a reviewed figure's number
(:func:`parse_figure_number`) may also be a percentage, a range, a fraction, words.

Example:
    >>> [m.group() for m in number_tokens("pp.1-15 in 2013")]
    ['1-15', '2013']
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from ffdata.builder.extract.text import quote_pattern
from ffdata.errors import ExtractionError

#: A whole number printed in digits, plainly or in thousands groups: ``6000``, ``6,000``.
WHOLE_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"
#: A number printed in digits: a whole number with an optional decimal part (``1.6``).
DIGIT_NUMBER = rf"(?:{WHOLE_NUMBER})(?:\.[0-9]+)?"
#: The characters that join digits into one printed number: ``1,200 1.6 9/11 20-35``.
JOINERS = r"[.,/\-\u2013]"
#: One number as printed, in any decimal digits: a run of digits and the digits joined to it.
NUMBER_TOKEN = re.compile(rf"\d+(?:{JOINERS}\d+)*")
#: Around a number: not joined to a word or to other digits.
_NOT_AFTER_NUMBER = rf"(?<!\w)(?<![0-9]{JOINERS})"
_NOT_BEFORE_NUMBER = rf"(?![\w%])(?!{JOINERS}[0-9])"

#: The words that write a number (ordinals are not counts).
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_OTHER_WORDS = "dozen dozens half halves"
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_SMALL = {word: n for n, word in enumerate(_ONES.split())}
_TENS = {word: 10 * n for n, word in enumerate(_TENS_WORDS.split(), 2)}
_SCALE_WORDS = "hundred hundreds thousand thousands million millions billion billions"
NUMBER_WORDS = [*_SMALL, *_TENS, *_SCALE_WORDS.split(), *_OTHER_WORDS.split()]
_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
#: One number written in words: number words joined by spaces or hyphens, or ``tens`` /
#: ``hundreds of thousands`` (or ``millions``).
WORD_NUMBER_TOKEN = re.compile(
    rf"(?i)\b(?:(?:tens|hundreds)[ \u00a0]+of[ \u00a0]+(?:thousands|millions)"
    rf"|{_WORD}(?:(?:[ \u00a0]+|-){_WORD})*)\b"
)

_COUNT = re.compile(WHOLE_NUMBER)
_DASHES = {"-", "\u2013", "\u2014"}
#: No count of people has more than 12 digits; a longer run is damage, not a count.
_MAX_DIGITS = 12


def parse_count(text: str, *, document: str, line: int) -> int:
    """Return the non-negative integer printed as ``text`` (``6000``, ``6,000``), or raise.

    Example:
        >>> parse_count("6O00", document="doc.txt", line=112)
        Traceback (most recent call last):
        ...
        ffdata.errors.ExtractionError: doc.txt:112: count is not a whole number: '6O00'
          hint: a count is digits with optional thousands commas (6000 or 6,000); correct the document and record its new sha256
    """
    cleaned, where = text.strip(), {"document": document, "line": line, "text": text}
    if len(cleaned) > 2 * _MAX_DIGITS or not _COUNT.fullmatch(cleaned):
        raise ExtractionError(
            "count is not a whole number",
            **where,
            hint="a count is digits with optional thousands commas (6000 or 6,000); "
            "correct the document and record its new sha256",
        )
    digits = cleaned.replace(",", "")
    if len(digits) > _MAX_DIGITS:
        raise ExtractionError(
            f"count has {len(digits)} digits, more than any count of people",
            **where,
            hint="the digits are probably damaged; correct the document",
        )
    return int(digits)


def parse_optional_count(text: str, *, document: str, line: int) -> int | None:
    """Like :func:`parse_count`, but an empty cell or a dash means "no figure" (``None``).

    Example:
        >>> parse_optional_count("-", document="doc.txt", line=1) is None
        True
    """
    cleaned = text.strip()
    if cleaned == "" or cleaned in _DASHES:
        return None
    return parse_count(text, document=document, line=line)


def number_tokens(text: str) -> list[re.Match[str]]:
    """Return every number printed in ``text``, each a :data:`NUMBER_TOKEN`.

    Example:
        >>> [m.group() for m in number_tokens("1,200 in 20-35, 9/11 and n314731.")]
        ['1,200', '20-35', '9/11', '314731']
    """
    return list(NUMBER_TOKEN.finditer(text))


def word_number_tokens(text: str) -> list[re.Match[str]]:
    """Return every number written in words in ``text``, each a :data:`WORD_NUMBER_TOKEN`.

    Example:
        >>> [m.group() for m in word_number_tokens("tens of thousands, two-year-old, someone")]
        ['tens of thousands', 'two']
    """
    return list(WORD_NUMBER_TOKEN.finditer(text))


def coverage_tokens(text: str) -> list[tuple[re.Match[str], str]]:
    """Every number of ``text`` the coverage check counts, with how it is written.

    Example:
        >>> [(m.group(), w) for m, w in coverage_tokens("over 250 Americans, one of them")]
        [('250', 'digits'), ('one', 'words')]
    """
    found = [(m, "digits") for m in number_tokens(text)]
    found += [(m, "words") for m in word_number_tokens(text)]
    return sorted(found, key=lambda item: item[0].start())


def count_spots(text: str, value: int) -> list[re.Match[str]]:
    """Return the numbers printed in ``text`` that are the whole number ``value``.

    Example:
        >>> [m.group() for m in count_spots("Tunisia (6,000) and 16,000 or 6000-7000", 6000)]
        ['6,000']
    """
    return [
        m
        for m in number_tokens(text)
        if _COUNT.fullmatch(m.group()) and int(m.group().replace(",", "")) == value
    ]


# Reviewed figures' numbers ------------------------------------------------------------
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGIT_NUMBER = re.compile(
    rf"(?P<digits>{DIGIT_NUMBER})(?:\s+(?P<scale>thousand|million|billion))?"
)
_FRACTION = re.compile(r"(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)")
_PERCENT = re.compile(r"\s*(?:%|\s+per\s*cent)$", re.IGNORECASE)
_RANGE = re.compile(r"(?P<low>.+?)(?:\s*[-\u2013]\s*|\s+to\s+)(?P<high>.+)")
#: Quantifiers printed without a number, which the coverage check does not search for: a
#: figure records one that gives the size or share of a group (qualifier unquantified;
#: "another" is one more), and not_figures.toml may list one with a reason.
QUANTIFIERS = ("the majority", "most", "several", "a small number", "a smaller proportion")
#: The quantifiers of :data:`QUANTIFIERS` that give a share (a figure in percent).
SHARE_QUANTIFIERS = ("the majority", "most", "a smaller proportion")
#: Words without a number that a figure reads as one ("another": one more) or that
#: not_figures.toml may list (an ordinal), beside :data:`QUANTIFIERS`.
ONE_MORE, ORDINALS = "another", ("the fourth",)
_UNQUANTIFIED = re.compile(
    r"(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|hundreds|thousands|millions"
    r"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million)|"
    + "|".join(q.replace(" ", r"\s+") for q in QUANTIFIERS)
    + ")",
    re.IGNORECASE,
)


def is_share_quantifier(text: str) -> bool:
    """Whether ``text`` is a quantifier of a share ("most", "the majority").

    Example:
        >>> is_share_quantifier("Most"), is_share_quantifier("several")
        (True, False)
    """
    return " ".join(text.split()).casefold() in SHARE_QUANTIFIERS


def is_word_without_number(text: str) -> bool:
    """Whether ``text`` is a quantifier, "another" or an ordinal printed without a number.

    Example:
        >>> is_word_without_number("The majority"), is_word_without_number("two")
        (True, False)
    """
    return " ".join(text.split()).casefold() in (*QUANTIFIERS, ONE_MORE, *ORDINALS)


_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}


class ParsedNumber(NamedTuple):
    """A number as printed, read: ``kind`` is count, percent, ratio or unquantified."""

    value: float | None
    low: float | None
    high: float | None
    kind: str


def parse_word_number(text: str) -> float | None:
    """Return the value of a whole number written in words, or ``None`` if it is not one.

    Example:
        >>> parse_word_number("twenty-five thousand"), parse_word_number("many")
        (25000.0, None)
    """
    words = [w for w in re.split(r"[\s\u00a0-]+", text.strip().casefold()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1:
        words[0] = "one"
    total, current, seen = 0, 0, False
    for word in words:
        if word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _simple_number(text: str) -> tuple[float, str] | None:
    """(value, kind) of one number without a range: digits, a fraction or words."""
    text = text.strip()
    if text.casefold() == ONE_MORE:
        return 1.0, "count"
    match = _DIGIT_NUMBER.fullmatch(text)
    if match:
        value = Decimal(match["digits"].replace(",", ""))
        if match["scale"]:
            value *= _SCALES[match["scale"]]
        return float(value), "count"
    match = _FRACTION.fullmatch(text)
    if match and int(match["den"]) > 0:
        return int(match["num"]) / int(match["den"]), "ratio"
    words = text.casefold().split()
    if words and words[-1] in _FRACTION_WORDS and len(words) <= 2:
        count = 1.0 if len(words) == 1 else parse_word_number(words[0])
        if count is not None:
            return count / _FRACTION_WORDS[words[-1]], "ratio"
    value = parse_word_number(text)
    return (value, "count") if value is not None else None


def parse_figure_number(number: str, *, document: str, line: int) -> ParsedNumber:
    """Parse a number as printed in a quote (a range has ``value`` None; an unquantified
    amount no value at all).

    Example:
        >>> parse_figure_number("700-1,400", document="d", line=1)
        ParsedNumber(value=None, low=700.0, high=1400.0, kind='count')
    """

    def refusal(message: str, hint: str = "record `number` exactly as the quote prints it"):
        return ExtractionError(message, document=document, line=line, text=number, hint=hint)

    text = " ".join(number.split())
    if _UNQUANTIFIED.fullmatch(text):
        return ParsedNumber(None, None, None, "unquantified")
    percent = _PERCENT.search(text)
    if percent:
        text = text[: percent.start()]
    parsed = _simple_number(text)
    low = high = None
    if parsed is None:
        match = _RANGE.fullmatch(text)
        if match:
            low, high = _simple_number(match["low"]), _simple_number(match["high"])
    if parsed is None and (low is None or high is None):
        raise refusal(
            "figure is not a number, a percentage, a fraction or a range",
            "record the number exactly as printed, e.g. 3,803 or 69% or 20-35 or ninety percent "
            "or 1/9",
        )
    if parsed is not None:
        value, kind = parsed
        if percent and kind == "ratio":
            raise refusal("a fraction cannot be a percentage")
        return ParsedNumber(value, None, None, "percent" if percent else kind)
    assert low is not None and high is not None
    if low[1] != high[1] or low[1] == "ratio":
        raise refusal("a range must join two whole numbers")
    if high[0] < low[0]:
        raise refusal("range runs backwards", "a range is printed low-high, e.g. 700-1,400")
    return ParsedNumber(None, low[0], high[0], "percent" if percent else "count")


def number_spots(text: str, number: str) -> list[re.Match[str]]:
    """Return where ``number`` is printed in ``text`` as a whole number, not part of another.

    Example:
        >>> [m.start() for m in number_spots("15,000 from 15 countries", "15")]
        [12]
    """
    body = quote_pattern(number).pattern
    pattern = re.compile(rf"{_NOT_AFTER_NUMBER}{body}{_NOT_BEFORE_NUMBER}", re.UNICODE)
    return list(pattern.finditer(text))
