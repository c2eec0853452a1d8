"""`make data` makes a target exactly when a file it is made from changed (ffdata.builder.tools.targets)."""

from __future__ import annotations

import ast
import inspect
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import all_modules, import_graph, snapshot

from ffdata.builder.tools.checkout import PACKAGE_DIR
from ffdata.builder.tools.targets import (
    DIGEST,
    STAMPS,
    TARGETS,
    Target,
    _files,
    digest,
    fingerprint,
    make,
    plan,
)
from ffdata.errors import FfdataError

ROOT = Path(__file__).resolve().parents[1]
DOC = "data/raw/002_882cd01f73eb6394.txt"
HEAVY = ("pandas", "pyarrow", "pandera", "frictionless", "pycountry", "matplotlib", "numpy")


def _checkout_copy(tmp_path: Path) -> Path:
    """A copy of the checkout: what the targets read and write, and the package's code."""
    root = tmp_path / "checkout"
    for folder in ("data/raw", "data/processed", "docs"):
        shutil.copytree(ROOT / folder, root / folder)
    files = ("pyproject.toml", "datapackage.json", "requirements.lock", STAMPS.as_posix())
    for file in (*files, "CHANGELOG.md", "CITATION.cff", "croissant.json"):
        shutil.copy2(ROOT / file, root / file)
    ignore = shutil.ignore_patterns("__pycache__", "_data")
    shutil.copytree(ROOT / PACKAGE_DIR, root / PACKAGE_DIR, ignore=ignore)
    # stamps as if every target had just been made from these files, so that these tests do
    # not depend on the repository being up to date (the first test checks that)
    stamps = {}
    for target in TARGETS:
        prints = fingerprint(target, root)
        stamps[target.name] = prints | {DIGEST: digest(prints)}
    (root / STAMPS).write_text(json.dumps(stamps), encoding="utf-8")
    return root


def _to_make(root: Path) -> list[str]:
    return [step.target.name for step in plan(root) if step.reasons]


def test_the_committed_outputs_are_up_to_date() -> None:
    stale = {step.target.name: step.reasons for step in plan(ROOT) if step.reasons}
    assert stale == {}, "run `make data` and commit what it writes (data/build-stamps.json too)"


ALL = ["package", "frictionless", "codebook", "citation", "croissant", "report"]
# (what is changed, its path, the targets to make before any is made)
CHANGES = [
    ("document", DOC, ["package"]),
    ("reviewed file", "data/raw/figures.toml", ["package"]),
    ("reference file", "data/raw/reference/worldbank-population/data/population.csv", ["package"]),
    ("builder module", "code:builder/review/coverage.py", ["package", "frictionless"]),
    ("extractor", "code:builder/extract/ranked_tables.py", ["package", "frictionless"]),
    ("module the report shares", "code:builder/inputs/dates.py", [*ALL[:2], "report"]),
    ("module the JSON-LD shares", "code:builder/tools/dataset_metadata.py", ALL[-3:]),
    ("croissant module", "code:builder/tools/croissant.py", ["croissant", "report"]),
    ("lock file", "requirements.lock", ALL),
    ("reader module", "code:tables.py", ALL),
    ("report module", "code:builder/tools/report/charts.py", ["report"]),
    ("published table", "data/processed/countries.csv", ALL),
    ("descriptor", "datapackage.json", ALL),
    ("codebook", "docs/codebook.md", ["codebook"]),
    ("croissant.json", "croissant.json", ["croissant"]),
    ("report page", "docs/report/index.html", ["report"]),
    ("changelog (the version's date)", "CHANGELOG.md", ["citation", "croissant", "report"]),
    ("citation file (the JSON-LD's creators)", "CITATION.cff", ["citation", "croissant", "report"]),
]


@pytest.mark.parametrize(("what", "path", "expected"), CHANGES, ids=[c[0] for c in CHANGES])
def test_one_changed_byte_makes_the_targets_that_use_it(
    tmp_path: Path, what: str, path: str, expected: list[str]
) -> None:
    root = _checkout_copy(tmp_path)
    assert _to_make(root) == []
    code = root / PACKAGE_DIR
    file = code / path.removeprefix("code:") if path.startswith("code:") else root / path
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte in the middle
    file.write_bytes(bytes(data))
    assert _to_make(root) == expected


@pytest.mark.parametrize("change", ["deleted", "added"])
def test_a_missing_or_new_file_makes_its_target(tmp_path: Path, change: str) -> None:
    root = _checkout_copy(tmp_path)
    if change == "deleted":
        (root / "docs" / "report" / "top-countries.svg").unlink()
        reason = "output:docs/report/top-countries.svg is missing"
    else:
        (root / PACKAGE_DIR / "builder" / "tools" / "report" / "extra.py").write_text("X = 1\n")
        reason = "code:builder/tools/report/extra.py is new"
    steps = {s.target.name: s.reasons for s in plan(root)}
    made = {"package": (), "frictionless": (), "codebook": (), "citation": (), "croissant": ()}
    assert steps == made | {"report": (reason,)}


