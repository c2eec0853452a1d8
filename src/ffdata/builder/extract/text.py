"""Finding things in a document's lines: unique lines, quotes, footnotes, table cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ffdata.builder.inputs.manifest import Document

_SP = "[ \u00a0]"


def _sup(number: str) -> str:
    return rf"<sup>\s*{number}\s*</sup>"


def _bracket(number: str) -> str:
    return rf"\[{number}\]"


def _note_opening(sup: str, bracket: str, bare: str) -> str:
    return rf"^{_SP}*(?:{_sup(sup)}|{_bracket(bracket)}|{bare}(?![0-9])){_SP}+\S"


#: A footnote mark in the text, ``<sup>17</sup>``; group ``n`` is its number.
FOOTNOTE_MARK = re.compile(_sup(r"(?P<n>[0-9]+)"))
#: A note mark, ``[4]``, in the text or opening the note; group ``n`` is its number.
NOTE_MARK = re.compile(_bracket(r"(?P<n>[0-9]+)"))
#: A line that opens a footnote or note: ``<sup>18</sup> ...``, ``[4] ...`` or
#: ``17 ...``; the number is in group ``sup``, ``bracket`` or ``n`` (printed bare).
NOTE_LINE = re.compile(_note_opening(r"(?P<sup>[0-9]+)", r"(?P<bracket>[0-9]+)", r"(?P<n>[0-9]+)"))


def find_unique_line(doc: Document, pattern: re.Pattern[str], what: str) -> int:
    r"""Return the 1-based number of the only line matching ``pattern``.

    Example:
        >>> import re
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
        >>> find_unique_line(doc, re.compile(r"^No\.\tCountry"), "header")
        9
    """
    hits = [n for n, text in enumerate(doc.lines, start=1) if pattern.search(text)]
    if not hits:
        raise doc.refusal(
            None,
            f"{what} not found: missing from the document ({len(doc.lines)} lines)",
            "the document may be truncated or changed; restore it from data/raw of a release",
            text=None,
        )
    if len(hits) > 1:
        raise doc.refusal(
            hits[1],
            f"{what} found on {len(hits)} lines ({', '.join(map(str, hits))}); expected one",
            "remove the duplicated line, or make the pattern more specific",
        )
    return hits[0]


@functools.lru_cache(maxsize=4096)
def quote_pattern(quote: str) -> re.Pattern[str]:
    """Return a pattern matching ``quote`` with any run of whitespace (incl. NBSP) as spaces.

    Example:
        >>> bool(quote_pattern("at least 69%").search("at\\u00a0least  69%"))
        True
    """
    parts = [re.escape(part) for part in quote.split()]
    return re.compile(r"\s+".join(parts))


#: Near misses in one line after which :func:`quote_spans` lets the compiled pattern scan.
MISSES_BEFORE_PATTERN = 64


def quote_spans(
    text: str, quote: str, misses_before_pattern: int = MISSES_BEFORE_PATTERN
) -> list[tuple[int, int]]:
    """The (start, end) of each occurrence of ``quote`` in ``text``, as :func:`quote_pattern`
    finds them, without compiling a pattern (after ``misses_before_pattern`` near misses, the
    pattern scans the rest).

    Example:
        >>> quote_spans("at\u00a0least  69% and at least 69%", "at least 69%")
        [(0, 13), (18, 30)]
    """
    parts = quote.split()
    if not parts:
        return []
    first, rest = parts[0], parts[1:]
    spans: list[tuple[int, int]] = []
    start, misses = text.find(first), 0
    while start >= 0:
        if misses > misses_before_pattern:  # a line of many near misses: let the pattern scan
            spans.extend(m.span() for m in quote_pattern(quote).finditer(text, start))
            break
        end = start + len(first)
        for part in rest:  # at least one whitespace character, then the part
            after = end
            while after < len(text) and text[after].isspace():
                after += 1
            if after == end or not text.startswith(part, after):
                end = -1
                break
            end = after + len(part)
        if end >= 0:
            spans.append((start, end))
            start = text.find(first, end)
        else:
            start, misses = text.find(first, start + 1), misses + 1
    return spans


def closest_line(doc: Document, quote: str) -> int | None:
    """The line holding most of the quote's words (at least 80%), if one stands out.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
        >>> closest_line(doc, "the FBI guessed that there were 30,000 foreign fighters")
        5
    """
    words = set(quote.split())
    if not words:
        return None
    scores = [(len(words & set(text.split())), n) for n, text in enumerate(doc.lines, start=1)]
    best = max(scores, default=(0, None))
    ties = [n for score, n in scores if score == best[0]]
    return best[1] if best[0] >= 0.8 * len(words) and len(ties) == 1 else None


def locate_quote(doc: Document, quote: str, what: str) -> tuple[int, str]:
    """Return (line, text as printed) of the only occurrence of ``quote`` in ``doc``.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
        >>> locate_quote(doc, "the FBI  estimated", "figure")
        (5, 'the FBI estimated')
    """
    if not quote.strip():
        raise doc.refusal(
            None,
            f"{what}: the quote is empty",
            "copy the words that carry the figure from one line of the document",
            text=None,
        )
    words = quote.split()
    first, last = words[0], words[-1]  # a line without both cannot hold the quote
    hits: list[tuple[int, str]] = []
    for number, text in enumerate(doc.lines, start=1):
        if first in text and last in text:
            hits.extend((number, text[start:end]) for start, end in quote_spans(text, quote))
    if not hits:
        near = closest_line(doc, quote)
        where = f"; line {near} holds most of its words" if near else ""
        raise doc.refusal(
            near or len(doc.lines),
            f"{what}: quote not found in the document ({len(doc.lines)} lines){where}",
            "the document changed or the quote is mistyped; a quote must be copied "
            "exactly from one line of the document",
            text=quote,
        )
    if len(hits) > 1:
        lines = ", ".join(str(n) for n, _ in hits)
        raise doc.refusal(
            hits[1][0],
            f"{what}: quote occurs {len(hits)} times (lines {lines}); it must occur once",
            "lengthen the quote until it is unique",
            text=quote,
        )
    return hits[0]


def footnote_marks(text: str) -> list[int]:
    """Return the footnote numbers marked ``<sup>n</sup>`` in ``text``.

    Example:
        >>> footnote_marks("Table 1: figures<sup>17</sup>")
        [17]
    """
    return [int(m["n"]) for m in FOOTNOTE_MARK.finditer(text)]


def note_line_pattern(number: int) -> re.Pattern[str]:
    """Return the pattern of a line that opens footnote or note ``number``.

    Example:
        >>> [bool(note_line_pattern(17).match(line)) for line in
        ...  ["17 The Soufan Group", "<sup>17</sup> Ibid.", "[17] Ibid.", "170 x"]]
        [True, True, True, False]
    """
    return re.compile(_note_opening(str(number), str(number), str(number)))


def table_block(doc: Document, first: int) -> Iterator[int]:
    """Yield the numbers of consecutive non-blank lines starting at ``first``.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
        >>> list(table_block(doc, 9))[-1]
        15
    """
    number = first
    while number <= len(doc.lines) and doc.line(number).strip():
        yield number
        number += 1
