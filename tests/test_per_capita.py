"""Per-capita rates, regions and regional totals, with real values."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from support import RAW, ROOT, refusal, rewrite_document

from ffdata.builder.inputs.dates import period_end_year
from ffdata.errors import ManifestError, ReferenceDataError, ValidationError

POPULATION = "reference/worldbank-population/data/population.csv"
CODES = "reference/country-codes/data/country-codes.csv"


def test_tunisia_and_kosovo_per_million(tables):
    ce = tables["country_estimates"].set_index(["source_id", "estimate", "iso3"])
    tunisia = ce.loc[("soufan-2015", "official", "TUN")]
    assert (tunisia.fighters, tunisia.population, tunisia.refers_to_date) == (
        6000,
        11_402_264,
        "2015",
    )
    assert tunisia.population_year == 2015 and round(tunisia.fighters_per_million, 1) == 526.2
    countries = tables["countries"].set_index("iso3")
    assert countries.loc["TUN", "population_2015"] == 11_402_264
    kosovo = countries.loc["XKX"]
    assert (kosovo.region, kosovo.subregion) == ("Europe", "Southern Europe")
    assert kosovo.population_2015 == 1_788_274
    rate = ce.loc[("soufan-2015", "official", "XKX"), "fighters_per_million"]
    assert rate == pytest.approx(232 / 1_788_274 * 1e6, abs=0.005)
    assert countries[["region", "subregion", "population_2015"]].notna().all().all()


def test_every_figure_has_a_rate_from_the_year_it_refers_to(tables):
    """Each end of a range has its rate, a missing figure (the midpoint of a range) none."""
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


def test_two_regional_totals(tables):
    totals = tables["regional_totals"].set_index(["source_id", "estimate", "level", "area"])
    row = totals.loc[("icsr-2015-01", "reported", "subregion", "Western Europe")]
    # Austria 100-150, Belgium 440, France 1200, Germany 500-600, Netherlands 200-250,
    # Switzerland 40 (Luxembourg is not listed in January 2015)
    assert (row.country_count, row.fighters_low, row.fighters_high) == (6, 2480, 2680)
    assert pd.isna(row.fighters) and row.population_year == 2014
    row = totals.loc[("soufan-2015", "official", "subregion", "Northern Africa")]
    # Tunisia 6000, Morocco 1200, Egypt 600, Algeria 170, Sudan 70
    assert (row.country_count, row.fighters) == (5, 8040)


def _without_kosovo(data: bytes) -> bytes:
    return b"\n".join(line for line in data.split(b"\n") if b",XKX," not in line)


def _without_norway_s_region(data: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    region, iso3 = rows[0].index("Region Name"), rows[0].index("ISO3166-1-Alpha-3")
    for row in rows[1:]:
        if row and row[iso3] == "NOR":
            row[region] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("file", "change", "says"),
    [
        (POPULATION, _without_kosovo, "no World Bank population for Kosovo (XKX) in 2015"),
        (CODES, _without_norway_s_region, "no UN M49 region for NOR"),
    ],
)
def test_a_country_without_population_or_region_is_refused(raw_copy, file, change, says):
    rewrite_document(raw_copy, file, change)
    assert says in str(refusal(raw_copy, ValidationError))


@pytest.mark.parametrize(
    ("line", "old", "new", "says"),
    [
        (1, "Country Code,Year", "Code,Year", "the header lacks the column"),
        (2, "ABW,1960,54922", "ABW,1960,many", "unreadable row"),
        (2, "ABW,1960,54922", "ABW,1960,549.5", "not a positive whole number"),
    ],
)
def test_a_damaged_population_file_is_refused_at_its_line(raw_copy, line, old, new, says):
    """The population file is reference data, not the manifest: its own error, at its line."""
    rewrite_document(raw_copy, POPULATION, lambda data: data.replace(old.encode(), new.encode(), 1))
    error = refusal(raw_copy, ReferenceDataError, document=POPULATION, line=line)
    assert says in str(error) and not isinstance(error, ManifestError)


def test_population_vintage_is_recorded():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    vintage = {r["id"]: r for r in descriptor["reference_data"]}["worldbank-population"]
    assert vintage["sha256"] == "7d2dd6a17f5ed7916de1f89a9c116791e64d207f2e2f6ce47c57e1ab46f0088a"
    assert vintage["commit"] == "425fc447a53a26c767a15a7de60c4cc2478a0595"
    assert "country_estimates.population" in vintage["used_for"]


GBR_2015 = {"source_id": "icsr-2015-01", "iso3": "GBR"}
WESTERN_EUROPE = {"source_id": "icsr-2015-01", "level": "subregion", "area": "Western Europe"}
NORTHERN_AFRICA = {"source_id": "soufan-2015", "estimate": "official", "area": "Northern Africa"}
RATE = "{0}_per_million 8.0 disagrees with {0} / population"


@pytest.mark.parametrize(
    ("name", "where", "changes", "message"),
    [
        # each end of a range has its own rate: the high end's (600 Britons) is checked too
        (
            "country_estimates",
            GBR_2015,
            {"fighters_high_per_million": 8.0},
            RATE.format("fighters_high"),
        ),
        (
            "country_estimates",
            GBR_2015,
            {"fighters_low_per_million": 8.0},
            RATE.format("fighters_low"),
        ),
        # the high end of a range total (2,480-2,680 in Western Europe, January 2015)
        ("regional_totals", WESTERN_EUROPE, {"fighters_high": 2681}, "'Western Europe'"),
        ("regional_totals", WESTERN_EUROPE, {"population": 1}, "'Western Europe'"),
        ("regional_totals", WESTERN_EUROPE, {"country_count": 99}, "'Western Europe'"),
        ("regional_totals", WESTERN_EUROPE, {"fighters_low": 1}, "'Western Europe'"),
        # a sum of single figures (8,040) published as the range 8,040-8,040
        (
            "regional_totals",
            NORTHERN_AFRICA | {"level": "subregion"},
            {"fighters": pd.NA, "fighters_low": 8040, "fighters_high": 8040},
            "'Northern Africa'",
        ),
    ],
)
def test_check_derived_refuses_a_wrong_rate_or_total(tables, name, where, changes, message):
    from ffdata.builder.publish.validate import check_derived

    check_derived(tables)
    frame = tables[name].copy()
    row = pd.concat([frame[k] == v for k, v in where.items()], axis=1).all(axis=1)
    assert row.sum() == 1, where
    for column, value in changes.items():
        frame.loc[row, column] = value
    with pytest.raises(ValidationError, match=re.escape(message)):
        check_derived({**tables, name: frame})


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
