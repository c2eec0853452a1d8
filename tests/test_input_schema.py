"""The schema of the hand-written inputs and its one reader: each rule refuses what it
should, at the line of the offending field, on small inline inputs; every field is
documented, and CONTRIBUTING.md's generated blocks are the schema's rendering."""

from __future__ import annotations

import dataclasses

import pytest
from support import ROOT

from declared import document
from ffdata.builder.extract import EXTRACTORS
from ffdata.builder.extract.ranked_tables import RankedTableSpec, read_ranked_table
from ffdata.builder.inputs.manifest import DocumentEntry, ReferenceEntry, ReviewedEntry
from ffdata.builder.inputs.reader import Place, decode, parse_toml
from ffdata.builder.inputs.reference_csv import parse_csv
from ffdata.builder.inputs.schema import BLOCKS, INPUTS, LAYOUTS, rewrite_blocks
from ffdata.errors import CountryError, FfdataError, ReviewedInputError

NOT_FIGURE = (
    '[[not_figures]]\ndocument = "d.txt"\nquote = "five to 10 years"\nnumber = "10"\n'
    'reason = "a horizon"\n'
)
SOURCE = (
    '[[sources]]\nsource_id = "a-1"\nproducer = "P"\ncited_in = "d.txt"\ncitation = "c"\n'
    "second_hand = false\n"
)
#: A declaration after SOURCE: its header is line 7, estimates line 11, layout line 15.
DECLARATION = (
    '[sources.country_estimates]\nlabel = "L"\ncolumn_stem = "l"\nchart_colours = ["#000000"]\n'
    'estimates = ["reported"]\nrefers_to_date = "2015"\nwhat_it_counts = "w"\n'
    'extractor = "inline-list"\nlayout = { name = "n", intro = "i", closing = "c" }\n'
    'groups_counted = "islamic_state"\nplace_counted = "syria_and_iraq"\n'
    'count_kind = "cumulative"\nnot_listed_means = "not_reported"\n'
)
FIGURE = (
    '[[figures]]\nfigure_id = "f-1"\nsource_id = "a-1"\ndocument = "d.txt"\nquote = "q 5"\n'
    'number = "5"\nmetric = "deaths"\nvalue = 5\nunit = "people"\nqualifier = "no_qualifier"\n'
    'refers_to = "not stated"\nwho_is_counted = "w"\nproducer = "p"\ntopic = "other"\n'
)


VALID = {"not_figures": NOT_FIGURE, "sources": SOURCE, "figures": FIGURE}


def refusal(text: str, name: str) -> FfdataError:
    with pytest.raises(FfdataError) as info:
        parse_toml(text, "in.toml", INPUTS[name])
    return info.value


def test_valid_entries_are_read_with_their_defaults():
    (entry,) = parse_toml(SOURCE + DECLARATION, "in.toml", INPUTS["sources"])
    assert entry["footnote"] is None and entry["title"] == ""
    assert entry["country_estimates"]["row_flags"] == []
    assert entry["country_estimates"]["companion_of"] is None
    (figure,) = parse_toml(FIGURE, "in.toml", INPUTS["figures"])
    assert figure["value"] == 5.0 and isinstance(figure["value"], float)  # an int is a number
    assert figure["refers_to_date"] is None and figure["country"] == ""


