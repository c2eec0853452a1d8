"""Where the published package is: ``FFDATA_DATA_DIR``, else ``ffdata/_data/`` inside the
installed package (a zip import too), else the checkout of an editable install.

Example:
    >>> (data_root() / "datapackage.json").is_file()
    True
"""

from __future__ import annotations

import atexit
import contextlib
import os
from functools import cache
from importlib import resources
from pathlib import Path

from ffdata.errors import FfdataError

ENV_VAR = "FFDATA_DATA_DIR"
#: Layout of a published package, relative to its root.
PROCESSED = Path("data") / "processed"
DESCRIPTOR = "datapackage.json"
#: The source checkout (for an editable install or ``make``).
CHECKOUT = Path(__file__).resolve().parents[2]
#: Where a wheel puts the published package, inside ``ffdata``.
PACKAGE_DATA = "_data"


@cache
def _package_data() -> Path:
    """The package's ``_data`` folder as a path (from a zip file, a copy kept until exit)."""
    data = resources.files("ffdata") / PACKAGE_DATA
    if isinstance(data, Path):
        return data
    stack = contextlib.ExitStack()  # a folder inside a zip file: extract it once (Python 3.12+)
    atexit.register(stack.close)
    return stack.enter_context(resources.as_file(data))


def data_root() -> Path:
    """Return the folder holding ``datapackage.json`` and ``data/processed/`` (example: the
    module's)."""
    override = os.environ.get(ENV_VAR)
    candidates = [Path(override)] if override else [_package_data(), CHECKOUT]
    for root in candidates:
        if (root / DESCRIPTOR).is_file():
            return root
    raise FfdataError(
        "cannot find the published tables",
        path=" or ".join(str(c / DESCRIPTOR) for c in candidates),
        hint=f"reinstall ffdata, run `make data` in a checkout, or set {ENV_VAR}",
    )
