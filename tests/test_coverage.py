"""The coverage guarantee: every number of the five documents is a recorded figure, a
country table row, or ruled out as not a figure; anything else stops the build."""

from __future__ import annotations

import pytest
from support import DOC, RAW, line_of, repin, replace_line

from ffdata.builder.build import build
from ffdata.builder.extract.numbers import coverage_tokens, number_tokens, word_number_tokens
from ffdata.builder.pipeline import run_pipeline
from ffdata.builder.review.coverage import (
    RULES,
    RULES_BY_NAME,
    DocumentNotes,
    classify_document,
)
from ffdata.errors import ExtractionError, ReviewedInputError

DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"


def test_every_number_is_accounted_for(result):
    """Every number of every text, in digits or in words, has a class (the classes' counts
    are pinned in tests/expected.json); a data file has rows, not numbers."""
    report = result.coverage
    assert report.accounted == report.total == sum(report.by_kind().values()) > 0
    assert sum(report.by_written().values()) == report.total
    assert report.summary() == (
        f"{report.total} of {report.total} numbers, in digits or in words, accounted for"
    )
    texts = {f for f, d in result.documents.items() if not d.entry.provenance_file}
    assert {o.file for o in report.occurrences} == texts


def test_build_summary_reports_coverage(result, tmp_path):
    report = build(RAW, tmp_path / "out")
    assert f"coverage: {result.coverage.summary()}" in report.summary()


def test_every_figure_number_is_where_the_figures_say(result):
    places = {(o.file, o.line, o.number) for o in result.coverage.occurrences if o.kind == "figure"}
    assert (DOC, 163, "15,000") in places
    assert (DOC, 61, "700-1,400") in places
    assert (DOC, 227, "1/9") in places
    assert ("004_2b2d63c63ac1a506.txt", 160, "1500") in places
    assert ("004_2b2d63c63ac1a506.txt", 160, "2200") in places


def test_tokens():
    found = [m.group() for m in number_tokens("Vol.107, No.1, 2013, pp.1-15; 9/11; 1/9; n314731")]
    assert found == ["107", "1", "2013", "1-15", "9/11", "1/9", "314731"]


@pytest.mark.parametrize(
    ("rule", "text", "numbers"),
    [
        ("footnote_mark", "Syria.<sup>20</sup> In", ["20"]),
        ("note_number", "travel.[1] And", ["1"]),
        ("citation_locator", "Vol. 35, No. 3, Winter 2010/11, pp.53-94.", ["35", "3", "53-94"]),
        ("url", "<http://qz.com/802276/the-foreign>", ["802276"]),
        (
            "date",
            "on March 1, 2017, and 18 November, 2015 and May 31",
            ["1", "2017", "18", "2015", "31"],
        ),
        (
            "year",
            "In 2011, the first half of 2012, during 2013-2014, Winter 2010-11",
            ["2011", "2012", "2013-2014", "2010-11"],
        ),
        ("decade", "in the 1980s", ["1980"]),
        ("year_in_parentheses", "Richard Barrett (2014)", ["2014"]),
        ("magazine_issue", "the 49th issue and issue 48", ["49", "48"]),
        ("figure_or_table_label", "(Figure 1) and **Table 2:**", ["1", "2"]),
        ("list_number", "1.)  Infighting within ISIS", ["1"]),
        ("september_11", "Before 9/11, both", ["9/11"]),
        ("time_ago", "Americas2 hours ago", ["2"]),
        ("time_of_day", "at 10:30 in the morning", ["10", "30"]),
        ("one_of", "One of the leaked spreadsheets; one of them, Adam", ["One", "one"]),
        ("according_to_one", "according to one former prisoner", ["one"]),
        ("pronoun_one", "one may interpret this; no one knows", ["one", "one"]),
        ("half_of_a_year", "In the first half of 2012, about", ["half"]),
    ],
)
def test_rules_recognise(rule, text, numbers):
    notes = DocumentNotes(frozenset({20}), frozenset({1}), frozenset(), frozenset({20}))
    spans = RULES_BY_NAME[rule].spans(text, 1, notes)
    covered = [
        m.group()
        for m, _ in coverage_tokens(text)
        if any(a <= m.start() and m.end() <= b for a, b in spans)
    ]
    assert covered == numbers


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("footnote_mark", "<sup>x</sup>"),
        ("footnote_number", "17 people were killed"),  # no <sup>17</sup> mark in the document
        ("note_number", "[7] figures"),  # no note [7]
        ("date", "they may use 30 rifles"),
        ("year", "in 2015 fighters"),  # a counted noun follows: a count, not a year
        ("year", "the 2000 foreign fighters"),
        ("year", "about 2015 people"),
        ("year", "in 2,015"),
        ("citation_year", "Index, 2015, rest"),  # only on a footnote line
        ("cited_title", '"Index 2015"'),  # only on a footnote line
        ("list_number", "The 1. item"),
        ("september_11", "19/11/2015"),
        ("one_of", "one foreign fighter of the group"),  # a person, not 'one of the'
        ("one_of", "one or two of them"),
        ("according_to_one", "according to one hundred officials"),
        ("pronoun_one", "one mayor said"),
        ("half_of_a_year", "half of these are foreigners"),
        ("half_of_a_year", "the first half of the fighters"),
    ],
)
def test_rules_are_precise(rule, text):
    notes = DocumentNotes(frozenset({20}), frozenset({1}), frozenset(), frozenset({20}))
    assert RULES_BY_NAME[rule].spans(text, 1, notes) == []