@pytest.mark.parametrize(
    ("name", "old", "new", "message", "line"),
    [
        ("not_figures", "", 'resaon = "x"\n', "unknown field(s) resaon", 6),
        ("not_figures", '"d.txt"', "5", "'document' should be str, not int", 2),
        ("not_figures", 'reason = "a horizon"\n', "", "lacks the field 'reason'", 1),
        ("not_figures", '"a horizon"', '"  "', "field 'reason' is empty", 5),
        ("not_figures", "a horizon", "a\\u0007b", "control character ('\\x07')", 5),
        ("not_figures", "a horizon", "a\\u2028b", "reason holds a control", 5),
        ("sources", "false", '"no"', "'second_hand' should be bool, not str", 6),
        ("sources", "", "footnote = 1.5\n", "'footnote' should be int, not float", 7),
        ("sources", "", "footnote = true\n", "'footnote' should be int, not bool", 7),
        ("sources", "", "country_estimates = 1\n", "should be dict, not int", 7),
        ("sources", '"a-1"', '"A 1"', "source_id 'A 1' is not lower-case-", 2),
        ("sources", "", SOURCE, "source_id 'a-1' is given twice (first at in.toml:2", 8),
        ("figures", "value = 5", 'value = "5"', "'value' should be float", 8),
        ("figures", '"other"', '"isis"', "topic 'isis' is not one of", 14),
        ("figures", "", 'refers_to_date = "May 2015"\n', "is not a valid date", 15),
        ("figures", '"deaths"', '"death"', "metric 'death' is not one of", 7),
    ],
)
def test_each_rule_refuses_at_the_line_of_the_field(name, old, new, message, line):
    """``old`` replaced by ``new`` in a valid entry (or ``new`` appended, if ``old`` is empty)."""
    valid = VALID[name]
    assert old in valid
    error = refusal(valid.replace(old, new, 1) if old else valid + new, name)
    assert message in error.message, error
    assert isinstance(error, INPUTS[name].error)
    assert error.document.startswith(f"in.toml:{line} [[{name}]] #")
    assert error.hint


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ('["reported"]', '["guessed"]', "estimates 'guessed' is not one of official,", 11),
        ('["reported"]', '["reported", "reported"]', "estimates lists 'reported' twice", 11),
        ('["reported"]', "[1]", "'estimates' should be a list of str", 11),
        ('["#000000"]', '["red"]', "chart_colours 'red' is not a lower-case #rrggbb", 10),
        ('label = "L"', 'label = "L\\u0000"', "label holds a control character", 8),
        ('label = "L"\n', "", "lacks the field 'label'", 7),
        ('"inline-list"', '"inline-table"', "extractor 'inline-table' is not one of", 14),
        ('closing = "c" }', 'closing = "c", extra = "x" }', "unknown field(s) layout.extra", 15),
        (', closing = "c" }', " }", "lacks the field 'layout.closing'", 15),
        ('intro = "i"', 'intro = ""', "field 'layout.intro' is empty", 15),
    ],
)
def test_a_declaration_is_refused_at_its_own_line(old, new, message, line):
    assert old in DECLARATION
    error = refusal(SOURCE + DECLARATION.replace(old, new), "sources")
    assert message in error.message, error
    assert error.document == f"in.toml:{line} [[sources]] #1 [country_estimates] (a-1)"


def test_every_error_of_a_file_is_reported_at_once():
    text = NOT_FIGURE.replace('"10"', "10") + NOT_FIGURE.replace('"d.txt"', "1")
    assert [e.document for e in refusal(text, "not_figures").errors] == [
        *("in.toml:4 [[not_figures]] #1", "in.toml:7 [[not_figures]] #2")
    ]


def test_the_file_shape_is_refused_with_its_line():
    for text, message, line in [
        ("x = 1\n" + NOT_FIGURE, "unknown section 'x'", 1),
        (NOT_FIGURE.replace("[[not_figures]]", "[not_figures]"), "must be an array of tables", 1),
        (NOT_FIGURE + "reason = 'again'\n", "is not valid TOML", 6),
    ]:
        error = refusal(text, "not_figures")
        assert message in error.message and error.line == line


def test_an_entry_without_a_countable_header_keeps_its_entry_number():
    text = 'not_figures = [{document = 1, quote = "q", number = "1", reason = "r"}]\n'
    error = refusal(text, "not_figures")
    assert error.document == "in.toml [[not_figures]] #1"


def test_a_bad_utf8_byte_is_refused_at_its_line():
    with pytest.raises(ReviewedInputError) as info:
        decode(b"[[a]]\nb = 1\nc = '\xff'\n", "in.toml", ReviewedInputError, "save it as UTF-8")
    assert (info.value.line, info.value.message) == (3, "not UTF-8 (invalid start byte at byte 17)")
    with pytest.raises(CountryError) as info:
        parse_csv(b"name,iso3,note\nA,GBR,x\nB,GBR,\xe9\n", "a.csv", INPUTS["aliases"], "fix")
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("csv", "message", "line"),
    [
        (b"name,iso3,note\nUK,GBR,x\nUS,usa,y\n", "iso3 'usa' is not an ISO 3166-1 alpha-3", 3),
        (b"name,iso3,note\nUK,GBR,x\n,USA,y\n", "field 'name' is empty", 3),
        (b'name,iso3,note\nUK,GBR,"a\rb"\n', "a cell holds a control character", 2),
        (b"name,iso3,note,extra\nUK,GBR,x,y\n", "the header should be name,iso3,note", 1),
        (b"name,note\nUK,x\n", "the header lacks the column(s) ['iso3']", 1),
    ],
)
def test_a_csv_row_is_refused_at_its_line(csv, message, line):
    with pytest.raises(CountryError) as info:
        parse_csv(csv, "a.csv", INPUTS["aliases"], "fix the row")
    assert message in info.value.message and info.value.line == line
    assert info.value.document == "a.csv"


