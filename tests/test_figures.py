"""Aggregate figures and sources of all five documents: real values, vocabularies, and
clear errors when a document or a reviewed entry no longer agrees with the other."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from support import DOC, RAW, find_error, line_of, repin, replace_line

from ffdata.builder.extract.numbers import parse_figure_number, parse_word_number
from ffdata.builder.pipeline import run_pipeline
from ffdata.builder.review.figures import qualifier_in_text
from ffdata.errors import ExtractionError, FfdataError, ReviewedInputError
from ffdata.tables import METRICS, QUALIFIERS, TABLES, UNITS

DOC_000 = "000_8e0687df2c6dbefb.txt"
DOC_001 = "001_681282505068cf96.txt"
DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"
ICSR_COPY = "icsr-foreign-fighters-copy"
DOCUMENT_IDS = {
    DOC_000: "mironova-2019-islamic-state-prisons",
    DOC_001: "milton-ubaydi-hotel-caliphate",
    DOC: "niu-2018-foreigners-in-is",
    DOC_003: "viableopposition-2015-defecting",
    DOC_004: "speckhard-2019-isis-wives",
}


@pytest.fixture(scope="module")
def figures(tables) -> pd.DataFrame:
    return tables["aggregate_figures"].set_index("figure_id")


def test_figures_per_document(figures):
    counts = figures.document_id.value_counts().to_dict()
    assert counts == {
        "niu-2018-foreigners-in-is": 33,  # Indonesia and Tajikistan are one figure each
        "speckhard-2019-isis-wives": 21,
        "viableopposition-2015-defecting": 15,
        "milton-ubaydi-hotel-caliphate": 6,
        "mironova-2019-islamic-state-prisons": 4,
    }


def test_existing_ids_are_kept(figures):
    for figure_id in (
        "soufan-2015-countries-covered",
        "soufan-2015-countries-official",
        "soufan-2015-countries-unofficial-only",
        "worldbank-2016-recruits-2013-2014",
        "worldbank-2016-share-high-school",
        "worldbank-2016-share-no-high-school",
        "worldbank-2016-share-illiterate",
        "worldbank-2016-age-range",
    ):
        assert figure_id in figures.index
    covered = figures.loc["soufan-2015-countries-official"]
    assert (covered.value, covered.qualifier, covered.unit, covered.line) == (
        50,
        "no_qualifier",
        "countries",
        103,
    )
    only = figures.loc["soufan-2015-countries-unofficial-only"]
    assert (only.value, only.qualifier, only.unit, only.line) == (
        15,
        "no_qualifier",
        "countries",
        103,
    )


def test_un_september_2014(figures, tables):
    fighters = figures.loc["un-2014-foreign-fighters"]
    assert (fighters.value, fighters.qualifier, fighters.unit, fighters.refers_to) == (
        15000,
        "more_than",
        "people",
        "September 2014",
    )
    countries = figures.loc["un-2014-countries-of-origin"]
    assert (countries.value, countries.qualifier, countries.unit) == (
        80,
        "no_qualifier",
        "countries",
    )
    assert fighters.line == countries.line == 163
    assert fighters.producer == countries.producer == "United Nations"
    source = tables["sources"].set_index("source_id").loc[fighters.source_id]
    assert pd.isna(source.footnote)
    assert source.citation_as_printed == "A report issued by the United Nations in September 2014"


def test_us_intelligence_february_2015_through_nbc_news(figures, tables):
    total = figures.loc["us-intelligence-2015-foreign-fighters"]
    western = figures.loc["us-intelligence-2015-western-foreign-fighters"]
    assert (total.value, total.qualifier, total.refers_to) == (
        20000,
        "no_qualifier",
        "February 2015",
    )
    assert (western.value, western.qualifier) == (3400, "no_qualifier")
    assert western.metric == "foreign_fighters_from_region" and pd.isna(western.iso3)
    assert "western countries" in western.who_is_counted
    assert total.producer == "US intelligence community"
    source = tables["sources"].set_index("source_id").loc["us-intelligence-2015"]
    assert (source.footnote, source.line, source.second_hand) == (20, 169, True)
    assert "Robert Windrem" in source.citation_as_printed
    assert source.url.startswith("http://www.nbcnews.com/") and source.url.endswith("-n314731")


def test_fbi_september_2015(figures):
    fbi = figures.loc["fbi-2015-foreign-fighters"]
    assert (fbi.value, fbi.qualifier, fbi.refers_to, fbi.line) == (
        30000,
        "no_qualifier",
        "September 2015",
        173,
    )
    assert "FBI" in fbi.producer


def test_first_half_of_2012_is_a_range(figures):
    zelin = figures.loc["zelin-2012-entered-syria-first-half-2012"]
    assert pd.isna(zelin.value)
    assert (zelin.value_low, zelin.value_high, zelin.qualifier) == (700, 1400, "range")
    assert zelin.refers_to == "first half of 2012"


def test_ratio_and_death_rates(figures):
    ratio = figures.loc["hegghammer-share-linked-to-terrorism"]
    assert ratio.unit == "percent" and ratio.qualifier == "approximately"
    assert math.isclose(ratio.value, 100 / 9) and "1/9" in ratio.text_as_printed
    assert ratio.producer == "Thomas Hegghammer"
    rates = {
        figure_id: (figures.loc[figure_id].value, figures.loc[figure_id].qualifier)
        for figure_id in (
            "byman-2015-death-rate-afghanistan",
            "byman-2015-death-rate-chechnya",
            "byman-2015-death-rate-syria",
        )
    }
    assert rates == {
        "byman-2015-death-rate-afghanistan": (5, "approximately"),
        "byman-2015-death-rate-chechnya": (90, "more_than"),
        "byman-2015-death-rate-syria": (20, "approximately"),
    }
    assert {figures.loc[f].unit for f in rates} == {"percent"}


def test_western_women_from_isd(figures, tables):
    women = figures.loc["isd-2015-western-women"]
    assert (women.value, women.unit, women.metric, women.line) == (
        550,
        "people",
        "foreign_women",
        177,
    )
    source = tables["sources"].set_index("source_id").loc["isd-2015"]
    assert source.footnote == 23
    assert "Strategic Dialogue" in women.producer


def test_numbers_in_words(figures):
    shares = {
        f: figures.loc[f].value
        for f in (
            "reuters-share-iraqis-among-fighters-in-iraq",
            "reuters-share-syrians-among-fighters-in-syria",
            "reuters-share-senior-officials-former-officers",
        )
    }
    assert list(shares.values()) == [90, 70, 30]
    assert {figures.loc[f].line for f in shares} == {163}
    # 'According to Reuters data' opens the sentence of the ninety and seventy percent;
    # the thirty percent, like the 40,000, is in a sentence that names no source.
    producers = [figures.loc[f].producer.split(" ")[0] for f in shares]
    assert producers == ["Reuters", "Reuters", "Song"]
    unattributed = ["reuters-share-senior-officials-former-officers", "niu-2018-foreign-fighters"]
    assert set(figures.loc[unattributed].source_id) == {"niu-2018"}
    assert (
        "ninety percent"
        in figures.loc["reuters-share-iraqis-among-fighters-in-iraq"].text_as_printed
    )
    half = figures.loc["nyt-2015-share-foreign"]
    assert (half.value, half.unit, half.qualifier) == (50, "percent", "no_qualifier")


def test_tens_of_thousands_is_unquantified(figures):
    lower = figures.loc["nyt-2015-is-members-lower-bound"]
    assert lower.qualifier == "unquantified"
    assert pd.isna(lower.value) and pd.isna(lower.value_low) and pd.isna(lower.value_high)
    upper = figures.loc["nyt-2015-is-members-upper-bound"]
    assert (upper.value, upper.qualifier) == (200000, "less_than")
    imprisoned = figures.loc["mironova-2019-members-imprisoned"]
    assert (imprisoned.qualifier, imprisoned.document_id) == (
        "unquantified",
        "mironova-2019-islamic-state-prisons",
    )


def test_icsr_defectors(figures):
    got = {
        f: (figures.loc[f].value, figures.loc[f].unit)
        for f in (
            "icsr-2015-defectors",
            "icsr-2015-defectors-male",
            "icsr-2015-defectors-female",
            "icsr-2015-defectors-countries",
        )
    }
    assert got == {
        "icsr-2015-defectors": (58, "people"),
        "icsr-2015-defectors-male": (51, "people"),
        "icsr-2015-defectors-female": (7, "people"),
        "icsr-2015-defectors-countries": (17, "countries"),
    }
    assert {figures.loc[f].line for f in got} == {19}
    assert {figures.loc[f].producer for f in got} == {
        "International Centre for the Study of Radicalization and Political Violence (ICSR)"
    }


def test_camp_roj(figures):
    wives = figures.loc["speckhard-2019-camp-roj-wives"]
    children = figures.loc["speckhard-2019-camp-roj-children"]
    assert (wives.value, children.value, wives.line, children.line) == (500, 1200, 11, 11)
    assert wives.who_is_counted == "ISIS wives in Camp Roj"
    assert children.text_as_printed == wives.text_as_printed
    assert "1,200" in children.text_as_printed


def test_ctc_exit_records(figures):
    assert figures.loc["ctc-exit-records"].value == 431
    assert figures.loc["ctc-exit-records"].unit == "records"
    assert figures.loc["tamimi-archive-arrested-for-fleeing"].value == 11


def test_every_figure_is_printed_where_it_says(figures, tables):
    files = dict(zip(tables["documents"].document_id, tables["documents"].file, strict=True))
    for figure_id, row in figures.iterrows():
        assert row.text_as_printed in line_of(int(row.line), files[row.document_id]), figure_id
        assert row.producer.strip() and row.refers_to.strip() and row.who_is_counted.strip()
        assert row.metric in METRICS and row.unit in UNITS and row.qualifier in QUALIFIERS
        assert pd.notna(row.value) or row.qualifier in ("range", "unquantified"), figure_id


def test_every_source_id_resolves_and_is_cited_in_the_same_document(figures, tables):
    sources = tables["sources"].set_index("source_id")
    for figure_id, row in figures.iterrows():
        assert row.source_id in sources.index, figure_id
        assert sources.loc[row.source_id].document_id == row.document_id, figure_id


def test_sources(tables):
    sources = tables["sources"].set_index("source_id")
    assert len(sources) == 37  # 35 cited in the texts, 2 ICSR publications of the data file
    assert set(sources.document_id) == {*DOCUMENT_IDS.values(), ICSR_COPY}
    in_text = sources[sources.footnote.isna() & (sources.document_id != ICSR_COPY)]
    for source_id, row in in_text.iterrows():
        file = {v: k for k, v in DOCUMENT_IDS.items()}[row.document_id]
        assert row.citation_as_printed in line_of(int(row.line), file), source_id
    assert {"un-2014", "fbi-2015", "reuters-data", "icsr-2015", "mironova-2019"} <= set(
        in_text.index
    )
    notes = sources.loc[["tamimi-archive-2016", "allen-2016"]]
    assert list(notes.footnote) == [4, 5] and list(notes.line) == [39, 41]
    benmelech = sources.loc["benmelech-klor-2016"]
    assert (benmelech.footnote, benmelech.date_as_printed) == (15, "April 2016")
    assert (benmelech.published_date, benmelech.published_precision) == ("2016-04", "month")
    hegghammer = sources.loc["hegghammer-2010"]
    assert (hegghammer.published_date, hegghammer.published_precision) == ("2010/2011", "span")


def test_sources_of_a_data_file_are_cited_from_its_provenance(tables):
    sources = tables["sources"].set_index("source_id")
    provenance = (RAW / "reference/icsr-foreign-fighters/PROVENANCE.md").read_text().splitlines()
    icsr = sources[sources.document_id == ICSR_COPY]
    assert sorted(icsr.index) == ["icsr-2013-12", "icsr-2015-01"]
    assert icsr.footnote.isna().all()
    for source_id, row in icsr.iterrows():
        assert row.citation_as_printed in provenance[int(row.line) - 1], source_id
    assert (icsr.loc["icsr-2013-12", "line"], icsr.loc["icsr-2015-01", "line"]) == (5, 12)
    assert list(icsr.published_date) == ["2013-12-17", "2015-01-26"]
    assert list(icsr.refers_to_date) == ["2011/2013-12-10", "2014-12"]
    assert "all groups" in icsr.loc["icsr-2013-12", "what_it_counts"]
    assert "Sunni militant groups" in icsr.loc["icsr-2015-01", "what_it_counts"]


def test_vocabularies_are_enums_of_the_table():
    table = TABLES["aggregate_figures"]
    assert table.column("metric").enum == METRICS
    assert table.column("unit").enum == UNITS
    assert table.column("qualifier").enum == QUALIFIERS
    assert "unquantified" in QUALIFIERS and "no_qualifier" in QUALIFIERS
    assert "exact" not in QUALIFIERS and "ratio" not in UNITS
    assert table.column("producer").required
    assert not TABLES["sources"].column("footnote").required


# The parser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("30,000", (30000.0, None, None, "count")),
        ("15,000", (15000.0, None, None, "count")),
        ("700-1,400", (None, 700.0, 1400.0, "count")),
        ("1500 to 2200", (None, 1500.0, 2200.0, "count")),
        ("20-35", (None, 20.0, 35.0, "count")),
        ("69%", (69.0, None, None, "percent")),
        ("2%", (2.0, None, None, "percent")),
        ("85 percent", (85.0, None, None, "percent")),
        ("ninety percent", (90.0, None, None, "percent")),
        ("1.6 billion", (1.6e9, None, None, "count")),
        ("Five", (5.0, None, None, "count")),
        ("three dozen", (36.0, None, None, "count")),
        ("half", (0.5, None, None, "ratio")),
        ("tens of thousands", (None, None, None, "unquantified")),
        ("several hundred", (None, None, None, "unquantified")),
    ],
)
def test_parse_figure_number(printed, expected):
    assert tuple(parse_figure_number(printed, document="d", line=1)) == expected


def test_parse_ratio():
    parsed = parse_figure_number("1/9", document="d", line=1)
    assert parsed.kind == "ratio" and math.isclose(parsed.value, 1 / 9)


@pytest.mark.parametrize("printed", ["many", "1,20", "35-20", "6O00", "1/9%", "1/2-1/3"])
def test_parse_refuses(printed):
    with pytest.raises(ExtractionError) as info:
        parse_figure_number(printed, document="d.txt", line=7)
    assert (info.value.document, info.value.line) == ("d.txt", 7)


def test_word_numbers_and_qualifiers():
    assert parse_word_number("seventy") == 70
    assert parse_word_number("twenty-five") == 25
    assert parse_word_number("a hundred") == 100
    assert parse_word_number("ninety-nine thousand") == 99000
    assert parse_word_number("fighters") is None
    assert qualifier_in_text("less than ") == "less_than"
    assert qualifier_in_text("compared with nearly ") == "approximately"
    assert qualifier_in_text("including over ") == "more_than"


# Errors when the document or the reviewed files change -------------------------------


def edit_toml(raw_dir: Path, name: str, old: str, new: str) -> None:
    path = raw_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    repin(raw_dir, name)


def test_changed_number_in_the_document(raw_copy):
    replace_line(raw_copy, 173, line_of(173).replace("were 30,000 foreign", "were 31,000 foreign"))
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    err = info.value
    assert (err.document, err.line) == (DOC, 173)
    assert "fbi-2015-foreign-fighters" in str(err)
    assert "'31,000' where figures.toml records '30,000'" in str(err)


def test_changed_number_in_words(raw_copy):
    replace_line(raw_copy, 163, line_of(163).replace("seventy percent", "sixty percent"))
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert (info.value.document, info.value.line) == (DOC, 163)
    assert "reuters-share-syrians-among-fighters-in-syria" in str(info.value)
    assert "'sixty percent'" in str(info.value)


def test_mutated_quote(raw_copy):
    replace_line(raw_copy, 19, line_of(19, DOC_003).replace("51 were male", "51 were men"), DOC_003)
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    err = find_error(info.value, ExtractionError, document=DOC_003)
    assert (err.document, err.line) == (DOC_003, 19)
    assert "icsr-2015-defectors-male" in str(err) and "not printed" in str(err)


def test_quote_printed_twice(raw_copy):
    line = line_of(11, DOC_004)
    replace_line(raw_copy, 13, line, DOC_004)
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    err = find_error(info.value, ExtractionError, document=DOC_004)
    assert "occurs 2 times" in str(err) and "lines 11, 13" in str(err)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'value = 30000\nunit = "people"\nqualifier = "no_qualifier"',
            'value = 31000\nunit = "people"\nqualifier = "no_qualifier"',
            "value recorded as 31000.0, but the text prints 30000.0",
        ),
        (
            'qualifier = "more_than"\nrefers_to = "September 2014"',
            'qualifier = "no_qualifier"\nrefers_to = "September 2014"',
            "qualifier 'no_qualifier', but the text reads as 'more_than'",
        ),
        (
            'value = 11.11111111111111\nunit = "percent"',
            'value = 0.1111111111111111\nunit = "percent"',
            "value recorded as 0.1111111111111111, but the text prints 11.11111111111111",
        ),
        (
            'value = 11.11111111111111\nunit = "percent"',
            'value = 11.11111111111111\nunit = "people"',
            "unit 'people' disagrees with the number '1/9'",
        ),
        (
            'value = 50\nunit = "percent"',
            'value = 5\nunit = "percent"',
            "value recorded as 5.0, but the text prints 50.0",
        ),
    ],
)
def test_entry_disagreeing_with_the_text(raw_copy, old, new, message):
    edit_toml(raw_copy, "figures.toml", old, new)
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert message in str(info.value)
    assert info.value.document is not None and info.value.line is not None


def test_unknown_source_is_refused(raw_copy):
    edit_toml(raw_copy, "figures.toml", 'source_id = "fbi-2015"', 'source_id = "fbi-2016"')
    with pytest.raises(ReviewedInputError) as info:
        run_pipeline(raw_copy)
    assert "unknown source_id 'fbi-2016'" in str(info.value)
    assert "fbi-2015-foreign-fighters" in info.value.document


def test_source_of_another_document_is_refused(raw_copy):
    edit_toml(
        raw_copy,
        "figures.toml",
        'figure_id = "ctc-exit-records"\nsource_id = "ctc-personnel-files"',
        'figure_id = "ctc-exit-records"\nsource_id = "fbi-2015"',
    )
    with pytest.raises(ReviewedInputError) as info:
        run_pipeline(raw_copy)
    assert f"is cited in {DOC}, not in {DOC_001}" in str(info.value)


def test_in_text_attribution_must_still_be_printed(raw_copy):
    replace_line(
        raw_copy, 163, line_of(163).replace("According to Reuters data", "According to AP data")
    )
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    err = find_error(info.value, ExtractionError, document=DOC)
    assert "source 'reuters-data', in-text attribution: quote not found" in str(err)


def test_citation_on_the_wrong_footnote(raw_copy):
    edit_toml(raw_copy, "sources.toml", "footnote = 29\n", "footnote = 13\n")
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    err = find_error(info.value, ExtractionError, document=DOC, line=233)
    assert "footnote 13 is on line 90" in str(err)


def test_every_error_is_an_ffdata_error(raw_copy):
    edit_toml(raw_copy, "figures.toml", 'number = "ninety percent"', 'number = "ninety  per cent"')
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    assert info.value.document == DOC and info.value.line == 163


def test_figures_toml_matches_the_table(figures):
    entries = tomllib.loads((RAW / "figures.toml").read_text(encoding="utf-8"))["figures"]
    assert sorted(e["figure_id"] for e in entries) == sorted(figures.index)
    for entry in entries:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["figure_id"])
        assert entry["producer"].strip()
