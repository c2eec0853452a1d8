"""Reviewed inputs kept beside the documents: ``sources.toml`` and ``figures.toml``.

Each entry quotes its document exactly; the build finds the quote (it must
occur once), derives the line number from it, and checks every recorded value
against the text. Nothing in these files is trusted without that check.

Example:
    >>> from ffdata.raw import read_manifest, default_raw_dir
    >>> from ffdata.pipeline import load_documents
    >>> docs = load_documents(read_manifest(default_raw_dir()))
    >>> sources = read_sources(default_raw_dir(), docs)
    >>> sources["soufan-2015"].footnote, sources["soufan-2015"].line
    (17, 138)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ffdata.errors import ExtractionError, ManifestError
from ffdata.extract.records import AggregateFigure, SourceRecord
from ffdata.extract.text import footnote_line, locate_quote, quote_pattern
from ffdata.raw import Document
from ffdata.tables import QUALIFIERS, UNITS

SOURCES_FILE = "sources.toml"
FIGURES_FILE = "figures.toml"


_QUALIFIER_WORDS = {
    "approximately": ("approximately", "about", "around", "some", "roughly"),
    "at_least": ("at least",),
    "more_than": ("more than", "over"),
    "less_than": ("less than", "under", "fewer than"),
}
_NUMBER = re.compile(
    r"(?P<low>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*[-\u2013]\s*(?P<high>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?(?P<percent>%)?"
)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _read_toml(raw_dir: Path, name: str, section: str) -> list[dict]:
    path = raw_dir / name
    if not path.is_file():
        raise ManifestError(
            f"missing {name}", document=str(path), hint="restore it from the repository's data/raw"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{name} is not valid TOML ({exc})", document=str(path)) from exc
    return list(data.get(section, []))


def _field(entry: dict, key: str, kind: type, where: str, default: object = ...) -> object:
    if key not in entry:
        if default is ...:
            raise ManifestError(f"entry lacks the field {key!r}", document=where, hint="add it")
        return default
    value = entry[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise ManifestError(
            f"field {key!r} should be {kind.__name__}", document=where, text=repr(value)
        )
    return value


def _document(docs: dict[str, Document], file: str, where: str) -> Document:
    if file not in docs:
        raise ManifestError(
            f"names document {file!r}, which the manifest does not list",
            document=where,
            hint=f"use one of: {', '.join(sorted(docs))}",
        )
    return docs[file]


def read_sources(raw_dir: Path, docs: dict[str, Document]) -> dict[str, SourceRecord]:
    """Read ``sources.toml`` and check each citation against its document's footnote.

    Example: see the module docstring.
    """
    out: dict[str, SourceRecord] = {}
    for index, entry in enumerate(_read_toml(raw_dir, SOURCES_FILE, "sources"), start=1):
        where = f"{raw_dir / SOURCES_FILE} [[sources]] #{index}"
        source_id = str(_field(entry, "source_id", str, where))
        if not _ID.fullmatch(source_id) or source_id in out:
            raise ManifestError(
                "source_id must be unique and lower-case-with-dashes",
                document=where,
                text=source_id,
            )
        doc = _document(docs, str(_field(entry, "cited_in", str, where)), where)
        footnote = int(_field(entry, "footnote", int, where))
        citation = str(_field(entry, "citation", str, where))
        what = f"source {source_id!r}, footnote {footnote}"
        line, printed = locate_quote(doc, citation, what)
        expected_line = footnote_line(doc, footnote)
        if line != expected_line:
            raise ExtractionError(
                f"{what}: the citation is on line {line}, but footnote {footnote} is on "
                f"line {expected_line}",
                document=doc.file,
                line=line,
                text=citation,
                hint="quote the citation from the footnote itself",
            )
        record = SourceRecord(
            source_id=source_id,
            producer=str(_field(entry, "producer", str, where)),
            title=str(_field(entry, "title", str, where)),
            date_as_printed=str(_field(entry, "date_as_printed", str, where)),
            url=str(_field(entry, "url", str, where)),
            file=doc.file,
            footnote=footnote,
            line=line,
            citation_as_printed=printed,
            second_hand=bool(_field(entry, "second_hand", bool, where)),
            note=str(_field(entry, "note", str, where, "")),
        )
        full_line = doc.line(line)
        for key in ("title", "date_as_printed", "url"):
            value = getattr(record, key)
            if value and not quote_pattern(value).search(full_line):
                raise ExtractionError(
                    f"{what}: {key} {value!r} is not printed in the footnote",
                    document=doc.file,
                    line=line,
                    text=full_line,
                    hint=f"copy the {key} exactly as the footnote prints it, or leave it empty",
                )
        out[source_id] = record
    return out


def parse_figure_number(number: str, *, document: str, line: int) -> tuple[float | None, ...]:
    """Parse a number as printed in a quote: ``3,803``, ``69%``, ``20-35``, ``700-1,400``.

    Returns ``(value, low, high, is_percent)``; a range has ``value`` ``None``.

    Example:
        >>> parse_figure_number("700-1,400", document="d", line=1)
        (None, 700.0, 1400.0, False)
        >>> parse_figure_number("69%", document="d", line=1)
        (69.0, None, None, True)
    """
    match = _NUMBER.fullmatch(number.strip())
    if not match:
        raise ExtractionError(
            "figure is not a number, a percentage or a range",
            document=document,
            line=line,
            text=number,
            hint="record the number exactly as printed, e.g. 3,803 or 69% or 20-35",
        )
    low = float(match["low"].replace(",", ""))
    percent = bool(match["percent"])
    if match["high"] is None:
        return (low, None, None, percent)
    high = float(match["high"].replace(",", ""))
    if high < low:
        raise ExtractionError("range runs backwards", document=document, line=line, text=number)
    return (None, low, high, percent)


def qualifier_in_text(before: str) -> str:
    """Return the qualifier that the words just before a number express.

    Example:
        >>> qualifier_in_text("Of those foreign fighters at least ")
        'at_least'
        >>> qualifier_in_text("only ")
        'exact'
    """
    words = " ".join(before.split()).casefold()
    for qualifier, phrases in _QUALIFIER_WORDS.items():
        if any(words == p or words.endswith(" " + p) for p in phrases):
            return qualifier
    return "exact"


def read_figures(
    raw_dir: Path, docs: dict[str, Document], sources: dict[str, SourceRecord]
) -> list[AggregateFigure]:
    """Read ``figures.toml`` and check every entry against its document.

    The quote must occur once; ``number`` must occur once in the quote; the
    value, unit and qualifier recorded must agree with what is printed.

    Example:
        >>> from ffdata.raw import read_manifest, default_raw_dir
        >>> from ffdata.pipeline import load_documents
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> figures = read_figures(default_raw_dir(), docs, read_sources(default_raw_dir(), docs))
        >>> [f.value for f in figures if f.figure_id == "worldbank-2016-recruits-2013-2014"]
        [3803.0]
    """
    out: list[AggregateFigure] = []
    seen: set[str] = set()
    for index, entry in enumerate(_read_toml(raw_dir, FIGURES_FILE, "figures"), start=1):
        where = f"{raw_dir / FIGURES_FILE} [[figures]] #{index}"
        figure_id = str(_field(entry, "figure_id", str, where))
        if not _ID.fullmatch(figure_id) or figure_id in seen:
            raise ManifestError(
                "figure_id must be unique and lower-case-with-dashes",
                document=where,
                text=figure_id,
            )
        seen.add(figure_id)
        source_id = str(_field(entry, "source_id", str, where))
        if source_id not in sources:
            raise ManifestError(
                f"unknown source_id {source_id!r}",
                document=where,
                hint=f"add it to {SOURCES_FILE}; known: {', '.join(sorted(sources))}",
            )
        doc = _document(docs, str(_field(entry, "document", str, where)), where)
        quote = str(_field(entry, "quote", str, where))
        number = str(_field(entry, "number", str, where))
        what = f"figure {figure_id!r}"
        line, printed = locate_quote(doc, quote, what)
        spots = [m for m in re.finditer(re.escape(number), printed)]
        spots = [
            m
            for m in spots
            if not printed[m.end() : m.end() + 1].isdigit()
            and not printed[max(m.start() - 1, 0) : m.start()].isdigit()
        ]
        if len(spots) != 1:
            raise ExtractionError(
                f"{what}: number {number!r} occurs {len(spots)} times in the quote; expected once",
                document=doc.file,
                line=line,
                text=printed,
                hint="record the number exactly as printed in the quote",
            )
        value, low, high, percent = parse_figure_number(number, document=doc.file, line=line)
        unit = str(_field(entry, "unit", str, where))
        qualifier = str(_field(entry, "qualifier", str, where))
        problems = []
        if unit not in UNITS:
            problems.append(f"unit {unit!r} is not one of {', '.join(UNITS)}")
        if qualifier not in QUALIFIERS:
            problems.append(f"qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
        if percent != (unit == "percent"):
            problems.append(f"unit {unit!r} disagrees with the number {number!r}")
        printed_qualifier = (
            "range" if value is None else qualifier_in_text(printed[: spots[0].start()])
        )
        if printed_qualifier != qualifier:
            problems.append(f"qualifier {qualifier!r}, but the text reads as {printed_qualifier!r}")
        for key, parsed in (("value", value), ("value_low", low), ("value_high", high)):
            recorded = _field(entry, key, float, where, None)
            if recorded != parsed:
                problems.append(f"{key} recorded as {recorded}, but the text prints {parsed}")
        if problems:
            raise ExtractionError(
                f"{what}: " + "; ".join(problems),
                document=doc.file,
                line=line,
                text=printed,
                hint=f"correct the entry in {FIGURES_FILE} to match the text",
            )
        out.append(
            AggregateFigure(
                figure_id=figure_id,
                source_id=source_id,
                file=doc.file,
                line=line,
                text_as_printed=printed,
                metric=str(_field(entry, "metric", str, where)),
                value=value,
                value_low=low,
                value_high=high,
                unit=unit,
                qualifier=qualifier,
                refers_to=str(_field(entry, "refers_to", str, where)),
                population=str(_field(entry, "population", str, where)),
            )
        )
    return out
