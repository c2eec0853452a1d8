"""Setting up a checkout: the two locks, the Makefile that installs them, what the build may
import, and what git tracks.

`make data` installs ``requirements.lock`` (what building needs); `make test` and the other
developer targets install ``requirements-test.lock`` on top, into the same ``.venv``. Both
are written by `make lock` from ``pyproject.toml``; the test lock must pin every package the
build lock pins, at the same version with the same hashes, so that the environment `make
data` built is the one the tests run in.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from support import REPO, all_modules, imports_of

from ffdata.builder.tools.targets import STAMPS, TARGETS

BUILD_LOCK = REPO / "requirements.lock"
TEST_LOCK = REPO / "requirements-test.lock"
#: The extras each lock holds besides the package's own dependencies.
EXTRAS = {BUILD_LOCK: ("build", "report"), TEST_LOCK: ("build", "report", "dev", "polars")}
#: The developer targets: each needs the test lock.
TEST_TARGETS = ("test", "expected", "lint", "format", "bench")

# --- the locks ---------------------------------------------------------------------------

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
_HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")


def pins(lock: Path) -> dict[str, dict[str, frozenset[str]]]:
    """Distribution -> pinned version -> its hashes, read from a lock (a universal lock may
    pin two versions of one distribution, each under its own marker).

    >>> pins(BUILD_LOCK)["pandas"].keys() == pins(TEST_LOCK)["pandas"].keys()
    True
    """
    found: dict[str, dict[str, set[str]]] = {}
    current: set[str] = set()
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line):
            name, version = canonicalize_name(match[1]), match[2]
            current = found.setdefault(name, {}).setdefault(version, set())
        current.update(_HASH.findall(line))
    return {
        name: {v: frozenset(h) for v, h in versions.items()} for name, versions in found.items()
    }


def requirements(*extras: str) -> list[Requirement]:
    """The package's own dependencies, those of ``extras`` and the build backend."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    backend = (REPO / "requirements-build.in").read_text(encoding="utf-8").splitlines()
    lines += [line for line in backend if line.strip() and not line.startswith("#")]
    return [Requirement(line) for line in lines]


def dev_only() -> set[str]:
    """The distributions the `dev` and `polars` extras name that building does not need."""
    building = {canonicalize_name(r.name) for r in requirements(*EXTRAS[BUILD_LOCK])}
    named = {canonicalize_name(r.name) for r in requirements("dev", "polars")}
    return named - building


def test_every_package_of_the_build_lock_is_pinned_identically_in_the_test_lock() -> None:
    build, test = pins(BUILD_LOCK), pins(TEST_LOCK)
    assert build and all(all(hashes for hashes in v.values()) for v in build.values())
    differ = {
        name: (build[name], test.get(name)) for name in build if test.get(name) != build[name]
    }
    assert not differ, f"run `make lock`: the two locks pin these differently: {differ}"
    assert set(test) > set(build)


@pytest.mark.parametrize("lock", EXTRAS, ids=lambda lock: lock.name)
def test_a_lock_pins_each_requirement_of_its_extras_within_its_range(lock: Path) -> None:
    pinned = pins(lock)
    wrong = [
        f"{requirement} (pinned: {sorted(pinned.get(canonicalize_name(requirement.name), {}))})"
        for requirement in requirements(*EXTRAS[lock])
        if not any(
            requirement.specifier.contains(Version(version), prereleases=True)
            for version in pinned.get(canonicalize_name(requirement.name), {})
        )
    ]
    assert not wrong, f"{lock.name} is older than pyproject.toml: run `make lock`: {wrong}"


def test_the_build_lock_pins_no_test_or_lint_tool() -> None:
    tools = dev_only()
    assert {"pytest", "ruff", "hypothesis", "polars", "duckdb", "mlcroissant"} <= tools
    assert not tools & set(pins(BUILD_LOCK)), "`make data` would install test tools"


def _compile_command(line: str) -> str:
    """The ``uv pip compile ...`` of a lock's header or of a recipe line, spaces normalised."""
    return " ".join(line.split("uv pip compile", 1)[1].split())


@pytest.mark.parametrize("lock", EXTRAS, ids=lambda lock: lock.name)
def test_each_lock_was_written_by_the_recipe_of_make_lock(lock: Path) -> None:
    header = next(
        line
        for line in lock.read_text(encoding="utf-8").splitlines()[:3]
        if "uv pip compile" in line
    )
    recipe = [_compile_command(line) for line in make_rules()["lock"][1] if "pip compile" in line]
    assert _compile_command(header) in recipe, f"{lock.name}: run `make lock` and commit it"
    # the test lock is solved first; the build lock within it (the same pins)
    assert recipe[0].endswith(f"-o {TEST_LOCK.name}") and recipe[1].endswith(
        f"-o {BUILD_LOCK.name}"
    )
    assert f"-c {TEST_LOCK.name}" in recipe[1]


# --- the Makefile ------------------------------------------------------------------------

_VARIABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?::=|\?=|=)\s*(.*)$")
_RULE = re.compile(r"^([^\s:#=][^:=]*?)\s*:(?!=)\s*(.*)$")


