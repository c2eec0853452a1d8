"""ICSR's December 2013 and January 2015 estimates, read from the pinned data file.

Real values as ICSR published them (and the copy records them), ranges kept as ranges,
the copy's quirks flagged, and a data file that changes or does not read as declared
refused with the file, line and row.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from support import RAW, find_error, repin, rewrite_document

from ffdata.builder.extract import check_data_rows_read
from ffdata.builder.pipeline import run_pipeline, run_stages
from ffdata.errors import (
    ChecksumError,
    CountryError,
    ExtractionError,
    FfdataError,
    ReviewedInputError,
)

CSV = "reference/icsr-foreign-fighters/data/icsr.csv"
PROVENANCE = "reference/icsr-foreign-fighters/PROVENANCE.md"
DATES = {"20131217": "icsr-2013-12", "20150126": "icsr-2015-01"}


@pytest.fixture(scope="module")
def icsr(tables) -> pd.DataFrame:
    ce = tables["country_estimates"]
    return ce[ce.source_id.isin(DATES.values())].set_index(["source_id", "iso3"])


def figures(icsr: pd.DataFrame, source_id: str, iso3: str) -> tuple:
    row = icsr.loc[(source_id, iso3)]
    return tuple(
        None if pd.isna(row[c]) else int(row[c])
        for c in ("fighters", "fighters_low", "fighters_high")
    )


@pytest.mark.parametrize(
    ("source_id", "iso3", "expected"),
    [
        ("icsr-2015-01", "GBR", (None, 500, 600)),
        ("icsr-2015-01", "DEU", (None, 500, 600)),
        ("icsr-2015-01", "FRA", (1200, None, None)),  # a single figure
        ("icsr-2015-01", "BEL", (440, None, None)),
        ("icsr-2015-01", "TUN", (None, 1500, 3000)),
        ("icsr-2013-12", "GBR", (None, 43, 366)),
        ("icsr-2013-12", "CHE", (None, 1, 1)),  # ICSR's corrected high figure
        ("icsr-2013-12", "QAT", (None, 15, 14)),  # as printed, flagged
        ("icsr-2013-12", "XKX", (None, 4, 150)),  # KSV in the file
        ("icsr-2015-01", "IRQ", (None, None, None)),  # listed without a figure
    ],
)
def test_icsr_values_as_published(icsr, source_id, iso3, expected):
    assert figures(icsr, source_id, iso3) == expected


def test_dates(icsr):
    dates = (
        icsr.reset_index()
        .groupby("source_id")[
            ["refers_to_date", "refers_to_precision", "published_date", "population_year"]
        ]
        .first()
    )
    assert dates.loc["icsr-2013-12"].tolist() == ["2011/2013-12-10", "span", "2013-12-17", 2013]
    assert dates.loc["icsr-2015-01"].tolist() == ["2014-12", "month", "2015-01-26", 2014]


def test_every_row_is_the_file_as_printed_and_no_range_is_a_midpoint(icsr):
    """Read the file independently: a range is its two ends (never the copy's icsr.mean),
    a single figure is icsr.mean, NA is no figure; provenance is the row itself."""
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
        shown = {
            int(got[c]) for c in ("fighters", "fighters_low", "fighters_high") if pd.notna(got[c])
        }
        if row["icsr.low"]:
            assert pd.isna(got.fighters), line
            assert (got.fighters_low, got.fighters_high) == (
                int(row["icsr.low"]),
                int(row["icsr.high"]),
            )
            if float(row["icsr.mean"]) not in {float(row["icsr.low"]), float(row["icsr.high"])}:
                assert float(row["icsr.mean"]) not in shown, f"midpoint published at line {line}"
        elif row["icsr.mean"] == "NA":
            assert not shown and "listed_without_figure" in got["oddities"]
        else:
            assert (got.fighters, pd.isna(got.fighters_low)) == (int(row["icsr.mean"]), True)


@pytest.mark.parametrize(
    ("source_id", "iso3", "flag"),
    [
        ("icsr-2013-12", "QAT", "low_above_high"),
        ("icsr-2015-01", "IRQ", "listed_without_figure"),
        ("icsr-2015-01", "PSE", "listed_without_figure"),
        ("icsr-2015-01", "PSE", "code_not_iso3"),
        ("icsr-2013-12", "XKX", "code_not_iso3"),
        ("icsr-2013-12", "RUS", "copy_mean_not_midpoint"),
    ],
)
def test_quirks_are_flagged(icsr, source_id, iso3, flag):
    assert flag in icsr.loc[(source_id, iso3), "oddities"].split(";")


def test_only_the_quirky_rows_are_flagged(icsr):
    flagged = icsr[icsr["oddities"].notna()].reset_index()
    assert sorted(zip(flagged.source_id, flagged.iso3, strict=True)) == [
        ("icsr-2013-12", "PSE"),
        ("icsr-2013-12", "QAT"),
        ("icsr-2013-12", "RUS"),
        ("icsr-2013-12", "XKX"),
        ("icsr-2015-01", "IRQ"),
        ("icsr-2015-01", "PSE"),
        ("icsr-2015-01", "XKX"),
    ]


def change_line(raw, number: int, new: str) -> None:
    def change(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        lines[number - 1] = new
        return "\n".join(lines).encode("utf-8")

    rewrite_document(raw, CSV, change)


@pytest.mark.parametrize(
    ("line", "new", "message"),
    [
        (52, "united kingdom,GBR,20131217,43,,204.5", "gives one end of a range only"),
        (52, "united kingdom,GBR,20131217,43,3x6,204.5", "icsr.high '3x6' is not a whole number"),
        (103, "united kingdom,GBR,20150126,,,many", "icsr.mean 'many' is not a whole number"),
        (52, "united kingdom,GBR,20131217,43,366", "the row has 5 cells, the header 6"),
        (52, "united kingdom,GBR,20131218,43,366,204.5", "no source reads this row"),
        (53, "united kingdom,GBR,20131217,17,60,38.5", "repeats line 52"),
        (1, "country,code,icsr.date,icsr.low,icsr.high,icsr.mean", "has no column 'countrycode'"),
    ],
)
def test_a_data_file_that_does_not_read_as_declared_is_refused(raw_copy, line, new, message):
    change_line(raw_copy, line, new)
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="extract")
    error = find_error(info.value, ExtractionError, document=CSV)
    assert message in str(error)
    assert error.line == (53 if "repeats" in message else line)


def test_a_code_that_means_another_country_is_refused(raw_copy):
    change_line(raw_copy, 52, "united kingdom,IRL,20131217,43,366,204.5")
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="countries")
    error = find_error(info.value, CountryError, document=CSV, line=52)
    assert "country code 'IRL' means IRL, but the name 'united kingdom' is GBR" in str(error)


def test_a_changed_provenance_file_is_refused(raw_copy):
    path = raw_copy / PROVENANCE
    path.write_text(path.read_text(encoding="utf-8").replace("Zelin", "Zelim"), encoding="utf-8")
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="inputs")
    find_error(info.value, ChecksumError, document=PROVENANCE)


def test_a_citation_not_in_the_provenance_is_refused(raw_copy):
    path = raw_copy / "sources.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'date_as_printed = "17 December 2013"', 'date_as_printed = "18 December 2013"'
    )
    path.write_text(text.replace('published_date = "2013-12-17"', 'published_date = "2013-12-18"'))
    repin(raw_copy, "sources.toml")
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="reviewed")
    error = find_error(info.value, ExtractionError, document=PROVENANCE)
    assert "date_as_printed '18 December 2013' is not printed in the citation" in str(error)


def test_low_above_high_must_be_flagged_to_be_published(result):
    """The validation refuses an inverted range that carries no flag (an extractor bug)."""
    from ffdata.builder.publish.validate import check_figure_forms
    from ffdata.errors import ValidationError

    tables = dict(result.tables)
    ce = tables["country_estimates"].copy()
    qatar = (ce.source_id == "icsr-2013-12") & (ce.iso3 == "QAT")
    ce.loc[qatar, "oddities"] = pd.NA
    tables["country_estimates"] = ce
    with pytest.raises(ValidationError, match="low end above its high end"):
        check_figure_forms(tables)


def test_a_range_collapsed_to_a_midpoint_is_refused(result):
    from ffdata.builder.publish.validate import check_figure_forms
    from ffdata.errors import ValidationError

    tables = dict(result.tables)
    ce = tables["country_estimates"].copy()
    gbr = (ce.source_id == "icsr-2015-01") & (ce.iso3 == "GBR")
    ce.loc[gbr, "fighters"] = 550
    tables["country_estimates"] = ce
    with pytest.raises(ValidationError, match="a single figure and a bound"):
        check_figure_forms(tables)


def test_the_whole_build_publishes_the_icsr_rows(tmp_path):
    out = run_pipeline(RAW).tables["sources"].set_index("source_id")
    assert out.loc["icsr-2015-01", "document_id"] == "icsr-foreign-fighters-copy"
    assert out.loc["icsr-2013-12", "licence"].startswith("CC-BY-3.0")


def edit(raw: Path, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` with ``new`` in file ``name`` of ``raw``."""
    path = raw / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    repin(raw, name)


@pytest.mark.parametrize(
    ("line", "new", "message"),
    [
        # an empty cell is not "NA": only NA lists a country without a figure
        (103, "united kingdom,GBR,20150126,,,", "icsr.mean '' is not a whole number"),
        # beside a range, the copy's mean must still be a number (here NA)
        (
            52,
            "united kingdom,GBR,20131217,43,366,NA",
            "icsr.mean 'NA' is not a number beside the range 43-366",
        ),
        (103, "united kingdom,GBR,20150126,,,550.5", "icsr.mean '550.5' is not a whole number"),
        (52, "united kingdom,GBR,20131217,43.5,366,204.75", "icsr.low '43.5' is not a whole"),
        (
            52,
            ",GBR,20131217,43,366,204.5",
            "a row of the ICSR estimates of 17 December 2013 has no country",
        ),
    ],
)
def test_a_row_that_reads_two_ways_is_refused_not_guessed(raw_copy, line, new, message):
    """A cell that could be read as 'no figure', a truncated number or a nameless country
    stops the build at its row instead of publishing a guess."""
    change_line(raw_copy, line, new)
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="extract")
    error = find_error(info.value, ExtractionError, document=CSV, line=line)
    assert message in str(error)


