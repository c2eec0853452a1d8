"""Checking a built package: files, hashes, schemas, keys, CSV = Parquet, Frictionless (what
``ffdata validate DIR`` runs, and every build on its staging folder).

Example:
    >>> check_package(Path("."), frictionless=False)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ffdata.builder.publish.atomic import JOURNAL_NAME
from ffdata.builder.publish.validate import validate_tables
from ffdata.errors import ValidationError
from ffdata.locate import DESCRIPTOR, PROCESSED
from ffdata.reading import read_table
from ffdata.tables import TABLES
from ffdata.verify import check_folder


def _descriptor(path: Path) -> dict:
    """``datapackage.json`` parsed, refusing anything but an object of resources."""
    if not path.is_file():
        raise _damaged(path, "no datapackage.json", "run `ffdata build` first")
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise _damaged(path, f"datapackage.json is not JSON ({reason})") from None
    except OSError as exc:
        why = f"cannot read datapackage.json ({exc.strerror})"
        raise _damaged(path, why, "fix its permissions") from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        why = "datapackage.json must be an object whose 'resources' is a list of objects"
        raise _damaged(path, why)
    return descriptor


def _damaged(path: Path, message: str, hint: str = "rebuild the package") -> ValidationError:
    return ValidationError(message, document=str(path), hint=hint)


def _check_files(root: Path) -> dict:
    """Check the folder as every reader does (:func:`ffdata.verify.check_folder`: links, a
    release's SHA256SUMS, each table's sha256), then that ``datapackage.json`` lists every
    table."""
    path = root / DESCRIPTOR
    descriptor = _descriptor(path)
    check_folder(root, error=ValidationError, hint="rebuild the package")
    names = {r.get("name") for r in descriptor["resources"] if isinstance(r.get("name"), str)}
    for table in TABLES:
        for name in (table, f"{table}-parquet"):
            if name not in names:
                raise _damaged(path, f"resource {name!r} missing")
    return descriptor


def read_checked(root: Path, name: str, fmt: str = "parquet") -> pd.DataFrame:
    """Read table ``name`` of a package, refusing a damaged file.

    Example:
        >>> len(read_checked(Path("."), "countries", "csv"))
        8
    """
    file = root / PROCESSED / f"{name}.{fmt}"
    try:
        return read_table(root, name, fmt)
    except (ValueError, KeyError, TypeError, OSError) as exc:  # pandas and pyarrow parse errors
        first = str(exc).splitlines()[0][:300] if str(exc) else ""
        raise _damaged(
            file,
            f"cannot read the {fmt.upper()} file ({type(exc).__name__}: {first})",
            "the file is damaged or not one ffdata wrote; rebuild the package",
        ) from None


def _check_same(
    frames: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame], message: str, hint: str
) -> None:
    """Raise ``message: <first difference>`` for the first table whose two frames differ."""
    for name in TABLES:
        left, right = frames[name], expected[name]
        if left.equals(right) and list(left.dtypes) == list(right.dtypes):
            continue
        try:
            pd.testing.assert_frame_equal(left, right, check_exact=True)
        except AssertionError as exc:
            difference = str(exc).splitlines()[0] if str(exc) else "the frames differ"
            raise ValidationError(f"{message}: {difference}", table=name, hint=hint) from None


def check_csv_equals_parquet(
    csv_frames: dict[str, pd.DataFrame], parquet_frames: dict[str, pd.DataFrame]
) -> None:
    """Check that each table's CSV and Parquet files hold the same rows.

    Example:
        >>> frames = {name: read_checked(".", name) for name in TABLES}
        >>> check_csv_equals_parquet({**frames, "countries": frames["countries"][:3]}, frames)
        Traceback (most recent call last):
        ...
        ffdata.errors.ValidationError: table countries: CSV and Parquet differ: DataFrame are different
          hint: rebuild the package
    """
    _check_same(parquet_frames, csv_frames, "CSV and Parquet differ", "rebuild the package")


def check_read_back(
    parquet_frames: dict[str, pd.DataFrame], validated: dict[str, pd.DataFrame]
) -> None:
    """Check that each Parquet file reads back as the frame that was validated.

    Example:
        >>> frames = {name: read_checked(".", name) for name in TABLES}
        >>> check_read_back(frames, frames)
    """
    message = "the Parquet file does not read back as the validated table"
    _check_same(parquet_frames, validated, message, "report it: the writer changed the data")


def check_frictionless(root: Path) -> None:
    """Run ``frictionless validate`` on ``datapackage.json``; raise with its first errors.

    Example:
        >>> check_frictionless(Path("."))
    """
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=False):
            report = Package(str(root / DESCRIPTOR)).validate()
    except FrictionlessException as exc:
        why = f"frictionless cannot read the package ({exc})"
        raise _damaged(root / DESCRIPTOR, why) from None
    if not report.valid:
        errors = []
        for task in report.tasks:
            errors += [f"{task.name}: {e.message}" for e in task.errors[:3]]
        errors += [e.message for e in report.errors[:3]]
        why = "frictionless validation failed: " + " | ".join(errors[:5])
        raise _damaged(root / DESCRIPTOR, why, "rebuild the package; if it persists, report it")


def check_package(
    root: Path | str,
    *,
    frictionless: bool = True,
    validated: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Run every check on the package at ``root``; with ``validated`` (a build's tables), the
    files must read back as them instead of being validated again.
    Example: see the module docstring."""
    root = Path(root)
    if (root / JOURNAL_NAME).exists():
        raise _damaged(
            root / JOURNAL_NAME,
            "an interrupted build left its journal: the package may be half-replaced",
            "run `ffdata build` again; it restores the previous package first",
        )
    _check_files(root)
    # each file read once; a damaged CSV is found before the slower checks
    csv_frames = {name: read_checked(root, name, "csv") for name in TABLES}
    parquet_frames = {name: read_checked(root, name) for name in TABLES}
    if validated is None:
        validate_tables(parquet_frames)
    else:
        check_read_back(parquet_frames, validated)
    check_csv_equals_parquet(csv_frames, parquet_frames)
    if frictionless:
        check_frictionless(root)
