"""Every number a document prints is a recorded figure, in a country row read, ruled out by
one of the :data:`RULES`, or listed in ``not_figures.toml``; anything else stops the build.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ffdata.builder.extract.numbers import coverage_tokens, is_word_without_number, number_spots
from ffdata.builder.extract.records import AggregateFigure, CountryFigure
from ffdata.builder.extract.text import FOOTNOTE_MARK, NOTE_LINE, NOTE_MARK, locate_quote
from ffdata.builder.inputs.manifest import Document
from ffdata.builder.inputs.reviewed import entry_document, read_entries
from ffdata.errors import ErrorCollector, ReviewedInputError

NOT_FIGURES_FILE = "not_figures.toml"
_SP = r"[ \u00a0]"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DAY = r"(?:3[01]|[12]\d|[1-9])"
_YEAR = r"(?:19|20)\d\d"
#: Words that, printed right after a number, make it a count, never a year.
_COUNTED = (
    r"(?:people|persons|fighters|foreign|foreigners|members|militants|jihadists|women|men|"
    r"children|wives|individuals|recruits|inmates|prisoners|detainees|defectors|Americans|"
    r"citizens|nationals|countries|records|attacks|acts|personnel|troops|soldiers)\b"
)


@dataclass(frozen=True)
class DocumentNotes:
    """A document's footnote marks, bracketed notes, note lines and footnote numbers."""

    marks: frozenset[int]
    bracket_notes: frozenset[int]
    note_lines: frozenset[int]
    footnotes: frozenset[int] = frozenset()


def _document_notes(lines: tuple[str, ...]) -> DocumentNotes:
    """The footnote marks, bracketed notes and note lines of a document's ``lines``."""
    text = "\n".join(lines)
    marks = frozenset(int(m["n"]) for m in FOOTNOTE_MARK.finditer(text))
    brackets: set[int] = set()
    note_lines: set[int] = set()
    footnotes: set[int] = set()
    for number, line in enumerate(lines, start=1):
        match = NOTE_LINE.match(line)
        if not match:
            continue
        bracket, footnote = match["bracket"], match["sup"] or match["n"]
        if footnote:
            footnotes.add(int(footnote))
        if bracket is not None:
            brackets.add(int(bracket))
        if bracket is not None or int(footnote) in marks:
            note_lines.add(number)
    return DocumentNotes(marks, frozenset(brackets), frozenset(note_lines), frozenset(footnotes))


@dataclass(frozen=True)
class Rule:
    """A kind of number that is not a figure, recognised by the text around it: its pattern's
    groups ``n...`` mark the numbers; ``when`` may restrict a match; ``note_lines_only``.
    """

    name: str
    description: str
    pattern: re.Pattern[str]
    note_lines_only: bool = False
    when: Callable[[re.Match[str], DocumentNotes], bool] | None = field(default=None, compare=False)

    def spans(self, text: str, line: int, notes: DocumentNotes) -> list[tuple[int, int]]:
        """Return the spans of ``text`` (line ``line``) that this rule accounts for.

        Example:
            >>> notes = DocumentNotes(frozenset({17}), frozenset(), frozenset(), frozenset({17}))
            >>> RULES_BY_NAME["footnote_mark"].spans("figures<sup>17</sup>", 1, notes)
            [(12, 14)]
        """
        if self.note_lines_only and line not in notes.note_lines:
            return []
        return [
            match.span(name)
            for match in self.pattern.finditer(text)
            if self.when is None or self.when(match, notes)
            for name, value in match.groupdict().items()
            if value is not None and name.startswith("n")
        ]


def _rule(name: str, description: str, regex: str, **rules: bool) -> Rule:
    return Rule(name, description, re.compile(regex), **rules)


