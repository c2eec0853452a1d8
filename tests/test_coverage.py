"""The coverage guarantee: every number of the five documents is a recorded figure, a
country table row, or ruled out as not a figure; anything else stops the build."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from support import DOC, RAW, edit, line_of, refusal, repin, replace_line

from ffdata.builder.extract.numbers import coverage_tokens, number_tokens, word_number_tokens
from ffdata.builder.review import coverage
from ffdata.builder.review.coverage import RULES, RULES_BY_NAME, DocumentNotes, classify_document
from ffdata.errors import ExtractionError, ReviewedInputError

DATES = "on March 1, 2017, and 18 November, 2015 and May 31"
YEARS = "In 2011, the first half of 2012, during 2013-2014, Winter 2010-11"
DOC_000 = "000_8e0687df2c6dbefb.txt"
DOC_003 = "003_9aa05a10f4782776.txt"
DOC_004 = "004_2b2d63c63ac1a506.txt"
#: Footnote marks 20 and 99 printed, note [1]; only footnote 20 written out.
NOTES = DocumentNotes(frozenset({20, 99}), frozenset({1}), frozenset(), frozenset({20}))


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


def test_every_figure_number_is_where_the_figures_say(result):
    """Each number of a reviewed figure (both ends of ``1500 to 2200``) is a figure on its line."""
    places = {(o.file, o.line, o.number) for o in result.coverage.occurrences if o.kind == "figure"}
    files = {d.entry.document_id: f for f, d in result.documents.items()}
    figures = result.tables["aggregate_figures"].set_index("figure_id")
    for entry in tomllib.loads((RAW / "figures.toml").read_text(encoding="utf-8"))["figures"]:
        row = figures.loc[entry["figure_id"]]
        for token, _ in coverage_tokens(entry["number"]):
            assert (files[row.document_id], row.line, token.group()) in places, entry["figure_id"]


def test_tokens_in_digits_and_in_words():
    found = [m.group() for m in number_tokens("Vol.107, No.1, 2013, pp.1-15; 9/11; 1/9; n314731")]
    assert found == ["107", "1", "2013", "1-15", "9/11", "1/9", "314731"]
    text = "tens of thousands, twenty-five, three dozen, Five of the six, two-year-old, someone"
    found = [m.group() for m in word_number_tokens(text)]
    assert found == ["tens of thousands", "twenty-five", "three dozen", "Five", "six", "two"]
    assert [w for _, w in coverage_tokens("over 250 Americans and half")] == ["digits", "words"]


@pytest.mark.parametrize(
    ("rule", "text", "numbers"),
    [
        ("footnote_mark", "Syria.<sup>20</sup> In", ["20"]),
        ("note_number", "travel.[1] And", ["1"]),
        ("citation_locator", "Vol. 35, No. 3, Winter 2010/11, pp.53-94.", ["35", "3", "53-94"]),
        ("url", "<http://qz.com/802276/the-foreign>", ["802276"]),
        ("date", DATES, ["1", "2017", "18", "2015", "31"]),
        ("year", YEARS, ["2011", "2012", "2013-2014", "2010-11"]),
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
    spans = RULES_BY_NAME[rule].spans(text, 1, NOTES)
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
        ("footnote_mark", "x<sup>99</sup>"),  # a mark without its footnote
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
    assert RULES_BY_NAME[rule].spans(text, 1, NOTES) == []


def test_every_rule_is_documented():
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert len(rule.description) > 20 and rule.pattern.groupindex


@pytest.mark.parametrize(
    ("line", "file", "added", "says"),
    [
        (175, DOC, " Some 4,321 recruits were non-fighters.", "'4,321' is not accounted for"),
        (
            33,
            DOC_003,
            " Later, seventy fighters deserted.",
            "'seventy' is not accounted for (a number in words)",
        ),
        (33, DOC_003, " In 2015, 2000 fighters deserted.", "'2000' is not accounted for"),
        # a year followed by a count is not taken for a year
        (5, DOC_003, " In 2015 the 2015 fighters left.", "'2015' is not accounted for"),
    ],
)
def test_a_number_not_accounted_for_stops_the_build_at_its_line(raw_copy, line, file, added, says):
    replace_line(raw_copy, line, line_of(line, file) + added, file)
    error = refusal(raw_copy, ExtractionError, document=file, line=line)
    assert f"number {says}" in str(error)
    assert added.strip() in error.text and "not_figures.toml" in error.hint


@pytest.mark.parametrize(
    ("file", "quote", "line", "number"),
    [(DOC_003, "This fourteen", 11, "'fourteen'"), (DOC_004, "You were", 35, "'24/7'")],
)
def test_a_removed_exclusion_is_missed(raw_copy, file, quote, line, number):
    text = (raw_copy / "not_figures.toml").read_text(encoding="utf-8")
    begin = text.index(f'[[not_figures]]\ndocument = "{file}"\nquote = "{quote}')
    edit(raw_copy, "not_figures.toml", text[begin : text.index("[[not_figures]]", begin + 1)], "")
    error = refusal(raw_copy, ExtractionError, document=file, line=line)
    assert f"number {number} is not accounted for" in str(error)


def _exclude(document: str, quote: str, number: str) -> Callable[[Path], None]:
    entry = f'document = "{document}"\nquote = "{quote}"\nnumber = "{number}"\nreason = "x"\n'

    def damage(raw: Path) -> None:
        with (raw / "not_figures.toml").open("a", encoding="utf-8") as file:
            file.write(f"\n[[not_figures]]\n{entry}")
        repin(raw, "not_figures.toml")

    return damage


def _gone(raw: Path) -> None:
    replace_line(raw, 35, line_of(35, DOC_004).replace("24/7", "day and night"), DOC_004)


def _repeats_nothing(raw: Path) -> None:
    edit(raw, "not_figures.toml", '"host-page-guantanamo-uighurs"', '"no-such-figure"')


@pytest.mark.parametrize(
    ("damage", "kind", "says"),
    [
        (
            _exclude(DOC_000, "In 2020, conflict could rise anew.", "2020"),
            ReviewedInputError,
            "already accounted for as year",
        ),
        (
            _exclude(DOC, "the FBI estimated that there were 30,000", "30,000"),
            ReviewedInputError,
            "already accounted for as figure",
        ),
        (_gone, ExtractionError, f"{DOC_004}:|('24/7'): quote not found"),
        (_repeats_nothing, ReviewedInputError, "no-such-figure"),
    ],
)
def test_an_exclusion_not_needed_or_not_found_is_refused(raw_copy, damage, kind, says):
    damage(raw_copy)
    message = str(refusal(raw_copy, kind))
    assert all(part in message for part in says.split("|")), message


def test_classify_without_figures_leaves_figures_unaccounted(result):
    doc = result.documents[DOC_003]
    missing = [o.number for o in classify_document(doc, [], []) if o.kind is None]
    assert missing[:4] == ["thousands", "25,000", "100", "250"]  # no not_figures entries given


def _numbers(found) -> list[tuple[int, list[str], list[str]]]:
    return [
        (n, [t.group() for t, _ in tokens], [r for r, _ in rules]) for n, tokens, rules in found
    ]


def test_kept_line_numbers_are_those_of_the_very_text():
    """The numbers of a document's lines are kept for the process by its text: a document
    that differs in one digit, with as many lines and the same first line (a test corpus'
    changed copy), gets its own numbers, never the other's."""
    first = ("Foreign fighters<sup>1</sup> in 2015", "Tunisia 6,000", "1 A note of 7 pages")
    second = ("Foreign fighters<sup>1</sup> in 2015", "Tunisia 6,001", "1 A note of 7 pages")
    expected = [
        (1, ["1", "2015"], ["footnote_mark", "year"]),
        (2, ["6,000"], []),
        (3, ["1", "7"], ["footnote_number"]),
    ]
    assert _numbers(coverage.line_numbers(first)) == expected
    assert _numbers(coverage.line_numbers(second)) == [expected[0], (2, ["6,001"], []), expected[2]]
    assert _numbers(coverage.line_numbers(first)) == expected
    # line 3 opens a note only where its mark is printed: the whole text is the key
    unmarked = ("Foreign fighters in 2015", *first[1:])
    assert _numbers(coverage.line_numbers(unmarked))[-1] == (3, ["1", "7"], [])
    assert _numbers(coverage.line_numbers(first)) == expected


def test_only_documents_up_to_kept_characters_are_kept(monkeypatch):
    monkeypatch.setattr(coverage, "KEPT_CHARACTERS", 40)
    small, large = ("a line of 12 characters", "2015"), ("x" * 40, "another 7")
    coverage._kept_line_numbers.cache_clear()
    assert coverage.line_numbers(small) is coverage.line_numbers(small)  # found once, kept
    assert coverage._kept_line_numbers.cache_info().currsize == 1
    assert _numbers(coverage.line_numbers(large)) == [(2, ["7"], [])]
    assert coverage._kept_line_numbers.cache_info().currsize == 1  # not kept
