"""ICSR's December 2013 and January 2015 estimates, read from the pinned data file.

Real values as ICSR published them (and the copy records them), ranges kept as ranges,
the copy's quirks flagged, and a data file that changes or does not read as declared
refused with the file, line and row.
"""

from __future__ import annotations

import csv
from dataclasses import replace

import pandas as pd
import pytest
from support import RAW, edit, refusal, replace_line

from ffdata.builder.extract import check_data_rows_read
from ffdata.builder.pipeline import run_stages
from ffdata.builder.publish.validate import check_figure_forms
from ffdata.errors import (
    ChecksumError,
    CountryError,
    ExtractionError,
    ReviewedInputError,
    ValidationError,
)

CSV = "reference/icsr-foreign-fighters/data/icsr.csv"
PROVENANCE = "reference/icsr-foreign-fighters/PROVENANCE.md"
DATES = {"20131217": "icsr-2013-12", "20150126": "icsr-2015-01"}
FIGURES = ("fighters", "fighters_low", "fighters_high")


@pytest.fixture(scope="module")
def icsr(tables) -> pd.DataFrame:
    ce = tables["country_estimates"]
    return ce[ce.source_id.isin(DATES.values())].set_index(["source_id", "iso3"])


def test_dates_and_provenance_of_the_two_sources(icsr, tables):
    columns = ["refers_to_date", "refers_to_precision", "published_date", "population_year"]
    dates = icsr.reset_index().groupby("source_id")[columns].first()
    assert dates.loc["icsr-2013-12"].tolist() == ["2011/2013-12-10", "span", "2013-12-17", 2013]
    assert dates.loc["icsr-2015-01"].tolist() == ["2014-12", "month", "2015-01-26", 2014]
    sources = tables["sources"].set_index("source_id").loc[list(DATES.values())]
    assert set(sources.document_id) == {"icsr-foreign-fighters-copy"}
    assert sources.footnote.isna().all() and sources.line.tolist() == [5, 12]  # PROVENANCE.md
    assert sources.loc["icsr-2013-12", "licence"].startswith("CC-BY-3.0")
    assert "all groups" in sources.loc["icsr-2013-12", "what_it_counts"]
    assert "Sunni militant groups" in sources.loc["icsr-2015-01", "what_it_counts"]


def test_every_row_is_the_file_as_printed_and_no_range_is_a_midpoint(icsr):
    """Read the file independently: a range is its two ends (never the copy's icsr.mean;
    ICSR's corrected 1-1 for Switzerland, Qatar's 15-14 as printed), a single figure is
    icsr.mean, NA is no figure; provenance is the row itself, its code the country's."""
    with (RAW / CSV).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(icsr)
    for line, row in enumerate(rows, start=2):
        published = icsr.loc[(DATES[row["icsr.date"]], slice(None))]
        match = published[published.line == line]
        assert len(match) == 1, line
        got = match.iloc[0]
        assert got.text_as_printed == ",".join(row.values())
        assert got.name_as_printed == row["country"]
        code = match.index[0]  # KSV is XKX, WBG Palestine's PSE: flagged
        assert code == row["countrycode"] or "code_not_iso3" in str(got["oddities"]), line
        shown = {int(got[c]) for c in FIGURES if pd.notna(got[c])}
        low, high, mean = row["icsr.low"], row["icsr.high"], row["icsr.mean"]
        if low:
            assert pd.isna(got.fighters), line
            assert (got.fighters_low, got.fighters_high) == (int(low), int(high))
            if float(mean) not in {float(low), float(high)}:
                assert float(mean) not in shown, f"midpoint published at line {line}"
        elif mean == "NA":
            assert not shown and "listed_without_figure" in got["oddities"]
        else:
            assert (got.fighters, pd.isna(got.fighters_low)) == (int(mean), True)


