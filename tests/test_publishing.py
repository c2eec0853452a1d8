"""Publishing: determinism, committed = rebuilt, frictionless, package checks, CLI validate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW, copy_package, frictionless_validate, snapshot
from ffdata.builder.build import build
from ffdata.builder.package_check import check_package
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
