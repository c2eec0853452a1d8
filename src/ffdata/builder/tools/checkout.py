"""The source checkout a builder tool works on: ``--root``, or the working directory."""

from __future__ import annotations

from pathlib import Path

from ffdata.errors import PublishError
from ffdata.registry import REGISTRY_RESOURCE

PACKAGE_DIR = Path("src") / "ffdata"


def checkout_root(
    root: Path | str | None = None,
    hint: str = "run the command in the repository's root folder, or give the checkout (--root DIR)",
) -> Path:
    """Return ``root`` (default: here) if it is an ffdata checkout; refuse with ``hint``.

    Example:
        >>> import tempfile
        >>> checkout_root(tempfile.mkdtemp())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.PublishError: ...: not an ffdata checkout (no pyproject.toml and src/ffdata/)
          hint: run the command in the repository's root folder, or give the checkout (--root DIR)
    """
    folder = Path(root) if root is not None else Path.cwd()
    if not ((folder / "pyproject.toml").is_file() and (folder / PACKAGE_DIR).is_dir()):
        why = "not an ffdata checkout (no pyproject.toml and src/ffdata/)"
        raise PublishError(why, document=str(folder.resolve()), hint=hint)
    return folder.resolve()


def registry_file(root: Path) -> Path:
    """Return the release registry of checkout ``root``.

    Example:
        >>> registry_file(Path("repo")).as_posix()
        'repo/src/ffdata/reference/releases.json'
    """
    return root / PACKAGE_DIR / REGISTRY_RESOURCE
