"""Source declarations, the documents' own statements and country lookups refuse what
cannot be right, with the place and a hint: each case names the value it expects."""

from __future__ import annotations

import pandas as pd
import pytest
from support import RAW, repin, rewrite_document

from ffdata.builder.countries.resolve import read_aliases
from ffdata.builder.inputs.manifest import read_manifest
from ffdata.builder.pipeline import run_stages
from ffdata.builder.publish.validate import check_document_statements
from ffdata.errors import (
    CountryError,
    ExtractionError,
    FfdataErrors,
    ReviewedInputError,
    ValidationError,
)

SOUFAN_LAYOUT = 'caption = "Table 1: ... (official figures)", ranked_by = "official"'


def edit_sources(raw, old: str, new: str, count: int = 1) -> None:
    path = raw / "sources.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    repin(raw, "sources.toml")


def refusal(raw, kind: type, until: str = "extract") -> Exception:
    with pytest.raises((kind, FfdataErrors)) as info:
        run_stages(raw, until=until)
    errors = info.value.errors if isinstance(info.value, FfdataErrors) else [info.value]
    found = [e for e in errors if isinstance(e, kind)]
    assert found, [str(e) for e in errors]
    return found[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('ranked_by = "official" }', 'ranked_by = "bogus" }', "ranked_by 'bogus' is not one of"),
        (
            'chart_colours = ["#cc79a7"]\nestimates = ["reported"]',
            'chart_colours = ["#cc79a7", "#000000"]\nestimates = ["reported", "official"]',
            "an inline list gives one figure per country",
        ),
        (
            'closing = "figures for countries with numbers below {threshold} are excluded"',
            'closing = "{threshold}"',
            "closing must print words besides {threshold}",
        ),
        (
            'refers_to_date = "2014-12"',
            'refers_to_date = "2014-13"',
            "refers_to_date: '2014-13' is not a calendar date",
        ),
        (
            'refers_to_date = "2011/2013-12-10"',
            'refers_to_date = "2013-12-10/2011"',
            "a span must run from an earlier date to a later one",
        ),
        ('refers_to_date = "2015"', "refers_to_date = 2015", "'refers_to_date' should be str"),
        (
            'row_flags = ["mixed_attribution"]',
            'row_flags = ["low_above_high"]',
            "'low_above_high' is not one of mixed_attribution",
        ),
        ('label = "IEP 2015"', 'label = "IEP\\u00002015"', "label holds a control character"),
        ('chart_colours = ["#cc79a7"]', 'chart_colours = ["#0072b2"]', "share the chart_colours"),
        (
            'label = "Soufan 2015"',
            'label = "Soufan 2015"\ncompanion_of = "barrett-2014-soufan-2015"',
            "is itself the companion of another source",
        ),
        (
            'label = "IEP 2015"',
            'label = "IEP 2015"\ncompanion_of = "iep-gti-2015"',
            "is not another source with country estimates",
        ),
    ],
)
def test_a_declaration_that_cannot_work_is_refused_at_its_entry(raw_copy, old, new, message):
    edit_sources(raw_copy, old, new)
    err = refusal(raw_copy, ReviewedInputError, until="reviewed")
    assert message in str(err)
    assert "sources.toml:" in err.document and "[country_estimates]" in err.document
    assert err.hint


@pytest.mark.parametrize("caption", ["Table (1", "(.*)*x$", "Table 9: ... (official figures)"])
def test_a_caption_is_text_as_printed_and_a_missing_one_names_its_declaration(raw_copy, caption):
    """No layout is a regular expression: a caption that is not printed is not found (quickly,
    whatever it holds), and the error says which declaration to correct."""
    edit_sources(raw_copy, 'caption = "Table 1: ... (official figures)"', f"caption = {caption!r}")
    err = refusal(raw_copy, ExtractionError)
    assert err.document == "002_882cd01f73eb6394.txt"
    assert "Soufan Table 1 caption not found" in str(err)
    assert "source 'soufan-2015' declares" in err.hint and "sources.toml:38" in err.hint


