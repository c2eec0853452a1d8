"""What changed between two versions of the data: rows added and removed, cells changed.

Rows are matched by the primary keys each ``datapackage.json`` declares, cells compared as
the CSV files publish them; a column's former names (:mod:`ffdata.tables`) and the
identifiers renamed since an earlier release (``reference/renamed_ids.json``, a row's former
key) pair them up.

Example:
    >>> from ffdata.locate import data_root
    >>> len(diff(data_root(), data_root()))
    0
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ffdata.errors import ReleaseError
from ffdata.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["table", "change", "key", "column", "old_value", "new_value"]
COLUMNS += ["old_text_as_printed", "new_text_as_printed"]
TEXT = "text_as_printed"

Reader = Callable[[str], bytes]
#: A CSV's columns and its rows by primary key.
Rows = tuple[list[str], dict[tuple[str, ...], dict[str, str]]]


def _package_reader(package: str | Path) -> tuple[str, Reader]:
    """A name for ``package`` and a reader of its files (relative name -> bytes)."""
    from ffdata.fetch import archive_files, release_root

    text = str(package)
    path = Path(text)
    if path.is_file():
        try:
            version, files = archive_files(text, path)
        except OSError as exc:
            raise ReleaseError(
                f"cannot read the archive ({exc.strerror or exc})",
                path=text,
                hint="give a release archive, a package folder or a version",
            ) from exc

        def read_archive(name: str) -> bytes:
            if name not in files:
                raise ReleaseError(
                    "the release holds no such file",
                    document=text,
                    text=name,
                    hint="give a release of ffdata (its datapackage.json names its files)",
                )
            return files[name]

        return version, read_archive
    root = release_root(package)
    resolved = root.resolve()

    def read_folder(name: str) -> bytes:
        target = (root / name).resolve()
        if not target.is_relative_to(resolved) or not target.is_file():
            raise ReleaseError(
                "the package holds no such file inside its folder",
                document=str(root / "datapackage.json"),
                text=name,
                hint="give a package folder whose datapackage.json names its own files",
            )
        try:
            return target.read_bytes()
        except OSError as exc:
            raise ReleaseError(
                f"cannot read the file ({exc.strerror or exc})",
                document=str(target),
                hint="give a package folder this user can read",
            ) from None

    return text, read_folder


def _key(key: object) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else tuple(str(k) for k in key)  # type: ignore[union-attr]


def _csv_tables(label: str, read: Reader) -> dict[str, tuple[tuple[str, ...], str]]:
    """Table name -> (primary key, CSV path) from a package's ``datapackage.json``."""
    try:
        descriptor = json.loads(read("datapackage.json").decode("utf-8"))
        tables = {
            str(r["name"]): (_key(r["schema"]["primaryKey"]), str(r["path"]))
            for r in descriptor["resources"]
            if str(r["path"]).endswith(".csv")
        }
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ReleaseError(
            f"cannot read the tables of the package ({type(exc).__name__}: {exc})",
            document=f"{label}: datapackage.json",
            hint="give an ffdata package: a release, an unpacked release or a package folder",
        ) from exc
    return tables


def _rows(label: str, read: Reader, path: str, key: tuple[str, ...]) -> Rows:
    refused = functools.partial(ReleaseError, document=f"{label}: {path}")
    try:
        text = read(path).decode("utf-8")
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        columns = list(reader.fieldnames or [])
        records = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise refused(
            f"cannot read the CSV ({type(exc).__name__}: {exc})",
            hint="the package is damaged: rebuild or refetch it, and check it with "
            "`ffdata validate`",
        ) from exc
    missing = [k for k in key if k not in columns]
    if missing:
        raise refused(
            f"primary key column(s) {', '.join(missing)} missing",
            hint="the CSV and its datapackage.json disagree: rebuild or refetch the package",
        )
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for number, row in enumerate(records, start=2):
        if None in row or None in row.values():
            raise refused(
                "row has not as many cells as the header",
                line=number,
                hint="the package is damaged: rebuild or refetch it",
            )
        values = tuple(row[k] for k in key)
        if values in rows:
            raise refused(
                "primary key appears twice",
                line=number,
                text="; ".join(f"{k}={v}" for k, v in zip(key, values, strict=True)),
                hint="the package is not valid: check it with `ffdata validate`",
            )
        rows[values] = row
    return columns, rows


