"""Countries as people type them: codes, short forms, accents, parts of countries, misses."""

from __future__ import annotations

import pytest
from support import RAW

import ffdata
from ffdata.errors import UnknownNameError
from ffdata.lookup import MAX_SUGGESTIONS, find_country

#: iso3 -> the ways people type it: names, short forms, accents, ISO 2/3-letter and numeric codes
AS_TYPED = {
    "TUR": ("Turkiye", "TÜRKIYE", "turkey"),
    "NLD": ("528", "NL", "nld", "Holland"),
    "SAU": ("KSA", "Saudi", "682"),
    "KGZ": ("Kyrgyz Republic",),
    "TTO": ("Trinidad", "trinidad and tobago"),
    "BIH": ("Bosnia-Herzegovina",),
    "GBR": ("U.K.", "Great Britain", "826"),
    "XKX": ("Kosovo",),
}
#: a part of a country -> (its country as named in the refusal, iso3)
PARTS = {
    **dict.fromkeys(
        ("England", "scotland", "Wales", "Northern Ireland"), ("United Kingdom", "GBR")
    ),
    "Chechnya": ("Russian Federation", "RUS"),
    "Gaza": ("the State of Palestine", "PSE"),
}


@pytest.mark.parametrize(("query", "iso3"), [(q, i) for i, qs in AS_TYPED.items() for q in qs])
def test_names_and_codes_as_typed(query, iso3):
    assert find_country(query) == iso3


@pytest.mark.parametrize("part", PARTS)
def test_a_part_of_a_country_is_refused_with_its_country(part):
    country, iso3 = PARTS[part]
    with pytest.raises(UnknownNameError) as info:
        find_country(part)
    assert str(info.value) == (
        f"{part!r} is a part of {country} ({iso3}); the sources give figures for whole "
        f"countries\n  hint: ask for {iso3}: the figures of {country}"
    )
    assert iso3 in set(ffdata.compare(iso3).iso3)


def test_parts_are_published_in_country_names_and_never_resolve_a_printed_name():
    names = ffdata.load("country_names")
    parts = names[names.kind == "part_of"]
    listed = (RAW / "country_parts.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(parts) == len(listed) > 0
    assert parts.set_index("name_as_written").loc["England", "iso3"] == "GBR"
    # a part's key means nothing else: no alias, ISO name or name as printed shares it
    others = names[names.kind != "part_of"]
    assert not set(parts.name_key) & set(others.name_key)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Syria", r"^no figures for Syria \(SYR\)"),
        ("TD", r"^no figures for Chad \(TCD\)"),
        ("Zanzibar", "no figures for Tanzania either"),
    ],
)
def test_a_real_country_without_figures(query, message):
    with pytest.raises(UnknownNameError, match=message):
        find_country(query)


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("Tunsia", ["Tunisia (TUN)"]),
        ("Untied Kingdom", ["United Kingdom (GBR)"]),
        ("Holand", ["Holland (Netherlands, NLD)"]),
        ("KSZ", []),  # a short code is never guessed at: no KSA -> USA
        ("USB", []),
    ],
)
def test_a_miss_suggests_at_most_five_names_with_their_countries(query, suggested):
    with pytest.raises(UnknownNameError) as info:
        find_country(query)
    hint = info.value.hint
    if suggested:
        assert hint.startswith(f"did you mean {', '.join(suggested)}? ")
    else:
        assert "did you mean" not in hint
    assert "USA" not in hint and "KSV" not in hint


def test_suggestions_never_exceed_five():
    with pytest.raises(UnknownNameError) as info:
        find_country("Republic of")
    listed = info.value.hint.split("? ")[0].removeprefix("did you mean ")
    assert 0 < listed.count(")") <= MAX_SUGGESTIONS
