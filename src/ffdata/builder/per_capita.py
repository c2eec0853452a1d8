"""Per-capita rates and regional totals: derived columns and tables, computed reproducibly.

Fighters per million inhabitants divide a figure by the World Bank population
of the year the figure refers to: the ``reference_year`` that each source
declares in ``data/raw/sources.toml`` (with the reason in its note), published
in ``country_estimates.reference_year`` and ``sources.reference_year``.

Example:
    >>> per_million(6000, 11_402_264)
    526.21
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ffdata.errors import ValidationError

if TYPE_CHECKING:
    from ffdata.builder.extract.records import SourceRecord

#: The year whose population ``countries.population_2015`` holds.
POPULATION_YEAR = 2015


def per_million(fighters: int, population: int) -> float:
    """Return fighters per million inhabitants, rounded to 2 decimals.

    Example:
        >>> per_million(760, 65_088_000)
        11.68
    """
    return round(fighters / population * 1_000_000, 2)


def reference_year(source: SourceRecord, *, document: str, line: int) -> int:
    """Return the declared reference year of a source's country figures, or raise.

    Example:
        >>> from ffdata.builder.extract.records import CountryEstimates, SourceRecord
        >>> decl = CountryEstimates("D", "d", ("#000000",), ("reported",), 2015, "x", "l", ())
        >>> s = SourceRecord("d", "D", "", "", "", "d.txt", None, 1, "D", False, "",
        ...                  country_estimates=decl)
        >>> reference_year(s, document="d.txt", line=1)
        2015
    """
    if source.country_estimates is None:
        raise ValidationError(
            f"source {source.source_id!r} has country figures but no declaration",
            document=document,
            line=line,
            hint="declare [sources.country_estimates] in data/raw/sources.toml",
        )
    year = source.country_estimates.reference_year
    if year != POPULATION_YEAR:
        raise ValidationError(
            f"source {source.source_id!r} refers to {year}, but countries carry population "
            f"for {POPULATION_YEAR} only",
            document=document,
            line=line,
            hint="add a population column for that year",
        )
    return year


def population_for(iso3: str, year: int, population: dict[tuple[str, int], int], name: str) -> int:
    """Return the population of ``iso3`` in ``year``; a missing one is an error naming the country.

    Example:
        >>> population_for("TUN", 2015, {("TUN", 2015): 11402264}, "Tunisia")
        11402264
    """
    value = population.get((iso3, year))
    if value is None:
        raise ValidationError(
            f"no World Bank population for {name} ({iso3}) in {year}",
            document="countries",
            hint="check the country code, or the pinned population file",
        )
    return value


def regional_totals(estimates: Iterable[dict], countries: dict[str, dict]) -> list[dict]:
    """Sum figures per source, estimate and region / sub-region; never across sources.

    ``estimates`` are country_estimates rows, ``countries`` maps iso3 to its
    countries row (region, subregion, population_2015).

    Example:
        >>> rows = [{"source_id": "s", "estimate": "official", "iso3": "A", "fighters": 10},
        ...         {"source_id": "s", "estimate": "official", "iso3": "B", "fighters": 5}]
        >>> countries = {"A": {"region": "R", "subregion": "S", "population_2015": 1_000_000},
        ...              "B": {"region": "R", "subregion": "T", "population_2015": 4_000_000}}
        >>> [(t["level"], t["area"], t["countries"], t["fighters"], t["fighters_per_million"])
        ...  for t in regional_totals(rows, countries)]
        [('region', 'R', 2, 15, 3.0), ('subregion', 'S', 1, 10, 10.0), ('subregion', 'T', 1, 5, 1.25)]
    """
    groups: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    fighters: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for row in estimates:
        country = countries[row["iso3"]]
        for level in ("region", "subregion"):
            key = (row["source_id"], row["estimate"], level, country[level])
            groups[key].append(row["iso3"])
            fighters[key] += row["fighters"]
    out = []
    for key in sorted(groups):
        members = groups[key]
        population = sum(countries[iso3]["population_2015"] for iso3 in members)
        source_id, estimate, level, area = key
        out.append(
            {
                "source_id": source_id,
                "estimate": estimate,
                "level": level,
                "area": area,
                "countries": len(members),
                "fighters": fighters[key],
                "population_2015": population,
                "fighters_per_million": per_million(fighters[key], population),
            }
        )
    return out
