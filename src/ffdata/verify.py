"""The one check of a release archive, a release folder and a package folder, which every
reader runs (``load(release=)``, ``fetch_release``, ``ffdata diff``, ``ffdata validate``).

A release holds only its own files: the tables its ``datapackage.json`` names and the fixed
set (:func:`release_member`), at most :data:`MAX_ENTRIES` of them and :data:`MAX_BYTES` in
all, counted before anything is read or written. In a folder, no file is a symbolic link and
no path leaves it; anything that calls itself a release (its folder name, its README, its
metadata files) must have its ``SHA256SUMS``; and in every package folder each table must
have the sha256 and size its own ``datapackage.json`` records.

Example:
    >>> tables = {"data/processed/countries.csv"}
    >>> release_member("data/processed/countries.csv", tables), release_member("padding.csv", tables)
    (True, False)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import zipfile
from pathlib import Path
from typing import IO

from ffdata.errors import FfdataError, ReleaseError
from ffdata.locate import DESCRIPTOR, PROCESSED
from ffdata.registry import VERSION_PATTERN

SUMS = "SHA256SUMS"
#: A release holds about 50 files and unpacks to well under a MB: the bounds leave room.
MAX_ENTRIES = 1_000
MAX_BYTES = 64 * 1024 * 1024
#: The largest ``datapackage.json`` or ``SHA256SUMS`` read (a release's are about 60 KB).
MAX_LISTING = 4 * 1024 * 1024
#: The first line of a release's README.
RELEASE_HEADING = "# ffdata data release"
_FIXED = re.compile(
    r"SHA256SUMS|README\.md|CHANGELOG\.md|CITATION\.cff|datapackage\.json|dataset\.jsonld"
    r"|croissant\.json|\.zenodo\.json|docs/codebook\.md|LICENSES/[\w.-]+\.(?:md|txt)"
    rf"|CHANGES-from-{VERSION_PATTERN}\.csv|documents/(?:[\w-][\w.-]*/)*[\w-][\w.-]*|docs/report/[\w-][\w.-]*"
)
_STATA = re.compile(r"data/stata/(\w+)\.dta")
_TABLE_PATH = re.compile(re.escape(PROCESSED.as_posix()) + r"/[\w-][\w.-]{0,200}")
_DIGEST = re.compile(r"[0-9a-f]{64}")
#: Files only a release has (a checkout or an installed package has none of them).
_RELEASE_ONLY = ("dataset.jsonld", "LICENSES", "documents")
_Error = type[FfdataError]


def release_member(name: str, tables: set[str]) -> bool:
    """Whether ``name`` (relative to the release folder) is a file a release holds: one of
    ``tables`` (the files its ``datapackage.json`` names), a table's Stata file, or the fixed
    set: README, CHANGELOG, licences, citation files, documents, codebook, report, changes.
    Example: the module's."""
    stata = _STATA.fullmatch(name)
    if stata:
        return any(Path(t).stem == stata.group(1) for t in tables)
    return name in tables or bool(_FIXED.fullmatch(name))


def sha256_stream(handle: IO[bytes]) -> str:
    """Return the hex sha256 of what ``handle`` reads, a MB at a time (memory stays flat).

    Example:
        >>> import io
        >>> sha256_stream(io.BytesIO(b"abc"))[:8]
        'ba7816bf'
    """
    return hashlib.file_digest(handle, "sha256").hexdigest()


def read_sums(text: str, where: str, hint: str) -> dict[str, str]:
    """Return ``SHA256SUMS`` as file -> sha256, refusing a line that is not
    ``<sha256>  <file>``, a file named twice or outside the release, and an empty list.

    Example:
        >>> read_sums("a" * 64 + "  README.md", "SHA256SUMS", "")
        {'README.md': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}
    """
    sums: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line and number > text.count("\n"):
            break  # the end of the last line
        digest, _, name = line.partition("  ")
        if not _DIGEST.fullmatch(digest) or not name:
            raise ReleaseError(
                "line is not '<sha256>  <file>'", document=where, line=number, text=line, hint=hint
            )
        if name in sums or {"..", ".", ""} & set(name.split("/")) or set("\\:\r") & set(name):
            why = "twice" if name in sums else "outside the release"
            raise ReleaseError(
                f"SHA256SUMS names a file {why}", document=where, line=number, text=name, hint=hint
            )
        sums[name] = digest
    if not sums:
        raise ReleaseError("SHA256SUMS is empty", document=where, hint=hint)
    return sums