def test_the_stated_country_counts_are_checked_even_without_rows(tables):
    """Soufan's tables missing entirely: the document's '50 countries' cannot hold."""
    changed = dict(tables)
    estimates = tables["country_estimates"]
    changed["country_estimates"] = estimates[
        ~estimates["source_id"].isin(["soufan-2015", "barrett-2014-soufan-2015"])
    ]
    with pytest.raises(ValidationError, match=r"give 0 countries for soufan-2015-countries-\w+"):
        check_document_statements(changed)


def test_a_figure_below_the_stated_listing_threshold_is_refused(tables):
    changed = dict(tables)
    estimates = tables["country_estimates"].copy()
    pakistan = (estimates["source_id"] == "iep-gti-2015") & (estimates["iso3"] == "PAK")
    assert estimates.loc[pakistan, "fighters"].tolist() == [500]
    estimates.loc[pakistan, "fighters"] = 499
    changed["country_estimates"] = estimates
    with pytest.raises(ValidationError, match="iep-gti-2015 figure 499 is below 500") as info:
        check_document_statements(changed)
    assert info.value.line == int(estimates.loc[pakistan, "line"].iloc[0])


def test_a_country_in_a_table_and_its_companion_is_refused(tables):
    changed = dict(tables)
    estimates = tables["country_estimates"]
    libya = estimates[(estimates["source_id"] == "barrett-2014-soufan-2015")].iloc[[0]]
    assert libya["iso3"].tolist() == ["LBY"]
    copy = libya.assign(source_id="soufan-2015", estimate="official")
    changed["country_estimates"] = pd.concat([estimates, copy], ignore_index=True)
    with pytest.raises(ValidationError, match="LBY is listed by barrett-2014-soufan-2015"):
        check_document_statements(changed)


def test_an_alias_that_makes_a_lookup_ambiguous_is_refused(raw_copy):
    rewrite_document(raw_copy, "country_aliases.csv", lambda b: b + b"U.S,GBR,a wrong alias\n")
    err = refusal(raw_copy, CountryError, until="assemble")
    assert "a reader typing 'us' would mean GBR or USA" in str(err)
    assert "'U.S' (alias, GBR)" in str(err)


def test_an_alias_code_must_be_upper_case_iso(raw_copy):
    text = (raw_copy / "country_aliases.csv").read_text(encoding="utf-8")
    rewrite_document(raw_copy, "country_aliases.csv", lambda b: b + b"Nederland,nld,lower case\n")
    with pytest.raises(CountryError, match="'nld' is not an ISO 3166-1 alpha-3 code") as info:
        read_aliases(read_manifest(raw_copy))
    assert info.value.line == len(text.splitlines()) + 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (["TUN"], "not list"),
        (None, "not NoneType"),
        ("a" * 10_000, "longer than any country's"),
    ],
)
def test_a_lookup_refuses_what_is_not_a_country_name(query, message):
    import ffdata

    with pytest.raises(ffdata.errors.UnknownNameError, match=message) as info:
        ffdata.compare(query)
    assert len(str(info.value)) < 400


def test_the_declared_layouts_are_read_from_the_raw_folder():
    """The repository's own declarations: the two Soufan tables, the IEP list and the two
    ICSR estimate sets of the data file."""
    sources = run_stages(RAW, until="reviewed").sources
    declared = {k: s.country_estimates for k, s in sources.items() if s.country_estimates}
    assert {k: d.layout_dict()["name"] for k, d in declared.items()} == {
        "soufan-2015": "Soufan Table 1",
        "barrett-2014-soufan-2015": "Soufan Table 2",
        "iep-gti-2015": "IEP list",
        "icsr-2013-12": "ICSR estimates of 17 December 2013",
        "icsr-2015-01": "ICSR estimates of 26 January 2015",
    }
    assert declared["soufan-2015"].layout_dict()["caption"] == "Table 1: ... (official figures)"
    assert declared["barrett-2014-soufan-2015"].companion_of == "soufan-2015"