#: The rules, in the order they are tried, each saying what it recognises.
RULES: tuple[Rule, ...] = (
    Rule(
        "footnote_mark",
        "A footnote mark <sup>n</sup>, when the document prints footnote n.",
        FOOTNOTE_MARK,
        when=lambda match, notes: int(match["n"]) in notes.footnotes,
    ),
    Rule(
        "footnote_number",
        "The number opening a footnote line ('17 The Soufan Group'), when marked <sup>17</sup>.",
        NOTE_LINE,
        when=lambda m, notes: m["n"] is not None and int(m["n"]) in notes.marks,
    ),
    Rule(
        "note_number",
        "A note number [n], when a note line opens [n].",
        NOTE_MARK,
        when=lambda m, notes: int(m["n"]) in notes.bracket_notes,
    ),
    _rule(
        "citation_locator",
        "A volume, issue or page of a citation: Vol.107, No. 3, p.129, pp.53-94.",
        rf"\b(?:Vol|No|pp?)\.{_SP}?(?P<n1>\d+(?:[-\u2013]\d+)?)(?!\d)",
    ),
    _rule("url", "Part of a web address.", r"(?P<n1>(?:https?://|www\.)[^\s<>\[\]()]+)"),
    _rule(
        "date",
        "Day or year of a date with a month name: 'March 1, 2017', 'September 2014'.",
        rf"(?:(?<![\d.,])(?P<n1>{_DAY}){_SP}+)?\b{_MONTH}(?![A-Za-z])"
        rf"(?:{_SP}+(?P<n2>{_DAY})(?![\d%]))?(?:,?{_SP}+(?P<n3>{_YEAR})(?![\d%]))?",
    ),
    _rule(
        "year",
        "A year or span after a preposition or article ('in 2014'), not before a counted noun.",
        r"(?i:\b(?:in|since|before|after|until|during|of|the|a|by|from|"
        rf"winter|spring|summer|autumn|fall){_SP}+)"
        rf"(?P<n1>{_YEAR}(?:[-\u2013/](?:{_YEAR}|\d\d))?)(?![\w%]|[.,]\d)"
        rf"(?!{_SP}+{_COUNTED})",
    ),
    _rule("decade", "A decade: 'the 1980s'.", r"\b(?P<n1>(?:19|20)\d0)s\b"),
    _rule(
        "year_in_parentheses",
        "A year in parentheses after a name: 'Richard Barrett (2014)'.",
        rf"\((?P<n1>{_YEAR})\)",
    ),
    _rule(
        "citation_year",
        "On a note line, a year alone between a comma or quote and , or .: ', 2013, pp.1'.",
        rf"(?<=[,\u201d\"]{_SP})(?P<n1>{_YEAR})(?=[,.])",
        note_lines_only=True,
    ),
    _rule(
        "cited_title",
        "On a note line, a number inside a quoted title.",
        r"(?P<n1>\u201c[^\u201d]*\u201d|\"[^\"]*\")",
        note_lines_only=True,
    ),
    _rule(
        "magazine_issue",
        "A magazine issue: 'the 49th issue', 'issue 48'.",
        rf"\b(?P<n1>\d+)(?:st|nd|rd|th){_SP}+(?:issue|edition)\b"
        rf"|\b(?:issue|edition){_SP}+(?P<n2>\d+)\b",
    ),
    _rule(
        "figure_or_table_label",
        "A figure or table label: 'Table 1', '(Figure 1)'.",
        rf"\b(?:Figure|Table){_SP}+(?P<n1>\d+)\b",
    ),
    _rule(
        "list_number",
        "A numbered list item at the start of a line: '1.)  Infighting'.",
        r"^[ \u00a0\t]*(?P<n1>\d{1,2})\.\)?[ \u00a0\t]+\S",
    ),
    _rule(
        "september_11",
        "The attacks of 11 September 2001, written 9/11.",
        r"(?<![\d/])(?P<n1>9/11)(?![\d/])",
    ),
    _rule(
        "time_ago",
        "A relative time stamp: '2 hours ago'.",
        rf"(?<!\d)(?P<n1>\d++){_SP}+(?:minutes?|hours?|days?|weeks?){_SP}+ago\b",
    ),
    _rule(
        "time_of_day",
        "A time of day: '10:30'.",
        r"(?<![\d:])(?P<n1>(?:[01]?\d|2[0-3]):[0-5]\d)(?![\d:])",
    ),
    _rule(
        "one_of",
        "'one' picking one out of a group: 'one of the reasons'.",
        rf"\b(?P<n1>[Oo]ne){_SP}+of{_SP}+(?:the|those|these|them|its|his|her|their|our)\b",
    ),
    _rule(
        "according_to_one",
        "An unnamed informant: 'according to one former prisoner'.",
        rf"\b[Aa]ccording{_SP}+to{_SP}+(?P<n1>one)\b"
        rf"(?![ \u00a0-]+(?:hundred|thousand|million|billion|dozen|half)\b)",
    ),
    _rule(
        "pronoun_one",
        "'one' meaning anybody, or 'no one': 'one may interpret'.",
        rf"\b(?P<n1>[Oo]ne){_SP}+(?:may|might|can|could|must|should|has{_SP}+to)\b"
        rf"|\b[Nn]o{_SP}+(?P<n2>one)\b",
    ),
    _rule(
        "half_of_a_year",
        "Half of a year: 'the first half of 2012'.",
        rf"\b(?:first|second){_SP}+(?P<n1>half){_SP}+of{_SP}+{_YEAR}\b",
    ),
)
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


@dataclass(frozen=True)
class Exclusion:
    """A reviewed number that is not a figure, from ``not_figures.toml``."""

    file: str
    line: int
    start: int
    end: int
    number: str
    reason: str
    repeats: str


