"""Build the report: charts, page, and the README's chart, written to one folder
(:func:`build_report`, whose example builds it)."""

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


def make_charts(data: ReportData) -> dict[str, Chart]:
    """Return the page's charts by role (:data:`CHARTS`).

    Example (drawing all seven takes seconds; tests/test_report.py builds the report):
        >>> sorted(CHARTS)
        ['across', 'over_time', 'pairs_rest', 'pairs_top', 'rates', 'regions', 'totals']
        >>> charts = make_charts(load_report_data())  # doctest: +SKIP
    """
    return {role: draw(data) for role, draw in CHARTS.items()}


def build_report(out_dir: Path) -> Path:
    """Write ``index.html`` and ``top-countries.svg`` into ``out_dir``; return the page's path.

    ``out_dir`` is always given: the report has no place of its own (``make report``
    passes ``docs/report``).

    The folder is made first, so that one that cannot be written fails before the
    charts are drawn.

    Example (tests/test_report.py builds it once and checks both files; it takes seconds):
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> page = build_report(out)  # doctest: +SKIP
        >>> page.read_text(encoding="utf-8").count('<svg role="img"')  # doctest: +SKIP
        7
        >>> sorted(p.name for p in out.iterdir())  # doctest: +SKIP
        ['index.html', 'top-countries.svg']
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    data = load_report_data()
    charts = make_charts(data)
    page = out_dir / "index.html"
    write_whole(page, render_page(data, charts, _dataset_jsonld()))
    write_whole(out_dir / "top-countries.svg", standalone(charts["pairs_top"].svg))
    return page


def _dataset_jsonld() -> dict:
    """The schema.org Dataset of the package the report is built from."""
    from ffdata.builder.tools.dataset_metadata import dataset_jsonld, package_metadata
    from ffdata.locate import data_root

    descriptor, authors, date = package_metadata(data_root())
    return dataset_jsonld(descriptor, authors, date)
