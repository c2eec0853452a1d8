"""Refusals of figures.toml and not_figures.toml, and of figures the documents' own
statements contradict (counts of countries, listing thresholds, companion tables)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from refusals import DOC, RAW, corpus_test, edit, nested, refused, resub, rewrite
from support import repin

from ffdata.builder.pipeline import run_pipeline
from ffdata.builder.publish.validate import check_document_statements
from ffdata.errors import CountryError, FfdataError, ReviewedInputError, ValidationError

F, N, CONTROL = "figures.toml", "not_figures.toml", "control character"
FBI = 'refers_to = "September 2015"\ntopic = "islamic_state"'  # fbi-2015-foreign-fighters
FBI_COUNTED = 'refers_to_date = "2015-09"\nwho_is_counted = "foreign fighters serving IS"'
COUNTRIES_COVERED = re.search(
    r'figure_id = "soufan-2015-countries-covered"(.|\n)*?unit = "countries"',
    (RAW / F).read_text(encoding="utf-8"),
).group(0)


DEEP = {"nested 5,000 deep": ("[", "", "]", 5000)}
DEEP["inline tables nested 3,000 deep"] = ("{a = ", "1", "}", 3000)


PRINTED = "the date as printed ('September 2015') names"


def fbi_date(new: str | None, says: str):
    """The FBI figure's refers_to_date (2015-09) changed to ``new`` (None: removed)."""
    changed = FBI if new is None else f'{FBI}\nrefers_to_date = "{new}"'
    return date(f'{FBI}\nrefers_to_date = "2015-09"', changed, says)


def date(old: str, new: str, says: str, error: type = FfdataError):
    """A figure's reviewed date or topic changed: refused in figures.toml with a hint."""
    return refused(edit(F, old, new), error, says, F)