def test_every_rule_is_documented():
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert len(rule.description) > 20 and rule.pattern.groupindex


def test_unaccounted_number_stops_the_build(raw_copy):
    replace_line(raw_copy, 175, line_of(175) + " Some 4,321 recruits were non-fighters.")
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    err = info.value
    assert (err.document, err.line) == (DOC, 175)
    assert "number '4,321' is not accounted for" in str(err)
    assert "4,321 recruits" in err.text
    assert "not_figures.toml" in err.hint


def test_word_tokens():
    text = "tens of thousands, twenty-five, three dozen, Five of the six, two-year-old, someone"
    found = [m.group() for m in word_number_tokens(text)]
    assert found == ["tens of thousands", "twenty-five", "three dozen", "Five", "six", "two"]
    assert [w for _, w in coverage_tokens("over 250 Americans and half")] == ["digits", "words"]


def test_unaccounted_number_in_words_stops_the_build(raw_copy):
    replace_line(raw_copy, 33, line_of(33, DOC_003) + " Later, seventy fighters deserted.", DOC_003)
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    err = info.value
    assert (err.document, err.line) == (DOC_003, 33)
    assert "number 'seventy' is not accounted for (a number in words)" in str(err)
    assert "seventy fighters deserted" in err.text
    assert "not_figures.toml" in err.hint


def test_removed_exclusion_of_a_number_in_words_is_missed(raw_copy):
    path = raw_copy / "not_figures.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[not_figures]]\ndocument = "003_9aa05a10f4782776.txt"\nquote = "As we')
    end = text.index("[[not_figures]]", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    repin(raw_copy, "not_figures.toml")
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert (info.value.document, info.value.line) == (DOC_003, 7)
    assert "'thousands' is not accounted for" in str(info.value)


def test_unaccounted_number_in_another_document(raw_copy):
    replace_line(raw_copy, 33, line_of(33, DOC_003) + " In 2015, 2000 fighters deserted.", DOC_003)
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert (info.value.document, info.value.line) == (DOC_003, 33)
    assert "'2000'" in str(info.value)


def test_year_followed_by_a_count_is_not_taken_for_a_year(raw_copy):
    replace_line(raw_copy, 5, line_of(5, DOC_003) + " In 2015 the 2015 fighters left.", DOC_003)
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert info.value.line == 5 and "'2015' is not accounted for" in str(info.value)


def test_removed_exclusion_is_missed(raw_copy):
    path = raw_copy / "not_figures.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[not_figures]]\ndocument = "004_2b2d63c63ac1a506.txt"\nquote = "You were')
    end = text.index("[[not_figures]]", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    repin(raw_copy, "not_figures.toml")
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert (info.value.document, info.value.line) == (DOC_004, 35)
    assert "'24/7' is not accounted for" in str(info.value)


def test_unneeded_exclusion_is_refused(raw_copy):
    path = raw_copy / "not_figures.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[not_figures]]\ndocument = "000_8e0687df2c6dbefb.txt"\n'
        'quote = "In 2020, conflict could rise anew."\nnumber = "2020"\nreason = "a year"\n',
        encoding="utf-8",
    )
    repin(raw_copy, "not_figures.toml")
    with pytest.raises(ReviewedInputError) as info:
        run_pipeline(raw_copy)
    assert "already accounted for as year" in str(info.value)


def test_exclusion_of_a_recorded_figure_is_refused(raw_copy):
    path = raw_copy / "not_figures.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + f'\n[[not_figures]]\ndocument = "{DOC}"\n'
        'quote = "the FBI estimated that there were 30,000"\nnumber = "30,000"\nreason = "x"\n',
        encoding="utf-8",
    )
    repin(raw_copy, "not_figures.toml")
    with pytest.raises(ReviewedInputError) as info:
        run_pipeline(raw_copy)
    assert "already accounted for as figure" in str(info.value)


