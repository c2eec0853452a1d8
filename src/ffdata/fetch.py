"""Downloading a data release with pooch: hash-checked, cached, offline once cached.

``fetch_release()`` downloads ``ffdata-data-<version>.zip``, checks it against
the sha256 shipped with the package (``reference/releases.json``, see
:mod:`ffdata.registry`) or given by the caller, unpacks it into a cache and returns the unpacked folder. A second
call finds the verified folder in the cache and touches no network. A wrong
hash is an error and nothing is kept. Nothing here runs unless called.

The cache is ``pooch.os_cache("ffdata")`` unless ``cache_dir`` or the
``FFDATA_CACHE_DIR`` environment variable says otherwise; the download address
is ``RELEASE_URL`` unless ``url`` or ``FFDATA_RELEASE_URL`` (a base address
ending in ``/``) says otherwise.

Example:
    >>> sorted(known_releases())
    ['0.1.0']
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ffdata._version import __version__
from ffdata.errors import ReleaseError
from ffdata.hashes import sha256_file
from ffdata.registry import REGISTRY_RESOURCE, known_releases, release_name

__all__ = ["fetch_release", "known_releases", "release_name"]

RELEASE_URL = "https://github.com/ffdata/ffdata/releases/download/v{version}/{name}"
CACHE_ENV = "FFDATA_CACHE_DIR"
URL_ENV = "FFDATA_RELEASE_URL"
_VERIFIED = ".ffdata-verified"


def _cache_dir(cache_dir: Path | str | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import pooch

    return Path(pooch.os_cache("ffdata"))


def _url(version: str, url: str | None) -> str:
    if url is not None:
        return url
    base = os.environ.get(URL_ENV)
    if base:
        return base.rstrip("/") + "/" + release_name(version)
    return RELEASE_URL.format(version=version, name=release_name(version))


def _verify_sums(folder: Path) -> None:
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise ReleaseError(
            "release has no SHA256SUMS",
            path=str(folder),
            hint="this is not an ffdata release; check the address",
        )
    for number, line in enumerate(sums.read_text("utf-8").splitlines(), start=1):
        digest, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file() or sha256_file(path) != digest:
            raise ReleaseError(
                "unpacked file differs from SHA256SUMS",
                document=str(sums),
                line=number,
                text=name,
                hint="delete the cache folder and fetch again",
            )


def fetch_release(
    version: str | None = None,
    url: str | None = None,
    cache_dir: Path | str | None = None,
    sha256: str | None = None,
) -> Path:
    """Download (once), verify and unpack a data release; return its folder.

    Example (no download: the release is already in a cache)::

        >>> import ffdata
        >>> folder = ffdata.fetch_release("0.1.0")          # doctest: +SKIP
        >>> ffdata.load("countries", release="0.1.0")       # doctest: +SKIP
    """
    version = version or __version__
    expected = sha256 or known_releases().get(version)
    if not expected:
        raise ReleaseError(
            f"no known sha256 for release {version}",
            document=f"ffdata/{REGISTRY_RESOURCE}",
            hint=f"pass sha256=...; known releases: {', '.join(sorted(known_releases()))}",
        )
    cache = _cache_dir(cache_dir)
    unpacked = cache / f"ffdata-data-{version}"
    folder = unpacked / f"ffdata-data-{version}"
    marker = unpacked / _VERIFIED
    if marker.is_file() and marker.read_text("utf-8").strip() == expected:
        return folder
    import pooch

    cache.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            _url(version, url),
            known_hash=f"sha256:{expected}",
            fname=release_name(version),
            path=cache,
            processor=pooch.Unzip(extract_dir=unpacked.name),
            progressbar=False,
        )
    except ValueError as exc:
        shutil.rmtree(unpacked, ignore_errors=True)
        if "hash" not in str(exc).lower():  # e.g. an address pooch cannot fetch
            raise ReleaseError(
                f"cannot download release {version} ({exc})",
                path=_url(version, url),
                hint="use an http(s) address, or a cached release",
            ) from exc
        raise ReleaseError(
            f"release {version} differs from its known sha256 ({exc})",
            path=_url(version, url),
            hint="the download was refused and deleted; check the address, or the sha256 given",
        ) from exc
    except OSError as exc:  # network and file errors (requests' errors are OSErrors)
        shutil.rmtree(unpacked, ignore_errors=True)
        raise ReleaseError(
            f"cannot download release {version} ({exc})",
            path=_url(version, url),
            hint="check the network or the address; a cached release works offline",
        ) from exc
    try:
        _verify_sums(folder)
    except ReleaseError:
        shutil.rmtree(unpacked, ignore_errors=True)
        (cache / release_name(version)).unlink(missing_ok=True)
        raise
    marker.write_text(expected + "\n", encoding="utf-8")
    return folder
