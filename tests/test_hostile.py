"""Hostile inputs, one test per family (the corpus is tests/hostile_cases.py).

The corpus runs once per module, in a worker process with a time limit per case
(tests/case_runner.py). Each family's test then requires every case of the family to hold: a refusal with a bounded ``error:`` message and nothing published or outside
touched, or the accepted build the case expects.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from case_runner import run_cases
from hostile_cases import FAMILIES

from ffdata.csv_cells import ESCAPED_STARTS, escape_cell, unescape_cell

#: Seconds a case may take (most take a fraction of a second; a build about two).
LIMIT = 30.0


@pytest.fixture(scope="module")
def outcomes() -> dict[str, str]:
    """Every case's outcome, computed once for the module's tests."""
    names = [name for family in FAMILIES.values() for name in family]
    return run_cases("hostile_cases", names, limit=LIMIT)


def broken(outcomes: dict[str, str], family: str) -> dict[str, str]:
    assert FAMILIES[family], family
    return {name: outcomes[name] for name in FAMILIES[family] if outcomes[name] != "ok"}


def test_every_file_the_build_reads_is_pinned_and_confined(outcomes):
    assert len(FAMILIES["pins"]) == 27
    assert broken(outcomes, "pins") == {}


def test_publishing_touches_nothing_it_does_not_own(outcomes):
    assert broken(outcomes, "publishing") == {}


def test_resources_run_out_cleanly(outcomes):
    assert broken(outcomes, "resources") == {}


def test_every_bad_input_gets_a_message(outcomes):
    assert broken(outcomes, "bad inputs") == {}


def test_validate_refuses_packages_it_did_not_build(outcomes):
    assert broken(outcomes, "validate") == {}


def test_messages_point_at_the_damage(outcomes):
    assert broken(outcomes, "messages") == {}


#: Texts a document or a reviewer may print, some of which a spreadsheet would run.
PRINTED = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+44 20 7946 0000",
    "-5 degrees",
    "--",
    "@SUM(A1:A2)",
    "\tindented",
    "\rreturn",
    "'quoted'",
    "''",
    "'",
    "",
    "Tunisia",
    "6,000",
    "a=b",
    " =not at the start",
    "\u2013en dash",
]


def test_no_formula_arrives_live_and_every_text_is_recovered(outcomes):
    assert broken(outcomes, "formulas") == {}  # a build with such notes, CSV read back
    for text in PRINTED:
        cell = escape_cell(text)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert unescape_cell(cell) == text
        assert (cell != text) == text.startswith(ESCAPED_STARTS)


def test_the_published_csv_files_hold_no_live_formula():
    import csv

    root = Path(__file__).resolve().parents[1] / "data" / "processed"
    cells = [
        cell
        for path in sorted(root.glob("*.csv"))
        for row in csv.reader(path.open(encoding="utf-8"))
        for cell in row
    ]
    assert len(cells) > 10_000
    assert [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))] == []
    assert [
        c for c in cells if c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()
    ] == []


def test_a_reader_reads_one_whole_file_even_if_it_is_replaced_meanwhile(tmp_path, monkeypatch):
    """pandas given a path opens a Parquet file twice (footer, then pages): a build replacing
    the file in between gave "Page was smaller than expected". ffdata reads the bytes once:
    a replacement after that read changes nothing in what the reader gets."""
    import shutil

    import pyarrow.parquet as pq

    from ffdata.reading import read_table

    root = Path(__file__).resolve().parents[1]
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    shutil.copy(root / "data" / "processed" / "countries.parquet", processed)
    real = pq.read_table
    calls = []

    def replaced_meanwhile(source, *args, **kwargs):
        calls.append(source)
        shutil.copy(
            root / "data" / "processed" / "sources.parquet", processed / "countries.parquet"
        )
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pq, "read_table", replaced_meanwhile)
    countries = read_table(tmp_path, "countries")
    assert len(calls) == 1  # the reader went through the replaced read, after its own read
    assert len(countries) == 77
    assert countries.set_index("iso3").loc["TUN", "name"] == "Tunisia"


def test_the_polars_loader_reads_one_whole_file_too(tmp_path, monkeypatch):
    """The same for ``load(name, backend="polars")``: polars gets the bytes read once."""
    import shutil

    pl = pytest.importorskip("polars")
    import ffdata
    from ffdata.locate import ENV_VAR

    root = Path(__file__).resolve().parents[1]
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    shutil.copy(root / "datapackage.json", tmp_path)
    shutil.copy(root / "data" / "processed" / "countries.parquet", processed)
    real = pl.read_parquet
    calls = []

    def replaced_meanwhile(source, *args, **kwargs):
        calls.append(source)
        shutil.copy(
            root / "data" / "processed" / "sources.parquet", processed / "countries.parquet"
        )
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pl, "read_parquet", replaced_meanwhile)
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    countries = ffdata.load("countries", backend="polars")
    assert len(calls) == 1  # the loader went through the replaced read, after its own read
    assert countries.height == 77
    assert countries.filter(pl.col("iso3") == "TUN")["name"].to_list() == ["Tunisia"]


def test_escape_frame_is_escape_cell_on_every_text_cell_and_keeps_nulls():
    """The CSV writer's escaping (Arrow, a column at a time) is :func:`escape_cell` on each
    text cell: every risky first character and the apostrophe, at the start only; a
    missing cell stays missing; number columns and the Parquet's frame are untouched."""
    import pandas as pd

    from ffdata.csv_cells import escape_frame, unescape_frame
    from ffdata.tables import TABLES

    table = TABLES["countries"]
    texts = [*PRINTED, *(f"x{start}y" for start in ESCAPED_STARTS), "\u00e9=", None]
    frame = pd.DataFrame(
        {
            "iso3": pd.array(texts, dtype="string"),
            "name": pd.array(list(reversed(texts)), dtype="string"),
            "population_2015": pd.array(range(len(texts)), dtype="Int64"),
        }
    )
    before = frame.copy()
    escaped = escape_frame(frame, table)
    assert frame.equals(before)  # a copy is escaped, never the frame given
    for column in ("iso3", "name"):
        expected = [None if pd.isna(t) else escape_cell(t) for t in frame[column].tolist()]
        got = escaped[column].tolist()
        assert [None if pd.isna(v) else v for v in got] == expected, column
        assert escaped[column].dtype == frame[column].dtype
    assert escaped["population_2015"].equals(frame["population_2015"])
    assert unescape_frame(escaped, table).equals(frame)
    plain = pd.DataFrame({"iso3": pd.array(["TUN", "a'b", None], dtype="string")})
    assert escape_frame(plain, table).equals(plain) and unescape_frame(plain, table).equals(plain)
