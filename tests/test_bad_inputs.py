"""Bad inputs: each refused with a clear error naming document and line, and nothing
published is touched. Harmless variations (thousands commas, CRLF, BOM, NBSP) are accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import DOC, RAW, line_of, replace_line, rewrite_document, snapshot

from ffdata.builder.build import build
from ffdata.builder.pipeline import run_pipeline
from ffdata.cli import main
from ffdata.errors import (
    ChecksumError,
    CountryError,
    DocumentError,
    ExtractionError,
    FfdataError,
    ManifestError,
    ValidationError,
)

ROOT = RAW.parents[1]


def refused(raw: Path, out: Path, error: type[FfdataError]) -> FfdataError:
    """Build must fail with ``error`` and leave ``out`` byte for byte as it was."""
    before = snapshot(out)
    with pytest.raises(error) as info:
        build(raw, out)
    assert snapshot(out) == before
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".ffdata")]
    assert leftovers in ([], [".ffdata.lock"])
    return info.value


def test_changed_document_is_refused(raw_copy, published):
    rewrite_document(raw_copy, DOC, lambda b: b.replace(b"6000", b"6001", 1), update_manifest=False)
    err = refused(raw_copy, published, ChecksumError)
    assert err.document == DOC
    message = str(err)
    assert "96c41cb38e3c275ce6eb37b3d77704c36826c9b2fce272fceb3dcd4c7eb3c914" in message
    assert "sha256" in message and "manifest" in err.hint


def test_letter_among_digits_is_refused(raw_copy, published):
    replace_line(raw_copy, 112, line_of(112).replace("6000", "6O00"))
    err = refused(raw_copy, published, ExtractionError)
    assert (err.document, err.line, err.text) == (DOC, 112, "6O00")
    assert f"{DOC}:112" in str(err)


def test_unknown_country_is_refused(raw_copy, published):
    replace_line(raw_copy, 112, line_of(112).replace("Tunisia", "Narnia"))
    err = refused(raw_copy, published, CountryError)
    assert (err.document, err.line, err.text) == (DOC, 112, "Narnia")
    assert "country_aliases.csv" in err.hint


def test_ambiguous_country_is_refused(raw_copy, published):
    replace_line(raw_copy, 157, "15\tCongo\t9")
    err = refused(raw_copy, published, CountryError)
    assert (err.line, err.text) == (157, "Congo")
    assert "more than one country" in str(err)


def test_country_listed_twice_is_refused(raw_copy, published):
    replace_line(raw_copy, 113, line_of(113).replace("Canada", "Spain"))
    err = refused(raw_copy, published, ValidationError)
    message = str(err)
    assert "soufan-2015, ESP, official" in message
    assert "line 112" in message and "line 113" in message


def test_country_in_both_soufan_tables_is_refused(raw_copy, published):
    replace_line(raw_copy, 157, "15\tTunisia\t9")
    err = refused(raw_copy, published, ValidationError)
    assert (err.line, "whose table it accompanies" in str(err)) == (157, True)


def test_missing_header_row_is_refused(raw_copy, published):
    replace_line(raw_copy, 111, "")
    err = refused(raw_copy, published, ExtractionError)
    assert err.document == DOC
    assert err.line == 112
    assert "header row missing" in str(err)


def test_changed_header_is_refused(raw_copy, published):
    replace_line(raw_copy, 142, "No.\tCountry\tEstimate")
    err = refused(raw_copy, published, ExtractionError)
    assert (err.line, "Soufan Table 2" in str(err)) == (142, True)


@pytest.mark.parametrize("keep_lines", [125, 136, 140, 150, 170])
def test_truncated_document_is_refused(raw_copy, published, keep_lines):
    def cut(data: bytes) -> bytes:
        return b"\n".join(data.split(b"\n")[:keep_lines])

    rewrite_document(raw_copy, DOC, cut)
    err = refused(raw_copy, published, FfdataError)  # the first of all errors
    assert (err.document, err.line) == (DOC, keep_lines)  # where the document now ends
    assert f"quote not found in the document ({keep_lines} lines)" in err.message


@pytest.mark.parametrize(
    ("offset", "last_line"), [(5000, 37), (6600, 45), (7000, 45), (7300, 45), (8000, 47)]
)
def test_truncated_mid_line_is_refused(raw_copy, published, offset, last_line):
    rewrite_document(raw_copy, DOC, lambda b: b[:offset])
    err = refused(raw_copy, published, FfdataError)  # the first of all errors
    assert (err.document, err.line) == (DOC, last_line)
    assert f"({last_line} lines)" in err.message


def test_deleted_row_is_refused_at_the_gap(raw_copy, published):
    def drop(data: bytes) -> bytes:
        lines = data.split(b"\n")
        del lines[149]  # line 150, Georgia (rank 8) in Table 2
        return b"\n".join(lines)

    rewrite_document(raw_copy, DOC, drop)
    err = refused(raw_copy, published, ExtractionError)
    assert (err.document, err.line) == (DOC, 150)  # rank 9 now stands on line 150
    assert "rank 8 is missing" in err.message


def test_repeated_rank_names_both_lines(raw_copy, published):
    replace_line(raw_copy, 150, line_of(150).replace("8\t", "7\t", 1))
    err = refused(raw_copy, published, ExtractionError)
    assert "rank 7 printed twice (lines 149 and 150)" in err.message


def test_rank_order_broken_by_a_changed_digit_is_refused(raw_copy, published):
    replace_line(raw_copy, 113, line_of(113).replace("2500", "9500", 1))
    err = refused(raw_copy, published, ExtractionError)
    assert err.line == 113 and "largest first" in str(err)


def test_not_utf8_is_refused(raw_copy, published):
    rewrite_document(raw_copy, DOC, lambda b: b.decode("utf-8").encode("utf-16"))
    err = refused(raw_copy, published, DocumentError)
    assert err.document == DOC and err.line == 1


def test_cli_prints_one_clear_message(raw_copy, published, capsys):
    replace_line(raw_copy, 112, line_of(112).replace("6000", "6O00"))
    before = snapshot(published)
    status = main(["build", "--raw-dir", str(raw_copy), "--out-dir", str(published)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.startswith(f"error: {DOC}:112: count is not a whole number: '6O00'")
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert snapshot(published) == before


# Accepted variations -------------------------------------------------------------


def estimates_of(raw: Path):
    frame = run_pipeline(raw).tables["country_estimates"]
    return frame.drop(columns=["text_as_printed"]).reset_index(drop=True)


def test_thousands_separators_are_accepted(raw_copy, tables):
    replace_line(raw_copy, 112, line_of(112).replace("6000\t7000", "6,000\t7,000"))
    frame = run_pipeline(raw_copy).tables["country_estimates"]
    tunisia = frame[(frame.iso3 == "TUN") & (frame.source_id == "soufan-2015")]
    assert sorted(tunisia.fighters) == [6000, 7000]
    assert tunisia.text_as_printed.iloc[0] == "1\tTunisia\t6,000\t7,000"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom+crlf"),
    ],
)
def test_line_endings_and_bom_are_accepted(raw_copy, tables, change):
    rewrite_document(raw_copy, DOC, change)
    expected = tables["country_estimates"].drop(columns=["text_as_printed"])
    assert estimates_of(raw_copy).equals(expected.reset_index(drop=True))
    figures = run_pipeline(raw_copy).tables["aggregate_figures"]
    assert figures.equals(tables["aggregate_figures"])


def test_non_breaking_spaces_are_accepted(raw_copy, tables):
    def nbsp(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        for index in range(102, 186):  # lines 103-186: the tables, the list, the footnotes
            lines[index] = lines[index].replace(" ", "\u00a0")
        return "\n".join(lines).encode("utf-8")

    rewrite_document(raw_copy, DOC, nbsp)
    got = run_pipeline(raw_copy).tables
    frame = got["country_estimates"]
    expected = tables["country_estimates"]
    assert frame[["source_id", "iso3", "estimate", "fighters", "line"]].equals(
        expected[["source_id", "iso3", "estimate", "fighters", "line"]]
    )
    saudi = frame[(frame.iso3 == "SAU") & (frame.source_id == "soufan-2015")].iloc[0]
    assert saudi.name_as_printed == "Saudi\u00a0Arabia"
    assert got["aggregate_figures"].value.equals(tables["aggregate_figures"].value)


def test_all_errors_of_a_run_are_reported_one_line_each(raw_copy, published, capsys):
    """Three independent damages: the CLI prints three lines, each with its place and a hint."""
    replace_line(raw_copy, 112, line_of(112).replace("6000", "6O00"))
    replace_line(raw_copy, 173, line_of(173).replace("Germany (700)", "Narnia (700)"))
    replace_line(raw_copy, 157, "15\tJapan\t9x")
    before = snapshot(published)
    status = main(["build", "--raw-dir", str(raw_copy), "--out-dir", str(published)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(err) == 3, err
    assert err[0].startswith(f"error: {DOC}:112: count is not a whole number: '6O00'")
    assert any(f"{DOC}:157:" in line and "'9x'" in line for line in err)
    assert any(f"{DOC}:173:" in line and "'Narnia'" in line for line in err)
    assert all("(hint: " in line for line in err)
    assert snapshot(published) == before


def test_a_manifest_that_is_not_utf8_is_named_at_its_line(raw_copy):
    manifest = raw_copy / "manifest.toml"
    data = manifest.read_bytes()
    at = data.index(b"\n", data.index(b"\n") + 1) + 5  # a byte of the manifest's third line
    manifest.write_bytes(data[:at] + b"\xff" + data[at:])
    with pytest.raises(ManifestError) as caught:
        run_pipeline(raw_copy)
    text = str(caught.value)
    assert text.startswith(f"{manifest}:3: not UTF-8 (invalid start byte at byte {at})")
    assert "hint: save manifest.toml as UTF-8" in text


def test_repinning_with_a_manifest_that_is_not_utf8_names_its_line(raw_copy, capsys):
    from ffdata.builder.tools import pin

    manifest = raw_copy / "manifest.toml"
    data = manifest.read_bytes()
    at = data.index(b"\n", data.index(b"\n") + 1) + 5  # a byte of the manifest's third line
    manifest.write_bytes(data[:at] + b"\xff" + data[at:])
    assert pin.main(["--raw-dir", str(raw_copy), "figures.toml"]) == 1
    assert capsys.readouterr().err.startswith(
        f"error: {manifest}:3: not UTF-8 (invalid start byte at byte {at})\n"
        "  hint: save it as UTF-8"
    )


def test_repinning_keeps_a_crlf_manifest_readable(raw_copy):
    from ffdata.builder.inputs.manifest import read_manifest
    from ffdata.builder.tools import pin

    manifest = raw_copy / "manifest.toml"
    manifest.write_bytes(manifest.read_bytes().replace(b"\n", b"\r\n"))
    (raw_copy / "figures.toml").write_bytes(b"# emptied\n")
    assert pin.repin(raw_copy, ["figures.toml"])[0].startswith("figures.toml: size 10 bytes")
    pinned = [e for e in read_manifest(raw_copy).reviewed if e.file == "figures.toml"]
    assert [e.size for e in pinned] == [10]


@pytest.mark.parametrize("cell", [0, 1, 2])
@pytest.mark.parametrize("control", ["\r", "\x1b", "\x00", "\u2028", "\x85"])
def test_a_control_character_in_any_cell_of_a_reference_row_is_refused(cell, control):
    """The reference CSV reader looks for control characters once a row: whichever cell
    holds one, the row is refused, naming its line and that cell."""
    from ffdata.builder.inputs.reference_csv import read_csv_rows
    from ffdata.errors import ReferenceDataError

    cells = ["U.K.", "GBR", "Abbreviation of United Kingdom."]
    assert read_csv_rows(("name,iso3,note\n" + ",".join(cells) + "\n").encode(), "a.csv", []) == [
        (2, dict(zip(["name", "iso3", "note"], cells, strict=True)))
    ]
    cells[cell] = f'"{cells[cell][:2]}{control}{cells[cell][2:]}"'
    data = ("name,iso3,note\nDutch,NLD,Adjective.\n" + ",".join(cells) + "\n").encode()
    with pytest.raises(ReferenceDataError, match="a cell holds a control character") as info:
        read_csv_rows(data, "a.csv", ["name"])
    assert info.value.line == 3
    assert info.value.text == cells[cell].strip('"')


@pytest.mark.parametrize(
    ("file", "says"),
    [
        ("nosuch.txt", "no such file in the raw folder (or it is not a file)"),
        ("reference", "no such file in the raw folder (or it is not a file)"),
        ("figures.toml", "file is 2,000,001 bytes; the build reads none larger than 2,000,000"),
    ],
)
def test_repinning_refuses_what_the_build_could_not_read(raw_copy, capsys, file, says):
    from ffdata.builder.tools import pin

    (raw_copy / "figures.toml").write_bytes(b"#" * 2_000_001)
    before = (raw_copy / "manifest.toml").read_bytes()
    assert pin.main(["--raw-dir", str(raw_copy), file]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {raw_copy / file}: {says}\n  hint: ")
    assert (raw_copy / "manifest.toml").read_bytes() == before
