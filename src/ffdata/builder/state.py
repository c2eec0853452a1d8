"""What a build has produced so far: the one record the stages read and fill, in flow order.

Example:
    >>> BuildState(raw_dir=Path("data/raw")).rows
    []
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ffdata.builder.countries.regions import Region
    from ffdata.builder.countries.resolve import Alias, Country
    from ffdata.builder.extract.records import AggregateFigure, CountryFigure, SourceRecord
    from ffdata.builder.inputs.manifest import Document, Manifest
    from ffdata.builder.review.coverage import CoverageReport


@dataclass
class BuildState:
    """What the stages have produced so far (each stage fills its fields)."""

    raw_dir: Path
    manifest: Manifest | None = None
    documents: dict[str, Document] = field(default_factory=dict)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    figures: list[AggregateFigure] = field(default_factory=list)
    rows: list[CountryFigure] = field(default_factory=list)
    aliases: dict[str, Alias] = field(default_factory=dict)
    parts: dict[str, Alias] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    population: dict[tuple[str, int], int] = field(default_factory=dict)
    coverage: CoverageReport | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
