"""The reviewed TOML files beside the documents (sources, figures, not_figures), read pinned
and checked against the schema.

Example:
    >>> from ffdata.builder.inputs.manifest import default_raw_dir
    >>> read_entries(default_raw_dir(), "sources")[0]["source_id"]
    'soufan-2015'
"""

from __future__ import annotations

from pathlib import Path

from ffdata.builder.inputs.manifest import (
    MANIFEST_NAME,
    REPIN_COMMAND,
    Document,
    read_manifest,
    read_verified,
)
from ffdata.builder.inputs.reader import Entry, Place, decode, parse_toml
from ffdata.builder.inputs.schema import INPUTS
from ffdata.errors import FfdataError, ReviewedInputError


def read_entries(raw_dir: Path, name: str) -> list[Entry]:
    """Return the checked entries of the reviewed TOML input ``name`` (a key of ``INPUTS``)."""
    spec = INPUTS[name]
    path = raw_dir / spec.file
    if not path.is_file() and not path.is_symlink():
        raise ReviewedInputError(
            f"missing {spec.file}",
            document=str(path),
            hint="restore it from the repository's data/raw",
        )
    try:
        if not path.resolve().is_relative_to(raw_dir.resolve()):
            raise ReviewedInputError(
                f"{spec.file} is a link to outside the raw folder",
                document=str(path),
                hint="put the file itself in the raw folder",
            )
        pinned = [e for e in read_manifest(raw_dir).reviewed if e.file == spec.file]
        if not pinned:
            raise ReviewedInputError(
                f"{spec.file} is not pinned: manifest.toml has no [[reviewed]] entry for it",
                document=str(raw_dir / MANIFEST_NAME),
                hint=f"add a [[reviewed]] entry with file = {spec.file!r} and record its sha256 "
                f"and size: `{REPIN_COMMAND}`",
            )
        data = read_verified(raw_dir, spec.file, pinned[0].sha256, pinned[0].size)
    except (OSError, RuntimeError) as exc:
        raise ReviewedInputError(
            f"cannot read {spec.file} ({exc})", document=str(path), hint="restore the file"
        ) from None
    except FfdataError as exc:
        if isinstance(exc, ReviewedInputError):
            raise
        raise ReviewedInputError(
            exc.message, document=exc.document, line=exc.line, text=exc.text, hint=exc.hint
        ) from None
    text = decode(data, str(path), ReviewedInputError, f"save {spec.file} as UTF-8")
    return parse_toml(text, str(path), spec)


def entry_document(docs: dict[str, Document], file: str, where: Place) -> Document:
    """Return the document named ``file``, refusing one that the manifest does not list.

    Example:
        >>> entry_document({"a.txt": None}, "x.txt", Place("f.toml", 2))
        Traceback (most recent call last):
        ...
        ffdata.errors.ReviewedInputError: f.toml:2: names document 'x.txt', which the manifest does not list
          hint: use one of: a.txt
    """
    if file not in docs:
        raise ReviewedInputError(
            f"names document {file!r}, which the manifest does not list",
            **where.keywords(),
            hint=f"use one of: {', '.join(sorted(docs))}",
        )
    return docs[file]