def make_rules(text: str | None = None) -> dict[str, tuple[list[str], list[str]]]:
    """Target -> (prerequisites, recipe lines) of the Makefile, its variables expanded.

    >>> make_rules("V := x.lock\\nall: $(V)\\n\\techo $(V) \\\\\\n\\t  done\\n")["all"]
    (['x.lock'], ['echo x.lock done'])
    """
    text = (REPO / "Makefile").read_text(encoding="utf-8") if text is None else text
    lines = re.sub(r"\\\n\s*", "", text).splitlines()
    variables: dict[str, str] = {}

    def expand(value: str) -> str:
        while (new := re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], ""), value)) != value:
            value = new
        return value

    rules: dict[str, tuple[list[str], list[str]]] = {}
    recipe: list[str] | None = None
    for line in lines:
        if line.startswith("\t") and recipe is not None:
            recipe.append(expand(line.strip()))
        elif (variable := _VARIABLE.match(line)) and not line.startswith("\t"):
            variables.setdefault(variable[1], variable[2].strip())
            recipe = None
        elif rule := _RULE.match(line):
            recipe = []
            for target in expand(rule[1]).split():
                rules[target] = (expand(rule[2]).split(), recipe)
        elif line.strip() and not line.startswith("#"):
            recipe = None
    return rules


def reached(target: str, rules: dict[str, tuple[list[str], list[str]]]) -> list[str]:
    """The recipe lines `make target` may run: its own and those of its prerequisites."""
    seen, todo, run = set(), [target], []
    while todo:
        name = todo.pop()
        if name in seen or name not in rules:
            continue
        seen.add(name)
        todo += rules[name][0]
        run += rules[name][1]
    return run


def installs(lines: list[str], lock: Path) -> bool:
    """Whether one of ``lines`` installs ``lock`` (hash-checked, nothing beyond it)."""
    return any(
        re.search(rf"pip install .*-r {re.escape(lock.name)}\b", line)
        and "--require-hashes" in line
        and "--no-deps" in line
        for line in lines
    )


def test_make_data_installs_the_build_lock_and_not_the_test_lock() -> None:
    rules = make_rules()
    assert installs(reached("data", rules), BUILD_LOCK)
    assert not installs(reached("data", rules), TEST_LOCK)


@pytest.mark.parametrize("target", TEST_TARGETS)
def test_a_developer_target_installs_the_test_lock_on_the_build_lock(target: str) -> None:
    rules = make_rules()
    assert installs(reached(target, rules), TEST_LOCK)
    assert installs(reached(target, rules), BUILD_LOCK)


@pytest.mark.parametrize("lock", EXTRAS, ids=lambda lock: lock.name)
def test_a_changed_lock_or_pyproject_installs_again(lock: Path) -> None:
    rules = make_rules()
    (stamp,) = [t for t, (_, recipe) in rules.items() if installs(recipe, lock)]
    after = set()
    todo = [stamp]
    while todo:  # every file the stamp is (transitively) made from
        prerequisites = rules.get(todo.pop(), ([], []))[0]
        todo += [p for p in prerequisites if p not in after]
        after.update(prerequisites)
    assert {lock.name, "pyproject.toml"} <= after


# --- what `make data` runs imports no test tool ------------------------------------------

#: The only places of the package that may import a dev-only distribution: the polars
#: backend of ``load()`` (the `polars` extra), inside its function.
ALLOWED = {("ffdata.loading", "_load_polars"): {"polars"}}


def dev_only_modules() -> set[str]:
    """Top-level import names of the dev-only distributions installed here."""
    tools = dev_only()
    return {
        module
        for module, distributions in packages_distributions().items()
        if tools & {canonicalize_name(d) for d in distributions}
    }


def test_no_module_of_the_package_imports_a_test_tool() -> None:
    forbidden = dev_only_modules()
    assert {"pytest", "polars", "duckdb", "hypothesis", "mlcroissant", "bibtexparser"} <= forbidden
    bad, used = [], set()
    for module, path in all_modules().items():
        source = path.read_text(encoding="utf-8")
        for imported, scope, line in imports_of(
            module, source, is_package=path.name == "__init__.py"
        ):
            top = imported.split(".")[0]
            if top not in forbidden:
                continue
            if top in ALLOWED.get((module, scope), ()):
                used.add((module, scope))
            else:
                bad.append(f"{path.relative_to(REPO)}:{line}: {scope} imports {imported}")
    assert not bad, "`make data` installs no test tool; these import one:\n" + "\n".join(bad)
    assert used == set(ALLOWED), f"allow-list entries no longer needed: {set(ALLOWED) - used}"


# --- what git tracks ---------------------------------------------------------------------


def git(*args: str) -> str:
    """Run git in the checkout, or skip where the checkout is not a git repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=REPO, capture_output=True, text=True
    )
    if top.returncode or Path(top.stdout.strip()).resolve() != REPO.resolve():
        pytest.skip("the checkout is not a git repository (an unpacked archive?)")
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout


def test_no_tracked_file_is_ignored() -> None:
    ignored = git("ls-files", "--cached", "--ignored", "--exclude-standard").split("\n")
    assert [f for f in ignored if f] == [], ".gitignore lists files that git tracks"


def test_no_file_make_data_writes_is_ignored() -> None:
    git("--version")  # skips outside a git checkout
    written = sorted(
        path.relative_to(REPO).as_posix()
        for target in TARGETS
        for pattern in target.outputs
        for path in REPO.glob(pattern)
        if path.is_file() and not path.name.startswith(".")  # not its lock file
    )
    written.append(STAMPS.as_posix())
    assert {"docs/codebook.md", "datapackage.json", "docs/report/index.html"} <= set(written)
    check = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(written),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert check.stdout.split() == [], "`make data` writes files that .gitignore lists"
