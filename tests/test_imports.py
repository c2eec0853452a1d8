"""The reader side (everything under src/ffdata but builder/) imports no builder code and none
of the builder's or the report's libraries, so that `pip install ffdata` (pandas, pyarrow,
pooch) is enough to read the data.

Two checks: every import statement of the reader's modules, read with ``ast`` (function-local
imports included), and a real run of the reader's functions and CLI that looks at
``sys.modules`` afterwards.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "src" / "ffdata"
#: Modules the reader must not import: the builder and its (or the report's) libraries.
FORBIDDEN = ("ffdata.builder", "pandera", "frictionless", "pycountry", "matplotlib")
#: The only places of the reader that may import them: the CLI subcommands that run the
#: builder, inside their handler functions (so only when that subcommand runs).
ALLOWED = {
    ("ffdata.cli", "_cmd_build"): {"ffdata.builder.build"},
    ("ffdata.cli", "_cmd_validate"): {"ffdata.builder.publish.package_check"},
}
#: A string naming builder code (as the lazy loader of ffdata/__init__.py names modules).
_BUILDER_NAME = re.compile(r"ffdata\.builder(?:\.\w+)*")
#: Functions that import the module named by their first argument.
_IMPORTERS = {"import_module", "__import__"}


def forbidden(module: str) -> bool:
    """True for a forbidden module or any of its submodules."""
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


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


def reader_modules() -> dict[str, Path]:
    """Dotted name -> file of every reader-side module."""
    return {m: p for m, p in all_modules().items() if not m.startswith("ffdata.builder")}


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
                and getattr(child.func, "id", getattr(child.func, "attr", None)) in _IMPORTERS
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


def violations() -> tuple[list[str], set[tuple[str, str]]]:
    """Forbidden imports outside the allow-list, and the allow-list entries that were used."""
    bad, used = [], set()
    for module, path in reader_modules().items():
        source = path.read_text(encoding="utf-8")
        is_package = path.name == "__init__.py"
        for imported, scope, line in imports_of(module, source, is_package=is_package):
            if not forbidden(imported):
                continue
            allowed = ALLOWED.get((module, scope), set())
            if any(imported == a or imported.startswith(a + ".") for a in allowed):
                used.add((module, scope))
                continue
            bad.append(f"{path.relative_to(ROOT)}:{line}: {scope} imports {imported}")
    return bad, used


def test_the_reader_is_the_expected_set_of_modules():
    """Guards the walk itself: it sees the reader's modules and skips the builder."""
    modules = reader_modules()
    assert {"ffdata", "ffdata.api", "ffdata.cli", "ffdata.lookup", "ffdata.fetch"} <= set(modules)
    assert not [m for m in modules if m.startswith("ffdata.builder")]


def test_the_walk_sees_function_local_and_relative_imports():
    source = (
        "import os\n"
        "def f():\n"
        "    from ffdata.builder import countries\n"
        "class C:\n"
        "    def g(self):\n"
        "        from .builder.inputs.manifest import read_manifest\n"
        "        import pycountry\n"
        "MODULES = {'x': 'ffdata.builder.tools.release'}\n"
        "def h():\n"
        "    return importlib.import_module('matplotlib.pyplot')\n"
        "LIBRARIES = ('pandera',)  # a name, not an import\n"
    )
    tree_imports = imports_of("ffdata.lookup", source, is_package=False)
    assert ("ffdata.builder.countries", "f", 3) in tree_imports
    assert ("ffdata.builder.inputs.manifest.read_manifest", "C.g", 6) in tree_imports
    assert ("pycountry", "C.g", 7) in tree_imports
    assert ("ffdata.builder.tools.release", "<module>", 8) in tree_imports
    assert ("matplotlib.pyplot", "h", 10) in tree_imports
    assert not [m for m, _, _ in tree_imports if m == "pandera"]


def test_reader_modules_import_no_builder_code_or_library():
    bad, used = violations()
    assert not bad, "the reader imports builder code or libraries:\n" + "\n".join(bad)
    assert used == set(ALLOWED), f"allow-list entries no longer needed: {set(ALLOWED) - used}"


READER_RUN = f"""
import contextlib, io, sys
import ffdata
from ffdata.cli import main

ffdata.load("country_estimates")
ffdata.compare("UK")
ffdata.describe("country_estimates")
ffdata.provenance("Tunisia")
ffdata.cite()
with contextlib.redirect_stdout(io.StringIO()) as out:
    status = main(["show", "country_estimates", "--country", "UK", "--format", "csv"])
assert status == 0 and "GBR" in out.getvalue(), (status, out.getvalue())
forbidden = {FORBIDDEN!r} + ("polars", "duckdb")
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in forbidden
                      or m.startswith("ffdata.builder"))))
"""


def test_reading_imports_no_builder_library_at_run_time():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("FFDATA_DATA_DIR", None)
    out = subprocess.run(
        [sys.executable, "-c", READER_RUN],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


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


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    source_a = "def f():\n    from ffdata.b import g\n"
    found = {name for name, _, _ in imports_of("ffdata.a", source_a, is_package=False)}
    graph = {"ffdata.a": found & {"ffdata.b"}, "ffdata.b": {"ffdata.c"}, "ffdata.c": {"ffdata.a"}}
    assert import_cycles(graph) == [["ffdata.a", "ffdata.b", "ffdata.c"]]
    assert import_cycles({"ffdata.a": {"ffdata.b"}, "ffdata.b": set()}) == []


def test_no_module_of_the_package_takes_part_in_an_import_cycle():
    graph = import_graph()
    assert "ffdata.builder.publish.assemble" in graph["ffdata.builder.pipeline"]
    assert import_cycles(graph) == []
