"""Checking a built package: files, hashes, schemas, keys, CSV = Parquet, Frictionless.

This is what ``ffdata validate DIR`` runs. Every build runs it on its staging folder
before anything is moved into place, with the tables it validated in memory and without
Frictionless, which ``make data`` runs after the build as a target of its own.

Example (:func:`check_frictionless` shows the Frictionless part):
    >>> from ffdata.builder.inputs import default_raw_dir
    >>> check_package(default_raw_dir().parents[1], frictionless=False)   # the repository's own
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ffdata.errors import ValidationError
from ffdata.hashes import sha256_file
from ffdata.locate import DESCRIPTOR, PROCESSED
from ffdata.reading import read_table
from ffdata.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd


def check_files(root: Path) -> dict:
    """Check that ``datapackage.json`` lists every table and each file's bytes and sha256.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> len(check_files(default_raw_dir().parents[1])["resources"])
        14
    """
    path = root / DESCRIPTOR
    if not path.is_file():
        raise ValidationError(
            "no datapackage.json", document=str(path), hint="run `ffdata build` first"
        )
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"datapackage.json is not JSON ({exc})", document=str(path), hint="rebuild the package"
        ) from exc
    names = {r.get("name") for r in descriptor.get("resources", [])}
    for table in TABLES:
        for name in (table, f"{table}-parquet"):
            if name not in names:
                raise ValidationError(
                    f"resource {name!r} missing", document=str(path), hint="rebuild the package"
                )
    processed = (root / PROCESSED).resolve()
    for resource in descriptor["resources"]:
        file = root / str(resource.get("path", ""))
        if not file.resolve().is_relative_to(processed):  # checked before anything is read
            raise ValidationError(
                f"resource {resource.get('name')!r}: path {resource.get('path')!r} is outside "
                f"the package's {PROCESSED.as_posix()}/",
                document=str(path),
                hint="a package's tables live in data/processed/; rebuild the package",
            )
        if not file.is_file():
            raise ValidationError(
                "file of resource missing", document=str(file), hint="rebuild the package"
            )
        actual = f"sha256:{sha256_file(file)}"
        size = file.stat().st_size
        if actual != resource.get("hash") or size != resource.get("bytes", size):
            raise ValidationError(
                f"file differs from datapackage.json: hash {actual}, "
                f"expected {resource.get('hash')}",
                document=str(file),
                hint="the file was changed after the build; rebuild the package",
            )
    return descriptor


def check_csv_equals_parquet(root: Path) -> None:
    """Check that each table's CSV and Parquet files hold the same rows.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> check_csv_equals_parquet(default_raw_dir().parents[1])
    """
    import pandas as pd

    for name in TABLES:
        parquet = read_table(root, name, "parquet")
        csv = read_table(root, name, "csv")
        try:
            pd.testing.assert_frame_equal(parquet, csv, check_exact=True)
        except AssertionError as exc:
            raise ValidationError(
                f"CSV and Parquet differ: {str(exc).splitlines()[0]}",
                table=name,
                hint="rebuild the package",
            ) from exc


def check_frictionless(root: Path) -> None:
    """Run ``frictionless validate`` on ``datapackage.json``; raise with its first errors.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> check_frictionless(default_raw_dir().parents[1])
    """
    from frictionless import Package, system

    with system.use_context(trusted=False):
        report = Package(str(root / DESCRIPTOR)).validate()
    if not report.valid:
        errors = []
        for task in report.tasks:
            errors += [f"{task.name}: {e.message}" for e in task.errors[:3]]
        errors += [e.message for e in report.errors[:3]]
        raise ValidationError(
            "frictionless validation failed: " + " | ".join(errors[:5]),
            document=str(root / DESCRIPTOR),
            hint="rebuild the package; if it persists, report it",
        )


def check_read_back(root: Path, validated: dict[str, pd.DataFrame]) -> None:
    """Check that each Parquet file of ``root`` reads back as the frame that was validated.

    A build validates its tables in memory; this proves the published files hold exactly
    those rows and types, so they need not be validated a second time.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> from ffdata.reading import read_table
        >>> root = default_raw_dir().parents[1]
        >>> check_read_back(root, {name: read_table(root, name) for name in TABLES})
    """
    import pandas as pd

    for name in TABLES:
        try:
            pd.testing.assert_frame_equal(read_table(root, name), validated[name], check_exact=True)
        except AssertionError as exc:
            raise ValidationError(
                f"the Parquet file does not read back as the validated table: "
                f"{str(exc).splitlines()[0]}",
                table=name,
                hint="report it: the writer changed the data",
            ) from exc


def check_package(
    root: Path | str,
    *,
    frictionless: bool = True,
    validated: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Run every package check on the package at ``root``; raise on the first failure.

    ``validated``: the tables as a build validated them; the files are then checked to
    read back as exactly those tables instead of being validated again.

    Example: see the module docstring.
    """
    from ffdata.builder.atomic import JOURNAL_NAME
    from ffdata.builder.validate import validate_tables

    root = Path(root)
    if (root / JOURNAL_NAME).exists():
        raise ValidationError(
            "an interrupted build left its journal: the package may be half-replaced",
            document=str(root / JOURNAL_NAME),
            hint="run `ffdata build` again; it restores the previous package first",
        )
    check_files(root)
    if validated is None:
        validate_tables({name: read_table(root, name) for name in TABLES})
    else:
        check_read_back(root, validated)
    check_csv_equals_parquet(root)
    if frictionless:
        check_frictionless(root)
