"""Aggregate figures and sources of all five documents: where they are printed, the
vocabularies, the parser, and clear errors when a document or a reviewed entry no longer
agrees with the other. Their values are pinned in tests/expected.json (`make expected`)."""

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

DOC_001 = "001_681282505068cf96.txt"
DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"
ICSR_COPY = "icsr-foreign-fighters-copy"


@pytest.fixture(scope="module")
def figures(tables) -> pd.DataFrame:
    return tables["aggregate_figures"].set_index("figure_id")


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


def test_sources_without_a_footnote_print_their_attribution_on_their_line(tables):
    files = dict(zip(tables["documents"].document_id, tables["documents"].file, strict=True))
    sources = tables["sources"].set_index("source_id")
    texts = ~sources.document_id.map(files).str.endswith(".csv")
    for source_id, row in sources[sources.footnote.isna() & texts].iterrows():
        assert row.citation_as_printed in line_of(int(row.line), files[row.document_id]), source_id


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