def test_a_place_prints_as_the_messages_give_it():
    place = Place("f.toml", 12, "sources", 3, "country_estimates", "a-1")
    assert str(place) == "f.toml:12 [[sources]] #3 [country_estimates] (a-1)"
    assert str(Place("f.toml", None, "figures", 2)) == "f.toml [[figures]] #2"
    assert Place("a.csv", 4).keywords() == {"document": "a.csv", "line": 4}


def test_every_field_is_documented_and_rendered():
    rendered, extractors = BLOCKS["input fields"](), BLOCKS["extractors"]()
    for spec in [*INPUTS.values(), *LAYOUTS.values()]:
        for field in spec.fields:
            assert field.meaning.strip(), field.name
            names = (f"`{field.name}`", f".{field.name}`")
            assert any(n in rendered for n in names) or field.name in extractors
    for spec in INPUTS.values():
        assert f"`{spec.title}`" in rendered and all(rule in rendered for rule in spec.rules)


def test_contributing_holds_the_generated_blocks():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for marker in BLOCKS:
        assert f"<!-- BEGIN generated: {marker} -->" in text
    assert rewrite_blocks(text) == text, (
        "run: .venv/bin/python -m ffdata.builder.inputs.schema --write CONTRIBUTING.md"
    )
    table = text.split("<!-- BEGIN generated: extractors -->")[1]
    assert all(f"| `{name}` |" in table for name in EXTRACTORS)


def test_the_registered_extractors_are_the_declared_layouts():
    assert list(EXTRACTORS) == list(LAYOUTS)
    for name, extractor in EXTRACTORS.items():
        assert extractor.layout_keys == tuple(f.name for f in LAYOUTS[name].fields)


@pytest.mark.parametrize(
    ("section", "cls"),
    [("documents", DocumentEntry), ("references", ReferenceEntry), ("reviewed", ReviewedEntry)],
)
def test_the_manifest_records_hold_exactly_the_schema_fields(section, cls):
    assert [f.name for f in dataclasses.fields(cls)] == [f.name for f in INPUTS[section].fields]


def test_a_ranked_table_of_reported_figures_is_read():
    """A committee's top-3 of reported figures: the header names the kind, whatever it is."""
    lines = (
        "Table 4: Reported foreign fighters<sup>2</sup>",
        "No.\tCountry\tReported figures",
        "1\tTunisia\t3000",
        "2\tFrance\t1700",
        "3\tNorway\t60",
        "",
    )
    layout = {"name": "Table 4", "caption": "Table 4: Reported", "ranked_by": "reported"}
    rows = read_ranked_table(document(*lines), RankedTableSpec.from_layout(layout, ("reported",)))
    assert [(r.estimate, r.name_as_printed, r.fighters, r.line) for r in rows] == [
        ("reported", "Tunisia", 3000, 3),
        ("reported", "France", 1700, 4),
        ("reported", "Norway", 60, 5),
    ]
    official = RankedTableSpec.from_layout({**layout, "ranked_by": "official"}, ("official",))
    with pytest.raises(FfdataError, match="header row missing or not understood") as info:
        read_ranked_table(document(*lines), official)
    assert info.value.line == 2


@pytest.mark.parametrize("extractor", ["inline-list", "data-rows"])
def test_a_one_figure_extractor_takes_any_one_kind(extractor):
    layout = {f.name: "x" for f in LAYOUTS[extractor].fields}
    layout.update(closing="below {threshold} left out", select_value="1")
    layout.update({k: k for k in layout if k.endswith("_column")})
    for kind in ("official", "unofficial", "reported"):
        EXTRACTORS[extractor].check(layout, (kind,))
    with pytest.raises(ValueError, match="declare one kind of estimate"):
        EXTRACTORS[extractor].check(layout, ("official", "reported"))


def test_rewriting_a_file_whose_block_has_no_end_is_refused_and_writes_nothing(tmp_path, capsys):
    from ffdata.builder.inputs.schema import main

    path = tmp_path / "CONTRIBUTING.md"
    text = "# notes\n<!-- BEGIN generated: extractors -->\nold\n\nthe rest of the file\n"
    path.write_text(text, encoding="utf-8")
    assert main(["--write", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == text
    assert "hint:" in capsys.readouterr().err