def table_paths(data: bytes, where: str, error: _Error = ReleaseError, hint: str = "") -> dict:
    """Return path -> resource of a ``datapackage.json``'s bytes, refusing what is not a
    package's: not JSON (or nested too deeply), no list of resources, a path that is not a
    plain file name in ``data/processed/``.

    Example:
        >>> table_paths(b'{"resources": [{"path": "data/processed/a.csv"}]}', "x")
        {'data/processed/a.csv': {'path': 'data/processed/a.csv'}}
    """
    hint = hint or "a package's tables live in data/processed/; rebuild the package"
    try:
        descriptor = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise error(f"datapackage.json is not JSON ({reason})", document=where, hint=hint) from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        why = "datapackage.json must be an object whose 'resources' is a list of objects"
        raise error(why, document=where, hint=hint)
    paths = {}
    for resource in resources:
        path = resource.get("path")
        if not isinstance(path, str) or not _TABLE_PATH.fullmatch(path) or path in paths:
            raise error(
                f"resource {str(resource.get('name'))[:100]!r}: path {str(path)[:200]!r} is "
                f"outside the package's {PROCESSED.as_posix()}/ (or named twice)",
                document=where,
                hint=hint,
            )
        paths[path] = resource
    return paths


def _refuse_link(root: Path, relative: str, error: _Error, hint: str) -> Path:
    """``root / relative``, refused if it or a folder on the way is a symbolic link."""
    path = root
    for part in relative.split("/"):
        path = path / part
        if path.is_symlink():
            why = "a symbolic link inside the package folder (its files must be its own)"
            raise error(why, document=str(path), hint=hint)
    return path


def check_tables(root: Path, error: _Error = ReleaseError, hint: str = "") -> dict:
    """Check each table of the package folder ``root`` against the sha256 and size its
    ``datapackage.json`` records; return path -> resource.

    Example:
        >>> from ffdata.locate import data_root
        >>> len(check_tables(data_root())) > 0
        True
    """
    hint = hint or "the file was changed after the build; rebuild the package"
    descriptor = _refuse_link(root, DESCRIPTOR, error, hint)
    if not descriptor.is_file():
        raise error(
            "the folder holds no datapackage.json",
            document=str(descriptor),
            hint="give a package folder, an unpacked release, an archive or a version",
        )
    tables = table_paths(_read_bounded(descriptor, error), str(descriptor), error)
    for relative, resource in tables.items():
        file = _refuse_link(root, relative, error, hint)
        if not file.is_file():
            raise error("file of resource missing", document=str(file), hint=hint)
        actual, size = f"sha256:{_file_sha256(file)}", file.stat().st_size
        if actual != resource.get("hash") or size != resource.get("bytes", size):
            why = f"file differs from datapackage.json: hash {actual}, expected "
            raise error(why + str(resource.get("hash"))[:80], document=str(file), hint=hint)
    return tables


def _read_bounded(path: Path, error: _Error) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(MAX_LISTING + 1)
    if len(data) > MAX_LISTING:
        hint = "a release's listings are a few KB: unpack or fetch the release again"
        raise error(f"larger than {MAX_LISTING:,} bytes", document=str(path), hint=hint)
    return data


def is_release(folder: Path) -> bool:
    """Whether ``folder`` calls itself a release: its name, its README's first line, its
    ``SHA256SUMS``, or a file only a release has.

    Example:
        >>> is_release(Path(".")), is_release(Path("ffdata-data-0.1.0"))
        (False, True)
    """
    if re.fullmatch(f"ffdata-data-{VERSION_PATTERN}", folder.resolve().name):
        return True
    if any(os.path.lexists(folder / name) for name in (SUMS, *_RELEASE_ONLY)):
        return True
    readme = folder / "README.md"
    try:
        with open(readme, "rb") as handle:
            return handle.read(len(RELEASE_HEADING)) == RELEASE_HEADING.encode()
    except OSError:
        return False


def check_folder(
    folder: Path,
    sums: dict[str, str] | None = None,
    hint: str = "",
    error: _Error = ReleaseError,
    what: str = "file",
) -> Path:
    """Check a package or release folder as every reader does; return it. A release (see
    :func:`is_release`, or ``sums`` given) must hold exactly the files of its ``SHA256SUMS``
    (or ``sums``), only a release's, none a link, within the bounds, each with its sha256.

    Example:
        >>> from ffdata.locate import data_root
        >>> check_folder(data_root()) == data_root()
        True
    """
    hint = hint or "the folder was changed after it was unpacked: unpack the archive again"
    if sums is None and not is_release(folder):
        check_tables(folder, error, hint)
        return folder  # a package folder (a checkout's, an installed one): its tables checked
    if sums is None:
        file = _refuse_link(folder, SUMS, error, hint)
        if not file.is_file():
            why = "a release folder without its SHA256SUMS (it calls itself a release)"
            raise error(why, document=str(file), hint=hint)
        sums = read_sums(_read_bounded(file, error).decode("utf-8", "replace"), str(file), hint)
    found = _walk(folder, error, hint)
    for name, digest in sums.items():
        if name not in found or _file_sha256(folder / name) != digest:
            raise error(
                f"{what} differs from the release's {SUMS} (or is missing)",
                document=str(folder / name),
                hint=hint,
            )
    tables = check_tables(folder, error, hint)
    for name in sorted(found):
        if not release_member(name, set(tables)) or (name not in sums and name != SUMS):
            why = "a file that is not one of the release's (not in its SHA256SUMS)"
            raise error(why, document=str(folder / name), hint=hint)
    return folder


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return sha256_stream(handle)


