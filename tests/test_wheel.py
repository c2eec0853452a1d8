"""A real wheel, installed into a fresh virtual environment, used from outside the repository.

The fresh environment gets its third-party libraries from the project's .venv
through a .pth line (no network), but ffdata only from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT

#: The fresh environment must not see the checkout through PYTHONPATH.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FFDATA_DATA_DIR")}

FILES = [
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "LICENSE-DATA.md",
    "CITATION.cff",
    "datapackage.json",
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in FILES:
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "_data"),
    )
    shutil.copytree(ROOT / "data" / "processed", source / "data" / "processed")
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("ffdata-*.whl")
    env = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "_deps_from_project_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return env


def test_load_from_the_installed_wheel(installed, tmp_path):
    code = (
        "import ffdata, pathlib; "
        "p = ffdata.path('country_estimates'); "
        "assert 'site-packages' in str(p) and '_data' in str(p), p; "
        "ce = ffdata.load('country_estimates'); "
        "print(len(ce), int(ce.query(\"iso3 == 'TUN' and estimate == 'official'\").fighters.iloc[0]))"
    )
    out = subprocess.run(
        [str(installed / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["106", "6000"]


def test_cli_from_the_installed_wheel(installed, tmp_path):
    out = subprocess.run(
        [str(installed / "bin" / "ffdata"), "compare", "UK", "--format", "csv"],
        cwd=tmp_path,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "GBR,soufan-2015,official,760" in out.stdout
    valid = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import ffdata.locate as l, ffdata.builder.package_check as c; c.check_package(l.data_root())",
        ],
        cwd=tmp_path,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert valid.returncode == 0, valid.stderr


def test_tools_from_the_installed_wheel_write_only_where_told(installed, tmp_path):
    """Report and release run from the wheel: output in the given folders, none in site-packages;
    without the paths, outside a checkout, they refuse with an ffdata error."""
    from conftest import snapshot
    from ffdata.registry import REGISTRY_RESOURCE

    python = str(installed / "bin" / "python")
    package = Path(
        subprocess.run(
            [python, "-c", "import ffdata; print(ffdata.__file__)"],
            cwd=tmp_path,
            env=CLEAN_ENV,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    ).parent

    def files() -> dict[str, bytes]:
        return {k: v for k, v in snapshot(package).items() if "__pycache__" not in k}

    before = files()
    checkout = tmp_path / "checkout"
    for name in [*FILES, "CHANGELOG.md", "docs/codebook.md", f"src/ffdata/{REGISTRY_RESOURCE}"]:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, checkout / name)
    shutil.copytree(ROOT / "data" / "processed", checkout / "data" / "processed")
    work = tmp_path / "work"
    work.mkdir()
    commands = {
        "report": ["-m", "ffdata.builder.report", "--out", str(tmp_path / "report")],
        "release": [
            *("-m", "ffdata.builder.release", "--version", "0.1.0"),
            *("--root", str(checkout), "--dist", str(tmp_path / "dist")),
        ],
        "report, no path": ["-m", "ffdata.builder.report"],
        "release, no path": ["-m", "ffdata.builder.release", "--version", "0.1.0"],
    }
    runs = {
        what: subprocess.run(
            [python, *args], cwd=work, env=CLEAN_ENV, capture_output=True, text=True, check=False
        )
        for what, args in commands.items()
    }
    assert runs["report"].returncode == 0, runs["report"].stderr
    assert (tmp_path / "report" / "index.html").is_file()
    assert runs["release"].returncode == 0, runs["release"].stderr
    assert (tmp_path / "dist" / "ffdata-data-0.1.0.zip").is_file()
    assert "already recorded, unchanged" in runs["release"].stdout
    for what in ("report, no path", "release, no path"):
        assert runs[what].returncode == 1, what
        assert "not an ffdata checkout" in runs[what].stderr
        assert "Traceback" not in runs[what].stderr
    assert list(work.iterdir()) == []
    assert files() == before