@dataclass(frozen=True)
class Occurrence:
    """One number of a document and what accounts for it (``None``: nothing)."""

    file: str
    line: int
    start: int
    number: str
    kind: str | None
    written: str = "digits"


@dataclass(frozen=True)
class CoverageReport:
    """The numbers of the documents and how each one is accounted for."""

    occurrences: tuple[Occurrence, ...]

    @property
    def total(self) -> int:
        """Number of numbers in the documents (M)."""
        return len(self.occurrences)

    @property
    def accounted(self) -> int:
        """Number of numbers accounted for (N)."""
        return sum(o.kind is not None for o in self.occurrences)

    def by_kind(self) -> dict[str, int]:
        """How many numbers each kind (figure, country_estimates, a rule, not_figures) accounts for.

        Example:
            >>> CoverageReport((Occurrence("d", 1, 0, "2015", "date"),)).by_kind()
            {'date': 1}
        """
        counts = Counter(o.kind for o in self.occurrences if o.kind is not None)
        return dict(sorted(counts.items()))

    def by_written(self) -> dict[str, int]:
        """How many numbers are written in digits and in words.

        Example:
            >>> CoverageReport((Occurrence("d", 1, 0, "two", "figure", "words"),)).by_written()
            {'digits': 0, 'words': 1}
        """
        counts = Counter(o.written for o in self.occurrences)
        return {"digits": counts["digits"], "words": counts["words"]}

    def summary(self) -> str:
        """``N of M numbers, in digits or in words, accounted for``, for the build summary.

        Example:
            >>> CoverageReport((Occurrence("d", 1, 0, "5", None),)).summary()
            '0 of 1 numbers, in digits or in words, accounted for'
        """
        return f"{self.accounted} of {self.total} numbers, in digits or in words, accounted for"


def read_not_figures(
    raw_dir: Path, docs: dict[str, Document], figures: Iterable[AggregateFigure] = ()
) -> list[Exclusion]:
    """Read ``not_figures.toml``: each quote found once, its number once in it.

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir
        >>> read_not_figures(default_raw_dir(), {})
        []
    """
    figure_ids = {f.figure_id for f in figures}
    out = []
    for entry in read_entries(raw_dir, "not_figures"):
        doc = entry_document(docs, entry["document"], entry.at("document"))
        if entry["repeats"] and entry["repeats"] not in figure_ids:
            raise ReviewedInputError(
                f"repeats {entry['repeats']!r}, which figures.toml does not record",
                document=str(entry.at("repeats")),
                hint="name the figure_id of the figure this number repeats",
            )
        what = f"not_figures entry #{entry.place.number} ({entry['number']!r})"
        line, printed = locate_quote(doc, entry["quote"], what)
        spots = [m for m, _ in coverage_tokens(printed) if m.group() == entry["number"]]
        if not spots and is_word_without_number(entry["number"]):  # not searched for: listed
            spots = number_spots(printed, entry["number"])
        if len(spots) != 1:
            raise doc.refusal(
                line,
                f"{what}: the number occurs {len(spots)} times in the quote; expected once",
                "give the number exactly as printed (digits joined by , . / - count as "
                "one; number words joined by spaces or hyphens too: 'three dozen')",
                text=printed,
            )
        offset = doc.line(line).index(printed)
        start, end = offset + spots[0].start(), offset + spots[0].end()
        keys = ("number", "reason", "repeats")
        out.append(Exclusion(doc.file, line, start, end, *(entry[k] for k in keys)))
    return out


def _by_line(spans: Iterable[tuple[int, tuple[int, int]]]) -> dict[int, SpanIndex]:
    """(line, span) pairs as one :class:`SpanIndex` per line."""
    grouped: dict[int, list[tuple[int, int]]] = {}
    for line, span in spans:
        grouped.setdefault(line, []).append(span)
    return {line: SpanIndex(found) for line, found in grouped.items()}


