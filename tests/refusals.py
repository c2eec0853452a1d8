"""The refusal corpora's machinery (tests/test_refusals_*.py): a table of cases per input kind.

A case damages a private copy of ``data/raw`` or of the published package, runs the
``ffdata`` command in-process and returns ``"ok"`` when the promise holds: a refusal is exit
status 1 with bounded ``error:`` lines only, each with a hint, an error of the expected
class, the expected fragments (place, text, hint) in the message, and the published files
and a folder outside untouched; an accepted case builds and passes its check. A corpus runs
in a worker with a time limit per case (tests/case_runner.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from case_runner import run_cases
from support import DOC, RAW, copy_package

from ffdata.errors import ErrorCollector, FfdataError, one_line

POPULATION = "reference/worldbank-population/data/population.csv"
CODES = "reference/country-codes/data/country-codes.csv"
ICSR = "reference/icsr-foreign-fighters/data/icsr.csv"
ICSR_PROVENANCE = "reference/icsr-foreign-fighters/PROVENANCE.md"
MAX_LINE = 1_000  # characters of one error line (a text as printed is cut at 200)
LIMIT = 30.0  # seconds a case may take (most take a fraction of a second; a build about two)
AT_LINE = re.compile(r"\.(?:toml|csv|txt|json):\d+")  # a place as messages give it


@dataclass
class Workspace:
    """A private raw folder, a published package and a folder outside both."""

    raw: Path
    out: Path
    outside: Path


def pin_file(raw: Path, file: str) -> None:
    """Record ``file``'s sha256 and size in the manifest, as a maintainer would (without the
    pin tool's own checks, which a damaged file may fail on purpose)."""
    data = (raw / file).read_bytes()
    manifest = raw / "manifest.toml"
    for prefix in ("", "provenance_"):
        text, found = re.subn(
            rf'({prefix}file = "{re.escape(file)}"\n{prefix}sha256 = )"[0-9a-f]*"'
            rf"(\n{prefix}size = )\d+",
            rf'\g<1>"{hashlib.sha256(data).hexdigest()}"\g<2>{len(data)}',
            manifest.read_text(encoding="utf-8"),
        )
        if found:
            return manifest.write_text(text, encoding="utf-8")
    raise AssertionError(f"{file} is not pinned in the manifest")


# --- damages: functions of a Workspace ----------------------------------------------------


def rewrite(file: str, change: Callable[[str], str | bytes], *, pin: bool = True) -> Callable:
    """Rewrite a raw file's text (a function of the text, giving text or bytes), then record
    its new sha256 and size (unless told not to, or it is the manifest)."""

    def damage(ws: Workspace) -> None:
        new = change((ws.raw / file).read_text(encoding="utf-8"))
        (ws.raw / file).write_bytes(new.encode("utf-8") if isinstance(new, str) else new)
        if pin and file != "manifest.toml":
            pin_file(ws.raw, file)

    return damage


def edit(file: str, old: str, new: str, count: int = 1, *, pin: bool = True) -> Callable:
    """Replace ``old`` by ``new`` in a raw file (``count`` times; 0 = all), then pin it."""

    def change(text: str) -> str:
        assert old in text, f"{old!r} not in {file}"
        return text.replace(old, new, count or -1)

    return rewrite(file, change, pin=pin)


def resub(file: str, pattern: str, new: str) -> Callable:
    """Replace the first match of a regular expression in a raw file, then pin it."""
    return rewrite(file, lambda text: re.sub(pattern, new, text, count=1))


def lines(first: int, last: int | None = None, new: str | None = None) -> Callable:
    """Delete lines ``first``..``last`` of the Soufan document, or put ``new`` in their place."""

    def change(text: str) -> str:
        rows = text.split("\n")
        rows[first - 1 : last or first] = [] if new is None else [new]
        return "\n".join(rows)

    return rewrite(DOC, change)


def nested(file: str, prefix: str, middle: str, suffix: str, n: int) -> Callable:
    """A value nested ``n`` deep put before the rest of a TOML file."""
    return rewrite(file, lambda text: f"x = {prefix * n}{middle}{suffix * n}\n{text}")


def link_outside(file: str) -> Callable:
    """Move a raw file (or folder) outside and leave a symbolic link to it."""

    def damage(ws: Workspace) -> None:
        target = ws.outside / "moved" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(ws.raw / file, target)
        (ws.raw / file).symlink_to(target)

    return damage


def both(*damages: Callable) -> Callable:
    """Several damages, in order."""
    return lambda ws: [damage(ws) for damage in damages]


# --- cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A damage and what must follow: a refusal (``error`` set) or an accepted build."""

    damage: Callable[[Workspace], object]
    error: type[FfdataError] | None = FfdataError  # None: the command must succeed
    says: tuple[str, ...] = ()  # fragments of the message (refusal) or of stdout (accepted)
    at_line: bool = True  # a refusal names a file and line (``file:N``)
    argv: Callable[[Workspace], list[str]] = lambda ws: [
        *("build", "--raw-dir", str(ws.raw), "--out-dir", str(ws.out))
    ]
    #: A further check of the workspace and the message (stderr, or stdout if accepted):
    #: returns what broke, or None.
    check: Callable[[Workspace, str], str | None] | None = None
    count: int | None = None  # how many errors the refusal reports, if that is the point
    patch: Callable[[], contextlib.AbstractContextManager] | None = None
    #: Publish the worker's pipeline result of the intact raw folder ("intact") or of one
    #: with a changed count ("changed") instead of running the pipeline.
    pipeline: str | None = None

    def __call__(self) -> str:
        return run_case(self)


