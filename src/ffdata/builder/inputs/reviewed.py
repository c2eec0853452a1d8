"""Reading the reviewed TOML files kept beside the documents.

``sources.toml``, ``figures.toml`` and ``not_figures.toml`` are arrays of tables;
this module reads them, places each entry (``file:line [[section]] #n``), refuses
unknown keys, and gives typed access to an entry's fields and checked ids.

Example:
    >>> from ffdata.builder.inputs.manifest import default_raw_dir
    >>> entries = read_reviewed_entries(default_raw_dir() / "figures.toml", "figures")
    >>> set(entries[0]) <= ALLOWED_KEYS["figures"]
    True
"""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from pathlib import Path

from ffdata.builder.inputs.manifest import (
    CONTROL_CHARACTERS,
    Document,
    at_field,
    entry_places_in,
    read_reviewed_file,
    toml_error,
)
from ffdata.errors import FfdataError, ReviewedInputError

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def entry_places(path: Path, section: str, count: int) -> list[str]:
    """Return ``file:line [[section]] #n`` for each of the ``count`` entries of a TOML file.

    The line is that of the entry's ``[[section]]`` header, so that an error about an
    entry points at it.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "f.toml"
        >>> _ = path.write_text("# notes\\n[[figures]]\\na = 1\\n\\n[[figures]]\\na = 2\\n")
        >>> [place.split("/")[-1] for place in entry_places(path, "figures", 2)]
        ['f.toml:2 [[figures]] #1', 'f.toml:5 [[figures]] #2']
    """
    return entry_places_in(path, path.read_text(encoding="utf-8"), section, count)


#: The keys each reviewed file's entries may have; any other key is a typo.
ALLOWED_KEYS = {
    "sources": {
        "source_id",
        "producer",
        "title",
        "date_as_printed",
        "published_date",
        "url",
        "cited_in",
        "footnote",
        "citation",
        "continuation",
        "second_hand",
        "note",
        "licence",
        "country_estimates",
    },
    "figures": {
        "figure_id",
        "source_id",
        "document",
        "quote",
        "number",
        "metric",
        "value",
        "value_low",
        "value_high",
        "unit",
        "qualifier",
        "refers_to",
        "who_is_counted",
        "producer",
        "topic",
        "country",
        "refers_to_date",
    },
    "not_figures": {"document", "quote", "number", "reason", "repeats"},
}