def _walk(folder: Path, error: _Error, hint: str) -> set[str]:
    """The files of ``folder`` (relative, with /), refusing a link, anything but files and
    folders, and more than the bounds, before any file is read."""
    found: set[str] = set()
    seen, size = 0, 0
    for current, folders, files in os.walk(folder):  # links to folders are listed, not followed
        for entry in [*folders, *files]:
            path = Path(current) / entry
            seen += 1
            if path.is_symlink():
                why = "a symbolic link inside the release folder (its files must be its own)"
                raise error(why, document=str(path), hint=hint)
            if seen > MAX_ENTRIES:
                why = f"more than {MAX_ENTRIES:,} entries: not a release"
                raise error(why, document=str(folder), hint=hint)
            if entry in files:
                if not path.is_file():
                    raise error("not a plain file", document=str(path), hint=hint)
                size += path.stat().st_size
                found.add(path.relative_to(folder).as_posix())
            if size > MAX_BYTES:
                why = f"more than {MAX_BYTES:,} bytes: not a release"
                raise error(why, document=str(folder), hint=hint)
    return found


_END = struct.Struct("<4s4H2LH")  # a zip's end of central directory record


def check_zip_end(tail: bytes, where: str, hint: str) -> None:
    """Refuse, from the last bytes of a zip (``tail``: 66 KB suffice), one that lists more
    entries than a release holds, before its directory is parsed (100,000 entries: 0.6 s).

    Example:
        >>> end = _END.pack(b"PK\\x05\\x06", 0, 0, 5000, 5000, 0, 0, 0)
        >>> check_zip_end(end, "x.zip", "")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: x.zip: it lists 5,000 entries, a release at most 1,000
    """
    start = tail.rfind(b"PK\x05\x06")
    if start < 0 or len(tail) - start < _END.size:
        return  # not a zip: zipfile says so
    entries, directory = _END.unpack_from(tail, start)[4:6]
    if entries > MAX_ENTRIES or directory > MAX_ENTRIES * 1024:
        more = " or more" if entries == 0xFFFF else ""  # a zip64 archive's count is elsewhere
        why = f"it lists {entries:,}{more} entries, a release at most {MAX_ENTRIES:,}"
        raise ReleaseError(why, path=where, hint=hint)


def check_archive(archive: zipfile.ZipFile, folder: str, where: str, hint: str) -> dict[str, str]:
    """Check a release archive before anything is unpacked: entries inside ``folder`` only,
    within the bounds (count and declared sizes), only a release's files, each listed in its
    ``SHA256SUMS`` with its sha256 (read a MB at a time); return the sums.

    Example:
        >>> import io
        >>> buffer = io.BytesIO()
        >>> with zipfile.ZipFile(buffer, "w") as zf:
        ...     zf.writestr("r/padding.csv", "")
        >>> check_archive(zipfile.ZipFile(buffer), "r/", "x.zip", "")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: x.zip: not a release archive (no r/SHA256SUMS)...
    """
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        why = f"it holds {len(infos):,} entries, a release at most {MAX_ENTRIES:,}"
        raise ReleaseError(why, path=where, hint=hint)
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if not name.startswith(folder) or ".." in name.split("/") or "\\" in name:
            raise ReleaseError(
                f"archive entry outside its folder {folder}", document=where, text=name, hint=hint
            )
        if name[len(folder) :] in members:
            raise ReleaseError("archive entry twice", document=where, text=name, hint=hint)
        if not info.is_dir():
            members[name[len(folder) :]] = info
    total = sum(info.file_size for info in members.values())
    if total > MAX_BYTES:
        raise ReleaseError(
            f"it unpacks to {total:,} bytes, a release at most {MAX_BYTES:,}", path=where, hint=hint
        )
    for listing in (SUMS, DESCRIPTOR):
        if listing not in members:
            why = f"not a release archive (no {folder}{listing})"
            raise ReleaseError(why, path=where, hint=hint)
        if members[listing].file_size > MAX_LISTING:
            why = f"{listing} larger than {MAX_LISTING:,} bytes"
            raise ReleaseError(why, path=where, hint=hint)
        if listing == SUMS:  # its lines are checked first: a SUMS naming outside is named so
            sums_text = archive.read(members[SUMS]).decode("utf-8", "replace")
            sums = read_sums(sums_text, f"{where}:{SUMS}", hint)
    tables = table_paths(archive.read(members[DESCRIPTOR]), f"{where}:{DESCRIPTOR}", hint=hint)
    for name in sorted(members):
        if not release_member(name, set(tables)):
            raise ReleaseError(
                "archive entry that is not a file of a release",
                document=where,
                text=name,
                hint=hint,
            )
        if name not in sums and name != SUMS:
            raise ReleaseError(
                "archive entry not listed in SHA256SUMS", document=where, text=name, hint=hint
            )
    for name, digest in sums.items():
        if name not in members or sha256_stream(archive.open(members[name])) != digest:
            raise ReleaseError(
                "archive entry missing or differs from SHA256SUMS",
                document=where,
                text=name,
                hint=hint,
            )
    return sums
