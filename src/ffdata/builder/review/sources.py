"""Reviewed sources kept beside the documents: ``sources.toml``.

Each entry quotes its document exactly; the build finds the quote (it must
occur once), derives the line number from it, and checks every recorded value
against the text. Nothing in this file is trusted without that check.

A source is cited either by a footnote (``footnote = 17``: the citation must be
on the line that opens footnote 17, ``17 ...``, ``<sup>17</sup> ...`` or
``[17] ...``) or, with no ``footnote``, by the words of the text that name the
producer ("According to Reuters data"); the line is derived from the quote in
both cases. A footnote broken by a page break names its second part in
``continuation``; title, date and URL may be printed on either part (a URL may
run from the end of one onto the start of the other; a ``>`` printed at the break
is ignored).

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
    >>> from ffdata.builder.inputs.manifest import load_documents
    >>> docs = load_documents(read_manifest(default_raw_dir()))
    >>> sources = read_sources(default_raw_dir(), docs)
    >>> sources["soufan-2015"].footnote, sources["soufan-2015"].line
    (17, 138)
    >>> sources["reuters-data"].footnote is None, sources["reuters-data"].line
    (True, 163)
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ffdata.builder.extract.records import CountryEstimates, SourceRecord
from ffdata.builder.extract.text import (
    find_unique_line,
    locate_quote,
    note_line_pattern,
    quote_spans,
)
from ffdata.builder.inputs.dates import date_precision
from ffdata.builder.inputs.manifest import Document
from ffdata.builder.inputs.reviewed import entry_document, new_id, read_toml_entries, typed_field
from ffdata.builder.inputs.reviewed_dates import DateReviewError, reviewed_date
from ffdata.errors import ErrorCollector, ExtractionError, ReviewedInputError
from ffdata.tables import ESTIMATES, ROW_FLAGS

SOURCES_FILE = "sources.toml"


def note_line(doc: Document, number: int) -> int:
    """Return the line that opens footnote or note ``number``: ``17 ...``, ``<sup>18</sup> ...``
    or ``[4] ...``.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> m = read_manifest(default_raw_dir())
        >>> note_line(load_document(m, "002_882cd01f73eb6394.txt"), 18)
        165
        >>> note_line(load_document(m, "001_681282505068cf96.txt"), 4)
        39
    """
    return find_unique_line(doc, note_line_pattern(number), f"footnote {number}")


def read_sources(
    raw_dir: Path, docs: dict[str, Document], errors: ErrorCollector | None = None
) -> dict[str, SourceRecord]:
    """Read ``sources.toml`` and check each citation against its document.

    With ``footnote``, the citation must be on the line that opens that footnote;
    without, the citation is the in-text attribution, found once. Title, date and
    URL, when given, must be printed there (or in the footnote's ``continuation``).

    Example: see the module docstring.
    """
    out: dict[str, SourceRecord] = {}
    cited: dict[tuple[str, int], str] = {}
    collector = errors if errors is not None else ErrorCollector()
    for entry, where in read_toml_entries(raw_dir, SOURCES_FILE, "sources"):
        with collector.attempt():
            source_id = new_id(entry, "source_id", set(out), where)
            doc = entry_document(docs, str(typed_field(entry, "cited_in", str, where)), where)
            footnote = typed_field(entry, "footnote", int, where, None)
            citation = str(typed_field(entry, "citation", str, where))
            what = f"source {source_id!r}, " + (
                f"footnote {footnote}" if footnote is not None else "in-text attribution"
            )
            citing = provenance_of(doc)
            if citing is not doc:
                what += f" in the provenance of {doc.file}"
            line, printed = locate_quote(citing, citation, what)
            if footnote is not None and citing is not doc:
                raise ReviewedInputError(
                    f"{what}: a data file has no footnotes",
                    document=where,
                    hint="remove footnote; quote the citation from the file's provenance",
                )
            if footnote is not None:
                footnote = int(footnote)  # type: ignore[call-overload]
                expected_line = note_line(doc, footnote)
                if line != expected_line:
                    raise ExtractionError(
                        f"{what}: the citation is on line {line}, but footnote {footnote} is on "
                        f"line {expected_line}",
                        document=doc.file,
                        line=line,
                        text=citation,
                        hint="quote the citation from the footnote itself",
                    )
                if (doc.file, footnote) in cited:
                    raise ReviewedInputError(
                        f"footnote {footnote} of {doc.file} is already the citation of source "
                        f"{cited[doc.file, footnote]!r}",
                        document=where,
                        hint="one source per footnote: merge the two entries",
                    )
                cited[doc.file, footnote] = source_id
            texts = [doc.line(line)] if citing is doc else [provenance_item(citing, line)]
            continuation_line = None
            continuation = str(typed_field(entry, "continuation", str, where, ""))
            if continuation:
                continuation_line, _ = locate_quote(doc, continuation, f"{what}, continuation")
                if continuation_line <= line:
                    raise ExtractionError(
                        f"{what}: the continuation is on line {continuation_line}, before the "
                        f"footnote (line {line})",
                        document=doc.file,
                        line=continuation_line,
                        text=continuation,
                        hint="quote the footnote's second part, printed after the page break",
                    )
                rest = doc.line(continuation_line)
                texts += [rest, texts[0].rstrip().removesuffix(">") + rest.strip()]
            record = SourceRecord(
                source_id=source_id,
                producer=str(typed_field(entry, "producer", str, where)),
                title=str(typed_field(entry, "title", str, where, "")),
                date_as_printed=str(typed_field(entry, "date_as_printed", str, where, "")),
                url=str(typed_field(entry, "url", str, where, "")),
                file=doc.file,
                footnote=footnote,  # type: ignore[arg-type]
                line=line,
                citation_as_printed=printed,
                second_hand=bool(typed_field(entry, "second_hand", bool, where)),
                note=str(typed_field(entry, "note", str, where, "")),
                continuation_line=continuation_line,
                licence=str(typed_field(entry, "licence", str, where, "")),
                country_estimates=country_estimates_declaration(entry, where),
                published_date=published_date(entry, where),
            )
            if not record.producer.strip():
                raise ReviewedInputError(
                    f"{what}: producer is empty", document=where, hint="name it"
                )
            for key in ("title", "date_as_printed", "url"):
                value = getattr(record, key)
                if value and not any(quote_spans(text, value) for text in texts):
                    raise ExtractionError(
                        f"{what}: {key} {value!r} is not printed in the citation",
                        document=citing.file,
                        line=line,
                        text=texts[0],
                        hint=f"copy the {key} exactly as the document prints it, or leave it empty",
                    )
            out[source_id] = record
    with collector.attempt():
        check_declarations(out)
    if errors is None:
        collector.raise_if_any()
    return out


def provenance_of(doc: Document) -> Document:
    """The text that cites a document's sources: the document itself, or for a data file
    (a CSV) the provenance file pinned beside it, which names the publications it copies.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> m = read_manifest(default_raw_dir())
        >>> provenance_of(load_document(m, "reference/icsr-foreign-fighters/data/icsr.csv")).file
        'reference/icsr-foreign-fighters/PROVENANCE.md'
    """
    if not doc.entry.provenance_file:
        return doc
    return Document(replace(doc.entry, file=doc.entry.provenance_file), doc.provenance_lines)


def provenance_item(provenance: Document, line: int) -> str:
    """The list item of a provenance file that starts at ``line``, on one line: the line and
    those after it up to a blank line or the next item (``- ...``), spaces collapsed.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> m = read_manifest(default_raw_dir())
        >>> doc = provenance_of(load_document(m, "reference/icsr-foreign-fighters/data/icsr.csv"))
        >>> provenance_item(doc, 5)[:60]
        '- `icsr.date` 20131217: ICSR Insight, Aaron Y. Zelin (with o'
    """
    parts = [provenance.line(line).strip()]
    for text in provenance.lines[line:]:
        if not text.strip() or text.lstrip().startswith("- "):
            break
        parts.append(text.strip())
    return " ".join(" ".join(parts).split())


def published_date(entry: dict, where: str) -> str:
    """The ISO date a source was published (``published_date``), checked like every reviewed
    date (:func:`ffdata.builder.inputs.reviewed_dates.reviewed_date`): a calendar date or span at
    the precision printed, naming a year (and a month, where it prints months) that
    ``date_as_printed`` prints, and required
    when a year is printed; empty when no date is printed.

    Example:
        >>> published_date({"date_as_printed": "December 2015", "published_date": "2015-12"}, "x")
        '2015-12'
        >>> published_date({"date_as_printed": "December 2015", "published_date": "2016"}, "x")
        Traceback (most recent call last):
        ...
        ffdata.errors.ReviewedInputError: x: published_date '2016' names no year that the date as printed ('December 2015') names
          hint: correct the ISO date (or the date as printed): they must describe the same date
    """
    printed = str(typed_field(entry, "date_as_printed", str, where, ""))
    value = str(typed_field(entry, "published_date", str, where, ""))
    try:
        iso, _ = reviewed_date(value or None, printed, field="published_date")
    except DateReviewError as exc:
        raise ReviewedInputError(str(exc), document=where, hint=exc.hint) from None
    return iso or ""


#: Fields of ``[sources.country_estimates]``: required ones, then optional ones.
DECLARATION_KEYS = (
    "label",
    "column_stem",
    "chart_colours",
    "estimates",
    "refers_to_date",
    "what_it_counts",
    "extractor",
    "layout",
)
DECLARATION_OPTIONAL = ("companion_of", "row_flags")
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
_STEM = re.compile(r"^[a-z][a-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def country_estimates_declaration(entry: dict, where: str) -> CountryEstimates | None:
    """Read a source's ``[sources.country_estimates]`` table; None when it has none.

    Every field is checked: text without control characters, known kinds of
    estimate, one ``#rrggbb`` colour per kind, a reference year whose population
    the build holds, a known extractor whose ``layout`` gives exactly the keys it
    needs and can work (e.g. the kinds of estimate it reads).

    Example:
        >>> decl = country_estimates_declaration({"country_estimates": {
        ...     "label": "Demo 2020", "column_stem": "demo", "chart_colours": ["#0072b2"],
        ...     "estimates": ["reported"], "refers_to_date": "2015",
        ...     "what_it_counts": "fighters", "extractor": "inline-list",
        ...     "layout": {"name": "Demo list", "intro": "stands at:", "closing": "end"}}},
        ...     "sources.toml:3")
        >>> decl.label, decl.estimates, decl.layout_dict()["intro"]
        ('Demo 2020', ('reported',), 'stands at:')
        >>> country_estimates_declaration({}, "sources.toml:3") is None
        True
    """
    from ffdata.builder.extract import EXTRACTORS

    table = entry.get("country_estimates")
    if table is None:
        return None
    place = f"{where} [country_estimates]"
    if not isinstance(table, dict):
        raise ReviewedInputError(
            "country_estimates should be a table",
            document=place,
            hint="write it as [sources.country_estimates] under the source",
        )
    unknown = sorted(set(table) - set(DECLARATION_KEYS) - set(DECLARATION_OPTIONAL))
    if unknown:
        raise ReviewedInputError(
            f"unknown field(s) {', '.join(unknown)}",
            document=place,
            hint=f"allowed: {', '.join(DECLARATION_KEYS + DECLARATION_OPTIONAL)}",
        )

    def text(key: str) -> str:
        value = str(typed_field(table, key, str, place))
        if not value.strip():
            raise ReviewedInputError(f"{key} is empty", document=place, hint=f"give the {key}")
        if _CONTROL.search(value):
            raise ReviewedInputError(
                f"{key} holds a control character",
                document=place,
                text=value,
                hint="write it on one line, without tabs, line breaks or other control characters",
            )
        return value

    def texts(key: str) -> tuple[str, ...]:
        values = typed_field(table, key, list, place)
        if not values or not all(isinstance(v, str) for v in values):  # type: ignore[union-attr]
            raise ReviewedInputError(
                f"{key} should be a non-empty list of strings",
                document=place,
                text=repr(values),
                hint=f'e.g. {key} = ["..."]',
            )
        return tuple(values)  # type: ignore[arg-type]

    estimates = texts("estimates")
    bad = [e for e in estimates if e not in ESTIMATES] + [
        e for i, e in enumerate(estimates) if e in estimates[:i]
    ]
    if bad:
        raise ReviewedInputError(
            f"estimates: {bad[0]!r} is unknown or repeated",
            document=place,
            hint=f"each of: {', '.join(ESTIMATES)}, once",
        )
    colours = texts("chart_colours")
    if len(colours) != len(estimates) or not all(_COLOUR.match(c) for c in colours):
        raise ReviewedInputError(
            "chart_colours should give one lower-case #rrggbb colour per kind of estimate",
            document=place,
            text=repr(list(colours)),
            hint=f"{len(estimates)} colour(s), in the order of estimates",
        )
    stem = text("column_stem")
    if not _STEM.match(stem):
        raise ReviewedInputError(
            "column_stem should be lower-case letters, digits and _",
            document=place,
            text=stem,
            hint='e.g. column_stem = "soufan"',
        )
    refers_to = text("refers_to_date")
    try:
        date_precision(refers_to)
    except ValueError as exc:
        raise ReviewedInputError(
            f"refers_to_date: {exc}",
            document=place,
            text=refers_to,
            hint="the date or span the figures refer to, in ISO 8601 at the precision the "
            "source gives (e.g. 2015, 2014-12, 2011/2013-12-10)",
        ) from None
    row_flags = texts("row_flags") if "row_flags" in table else ()
    if any(flag not in ROW_FLAGS for flag in row_flags):
        raise ReviewedInputError(
            f"row_flags: {next(f for f in row_flags if f not in ROW_FLAGS)!r} is not a flag "
            "that a declaration may set",
            document=place,
            hint=f"one of: {', '.join(ROW_FLAGS)}",
        )
    extractor = text("extractor")
    if extractor not in EXTRACTORS:
        raise ReviewedInputError(
            f"unknown extractor {extractor!r}",
            document=place,
            hint=f"known extractors: {', '.join(sorted(EXTRACTORS))}",
        )
    layout = typed_field(table, "layout", dict, place)
    needed = EXTRACTORS[extractor].layout_keys
    if sorted(layout) != sorted(needed) or not all(  # type: ignore[call-overload]
        isinstance(v, str) and v.strip()
        for v in layout.values()  # type: ignore[union-attr]
    ):
        raise ReviewedInputError(
            f"layout of the {extractor} extractor should give exactly: {', '.join(needed)}",
            document=place,
            text=repr(layout),
            hint="each a non-empty string; see CONTRIBUTING.md, 'Adding a source'",
        )
    try:
        EXTRACTORS[extractor].check(layout, estimates)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ReviewedInputError(
            f"layout of the {extractor} extractor cannot work: {exc}",
            document=place,
            text=repr(layout),
            hint="see CONTRIBUTING.md, 'Adding a source', for what each layout key holds",
        ) from exc
    companion = typed_field(table, "companion_of", str, place, None)
    return CountryEstimates(
        label=text("label"),
        column_stem=stem,
        chart_colours=colours,
        estimates=estimates,
        refers_to_date=refers_to,
        row_flags=row_flags,
        what_it_counts=text("what_it_counts"),
        extractor=extractor,
        layout=tuple((k, str(v)) for k, v in layout.items()),  # type: ignore[union-attr]
        companion_of=str(companion) if companion is not None else None,
        declared_at=where,
    )


def check_declarations(sources: dict[str, SourceRecord]) -> None:
    """Declarations agree with each other: labels, column stems and chart colours unique;
    a companion is another declared source of the same document, with no cycle.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir, load_documents
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> check_declarations(read_sources(default_raw_dir(), docs))
    """
    declared = {k: s.country_estimates for k, s in sources.items() if s.country_estimates}
    for field in ("label", "column_stem", "chart_colours"):
        seen: dict[str, str] = {}
        for source_id, decl in declared.items():
            values = getattr(decl, field)
            for value in values if isinstance(values, tuple) else (values,):
                if value in seen:
                    raise ReviewedInputError(
                        f"sources {seen[value]!r} and {source_id!r} share the {field} {value!r}",
                        document=f"{decl.declared_at} [country_estimates]",
                        hint=f"give each source (and each kind of estimate) its own {field}",
                    )
                seen[value] = source_id
    for source_id, decl in declared.items():
        companion = decl.companion_of
        if companion is None:
            continue
        if companion == source_id or companion not in declared:
            problem = "is not another source with country estimates"
        elif sources[companion].file != sources[source_id].file:
            problem = "is printed in another document"
        elif declared[companion].companion_of is not None:  # type: ignore[union-attr]
            problem = "is itself the companion of another source"
        else:
            continue
        raise ReviewedInputError(
            f"source {source_id!r}: companion_of {companion!r} {problem}",
            document=f"{decl.declared_at} [country_estimates]",
            hint="name the source whose table this one accompanies in the same document, "
            "or remove companion_of",
        )
