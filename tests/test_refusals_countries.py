"""Refusals of the country aliases and parts and of the reference CSV files (population,
country codes, the ICSR data file): each names its file (and line) with a hint."""

from __future__ import annotations

import pytest
from refusals import CODES, ICSR, POPULATION, RAW, corpus_test, edit, refused, resub, rewrite

from ffdata.errors import CountryError, ExtractionError, ReferenceDataError

A = "country_aliases.csv"
ALIAS_ROWS = (RAW / A).read_text(encoding="utf-8").count("\n")
TUNISIA = r"Tunisia,TUN,2015,\d+"
AFGHANISTAN = "afghanistan,AFG,20131217,12,23,17.5"


CASES = {
    **{
        f"population: {label}": refused(
            resub(POPULATION, old, new), ReferenceDataError, "population.csv"
        )
        for label, (old, new) in {
            "NaN population": (TUNISIA, "Tunisia,TUN,2015,nan"),
            "infinite population": (TUNISIA, "Tunisia,TUN,2015,inf"),
            "negative population": (TUNISIA, "Tunisia,TUN,2015,-5"),
            "empty population": (TUNISIA, "Tunisia,TUN,2015,"),
            "short row": (TUNISIA, "Tunisia,TUN"),
            "long row": (TUNISIA, "Tunisia,TUN,2015,1,2"),
            "renamed column": ("Country Code", "Country code"),
            "huge number": (TUNISIA, "Tunisia,TUN,2015,1e400"),
            "year not a number": ("Tunisia,TUN,2015,", "Tunisia,TUN,twenty,"),
        }.items()
    },
    "population: Latin-1 encoding": refused(
        rewrite(POPULATION, lambda t: t.replace("Aruba", "Arubá", 1).encode("latin-1")),
        ReferenceDataError,
        "population.csv",
        "UTF-8",
    ),
    "population: UTF-16": refused(
        rewrite(POPULATION, lambda t: t.encode("utf-16")), ReferenceDataError, "population.csv"
    ),
    **{
        f"country codes: {label}": refused(damage, ReferenceDataError, "country-codes.csv")
        for label, damage in {
            "renamed column": edit(CODES, "ISO3166-1-Alpha-3", "ISO3166-1-Alpha3"),
            "renamed region column": edit(CODES, ",Region Name,", ",Region,"),
            "short row": resub(CODES, r"(?:.*\n){5}", "\\g<0>short,row\n"),
            "empty file": rewrite(CODES, lambda t: "\n"),
            "Latin-1 encoding": rewrite(
                CODES, lambda t: t.replace("Tunisia", "Tunisiá", 1).encode("latin-1", "replace")
            ),
        }.items()
    },
    **{
        f"ICSR data file: {label}": refused(edit(ICSR, old, new), ExtractionError, "icsr.csv")
        for label, (old, new) in {
            "NaN count": (AFGHANISTAN, "afghanistan,AFG,20131217,nan,23,17.5"),
            "infinite count": (AFGHANISTAN, "afghanistan,AFG,20131217,12,inf,17.5"),
            "short row": (AFGHANISTAN, "afghanistan,AFG"),
            "renamed column": ("icsr.low", "icsr_low"),
        }.items()
    },
    "country aliases: Latin-1 encoding": refused(
        rewrite(A, lambda t: (t + "Côte,CIV,x\n").encode("latin-1")), CountryError, A, "UTF-8"
    ),
    "country aliases: carriage return in a note": refused(
        edit(A, "Abbreviation of United Kingdom.", '"Abbreviation\rof United Kingdom."'),
        CountryError,
        A,
        "control character",
    ),
    "country aliases: an alias that makes a lookup ambiguous": refused(
        rewrite(A, lambda t: t + "U.S,GBR,a wrong alias\n"),
        CountryError,
        "a reader typing 'us' would mean GBR or USA",
        "'U.S' (alias, GBR)",
        at_line=False,
    ),
    "country aliases: a code in lower case": refused(
        rewrite(A, lambda t: t + "Nederland,nld,lower case\n"),
        CountryError,
        f"{A}:{ALIAS_ROWS + 1}: ",
        "'nld' is not an ISO 3166-1 alpha-3 code",
    ),
}

test_each_damage_to_a_country_or_reference_file_is_refused = corpus_test(__file__, CASES)


@pytest.mark.parametrize("cell", [0, 1, 2])
@pytest.mark.parametrize("control", ["\r", "\x1b", "\x00", "\u2028", "\x85"])
def test_a_control_character_in_any_cell_of_a_reference_row_is_refused(cell, control):
    """The reference CSV reader looks for control characters once a row: whichever cell
    holds one, the row is refused, naming its line and that cell."""
    from ffdata.builder.inputs.reference_csv import read_csv_rows

    cells = ["U.K.", "GBR", "Abbreviation of United Kingdom."]
    assert read_csv_rows(("name,iso3,note\n" + ",".join(cells) + "\n").encode(), "a.csv", []) == [
        (2, dict(zip(["name", "iso3", "note"], cells, strict=True)))
    ]
    cells[cell] = f'"{cells[cell][:2]}{control}{cells[cell][2:]}"'
    data = ("name,iso3,note\nDutch,NLD,Adjective.\n" + ",".join(cells) + "\n").encode()
    with pytest.raises(ReferenceDataError, match="a cell holds a control character") as info:
        read_csv_rows(data, "a.csv", ["name"])
    assert (info.value.line, info.value.text) == (3, cells[cell].strip('"'))