def test_only_the_quirky_rows_are_flagged_and_with_their_quirks(icsr):
    flagged = icsr[icsr["oddities"].notna()]["oddities"].to_dict()
    assert flagged == {
        ("icsr-2013-12", "PSE"): "code_not_iso3",
        ("icsr-2013-12", "QAT"): "low_above_high",
        ("icsr-2013-12", "RUS"): "copy_mean_not_midpoint",
        ("icsr-2013-12", "XKX"): "code_not_iso3",
        ("icsr-2015-01", "IRQ"): "listed_without_figure",
        ("icsr-2015-01", "PSE"): "code_not_iso3;listed_without_figure",
        ("icsr-2015-01", "XKX"): "code_not_iso3",
    }


UK_2013, UK_2015 = "united kingdom,GBR,20131217,", "united kingdom,GBR,20150126,"


@pytest.mark.parametrize(
    ("line", "new", "message"),
    [
        (52, UK_2013 + "43,,204.5", "gives one end of a range only"),
        (52, UK_2013 + "43,3x6,204.5", "icsr.high '3x6' is not a whole number"),
        (103, UK_2015 + ",,many", "icsr.mean 'many' is not a whole number"),
        (52, UK_2013 + "43,366", "the row has 5 cells, the header 6"),
        (52, "united kingdom,GBR,20131218,43,366,204.5", "no source reads this row"),
        (53, UK_2013 + "17,60,38.5", "repeats line 52"),
        (1, "country,code,icsr.date,icsr.low,icsr.high,icsr.mean", "has no column 'countrycode'"),
        # an empty cell is not "NA": only NA lists a country without a figure
        (103, UK_2015 + ",,", "icsr.mean '' is not a whole number"),
        # beside a range, the copy's mean must still be a number
        (52, UK_2013 + "43,366,NA", "icsr.mean 'NA' is not a number beside the range 43-366"),
        (103, UK_2015 + ",,550.5", "icsr.mean '550.5' is not a whole number"),
        (52, UK_2013 + "43.5,366,204.75", "icsr.low '43.5' is not a whole"),
        (52, ",GBR,20131217,43,366,204.5", "estimates of 17 December 2013 has no country"),
    ],
)
def test_a_row_that_does_not_read_as_declared_is_refused_not_guessed(raw_copy, line, new, message):
    """A cell that could be read as 'no figure', a truncated number or a nameless country
    stops the build at its row instead of publishing a guess."""
    replace_line(raw_copy, line, new, CSV)
    error = refusal(raw_copy, ExtractionError, "extract", document=CSV, line=line)
    assert message in str(error)


@pytest.mark.parametrize(("code", "meaning"), [("IRL", "means IRL"), ("ZZZ", "means no country")])
def test_a_code_that_means_another_country_or_none_is_refused(raw_copy, code, meaning):
    replace_line(raw_copy, 52, f"united kingdom,{code},20131217,43,366,204.5", CSV)
    error = refusal(raw_copy, CountryError, "countries", document=CSV, line=52)
    assert f"country code '{code}' {meaning}, but the name 'united kingdom' is GBR" in str(error)


def test_a_changed_provenance_file_is_refused(raw_copy):
    path = raw_copy / PROVENANCE
    path.write_text(path.read_text(encoding="utf-8").replace("Zelin", "Zelim"), encoding="utf-8")
    refusal(raw_copy, ChecksumError, "inputs", document=PROVENANCE)


DATE_2013 = 'date_as_printed = "17 December 2013"\npublished_date = "2013-12-17"'
PUBLISHED_2013 = 'published_date = "2013-12-17"\nurl = "https://icsr.info/2013/12/17/'
CITATION_2013 = 'citation = "ICSR Insight, Aaron Y.'
KIND_2013 = 'chart_colours = ["#56b4e9"]\nestimates = ["reported"]'


