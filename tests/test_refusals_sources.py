"""Refusals of sources.toml, the sources and the layouts they declare: each at its entry
(``sources.toml:N``) with what is wrong and a hint."""

from __future__ import annotations

import json
import tomllib

from refusals import DOC, RAW, corpus_test, edit, nested, refused

from ffdata.builder.pipeline import run_stages
from ffdata.errors import ExtractionError, ReviewedInputError

S = "sources.toml"
TEXT = (RAW / S).read_text(encoding="utf-8")
#: The line of the ``[[sources]]`` entry of soufan-2015, which declares Soufan Table 1.
SOUFAN_ENTRY = TEXT[: TEXT.index('source_id = "soufan-2015"')].count("\n")
NOTE = 'note = "Table 1 of document 002'


def declared(old: str, new: str, says: str):
    """A declaration changed: refused at its ``[country_estimates]`` entry."""
    return refused(edit(S, old, new), ReviewedInputError, says, f"{S}:", "[country_estimates]")


CASES = {
    **{
        f"{label} in a source note": refused(
            edit(S, NOTE, NOTE.replace("Table", f"Ta{json.dumps(char)[1:-1]}ble")),
            ReviewedInputError,
            S,
            "control character",
        )
        for label, char in {
            "carriage return": "\r",
            "line feed": "\n",
            "escape (terminal)": "\x1b[31m",
            "bell": "\x07",
            "vertical tab": "\x0b",
            "next line (U+0085)": "\x85",
            "line separator (U+2028)": "\u2028",
            "delete": "\x7f",
        }.items()
    },
    **{
        f"wrong type: {label}": refused(edit(S, old, new), ReviewedInputError, S)
        for label, (old, new) in {
            "footnote as text": ("footnote = 17", 'footnote = "17"'),
            "footnote a float": ("footnote = 17", "footnote = 17.5"),
            "second_hand as text": ("second_hand = false", 'second_hand = "no"'),
            "country_estimates a string": (
                '[sources.country_estimates]\nlabel = "Soufan 2015"',
                'country_estimates_x = 1\n[sources.other]\nlabel = "Soufan 2015"',
            ),
            "estimates a string": (
                'estimates = ["official", "unofficial"]',
                'estimates = "official"',
            ),
            "layout a string": (
                'layout = { name = "Soufan Table 1"',
                'layout_x = { name = "Soufan Table 1"',
            ),
            "sources section a table": ("[[sources]]", "[sources_x]"),
            "sources is a string": (
                '[[sources]]\nsource_id = "soufan-2015"',
                'sources = "x"\n[[sources2]]\nsource_id = "soufan-2015"',
            ),
        }.items()
    },
    "nested 5,000 deep": refused(nested(S, "[", "", "]", 5000), ReviewedInputError, S),
    "inline tables nested 3,000 deep": refused(
        nested(S, "{a = ", "1", "}", 3000), ReviewedInputError, S
    ),
    "a misspelled field": refused(
        edit(S, "\nfootnote = ", "\nfootnot = "), ReviewedInputError, "unknown field"
    ),
    "ranked_by not a column": declared(
        'ranked_by = "official" }', 'ranked_by = "bogus" }', "ranked_by 'bogus' is not one of"
    ),
    "an inline list of two kinds of estimate": declared(
        'chart_colours = ["#cc79a7"]\nestimates = ["reported"]',
        'chart_colours = ["#cc79a7", "#000000"]\nestimates = ["reported", "official"]',
        "an inline list gives one figure per country",
    ),
    "a closing of nothing but the threshold": declared(
        'closing = "figures for countries with numbers below {threshold} are excluded"',
        'closing = "{threshold}"',
        "closing must print words besides {threshold}",
    ),
    "refers_to_date not a calendar date": declared(
        'refers_to_date = "2014-12"',
        'refers_to_date = "2014-13"',
        "refers_to_date: '2014-13' is not a calendar date",
    ),
    "refers_to_date a span backwards": declared(
        'refers_to_date = "2011/2013-12-10"',
        'refers_to_date = "2013-12-10/2011"',
        "a span must run from an earlier date to a later one",
    ),
    "refers_to_date a number": declared(
        'refers_to_date = "2015"', "refers_to_date = 2015", "'refers_to_date' should be str"
    ),
    "a row flag that is not a flag": declared(
        'row_flags = ["mixed_attribution"]',
        'row_flags = ["low_above_high"]',
        "'low_above_high' is not one of mixed_attribution",
    ),
    "a control character in a label": declared(
        'label = "IEP 2015"', 'label = "IEP\\u00002015"', "label holds a control character"
    ),
    "two sources sharing a chart colour": declared(
        'chart_colours = ["#cc79a7"]', 'chart_colours = ["#0072b2"]', "share the chart_colours"
    ),
    "a companion of a companion": declared(
        'label = "Soufan 2015"',
        'label = "Soufan 2015"\ncompanion_of = "barrett-2014-soufan-2015"',
        "is itself the companion of another source",
    ),
    "a companion of itself": declared(
        'label = "IEP 2015"',
        'label = "IEP 2015"\ncompanion_of = "iep-gti-2015"',
        "is not another source with country estimates",
    ),
    "printed_at past the document's last line": refused(
        edit(S, "printed_at = 3", "printed_at = 9999"),
        ReviewedInputError,
        f"{S}:",
        "printed_at 9999 is not a line of 000_8e0687df2c6dbefb.txt (lines 1-58)",
    ),
    "printed_at zero": refused(
        edit(S, "printed_at = 3", "printed_at = 0"),
        ReviewedInputError,
        "printed_at 0 is not a line of",
    ),
    "printed_at as text": refused(
        edit(S, "printed_at = 3", 'printed_at = "3"'), ReviewedInputError, S, "printed_at"
    ),
    "a title on another line than printed_at": refused(
        edit(S, "printed_at = 5", "printed_at = 7"),
        ExtractionError,
        "004_2b2d63c63ac1a506.txt:53",
        "title 'Imprisoned ISIS Wives",
        "is not printed in the citation or on line 7",
    ),
    "a title printed only outside the citation, without printed_at": refused(
        edit(S, "printed_at = 5\n", ""),
        ExtractionError,
        "source 'speckhard-2019'",
        "is not printed in the citation",
        "printed_at",
    ),
    "a date the dateline does not print": refused(
        edit(
            S,
            'date_as_printed = "Monday, November 16, 2015"\npublished_date = "2015-11-16"',
            'date_as_printed = "Tuesday, November 17, 2015"\npublished_date = "2015-11-17"',
        ),
        ExtractionError,
        "date_as_printed 'Tuesday, November 17, 2015' is not printed in the citation or on line 1",
    ),
    "printed_at that prints nothing the citation does not": refused(
        edit(
            S,
            'date_as_printed = "Monday, November 16, 2015"\npublished_date = "2015-11-16"',
            'date_as_printed = ""',
        ),
        ExtractionError,
        "003_9aa05a10f4782776.txt:1",
        "printed_at 1 prints no title, date or URL that the citation does not",
        "remove printed_at",
    ),
    # the universe of a source's figures (groups, place, stock or flow, listing rule)
    "groups_counted outside its vocabulary": declared(
        'groups_counted = "all_armed_groups"',
        'groups_counted = "armed_groups"',
        "'armed_groups' is not one of islamic_state",
    ),
    "place_counted a number": declared(
        'place_counted = "syria"', "place_counted = 1", "'place_counted' should be str"
    ),
    "count_kind left out": declared(
        'count_kind = "cumulative"\nlisting_threshold = 500',
        "listing_threshold = 500",
        "count_kind",
    ),
    "not_listed_means left out": declared(
        'listing_threshold = 500\nnot_listed_means = "below_listing_threshold"\n',
        "",
        "not_listed_means",
    ),
    "a listing threshold but countries left out for no stated reason": declared(
        'not_listed_means = "below_listing_threshold"',
        'not_listed_means = "not_reported"',
        "listing_threshold 500 is given, but not_listed_means is 'not_reported'",
    ),
    "countries left out below a threshold that is not given": declared(
        "listing_threshold = 500\n", "", "no listing_threshold is given"
    ),
    "a listing threshold of no one": declared(
        "listing_threshold = 500", "listing_threshold = 0", "is not a number of people"
    ),
    "a listing threshold that the list does not print": refused(
        edit(S, "listing_threshold = 500", "listing_threshold = 400"),
        ExtractionError,
        f"{S}:",
        "[country_estimates]",
        "the IEP list prints 500 as the smallest figure it lists, but source 'iep-gti-2015' "
        "declares listing_threshold = 400",
    ),
    "a listing threshold for a table that prints none": refused(
        edit(
            S,
            'count_kind = "cumulative"\nnot_listed_means = "not_reported"',
            'count_kind = "cumulative"\nlisting_threshold = 10\n'
            'not_listed_means = "below_listing_threshold"',
        ),
        ExtractionError,
        f"{S}:",
        "[country_estimates]",
        "the Soufan Table 1 prints no listing threshold",
    ),
    **{  # no layout is a regular expression: a caption not printed is not found, quickly
        f"caption not printed: {caption}": refused(
            edit(S, 'caption = "Table 1: ... (official figures)"', f"caption = {caption!r}"),
            ExtractionError,
            f"error: {DOC}:",
            "Soufan Table 1 caption not found",
            "source 'soufan-2015' declares",
            f"{S}:{SOUFAN_ENTRY}",
        )
        for caption in ("Table (1", "(.*)*x$", "Table 9: ... (official figures)")
    },
}

test_each_wrong_source_declaration_is_refused_at_its_entry = corpus_test(__file__, CASES)


def test_the_declared_layouts_are_read_from_the_raw_folder():
    """Every source declaring country estimates in sources.toml has its layout read, by name."""
    sources = run_stages(RAW, until="reviewed").sources
    read = {k: s.country_estimates for k, s in sources.items() if s.country_estimates}
    written = {
        e["source_id"]: e["country_estimates"]
        for e in tomllib.loads(TEXT)["sources"]
        if "country_estimates" in e
    }
    assert {k: (d.layout_dict()["name"], d.companion_of) for k, d in read.items()} == {
        k: (d["layout"]["name"], d.get("companion_of")) for k, d in written.items()
    }
