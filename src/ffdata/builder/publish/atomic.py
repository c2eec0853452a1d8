"""Replacing a published package all or nothing, under a lock: renames guarded by a journal
that :func:`recover` undoes after a crash. ``FFDATA_FAULT=<point>:raise`` (or ``:kill``) fails
at one of :data:`FAULT_POINTS` (a test hook).

Example:
    >>> out = Path(tempfile.mkdtemp())
    >>> with locked(out):
    ...     recover(out)
    False
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ffdata.errors import PublishError
from ffdata.locate import DESCRIPTOR, PROCESSED

LOCK_NAME = ".ffdata.lock"
JOURNAL_NAME = ".ffdata-journal.json"
FAULT_ENV = "FFDATA_FAULT"
FAULT_POINTS = (
    "staged",
    "checked",
    "journal-written",
    "old-tables-moved",
    "old-descriptor-moved",
    "new-tables-moved",
    "new-descriptor-moved",
    "committed",
)


def fault(point: str) -> None:
    """Fail here if ``FFDATA_FAULT`` names this point.

    Example:
        >>> fault("staged")  # FFDATA_FAULT unset: nothing happens
    """
    name, _, mode = os.environ.get(FAULT_ENV, "").partition(":")
    if name != point:
        return
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise PublishError(f"fault injected at {point}", hint=f"unset {FAULT_ENV}")


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the exclusive build lock of ``out_dir``. Example: see the module docstring."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        hint = "a build never follows it; delete the link and build again"
        why = f"the lock file {LOCK_NAME} is a symbolic link"
        raise PublishError(why, document=str(path), hint=hint) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            hint = "delete it and build again"
            why = f"the lock file {LOCK_NAME} is not a regular file"
            raise PublishError(why, document=str(path), hint=hint)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_json_atomic(path: Path, data: dict) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def recover(out_dir: Path) -> bool:
    """Undo an interrupted replacement and remove a killed build's leftovers (lock held);
    return whether there was one to undo. Example: see the module docstring."""
    journal = out_dir / JOURNAL_NAME
    recovered = False
    if journal.exists() or journal.is_symlink():
        state = _read_journal(out_dir)
        backup = out_dir / state["backup"]
        for relative, had in (
            (PROCESSED, state["had_tables"]),
            (Path(DESCRIPTOR), state["had_descriptor"]),
        ):
            current = out_dir / relative
            saved = backup / relative.name
            if had and saved.exists():
                _remove(current)
                current.parent.mkdir(parents=True, exist_ok=True)
                os.replace(saved, current)
            elif not had:
                _remove(current)
        _fsync_dir(out_dir)
        journal.unlink()
        recovered = True
    for leftover in [*out_dir.glob(".ffdata-staging-*"), *out_dir.glob(".ffdata-backup-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    (out_dir / (JOURNAL_NAME + ".partial")).unlink(missing_ok=True)
    return recovered


_BACKUP = re.compile(r"\.ffdata-backup-[A-Za-z0-9_]+")


def _read_journal(out_dir: Path) -> dict:
    """Return the journal of an interrupted replacement, refusing one a build did not write."""
    path = out_dir / JOURNAL_NAME
    hint = (
        "it was not written by a build (a build writes it whole); if no build is running, check "
        f"the published files with `ffdata validate`, delete {JOURNAL_NAME} and build again"
    )

    def corrupt(why: str, text: str | None = None) -> PublishError:
        return PublishError(
            f"the build journal is corrupt: {why}", document=str(path), text=text, hint=hint
        )

    if path.is_symlink() or not path.is_file():
        raise corrupt("it is not a regular file")
    try:
        with open(path, "rb") as handle:
            data = handle.read(4097)
        if len(data) > 4096:
            raise corrupt("it is larger than a journal can be")
        state = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise corrupt(f"it is not JSON ({type(exc).__name__})") from None
    except OSError as exc:
        raise corrupt(f"it cannot be read ({exc.strerror})") from None
    keys = {"backup", "had_tables", "had_descriptor"}
    if not isinstance(state, dict) or set(state) != keys:
        raise corrupt(f"it must hold exactly the keys {sorted(keys)}", repr(state)[:200])
    if {type(state["had_tables"]), type(state["had_descriptor"])} != {bool}:
        raise corrupt("had_tables and had_descriptor must be true or false", repr(state)[:200])
    backup = state["backup"]
    if not isinstance(backup, str) or not _BACKUP.fullmatch(backup):
        why = "its backup must be a .ffdata-backup-* folder of the output folder"
        raise corrupt(why, str(backup))
    if (out_dir / backup).is_symlink() or (
        (out_dir / backup).exists() and not (out_dir / backup).is_dir()
    ):
        raise corrupt("its backup folder is a link or not a folder", backup)
    for saved, folder in (
        (out_dir / backup / PROCESSED.name, True),
        (out_dir / backup / DESCRIPTOR, False),
    ):
        if os.path.lexists(saved) and not _as_written(saved, folder):
            why = "its backup holds a link or what a build never writes (plain files only)"
            raise corrupt(why, str(saved.relative_to(out_dir)))
    return state


def _as_written(saved: Path, folder: bool) -> bool:
    """Whether a backed-up ``saved`` is what a build wrote: a plain file, or a plain folder
    of plain files."""
    if saved.is_symlink() or not (saved.is_dir() if folder else saved.is_file()):
        return False
    return not folder or all(not p.is_symlink() and p.is_file() for p in saved.iterdir())


def refuse_links(out_dir: Path) -> None:
    """Refuse to publish when a path the build replaces is a symbolic link.

    Example:
        >>> refuse_links(Path(tempfile.mkdtemp()))  # an empty folder: nothing to refuse
    """
    for relative in (PROCESSED.parent, PROCESSED, Path(DESCRIPTOR)):
        if (out_dir / relative).is_symlink():
            raise PublishError(
                f"{relative.as_posix()} is a symbolic link; a build replaces it and never "
                "writes through a link",
                document=str(out_dir / relative),
                hint="replace the link with the folder or file itself, or publish elsewhere",
            )


def replace_package(stage: Path, out_dir: Path) -> None:
    """Move ``stage``'s package into ``out_dir`` (lock held), all or nothing.
    Example: see :func:`ffdata.builder.publish.write.publish`."""
    tables, descriptor = out_dir / PROCESSED, out_dir / DESCRIPTOR
    backup = Path(tempfile.mkdtemp(prefix=".ffdata-backup-", dir=out_dir))
    state = dict(backup=backup.name, had_tables=tables.exists(), had_descriptor=descriptor.exists())
    try:
        _write_json_atomic(out_dir / JOURNAL_NAME, state)
        fault("journal-written")
        if state["had_tables"]:
            os.replace(tables, backup / PROCESSED.name)
        fault("old-tables-moved")
        if state["had_descriptor"]:
            os.replace(descriptor, backup / DESCRIPTOR)
        fault("old-descriptor-moved")
        tables.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / PROCESSED, tables)
        fault("new-tables-moved")
        os.replace(stage / DESCRIPTOR, descriptor)
        fault("new-descriptor-moved")
        _fsync_dir(out_dir)
        (out_dir / JOURNAL_NAME).unlink()  # the commit point
        _fsync_dir(out_dir)
    except (OSError, PublishError) as exc:
        recover(out_dir)
        if isinstance(exc, PublishError):
            raise
        raise PublishError(
            f"could not move the new files into place ({exc}); the published files are "
            "untouched (the old ones were put back)",
            path=str(out_dir),
            hint="check permissions and free space of the output folder",
        ) from exc
    shutil.rmtree(backup, ignore_errors=True)
    fault("committed")


def write_whole(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) beside ``path`` and move it in.

    Example:
        >>> target = Path(tempfile.mkdtemp()) / "a.html"
        >>> write_whole(target, "<p>x</p>")
        >>> [p.name for p in target.parent.iterdir()]
        ['a.html']
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.partial")
    try:
        if isinstance(text, bytes):
            aside.write_bytes(text)
        else:
            aside.write_text(text, encoding="utf-8", newline="\n")
        os.replace(aside, path)
    finally:
        aside.unlink(missing_ok=True)
