"""The loading API on real data with real values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from support import copy_package

import ffdata
from ffdata.errors import FfdataError, UnknownNameError


def test_list_tables():
    assert ffdata.list_tables() == [
        "documents",
        "sources",
        "countries",
        "country_estimates",
        "aggregate_figures",
        "regional_totals",
        "country_names",
    ]


def test_load_types_and_values():
    ce = ffdata.load("country_estimates")
    assert len(ce) == 211  # 106 from document 002, 105 from the ICSR data file
    assert str(ce.fighters.dtype) == "Int64"
    assert str(ce.rank_as_printed.dtype) == "Int64"
    assert isinstance(ce.estimate.dtype, pd.CategoricalDtype)
    assert list(ce.estimate.cat.categories) == ["official", "unofficial", "reported"]
    assert pd.api.types.is_string_dtype(ce.iso3.dtype)
    assert ce.index.equals(pd.RangeIndex(len(ce)))
    tun = ce[(ce.iso3 == "TUN") & (ce.source_id == "soufan-2015")].set_index("estimate")
    assert tun.fighters.to_dict() == {"official": 6000, "unofficial": 7000}


def test_load_columns():
    frame = ffdata.load("countries", columns=["iso3", "population_2015"])
    assert list(frame.columns) == ["iso3", "population_2015"]
    assert frame.set_index("iso3").loc["TUN", "population_2015"] == 11_402_264


def test_path_is_readable_by_pyarrow_and_pandas():
    import pyarrow.parquet as pq

    path = ffdata.path("country_estimates")
    assert path.is_file()
    assert pq.read_table(path).num_rows == 211
    loaded = ffdata.load("country_estimates")
    categorical = [c for c in loaded.columns if isinstance(loaded[c].dtype, pd.CategoricalDtype)]
    assert "estimate" in categorical and "refers_to_precision" in categorical
    assert pd.read_parquet(path).equals(loaded.astype(dict.fromkeys(categorical, "string")))


def test_unknown_table_lists_choices():
    with pytest.raises(UnknownNameError) as info:
        ffdata.load("country_estimate")
    assert isinstance(info.value, ValueError)
    assert "country_estimates" in str(info.value) and "did you mean" in str(info.value)


def test_unknown_column_lists_closest():
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


def test_country_summary():
    summary = ffdata.country_summary().set_index("iso3")
    assert len(summary) == 76
    gbr = summary.loc["GBR"]
    assert (gbr.soufan_official, gbr.iep_reported) == (760, 600)
    assert pd.isna(gbr.soufan_unofficial)
    # a range stays in its _low and _high columns; the single-figure column stays empty
    assert (gbr.icsr_2013_reported_low, gbr.icsr_2013_reported_high) == (43, 366)
    assert (gbr.icsr_2015_reported_low, gbr.icsr_2015_reported_high) == (500, 600)
    assert pd.isna(gbr.icsr_2015_reported)
    assert summary.loc["FRA", "icsr_2015_reported"] == 1200
    assert pd.isna(summary.loc["FRA", "icsr_2015_reported_low"])
    # the 2015 range uses the 2014 population (the figures run to the end of 2014)
    assert gbr.icsr_2015_reported_low_per_million == pytest.approx(
        round(500 / gbr_population(2014) * 1e6, 2)
    )
    assert summary.loc["JPN", "barrett_soufan_unofficial"] == 9
    assert summary.loc["XKX", "region"] == "Europe"
    assert summary.loc["TUN", "soufan_official_per_million"] == pytest.approx(526.21)
    figure_columns = [c for c in summary.columns if c.endswith(("official", "reported"))]
    # one column per declared source and kind, in sources order, named by its column_stem
    assert figure_columns == [
        "barrett_soufan_unofficial",
        "icsr_2013_reported",
        "icsr_2015_reported",
        "iep_reported",
        "soufan_official",
        "soufan_unofficial",
    ]
    assert "icsr_2013_reported_low" in summary.columns
    assert "soufan_official_low" not in summary.columns  # Soufan prints no ranges


def gbr_population(year: int) -> int:
    """The United Kingdom's population in ``year``, from the published rows that use it."""
    ce = ffdata.load("country_estimates")
    return int(ce[(ce.iso3 == "GBR") & (ce.population_year == year)].population.iloc[0])


@pytest.mark.parametrize("query", ["UK", "U.K.", "united kingdom", "GBR", "gb", "Britain"])
def test_compare_uk(query):
    uk = ffdata.compare(query)
    assert set(uk.iso3) == {"GBR"}
    shown = [
        (
            r.source_id,
            r.refers_to_date,
            r.published_date,
            r.fighters,
            r.fighters_low,
            r.fighters_high,
        )
        for r in uk.itertuples()
    ]
    na = pd.NA
    # every estimate, in the order of the date it refers to, then of publication
    assert shown == [
        ("icsr-2013-12", "2011/2013-12-10", "2013-12-17", na, 43, 366),
        ("icsr-2015-01", "2014-12", "2015-01-26", na, 500, 600),
        ("iep-gti-2015", "2015", "2015-11", 600, na, na),
        ("soufan-2015", "2015", "2015-12", 760, na, na),
    ]
    assert set(uk.producer) == {
        "The Soufan Group",
        "Institute for Economics and Peace",
        "International Centre for the Study of Radicalisation (ICSR), King's College London",
    }
    assert list(uk.label) == ["ICSR Dec 2013", "ICSR Jan 2015", "IEP 2015", "Soufan 2015"]
    assert uk.fighters_low_per_million.notna().sum() == 2


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("Netherlands", "NLD"),
        ("dutch", "NLD"),
        ("tunisia", "TUN"),
        ("Kosovo", "XKX"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("XK", "XKX"),
    ],
)
def test_compare_accepts_names_as_typed(query, iso3):
    assert set(ffdata.compare(query).iso3) == {iso3}


