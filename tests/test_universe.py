"""What each source counts (its universe, declared with the source and published in
``sources``), and what ``compare()`` says of a country: every figure there is for it, and
for each source that does not list it, why, never a number."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from support import REPO

import ffdata
from ffdata.builder.inputs.dates import period_bounds
from ffdata.lookup import find_country
from ffdata.tables import (
    COUNT_KIND_MEANINGS,
    GROUPS_COUNTED_MEANINGS,
    NOT_LISTED_MEANINGS,
    PLACE_COUNTRIES,
    PLACES_COUNTED_MEANINGS,
    UNIVERSE_WORDS,
    not_listed_meaning,
    universe_words,
)

UNIVERSE = ["groups_counted", "place_counted", "count_kind", "not_listed_means"]
#: Countries to ask compare() about: with estimates, without (Chad, Iran), the places
#: the sources count foreigners in (Syria, Iraq), one only aggregate figures name.
ASKED = ["USA", "GBR", "LBY", "TUN", "TCD", "IRN", "SYR", "IRQ", "IDN", "XKX", "PSE"]
#: Columns of compare() that hold a number.
NUMBERS = [
    "fighters",
    "fighters_low",
    "fighters_high",
    "fighters_per_million",
    "fighters_low_per_million",
    "fighters_high_per_million",
    "value",
    "value_low",
    "value_high",
]


def declared() -> pd.DataFrame:
    """The published sources with country estimates."""
    sources = ffdata.load("sources")
    return sources[sources["estimate_kinds"].notna()]


def test_every_source_with_country_estimates_declares_its_universe():
    sources = declared()
    assert len(sources) > 0
    assert sources[UNIVERSE].notna().all().all(), sources[["source_id", *UNIVERSE]]
    others = ffdata.load("sources")
    others = others[others["estimate_kinds"].isna()]
    assert others[[*UNIVERSE, "listing_threshold"]].isna().all().all()


def test_a_listing_threshold_is_given_exactly_for_sources_that_leave_out_small_countries():
    sources = declared()
    below = sources["not_listed_means"] == "below_listing_threshold"
    assert (sources["listing_threshold"].notna() == below).all()


def test_the_universe_published_is_the_one_declared():
    """sources.toml's declarations, as written, are the published columns."""
    text = (REPO / "data" / "raw" / "sources.toml").read_text(encoding="utf-8")
    written = {
        e["source_id"]: e["country_estimates"]
        for e in tomllib.loads(text)["sources"]
        if "country_estimates" in e
    }
    published = declared().set_index("source_id")
    assert set(written) == set(published.index)
    for source_id, decl in written.items():
        row = published.loc[source_id]
        assert [row[c] for c in UNIVERSE] == [decl[c] for c in UNIVERSE], source_id
        threshold = row["listing_threshold"]
        assert (None if pd.isna(threshold) else int(threshold)) == decl.get("listing_threshold")


def test_universe_words_has_words_for_every_value_of_the_vocabularies():
    vocabularies = (GROUPS_COUNTED_MEANINGS, PLACES_COUNTED_MEANINGS, COUNT_KIND_MEANINGS)
    values = {v for meanings in vocabularies for v in meanings if v != "not_stated"}
    assert values <= set(UNIVERSE_WORDS)
    assert set(UNIVERSE_WORDS) <= values | set(NOT_LISTED_MEANINGS)


def test_every_place_counted_has_the_countries_its_name_says():
    """PLACE_COUNTRIES covers the place vocabulary: "syria_and_iraq" is Syria and Iraq, and
    a place not stated is no country."""
    assert set(PLACE_COUNTRIES) == set(PLACES_COUNTED_MEANINGS)
    for place, countries in PLACE_COUNTRIES.items():
        named = [] if place == "not_stated" else place.split("_and_")
        assert list(countries) == [find_country(p, with_estimates=False) for p in named], place


@pytest.mark.parametrize("iso3", ASKED)
def test_compare_lists_every_source_once_as_figures_or_as_an_absence(iso3):
    shown = ffdata.compare(iso3)
    estimates = ffdata.load("country_estimates")
    listing = set(estimates.loc[estimates["iso3"] == iso3, "source_id"])
    for source_id in declared()["source_id"]:
        rows = shown[shown["source_id"] == source_id]
        kinds = set(rows["row_kind"])
        if source_id in listing:
            assert kinds == {"country_estimate"}, (iso3, source_id)
        else:
            assert list(rows["row_kind"]) == ["not_listed"], (iso3, source_id)


@pytest.mark.parametrize("iso3", ASKED)
def test_an_absence_carries_no_number_and_says_why(iso3):
    shown = ffdata.compare(iso3)
    absent = shown[shown["row_kind"] == "not_listed"]
    assert absent[NUMBERS].isna().all().all(), iso3
    assert shown.loc[shown["row_kind"] != "not_listed", "why_not_listed"].isna().all()
    sources = ffdata.load("sources").set_index("source_id")
    listed_by = set(shown.loc[shown["row_kind"] == "country_estimate", "source_id"])
    for row in absent.itertuples():
        source = sources.loc[row.source_id]
        companions = {
            source["companion_of"],
            *sources.index[sources["companion_of"] == row.source_id],
        }
        if iso3 in ("SYR", "IRQ") or companions & listed_by:
            continue  # said otherwise: see the two tests below
        threshold = None if pd.isna(source["listing_threshold"]) else source["listing_threshold"]
        meaning = not_listed_meaning(str(source["not_listed_means"]), threshold)
        assert meaning in row.why_not_listed, (iso3, row.source_id, row.why_not_listed)


