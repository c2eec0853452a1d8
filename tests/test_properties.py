"""Property tests: every parser and resolver either returns a value or raises an
ffdata.errors exception, never anything else; rendered tables and lists read back exactly."""

from __future__ import annotations

import json
import re
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import REPO

from declared import IEP_INTRO, SOUFAN_TABLE_1, SOUFAN_TABLE_2, TABLE_2, document, read_iep_list
from expectations import EXPECTED
from ffdata.builder.countries.resolve import read_aliases, resolve_country
from ffdata.builder.extract.numbers import (
    count_spots,
    number_spots,
    number_tokens,
    parse_count,
    parse_figure_number,
    parse_optional_count,
)
from ffdata.builder.extract.ranked_tables import read_ranked_table
from ffdata.builder.extract.text import locate_quote, quote_pattern, quote_spans
from ffdata.builder.inputs.manifest import decode_text, default_raw_dir, read_manifest
from ffdata.errors import FfdataError

ALIASES = read_aliases(read_manifest(default_raw_dir()))
#: Each name as printed and its code, as a reviewer signed them off (tests/expected.json).
ISO3 = {
    name: iso3
    for rows in json.loads((REPO / EXPECTED).read_text())["live"]["country_estimates"].values()
    for iso3, name in (re.match(r"(\S+) .* '(.+)'", row).groups() for row in rows)
}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Names as the documents print them (U.K., Dutch, the UK, ...).
NAMES = [
    *("Tunisia", "Saudi Arabia", "Russia", "Turkey", "Jordan", "France", "Morocco", "Lebanon"),
    *("Germany", "U.K.", "Indonesia", "Egypt", "Belgium", "Bosnia", "Kosovo", "Dutch", "US"),
    *("Macedonia", "New Zealand", "Trinidad and Tobago", "UAE", "Japan", "South Africa"),
    *("Moldova", "Norway", "the UK", "Uzbekistan", "Pakistan"),
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=60)


def outcome(function, *args, **kwargs):
    """Call and return ('ok', value) or ('error', exc); anything else propagates."""
    try:
        return "ok", function(*args, **kwargs)
    except FfdataError as exc:
        assert exc.message
        return "error", exc


@SETTINGS
@given(TEXT)
def test_parse_count_total(text):
    kind, value = outcome(parse_count, text, document="d", line=1)
    if kind == "ok":
        assert isinstance(value, int) and value >= 0
    else:
        assert (value.document, value.line, value.text) == ("d", 1, text)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_parse_count_round_trip(number):
    assert parse_count(str(number), document="d", line=1) == number
    assert parse_count(f"{number:,}", document="d", line=1) == number
    assert parse_count(f"\u00a0{number:,} ", document="d", line=1) == number


@SETTINGS
@given(TEXT)
def test_parse_optional_count_total(text):
    outcome(parse_optional_count, text, document="d", line=1)


@SETTINGS
@given(TEXT)
def test_parse_figure_number_total(text):
    outcome(parse_figure_number, text, document="d", line=1)


@SETTINGS
@given(TEXT)
def test_resolve_country_total(text):
    kind, value = outcome(resolve_country, text, ALIASES, document="d", line=3)
    if kind == "ok":
        assert len(value.iso3) == 3
    else:
        assert value.line == 3


@SETTINGS
@given(st.lists(TEXT, max_size=6), TEXT)
def test_locate_quote_total(lines, quote):
    kind, value = outcome(locate_quote, document(*lines), quote, "q")
    if kind == "ok":
        line, printed = value
        assert printed in lines[line - 1]
        assert quote_pattern(quote).fullmatch(printed)


#: Few letters and many kinds of whitespace, so that quotes occur, often more than once.
SPACED = st.text(alphabet="ab1 \u00a0\t\u2003\x1c", max_size=30)


#: Quotes of a few short words, which run together in a text without the whitespace.
WORDS = st.lists(st.text(alphabet="ab1", min_size=1, max_size=2), min_size=1, max_size=3)