class SpanIndex:
    """Spans of one line, answering "is [start, end) inside one of them?" in O(log n).

    Example:
        >>> index = SpanIndex([(0, 5), (10, 20)])
        >>> index.covers(12, 14), index.covers(4, 11)
        (True, False)
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach: list[int] = []
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self._reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        """Whether some span ``(a, b)`` has ``a <= start`` and ``end <= b``."""
        position = bisect.bisect_right(self._starts, start) - 1
        return position >= 0 and self._reach[position] >= end

    def __bool__(self) -> bool:
        """Whether there is any span."""
        return bool(self._starts)


LineNumbers = list[tuple[int, list[tuple[re.Match[str], str]], list[tuple[str, SpanIndex]]]]
#: Documents up to this many characters have their numbers kept.
KEPT_CHARACTERS = 1_000_000


def _find_line_numbers(lines: tuple[str, ...]) -> LineNumbers:
    """(line, its numbers, the spans each rule accounts for) of each line with a number."""
    notes = _document_notes(lines)
    out = []
    for number, text in enumerate(lines, start=1):
        tokens = coverage_tokens(text)
        if tokens:
            rule_spans = [
                (rule.name, index)
                for rule in RULES
                if (index := SpanIndex(rule.spans(text, number, notes)))
            ]
            out.append((number, tokens, rule_spans))
    return out


_kept_line_numbers = functools.lru_cache(maxsize=8)(_find_line_numbers)


def line_numbers(lines: tuple[str, ...]) -> LineNumbers:
    """The numbers of a document's lines and the rules' spans, kept for the process by text.

    Example:
        >>> number, tokens, rule_spans = line_numbers(("Figures<sup>1</sup> of 2015", "1 x"))[0]
        >>> [token.group() for token, _ in tokens], [name for name, _ in rule_spans]
        (['1', '2015'], ['footnote_mark', 'year'])
    """
    if sum(map(len, lines)) > KEPT_CHARACTERS:
        return _find_line_numbers(lines)
    return _kept_line_numbers(lines)


def classify_document(
    doc: Document,
    figures: Iterable[AggregateFigure],
    rows: Iterable[CountryFigure],
    exclusions: Iterable[Exclusion] = (),
) -> list[Occurrence]:
    """Classify every number of ``doc``: figure, country_estimates, a rule, not_figures or None.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
        >>> [o.kind for o in classify_document(doc, [], [])][:3]
        [None, None, 'date']
    """
    mine = [f for f in figures if f.file == doc.file and None not in (f.number_start, f.number_end)]
    first = (
        ("figure", _by_line((f.line, (f.number_start, f.number_end)) for f in mine)),
        (
            "country_estimates",
            _by_line(
                (row.line, m.span())
                for row in rows
                if row.file == doc.file and row.text_as_printed
                for m in re.finditer(re.escape(row.text_as_printed), doc.line(row.line))
            ),
        ),
    )
    excluded = _by_line((e.line, (e.start, e.end)) for e in exclusions if e.file == doc.file)
    out = []
    for number, tokens, rule_spans in line_numbers(doc.lines):
        kinds = [(kind, spans[number]) for kind, spans in first if number in spans] + rule_spans
        if number in excluded:
            kinds.append(("not_figures", excluded[number]))
        for token, written in tokens:
            start, end = token.span()
            kind = next((name for name, index in kinds if index.covers(start, end)), None)
            out.append(Occurrence(doc.file, number, start, token.group(), kind, written))
    return out


def check_coverage(
    raw_dir: Path | str,
    docs: dict[str, Document],
    figures: list[AggregateFigure],
    rows: list[CountryFigure],
) -> CoverageReport:
    """Account for every number of every document, or raise naming document, line and number.

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir
        >>> check_coverage(default_raw_dir(), {}, [], []).summary()
        '0 of 0 numbers, in digits or in words, accounted for'
    """
    raw_dir = Path(raw_dir)
    exclusions = read_not_figures(raw_dir, docs, figures)
    occurrences: list[Occurrence] = []
    for doc in docs.values():
        if doc.entry.provenance_file:  # a data file: every row is read by a source instead
            continue
        mine = [e for e in exclusions if e.file == doc.file]
        found = classify_document(doc, figures, rows, mine)
        by_place = {(o.line, o.start): o for o in found}
        recorded = {(f.line, f.number_start) for f in figures if f.file == doc.file}
        for e in mine:
            o = by_place.get((e.line, e.start))
            if o is None and (e.line, e.start) in recorded:  # a word the check does not count
                o = Occurrence(doc.file, e.line, e.start, e.number, "figure", "words")
            if o is not None and o.kind != "not_figures":
                raise ReviewedInputError(
                    f"{NOT_FIGURES_FILE} lists {e.number!r} ({doc.file}:{e.line}), which is "
                    f"already accounted for as {o.kind}",
                    document=str(raw_dir / NOT_FIGURES_FILE),
                    hint="remove the entry: only numbers that nothing else accounts for belong there",
                )
        occurrences.extend(found)
    errors = ErrorCollector()
    for o in [o for o in occurrences if o.kind is None]:  # all are reported, not the first only
        with errors.attempt():
            raise docs[o.file].refusal(
                o.line,
                f"number {o.number!r} is not accounted for (a number in {o.written}): it is "
                "not a recorded figure, not "
                f"in a country table row, and no rule or {NOT_FIGURES_FILE} entry rules it out",
                "record it in figures.toml (quote, number, value, ...), or, if it is not a "
                f"figure, add it with a reason to {NOT_FIGURES_FILE}",
                text=docs[o.file].line(o.line)[max(o.start - 60, 0) : o.start + len(o.number) + 60],
            )
    errors.raise_if_any()
    return CoverageReport(tuple(occurrences))
