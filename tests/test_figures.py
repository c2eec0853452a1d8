"""Aggregate figures and sources: the parser of printed numbers, and clear errors when a
document or a reviewed entry no longer agrees with the other. Their values are pinned in
tests/expected.json (`make expected`); that each is printed where it says:
tests/test_extracted_values.py."""

from __future__ import annotations

import math

import pytest
from support import DOC, edit, line_of, refusal, replace_line

from ffdata.builder.extract.numbers import parse_figure_number, parse_word_number
from ffdata.builder.review.figures import qualifier_in_text
from ffdata.errors import ExtractionError, ReviewedInputError

DOC_001 = "001_681282505068cf96.txt"
DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"


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


@pytest.mark.parametrize(
    ("line", "file", "old", "new", "says"),
    [
        (
            173,
            DOC,
            "were 30,000",
            "were 31,000",
            "fbi-2015-foreign-fighters|'31,000' where figures.toml records '30,000'",
        ),
        (
            163,
            DOC,
            "seventy percent",
            "sixty percent",
            "reuters-share-syrians-among-fighters-in-syria|'sixty percent'",
        ),
        (19, DOC_003, "51 were male", "51 were men", "icsr-defectors-2015-male|not printed"),
        (
            163,
            DOC,
            "to Reuters data",
            "to AP data",
            "source 'reuters-data', in-text attribution: quote not found",
        ),
    ],
)
def test_a_changed_document_line_is_refused_there(raw_copy, line, file, old, new, says):
    replace_line(raw_copy, line, line_of(line, file).replace(old, new), file)
    error = refusal(raw_copy, ExtractionError, document=file)
    message = str(error)
    assert error.line == line or "in-text attribution" in message
    assert all(part in message for part in says.split("|")), message


def test_quote_printed_twice(raw_copy):
    replace_line(raw_copy, 13, line_of(11, DOC_004), DOC_004)
    error = refusal(raw_copy, ExtractionError, document=DOC_004)
    assert "occurs 2 times" in str(error) and "lines 11, 13" in str(error)


FBI = 'value = 30000\nunit = "people"\nqualifier = "no_qualifier"'
UN = 'qualifier = "more_than"\nrefers_to = "September 2014"'
NINTH = 'value = 11.11111111111111\nunit = "percent"'
HALF = 'value = 50\nunit = "percent"'
CTC = '"ctc-exit-records"\nsource_id = "ctc-personnel-files"'


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (FBI, FBI.replace("30000", "31000"), "recorded as 31000.0, but the text prints 30000.0"),
        (
            UN,
            UN.replace("more_than", "no_qualifier"),
            "'no_qualifier', but the text reads as 'more_than'",
        ),
        (NINTH, NINTH.replace("11.1", "0.1111"), "recorded as 0.1111111111111111, but the"),
        (
            NINTH,
            NINTH.replace("percent", "people"),
            "unit 'people' disagrees with the number '1/9'",
        ),
        (HALF, HALF.replace("50", "5"), "value recorded as 5.0, but the text prints 50.0"),
        ('number = "ninety percent"', 'number = "ninety  per cent"', f"{DOC}:163:"),
        ("footnote = 29\n", "footnote = 13\n", f"{DOC}:233:|footnote 13 is on line 90"),
    ],
)
def test_an_entry_disagreeing_with_the_text_is_refused_at_its_line(raw_copy, old, new, says):
    edit(raw_copy, "sources.toml" if "footnote" in old else "figures.toml", old, new)
    error = refusal(raw_copy, ExtractionError)
    assert all(part in str(error) for part in says.split("|")), str(error)
    assert error.document is not None and error.line is not None


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('source_id = "fbi-2015"', 'source_id = "fbi-2016"', "unknown source_id 'fbi-2016'"),
        (
            CTC,
            CTC.replace("ctc-personnel-files", "fbi-2015"),
            f"is cited in {DOC}, not in {DOC_001}",
        ),
    ],
)
def test_a_figure_of_a_source_not_cited_in_its_document_is_refused(raw_copy, old, new, says):
    edit(raw_copy, "figures.toml", old, new)
    error = refusal(raw_copy, ReviewedInputError)
    assert says in str(error)
    assert "fbi-2015-foreign-fighters" in error.document or "ctc-exit-records" in error.document
