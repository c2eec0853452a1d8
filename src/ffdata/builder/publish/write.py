"""Writing a package (``datapackage.json``, a Parquet and a CSV per table), all or nothing.

Example:
    >>> from ffdata.builder.pipeline import run_pipeline
    >>> out = Path(tempfile.mkdtemp())
    >>> publish(run_pipeline("data/raw"), out)[0][1].as_posix()
    'data/processed/documents.csv'
"""

from __future__ import annotations

import contextlib
import errno
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from ffdata._version import __version__
from ffdata.builder.publish import atomic
from ffdata.builder.publish.package_check import check_package
from ffdata.csv_cells import escape_frame, format_numbers
from ffdata.errors import PublishError
from ffdata.hashes import sha256_file
from ffdata.loading import VERSION_KEY
from ffdata.locate import DESCRIPTOR, PROCESSED
from ffdata.tables import TABLES, Column, Table

if TYPE_CHECKING:
    import pandas as pd

    from ffdata.builder.state import BuildState


DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (the ffdata tables; credit the original "
    "sources too)",
}
REFERENCE_USE = {
    "un-m49-country-codes": "countries.region and countries.subregion (UN M49)",
    "worldbank-population": "countries.population_2015 and country_estimates.population (the "
    "population vintage of every per-capita rate, in country_estimates and regional_totals)",
}


def _field_descriptor(column: Column) -> dict:
    field: dict = {"name": column.name, "type": column.type, "description": column.description}
    constraints = {
        "required": column.required or None,
        "unique": column.unique or None,
        "enum": None if column.enum is None else list(column.enum),
        "minimum": column.minimum,
        "maximum": column.maximum,
        "pattern": column.pattern and column.pattern.removeprefix("^").removesuffix("$"),
    }
    constraints = {key: value for key, value in constraints.items() if value is not None}
    if constraints:
        field["constraints"] = constraints
    if column.unit:
        field["unit"] = column.unit
    return field


def table_schema(table: Table, *, with_foreign_keys: bool = True) -> dict:
    """Return the Frictionless Table Schema of ``table``.

    Example:
        >>> table_schema(TABLES["country_estimates"])["primaryKey"]
        ['source_id', 'iso3', 'estimate']
    """
    schema: dict = {
        "fields": [_field_descriptor(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if with_foreign_keys and table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {"resource": fk.table, "fields": list(fk.reference)},
            }
            for fk in table.foreign_keys
        ]
    return schema


def write_csv(frame: pd.DataFrame, path: Path, table: Table | None = None) -> None:
    """Write ``frame`` as UTF-8 CSV (LF, no index, nulls empty; cells a spreadsheet would run
    escaped when ``table`` is given).

    Example:
        >>> import pandas as pd, tempfile
        >>> p = Path(tempfile.mkdtemp()) / "t.csv"
        >>> write_csv(pd.DataFrame({"a": [1, None], "b": [2, 3]}, dtype="Int64"), p)
        >>> p.read_text()
        'a,b\\n1,2\\n,3\\n'
    """
    if table is not None:
        frame = format_numbers(escape_frame(frame, table), table)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_parquet(frame: pd.DataFrame, table: Table, path: Path) -> None:
    """Write ``frame`` as Parquet with the table's Arrow schema, fixed writer options and the
    dataset version in the file's key-value metadata (:data:`ffdata.loading.VERSION_KEY`).

    Example:
        >>> import tempfile, pyarrow.parquet as pq
        >>> from ffdata.builder.publish.assemble import to_frame
        >>> p = Path(tempfile.mkdtemp()) / "c.parquet"
        >>> write_parquet(to_frame("countries", []), TABLES["countries"], p)
        >>> pq.read_schema(p).names[:2]
        ['iso3', 'iso2']
        >>> pq.read_metadata(p).metadata[VERSION_KEY.encode()] == __version__.encode()
        True
    """
    types = dict(string=pa.string(), integer=pa.int64(), number=pa.float64(), boolean=pa.bool_())
    fields = [pa.field(c.name, types[c.type], nullable=not c.required) for c in table.columns]
    arrow = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
    metadata = {**(arrow.schema.metadata or {}), VERSION_KEY.encode(): __version__.encode()}
    arrow = arrow.replace_schema_metadata(metadata)
    pq.write_table(
        arrow,
        path,
        compression="zstd",
        compression_level=9,
        use_dictionary=True,
        write_statistics=True,
        data_page_version="2.0",
        version="2.6",
    )


def _sources_descriptor(result: BuildState) -> list[dict]:
    sources = []
    for row in result.tables["sources"].itertuples(index=False):
        title = f"{row.producer}: {row.title}" if isinstance(row.title, str) else row.producer
        sources.append({"title": title} | ({"path": row.url} if isinstance(row.url, str) else {}))
    for ref in result.manifest.references:
        title = f"{ref.producer}: {ref.title} ({ref.licence}; copy of commit {ref.commit}, "
        sources.append({"title": title + f"sha256 {ref.sha256})", "path": ref.origin})
    for doc in result.manifest.documents:
        kind = "data file" if doc.provenance_file else "untitled document"
        title = doc.title or f"{kind} by {doc.author}"
        url = doc.url or doc.url_found_online
        entry = {"title": f"{doc.author or doc.publisher}: {title} (data/raw/{doc.file})"}
        sources.append(entry | ({"path": url} if url else {}))
    return sources


def datapackage(result: BuildState, out_dir: Path) -> dict:
    """Return the ``datapackage.json`` descriptor for the files written in ``out_dir``.
    Example: see :func:`publish`."""
    resources = []
    for name, table in TABLES.items():
        for fmt in ("csv", "parquet"):
            rel = PROCESSED / f"{name}.{fmt}"
            path = out_dir / rel
            resource = {
                "name": name if fmt == "csv" else f"{name}-parquet",
                "title": table.title + ("" if fmt == "csv" else " (Parquet)"),
                "description": table.description,
                "path": rel.as_posix(),
                "profile": "tabular-data-resource",
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                "hash": f"sha256:{sha256_file(path)}",
                "schema": table_schema(table, with_foreign_keys=fmt == "csv"),
            }
            if fmt == "csv":  # frictionless reports no byte count for Parquet
                resource["bytes"] = path.stat().st_size
                resource["encoding"] = "utf-8"
            resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "ffdata",
        "title": "Foreign fighters in Syria and Iraq as each source defines them: country "
        "figures with provenance",
        "description": "Country-level estimates of foreign fighters by ICSR (December 2013 "
        "and January 2015, ranges kept as ranges), the Soufan Group (December 2015) and the "
        "Institute for Economics and Peace (Global Terrorism Index 2015), and figures that "
        "are not per country (totals, shares, ages: among them a World Bank study of 3,803 "
        "foreign fighters who joined IS in 2013-2014, reported by Quartz in October 2016), "
        "extracted from source documents and a data file with the document, line "
        "and text of every figure, and ISO dates of what each refers to. Estimates reported "
        "by others, of different dates, groups and methods (each source's universe is in "
        "the sources table: groups_counted, place_counted, count_kind, listing_threshold, "
        "not_listed_means): compare with care. Parquet "
        "resources repeat the CSV ones; foreign keys are declared on the CSV resources.",
        "version": __version__,
        "licenses": [DATA_LICENCE],
        "reference_data": [
            {
                "id": ref.reference_id,
                **{
                    k: getattr(ref, k) for k in ("title", "producer", "licence", "origin", "commit")
                },
                "file": f"data/raw/{ref.file}",
                "sha256": ref.sha256,
                "used_for": REFERENCE_USE.get(ref.reference_id, ""),
            }
            for ref in result.manifest.references
        ],
        "sources": _sources_descriptor(result),
        "keywords": ["foreign fighters", "Islamic State", "ISIS", "Syria", "Iraq"],
        "resources": resources,
    }


