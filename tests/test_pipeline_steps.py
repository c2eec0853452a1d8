"""The step scripts in pipelines/ run on their own and report what their step produced."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import RAW

STEPS = RAW.parents[1] / "pipelines"


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(STEPS / script), "--raw-dir", str(RAW), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_step1_lists_every_raw_file_as_ok():
    result = run("step1_verify_raw.py")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 + 5 + 2
    assert all(line.endswith(",ok") for line in lines[1:])


def test_step2_prints_rows_as_printed():
    result = run("step2_extract.py")
    assert result.returncode == 0, result.stderr
    assert "country,soufan-2015,Tunisia official,6000,002_882cd01f73eb6394.txt,112," in (
        result.stdout
    )
    assert result.stdout.count("\nfigure,") == 77  # the entries of figures.toml


def test_step3_resolves_names():
    result = run("step3_resolve_countries.py")
    assert '"Dutch",NLD,NL,"Netherlands"' in result.stdout
    assert '"Kosovo",XKX,XK,"Kosovo"' in result.stdout


@pytest.mark.parametrize("script", ["step1_verify_raw.py", "step4_validate.py"])
def test_steps_report_errors_without_traceback(tmp_path, script):
    result = subprocess.run(
        [sys.executable, str(STEPS / script), "--raw-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr
