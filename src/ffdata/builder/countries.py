"""Country names as printed -> ISO 3166-1 codes, with no guessing.

A name resolves through, in order: the reviewed alias table
(``reference/country_aliases.csv`` inside the package), then an exact,
case-insensitive match on an ISO 3166-1 short name, official name or common
name in pycountry. A leading article (``the UK``) is dropped before matching.
Anything else (no match, or matches to two countries) is a :class:`CountryError`
naming the document and line. There is no fuzzy matching.

Kosovo has no ISO 3166-1 code; it is given the user-assigned codes ``XKX`` /
``XK`` used by the World Bank and the European Union, and no numeric code.

Example:
    >>> resolve_country("U.K.").iso3
    'GBR'
    >>> resolve_country("Kosovo").iso2
    'XK'
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ffdata.errors import CountryError, ErrorCollector

if TYPE_CHECKING:
    from ffdata.builder.extract.records import CountryFigure

_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Country:
    """A resolved country: ISO alpha-3, alpha-2, numeric (``None`` for Kosovo) and name."""

    iso3: str
    iso2: str
    iso_numeric: int | None
    name: str


#: Codes outside ISO 3166-1 that the data uses, with the convention followed.
USER_ASSIGNED = {
    "XKX": Country(iso3="XKX", iso2="XK", iso_numeric=None, name="Kosovo"),
}


def name_key(name: str) -> str:
    """Return the matching key of a name: NFC, whitespace collapsed, casefolded, no leading "the".

    Example:
        >>> name_key("  the\\u00a0U.K. ")
        'u.k.'
    """
    text = unicodedata.normalize("NFC", name)
    text = " ".join(text.split())
    text = _ARTICLE.sub("", text)
    return text.casefold()


@dataclass(frozen=True)
class Alias:
    """One reviewed alias: a name as printed, the ISO alpha-3 it stands for, and why.

    An ambiguous name lists every code it could mean, separated by ``|``
    (``COG|COD``); resolving it is then an error.
    """

    name: str
    iso3: str
    note: str


@cache
def aliases() -> dict[str, Alias]:
    """Return the reviewed alias table, keyed by :func:`name_key`.

    Example:
        >>> aliases()["dutch"].iso3
        'NLD'
    """
    text = resources.files("ffdata").joinpath("reference/country_aliases.csv").read_text("utf-8")
    table: dict[str, Alias] = {}
    for row in csv.DictReader(text.splitlines()):
        alias = Alias(name=row["name"], iso3=row["iso3"], note=row["note"])
        table[name_key(alias.name)] = alias
    return table


@cache
def _iso_index() -> dict[str, frozenset[str]]:
    import pycountry

    index: dict[str, set[str]] = {}
    for record in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(record, attr, None)
            if value:
                index.setdefault(name_key(value), set()).add(record.alpha_3)
    return {key: frozenset(codes) for key, codes in index.items()}


def country_by_iso3(iso3: str) -> Country:
    """Return the :class:`Country` of an ISO alpha-3 code (or a user-assigned one).

    Example:
        >>> country_by_iso3("NLD").name
        'Netherlands'
    """
    if iso3 in USER_ASSIGNED:
        return USER_ASSIGNED[iso3]
    import pycountry

    record = pycountry.countries.get(alpha_3=iso3)
    if record is None:
        raise CountryError(
            f"{iso3!r} is not an ISO 3166-1 alpha-3 code",
            document="src/ffdata/reference/country_aliases.csv",
            text=iso3,
            hint="fix the code in src/ffdata/reference/country_aliases.csv",
        )
    name = getattr(record, "common_name", None) or record.name
    return Country(
        iso3=record.alpha_3, iso2=record.alpha_2, iso_numeric=int(record.numeric), name=name
    )


def candidates(name: str) -> frozenset[str]:
    """Return every alpha-3 code that ``name`` matches exactly (alias first).

    Example:
        >>> sorted(candidates("Bosnia"))
        ['BIH']
        >>> sorted(candidates("Narnia"))
        []
    """
    key = name_key(name)
    if key in aliases():
        return frozenset(aliases()[key].iso3.split("|"))
    return _iso_index().get(key, frozenset())


def resolve_country(name: str, *, document: str | None = None, line: int | None = None) -> Country:
    """Resolve a country name as printed to exactly one :class:`Country`, or raise.

    Example:
        >>> resolve_country("Dutch").iso3
        'NLD'
        >>> resolve_country("Narnia", document="doc.txt", line=7)
        Traceback (most recent call last):
        ...
        ffdata.errors.CountryError: doc.txt:7: country name resolves to no ISO 3166-1 country: 'Narnia'
          hint: if the name is right, add a reviewed row to src/ffdata/reference/country_aliases.csv
    """
    found = candidates(name)
    if not found:
        raise CountryError(
            "country name resolves to no ISO 3166-1 country",
            document=document,
            line=line,
            text=name,
            hint="if the name is right, add a reviewed row to "
            "src/ffdata/reference/country_aliases.csv",
        )
    if len(found) > 1:
        raise CountryError(
            f"country name resolves to more than one country ({', '.join(sorted(found))})",
            document=document,
            line=line,
            text=name,
            hint="add a reviewed row to src/ffdata/reference/country_aliases.csv that picks one",
        )
    (iso3,) = found
    return country_by_iso3(iso3)


def resolve_countries(
    rows: list[CountryFigure], errors: ErrorCollector | None = None
) -> dict[str, Country]:
    """Resolve every name as printed; return name as printed -> :class:`Country`.

    Example:
        >>> from ffdata.builder.extract.records import CountryFigure
        >>> row = CountryFigure("s", "official", 1, 1, "Dutch", "d.txt", 3, "Dutch")
        >>> resolve_countries([row])["Dutch"].iso3
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
                    row.name_as_printed, document=row.file, line=row.line
                )
    if errors is None:
        collector.raise_if_any()
    return resolved
