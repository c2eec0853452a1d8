"""The published aggregate_figures table: the one country a figure concerns, its
qualifier and topic, ISO dates beside the dates as printed, and ffdata.totals(). Wrong
entries are refused: tests/test_refusals_figures.py."""

from __future__ import annotations

import pandas as pd
import pytest
from support import DOC, REPO

from ffdata.tables import (
    CROSS_REFERENCE_FLAGS,
    FOREIGN_FIGHTER_METRICS,
    METRICS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    TABLES,
    TOPICS,
    UNITS,
)

DOC_003 = "003_9aa05a10f4782776.txt"


@pytest.fixture(scope="module")
def figures(tables) -> pd.DataFrame:
    return tables["aggregate_figures"].set_index("figure_id")


def test_figures_about_one_country_carry_its_code(figures, tables):
    americans = figures.loc["viableopposition-2015-americans"]
    assert (americans.iso3, americans.line, americans.value) == ("USA", 7, 250)
    assert americans.document_id == "viableopposition-2015-defecting"
    benmelech = figures.loc[
        [f"benmelech-klor-2016-{c}" for c in ("russia", "indonesia", "tajikistan")]
    ]
    assert (benmelech.iso3.tolist(), set(benmelech.line)) == (["RUS", "IDN", "TJK"], {81})
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


def test_iso_dates_of_documents_and_figures(tables, figures):
    docs = tables["documents"].set_index("file")
    columns = ["published_date", "published_precision", "date_as_printed"]
    assert docs.loc[DOC_003, columns].tolist() == ["2015-11-16", "day", "Monday, November 16, 2015"]
    assert docs.loc[DOC, columns[:2]].tolist() == ["2018", "year"]  # "Spring/Summer 2018", online
    assert pd.isna(docs.loc["001_681282505068cf96.txt", "published_date"])
    nyt = "April 19, 2015"
    expected = {
        "un-2014-foreign-fighters": ["2014-09", "month", "September 2014"],
        "worldbank-2016-recruits-2013-2014": ["2013/2014", "span", "2013-2014"],
        "ctc-exit-records-last-date": ["2014-08-21", "day", "August 21, 2014"],
        "byman-2015-death-rate-afghanistan": ["1980/1989", "span", "the 1980s"],
        "nyt-2015-share-foreign": [
            "2015-04-19",
            "day",
            f"not stated (the cited article is of {nyt})",
        ],
    }
    for figure_id, (date, precision, printed) in expected.items():
        row = figures.loc[figure_id]
        assert [row.refers_to_date, row.refers_to_precision, row.refers_to] == [
            date,
            precision,
            printed,
        ]
    assert pd.isna(figures.loc["atlantic-china-attacks"].refers_to_date)  # "not stated"


def test_totals_show_the_stocks_first_each_series_in_date_order():
    import ffdata
    from ffdata.api import SERIES, STOCK

    totals = ffdata.totals()
    assert list(totals.series) == sorted(totals.series, key=SERIES.index)
    for _, rows in totals.groupby("series", sort=False):
        dated = rows.dropna(subset=["refers_to_date"])
        assert list(dated.refers_to_date) == sorted(dated.refers_to_date)
    stocks = totals[totals.series == "stock"]  # never an inflow or another universe
    assert (stocks.groups_counted == STOCK["groups_counted"]).all()
    assert (stocks.count_kind == STOCK["count_kind"]).all()
    assert (totals[totals.count_kind == "inflow"].series == "inflow").all()
    assert {str(totals[c].dtype) for c in ("value", "value_low", "value_high")} == {"Int64"}
    for row in totals[totals.qualifier != "unquantified"].itertuples():  # words shown
        words = QUALIFIER_WORDS.get(row.qualifier)
        assert row.figure.startswith(words) if words else not row.figure[0].isalpha()
    rows = {r.figure_id: (r.refers_to_date, r.value, r.qualifier) for r in totals.itertuples()}
    assert rows["un-2014-foreign-fighters"] == ("2014-09", 15000, "more_than")
    assert rows["us-intelligence-2015-foreign-fighters"] == ("2015-02", 20000, "no_qualifier")
    assert rows["fbi-2015-foreign-fighters"] == ("2015-09", 30000, "no_qualifier")
    assert rows["soufan-group-2015-foreign-fighters"] == ("2015-12", 30000, "approximately")
    order = list(totals.figure_id)
    assert order.index("un-2014-foreign-fighters") < order.index("fbi-2015-foreign-fighters")
    # not worldwide: one country (Americans), a group of countries (western)
    left_out = ["viableopposition-2015-americans", "us-intelligence-2015-western-foreign-fighters"]
    assert not {*left_out, "benmelech-klor-2016-russia"} & set(order)
    f = ffdata.load("aggregate_figures")
    worldwide = f.query("metric == 'foreign_fighters' and unit == 'people'")
    assert sorted(order) == sorted(worldwide[worldwide.iso3.isna()].figure_id)
    assert {"producer", "source_id", "refers_to", "text_as_printed", "line"} <= set(totals)


def test_vocabularies_documented_in_the_codebook():
    codebook = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    for word in (*TOPICS, "no_qualifier", "refers_to_date", "published_date"):
        assert word in codebook


def test_every_count_of_foreign_fighters_states_its_universe(figures):
    """A count of foreign fighters says which groups, where, stock or inflow; no other
    figure has a universe."""
    universe = ["groups_counted", "place_counted", "count_kind"]
    counts = figures.metric.isin(FOREIGN_FIGHTER_METRICS)
    assert counts.any()
    assert figures.loc[counts, universe].notna().all().all()
    assert figures.loc[~counts, universe].isna().all().all()


def test_a_flagged_cross_reference_names_an_existing_source_or_figure(figures, tables):
    """A figure flagged as differing from its producer names, in its note, a published
    source or figure."""
    ids = set(tables["sources"].source_id) | set(figures.index)
    flagged = figures[
        figures.oddities.fillna("")
        .str.split(";")
        .map(lambda f: bool(set(f) & set(CROSS_REFERENCE_FLAGS)))
    ]
    assert len(flagged) > 0
    for figure_id, row in flagged.iterrows():
        named = {w.strip(".,;:()'") for w in str(row.note).split()}
        assert named & (ids - {figure_id}), figure_id


def test_figures_of_other_articles_of_the_host_page_are_not_dated_by_the_main_article(
    figures, tables
):
    """Document 004 prints, after its main article ends ('Continue Reading'), other articles
    of the host page, from other years: their figures say so and never take the main
    article's date."""
    documents = tables["documents"].set_index("document_id")
    document_id = "speckhard-2019-isis-wives"
    lines = (REPO / "data" / "raw" / documents.loc[document_id, "file"]).read_text(encoding="utf-8")
    end = lines.splitlines().index("Continue Reading") + 1
    main_date = str(documents.loc[document_id, "published_date"])
    others = figures[(figures.document_id == document_id) & (figures.line > end)]
    assert len(others) > 0
    for figure_id, row in others.iterrows():
        assert "another article of the host page" in row.who_is_counted, figure_id
        dated = str(row.refers_to_date) if pd.notna(row.refers_to_date) else ""
        assert not dated.startswith(main_date[:4]), figure_id
