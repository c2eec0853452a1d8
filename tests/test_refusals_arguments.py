"""Refusals of what a caller gives the API and the command line: names that are not
countries, unknown or conflicting options, empty paths, an address that cannot be fetched;
official names of countries are found."""

from __future__ import annotations

import pytest

import ffdata
from ffdata.cli import main
from ffdata.errors import ReleaseError, UnknownNameError

OFFICIAL = {"United States of America": "USA", "Republic of Moldova": "MDA", "Holland": "NLD"}
OFFICIAL |= {"Russian Federation": "RUS", " Norway ": "NOR"}


@pytest.mark.parametrize(("query", "iso3"), OFFICIAL.items())
def test_official_names_find_countries_with_figures(query, iso3):
    assert set(ffdata.compare(query).iso3) == {iso3}


@pytest.mark.parametrize(
    ("query", "message"),
    [(["TUN"], "not list"), (None, "not NoneType"), ("a" * 10_000, "longer than any country's")],
)
def test_a_lookup_refuses_what_is_not_a_country_name(query, message):
    with pytest.raises(UnknownNameError, match=message) as info:
        ffdata.compare(query)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ffdata.provenance("Tunisia", estimate="bogus"), "unknown estimate"),
        (lambda: ffdata.provenance("Tunisia", figure="fbi-2015-foreign-fighters"), "not both"),
        (lambda: ffdata.provenance("Tunisia", source="a" * 10_000), "unknown source"),
        (lambda: ffdata.provenance("Tunisia", source=["soufan-2015"]), "not list"),
        (lambda: ffdata.provenance("Tunisia", source="of the"), "unknown source"),
    ],
)
def test_unknown_or_conflicting_options_are_refused(call, message):
    with pytest.raises(UnknownNameError, match=message) as info:
        call()
    assert len(str(info.value)) < 600


def test_columns_may_be_one_name():
    assert list(ffdata.load("countries", columns="iso3").columns) == ["iso3"]


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--raw-dir", "", "--out-dir", "x"],
        ["build", "--raw-dir", "data/raw", "--out-dir", " "],
        ["validate", ""],
    ],
)
def test_empty_paths_are_usage_errors(args):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


def test_an_unfetchable_address_is_not_called_a_hash_error(tmp_path):
    with pytest.raises(ReleaseError, match="cannot download"):
        ffdata.fetch_release(
            url=f"file://{tmp_path}/x.zip", cache_dir=tmp_path / "c", sha256="0" * 64
        )