def _write_all(result: BuildState, stage: Path) -> None:
    processed = stage / PROCESSED
    processed.mkdir(parents=True)
    for name, table in TABLES.items():
        frame = result.tables[name]
        write_csv(frame, processed / f"{name}.csv", table)
        write_parquet(frame, table, processed / f"{name}.parquet")
    text = json.dumps(datapackage(result, stage), indent=2, ensure_ascii=False) + "\n"
    (stage / DESCRIPTOR).write_text(text, encoding="utf-8")


def _same_as_published(stage: Path, out_dir: Path, files: list[Path]) -> bool:
    for rel in files:
        old, new = out_dir / rel, stage / rel
        if not old.is_file() or old.read_bytes() != new.read_bytes():
            return False
    published = out_dir / PROCESSED
    return {p.name for p in published.iterdir()} == {p.name for p in files if p.parent == PROCESSED}


def publish(result: BuildState, out_dir: Path | str) -> tuple[list[Path], bool]:
    """Write the package into ``out_dir``, all or nothing; return (paths written, changed).
    Example: see the module docstring."""
    out_dir = Path(out_dir)
    written = [
        Path(DESCRIPTOR),
        *(PROCESSED / f"{n}.{f}" for n in TABLES for f in ("csv", "parquet")),
    ]
    try:
        return _publish_locked(result, out_dir, written)
    except OSError as exc:  # nothing published was touched: replace_package restores its own
        hint = (
            "free space (bytes or inodes: `df -h`, `df -i`) on the output folder's disk, then "
            "build again"
            if exc.errno in (errno.ENOSPC, errno.EDQUOT)
            else "give an output folder this user can write to, then build again"
        )
        where = f" ({exc.filename})" if exc.filename else ""
        why = f"cannot write the package: {exc.strerror or exc}{where}; the published files are "
        raise PublishError(why + "untouched", path=str(out_dir), hint=hint) from None


def _refuse_unrelated(out_dir: Path, written: list[Path]) -> None:
    processed = out_dir / PROCESSED
    if not processed.is_dir():
        return
    ours = {rel.name for rel in written if rel.parent == PROCESSED}
    others = sorted(p.name for p in processed.iterdir() if p.name not in ours)
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise PublishError(
            f"{PROCESSED.as_posix()}/ holds files the build did not write: {shown}",
            path=str(out_dir),
            hint=f"move them out of {PROCESSED.as_posix()}/ (a build replaces the folder as a "
            "whole), or publish into another folder",
        )


def _make_stage(out_dir: Path) -> Path:
    """The staging folder, beside the published files (moving it in is a rename)."""
    return Path(tempfile.mkdtemp(prefix=".ffdata-staging-", dir=out_dir))


def _publish_locked(
    result: BuildState, out_dir: Path, written: list[Path]
) -> tuple[list[Path], bool]:
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(atomic.locked(out_dir))
        except OSError as exc:
            why, hint = (
                f"cannot write to the output folder ({exc})",
                "choose a folder you can write to",
            )
            raise PublishError(why, path=str(out_dir), hint=hint) from exc
        atomic.recover(out_dir)
        atomic.refuse_links(out_dir)
        _refuse_unrelated(out_dir, written)
        stage = _make_stage(out_dir)
        stack.callback(shutil.rmtree, stage, ignore_errors=True)
        _write_all(result, stage)
        atomic.fault("staged")
        if _same_as_published(stage, out_dir, written):
            return written, False
        # the tables were validated in memory: the files must read back as them
        check_package(stage, frictionless=False, validated=result.tables)
        atomic.fault("checked")
        atomic.replace_package(stage, out_dir)
    return written, True
