"""The report and release tools write only where they are told, and the release tool records a
version's sha256 once: run as ``python -m`` in a folder that is not a checkout, on copies of it."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import ROOT, commit_for_tests, snapshot

import ffdata
from ffdata.builder.tools import release
from ffdata.builder.tools.release import record_release
from ffdata.errors import PublishError
from ffdata.hashes import sha256_file
from ffdata.registry import REGISTRY_RESOURCE, format_registry, release_name

SRC = ROOT / "src" / "ffdata"
VERSION = ffdata.__version__
#: The commit the releases made here name (the checkout copies are not git repositories).
COMMIT = commit_for_tests()
RELEASE, REPORT = "ffdata.builder.tools.release", "ffdata.builder.tools.report"
#: What the release of a checkout reads, besides the registry and the folders copied below.
CHECKOUT_FILES = """pyproject.toml datapackage.json docs/codebook.md LICENSE LICENSE-DATA.md
    CITATION.cff CHANGELOG.md croissant.json""".split()  # noqa: SIM905


def package_files() -> dict[str, bytes]:
    """The package's sources and data (bytecode caches aside, which Python writes itself)."""
    return {k: v for k, v in snapshot(SRC).items() if "__pycache__" not in k}


def run_tool(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m module args`` in ``cwd`` with this checkout's ffdata."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def assert_refused(run: subprocess.CompletedProcess, *says: str) -> None:
    """The tool stopped with status 1, an ``error:`` line and a hint, no traceback."""
    assert run.returncode == 1 and run.stderr.startswith("error: ") and "hint: " in run.stderr
    assert "Traceback" not in run.stderr and [s for s in says if s not in run.stderr] == []


def registry_of(root: Path) -> Path:
    return root / "src" / "ffdata" / REGISTRY_RESOURCE


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of what a release is made of: published package, metadata files, registry."""
    root = tmp_path / "checkout"
    for name in (*CHECKOUT_FILES, f"src/ffdata/{REGISTRY_RESOURCE}"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    for folder in ("data/processed", "data/raw", "docs/report", "releases"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder that is not a checkout, to run the tools in."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_report_writes_only_into_out(tmp_path, elsewhere):
    before = package_files()
    out = tmp_path / "report"
    run = run_tool(REPORT, "--out", str(out), cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "top-countries.svg"]
    assert list(elsewhere.iterdir()) == []
    assert package_files() == before


def test_a_new_version_is_recorded_once_and_the_release_written_only_into_dist(
    checkout, tmp_path, elsewhere
):
    """Run outside the checkout with --root and --dist, then in it with neither (the working
    directory by default): the first records the sha256, the second finds it recorded."""
    registry = registry_of(checkout)
    registry.write_text("{}\n", encoding="utf-8")
    before = package_files()
    dist = tmp_path / "dist"
    first = run_tool(
        RELEASE,
        *("--version", VERSION, "--root", str(checkout), "--dist", str(dist)),
        *("--commit", COMMIT),
        cwd=elsewhere,
    )
    assert first.returncode == 0, first.stderr
    assert "(recorded)" in first.stdout
    archive = dist / release_name()
    assert sorted(p.name for p in dist.iterdir()) == [archive.name]
    digest = sha256_file(archive)
    assert registry.read_text(encoding="utf-8") == format_registry({VERSION: digest})
    assert list(elsewhere.iterdir()) == []
    assert package_files() == before
    second = run_tool(RELEASE, "--version", VERSION, "--commit", COMMIT, cwd=checkout)
    assert second.returncode == 0, second.stderr
    assert "already recorded, unchanged" in second.stdout
    assert sha256_file(checkout / "dist" / release_name()) == digest
    assert registry.read_text(encoding="utf-8") == format_registry({VERSION: digest})


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` (as a throwaway identity); return its output."""
    who = ("-c", "user.name=ffdata tests", "-c", "user.email=tests@example.org")
    run = subprocess.run(["git", *who, "-C", str(root), *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_a_release_names_the_commit_and_needs_a_clean_tree(checkout, tmp_path):
    """Without --commit the release names git's HEAD, and refuses while a file it is made
    from has uncommitted changes (naming the file); the README says how to rebuild it."""
    registry_of(checkout).write_text("{}\n", encoding="utf-8")
    git(checkout, "init", "-q")
    git(checkout, "add", "-A")
    git(checkout, "commit", "-q", "-m", "a checkout")
    head = git(checkout, "rev-parse", "HEAD")
    changelog = checkout / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8") + "\nnot committed\n", "utf-8")
    (checkout / "data" / "raw" / "new.txt").write_text("untracked\n", encoding="utf-8")
    dist = tmp_path / "dist"
    refused = run_tool(RELEASE, "--version", VERSION, "--dist", str(dist), cwd=checkout)
    assert_refused(refused, "uncommitted changes to 2 file(s)", "CHANGELOG.md", "data/raw/new.txt")
    assert list(dist.glob("*")) == [] and json.loads(registry_of(checkout).read_text()) == {}
    git(checkout, "checkout", "--", "CHANGELOG.md")
    (checkout / "data" / "raw" / "new.txt").unlink()
    made = run_tool(RELEASE, "--version", VERSION, "--dist", str(dist), cwd=checkout)
    assert made.returncode == 0, made.stderr
    archive = dist / release_name()
    assert release.commit_of(archive) == head
    with zipfile.ZipFile(archive) as zf:
        readme = zf.read(f"ffdata-data-{VERSION}/README.md").decode()
        zenodo = json.loads(zf.read(f"ffdata-data-{VERSION}/.zenodo.json"))
    assert f"git checkout {head}" in readme and "make data" in readme and "tag" not in readme
    assert f"{release.REPOSITORY_URL}/tree/{head}" in {
        r["identifier"] for r in zenodo["related_identifiers"]
    }
    # the same commit and files give the same bytes; another commit, other bytes
    again = release.build_release(tmp_path / "again", checkout, head)
    other = release.build_release(tmp_path / "other", checkout, "f" * 40)
    assert sha256_file(again) == sha256_file(archive) != sha256_file(other)


def test_a_release_outside_git_without_a_commit_is_refused(checkout):
    assert_refused(run_tool(RELEASE, "--version", VERSION, cwd=checkout), "cannot tell the commit")
    run = run_tool(RELEASE, "--version", VERSION, "--commit", "HEAD", cwd=checkout)
    assert_refused(run, "not a commit written as 40 hexadecimal digits")


@pytest.mark.parametrize("module", [REPORT, RELEASE])
def test_without_paths_outside_a_checkout_the_tools_refuse(module, elsewhere):
    before = package_files()
    run = run_tool(module, *(("--version", VERSION) if module == RELEASE else ()), cwd=elsewhere)
    assert_refused(run, "not an ffdata checkout")
    assert list(elsewhere.iterdir()) == []
    assert package_files() == before


def test_a_release_stopped_before_its_record_is_made_whole_by_the_next(
    checkout, tmp_path, monkeypatch
):
    """The copy in releases/ and .zenodo.json are written before the sha256 is recorded: a
    run stopped between them (no space for .zenodo.json) records nothing; the next writes all."""
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
        release.make_release(VERSION, checkout, tmp_path / "dist", commit=COMMIT)
    assert json.loads(registry.read_text(encoding="utf-8")) == {}
    assert not (checkout / ".zenodo.json").exists()
    monkeypatch.setattr(release, "write_whole", write_whole)
    archive, digest, new = release.make_release(VERSION, checkout, tmp_path / "dist", commit=COMMIT)
    assert new and json.loads(registry.read_text(encoding="utf-8")) == {VERSION: digest}
    assert sha256_file(checkout / "releases" / release_name()) == digest == sha256_file(archive)
    zenodo = json.loads((checkout / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["version"] == VERSION


def _record(checkout: Path, archive: Path) -> None:
    """Record the current version with the sha256 of this repository's release (the same)."""
    record_release(registry_of(checkout), VERSION, sha256_file(archive))


OUTSIDE, COUNTRIES = '"path": "../outside.csv", "x": "', "data/processed/countries.csv"


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        # the data of a recorded version changed (here: its changelog)
        ("CHANGELOG.md", "", "\nA late change.\n", "already recorded with sha256|bump __version__"),
        ("", "", "", f"9.9.9: the package is version {VERSION}|src/ffdata/_version.py"),
        ("CITATION.cff", f"version: {VERSION}", "version: 0.0.9", f"version 0.0.9, not {VERSION}"),
        # a credit edited by hand: make data writes it from the declarations
        ("CITATION.cff", "", "# edited by hand\n", "CITATION.cff is not the one|`make data`"),
        ("datapackage.json", '"path": "data/', OUTSIDE + "data/", "is outside the package's data/"),
        (
            COUNTRIES,
            "",
            "XXX,XX,999,Nowhere,,,,1\n",
            "countries.csv: file differs from datapackage",
        ),
    ],
)
def test_a_release_that_cannot_be_right_is_refused_and_records_nothing(
    checkout, tmp_path, release_archive, file, old, new, says
):
    """Refused with the file to fix, nothing written or recorded (9.9.9: not the package's)."""
    version = VERSION if file else "9.9.9"
    file = file or "CHANGELOG.md"
    _record(checkout, release_archive)
    text = (checkout / file).read_text(encoding="utf-8")
    (checkout / file).write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    (checkout.parent / "outside.csv").write_text("not ffdata\n", encoding="utf-8")
    registry = registry_of(checkout).read_bytes()
    dist = tmp_path / "dist"
    run = run_tool(
        RELEASE,
        *("--version", version, "--root", str(checkout), "--dist", str(dist)),
        *("--commit", COMMIT),
        cwd=checkout,
    )
    assert_refused(run, *says.split("|"))
    assert registry_of(checkout).read_bytes() == registry
    assert list(dist.glob("*")) == []


@pytest.mark.parametrize("tool", [RELEASE, REPORT])
def test_an_unwritable_output_folder_is_an_error_not_a_traceback(
    tool, checkout, tmp_path, release_archive
):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    if tool == RELEASE:
        _record(checkout, release_archive)
        args = ("--version", VERSION, "--commit", COMMIT, "--root", str(checkout), "--dist")
    else:
        args = ("--out",)
    run = run_tool(tool, *args, str(blocker / "sub"), cwd=checkout)
    assert_refused(run, "NotADirectoryError", "hint: give a folder that can be written")


def test_the_builder_never_locates_the_checkout_from_its_own_place():
    """Installed from a wheel, the package's place is site-packages: never a place to write."""
    found = []
    for path in sorted((SRC / "builder").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [getattr(node, "id", None) or getattr(node, "attr", None)]
            if isinstance(node, ast.ImportFrom):
                names += [alias.name for alias in node.names]
            found += [
                f"{path.relative_to(SRC)}:{node.lineno}: {n}"
                for n in names
                if n in ("__file__", "CHECKOUT")
            ]
    assert found == []
