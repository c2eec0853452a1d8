"""Countries as people type them -> ISO alpha-3, from the published ``country_names`` table.

The table (built with the data, shipped with it) lists every ISO 3166-1
country's codes and names, Kosovo (``XKX`` / ``XK``), the reviewed aliases and
the names as printed in the documents, each with its matching key. A query is
normalised by :func:`name_key`, the same function the build used for the keys,
and must match exactly one country. No fuzzy matching: a near miss is an error
that lists the closest names. Needs only pandas and pyarrow (no pycountry).

Example:
    >>> find_country("UK"), find_country("netherlands"), find_country("tn")
    ('GBR', 'NLD', 'TUN')
    >>> find_country("Syria")
    Traceback (most recent call last):
    ...
    ffdata.errors.UnknownNameError: 'Syria' (SYR) has no figures in this dataset's country tables
      hint: ffdata.load('country_estimates') covers 76 countries; figures about one country in aggregate_figures carry its iso3
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from ffdata.errors import UnknownNameError

#: Dropped without a trace, so that ``U.K.`` = ``UK`` and ``d'Ivoire`` = ``dIvoire``.
_DROPPED = re.compile(r"[.'\u2019`]")
#: Any other run of punctuation, symbols or spaces becomes one space.
_SEPARATORS = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"^the ")
#: Kinds of ``country_names`` rows that are codes, not names (not offered as suggestions).
_CODE_KINDS = ("iso_alpha3", "iso_alpha2", "iso_numeric")


def name_key(text: str) -> str:
    """Return the matching key of a country name or code as a person may type it.

    Accents stripped, casefolded, full stops and apostrophes dropped, any other
    punctuation or spacing collapsed to one space, a leading "the" dropped, and
    numeric codes padded to three digits.

    Example:
        >>> name_key("  the U.K. "), name_key("Côte d'Ivoire"), name_key("Bosnia-Herzegovina")
        ('uk', 'cote divoire', 'bosnia herzegovina')
        >>> name_key("Türkiye"), name_key("4")
        ('turkiye', '004')
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    key = _SEPARATORS.sub(" ", _DROPPED.sub("", plain)).strip()
    key = _ARTICLE.sub("", key)
    if key.isdigit() and len(key) < 3:
        key = key.zfill(3)
    return key


def find_country(query: str) -> str:
    """Return the ISO alpha-3 code of a country of the dataset, as a user types it.

    Accepts ISO alpha-3, alpha-2 and numeric codes, ISO names (short, official,
    common), the names as printed in the sources and the reviewed aliases
    (``"UK"``, ``"Dutch"``), in any case and with or without accents.

    Example:
        >>> find_country("GBR"), find_country("Dutch"), find_country("turkiye"), find_country("XK")
        ('GBR', 'NLD', 'TUR', 'XKX')
        >>> find_country("Tunsia")
        Traceback (most recent call last):
        ...
        ffdata.errors.UnknownNameError: unknown country 'Tunsia'
          hint: did you mean Tunisia, Russia, Austria? Any ISO 3166-1 code or name, or a name as printed in the sources (ffdata.load('country_names'))
    """
    from ffdata.api import load

    if not isinstance(query, str):
        raise UnknownNameError(
            f"a country is a name or code written as text, not {type(query).__name__}",
            hint="e.g. compare('Tunisia'), compare('TUN') or compare('788')",
        )
    text = query.strip()
    if len(text) > 100:  # no country name is this long; keep the message short
        raise UnknownNameError(
            "unknown country: the name is longer than any country's",
            text=text,
            hint="give an ISO 3166-1 code or name",
        )
    names = load("country_names", columns=["name", "name_key", "iso3", "kind"])
    with_figures = set(load("country_estimates", columns=["iso3"])["iso3"])
    found = sorted(set(names.loc[names["name_key"] == name_key(text), "iso3"]))
    if len(found) == 1:
        (iso3,) = found
        if iso3 in with_figures:
            return iso3
        raise UnknownNameError(
            f"{text!r} ({iso3}) has no figures in this dataset's country tables",
            hint=f"ffdata.load('country_estimates') covers {len(with_figures)} countries; "
            "figures about one country in aggregate_figures carry its iso3",
        )
    if found:
        raise UnknownNameError(
            f"{text!r} may mean more than one country ({', '.join(found)})",
            hint=f"give one of the codes {', '.join(found)} or the full name",
        )
    words = names[~names["kind"].isin(_CODE_KINDS) & names["iso3"].isin(with_figures)]
    # One spelling per matching key ("Tunisia", not also "tunisia"), the first in sort order.
    spellings = words.sort_values("name").drop_duplicates("name_key")["name"]
    close = difflib.get_close_matches(text, sorted(spellings), n=3, cutoff=0.6)
    suggestion = f"did you mean {', '.join(close)}? " if close else ""
    raise UnknownNameError(
        f"unknown country {text!r}",
        hint=f"{suggestion}Any ISO 3166-1 code or name, or a name as printed in the sources "
        "(ffdata.load('country_names'))",
    )
