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
    >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
    >>> from ffdata.builder.pipeline import load_documents
    >>> docs = load_documents(read_manifest(default_raw_dir()))
    >>> sources = read_sources(default_raw_dir(), docs)
    >>> sources["soufan-2015"].footnote, sources["soufan-2015"].line
    (17, 138)
    >>> sources["reuters-data"].footnote is None, sources["reuters-data"].line
    (True, 163)
"""

from __future__ import annotations

from pathlib import Path

from ffdata.builder.extract.records import SourceRecord
from ffdata.builder.extract.text import (
    find_unique_line,
    locate_quote,
    note_line_pattern,
    quote_pattern,
)
from ffdata.builder.inputs import Document
from ffdata.builder.toml_input import entry_document, new_id, read_toml_entries, typed_field
from ffdata.errors import ErrorCollector, ExtractionError, ReviewedInputError

SOURCES_FILE = "sources.toml"


def note_line(doc: Document, number: int) -> int:
    """Return the line that opens footnote or note ``number``: ``17 ...``, ``<sup>18</sup> ...``
    or ``[4] ...``.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, load_document, default_raw_dir
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
            line, printed = locate_quote(doc, citation, what)
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
            texts = [doc.line(line)]
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
            )
            if not record.producer.strip():
                raise ReviewedInputError(
                    f"{what}: producer is empty", document=where, hint="name it"
                )
            for key in ("title", "date_as_printed", "url"):
                value = getattr(record, key)
                if value and not any(quote_pattern(value).search(text) for text in texts):
                    raise ExtractionError(
                        f"{what}: {key} {value!r} is not printed in the citation",
                        document=doc.file,
                        line=line,
                        text=texts[0],
                        hint=f"copy the {key} exactly as the document prints it, or leave it empty",
                    )
            out[source_id] = record
    if errors is None:
        collector.raise_if_any()
    return out
