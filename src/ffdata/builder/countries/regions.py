"""UN M49 regions from the pinned country-codes file (and :data:`ASSIGNED` for Kosovo).

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
    >>> read_regions(read_manifest(default_raw_dir()))["TUN"]
    Region(region='Africa', subregion='Northern Africa', note=None)
"""

from __future__ import annotations

from dataclasses import dataclass

from ffdata.builder.inputs.manifest import Manifest, read_verified
from ffdata.builder.inputs.reference_csv import read_csv_rows
from ffdata.errors import ReferenceDataError

REFERENCE_ID = "un-m49-country-codes"
_COLUMNS = ["ISO3166-1-Alpha-3", "Region Name", "Sub-region Name"]


@dataclass(frozen=True)
class Region:
    """UN M49 region and sub-region of a country, and a note when not from M49."""

    region: str
    subregion: str
    note: str | None = None


ASSIGNED = {
    "XKX": Region(
        "Europe",
        "Southern Europe",
        "Kosovo has no UN M49 entry; ffdata assigns Europe / Southern Europe, the usual choice.",
    ),
}


def read_regions(manifest: Manifest) -> dict[str, Region]:
    """Return ISO alpha-3 -> :class:`Region`, from the hash-checked reference file.
    Example: see the module docstring."""
    entry = manifest.reference(REFERENCE_ID)
    data = read_verified(manifest.raw_dir, entry.file, entry.sha256, entry.size)
    table: dict[str, Region] = {}
    for _, row in read_csv_rows(data, entry.file, _COLUMNS, hint="restore the pinned file"):
        iso3 = row["ISO3166-1-Alpha-3"].strip()
        if iso3 and row["Region Name"].strip():
            table[iso3] = Region(row["Region Name"].strip(), row["Sub-region Name"].strip())
    if not table:
        hint = "restore the pinned country-codes file"
        raise ReferenceDataError("no country has a region", document=entry.file, hint=hint)
    return {**table, **ASSIGNED}
