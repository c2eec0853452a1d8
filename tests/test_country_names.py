"""The country_names table and the reader's country lookup built on it, and the pinned,
reviewed alias table the build reads from the raw folder."""

from __future__ import annotations

import csv

import pycountry
import pytest
from support import RAW, refusal, rewrite_document

import ffdata
from ffdata.builder.pipeline import run_pipeline
from ffdata.errors import ChecksumError, CountryError, FfdataError, UnknownNameError
from ffdata.lookup import find_country, name_key

ALIASES = "country_aliases.csv"


@pytest.fixture(scope="module")
def names():
    return ffdata.load("country_names")


def test_every_iso_country_and_kosovo_is_listed(names):
    codes = set(names.loc[names["kind"] == "iso_alpha3", "iso3"])
    assert codes == {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    assert set(names["iso3"]) == codes
    kosovo = names[names["iso3"] == "XKX"]
    assert {"XKX", "XK", "Kosovo"} <= set(kosovo["name_as_written"])
    assert "iso_numeric" not in set(kosovo["kind"])


def test_keys_are_the_readers_normalisation(names):
    """The build's keys are exactly what the reader computes from each name."""
    assert list(names["name_key"]) == [name_key(n) for n in names["name_as_written"]]


def test_names_as_printed_and_aliases_are_listed(names, tables):
    printed = names[names["kind"] == "name_as_printed"]
    estimates = tables["country_estimates"]
    assert set(zip(printed["name_as_written"], printed["iso3"], strict=True)) == set(
        zip(estimates["name_as_printed"], estimates["iso3"], strict=True)
    )
    aliases = names[names["kind"] == "alias"]
    assert ("Dutch", "NLD") in set(zip(aliases["name_as_written"], aliases["iso3"], strict=True))
    assert set(aliases.loc[aliases["name_as_written"] == "Congo", "iso3"]) == {"COG", "COD"}


def test_only_the_reviewed_ambiguous_names_mean_two_countries(names):
    per_key = names.groupby("name_key")["iso3"].nunique()
    with (RAW / ALIASES).open(encoding="utf-8") as handle:
        reviewed = [name_key(r["name"]) for r in csv.DictReader(handle) if "|" in r["iso3"]]
    assert sorted(per_key[per_key > 1].index) == sorted(reviewed) != []


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("COTE D'IVOIRE", None),  # an ISO country without figures: refused, named
        ("528", "NLD"),
        ("Kingdom of the Netherlands", "NLD"),
        ("the Netherlands", "NLD"),
        ("Bosnia-and-Herzegovina", "BIH"),
        ("  russian   federation ", "RUS"),
    ],
)
def test_find_country(query, iso3):
    if iso3 is None:
        with pytest.raises(UnknownNameError, match=r"no figures for Côte d'Ivoire \(CIV\)"):
            find_country(query)
    else:
        assert find_country(query) == iso3


def test_syria_has_no_figures_and_congo_is_ambiguous(on_the_fixture):
    with pytest.raises(UnknownNameError, match=r"^no figures for Syria \(SYR\)") as info:
        find_country("Syria")
    assert "aggregate_figures has 1 figure about it" in str(info.value)
    with pytest.raises(UnknownNameError, match="more than one country") as info:
        find_country("Congo")
    assert "Congo (COG)" in str(info.value) and "COD, COG" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "kind", "says"),
    [
        (b"Holland,NLD", b"Holland,DEU", ChecksumError, "sha256 differs from the manifest"),
        (b"Holland,NLD", b"Holland,NLX", CountryError, "'Holland'"),
        (b"Holland,NLD,", b"Holland,NLD", FfdataError, "row has 2 cells, the header 3"),
    ],
)
def test_a_changed_or_wrong_alias_row_is_refused_at_its_line(raw_copy, old, new, kind, says):
    """A change not pinned is refused as such; a pinned one at its row, with the fix."""
    pinned = kind is not ChecksumError
    rewrite_document(raw_copy, ALIASES, lambda b: b.replace(old, new), update_manifest=pinned)
    if not pinned:
        assert says in str(refusal(raw_copy, kind, document=ALIASES))
        return
    lines = (raw_copy / ALIASES).read_text().splitlines()
    line = 1 + next(i for i, text in enumerate(lines) if text.startswith("Holland,"))
    error = refusal(raw_copy, kind, document=ALIASES, line=line)
    assert says in str(error) and "Holland" in error.text
    assert "python -m ffdata.builder.tools.pin" in str(error) or kind is CountryError


def test_an_alias_added_in_the_raw_folder_is_used(raw_copy):
    """The build reads the aliases of the raw folder it is given, not the package's."""
    rewrite_document(raw_copy, ALIASES, lambda b: b + b"Tunisie,TUN,French name.\n")
    names = run_pipeline(raw_copy).tables["country_names"]
    row = names[names["name_as_written"] == "Tunisie"]
    assert list(zip(row["iso3"], row["kind"], strict=True)) == [("TUN", "alias")]


def test_a_part_that_is_also_a_countrys_name_is_refused_at_its_line():
    from ffdata.builder.countries.country_names import country_name_records
    from ffdata.builder.countries.resolve import PARTS_ID, read_aliases
    from ffdata.builder.inputs.manifest import default_raw_dir, read_manifest

    parts = read_aliases(read_manifest(default_raw_dir()), PARTS_ID)
    assert (parts["england"].file, parts["england"].line) == ("country_parts.csv", 2)
    syria = type(parts["england"])("Syria", "SYR", "", file="country_parts.csv", line=7)
    with pytest.raises(CountryError) as info:
        country_name_records({}, {}, {**parts, "syria": syria})
    assert str(info.value).startswith(
        "country_parts.csv:7: the part of a country 'Syria' is also a country's name "
        "('Syria', common_name, SYR): 'Syria'\n  hint: remove the row"
    )
