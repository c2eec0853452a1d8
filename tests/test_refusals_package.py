"""Refusals of a published package (``ffdata validate`` and the checks a build runs on what
it writes): a damaged descriptor, resource, table file or cell is refused, never a traceback;
nothing a spreadsheet would run arrives live in a published CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from refusals import Case, accepted, corpus_test, refused, rewrite
from support import ROOT, copy_package

import ffdata
import ffdata.builder.publish.package_check as package_check
from ffdata.builder.publish.package_check import (
    check_csv_equals_parquet,
    check_package,
    check_read_back,
    read_checked,
)
from ffdata.builder.publish.schemas import without_hypothesis
from ffdata.builder.publish.validate import check_schema
from ffdata.cli import main
from ffdata.csv_cells import (
    ESCAPED_STARTS,
    escape_cell,
    escape_frame,
    unescape_cell,
    unescape_frame,
)
from ffdata.errors import FfdataError, ValidationError
from ffdata.reading import read_table
from ffdata.tables import TABLES

PROCESSED = "data/processed"
CE = f"{PROCESSED}/country_estimates"


def descriptor(ws) -> dict:
    return json.loads((ws.out / "datapackage.json").read_text(encoding="utf-8"))


def save(ws, value: object) -> None:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    (ws.out / "datapackage.json").write_bytes(data)


def first_resource(**values: object):
    def change(ws) -> None:
        package = descriptor(ws)
        package["resources"][0].update(values)
        save(ws, package)

    return change


def replaced(rel: str, change) -> callable:
    """Change a published file (``change`` of its bytes), recording its hash and size."""

    def damage(ws) -> None:
        path = ws.out / rel
        path.write_bytes(change(path.read_bytes()) if callable(change) else change)
        package = descriptor(ws)
        for resource in package["resources"]:
            if resource["path"] == rel:
                resource["hash"] = f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"
                resource["bytes"] = path.stat().st_size
        save(ws, package)

    return damage


def without_second_parquet_column(data: bytes) -> bytes:
    table, sink = pq.read_table(pa.BufferReader(data)), io.BytesIO()
    pq.write_table(table.drop_columns([table.column_names[1]]), sink)
    return sink.getvalue()


def linked_outside(ws) -> None:
    shutil.move(ws.out / f"{CE}.csv", ws.outside / "moved.csv")
    (ws.out / f"{CE}.csv").symlink_to(ws.outside / "moved.csv")


DAMAGES = {
    "descriptor not JSON": lambda ws: save(ws, b"{'resources': ["),
    "descriptor binary": lambda ws: save(ws, b"\xff\xfe\x00garbage"),
    "descriptor empty": lambda ws: save(ws, b""),
    "descriptor a list": lambda ws: save(ws, [1, 2]),
    "descriptor a string": lambda ws: save(ws, "datapackage"),
    "resources not a list": lambda ws: save(ws, {**descriptor(ws), "resources": {"a": 1}}),
    "resources hold a number": lambda ws: save(
        ws, {**descriptor(ws), "resources": [*descriptor(ws)["resources"], 5]}
    ),
    "descriptor nested 100,000 deep": lambda ws: save(ws, b"[" * 100_000 + b"]" * 100_000),
    "resource hash a number": first_resource(hash=5),
    "Parquet truncated to half": replaced(f"{CE}.parquet", lambda b: b[: len(b) // 2]),
    "Parquet truncated to 10 bytes": replaced(f"{CE}.parquet", lambda b: b[: len(b) // 1000]),
    "Parquet empty": replaced(f"{CE}.parquet", b""),
    "Parquet is a CSV": replaced(f"{CE}.parquet", b"a,b\n1,2\n"),
    "Parquet magic with garbage": replaced(
        f"{CE}.parquet", b"PAR1" + bytes(range(256)) * 4 + b"PAR1"
    ),
    "CSV truncated mid-row": replaced(f"{CE}.csv", lambda b: b[: len(b) // 2]),
    "CSV garbage bytes": replaced(f"{CE}.csv", bytes(range(256)) * 8),
    "CSV empty": replaced(f"{CE}.csv", b""),
    "CSV unbalanced quote": replaced(f"{CE}.csv", b'source_id,iso3\n"soufan,TUN\n'),
    "CSV in UTF-16": replaced(f"{CE}.csv", lambda b: b.decode("utf-8").encode("utf-16")),
    "CSV missing a column": replaced(f"{CE}.csv", lambda b: re.sub(rb"(?m)^[^,\n]*,", b"", b)),
    "Parquet missing a column": replaced(f"{CE}.parquet", without_second_parquet_column),
    "CSV a link to outside": linked_outside,
    "tables folder missing": lambda ws: shutil.rmtree(ws.out / "data" / "processed"),
    "descriptor missing": lambda ws: (ws.out / "datapackage.json").unlink(),
}
#: A resource path outside the package is refused before anything is read, with or without
#: frictionless: each is run both ways.
PATHS = {
    "a number": 5,
    "a list": ["a.csv", "b.csv"],
    "absolute outside": "/etc/passwd",
    "climbs out": "../../../../etc/passwd",
    "a URL": "http://example.com/countries.csv",
    "the descriptor": "datapackage.json",
    "a folder": "data/processed",
    "with NUL": "data/processed/a\x00.csv",
    "5,000 characters": "data/processed/" + "a" * 5000,
}


def validate(damage, *flags: str, says: str = "", folder=lambda ws: ws.out) -> Case:
    argv = lambda ws: ["validate", str(folder(ws)), *flags]  # noqa: E731
    return refused(damage, FfdataError, *([says] if says else []), at_line=False, argv=argv)


def formula_notes(text: str) -> str:
    """Source notes starting with = + - @ tab and ' (as written in TOML, a tab escaped)."""
    parts = text.split('\nnote = "')
    for index, start in enumerate(STARTS, start=1):
        parts[index] = f"{start}cmd|' /C calc'!A0 " + parts[index]
    return '\nnote = "'.join(parts)


