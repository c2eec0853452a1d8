"""``make data``: make each :class:`Target` again only when the sha256 of a file it reads,
runs or writes differs from the one :data:`STAMPS` recorded (so a fresh clone is up to date).

Example:
    >>> [target.name for target in TARGETS]
    ['package', 'frictionless', 'codebook', 'citation', 'croissant', 'report']
    >>> plan(checkout_root())[0].reasons   # a checkout where `make data` never ran
    ('never made here',)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from ffdata.builder.publish.atomic import write_whole
from ffdata.builder.tools.checkout import PACKAGE_DIR, checkout_root
from ffdata.errors import FfdataError, PublishError, one_line
from ffdata.hashes import sha256_file, sha256_of
from ffdata.locate import DESCRIPTOR, ENV_VAR
from ffdata.verify import check_tables

STAMPS = Path("data") / "build-stamps.json"
#: Pins every library: a changed library remakes every target.
LOCK = "requirements.lock"


@dataclass(frozen=True)
class Target:
    """One output of ``make data``: globs of ``inputs``, ``outputs`` and ``code`` (under
    ``src/ffdata/``), and ``make`` (returns a summary)."""

    name: str
    inputs: tuple[str, ...]
    code: tuple[str, ...]
    outputs: tuple[str, ...]
    make: Callable[[Path], str]


def _make_package(root: Path) -> str:
    from ffdata.builder.build import build

    return build(root / "data" / "raw", root).summary()


def _check_frictionless(root: Path) -> str:
    from ffdata.builder.publish.package_check import check_frictionless

    check_frictionless(root)
    return "frictionless validate: every resource valid"


def _reading(root: Path) -> contextlib.AbstractContextManager:
    """Point the reader side at the package under ``root`` meanwhile."""
    return mock.patch.dict(os.environ, {ENV_VAR: str(root)})


def _make_codebook(root: Path) -> str:
    from ffdata.codebook import codebook_markdown

    path = root / "docs" / "codebook.md"
    with _reading(root):
        write_whole(path, codebook_markdown())
    return f"wrote {path.relative_to(root)}"


def _make_citation(root: Path) -> str:
    from ffdata.builder.tools.citation_file import write_citation_file

    return write_citation_file(root)


def _make_croissant(root: Path) -> str:
    from ffdata.builder.tools.croissant import write_croissant

    return f"wrote {write_croissant(root).relative_to(root)}"


def _make_report(root: Path) -> str:
    from ffdata.builder.tools.report.build import build_report

    with _reading(root):
        page = build_report(root / "docs" / "report")
    return f"wrote {page.relative_to(root)}"


PACKAGE_FILES = ("datapackage.json", "data/processed/*")
#: The code every target runs: the reader, this tool and atomic writing.
TOOL_CODE = ("*.py", "reference/*", "builder/__init__.py", "builder/tools/__init__.py")
TOOL_CODE += ("builder/tools/checkout.py", "builder/tools/targets.py")
TOOL_CODE += ("builder/publish/__init__.py", "builder/publish/atomic.py")
_STAGES = ("inputs", "review", "extract", "countries", "publish")
BUILDER_CODE = (*TOOL_CODE, "builder/*.py", *(f"builder/{stage}/*.py" for stage in _STAGES))
CROISSANT_CODE = (*TOOL_CODE, "builder/tools/croissant.py", "builder/tools/dataset_metadata.py")
REPORT_CODE = (*TOOL_CODE, "builder/inputs/__init__.py", "builder/inputs/dates.py")
REPORT_CODE += ("builder/tools/*.py", "builder/tools/report/*.py")

METADATA_INPUTS = (*PACKAGE_FILES, "CHANGELOG.md", "CITATION.cff")

#: The targets in the order they are made.
TARGETS: tuple[Target, ...] = (
    Target("package", ("data/raw/**/*",), BUILDER_CODE, PACKAGE_FILES, _make_package),
    Target("frictionless", PACKAGE_FILES, BUILDER_CODE, (), _check_frictionless),
    Target("codebook", PACKAGE_FILES, TOOL_CODE, ("docs/codebook.md",), _make_codebook),
    # cite()'s credits and the version's date in CHANGELOG.md
    Target(
        "citation",
        (*PACKAGE_FILES, "CHANGELOG.md"),
        (*TOOL_CODE, "builder/tools/citation_file.py", "builder/tools/dataset_metadata.py"),
        ("CITATION.cff",),
        _make_citation,
    ),
    # the JSON-LD (croissant.json, and in the report's head) reads CITATION.cff and CHANGELOG.md
    Target("croissant", METADATA_INPUTS, CROISSANT_CODE, ("croissant.json",), _make_croissant),
    Target("report", METADATA_INPUTS, REPORT_CODE, ("docs/report/*",), _make_report),
)


def _files(folder: Path, patterns: Iterable[str]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(
            p
            for p in folder.glob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        )
    return sorted(found)


def fingerprint(target: Target, root: Path, *, outputs: bool = True) -> dict[str, str]:
    """Return ``input:PATH``, ``code:PATH`` and (with ``outputs``) ``output:PATH`` -> sha256.

    Example:
        >>> prints = fingerprint(TARGETS[0], checkout_root())
        >>> len(prints["input:data/raw/manifest.toml"]), "code:builder/pipeline.py" in prints
        (64, True)
    """
    kinds = [("input", root, target.inputs), ("code", root / PACKAGE_DIR, target.code)]
    kinds += [("output", root, target.outputs)] if outputs else []
    prints = {
        f"{kind}:{path.relative_to(folder).as_posix()}": sha256_file(path)
        for kind, folder, patterns in kinds
        for path in _files(folder, patterns)
    }
    if (root / LOCK).is_file():
        prints[f"code:{LOCK}"] = sha256_file(root / LOCK)
    return prints


#: The key of a stamp's own sha256 (two branches' stamps conflict rather than merge).
DIGEST = "digest"


def digest(prints: dict[str, str]) -> str:
    """Return one sha256 over a fingerprint (its keys and values, in key order).

    Example:
        >>> digest({"input:a": "1"}) == digest({"input:a": "1"}), digest({}) == digest({"x": ""})
        (True, False)
    """
    return sha256_of(json.dumps(prints, sort_keys=True).encode())


#: The largest stamp file read (``make data`` writes about 20 KB).
_MAX_STAMPS = 16 * 1024 * 1024


def _read_stamps(root: Path) -> tuple[dict[str, dict[str, str]], str]:
    """Return the recorded fingerprints by target, and why none could be used (a missing,
    unreadable, malformed, nested or hostile file: every target is made again), or "".

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "data").mkdir()
        >>> _ = (root / STAMPS).write_text("[" * 100000)
        >>> _read_stamps(root)
        ({}, 'data/build-stamps.json is not JSON (nested too deeply): every target is made again')
    """
    path = root / STAMPS
    if not path.exists():
        return {}, ""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_STAMPS + 1)
        if len(data) > _MAX_STAMPS:
            raise ValueError(f"larger than {_MAX_STAMPS:,} bytes")
        stamps = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:100]
        why = f"not JSON ({why})" if not isinstance(exc, OSError) else f"unreadable ({why})"
        return {}, f"{STAMPS.as_posix()} is {why}: every target is made again"
    if not isinstance(stamps, dict) or not all(
        isinstance(prints, dict) and all(isinstance(v, str) for v in prints.values())
        for prints in stamps.values()
    ):
        why = "not an object of target -> {file: sha256}"
        return {}, f"{STAMPS.as_posix()} is {why}: every target is made again"
    return stamps, ""


@dataclass(frozen=True)
class Step:
    """A target and why it must be made (no reasons: it is up to date)."""

    target: Target
    reasons: tuple[str, ...]


def _differences(recorded: dict[str, str], current: dict[str, str]) -> tuple[str, ...]:
    """Return what changed between two fingerprints, one phrase per file, in path order."""
    out = []
    for key in sorted(set(recorded) | set(current)):
        if key not in current:
            out.append(f"{key} is missing")
        elif key not in recorded:
            out.append(f"{key} is new")
        elif recorded[key] != current[key]:
            out.append(f"{key} changed")
    return tuple(out)


def _reasons_to_make(
    target: Target, stamps: dict[str, dict[str, str]], root: Path
) -> tuple[str, ...]:
    """Return why ``target`` must be made now (nothing when it is up to date)."""
    recorded = dict(stamps.get(target.name) or {})
    if not recorded:
        return ("never made here",)
    if recorded.pop(DIGEST, None) != digest(recorded):
        return ("its stamps do not hold together (merged or edited by hand)",)
    changed = _differences(recorded, fingerprint(target, root))
    if changed or DESCRIPTOR not in target.outputs:
        return changed
    try:  # stamps recomputed after an output was edited: the package's own sha256s disagree
        check_tables(root)
    except FfdataError as exc:
        return (f"an output differs from its datapackage.json ({exc.document})",)
    return ()


def plan(root: Path, targets: Iterable[Target] = TARGETS) -> list[Step]:
    """Return every target with the reasons it must be made as the files are now.
    Example: see the module docstring."""
    stamps, _ = _read_stamps(root)
    return [Step(t, _reasons_to_make(t, stamps, root)) for t in targets]


def _why(reasons: tuple[str, ...], shown: int = 3) -> str:
    text = ", ".join(reasons[:shown])
    return text + (f" and {len(reasons) - shown} more" if len(reasons) > shown else "")


def make(
    root: Path,
    targets: Iterable[Target] = TARGETS,
    *,
    say: Callable[[str], None] = print,
) -> int:
    """Make every target of ``root`` that is not up to date; return how many were made.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "in.txt").write_text("1")
        >>> copy = Target("copy", ("in.txt",), (), ("out.txt",),
        ...               lambda r: str((r / "out.txt").write_text((r / "in.txt").read_text())))
        >>> make(root, [copy])
        copy: making (never made here)
          1
        1
    """
    stamps, unusable = _read_stamps(root)
    if unusable:
        say(unusable)
    made = 0
    for target in targets:
        reasons = _reasons_to_make(target, stamps, root)
        if not reasons:
            say(f"{target.name}: up to date")
            continue
        say(f"{target.name}: making ({_why(reasons)})")
        before = fingerprint(target, root, outputs=False)
        summary = target.make(root)
        for line in summary.splitlines():
            say(f"  {line}")
        after = fingerprint(target, root)
        made_from = before | {k: v for k, v in after.items() if k.startswith("output:")}
        stamps[target.name] = made_from | {DIGEST: digest(made_from)}
        try:
            write_whole(root / STAMPS, json.dumps(stamps, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            hint = "make the folder writable; the outputs themselves are complete"
            why = f"cannot record what was made ({exc.strerror or exc})"
            raise PublishError(why, path=str(root / STAMPS), hint=hint) from exc
        made += 1
    return made


def main(argv: list[str] | None = None) -> int:
    """``python -m ffdata.builder.tools.targets [--root DIR] [--dry-run]``; return the exit status.

    Example:
        >>> main(["--root", "/nonexistent", "--dry-run"])  # not a checkout: refused
        1
    """
    parser = argparse.ArgumentParser(
        prog="python -m ffdata.builder.tools.targets",
        description="Make the package, its Frictionless check, the codebook, croissant.json "
        "and the report, each only when a file it is made from changed (what `make data` runs).",
    )
    parser.add_argument("--root", type=Path, help="the repository's root (default: here)")
    parser.add_argument("--dry-run", action="store_true", help="say what would be made and why")
    args = parser.parse_args(argv)
    try:
        root = checkout_root(args.root, hint="run `make data` in the repository's root folder")
        if args.dry_run:
            unusable = _read_stamps(root)[1]
            if unusable:
                print(unusable)
            for step in plan(root):
                state = f"would make ({_why(step.reasons)})" if step.reasons else "up to date"
                print(f"{step.target.name}: {state}")
            print("(a target that is made may change the inputs of later ones)")
            return 0
        make(root)
    except FfdataError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = exc.filename or args.root or Path.cwd()
        print(
            f"error: {where}: cannot read or write ({exc.strerror or exc})\n"
            "  hint: make the checkout readable and writable for this user, then run "
            "`make data` again (nothing is recorded for a target that did not finish)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