def _renamed(table: str, old_columns: list[str], new_columns: list[str]) -> dict[str, str]:
    """New name -> old name of the columns of ``table`` renamed (``Column.formerly``)."""
    formers = {
        c.name: [n for n in c.formerly if n in old_columns and n not in new_columns]
        for c in (TABLES[table].columns if table in TABLES else ())
        if c.name in new_columns and c.name not in old_columns
    }
    return {name: former[0] for name, former in formers.items() if former}


#: Identifiers renamed, relative to the ``ffdata`` package folder.
RENAMED_RESOURCE = "reference/renamed_ids.json"


@functools.cache
def renamed_ids() -> dict[str, dict[str, str]]:
    """Identifier column -> {former identifier: current identifier}, from the package's
    ``reference/renamed_ids.json``.

    Example:
        >>> renamed_ids()["source_id"]["icsr-2015"]
        'icsr-defectors-2015'
    """
    from importlib import resources

    where = f"ffdata/{RENAMED_RESOURCE}"
    try:
        text = resources.files("ffdata").joinpath(RENAMED_RESOURCE).read_text("utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReleaseError(
            f"cannot read the renamed identifiers ({exc})",
            document=where,
            hint="restore the file from version control",
        ) from exc
    names = {k: v for k, v in data.items() if k != "about"} if isinstance(data, dict) else {}
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, str) for x in (*v, *v.values()))
        for v in names.values()
    ):
        raise ReleaseError(
            "renamed identifiers must map a column to {former: current} texts",
            document=where,
            hint="restore the file from version control",
        )
    return names


def _renamed_keys(
    key: tuple[str, ...], old: dict[tuple[str, ...], dict], new: dict[tuple[str, ...], dict]
) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Former key -> current key of the rows whose identifiers were renamed (renamed_ids).

    Example:
        >>> _renamed_keys(("source_id",), {("icsr-2015",): {}}, {("icsr-defectors-2015",): {}})
        {('icsr-2015',): ('icsr-defectors-2015',)}
    """
    out = {}
    for values in old.keys() - new.keys():
        current = tuple(
            renamed_ids().get(column, {}).get(value, value)
            for column, value in zip(key, values, strict=True)
        )
        if current != values and current in new and current not in old:
            out[values] = current
    return dict(sorted(out.items()))


def diff(old: str | Path, new: str | Path) -> pd.DataFrame:
    """Return every row added or removed and every cell changed from ``old`` to ``new`` (each
    a version, a release archive or a package folder). Example: the module docstring's."""
    import pandas as pd

    old_label, old_read = _package_reader(old)
    new_label, new_read = _package_reader(new)
    old_tables = _csv_tables(old_label, old_read)
    new_tables = _csv_tables(new_label, new_read)
    changes: list[dict[str, str]] = []
    for table in [*new_tables, *(t for t in old_tables if t not in new_tables)]:
        if table not in old_tables or table not in new_tables:
            changes.append(_change(table, f"table {'added' if table in new_tables else 'removed'}"))
            continue
        key = new_tables[table][0]
        if old_tables[table][0] != key:
            changes.append(_change(table, "primary key changed", column=", ".join(key)))
            continue
        old_rows = _rows(old_label, old_read, old_tables[table][1], key)
        new_rows = _rows(new_label, new_read, new_tables[table][1], key)
        changes += _table_changes(table, key, old_rows, new_rows)
    return pd.DataFrame(changes, columns=COLUMNS, dtype="string").fillna("").astype("string")


def _change(table: str, change: str, key: str = "", column: str = "", **values: str) -> dict:
    return {"table": table, "change": change, "key": key, "column": column, **values}


