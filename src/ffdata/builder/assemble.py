"""Assemble the tables: documents, sources, countries, estimates, figures, regional totals.

Joins UN M49 regions and World Bank population to the countries, adds
per-million rates (:mod:`ffdata.builder.per_capita`) and gives every table its
declared columns, dtypes and row order (:mod:`ffdata.tables`).

Example:
    >>> to_frame("countries", []).columns.tolist()[:2]
    ['iso3', 'iso2']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ffdata.builder.countries import country_by_iso3
from ffdata.builder.country_names import country_name_records
from ffdata.builder.dates import date_precision
from ffdata.builder.per_capita import (
    POPULATION_YEAR,
    per_million,
    population_for,
    reference_year,
    regional_totals,
)
from ffdata.errors import ValidationError
from ffdata.reading import dtypes
from ffdata.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

    from ffdata.builder.extract.records import AggregateFigure, SourceRecord
    from ffdata.builder.pipeline import BuildState


def _none_if_empty(value: str) -> str | None:
    return value if value else None


def figure_countries(figures: list[AggregateFigure]) -> set[str]:
    """Return the ISO alpha-3 codes of the countries that aggregate figures concern.

    Example:
        >>> figure_countries([])
        set()
    """
    return {iso3 for f in figures if (iso3 := getattr(f, "iso3", None))}


def declaration_columns(source: SourceRecord) -> dict[str, object]:
    """Return the ``sources`` columns that come from a source's declaration.

    Example:
        >>> from ffdata.builder.extract.records import SourceRecord
        >>> s = SourceRecord("x", "X", "", "", "", "d.txt", None, 1, "X", False, "")
        >>> declaration_columns(s)["label"] is None
        True
    """
    decl = source.country_estimates
    return {
        "licence": _none_if_empty(source.licence),
        "label": decl.label if decl else None,
        "what_it_counts": decl.what_it_counts if decl else None,
        "estimate_kinds": ";".join(decl.estimates) if decl else None,
        "reference_year": decl.reference_year if decl else None,
        "column_stem": decl.column_stem if decl else None,
        "chart_colours": ";".join(decl.chart_colours) if decl else None,
        "companion_of": decl.companion_of if decl else None,
    }


def assemble_tables(state: BuildState) -> dict[str, pd.DataFrame]:
    """The tables as DataFrames with the declared dtypes and row order.

    Joins UN M49 regions and World Bank population to the countries, adds
    per-capita rates to the estimates and derives the regional totals.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> from ffdata.builder.pipeline import run_stages
        >>> tables = assemble_tables(run_stages(default_raw_dir(), until="coverage"))
        >>> tables["country_estimates"].dtypes["fighters"]
        Int64Dtype()
    """
    assert state.manifest is not None
    manifest, docs, sources = state.manifest, state.documents, state.sources
    figures, rows, countries = state.figures, state.rows, state.countries
    regions, population = state.regions, state.population
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
            "published_date": _none_if_empty(e.published_date),
            "published_precision": date_precision(e.published_date) if e.published_date else None,
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
            **declaration_columns(s),
        }
        for s in sources.values()
    ]
    used = {countries[r.name_as_printed].iso3: countries[r.name_as_printed] for r in rows}
    for iso3 in sorted(figure_countries(figures)):
        used.setdefault(iso3, country_by_iso3(iso3))
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
            "reference_year": reference_year(sources[r.source_id], document=r.file, line=r.line),
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
            "topic": getattr(f, "topic", None),
            "metric": f.metric,
            "iso3": getattr(f, "iso3", None),
            "value": f.value,
            "value_low": f.value_low,
            "value_high": f.value_high,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "refers_to": f.refers_to,
            "refers_to_date": getattr(f, "refers_to_date", None),
            "refers_to_precision": getattr(f, "refers_to_precision", None),
            "population": f.population,
        }
        for f in figures
    ]
    records["regional_totals"] = regional_totals(records["country_estimates"], by_iso3)
    records["country_names"] = country_name_records(countries, state.aliases)
    return {name: to_frame(name, records[name]) for name in TABLES}


def to_frame(name: str, records: list[dict]) -> pd.DataFrame:
    """Build table ``name`` from row dicts: declared column order, dtypes and sort order.

    Example: see the module docstring.
    """
    import pandas as pd

    table = TABLES[name]
    columns = [c.name for c in table.columns]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame.astype(dtypes(name))
    if table.sort_by and len(frame):
        frame = frame.sort_values(list(table.sort_by), kind="stable", na_position="last")
    return frame.reset_index(drop=True)
