"""The raw layer: the manifest of ``data/raw/`` and hash-checked reading of its files.

Example:
    >>> read_manifest(default_raw_dir()).document("niu-2018-excerpt.txt").document_id
    'niu-2018-excerpt'
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import Any

from ffdata.builder.inputs.reader import Entry, Place, decode, parse_toml
from ffdata.builder.inputs.schema import INPUTS
from ffdata.errors import (
    ChecksumError,
    DocumentError,
    ErrorCollector,
    ExtractionError,
    ManifestError,
)
from ffdata.hashes import sha256_of

MANIFEST_NAME = "manifest.toml"
#: The largest raw file the build reads (a bigger one is refused before it is read).
MAX_RAW_FILE_BYTES = 2_000_000
#: How to record a reviewed change's new sha256 and size (the hints name it).
REPIN_COMMAND = "python -m ffdata.builder.tools.pin --raw-dir RAW_DIR FILE"
_LINE_BREAK = re.compile(r"\r\n|\n")  # as editors count lines: a lone CR is refused
_LONE_CR = re.compile(r"\r(?!\n)")
_LINE = object()


def _entry_class(name: str, section: str) -> Any:
    """A frozen dataclass of a manifest section's fields, as the schema declares them."""
    fields = [
        (f.name, f.type) if f.required else (f.name, f.type, field(default=f.default))
        for f in INPUTS[section].fields
    ]
    made = make_dataclass(name, fields, frozen=True)
    made.__module__ = __name__
    return made


#: A source document, a pinned reference data file and a pinned hand-written file.
DocumentEntry = _entry_class("DocumentEntry", "documents")
ReferenceEntry = _entry_class("ReferenceEntry", "references")
ReviewedEntry = _entry_class("ReviewedEntry", "reviewed")
_CLASSES = {"documents": DocumentEntry, "references": ReferenceEntry, "reviewed": ReviewedEntry}


@dataclass(frozen=True)
class Manifest:
    """Everything ``manifest.toml`` declares about a raw folder."""

    raw_dir: Path
    documents: tuple[DocumentEntry, ...]
    references: tuple[ReferenceEntry, ...]
    reviewed: tuple[ReviewedEntry, ...] = ()

    def document(self, file: str) -> DocumentEntry:
        """Return the entry of the document stored as ``file`` (module example)."""
        return self._find(self.documents, "file", file, "[[documents]]")

    def reference(self, reference_id: str) -> ReferenceEntry:
        """Return the reference file entry called ``reference_id``.

        Example:
            >>> read_manifest(default_raw_dir()).reference("un-m49-country-codes").licence
            'ODC-PDDL-1.0'
        """
        return self._find(self.references, "reference_id", reference_id, "[[references]]")

    def reviewed_table(self, reviewed_id: str) -> ReviewedEntry:
        """Return the ``[[reviewed]]`` entry called ``reviewed_id``.

        Example:
            >>> read_manifest(default_raw_dir()).reviewed_table("country-aliases").file
            'country_aliases.csv'
        """
        return self._find(self.reviewed, "reviewed_id", reviewed_id, "[[reviewed]]")

    def _find(self, entries: tuple, key: str, value: str, section: str) -> Any:
        for entry in entries:
            if getattr(entry, key) == value:
                return entry
        known = ", ".join(getattr(e, key) for e in entries)
        raise ManifestError(
            f"no {section} entry with {key} {value!r} in the manifest",
            document=str(self.raw_dir / MANIFEST_NAME),
            hint=f"add one; known: {known}",
        )


