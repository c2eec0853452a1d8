"""The raw layer: the manifest of ``data/raw/`` and hash-checked reading of its files.

A raw folder holds the source documents byte for byte, the pinned reference
data under ``reference/``, reviewed tables written by hand (the country aliases)
and ``manifest.toml``, which records each file's sha256 and size. Nothing is
read from a raw folder without checking it first.

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
    >>> manifest = read_manifest(default_raw_dir())
    >>> manifest.document("002_882cd01f73eb6394.txt").document_id
    'niu-2018-foreigners-in-is'
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

from ffdata.errors import (
    ChecksumError,
    DocumentError,
    ErrorCollector,
    FfdataError,
    ManifestError,
)
from ffdata.hashes import sha256_of

MANIFEST_NAME = "manifest.toml"
#: The largest raw file the build reads (the largest document is 36 KB, the population
#: table 552 KB): a bigger one is refused before it is read, so that memory and time stay
#: bounded whatever a raw folder holds.
MAX_RAW_FILE_BYTES = 2_000_000
#: How to record a reviewed change's new sha256 and size (the hints name it).
REPIN_COMMAND = "python -m ffdata.builder.tools.pin --raw-dir RAW_DIR FILE"
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
    not an ffdata checkout; see :mod:`ffdata.builder.tools.checkout`.

    Example:
        >>> default_raw_dir().name
        'raw'
    """
    from ffdata.builder.tools.checkout import checkout_root

    return checkout_root() / "data" / "raw"


def section_lines(text: str, section: str) -> list[int]:
    """Return the line numbers of the ``[[section]]`` headers of a TOML text.

    Example:
        >>> section_lines("# notes\\n[[figures]]\\na = 1\\n[[figures]]\\n", "figures")
        [2, 4]
    """
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() == f"[[{section}]]"
    ]


#: Brackets open at once beyond which a TOML file is said to nest too deeply from a line.
TOML_DEPTH = 50


def toml_error(
    exc: tomllib.TOMLDecodeError | RecursionError,
    text: str,
    path: Path,
    what: str,
    error: type[FfdataError],
) -> FfdataError:
    """Return the ``error`` for a TOML ``text`` (``what``, at ``path``) that does not parse,
    at the line to fix: the one the parser names, or where the nesting passes
    :data:`TOML_DEPTH` (the parser, out of stack, names none).

    Example:
        >>> text = "a = 1\\na = 2\\n"
        >>> try:
        ...     tomllib.loads(text)
        ... except tomllib.TOMLDecodeError as exc:
        ...     print(toml_error(exc, text, Path("x.toml"), "x.toml", ManifestError))
        x.toml:2: x.toml is not valid TOML (Cannot overwrite a value (at line 2, column 6))
          hint: fix the syntax at that line
        >>> deep = "a = 1\\nb = " + "[" * 60 + "]" * 60
        >>> toml_error(RecursionError(), deep, Path("x.toml"), "x.toml", ManifestError).line
        2
    """
    line = None
    if isinstance(exc, RecursionError):
        reason, depth = "nested too deeply", 0
        for number, printed in enumerate(text.splitlines(), start=1):
            for char in printed:  # brackets in strings count too: a line to look at, not a proof
                depth += (char in "[{") - (char in "]}")
                if depth > TOML_DEPTH and line is None:
                    line = number
    else:
        reason = str(exc)
        found = re.search(r"at line (\d+)", reason)
        line = int(found.group(1)) if found else None
    return error(
        f"{what} is not valid TOML ({reason})",
        document=str(path),
        line=line,
        hint="fix the syntax at that line",
    )


