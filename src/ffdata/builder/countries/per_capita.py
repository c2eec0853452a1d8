"""Per-capita rates (by the population of the year a source's ``refers_to_date`` ends in)
and regional totals.

Example:
    >>> per_million(6000, 11_402_264)
    526.21
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ffdata.builder.inputs.dates import period_end_year
from ffdata.errors import ValidationError

if TYPE_CHECKING:
    from ffdata.builder.extract.records import SourceRecord

#: The year whose population ``countries.population_2015`` holds.
POPULATION_YEAR = 2015
#: The most fighters per million inhabitants a figure may give (1%).
MAX_FIGHTERS_PER_MILLION = 10_000
FIGURES = ("fighters", "fighters_low", "fighters_high")


def per_million(fighters: int | None, population: int) -> float | None:
    """Return fighters per million inhabitants, rounded to 2 decimals (None for no figure).
    Example: see the module docstring."""
    if fighters is None:
        return None
    return round(fighters / population * 1_000_000, 2)


def population_year(source: SourceRecord, *, document: str, line: int) -> int:
    """Return the year whose population a source's per-million rates use, or raise.

    Example:
        >>> from ffdata.builder.extract.records import CountryEstimates, SourceRecord
        >>> decl = CountryEstimates("D", "d", ("#000000",), ("reported",), "2011/2013-12-10",
        ...                         "x", "l", ())
        >>> s = SourceRecord("d", "D", "", "", "", "d.txt", None, 1, "D", False, "",
        ...                  country_estimates=decl)
        >>> population_year(s, document="d.txt", line=1)
        2013
    """
    if source.country_estimates is None:
        hint = "declare [sources.country_estimates] in data/raw/sources.toml"
        why = f"source {source.source_id!r} has country figures but no declaration"
        raise ValidationError(why, document=document, line=line, hint=hint)
    return period_end_year(source.country_estimates.refers_to_date)


def population_for(iso3: str, year: int, population: dict[tuple[str, int], int], name: str) -> int:
    """Return the population of ``iso3`` in ``year``.

    Example:
        >>> population_for("TUN", 2015, {("TUN", 2015): 11402264}, "Tunisia")
        11402264
    """
    value = population.get((iso3, year))
    if value is None:
        hint = "check the country code, or the pinned population file"
        why = f"no World Bank population for {name} ({iso3}) in {year}"
        raise ValidationError(why, document="countries", hint=hint)
    return value


def regional_totals(estimates: Iterable[dict], countries: dict[str, dict]) -> list[dict]:
    """Sum ``estimates`` per source, estimate and region / sub-region of ``countries``; a sum
    with a range in it is a range. Countries without a figure are left out.

    Example:
        >>> row = {"source_id": "s", "estimate": "official", "iso3": "A", "fighters": 10,
        ...        "fighters_low": None, "fighters_high": None, "population": 10**6,
        ...        "population_year": 2015}
        >>> [(t["area"], t["fighters"]) for t in regional_totals([row], {"A": {"region": "R", "subregion": "S"}})]
        [('R', 10), ('S', 10)]
    """
    groups: dict[tuple[str, str, str, str], list[dict]] = defaultdict(list)
    for row in estimates:
        if row["fighters"] is None and row["fighters_low"] is None:
            continue
        country = countries[row["iso3"]]
        for level in ("region", "subregion"):
            groups[row["source_id"], row["estimate"], level, country[level]].append(row)
    out = []
    for key in sorted(groups):
        members = groups[key]
        years = {row["population_year"] for row in members}
        if len(years) != 1:
            hint = "a source declares one refers_to_date for all its rows"
            why = f"rows of source {key[0]!r} use populations of several years ({sorted(years)})"
            raise ValidationError(why, table="country_estimates", hint=hint)
        population = sum(row["population"] for row in members)
        ranged = any(row["fighters"] is None for row in members)
        total = {
            "fighters": None if ranged else sum(row["fighters"] for row in members),
            "fighters_low": sum(_end(row, "fighters_low") for row in members) if ranged else None,
            "fighters_high": sum(_end(row, "fighters_high") for row in members) if ranged else None,
        }
        source_id, estimate, level, area = key
        out.append(
            {
                "source_id": source_id,
                "estimate": estimate,
                "level": level,
                "area": area,
                "country_count": len(members),
                **total,
                "population_year": years.pop(),
                "population": population,
                **{f"{k}_per_million": per_million(v, population) for k, v in total.items()},
            }
        )
    return out


def _end(row: dict, end: str) -> int:
    return row[end] if row["fighters"] is None else row["fighters"]