CASES = {
    "escape character in a figure's producer": refused(
        edit(F, 'producer = "', 'producer = "\\u001b]0;x\\u0007'), ReviewedInputError, F, CONTROL
    ),
    "carriage return in a not_figures reason": refused(
        edit(N, 'reason = "', 'reason = "\\r'), ReviewedInputError, N, CONTROL
    ),
    **{
        f"wrong type: {label}": refused(edit(file, old, new), ReviewedInputError, file)
        for label, (file, old, new) in {
            "figure value as text": (F, "\nvalue = ", "\nvalue = '1' #"),
            "figure quote a number": (F, "\nquote = ", "\nquote = 5 #"),
            "figure document a table": (F, '\ndocument = "', '\ndocument = {a = 1} #"'),
            "not_figures document a number": (
                N,
                'document = "000_8e0687df2c6dbefb.txt"',
                "document = 0",
            ),
            "not_figures repeats as text": (N, '\nreason = "', '\nrepeats = "two"\nreason = "'),
        }.items()
    },
    **{
        f"{file} {label}": refused(nested(file, *how), ReviewedInputError, file)
        for label, how in DEEP.items()
        for file in (F, N)
    },
    "figures a table, not an array of tables": refused(
        rewrite(F, lambda t: '[figures]\nfigure_id = "x"\n'),
        ReviewedInputError,
        "must be an array of tables",
        at_line=False,
    ),
    "a unit that does not fit the metric": refused(
        edit(F, COUNTRIES_COVERED, COUNTRIES_COVERED.replace('"countries"', '"years"')),
        FfdataError,
        "does not fit metric 'countries_covered'",
    ),
    "refers_to_date not ISO": fbi_date("2015-9", "refers_to_date '2015-9' is not a valid date"),
    "refers_to_date not a calendar date": fbi_date("2015-09-31", "is not a calendar date"),
    "refers_to_date of another year": fbi_date("2016-09", f"names no year that {PRINTED}"),
    "refers_to_date of another month": fbi_date("2015-03", f"names no month that {PRINTED}"),
    "refers_to_date missing": fbi_date(None, "names a year, but the entry has no refers_to_date"),
    "refers_to_date a span backwards": date(
        'refers_to_date = "2013/2014"\nwho_is_counted = "foreign fighters who joined',
        'refers_to_date = "2014/2013"\nwho_is_counted = "foreign fighters who joined',
        "a span must run from an earlier date to a later one",
    ),
    "a topic not in the vocabulary": date(
        FBI, FBI.replace("islamic_state", "isis"), "topic 'isis' is not one of islamic_state"
    ),
    "a metric not in the vocabulary": date(
        'metric = "death_rate"\nvalue = 5\n',
        'metric = "mortality"\nvalue = 5\n',
        "metric 'mortality'",
    ),
    "a qualifier not in the vocabulary": date(
        'value = 30000\nunit = "people"\nqualifier = "no_qualifier"',
        'value = 30000\nunit = "people"\nqualifier = "exact"',
        "qualifier 'exact' is not one of no_qualifier,",
    ),
    "a date as words: its entry and the ISO fix": refused(
        edit(F, 'refers_to_date = "2015-09"', 'refers_to_date = "Sept 2015"'),
        ReviewedInputError,
        "fbi-2015-foreign-fighters",
        f"{F}:",
        "ISO 8601",
        "2015-12",
    ),
    "a country that resolves to none": refused(
        edit(
            F,
            'country = "United States"\nrefers_to_date = "2012/2015-11"',
            'country = "Amerika"\nrefers_to_date = "2012/2015-11"',
        ),
        CountryError,
        "error: 003_9aa05a10f4782776.txt:7: ",
        "viableopposition-2015-americans",
        "'Amerika'",
        "resolves to no ISO 3166-1 country",
        "over 250 Americans",
        "country_aliases.csv",
    ),
    "a country the quote does not name": refused(
        edit(F, 'country = "Russia"\n', 'country = "France"\n'),
        CountryError,
        f"error: {DOC}:81: ",
        "the quote prints no name of France (FRA)",
    ),
    # what a count of foreign fighters includes (groups_counted, place_counted, count_kind)
    "a count of foreign fighters without its universe": refused(
        edit(F, f'{FBI_COUNTED}\ngroups_counted = "islamic_state"\n', f"{FBI_COUNTED}\n"),
        ReviewedInputError,
        f"{F}:",
        "fbi-2015-foreign-fighters",
        "counts foreign fighters (metric 'foreign_fighters') but lacks `groups_counted`",
    ),
    "a universe for a figure that counts no foreign fighters": refused(
        edit(
            F,
            'metric = "death_rate"\nvalue = 5\n',
            'metric = "death_rate"\nvalue = 5\ncount_kind = "inflow"\n',
        ),
        ReviewedInputError,
        f"{F}:",
        "gives `count_kind`, but its metric 'death_rate' does not count foreign fighters",
    ),
    "a place not in the vocabulary": refused(
        edit(
            F,
            f'{FBI_COUNTED}\ngroups_counted = "islamic_state"\nplace_counted = "not_stated"',
            f'{FBI_COUNTED}\ngroups_counted = "islamic_state"\nplace_counted = "iraq"',
        ),
        ReviewedInputError,
        f"{F}:",
        "place_counted 'iraq' is not one of syria, syria_and_iraq",
    ),
    # oddities flagged, and the figure a flag refers to named in the note
    "a flag a figure cannot carry": refused(
        edit(F, f"{FBI_COUNTED}\n", f'{FBI_COUNTED}\noddities = ["low_above_high"]\n'),
        ReviewedInputError,
        f"{F}:",
        "oddities 'low_above_high' is not one of mixed_attribution, differs_from_producer",
    ),
    "differs_from_producer with a note that names no source or figure": refused(
        resub(F, r'note = "The cited Telegraph[^"\n]*"', 'note = "ICSR gave another figure."'),
        ReviewedInputError,
        f"{F}:",
        "telegraph-2013-foreigners-in-syria-end-2013",
        "is flagged 'differs_from_producer', but its `note` names no source_id or figure_id",
    ),
    "differs_from_producer with a note that names an unknown source": refused(
        edit(F, "(source icsr-2013-12)", "(source icsr-2099-12)"),
        ReviewedInputError,
        "names no source_id or figure_id",
    ),
    "differs_from_producer with a note that names only its own figure and source": refused(
        resub(
            F,
            r'note = "The cited Telegraph[^"\n]*"',
            'note = "See telegraph-2013-foreigners-in-syria-end-2013 and telegraph-2013."',
        ),
        ReviewedInputError,
        "names no source_id or figure_id",
    ),
    # "about" before a range, and quantifiers without a number
    "a range after 'about' recorded as a plain range": refused(
        edit(F, 'qualifier = "approximate_range"', 'qualifier = "range"'),
        FfdataError,
        f"{DOC}:61",
        "qualifier 'range', but the text reads as 'approximate_range'",
    ),
    "a plain range recorded as after 'about'": refused(
        edit(
            F,
            'value_high = 35\nunit = "years"\nqualifier = "range"',
            'value_high = 35\nunit = "years"\nqualifier = "approximate_range"',
        ),
        FfdataError,
        "qualifier 'approximate_range', but the text reads as 'range'",
    ),
    "a quantifier given a value": refused(
        edit(
            F, 'number = "a smaller proportion"\n', 'number = "a smaller proportion"\nvalue = 10\n'
        ),
        FfdataError,
        f"{DOC}:187",
        "value recorded as 10.0, but the text prints None",
    ),
    "a share quantifier counted in people": refused(
        edit(
            F,
            'number = "Most"\nmetric = "share_from_origin"\nunit = "percent"',
            'number = "Most"\nmetric = "deaths"\nunit = "people"',
        ),
        FfdataError,
        f"{DOC}:81",
        "unit 'people' disagrees with the number 'Most' (a share, published in percent)",
    ),
    "not_figures lists a quantifier a figure records": refused(
        rewrite(
            N,
            lambda t: (
                t
                + f'\n[[not_figures]]\ndocument = "{DOC}"\nquote = "Most of the foreigners"\nnumber = "Most"\nreason = "x"\n'
            ),
        ),
        ReviewedInputError,
        "lists 'Most'",
        "already accounted for as figure",
    ),
}