@SETTINGS
@given(SPACED, st.one_of(SPACED, WORDS.map(" ".join)), st.integers(0, 3), st.data())
def test_quote_spans_are_the_quote_pattern_matches(text, quote, misses, data):
    if data.draw(st.booleans()) and text:  # a quote cut from the text, respaced
        start = data.draw(st.integers(0, len(text) - 1))
        quote = " ".join(text[start : data.draw(st.integers(start, len(text)))].split())
    expected = [m.span() for m in quote_pattern(quote).finditer(text)] if quote.split() else []
    assert quote_spans(text, quote) == expected
    # few misses allowed: the hand-over to the pattern happens within these short lines
    assert quote_spans(text, quote, misses_before_pattern=misses) == expected


@pytest.mark.parametrize("name", NAMES)
def test_resolve_country_names_of_the_documents(name):
    """Each name as the documents print it resolves to the code transcribed by hand."""
    assert resolve_country(name, ALIASES).iso3 == ISO3[name]


@SETTINGS
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "%"]))
def test_parse_figure_number_round_trip(number, percent):
    parsed = parse_figure_number(f"{number:,}{percent}", document="d", line=1)
    assert parsed.value == number and parsed.low is None
    assert (parsed.kind == "percent") == (percent == "%")


@SETTINGS
@given(st.text(alphabet="0123456789,./-\u2013 ", max_size=40), st.data())
def test_number_spots_are_the_number_tokens(text, data):
    """A number in digits is found exactly where the coverage check counts it as one number."""
    tokens = number_tokens(text)
    if not tokens:
        return
    number = data.draw(st.sampled_from([m.group() for m in tokens]))
    assert [m.span() for m in number_spots(text, number)] == [
        m.span() for m in tokens if m.group() == number
    ]


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from(["{:,}", "{}"]))
def test_count_spots_find_a_count_once(number, style):
    printed = style.format(number)
    assert [m.group() for m in count_spots(f"x ({printed}) and 1{printed}", number)] == [printed]
    assert count_spots(f"{printed}-{number + 1}", number) == []
    assert parse_count(printed, document="d", line=1) == number


@SETTINGS
@given(st.binary(max_size=200))
def test_decode_text_total(data):
    outcome(decode_text, data, "d.txt")


@SETTINGS
@given(
    st.lists(
        st.text(
            st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)), max_size=5
        ),
        min_size=1,
    )
)
def test_decode_text_gives_the_lines_an_editor_shows(lines):
    """Each line ended by a line break, or the last one not ended, reads back the same."""
    ended = "".join(f"{line}\r\n" for line in lines)
    assert decode_text(ended.encode("utf-8"), "d.txt") == tuple(lines)
    if lines[-1]:
        assert decode_text("\n".join(lines).encode("utf-8"), "d.txt") == tuple(lines)


# -- rendering in the document's own layout and reading back -------------------------


@st.composite
def ranked_rows(draw, with_unofficial: bool):
    names = draw(st.lists(st.sampled_from(NAMES[:25]), min_size=1, max_size=20, unique=True))
    n = len(names)
    firsts = sorted(draw(st.lists(st.integers(0, 99_999), min_size=n, max_size=n)), reverse=True)
    second = st.one_of(st.none(), st.integers(0, 99_999)) if with_unofficial else st.none()
    return [(name, first, draw(second)) for name, first in zip(names, firsts, strict=True)]


@SETTINGS
@given(ranked_rows(with_unofficial=True), st.sampled_from(["-", ""]), st.booleans())
def test_table_1_layout_round_trip(rows, none, commas):
    def cells(rank: int) -> list[str]:
        name, *values = rows[rank - 1]
        shown = [none if v is None else f"{v:,}" if commas else str(v) for v in values]
        return [str(rank), name, *shown]

    half = (len(rows) + 1) // 2
    header = "No.\tCountry\tOfficial Count\tNon-official Count"
    lines = ["**Table 1:** Foreigners of IS by country (official figures)<sup>17</sup>", ""]
    lines += [f"{header}\t{header}"]
    for i in range(1, half + 1):
        lines.append("\t".join(cells(i) + (cells(i + half) if i + half <= len(rows) else [])))
    lines += ["", "17 The source."]
    got = read_ranked_table(document(*lines), SOUFAN_TABLE_1)
    expected = [
        (rank, name, estimate, value)
        for rank, (name, official, unofficial) in enumerate(rows, start=1)
        for estimate, value in (("official", official), ("unofficial", unofficial))
        if value is not None
    ]
    assert [(r.rank_as_printed, r.name_as_printed, r.estimate, r.fighters) for r in got] == expected
    assert all(row.text_as_printed in lines[row.line - 1] for row in got)


