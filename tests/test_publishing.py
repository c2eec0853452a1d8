"""Publishing: determinism, committed = rebuilt, CLI validate and build (frictionless on the
same package: tests/test_release.py).
Refusals of a damaged package: tests/test_refusals_package.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from support import RAW, snapshot

import ffdata
from ffdata.builder.build import build
from ffdata.cli import main

ROOT = RAW.parents[1]


def published_files(root: Path) -> dict[str, bytes]:
    files = snapshot(root / "data" / "processed")
    files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    return files


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    report = build(RAW, out)
    assert report.changed
    return out


def test_two_builds_give_identical_bytes_and_report_coverage(fresh_build, tmp_path, result):
    report = build(RAW, tmp_path)
    assert report.changed
    assert f"coverage: {result.coverage.summary()}" in report.summary()
    assert published_files(tmp_path) == published_files(fresh_build)


def test_committed_package_equals_rebuilt(fresh_build):
    committed = published_files(ROOT)
    assert committed.keys() == published_files(fresh_build).keys()
    for name, data in published_files(fresh_build).items():
        assert committed[name] == data, f"{name} is stale: run `make data` and commit"


def test_noop_rebuild_touches_nothing(fresh_build):
    before = {p: p.stat().st_mtime_ns for p in fresh_build.rglob("*") if p.is_file()}
    report = build(RAW, fresh_build)
    assert not report.changed
    after = {p: p.stat().st_mtime_ns for p in fresh_build.rglob("*") if p.is_file()}
    assert before == after


def test_datapackage_declares_keys_hashes_and_licences(fresh_build):
    descriptor = json.loads((fresh_build / "datapackage.json").read_text())
    resources = {r["name"]: r for r in descriptor["resources"]}
    estimates = resources["country_estimates"]["schema"]
    assert estimates["primaryKey"] == ["source_id", "iso3", "estimate"]
    targets = {fk["reference"]["resource"] for fk in estimates["foreignKeys"]}
    assert targets == {"sources", "countries", "documents"}
    fields = {f["name"]: f for f in estimates["fields"]}
    assert fields["estimate"]["constraints"]["enum"] == ["official", "unofficial", "reported"]
    assert fields["fighters"]["constraints"]["minimum"] == 0
    for resource in descriptor["resources"]:
        assert resource["hash"].startswith("sha256:")
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    titles = " ".join(s["title"] for s in descriptor["sources"])
    assert "The Soufan Group" in titles and "World Bank" in titles


def test_cli_validate(capsys):
    assert main(["validate", str(ROOT), "--skip-frictionless"]) == 0
    assert "valid" in capsys.readouterr().out


def test_console_script_runs(tmp_path):
    exe = Path(sys.executable).with_name("ffdata")
    run = subprocess.run(
        [str(exe), "build", "--raw-dir", str(RAW), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},  # stderr lists every import
    )
    assert run.returncode == 0, run.stderr
    assert f"country_estimates: {len(ffdata.load('country_estimates'))} rows" in run.stdout
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if "|" in line}
    assert "pandera" in imported and "pandas" in imported
    assert "hypothesis" not in imported  # pandera's strategies, never used by a build (0.2 s)
    bad = subprocess.run(
        [str(exe), "build", "--raw-dir", str(tmp_path / "nope"), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.count("\n") <= 2 and "manifest" in bad.stderr


def test_to_frame_types_fills_and_sorts_the_records():
    """A table is built with its declared dtypes, a key a record lacks as a missing cell,
    rows sorted by the table's sort columns (missing values last)."""
    from ffdata.builder.publish.assemble import to_frame
    from ffdata.reading import dtypes

    base = {"source_id": "s", "iso3": "TUN", "estimate": "official", "document_id": "d"}
    records = [
        {**base, "iso3": "TUN", "rank_as_printed": None, "fighters": 6000, "line": 1},
        {**base, "iso3": "FRA", "rank_as_printed": 2, "fighters_low": 10, "line": 2},
        {**base, "iso3": "BEL", "rank_as_printed": 2, "fighters": 0, "line": 3},
        {**base, "iso3": "ALB", "estimate": "unofficial", "rank_as_printed": 9, "line": 4},
        {**base, "iso3": "DEU", "rank_as_printed": 1, "second": "ignored", "line": 5},
    ]
    frame = to_frame("country_estimates", records)
    declared = {c: pd.api.types.pandas_dtype(t) for c, t in dtypes("country_estimates").items()}
    assert {c: frame[c].dtype for c in frame.columns} == declared
    assert list(frame.columns) == list(declared)
    # official before unofficial; by rank, the missing rank last; equal ranks by iso3
    assert frame["line"].tolist() == [5, 3, 2, 1, 4]
    assert frame["fighters"].tolist() == [pd.NA, 0, pd.NA, 6000, pd.NA]
    assert frame["fighters_low"].isna().tolist() == [True, True, False, True, True]
    assert frame["oddities"].isna().all() and frame["fighters_per_million"].isna().all()
    assert frame.index.equals(pd.RangeIndex(5))
    empty = to_frame("country_estimates", [])
    assert len(empty) == 0 and {c: empty[c].dtype for c in empty.columns} == declared


def test_write_csv_writes_an_integral_number_without_a_decimal_point(tables, tmp_path):
    """The CSV writer itself (not only the committed files) writes a number column's
    integral values as integers (11000, never 11000.0) and reads back the same values."""
    import csv

    from ffdata.builder.publish.write import write_csv
    from ffdata.tables import TABLES

    frame = tables["aggregate_figures"]
    path = tmp_path / "aggregate_figures.csv"
    write_csv(frame, path, TABLES["aggregate_figures"])
    with path.open(encoding="utf-8", newline="") as file:
        cells = [row["value"] for row in csv.DictReader(file) if row["value"]]
    written = [float(v) for v in frame["value"].dropna()]
    assert [float(c) for c in cells] == written
    integral = [c for c, v in zip(cells, written, strict=True) if v.is_integer()]
    assert integral and all(c == str(int(float(c))) for c in integral), integral[:5]