test_each_wrong_figure_entry_is_refused_in_its_file = corpus_test(__file__, CASES)


# --- the documents' own statements ------------------------------------------------------------


def row(estimates: pd.DataFrame, source: str, iso3: str, estimate: str | None = None):
    found = (estimates["source_id"] == source) & (estimates["iso3"] == iso3)
    if estimate:
        found &= estimates["estimate"] == estimate
    assert found.sum() == 1
    return found


def pakistan(estimates: pd.DataFrame, **values) -> pd.DataFrame:
    """IEP's Pakistan row (a figure at the listing threshold, 500) with other values."""
    estimates.loc[row(estimates, "iep-gti-2015", "PAK"), list(values)] = list(values.values())
    return estimates


def libya_in_table_1(estimates: pd.DataFrame) -> pd.DataFrame:
    """Table 2's Libya row, as if Table 1 (its companion) listed it too."""
    libya = estimates[row(estimates, "barrett-2014-soufan-2015", "LBY")]
    return libya.assign(source_id="soufan-2015", estimate="official")


CHANGES = {
    "Soufan's tables missing": (
        lambda e: e[~e["source_id"].isin(["soufan-2015", "barrett-2014-soufan-2015"])],
        r"give 0 countries for soufan-2015-countries-\w+",
    ),
    "a figure below the listing threshold": (
        lambda e: pakistan(e, fighters=499),
        "iep-gti-2015 figure 499 is below 500",
    ),
    "a range whose low end is below the threshold": (
        lambda e: pakistan(e, fighters=pd.NA, fighters_low=450, fighters_high=550),
        "iep-gti-2015 figure 450 is below 500",
    ),
    "an official figure restated as reported": (  # 49 countries with official figures, not 50
        lambda e: e.assign(
            estimate=e["estimate"].mask(row(e, "soufan-2015", "TUN", "official"), "reported")
        ),
        "give 49 countries for soufan-2015-countries-official, but the document states 50",
    ),
    "a country in a table and its companion": (
        lambda e: pd.concat([e, libya_in_table_1(e)], ignore_index=True),
        "LBY is listed by barrett-2014-soufan-2015",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_figures_the_documents_statements_contradict_are_refused(tables, change):
    function, says = CHANGES[change]
    estimates = function(tables["country_estimates"].copy())
    with pytest.raises(ValidationError, match=says) as info:
        check_document_statements({**tables, "country_estimates": estimates})
    if "iep-gti-2015" in says:  # named at the figure's line
        line = estimates.loc[row(estimates, "iep-gti-2015", "PAK"), "line"].iloc[0]
        assert info.value.line == int(line)


def test_a_range_from_the_listing_threshold_up_is_listed(tables):
    estimates = pakistan(
        tables["country_estimates"].copy(), fighters=pd.NA, fighters_low=500, fighters_high=550
    )
    check_document_statements({**tables, "country_estimates": estimates})


def test_a_stated_threshold_or_count_without_a_value_is_built(raw_copy, tables):
    """A listing threshold or a count of countries printed in words ("hundreds") or as a
    range has no value to compare with the rows: the build publishes it as it is."""
    text = (raw_copy / F).read_text(encoding="utf-8")
    old = (
        'figure_id = "benmelech-klor-2016-indonesia"\nsource_id = "benmelech-klor-2016"\n'
        'producer = "Efraim Benmelech and Esteban F. Klor"\n'
    )
    hundreds = 'number = "hundreds"\nmetric = "foreign_fighters"'
    assert text.count(old) == 1 and hundreds in text
    iep = 'source_id = "iep-gti-2015"\nproducer = "Institute for Economics and Peace"\n'
    text = text.replace(old, old.split("\n")[0] + "\n" + iep)
    text = text.replace(hundreds, hundreds.replace("foreign_fighters", "listing_threshold"))
    universe = '\ngroups_counted = "islamic_state"\nplace_counted = "not_stated"\ncount_kind = "cumulative"'
    for place in ("Indonesia", "Tajikistan"):  # a threshold has no universe
        tail = "'hundreds from Indonesia and Tajikistan')\""
        entry = f'country = "{place}"'
        at = text.index(entry)
        end = text.index(tail, at) + len(tail)
        assert text[end : end + len(universe)] == universe
        text = text[:end] + text[end + len(universe) :]
    (raw_copy / F).write_text(text, encoding="utf-8")
    repin(raw_copy, F)
    built = run_pipeline(raw_copy).tables["aggregate_figures"].set_index("figure_id")
    stated = built.loc["benmelech-klor-2016-indonesia"]
    assert (stated["metric"], stated["qualifier"]) == ("listing_threshold", "unquantified")
    assert pd.isna(stated["value"])
    # a count of countries printed as a range: nothing to count against either
    changed = tables["aggregate_figures"].copy()
    covered = changed["figure_id"] == "soufan-2015-countries-covered"
    assert covered.sum() == 1
    columns = ["value", "value_low", "value_high", "qualifier"]
    changed.loc[covered, columns] = [pd.NA, 80.0, 90.0, "range"]
    check_document_statements({**tables, "aggregate_figures": changed})
