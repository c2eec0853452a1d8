"""The layouts that data/raw/sources.toml declares, as extractor specs for tests."""

from __future__ import annotations

import tomllib

from support import RAW

from ffdata.builder.extract.inline_list import InlineListSpec, read_inline_list
from ffdata.builder.extract.ranked_tables import RankedTableSpec
from ffdata.builder.extract.records import CountryFigure
from ffdata.builder.inputs.manifest import Document


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
