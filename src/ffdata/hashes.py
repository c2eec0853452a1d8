"""sha256 of bytes and files: the one hashing module (pins, checksums, releases).

Example:
    >>> sha256_of(b"abc")[:8]
    'ba7816bf'
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(data: bytes) -> str:
    """Return the hex sha256 of ``data`` (example: the module's)."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes.

    Example:
        >>> sha256_file(Path("datapackage.json")) == sha256_of(Path("datapackage.json").read_bytes())
        True
    """
    return sha256_of(path.read_bytes())
