"""The reader side (everything under src/ffdata but builder/) imports no builder code and none
of the builder's or the report's libraries, so that `pip install foreign-fighters-data`
(pandas, pyarrow, pooch) is enough to read the data; and no module of the package takes part in an import cycle.

Two checks of the reader: every import statement of its modules, read with ``ast``
(function-local imports included), and a real run of its functions and CLI that looks at
``sys.modules`` afterwards.
"""

from __future__ import annotations

import graphlib
import os
import subprocess
import sys

from support import REPO, all_modules, import_graph, imports_of

#: Modules the reader must not import: the builder and its (or the report's) libraries.
FORBIDDEN = ("ffdata.builder", "pandera", "frictionless", "pycountry", "matplotlib")
#: The only places of the reader that may import them: the CLI subcommands that run the
#: builder, inside their handler functions (so only when that subcommand runs).
ALLOWED = {
    ("ffdata.cli", "_cmd_build"): {"ffdata.builder.build"},
    ("ffdata.cli", "_cmd_validate"): {"ffdata.builder.publish.package_check"},
}


def within(module: str, names) -> bool:
    """True for one of ``names`` or any of their submodules."""
    return any(module == f or module.startswith(f + ".") for f in names)


def reader_modules() -> dict:
    """Dotted name -> file of every reader-side module."""
    return {m: p for m, p in all_modules().items() if not within(m, ["ffdata.builder"])}


def test_the_reader_is_the_expected_set_of_modules():
    """Guards the walk itself: it sees the reader's modules and skips the builder."""
    modules = reader_modules()
    assert {"ffdata", "ffdata.api", "ffdata.cli", "ffdata.lookup", "ffdata.fetch"} <= set(modules)
    assert {"ffdata.registry", "ffdata.locate", "ffdata.hashes"} <= set(modules)


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
    bad, used = [], set()
    for module, path in reader_modules().items():
        source = path.read_text(encoding="utf-8")
        for imported, scope, line in imports_of(
            module, source, is_package=path.name == "__init__.py"
        ):
            if not within(imported, FORBIDDEN):
                continue
            if within(imported, ALLOWED.get((module, scope), ())):
                used.add((module, scope))
            else:
                bad.append(f"{path.relative_to(REPO)}:{line}: {scope} imports {imported}")
    assert not bad, "the reader imports builder code or libraries:\n" + "\n".join(bad)
    assert used == set(ALLOWED), f"allow-list entries no longer needed: {set(ALLOWED) - used}"


READER_RUN = f"""
import contextlib, io, sys
import ffdata, ffdata.fetch as fetch
from ffdata.cli import main

ffdata.load("country_estimates")
ffdata.compare("UK")
ffdata.describe("country_estimates")
ffdata.provenance("Tunisia")
ffdata.cite()
fetch.release_address("0.1.0", None); fetch.known_releases(); fetch.release_name()
with contextlib.redirect_stdout(io.StringIO()) as out:
    status = main(["show", "country_estimates", "--country", "UK", "--format", "csv"])
assert status == 0 and "GBR" in out.getvalue(), (status, out.getvalue())
forbidden = {FORBIDDEN!r} + ("polars", "duckdb")
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in forbidden
                      or m.startswith("ffdata.builder"))))
"""


def test_reading_and_fetching_import_no_builder_library_at_run_time():
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("FFDATA_DATA_DIR", None)
    out = subprocess.run(
        [sys.executable, "-c", READER_RUN], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of the graph (its first module repeated at its end), or ``[]``."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return error.args[1]
    return []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    source_a = "def f():\n    from ffdata.b import g\n"
    found = {name for name, _, _ in imports_of("ffdata.a", source_a, is_package=False)}
    graph = {"ffdata.a": found & {"ffdata.b"}, "ffdata.b": {"ffdata.c"}, "ffdata.c": {"ffdata.a"}}
    assert sorted(import_cycle(graph)[1:]) == ["ffdata.a", "ffdata.b", "ffdata.c"]
    assert import_cycle({"ffdata.a": {"ffdata.b"}, "ffdata.b": set()}) == []


def test_no_module_of_the_package_takes_part_in_an_import_cycle():
    graph = import_graph()
    assert "ffdata.builder.publish.assemble" in graph["ffdata.builder.pipeline"]
    assert import_cycle(graph) == []
