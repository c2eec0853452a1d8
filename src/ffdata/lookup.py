"""Countries as people type them -> ISO alpha-3, from the published ``country_names`` table.

A query normalised by :func:`name_key` (as the build normalised the names) must match
exactly one country: no fuzzy matching; a near miss is an error naming the closest names.

Example:
    >>> find_country("UK"), find_country("netherlands"), find_country("tn")
    ('GBR', 'NLD', 'TUN')
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ffdata.errors import UnknownNameError

if TYPE_CHECKING:
    import pandas as pd

#: Dropped without a trace, so that ``U.K.`` = ``UK`` and ``d'Ivoire`` = ``dIvoire``.
_DROPPED = re.compile(r"[.'\u2019`]")
#: Any other run of punctuation, symbols or spaces becomes one space.
_SEPARATORS = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"^the ")
#: Kinds of ``country_names`` rows that are codes, not names (not offered as suggestions).
_CODE_KINDS = ("iso_alpha3", "iso_alpha2", "iso_numeric")


def name_key(text: str) -> str:
    """Return the matching key of a country name or code (see ``country_names.name_key``).

    Example:
        >>> name_key("  the U.K. "), name_key("Côte d'Ivoire"), name_key("4")
        ('uk', 'cote divoire', '004')
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    key = _ARTICLE.sub("", _SEPARATORS.sub(" ", _DROPPED.sub("", plain)).strip())
    return key.zfill(3) if key.isdigit() else key


def find_country(query: str, with_estimates: bool = True) -> str:
    """Return the ISO alpha-3 code of a country of the dataset, as a user types it: any ISO
    code or name, a name as printed or a reviewed alias, in any case, with or without
    accents. A part of a country, a country without figures (unless ``with_estimates`` is
    False) and a name of two countries are refused, saying what to type instead.

    Example:
        >>> find_country("Dutch"), find_country("XK"), find_country("528")
        ('NLD', 'XKX', 'NLD')
    """
    from ffdata.loading import load

    if not isinstance(query, str):
        raise UnknownNameError(
            f"a country is a name or code written as text, not {type(query).__name__}",
            hint="e.g. 'Tunisia', 'TUN' or '788'",
        )
    text = query.strip()
    if len(text) > 100:  # no country name is this long
        raise UnknownNameError(
            "unknown country: the name is longer than any country's",
            text=text,
            hint="give an ISO 3166-1 code or name",
        )
    names = load("country_names", columns=["name_as_written", "name_key", "iso3", "kind"])
    with_figures = set(load("country_estimates", columns=["iso3"])["iso3"])
    matched = names[names["name_key"] == name_key(text)]
    found = sorted(set(matched["iso3"]))
    whole = set(matched["kind"]) != {"part_of"}
    if len(found) == 1 and whole and (found[0] in with_figures or not with_estimates):
        return found[0]
    raise _refusal(text, names, found, whole, with_figures)


def _refusal(
    text: str, names: pd.DataFrame, found: list[str], whole: bool, with_figures: set[str]
) -> UnknownNameError:
    """Why ``text``, which matched the countries ``found``, is no answer."""
    from ffdata.loading import load

    if len(found) > 1:
        return UnknownNameError(
            f"{text!r} may mean more than one country: "
            + ", ".join(f"{_country_name(names, c)} ({c})" for c in found),
            hint=f"give one of the codes {', '.join(found)} or the full name",
        )
    if not found:
        suggestions = _close_names(text, names, with_figures)
        suggestion = f"did you mean {', '.join(suggestions)}? " if suggestions else ""
        return UnknownNameError(
            f"unknown country {text!r}",
            hint=f"{suggestion}Any ISO 3166-1 code or name, or a name as printed in the sources "
            "(table country_names)",
        )
    (iso3,) = found
    name = _country_name(names, iso3)
    if not whole:
        return UnknownNameError(
            f"{text!r} is a part of {name} ({iso3}); the sources give figures for whole countries",
            hint=f"ask for {iso3}: the figures of {name}"
            if iso3 in with_figures
            else f"and there are no figures for {name} either",
        )
    about = load("aggregate_figures", columns=["iso3"])["iso3"].eq(iso3).sum()
    mentioned = (
        f"; aggregate_figures has {about} figure{'s' * (about != 1)} about it "
        f"(table aggregate_figures, iso3 {iso3})"
        if about
        else ""
    )
    return UnknownNameError(
        f"no figures for {name} ({iso3}): no source in this dataset gives an estimate for it",
        hint=f"ffdata.compare({iso3!r}) (or `ffdata compare {iso3}`) shows what the package "
        f"holds about it and why each source lists no figure{mentioned}",
    )


#: At most this many suggestions for a name that matches nothing.
MAX_SUGGESTIONS = 5
#: A suggestion must be at least this close (difflib's ratio of the matching keys).
_CLOSENESS = 0.75
#: Names this short (codes and abbreviations: UK, USA, KSA) are never guessed at or offered.
_SHORTEST_GUESSED = 5


def _close_names(text: str, names: pd.DataFrame, with_figures: set[str]) -> list[str]:
    """At most :data:`MAX_SUGGESTIONS` names of countries with figures close to ``text``, each
    with its country; never codes, nothing for a query too short to guess from."""
    import difflib

    key = name_key(text)
    if len(key) < _SHORTEST_GUESSED:
        return []
    words = names[
        ~names["kind"].isin((*_CODE_KINDS, "part_of"))
        & names["iso3"].isin(with_figures)
        & (names["name_key"].str.len() >= _SHORTEST_GUESSED)
    ]
    spellings = (
        words.sort_values("name_as_written").drop_duplicates("name_key").set_index("name_key")
    )
    close = difflib.get_close_matches(
        key, list(spellings.index), n=MAX_SUGGESTIONS, cutoff=_CLOSENESS
    )
    out = []
    for match in close:
        name, iso3 = spellings.loc[match, "name_as_written"], spellings.loc[match, "iso3"]
        country = _country_name(names, iso3)
        out.append(f"{name} ({iso3})" if name == country else f"{name} ({country}, {iso3})")
    return out


def country_name(iso3: str) -> str:
    """Return the name a person knows the country ``iso3`` by (any ISO 3166-1 country).

    Example:
        >>> country_name("IRN"), country_name("XKX")
        ('Iran', 'Kosovo')
    """
    from ffdata.loading import load

    names = load("country_names", columns=["name_as_written", "iso3", "kind"])
    return _country_name(names, iso3)


def _country_name(names: pd.DataFrame, iso3: str) -> str:
    """The name a person knows ``iso3`` by: its common name, else its ISO short name unless
    that is inverted ("Palestine, State of"), else its official name."""
    rows = names[names["iso3"] == iso3]
    by_kind = {k: str(v) for k, v in zip(rows["kind"], rows["name_as_written"], strict=True)}
    if "common_name" in by_kind:
        return by_kind["common_name"]
    short = by_kind.get("iso_name", iso3)
    return by_kind.get("official_name", short) if "," in short else short
