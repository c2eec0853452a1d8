"""What the tests share besides fixtures: the checkout's places, the fixture package, and
helpers that damage a copy of the raw folder, find an error among many, or copy the
published package.

``FFDATA_TEST_ROOT`` names another checkout for the tests that read the live data (the
test of adding a source runs them on a copy); it defaults to this repository."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

REPO = Path(__file__).resolve().parents[1]
ROOT = Path(os.environ.get("FFDATA_TEST_ROOT") or REPO)
RAW = ROOT / "data" / "raw"
#: The small raw folder the doctests run on (tests/fixture/raw/manifest.toml says what it is).
FIXTURE_RAW = REPO / "tests" / "fixture" / "raw"
DOC = "002_882cd01f73eb6394.txt"
PACKAGE = REPO / "src" / "ffdata"


def rewrite_document(
    raw_dir: Path, file: str, change: Callable[[bytes], bytes], *, update_manifest: bool = True
) -> None:
    """Apply ``change`` to a document's bytes; record its new sha256 and size unless told not to.

    Recording the new hash makes the test reach the extractor rather than the checksum check.
    """
    path = raw_dir / file
    path.write_bytes(change(path.read_bytes()))
    if update_manifest:
        repin(raw_dir, file)


def replace_line(raw_dir: Path, number: int, new: str, file: str = DOC) -> None:
    """Replace line ``number`` (1-based) of a document, keeping everything else."""

    def change(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        lines[number - 1] = new
        return "\n".join(lines).encode("utf-8")

    rewrite_document(raw_dir, file, change)


def repin(raw_dir: Path, file: str) -> None:
    """Record a changed raw file's new sha256 and size in the manifest, as a maintainer does
    after reviewing the change (``python -m ffdata.builder.tools.pin``)."""
    from ffdata.builder.tools.pin import repin as record

    if file != "manifest.toml":
        record(raw_dir, [file])


def edit(raw_dir: Path, file: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a raw file by ``new``; record its new sha256."""
    path = raw_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    repin(raw_dir, file)


def refusal(raw_dir: Path, kind: type, until: str = "validate", **where: object) -> Exception:
    """The error of class ``kind`` (with the given attributes) that stops the stages up to
    ``until`` on ``raw_dir``."""
    import pytest

    from ffdata.builder.pipeline import run_stages
    from ffdata.errors import FfdataError

    with pytest.raises(FfdataError) as info:
        run_stages(raw_dir, until)
    return find_error(info.value, kind, **where)


def line_of(number: int, file: str = DOC) -> str:
    """Line ``number`` of an original document."""
    return (RAW / file).read_text(encoding="utf-8").split("\n")[number - 1]


def commit_for_tests(root: Path = ROOT) -> str:
    """The commit a test's release of ``root`` names: the one the committed archive of this
    version names (so a rebuild can match its recorded sha256), else a stand-in."""
    from ffdata._version import __version__
    from ffdata.builder.tools.release import commit_of
    from ffdata.registry import release_name

    shelf = root / "releases" / release_name(__version__)
    return (commit_of(shelf) if shelf.is_file() else None) or "0" * 40


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing was touched."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def find_error(error: Exception, kind: type, **where: object) -> Exception:
    """The first error of class ``kind`` (with the given attributes) in ``error``.

    A run reports all its errors at once (``FfdataErrors``); a test looks for the one
    its damage must cause.
    """
    from ffdata.errors import FfdataErrors

    errors = error.errors if isinstance(error, FfdataErrors) else [error]
    for candidate in errors:
        if isinstance(candidate, kind) and all(
            getattr(candidate, k) == v for k, v in where.items()
        ):
            return candidate
    raise AssertionError(f"no {kind.__name__} with {where} among: {error}")


def frictionless_validate(folder: Path) -> subprocess.CompletedProcess:
    """Run the `frictionless validate datapackage.json` command line in ``folder``."""
    exe = Path(sys.executable).with_name("frictionless")
    return subprocess.run(
        [exe, "validate", "datapackage.json"], cwd=folder, capture_output=True, text=True
    )


def copy_package(out: Path, root: Path = ROOT) -> Path:
    """Copy a checkout's published package (datapackage.json, data/processed/) to ``out``."""
    (out / "data").mkdir(parents=True)
    shutil.copytree(root / "data" / "processed", out / "data" / "processed")
    shutil.copy(root / "datapackage.json", out / "datapackage.json")
    return out


def rehash(package: Path) -> Path:
    """Record each table's sha256 and size anew in ``package``'s datapackage.json, as the
    producer of a changed package would (a table not so recorded is refused)."""
    import hashlib
    import json

    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (package / resource["path"]).read_bytes()
        resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
        if "bytes" in resource:
            resource["bytes"] = len(data)
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return package


