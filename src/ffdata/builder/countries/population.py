"""World Bank total population (SP.POP.TOTL) from the pinned reference file.

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
    >>> read_population(read_manifest(default_raw_dir()))[("TUN", 2015)]
    11402264
"""

from __future__ import annotations

import math
from functools import lru_cache

from ffdata.builder.inputs.manifest import Manifest, read_verified
from ffdata.builder.inputs.reference_csv import read_csv_rows
from ffdata.errors import ReferenceDataError

REFERENCE_ID = "worldbank-population"
_COLUMNS = ["Country Name", "Country Code", "Year", "Value"]


def read_population(manifest: Manifest) -> dict[tuple[str, int], int]:
    """Return (ISO alpha-3 or World Bank code, year) -> population, hash-checked.
    Example: see the module docstring."""
    entry = manifest.reference(REFERENCE_ID)
    data = read_verified(manifest.raw_dir, entry.file, entry.sha256, entry.size)
    return dict(_parse_population(data, entry.file))


@lru_cache(maxsize=2)
def _parse_population(data: bytes, file: str) -> dict[tuple[str, int], int]:
    hint = "restore the pinned World Bank population file"
    table: dict[tuple[str, int], int] = {}
    for number, row in read_csv_rows(data, file, _COLUMNS, hint=hint):
        try:
            value = float(row["Value"])
            key = (row["Country Code"], int(row["Year"]))
        except ValueError as exc:
            raise ReferenceDataError(
                f"unreadable row ({exc})",
                document=file,
                line=number,
                text=",".join(row.values()),
                hint=hint,
            ) from None
        if not math.isfinite(value) or value != int(value) or value <= 0:
            why = "population is not a positive whole number"
            raise ReferenceDataError(why, document=file, line=number, text=row["Value"], hint=hint)
        table[key] = int(value)
    return table