@SETTINGS
@given(ranked_rows(with_unofficial=False))
def test_table_2_layout_round_trip(rows):
    lines = [TABLE_2[0], "", TABLE_2[1]]
    lines += [f"{i}\t{name}\t{value}" for i, (name, value, _) in enumerate(rows, start=1)]
    got = read_ranked_table(document(*lines), SOUFAN_TABLE_2)
    assert [(r.name_as_printed, r.fighters) for r in got] == [(n, v) for n, v, _ in rows]


ITEM = st.sampled_from(["{n} ({v}),", "{n}, ({v}),", "{n} ({v} ),", "{n} ({v})"])


@SETTINGS
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=14, unique=True), st.data())
def test_iep_list_round_trip(names, data):
    items = [(name, data.draw(st.integers(500, 99_999)), data.draw(ITEM)) for name in names]
    commas = data.draw(st.booleans())
    body = " ".join(style.format(n=name, v=f"{v:,}" if commas else v) for name, v, style in items)
    line = f"{IEP_INTRO} {body} (figures for countries with numbers below 500 are excluded).<sup>21</sup>"
    rows, threshold = read_iep_list(document("", line))
    assert threshold == 500
    assert [(r.name_as_printed, r.fighters) for r in rows] == [(n, v) for n, v, _ in items]
    assert all(row.text_as_printed in line for row in rows)


LINE = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=40)


@SETTINGS
@given(st.lists(LINE, max_size=5))
def test_table_reader_total_on_junk_rows(junk):
    outcome(read_ranked_table, document(*TABLE_2, "1\tLibya\t600", *junk), SOUFAN_TABLE_2)


@SETTINGS
@given(LINE, LINE)
def test_iep_reader_total_on_junk(junk, more):
    outcome(read_iep_list, document(f"{IEP_INTRO} {junk}{more}"))


def test_counts_longer_than_twelve_digits_are_refused():
    assert outcome(parse_count, "1" * 13, document="d", line=2)[1].line == 2


@pytest.mark.parametrize(
    ("text", "quote", "spans"),
    [
        ("a a a", "a a", [(0, 3)]),  # matches never overlap: the next starts after the end
        ("aaaa", "aa", [(0, 2), (2, 4)]),
        ("1 1 1 1 1", "1 1", [(0, 3), (4, 7)]),
        ("a a b a c a b", "a b", [(2, 5), (10, 13)]),
        # a match, near misses, then matches: found wherever the pattern takes over
        ("a b a a a a b x a  b", "a b", [(0, 3), (10, 13), (16, 20)]),
        ("at at\u00a0least 5 at least5 at least  5", "at least 5", [(3, 13), (24, 35)]),
    ],
)
def test_quote_spans_examples_with_every_hand_over_point(text, quote, spans):
    assert [m.span() for m in quote_pattern(quote).finditer(text)] == spans
    for misses in range(6):  # the pattern takes over after 0, 1, ... near misses
        assert quote_spans(text, quote, misses_before_pattern=misses) == spans, misses


def test_a_line_of_many_near_misses_is_left_to_the_pattern(monkeypatch):
    """After ``misses_before_pattern`` starts of the first word without the quote, the rest
    of the line is searched by the compiled pattern (a Python step a character otherwise)."""
    import ffdata.builder.extract.text as text_module

    compiled = mock.Mock(wraps=quote_pattern)
    monkeypatch.setattr(text_module, "quote_pattern", compiled)
    assert quote_spans("1 " * 50 + "1 x", "1 x", misses_before_pattern=5) == [(100, 103)]
    assert quote_spans("1 1 x", "1 x", misses_before_pattern=5) == [(2, 5)]
    compiled.assert_called_once_with("1 x")  # a line with few misses needs no pattern