@pytest.mark.parametrize("name", ["sources.toml", "figures.toml", "not_figures.toml"])
def test_a_reviewed_file_linked_from_outside_the_raw_folder_is_refused(raw_copy, tmp_path, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    (raw_copy / name).rename(outside / name)
    (raw_copy / name).symlink_to(outside / name)
    err = refusal(raw_copy, ReviewedInputError, until="coverage")
    assert f"{name} is a link to outside the raw folder" in str(err)
    assert err.document == str(raw_copy / name)


def test_a_stated_threshold_or_count_without_a_value_is_built_not_a_traceback(raw_copy, tables):
    """A listing threshold or a count of countries printed in words ("hundreds") or as a
    range has no value to compare with the rows: the build publishes it (it raised
    ``TypeError`` comparing a figure with None)."""
    from ffdata.builder.pipeline import run_pipeline

    figures = raw_copy / "figures.toml"
    text = figures.read_text(encoding="utf-8")
    old = (
        'figure_id = "benmelech-klor-2016-indonesia"\nsource_id = "benmelech-klor-2016"\n'
        'producer = "Efraim Benmelech and Esteban F. Klor"\n'
    )
    assert text.count(old) == 1 and text.count('number = "hundreds"\nmetric = "foreign_fighters"')
    text = text.replace(
        old,
        'figure_id = "benmelech-klor-2016-indonesia"\nsource_id = "iep-gti-2015"\n'
        'producer = "Institute for Economics and Peace"\n',
    ).replace(
        'number = "hundreds"\nmetric = "foreign_fighters"',
        'number = "hundreds"\nmetric = "listing_threshold"',
    )
    figures.write_text(text, encoding="utf-8")
    repin(raw_copy, "figures.toml")
    built = run_pipeline(raw_copy).tables["aggregate_figures"].set_index("figure_id")
    stated = built.loc["benmelech-klor-2016-indonesia"]
    assert (stated["metric"], stated["qualifier"]) == ("listing_threshold", "unquantified")
    assert pd.isna(stated["value"])
    # a count of countries printed as a range: nothing to count against either
    changed = tables["aggregate_figures"].copy()
    covered = changed["figure_id"] == "soufan-2015-countries-covered"
    assert covered.sum() == 1
    changed.loc[covered, ["value", "value_low", "value_high", "qualifier"]] = [
        pd.NA,
        80.0,
        90.0,
        "range",
    ]
    check_document_statements({**tables, "aggregate_figures": changed})


def test_a_range_whose_low_end_is_below_the_listing_threshold_is_refused(tables):
    estimates = tables["country_estimates"].copy()
    pakistan = (estimates["source_id"] == "iep-gti-2015") & (estimates["iso3"] == "PAK")
    estimates.loc[pakistan, ["fighters", "fighters_low", "fighters_high"]] = [pd.NA, 450, 550]
    changed = {**tables, "country_estimates": estimates}
    with pytest.raises(ValidationError, match="iep-gti-2015 figure 450 is below 500") as info:
        check_document_statements(changed)
    assert info.value.line == int(estimates.loc[pakistan, "line"].iloc[0])
    estimates.loc[pakistan, "fighters_low"] = 500  # a range from the threshold up: listed
    check_document_statements(changed)


def test_only_official_rows_count_as_countries_with_official_figures(tables):
    """An official figure restated as 'reported' leaves Soufan's count of countries with
    official figures one short (49, not the 50 printed), and that country, listed by an
    unofficial figure, one more with unofficial figures only."""
    estimates = tables["country_estimates"].copy()
    tunisia = (
        (estimates["source_id"] == "soufan-2015")
        & (estimates["iso3"] == "TUN")
        & (estimates["estimate"] == "official")
    )
    assert tunisia.sum() == 1
    estimates.loc[tunisia, "estimate"] = "reported"
    with pytest.raises(
        ValidationError,
        match=r"give 49 countries for soufan-2015-countries-official, but the document states 50",
    ):
        check_document_statements({**tables, "country_estimates": estimates})
