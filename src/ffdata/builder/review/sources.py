"""Reviewed sources: ``sources.toml``, each citation found once in its document, on the
line opening its ``footnote`` (or, without one, in the text), with its title, date and
URL printed there, in the footnote's ``continuation`` after a page break, or on the line
``printed_at`` (a heading or dateline the citation does not repeat).

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
    >>> from ffdata.builder.inputs.manifest import load_documents
    >>> sources = read_sources(default_raw_dir(), load_documents(read_manifest(default_raw_dir())))
    >>> sources["soufan-2015"].line, sources["reuters-data"].footnote
    (17, None)
"""

from __future__ import annotations

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
from ffdata.builder.inputs.reader import Entry
from ffdata.builder.inputs.reviewed import entry_document, read_entries
from ffdata.builder.inputs.reviewed_dates import entry_date
from ffdata.builder.inputs.schema import INPUTS
from ffdata.errors import ErrorCollector, ReviewedInputError

SOURCES_FILE = INPUTS["sources"].file


def read_sources(
    raw_dir: Path, docs: dict[str, Document], errors: ErrorCollector | None = None
) -> dict[str, SourceRecord]:
    """Read ``sources.toml`` and check each citation against its document (module example)."""
    out: dict[str, SourceRecord] = {}
    cited: dict[tuple[str, int], str] = {}
    collector = errors if errors is not None else ErrorCollector()
    for entry in read_entries(raw_dir, "sources"):
        with collector.attempt():
            record = _source(entry, docs)
            if record.footnote is not None:
                if (record.file, record.footnote) in cited:
                    raise ReviewedInputError(
                        f"footnote {record.footnote} of {record.file} is already the citation "
                        f"of source {cited[record.file, record.footnote]!r}",
                        document=str(entry.at("footnote")),
                        hint="one source per footnote: merge the two entries",
                    )
                cited[record.file, record.footnote] = record.source_id
            out[record.source_id] = record
    with collector.attempt():
        _check_declarations(out)
    if errors is None:
        collector.raise_if_any()
    return out


def _source(entry: Entry, docs: dict[str, Document]) -> SourceRecord:
    """One entry of sources.toml, its citation found and checked in its document."""
    source_id, footnote = entry["source_id"], entry["footnote"]
    doc = entry_document(docs, entry["cited_in"], entry.at("cited_in"))
    what = f"source {source_id!r}, " + (
        f"footnote {footnote}" if footnote is not None else "in-text attribution"
    )
    citing = _provenance_of(doc)
    if citing is not doc:
        what += f" in the provenance of {doc.file}"
    line, printed = locate_quote(citing, entry["citation"], what)
    if footnote is not None and citing is not doc:
        raise ReviewedInputError(
            f"{what}: a data file has no footnotes",
            document=str(entry.at("footnote")),
            hint="remove footnote; quote the citation from the file's provenance",
        )
    if footnote is not None and line != (
        expected := find_unique_line(doc, note_line_pattern(footnote), f"footnote {footnote}")
    ):
        raise doc.refusal(
            line,
            f"{what}: the citation is on line {line}, but footnote {footnote} is on "
            f"line {expected}",
            "quote the citation from the footnote itself",
            text=entry["citation"],
        )
    texts = [doc.line(line)] if citing is doc else [_provenance_item(citing, line)]
    continuation_line = None
    if entry["continuation"]:
        continuation_line = _continuation(doc, entry["continuation"], line, what)
        rest = doc.line(continuation_line)
        texts += [rest, texts[0].rstrip().removesuffix(">") + rest.strip()]
    _check_printed(entry, citing, line, texts, what)
    fields = ("producer", "title", "date_as_printed", "url", "second_hand", "note", "licence")
    declaration, value = _declaration(entry), entry["published_date"] or None
    date = entry_date(entry, "published_date", value, entry["date_as_printed"], ReviewedInputError)
    return SourceRecord(
        source_id=source_id,
        file=doc.file,
        footnote=footnote,
        line=line,
        citation_as_printed=printed,
        continuation_line=continuation_line,
        country_estimates=declaration,
        published_date=date[0] or "",
        **{key: entry[key] for key in fields},
    )


def _check_printed(entry: Entry, citing: Document, line: int, texts: list[str], what: str) -> None:
    """``title``, ``date_as_printed`` and ``url`` are printed in the citation's ``texts``, or
    on line ``printed_at``, which must then print one of them that the citation does not."""
    at = entry["printed_at"]
    if at is not None and not 1 <= at <= len(citing.lines):
        raise ReviewedInputError(
            f"{what}: printed_at {at} is not a line of {citing.file} (lines 1-{len(citing.lines)})",
            document=str(entry.at("printed_at")),
            hint="give the line that prints the title or date, or remove printed_at",
        )
    heading = [citing.line(at)] if at is not None else []
    needed = False
    for key in ("title", "date_as_printed", "url"):
        value = entry[key]
        if not value or any(quote_spans(text, value) for text in texts):
            continue
        if not any(quote_spans(text, value) for text in heading):
            where = "in the citation" + (f" or on line {at}" if at is not None else "")
            raise citing.refusal(
                line,
                f"{what}: {key} {value!r} is not printed {where}",
                f"copy the {key} exactly as the document prints it and, if the citation does "
                "not print it, give the line that does as printed_at; or leave it empty",
                text=texts[0],
            )
        needed = True
    if at is not None and not needed:
        raise citing.refusal(
            at,
            f"{what}: printed_at {at} prints no title, date or URL that the citation does not",
            "remove printed_at, or declare the title or date that line prints",
        )