def _table_changes(table: str, key: tuple[str, ...], old: Rows, new: Rows) -> list[dict]:
    """The changes of one table whose key stayed: columns, then rows, then cells."""
    (old_columns, old_rows), (new_columns, new_rows) = old, new
    renamed = _renamed(table, old_columns, new_columns)  # new name -> old name
    changes = [
        _change(table, "column removed", column=column)
        for column in old_columns
        if column not in new_columns and column not in renamed.values()
    ]
    for column in new_columns:
        if column in renamed:
            changes.append(
                _change(table, "column renamed", column=f"{renamed[column]} -> {column}")
            )
        elif column not in old_columns:
            changes.append(_change(table, "column added", column=column))
    shared = [c for c in new_columns if c in old_columns and c not in key]
    pairs = [(c, c) for c in shared] + [(renamed[c], c) for c in renamed]

    def label(values: tuple[str, ...]) -> str:
        return "; ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))

    for values, current in _renamed_keys(key, old_rows, new_rows).items():
        old_rows[current] = old_rows.pop(values)
        text = {
            f"{age}_text_as_printed": rows[key_].get(TEXT, "")
            for age, rows, key_ in (("old", old_rows, current), ("new", new_rows, current))
        }
        changes.append(
            _change(table, "key renamed", label(current), old_value=label(values), **text)
            | {"new_value": label(current)}
        )

    for values in sorted(old_rows.keys() - new_rows.keys()):
        text = old_rows[values].get(TEXT, "")
        changes.append(_change(table, "row removed", label(values), old_text_as_printed=text))
    for values in sorted(new_rows.keys() - old_rows.keys()):
        text = new_rows[values].get(TEXT, "")
        changes.append(_change(table, "row added", label(values), new_text_as_printed=text))
    for values in sorted(old_rows.keys() & new_rows.keys()):
        before, after = old_rows[values], new_rows[values]
        changes += [
            _change(
                table,
                "cell changed",
                label(values),
                column,
                old_value=before[old_column],
                new_value=after[column],
                old_text_as_printed=before.get(TEXT, ""),
                new_text_as_printed=after.get(TEXT, ""),
            )
            for old_column, column in pairs
            if not _same_cell(table, column, before[old_column], after[column])
        ]
    return changes


def _same_cell(table: str, column: str, old: str, new: str) -> bool:
    """Whether two cells hold the same value: the same text, or in a number column the same
    number however written (``30000.0`` and ``30000``).

    Example:
        >>> _same_cell("aggregate_figures", "value", "30000.0", "30000")
        True
        >>> _same_cell("aggregate_figures", "figure_id", "1.0", "1")
        False
    """
    if old == new:
        return True
    spec = TABLES.get(table)
    names = {c.name: c.type for c in spec.columns} if spec else {}
    if names.get(column) != "number":
        return False
    try:
        return float(old) == float(new)
    except ValueError:
        return False


def diff_summary(changes: pd.DataFrame, old: str, new: str) -> str:
    """Return the CHANGELOG's data section from a diff: per table, what changed and how much.

    Example:
        >>> import pandas as pd
        >>> frame = pd.DataFrame([{"table": "countries", "change": "row added", "column": ""}])
        >>> diff_summary(frame, "0.1.0", "0.2.0").splitlines()[-1]
        '- `countries`: 1 row added'
    """
    lines = [
        f"### Data changes from {old} (generated by `ffdata diff {old} {new}`)",
        "",
        "Every change, cell by cell with the text as printed: `CHANGES.csv`.",
        "",
    ]
    if changes.empty:
        return "\n".join([*lines, "- no change in the data", ""])
    for table in dict.fromkeys(changes["table"]):
        rows = changes[changes["table"] == table]
        kinds = rows["change"]
        whole = ("table added", "table removed", "primary key changed")
        parts = [c for c in whole if (kinds == c).any()]
        for change in ("row added", "row removed"):
            if count := int((kinds == change).sum()):
                parts.append(f"{count} {change.replace('row', 'rows' if count > 1 else 'row')}")
        if count := int((kinds == "key renamed").sum()):
            parts.append(f"{count} key{'s' if count > 1 else ''} renamed")
        for change in ("column added", "column removed", "column renamed"):
            if names := list(rows.loc[kinds == change, "column"]):
                word = change.replace("column", "columns" if len(names) > 1 else "column")
                parts.append(f"{word}: {', '.join(names)}")
        cells = rows[kinds == "cell changed"]
        if len(cells):
            counts = cells["column"].value_counts(sort=False)
            detail = ", ".join(f"{column} {count}" for column, count in counts.items())
            parts.append(f"{len(cells)} cell{'s' if len(cells) > 1 else ''} changed ({detail})")
        lines.append(f"- `{table}`: {'; '.join(parts)}")
    return "\n".join(lines) + "\n"
