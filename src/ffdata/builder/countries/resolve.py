"""Country names as printed -> ISO 3166-1 codes, with no guessing: the reviewed aliases,
then an exact, case-insensitive ISO 3166-1 name (a leading "the" dropped); Kosovo is
``XKX``/``XK``, user-assigned.

Example:
    >>> from ffdata.builder.inputs.manifest import default_raw_dir, read_manifest
    >>> resolve_country("U.K.", read_aliases(read_manifest(default_raw_dir()))).iso3
    'GBR'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from ffdata.builder.inputs.manifest import REPIN_COMMAND, Manifest, read_verified
from ffdata.builder.inputs.reference_csv import parse_csv
from ffdata.builder.inputs.schema import INPUTS
from ffdata.errors import CountryError, ErrorCollector
from ffdata.lookup import name_key as lookup_key

if TYPE_CHECKING:
    from ffdata.builder.extract.records import CountryFigure

#: The ``[[reviewed]]`` entry of manifest.toml that holds the alias table.
ALIASES_ID = "country-aliases"
#: The reviewed table of parts of countries (England -> GBR), read like the aliases.
PARTS_ID = "country-parts"
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_ALPHA3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Country:
    """A resolved country: ISO alpha-3, alpha-2, numeric (``None`` for Kosovo) and name."""

    iso3: str
    iso2: str
    iso_numeric: int | None
    name: str


#: Codes outside ISO 3166-1 that the data uses, with the convention followed.
USER_ASSIGNED = {"XKX": Country(iso3="XKX", iso2="XK", iso_numeric=None, name="Kosovo")}


def name_key(name: str) -> str:
    """Return the matching key of a name: NFC, whitespace collapsed, casefolded, no leading "the".

    Example:
        >>> name_key("  the\\u00a0U.K. ")
        'u.k.'
    """
    return _ARTICLE.sub("", " ".join(unicodedata.normalize("NFC", name).split())).casefold()


@dataclass(frozen=True)
class Alias:
    """One reviewed alias: a name as printed, the alpha-3 code(s) it stands for (``COG|COD``:
    ambiguous), and why.
    """

    name: str
    iso3: str
    note: str
    file: str = field(default="", compare=False)
    line: int | None = field(default=None, compare=False)


def read_aliases(manifest: Manifest, reviewed_id: str = ALIASES_ID) -> dict[str, Alias]:
    """Read a reviewed alias table (``[[reviewed]]`` ``reviewed_id``), checked; keyed by
    :func:`name_key`.

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir, read_manifest
        >>> table = read_aliases(read_manifest(default_raw_dir()))
        >>> table["dutch"].iso3, table["congo"].iso3
        ('NLD', 'COG|COD')
    """
    entry = manifest.reviewed_table(reviewed_id)
    data = read_verified(manifest.raw_dir, entry.file, entry.sha256, entry.size)
    hint = (
        "write each row as name,iso3,note on one line (quote a note that holds a comma), "
        f"then re-pin the file: `{REPIN_COMMAND}`"
    )
    spec = INPUTS["aliases" if reviewed_id == ALIASES_ID else "parts"]
    table: dict[str, Alias] = {}
    for row in parse_csv(data, entry.file, spec, hint):
        alias = Alias(**row.values, file=entry.file, line=row.place.line)
        unknown = [
            c for c in alias.iso3.split("|") if c not in USER_ASSIGNED and not _iso_record(c)
        ]
        key = name_key(alias.name)
        if not lookup_key(alias.name):
            problem = "alias has no name (only spaces or punctuation)"
            fix = "give the name as printed in the first column"
        elif unknown:
            problem = f"{unknown[0]!r} is not an ISO 3166-1 alpha-3 code"
            fix = "fix the code (or list every code an ambiguous name may mean, separated by '|')"
        elif key in table:
            problem = f"alias {alias.name!r} is listed twice (as {table[key].name!r} too)"
            fix = "keep one row per name"
        else:
            problem = ""
        if problem:
            raise CountryError(problem, **row.place.keywords(), text=alias.name, hint=fix)
        table[key] = alias
    return table


@cache
def _iso_record(iso3: str) -> Any:
    import pycountry

    return pycountry.countries.get(alpha_3=iso3)


def iso_countries() -> Iterator[dict[str, str | None]]:
    """Yield every ISO 3166-1 country of pycountry: codes and names (``None`` when absent).

    Example:
        >>> next(c for c in iso_countries() if c["alpha_3"] == "NLD")["numeric"]
        '528'
    """
    import pycountry

    for record in pycountry.countries:
        yield {
            "alpha_3": record.alpha_3,
            "alpha_2": record.alpha_2,
            "numeric": record.numeric,
            "name": record.name,
            "official_name": getattr(record, "official_name", None),
            "common_name": getattr(record, "common_name", None),
        }


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
    record = _iso_record(iso3)
    if record is None:
        raise CountryError(
            f"{iso3!r} is not an ISO 3166-1 alpha-3 code",
            document="ISO 3166-1 (pycountry)",
            text=iso3,
            hint="give an ISO 3166-1 alpha-3 code (or XKX for Kosovo)",
        )
    name = getattr(record, "common_name", None) or record.name
    return Country(
        iso3=record.alpha_3, iso2=record.alpha_2, iso_numeric=int(record.numeric), name=name
    )


def candidates(name: str, aliases: Mapping[str, Alias]) -> frozenset[str]:
    """Return every alpha-3 code that ``name`` matches exactly (alias first).

    Example:
        >>> sorted(candidates("Bosnia and Herzegovina", {})), sorted(candidates("Narnia", {}))
        (['BIH'], [])
    """
    key = name_key(name)
    if key in aliases:
        return frozenset(aliases[key].iso3.split("|"))
    return _iso_index().get(key, frozenset())


def resolve_country(
    name: str,
    aliases: Mapping[str, Alias],
    *,
    document: str | None = None,
    line: int | None = None,
) -> Country:
    """Resolve a country name as printed to exactly one :class:`Country`, or raise.

    Example:
        >>> resolve_country("Narnia", {}, document="doc.txt", line=7)
        Traceback (most recent call last):
        ...
        ffdata.errors.CountryError: doc.txt:7: country name resolves to no ISO 3166-1 country: 'Narnia'
          hint: if the name is right, add a reviewed row to country_aliases.csv of the raw folder (and its new sha256 and size to manifest.toml)
    """
    found = candidates(name, aliases)
    if not found:
        raise CountryError(
            "country name resolves to no ISO 3166-1 country",
            document=document,
            line=line,
            text=name,
            hint="if the name is right, add a reviewed row to country_aliases.csv of the raw "
            "folder (and its new sha256 and size to manifest.toml)",
        )
    if len(found) > 1:
        raise CountryError(
            f"country name resolves to more than one country ({', '.join(sorted(found))})",
            document=document,
            line=line,
            text=name,
            hint="add a reviewed row to country_aliases.csv of the raw folder that picks one "
            "(and its new sha256 and size to manifest.toml)",
        )
    (iso3,) = found
    return country_by_iso3(iso3)


def resolve_countries(
    rows: list[CountryFigure], aliases: dict[str, Alias], errors: ErrorCollector | None = None
) -> dict[str, Country]:
    """Resolve every name as printed; return name as printed -> :class:`Country`.

    Example:
        >>> from ffdata.builder.extract.records import CountryFigure
        >>> row = CountryFigure("s", "official", 1, 1, "Norway", "d.txt", 3, "Norway")
        >>> resolve_countries([row], {})["Norway"].iso3
        'NOR'
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
        if row.code_as_printed is not None and row.name_as_printed in resolved:
            with collector.attempt():
                check_code(row, resolved[row.name_as_printed], aliases)
    if errors is None:
        collector.raise_if_any()
    return resolved