def test_exclusion_whose_quote_is_gone(raw_copy):
    replace_line(raw_copy, 35, line_of(35, DOC_004).replace("24/7", "day and night"), DOC_004)
    with pytest.raises(ExtractionError) as info:
        run_pipeline(raw_copy)
    assert info.value.document == DOC_004
    assert "not_figures entry" in str(info.value) and "quote not found" in str(info.value)


def test_exclusion_must_name_a_recorded_repeat(raw_copy):
    path = raw_copy / "not_figures.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('repeats = "host-page-guantanamo-uighurs"', 'repeats = "no-such-figure"'),
        encoding="utf-8",
    )
    repin(raw_copy, "not_figures.toml")
    with pytest.raises(ReviewedInputError) as info:
        run_pipeline(raw_copy)
    assert "no-such-figure" in str(info.value)


def test_classify_without_figures_leaves_figures_unaccounted(result):
    doc = result.documents[DOC_003]
    missing = [o.number for o in classify_document(doc, [], []) if o.kind is None]
    assert missing[:4] == ["thousands", "25,000", "100", "250"]  # no not_figures entries given


def test_a_mark_without_its_footnote_is_not_accounted_for():
    with_footnote = DocumentNotes(frozenset({99}), frozenset(), frozenset(), frozenset({99}))
    without = DocumentNotes(frozenset({99}), frozenset(), frozenset(), frozenset())
    assert RULES_BY_NAME["footnote_mark"].spans("x<sup>99</sup>", 1, with_footnote) == [(6, 8)]
    assert RULES_BY_NAME["footnote_mark"].spans("x<sup>99</sup>", 1, without) == []


def _numbers(found) -> list[tuple[int, list[str], list[str]]]:
    return [
        (n, [t.group() for t, _ in tokens], [r for r, _ in rules]) for n, tokens, rules in found
    ]


def test_kept_line_numbers_are_those_of_the_very_text():
    """The numbers of a document's lines are kept for the process by its text: a document
    that differs in one digit, with as many lines and the same first line (a test corpus'
    changed copy), gets its own numbers, never the other's."""
    from ffdata.builder.review import coverage

    first = ("Foreign fighters<sup>1</sup> in 2015", "Tunisia 6,000", "1 A note of 7 pages")
    second = ("Foreign fighters<sup>1</sup> in 2015", "Tunisia 6,001", "1 A note of 7 pages")
    expected = [
        (1, ["1", "2015"], ["footnote_mark", "year"]),
        (2, ["6,000"], []),
        (3, ["1", "7"], ["footnote_number"]),
    ]
    assert _numbers(coverage.line_numbers(first)) == expected
    assert _numbers(coverage.line_numbers(second)) == [
        *expected[:1],
        (2, ["6,001"], []),
        *expected[2:],
    ]
    assert _numbers(coverage.line_numbers(first)) == expected
    # line 3 opens a note only where its mark is printed: the whole text is the key
    unmarked = ("Foreign fighters in 2015", *first[1:])
    assert _numbers(coverage.line_numbers(unmarked))[-1] == (3, ["1", "7"], [])
    assert _numbers(coverage.line_numbers(first)) == expected


def test_only_documents_up_to_kept_characters_are_kept(monkeypatch):
    from ffdata.builder.review import coverage

    monkeypatch.setattr(coverage, "KEPT_CHARACTERS", 40)
    small, large = ("a line of 12 characters", "2015"), ("x" * 40, "another 7")
    coverage._kept_line_numbers.cache_clear()
    assert coverage.line_numbers(small) is coverage.line_numbers(small)  # found once, kept
    assert coverage._kept_line_numbers.cache_info().currsize == 1
    assert _numbers(coverage.line_numbers(large)) == [(2, ["7"], [])]
    assert coverage._kept_line_numbers.cache_info().currsize == 1  # not kept
