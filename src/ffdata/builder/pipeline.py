"""The pipeline as pure steps: raw folder in, validated tables (pandas) out.

Each step is a function of its declared inputs only; nothing here writes a
file. :mod:`ffdata.builder.publish` writes the result, :mod:`ffdata.builder.build` runs both.

1. :func:`load_documents`  - manifest + sha256 check of every document
2. :func:`ffdata.builder.reviewed.read_sources` / ``read_figures`` - reviewed, quote-checked
3. :func:`extract_country_figures` - tables and lists, found by content
4. :func:`resolve_countries` - names as printed -> ISO codes, no guessing
5. :func:`assemble_tables` - the tables as typed DataFrames
6. :func:`ffdata.builder.validate.validate_tables` - schemas, keys, the documents' own checks

Example:
    >>> from ffdata.builder.inputs import default_raw_dir
    >>> result = run_pipeline(default_raw_dir())
    >>> sorted(result.tables)  # doctest: +NORMALIZE_WHITESPACE
    ['aggregate_figures', 'countries', 'country_estimates', 'country_names', 'documents',
     'regional_totals', 'sources']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ffdata.builder.countries import Alias, Country, read_aliases, resolve_country
from ffdata.builder.country_names import country_name_records
from ffdata.builder.extract.inline_list import read_iep_list
from ffdata.builder.extract.ranked_tables import SOUFAN_TABLE_1, SOUFAN_TABLE_2, read_ranked_table
from ffdata.builder.extract.records import AggregateFigure, CountryFigure, SourceRecord
from ffdata.builder.inputs import Document, Manifest, load_document, read_manifest
from ffdata.builder.per_capita import (
    POPULATION_YEAR,
    per_million,
    population_for,
    reference_year,
    regional_totals,
)
from ffdata.builder.population import read_population
from ffdata.builder.regions import Region, read_regions
from ffdata.builder.reviewed import read_figures, read_sources
from ffdata.errors import ErrorCollector, ExtractionError, ManifestError, ValidationError
from ffdata.reading import dtypes
from ffdata.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

    from ffdata.builder.coverage import CoverageReport


@dataclass(frozen=True)
class Extracted:
    """Country rows of one extractor, plus what it learnt that validation needs."""

    rows: list[CountryFigure]
    iep_threshold: int | None = None


def _soufan_1(doc: Document) -> Extracted:
    return Extracted(read_ranked_table(doc, SOUFAN_TABLE_1))


def _soufan_2(doc: Document) -> Extracted:
    return Extracted(read_ranked_table(doc, SOUFAN_TABLE_2))


def _iep(doc: Document) -> Extracted:
    rows, threshold = read_iep_list(doc)
    return Extracted(rows, threshold)


#: Extractor names that manifest.toml may list under a document's ``extract``.
EXTRACTORS: dict[str, Callable[[Document], Extracted]] = {
    "soufan-table-1": _soufan_1,
    "soufan-table-2": _soufan_2,
    "iep-gti-2015-list": _iep,
}


@dataclass(frozen=True)
class PipelineResult:
    """The validated tables and the inputs they came from."""

    manifest: Manifest
    documents: dict[str, Document]
    tables: dict[str, pd.DataFrame]
    coverage: CoverageReport | None = None


def load_documents(manifest: Manifest, errors: ErrorCollector | None = None) -> dict[str, Document]:
    """Step 1: read every document of the manifest, each checked against its sha256.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> len(docs["002_882cd01f73eb6394.txt"].lines)
        247
    """
    collector = errors if errors is not None else ErrorCollector()
    docs = {}
    for entry in manifest.documents:
        with collector.attempt():
            docs[entry.file] = load_document(manifest, entry.file)
    if errors is None:
        collector.raise_if_any()
    return docs


def extract_country_figures(
    manifest: Manifest,
    docs: dict[str, Document],
    sources: dict[str, SourceRecord],
    errors: ErrorCollector | None = None,
) -> tuple[list[CountryFigure], int | None]:
    """Step 3: run the extractors each document lists; give rows their ``source_id``.

    A table or list names its source by a footnote mark; the source is the entry
    of ``sources.toml`` cited by that footnote of that document.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
        >>> m = read_manifest(default_raw_dir())
        >>> docs = load_documents(m)
        >>> rows, threshold = extract_country_figures(m, docs, read_sources(m.raw_dir, docs))
        >>> len(rows), threshold
        (106, 500)
    """
    collector = errors if errors is not None else ErrorCollector()
    by_footnote = {(s.file, s.footnote): s.source_id for s in sources.values()}
    rows: list[CountryFigure] = []
    threshold = None
    for entry in manifest.documents:
        for name in entry.extract:
            with collector.attempt():
                found = _run_extractor(manifest, docs, entry.file, name)
                if found.iep_threshold is not None:
                    threshold = found.iep_threshold
                for row in found.rows:
                    footnote = int(row.source_id.removeprefix("footnote:"))
                    source_id = by_footnote.get((row.file, footnote))
                    if source_id is None:
                        raise ExtractionError(
                            f"{name}: footnote {footnote} cites no source of sources.toml",
                            document=row.file,
                            line=row.line,
                            hint="add the source cited by that footnote to data/raw/sources.toml",
                        )
                    rows.append(replace(row, source_id=source_id))
    if errors is None:
        collector.raise_if_any()
    return rows, threshold


def _run_extractor(
    manifest: Manifest, docs: dict[str, Document], file: str, name: str
) -> Extracted:
    if name not in EXTRACTORS:
        raise ManifestError(
            f"unknown extractor {name!r} for {file}",
            document=str(manifest.raw_dir / "manifest.toml"),
            hint=f"known extractors: {', '.join(sorted(EXTRACTORS))}",
        )
    if file not in docs:  # the document itself failed; its error is already recorded
        return Extracted([])
    return EXTRACTORS[name](docs[file])


def resolve_countries(
    rows: list[CountryFigure], aliases: dict[str, Alias], errors: ErrorCollector | None = None
) -> dict[str, Country]:
    """Step 4: resolve every name as printed; return name as printed -> :class:`Country`.

    ``aliases`` is the reviewed alias table of the raw folder (``read_aliases``).

    Example:
        >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
        >>> aliases = read_aliases(read_manifest(default_raw_dir()))
        >>> row = CountryFigure("s", "official", 1, 1, "Dutch", "d.txt", 3, "Dutch")
        >>> resolve_countries([row], aliases)["Dutch"].iso3
        'NLD'
    """
    collector = errors if errors is not None else ErrorCollector()
    resolved: dict[str, Country] = {}
    tried: set[str] = set()
    for row in rows:
        if row.name_as_printed not in tried:
            tried.add(row.name_as_printed)
            with collector.attempt():
                resolved[row.name_as_printed] = resolve_country(
                    row.name_as_printed, aliases, document=row.file, line=row.line
                )
    if errors is None:
        collector.raise_if_any()
    return resolved


def _none_if_empty(value: str) -> str | None:
    return value if value else None


def assemble_tables(
    manifest: Manifest,
    docs: dict[str, Document],
    sources: dict[str, SourceRecord],
    figures: list[AggregateFigure],
    rows: list[CountryFigure],
    countries: dict[str, Country],
    regions: dict[str, Region],
    population: dict[tuple[str, int], int],
) -> dict[str, pd.DataFrame]:
    """Step 5: the tables as DataFrames with the declared dtypes and row order.

    Joins UN M49 regions and World Bank population to the countries, adds
    per-capita rates to the estimates and derives the regional totals.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> tables = run_pipeline(default_raw_dir()).tables
        >>> tables["country_estimates"].dtypes["fighters"]
        Int64Dtype()
    """
    doc_id = {e.file: e.document_id for e in manifest.documents}
    records: dict[str, list[dict]] = {}
    records["documents"] = [
        {
            "document_id": e.document_id,
            "file": e.file,
            "sha256": e.sha256,
            "size_bytes": e.size,
            "lines": len(docs[e.file].lines),
            "title": _none_if_empty(e.title),
            "author": _none_if_empty(e.author),
            "publisher": _none_if_empty(e.publisher),
            "date_as_printed": _none_if_empty(e.date_as_printed),
            "url": _none_if_empty(e.url),
            "url_found_online": _none_if_empty(e.url_found_online),
            "date_found_online": _none_if_empty(e.date_found_online),
            "note": e.note,
            "licence_note": e.licence_note,
        }
        for e in manifest.documents
    ]
    records["sources"] = [
        {
            "source_id": s.source_id,
            "producer": s.producer,
            "title": _none_if_empty(s.title),
            "date_as_printed": _none_if_empty(s.date_as_printed),
            "url": _none_if_empty(s.url),
            "document_id": doc_id[s.file],
            "footnote": s.footnote,
            "line": s.line,
            "citation_as_printed": s.citation_as_printed,
            "second_hand": s.second_hand,
            "note": _none_if_empty(s.note),
        }
        for s in sources.values()
    ]
    used = {countries[r.name_as_printed].iso3: countries[r.name_as_printed] for r in rows}
    missing = sorted(iso3 for iso3 in used if iso3 not in regions)
    if missing:
        raise ValidationError(
            f"no UN M49 region for {', '.join(missing)}",
            document="countries",
            hint="add the region to ffdata.builder.regions.ASSIGNED with a note, or fix the country",
        )
    records["countries"] = [
        {
            "iso3": c.iso3,
            "iso2": c.iso2,
            "iso_numeric": c.iso_numeric,
            "name": c.name,
            "region": regions[c.iso3].region,
            "subregion": regions[c.iso3].subregion,
            "region_note": regions[c.iso3].note,
            "population_2015": population_for(c.iso3, POPULATION_YEAR, population, c.name),
        }
        for c in used.values()
    ]
    by_iso3 = {c["iso3"]: c for c in records["countries"]}
    records["country_estimates"] = [
        {
            "source_id": r.source_id,
            "iso3": countries[r.name_as_printed].iso3,
            "estimate": r.estimate,
            "fighters": r.fighters,
            "reference_year": reference_year(r.source_id, document=r.file, line=r.line),
            "fighters_per_million": per_million(
                r.fighters, by_iso3[countries[r.name_as_printed].iso3]["population_2015"]
            ),
            "rank_as_printed": r.rank_as_printed,
            "name_as_printed": r.name_as_printed,
            "document_id": doc_id[r.file],
            "line": r.line,
            "text_as_printed": r.text_as_printed,
            "flags": ";".join(sorted(r.flags)) or None,
        }
        for r in rows
    ]
    records["aggregate_figures"] = [
        {
            "figure_id": f.figure_id,
            "source_id": f.source_id,
            "producer": f.producer,
            "document_id": doc_id[f.file],
            "line": f.line,
            "text_as_printed": f.text_as_printed,
            "metric": f.metric,
            "value": f.value,
            "value_low": f.value_low,
            "value_high": f.value_high,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "refers_to": f.refers_to,
            "population": f.population,
        }
        for f in figures
    ]
    records["regional_totals"] = regional_totals(records["country_estimates"], by_iso3)
    records["country_names"] = country_name_records(countries, read_aliases(manifest))
    return {name: to_frame(name, records[name]) for name in TABLES}


def to_frame(name: str, records: list[dict]) -> pd.DataFrame:
    """Build table ``name`` from row dicts: declared column order, dtypes and sort order.

    Example:
        >>> to_frame("countries", []).columns.tolist()[:2]
        ['iso3', 'iso2']
    """
    import pandas as pd

    table = TABLES[name]
    columns = [c.name for c in table.columns]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame.astype(dtypes(name))
    if table.sort_by and len(frame):
        frame = frame.sort_values(list(table.sort_by), kind="stable", na_position="last")
    return frame.reset_index(drop=True)


def run_pipeline(raw_dir: Path | str) -> PipelineResult:
    """Run every step on a raw folder; return validated tables or raise an FfdataError.

    Example: see the module docstring.
    """
    from ffdata.builder.coverage import check_coverage
    from ffdata.builder.validate import validate_tables

    errors = ErrorCollector()  # each stage reports all its errors, then the run stops
    manifest = read_manifest(raw_dir)
    docs = load_documents(manifest, errors)
    errors.raise_if_any()
    sources = read_sources(manifest.raw_dir, docs, errors)
    figures = read_figures(manifest.raw_dir, docs, sources, errors)
    rows, threshold = extract_country_figures(manifest, docs, sources, errors)
    aliases = None
    with errors.attempt():
        aliases = read_aliases(manifest)
    countries = resolve_countries(rows, aliases, errors) if aliases is not None else {}
    errors.raise_if_any()
    with errors.attempt():
        coverage = check_coverage(manifest.raw_dir, docs, figures, rows)
    errors.raise_if_any()
    regions = read_regions(manifest)
    population = read_population(manifest)
    tables = assemble_tables(manifest, docs, sources, figures, rows, countries, regions, population)
    validate_tables(tables, docs=docs, manifest=manifest, iep_threshold=threshold)
    return PipelineResult(manifest=manifest, documents=docs, tables=tables, coverage=coverage)
