"""The loading API on real data with real values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from support import copy_package

import ffdata
from ffdata.api import SERIES
from ffdata.errors import FfdataError, UnknownNameError


def test_list_tables():
    tables = "documents sources countries country_estimates aggregate_figures regional_totals"
    assert ffdata.list_tables() == [*tables.split(), "country_names"]


def test_load_types_and_values(on_the_fixture):
    ce = ffdata.load("country_estimates")
    assert str(ce.fighters.dtype) == "Int64"
    assert str(ce.rank_as_printed.dtype) == "Int64"
    assert isinstance(ce.estimate.dtype, pd.CategoricalDtype)
    assert list(ce.estimate.cat.categories) == ["official", "unofficial", "reported"]
    assert pd.api.types.is_string_dtype(ce.iso3.dtype)
    assert ce.index.equals(pd.RangeIndex(len(ce)))
    tun = ce[(ce.iso3 == "TUN") & (ce.source_id == "soufan-2015")].set_index("estimate")
    assert tun.fighters.to_dict() == {"official": 6000, "unofficial": 7000}


def test_load_columns(on_the_fixture):
    frame = ffdata.load("countries", columns=["iso3", "population_2015"])
    assert list(frame.columns) == ["iso3", "population_2015"]
    assert frame.set_index("iso3").loc["TUN", "population_2015"] == 11_402_264


def test_path_is_readable_by_pyarrow_and_pandas():
    import pyarrow.parquet as pq

    path = ffdata.path("country_estimates")
    loaded = ffdata.load("country_estimates")
    assert pq.read_table(path).num_rows == len(loaded) > 0
    categorical = [c for c in loaded.columns if isinstance(loaded[c].dtype, pd.CategoricalDtype)]
    assert "estimate" in categorical and "refers_to_precision" in categorical
    assert pd.read_parquet(path).equals(loaded.astype(dict.fromkeys(categorical, "string")))


def test_unknown_table_or_column_suggests_the_closest():
    with pytest.raises(UnknownNameError) as info:
        ffdata.load("country_estimate")
    assert isinstance(info.value, ValueError)
    assert "country_estimates" in str(info.value) and "did you mean" in str(info.value)
    with pytest.raises(ValueError, match="did you mean fighters"):
        ffdata.load("country_estimates", columns=["fighter"])


def test_describe():
    book = ffdata.describe("country_estimates").set_index("column")
    assert list(book.columns) == ["type", "unit", "constraints", "key", "meaning"]
    assert book.loc["fighters", "type"] == "integer"
    assert book.loc["estimate", "constraints"] == "required; one of: official, unofficial, reported"
    assert book.loc["iso3", "key"] == "primary key; -> countries.iso3"
    assert book.loc["document_id", "key"] == "-> documents.document_id"
    with pytest.raises(UnknownNameError):
        ffdata.describe("nope")


def test_country_summary_is_the_estimates_one_column_per_declared_source_and_kind():
    """Every estimate is in its source's columns (a range in _low and _high, never in the
    single-figure column), with its rate; one row per country with an estimate."""
    summary = ffdata.country_summary().set_index("iso3")
    ce, sources = ffdata.load("country_estimates"), ffdata.load("sources").set_index("source_id")
    assert sorted(summary.index) == sorted(set(ce.iso3))
    stems = {
        (s, kind): f"{stem}_{kind}"
        for s, stem, kinds in sources[["column_stem", "estimate_kinds"]].dropna().itertuples()
        for kind in kinds.split(";")
    }
    shown = [c.removesuffix("_low") for c in summary.columns]  # a range-only kind: _low
    assert [c for c in dict.fromkeys(shown) if c in stems.values()] == list(stems.values())
    for row in ce.itertuples():
        column = stems[row.source_id, row.estimate]
        for figure in ("fighters", "fighters_low", "fighters_high"):
            value, name = getattr(row, figure), column + figure.removeprefix("fighters")
            if pd.notna(value):
                assert summary.loc[row.iso3, name] == value, (row.iso3, name)
                rate = getattr(row, figure + "_per_million")
                assert summary.loc[row.iso3, name + "_per_million"] == rate, (row.iso3, name)
            elif figure == "fighters" and name in summary.columns:  # a range, or no figure
                assert pd.isna(summary.loc[row.iso3, name]), (row.iso3, name)


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        *((uk, "GBR") for uk in ("UK", "U.K.", "united kingdom", "GBR", "gb", "Britain")),
        *((nl, "NLD") for nl in ("Netherlands", "dutch", "Holland")),
        ("tunisia", "TUN"),
        ("Kosovo", "XKX"),
        ("XK", "XKX"),
    ],
)
def test_compare_accepts_names_as_typed(on_the_fixture, query, iso3):
    assert set(ffdata.compare(query).iso3) == {iso3}


def test_compare_refuses_a_name_that_is_no_one_country():
    with pytest.raises(UnknownNameError, match="did you mean"):
        ffdata.compare("Tunsia")
    with pytest.raises(UnknownNameError, match="is a part of United Kingdom"):
        ffdata.compare("England")
    with pytest.raises(UnknownNameError, match="more than one country"):
        ffdata.compare("Congo")


def test_provenance_of_a_country_figure_and_of_an_aggregate_figure(on_the_fixture):
    (row,) = ffdata.provenance("Tunisia", source="soufan-2015", estimate="official").itertuples()
    printed = ("niu-2018-excerpt.txt", 10, "1\tTunisia\t6000\t7000", 6000)
    assert (row.file, row.line, row.text_as_printed, row.fighters) == printed
    iep = ffdata.provenance("Tunisia", source="iep-gti-2015").iloc[0]
    assert iep.text_as_printed == "Tunisia (5,000 )"
    row = ffdata.provenance(figure="un-2014-foreign-fighters").iloc[0]
    assert (row.value, row.line, row.qualifier) == (15000, 5, "more_than")
    with pytest.raises(UnknownNameError):
        ffdata.provenance(figure="nope")
    with pytest.raises(UnknownNameError, match="did you mean Soufan"):
        ffdata.provenance("Tunisia", source="Sufan")


def test_provenance_keeps_a_range_a_range():
    """Each figure of a country as country_estimates holds it: a range's two ends, a point."""
    estimates = ffdata.load("country_estimates")
    ranged = estimates[estimates.fighters_low.notna()]
    assert len(ranged)  # the rule is exercised
    columns = ["source_id", "estimate", "fighters", "fighters_low", "fighters_high", "line"]
    for iso3 in sorted(set(ranged.iso3))[:5]:
        shown = ffdata.provenance(iso3)[columns].reset_index(drop=True)
        held = estimates[estimates.iso3 == iso3][columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(shown, held, check_dtype=False, check_index_type=False)


def test_cite_agrees_with_citation_cff():
    from support import ROOT

    from ffdata.citation import TITLE

    cff = (ROOT / "CITATION.cff").read_text()
    assert f'title: "{TITLE}"' in cff
    assert f"version: {ffdata.__version__}" in cff


@pytest.mark.parametrize(
    ("run", "not_imported"),
    [
        ("pass", "pandas pandera frictionless pycountry pyarrow"),
        (
            "ffdata.load('country_estimates'); ffdata.country_summary(); ffdata.compare('UK')",
            "pandera frictionless",
        ),
    ],
)
def test_import_is_light_and_loading_needs_no_validation_library(run, not_imported):
    code = (
        f"import sys, ffdata; {run}; print([m for m in {not_imported.split()} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_data_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    with pytest.raises(FfdataError, match="cannot find the published tables"):
        ffdata.path("countries")


def test_compare_lists_a_countrys_estimates_by_the_end_of_each_period_then_publication():
    """Every country's estimates as published, with their source's producer: a span sorts by
    its end (2011/2013-12-10 before 2014-12), then by publication, undated publication last."""
    ce = ffdata.load("country_estimates")
    producers = ffdata.load("sources").set_index("source_id").producer
    key = ["source_id", "estimate"]
    for iso3, mine in ce.groupby("iso3"):
        every = ffdata.compare(iso3)
        shown = every[every.row_kind == "country_estimate"]
        common = [c for c in shown.columns if c in ce.columns]
        assert {"fighters", "fighters_low_per_million", "line", *key} <= set(common)
        as_shown, as_published = (
            f[common].astype(object).sort_values(key).reset_index(drop=True) for f in (shown, mine)
        )
        assert as_shown.equals(as_published), iso3
        assert list(shown.producer) == list(producers[shown.source_id]), iso3
        order = [
            (until.split("/")[-1], pd.isna(published), "" if pd.isna(published) else published)
            for until, published in zip(every.refers_to_date, every.published_date, strict=True)
            if not pd.isna(until)
        ]
        assert order == sorted(order), iso3


def test_totals_keep_worldwide_counts_of_people_and_never_put_others_among_the_stocks(
    tmp_path, monkeypatch, fixture_checkout
):
    """In a copy of the fixture package, the FBI's 30,000 made undated sorts last among the
    stocks; given another metric or unit it is no longer a worldwide count of foreign
    fighters; counting other groups or an inflow, it moves apart from the stocks."""
    package = copy_package(tmp_path / "package", fixture_checkout)
    monkeypatch.setenv("FFDATA_DATA_DIR", str(package))
    every = list(ffdata.totals().figure_id)
    file = package / "data" / "processed" / "aggregate_figures.parquet"
    original = pd.read_parquet(file)
    fbi = original.figure_id == "fbi-2015-foreign-fighters"
    assert original.loc[fbi, ["value", "metric", "unit", "count_kind"]].values.tolist() == [
        [30000.0, "foreign_fighters", "people", "serving"]
    ]
    changes = [
        ("refers_to_date", None, "serving"),
        ("count_kind", "cumulative", "stock"),
        ("metric", "foreign_fighters_recorded", None),
        ("unit", "records", None),
        ("groups_counted", "all_armed_groups", "other groups"),
        ("groups_counted", "not_stated", "groups not stated"),
        ("count_kind", "inflow", "inflow"),
    ]
    for column, value, series in changes:
        changed = original.copy()
        changed.loc[fbi, column] = value
        changed.to_parquet(file, index=False)
        totals = ffdata.totals()
        order = list(totals.figure_id)
        if series is None:  # not a worldwide count of foreign fighters: left out
            assert order == [f for f in every if f != "fbi-2015-foreign-fighters"], column
            continue
        row = totals[totals.figure_id == "fbi-2015-foreign-fighters"].iloc[0]
        assert row.series == series, column
        assert list(totals.series) == sorted(totals.series, key=SERIES.index), column
        if column == "refers_to_date":  # undated: last of its series
            last = len(totals) - 1 - list(reversed(list(totals.series))).index(series)
            assert order[last] == "fbi-2015-foreign-fighters", column


def test_a_release_with_other_vocabularies_is_refused_not_turned_into_nan(tmp_path, monkeypatch):
    """0.1.0's aggregate_figures has unit 'ratio' and qualifier 'exact', which this version
    no longer knows: loading it must say so, never return those cells as NaN (nor, with
    pyarrow, as an encoding without them); the file as stored reads by its path."""
    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(tmp_path / "cache"))
    release = str(root / "releases/ffdata-data-0.1.0.zip")
    for backend in ("pandas", "pyarrow"):
        with pytest.raises(FfdataError, match=r"column unit: \['ratio'\] not among the values"):
            ffdata.load("aggregate_figures", release=release, backend=backend)
    old = pq.read_table(ffdata.path("aggregate_figures", release=release))  # as the hint says
    assert old.column("qualifier").to_pylist().count("exact") == 45


def test_country_summary_has_no_column_empty_for_every_country():
    """A source that prints only ranges has its _low and _high columns, not a single-figure
    column that could never hold a value."""
    summary = ffdata.country_summary()
    empty = [c for c in summary.columns if summary[c].isna().all()]
    assert empty == []


def test_compare_has_no_column_named_like_a_pandas_attribute():
    """`row.name` in iterrows() is the index: compare() calls the country `country_name`."""
    columns = set(ffdata.compare("UK").columns)
    assert not columns & (set(dir(pd.DataFrame)) | set(dir(pd.Series)))