@dataclass(frozen=True)
class Document:
    """A verified source document, split into lines exactly as printed (``lines[0]`` is line 1)."""

    entry: DocumentEntry
    lines: tuple[str, ...]
    provenance_lines: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        """The file name, which is what error messages name."""
        return self.entry.file

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based).

        Example:
            >>> load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt").line(10)
            '1\\tTunisia\\t6000\\t7000'
        """
        return self.lines[number - 1]

    def refusal(self, line: int | None, message: str, hint: str, text: object = _LINE) -> Any:
        """An :class:`~ffdata.errors.ExtractionError` at ``line``, showing it (or ``text``).

        Example:
            >>> print(load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
            ...     .refusal(3, "an author", "none"))
            niu-2018-excerpt.txt:3: an author: 'Song Niu'
              hint: none
        """
        shown = self.line(line) if text is _LINE and line else None if text is _LINE else text
        return ExtractionError(message, document=self.file, line=line, text=shown, hint=hint)


def default_raw_dir() -> Path:
    """Return ``data/raw`` of the checkout in the working directory (else a PublishError).

    Example:
        >>> default_raw_dir().name
        'raw'
    """
    from ffdata.builder.tools.checkout import checkout_root

    return checkout_root() / "data" / "raw"


def _made(entry: Entry) -> Any:
    """An entry's dataclass; a document's ``published_date`` checked against the date printed."""
    from ffdata.builder.inputs.reviewed_dates import entry_date

    made = _CLASSES[str(entry.place.section)](**entry.values)
    if entry.place.section == "documents":
        printed = made.date_as_printed or made.date_found_online
        entry_date(entry, "published_date", made.published_date or None, printed, ManifestError)
    return made


def read_manifest(raw_dir: Path | str) -> Manifest:
    """Read and check ``manifest.toml`` of a raw folder (not the files' hashes).

    Example:
        >>> read_manifest(default_raw_dir()).documents[0].file
        'niu-2018-excerpt.txt'
    """
    raw_dir = Path(raw_dir)
    path = raw_dir / MANIFEST_NAME
    try:
        if not path.is_file():
            raise ManifestError(
                "no manifest in the raw folder",
                document=str(path),
                hint="point --raw-dir at a folder laid out like data/raw/ (with manifest.toml)",
            )
        data = refuse_outside(raw_dir, MANIFEST_NAME).read_bytes()
    except OSError as exc:
        raise ManifestError(
            f"cannot read the manifest ({type(exc).__name__}: {exc.strerror or exc})",
            document=str(path),
            hint="give a raw folder this user can read",
        ) from exc
    text = decode(data, str(path), ManifestError, "save manifest.toml as UTF-8")
    return _manifest_of(raw_dir, path, _LINE_BREAK.sub("\n", text))


@functools.lru_cache(maxsize=8)
def _manifest_of(raw_dir: Path, path: Path, text: str) -> Manifest:
    """The manifest ``text`` checked, once per text."""
    entries = parse_toml(text, str(path), *(INPUTS[section] for section in _CLASSES))
    if not any(entry.place.section == "documents" for entry in entries):
        raise ManifestError(
            "manifest lists no documents",
            document=str(path),
            hint="add a [[documents]] entry for each source document",
        )
    seen: dict[str, Place] = {}
    for entry in entries:
        key_id = entry[f"{entry.place.section.rstrip('s')}_id"]  # type: ignore[union-attr]
        for key in (_same_file(entry["file"]), key_id):
            if key in seen:
                raise ManifestError(
                    f"{key!r} is listed twice (first at {seen[key]})",
                    document=str(entry.place),
                    hint="keep one entry per file",
                )
            seen[key] = entry.place
        for prefix in ("", "provenance_") if entry.values.get("provenance_sha256") else ("",):
            _check_pin(entry, prefix)
    made = [_made(entry) for entry in entries]
    return Manifest(
        raw_dir,
        *(tuple(m for m in made if isinstance(m, cls)) for cls in _CLASSES.values()),
    )


def _same_file(file: str) -> str:
    """One spelling of a listed file (``./a.txt`` and ``a.txt`` are one file).

    Example:
        >>> _same_file("./docs//a.txt")
        'docs/a.txt'
    """
    return posixpath.normpath(file.replace("\\", "/"))


def _check_pin(entry: Entry, prefix: str) -> None:
    """A pinned file's size is within bounds and its path inside the raw folder."""
    file, size = entry[f"{prefix}file"], entry[f"{prefix}size"]
    if not 0 < size <= MAX_RAW_FILE_BYTES:
        raise ManifestError(
            f"size must be a positive byte count of at most {MAX_RAW_FILE_BYTES:,} (larger "
            "files are not read)",
            document=str(entry.at(f"{prefix}size")),
            text=f"{file}: size {size}",
            hint="copy it from `stat -c %s` of the file",
        )
    path = Path(file)
    if (
        not file
        or path.is_absolute()
        or ".." in path.parts
        or "\x00" in file
        or any(len(part.encode("utf-8")) > 255 for part in path.parts)
        or len(file) > 1024
    ):
        raise ManifestError(
            "manifest paths must stay inside the raw folder, each name at most 255 bytes",
            document=str(entry.at(f"{prefix}file")),
            text=file,
            hint="give the path relative to the raw folder, without '..'",
        )


def refuse_outside(raw_dir: Path, file: str) -> Path:
    """Return ``raw_dir/file``, refusing one that resolves outside ``raw_dir`` (a link out).

    Example:
        >>> refuse_outside(default_raw_dir(), "manifest.toml").name
        'manifest.toml'
    """
    path = raw_dir / file
    try:
        inside = path.resolve().is_relative_to(raw_dir.resolve())
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise ManifestError(
            f"cannot resolve the path ({exc})", document=str(path), hint="remove the link"
        ) from None
    if not inside:
        raise ManifestError(
            "file is a link to outside the raw folder",
            document=str(path),
            hint="copy the file into the raw folder; the build reads nothing outside it",
        )
    return path


def _listing_line(raw_dir: Path, file: str) -> int | None:
    """The line of the manifest that lists ``file``, if one does."""
    try:
        text = (raw_dir / MANIFEST_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    listing = re.compile(rf'\s*(?:provenance_)?file\s*=\s*"{re.escape(file)}"\s*')
    return next((n for n, line in enumerate(text.splitlines(), 1) if listing.fullmatch(line)), None)


def read_verified(raw_dir: Path, file: str, sha256: str, size: int) -> bytes:
    """Return the bytes of ``raw_dir/file`` after checking its size and sha256.

    Example:
        >>> e = read_manifest(default_raw_dir()).document("niu-2018-excerpt.txt")
        >>> len(read_verified(default_raw_dir(), e.file, e.sha256, e.size))
        1334
    """
    path = refuse_outside(raw_dir, file)
    try:
        found = path.stat().st_size if path.is_file() else None
        if found is not None and found <= MAX_RAW_FILE_BYTES:
            data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(
            f"cannot read the file ({exc.strerror or exc})",
            document=str(path),
            hint="give the build a raw folder it can read",
        ) from None
    if found is None:
        listed = _listing_line(raw_dir, file)
        raise ManifestError(
            "the file listed here is missing (or is not a file)",
            document=str(raw_dir / MANIFEST_NAME) if listed else str(path),
            line=listed,
            text=file,
            hint="restore it from the release, or remove its manifest entry",
        )
    if found > MAX_RAW_FILE_BYTES:
        raise ChecksumError(
            f"file is {found:,} bytes, larger than the {MAX_RAW_FILE_BYTES:,} bytes a raw file "
            f"may have (the manifest pins {size:,}); it was not read",
            document=file,
            hint="restore the original file",
        )
    actual = sha256_of(data)
    if actual != sha256 or len(data) != size:
        raise ChecksumError(
            f"sha256 differs from the manifest: expected {sha256} ({size} bytes), "
            f"found {actual} ({len(data)} bytes)",
            document=file,
            hint="restore the original file; if the change is intended, review it and record "
            f"its new sha256 and size in manifest.toml: `{REPIN_COMMAND}`",
        )
    return data


def decode_text(data: bytes, file: str) -> tuple[str, ...]:
    """Decode UTF-8 bytes (optional byte-order mark) into lines as printed: the lines an
    editor shows, numbered 1..n; a line break ends a line, so a final one opens no new line.

    Example:
        >>> decode_text(b"\\xef\\xbb\\xbfa\\r\\nb\\n", "x.txt"), decode_text(b"a\\n\\n", "y.txt")
        (('a', 'b'), ('a', ''))
    """
    hint = "save the document as UTF-8 and record its new sha256 in manifest.toml"
    text = decode(data.removeprefix(b"\xef\xbb\xbf"), file, DocumentError, hint)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DocumentError(
            "contains NUL characters (UTF-16 or binary?)",
            document=file,
            line=line,
            hint="save the document as UTF-8 text",
        )
    lone = _LONE_CR.search(text)
    if lone:
        raise DocumentError(
            "a carriage return alone inside a line (editors do not break the line there)",
            document=file,
            line=text.count("\n", 0, lone.start()) + 1,
            hint="remove it or end the line with a line feed, then record the document's "
            "new sha256 in manifest.toml",
        )
    lines = _LINE_BREAK.split(text)
    return tuple(lines[:-1] if len(lines) > 1 and not lines[-1] else lines)


def load_document(manifest: Manifest, file: str) -> Document:
    """Read a document of the manifest, verified, as lines.

    Example:
        >>> load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt").lines[2]
        'Song Niu'
    """
    entry = manifest.document(file)
    data = read_verified(manifest.raw_dir, entry.file, entry.sha256, entry.size)
    provenance: tuple[str, ...] = ()
    if entry.provenance_file:
        pinned = read_verified(
            manifest.raw_dir, entry.provenance_file, entry.provenance_sha256, entry.provenance_size
        )
        provenance = decode_text(pinned, entry.provenance_file)
    return Document(entry=entry, lines=decode_text(data, entry.file), provenance_lines=provenance)


def load_documents(manifest: Manifest, errors: ErrorCollector | None = None) -> dict[str, Document]:
    """Read every document of the manifest, each checked against its sha256.

    Example:
        >>> sorted(load_documents(read_manifest(default_raw_dir())))[1]
        'reference/icsr-foreign-fighters/data/icsr.csv'
    """
    collector = errors if errors is not None else ErrorCollector()
    docs = {}
    for entry in manifest.documents:
        with collector.attempt():
            docs[entry.file] = load_document(manifest, entry.file)
    if errors is None:
        collector.raise_if_any()
    return docs
