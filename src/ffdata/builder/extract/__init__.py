"""Extractors: find a source's country table or list in a document by its content.

A declaration in sources.toml names the extractor and its ``layout`` (keys declared in
:data:`ffdata.builder.inputs.schema.LAYOUTS`); no layout is a regular expression.

Example:
    >>> sorted(EXTRACTORS)
    ['data-rows', 'inline-list', 'ranked-table']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ffdata.builder.extract.records import CountryFigure, SourceRecord
from ffdata.builder.inputs.manifest import Document
from ffdata.builder.inputs.schema import LAYOUTS
from ffdata.errors import ErrorCollector, ExtractionError, FfdataError

Layout = Mapping[str, object]


@dataclass(frozen=True)
class Extractor:
    """An extractor: its name and ``check``, which makes the reader and spec of a layout
    (ValueError says why it cannot work)."""

    name: str
    check: Callable[[Layout, tuple[str, ...]], tuple[Callable[[Document, Any], Any], Any]]

    @property
    def layout_keys(self) -> tuple[str, ...]:
        """The keys its ``layout`` gives.

        Example:
            >>> EXTRACTORS["ranked-table"].layout_keys
            ('name', 'caption', 'ranked_by')
        """
        return tuple(f.name for f in LAYOUTS[self.name].fields)

    def read(
        self, doc: Document, layout: Layout, estimates: tuple[str, ...]
    ) -> tuple[list[CountryFigure], int | None]:
        """The rows of ``doc`` as ``layout`` finds them (see :func:`extract_rows`), and the
        listing threshold the table or list prints (None when it prints none)."""
        reader, spec = self.check(layout, estimates)
        found = reader(doc, spec)
        return (found, None) if isinstance(found, list) else (found.rows, found.threshold)


def one_kind(estimates: tuple[str, ...], what: str) -> str:
    """The one kind of estimate a list or data file with one figure per country gives.

    Example:
        >>> one_kind(("official", "unofficial"), "an inline list")
        Traceback (most recent call last):
        ...
        ValueError: an inline list gives one figure per country: declare one kind of estimate, not ['official', 'unofficial']
    """
    if len(estimates) != 1:
        raise ValueError(
            f"{what} gives one figure per country: declare one kind of estimate, "
            f"not {list(estimates)}"
        )
    return estimates[0]


def _ranked(layout: Layout, estimates: tuple[str, ...]) -> tuple[Callable, Any]:
    from ffdata.builder.extract.ranked_tables import RankedTableSpec, read_ranked_table

    return read_ranked_table, RankedTableSpec.from_layout(layout, estimates)


def _inline(layout: Layout, estimates: tuple[str, ...]) -> tuple[Callable, Any]:
    from ffdata.builder.extract.inline_list import InlineListSpec, read_inline_list

    spec = InlineListSpec.from_layout(layout, one_kind(estimates, "an inline list"))
    return read_inline_list, spec


def _data(layout: Layout, estimates: tuple[str, ...]) -> tuple[Callable, Any]:
    from ffdata.builder.extract.data_rows import DataRowsSpec, read_data_rows

    return read_data_rows, DataRowsSpec.from_layout(layout, one_kind(estimates, "a data file"))


#: Extractor names that a source declaration may give as ``extractor``.
EXTRACTORS: dict[str, Extractor] = {
    e.name: e
    for e in (
        Extractor("ranked-table", _ranked),
        Extractor("inline-list", _inline),
        Extractor("data-rows", _data),
    )
}


def extract_rows(
    doc: Document, extractor: str, layout: Mapping[str, object], estimates: tuple[str, ...]
) -> list[CountryFigure]:
    """Run ``extractor`` on ``doc``: rows without a ``source_id``, with their ``footnote``.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
        >>> rows = extract_rows(doc, "ranked-table", {"name": "Table 1",
        ...     "caption": "Table 1:", "ranked_by": "official"}, ("official", "unofficial"))
        >>> rows[0].name_as_printed, rows[0].fighters, rows[0].footnote
        ('Tunisia', 6000, 17)
    """
    return EXTRACTORS[extractor].read(doc, layout, estimates)[0]


def _rows_of(doc: Document, source: SourceRecord) -> list[CountryFigure]:
    """The extractor's rows for ``source``, its listing threshold checked against the one
    printed; a refusal also names the declaration."""
    spec = source.country_estimates
    assert spec is not None
    try:
        rows, printed = EXTRACTORS[spec.extractor].read(doc, spec.layout_dict(), spec.estimates)
    except FfdataError as exc:
        raise type(exc)(
            exc.message,
            document=exc.document,
            line=exc.line,
            text=exc.text,
            table=exc.table,
            path=exc.path,
            hint=f"{exc.hint}; or, if the document is right, correct the layout that source "
            f"{source.source_id!r} declares ({spec.declared_at} [country_estimates])",
        ) from exc
    if printed != spec.listing_threshold:
        name = spec.layout_dict().get("name", spec.extractor)
        prints = "prints no listing threshold" if printed is None else f"prints {printed:,}"
        declared = (
            f"declares listing_threshold = {spec.listing_threshold}"
            if spec.listing_threshold is not None
            else "declares no listing_threshold"
        )
        raise ExtractionError(
            f"the {name} {prints} as the smallest figure it lists, but source "
            f"{source.source_id!r} {declared}",
            document=f"{spec.declared_at} [country_estimates]",
            hint="declare the threshold the document prints (listing_threshold and "
            'not_listed_means = "below_listing_threshold"), or none when it prints none',
        )
    return rows


def extract_country_figures(
    docs: dict[str, Document],
    sources: dict[str, SourceRecord],
    errors: ErrorCollector | None = None,
) -> list[CountryFigure]:
    """Run the extractor of every declaring source; each table must carry its source's footnote.

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir, load_documents, read_manifest
        >>> from ffdata.builder.review.sources import read_sources
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> rows = extract_country_figures(docs, read_sources(default_raw_dir(), docs))
        >>> rows[0].source_id, rows[0].name_as_printed
        ('soufan-2015', 'Tunisia')
    """
    collector = errors if errors is not None else ErrorCollector()
    out: list[CountryFigure] = []
    for source in sources.values():
        spec = source.country_estimates
        if spec is None or source.file not in docs:  # a missing document is already reported
            continue
        with collector.attempt():
            rows = _rows_of(docs[source.file], source)
            for row in rows:
                if row.footnote != source.footnote:
                    mark = (
                        "no footnote mark" if row.footnote is None else f"footnote {row.footnote}"
                    )
                    cited = (
                        "is named in the text only"
                        if source.footnote is None
                        else f"is cited by footnote {source.footnote}"
                    )
                    raise docs[source.file].refusal(
                        row.line,
                        f"{spec.layout_dict().get('name', spec.extractor)} carries {mark}, but "
                        f"source {source.source_id!r}, which declares it, {cited}",
                        "restore the footnote mark, or correct the source's declaration "
                        "in data/raw/sources.toml",
                        text=row.text_as_printed,
                    )
                out.append(replace(row, source_id=source.source_id))
    with collector.attempt():
        check_data_rows_read(docs, out)
    if errors is None:
        collector.raise_if_any()
    return out


def check_data_rows_read(docs: dict[str, Document], rows: list[CountryFigure]) -> None:
    """Every row of a data file is read by exactly one source (none is silently dropped).

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir, load_documents, read_manifest
        >>> check_data_rows_read(load_documents(read_manifest(default_raw_dir())), [])
        Traceback (most recent call last):
        ...
        ffdata.errors.ExtractionError: reference/icsr-foreign-fighters/data/icsr.csv:2: no source reads this row of the data file (7 of its 7 rows are unread): 'france,FRA,20150126,,,1200'
          hint: declare the source whose rows these are in data/raw/sources.toml (extractor data-rows), or correct a select_value
    """
    for doc in docs.values():
        if not doc.entry.provenance_file:
            continue
        read = Counter(row.line for row in rows if row.file == doc.file)
        body = [n for n in range(2, len(doc.lines) + 1) if doc.line(n).strip()]
        unread = [n for n in body if read[n] == 0]
        twice = [n for n in body if read[n] > 1]
        if unread or twice:
            line = (unread or twice)[0]
            problem = (
                f"no source reads this row of the data file ({len(unread)} of its "
                f"{len(body)} rows are unread)"
                if unread
                else "two sources read this row of the data file"
            )
            raise doc.refusal(
                line,
                problem,
                "declare the source whose rows these are in data/raw/sources.toml "
                "(extractor data-rows), or correct a select_value",
            )
