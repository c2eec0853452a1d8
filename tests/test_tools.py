"""The report and release tools write only where they are told, and the release tool records a
version's sha256 once: run as ``python -m`` in a folder that is not a checkout, on copies of it."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, snapshot

import ffdata
from ffdata.builder.tools.release import record_release
from ffdata.hashes import sha256_file
from ffdata.registry import REGISTRY_RESOURCE, format_registry, release_name

SRC = ROOT / "src" / "ffdata"
#: What the release of a checkout reads, besides the registry and the folders the fixture
#: `checkout` copies.
CHECKOUT_FILES = (
    "pyproject.toml",
    "datapackage.json",
    "docs/codebook.md",
    "LICENSE",
    "LICENSE-DATA.md",
    "CITATION.cff",
    "CHANGELOG.md",
)


def package_files() -> dict[str, bytes]:
    """The package's sources and data (bytecode caches aside, which Python writes itself)."""
    return {k: v for k, v in snapshot(SRC).items() if "__pycache__" not in k}


def run_tool(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m module args`` in ``cwd`` with this checkout's ffdata."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of what a release is made of: published package, metadata files, registry."""
    root = tmp_path / "checkout"
    for name in CHECKOUT_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    for folder in ("data/processed", "data/raw", "docs/report", "releases"):
        shutil.copytree(ROOT / folder, root / folder)
    registry = root / "src" / "ffdata" / REGISTRY_RESOURCE
    registry.parent.mkdir(parents=True)
    shutil.copy2(SRC / REGISTRY_RESOURCE, registry)
    return root


def registry_of(root: Path) -> Path:
    return root / "src" / "ffdata" / REGISTRY_RESOURCE


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder that is not a checkout, to run the tools in."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_report_writes_only_into_out(tmp_path, elsewhere):
    before = package_files()
    out = tmp_path / "report"
    run = run_tool("ffdata.builder.tools.report", "--out", str(out), cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "top-countries.svg"]
    assert list(elsewhere.iterdir()) == []
    assert package_files() == before


def record_current_version(checkout: Path, archive: Path) -> None:
    """Record the current version in the checkout's registry (a version in development is
    not recorded yet), with the sha256 of ``archive``: the session's release of this
    repository, which a release of the checkout's copy equals byte for byte."""
    record_release(registry_of(checkout), ffdata.__version__, sha256_file(archive))


def test_release_writes_only_into_dist(checkout, tmp_path, elsewhere, release_archive):
    record_current_version(checkout, release_archive)
    before = package_files()
    registry = registry_of(checkout).read_bytes()
    dist = tmp_path / "dist"
    run = run_tool(
        "ffdata.builder.tools.release",
        *("--version", ffdata.__version__, "--root", str(checkout), "--dist", str(dist)),
        cwd=elsewhere,
    )
    assert run.returncode == 0, run.stderr
    assert "already recorded, unchanged" in run.stdout
    archive = dist / release_name()
    assert sorted(p.name for p in dist.iterdir()) == [archive.name]
    recorded = json.loads(registry_of(checkout).read_text(encoding="utf-8"))
    assert sha256_file(archive) == recorded[ffdata.__version__]
    assert registry_of(checkout).read_bytes() == registry
    assert list(elsewhere.iterdir()) == []
    assert package_files() == before


@pytest.mark.parametrize("module", ["ffdata.builder.tools.report", "ffdata.builder.tools.release"])
def test_without_paths_outside_a_checkout_the_tools_refuse(module, elsewhere):
    before = package_files()
    args = ("--version", ffdata.__version__) if module.endswith("release") else ()
    run = run_tool(module, *args, cwd=elsewhere)
    assert run.returncode == 1
    assert run.stderr.startswith("error: ")
    assert "not an ffdata checkout" in run.stderr and "hint: " in run.stderr
    assert "Traceback" not in run.stderr
    assert list(elsewhere.iterdir()) == []
    assert package_files() == before


def test_release_in_the_working_directory_by_default(checkout):
    run = run_tool("ffdata.builder.tools.release", "--version", ffdata.__version__, cwd=checkout)
    assert run.returncode == 0, run.stderr
    assert (checkout / "dist" / release_name()).is_file()


def test_a_new_version_is_recorded_once(checkout, tmp_path):
    registry = registry_of(checkout)
    registry.write_text("{}\n", encoding="utf-8")
    args = ("--version", ffdata.__version__, "--root", str(checkout), "--dist", str(tmp_path))
    first = run_tool("ffdata.builder.tools.release", *args, cwd=checkout)
    assert first.returncode == 0, first.stderr
    assert "(recorded)" in first.stdout
    digest = sha256_file(tmp_path / release_name())
    assert registry.read_text(encoding="utf-8") == format_registry({ffdata.__version__: digest})
    second = run_tool("ffdata.builder.tools.release", *args, cwd=checkout)
    assert second.returncode == 0, second.stderr
    assert "already recorded, unchanged" in second.stdout
    assert json.loads(registry.read_text(encoding="utf-8")) == {ffdata.__version__: digest}


def test_a_release_stopped_before_its_record_is_made_whole_by_the_next(
    checkout, tmp_path, monkeypatch
):
    """The copy in releases/ and .zenodo.json are written before the sha256 is recorded: a
    run stopped between them (here: no space for .zenodo.json) records nothing, and the
    next run writes all three (recorded first, the next run would find the version recorded
    and leave the copies missing)."""
    from ffdata.builder.tools import release
    from ffdata.errors import PublishError

    registry = registry_of(checkout)
    registry.write_text("{}\n", encoding="utf-8")
    (checkout / ".zenodo.json").unlink(missing_ok=True)
    write_whole = release.write_whole

    def no_space_for_zenodo(path: Path, data: str | bytes) -> None:
        if path.name == ".zenodo.json":
            raise OSError(28, "No space left on device", str(path))
        write_whole(path, data)

    monkeypatch.setattr(release, "write_whole", no_space_for_zenodo)
    with pytest.raises(PublishError, match="No space left"):
        release.make_release(ffdata.__version__, checkout, tmp_path / "dist")
    assert json.loads(registry.read_text(encoding="utf-8")) == {}
    assert not (checkout / ".zenodo.json").exists()
    monkeypatch.setattr(release, "write_whole", write_whole)
    archive, digest, new = release.make_release(ffdata.__version__, checkout, tmp_path / "dist")
    assert new and json.loads(registry.read_text(encoding="utf-8")) == {ffdata.__version__: digest}
    assert sha256_file(checkout / "releases" / release_name()) == digest == sha256_file(archive)
    assert json.loads((checkout / ".zenodo.json").read_text(encoding="utf-8"))["version"] == (
        ffdata.__version__
    )


def test_changed_data_under_a_released_version_is_refused(checkout, tmp_path, release_archive):
    record_current_version(checkout, release_archive)
    registry = registry_of(checkout).read_bytes()
    with open(checkout / "CHANGELOG.md", "a", encoding="utf-8") as changelog:
        changelog.write("\nA late change.\n")
    dist = tmp_path / "dist"
    run = run_tool(
        "ffdata.builder.tools.release",
        *("--version", ffdata.__version__, "--root", str(checkout), "--dist", str(dist)),
        cwd=checkout,
    )
    assert run.returncode == 1
    assert f"release {ffdata.__version__} is already recorded with sha256" in run.stderr
    assert "bump __version__" in run.stderr
    assert "Traceback" not in run.stderr
    assert registry_of(checkout).read_bytes() == registry
    assert list(dist.iterdir()) == []


def test_a_version_other_than_the_package_s_is_refused(checkout, tmp_path):
    registry = registry_of(checkout).read_bytes()
    run = run_tool(
        "ffdata.builder.tools.release",
        *("--version", "9.9.9", "--root", str(checkout), "--dist", str(tmp_path / "dist")),
        cwd=checkout,
    )
    assert run.returncode == 1
    assert f"cannot release version 9.9.9: the package is version {ffdata.__version__}" in (
        run.stderr
    )
    assert "src/ffdata/_version.py" in run.stderr
    assert registry_of(checkout).read_bytes() == registry
    assert not (tmp_path / "dist").exists()


def test_a_release_needs_its_changelog_and_citation_version(checkout, tmp_path):
    citation = checkout / "CITATION.cff"
    citation.write_text(
        citation.read_text(encoding="utf-8").replace(
            f"version: {ffdata.__version__}", "version: 0.0.9"
        ),
        encoding="utf-8",
    )
    args = ("--version", ffdata.__version__, "--root", str(checkout), "--dist", str(tmp_path))
    run = run_tool("ffdata.builder.tools.release", *args, cwd=checkout)
    assert run.returncode == 1
    assert f"CITATION.cff gives version 0.0.9, not {ffdata.__version__}" in run.stderr


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ["fetch.py", "registry.py", "locate.py", "hashes.py"])
def test_release_reading_modules_import_no_builder(module):
    assert not {m for m in imported_modules(SRC / module) if m.startswith("ffdata.builder")}


