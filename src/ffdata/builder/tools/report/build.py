"""Build the report: its charts, the page, and the README's chart, written to one folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ffdata.builder.publish.atomic import write_whole
from ffdata.builder.tools.report.charts import (
    Chart,
    across_dates_chart,
    dot_chart,
    pairs_chart,
    region_chart,
    totals_chart,
)
from ffdata.builder.tools.report.data import ReportData, load_report_data
from ffdata.builder.tools.report.page import render_page
from ffdata.builder.tools.report.svg import standalone

TOP = 15  # countries in the first chart of official and unofficial figures

#: The page's charts by role, each drawn from the report's data.
CHARTS: dict[str, Callable[[ReportData], Chart]] = {
    "totals": lambda data: totals_chart(data, "chart-totals"),
    "over_time": lambda data: across_dates_chart(data, "chart-over-time"),
    "pairs_top": lambda data: pairs_chart(data, 0, TOP, "chart-soufan-top"),
    "pairs_rest": lambda data: pairs_chart(data, TOP, None, "chart-soufan-rest"),
    "across": lambda data: dot_chart(data, "sources", "chart-across"),
    "rates": lambda data: dot_chart(data, "rates", "chart-rates", n=TOP),
    "regions": lambda data: region_chart(data, "chart-regions"),
}


def build_report(out_dir: Path) -> Path:
    """Write ``index.html`` and ``top-countries.svg`` into ``out_dir`` (made first, so that
    one that cannot be written fails before the charts are drawn); return the page's path.

    Example (tests/test_report.py builds it and checks both files; it takes seconds):
        >>> build_report(Path("docs/report"))  # doctest: +SKIP
        PosixPath('docs/report/index.html')
    """
    from ffdata.builder.tools.croissant import croissant_of
    from ffdata.locate import data_root

    out_dir.mkdir(parents=True, exist_ok=True)
    data = load_report_data()
    charts = {role: draw(data) for role, draw in CHARTS.items()}
    page = out_dir / "index.html"
    jsonld = croissant_of(data_root())  # the same as croissant.json
    write_whole(page, render_page(data, charts, jsonld))
    write_whole(out_dir / "top-countries.svg", standalone(charts["pairs_top"].svg))
    return page