def test_compare_unknown_country():
    with pytest.raises(UnknownNameError, match="did you mean"):
        ffdata.compare("Tunsia")
    with pytest.raises(UnknownNameError, match=r"no figures for Chad \(TCD\)"):
        ffdata.compare("Chad")


def test_provenance_country_figure():
    p = ffdata.provenance("Tunisia", source="soufan-2015", estimate="official")
    assert len(p) == 1
    row = p.iloc[0]
    assert (row.file, row.line, row.text_as_printed, row.fighters) == (
        "002_882cd01f73eb6394.txt",
        112,
        "1\tTunisia\t6000\t7000",
        6000,
    )
    lebanon = ffdata.provenance("Lebanon", source="iep-gti-2015").iloc[0]
    assert lebanon.text_as_printed == "Lebanon, (900)"


def test_provenance_aggregate_figure():
    row = ffdata.provenance(figure="worldbank-2016-recruits-2013-2014").iloc[0]
    assert (row.value, row.line, row.qualifier) == (3803, 173, "approximately")
    with pytest.raises(UnknownNameError):
        ffdata.provenance(figure="nope")
    with pytest.raises(UnknownNameError, match="valid choices"):
        ffdata.provenance("Tunisia", source="soufan")


def test_cite_text_and_bibtex():
    text = ffdata.cite()
    assert "The Soufan Group" in text and "Global Terrorism Index 2015" in text
    bib = ffdata.cite("bibtex")
    assert bib.count("@misc{") == 1 + len(ffdata.load("sources"))
    assert "@misc{iep_gti_2015," in bib and "year = {2015}" in bib
    with pytest.raises(ValueError):
        ffdata.cite("apa")


def test_cite_agrees_with_citation_cff():
    from support import ROOT

    from ffdata.citation import TITLE

    cff = (ROOT / "CITATION.cff").read_text()
    assert f'title: "{TITLE}"' in cff
    assert f"version: {ffdata.__version__}" in cff


def test_import_is_light():
    code = (
        "import sys, ffdata; heavy = ('pandas', 'pandera', 'frictionless', 'pycountry', "
        "'pyarrow'); print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_loading_does_not_import_validation_libraries():
    code = (
        "import sys, ffdata; ffdata.load('country_estimates'); ffdata.country_summary(); "
        "ffdata.compare('UK'); print(','.join(m for m in ('pandera', 'frictionless') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_data_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    with pytest.raises(FfdataError, match="cannot find the published tables"):
        ffdata.path("countries")


def test_compare_libya_orders_by_the_end_of_each_period_then_publication():
    """Libya's four estimates: a span sorts by its end (ICSR's 2011/2013-12-10 first,
    Barrett/Soufan's 2014/2015 with the 2015 figures, not before ICSR's 2014-12), and
    among estimates for 2015 the one with no publication date comes last (not by source id)."""
    libya = ffdata.compare("Libya")
    shown = [
        (r.source_id, r.refers_to_date, r.fighters, r.fighters_low, r.fighters_high)
        for r in libya.itertuples()
    ]
    na = pd.NA
    assert shown == [
        ("icsr-2013-12", "2011/2013-12-10", na, 336, 556),
        ("icsr-2015-01", "2014-12", 600, na, na),
        ("iep-gti-2015", "2015", 600, na, na),
        ("barrett-2014-soufan-2015", "2014/2015", 600, na, na),
    ]
    assert pd.isna(libya.published_date.iloc[-1])


def test_totals_keep_worldwide_islamic_state_people_only_and_undated_last(tmp_path, monkeypatch):
    """In a copy of the package, the FBI's 30,000 made undated sorts last; made another
    topic, or counted in another unit, it is no longer a worldwide total of IS fighters."""
    package = copy_package(tmp_path / "package")
    file = package / "data" / "processed" / "aggregate_figures.parquet"
    original = pd.read_parquet(file)
    fbi = original.figure_id == "fbi-2015-foreign-fighters"
    assert original.loc[fbi, ["value", "topic", "unit"]].values.tolist() == [
        [30000.0, "islamic_state", "people"]
    ]
    monkeypatch.setenv("FFDATA_DATA_DIR", str(package))
    for column, value, expected in [
        ("refers_to_date", None, "last"),
        ("topic", "other", "left out"),
        ("unit", "records", "left out"),
    ]:
        changed = original.copy()
        changed.loc[fbi, column] = value
        changed.to_parquet(file, index=False)
        order = list(ffdata.totals().figure_id)
        if expected == "last":
            assert order[-1] == "fbi-2015-foreign-fighters", column
        else:
            assert "fbi-2015-foreign-fighters" not in order, column
            assert len(order) == 7, column


def test_a_release_with_other_vocabularies_is_refused_not_turned_into_nan(tmp_path, monkeypatch):
    """0.1.0's aggregate_figures has unit 'ratio' and qualifier 'exact', which this version
    no longer knows: loading it must say so, never return those cells as NaN."""
    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(FfdataError, match=r"column unit: \['ratio'\] not among the values"):
        ffdata.load("aggregate_figures", release=str(root / "releases/ffdata-data-0.1.0.zip"))
    old = ffdata.load(
        "aggregate_figures",
        release=str(root / "releases/ffdata-data-0.1.0.zip"),
        backend="pyarrow",
    )
    assert old.column("qualifier").to_pylist().count("exact") == 45
