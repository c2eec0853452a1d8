"""The ``country_names`` table: every way of writing a country the reader accepts, with its
:func:`ffdata.lookup.name_key` (the reader needs neither pycountry nor the builder).
"""

from __future__ import annotations

from collections.abc import Mapping

from ffdata.builder.countries.resolve import USER_ASSIGNED, Alias, Country, iso_countries
from ffdata.errors import CountryError
from ffdata.lookup import name_key

_ISO_KINDS = (
    ("alpha_3", "iso_alpha3"),
    ("alpha_2", "iso_alpha2"),
    ("numeric", "iso_numeric"),
    ("name", "iso_name"),
    ("official_name", "official_name"),
    ("common_name", "common_name"),
)


def country_name_records(
    printed: Mapping[str, Country],
    aliases: Mapping[str, Alias],
    parts: Mapping[str, Alias] | None = None,
) -> list[dict[str, str]]:
    """Return the rows of ``country_names``: ISO codes and names, ``aliases``, names as
    ``printed`` and ``parts`` of countries (whose names must mean nothing else).

    Example:
        >>> rows = country_name_records({}, {})
        >>> [(r["name_as_written"], r["kind"]) for r in rows if r["iso3"] == "XKX"]
        [('XKX', 'iso_alpha3'), ('XK', 'iso_alpha2'), ('Kosovo', 'iso_name')]
    """
    rows: dict[tuple[str, str, str], dict[str, str]] = {}

    def add(name: str, iso3: str, kind: str) -> None:
        rows.setdefault(
            (name, kind, iso3),
            {"name_as_written": name, "name_key": name_key(name), "iso3": iso3, "kind": kind},
        )

    for record in iso_countries():
        for attr, kind in _ISO_KINDS:
            value = record[attr]
            if value:
                add(value, str(record["alpha_3"]), kind)
    for country in USER_ASSIGNED.values():
        add(country.iso3, country.iso3, "iso_alpha3")
        add(country.iso2, country.iso3, "iso_alpha2")
        add(country.name, country.iso3, "iso_name")
    for alias in aliases.values():
        for iso3 in alias.iso3.split("|"):
            add(alias.name, iso3, "alias")
    for name, country in printed.items():
        add(name, country.iso3, "name_as_printed")
    taken = {r["name_key"]: r for r in rows.values()}
    for part in (parts or {}).values():
        key = name_key(part.name)
        if key in taken:
            raise CountryError(
                f"the part of a country {part.name!r} is also a country's name "
                f"({taken[key]['name_as_written']!r}, {taken[key]['kind']}, {taken[key]['iso3']})",
                document=part.file or None,
                line=part.line,
                text=part.name,
                hint="remove the row from the reviewed table of parts of countries (a "
                "country's name is not a part of one), and re-pin it",
            )
        add(part.name, part.iso3, "part_of")
    _check_one_country_per_key(list(rows.values()), aliases)
    return list(rows.values())


def _check_one_country_per_key(rows: list[dict[str, str]], aliases: Mapping[str, Alias]) -> None:
    """Refuse a lookup key of two countries, unless a reviewed alias lists both (``COG|COD``)."""
    by_key: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_key.setdefault(row["name_key"], []).append(row)
    declared = {name_key(a.name) for a in aliases.values() if "|" in a.iso3}
    for key, found in sorted(by_key.items()):
        codes = sorted({r["iso3"] for r in found})
        if len(codes) > 1 and key not in declared:
            names = ", ".join(f"{r['name_as_written']!r} ({r['kind']}, {r['iso3']})" for r in found)
            raise CountryError(
                f"a reader typing {key!r} would mean {' or '.join(codes)}: {names}",
                document="country_aliases.csv",
                hint="correct the alias in data/raw/country_aliases.csv, or list every code it "
                "may mean (e.g. COG|COD)",
            )
