"""sha256 of bytes and files: the one hashing module (pins, checksums, releases).

Example:
    >>> sha256_of(b"abc")[:8]
    'ba7816bf'
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(data: bytes) -> str:
    """Return the hex sha256 of ``data``.

    Example:
        >>> sha256_of(b"")[:12]
        'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x"
        >>> _ = p.write_bytes(b"abc")
        >>> sha256_file(p)[:8]
        'ba7816bf'
    """
    return sha256_of(path.read_bytes())