def _continuation(doc: Document, continuation: str, line: int, what: str) -> int:
    """The line of a footnote's second part, printed after the footnote's own line."""
    found, _ = locate_quote(doc, continuation, f"{what}, continuation")
    if found <= line:
        raise doc.refusal(
            found,
            f"{what}: the continuation is on line {found}, before the footnote (line {line})",
            "quote the footnote's second part, printed after the page break",
            text=continuation,
        )
    return found


def _provenance_of(doc: Document) -> Document:
    """The text that cites a document's sources: itself, or a data file's provenance file."""
    if not doc.entry.provenance_file:
        return doc
    return Document(replace(doc.entry, file=doc.entry.provenance_file), doc.provenance_lines)


def _provenance_item(provenance: Document, line: int) -> str:
    """The list item of a provenance file that starts at ``line``, on one line."""
    parts = [provenance.line(line).strip()]
    for text in provenance.lines[line:]:
        if not text.strip() or text.lstrip().startswith("- "):
            break
        parts.append(text.strip())
    return " ".join(" ".join(parts).split())


def _declaration(entry: Entry) -> CountryEstimates | None:
    """``[sources.country_estimates]`` checked where the schema cannot (colours, date, layout)."""
    from ffdata.builder.extract import EXTRACTORS

    table = entry["country_estimates"]
    if table is None:
        return None
    estimates, colours = tuple(table["estimates"]), tuple(table["chart_colours"])
    if len(colours) != len(estimates):
        raise ReviewedInputError(
            "chart_colours should give one colour per kind of estimate",
            document=str(entry.at("country_estimates.chart_colours")),
            text=repr(list(colours)),
            hint=f"{len(estimates)} colour(s), in the order of estimates",
        )
    try:
        date_precision(table["refers_to_date"])
    except ValueError as exc:
        raise ReviewedInputError(
            f"refers_to_date: {exc}",
            document=str(entry.at("country_estimates.refers_to_date")),
            text=table["refers_to_date"],
            hint="the date or span the figures refer to, in ISO 8601 at the precision the "
            "source gives (e.g. 2015, 2014-12, 2011/2013-12-10)",
        ) from None
    _check_listing_rule(entry, table)
    extractor, layout = table["extractor"], table["layout"]
    try:
        EXTRACTORS[extractor].check(layout, estimates)
    except ValueError as exc:
        raise ReviewedInputError(
            f"layout of the {extractor} extractor cannot work: {exc}",
            document=str(entry.at("country_estimates.layout")),
            text=repr(layout),
            hint="see CONTRIBUTING.md, 'Adding a source', for what each layout key holds",
        ) from exc
    return CountryEstimates(
        **{k: table[k] for k in _COPIED},
        chart_colours=colours,
        estimates=estimates,
        row_flags=tuple(table["row_flags"]),
        layout=tuple(layout.items()),
        declared_at=str(entry.place),
    )


_COPIED = ("label", "column_stem", "refers_to_date", "what_it_counts", "extractor", "companion_of")
_COPIED += (
    "groups_counted",
    "place_counted",
    "count_kind",
    "not_listed_means",
    "listing_threshold",
)


def _check_listing_rule(entry: Entry, table: dict) -> None:
    """A ``listing_threshold`` is a positive number, given exactly when unlisted countries
    are ``below_listing_threshold``."""
    threshold, means = table["listing_threshold"], table["not_listed_means"]
    at = str(entry.at("country_estimates.listing_threshold"))
    if threshold is not None and threshold < 1:
        raise ReviewedInputError(
            f"listing_threshold {threshold} is not a number of people",
            document=at,
            hint="the smallest figure the source lists, as it prints it (e.g. 500)",
        )
    if (threshold is None) == (means == "below_listing_threshold"):
        problem = (
            "not_listed_means is below_listing_threshold, but no listing_threshold is given"
            if threshold is None
            else f"listing_threshold {threshold} is given, but not_listed_means is {means!r}"
        )
        raise ReviewedInputError(
            problem,
            document=str(entry.at("country_estimates.not_listed_means")),
            hint="a source that leaves out countries below a figure declares both "
            "listing_threshold = <that figure> and not_listed_means = "
            '"below_listing_threshold"; any other source declares neither',
        )


def _check_declarations(sources: dict[str, SourceRecord]) -> None:
    """Declarations agree: labels, stems and colours unique; companions valid, with no cycle."""
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
