"""Per-capita rates, regions and regional totals, with real values."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from conftest import RAW, rewrite_document
from ffdata.builder.pipeline import run_pipeline
from ffdata.errors import ManifestError, ReferenceDataError, ValidationError

POPULATION = "reference/worldbank-population/data/population.csv"
CODES = "reference/country-codes/data/country-codes.csv"


def test_tunisia_soufan_official_per_million(tables):
    ce = tables["country_estimates"]
    row = ce[(ce.iso3 == "TUN") & (ce.source_id == "soufan-2015") & (ce.estimate == "official")]
    row = row.iloc[0]
    assert row.fighters == 6000
    assert row.reference_year == 2015
    population = tables["countries"].set_index("iso3").loc["TUN", "population_2015"]
    assert population == 11_402_264
    assert row.fighters_per_million == pytest.approx(526.2, abs=0.05)
    assert round(row.fighters_per_million, 1) == 526.2


def test_every_estimate_has_a_rate_from_its_reference_year(tables):
    ce = tables["country_estimates"]
    assert ce.fighters_per_million.notna().all()
    assert set(ce.reference_year) == {2015}
    countries = tables["countries"].set_index("iso3")
    recomputed = ce.fighters / ce.iso3.map(countries.population_2015) * 1e6
    assert (recomputed - ce.fighters_per_million).abs().max() <= 0.005


def test_kosovo_is_southern_europe_with_a_population(tables):
    kosovo = tables["countries"].set_index("iso3").loc["XKX"]
    assert (kosovo.region, kosovo.subregion) == ("Europe", "Southern Europe")
    assert kosovo.population_2015 == 1_788_274
    ce = tables["country_estimates"]
    assert ce[ce.iso3 == "XKX"].fighters_per_million.iloc[0] == pytest.approx(
        232 / 1_788_274 * 1e6, abs=0.005
    )


def test_every_country_has_region_and_population(tables):
    countries = tables["countries"]
    assert countries[["region", "subregion", "population_2015"]].notna().all().all()


def test_regional_totals_equal_the_sums_of_their_members(tables):
    ce = tables["country_estimates"].merge(tables["countries"], on="iso3")
    totals = tables["regional_totals"]
    assert len(totals) > 0
    for row in totals.itertuples():
        members = ce[
            (ce.source_id == row.source_id)
            & (ce.estimate == row.estimate)
            & (ce[row.level] == row.area)
        ]
        assert row.countries == len(members)
        assert row.fighters == members.fighters.sum()
        assert row.population_2015 == members.population_2015.sum()
    # every estimate row counted exactly once per level
    for level in ("region", "subregion"):
        part = totals[totals.level == level]
        by_key = part.groupby(["source_id", "estimate"]).fighters.sum()
        expected = tables["country_estimates"].groupby(["source_id", "estimate"]).fighters.sum()
        pd.testing.assert_series_equal(by_key, expected, check_names=False)


def test_soufan_official_northern_africa_total(tables):
    totals = tables["regional_totals"].set_index(["source_id", "estimate", "level", "area"])
    row = totals.loc[("soufan-2015", "official", "subregion", "Northern Africa")]
    # Tunisia 6000, Morocco 1200, Egypt 600, Algeria 170, Sudan 70
    assert (row.countries, row.fighters) == (5, 8040)


def test_missing_population_is_an_error_naming_the_country(raw_copy):
    def drop_kosovo(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        return "\n".join(line for line in lines if ",XKX," not in line).encode("utf-8")

    rewrite_document(raw_copy, POPULATION, drop_kosovo)
    with pytest.raises(
        ValidationError, match=r"no World Bank population for Kosovo \(XKX\) in 2015"
    ):
        run_pipeline(raw_copy)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("Country Code,Year", "Code,Year", 1, "unexpected columns"),
        ("Aruba,ABW,1960,54922", "Aruba,ABW,1960,many", 2, "unreadable row"),
        ("Aruba,ABW,1960,54922", "Aruba,ABW,1960,549.5", 2, "not a positive whole number"),
    ],
)
def test_damaged_population_file_is_a_reference_data_error(raw_copy, old, new, line, message):
    """The population file is reference data, not the manifest: its own error, at its line."""
    rewrite_document(raw_copy, POPULATION, lambda data: data.replace(old.encode(), new.encode(), 1))
    with pytest.raises(ReferenceDataError, match=message) as info:
        run_pipeline(raw_copy)
    assert (info.value.document, info.value.line) == (POPULATION, line)
    assert not isinstance(info.value, ManifestError)


def test_missing_region_is_an_error_naming_the_country(raw_copy):
    def drop_norway_region(data: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        region = rows[0].index("Region Name")
        iso3 = rows[0].index("ISO3166-1-Alpha-3")
        for row in rows[1:]:
            if row and row[iso3] == "NOR":
                row[region] = ""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode("utf-8")

    rewrite_document(raw_copy, CODES, drop_norway_region)
    with pytest.raises(ValidationError, match="no UN M49 region for NOR"):
        run_pipeline(raw_copy)


def test_population_vintage_is_recorded(tmp_path):
    import json

    from ffdata.builder.build import build

    build(RAW, tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    vintage = {r["id"]: r for r in descriptor["reference_data"]}["worldbank-population"]
    assert vintage["sha256"] == "7d2dd6a17f5ed7916de1f89a9c116791e64d207f2e2f6ce47c57e1ab46f0088a"
    assert vintage["commit"] == "425fc447a53a26c767a15a7de60c4cc2478a0595"
    assert "fighters_per_million" in vintage["used_for"]