def test_a_select_value_that_matches_no_row_is_refused(raw_copy):
    edit(raw_copy, "sources.toml", 'select_value = "20131217"', 'select_value = "20131218"')
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="extract")
    error = find_error(info.value, ExtractionError, document=CSV, line=1)
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


def test_a_data_file_declared_with_two_kinds_of_estimate_is_refused(raw_copy):
    """A data file's row gives one figure per country: one kind of estimate."""
    text = (raw_copy / "sources.toml").read_text(encoding="utf-8")
    block = text[text.index('source_id = "icsr-2013-12"') :]
    old = block[: block.index('estimates = ["reported"]') + len('estimates = ["reported"]')]
    two = old.replace('["reported"]', '["reported", "official"]').replace(
        '"#56b4e9"]', '"#56b4e9", "#000000"]'
    )
    edit(raw_copy, "sources.toml", old, two)
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="reviewed")
    error = find_error(info.value, ReviewedInputError)
    assert "a data file gives one figure per country: declare one kind" in str(error)


def test_a_code_that_means_no_country_is_refused(raw_copy):
    change_line(raw_copy, 52, "united kingdom,ZZZ,20131217,43,366,204.5")
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="countries")
    error = find_error(info.value, CountryError, document=CSV, line=52)
    assert "country code 'ZZZ' means no country, but the name 'united kingdom' is GBR" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # the date is printed, so its ISO form may not be left out
        (
            'published_date = "2013-12-17"\nurl = "https://icsr.info/2013/12/17/',
            'url = "https://icsr.info/2013/12/17/',
            "names a year, but the entry has no published_date",
        ),
        (
            'published_date = "2013-12-17"\nurl = "https://icsr.info/2013/12/17/',
            'published_date = "2013-12-32"\nurl = "https://icsr.info/2013/12/17/',
            "published_date '2013-12-32' is not a valid date",
        ),
        # a data file's citation comes from its provenance, which has no footnotes
        (
            'citation = "ICSR Insight, Aaron Y.',
            'footnote = 1\ncitation = "ICSR Insight, Aaron Y.',
            "a data file has no footnotes",
        ),
        # the next item of PROVENANCE.md (the January 2015 publication) is not this citation
        (
            'date_as_printed = "17 December 2013"\npublished_date = "2013-12-17"',
            'date_as_printed = "26 January 2015"\npublished_date = "2015-01-26"',
            "date_as_printed '26 January 2015' is not printed in the citation",
        ),
    ],
)
def test_a_citation_of_the_data_file_that_cannot_be_right_is_refused(raw_copy, old, new, message):
    edit(raw_copy, "sources.toml", old, new)
    with pytest.raises(FfdataError) as info:
        run_stages(raw_copy, until="reviewed")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("iso3", "column", "value", "problem"),
    [
        # Britain's 500-600 losing its high end
        ("GBR", "fighters_high", pd.NA, "gives one end of a range only"),
        # Iraq, listed without a figure, no longer flagged: a silent empty row
        (
            "IRQ",
            "oddities",
            pd.NA,
            "has no figure unless, and only if, flagged listed_without_figure",
        ),
        # France's 1200 flagged as if it had no figure
        (
            "FRA",
            "oddities",
            "listed_without_figure",
            "has no figure unless, and only if, flagged listed_without_figure",
        ),
    ],
)
def test_a_figure_of_the_wrong_form_is_refused(result, iso3, column, value, problem):
    from ffdata.builder.publish.validate import check_figure_forms
    from ffdata.errors import ValidationError

    check_figure_forms(result.tables)
    tables = dict(result.tables)
    ce = tables["country_estimates"].copy()
    row = (ce.source_id == "icsr-2015-01") & (ce.iso3 == iso3)
    assert row.sum() == 1
    ce.loc[row, column] = value
    tables["country_estimates"] = ce
    with pytest.raises(ValidationError, match=problem) as info:
        check_figure_forms(tables)
    assert info.value.line == int(ce.loc[row, "line"].iloc[0])
