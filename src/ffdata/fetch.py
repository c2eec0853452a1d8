"""Fetching a data release (a version, an address, a local archive) with pooch into a cache
that is verified, not trusted: every call hashes the archive and its files again.

Example:
    >>> release_address("0.2.0", "https://example.org/v{version}/data.zip")
    'https://example.org/v0.2.0/data.zip'
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ffdata._version import __version__
from ffdata.errors import ReleaseError
from ffdata.hashes import sha256_file, sha256_of
from ffdata.locate import CHECKOUT, DESCRIPTOR, PROCESSED
from ffdata.registry import (
    REGISTRY_RESOURCE,
    REPOSITORY_URL,
    VERSION_PATTERN,
    is_version,
    known_releases,
    release_name,
)
from ffdata.verify import (
    MAX_BYTES,
    SUMS,
    check_archive,
    check_folder,
    check_zip_end,
    read_sums,
)

__all__ = [
    "checkout",
    "checkout_release",
    "fetch_release",
    "known_releases",
    "release_address",
    "release_name",
    "release_root",
]

RELEASE_URL = REPOSITORY_URL + "/releases/download/v{version}/"
CACHE_ENV = "FFDATA_CACHE_DIR"
URL_ENV = "FFDATA_RELEASE_URL"
_ARCHIVE = "archive.zip"  # the verified archive kept in each cache entry
_ARCHIVE_NAME = re.compile(re.escape(release_name("@")).replace("@", f"({VERSION_PATTERN})"))
_TAIL = 66 * 1024  # a zip's end record and comment are within its last 66 KB
_REFETCH = "this is not an ffdata release as published: fetch it again from its address"


def checkout() -> Path | None:
    """Return the source checkout this package runs from (an editable install: a folder with
    ``pyproject.toml`` and ``src/ffdata/``), or None (an installed wheel).

    Example:
        >>> folder = checkout()
        >>> folder is None or (folder / "pyproject.toml").is_file()
        True
    """
    found = (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "src" / "ffdata").is_dir()
    return CHECKOUT if found else None


def checkout_release(version: str) -> Path | None:
    """Return the archive of ``version`` kept in ``releases/`` of the checkout this package runs
    from (an editable install: a folder with ``pyproject.toml``, ``src/ffdata/`` and
    ``releases/``), if there is one; refuse a copy whose sha256 is not the registry's.

    Example:
        >>> checkout_release("0.1.0").name, checkout_release("9.9.9")
        ('ffdata-data-0.1.0.zip', None)
    """
    folder = checkout()
    shelf = folder / "releases" / release_name(version) if folder else None
    if shelf is None or not shelf.is_file():
        return None
    expected = known_releases().get(version)
    if expected and sha256_file(shelf) != expected:
        raise ReleaseError(
            f"the checkout's copy of release {version} differs from the sha256 the registry "
            f"records ({expected})",
            path=str(shelf),
            hint=f"restore it from version control (git checkout -- releases/"
            f"{release_name(version)}); the copy was not read further",
        )
    return shelf


def release_address(version: str, url: str | None = None) -> str:
    """Return the address of ``version``'s archive: ``url`` (else ``FFDATA_RELEASE_URL``, else
    ``RELEASE_URL``) if it ends in ``.zip``, else the folder holding it; ``{version}`` replaced.

    Example:
        >>> release_address("1.0.0", "/srv/releases")
        '/srv/releases/ffdata-data-1.0.0.zip'
    """
    address = (url or os.environ.get(URL_ENV) or RELEASE_URL).replace("{version}", version)
    if urllib.parse.urlsplit(address).path.lower().endswith(".zip"):
        return address
    return address.rstrip("/") + "/" + release_name(version)


def _local_path(address: str) -> Path | None:
    parts = urllib.parse.urlsplit(address)
    if parts.scheme == "file":
        return Path(urllib.request.url2pathname(parts.path))
    return None if parts.scheme in ("http", "https", "ftp") else Path(address)


def _cache_dir(cache_dir: Path | str | None) -> Path:
    if cache_dir is None and not os.environ.get(CACHE_ENV):
        import pooch

        cache_dir = pooch.os_cache("ffdata")
    cache = Path(cache_dir or os.environ[CACHE_ENV])
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = f"the release cache is not a folder you can write ({exc.strerror or exc})"
        hint = f"point {CACHE_ENV} or cache_dir at a folder you can write (created if missing)"
        raise ReleaseError(why, path=str(cache), hint=hint) from exc
    return cache


@contextlib.contextmanager
def _open_zip(address: str, source: Path | bytes) -> Iterator[zipfile.ZipFile]:
    if isinstance(source, bytes):
        tail = source[-_TAIL:]
    else:
        with open(source, "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - _TAIL))
            tail = handle.read()
    check_zip_end(tail, address, _REFETCH)
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            yield zf
    except zipfile.BadZipFile as exc:
        if isinstance(source, Path):
            with open(source, "rb") as handle:
                source = handle.read(60)
        raise _not_a_release(address, str(exc), source[:60]) from None


def _not_a_release(address: str, why: str, data: bytes = b"") -> ReleaseError:
    start = data.decode("utf-8", "replace").strip()
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


def _version_of(address: str, archive: zipfile.ZipFile) -> str:
    found = _ARCHIVE_NAME.search(urllib.parse.urlsplit(address).path.rsplit("/", 1)[-1])
    tops = {name.split("/", 1)[0] for name in archive.namelist()}
    version = found.group(1) if found else min(tops).removeprefix("ffdata-data-") if tops else ""
    if not found and not (is_version(version) and tops == {f"ffdata-data-{version}"}):
        raise _not_a_release(address, "no single folder ffdata-data-<version>/ inside")
    return version


def _release_sums(archive: zipfile.ZipFile, version: str, where: str) -> dict[str, str]:
    return check_archive(archive, f"ffdata-data-{version}/", where, _REFETCH)


def archive_files(address: str, data: bytes | Path) -> tuple[str, dict[str, bytes]]:
    """Check a release archive (its bytes, or its file: bounded before it is read) as
    :func:`fetch_release` does; return its version and package files (``datapackage.json``
    and the tables: name -> bytes).

    Example:
        >>> archive_files("x.zip", b"<html>")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: x.zip: not a release archive (File is not a zip file): '<html>'
          hint: the address gave a web page: ...; nothing was kept
    """
    if isinstance(data, Path):
        _check_size(address, data.stat().st_size)
        data = data.read_bytes()
    with _open_zip(address, data) as archive:
        version = _version_of(address, archive)
        expected = known_releases().get(version)
        if expected and sha256_of(data) != expected:
            raise _differs(address, version, expected)
        sums = _release_sums(archive, version, address)
        folder = f"ffdata-data-{version}/"
        package = [n for n in sorted(sums) if n == DESCRIPTOR or n.startswith(f"{PROCESSED}/")]
        return version, {name: archive.read(folder + name) for name in package}


def _check_size(address: str, size: int) -> None:
    """Refuse an archive larger than a release can be, before reading it."""
    if size > MAX_BYTES:
        raise _not_a_release(address, f"{size:,} bytes, a release at most {MAX_BYTES:,}")


def _label(version: str | None) -> str:
    return f"release {version}" if version else "the archive"


def _differs(address: str, version: str | None, expected: str) -> ReleaseError:
    return ReleaseError(
        f"{_label(version)} differs from its known sha256 {expected}",
        path=address,
        hint="the archive was refused and nothing was kept; check the address and the "
        "version, or the sha256 given",
    )


def _check_entry(entry: Path, expected: str) -> Path:
    version = entry.name.removeprefix("ffdata-data-").rsplit("-", 1)[0]
    archive = entry / _ARCHIVE
    refetch = f"the cache was changed: fetch again with refresh=True, or delete {entry}"
    if not archive.is_file() or sha256_file(archive) != expected:
        why = f"cached archive of release {version} differs from its sha256 {expected}"
        raise ReleaseError(why, document=str(archive), hint=refetch)
    with _open_zip(str(archive), archive) as zf:
        text = zf.read(f"ffdata-data-{version}/{SUMS}").decode("utf-8", "replace")
    sums = read_sums(text, str(archive), refetch)
    what = f"cached file of release {version}"
    return check_folder(entry / f"ffdata-data-{version}", sums, refetch, what=what)


def _cannot_write(cache: Path, exc: OSError) -> ReleaseError:
    return ReleaseError(
        f"cannot write the release into the cache ({exc.strerror or exc})",
        path=str(cache),
        hint=f"free some space, or point {CACHE_ENV} at a folder you can write",
    )


def _cannot_download(address: str, version: str | None, exc: OSError) -> ReleaseError:
    return ReleaseError(
        f"cannot download {_label(version)} ({exc.strerror or exc})",
        path=address,
        hint="check the address (a version, an http(s) or file:// address, or a path); "
        f"offline, give the archive's path (a checkout keeps each release in releases/, e.g. "
        f"releases/{release_name(version or '0.1.0')}) or set {URL_ENV} to a folder or mirror "
        "that has it; a cached release works offline",
    )


def _install(cache: Path, address: str, version: str | None, expected: str | None) -> Path:
    import pooch
    from pooch.downloaders import choose_downloader

    local = _local_path(address)

    def download(url: str, output: str, pooch_: object) -> None:
        if local is None:
            choose_downloader(url)(url, output, pooch_)
        else:
            with _open_zip(url, local) as zf:  # checked before a byte is written
                _release_sums(zf, version or _version_of(url, zf), url)
            shutil.copyfile(local, output)
        _check_size(url, Path(output).stat().st_size)
        with _open_zip(url, Path(output)):  # before pooch's sha256, so a web page is named
            pass

    def unpack(archive: str, action: str, pooch_: object) -> str:
        with _open_zip(address, Path(archive)) as zf:
            found = version or _version_of(address, zf)
            _release_sums(zf, found, address)
        try:
            pooch.Unzip(extract_dir=".")(archive, action, pooch_)
        except OSError as exc:
            raise _cannot_write(cache, exc) from exc
        return found

    logger, level = pooch.get_logger(), pooch.get_logger().level
    logger.setLevel("WARNING")  # quiet on success, as the rest of ffdata
    aside = Path(tempfile.mkdtemp(dir=cache, prefix=".partial-"))
    old = cache / f".old-{aside.name}"
    try:
        try:
            hashed = f"sha256:{expected}" if expected else None
            found = pooch.retrieve(
                address, hashed, _ARCHIVE, aside, processor=unpack, downloader=download
            )
        except ValueError:  # pooch's sha256 check
            raise _differs(address, version, str(expected)) from None
        except OSError as exc:  # requests' errors are OSErrors too
            raise _cannot_download(address, version, exc) from exc
        entry = cache / f"ffdata-data-{found}-{(expected or sha256_file(aside / _ARCHIVE))[:16]}"
        try:
            if entry.exists():  # refresh: moved out whole, so a reader never sees half of it
                entry.replace(old)
            aside.replace(entry)
        except OSError as exc:
            if not entry.is_dir():  # else another process installed it meanwhile: checked next
                if old.is_dir():  # the previous entry goes back, whole
                    old.replace(entry)
                raise _cannot_write(cache, exc) from exc
    finally:
        logger.setLevel(level)
        shutil.rmtree(aside, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return entry


def fetch_release(
    release: str | Path | None = None,
    url: str | None = None,
    cache_dir: Path | str | None = None,
    sha256: str | None = None,
    refresh: bool = False,
) -> Path:
    """Fetch (once), verify (every time) and unpack a data release; return its folder.

    ``release`` is a version (default: the package's) or an archive's address or path; ``url``
    an archive or a folder of archives (:func:`release_address`).

    Example:
        >>> folder = fetch_release("0.1.0")  # doctest: +SKIP
    """
    version: str | None = None
    address = None if release is None else os.fspath(release)
    if address is None or is_version(address):
        version = address or __version__
        shelf = None if url or os.environ.get(URL_ENV) else checkout_release(version)
        address = str(shelf) if shelf else release_address(version, url)  # before any network
    local = _local_path(address)
    cache = _cache_dir(cache_dir)
    actual = None
    if local is not None and local.is_dir():
        hint = f"give the archive inside it, e.g. {local / release_name(version or '0.1.0')}"
        raise ReleaseError("a folder where an archive was expected", path=address, hint=hint)
    if local is not None:  # read now: its version and sha256 find it in the cache
        try:
            _check_size(address, local.stat().st_size)
            with _open_zip(address, local) as zf:
                version = version or _version_of(address, zf)
            actual = sha256_file(local)
        except OSError as exc:
            raise _cannot_download(address, version, exc) from exc
    expected = sha256 or known_releases().get(version or "")
    if not (expected or actual):
        raise ReleaseError(
            f"no known sha256 for {_label(version)}",
            document=f"ffdata/{REGISTRY_RESOURCE}",
            hint=f"pass sha256=...; known releases: {', '.join(sorted(known_releases()))}",
        )
    key = str(expected or actual)
    cached = sorted(cache.glob(f"ffdata-data-{version or '*'}-{key[:16]}"))
    if refresh or not cached:
        cached = [_install(cache, address, version, expected)]
    return _check_entry(cached[0], key)


def release_root(release: str | Path) -> Path:
    """Return the verified folder of ``release`` (a version, an archive, or an unpacked folder).

    Example:
        >>> from ffdata.locate import data_root
        >>> release_root(data_root()) == data_root()
        True
    """
    if Path(release).is_dir():
        return check_folder(Path(release))
    return fetch_release(os.fspath(release))
