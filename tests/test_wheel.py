"""A real wheel, installed with no extras into a fresh virtual environment, used from outside
the repository, offline.

The wheel is built from a copy of the files pyproject.toml includes, with the project's
build backend (hatchling, from requirements.lock; no build isolation, no network). The fresh
environment sees only the libraries a plain `pip install foreign-fighters-data` brings (pandas, pyarrow,
pooch and what they require, found from their metadata): each is linked from the project's
environment into one folder that a .pth line puts on the path. pandera, frictionless,
pycountry and matplotlib are installed in the project's environment but are not in that
folder, so the wheel must work without them.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from support import ROOT

from ffdata._version import DISTRIBUTION

#: The fresh environment must not see the checkout through PYTHONPATH or FFDATA_DATA_DIR.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FFDATA_DATA_DIR")}
#: What the wheel is built from (pyproject.toml's wheel and sdist selections).
FILES = ["pyproject.toml", "README.md", "LICENSE", "LICENSE-DATA.md", "datapackage.json"]
#: Libraries of the extras, which a plain install must not need.
EXTRAS_ONLY = ("pandera", "frictionless", "pycountry", "matplotlib")


def runtime_closure(requires: list[str]) -> set[str]:
    """Names of the distributions that requirements ``requires`` pull in (no extras).

    Each requirement is looked up in the project's environment and its own requirements
    followed in turn, evaluating markers for this interpreter with no extra.
    """
    seen: set[str] = set()
    todo: list[str | None] = [None]
    while todo:
        name = todo.pop()
        for text in requires if name is None else metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            key = metadata.distribution(requirement.name).metadata["Name"].lower()
            if key not in seen:
                seen.add(key)
                todo.append(key)
    return seen


def link_distributions(names: set[str], target: Path) -> None:
    """Link the top-level files and folders of each installed distribution into ``target``."""
    target.mkdir()
    for name in names:
        dist = metadata.distribution(name)
        base = Path(dist.locate_file(""))
        for file in dist.files or []:
            top = file.parts[0]
            if top in ("..", "__pycache__") or (target / top).exists():
                continue
            (target / top).symlink_to(base / top)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="the build backend comes with `make venv`")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in FILES:
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "_data")
    )
    shutil.copytree(ROOT / "data" / "processed", source / "data" / "processed")
    dist, env = work / "dist", work / "venv"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    offline = ["--no-deps", "--no-index"]
    build = sh(*pip, "wheel", *offline, "--no-build-isolation", "--wheel-dir", dist, source)
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("foreign_fighters_data-*.whl")
    sh(sys.executable, "-m", "venv", "--without-pip", env, check=True)
    python = env / "bin" / "python"
    site = sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(archive.read(name))
    assert meta["Name"] == DISTRIBUTION  # the name it installs by, not PyPI's other "ffdata"
    closure = runtime_closure(meta.get_all("Requires-Dist") or [])
    assert {"pandas", "pyarrow", "pooch"} <= closure
    assert not closure & set(EXTRAS_ONLY), closure
    link_distributions(closure, work / "deps")
    (Path(site.strip()) / "_plain_install_deps.pth").write_text(str(work / "deps") + "\n")
    install = sh(*pip, "--python", python, "install", *offline, wheel)
    assert install.returncode == 0, install.stderr
    return env


def sh(*args, **options) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **options)


def run(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a program of the fresh environment outside the repository."""
    return sh(installed / "bin" / args[0], *args[1:], cwd=cwd, env=CLEAN_ENV)


def test_the_api_from_the_installed_wheel_without_the_extras(installed, tmp_path):
    code = (
        "import importlib.util as u, ffdata, sys\n"
        f"print(','.join(m for m in {EXTRAS_ONLY!r} if u.find_spec(m)))\n"
        "p = ffdata.path('country_estimates')\n"
        "assert 'site-packages' in str(p) and '_data' in str(p), p\n"
        "ce = ffdata.load('country_estimates')\n"
        "print(len(ce), int(ce.query(\"iso3 == 'TUN' and estimate == 'official'\").fighters.iloc[0]))\n"
        "uk = ffdata.compare('UK').query('row_kind == \"country_estimate\"')\n"
        "print(list(zip(uk.source_id, uk.fighters.fillna(uk.fighters_low).astype(int))))\n"
        "print(ffdata.describe('country_estimates').set_index('column').loc['fighters', 'unit'])\n"
        "p = ffdata.provenance('Tunisia', source='soufan-2015', estimate='official').iloc[0]\n"
        "print(p.file, int(p.line))\n"
        "print('The Soufan Group' in ffdata.cite())\n"
        f"print(','.join(m for m in sys.modules if m.split('.')[0] in {EXTRAS_ONLY!r}))\n"
    )
    out = run(installed, tmp_path, "python", "-c", code)
    assert out.returncode == 0, out.stderr
    import ffdata

    uk = ffdata.compare("UK").query('row_kind == "country_estimate"')
    assert out.stdout.splitlines() == [
        "",
        f"{len(ffdata.load('country_estimates'))} 6000",
        str(list(zip(uk.source_id, uk.fighters.fillna(uk.fighters_low).astype(int), strict=True))),
        "people",
        "002_882cd01f73eb6394.txt 112",
        "True",
        "",
    ]


def test_cli_from_the_installed_wheel(installed, tmp_path):
    out = run(installed, tmp_path, "ffdata", "show", "country_estimates", "--country", "UK")
    assert out.returncode == 0, out.stderr
    assert "soufan-2015,GBR,official,760" in out.stdout
    out = run(installed, tmp_path, "ffdata", "compare", "Syria")
    assert out.returncode == 0, out.stderr
    assert "not_listed" in out.stdout and "nationals are not foreigners there" in out.stdout
    out = run(installed, tmp_path, "ffdata", "compare", "Congo")
    assert out.returncode == 2
    assert "more than one country" in out.stderr


@pytest.mark.parametrize(
    "command",
    [["validate", "--skip-frictionless", "DATA"], ["build", "--raw-dir", "RAW", "--out-dir", "."]],
)
def test_building_says_it_needs_the_build_extra(installed, tmp_path, command):
    """`ffdata build` and `validate` need the builder's libraries, absent from a plain install."""
    data = run(
        installed, tmp_path, "python", "-c", "import ffdata.locate as l; print(l.data_root())"
    )
    places = {"DATA": data.stdout.strip(), "RAW": str(ROOT / "data" / "raw")}
    out = run(installed, tmp_path, "ffdata", *[places.get(a, a) for a in command])
    assert out.returncode == 1, out.stderr
    assert out.stderr.splitlines() == [
        f"error: {installed}: this command needs the builder's libraries (pandera, pycountry, "
        "frictionless not installed) (hint: pip install 'foreign-fighters-data[build]', or `make venv` in a "
        "checkout)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_distribution_name_is_declared_once():
    """pyproject.toml's name is the one every install hint names (ffdata._version)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION != "ffdata"
