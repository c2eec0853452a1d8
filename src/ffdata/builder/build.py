"""``ffdata build``: the pipeline on a raw folder, published all-or-nothing.

Example:
    >>> import tempfile
    >>> report = build("data/raw", tempfile.mkdtemp())
    >>> report.rows["country_estimates"], report.changed
    (20, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ffdata.builder.pipeline import run_pipeline
from ffdata.builder.publish.write import publish


@dataclass(frozen=True)
class BuildReport:
    """What a build did: rows per table, files written, whether anything changed, coverage."""

    out_dir: Path
    rows: dict[str, int]
    files: list[Path]
    changed: bool
    coverage: str = ""

    def summary(self) -> str:
        """One line per table, for the CLI.

        Example:
            >>> print(BuildReport(Path("."), {"countries": 66}, [], False, "9 of 9").summary())
            countries: 66 rows
            coverage: 9 of 9
            unchanged: the published files already match the build
        """
        lines = [f"{name}: {count} rows" for name, count in self.rows.items()]
        if self.coverage:
            lines.append(f"coverage: {self.coverage}")
        if self.changed:
            lines.append(f"wrote {len(self.files)} files under {self.out_dir}")
        else:
            lines.append("unchanged: the published files already match the build")
        return "\n".join(lines)


def build(raw_dir: Path | str, out_dir: Path | str) -> BuildReport:
    """Run the pipeline on ``raw_dir`` and publish into ``out_dir``.
    Example: see the module docstring."""
    result = run_pipeline(raw_dir)
    rows = {name: len(frame) for name, frame in result.tables.items()}
    coverage = result.coverage.summary() if result.coverage is not None else ""
    return BuildReport(Path(out_dir), rows, *publish(result, out_dir), coverage)
