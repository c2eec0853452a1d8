"""What the review of the aggregate figures adds (issue 12, part 4): the one country a
figure concerns, its topic, ISO dates beside the dates as printed, and ffdata.totals();
each refused with a clear error when a reviewed entry is wrong."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support import DOC, repin

from ffdata.builder.pipeline import run_pipeline
from ffdata.errors import CountryError, FfdataError, ManifestError, ReviewedInputError
from ffdata.tables import QUALIFIERS, TABLES, TOPICS, UNITS

DOC_000 = "000_8e0687df2c6dbefb.txt"
DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"


@pytest.fixture(scope="module")
def figures(tables) -> pd.DataFrame:
    return tables["aggregate_figures"].set_index("figure_id")


def edit(raw_dir: Path, name: str, old: str, new: str) -> None:
    path = raw_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    repin(raw_dir, name)


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


def test_a_bare_number_is_not_called_exact(figures):
    assert "exact" not in QUALIFIERS and "exact" not in set(figures.qualifier)
    assert figures.loc["fbi-2015-foreign-fighters"].qualifier == "no_qualifier"
    counts = figures.qualifier.value_counts().to_dict()
    assert counts == {
        "no_qualifier": 46,  # 45 once called exact, and the two Americans in Camp Roj
        "unquantified": 11,
        "more_than": 9,
        "approximately": 7,
        "range": 3,
        "less_than": 2,
        "at_least": 1,
    }


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
    assert figures.topic.value_counts().to_dict() == {
        "islamic_state": 63,
        "other": 14,
        "foreign_fighters_elsewhere": 2,
    }
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
    assert len(totals) == 8
    assert {"producer", "source_id", "refers_to", "text_as_printed", "line"} <= set(totals)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-09"',
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-9"',
            "refers_to_date '2015-9' is not a valid date",
        ),
        (
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-09"',
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-09-31"',
            "is not a calendar date",
        ),
        (
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-09"',
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2016-09"',
            "names no year that the date as printed ('September 2015') names",
        ),
        (
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-09"',
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-03"',
            "names no month that the date as printed ('September 2015') names",
        ),
        (
            'refers_to = "September 2015"\ntopic = "islamic_state"\nrefers_to_date = "2015-09"',
            'refers_to = "September 2015"\ntopic = "islamic_state"',
            "names a year, but the entry has no refers_to_date",
        ),
        (
            'refers_to = "2013-2014"\ntopic = "islamic_state"\nrefers_to_date = "2013/2014"\n'
            'who_is_counted = "foreign fighters who joined',
            'refers_to = "2013-2014"\ntopic = "islamic_state"\nrefers_to_date = "2014/2013"\n'
            'who_is_counted = "foreign fighters who joined',
            "a span must run from an earlier date to a later one",
        ),
        (
            'refers_to = "September 2015"\ntopic = "islamic_state"',
            'refers_to = "September 2015"\ntopic = "isis"',
            "topic 'isis' is not one of islamic_state",
        ),
        (
            'metric = "death_rate"\nvalue = 5\n',
            'metric = "mortality"\nvalue = 5\n',
            "metric 'mortality'",
        ),
        (
            'value = 30000\nunit = "people"\nqualifier = "no_qualifier"',
            'value = 30000\nunit = "people"\nqualifier = "exact"',
            "qualifier 'exact' is not one of no_qualifier,",
        ),
    ],
)
def test_a_wrong_reviewed_date_or_topic_is_refused(raw_copy, old, new, message):
    edit(raw_copy, "figures.toml", old, new)
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    assert message in str(info.value)
    assert "figures.toml" in str(info.value)
    assert info.value.hint


def test_a_wrong_date_names_its_entry_and_the_fix(raw_copy):
    edit(raw_copy, "figures.toml", 'refers_to_date = "2015-09"', 'refers_to_date = "Sept 2015"')
    with pytest.raises(ReviewedInputError) as info:
        run_pipeline(raw_copy)
    assert "fbi-2015-foreign-fighters" in info.value.document
    assert "figures.toml:" in info.value.document
    assert "ISO 8601" in info.value.hint and "2015-12" in info.value.hint


def test_a_wrong_published_date_is_refused(raw_copy):
    edit(
        raw_copy, "manifest.toml", 'published_date = "2015-11-16"', 'published_date = "2015-11-31"'
    )
    with pytest.raises(ManifestError) as info:
        run_pipeline(raw_copy)
    assert "published_date '2015-11-31' is not a valid date" in str(info.value)
    assert DOC_003 in info.value.document and "manifest.toml" in info.value.document


def test_a_printed_date_needs_its_published_date(raw_copy):
    edit(raw_copy, "manifest.toml", 'published_date = "2019-10-20"\n', "")
    with pytest.raises(ManifestError) as info:
        run_pipeline(raw_copy)
    assert "has no published_date" in str(info.value) and DOC_004 in info.value.document


def test_an_unknown_country_is_refused(raw_copy):
    edit(
        raw_copy,
        "figures.toml",
        'country = "United States"\nrefers_to_date = "2012/2015-11"',
        'country = "Amerika"\nrefers_to_date = "2012/2015-11"',
    )
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    err = info.value
    assert isinstance(err, CountryError)
    assert (err.document, err.line) == (DOC_003, 7)
    assert "viableopposition-2015-americans" in str(err) and "'Amerika'" in str(err)
    assert "resolves to no ISO 3166-1 country" in str(err)
    assert "over 250 Americans" in err.text
    assert "country_aliases.csv" in err.hint


def test_a_country_the_quote_does_not_name_is_refused(raw_copy):
    edit(raw_copy, "figures.toml", 'country = "Russia"\n', 'country = "France"\n')
    with pytest.raises(CountryError) as info:
        run_pipeline(raw_copy)
    err = info.value
    assert (err.document, err.line) == (DOC, 81)
    assert "the quote prints no name of France (FRA)" in str(err)


def test_vocabularies_documented_in_the_codebook():
    codebook = (Path(__file__).parents[1] / "docs" / "codebook.md").read_text(encoding="utf-8")
    for word in (*TOPICS, "no_qualifier", "refers_to_date", "published_date"):
        assert word in codebook


@pytest.mark.parametrize("value", [None, ""])
def test_a_document_with_a_printed_date_needs_its_published_date(raw_copy, value):
    """A publication date always exists: the hint asks for it and never offers the empty
    value, which would be refused again (an empty published_date counts as none)."""
    manifest = raw_copy / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    old = 'published_date = "2015-11-16"\n'
    assert text.count(old) == 1
    manifest.write_text(
        text.replace(old, "" if value is None else f'published_date = "{value}"\n'),
        encoding="utf-8",
    )
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    assert "names a year, but the entry has no published_date" in str(info.value)
    assert "manifest.toml" in str(info.value)
    assert info.value.hint.startswith("add published_date in ISO 8601")
    assert '""' not in info.value.hint
