"""The raw layer: the manifest of ``data/raw/`` and hash-checked reading of its files.

A raw folder holds the source documents byte for byte, the pinned reference
data under ``reference/``, reviewed tables written by hand (the country aliases)
and ``manifest.toml``, which records each file's sha256 and size. Nothing is
read from a raw folder without checking it first.

Example:
    >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
    >>> manifest = read_manifest(default_raw_dir())
    >>> manifest.document("002_882cd01f73eb6394.txt").document_id
    'niu-2018-foreigners-in-is'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

from ffdata.errors import ChecksumError, DocumentError, ErrorCollector, ManifestError
from ffdata.hashes import sha256_of

MANIFEST_NAME = "manifest.toml"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class DocumentEntry:
    """One source document as the manifest describes it."""

    document_id: str
    file: str
    sha256: str
    size: int
    title: str
    author: str
    publisher: str
    date_as_printed: str
    url: str
    url_found_online: str
    date_found_online: str
    note: str
    licence_note: str
    #: date_as_printed (else date_found_online) in ISO 8601, reviewed; "" when neither.
    published_date: str = ""
    #: A data file (not a text) comes with the file that says what its columns mean
    #: and which publications its rows copy, pinned like the rest; empty for a text.
    provenance_file: str = ""
    provenance_sha256: str = ""
    provenance_size: int = 0


@dataclass(frozen=True)
class ReferenceEntry:
    """One pinned reference data file (regions, population) with its provenance."""

    reference_id: str
    file: str
    sha256: str
    size: int
    title: str
    producer: str
    origin: str
    commit: str
    licence: str
    provenance_file: str


@dataclass(frozen=True)
class ReviewedEntry:
    """One pinned table written and reviewed by hand (``[[reviewed]]``), e.g. country aliases."""

    reviewed_id: str
    file: str
    sha256: str
    size: int
    title: str
    note: str


@dataclass(frozen=True)
class Manifest:
    """Everything ``manifest.toml`` declares about a raw folder."""

    raw_dir: Path
    documents: tuple[DocumentEntry, ...]
    references: tuple[ReferenceEntry, ...]
    reviewed: tuple[ReviewedEntry, ...] = ()

    def document(self, file: str) -> DocumentEntry:
        """Return the entry of the document stored as ``file``.

        Example:
            >>> m = read_manifest(default_raw_dir())
            >>> m.document("002_882cd01f73eb6394.txt").author
            'Song Niu'
        """
        return self._find(self.documents, "file", file, "[[documents]]")

    def reference(self, reference_id: str) -> ReferenceEntry:
        """Return the reference file entry called ``reference_id``.

        Example:
            >>> m = read_manifest(default_raw_dir())
            >>> m.reference("un-m49-country-codes").licence
            'ODC-PDDL-1.0'
        """
        return self._find(self.references, "reference_id", reference_id, "[[references]]")

    def reviewed_table(self, reviewed_id: str) -> ReviewedEntry:
        """Return the ``[[reviewed]]`` entry called ``reviewed_id``.

        Example:
            >>> m = read_manifest(default_raw_dir())
            >>> m.reviewed_table("country-aliases").file
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
    """A verified source document, split into lines exactly as printed.

    ``lines[0]`` is line 1. Line breaks may be LF, CRLF or CR; a UTF-8
    byte-order mark is dropped. Characters inside lines are kept as they are.
    """

    entry: DocumentEntry
    lines: tuple[str, ...]
    #: The lines of the pinned provenance file of a data file; empty for a text.
    provenance_lines: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        """The file name, which is what error messages name."""
        return self.entry.file

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based).

        Example:
            >>> m = read_manifest(default_raw_dir())
            >>> doc = load_document(m, "002_882cd01f73eb6394.txt")
            >>> doc.line(112).split("\\t")[:4]
            ['1', 'Tunisia', '6000', '7000']
        """
        return self.lines[number - 1]


def default_raw_dir() -> Path:
    """Return ``data/raw`` of the checkout in the current working directory.

    Refuses (:class:`~ffdata.errors.PublishError`) when the working directory is
    not an ffdata checkout; see :mod:`ffdata.builder.checkout`.

    Example:
        >>> default_raw_dir().name
        'raw'
    """
    from ffdata.builder.checkout import checkout_root

    return checkout_root() / "data" / "raw"


def _require(table: dict, key: str, where: str, kind: type) -> object:
    if key not in table:
        raise ManifestError(f"entry lacks the field {key!r}", document=where, hint="add it")
    value = table[key]
    if not isinstance(value, kind):
        raise ManifestError(
            f"field {key!r} should be {kind.__name__}, not {type(value).__name__}",
            document=where,
            text=str(value),
            hint="quote text and write sizes as bare numbers",
        )
    return value


def _entries(data: dict, section: str, cls: type, where: str) -> tuple:
    items = data.get(section, [])
    out = []
    for index, item in enumerate(items, start=1):
        here = f"{where} [[{section}]] #{index}"
        values = {}
        for field in fields(cls):
            if field.name not in item and field.default is not MISSING:
                continue
            kind = int if field.type == "int" else str
            if field.name in item or field.default is MISSING:
                values[field.name] = _require(item, field.name, here, kind)
        extra = sorted(set(item) - set(values))
        if extra:
            raise ManifestError(
                f"unknown fields {extra}", document=here, hint="remove them or fix the spelling"
            )
        out.append(cls(**values))
    return tuple(out)


def _check_published_date(entry: DocumentEntry, where: str) -> None:
    """Refuse a ``published_date`` that is not the ISO form of the date printed (else found).

    Example:
        >>> m = read_manifest(default_raw_dir())
        >>> _check_published_date(m.document("003_9aa05a10f4782776.txt"), "manifest.toml")
    """
    from ffdata.builder.reviewed_dates import DateReviewError, reviewed_date

    printed = entry.date_as_printed or entry.date_found_online
    try:
        reviewed_date(entry.published_date or None, printed, field="published_date")
    except DateReviewError as exc:
        raise ManifestError(str(exc), document=where, hint=exc.hint) from None


def read_manifest(raw_dir: Path | str) -> Manifest:
    """Read and check ``manifest.toml`` of a raw folder (not the files' hashes).

    Example:
        >>> len(read_manifest(default_raw_dir()).documents)
        6
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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(
            f"manifest is not valid TOML ({exc})", document=str(path), hint="fix its syntax"
        ) from exc
    except OSError as exc:
        raise ManifestError(
            f"cannot read the manifest ({type(exc).__name__}: {exc.strerror or exc})",
            document=str(path),
            hint="give a raw folder this user can read",
        ) from exc
    documents = _entries(data, "documents", DocumentEntry, str(path))
    for index, entry in enumerate(documents, start=1):
        _check_published_date(entry, f"{path} [[documents]] #{index} ({entry.file})")
    references = _entries(data, "references", ReferenceEntry, str(path))
    reviewed = _entries(data, "reviewed", ReviewedEntry, str(path))
    if not documents:
        raise ManifestError(
            "manifest lists no documents",
            document=str(path),
            hint="add a [[documents]] entry for each source document",
        )
    seen: dict[str, str] = {}
    for entry in (*documents, *references, *reviewed):
        key_id = next(
            getattr(entry, f)
            for f in ("document_id", "reference_id", "reviewed_id")
            if hasattr(entry, f)
        )
        for key in (entry.file, key_id):
            if key in seen:
                raise ManifestError(
                    f"{key!r} is listed twice", document=str(path), hint="keep one entry per file"
                )
            seen[key] = key
        pinned = [(entry.file, entry.sha256, entry.size)]
        if isinstance(entry, DocumentEntry) and (entry.provenance_file or entry.provenance_sha256):
            pinned.append((entry.provenance_file, entry.provenance_sha256, entry.provenance_size))
        for file, sha256, size in pinned:
            _check_pin(file, sha256, size, str(path))
    return Manifest(raw_dir=raw_dir, documents=documents, references=references, reviewed=reviewed)


def _check_pin(file: str, sha256: str, size: int, manifest: str) -> None:
    if not _SHA256.fullmatch(sha256) or size < 1:
        raise ManifestError(
            "sha256 must be 64 lower-case hex digits and size a positive byte count",
            document=manifest,
            text=f"{file}: sha256 {sha256!r}, size {size}",
            hint="copy both from `sha256sum` and `stat -c %s` of the file",
        )
    if not file or Path(file).is_absolute() or ".." in Path(file).parts:
        raise ManifestError(
            "manifest paths must stay inside the raw folder",
            document=manifest,
            text=file,
            hint="give the path relative to the raw folder, without '..'",
        )


def read_verified(raw_dir: Path, file: str, sha256: str, size: int) -> bytes:
    """Return the bytes of ``raw_dir/file`` after checking its size and sha256.

    Example:
        >>> m = read_manifest(default_raw_dir())
        >>> e = m.document("002_882cd01f73eb6394.txt")
        >>> len(read_verified(m.raw_dir, e.file, e.sha256, e.size))
        35533
    """
    path = raw_dir / file
    if path.is_file() and not path.resolve().is_relative_to(raw_dir.resolve()):
        raise ManifestError(
            "file is a link to outside the raw folder",
            document=str(path),
            hint="copy the file into the raw folder; the build reads nothing outside it",
        )
    if not path.is_file():
        raise ManifestError(
            "file listed in the manifest is missing",
            document=str(path),
            hint="restore it from the release, or remove its manifest entry",
        )
    data = path.read_bytes()
    actual = sha256_of(data)
    if actual != sha256 or len(data) != size:
        raise ChecksumError(
            f"sha256 differs from the manifest: expected {sha256} ({size} bytes), "
            f"found {actual} ({len(data)} bytes)",
            document=file,
            hint="restore the original file; if the change is intended, review it and record "
            "the new sha256 and size in manifest.toml",
        )
    return data


def decode_text(data: bytes, file: str) -> tuple[str, ...]:
    """Decode UTF-8 bytes (optional byte-order mark) into lines as printed.

    Example:
        >>> decode_text(b"\\xef\\xbb\\xbfa\\r\\nb\\n", "x.txt")
        ('a', 'b', '')
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DocumentError(
            f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
            document=file,
            line=line,
            hint="save the document as UTF-8 and record its new sha256 in manifest.toml",
        ) from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DocumentError(
            "contains NUL characters (UTF-16 or binary?)",
            document=file,
            line=line,
            hint="save the document as UTF-8 text",
        )
    return tuple(_LINE_BREAK.split(text))


def load_document(manifest: Manifest, file: str) -> Document:
    """Read a document of the manifest, verified, as lines.

    Example:
        >>> doc = load_document(read_manifest(default_raw_dir()), "002_882cd01f73eb6394.txt")
        >>> doc.entry.author
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
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> len(docs["002_882cd01f73eb6394.txt"].lines)
        247
    """
    collector = errors if errors is not None else ErrorCollector()
    docs = {}
    for entry in manifest.documents:
        with collector.attempt():
            docs[entry.file] = load_document(manifest, entry.file)
    if errors is None:
        collector.raise_if_any()
    return docs