def _closure(modules: set[str]) -> set[str]:
    """The package's modules that ``modules`` import, directly or not, and their packages
    (a module's packages run their __init__ first)."""
    graph, seen, todo = import_graph(), set(), list(modules)
    while todo:
        parts = todo.pop().split(".")
        for name in (".".join(parts[:i]) for i in range(1, len(parts) + 1)):
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
    return seen


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_the_code_globs_cover_every_module_a_target_runs(target: Target) -> None:
    tree = ast.parse(inspect.getsource(target.make).lstrip())
    entry = {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("ffdata")
    }
    assert entry, "the target's make function imports what it runs"
    code = ROOT / PACKAGE_DIR
    modules = all_modules()
    runs = _closure(entry) | {target.make.__module__}  # make itself, not all it imports
    files = {modules[m] for m in runs if m in modules}
    missing = sorted(str(f.relative_to(code)) for f in files - set(_files(code, target.code)))
    assert missing == [], f"add these to the {target.name} target's code globs"


def test_nothing_changed_imports_nothing_heavy_and_a_changed_document_touches_nothing(
    tmp_path: Path,
) -> None:
    root = _checkout_copy(tmp_path)
    script = (
        "import sys; from ffdata.builder.tools.targets import main; status = main(['--root', sys.argv[1]]);"
        f" heavy = [m for m in {HEAVY!r} if m in sys.modules]; print(status, heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, root], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
    assert "package: up to date" in done.stdout and "report: up to date" in done.stdout
    document = root / DOC
    document.write_bytes(document.read_bytes().replace(b"Tunisia", b"Tunisie", 1))
    before = snapshot(root)
    command = [sys.executable, "-m", "ffdata.builder.tools.targets", "--root", root]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "002_882cd01f73eb6394.txt: sha256 differs from the manifest" in done.stderr
    assert "package: making (input:data/raw/002_882cd01f73eb6394.txt changed)" in done.stdout
    assert snapshot(root) == before


def _copier(name: str, source: str, out: str, log: list[str]) -> Target:
    def run(root: Path) -> str:
        log.append(name)
        text = (root / source).read_text()
        if text == "fail":
            raise FfdataError("cannot make it", path=source)
        (root / out).write_text(text.strip())
        return f"wrote {out}"

    return Target(name, (source,), (), (out,), run)


def test_a_failed_target_is_not_stamped_and_one_whose_inputs_came_out_the_same_not_made(
    tmp_path: Path,
) -> None:
    log: list[str] = []
    targets = [_copier("first", "a.txt", "b.txt", log), _copier("second", "b.txt", "c.txt", log)]
    (tmp_path / "a.txt").write_text("1")
    assert make(tmp_path, targets, say=lambda line: None) == 2
    assert (tmp_path / "c.txt").read_text() == "1"
    stamps = json.loads((tmp_path / STAMPS).read_text())
    (tmp_path / "a.txt").write_text("fail")
    log.clear()
    with pytest.raises(FfdataError, match="cannot make it"):
        make(tmp_path, targets, say=lambda line: None)
    assert log == ["first"]  # the run stops at the failed target
    assert json.loads((tmp_path / STAMPS).read_text()) == stamps  # nothing recorded
    (tmp_path / "a.txt").write_text("2")
    log.clear()
    assert make(tmp_path, targets, say=lambda line: None) == 2
    assert log == ["first", "second"] and (tmp_path / "c.txt").read_text() == "2"
    (tmp_path / "a.txt").write_text("2\n")  # first is made again, and writes the same b.txt
    log.clear()
    lines: list[str] = []
    assert make(tmp_path, targets, say=lines.append) == 1
    assert log == ["first"]
    assert lines[0] == "first: making (input:a.txt changed)" and lines[-1] == "second: up to date"


def test_stamps_merged_from_two_builds_or_unreadable_are_not_trusted(tmp_path: Path) -> None:
    """Two branches that each made the package change its digest line: git reports a
    conflict; stamps merged by hand (or edited) without a build make the target again."""
    root = _checkout_copy(tmp_path)
    stamps = json.loads((root / STAMPS).read_text())
    (root / "data" / "raw" / "figures.toml").write_bytes(b"# another branch's change\n")
    key = "input:data/raw/figures.toml"  # the line that branch's build wrote, without its digest
    stamps["package"][key] = fingerprint(TARGETS[0], root)[key]
    (root / STAMPS).write_text(json.dumps(stamps))
    reasons = {s.target.name: s.reasons for s in plan(root)}
    assert reasons["package"] == ("its stamps do not hold together (merged or edited by hand)",)
    assert reasons["codebook"] == ()
    (root / STAMPS).write_text("{not json", encoding="utf-8")  # no stamps: everything is made
    assert _to_make(root) == ALL


def test_an_unreadable_input_is_an_error_with_its_path_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ffdata.builder.tools.targets as targets

    root = _checkout_copy(tmp_path)
    unreadable = root / "data" / "raw" / "figures.toml"
    real = targets.sha256_file

    def permission_denied(path: Path) -> str:  # as root, chmod cannot make a file unreadable
        if path == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(targets, "sha256_file", permission_denied)
    assert targets.main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {unreadable}: cannot read or write (Permission denied)")
    assert "hint: make the checkout readable" in err
