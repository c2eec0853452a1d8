"""1 MB adversarial lines and the parsers they are fed to (used by a test and a benchmark)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ffdata.builder.inputs.manifest import Document, DocumentEntry

SIZE = 1_000_000
IEP_INTRO = (
    "According to a report issued by the Institute for Economics and Peace, the number of IS "
    "foreign fighters from the main contributing countries stands at: "
)


def adversarial_lines(size: int = SIZE) -> dict[str, str]:
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


#: The 1 MB lines the benchmark times.
LINES: dict[str, str] = adversarial_lines()


def _entry() -> DocumentEntry:
    blank = {
        f.name: ("" if f.type == "str" else 0 if f.type == "int" else ())
        for f in dataclasses.fields(DocumentEntry)
    }
    return dataclasses.replace(DocumentEntry(**blank), file="adversarial.txt")


def document(*lines: str) -> Document:
    return Document(entry=_entry(), lines=tuple(lines))


def parsers() -> dict[str, Callable[[str], object]]:
    """Each parser, as a function of one long line."""
    from declared import SOUFAN_TABLE_2, read_iep_list
    from ffdata.builder.countries.resolve import read_aliases, resolve_country
    from ffdata.builder.extract.numbers import parse_count, parse_figure_number
    from ffdata.builder.extract.ranked_tables import read_ranked_table
    from ffdata.builder.extract.text import locate_quote
    from ffdata.builder.inputs.manifest import decode_text, default_raw_dir, read_manifest
    from ffdata.builder.review.coverage import classify_document

    aliases = read_aliases(read_manifest(default_raw_dir()))
    caption = "**Table 2:** Foreigners of IS by country (Non-official figures)<sup>18</sup>"
    header = "No.\tCountry\tNon-official Data"
    return {
        "parse_count": lambda s: parse_count(s, document="a", line=1),
        "parse_figure_number": lambda s: parse_figure_number(s, document="a", line=1),
        "resolve_country": lambda s: resolve_country(s, aliases, document="a", line=1),
        "decode_text": lambda s: decode_text(s.encode("utf-8"), "a"),
        "locate_quote": lambda s: locate_quote(document(s), "1 1, (1) a 1-1 x", "q"),
        "ranked table row": lambda s: read_ranked_table(
            document(caption, header, "1\tLibya\t600", s), SOUFAN_TABLE_2
        ),
        "ranked table caption": lambda s: read_ranked_table(
            document("Table 2: " + s + " (non-official figures)", header), SOUFAN_TABLE_2
        ),
        "IEP list": lambda s: read_iep_list(document(IEP_INTRO + s)),
        "coverage": lambda s: classify_document(document(s), [], []),
    }


#: The size of the lines the test feeds (250 KB: a quadratic parser does not finish).
TEST_SIZE = 250_000


def prepare() -> dict:
    """The parsers and the test's lines, made once per worker (tests/case_runner.py)."""
    return {"parsers": parsers(), "lines": adversarial_lines(TEST_SIZE)}


def _run(context: dict, parser: str, label: str) -> str:
    from ffdata.errors import FfdataError

    try:
        context["parsers"][parser](context["lines"][label])
    except FfdataError as exc:
        return "ok" if len(str(exc)) < 1_000 else f"unbounded message ({len(str(exc))} characters)"
    return "ok"


#: One case per parser and line: ``"parser: label"`` -> outcome ("ok": a value, or an
#: ffdata error of bounded length; anything else is a traceback, a crash or a timeout).
CASES = {
    f"{parser}: {label}": (lambda context, p=parser, lab=label: _run(context, p, lab))
    for parser in (
        "parse_count",
        "parse_figure_number",
        "resolve_country",
        "decode_text",
        "locate_quote",
        "ranked table row",
        "ranked table caption",
        "IEP list",
        "coverage",
    )
    for label in adversarial_lines(1)
}
