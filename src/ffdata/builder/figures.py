"""Reviewed aggregate figures kept beside the documents: ``figures.toml``.

Each entry quotes its document exactly; the build finds the quote (it must
occur once), derives the line number from it, and checks every recorded value
against the text. Nothing in this file is trusted without that check.

A figure's ``number`` is parsed by :func:`ffdata.builder.numbers.parse_figure_number`:
digits (``30,000``, ``1.6 billion``), percentages (``69%``, ``85 percent``), ranges
(``700-1,400``, ``1500 to 2200``), fractions (``1/9``), numbers in words
(``ninety percent``, ``Five``, ``half``) and unquantified amounts
(``tens of thousands``: no value, qualifier ``unquantified``). The qualifier
recorded must be the one the words before the number express.

Example:
    >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
    >>> from ffdata.builder.inputs import load_documents
    >>> from ffdata.builder.sources import read_sources
    >>> docs = load_documents(read_manifest(default_raw_dir()))
    >>> figures = read_figures(default_raw_dir(), docs, read_sources(default_raw_dir(), docs))
    >>> len(figures) > 10
    True
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ffdata.builder.extract.records import AggregateFigure, SourceRecord
from ffdata.builder.extract.text import closest_line, locate_quote
from ffdata.builder.inputs import Document
from ffdata.builder.numbers import number_spots, parse_figure_number
from ffdata.builder.sources import SOURCES_FILE
from ffdata.builder.toml_input import entry_document, new_id, read_toml_entries, typed_field
from ffdata.errors import ErrorCollector, ExtractionError, ReviewedInputError
from ffdata.tables import METRIC_UNITS, METRICS, QUALIFIERS, UNITS

FIGURES_FILE = "figures.toml"


_QUALIFIER_WORDS = {
    "approximately": ("approximately", "about", "around", "some", "roughly", "nearly", "almost"),
    "at_least": ("at least",),
    "more_than": ("more than", "over"),
    "less_than": ("less than", "under", "fewer than"),
}


def qualifier_in_text(before: str) -> str:
    """Return the qualifier that the words just before a number express.

    Example:
        >>> qualifier_in_text("Of those foreign fighters at least ")
        'at_least'
        >>> qualifier_in_text("compared with nearly ")
        'approximately'
        >>> qualifier_in_text("only ")
        'exact'
    """
    words = " ".join(before.split()).casefold()
    for qualifier, phrases in _QUALIFIER_WORDS.items():
        if any(words == p or words.endswith(" " + p) for p in phrases):
            return qualifier
    return "exact"


def _loose(text: str) -> str:
    """A pattern for ``text`` in which any run of whitespace matches any run."""
    return "".join(
        r"\s+" if part.isspace() else re.escape(part) for part in re.split(r"(\s+)", text) if part
    )


def _number_changed(doc: Document, quote: str, number: str) -> tuple[int, str] | None:
    """(line, number printed instead) when the quote is printed with another number."""
    spots = number_spots(quote, number)
    if len(spots) != 1:
        return None
    before, after = quote[: spots[0].start()], quote[spots[0].end() :]
    words = len(number.split())
    if not before.strip() and not after.strip():
        return None
    if before.strip() and after.strip():
        pattern = _loose(before) + r"(?P<n>.{1,40}?)" + _loose(after)
    elif before.strip():
        pattern = _loose(before) + rf"(?P<n>\S+(?:\s+\S+){{0,{words - 1}}})"
    else:
        pattern = rf"(?<!\S)(?P<n>(?:\S+\s+){{0,{words - 1}}}\S+)" + _loose(after)
    regex = re.compile(pattern)
    hits = [(n, m["n"]) for n, text in enumerate(doc.lines, start=1) for m in regex.finditer(text)]
    return hits[0] if len(hits) == 1 else None


def locate_figure_quote(doc: Document, quote: str, number: str, what: str) -> tuple[int, str]:
    """Like :func:`ffdata.builder.extract.text.locate_quote`, but a quote that is no longer printed
    is reported at the line that most likely held it, saying what changed when it is
    the number.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "002_882cd01f73eb6394.txt")
        >>> locate_figure_quote(doc, "the FBI estimated that there were 30,000", "30,000", "f")[0]
        173
        >>> locate_figure_quote(doc, "the FBI estimated that there were 31,000", "31,000", "f")
        Traceback (most recent call last):
        ...
        ffdata.errors.ExtractionError: 002_882cd01f73eb6394.txt:173: f: the quote is not printed: the document prints '30,000' where figures.toml records '31,000': 'the FBI estimated that there were 31,000'
          hint: the document or the entry changed: check the figure, then correct the entry's quote, number and value (or restore the document)
    """
    try:
        return locate_quote(doc, quote, what)
    except ExtractionError as exc:
        if "quote not found" not in exc.message:
            raise
        changed = _number_changed(doc, quote, number)
        if changed is not None:
            raise ExtractionError(
                f"{what}: the quote is not printed: the document prints {changed[1]!r} where "
                f"{FIGURES_FILE} records {number!r}",
                document=doc.file,
                line=changed[0],
                text=quote,
                hint="the document or the entry changed: check the figure, then correct the "
                "entry's quote, number and value (or restore the document)",
            ) from None
        closest = closest_line(doc, quote)
        if closest is not None:
            raise ExtractionError(
                f"{what}: the quote is not printed; line {closest} holds most of its words",
                document=doc.file,
                line=closest,
                text=quote,
                hint="the document changed or the quote is mistyped: copy the quote exactly "
                "from that line",
            ) from None
        raise


def _close(recorded: float | None, parsed: float | None) -> bool:
    if recorded is None or parsed is None:
        return recorded is parsed
    return math.isclose(recorded, parsed, rel_tol=1e-12, abs_tol=0.0)


def _text(entry: dict, key: str, where: str) -> str:
    value = str(typed_field(entry, key, str, where))
    if not value.strip():
        raise ReviewedInputError(f"field {key!r} is empty", document=where, hint="fill it in")
    return value


def read_figures(
    raw_dir: Path,
    docs: dict[str, Document],
    sources: dict[str, SourceRecord],
    errors: ErrorCollector | None = None,
) -> list[AggregateFigure]:
    """Read ``figures.toml`` and check every entry against its document.

    The quote must occur once; ``number`` must occur once in the quote; the
    value, unit and qualifier recorded must agree with what is printed; metric,
    unit and qualifier must be in their vocabularies; the source must be cited
    in the same document.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
        >>> from ffdata.builder.inputs import load_documents
        >>> from ffdata.builder.sources import read_sources
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> figures = read_figures(default_raw_dir(), docs, read_sources(default_raw_dir(), docs))
        >>> [f.value for f in figures if f.figure_id == "worldbank-2016-recruits-2013-2014"]
        [3803.0]
        >>> [(f.value, f.unit) for f in figures if f.number_as_printed == "ninety percent"]
        [(90.0, 'percent')]
    """
    out: list[AggregateFigure] = []
    seen: set[str] = set()
    collector = errors if errors is not None else ErrorCollector()
    for entry, where in read_toml_entries(raw_dir, FIGURES_FILE, "figures"):
        with collector.attempt():
            figure_id = new_id(entry, "figure_id", seen, where)
            seen.add(figure_id)
            where = f"{where} ({figure_id})"
            source_id = str(typed_field(entry, "source_id", str, where))
            if source_id not in sources:
                raise ReviewedInputError(
                    f"unknown source_id {source_id!r}",
                    document=where,
                    hint=f"add it to {SOURCES_FILE}; known: {', '.join(sorted(sources))}",
                )
            doc = entry_document(docs, str(typed_field(entry, "document", str, where)), where)
            if sources[source_id].file != doc.file:
                raise ReviewedInputError(
                    f"source {source_id!r} is cited in {sources[source_id].file}, not in {doc.file}",
                    document=where,
                    hint="give the figure a source that its own document cites",
                )
            quote = str(typed_field(entry, "quote", str, where))
            number = str(typed_field(entry, "number", str, where))
            what = f"figure {figure_id!r}"
            line, printed = locate_figure_quote(doc, quote, number, what)
            spots = number_spots(printed, number)
            if len(spots) != 1:
                raise ExtractionError(
                    f"{what}: number {number!r} occurs {len(spots)} times in the quote; expected once",
                    document=doc.file,
                    line=line,
                    text=printed,
                    hint="record the number exactly as printed in the quote",
                )
            parsed = parse_figure_number(number, document=doc.file, line=line)
            unit = str(typed_field(entry, "unit", str, where))
            qualifier = str(typed_field(entry, "qualifier", str, where))
            metric = str(typed_field(entry, "metric", str, where))
            problems = []
            for key, value, vocabulary in (
                ("metric", metric, METRICS),
                ("unit", unit, UNITS),
                ("qualifier", qualifier, QUALIFIERS),
            ):
                if value not in vocabulary:
                    problems.append(f"{key} {value!r} is not one of {', '.join(vocabulary)}")
            if metric in METRIC_UNITS and unit not in METRIC_UNITS[metric]:
                problems.append(
                    f"unit {unit!r} does not fit metric {metric!r} "
                    f"(counted in {' or '.join(METRIC_UNITS[metric])})"
                )
            if (parsed.kind == "percent") != (unit == "percent"):
                problems.append(f"unit {unit!r} disagrees with the number {number!r}")
            if (parsed.kind == "ratio") != (unit == "ratio"):
                problems.append(f"unit {unit!r} disagrees with the number {number!r} (a fraction)")
            if parsed.kind == "unquantified":
                printed_qualifier = "unquantified"
            elif parsed.value is None:
                printed_qualifier = "range"
            else:
                printed_qualifier = qualifier_in_text(printed[: spots[0].start()])
            if printed_qualifier != qualifier:
                problems.append(
                    f"qualifier {qualifier!r}, but the text reads as {printed_qualifier!r}"
                )
            for key, value in (
                ("value", parsed.value),
                ("value_low", parsed.low),
                ("value_high", parsed.high),
            ):
                recorded = typed_field(entry, key, float, where, None)
                if not _close(recorded, value):  # type: ignore[arg-type]
                    problems.append(f"{key} recorded as {recorded}, but the text prints {value}")
            if problems:
                raise ExtractionError(
                    f"{what}: " + "; ".join(problems),
                    document=doc.file,
                    line=line,
                    text=printed,
                    hint=f"correct the entry in {FIGURES_FILE} to match the text",
                )
            offset = doc.line(line).index(printed)
            out.append(
                AggregateFigure(
                    figure_id=figure_id,
                    source_id=source_id,
                    file=doc.file,
                    line=line,
                    text_as_printed=printed,
                    metric=metric,
                    value=parsed.value,
                    value_low=parsed.low,
                    value_high=parsed.high,
                    unit=unit,
                    qualifier=qualifier,
                    refers_to=_text(entry, "refers_to", where),
                    population=_text(entry, "population", where),
                    producer=_text(entry, "producer", where),
                    number_as_printed=spots[0].group(0),
                    number_start=offset + spots[0].start(),
                    number_end=offset + spots[0].end(),
                )
            )
    if errors is None:
        collector.raise_if_any()
    return out
