"""Assemble the tables, with regions, populations, per-million rates and regional totals
joined in, each with its declared columns, dtypes and row order (:mod:`ffdata.tables`).

Example:
    >>> to_frame("countries", []).columns.tolist()[:2]
    ['iso3', 'iso2']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ffdata.builder.countries.country_names import country_name_records
from ffdata.builder.countries.per_capita import (
    FIGURES,
    POPULATION_YEAR,
    per_million,
    population_for,
    population_year,
    regional_totals,
)
from ffdata.builder.countries.resolve import country_by_iso3
from ffdata.builder.inputs.dates import date_precision, period_end_year
from ffdata.errors import ValidationError
from ffdata.reading import dtypes
from ffdata.tables import TABLES

if TYPE_CHECKING:
    from ffdata.builder.countries.resolve import Country
    from ffdata.builder.extract.records import CountryFigure, SourceRecord
    from ffdata.builder.state import BuildState


def _iso_date(stem: str, value: str | None) -> dict[str, str | None]:
    """Return the two columns of a date as data (``<stem>_date``, ``<stem>_precision``)."""
    precision = date_precision(value) if value else None
    return {f"{stem}_date": value or None, f"{stem}_precision": precision}


def _refers_to_year(value: str | None) -> dict[str, int | None]:
    """``refers_to_year``: the year a date or span ends in (empty without a date)."""
    return {"refers_to_year": period_end_year(value) if value else None}


def assemble_tables(state: BuildState) -> dict[str, pd.DataFrame]:
    """Return the tables as DataFrames with the declared dtypes and row order.

    Example:
        >>> from ffdata.builder.pipeline import run_stages
        >>> tables = assemble_tables(run_stages("data/raw", until="coverage"))
        >>> tables["country_estimates"].dtypes["fighters"]
        Int64Dtype()
    """
    assert state.manifest is not None
    sources, figures, rows, countries = state.sources, state.figures, state.rows, state.countries
    doc_id = {e.file: e.document_id for e in state.manifest.documents}
    records: dict[str, list[dict]] = {
        "documents": _document_records(state),
        "sources": [_source_record(s, doc_id[s.file]) for s in sources.values()],
        "countries": _country_records(state),
        "country_estimates": [
            _estimate_record(r, sources[r.source_id], countries[r.name_as_printed], state, doc_id)
            for r in rows
        ],
        "aggregate_figures": [
            {
                **{c.name: getattr(f, c.name, None) for c in TABLES["aggregate_figures"].columns},
                **_refers_to_year(f.refers_to_date),
                "document_id": doc_id[f.file],
            }
            for f in figures
        ],
        "country_names": country_name_records(countries, state.aliases, state.parts),
    }
    by_iso3 = {c["iso3"]: c for c in records["countries"]}
    records["regional_totals"] = regional_totals(records["country_estimates"], by_iso3)
    return {name: to_frame(name, records[name]) for name in TABLES}


def _document_records(state: BuildState) -> list[dict]:
    """The ``documents`` rows: each manifest entry, its size and lines."""
    optional = ("title", "author", "publisher", "date_as_printed", "url", "url_found_online")
    optional += ("date_found_online", "provenance_file", "main_text_lines")
    as_is = ("document_id", "file", "sha256", "note", "licence_note")
    return [
        {
            **{name: getattr(e, name) for name in as_is},
            **{name: getattr(e, name) or None for name in optional},
            **_iso_date("published", e.published_date),
            "size_bytes": e.size,
            "lines": len(state.documents[e.file].lines),
        }
        for e in state.manifest.documents  # type: ignore[union-attr]
    ]


#: The universe columns of ``sources``, copied from the declaration.
_UNIVERSE = ("groups_counted", "place_counted", "count_kind", "listing_threshold")
_UNIVERSE += ("not_listed_means",)


def _source_record(source: SourceRecord, document_id: str) -> dict[str, object]:
    """One ``sources`` row: the source as cited and its declaration."""
    as_is = ("source_id", "producer", "footnote", "line", "citation_as_printed", "second_hand")
    decl = source.country_estimates
    return {
        **{name: getattr(source, name) for name in as_is},
        **{
            name: getattr(source, name) or None
            for name in ("title", "date_as_printed", "url", "note")
        },
        **_iso_date("published", source.published_date),
        "document_id": document_id,
        "licence": source.licence or None,
        "label": decl.label if decl else None,
        "what_it_counts": decl.what_it_counts if decl else None,
        **{name: getattr(decl, name) if decl else None for name in _UNIVERSE},
        "estimate_kinds": ";".join(decl.estimates) if decl else None,
        **_iso_date("refers_to", decl.refers_to_date if decl else ""),
        "column_stem": decl.column_stem if decl else None,
        "chart_colours": ";".join(decl.chart_colours) if decl else None,
        "companion_of": decl.companion_of if decl else None,
    }


def _country_records(state: BuildState) -> list[dict]:
    """The ``countries`` rows: every country a row or figure names, with region and people."""
    regions, countries = state.regions, state.countries
    used = {countries[r.name_as_printed].iso3: countries[r.name_as_printed] for r in state.rows}
    for iso3 in sorted({iso3 for f in state.figures if (iso3 := getattr(f, "iso3", None))}):
        used.setdefault(iso3, country_by_iso3(iso3))  # a country only aggregate figures name
    missing = sorted(iso3 for iso3 in used if iso3 not in regions)
    if missing:
        raise ValidationError(
            f"no UN M49 region for {', '.join(missing)}",
            document="countries",
            hint="add the region to ffdata.builder.countries.regions.ASSIGNED with a note, or fix the country",
        )
    return [
        {
            **{name: getattr(c, name) for name in ("iso3", "iso2", "iso_numeric")},
            "country_name": c.name,
            **{name: getattr(regions[c.iso3], name) for name in ("region", "subregion")},
            "region_note": regions[c.iso3].note,
            "population_2015": population_for(c.iso3, POPULATION_YEAR, state.population, c.name),
        }
        for c in used.values()
    ]


def _estimate_record(
    row: CountryFigure,
    source: SourceRecord,
    country: Country,
    state: BuildState,
    doc_id: dict[str, str],
) -> dict[str, object]:
    """One ``country_estimates`` row: the figure as printed, its dates, population and rates."""
    assert source.country_estimates is not None
    year = population_year(source, document=row.file, line=row.line)
    people = population_for(country.iso3, year, state.population, country.name)
    flags = set(row.flags) | set(source.country_estimates.row_flags)
    if row.code_as_printed is not None and row.code_as_printed != country.iso3:
        flags.add("code_not_iso3")
    figures = {figure: getattr(row, figure) for figure in FIGURES}
    return {
        "source_id": row.source_id,
        "iso3": country.iso3,
        "estimate": row.estimate,
        **figures,
        **_iso_date("refers_to", source.country_estimates.refers_to_date),
        **_refers_to_year(source.country_estimates.refers_to_date),
        **_iso_date("published", source.published_date),
        "population_year": year,
        "population": people,
        **{f"{k}_per_million": per_million(v, people) for k, v in figures.items()},
        "rank_as_printed": row.rank_as_printed,
        "name_as_printed": row.name_as_printed,
        "document_id": doc_id[row.file],
        "line": row.line,
        "text_as_printed": row.text_as_printed,
        "oddities": ";".join(sorted(flags)) or None,
    }


def to_frame(name: str, records: list[dict]) -> pd.DataFrame:
    """Build table ``name`` from row dicts: declared column order, dtypes and sort order.
    Example: see the module docstring."""
    table = TABLES[name]
    declared = dtypes(name)
    # one typed array a column: half the time of from_records + astype
    frame = pd.DataFrame(
        {
            c.name: pd.array([record.get(c.name) for record in records], dtype=declared[c.name])
            for c in table.columns
        }
    )
    if table.sort_by and len(frame):
        frame = frame.sort_values(list(table.sort_by), kind="stable", na_position="last")
    return frame.reset_index(drop=True)
