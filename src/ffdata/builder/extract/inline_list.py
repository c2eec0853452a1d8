"""The Institute for Economics and Peace list, printed inline in a sentence.

Document 002 prints it as ``... stands at: Tunisia (5,000 ), Saudi Arabia
(2,500), ... Turkey (1,400) Lebanon, (900), ... Pakistan (500), (figures for
countries with numbers below 500 are excluded).<sup>21</sup>``. The list is
found by the sentence that introduces it and must end with that closing
parenthesis; the threshold it states is returned so that validation can check
every figure against it. Odd punctuation is read, kept in ``text_as_printed``
and flagged ``irregular_punctuation``; anything else unreadable is an error.

Example:
    >>> from ffdata.builder.inputs import read_manifest, load_document, default_raw_dir
    >>> doc = load_document(read_manifest(default_raw_dir()), "002_882cd01f73eb6394.txt")
    >>> rows, threshold = read_iep_list(doc)
    >>> [(r.name_as_printed, r.fighters, r.text_as_printed) for r in rows if r.fighters == 900]
    [('Lebanon', 900, 'Lebanon, (900)')]
    >>> threshold
    500
"""

from __future__ import annotations

import re

from ffdata.builder.extract.records import CountryFigure
from ffdata.builder.extract.text import find_unique_line, footnote_marks, quote_pattern
from ffdata.builder.inputs import Document
from ffdata.builder.numbers import parse_count
from ffdata.errors import ExtractionError

FLAG_IRREGULAR_PUNCTUATION = "irregular_punctuation"

INTRO = re.compile(
    quote_pattern(
        "report issued by the Institute for Economics and Peace, the number of IS foreign "
        "fighters from the main contributing countries stands at:"
    ).pattern,
    re.IGNORECASE,
)
# Possessive quantifiers (*+) keep every pattern linear in the length of the line.
_ITEM = re.compile(
    r"(?P<name>[^\s(),][^(),]*+)(?P<comma>,)?\s*+\((?P<number>[^()]*+)\)(?P<sep>\s*+,)?"
)
_END = re.compile(
    r"\((?P<text>figures\s+for\s+countries\s+with\s+numbers\s+below\s+"
    r"(?P<threshold>[0-9,]+)\s+are\s+excluded)\)"
)
_SPACE = re.compile(r"\s*+")


def read_iep_list(doc: Document) -> tuple[list[CountryFigure], int]:
    """Return the list's rows (``source_id`` = ``footnote:<n>``) and the stated threshold.

    Example: see the module docstring.
    """
    line = find_unique_line(doc, INTRO, "sentence introducing the IEP list")
    text = doc.line(line)
    where = {"document": doc.file, "line": line}
    pos = INTRO.search(text).end()  # type: ignore[union-attr]
    rows: list[CountryFigure] = []
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        end = _END.match(text, pos)
        if end:
            break
        item = _ITEM.match(text, pos)
        if item is None:
            if pos >= len(text):
                raise ExtractionError(
                    "the IEP list ends without its closing '(figures for countries with numbers "
                    "below ... are excluded)'",
                    text=text[-80:],
                    hint="the document may be truncated; restore it",
                    **where,
                )
            raise ExtractionError(
                "cannot read the IEP list here; expected 'Country (number),'",
                text=text[pos : pos + 60],
                hint="each item is a country name and its figure in parentheses",
                **where,
            )
        printed = text[item.start() : item.end("number") + 1]
        number = item["number"]
        name = item["name"].strip()
        irregular = (
            bool(item["comma"])
            or not item["sep"]
            or number != number.strip()
            or item["name"] != name + " "
        )
        rows.append(
            CountryFigure(
                source_id="",
                estimate="reported",
                fighters=parse_count(number, **where),
                rank_as_printed=None,
                name_as_printed=name,
                file=doc.file,
                line=line,
                text_as_printed=printed,
                flags=frozenset({FLAG_IRREGULAR_PUNCTUATION} if irregular else set()),
            )
        )
        pos = item.end()
    if not rows:
        raise ExtractionError(
            "the IEP list is empty",
            hint="the introducing sentence must be followed by 'Country (number),' items",
            **where,
        )
    threshold = parse_count(end["threshold"], **where)
    marks = footnote_marks(text[end.end() : end.end() + 20])
    if not marks:
        raise ExtractionError(
            "the IEP list lacks the footnote mark that names its source",
            text=text[end.start() : end.end() + 20],
            hint="restore the <sup>n</sup> mark after the list",
            **where,
        )
    source = f"footnote:{marks[0]}"
    rows = [
        CountryFigure(**{**r.__dict__, "source_id": source})  # type: ignore[arg-type]
        for r in rows
    ]
    return rows, threshold
