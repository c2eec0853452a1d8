"""Fetching a data release: from a version, an address or a local archive; verified every time.

``fetch_release(release)`` returns the unpacked folder of ``ffdata-data-<version>.zip``.
``release`` (or ``url=``, or the ``FFDATA_RELEASE_URL`` environment variable) follows
one convention:

- a version ``"x.y.z"`` (default: the package's version): the archive is read from
  ``url`` if given, else ``FFDATA_RELEASE_URL``, else ``RELEASE_URL``;
- an address ending in ``.zip`` is the archive itself (``https://...``, ``file://...``
  or a local path such as ``dist/ffdata-data-0.2.0.zip``);
- any other address is a base (a folder): ``ffdata-data-<version>.zip`` is appended.
  ``{version}`` in an address is replaced by the version
  (``RELEASE_URL`` is ``https://github.com/ffdata/ffdata/releases/download/v{version}/``).

What is checked:

- the bytes must be a zip holding one folder ``ffdata-data-<version>/`` with a
  ``SHA256SUMS``, else "not a release archive" (e.g. a web page where an archive was
  expected); nothing of them is kept;
- the archive's sha256 must be the one the package records for the version
  (``reference/releases.json``, :mod:`ffdata.registry`) or the ``sha256`` given;
  a download of a version with neither is refused. A local archive of a version the
  package does not know (your own ``make release``) is accepted on its own
  ``SHA256SUMS``;
- ``SHA256SUMS`` may name only files inside the release, and every file must match it.

The cache (``pooch.os_cache("ffdata")``, or ``cache_dir``, or ``FFDATA_CACHE_DIR``)
keeps the verified archive beside its unpacked folder. Caches are verified, not
trusted: every call (and so every ``load(release=...)``) hashes the cached archive
again and every unpacked file against the archive's ``SHA256SUMS`` (a release is a
handful of small files: milliseconds). A file changed in the cache is refused with a
:class:`~ffdata.errors.ReleaseError` naming it; ``refresh=True`` (or deleting the
folder the error names) fetches the release again. Nothing else is ever deleted.

Example:
    >>> release_address("0.2.0", "https://example.org/files/")
    'https://example.org/files/ffdata-data-0.2.0.zip'
    >>> release_address("0.2.0", "https://example.org/v{version}/data.zip")
    'https://example.org/v0.2.0/data.zip'
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from ffdata._version import __version__
from ffdata.errors import ReleaseError
from ffdata.hashes import sha256_file, sha256_of
from ffdata.registry import (
    REGISTRY_RESOURCE,
    VERSION_PATTERN,
    is_version,
    known_releases,
    release_name,
)

__all__ = ["fetch_release", "known_releases", "release_address", "release_name", "release_root"]

RELEASE_URL = "https://github.com/ffdata/ffdata/releases/download/v{version}/"
CACHE_ENV = "FFDATA_CACHE_DIR"
URL_ENV = "FFDATA_RELEASE_URL"
SUMS = "SHA256SUMS"
#: Name of the verified archive kept in each cache entry.
_ARCHIVE = "archive.zip"
_ARCHIVE_NAME = re.compile(re.escape(release_name("@")).replace("@", f"({VERSION_PATTERN})"))
_DIGEST = re.compile(r"[0-9a-f]{64}")
#: A release is a few MB; an archive past this, or one unpacking past the second, is not one.
_MAX_BYTES = 512 * 1024 * 1024
_MAX_UNPACKED = 1024 * 1024 * 1024


def release_address(version: str, url: str | None = None) -> str:
    """Return the address of ``version``'s archive under the one convention of the module.

    ``url`` (else ``FFDATA_RELEASE_URL``, else ``RELEASE_URL``) is the archive if it
    ends in ``.zip``, else the folder holding it; ``{version}`` is replaced.

    Example:
        >>> release_address("1.0.0", "/srv/releases")
        '/srv/releases/ffdata-data-1.0.0.zip'
        >>> release_address("1.0.0", "file:///srv/releases/ffdata-data-1.0.0.zip")
        'file:///srv/releases/ffdata-data-1.0.0.zip'
    """
    address = url or os.environ.get(URL_ENV) or RELEASE_URL
    address = address.replace("{version}", version)
    if urllib.parse.urlsplit(address).path.lower().endswith(".zip"):
        return address
    return address.rstrip("/") + "/" + release_name(version)


def _local_path(address: str) -> Path | None:
    """The file an address names on this machine (a path or ``file://``), else None."""
    parts = urllib.parse.urlsplit(address)
    if parts.scheme == "file":
        return Path(urllib.request.url2pathname(parts.path))
    if parts.scheme in ("http", "https", "ftp"):
        return None
    return Path(address)


def _cache_dir(cache_dir: Path | str | None) -> Path:
    if cache_dir is not None:
        cache, named = Path(cache_dir), "cache_dir"
    elif os.environ.get(CACHE_ENV):
        cache, named = Path(os.environ[CACHE_ENV]), CACHE_ENV
    else:
        import pooch

        cache, named = Path(pooch.os_cache("ffdata")), "the default cache"
    if cache.exists() and not cache.is_dir():
        raise ReleaseError(
            f"the release cache ({named}) is not a folder",
            path=str(cache),
            hint=f"point {CACHE_ENV} or cache_dir at a folder (it is created if missing)",
        )
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReleaseError(
            f"cannot create the release cache ({named}): {exc.strerror or exc}",
            path=str(cache),
            hint=f"point {CACHE_ENV} or cache_dir at a folder you can write",
        ) from exc
    return cache


def read_sums(text: str, where: str) -> dict[str, str]:
    """Parse a ``SHA256SUMS`` text into name -> sha256, refusing any name outside the release.

    Example:
        >>> read_sums("a" * 64 + "  data/x.csv\\n", "SHA256SUMS")
        {'data/x.csv': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}
        >>> read_sums("a" * 64 + "  ../../.bashrc\\n", "SHA256SUMS")
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: SHA256SUMS:1: SHA256SUMS names a file outside the release: '../../.bashrc'
          hint: this is not an ffdata release as published: fetch it again from its address
    """
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if not _DIGEST.fullmatch(digest) or not name:
            raise ReleaseError(
                "line is not '<sha256>  <file>'",
                document=where,
                line=number,
                text=line,
                hint="this is not an ffdata release as published: fetch it again from its address",
            )
        parts = PurePosixPath(name).parts
        if (
            name.startswith("/")
            or "\\" in name
            or ":" in name
            or any(p in ("..", ".", "") for p in name.split("/"))
            or not parts
            or name in sums
        ):
            raise ReleaseError(
                "SHA256SUMS names a file outside the release"
                if name not in sums
                else "SHA256SUMS names a file twice",
                document=where,
                line=number,
                text=name,
                hint="this is not an ffdata release as published: fetch it again from its address",
            )
        sums[name] = digest
    if not sums:
        raise ReleaseError(
            "SHA256SUMS is empty",
            document=where,
            hint="this is not an ffdata release as published: fetch it again from its address",
        )
    return sums


def _not_a_release(address: str, data: bytes, why: str) -> ReleaseError:
    start = data[:60].decode("utf-8", "replace").strip()
    page = start.lower().startswith(("<!doctype", "<html", "<?xml"))
    return ReleaseError(
        f"not a release archive ({why})",
        path=address,
        text=start or None,
        hint=(
            "the address gave a web page: give the address of ffdata-data-<version>.zip, "
            "or of the folder holding it"
            if page
            else "give the address or path of an ffdata-data-<version>.zip"
        )
        + "; nothing was kept",
    )


def _archive_sums(archive: zipfile.ZipFile, version: str, where: str) -> dict[str, str]:
    """Check the archive's layout; return its SHA256SUMS (names relative to the release)."""
    folder = f"ffdata-data-{version}/"
    members = [i for i in archive.infolist() if not i.is_dir()]
    unpacked = sum(info.file_size for info in members)
    if unpacked > _MAX_UNPACKED:
        raise ReleaseError(
            f"not a release archive (it unpacks to {unpacked:,} bytes)",
            document=where,
            hint="an ffdata release unpacks to a few MB: check the address",
        )
    for info in members:
        name = info.filename
        if not name.startswith(folder) or ".." in name.split("/") or "\\" in name:
            raise ReleaseError(
                f"archive entry outside its folder {folder}",
                document=where,
                text=name,
                hint="this is not an ffdata release as published: fetch it again",
            )
    try:
        text = archive.read(folder + SUMS).decode("utf-8")
    except KeyError as exc:
        raise ReleaseError(
            f"not a release archive (no {folder}{SUMS})",
            document=where,
            hint="give the archive of an ffdata release, e.g. ffdata-data-<version>.zip",
        ) from exc
    sums = read_sums(text, f"{where}:{folder}{SUMS}")
    listed = {folder + name for name in sums} | {folder + SUMS}
    for info in members:
        if info.filename not in listed:
            raise ReleaseError(
                "archive entry not listed in SHA256SUMS",
                document=where,
                text=info.filename,
                hint="this is not an ffdata release as published: fetch it again",
            )
    for name, digest in sums.items():
        try:
            data = archive.read(folder + name)
        except KeyError as exc:
            raise ReleaseError(
                "SHA256SUMS names a file the archive does not hold",
                document=where,
                text=name,
                hint="this is not an ffdata release as published: fetch it again",
            ) from exc
        if sha256_of(data) != digest:
            raise ReleaseError(
                "archive entry differs from SHA256SUMS",
                document=where,
                text=name,
                hint="this is not an ffdata release as published: fetch it again",
            )
    return sums


def _check_unpacked(entry: Path, version: str, expected: str) -> Path:
    """Verify a cache entry against its archive and the archive against ``expected``."""
    archive_path = entry / _ARCHIVE
    refetch = (
        f"the cache was changed after download: fetch again with "
        f"fetch_release(..., refresh=True) or delete {entry}"
    )
    if not archive_path.is_file() or sha256_file(archive_path) != expected:
        raise ReleaseError(
            f"cached archive of release {version} differs from its sha256 {expected}",
            document=str(archive_path),
            hint=refetch,
        )
    folder = entry / f"ffdata-data-{version}"
    with zipfile.ZipFile(archive_path) as archive:
        sums = read_sums(
            archive.read(f"ffdata-data-{version}/{SUMS}").decode("utf-8"), str(archive_path)
        )
    for name, digest in sums.items():
        path = folder / name
        if path.is_symlink() or not path.is_file() or sha256_file(path) != digest:
            raise ReleaseError(
                f"cached file of release {version} differs from the release's SHA256SUMS",
                document=str(path),
                hint=refetch,
            )
    return folder


def _read_address(address: str, version: str | None) -> bytes:
    local = _local_path(address)
    try:
        if local is not None:
            if local.is_dir():
                raise ReleaseError(
                    "a folder where an archive was expected",
                    path=address,
                    hint=f"give the archive inside it, e.g. {local / release_name(version)}",
                )
            with open(local, "rb") as handle:
                data = handle.read(_MAX_BYTES + 1)
        else:
            with urllib.request.urlopen(address, timeout=60) as response:
                data = response.read(_MAX_BYTES + 1)
    except (OSError, ValueError) as exc:  # urllib's errors are OSErrors; ValueError: bad URL
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        raise ReleaseError(
            f"cannot download {f'release {version}' if version else 'the archive'} ({reason})",
            path=address,
            hint="check the address (a version, an http(s) or file:// address, or a path); "
            f"offline, give the archive's path (a checkout keeps each release in "
            f"releases/, e.g. releases/{release_name(version or '0.1.0')}) or set {URL_ENV} "
            "to a folder or mirror that has it; a cached release works offline",
        ) from exc
    if len(data) > _MAX_BYTES:
        raise _not_a_release(address, data, f"more than {_MAX_BYTES // 2**20} MB")
    return data


def _version_of(address: str, data: bytes) -> str:
    """The version of an archive given by address: from its name, else its one folder."""
    found = _ARCHIVE_NAME.search(urllib.parse.urlsplit(address).path.rsplit("/", 1)[-1])
    if found:
        return found.group(1)
    with zipfile.ZipFile(_io(data)) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    folder = next(iter(tops)) if len(tops) == 1 else ""
    if not folder.startswith("ffdata-data-") or not is_version(folder.removeprefix("ffdata-data-")):
        raise _not_a_release(address, data, "no single folder ffdata-data-<version>/ inside")
    return folder.removeprefix("ffdata-data-")


def _io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def archive_files(
    address: str, data: bytes, version: str | None = None, sha256: str | None = None
) -> tuple[str, dict[str, bytes]]:
    """Check the bytes of a release archive; return its version and files (name -> bytes).

    The bytes must be a zip of one folder ``ffdata-data-<version>/`` whose files all
    match its ``SHA256SUMS`` (which names only files inside it); their sha256 must be
    ``sha256`` or the one the package records for the version, if any.

    Example:
        >>> archive_files("x.zip", b"<html>")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: x.zip: not a release archive (the bytes are not a zip file): '<html>'
          hint: ...
    """
    if not zipfile.is_zipfile(_io(data)):
        raise _not_a_release(address, data, "the bytes are not a zip file")
    try:
        version = version or _version_of(address, data)
        expected = sha256 or known_releases().get(version)
        actual = sha256_of(data)
        if expected and actual != expected:
            raise ReleaseError(
                f"release {version} differs from its known sha256 (expected {expected}, "
                f"got {actual})",
                path=address,
                hint="the archive was refused and nothing was kept; check the address and the "
                "version, or the sha256 given",
            )
        with zipfile.ZipFile(_io(data)) as archive:
            sums = _archive_sums(archive, version, address)
            folder = f"ffdata-data-{version}/"
            files = {name: archive.read(folder + name) for name in [*sorted(sums), SUMS]}
    except zipfile.BadZipFile as exc:
        raise _not_a_release(address, data, f"a damaged zip: {exc}") from exc
    return version, files


def _install(cache: Path, entry: Path, files: dict[str, bytes], data: bytes, version: str) -> None:
    """Write a verified release into ``entry`` (written aside, moved in whole)."""
    aside = Path(tempfile.mkdtemp(dir=cache, prefix=".partial-"))
    try:
        folder = aside / f"ffdata-data-{version}"
        for name, content in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (aside / _ARCHIVE).write_bytes(data)
        old = Path(tempfile.mkdtemp(dir=cache, prefix=".old-"))
        try:
            if entry.exists():  # refresh: moved out whole, so a reader never sees half of it
                entry.replace(old / "entry")
            try:
                aside.replace(entry)
            except OSError:
                if not entry.is_dir():
                    if (old / "entry").is_dir():  # the previous entry goes back, whole
                        (old / "entry").replace(entry)
                    raise
                shutil.rmtree(aside)  # another process installed it meanwhile: checked next
        finally:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(aside, ignore_errors=True)
        raise ReleaseError(
            f"cannot write the release into the cache ({exc.strerror or exc})",
            path=str(cache),
            hint=f"free some space, or point {CACHE_ENV} at a folder you can write",
        ) from exc


def fetch_release(
    release: str | Path | None = None,
    url: str | None = None,
    cache_dir: Path | str | None = None,
    sha256: str | None = None,
    refresh: bool = False,
) -> Path:
    """Fetch (once), verify (every time) and unpack a data release; return its folder.

    ``release`` is a version (default: the package's), or the address or path of an
    archive; ``url`` an archive or a folder of archives (see the module docstring for
    the one convention, shared with ``FFDATA_RELEASE_URL``).

    Example (a local archive, as ``make release`` writes it)::

        >>> import ffdata
        >>> folder = ffdata.fetch_release("dist/ffdata-data-0.2.0.zip")  # doctest: +SKIP
        >>> folder = ffdata.fetch_release("0.1.0")                       # doctest: +SKIP
        >>> ffdata.load("countries", release="0.1.0")                    # doctest: +SKIP
    """
    release = str(release) if release is not None else None
    if release is None or is_version(release):
        version: str | None = release or __version__
        address = release_address(version, url)
    else:
        version, address = None, release
    local = _local_path(address)
    expected = sha256 or (known_releases().get(version) if version else None)
    cache = _cache_dir(cache_dir)
    if expected and version and not refresh:
        entry = cache / f"ffdata-data-{version}-{expected[:16]}"
        if entry.exists():
            return _check_unpacked(entry, version, expected)
    if not expected and local is None:
        raise ReleaseError(
            f"no known sha256 for release {version}",
            document=f"ffdata/{REGISTRY_RESOURCE}",
            hint=f"pass sha256=...; known releases: {', '.join(sorted(known_releases()))}",
        )
    data = _read_address(address, version)
    actual = sha256_of(data)
    if not refresh:  # an archive installed before: its files are checked, not unpacked again
        cached = sorted(cache.glob(f"ffdata-data-{version or '*'}-{actual[:16]}"))
        if len(cached) == 1:
            cached_version = cached[0].name.removeprefix("ffdata-data-").rsplit("-", 1)[0]
            # as archive_files checks it: the sha256 given, else the one recorded, if any
            if (sha256 or known_releases().get(cached_version)) in (None, actual):
                return _check_unpacked(cached[0], cached_version, actual)
    version, files = archive_files(address, data, version, sha256)
    entry = cache / f"ffdata-data-{version}-{sha256_of(data)[:16]}"
    if not (entry.exists() and not refresh):
        _install(cache, entry, files, data, version)
    return _check_unpacked(entry, version, sha256_of(data))


def verify_folder(folder: Path) -> Path:
    """Check an unpacked release folder against its ``SHA256SUMS``; return it.

    A package folder without ``SHA256SUMS`` (a checkout, ``ffdata build --out-dir``)
    is returned as is: it is not a release.

    Example:
        >>> from ffdata.locate import data_root
        >>> verify_folder(data_root()) == data_root()
        True
    """
    sums_file = folder / SUMS
    if not sums_file.is_file():
        return folder
    sums = read_sums(sums_file.read_text(encoding="utf-8", errors="replace"), str(sums_file))
    for number, (name, digest) in enumerate(sums.items(), start=1):
        path = folder / name
        if not path.is_file() or sha256_file(path) != digest:
            raise ReleaseError(
                "file differs from the release's SHA256SUMS",
                document=str(sums_file),
                line=number,
                text=name,
                hint="the folder was changed after it was unpacked: unpack the archive again",
            )
    return folder


def release_root(release: str | Path) -> Path:
    """Return the verified folder of ``release``: a version, an archive, or an unpacked folder.

    What ``load(name, release=...)`` reads. A folder is checked against its own
    ``SHA256SUMS``; anything else goes through :func:`fetch_release`, so a path to an
    archive is never taken for a version.

    Example:
        >>> from ffdata.locate import data_root
        >>> release_root(data_root()) == data_root()
        True
    """
    if Path(release).is_dir():
        folder = Path(release)
        if not (folder / "datapackage.json").is_file():
            raise ReleaseError(
                "the folder holds no datapackage.json",
                path=str(folder),
                hint="give an unpacked release folder, an archive, or a version such as 0.1.0",
            )
        return verify_folder(folder)
    return fetch_release(os.fspath(release))