def check_code(row: CountryFigure, country: Country, aliases: Mapping[str, Alias]) -> None:
    """A data file's country code (resolved like a name) must mean the country of its name.

    Example:
        >>> from ffdata.builder.extract.records import CountryFigure
        >>> row = CountryFigure("s", "reported", 5, None, "austria", "d.csv", 3,
        ...                     "austria,AUS,1,,,5", code_as_printed="AUS")
        >>> check_code(row, resolve_country("austria", {}), {})
        Traceback (most recent call last):
        ...
        ffdata.errors.CountryError: d.csv:3: country code 'AUS' means AUS, but the name 'austria' is AUT: 'austria,AUS,1,,,5'
          hint: correct the code or the name in the file (and its sha256 in manifest.toml); a code outside ISO 3166-1 needs a reviewed alias
    """
    code = row.code_as_printed or ""
    meant = candidates(code, aliases) if code.strip() else frozenset()
    if not meant and _ALPHA3.fullmatch(code) and _iso_record(code) is not None:
        meant = frozenset({code})
    if meant != {country.iso3}:
        means = ", ".join(sorted(meant)) or "no country"
        raise CountryError(
            f"country code {code!r} means {means}, but the name {row.name_as_printed!r} is "
            f"{country.iso3}",
            document=row.file,
            line=row.line,
            text=row.text_as_printed,
            hint="correct the code or the name in the file (and its sha256 in manifest.toml); "
            "a code outside ISO 3166-1 needs a reviewed alias",
        )
