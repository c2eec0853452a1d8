"""The report's charts: matplotlib figures rendered to accessible inline SVG.

Every chart has a title, labelled axes with units, and a description (its
alt text) that lists the numbers it draws.

Example:
    >>> from ffdata.builder.report.data import load_report_data
    >>> chart = pairs_chart(load_report_data(), 0, 5, "demo")
    >>> chart.title
    'Soufan 2015: official and unofficial figures, countries 1-5'
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ffdata.builder.report.data import (
    ReportData,
    disagreements,
    is_missing,
    official_pairs,
    paired_source,
    region_totals,
    series_colours,
    series_label,
    series_order,
    top_rates,
)
from ffdata.builder.report.svg import GRID, MARKERS, PALETTE, new_figure, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH = 4.6  # inches; the page scales the SVG to the column width
ROW = 0.3  # inches per category row


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its SVG, title, description (alt text) and source ids."""

    chart_id: str
    title: str
    description: str
    svg: str
    source_ids: tuple[str, ...]
    note: str = ""


def number(value: float, decimals: int = 0) -> str:
    """Return a number with thousands separators.

    Example:
        >>> number(7000), number(526.214, 1)
        ('7,000', '526.2')
    """
    return f"{value:,.{decimals}f}"


def colours(data: ReportData) -> dict[str, tuple[str, str]]:
    """Return the colour and marker of each series, stable across charts.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> colours(load_report_data())["Soufan 2015, official"]
        ('#0072b2', 'o')
    """
    declared = series_colours(data)
    return {
        label: (declared.get(label, PALETTE[i % len(PALETTE)]), MARKERS[i % len(MARKERS)])
        for i, label in enumerate(series_order(data))
    }


def _thousands(ax: Axes, log: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    if log:
        ax.xaxis.set_major_locator(LogLocator(base=10))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: number(v, 0 if v >= 1 or v == 0 else 1))
    )
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)


def _title(fig: Figure, text: str) -> None:
    fig.suptitle(textwrap.fill(text, 44), x=0.01, ha="left", fontsize=12, fontweight="bold")


def pairs_chart(data: ReportData, start: int, stop: int | None, chart_id: str) -> Chart:
    """Return paired bars of a source's official and unofficial figures, countries
    start..stop-1 (the source is :func:`~ffdata.builder.report.data.paired_source`).

    Countries are ranked by official figure (the order of Soufan's Table 1).

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> chart = pairs_chart(load_report_data(), 0, 3, "c")
        >>> chart.description.split(". ")[1]
        'Tunisia: official 6,000, unofficial 7,000'
    """
    source = paired_source(data)
    label = "" if source is None else str(source["label"])
    pairs = official_pairs(data).iloc[start:stop]
    first, last = start + 1, start + len(pairs)
    title = f"{label}: official and unofficial figures, countries {first}-{last}"
    fig = new_figure(WIDTH, 1.35 + ROW * 1.25 * len(pairs))
    ax = fig.axes[0]
    tone = colours(data)
    positions = list(range(len(pairs)))
    for offset, kind in ((-0.2, "official"), (0.2, "unofficial")):
        values = [0 if is_missing(v) else int(v) for v in pairs[kind]]
        bars = ax.barh(
            [p + offset for p in positions],
            values,
            height=0.4,
            color=tone[series_label(label, kind)][0],
            label=f"{kind.capitalize()}",
        )
        labels = ["" if is_missing(v) else number(v) for v in pairs[kind]]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=9.5)
    ax.set_yticks(positions, list(pairs["name"]))
    ax.set_ylim(len(pairs) - 0.5, -0.6)
    ax.set_xlim(0, float(pairs[["official", "unofficial"]].max().max()) * 1.16)
    ax.set_xlabel("Foreign fighters (people)")
    _title(fig, title)
    ax.legend(loc="lower right", ncols=1, title=f"{label} figure", fontsize=10, title_fontsize=10)
    _thousands(ax)
    items = [
        f"{name}: official {_or_none(o)}, unofficial {_or_none(u)}"
        for name, o, u in zip(pairs["name"], pairs["official"], pairs["unofficial"], strict=True)
    ]
    description = (
        "Horizontal bar chart, two bars per country (official, unofficial), in people. "
        + ". ".join(items)
        + "."
    )
    return Chart(
        chart_id,
        title,
        description,
        to_svg(fig, chart_id, title, description),
        tuple([] if source is None else [str(source["source_id"])]),
    )


def _or_none(value: object) -> str:
    return "none" if is_missing(value) else number(float(value))  # type: ignore[arg-type]


def _dodge(present: list[str], step: float = 0.17) -> dict[str, float]:
    """Vertical offsets of a row's dots, centred, so that equal values stay visible."""
    return {s: (k - (len(present) - 1) / 2) * step for k, s in enumerate(present)}