def refused(damage: Callable, error: type[FfdataError], *says: str, **options: object) -> Case:
    """A case that must be refused with ``error`` and a message holding ``says``."""
    return Case(damage, error, says, **options)


def accepted(damage: Callable, *says: str, **options: object) -> Case:
    """A case that must build (and print ``says``, and pass ``check`` if given)."""
    return Case(damage, None, says, **options)


def corpus_test(module_file: str, cases: dict[str, Case]) -> Callable:
    """One test per case of the table ``CASES`` of ``module_file``; the cases run once,
    together, in a worker process (tests/case_runner.py)."""
    outcomes = functools.cache(lambda: run_cases(Path(module_file).stem, list(cases), LIMIT))

    @pytest.mark.parametrize("name", list(cases))
    def test(name: str) -> None:
        assert outcomes()[name] == "ok", outcomes()[name]

    return test


@functools.cache
def worker_folder() -> Path:
    """The worker's folder, with the published package every case copies."""
    folder = Path(tempfile.mkdtemp(prefix="ffdata-refusals-"))
    (copy_package(folder / "published") / ".ffdata.lock").touch()  # as a build leaves it
    return folder


@functools.cache
def pipeline_result(which: str) -> object:
    """The pipeline's result on the intact raw folder, or on one with Tunisia 6001."""
    from ffdata.builder.pipeline import run_pipeline

    ws = Workspace(worker_folder() / which, Path(), Path())
    shutil.copytree(RAW, ws.raw)
    if which == "changed":
        edit(DOC, "1\tTunisia\t6000", "1\tTunisia\t6001")(ws)
    return run_pipeline(ws.raw)


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    return {
        str(path.relative_to(folder)): f"link to {path.readlink()}"
        if path.is_symlink()
        else path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_symlink() or path.is_file()
    }


def run_case(case: Case) -> str:
    """Run one case in a fresh workspace; ``"ok"`` or what broke."""
    import ffdata.builder.build as build
    import ffdata.builder.publish.package_check as package_check
    from ffdata import cli

    folder = Path(tempfile.mkdtemp(dir=worker_folder()))
    try:
        ws = Workspace(folder / "raw", folder / "out", folder / "outside")
        shutil.copytree(RAW, ws.raw)
        shutil.copytree(worker_folder() / "published", ws.out, symlinks=True)
        ws.outside.mkdir()
        (ws.outside / "keep.txt").write_text("not the build's\n")
        case.damage(ws)
        argv = case.argv(ws)
        before_out, before_outside = _snapshot(ws.out), _snapshot(ws.outside)
        errors: list[FfdataError] = []
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.ExitStack() as stack:
            show = lambda e: errors.append(e) or one_line(e)  # noqa: E731
            stack.enter_context(mock.patch.object(cli, "one_line", show))
            if case.patch:
                stack.enter_context(case.patch())
            if case.pipeline:
                result = pipeline_result(case.pipeline)
                stack.enter_context(mock.patch.object(build, "run_pipeline", lambda r: result))
            if argv[0] == "build":  # frictionless on the staging folder: 3 s, checked elsewhere
                stack.enter_context(mock.patch.object(package_check, "check_frictionless"))
            stack.enter_context(contextlib.redirect_stdout(stdout))
            stack.enter_context(contextlib.redirect_stderr(stderr))
            status = cli.main(argv)
        return _judge(
            case, ws, status, stdout.getvalue(), stderr.getvalue(), errors, before_out
        ) or ("touched the folder outside" if _snapshot(ws.outside) != before_outside else "ok")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _judge(case: Case, ws: Workspace, status: int, out: str, message: str, errors, before):
    """What broke in a run of ``case``, or None."""
    if case.error is None:
        if status != 0:
            return f"refused: {message[:500]!r}"
        missing = [text for text in case.says if text not in out]
        return f"output lacks {missing}" if missing else case.check and case.check(ws, out)
    shown = message.splitlines()  # the first errors and a count, not millions of lines
    missing = [text for text in case.says if text not in message]
    if status != 1 or out:
        return f"not refused (status {status}) or printed on stdout: {out[-300:]}"
    if not shown or any(not line.startswith("error: ") for line in shown):
        return f"refusal not in error: lines: {message[:300]!r}"
    if len(shown) > ErrorCollector.SHOWN + 1 or max(map(len, shown)) > MAX_LINE:
        return f"unbounded message ({len(shown)} lines, {len(message)} characters)"
    if _snapshot(ws.out) != before:
        return "refused but changed the published files"
    if not any(isinstance(error, case.error) for error in errors):
        return f"no {case.error.__name__} among {[type(e).__name__ for e in errors]}: {message[:300]!r}"
    if missing:
        return f"message lacks {missing}: {message[:500]!r}"
    if case.at_line and not AT_LINE.search(message):
        return f"message names no line: {message[:300]!r}"
    if case.count is not None and len(errors) != case.count:
        return f"{len(errors)} errors, not {case.count}: {message[:500]!r}"
    if any("(hint: " not in line for line in shown):
        return f"an error without a hint: {message[:300]!r}"
    return case.check and case.check(ws, message)
