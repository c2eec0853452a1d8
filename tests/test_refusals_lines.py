"""Refusals named at the line an editor shows: a stray carriage return, a control character
in a country name, a table deleted whole, a swapped header, a manifest of the wrong shape,
one file listed twice under two spellings."""

from __future__ import annotations

from refusals import DOC, corpus_test, edit, lines, refused, rewrite
from support import line_of

from ffdata.errors import CountryError, DocumentError, ExtractionError, ManifestError

MANIFEST = "manifest.toml"


def _doc_line(number: int, old: str, new: str):
    return lines(number, number, line_of(number).replace(old, new, 1))


def _second_listing(text: str) -> str:
    """The Soufan document's entry again, its file spelled ``./<file>``."""
    start = text.index('[[documents]]\ndocument_id = "niu-2018-foreigners-in-is"')
    end = text.index("[[", start + 2)
    entry = text[start:end].replace("niu-2018-foreigners-in-is", "niu-2018-again")
    return text + "\n" + entry.replace(f'file = "{DOC}"', f'file = "./{DOC}"')


CASES = {
    "a stray carriage return inside a prose line": refused(
        _doc_line(103, "Table 1 is", "Table 1\ris"),
        DocumentError,
        f"{DOC}:103: ",
        "carriage return",
    ),
    "a control character inside a country name": refused(
        _doc_line(112, "Tunisia", "Tuni\x1csia"), CountryError, f"{DOC}:112: "
    ),
    "Soufan Table 2 deleted whole": refused(lines(140, 157), ExtractionError, "Table 2"),
    "a swapped header": refused(
        _doc_line(142, "Country\tNon-official Data", "Non-official Data\tCountry"),
        ExtractionError,
        f"{DOC}:142: ",
    ),
    "[documents] as a table": refused(
        edit(MANIFEST, "[[documents]]", "[documents]"), ManifestError, f"{MANIFEST}:"
    ),
    "one file listed twice, once as ./file": refused(
        rewrite(MANIFEST, _second_listing), ManifestError, "listed twice"
    ),
}

test_each_damage_is_named_at_its_line = corpus_test(__file__, CASES)
