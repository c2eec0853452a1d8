"""Where the published package is: inside the installed wheel, or the source checkout.

Order: the ``FFDATA_DATA_DIR`` environment variable (a folder holding
``datapackage.json``), then ``ffdata/_data/`` inside the installed package
(wheels carry the tables there), then the repository root of an editable
install (``data/processed/`` beside ``src/``).

Example:
    >>> (data_root() / "datapackage.json").is_file()
    True
"""

from __future__ import annotations

import os
from pathlib import Path

from ffdata.errors import FfdataError

ENV_VAR = "FFDATA_DATA_DIR"
#: Layout of a published package, relative to its root.
PROCESSED = Path("data") / "processed"
DESCRIPTOR = "datapackage.json"
#: The source checkout (for an editable install or ``make``).
CHECKOUT = Path(__file__).resolve().parents[2]
_PACKAGE_DATA = Path(__file__).resolve().parent / "_data"


def data_root() -> Path:
    """Return the folder holding ``datapackage.json`` and ``data/processed/``.

    Example: see the module docstring.
    """
    override = os.environ.get(ENV_VAR)
    candidates = [Path(override)] if override else [_PACKAGE_DATA, CHECKOUT]
    for root in candidates:
        if (root / DESCRIPTOR).is_file():
            return root
    raise FfdataError(
        "cannot find the published tables",
        path=" or ".join(str(c / DESCRIPTOR) for c in candidates),
        hint=f"reinstall ffdata, run `make data` in a checkout, or set {ENV_VAR}",
    )
