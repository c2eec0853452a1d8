"""The hostile-input corpus of issue 13: one list of cases per family, run by tests/test_hostile.py.

Each case damages a private copy of ``data/raw`` and of a published package (or plants
something beside them), runs the ``ffdata`` command in-process, and returns ``"ok"`` when
the promise holds: a refusal is exit status 1 with ``error:`` lines only (no traceback), a
message of bounded length, and the published files and a folder outside both untouched.
Anything else is returned as a short description of what broke. Cases run in a worker
process with a time limit each (see tests/case_runner.py).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DOC = "002_882cd01f73eb6394.txt"
POPULATION = "reference/worldbank-population/data/population.csv"
CODES = "reference/country-codes/data/country-codes.csv"
ICSR = "reference/icsr-foreign-fighters/data/icsr.csv"
ICSR_PROVENANCE = "reference/icsr-foreign-fighters/PROVENANCE.md"
REVIEWED = (
    "sources.toml",
    "figures.toml",
    "not_figures.toml",
    "country_aliases.csv",
    "country_parts.csv",
)
MAX_MESSAGE = 20_000  # characters: "the first errors and a count", not millions of lines


@dataclass
class Workspace:
    """A private raw folder, a published package and a folder outside both."""

    raw: Path
    out: Path
    outside: Path

    def edit(self, file: str, old: str, new: str, count: int = 1, *, pin: bool = True) -> None:
        """Replace ``old`` by ``new`` in a raw file (``count`` times; 0 = all), then pin it
        (the manifest itself is not pinned)."""
        path = self.raw / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        text = text.replace(old, new) if count == 0 else text.replace(old, new, count)
        self.write(file, text.encode("utf-8"), pin=pin)

    def write(self, file: str, data: bytes, *, pin: bool = True) -> None:
        """Write a raw file's bytes and (by default) record its new sha256 and size."""
        (self.raw / file).write_bytes(data)
        if pin and file != "manifest.toml":
            pin_file(self.raw, file)

    def link_outside(self, file: str) -> None:
        """Move a raw file (or folder) outside and leave a symbolic link to it."""
        target = self.outside / "moved" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(self.raw / file, target)
        (self.raw / file).symlink_to(target)


def pin_file(raw: Path, file: str) -> None:
    """Record ``file``'s sha256 and size in the raw folder's manifest (as a maintainer would)."""
    data = (raw / file).read_bytes()
    manifest = raw / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    for prefix in ("", "provenance_"):
        pattern = (
            rf'{prefix}file = "{re.escape(file)}"\n{prefix}sha256 = "[0-9a-f]*"\n{prefix}size = \d+'
        )
        new = (
            f'{prefix}file = "{file}"\n{prefix}sha256 = "{hashlib.sha256(data).hexdigest()}"\n'
            f"{prefix}size = {len(data)}"
        )
        text, found = re.subn(pattern, new, text)
        if found:
            manifest.write_text(text, encoding="utf-8")
            return
    raise AssertionError(f"{file} is not pinned in the manifest")


@dataclass
class Run:
    """What a case runs and expects: the CLI arguments and the outcome."""

    argv: list[str]
    expect: str = "refused"  # or "accepted"
    says: tuple[str, ...] = ()  # texts the message must hold (refusal) or stdout (accepted)
    check: Callable[[], str | None] | None = None  # extra check; returns what broke, or None
    patch: Callable[[], contextlib.AbstractContextManager] | None = None
    #: Publish the worker's pipeline result of the intact raw folder ("intact") or of one
    #: with a changed count ("changed") instead of running the pipeline (cases about
    #: publishing, which need not pay for a pipeline run each).
    pipeline: str | None = None
    #: A refusal of the "bad inputs" family names the file and line at fault (``file:N``);
    #: False where the fault is a path, not a line.
    at_line: bool = True


CASES: dict[str, Callable[[dict], str]] = {}
FAMILIES: dict[str, list[str]] = {}


def case(family: str, name: str) -> Callable:
    """Register a case: a function of a :class:`Workspace` returning a :class:`Run`."""

    def register(make: Callable[[Workspace], Run]) -> Callable[[Workspace], Run]:
        key = f"{family}: {name}"
        CASES[key] = lambda context: _run_case(context, make, family)
        FAMILIES.setdefault(family, []).append(key)
        return make

    return register


def prepare() -> dict:
    """Build the published package once per worker; each case copies it."""
    from ffdata.builder.pipeline import run_pipeline
    from ffdata.builder.publish.write import publish

    base = Path(tempfile.mkdtemp(prefix="ffdata-hostile-"))
    intact = run_pipeline(RAW)
    publish(intact, base / "published")
    changed = Workspace(base / "changed", base / "unused", base / "unused")
    shutil.copytree(RAW, changed.raw)
    changed.edit(DOC, "1\tTunisia\t6000", "1\tTunisia\t6001")
    return {
        "base": base,
        "published": base / "published",
        "intact": intact,
        "changed": run_pipeline(changed.raw),
    }


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = f"link to {path.readlink()}"
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


#: A place in a raw or published file, as messages give it: ``figures.toml:12``.
_AT_LINE = re.compile(r"\.(?:toml|csv|txt|json):\d+")