STARTS = ("=", "+", "-", "@", "\\t", "'")
PRINTED_NOTES = {json.loads(f'"{start}"') + "cmd|' /C calc'!A0 " for start in STARTS}


def no_live_formula(ws, out: str) -> str | None:
    live = live_cells(ws.out / PROCESSED / "sources.csv")
    if live:
        return f"cells arrived live: {live[:3]}"
    for fmt in ("csv", "parquet"):
        notes = read_table(ws.out, "sources", fmt)["note"].dropna()
        if {p for p in PRINTED_NOTES if any(n.startswith(p) for n in notes)} != PRINTED_NOTES:
            return f"notes as printed not recovered from the {fmt}"
    return None


def live_cells(path: Path) -> list[str]:
    """The cells of a CSV file a spreadsheet would run (a number's minus sign aside)."""
    cells = [c for row in csv.reader(path.open(encoding="utf-8")) for c in row]
    number = lambda c: c.lstrip("-").replace(".", "").isdigit()  # noqa: E731
    return [c for c in cells if c[:1] in "=+@\t\r-" and c and not (c[0] == "-" and number(c))]


CASES = {
    **{label: validate(damage) for label, damage in DAMAGES.items()},
    "a CSV cell changed (hash not recorded)": validate(
        lambda ws: (ws.out / f"{CE}.csv").write_text(
            (ws.out / f"{CE}.csv").read_text(encoding="utf-8").replace(",6000,", ",6001,")
        ),
        says="file differs from datapackage.json",
    ),
    "a leftover journal of an interrupted build": validate(
        lambda ws: (ws.out / ".ffdata-journal.json").write_text(
            '{"backup": ".ffdata-backup-x", "had_tables": true, "had_descriptor": true}'
        ),
        says="interrupted build",
    ),
    **{
        f"resource path {label}{' ' + flags[0] if flags else ''}": validate(
            first_resource(path=path), *flags
        )
        for label, path in PATHS.items()
        for flags in ((), ("--skip-frictionless",))
    },
    "package folder is a file": validate(
        lambda ws: None, folder=lambda ws: ws.out / "datapackage.json"
    ),
    "an empty folder": validate(
        lambda ws: (ws.outside / "empty").mkdir(),
        says="datapackage.json",
        folder=lambda ws: ws.outside / "empty",
    ),
    "source notes starting with = + - @ tab and ' arrive escaped": accepted(
        rewrite("sources.toml", formula_notes), check=no_live_formula
    ),
}

test_each_damage_to_a_published_package_is_refused = corpus_test(__file__, CASES)


def test_the_published_csv_files_hold_no_live_formula():
    assert [c for p in sorted((ROOT / PROCESSED).glob("*.csv")) for c in live_cells(p)] == []


