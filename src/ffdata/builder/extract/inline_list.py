"""Country lists printed inline in a sentence: ``stands at: Tunisia (5,000 ), France (2,000),
... (figures for countries with numbers below 500 are excluded).<sup>21</sup>``.

Odd punctuation is read, kept in ``text_as_printed`` and flagged.

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
    >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
    >>> spec = InlineListSpec.from_layout({"name": "IEP list",
    ...     "intro": "the main contributing countries stands at:",
    ...     "closing": "figures for countries with numbers below {threshold} are excluded"})
    >>> found = read_inline_list(doc, spec)
    >>> [(r.name_as_printed, r.fighters) for r in found.rows], found.threshold, found.footnote
    ([('Tunisia', 5000), ('France', 2000), ('the UK', 600)], 500, 21)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ffdata.builder.extract.numbers import parse_count
from ffdata.builder.extract.records import CountryFigure
from ffdata.builder.extract.text import find_unique_line, footnote_marks, quote_pattern
from ffdata.builder.inputs.manifest import Document
from ffdata.errors import ExtractionError

FLAG_IRREGULAR_PUNCTUATION = "irregular_punctuation"

# Possessive quantifiers (*+) keep every pattern linear in the length of the line.
_ITEM = re.compile(
    r"(?P<name>[^\s(),][^(),]*+)(?P<comma>,)?\s*+\((?P<number>[^()]*+)\)(?P<sep>\s*+,)?"
)


@dataclass(frozen=True)
class InlineListSpec:
    """What identifies an inline list: its name, introducing words and closing note."""

    name: str
    intro: re.Pattern[str]
    closing: re.Pattern[str]
    closing_text: str
    #: The kind of estimate the source declares (its rows' ``estimate``).
    estimate: str = "reported"

    @classmethod
    def from_layout(
        cls, layout: Mapping[str, object], estimate: str = "reported"
    ) -> InlineListSpec:
        """A spec from a ``layout`` (``intro``; ``closing`` with ``{threshold}`` at most once);
        ValueError if it cannot work.

        Example:
            >>> InlineListSpec.from_layout({"name": "L", "intro": "at:", "closing": "{threshold}"})
            Traceback (most recent call last):
            ...
            ValueError: closing must print words besides {threshold}
        """
        closing = str(layout["closing"])
        if closing.count("{threshold}") > 1:
            raise ValueError("closing may hold {threshold} once")
        if not closing.replace("{threshold}", "").strip():
            raise ValueError("closing must print words besides {threshold}")
        before, placeholder, after = closing.partition("{threshold}")
        pattern = quote_pattern(before).pattern
        if placeholder:
            pattern += r"\s*(?P<threshold>[0-9][0-9,]*)\s*"
            pattern += quote_pattern(after).pattern if after.strip() else ""
        return cls(
            name=str(layout["name"]),
            intro=re.compile(quote_pattern(str(layout["intro"])).pattern, re.IGNORECASE),
            closing=re.compile(r"\((?P<text>" + pattern + r")\)", re.IGNORECASE),
            closing_text=closing.replace("{threshold}", "..."),
            estimate=estimate,
        )


@dataclass(frozen=True)
class InlineList:
    """The rows of an inline list, the footnote mark after it and the threshold it states."""

    rows: list[CountryFigure]
    footnote: int
    threshold: int | None


_SPACE = re.compile(r"\s*+")


def read_inline_list(doc: Document, spec: InlineListSpec) -> InlineList:
    """The list's rows (with the footnote mark after it) and its threshold (module example)."""
    line = find_unique_line(doc, spec.intro, f"sentence introducing the {spec.name}")
    text = doc.line(line)
    where = {"document": doc.file, "line": line}
    pos = spec.intro.search(text).end()  # type: ignore[union-attr]
    rows: list[CountryFigure] = []
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if end := spec.closing.match(text, pos):
            break
        item = _ITEM.match(text, pos)
        if item is None and pos >= len(text):
            raise ExtractionError(
                f"the {spec.name} ends without its closing '({spec.closing_text})'",
                text=text[-80:],
                hint="the document may be truncated; restore it",
                **where,
            )
        if item is None:
            raise ExtractionError(
                f"cannot read the {spec.name} here; expected 'Country (number),'",
                text=text[pos : pos + 60],
                hint="each item is a country name and its figure in parentheses",
                **where,
            )
        rows.append(_row(item, spec, doc.file, line))
        pos = item.end()
    if not rows:
        raise ExtractionError(
            f"the {spec.name} is empty",
            hint="the introducing sentence must be followed by 'Country (number),' items",
            **where,
        )
    stated = end.groupdict().get("threshold")
    threshold = parse_count(stated, **where) if stated is not None else None
    marks = footnote_marks(text[end.end() : end.end() + 20])
    if not marks:
        raise ExtractionError(
            f"the {spec.name} lacks the footnote mark that names its source",
            text=text[end.start() : end.end() + 20],
            hint="restore the <sup>n</sup> mark after the list",
            **where,
        )
    rows = [replace(row, footnote=marks[0]) for row in rows]
    return InlineList(rows=rows, footnote=marks[0], threshold=threshold)


def _row(item: re.Match[str], spec: InlineListSpec, file: str, line: int) -> CountryFigure:
    """One item of the list as a row; odd punctuation flagged."""
    number, name = item["number"], item["name"].strip()
    irregular = (
        bool(item["comma"])
        or not item["sep"]
        or number != number.strip()
        or item["name"] != name + " "
    )
    return CountryFigure(
        source_id="",
        estimate=spec.estimate,
        fighters=parse_count(number, document=file, line=line),
        rank_as_printed=None,
        name_as_printed=name,
        file=file,
        line=line,
        text_as_printed=item.string[item.start() : item.end("number") + 1],
        flags=frozenset({FLAG_IRREGULAR_PUNCTUATION} if irregular else set()),
    )
