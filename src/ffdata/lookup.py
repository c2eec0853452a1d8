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


# --- sources as people type them ---------------------------------------------------------

#: Words that name nothing on their own: a query of only these (or of numbers) is no name.
_FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)
#: Words that say who a producer is ("the document's author"), never a name of one: not
#: suggested for a misspelt source (a document's author is a source only by name, "Niu").
_ROLE_WORDS = frozenset(["author", "authors", "document", "documents"])
#: A producer's names inside it: each part in parentheses, and the text around them.
_PARENTHESES = re.compile(r"\(([^()]*)\)")
#: A suggested source name must be at least this close (difflib's ratio of the keys).
_SOURCE_CLOSENESS = 0.6


def source_key(text: str) -> str:
    """Return the matching key of a source's name: :func:`name_key`, with "&" read as "and".

    Example:
        >>> source_key("Institute for Economics & Peace"), source_key("soufan-2015")
        ('institute for economics and peace', 'soufan 2015')
    """
    return name_key(str(text).replace("&", " and "))


def _names_a_thing(key: str) -> bool:
    """True when the words of ``key`` hold one that can name something (not "of", not 2015)."""
    return any(w not in _FUNCTION_WORDS and not w.isdigit() for w in key.split())


def _whole_names(source: dict) -> list[str]:
    """A ``sources`` row's id, label (if any) and producer."""
    label = [] if source["label"] is None else [source["label"]]
    return [source["source_id"], *label, source["producer"]]


def _source_names(source: dict) -> list[str]:
    """The names people may type for a ``sources`` row: its whole names, and the producer's
    parts (each part in parentheses, each comma-separated part) that name something."""
    producer = source["producer"]
    inner = _PARENTHESES.findall(producer)
    outer = " ".join(_PARENTHESES.sub(" ", producer).split())
    parts = [p.strip() for text in (outer, *inner) for p in text.split(",")]
    names = [*_whole_names(source), *(p for p in parts if _names_a_thing(source_key(p)))]
    return list(dict.fromkeys(names))


def _sources_table() -> list[dict]:
    """The ``sources`` rows (id, label, producer) as dicts of text, a missing label None."""
    from ffdata.display import is_missing
    from ffdata.loading import load

    sources = load("sources", columns=["source_id", "label", "producer"])
    return [
        {k: (None if is_missing(v) else str(v)) for k, v in row.items()}
        for row in sources.astype("object").to_dict("records")
    ]


def _is_proper(name: str) -> bool:
    """True when ``name`` holds a proper name: a capitalised word, not a role word.

    Example:
        >>> _is_proper("Soufan"), _is_proper("the document's author"), _is_proper("Author")
        (True, False, False)
    """
    return any(
        w[0].isupper() and w.lower() not in _ROLE_WORDS and _names_a_thing(source_key(w))
        for w in re.findall(r"[^\W_]+", name)
    )


def _within(words: list[str], name: str) -> bool:
    """True when ``words`` are consecutive whole words of ``name``'s key."""
    whole = source_key(name).split()
    return any(whole[i : i + len(words)] == words for i in range(len(whole) - len(words) + 1))


def find_sources(query: str) -> list[str]:
    """Return the ids of the sources ``query`` names, in the order of the ``sources`` table:
    a source id, a label as ``compare()`` shows it or a producer, as people type them (any
    case, spaces, hyphens and punctuation). A name equal to a source's id, label or whole
    producer names the sources it equals; otherwise the sources whose id, label or producer
    holds its words in a row ("Soufan", "ICSR", "IEP"), which may be several. A name of no
    source is refused with the closest names.

    Example:
        >>> find_sources("Soufan 2015"), find_sources("soufan-2015"), find_sources("soufan")
        (['soufan-2015'], ['soufan-2015'], ['soufan-2015'])
        >>> find_sources("ICSR"), find_sources("Institute for Economics and Peace")
        (['icsr-2015-01'], ['iep-gti-2015'])
    """
    if not isinstance(query, str):
        raise UnknownNameError(
            f"a source is a name written as text, not {type(query).__name__}",
            hint="a source id, label or producer: ffdata.load('sources') lists them",
        )
    sources = _sources_table()
    key = source_key(query)
    if _names_a_thing(key):
        equal = [s for s in sources if key in {source_key(n) for n in _whole_names(s)}]
        words = key.split()
        held = equal or [s for s in sources if any(_within(words, n) for n in _source_names(s))]
        if held:
            return [s["source_id"] for s in held]
    raise _unknown_source(query, sources)


def find_source(query: str) -> str:
    """Return the id of the one source ``query`` names (as :func:`find_sources` reads it); a
    name of several sources is refused, naming each with its id.

    Example:
        >>> find_source("Soufan 2015"), find_source("IEP")
        ('soufan-2015', 'iep-gti-2015')
    """
    found = find_sources(query)
    if len(found) == 1:
        return found[0]
    shown = {s["source_id"]: s["label"] or s["producer"] for s in _sources_table()}
    raise UnknownNameError(
        f"{query.strip()!r} names {len(found)} sources: "
        + "; ".join(f"{source_id} ({shown[source_id]})" for source_id in found),
        hint=f"give one of the ids {', '.join(found)}",
    )


def _unknown_source(query: str, sources: list[dict]) -> UnknownNameError:
    """The refusal of ``query``, a name of no source, with the closest names people type:
    ids, labels, producers, their parts and the proper names among their words (capitalised:
    "Soufan", "Niu"; not a description such as "the document's author"), closest first, and
    no source in two suggestions (a name whose sources a closer one already gives is left out).

    Example:
        >>> print(_unknown_source("Sufan", _sources_table()).hint.split("?")[0])
        did you mean Soufan (soufan-2015)
    """
    import difflib

    named: dict[str, tuple[str, set[str]]] = {}  # key -> (a spelling, the ids it names)
    for source in sources:
        names = [*_whole_names(source), *filter(_is_proper, _source_names(source))]
        words = re.findall(r"[^\W_]{4,}", " ".join(names[1:]))
        for name in dict.fromkeys([*names, *filter(_is_proper, words)]):
            named.setdefault(source_key(name), (name, set()))[1].add(source["source_id"])
    close = difflib.get_close_matches(
        source_key(query), list(named), n=MAX_SUGGESTIONS, cutoff=_SOURCE_CLOSENESS
    )
    shown: list[str] = []
    given: set[str] = set()  # the sources already suggested
    for key in close:
        name, ids = named[key]
        if not ids & given:
            given |= ids
            shown.append(name if ids == {name} else f"{name} ({', '.join(sorted(ids))})")
    suggestion = f"did you mean {'; '.join(shown)}? " if shown else ""
    return UnknownNameError(
        "unknown source",
        text=query.strip(),
        hint=f"{suggestion}a source id, label or producer: ffdata.load('sources') lists them "
        "(columns source_id, label, producer)",
    )