def fixture_checkout(target: Path, raw: Path = FIXTURE_RAW) -> Path:
    """A checkout at ``target`` whose data is built from ``raw`` (a copy in data/raw), its
    other files links to this repository's, so that ``default_raw_dir()`` (run in
    ``target``) and ``data_root()`` resolve to it."""
    from ffdata.builder.build import build
    from ffdata.builder.tools.croissant import write_croissant

    for name in CHECKOUT_FILES:
        if (REPO / name).exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).symlink_to(REPO / name)
    shutil.copytree(raw, target / "data" / "raw")
    build(target / "data" / "raw", target)
    write_croissant(target)  # its own: the JSON-LD describes the package beside it
    return target


#: Set by ``.ci/run``: a missing R (or R library) fails the R tests instead of skipping them.
REQUIRE_R = "FFDATA_REQUIRE_R"
#: Debian's packages for the R tests: R and each library the R recipes load.
R_PACKAGES = {"R": "r-base-core", "readr": "r-cran-readr", "jsonlite": "r-cran-jsonlite"}


def need_r(what: str, libraries: tuple[str, ...]) -> None:
    """Skip the calling test, saying what to install and how to run it, where ``Rscript`` or
    one of ``libraries`` is missing (fail instead under ``FFDATA_REQUIRE_R=1``)."""
    missing = list(libraries)
    if shutil.which("Rscript") is not None:
        probe = "for (p in commandArgs(TRUE)) if (!requireNamespace(p, quietly = TRUE)) cat(p, '')"
        run = subprocess.run(
            ["Rscript", "-e", probe, *libraries], capture_output=True, text=True, timeout=120
        )
        missing = run.stdout.split() if run.returncode == 0 else ["R", *libraries]
    else:
        missing = ["R", *libraries]
    if not missing:
        return
    install = " ".join(R_PACKAGES[name] for name in ("R", *libraries))
    reason = (
        f"{what}: {', '.join(missing)} not installed; to run it: "
        f"`sudo apt-get install {install}` (Debian), then `make test`; "
        f"or `.ci/run`, which installs them and requires them"
    )
    import pytest

    if os.environ.get(REQUIRE_R) == "1":
        pytest.fail(f"{REQUIRE_R}=1 but {reason}")
    pytest.skip(reason)


#: What a checkout holds besides its data (the release and the tools read them).
CHECKOUT_FILES = """pyproject.toml requirements.lock src/ffdata releases docs CHANGELOG.md CITATION.cff
    LICENSE LICENSE-DATA.md README.md .zenodo.json""".split()  # noqa: SIM905


#: A string naming builder code (as the lazy loader of ffdata/__init__.py names modules).
_BUILDER_NAME = re.compile(r"ffdata\.builder(?:\.\w+)*")


def all_modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the package, builder included."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if relative.parts[1:2] == ("_data",):
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        modules[".".join(parts)] = path
    return modules


def imports_of(module: str, source: str, *, is_package: bool) -> list[tuple[str, str, int]]:
    """(imported module, enclosing function or '<module>', line) of every import in a source.

    ``from x import y`` counts as importing both ``x`` and ``x.y`` (y may be a submodule);
    relative imports are resolved; ``import_module("x")`` / ``__import__("x")`` count, and
    so does any string that names builder code (a lazy loader's table of modules).
    """
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = child.name if scope == "<module>" else f"{scope}.{child.name}"
            if isinstance(child, ast.Import):
                found.extend((alias.name, scope, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found.append((base, scope, child.lineno))
                found.extend((f"{base}.{alias.name}", scope, child.lineno) for alias in child.names)
            elif (
                isinstance(child, ast.Call)
                and getattr(child.func, "id", getattr(child.func, "attr", None))
                in ("import_module", "__import__")
                and child.args
                and isinstance(child.args[0], ast.Constant)
                and isinstance(child.args[0].value, str)
            ):
                found.append((child.args[0].value, scope, child.lineno))
            elif (
                isinstance(child, ast.Constant)
                and isinstance(child.value, str)
                and _BUILDER_NAME.fullmatch(child.value)
            ):
                found.append((child.value, scope, child.lineno))
            visit(child, inner)

    visit(tree, "<module>")
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, wherever the import stands: at the top,
    inside a function, under ``if TYPE_CHECKING:``, or by name (``import_module``)."""
    modules = all_modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        found = imports_of(
            module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"
        )
        graph[module] = {name for name, _, _ in found if name in modules and name != module}
    return graph


def api_frames() -> dict[str, pd.DataFrame]:
    """Every frame the API builds (beyond load), for countries with and without estimates."""
    import ffdata
    from ffdata.tables import TABLES

    return {
        "compare('UK')": ffdata.compare("UK"),
        "compare('Iran')": ffdata.compare("Iran"),
        "compare('Iraq')": ffdata.compare("Iraq"),
        "country_summary()": ffdata.country_summary(),
        "totals()": ffdata.totals(),
        "provenance('Tunisia')": ffdata.provenance("Tunisia"),
        "provenance(figure=)": ffdata.provenance(figure="un-2014-foreign-fighters"),
        **{f"describe({n!r})": ffdata.describe(n) for n in TABLES},
    }
