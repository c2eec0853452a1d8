"""What the reviewed aggregate figures carry: the one country a figure concerns, its
qualifier and topic, ISO dates beside the dates as printed, and ffdata.totals(). Wrong
entries are refused: tests/test_refusals_figures.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support import DOC

from ffdata.tables import METRICS, QUALIFIERS, TABLES, TOPICS, UNITS

DOC_000 = "000_8e0687df2c6dbefb.txt"
DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"


@pytest.fixture(scope="module")
def figures(tables) -> pd.DataFrame:
    return tables["aggregate_figures"].set_index("figure_id")


def test_figures_about_one_country_carry_its_code(figures, tables):
    americans = figures.loc["viableopposition-2015-americans"]
    assert (americans.iso3, americans.line, americans.value) == ("USA", 7, 250)
    assert americans.document_id == "viableopposition-2015-defecting"
    by_country = {
        figures.loc[f].iso3: (figures.loc[f].line, figures.loc[f].text_as_printed)
        for f in (
            "benmelech-klor-2016-russia",
            "benmelech-klor-2016-indonesia",
            "benmelech-klor-2016-tajikistan",
        )
    }
    assert set(by_country) == {"RUS", "IDN", "TJK"}
    assert {line for line, _ in by_country.values()} == {81}
    # a worldwide total concerns no one country
    assert pd.isna(figures.loc["fbi-2015-foreign-fighters"].iso3)
    # every code is a country of the countries table (a foreign key of the package)
    assert set(figures.iso3.dropna()) <= set(tables["countries"].iso3)
    fk = TABLES["aggregate_figures"].foreign_keys
    assert any(k.fields == ("iso3",) and k.table == "countries" for k in fk)


def test_vocabularies_are_enums_of_the_table_and_a_bare_number_is_not_called_exact(figures):
    table = TABLES["aggregate_figures"]
    assert (table.column("metric").enum, table.column("unit").enum) == (METRICS, UNITS)
    assert table.column("qualifier").enum == QUALIFIERS
    assert {"unquantified", "no_qualifier"} <= set(QUALIFIERS) and "exact" not in QUALIFIERS
    assert table.column("producer").required and not TABLES["sources"].column("footnote").required
    assert "exact" not in set(figures.qualifier)
    assert figures.loc["fbi-2015-foreign-fighters"].qualifier == "no_qualifier"
    assert set(figures.qualifier) <= set(QUALIFIERS)
    # a range has its two ends; a figure in words or none has no value
    ranges = figures[figures.qualifier == "range"]
    assert ranges.value_low.notna().all() and ranges.value_high.notna().all()
    assert figures.loc[figures.qualifier == "unquantified", "value"].isna().all()


def test_shares_are_in_percent(figures):
    assert "ratio" not in UNITS
    half = figures.loc["nyt-2015-share-foreign"]
    assert (half.value, half.unit) == (50, "percent") and "half" in half.text_as_printed
    shares = figures[figures.metric.str.startswith("share") | (figures.metric == "death_rate")]
    assert set(shares.unit) == {"percent"}


def test_figures_of_other_subjects_are_marked(figures):
    assert figures.loc["host-page-thailand-attack-deaths"].topic == "other"
    assert figures.loc["mironova-2019-london-attack-deaths"].topic == "other"
    assert figures.loc["byman-2015-death-rate-chechnya"].topic == "foreign_fighters_elsewhere"
    assert figures.loc["fbi-2015-foreign-fighters"].topic == "islamic_state"
    assert set(figures.topic) <= set(TOPICS)
    # every figure printed in the other articles of 004's host page (lines 55-210) that is
    # not about the Islamic State (IS-K is its branch) is marked other
    host_page = figures[(figures.document_id == "speckhard-2019-isis-wives") & (figures.line > 54)]
    assert set(host_page[~host_page.who_is_counted.str.contains("IS-K")].topic) == {"other"}


def test_iso_dates_of_documents(tables):
    docs = tables["documents"].set_index("file")
    assert (docs.loc[DOC_003, "published_date"], docs.loc[DOC_003, "published_precision"]) == (
        "2015-11-16",
        "day",
    )
    assert docs.loc[DOC_003, "date_as_printed"] == "Monday, November 16, 2015"
    assert (docs.loc[DOC, "published_date"], docs.loc[DOC, "published_precision"]) == (
        "2018",
        "year",
    )  # "Spring/Summer 2018", found online
    assert pd.isna(docs.loc["001_681282505068cf96.txt", "published_date"])


def test_iso_dates_of_figures(figures):
    expected = {
        "un-2014-foreign-fighters": ("2014-09", "month", "September 2014"),
        "worldbank-2016-recruits-2013-2014": ("2013/2014", "span", "2013-2014"),
        "ctc-exit-records-last-date": ("2014-08-21", "day", "August 21, 2014"),
        "byman-2015-death-rate-afghanistan": ("1980/1989", "span", "the 1980s"),
        "nyt-2015-share-foreign": (
            "2015-04-19",
            "day",
            "not stated (the cited article is of April 19, 2015)",
        ),
    }
    for figure_id, (date, precision, printed) in expected.items():
        row = figures.loc[figure_id]
        assert (row.refers_to_date, row.refers_to_precision, row.refers_to) == (
            date,
            precision,
            printed,
        )
    assert pd.isna(figures.loc["atlantic-china-attacks"].refers_to_date)  # "not stated"


def test_totals_in_date_order():
    import ffdata

    totals = ffdata.totals()
    dated = totals.dropna(subset=["refers_to_date"])
    assert list(dated.refers_to_date) == sorted(dated.refers_to_date)
    rows = {r.figure_id: (r.refers_to_date, r.value, r.qualifier) for r in totals.itertuples()}
    assert rows["un-2014-foreign-fighters"] == ("2014-09", 15000, "more_than")
    assert rows["us-intelligence-2015-foreign-fighters"] == ("2015-02", 20000, "no_qualifier")
    assert rows["fbi-2015-foreign-fighters"] == ("2015-09", 30000, "no_qualifier")
    assert rows["soufan-group-2015-foreign-fighters"] == ("2015-12", 30000, "approximately")
    order = list(totals.figure_id)
    assert order.index("un-2014-foreign-fighters") < order.index("fbi-2015-foreign-fighters")
    # not worldwide: one country (Americans), a group of countries (western), another topic
    for left_out in (
        "viableopposition-2015-americans",
        "us-intelligence-2015-western-foreign-fighters",
        "benmelech-klor-2016-russia",
    ):
        assert left_out not in order
    figures = ffdata.load("aggregate_figures")
    worldwide = figures[
        (figures.metric == "foreign_fighters")
        & (figures.unit == "people")
        & figures.iso3.isna()
        & (figures.topic == "islamic_state")
    ]
    assert sorted(order) == sorted(worldwide.figure_id)
    assert {"producer", "source_id", "refers_to", "text_as_printed", "line"} <= set(totals)


def test_vocabularies_documented_in_the_codebook():
    codebook = (Path(__file__).parents[1] / "docs" / "codebook.md").read_text(encoding="utf-8")
    for word in (*TOPICS, "no_qualifier", "refers_to_date", "published_date"):
        assert word in codebook