def _run_case(context: dict, make: Callable[[Workspace], Run], family: str = "") -> str:
    from ffdata.cli import main

    folder = Path(tempfile.mkdtemp(dir=context["base"]))
    try:
        ws = Workspace(folder / "raw", folder / "out", folder / "outside")
        shutil.copytree(RAW, ws.raw)
        shutil.copytree(context["published"], ws.out)
        ws.outside.mkdir()
        (ws.outside / "keep.txt").write_text("not the build's\n")
        run = make(ws)
        before_out, before_outside = _snapshot(ws.out), _snapshot(ws.outside)
        stdout, stderr = io.StringIO(), io.StringIO()
        with (
            run.patch() if run.patch else contextlib.nullcontext(),
            _pipeline(context[run.pipeline]) if run.pipeline else contextlib.nullcontext(),
            _no_frictionless() if run.argv[0] == "build" else contextlib.nullcontext(),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            status = main(run.argv)
        message = stderr.getvalue()
        if _snapshot(ws.outside) != before_outside:
            return "touched the folder outside"
        if run.expect == "refused":
            if status != 1:
                return f"not refused (status {status}): {stdout.getvalue()[-300:]}"
            if not message or any(not ln.startswith("error: ") for ln in message.splitlines()):
                return f"refusal not in error: lines: {message[:300]!r}"
            if len(message) > MAX_MESSAGE:
                return f"unbounded message ({len(message)} characters)"
            if _snapshot(ws.out) != before_out:
                return "refused but changed the published files"
            missing = [text for text in run.says if text not in message]
            if missing:
                return f"message lacks {missing}: {message[:500]!r}"
            if family == "bad inputs" and run.at_line and not _AT_LINE.search(message):
                return f"message names no line: {message[:300]!r}"
        else:
            if status != 0:
                return f"refused: {message[:500]!r}"
            missing = [text for text in run.says if text not in stdout.getvalue()]
            if missing:
                return f"output lacks {missing}"
        broke = run.check() if run.check else None
        return broke or "ok"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _pipeline(result: object) -> Iterator[None]:
    import ffdata.builder.build as build

    original = build.run_pipeline
    build.run_pipeline = lambda raw_dir: result
    try:
        yield
    finally:
        build.run_pipeline = original


@contextlib.contextmanager
def _no_frictionless() -> Iterator[None]:
    """Builds of the corpus skip the frictionless run on their staging folder (3 s each;
    tests/test_publishing.py runs it): no case here is about what it checks."""
    import ffdata.builder.publish.package_check as package_check

    original = package_check.check_frictionless
    package_check.check_frictionless = lambda root: None
    try:
        yield
    finally:
        package_check.check_frictionless = original


def build_run(ws: Workspace, **kwargs) -> Run:
    """Build the damaged raw folder into the published package."""
    return Run(["build", "--raw-dir", str(ws.raw), "--out-dir", str(ws.out)], **kwargs)


def validate_run(ws: Workspace, *flags: str, **kwargs) -> Run:
    """Validate the (damaged) published package."""
    return Run(["validate", str(ws.out), *flags], **kwargs)


@contextlib.contextmanager
def failing(target: object, attribute: str, error: OSError) -> Iterator[None]:
    """Make ``target.attribute`` raise ``error`` while the block runs."""
    original = getattr(target, attribute)

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    setattr(target, attribute, fail)
    try:
        yield
    finally:
        setattr(target, attribute, original)


# --- 2. every file the build reads is pinned and confined -----------------------------------

_CHANGES = {
    "sources.toml": ('producer = "The Soufan Group"', 'producer = "The Soufan Groupe"'),
    "figures.toml": ("producer = ", "producer = 'X' #", 1),
    "not_figures.toml": ('reason = "', 'reason = "Changed: ', 1),
    "country_aliases.csv": ("U.K.,GBR", "U.K.,USA"),
    "country_parts.csv": ("England,GBR", "England,FRA"),
    POPULATION: ("Tunisia,TUN,2015,", "Tunisia,TUN,2015,1"),
    CODES: ("Tunisia", "Tunisie"),
    ICSR: ("afghanistan,AFG,20131217,12,23,17.5", "afghanistan,AFG,20131217,12,230,121"),
    ICSR_PROVENANCE: ("ICSR", "ICRS"),
    DOC: ("1\tTunisia\t6000", "1\tTunisia\t9000"),
}
for _file, _change in _CHANGES.items():

    @case("pins", f"{_file} changed without re-pinning")
    def _changed(ws: Workspace, file: str = _file, change: tuple = _change) -> Run:
        ws.edit(file, change[0], change[1], pin=False)
        return build_run(ws, says=(Path(file).name, "sha256", "python -m ffdata.builder.tools.pin"))


for _file in (*REVIEWED, POPULATION, CODES, ICSR, ICSR_PROVENANCE, DOC, "manifest.toml"):

    @case("pins", f"{_file} linked from outside")
    def _linked(ws: Workspace, file: str = _file) -> Run:
        ws.link_outside(file)
        return build_run(ws, says=("outside the raw folder",))


@case("pins", "reference folder linked from outside")
def _reference_folder(ws: Workspace) -> Run:
    ws.link_outside("reference")
    return build_run(ws, says=("outside the raw folder",))


@case("pins", "raw folder itself is a link (allowed)")
def _raw_link(ws: Workspace) -> Run:
    ws.raw.rename(ws.raw.with_name("real-raw"))
    ws.raw.symlink_to(ws.raw.with_name("real-raw"))
    return build_run(ws, expect="accepted")


for _file in ("figures.toml", "sources.toml", "not_figures.toml"):

    @case("pins", f"{_file} pin removed from the manifest")
    def _unpinned(ws: Workspace, file: str = _file) -> Run:
        text = (ws.raw / "manifest.toml").read_text(encoding="utf-8")
        block = re.search(rf'\[\[reviewed\]\]\nreviewed_id = "[^"]+"\nfile = "{file}"[^\[]*', text)
        assert block, file
        (ws.raw / "manifest.toml").write_text(text.replace(block.group(0), ""), encoding="utf-8")
        return build_run(ws, says=(file,))


@case("pins", "re-pinned change to a figure's producer is published")
def _repinned(ws: Workspace) -> Run:
    from ffdata.builder.tools.pin import main as pin_main

    text = (ws.raw / "figures.toml").read_text(encoding="utf-8")
    producer = re.search(r'\nproducer = "([^"]+)"', text)
    assert producer
    (ws.raw / "figures.toml").write_text(
        text.replace(producer.group(0), '\nproducer = "Renamed producer"', 1), encoding="utf-8"
    )
    assert pin_main(["--raw-dir", str(ws.raw), "figures.toml"]) == 0

    def published() -> str | None:
        csv = (ws.out / "data" / "processed" / "aggregate_figures.csv").read_text(encoding="utf-8")
        return None if "Renamed producer" in csv else "re-pinned change not published"

    return build_run(ws, expect="accepted", check=published)


# --- 3. publishing never touches what is not its own ----------------------------------------

JOURNAL = ".ffdata-journal.json"


def _plant_journal(ws: Workspace, state: object) -> None:
    (ws.out / JOURNAL).write_text(json.dumps(state), encoding="utf-8")


def _outside_backup(ws: Workspace) -> str:
    victim = ws.outside / "victim"
    (victim / "processed").mkdir(parents=True)
    (victim / "processed" / "theirs.csv").write_text("a\n1\n")
    (victim / "datapackage.json").write_text("{}")
    return str(victim)


_JOURNALS: dict[str, Callable[[Workspace], object]] = {
    "backup is an absolute path outside": lambda ws: {
        "backup": _outside_backup(ws),
        "had_tables": True,
        "had_descriptor": True,
    },
    "backup climbs out with ..": lambda ws: {
        "backup": "../outside/" + Path(_outside_backup(ws)).name,
        "had_tables": True,
        "had_descriptor": True,
    },
    "backup names the tables folder": lambda ws: {
        "backup": "data",
        "had_tables": True,
        "had_descriptor": True,
    },
    "backup is empty": lambda ws: {"backup": "", "had_tables": True, "had_descriptor": True},
    "not a dict": lambda ws: ["backup", ".ffdata-backup-x"],
    "missing keys": lambda ws: {"backup": ".ffdata-backup-x"},
    "wrong types": lambda ws: {"backup": 5, "had_tables": "yes", "had_descriptor": None},
    "had_tables false (would delete the tables)": lambda ws: {
        "backup": ".ffdata-backup-x",
        "had_tables": "false",
        "had_descriptor": True,
    },
}
for _name, _state in _JOURNALS.items():

    @case("publishing", f"planted journal: {_name}")
    def _journal(ws: Workspace, state: Callable = _state) -> Run:
        _plant_journal(ws, state(ws))
        return build_run(ws, says=(JOURNAL,), pipeline="intact")


@case("publishing", "corrupt journal (not JSON)")
def _corrupt_journal(ws: Workspace) -> Run:
    (ws.out / JOURNAL).write_bytes(b'{"backup": ".ffdata-back')
    return build_run(ws, says=(JOURNAL, "delete"), pipeline="intact")


@case("publishing", "journal is binary garbage")
def _binary_journal(ws: Workspace) -> Run:
    (ws.out / JOURNAL).write_bytes(bytes(range(256)))
    return build_run(ws, says=(JOURNAL,), pipeline="intact")


@case("publishing", "journal is a folder")
def _folder_journal(ws: Workspace) -> Run:
    (ws.out / JOURNAL).mkdir()
    return build_run(ws, says=(JOURNAL,), pipeline="intact")


@case("publishing", "backup folder is a link to outside")
def _backup_link(ws: Workspace) -> Run:
    victim = Path(_outside_backup(ws))
    (ws.out / ".ffdata-backup-planted").symlink_to(victim)
    _plant_journal(
        ws, {"backup": ".ffdata-backup-planted", "had_tables": True, "had_descriptor": True}
    )
    return build_run(ws, says=(JOURNAL,), pipeline="intact")


@case("publishing", "lock file is a link to a file outside")
def _lock_link(ws: Workspace) -> Run:
    (ws.out / ".ffdata.lock").unlink(missing_ok=True)
    (ws.out / ".ffdata.lock").symlink_to(ws.outside / "keep.txt")
    return build_run(ws, says=(".ffdata.lock",), pipeline="intact")


@case("publishing", "lock file is a dangling link to outside")
def _lock_dangling(ws: Workspace) -> Run:
    (ws.out / ".ffdata.lock").unlink(missing_ok=True)
    (ws.out / ".ffdata.lock").symlink_to(ws.outside / "created-by-build")
    return build_run(ws, says=(".ffdata.lock",), pipeline="intact")


@case("publishing", "unrelated file inside data/processed")
def _unrelated_processed(ws: Workspace) -> Run:
    (ws.out / "data" / "processed" / "my-notes.csv").write_text("mine\n")
    return build_run(ws, says=("my-notes.csv",), pipeline="changed")


@case("publishing", "unrelated files beside the package are kept")
def _unrelated_beside(ws: Workspace) -> Run:
    (ws.out / "notes.txt").write_text("mine\n")
    (ws.out / "data" / "other.csv").write_text("mine\n")
    (ws.out / ".ffdata-stagingnotes").write_text("mine\n")

    def kept() -> str | None:
        for rel in ("notes.txt", "data/other.csv", ".ffdata-stagingnotes"):
            if not (ws.out / rel).is_file():
                return f"deleted {rel}"
        return None

    return build_run(ws, expect="accepted", check=kept, pipeline="changed")


@case("publishing", "data/processed is a link to outside")
def _processed_link(ws: Workspace) -> Run:
    target = ws.outside / "processed"
    shutil.move(ws.out / "data" / "processed", target)
    (ws.out / "data" / "processed").symlink_to(target)
    return build_run(ws, says=("data/processed",), pipeline="changed")


@case("publishing", "datapackage.json is a link to outside")
def _descriptor_link(ws: Workspace) -> Run:
    shutil.move(ws.out / "datapackage.json", ws.outside / "datapackage.json")
    (ws.out / "datapackage.json").symlink_to(ws.outside / "datapackage.json")
    return build_run(ws, says=("datapackage.json",), pipeline="changed")


# --- 4. resources run out cleanly -----------------------------------------------------------

_DISK_ERRORS = {
    "no space": errno.ENOSPC,
    "quota": errno.EDQUOT,
    "read-only": errno.EROFS,
    "too many files": errno.EMFILE,
}
_WRITE_POINTS = {
    "writing a CSV": ("ffdata.builder.publish.write", "write_csv"),
    "writing a Parquet": ("ffdata.builder.publish.write", "write_parquet"),
    "making the staging folder": ("ffdata.builder.publish.write", "_make_stage"),
    "writing the journal": ("ffdata.builder.publish.atomic", "_write_json_atomic"),
}
_DISK_CASES = [("no space", point) for point in _WRITE_POINTS] + [
    (label, "writing a CSV") for label in _DISK_ERRORS if label != "no space"
]
for _label, _point in _DISK_CASES:

    @case("resources", f"{_label} while {_point}")
    def _disk(ws: Workspace, label: str = _label, point: str = _point) -> Run:
        import importlib
        import os

        module, function = _WRITE_POINTS[point]
        target = importlib.import_module(module)
        error = OSError(_DISK_ERRORS[label], os.strerror(_DISK_ERRORS[label]))
        return build_run(
            ws,
            says=("untouched",),
            patch=lambda: failing(target, function, error),
            pipeline="changed",
        )


def _huge_document(ws: Workspace, size: int, line: str) -> None:
    original = (ws.raw / DOC).read_bytes()
    filler = (line + "\n").encode("utf-8")
    ws.write(DOC, original + filler * (size // len(filler)))


for _mb, _line in (
    (30, "1\tTunisia\t6000"),
    (30, "In 2015 there were 30,000 fighters from 100 countries, 5,000 of them from Europe."),
    (60, "x" * 1000),
):

    @case("resources", f"{_mb} MB document of {_line[:20]!r} lines")
    def _huge(ws: Workspace, mb: int = _mb, line: str = _line) -> Run:
        _huge_document(ws, mb * 1_000_000, line)
        return build_run(ws, says=(DOC,))


@case("resources", "200 KB of numbers: every error counted, the first ones shown")
def _many_errors(ws: Workspace) -> Run:
    _huge_document(ws, 200_000, "In 2015 there were 30,000 fighters from 100 countries.")
    return build_run(ws, says=(DOC, "more"))


# --- 5. every bad input gets a message ------------------------------------------------------

_FIRST_SOURCE_NOTE = 'note = "Table 1 of document 002'
for _label, _char in {
    "carriage return": "\r",
    "line feed": "\n",
    "escape (terminal)": "\x1b[31m",
    "bell": "\x07",
    "vertical tab": "\x0b",
    "next line (U+0085)": "\x85",
    "line separator (U+2028)": "\u2028",
    "delete": "\x7f",
}.items():

    @case("bad inputs", f"{_label} in a source note")
    def _control(ws: Workspace, char: str = _char) -> Run:
        escaped = json.dumps(char)[1:-1]
        ws.edit(
            "sources.toml",
            _FIRST_SOURCE_NOTE,
            _FIRST_SOURCE_NOTE.replace("Table", f"Ta{escaped}ble"),
        )
        return build_run(ws, says=("sources.toml", "control character"))


@case("bad inputs", "escape character in a figure's producer")
def _control_producer(ws: Workspace) -> Run:
    ws.edit("figures.toml", 'producer = "', 'producer = "\\u001b]0;x\\u0007', 1)
    return build_run(ws, says=("figures.toml", "control character"))


@case("bad inputs", "carriage return in a not_figures reason")
def _control_reason(ws: Workspace) -> Run:
    ws.edit("not_figures.toml", 'reason = "', 'reason = "\\r', 1)
    return build_run(ws, says=("not_figures.toml", "control character"))


@case("bad inputs", "carriage return in a manifest note")
def _control_manifest(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'note = "Title at line 3', 'note = "Title\\rat line 3')
    return build_run(ws, says=("manifest.toml", "control character"))


@case("bad inputs", "carriage return in an alias note")
def _control_alias(ws: Workspace) -> Run:
    ws.edit(
        "country_aliases.csv",
        "Abbreviation of United Kingdom.",
        '"Abbreviation\rof United Kingdom."',
    )
    return build_run(ws, says=("country_aliases.csv", "control character"))


_POP = "Tunisia,TUN,2015,"
for _label, (_old, _new) in {
    "NaN population": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN,2015,nan"),
    "infinite population": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN,2015,inf"),
    "negative population": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN,2015,-5"),
    "empty population": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN,2015,"),
    "short row": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN"),
    "long row": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN,2015,1,2"),
    "renamed column": (r"Country Code", "Country code"),
    "huge number": (r"Tunisia,TUN,2015,\d+", "Tunisia,TUN,2015,1e400"),
    "year not a number": (r"Tunisia,TUN,2015,", "Tunisia,TUN,twenty,"),
}.items():

    @case("bad inputs", f"population: {_label}")
    def _population(ws: Workspace, old: str = _old, new: str = _new) -> Run:
        text = (ws.raw / POPULATION).read_text(encoding="utf-8")
        ws.write(POPULATION, re.sub(old, new, text, count=1).encode("utf-8"))
        return build_run(ws, says=("population.csv",))


@case("bad inputs", "population: Latin-1 encoding")
def _population_latin1(ws: Workspace) -> Run:
    text = (ws.raw / POPULATION).read_text(encoding="utf-8")
    ws.write(POPULATION, text.replace("Aruba", "Arubá", 1).encode("latin-1"))
    return build_run(ws, says=("population.csv", "UTF-8"))


@case("bad inputs", "population: UTF-16")
def _population_utf16(ws: Workspace) -> Run:
    ws.write(POPULATION, (ws.raw / POPULATION).read_text(encoding="utf-8").encode("utf-16"))
    return build_run(ws, says=("population.csv",))


for _label, (_old, _new) in {
    "renamed column": ("ISO3166-1-Alpha-3", "ISO3166-1-Alpha3"),
    "renamed region column": (",Region Name,", ",Region,"),
    "short row": ("\nTUN", "\nshort,row\nTUN"),
    "empty file": ("", ""),
}.items():

    @case("bad inputs", f"country codes: {_label}")
    def _codes(ws: Workspace, old: str = _old, new: str = _new) -> Run:
        text = (ws.raw / CODES).read_text(encoding="utf-8")
        if old == "" and new == "":
            ws.write(CODES, b"\n")
        else:
            lines = text.split("\n")
            if old.startswith("\n"):
                lines.insert(5, "short,row")
                ws.write(CODES, "\n".join(lines).encode("utf-8"))
            else:
                ws.edit(CODES, old, new)
        return build_run(ws, says=("country-codes.csv",))


@case("bad inputs", "country codes: Latin-1 encoding")
def _codes_latin1(ws: Workspace) -> Run:
    text = (ws.raw / CODES).read_text(encoding="utf-8")
    ws.write(CODES, text.replace("Tunisia", "Tunisiá", 1).encode("latin-1", errors="replace"))
    return build_run(ws, says=("country-codes.csv",))


for _label, (_old, _new) in {
    "NaN count": ("afghanistan,AFG,20131217,12,23,17.5", "afghanistan,AFG,20131217,nan,23,17.5"),
    "infinite count": (
        "afghanistan,AFG,20131217,12,23,17.5",
        "afghanistan,AFG,20131217,12,inf,17.5",
    ),
    "short row": ("afghanistan,AFG,20131217,12,23,17.5", "afghanistan,AFG"),
    "renamed column": ("icsr.low", "icsr_low"),
}.items():

    @case("bad inputs", f"ICSR data file: {_label}")
    def _icsr(ws: Workspace, old: str = _old, new: str = _new) -> Run:
        ws.edit(ICSR, old, new)
        return build_run(ws, says=("icsr.csv",))


@case("bad inputs", "country aliases: Latin-1 encoding")
def _aliases_latin1(ws: Workspace) -> Run:
    text = (ws.raw / "country_aliases.csv").read_text(encoding="utf-8")
    ws.write("country_aliases.csv", (text + "Côte,CIV,x\n").encode("latin-1"))
    return build_run(ws, says=("country_aliases.csv", "UTF-8"))


for _file in ("figures.toml", "sources.toml", "not_figures.toml", "manifest.toml"):

    @case("bad inputs", f"{_file} nested 5,000 deep")
    def _nested(ws: Workspace, file: str = _file) -> Run:
        deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
        text = (ws.raw / file).read_text(encoding="utf-8")
        ws.write(file, (deep + text).encode("utf-8"), pin=file != "manifest.toml")
        return build_run(ws, says=(file,))

    @case("bad inputs", f"{_file} inline tables nested 3,000 deep")
    def _nested_tables(ws: Workspace, file: str = _file) -> Run:
        deep = "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"
        text = (ws.raw / file).read_text(encoding="utf-8")
        ws.write(file, (deep + text).encode("utf-8"), pin=file != "manifest.toml")
        return build_run(ws, says=(file,))


for _label, (_file, _old, _new) in {
    "manifest size as text": ("manifest.toml", "size = 8925", 'size = "8925"'),
    "manifest documents not a list": ("manifest.toml", "[[documents]]", "[documents.x]"),
    "manifest references a number": (
        "manifest.toml",
        "[[references]]\nreference_id",
        "references = 5\n[[references2]]\nreference_id",
    ),
    "manifest file a list": (
        "manifest.toml",
        'file = "000_8e0687df2c6dbefb.txt"',
        'file = ["000_8e0687df2c6dbefb.txt"]',
    ),
    "manifest size negative": ("manifest.toml", "size = 8925", "size = -8925"),
    "manifest size huge": ("manifest.toml", "size = 8925", "size = 99999999999999999"),
    "figure value as text": (
        "figures.toml",
        "\nvalue = ",
        "\nvalue = '1' #",
    ),
    "figure quote a number": ("figures.toml", "\nquote = ", "\nquote = 5 #"),
    "figure document a table": ("figures.toml", '\ndocument = "', '\ndocument = {a = 1} #"'),
    "source footnote as text": ("sources.toml", "footnote = 17", 'footnote = "17"'),
    "source footnote a float": ("sources.toml", "footnote = 17", "footnote = 17.5"),
    "source second_hand as text": ("sources.toml", "second_hand = false", 'second_hand = "no"'),
    "country_estimates a string": (
        "sources.toml",
        '[sources.country_estimates]\nlabel = "Soufan 2015"',
        'country_estimates_x = 1\n[sources.other]\nlabel = "Soufan 2015"',
    ),
    "estimates a string": (
        "sources.toml",
        'estimates = ["official", "unofficial"]',
        'estimates = "official"',
    ),
    "layout a string": (
        "sources.toml",
        'layout = { name = "Soufan Table 1"',
        'layout_x = { name = "Soufan Table 1"',
    ),
    "not_figures document a number": (
        "not_figures.toml",
        'document = "000_8e0687df2c6dbefb.txt"',
        "document = 0",
    ),
    "not_figures repeats as text": (
        "not_figures.toml",
        '\nreason = "',
        '\nrepeats = "two"\nreason = "',
    ),
    "sources section a table": (
        "sources.toml",
        "[[sources]]",
        "[sources_x]",
    ),
    "sources is a string": (
        "sources.toml",
        '[[sources]]\nsource_id = "soufan-2015"',
        'sources = "x"\n[[sources2]]\nsource_id = "soufan-2015"',
    ),
}.items():

    @case("bad inputs", f"wrong type: {_label}")
    def _wrong_type(ws: Workspace, file: str = _file, old: str = _old, new: str = _new) -> Run:
        ws.edit(file, old, new, pin=file != "manifest.toml")
        return build_run(ws, says=(file,))


@case("bad inputs", "a 300-character file name in the manifest")
def _long_name(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'file = "000_8e0687df2c6dbefb.txt"', f'file = "{"a" * 300}.txt"')
    return build_run(ws, says=("manifest.toml",))


@case("bad inputs", "a 5,000-character path in the manifest")
def _long_path(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'file = "000_8e0687df2c6dbefb.txt"', f'file = "{"a/" * 2500}x.txt"')
    return build_run(ws, says=("manifest.toml",))


@case("bad inputs", "a NUL in a manifest path")
def _nul_path(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'file = "000_8e0687df2c6dbefb.txt"', 'file = "000\\u0000.txt"')
    return build_run(ws, says=("manifest.toml",))


@case("bad inputs", "a manifest path naming a folder")
def _folder_path(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'file = "000_8e0687df2c6dbefb.txt"', 'file = "reference"')
    return build_run(ws, says=("manifest.toml", "'reference'", "missing (or is not a file)"))


@case("bad inputs", "raw folder given is a file")
def _raw_file(ws: Workspace) -> Run:
    return Run(
        ["build", "--raw-dir", str(ws.raw / DOC), "--out-dir", str(ws.out)],
        says=("manifest",),
        at_line=False,
    )


@case("bad inputs", "output folder given is a file")
def _out_file(ws: Workspace) -> Run:
    return Run(
        ["build", "--raw-dir", str(ws.raw), "--out-dir", str(ws.out / "datapackage.json")],
        says=("datapackage.json",),
        at_line=False,
    )


for _label, (_old, _new, _says) in {
    "Tunisia 20,000,000 (more than its population)": (
        "1\tTunisia\t6000\t7000",
        "1\tTunisia\t20000000\t20000000",
        ("Tunisia", DOC + ":112"),
    ),
    "Tunisia 600,000 (over 1% of its population)": (
        "1\tTunisia\t6000\t7000",
        "1\tTunisia\t600000\t700000",
        ("Tunisia", DOC + ":112"),
    ),
    "Japan 9 -> 2,000,000": ("15\tJapan\t9", "15\tJapan\t2000000", ("Japan", DOC + ":157")),
}.items():

    @case("bad inputs", f"implausible count: {_label}")
    def _implausible(ws: Workspace, old: str = _old, new: str = _new, says: tuple = _says) -> Run:
        ws.edit(DOC, old, new)
        return build_run(ws, says=says)


# --- 6. ffdata validate on packages it did not build ----------------------------------------


def _descriptor(ws: Workspace) -> dict:
    return json.loads((ws.out / "datapackage.json").read_text(encoding="utf-8"))


def _save_descriptor(ws: Workspace, descriptor: object) -> None:
    (ws.out / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def _rehash(ws: Workspace, rel: str) -> None:
    """Record a changed file's hash and size in datapackage.json, so validate reads it."""
    descriptor = _descriptor(ws)
    data = (ws.out / rel).read_bytes()
    for resource in descriptor["resources"]:
        if resource["path"] == rel:
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
            if "bytes" in resource:
                resource["bytes"] = len(data)
    _save_descriptor(ws, descriptor)


def _set_path(path: object) -> Callable[[Workspace], None]:
    def change(ws: Workspace) -> None:
        descriptor = _descriptor(ws)
        descriptor["resources"][0]["path"] = path
        _save_descriptor(ws, descriptor)

    return change


_PACKAGES: dict[str, Callable[[Workspace], None]] = {
    "descriptor not JSON": lambda ws: (ws.out / "datapackage.json").write_text("{'resources': ["),
    "descriptor binary": lambda ws: (ws.out / "datapackage.json").write_bytes(
        b"\xff\xfe\x00garbage"
    ),
    "descriptor empty": lambda ws: (ws.out / "datapackage.json").write_text(""),
    "descriptor a list": lambda ws: _save_descriptor(ws, [1, 2]),
    "descriptor a string": lambda ws: _save_descriptor(ws, "datapackage"),
    "resources not a list": lambda ws: _save_descriptor(
        ws, {**_descriptor(ws), "resources": {"a": 1}}
    ),
    "resources hold a number": lambda ws: _save_descriptor(
        ws, {**_descriptor(ws), "resources": [*_descriptor(ws)["resources"], 5]}
    ),
    "descriptor nested 100,000 deep": lambda ws: (ws.out / "datapackage.json").write_text(
        "[" * 100_000 + "]" * 100_000
    ),
    "resource path a number": _set_path(5),
    "resource path a list": _set_path(["a.csv", "b.csv"]),
    "resource path absolute outside": _set_path("/etc/passwd"),
    "resource path climbs out": _set_path("../../../../etc/passwd"),
    "resource path a URL": _set_path("http://example.com/countries.csv"),
    "resource path the descriptor": _set_path("datapackage.json"),
    "resource path a folder": _set_path("data/processed"),
    "resource path with NUL": _set_path("data/processed/a\x00.csv"),
    "resource path 5,000 characters": _set_path("data/processed/" + "a" * 5000),
    "resource hash a number": lambda ws: _save_descriptor(
        ws,
        {
            **_descriptor(ws),
            "resources": [
                {**_descriptor(ws)["resources"][0], "hash": 5},
                *_descriptor(ws)["resources"][1:],
            ],
        },
    ),
}


def _truncate(rel: str, keep: float) -> Callable[[Workspace], None]:
    def change(ws: Workspace) -> None:
        data = (ws.out / rel).read_bytes()
        (ws.out / rel).write_bytes(data[: int(len(data) * keep)])
        _rehash(ws, rel)

    return change


def _replace_file(rel: str, data: bytes) -> Callable[[Workspace], None]:
    def change(ws: Workspace) -> None:
        (ws.out / rel).write_bytes(data)
        _rehash(ws, rel)

    return change


def _drop_csv_column(rel: str) -> Callable[[Workspace], None]:
    def change(ws: Workspace) -> None:
        lines = (ws.out / rel).read_text(encoding="utf-8").split("\n")
        import csv

        rows = list(csv.reader(lines[:-1]))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(row[1:] for row in rows)
        (ws.out / rel).write_text(buffer.getvalue(), encoding="utf-8")
        _rehash(ws, rel)

    return change


def _drop_parquet_column(rel: str) -> Callable[[Workspace], None]:
    def change(ws: Workspace) -> None:
        import pyarrow.parquet as pq

        table = pq.read_table(ws.out / rel)
        pq.write_table(table.drop_columns([table.column_names[1]]), ws.out / rel)
        _rehash(ws, rel)

    return change


def _symlink_resource(rel: str) -> Callable[[Workspace], None]:
    def change(ws: Workspace) -> None:
        shutil.move(ws.out / rel, ws.outside / "moved.csv")
        (ws.out / rel).symlink_to(ws.outside / "moved.csv")

    return change


_CE = "data/processed/country_estimates"
_PACKAGES |= {
    "Parquet truncated to half": _truncate(f"{_CE}.parquet", 0.5),
    "Parquet truncated to 10 bytes": _truncate(f"{_CE}.parquet", 0.001),
    "Parquet empty": _replace_file(f"{_CE}.parquet", b""),
    "Parquet is a CSV": _replace_file(f"{_CE}.parquet", b"a,b\n1,2\n"),
    "Parquet magic with garbage": _replace_file(
        f"{_CE}.parquet", b"PAR1" + bytes(range(256)) * 4 + b"PAR1"
    ),
    "CSV truncated mid-row": _truncate(f"{_CE}.csv", 0.5),
    "CSV garbage bytes": _replace_file(f"{_CE}.csv", bytes(range(256)) * 8),
    "CSV empty": _replace_file(f"{_CE}.csv", b""),
    "CSV unbalanced quote": _replace_file(f"{_CE}.csv", b'source_id,iso3\n"soufan,TUN\n'),
    "CSV in UTF-16": lambda ws: _replace_file(
        f"{_CE}.csv", (ws.out / f"{_CE}.csv").read_text(encoding="utf-8").encode("utf-16")
    )(ws),
    "CSV missing a column": _drop_csv_column(f"{_CE}.csv"),
    "Parquet missing a column": _drop_parquet_column(f"{_CE}.parquet"),
    "CSV a link to outside": _symlink_resource(f"{_CE}.csv"),
    "tables folder missing": lambda ws: shutil.rmtree(ws.out / "data" / "processed"),
    "descriptor missing": lambda ws: (ws.out / "datapackage.json").unlink(),
}
for _label, _damage in _PACKAGES.items():
    # a path outside is refused before anything is read, with or without frictionless;
    # other damage is found before frictionless runs, so the flag changes nothing there
    for _flags in ((), ("--skip-frictionless",)) if "path" in _label else ((),):

        @case("validate", f"{_label}{' ' + _flags[0] if _flags else ''}")
        def _validate(ws: Workspace, damage: Callable = _damage, flags: tuple = _flags) -> Run:
            damage(ws)
            return validate_run(ws, *flags)


@case("validate", "package folder is a file")
def _validate_file(ws: Workspace) -> Run:
    return Run(["validate", str(ws.out / "datapackage.json")])


# --- 7. nothing a spreadsheet would run arrives live ----------------------------------------

_STARTS = ("=", "+", "-", "@", "\\t", "'")  # as written in TOML (a tab escaped)


@case("formulas", "source notes starting with = + - @ tab and '")
def _formulas(ws: Workspace) -> Run:
    text = (ws.raw / "sources.toml").read_text(encoding="utf-8")
    parts = text.split('\nnote = "')
    assert len(parts) > len(_STARTS)
    for index, start in enumerate(_STARTS, start=1):
        parts[index] = f"{start}cmd|' /C calc'!A0 " + parts[index]
    ws.write("sources.toml", '\nnote = "'.join(parts).encode("utf-8"))
    printed = {json.loads(f'"{start}"') + "cmd|' /C calc'!A0 " for start in _STARTS}

    def escaped() -> str | None:
        from ffdata.reading import read_table

        text = (ws.out / "data" / "processed" / "sources.csv").read_text(encoding="utf-8")
        live = [c for c in _cells(text) if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        if live:
            return f"cells arrived live: {live[:3]}"
        for fmt in ("csv", "parquet"):
            notes = read_table(ws.out, "sources", fmt)["note"].dropna()
            found = {n[: len(next(iter(printed))) + 1] for n in notes}
            kept = {p for p in printed if any(n.startswith(p) for n in notes)}
            if kept != printed:
                return f"notes as printed not recovered from the {fmt}: {sorted(found)[:8]}"
        return None

    return build_run(ws, expect="accepted", check=escaped)


def _cells(text: str) -> list[str]:
    import csv

    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


# --- 8. messages point at the damage --------------------------------------------------------


def _delete_lines(ws: Workspace, first: int, last: int) -> None:
    lines = (ws.raw / DOC).read_text(encoding="utf-8").split("\n")
    del lines[first - 1 : last]
    ws.write(DOC, "\n".join(lines).encode("utf-8"))


@case("messages", "Table 2 deleted")
def _no_table_2(ws: Workspace) -> Run:
    _delete_lines(ws, 140, 157)
    return build_run(ws, says=("Table 2", "missing"), check=None)


@case("messages", "Table 1 deleted")
def _no_table_1(ws: Workspace) -> Run:
    _delete_lines(ws, 109, 137)
    return build_run(ws, says=("Table 1", "missing"))


@case("messages", "Table 2 caption deleted")
def _no_caption_2(ws: Workspace) -> Run:
    _delete_lines(ws, 140, 140)
    return build_run(ws, says=("Table 2",))


@case("messages", "Table 2 header labels swapped")
def _swapped_header(ws: Workspace) -> Run:
    ws.edit(DOC, "No.\tCountry\tNon-official Data", "No.\tNon-official Data\tCountry")
    return build_run(ws, says=(f"{DOC}:142",))


@case("messages", "Table 1 header labels swapped")
def _swapped_header_1(ws: Workspace) -> Run:
    ws.edit(DOC, "No.\tCountry\tOfficial Count", "No.\tOfficial Count\tCountry")
    return build_run(ws, says=(f"{DOC}:111",))


@case("messages", "manifest: wrong type, with its line")
def _manifest_line(ws: Workspace) -> Run:
    ws.edit("manifest.toml", "size = 10229", 'size = "10229"')
    line = _line_of(ws.raw / "manifest.toml", 'size = "10229"')
    return build_run(ws, says=(f"manifest.toml:{line}",))


@case("messages", "manifest: unknown field, with its line")
def _manifest_unknown(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'author = "Song Niu"', 'autor = "Song Niu"')
    line = _line_of(ws.raw / "manifest.toml", 'autor = "Song Niu"')
    return build_run(ws, says=(f"manifest.toml:{line}", "autor"))


@case("messages", "manifest: missing field, with its entry's line")
def _manifest_missing(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'author = "Song Niu"\n', "")
    line = _line_of(ws.raw / "manifest.toml", 'document_id = "niu-2018-foreigners-in-is"') - 1
    return build_run(ws, says=(f"manifest.toml:{line}", "author"))


@case("messages", "manifest: bad sha256, with its line")
def _manifest_sha(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'sha256 = "96c4', 'sha256 = "XYZ')
    line = _line_of(ws.raw / "manifest.toml", 'sha256 = "XYZ')
    return build_run(ws, says=(f"manifest.toml:{line}",))


@case("messages", "manifest: path outside, with its line")
def _manifest_outside(ws: Workspace) -> Run:
    ws.edit(
        "manifest.toml", 'file = "002_882cd01f73eb6394.txt"', 'file = "../002_882cd01f73eb6394.txt"'
    )
    line = _line_of(ws.raw / "manifest.toml", 'file = "../002')
    return build_run(ws, says=(f"manifest.toml:{line}",))


@case("messages", "manifest: listed twice, with its line")
def _manifest_twice(ws: Workspace) -> Run:
    ws.edit(
        "manifest.toml", 'file = "001_681282505068cf96.txt"', 'file = "000_8e0687df2c6dbefb.txt"'
    )
    line = _line_of(ws.raw / "manifest.toml", 'document_id = "milton-ubaydi-hotel-caliphate"') - 1
    return build_run(ws, says=(f"manifest.toml:{line}",))


@case("messages", "manifest: bad published_date, with its line")
def _manifest_date(ws: Workspace) -> Run:
    ws.edit("manifest.toml", 'published_date = "2015-11-16"', 'published_date = "16/11/2015"')
    line = _line_of(ws.raw / "manifest.toml", 'published_date = "16/11/2015"')
    return build_run(ws, says=(f"manifest.toml:{line}",))


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text in line:
            return number
    raise AssertionError(text)
