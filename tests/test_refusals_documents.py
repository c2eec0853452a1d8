"""Refusals of damaged documents (encoding, tables, lists, counts, size), each at the
document's line with the text and a hint; harmless variations (thousands commas, CRLF, BOM,
NBSP) are accepted and give the same figures. Generated damage: tests/test_mutations.py."""

from __future__ import annotations

import pytest
from refusals import DOC, both, corpus_test, edit, lines, refused, rewrite
from support import line_of, rewrite_document

from ffdata.builder.pipeline import run_pipeline
from ffdata.errors import CountryError, DocumentError, ExtractionError, FfdataError, ValidationError

AT_112, AT_157 = f"{DOC}:112: ", f"{DOC}:157: "


def changed(number: int, old: str, new: str):
    """Line ``number`` of the Soufan document with ``old`` replaced by ``new``."""
    return lines(number, number, line_of(number).replace(old, new, 1))


LETTER = changed(112, "6000", "6O00")
NUMBERS, EUROPE = (
    "In 2015 there were 30,000 fighters from 100 countries.",
    "5,000 of them from Europe",
)


def huge(size: int, line: str):
    """The document followed by ``size`` bytes of copies of ``line``."""
    return rewrite(DOC, lambda text: text + (line + "\n") * (size // len(line + "\n")))


CASES = {
    "letter among digits": refused(
        LETTER,
        ExtractionError,
        f"error: {DOC}:112: count is not a whole number: '6O00' (hint: ",
        count=1,
    ),
    "unknown country": refused(
        changed(112, "Tunisia", "Narnia"), CountryError, AT_112, "'Narnia'", "country_aliases.csv"
    ),
    "ambiguous country": refused(
        lines(157, 157, "15\tCongo\t9"), CountryError, AT_157, "'Congo'", "more than one country"
    ),
    "country listed twice in a table": refused(
        changed(113, "Canada", "Spain"),
        ValidationError,
        "soufan-2015, ESP, official",
        "line 112",
        "line 113",
        at_line=False,
    ),
    "country in both Soufan tables": refused(
        lines(157, 157, "15\tTunisia\t9"), ValidationError, AT_157, "whose table it accompanies"
    ),
    "non-ASCII digits": refused(changed(121, "81", "\uff181"), FfdataError, f"{DOC}:121: "),
    "a caption changed by one character": refused(
        changed(109, "Table 1:", "Table 7:"),
        ExtractionError,
        f"{DOC}:109: Soufan Table 1 caption not found: line 109 differs from it by one character",
        "restore the caption as printed",
    ),
    "Table 1 header row missing": refused(
        lines(111, 111, ""), ExtractionError, f"{DOC}:112: ", "header row missing"
    ),
    "Table 2 header changed": refused(
        lines(142, 142, "No.\tCountry\tEstimate"), ExtractionError, f"{DOC}:142: ", "Soufan Table 2"
    ),
    **{
        f"Table {n} header labels swapped": refused(
            edit(DOC, f"No.\tCountry\t{label}", f"No.\t{label}\tCountry"), ExtractionError, at
        )
        for n, label, at in (
            (2, "Non-official Data", f"{DOC}:142"),
            (1, "Official Count", f"{DOC}:111"),
        )
    },
    "Table 1 deleted": refused(lines(109, 137), FfdataError, "Table 1", "missing", at_line=False),
    "Table 2 deleted": refused(lines(140, 157), FfdataError, "Table 2", "missing", at_line=False),
    "Table 2 caption deleted": refused(lines(140), FfdataError, "Table 2", at_line=False),
    "a row deleted: refused at the gap": refused(
        lines(150), ExtractionError, f"{DOC}:150: ", "rank 8 is missing"
    ),
    "a rank printed twice: both lines named": refused(
        changed(150, "8\t", "7\t"), ExtractionError, "rank 7 printed twice (lines 149 and 150)"
    ),
    "rank order broken by a changed digit": refused(
        changed(113, "2500", "9500"), ExtractionError, f"{DOC}:113: ", "largest first"
    ),
    "document in UTF-16": refused(
        rewrite(DOC, lambda text: text.encode("utf-16")), DocumentError, f"{DOC}:1: "
    ),
    **{  # line 170 is empty: the text then ends with the line break of line 169
        f"document cut after line {keep}": refused(
            rewrite(DOC, lambda text, k=keep: "\n".join(text.split("\n")[:k])),
            FfdataError,
            f"error: {DOC}:{shown}: ",
            f"quote not found in the document ({shown} lines)",
        )
        for keep, shown in ((125, 125), (136, 136), (140, 140), (150, 150), (170, 169))
    },
    **{
        f"document cut at byte {offset}": refused(
            rewrite(DOC, lambda text, o=offset: text.encode()[:o]),
            FfdataError,
            f"error: {DOC}:{last}: ",
            f"({last} lines)",
        )
        for offset, last in ((5000, 37), (6600, 45), (7000, 45), (7300, 45), (8000, 47))
    },
    "three independent damages: three errors, each with its place and hint": refused(
        both(
            LETTER, changed(173, "Germany (700)", "Narnia (700)"), lines(157, 157, "15\tJapan\t9x")
        ),
        FfdataError,
        *(f"error: {DOC}:112: count is not a whole number: '6O00'", AT_157, "'9x'"),
        *(f"{DOC}:173:", "'Narnia'"),
        count=3,
    ),
    "Tunisia 20,000,000 (more than its population)": refused(
        changed(112, "6000\t7000", "20000000\t20000000"), FfdataError, "Tunisia", AT_112
    ),
    "Tunisia 600,000 (over 1% of its population)": refused(
        changed(112, "6000\t7000", "600000\t700000"), FfdataError, "Tunisia", AT_112
    ),
    "Japan 9 -> 2,000,000": refused(
        edit(DOC, "15\tJapan\t9", "15\tJapan\t2000000"), FfdataError, "Japan", f"{DOC}:157"
    ),
    **{
        f"{mb} MB document of {line[:20]!r} lines": refused(
            huge(mb * 1_000_000, line), FfdataError, DOC, at_line=False
        )
        for mb, line in (
            (30, "1\tTunisia\t6000"),
            (30, f"{NUMBERS[:-1]}, {EUROPE}."),
            (60, "x" * 1000),
        )
    },
    "200 KB of numbers: every error counted, the first ones shown": refused(
        huge(200_000, NUMBERS),
        FfdataError,
        DOC,
        "more",
        at_line=False,
    ),
}

test_each_damage_to_a_document_is_refused_at_its_line = corpus_test(__file__, CASES)


# --- harmless variations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom+crlf"),
        pytest.param(  # lines 103-186: the tables, the list, the footnotes
            lambda b: b"\n".join(
                line.replace(b" ", "\u00a0".encode()) if 102 <= n < 186 else line
                for n, line in enumerate(b.split(b"\n"))
            ),
            id="non-breaking spaces",
        ),
    ],
)
def test_line_endings_bom_and_non_breaking_spaces_give_the_same_figures(raw_copy, tables, change):
    rewrite_document(raw_copy, DOC, change)
    got = run_pipeline(raw_copy).tables
    estimates, expected = got["country_estimates"], tables["country_estimates"]
    keys = ["source_id", "iso3", "estimate", "fighters", "line"]
    assert estimates[keys].equals(expected[keys])
    assert got["aggregate_figures"].value.equals(tables["aggregate_figures"].value)
    if b"\xc2\xa0" not in (raw_copy / DOC).read_bytes():  # all else the same, as printed aside
        drop = {"columns": ["text_as_printed"]}
        assert estimates.drop(**drop).equals(expected.drop(**drop))
        assert got["aggregate_figures"].equals(tables["aggregate_figures"])
    else:
        saudi = estimates[(estimates.iso3 == "SAU") & (estimates.source_id == "soufan-2015")]
        assert saudi.name_as_printed.iloc[0] == "Saudi\u00a0Arabia"


def test_thousands_separators_are_accepted(raw_copy):
    rewrite_document(raw_copy, DOC, lambda b: b.replace(b"6000\t7000", b"6,000\t7,000", 1))
    frame = run_pipeline(raw_copy).tables["country_estimates"]
    tunisia = frame[(frame.iso3 == "TUN") & (frame.source_id == "soufan-2015")]
    assert sorted(tunisia.fighters) == [6000, 7000]
    assert tunisia.text_as_printed.iloc[0] == "1\tTunisia\t6,000\t7,000"