#: Texts a document or a reviewer may print, some of which a spreadsheet would run.
PRINTED = [
    *("=1+1", '=HYPERLINK("http://x","y")', "+44 20 7946 0000", "-5 degrees", "--"),
    *("@SUM(A1:A2)", "\tindented", "\rreturn", "'quoted'", "''", "'", "", "Tunisia"),
    *("6,000", "a=b", " =not at the start", "\u2013en dash"),
]


def test_every_printed_text_is_escaped_and_recovered():
    for text in PRINTED:
        cell = escape_cell(text)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) and unescape_cell(cell) == text
        assert (cell != text) == text.startswith(ESCAPED_STARTS)


def test_escape_frame_is_escape_cell_on_every_text_cell_and_keeps_nulls():
    """The CSV writer's escaping (Arrow, a column at a time) is :func:`escape_cell` on each
    text cell, at the start only; a missing cell stays missing; number columns and the
    frame given are untouched."""
    table = TABLES["countries"]
    texts = [*PRINTED, *(f"x{start}y" for start in ESCAPED_STARTS), "\u00e9=", None]
    frame = pd.DataFrame({"iso3": texts, "country_name": texts[::-1]}, dtype="string")
    frame["population_2015"] = pd.array(range(len(texts)), dtype="Int64")
    before = frame.copy()
    escaped = escape_frame(frame, table)
    assert frame.equals(before)  # a copy is escaped, never the frame given
    for column in ("iso3", "country_name"):
        expected = [None if pd.isna(t) else escape_cell(t) for t in frame[column]]
        assert [None if pd.isna(v) else v for v in escaped[column]] == expected
        assert escaped[column].dtype == frame[column].dtype
    assert escaped["population_2015"].equals(frame["population_2015"])
    assert unescape_frame(escaped, table).equals(frame)
    plain = pd.DataFrame({"iso3": pd.array(["TUN", "a'b", None], dtype="string")})
    assert escape_frame(plain, table).equals(plain) and unescape_frame(plain, table).equals(plain)


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_a_reader_reads_one_whole_file_even_if_it_is_replaced_meanwhile(
    tmp_path, monkeypatch, backend
):
    """A Parquet file read by path is opened twice (footer, then pages): a build replacing it
    in between would mix two files. ffdata reads the bytes once: a replacement after that
    read changes nothing in what the reader gets."""
    pl = pytest.importorskip("polars") if backend == "polars" else None
    copy_package(tmp_path)
    module, name = (pl, "read_parquet") if pl else (pq, "ParquetFile")
    real, calls = getattr(module, name), []

    def replaced_meanwhile(source, *args, **kwargs):
        calls.append(source)
        shutil.copy(
            ROOT / PROCESSED / "sources.parquet", tmp_path / PROCESSED / "countries.parquet"
        )
        return real(source, *args, **kwargs)

    monkeypatch.setattr(module, name, replaced_meanwhile)
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    countries = (
        ffdata.load("countries", backend=backend) if pl else read_table(tmp_path, "countries")
    )
    assert len(calls) == 1  # the reader went through the replaced read, after its own read
    countries = countries.to_pandas() if pl else countries
    assert len(countries) == len(pd.read_parquet(ROOT / PROCESSED / "countries.parquet"))
    assert list(countries.set_index("iso3").loc[["TUN"], "country_name"]) == ["Tunisia"]


# --- the checks a build runs on what it writes -----------------------------------------------


@pytest.fixture(scope="module")
def committed_frames() -> dict[str, dict]:
    """Each table of the committed package as read from its CSV and from its Parquet file."""
    return {fmt: {n: read_checked(ROOT, n, fmt) for n in TABLES} for fmt in ("csv", "parquet")}


def at_row_3(column: str, value) -> Callable:
    return lambda f: f.assign(**{column: f[column].mask(f.index == 3, value(f[column]))})