def field_line(text: str, header: int, key: str) -> int:
    """Return the line of ``key = ...`` in the TOML entry whose header is at line ``header``
    (the header's own line when the entry has no such key).

    Example:
        >>> field_line("[[a]]\\nx = 1\\nsize = 2\\n[[a]]\\nsize = 3\\n", 1, "size")
        3
    """
    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    lines = text.splitlines()
    for number in range(header + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip().startswith("[["):
            break
        if pattern.match(line):
            return number
    return header


def entry_places_in(path: Path, text: str, section: str, count: int) -> list[str]:
    """Return where each ``[[section]]`` entry of the TOML ``text`` of ``path`` is
    (``path:LINE [[section]] #n``; without the line when the headers cannot be counted)."""
    headers = section_lines(text, section)
    if len(headers) != count:
        return [f"{path} [[{section}]] #{i}" for i in range(1, count + 1)]
    return [f"{path}:{n} [[{section}]] #{i}" for i, n in enumerate(headers, start=1)]


def at_field(where: str, text: str, key: str) -> str:
    """``where`` (``manifest.toml:LINE [[section]] #n``) moved to the line of ``key``."""
    found = re.match(r"(.*):(\d+) (\[\[.*)", where)
    if not found:
        return where
    line = field_line(text, int(found.group(2)), key)
    return f"{found.group(1)}:{line} {found.group(3)}"


def _require(table: dict, key: str, where: str, kind: type, text: str) -> object:
    if key not in table:
        raise ManifestError(f"entry lacks the field {key!r}", document=where, hint="add it")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ManifestError(
            f"field {key!r} should be {kind.__name__}, not {type(value).__name__}",
            document=at_field(where, text, key),
            text=str(value),
            hint="quote text and write sizes as bare numbers",
        )
    if kind is str and CONTROL_CHARACTERS.search(value):
        raise ManifestError(
            f"field {key!r} holds a control character",
            document=at_field(where, text, key),
            text=value,
            hint="remove it (a line break in a note is written as a space)",
        )
    return value


#: Control characters (C0 but tab, DEL, C1, line and paragraph separators): never in a
#: reviewed field, where they would break a CSV row or reach a terminal.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _entries(data: dict, section: str, cls: type, path: Path, text: str) -> tuple:
    items = data.get(section, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ManifestError(
            f"[{section}] must be an array of tables",
            document=str(path),
            hint=f"write each entry under its own [[{section}]] header",
        )
    out = []
    for item, here in zip(items, entry_places_in(path, text, section, len(items)), strict=True):
        extra = sorted(set(item) - {field.name for field in fields(cls)})
        if extra:
            raise ManifestError(
                f"unknown fields {extra}",
                document=at_field(here, text, extra[0]),
                hint="remove them or fix the spelling",
            )
        values = {}
        for field in fields(cls):
            if field.name not in item and field.default is not MISSING:
                continue
            kind = int if field.type == "int" else str
            values[field.name] = _require(item, field.name, here, kind, text)
        out.append(cls(**values))
    return tuple(out)


def _check_published_date(entry: DocumentEntry, where: str, text: str = "") -> None:
    """Refuse a ``published_date`` that is not the ISO form of the date printed (else found).

    Example:
        >>> m = read_manifest(default_raw_dir())
        >>> _check_published_date(m.document("003_9aa05a10f4782776.txt"), "manifest.toml")
    """
    from ffdata.builder.inputs.reviewed_dates import DateReviewError, reviewed_date

    printed = entry.date_as_printed or entry.date_found_online
    try:
        reviewed_date(entry.published_date or None, printed, field="published_date")
    except DateReviewError as exc:
        raise ManifestError(
            str(exc), document=at_field(where, text, "published_date"), hint=exc.hint
        ) from None


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
        refuse_outside(raw_dir, MANIFEST_NAME)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes().count(b"\n", 0, exc.start) + 1
        raise ManifestError(
            f"manifest is not UTF-8 (byte {exc.start} cannot be decoded)",
            document=f"{path}:{line}",
            hint="save manifest.toml as UTF-8",
        ) from None
    except OSError as exc:
        raise ManifestError(
            f"cannot read the manifest ({type(exc).__name__}: {exc.strerror or exc})",
            document=str(path),
            hint="give a raw folder this user can read",
        ) from exc
    return _manifest_of(raw_dir, path, text)


@functools.lru_cache(maxsize=8)
def _manifest_of(raw_dir: Path, path: Path, text: str) -> Manifest:
    """The manifest ``text`` checked, once per text: each reviewed file's reader asks for it."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise toml_error(exc, text, path, "manifest", ManifestError) from None
    documents = _entries(data, "documents", DocumentEntry, path, text)
    places = entry_places_in(path, text, "documents", len(documents))
    for entry, where in zip(documents, places, strict=True):
        _check_published_date(entry, f"{where} ({entry.file})", text)
    references = _entries(data, "references", ReferenceEntry, path, text)
    reviewed = _entries(data, "reviewed", ReviewedEntry, path, text)
    if not documents:
        raise ManifestError(
            "manifest lists no documents",
            document=str(path),
            hint="add a [[documents]] entry for each source document",
        )
    seen: dict[str, str] = {}
    placed = [
        (entry, where)
        for section, entries in (
            ("documents", documents),
            ("references", references),
            ("reviewed", reviewed),
        )
        for entry, where in zip(
            entries, entry_places_in(path, text, section, len(entries)), strict=True
        )
    ]
    for entry, where in placed:
        key_id = next(
            getattr(entry, f)
            for f in ("document_id", "reference_id", "reviewed_id")
            if hasattr(entry, f)
        )
        for key in (entry.file, key_id):
            if key in seen:
                raise ManifestError(
                    f"{key!r} is listed twice (first at {seen[key]})",
                    document=where,
                    hint="keep one entry per file",
                )
            seen[key] = where
        pinned = [(entry.file, entry.sha256, entry.size, "")]
        if isinstance(entry, DocumentEntry) and (entry.provenance_file or entry.provenance_sha256):
            pinned.append(
                (
                    entry.provenance_file,
                    entry.provenance_sha256,
                    entry.provenance_size,
                    "provenance_",
                )
            )
        for file, sha256, size, prefix in pinned:
            _check_pin(
                file,
                sha256,
                size,
                at_field(where, text, f"{prefix}sha256"),
                at_field(where, text, f"{prefix}file"),
            )
    return Manifest(raw_dir=raw_dir, documents=documents, references=references, reviewed=reviewed)


def _check_pin(file: str, sha256: str, size: int, manifest: str, file_place: str) -> None:
    if not _SHA256.fullmatch(sha256) or not 0 < size <= MAX_RAW_FILE_BYTES:
        raise ManifestError(
            "sha256 must be 64 lower-case hex digits and size a positive byte count "
            f"of at most {MAX_RAW_FILE_BYTES:,} (larger files are not read)",
            document=manifest,
            text=f"{file}: sha256 {sha256!r}, size {size}",
            hint="copy both from `sha256sum` and `stat -c %s` of the file",
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
            document=file_place,
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
    """The line of the manifest that lists ``file`` (``file = "..."``), if one does."""
    try:
        text = (raw_dir / MANIFEST_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    listing = re.compile(rf'\s*(?:provenance_)?file\s*=\s*"{re.escape(file)}"\s*')
    return next((n for n, line in enumerate(text.splitlines(), 1) if listing.fullmatch(line)), None)


def read_verified(raw_dir: Path, file: str, sha256: str, size: int) -> bytes:
    """Return the bytes of ``raw_dir/file`` after checking its size and sha256.

    Example:
        >>> m = read_manifest(default_raw_dir())
        >>> e = m.document("002_882cd01f73eb6394.txt")
        >>> len(read_verified(m.raw_dir, e.file, e.sha256, e.size))
        35533
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


def read_reviewed_file(raw_dir: Path, file: str) -> bytes:
    """Return the bytes of a reviewed file of ``raw_dir``, checked against its ``[[reviewed]]`` pin.

    Example:
        >>> read_reviewed_file(default_raw_dir(), "figures.toml")[:1]
        b'#'
    """
    manifest = read_manifest(raw_dir)
    for entry in manifest.reviewed:
        if entry.file == file:
            return read_verified(raw_dir, entry.file, entry.sha256, entry.size)
    raise ManifestError(
        f"{file} is not pinned: manifest.toml has no [[reviewed]] entry for it",
        document=str(raw_dir / MANIFEST_NAME),
        hint=f"add a [[reviewed]] entry with file = {file!r} and record its sha256 and size: "
        f"`{REPIN_COMMAND}`",
    )


def utf8_text(data: bytes, file: str, error: type[FfdataError], hint: str) -> str:
    """Decode the UTF-8 bytes of ``file``; refuse others with ``error`` at the line of the
    first byte that is not UTF-8.

    Example:
        >>> utf8_text(b"a\\n\\xff", "t.csv", DocumentError, "save it as UTF-8")
        Traceback (most recent call last):
        ...
        ffdata.errors.DocumentError: t.csv:2: not UTF-8 (invalid start byte at byte 2)
          hint: save it as UTF-8
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"not UTF-8 ({exc.reason} at byte {exc.start})",
            document=file,
            line=data.count(b"\n", 0, exc.start) + 1,
            hint=hint,
        ) from None


def decode_text(data: bytes, file: str) -> tuple[str, ...]:
    """Decode UTF-8 bytes (optional byte-order mark) into lines as printed.

    Example:
        >>> decode_text(b"\\xef\\xbb\\xbfa\\r\\nb\\n", "x.txt")
        ('a', 'b', '')
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    text = utf8_text(
        data,
        file,
        DocumentError,
        "save the document as UTF-8 and record its new sha256 in manifest.toml",
    )
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