# the second is the next item of PROVENANCE.md (the January 2015 publication)
@pytest.mark.parametrize(
    ("date", "iso"), [("18 December 2013", "2013-12-18"), ("26 January 2015", "2015-01-26")]
)
def test_a_citation_not_in_the_provenance_is_refused(raw_copy, date, iso):
    new = f'date_as_printed = "{date}"\npublished_date = "{iso}"'
    edit(raw_copy, "sources.toml", DATE_2013, new)
    error = refusal(raw_copy, ExtractionError, "reviewed", document=PROVENANCE)
    assert f"date_as_printed '{date}' is not printed in the citation" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # the date is printed, so its ISO form may not be left out
        (PUBLISHED_2013, PUBLISHED_2013.split("\n")[1], "but the entry has no published_date"),
        (
            PUBLISHED_2013,
            PUBLISHED_2013.replace("12-17", "12-32"),
            "'2013-12-32' is not a valid date",
        ),
        # a data file's citation comes from its provenance, which has no footnotes
        (CITATION_2013, "footnote = 1\n" + CITATION_2013, "a data file has no footnotes"),
        # a data file's row gives one figure per country: one kind of estimate
        (
            KIND_2013,
            KIND_2013.replace('"]', '", "#000000"]', 1).replace(
                '"reported"', '"reported", "official"'
            ),
            "a data file gives one figure per country: declare one kind",
        ),
    ],
)
def test_a_declaration_of_the_data_file_that_cannot_be_right_is_refused(
    raw_copy, old, new, message
):
    edit(raw_copy, "sources.toml", old, new)
    assert message in str(refusal(raw_copy, ReviewedInputError, "reviewed"))


def test_a_select_value_that_matches_no_row_is_refused(raw_copy):
    edit(raw_copy, "sources.toml", 'select_value = "20131217"', 'select_value = "20131218"')
    error = refusal(raw_copy, ExtractionError, "extract", document=CSV, line=1)
    assert "no row of the file has icsr.date = '20131218'" in str(error)


def test_a_row_read_by_two_sources_is_refused():
    """check_data_rows_read: each row of the data file is read once, never counted twice."""
    state = run_stages(RAW, until="extract")
    uk = next(r for r in state.rows if r.file == CSV and r.line == 52)
    assert (uk.source_id, uk.fighters_low, uk.fighters_high) == ("icsr-2013-12", 43, 366)
    twice = [*state.rows, replace(uk, source_id="icsr-2015-01")]
    with pytest.raises(ExtractionError, match="two sources read this row") as info:
        check_data_rows_read(state.documents, twice)
    assert info.value.line == 52


WITHOUT_FIGURE = "has no figure unless, and only if, flagged listed_without_figure"


@pytest.mark.parametrize(
    ("source_id", "iso3", "column", "value", "problem"),
    [
        # an inverted range that carries no flag (an extractor bug)
        ("icsr-2013-12", "QAT", "oddities", pd.NA, "low end above its high end"),
        # a range collapsed to a midpoint
        ("icsr-2015-01", "GBR", "fighters", 550, "a single figure and a bound"),
        # Britain's 500-600 losing its high end
        ("icsr-2015-01", "GBR", "fighters_high", pd.NA, "gives one end of a range only"),
        # Iraq, listed without a figure, no longer flagged: a silent empty row
        ("icsr-2015-01", "IRQ", "oddities", pd.NA, WITHOUT_FIGURE),
        # France's 1200 flagged as if it had no figure
        ("icsr-2015-01", "FRA", "oddities", "listed_without_figure", WITHOUT_FIGURE),
    ],
)
def test_a_figure_of_the_wrong_form_is_refused_at_its_line(
    result, source_id, iso3, column, value, problem
):
    check_figure_forms(result.tables)
    ce = result.tables["country_estimates"].copy()
    row = (ce.source_id == source_id) & (ce.iso3 == iso3)
    assert row.sum() == 1
    ce.loc[row, column] = value
    with pytest.raises(ValidationError, match=problem) as info:
        check_figure_forms({**result.tables, "country_estimates": ce})
    assert info.value.line == int(ce.loc[row, "line"].iloc[0])