CHANGES = {
    "one cell": at_row_3("country_name", lambda c: c + "x"),
    "a null": at_row_3("region_note", lambda c: "" if pd.isna(c[3]) else pd.NA),
    "one number": at_row_3("population_2015", lambda c: c + 1),
    "integers as floats": lambda f: f.astype({"population_2015": "Float64"}),
    "text as str": lambda f: f.astype({"country_name": "str"}),
    "column order": lambda f: f[[f.columns[1], f.columns[0], *f.columns[2:]]],
    "a row less": lambda f: f.iloc[:-1],
    "rows reordered": lambda f: f.iloc[::-1].reset_index(drop=True),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_csv_or_parquet_differing_from_what_was_validated_is_refused(committed_frames, change):
    csv_frames, parquet = committed_frames["csv"], committed_frames["parquet"]
    check_csv_equals_parquet(csv_frames, parquet)  # as published: equal
    check_read_back(parquet, parquet)
    changed = CHANGES[change](parquet["countries"])
    with pytest.raises(ValidationError, match=r"table countries: CSV and Parquet differ: "):
        check_csv_equals_parquet({**csv_frames, "countries": changed}, parquet)
    with pytest.raises(ValidationError, match=r"table countries: the Parquet file does not read"):
        check_read_back(parquet, {**parquet, "countries": changed})


def test_check_package_reads_each_file_once_and_refuses_a_changed_cell_or_key(
    tmp_path, monkeypatch
):
    pkg = copy_package(tmp_path / "pkg")
    counted = mock.Mock(side_effect=package_check.read_table)
    monkeypatch.setattr(package_check, "read_table", counted)
    check_package(pkg, frictionless=False)
    reads = sorted(call.args[1:] for call in counted.call_args_list)
    assert reads == sorted((n, f) for n in TABLES for f in ("csv", "parquet"))
    # the same tables, validated in memory, also read back as validated
    frames = {name: read_checked(pkg, name) for name in TABLES}
    check_package(pkg, validated=frames, frictionless=False)
    changed = {**frames, "countries": CHANGES["one number"](frames["countries"])}
    with pytest.raises(ValidationError, match=r"table countries: the Parquet file does not"):
        check_package(pkg, validated=changed, frictionless=False)
    # one cell of a CSV file changed (its hash recorded): not the Parquet's rows any more
    tunisie = lambda b: b.replace(b",Tunisia,", b",Tunisie,", 1)  # noqa: E731
    replaced(f"{PROCESSED}/countries.csv", tunisie)(mock.Mock(out=pkg))
    with pytest.raises(ValidationError, match=r"table countries: CSV and Parquet differ"):
        check_package(pkg, frictionless=False)
    # a dangling iso3 is reported by frictionless itself, not only by our checks
    from frictionless import Package

    replaced(f"{CE}.csv", lambda b: b.replace(b",TUN,", b",XXX,"))(mock.Mock(out=pkg))
    report = Package(str(pkg / "datapackage.json")).validate()
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


@pytest.mark.parametrize("dtype", ["object", "str", "string[python]"])
def test_a_text_column_of_another_dtype_is_refused(dtype):
    """Only pandas' ``string`` of Arrow storage with ``pd.NA`` passes the schema: object
    columns, ``str`` (NaN for a missing value) and Python storage are not what is published."""
    countries = read_table(ROOT, "countries")
    check_schema("countries", countries)
    with pytest.raises(ValidationError, match=r"column 'country_name': dtype\('string'\) failed"):
        check_schema("countries", countries.astype({"country_name": dtype}))


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0", "\t\n"])
def test_a_required_text_that_is_blank_is_refused(blank):
    """A required text column holds some text (NBSP is whitespace); an optional one may be
    missing."""
    blanked = read_table(ROOT, "countries")
    blanked.loc[3, "country_name"] = blank
    with pytest.raises(ValidationError, match=r"column 'country_name' row 3: empty string failed"):
        check_schema("countries", blanked)
    sources = read_table(ROOT, "sources").assign(title=pd.NA)
    check_schema("sources", sources.astype({"title": "string"}))


def test_damaged_installed_data_is_a_clear_error(tmp_path, monkeypatch, capsys):
    copy_package(tmp_path)
    (tmp_path / PROCESSED / "sources.parquet").unlink()
    (tmp_path / PROCESSED / "countries.parquet").write_bytes(b"not parquet")
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    with pytest.raises(FfdataError, match="cannot read table countries"):
        ffdata.load("countries")
    assert main(["show", "sources"]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_without_hypothesis_restores_the_import_even_when_validation_fails(monkeypatch):
    monkeypatch.delitem(sys.modules, "hypothesis", raising=False)  # as in a build's process
    with pytest.raises(RuntimeError, match="a check failed"), without_hypothesis():
        with pytest.raises(ImportError):
            import hypothesis  # noqa: F401
        raise RuntimeError("a check failed")
    assert "hypothesis" not in sys.modules  # importable again, not blocked by a None
    marker = object()  # hypothesis already imported (a test process): left as it is
    monkeypatch.setitem(sys.modules, "hypothesis", marker)
    with without_hypothesis():
        assert sys.modules["hypothesis"] is marker
    assert sys.modules["hypothesis"] is marker