def read_reviewed_entries(path: Path, section: str) -> list[dict]:
    """Return the ``[[section]]`` entries of a reviewed TOML file, refusing typos and shapes.

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir
        >>> len(read_reviewed_entries(default_raw_dir() / "sources.toml", "sources")) > 30
        True
    """
    text = _reviewed_text(path)
    try:
        data = copy.deepcopy(_parsed_toml(text))  # callers may change what they are given
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise toml_error(exc, text, path, path.name, ReviewedInputError) from None
    entries = data.get(section, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReviewedInputError(
            f"{path.name}: [{section}] must be an array of tables",
            document=str(path),
            hint=f"write each entry under its own [[{section}]] header",
        )
    places = entry_places_in(path, text, section, len(entries))
    for entry, where in zip(entries, places, strict=True):
        unknown = sorted(set(entry) - ALLOWED_KEYS[section])
        if unknown:
            raise ReviewedInputError(
                f"unknown field(s) {', '.join(unknown)}",
                document=where,
                hint=f"check the spelling; allowed: {', '.join(sorted(ALLOWED_KEYS[section]))}",
            )
        _refuse_control_characters(entry, "", where, text)
    return list(entries)


@functools.lru_cache(maxsize=16)
def _parsed_toml(text: str) -> dict:
    """``tomllib.loads(text)``, parsed once per text: the reviewed files are the same from
    one build to the next in a process (the tests build hundreds of damaged copies)."""
    return tomllib.loads(text)


def _reviewed_text(path: Path) -> str:
    """The text of a reviewed file, read only when it is inside the raw folder and matches
    its pin in the manifest."""
    if not path.is_file() and not path.is_symlink():
        raise ReviewedInputError(
            f"missing {path.name}",
            document=str(path),
            hint="restore it from the repository's data/raw",
        )
    try:
        if not path.resolve().is_relative_to(path.parent.resolve()):
            raise ReviewedInputError(
                f"{path.name} is a link to outside the raw folder",
                document=str(path),
                hint="put the file itself in the raw folder",
            )
        data = read_reviewed_file(path.parent, path.name)
    except (OSError, RuntimeError) as exc:
        raise ReviewedInputError(
            f"cannot read {path.name} ({exc})", document=str(path), hint="restore the file"
        ) from None
    except FfdataError as exc:
        if isinstance(exc, ReviewedInputError):
            raise
        raise ReviewedInputError(
            exc.message, document=exc.document, line=exc.line, text=exc.text, hint=exc.hint
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReviewedInputError(
            f"{path.name} is not valid UTF-8 ({exc.reason})",
            document=str(path),
            line=line,
            hint="save it as UTF-8",
        ) from None


def _refuse_control_characters(value: object, key: str, where: str, text: str) -> None:
    """Refuse a control character (a line break, an escape) in any text of an entry;
    ``key`` is the field holding ``value`` at any depth ("" for the entry itself)."""
    if isinstance(value, dict):  # the entry itself (key ""), or a table inside it
        inner = f"{where} [{key}]" if key else where
        for name, item in value.items():
            _refuse_control_characters(item, name, inner, text)
    elif isinstance(value, list):
        for item in value:
            _refuse_control_characters(item, key, where, text)
    elif isinstance(value, str) and (found := CONTROL_CHARACTERS.search(value)):
        raise ReviewedInputError(
            f"{key} holds a control character ({found.group()!r})",
            document=at_field(where, text, key),
            text=value,
            hint="write it on one line, without line breaks or other control characters",
        )


def read_toml_entries(raw_dir: Path, name: str, section: str) -> list[tuple[dict, str]]:
    """Return each ``[[section]]`` entry of ``raw_dir/name`` with its place (file:line).

    Example:
        >>> from ffdata.builder.inputs.manifest import default_raw_dir
        >>> entry, where = read_toml_entries(default_raw_dir(), "sources.toml", "sources")[0]
        >>> entry["source_id"], where.split("/")[-1]
        ('soufan-2015', 'sources.toml:38 [[sources]] #1')
    """
    path = raw_dir / name
    entries = read_reviewed_entries(path, section)
    places = entry_places_in(path, _reviewed_text(path), section, len(entries))
    return list(zip(entries, places, strict=True))


def typed_field(entry: dict, key: str, kind: type, where: str, default: object = ...) -> object:
    """Return ``entry[key]`` checked to be a ``kind`` (an int is accepted as a float).

    Without a ``default`` the field is required; ``where`` places the error.

    Example:
        >>> typed_field({"value": 3}, "value", float, "f.toml:2")
        3.0
        >>> typed_field({}, "note", str, "f.toml:2", "")
        ''
        >>> typed_field({"value": "3"}, "value", float, "f.toml:2")
        Traceback (most recent call last):
        ...
        ffdata.errors.ReviewedInputError: f.toml:2: field 'value' should be float: "'3'"
          hint: quote text, write numbers bare and booleans as true/false
    """
    if key not in entry:
        if default is ...:
            raise ReviewedInputError(
                f"entry lacks the field {key!r}", document=where, hint="add it"
            )
        return default
    value = entry[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        raise ReviewedInputError(
            f"field {key!r} should be {kind.__name__}",
            document=where,
            text=repr(value),
            hint="quote text, write numbers bare and booleans as true/false",
        )
    return value


def new_id(entry: dict, key: str, taken: set[str], where: str) -> str:
    """Return the id ``entry[key]``, refusing one already ``taken`` or not lower-case-with-dashes.

    Example:
        >>> new_id({"figure_id": "iep-2015-total"}, "figure_id", set(), "f.toml:2")
        'iep-2015-total'
        >>> new_id({"figure_id": "IEP 2015"}, "figure_id", set(), "f.toml:2")
        Traceback (most recent call last):
        ...
        ffdata.errors.ReviewedInputError: f.toml:2: figure_id must be unique and lower-case-with-dashes: 'IEP 2015'
          hint: rename the entry, e.g. producer-year-what
    """
    value = str(typed_field(entry, key, str, where))
    if not _ID.fullmatch(value) or value in taken:
        raise ReviewedInputError(
            f"{key} must be unique and lower-case-with-dashes",
            document=where,
            text=value,
            hint="rename the entry, e.g. producer-year-what",
        )
    return value


def entry_document(docs: dict[str, Document], file: str, where: str) -> Document:
    """Return the document named ``file``, refusing one that the manifest does not list.

    Example:
        >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "002_882cd01f73eb6394.txt")
        >>> entry_document({doc.file: doc}, doc.file, "f.toml:2") is doc
        True
        >>> entry_document({doc.file: doc}, "x.txt", "f.toml:2")
        Traceback (most recent call last):
        ...
        ffdata.errors.ReviewedInputError: f.toml:2: names document 'x.txt', which the manifest does not list
          hint: use one of: 002_882cd01f73eb6394.txt
    """
    if file not in docs:
        raise ReviewedInputError(
            f"names document {file!r}, which the manifest does not list",
            document=where,
            hint=f"use one of: {', '.join(sorted(docs))}",
        )
    return docs[file]
