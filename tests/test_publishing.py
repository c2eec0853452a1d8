"""Publishing: determinism, committed = rebuilt, frictionless, package checks, CLI validate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from support import RAW, copy_package, frictionless_validate, snapshot

from ffdata.builder.build import build
from ffdata.builder.publish.package_check import check_package
from ffdata.cli import main
from ffdata.errors import ValidationError

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


def test_two_builds_give_identical_bytes(fresh_build, tmp_path):
    report = build(RAW, tmp_path)
    assert report.changed
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


def test_frictionless_cli_validates_the_committed_package():
    run = frictionless_validate(ROOT)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "INVALID" not in run.stdout


def test_validate_refuses_a_tampered_file(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    path = pkg / "data" / "processed" / "country_estimates.csv"
    path.write_text(path.read_text().replace(",6000,", ",6001,"))
    with pytest.raises(ValidationError, match=r"file differs from datapackage\.json"):
        check_package(pkg)


def test_frictionless_catches_a_broken_foreign_key(tmp_path):
    """A dangling iso3 is reported by frictionless itself, not only by our checks."""
    from frictionless import Package

    pkg = copy_package(tmp_path / "pkg")
    path = pkg / "data" / "processed" / "country_estimates.csv"
    path.write_text(path.read_text().replace(",TUN,", ",XXX,"))
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        resource.pop("hash", None)
        resource.pop("bytes", None)
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    report = Package(str(pkg / "datapackage.json")).validate()
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


def test_cli_validate(capsys):
    assert main(["validate", str(ROOT), "--skip-frictionless"]) == 0
    assert "valid" in capsys.readouterr().out


def test_cli_validate_error_exit_code(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "datapackage.json" in err and "Traceback" not in err


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
    assert "country_estimates: 211 rows" in run.stdout
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


@pytest.fixture(scope="module")
def committed_frames() -> dict[str, dict]:
    """Each table of the committed package as read from its CSV and from its Parquet file."""
    from ffdata.builder.publish.package_check import read_checked
    from ffdata.tables import TABLES

    return {fmt: {n: read_checked(ROOT, n, fmt) for n in TABLES} for fmt in ("csv", "parquet")}


def _changed(frame, change: str):
    """``frame`` with one realistic difference from what was published."""
    out = frame.copy()
    if change == "one cell":
        out.loc[3, "name"] = out.loc[3, "name"] + "x"
    elif change == "a null":
        out.loc[3, "region_note"] = "" if out["region_note"].isna()[3] else pd.NA
    elif change == "one number":
        out.loc[3, "population_2015"] += 1
    elif change == "integers as floats":  # same values, another dtype
        out["population_2015"] = out["population_2015"].astype("Float64")
    elif change == "text as str":  # pandas' NaN-variant string dtype: same values
        out["name"] = out["name"].astype("str")
    elif change == "column order":
        out = out[[out.columns[1], out.columns[0], *out.columns[2:]]]
    elif change == "a row less":
        out = out.iloc[:-1]
    elif change == "rows reordered":
        out = out.iloc[::-1].reset_index(drop=True)
    return out


CHANGES = [
    "one cell",
    "a null",
    "one number",
    "integers as floats",
    "text as str",
    "column order",
    "a row less",
    "rows reordered",
]


@pytest.mark.parametrize("change", CHANGES)
def test_csv_differing_from_the_parquet_is_refused(committed_frames, change):
    from ffdata.builder.publish.package_check import check_csv_equals_parquet

    csv, parquet = committed_frames["csv"], committed_frames["parquet"]
    check_csv_equals_parquet(csv, parquet)  # as published: equal
    changed = {**csv, "countries": _changed(csv["countries"], change)}
    with pytest.raises(ValidationError, match=r"table countries: CSV and Parquet differ: "):
        check_csv_equals_parquet(changed, parquet)


@pytest.mark.parametrize("change", CHANGES)
def test_parquet_not_reading_back_as_the_validated_table_is_refused(committed_frames, change):
    from ffdata.builder.publish.package_check import check_read_back

    parquet = committed_frames["parquet"]
    check_read_back(parquet, parquet)
    validated = {**parquet, "countries": _changed(parquet["countries"], change)}
    with pytest.raises(ValidationError, match=r"table countries: the Parquet file does not read"):
        check_read_back(parquet, validated)


def _rewrite_csv(pkg: Path, name: str, old: str, new: str) -> None:
    """Change a published CSV file and record its new hash, as a careless editor would."""
    import hashlib

    path = pkg / "data" / "processed" / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == f"data/processed/{name}.csv":
            resource["hash"] = f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"
            resource["bytes"] = path.stat().st_size
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_check_package_reads_each_file_once_and_compares_csv_with_parquet(tmp_path, monkeypatch):
    import ffdata.builder.publish.package_check as package_check
    from ffdata.tables import TABLES

    pkg = copy_package(tmp_path / "pkg")
    reads: list[tuple[str, str]] = []
    read_table = package_check.read_table

    def counted(root, name, fmt="parquet"):
        reads.append((name, fmt))
        return read_table(root, name, fmt)

    monkeypatch.setattr(package_check, "read_table", counted)
    check_package(pkg, frictionless=False)
    assert sorted(reads) == sorted((n, f) for n in TABLES for f in ("csv", "parquet"))
    # the same tables, validated in memory, also read back as they were validated
    frames = {name: package_check.read_checked(pkg, name) for name in TABLES}
    check_package(pkg, validated=frames, frictionless=False)
    changed = {**frames, "countries": _changed(frames["countries"], "one number")}
    with pytest.raises(ValidationError, match=r"table countries: the Parquet file does not"):
        check_package(pkg, validated=changed, frictionless=False)
    # one cell of a CSV file changed (its hash recorded): not the Parquet's rows any more
    _rewrite_csv(pkg, "countries", ",Tunisia,", ",Tunisie,")
    with pytest.raises(ValidationError, match=r"table countries: CSV and Parquet differ"):
        check_package(pkg, frictionless=False)


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
