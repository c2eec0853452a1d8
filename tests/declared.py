"""The layouts that data/raw/sources.toml declares, as extractor specs, and synthetic
documents for the tests that feed the parsers text of their own."""

from __future__ import annotations

import dataclasses
import tomllib

from support import RAW

from ffdata.builder.extract.inline_list import InlineListSpec, read_inline_list
from ffdata.builder.extract.ranked_tables import RankedTableSpec
from ffdata.builder.extract.records import CountryFigure
from ffdata.builder.inputs.manifest import Document, DocumentEntry

IEP_INTRO = (
    "According to a report issued by the Institute for Economics and Peace, the number of IS "
    "foreign fighters from the main contributing countries stands at:"
)
#: Soufan Table 2's caption and header, as printed.
TABLE_2 = (
    "**Table 2:** Foreigners of IS by country (Non-official figures)<sup>18</sup>",
    "No.\tCountry\tNon-official Data",
)
ENTRY = DocumentEntry(
    **{f.name: {"str": "", "int": 0}.get(f.type, ()) for f in dataclasses.fields(DocumentEntry)}
)


def document(*lines: str) -> Document:
    """A synthetic document of ``lines``."""
    return Document(dataclasses.replace(ENTRY, file="synthetic.txt", document_id="s"), lines)


def declaration(source_id: str) -> dict:
    """The ``[sources.country_estimates]`` table of one source of data/raw/sources.toml."""
    entries = tomllib.loads((RAW / "sources.toml").read_text("utf-8"))["sources"]
    (entry,) = [e for e in entries if e["source_id"] == source_id]
    return entry["country_estimates"]


def ranked_spec(source_id: str) -> RankedTableSpec:
    decl = declaration(source_id)
    return RankedTableSpec.from_layout(decl["layout"], tuple(decl["estimates"]))


SOUFAN_TABLE_1 = ranked_spec("soufan-2015")
SOUFAN_TABLE_2 = ranked_spec("barrett-2014-soufan-2015")
IEP_LIST = InlineListSpec.from_layout(declaration("iep-gti-2015")["layout"])


def read_iep_list(doc: Document) -> tuple[list[CountryFigure], int | None]:
    """The IEP list's rows and the threshold its closing note states."""
    found = read_inline_list(doc, IEP_LIST)
    return found.rows, found.threshold