@pytest.mark.parametrize("iso3", ASKED)
def test_every_row_shows_label_universe_and_where_it_is_printed(iso3):
    shown = ffdata.compare(iso3)
    assert shown[["label", "universe", "printed_at"]].notna().all().all(), iso3
    where = shown["document_id"] + ":" + shown["line"].astype(str)
    assert (shown["printed_at"] == where).all()
    sources = declared().set_index("source_id")
    for row in shown[shown["source_id"].isin(sources.index)].itertuples():
        source = sources.loc[row.source_id]
        threshold = source["listing_threshold"]
        words = universe_words(
            *(str(source[c]) for c in UNIVERSE), None if pd.isna(threshold) else threshold
        )
        assert row.universe == words and row.label == source["label"]


@pytest.mark.parametrize("iso3", ASKED)
def test_aggregate_rows_of_compare_are_their_aggregate_figures_rows(iso3):
    shown = ffdata.compare(iso3)
    mine = shown[shown["row_kind"] == "aggregate_figure"]
    figures = ffdata.load("aggregate_figures")
    figures = figures[figures["iso3"] == iso3]
    common = [c for c in mine.columns if c in figures.columns]
    assert {"figure_id", "value", "qualifier", "metric", "unit", "who_is_counted"} <= set(common)
    as_shown, as_published = (
        f[common].astype("string").sort_values("figure_id").reset_index(drop=True)
        for f in (mine, figures)
    )
    assert as_shown.equals(as_published), iso3


def test_the_figures_people_ask_about_are_in_compare():
    """B5 of issue 22: 'over 250 Americans' (003:7), 'thousands of foreigners from Russia'
    and 'hundreds from Indonesia and Tajikistan' (002:81) are shown for their countries."""
    figures = ffdata.load("aggregate_figures")
    named = figures[figures["iso3"].notna()]
    assert len(named) > 0
    for iso3, ids in named.groupby("iso3")["figure_id"]:
        shown = ffdata.compare(iso3)
        assert set(ids) <= set(shown["figure_id"].dropna()), iso3


def test_country_summary_never_fills_an_absence_and_names_each_columns_universe():
    summary = ffdata.country_summary()
    universe = summary.attrs["universe"]
    countries = set(ffdata.load("countries").columns)
    assert set(universe) == set(summary.columns) - countries
    estimates = ffdata.load("country_estimates")
    stems = declared().set_index("source_id")["column_stem"]
    for (source_id, estimate), rows in estimates.groupby(["source_id", "estimate"]):
        stem = f"{stems[source_id]}_{estimate}"
        columns = [c for c in (stem, f"{stem}_low", f"{stem}_high") if c in summary.columns]
        assert columns, stem
        for column in columns:
            assert universe[column].startswith(declared().set_index("source_id").label[source_id])
            unlisted = ~summary["iso3"].isin(rows["iso3"])
            assert summary.loc[unlisted, column].isna().all(), column


@pytest.mark.parametrize("iso3", ASKED)
def test_every_row_of_compare_is_dated_by_the_year_its_period_ends(iso3):
    """An absence is dated like its source's estimates: refers_to_year is the end year of
    refers_to_date (a span's end, never its start)."""
    shown = ffdata.compare(iso3)
    dated = shown.dropna(subset=["refers_to_date"])
    assert len(dated) > 0
    for row in dated.itertuples():
        assert row.refers_to_year == period_bounds(row.refers_to_date)[1].year, (iso3, row)


def test_a_source_gives_no_figure_for_the_nationals_of_the_places_it_counts_foreigners_in():
    """Each country of a source's place_counted (syria_and_iraq: Syria and Iraq) that the
    source does not list is explained as a place it counts foreigners in, not as a
    country below its threshold or not reported."""
    checked = 0
    for source in declared().itertuples():
        for place in str(source.place_counted).split("_and_"):
            iso3 = find_country(place, with_estimates=False)
            shown = ffdata.compare(iso3)
            absent = shown[(shown.source_id == source.source_id) & (shown.row_kind == "not_listed")]
            for why in absent.why_not_listed:
                checked += 1
                assert "own nationals are not foreigners there" in why, (source.source_id, iso3)
    assert checked > 0


def test_a_country_of_the_companion_table_is_said_to_be_listed_there():
    """Of two companion tables of one document (Soufan 2015 Table 1 and Table 2), a country
    listed by one only is, for the other, said to be in its companion, not unreported."""
    sources = declared().set_index("source_id")
    estimates = ffdata.load("country_estimates")
    listed = {source_id: set(rows) for source_id, rows in estimates.groupby("source_id")["iso3"]}
    pairs = [(s, c) for s, c in sources["companion_of"].dropna().items()]
    assert pairs
    for one, other in [*pairs, *((c, s) for s, c in pairs)]:
        only_other = sorted(listed[other] - listed[one])
        assert only_other, (one, other)
        shown = ffdata.compare(only_other[0])
        why = shown.loc[shown.source_id == one, "why_not_listed"].tolist()
        assert len(why) == 1 and "companion" in why[0], (one, other, why)
        assert sources.loc[other, "label"] in why[0]
