"""cite(): just the sources behind a table, a country or a figure, in valid BibTeX."""

from __future__ import annotations

import re

import pytest

import ffdata
from ffdata.citation import sources_behind
from ffdata.errors import UnknownNameError

#: LaTeX specials that must be escaped inside a field (a backslash before them).
_SPECIAL = re.compile(r"(?<!\\)[&%#$_]")


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    """A strict reader of the BibTeX that cite() writes: key -> fields, or AssertionError.

    Every entry is ``@type{key,`` then ``name = {value}`` fields separated by commas and a
    closing brace; braces balance inside each value; keys are unique; a year is four digits;
    no unescaped LaTeX special outside a url.
    """
    entries: dict[str, dict[str, str]] = {}
    pos = 0
    while True:
        start = text.find("@", pos)
        if start == -1:
            assert not text[pos:].strip(), f"text outside an entry: {text[pos:]!r}"
            return entries
        assert not text[pos:start].strip(), f"text between entries: {text[pos:start]!r}"
        head = re.compile(r"@(\w+)\{([A-Za-z0-9_:-]+),\s*").match(text, start)
        assert head, f"bad entry head at {text[start : start + 40]!r}"
        assert head.group(1) in ("misc", "article", "book", "techreport", "online")
        key, pos, fields = head.group(2), head.end(), {}
        assert key not in entries, f"key {key} twice"
        while True:
            field = re.compile(r"(\w+)\s*=\s*\{").match(text, pos)
            assert field, f"{key}: bad field at {text[pos : pos + 40]!r}"
            depth, i = 1, field.end()
            while depth:
                assert i < len(text), f"{key}: unbalanced braces in {field.group(1)}"
                if text[i] == "\\":
                    i += 2
                    continue
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            name, value = field.group(1), text[field.end() : i - 1]
            assert name not in fields, f"{key}: field {name} twice"
            fields[name] = value
            rest = re.compile(r"\s*(,\s*)?").match(text, i)
            pos = rest.end()
            if text.startswith("}", pos):
                pos += 1
                break
            assert rest.group(1), f"{key}: missing comma after {name}"
        if "year" in fields:
            assert re.fullmatch(r"\d{4}", fields["year"]), f"{key}: year {fields['year']!r}"
        for name, value in fields.items():
            if name != "url":
                assert not _SPECIAL.search(value), f"{key}.{name}: unescaped special in {value!r}"
        entries[key] = fields


def test_the_checker_refuses_what_bibtex_rejects():
    good = "@misc{a,\n  title = {x \\& y},\n  year = {2015}\n}"
    assert parse_bibtex(good) == {"a": {"title": "x \\& y", "year": "2015"}}
    for bad in (
        good.replace("2015", "n.d."),
        good.replace("\\&", "&"),
        good.replace("{x", "{{x"),
        good + "\n" + good,
        good.replace(",\n  year", "\n  year"),
    ):
        with pytest.raises(AssertionError):
            parse_bibtex(bad)


def test_all_sources_are_cited_and_the_bibtex_is_valid_with_no_undated_year():
    sources = ffdata.load("sources")
    text = ffdata.cite()
    assert re.findall(r"\[([a-z0-9-]+)\]$", text, flags=re.M) == sorted(sources.source_id)
    assert "The Soufan Group" in text and "Global Terrorism Index 2015" in text
    entries = parse_bibtex(ffdata.cite("bibtex"))
    assert set(entries) == {"ffdata", *(s.replace("-", "_") for s in sources.source_id)}
    assert entries["soufan_2015"]["year"] == "2015"
    assert entries["icsr_2013_12"]["year"] == "2013"
    assert "year" not in entries["atlantic_uighurs"]  # no date known: no year, never n.d.
    assert entries["ffdata"]["author"] == "{ffdata contributors}"


def test_cite_a_country_lists_exactly_the_sources_with_its_figures():
    estimates = ffdata.load("country_estimates")
    uk = set(estimates.loc[estimates.iso3 == "GBR", "source_id"])
    assert uk
    text = ffdata.cite(country="UK")
    assert re.findall(r"\[([a-z0-9-]+)\]$", text, flags=re.M) == sorted(uk)
    assert set(parse_bibtex(ffdata.cite("bibtex", country="GBR"))) == {
        "ffdata",
        *(s.replace("-", "_") for s in uk),
    }
    # a country's aggregate figures count too (Syria has no estimate, figures about it)
    figures = ffdata.load("aggregate_figures")
    for iso3 in ("SYR", "USA"):
        behind = set(figures.loc[figures.iso3 == iso3, "source_id"])
        behind |= set(estimates.loc[estimates.iso3 == iso3, "source_id"])
        assert sources_behind(country=iso3) == behind != set(), iso3


def test_cite_a_table_or_a_figure():
    assert sources_behind(table="country_estimates") == set(
        ffdata.load("country_estimates").source_id
    )
    assert sources_behind(table="countries") == set()
    assert "holds no figures of the sources" in ffdata.cite(table="countries")
    assert sources_behind(table="sources") is None
    assert sources_behind(figure="un-2014-foreign-fighters") == {"un-2014"}
    entries = parse_bibtex(ffdata.cite("bibtex", figure="un-2014-foreign-fighters"))
    assert set(entries) == {"ffdata", "un_2014"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": "England"}, "part of United Kingdom"),
        ({"country": "Chad"}, r"no figures for 'Chad' \(TCD\)"),
        ({"figure": "no-such-figure"}, r"\d+ valid choices: ffdata.load"),
        ({"table": "estimates"}, "did you mean"),
        ({"table": "sources", "country": "UK"}, "give one of table, country or figure"),
        ({"format": "apa"}, "unknown citation format 'apa'"),
    ],
)
def test_cite_refusals(kwargs, message):
    with pytest.raises(UnknownNameError, match=message):
        ffdata.cite(**kwargs)
