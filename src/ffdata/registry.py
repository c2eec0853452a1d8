"""Released data versions: the archive name, and the registry ``reference/releases.json``
of version -> sha256 of its archive, written once by ``make release`` and never rewritten.

Example:
    >>> "0.1.0" in known_releases(), len(known_releases()["0.1.0"])
    (True, 64)
"""

from __future__ import annotations

import json
import re
from importlib import resources

from ffdata._version import __version__
from ffdata.errors import ReleaseError

#: The repository the package and its releases are published from (the one declaration of it).
REPOSITORY_URL = "https://github.com/ffdata/ffdata"
#: The registry, relative to the ``ffdata`` package folder.
REGISTRY_RESOURCE = "reference/releases.json"
#: A version as written: x.y.z, each a number.
VERSION_PATTERN = r"\d+\.\d+\.\d+"
_VERSION = re.compile(VERSION_PATTERN)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RESTORE = "restore the file from version control"


def is_version(text: str) -> bool:
    """Whether ``text`` is a version written x.y.z.

    Example:
        >>> is_version("0.2.0"), is_version("0.2"), is_version("v0.2.0")
        (True, False, False)
    """
    return bool(_VERSION.fullmatch(text))


def release_name(version: str = __version__) -> str:
    """Return the archive name of a version.

    Example:
        >>> release_name("1.2.3")
        'ffdata-data-1.2.3.zip'
    """
    return f"ffdata-data-{version}.zip"


def parse_registry(text: str, where: str = f"ffdata/{REGISTRY_RESOURCE}") -> dict[str, str]:
    """Parse a registry's text into version -> sha256, refusing anything malformed.

    Example:
        >>> parse_registry('{"0.1.0": "' + "a" * 64 + '"}')["0.1.0"][:4]
        'aaaa'
    """
    try:
        registry = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReleaseError(
            f"registry is not JSON ({exc.msg})",
            document=where,
            line=exc.lineno,
            hint=_RESTORE,
        ) from exc
    if not isinstance(registry, dict):
        raise ReleaseError("registry is not a JSON object", document=where, hint=_RESTORE)
    for version, sha256 in registry.items():
        if not (is_version(version) and isinstance(sha256, str) and _SHA256.fullmatch(sha256)):
            raise ReleaseError(
                "registry entry is not a version and a sha256",
                document=where,
                text=version,
                hint='write "x.y.z": "<64 lowercase hex digits>"',
            )
    return dict(registry)


def format_registry(registry: dict[str, str]) -> str:
    """Return the registry's text as it is stored: sorted, indented, one entry a line.

    Example:
        >>> print(format_registry({"0.2.0": "b" * 4, "0.1.0": "a" * 4}), end="")
        {
          "0.1.0": "aaaa",
          "0.2.0": "bbbb"
        }
    """
    return json.dumps(dict(sorted(registry.items())), indent=2) + "\n"


def known_releases() -> dict[str, str]:
    """Return version -> sha256 of the releases this package knows.

    Example:
        >>> len(known_releases()["0.1.0"])
        64
    """
    text = resources.files("ffdata").joinpath(REGISTRY_RESOURCE).read_text("utf-8")
    return parse_registry(text)
