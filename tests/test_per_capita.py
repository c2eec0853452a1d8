"""Per-capita rates, regions and regional totals, with real values."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from support import RAW, rewrite_document

from ffdata.builder.inputs.dates import period_end_year
from ffdata.builder.pipeline import run_pipeline
from ffdata.errors import ManifestError, ReferenceDataError, ValidationError

POPULATION = "reference/worldbank-population/data/population.csv"
CODES = "reference/country-codes/data/country-codes.csv"


def test_tunisia_soufan_official_per_million(tables):
    ce = tables["country_estimates"]
    row = ce[(ce.iso3 == "TUN") & (ce.source_id == "soufan-2015") & (ce.estimate == "official")]
    row = row.iloc[0]
    assert row.fighters == 6000
    assert (row.refers_to_date, row.population_year, row.population) == ("2015", 2015, 11_402_264)
    population = tables["countries"].set_index("iso3").loc["TUN", "population_2015"]
    assert population == 11_402_264
    assert row.fighters_per_million == pytest.approx(526.2, abs=0.05)
    assert round(row.fighters_per_million, 1) == 526.2


def test_every_figure_has_a_rate_from_the_year_it_refers_to(tables):
    ce = tables["country_estimates"]
    for figure in ("fighters", "fighters_low", "fighters_high"):
        rate = ce[f"{figure}_per_million"]
        assert (rate.notna() == ce[figure].notna()).all(), figure
        recomputed = ce[figure] / ce.population * 1e6
        assert (recomputed - rate).abs().max() <= 0.005, figure
    population = pinned_population()
    for row in ce.itertuples():
        assert row.population_year == period_end_year(row.refers_to_date), row
        assert row.population == population[row.iso3, row.population_year], row


def pinned_population() -> dict[tuple[str, int], int]:
    """(code, year) -> population, read from the pinned World Bank file itself."""
    with (RAW / POPULATION).open(encoding="utf-8") as handle:
        return {
            (r["Country Code"], int(r["Year"])): int(float(r["Value"]))
            for r in csv.DictReader(handle)
            if r["Year"] >= "2010"
        }


def test_a_range_has_a_rate_for_each_end_and_none_for_a_midpoint(tables):
    ce = tables["country_estimates"].set_index(["source_id", "iso3"])
    gbr = ce.loc[("icsr-2013-12", "GBR")]
    uk_2013 = pinned_population()["GBR", 2013]
    assert gbr.population == uk_2013
    assert gbr.fighters_low_per_million == pytest.approx(round(43 / uk_2013 * 1e6, 2))
    assert gbr.fighters_high_per_million == pytest.approx(round(366 / uk_2013 * 1e6, 2))
    assert pd.isna(gbr.fighters_per_million) and pd.isna(gbr.fighters)


def test_kosovo_is_southern_europe_with_a_population(tables):
    kosovo = tables["countries"].set_index("iso3").loc["XKX"]
    assert (kosovo.region, kosovo.subregion) == ("Europe", "Southern Europe")
    assert kosovo.population_2015 == 1_788_274
    ce = tables["country_estimates"]
    ce = ce[ce.source_id == "soufan-2015"]
    assert ce[ce.iso3 == "XKX"].fighters_per_million.iloc[0] == pytest.approx(
        232 / 1_788_274 * 1e6, abs=0.005
    )


def test_every_country_has_region_and_population(tables):
    countries = tables["countries"]
    assert countries[["region", "subregion", "population_2015"]].notna().all().all()


def test_regional_totals_equal_the_sums_of_their_members(tables):
    ce = tables["country_estimates"].merge(tables["countries"], on="iso3")
    ce = ce[ce.fighters.notna() | ce.fighters_low.notna()]  # listed without a figure: left out
    totals = tables["regional_totals"]
    assert len(totals) > 0
    for row in totals.itertuples():
        members = ce[
            (ce.source_id == row.source_id)
            & (ce.estimate == row.estimate)
            & (ce[row.level] == row.area)
        ]
        assert row.country_count == len(members)
        assert row.population == members.population.sum()
        if members.fighters.notna().all():  # single figures: a single sum
            assert row.fighters == members.fighters.sum()
            assert pd.isna(row.fighters_low) and pd.isna(row.fighters_high)
        else:  # a range among them: the sum is a range, a single figure counting as both ends
            assert pd.isna(row.fighters)
            assert row.fighters_low == members.fighters.fillna(members.fighters_low).sum()
            assert row.fighters_high == members.fighters.fillna(members.fighters_high).sum()


def test_icsr_2015_western_europe_total_is_a_range(tables):
    totals = tables["regional_totals"].set_index(["source_id", "estimate", "level", "area"])
    row = totals.loc[("icsr-2015-01", "reported", "subregion", "Western Europe")]
    # Austria 100-150, Belgium 440, France 1200, Germany 500-600, Netherlands 200-250,
    # Switzerland 40 (Luxembourg is not listed in January 2015)
    assert (row.country_count, row.fighters_low, row.fighters_high) == (6, 2480, 2680)
    assert pd.isna(row.fighters) and row.population_year == 2014


def test_soufan_official_northern_africa_total(tables):
    totals = tables["regional_totals"].set_index(["source_id", "estimate", "level", "area"])
    row = totals.loc[("soufan-2015", "official", "subregion", "Northern Africa")]
    # Tunisia 6000, Morocco 1200, Egypt 600, Algeria 170, Sudan 70
    assert (row.country_count, row.fighters) == (5, 8040)


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
        ("Country Code,Year", "Code,Year", 1, "the header lacks the column"),
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
    assert "country_estimates.population" in vintage["used_for"]


def damaged(tables: dict, name: str, where: dict, column: str, value: object) -> dict:
    """A copy of ``tables`` whose table ``name`` has ``column`` set to ``value`` in the one
    row matching ``where`` (column -> value)."""
    changed = {key: frame.copy() for key, frame in tables.items()}
    frame = changed[name]
    mask = pd.Series(True, index=frame.index)
    for key, wanted in where.items():
        mask &= frame[key] == wanted
    assert mask.sum() == 1, where
    frame.loc[mask, column] = value
    return changed


GBR_2015 = {"source_id": "icsr-2015-01", "iso3": "GBR"}
WESTERN_EUROPE_2015 = {"source_id": "icsr-2015-01", "level": "subregion", "area": "Western Europe"}
NORTHERN_AFRICA_SOUFAN = {
    "source_id": "soufan-2015",
    "estimate": "official",
    "level": "subregion",
    "area": "Northern Africa",
}


@pytest.mark.parametrize(
    ("name", "where", "column", "value", "message"),
    [
        # each end of a range has its own rate: the high end's (600 Britons) is checked too
        (
            "country_estimates",
            GBR_2015,
            "fighters_high_per_million",
            8.0,
            "fighters_high_per_million 8.0 disagrees with fighters_high / population",
        ),
        (
            "country_estimates",
            GBR_2015,
            "fighters_low_per_million",
            8.0,
            "fighters_low_per_million 8.0 disagrees with fighters_low / population",
        ),
        # the high end of a range total (2,480-2,680 in Western Europe, January 2015)
        ("regional_totals", WESTERN_EUROPE_2015, "fighters_high", 2681, "'Western Europe'"),
        ("regional_totals", WESTERN_EUROPE_2015, "population", 1, "'Western Europe'"),
        ("regional_totals", WESTERN_EUROPE_2015, "country_count", 99, "'Western Europe'"),
        ("regional_totals", WESTERN_EUROPE_2015, "fighters_low", 1, "'Western Europe'"),
        # a sum of single figures (8,040) published as the range 8,040-8,040
        ("regional_totals", NORTHERN_AFRICA_SOUFAN, "fighters", pd.NA, "'Northern Africa'"),
    ],
)
def test_check_derived_refuses_a_wrong_rate_or_total(tables, name, where, column, value, message):
    from ffdata.builder.publish.validate import check_derived

    check_derived(tables)
    changed = damaged(tables, name, where, column, value)
    if column == "fighters" and name == "regional_totals":
        changed = damaged(changed, name, where, "fighters_low", 8040)
        changed = damaged(changed, name, where, "fighters_high", 8040)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_derived(changed)


@pytest.mark.parametrize("change", ["missing", "extra"])
def test_check_derived_refuses_a_missing_or_extra_total(tables, change):
    from ffdata.builder.publish.validate import check_derived

    totals = tables["regional_totals"]
    if change == "missing":
        totals = totals.drop(index=totals.index[-1])
    else:
        totals = pd.concat([totals, totals.tail(1).assign(area="Atlantis")], ignore_index=True)
    with pytest.raises(ValidationError, match=r"regional total of .* does not equal the sum"):
        check_derived({**tables, "regional_totals": totals})


def test_regional_totals_never_mix_population_years(tables):
    """A total sums the rows of one source, whose populations are of one year; rows of
    two years (an assembly bug) are refused, not summed."""
    from ffdata.builder.countries.per_capita import regional_totals

    countries = tables["countries"].set_index("iso3")[["region", "subregion"]]
    rows = tables["country_estimates"]
    rows = rows[rows.source_id == "icsr-2015-01"].astype(object).where(rows.notna(), None)
    records = rows.to_dict("records")
    assert {r["population_year"] for r in records} == {2014}
    gbr = next(r for r in records if r["iso3"] == "GBR")
    gbr["population_year"] = 2015
    with pytest.raises(ValidationError, match=r"populations of several years \(\[2014, 2015\]\)"):
        regional_totals(records, countries.to_dict("index"))