def dot_chart(
    data: ReportData,
    kind: str,
    chart_id: str,
    n: int = 15,
) -> Chart:
    """Return a dot plot comparing series per country (one dot per source and kind).

    ``kind="sources"``: every country whose figures from two or more series
    differ, the widest disagreement first, on a logarithmic scale (countries
    whose figures agree are named in ``note``). ``kind="rates"``: the ``n``
    countries with the highest figure per million inhabitants. Dots of one
    row are offset vertically, so equal figures stay visible.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> chart = dot_chart(load_report_data(), "rates", "r", n=2)
        >>> chart.description.split(". ")[1].startswith("Tunisia: Soufan 2015, official 526.2")
        True
    """
    note = ""
    if kind == "sources":
        both = disagreements(data)
        wide = both[both["ratio"] > 1].reset_index(drop=True)
        same = both[both["ratio"] == 1].sort_values("name")
        agree = ", ".join(
            f"{n} ({number(v)})" for n, v in zip(same["name"], same["low"], strict=True)
        )
        note = f"Figures that agree (not drawn): {agree}." if agree else ""
        title = "The same country across sources: figures that disagree"
        xlabel = "Foreign fighters (people), log scale"
        decimals = 0
    else:
        wide = top_rates(data, n)
        title = f"Fighters per million inhabitants, top {len(wide)} countries"
        xlabel = "Fighters per million inhabitants"
        decimals = 1
    from matplotlib.transforms import blended_transform_factory

    tone = colours(data)
    series = [s for s in series_order(data) if s in wide.columns and wide[s].notna().any()]
    rows = wide.to_dict("records")
    offsets = [_dodge([s for s in series if not is_missing(row[s])]) for row in rows]
    fig = new_figure(WIDTH, 1.7 + ROW * 1.15 * len(wide))
    ax = fig.axes[0]
    labels = []
    items = []
    margin = blended_transform_factory(ax.transAxes, ax.transData)
    for i, row in enumerate(rows):
        values = {s: float(row[s]) for s in series if not is_missing(row[s])}
        low, high = min(values.values()), max(values.values())
        if high > low:
            ax.plot([low, high], [i, i], color="#9a9a9a", linewidth=1.4, zorder=1)
        name = str(row["name"])
        labels.append(name)
        if kind == "sources":
            ax.text(1.03, i, f"x{high / low:.2f}", transform=margin, va="center", fontsize=9.5)
        items.append(
            f"{name}: " + "; ".join(f"{s} {number(v, decimals)}" for s, v in values.items())
        )
    for s in series:
        points = [(float(r[s]), i + offsets[i][s]) for i, r in enumerate(rows) if s in offsets[i]]
        colour, marker = tone[s]
        ax.scatter(
            [x for x, _ in points],
            [y for _, y in points],
            color=colour,
            marker=marker,
            s=50,
            label=s,
            zorder=2,
            edgecolors="white",
            linewidths=0.5,
        )
    ax.set_yticks(range(len(wide)), labels)
    if kind == "sources":
        ax.text(1.03, -0.9, "high/low", transform=margin, va="bottom", fontsize=9, weight="bold")
    ax.set_ylim(len(wide) - 0.5, -0.6)
    if kind == "sources":
        ax.set_xscale("log")
    else:
        ax.set_xlim(0, float(wide["highest"].max()) * 1.05)
    ax.set_xlabel(xlabel, loc="right")
    _title(fig, title)
    _thousands(ax, log=kind == "sources")
    fig.legend(loc="outside lower left", ncols=1, fontsize=10, markerscale=1.2)
    what = (
        "Dot plot, one row per country whose figures from two or more sources or kinds "
        "differ, largest ratio between its highest and lowest figure first (the ratio is "
        "printed at the right)"
        if kind == "sources"
        else "Dot plot, one row per country, one dot per source and kind of figure, "
        "in foreign fighters per million inhabitants"
    )
    description = what + ". " + ". ".join(items) + "." + (f" {note}" if note else "")
    source_ids = tuple(
        sorted(set(data.estimates.loc[data.estimates["series"].isin(series), "source_id"]))
    )
    svg = to_svg(fig, chart_id, title, description)
    return Chart(chart_id, title, description, svg, source_ids, note)


def region_chart(data: ReportData, chart_id: str) -> Chart:
    """Return one panel per source and kind: the sum of its figures per UN region.

    Panels are never added together; each bar says how many countries it sums.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> chart = region_chart(load_report_data(), "g")
        >>> "Soufan 2015, official: Africa 8,044 (7 countries)" in chart.description
        True
    """
    totals = region_totals(data)
    series = list(dict.fromkeys(totals["series"]))
    areas = sorted(set(totals["area"]))
    tone = colours(data)
    panel = 0.55 + ROW * len(areas)
    fig = new_figure(WIDTH, 0.9 + panel * len(series), rows=len(series), sharex=True)
    items = []
    top = float(totals["fighters"].max())
    for ax, label in zip(fig.axes, series, strict=True):
        rows = totals[totals["series"] == label].set_index("area")
        values = [int(rows.loc[a, "fighters"]) if a in rows.index else 0 for a in areas]
        bars = ax.barh(
            range(len(areas)), values, height=0.62, color=tone.get(label, (PALETTE[-1],))[0]
        )
        texts = [
            f"{number(rows.loc[a, 'fighters'])} ({int(rows.loc[a, 'countries'])} "
            f"{'country' if int(rows.loc[a, 'countries']) == 1 else 'countries'})"
            if a in rows.index
            else "not listed"
            for a in areas
        ]
        ax.bar_label(bars, labels=texts, padding=3, fontsize=9.5)
        ax.set_yticks(range(len(areas)), areas)
        ax.set_ylim(len(areas) - 0.5, -0.5)
        ax.set_title(label, fontsize=11, loc="left")
        ax.set_xlim(0, top * 1.45)
        _thousands(ax)
        items.append(
            f"{label}: " + ", ".join(f"{a} {t}" for a, t in zip(areas, texts, strict=True))
        )
    fig.axes[-1].set_xlabel("Foreign fighters (people), sum over\nthe countries a source lists")
    title = "Totals by UN region, one panel per source and kind"
    _title(fig, title)
    description = (
        "Horizontal bar charts, one panel per source and kind of figure, one bar per UN region: "
        "the sum of the figures of the countries that source lists. " + ". ".join(items) + "."
    )
    source_ids = tuple(sorted(set(totals["source_id"])))
    return Chart(
        chart_id, title, description, to_svg(fig, chart_id, title, description), source_ids
    )
