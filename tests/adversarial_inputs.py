"""Adversarial lines and the parsers they are fed to: tests/test_adversarial.py runs each
pair in a worker with a time limit; benchmarks/adversarial.py times them on 1 MB lines."""

from __future__ import annotations

import functools
from collections.abc import Callable

from declared import IEP_INTRO, SOUFAN_TABLE_2, TABLE_2, document, read_iep_list
from ffdata.builder.countries.resolve import read_aliases, resolve_country
from ffdata.builder.extract.numbers import parse_count, parse_figure_number
from ffdata.builder.extract.ranked_tables import read_ranked_table
from ffdata.builder.extract.text import locate_quote
from ffdata.builder.inputs.manifest import decode_text, default_raw_dir, read_manifest
from ffdata.builder.review.coverage import classify_document
from ffdata.errors import FfdataError

TEST_SIZE = 250_000  # characters of the test's lines: a quadratic parser does not finish


def adversarial_lines(size: int = 1_000_000) -> dict[str, str]:
    """The adversarial lines, each about ``size`` characters long."""
    return {
        "digits": "1" * size,
        "spaces": " " * size,
        "commas": "," * size,
        "open parentheses": "(" * size,
        "digit-comma runs": "1," * (size // 2),
        "thousands groups": "1" + ",000" * (size // 4),
        "parenthesised numbers": "(1)" * (size // 3),
        "name and open parenthesis": "Tunisia (" * (size // 9),
        "words and spaces": "a " * (size // 2),
        "tabs": "\t" * size,
        "ranges": "1-" * (size // 2),
        "footnote marks": "<sup>1" * (size // 6),
        "digits and spaces": "1 " * (size // 2),
        "digits and dots": "1." * (size // 2),
        "digits and slashes": "1/" * (size // 2),
        "digits and colons": "1:" * (size // 2),
        "citation locators": "Vol.1, No.1, pp.1-" * (size // 18),
        "url fragments": "http://a/1" * (size // 10),
        "years after articles": "the 2015 " * (size // 9),
        "months and days": "May 1, " * (size // 7),
        "word numbers": "ninety percent " * (size // 15),
    }


aliases = functools.cache(lambda: read_aliases(read_manifest(default_raw_dir())))
#: Each parser, as a function of one long line.
PARSERS: dict[str, Callable[[str], object]] = {
    "parse_count": lambda s: parse_count(s, document="a", line=1),
    "parse_figure_number": lambda s: parse_figure_number(s, document="a", line=1),
    "resolve_country": lambda s: resolve_country(s, aliases(), document="a", line=1),
    "decode_text": lambda s: decode_text(s.encode("utf-8"), "a"),
    "locate_quote": lambda s: locate_quote(document(s), "1 1, (1) a 1-1 x", "q"),
    "ranked table row": lambda s: read_ranked_table(
        document(*TABLE_2, "1\tLibya\t600", s), SOUFAN_TABLE_2
    ),
    "ranked table caption": lambda s: read_ranked_table(
        document("Table 2: " + s + " (non-official figures)", TABLE_2[1]), SOUFAN_TABLE_2
    ),
    "IEP list": lambda s: read_iep_list(document(f"{IEP_INTRO} {s}")),
    "coverage": lambda s: classify_document(document(s), [], []),
}


def _run(parser: str, label: str) -> str:
    """A value or an ffdata error of bounded length is "ok"; the worker records the rest."""
    try:
        PARSERS[parser](test_lines()[label])
    except FfdataError as exc:
        return "ok" if len(str(exc)) < 1_000 else f"unbounded message ({len(str(exc))} characters)"
    return "ok"


test_lines = functools.cache(lambda: adversarial_lines(TEST_SIZE))
CASES = {
    f"{parser}: {label}": functools.partial(_run, parser, label)
    for parser in PARSERS
    for label in adversarial_lines(1)
}
