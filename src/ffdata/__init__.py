"""ffdata: foreign fighters in Syria and Iraq as each source defines them, country figures with provenance.

Tables load offline as typed pandas DataFrames; every figure carries the document, line and
exact text it comes from. ``import ffdata`` is light: pandas is imported on first use.

Example:
    >>> import ffdata
    >>> ce = ffdata.load("country_estimates")
    >>> ce[(ce.iso3 == "NOR") & (ce.source_id == "soufan-2015")].fighters.tolist()
    [81, 60]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ffdata._version import __version__

__all__ = [
    "__version__",
    "cite",
    "compare",
    "country_summary",
    "describe",
    "fetch_release",
    "list_tables",
    "load",
    "path",
    "provenance",
    "totals",
]

_MODULES = {
    "ffdata.loading": ("list_tables", "load", "path"),
    "ffdata.api": ("describe", "country_summary", "compare", "provenance", "totals"),
    "ffdata.citation": ("cite",),
    "ffdata.fetch": ("fetch_release",),
}
_API = {name: module for module, names in _MODULES.items() for name in names}

if TYPE_CHECKING:
    from ffdata.api import compare, country_summary, describe, provenance, totals
    from ffdata.citation import cite
    from ffdata.fetch import fetch_release
    from ffdata.loading import list_tables, load, path


def __getattr__(name: str) -> Any:
    """Import the public API on first use, so that ``import ffdata`` stays fast."""
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ffdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