def test_fetching_loads_no_builder_code():
    code = (
        "import sys, ffdata.fetch as f; "
        "f.release_address('0.1.0', None); f.known_releases(); f.release_name(); "
        "print(sorted(m for m in sys.modules if m.startswith('ffdata.builder')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "[]"


def test_the_builder_never_locates_the_checkout_from_its_own_place():
    """Installed from a wheel, the package's place is site-packages: never a place to write."""
    found = []
    for path in sorted((SRC / "builder").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if name in ("__file__", "CHECKOUT"):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
            if isinstance(node, ast.ImportFrom) and any(
                alias.name == "CHECKOUT" for alias in node.names
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: CHECKOUT")
    assert found == []


def test_release_refuses_a_resource_outside_the_package_before_reading_it(checkout, tmp_path):
    descriptor = checkout / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["path"] = "../outside.csv"
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    (checkout.parent / "outside.csv").write_text("not ffdata\n", encoding="utf-8")
    registry = registry_of(checkout).read_bytes()
    args = ("--version", ffdata.__version__, "--root", str(checkout), "--dist", str(tmp_path / "d"))
    run = run_tool("ffdata.builder.tools.release", *args, cwd=checkout)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "path '../outside.csv' is outside the package's data/processed/" in run.stderr
    assert registry_of(checkout).read_bytes() == registry
    assert not (tmp_path / "d").exists()


def test_release_records_no_sha256_of_a_package_that_fails_its_checks(checkout, tmp_path):
    with open(checkout / "data" / "processed" / "countries.csv", "a", encoding="utf-8") as f:
        f.write("XXX,XX,999,Nowhere,,,,1\n")
    registry = registry_of(checkout).read_bytes()
    args = ("--version", ffdata.__version__, "--root", str(checkout), "--dist", str(tmp_path / "d"))
    run = run_tool("ffdata.builder.tools.release", *args, cwd=checkout)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "countries.csv: file differs from datapackage.json" in run.stderr
    assert registry_of(checkout).read_bytes() == registry


@pytest.mark.parametrize("tool", ["ffdata.builder.tools.release", "ffdata.builder.tools.report"])
def test_an_unwritable_output_folder_is_an_error_not_a_traceback(
    tool, checkout, tmp_path, release_archive
):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    if tool.endswith("release"):
        record_current_version(checkout, release_archive)
        args = ("--version", ffdata.__version__, "--root", str(checkout), "--dist")
    else:
        args = ("--out",)
    run = run_tool(tool, *args, str(blocker / "sub"), cwd=checkout)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("error: ") and "NotADirectoryError" in run.stderr
    assert "hint: give a folder that can be written" in run.stderr
