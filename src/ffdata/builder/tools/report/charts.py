"""The report's charts: matplotlib figures rendered to accessible inline SVG.

Every chart has a title, labelled axes with units, and a description (its alt text) that
lists the numbers it draws. A single figure is a dot; a range is an interval between its
two ends as printed, never a midpoint.

Example:
    >>> from ffdata.builder.tools.report.data import load_report_data
    >>> pairs_chart(load_report_data(), 0, 2, "demo").title
    'Soufan 2015: official and unofficial figures, countries 1-2'
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ffdata.builder.inputs.dates import period_bounds
from ffdata.builder.tools.report.data import (
    NO_FIGURE,
    ReportData,
    aggregate_value,
    date_text,
    disagreements,
    estimate_rows,
    figure_text,
    most_estimated,
    number,
    official_pairs,
    paired_source,
    region_totals,
    series_label,
    series_order,
    top_rates,
)
from ffdata.builder.tools.report.svg import GRID, MARKERS, PALETTE, new_figure, to_svg
from ffdata.display import is_missing

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

WIDTH = 4.6  # inches; the page scales the SVG to the column width
WIDE = 9.2  # inches, for a chart across the page's width
ROW = 0.3  # inches per category row
ACROSS = 20  # rows of the chart of disagreeing sources
CAP = 7  # size of an interval's end caps, in points
GREY = "#6e7781"  # counts drawn apart from the series they are not comparable with
DOT = 50**0.5  # size of a single figure's marker, in points (an area of 50 square points)
#: How a single figure (a dot with a white edge) and a range (a line with end caps) are drawn.
_DOT = {"markersize": DOT, "markeredgecolor": "white", "markeredgewidth": 0.5}
_BAR = {"linewidth": 2.2, "markersize": CAP, "markeredgewidth": 2}
_POINTS = {"textcoords": "offset points"}  # an annotation's offset from its point, in points


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its SVG, title, description (alt text) and source ids."""

    chart_id: str
    title: str
    description: str
    svg: str
    source_ids: tuple[str, ...]
    note: str = ""
    wide: bool = False
    #: The same chart laid out for a phone's width (an SVG the page shows there instead).
    narrow: str = ""


def _chart(fig: Figure, chart: Chart, items: list[str], sep: str = ". ") -> Chart:
    """``chart`` drawn from ``fig``: its description (what it shows) and the numbers it draws."""
    text = f"{chart.description}{sep.join(items)}." + (f" {chart.note}" if chart.note else "")
    return replace(chart, description=text, svg=to_svg(fig, chart.chart_id, chart.title, text))


def _colours(data: ReportData) -> dict[str, tuple[str, str]]:
    """The colour (the source's, else the palette's) and marker of each series."""
    declared = {}  # the colours the sources declare (chart_colours), one per kind of figure
    for row in data.sources.dropna(subset=["label"]).itertuples(index=False):
        kinds = str(row.estimate_kinds).split(";")
        for kind, colour in zip(kinds, str(row.chart_colours).split(";"), strict=True):
            declared[series_label(str(row.label), kind)] = colour
    return {
        label: (declared.get(label, PALETTE[i % len(PALETTE)]), MARKERS[i % len(MARKERS)])
        for i, label in enumerate(series_order(data))
    }


def _draw_estimate(
    ax: Axes, kind: str, ends: tuple, at: float | dt.date, style: tuple, horizontal: bool = True
) -> None:
    """Draw a single figure as a dot, a range as an interval with end caps (values on x if
    ``horizontal``, else on y), a listing without a figure as nothing."""
    low, high = ends
    if kind == "single":
        x, y = (low, at) if horizontal else (at, low)
        ax.plot([x], [y], linestyle="none", color=style[0], marker=style[1], zorder=3, **_DOT)
    elif kind == "range":
        xs, ys = ([low, high], [at, at]) if horizontal else ([at, at], [low, high])
        cap = "|" if horizontal else "_"
        ax.plot(xs, ys, color=style[0], marker=cap, solid_capstyle="butt", zorder=2, **_BAR)


def _legend(fig: Figure, data: ReportData, rows: list[dict], **options) -> tuple[str, ...]:
    """Add the legend of the series of the estimates drawn, ``rows``; return their sources."""
    from matplotlib.lines import Line2D

    tone = _colours(data)
    handles = []
    for s in [s for s in series_order(data) if s in {r["series"] for r in rows}]:
        dots = any(r["series"] == s and r["kind"] == "single" for r in rows)
        line = any(r["series"] == s and r["kind"] == "range" for r in rows)
        kinds = [k for k, present in (("dots", dots), ("ranges", line)) if present]
        style = {**_DOT, "markersize": 7, "linewidth": 2.2} if dots else _BAR
        label = s if kinds == ["dots"] else f"{s} ({' and '.join(kinds)})"
        marker, linestyle = (tone[s][1] if dots else "|"), ("-" if line else "none")
        handles.append(
            Line2D(
                [], [], color=tone[s][0], marker=marker, linestyle=linestyle, label=label, **style
            )
        )
    fig.legend(handles=handles, fontsize=9.5, **options)
    return tuple(sorted({r["source_id"] for r in rows}))


def _thousands(ax: Axes, log: bool = False, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    if log:
        target.set_major_locator(LogLocator(base=10))
        target.set_minor_formatter(NullFormatter())
    target.set_major_formatter(
        FuncFormatter(lambda v, _pos: number(v, 0 if v >= 1 or v == 0 else 1))
    )
    ax.grid(axis=axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y" if axis == "x" else "x", length=0 if axis == "x" else 3)


def _title(fig: Figure, text: str, width: int = 44) -> None:
    fig.suptitle(textwrap.fill(text, width), x=0.01, ha="left", fontsize=12, fontweight="bold")


def _or_none(value: object) -> str:
    return "none" if is_missing(value) else number(float(value))  # type: ignore[arg-type]


def pairs_chart(data: ReportData, start: int, stop: int | None, chart_id: str) -> Chart:
    """Return paired bars of the :func:`~ffdata.builder.tools.report.data.paired_source`'s
    official and unofficial figures, countries start..stop-1 by official figure.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> pairs_chart(load_report_data(), 0, 3, "c").description.split(". ")[1]
        'Tunisia: official 6,000, unofficial 7,000'
    """
    source = paired_source(data)
    label = "" if source is None else str(source["label"])
    pairs = official_pairs(data).iloc[start:stop]
    title = f"{label}: official and unofficial figures, countries {start + 1}-{start + len(pairs)}"
    fig = new_figure(WIDTH, 1.35 + ROW * 1.25 * len(pairs))
    ax = fig.axes[0]
    tone = _colours(data)
    positions = list(range(len(pairs)))
    for offset, kind in ((-0.2, "official"), (0.2, "unofficial")):
        values = [0 if is_missing(v) else int(v) for v in pairs[kind]]
        colour = tone[series_label(label, kind)][0]
        bars = ax.barh(
            [p + offset for p in positions],
            values,
            height=0.4,
            color=colour,
            label=kind.capitalize(),
        )
        labels = ["" if is_missing(v) else number(v) for v in pairs[kind]]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=9.5)
    ax.set_yticks(positions, list(pairs["country_name"]))
    ax.set_ylim(len(pairs) - 0.5, -0.6)
    ax.set_xlim(0, float(pairs[["official", "unofficial"]].max().max()) * 1.16)
    ax.set_xlabel("Foreign fighters (people)")
    _title(fig, title)
    ax.legend(loc="lower right", ncols=1, title=f"{label} figure", fontsize=10, title_fontsize=10)
    _thousands(ax)
    items = [
        f"{name}: official {_or_none(o)}, unofficial {_or_none(u)}"
        for name, o, u in zip(
            pairs["country_name"], pairs["official"], pairs["unofficial"], strict=True
        )
    ]
    what = "Horizontal bar chart, two bars per country (official, unofficial), in people. "
    source_ids = () if source is None else (str(source["source_id"]),)
    return _chart(fig, Chart(chart_id, title, what, "", source_ids), items)


def _dot_rows(data: ReportData, kind: str, n: int) -> tuple[list[str], str]:
    """The countries (iso3) of a dot chart, and its note."""
    if kind == "rates":
        return list(top_rates(data, n)["iso3"]), ""
    both = disagreements(data)
    wide = both[both["gap"] > 1]
    same = both[both["low"] == both["high"]].sort_values("country_name")
    overlap = both[(both["gap"] <= 1) & (both["low"] != both["high"])].sort_values("country_name")
    agree = ", ".join(
        f"{a} ({number(v)})" for a, v in zip(same["country_name"], same["low"], strict=True)
    )
    more = f"{len(wide) - n} more countries whose figures differ are in the table of every figure."
    notes = [more] if len(wide) > n else []
    notes += [f"Figures that agree (not drawn): {agree}."] if agree else []
    if not overlap.empty:
        names = ", ".join(overlap["country_name"])
        notes += [f"Estimates whose ranges overlap (not drawn): {names}."]
    return list(wide["iso3"].head(n)), " ".join(notes)


def dot_chart(data: ReportData, kind: str, chart_id: str, n: int = ACROSS) -> Chart:
    """Return a dot plot comparing series per country, one mark per source and kind: for
    ``kind="sources"`` the ``n`` countries whose estimates stay furthest apart (log scale),
    for ``kind="rates"`` the ``n`` with the highest figure per million inhabitants.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> dot_chart(load_report_data(), "rates", "r", n=2).description.split(". ")[1][:30]
        'Tunisia: Soufan 2015, official'
    """
    iso3s, note = _dot_rows(data, kind, n)
    rate = kind == "rates"
    decimals = 1 if rate else 0
    stem = "fighters_per_million" if rate else "fighters"
    order = series_order(data)
    tone = _colours(data)
    every = estimate_rows(data)
    fig = new_figure(WIDTH, 1.9 + ROW * 1.15 * len(iso3s))
    ax = fig.axes[0]
    items, names, drawn = [], [], []
    for i, iso3 in enumerate(iso3s):
        rows = sorted(
            (r for r in every if r["iso3"] == iso3 and r["kind"] != "none"),
            key=lambda r: order.index(r["series"]),
        )
        for k, row in enumerate(rows):  # a row's marks centred, so that equal values show
            ends = (row["rate_low"], row["rate_high"]) if rate else (row["low"], row["high"])
            at = i + (k - (len(rows) - 1) / 2) * 0.17
            _draw_estimate(ax, row["kind"], ends, at, tone[row["series"]])
            drawn.append(row)
        names.append(str(rows[0]["country_name"]))
        items.append(
            f"{names[-1]}: "
            + "; ".join(f"{r['series']} {figure_text(r, stem, decimals)}" for r in rows)
        )
    _dot_axes(ax, kind, data, iso3s, names)
    title = (
        f"Fighters per million inhabitants, top {len(iso3s)} countries"
        if rate
        else "The same country across sources: figures that disagree"
    )
    _title(fig, title)
    source_ids = _legend(fig, data, drawn, loc="outside lower left", ncols=1)
    what = _dot_what(kind, len(iso3s)) + ". "
    return _chart(fig, Chart(chart_id, title, what, "", source_ids, note), items)


def _dot_axes(ax: Axes, kind: str, data: ReportData, iso3s: list[str], names: list[str]) -> None:
    from matplotlib.transforms import blended_transform_factory

    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.6)
    if kind == "sources":
        spread = disagreements(data).set_index("iso3")
        margin = blended_transform_factory(ax.transAxes, ax.transData)
        for i, iso3 in enumerate(iso3s):
            gap = f"x{float(spread.loc[iso3, 'gap']):.1f}"
            ax.text(1.03, i, gap, transform=margin, va="center", fontsize=9.5)
        ax.text(1.03, -0.9, "apart", transform=margin, va="bottom", fontsize=9, weight="bold")
        ax.set_xscale("log")
        ax.set_xlabel("Foreign fighters (people), log scale", loc="right")
    else:
        ax.set_xlim(0, float(top_rates(data, len(iso3s))["highest"].max()) * 1.05)
        ax.set_xlabel("Fighters per million inhabitants", loc="right")
    _thousands(ax, log=kind == "sources")


def _dot_what(kind: str, rows: int) -> str:
    if kind == "sources":
        return (
            f"Dot plot of the {rows} countries whose estimates from two or more sources or "
            "kinds stay furthest apart (the largest single figure or low end of a range divided "
            "by the smallest single figure or high end of a range; the factor is printed at the "
            "right), furthest first. "
            "Single figures are dots, ranges are intervals between their two ends"
        )
    return (
        "Dot plot, one row per country, one mark per source and kind of figure, in foreign "
        "fighters per million inhabitants of the year each estimate refers to; single figures "
        "are dots, ranges intervals"
    )


def region_chart(data: ReportData, chart_id: str) -> Chart:
    """Return one panel per source and kind: the sum of its figures per UN region (a dot, or
    an interval where ranges are summed); each mark says how many countries it sums.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> "ICSR Jan 2015: Africa 1,500\u20133,000 (1 country)" in region_chart(
        ...     load_report_data(), "g").description
        True
    """
    totals = region_totals(data)
    series = list(dict.fromkeys(totals["series"]))
    areas = sorted(set(totals["area"]))
    tone = _colours(data)
    panel = 0.55 + ROW * len(areas)
    fig = new_figure(WIDTH, 0.9 + panel * len(series), rows=len(series), sharex=True)
    columns = ("fighters", "fighters_high", "fighters_low")
    top = max(float(v) for c in columns for v in totals[c].dropna())
    items = [
        _region_panel(ax, totals[totals["series"] == s], s, areas, tone[s])
        for ax, s in zip(fig.axes, series, strict=True)
    ]
    for ax in fig.axes:
        ax.set_xlim(0, top * 1.6)
        _thousands(ax)
    fig.axes[-1].set_xlabel("Foreign fighters (people), sum over\nthe countries a source lists")
    title = "Totals by UN region, one panel per source and kind"
    _title(fig, title)
    what = (
        "Dot plots, one panel per source and kind of figure, one row per UN region: the sum of "
        "the figures of the countries that source lists, a dot for a sum of single figures, an "
        "interval from the sum of the low ends to the sum of the high ends where the source "
        "prints ranges. "
    )
    source_ids = tuple(sorted(set(totals["source_id"])))
    return _chart(fig, Chart(chart_id, title, what, "", source_ids), items)


def _region_panel(
    ax: Axes, rows: pd.DataFrame, label: str, areas: list[str], style: tuple[str, str]
) -> str:
    by_area = {str(r["area"]): r for r in rows.to_dict("records")}
    texts = []
    for i, area in enumerate(areas):
        row = by_area.get(area)
        if row is None:
            texts.append("not listed")
            ax.text(0, i, " not listed", va="center", fontsize=9, color="#57606a")
            continue
        count = int(row["country_count"])
        text = f"{figure_text(row)} ({count} {'country' if count == 1 else 'countries'})"
        texts.append(text)
        if is_missing(row["fighters"]):
            ends = (float(row["fighters_low"]), float(row["fighters_high"]))
            _draw_estimate(ax, "range", ends, i, style)
        else:
            ends = (float(row["fighters"]),) * 2
            _draw_estimate(ax, "single", ends, i, style)
        ax.annotate(text, (max(ends), i), xytext=(6, 0), va="center", fontsize=9.5, **_POINTS)
    ax.set_yticks(range(len(areas)), areas)
    ax.set_ylim(len(areas) - 0.5, -0.5)
    ax.set_title(label, fontsize=11, loc="left")
    return f"{label}: " + ", ".join(f"{a} {t}" for a, t in zip(areas, texts, strict=True))


def across_dates_chart(data: ReportData, chart_id: str, n: int = 12) -> Chart:
    """Return small multiples, one panel per country (the ``n`` with the most estimates):
    every estimate at the date it refers to (the end of its period), coloured by series.
    Drawn twice: across the page (:data:`ACROSS_COLUMNS` panels a row, :data:`WIDE` inches)
    and for a phone (:data:`NARROW_COLUMNS` a row, :data:`WIDTH` inches, the chart's
    ``narrow`` SVG), so that its text stays legible at either width.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> chart = across_dates_chart(load_report_data(), "t", n=2)
        >>> chart.description.split(". ")[1][:34]
        'Tunisia: ICSR Jan 2015 (Dec 2014) '
        >>> chart.narrow.split(" role=")[0], 'id="t-narrow"' in chart.narrow
        ('<svg', True)
    """
    iso3s = most_estimated(data, n)
    title = (
        f"Each country across sources and dates: the {len(iso3s)} countries with the most estimates"
    )
    what = (
        f"Small multiples, one panel per country (the {len(iso3s)} with the most estimates, ties "
        "broken by the largest number printed); x: the date each estimate refers to (the end of "
        "its period; a thin horizontal line, or a pale band for a range, shows the whole period), "
        "y: foreign fighters (people), "
        "each panel on its own scale; single figures are dots, ranges vertical intervals. "
    )
    fig, items, source_ids = _across_dates_figure(data, iso3s, title, ACROSS_COLUMNS, WIDE)
    chart = _chart(fig, Chart(chart_id, title, what, "", source_ids, wide=True), items)
    narrow, *_ = _across_dates_figure(data, iso3s, title, NARROW_COLUMNS, WIDTH)
    return replace(chart, narrow=to_svg(narrow, f"{chart_id}-narrow", title, chart.description))


#: Panels a row of the chart of each country across dates: across the page, on a phone.
ACROSS_COLUMNS, NARROW_COLUMNS = 3, 2
#: The width (inches) a year's number needs at 11 points (0.39), with a little space: a panel
#: names every year where a year is at least this wide, else every other year, ...
_YEAR_LABEL_WIDTH = 0.42


def _years_every(ax: Axes, panel_width: float) -> int:
    """Every how many years a panel ``panel_width`` inches wide can name the year, for the
    years its date axis spans (its plot area is about 0.8 of the panel).

    Example:
        >>> import matplotlib.dates as mdates, datetime as dt
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().add_subplot()
        >>> span = [mdates.date2num(dt.date(year, 1, 1)) for year in (2011, 2017)]
        >>> _ = ax.set_xlim(*span)  # six years
        >>> _years_every(ax, 3.07), _years_every(ax, 6.0)
        (2, 1)
    """
    low, high = ax.get_xlim()
    year = 0.8 * panel_width / max((high - low) / 365.25, 1.0)
    return max(1, math.ceil(_YEAR_LABEL_WIDTH / year))


def _across_dates_figure(
    data: ReportData, iso3s: list[str], title: str, cols: int, width: float
) -> tuple[Figure, list[str], tuple[str, ...]]:
    """The small multiples of ``iso3s``, ``cols`` panels a row, ``width`` inches wide: the
    figure, the text of each panel (the numbers it draws) and the sources of its estimates."""
    order = series_order(data)
    rows = estimate_rows(data)
    tone = _colours(data)
    cols = min(cols, len(iso3s))
    lines = -(-len(iso3s) // cols)
    fig = new_figure(width, 1.6 + 2.0 * lines, rows=lines, cols=cols, sharex=True)
    items, drawn = [], []
    for ax, iso3 in zip(fig.axes, iso3s, strict=False):
        mine = sorted(
            (r for r in rows if r["iso3"] == iso3),
            key=lambda r: (r["end"], r["start"], order.index(r["series"])),
        )
        items.append(_country_panel(ax, tone, mine))
        drawn += mine
    for ax in fig.axes[len(iso3s) :]:
        ax.set_visible(False)
    _date_axis(fig.axes, every=_years_every(fig.axes[0], width / cols))
    _title(fig, title, width=round(90 * width / WIDE))
    legend = {"loc": "outside lower center", "ncols": 2 if width >= WIDE else 1}
    return fig, items, _legend(fig, data, drawn, **legend)


def _country_panel(ax: Axes, tone: dict, rows: list[dict]) -> str:
    seen: dict[dt.date, int] = {}
    for row in rows:
        k = seen[row["end"]] = seen.get(row["end"], -1) + 1
        at = row["end"] + dt.timedelta(days=35 * k)  # estimates of one date, set slightly apart
        style = tone[row["series"]]
        if row["start"] < row["end"] and row["kind"] == "single":
            ax.plot([row["start"], row["end"]], [row["high"]] * 2, color=style[0], linewidth=1)
        elif row["start"] < row["end"] and row["kind"] == "range":
            period = [row["start"], row["end"]]
            ax.fill_between(period, row["low"], row["high"], color=style[0], alpha=0.12, lw=0)
        if row["kind"] == "none":
            where = {"xytext": (0, 4), "rotation": 90, **_POINTS}
            ax.annotate(NO_FIGURE, (at, 0), fontsize=8, color=style[0], **where)
        _draw_estimate(ax, row["kind"], (row["low"], row["high"]), at, style, horizontal=False)
    ax.set_title(str(rows[0]["country_name"]), fontsize=10.5, loc="left")
    ax.set_ylim(bottom=0)
    _thousands(ax, axis="y")
    return f"{rows[0]['country_name']}: " + "; ".join(
        f"{r['series']} ({date_text(r['refers_to_date'])}) {figure_text(r)}" for r in rows
    )


def totals_chart(data: ReportData, chart_id: str) -> Chart:
    """Return the worldwide counts of foreign fighters over time in two panels: above, the
    stocks of the Islamic State's foreign fighters (the one series that compares), each
    labelled with its producer and the number as the text qualifies it; below, apart,
    counts of those serving at a date, inflows and other groups, each numbered, with a key
    under the panel: producer, number, date, what it counts in words and any flag. A count
    at the date it refers to, a range as an interval. No two labels overlap
    (:func:`place_labels`), and the chart is narrow enough to read on a phone.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> chart = totals_chart(load_report_data(), "t")
        >>> "Sep 2014: United Nations, more than 15,000 people (IS only, place" in chart.description
        True
    """
    totals = data.totals.dropna(subset=["refers_to_date"])
    rows = totals[totals["value"].notna() | totals["value_high"].notna()]
    apart = rows[rows["series"] != "stock"]
    by_date = sorted(
        apart.index, key=lambda i: period_bounds(str(apart.loc[i, "refers_to_date"]))[1]
    )
    number = {i: n for n, i in enumerate(by_date, start=1)}  # the counts apart, left to right
    key = _totals_key(apart.loc[by_date])
    key_height = (len(key) + 1) * _LABEL_SIZE * 1.35 / 72  # inches
    fig = new_figure(TOTALS_WIDTH, sum(TOTALS_HEIGHTS) + key_height, rows=3)
    stocks_ax, apart_ax, key_ax = fig.axes
    stocks_ax.get_gridspec().set_height_ratios([*TOTALS_HEIGHTS[1:], key_height])
    apart_ax.sharex(stocks_ax)
    stocks_ax.tick_params(which="both", labelbottom=False)
    items: list[str] = []
    marks: dict[int, list[tuple[str, tuple]]] = {0: [], 1: []}
    for i, row in zip(rows.index, rows.to_dict("records"), strict=True):
        start, end = period_bounds(str(row["refers_to_date"]))
        stock = row["series"] == "stock"
        ax, style = (stocks_ax, (PALETTE[0], MARKERS[0])) if stock else (apart_ax, (GREY, "s"))
        ranged = is_missing(row["value"])
        ends = (row["value_low"], row["value_high"]) if ranged else (row["value"], row["value"])
        low, high = float(ends[0]), float(ends[1])
        if start < end:
            ax.plot([start, end], [high, high], color=style[0], linewidth=1, alpha=0.6)
        kind = "range" if ranged else "single"
        _draw_estimate(ax, kind, (low, high) if ranged else (high, high), end, style, False)
        shown = aggregate_value({**row, "unit": "people"})  # totals() counts people only
        flag = "" if is_missing(row["oddities"]) else f"\n[{row['oddities']}]"
        text = f"{_short_producer(str(row['producer']))}\n{shown}{flag}" if stock else ""
        marks[0 if stock else 1].append((text or str(number[i]), (end, low, high)))
        items.append(
            f"{date_text(row['refers_to_date'])}: {row['producer']}, {shown} "
            f"({_universe_text(row)}; {row['document_id']} line {row['line']})"
            + ("" if is_missing(row["oddities"]) else f", flagged {row['oddities']}")
        )
    _date_axis([stocks_ax, apart_ax])
    top = float(rows[["value", "value_high"]].astype("Float64").max().max())
    for ax in (stocks_ax, apart_ax):
        ax.set_ylim(bottom=0, top=top * 1.4)
        ax.set_xlim(*ax.get_xlim())  # fixed before the labels are placed on the canvas
        _thousands(ax, axis="y")
        ax.set_ylabel("People, worldwide")
    stocks_ax.set_title(
        textwrap.fill("Stocks: everyone who had joined the Islamic State by the date", 46),
        fontsize=10,
        loc="left",
    )
    apart_ax.set_title(
        textwrap.fill(
            "Apart, not comparable with the stocks: inflows and counts of other groups "
            "(numbered; key below)",
            46,
        ),
        fontsize=10,
        loc="left",
    )
    key_ax.axis("off")
    from matplotlib.transforms import blended_transform_factory

    at_left = blended_transform_factory(fig.transFigure, key_ax.transAxes)  # the figure's edge
    key_text = key_ax.text(
        0.02, 1, "\n".join(key), transform=at_left, va="top", ha="left", fontsize=_LABEL_SIZE
    )
    key_text.set_in_layout(False)  # the key is wrapped to the figure's width
    title = "Worldwide counts of foreign fighters over time, as the documents report them"
    _title(fig, title, width=48)
    fig.draw_without_rendering()  # lay the axes out, so that the labels' extents are final
    for k, ax in enumerate((stocks_ax, apart_ax)):
        place_labels(ax, marks[k])
    what = (
        "Dot charts over time, two panels; x: the date each count refers to (the end of its "
        "period; a thin line shows a longer period), y: foreign fighters worldwide (people); a "
        "range is a vertical interval. Above: the stocks, everyone who had joined the Islamic "
        "State by the date. Below, apart, numbered: those serving IS at a date, inflows and "
        "counts of other groups, which are not comparable with the stocks. "
    )
    source_ids = tuple(dict.fromkeys(str(s) for s in rows["source_id"]))
    return _chart(fig, Chart(chart_id, title, what, "", source_ids), items, "; ")


def _totals_key(rows: pd.DataFrame) -> list[str]:
    """The lines of the key to the numbered counts of ``rows``: number, producer, number as
    qualified, date, what it counts in words, flag; wrapped to the chart's width."""
    lines = []
    for n, row in enumerate(rows.to_dict("records"), start=1):
        shown = aggregate_value({**row, "unit": "people"})
        flag = "" if is_missing(row["oddities"]) else f" [{row['oddities']}]"
        entry = (
            f"{n}  {_short_producer(str(row['producer']))}, {shown} "
            f"({date_text(row['refers_to_date'])}): {_universe_text(row)}{flag}"
        )
        lines += textwrap.wrap(entry, _KEY_WRAP, subsequent_indent="     ")
    return lines


#: The totals chart's width and heights (title and axes, stocks, counts apart), in inches:
#: narrow, so that its text stays legible on a phone; the key below adds its lines.
TOTALS_WIDTH, TOTALS_HEIGHTS = 5.0, (1.3, 2.2, 3.0)
#: A line of the key under the counts apart holds at most this many characters.
_KEY_WRAP = 66
_LABEL_SIZE = 8.5  # points


def _short_producer(producer: str) -> str:
    """A producer as a chart label names it: its abbreviation in parentheses where it gives
    one, else its name before any parenthesis or comma, shortened.

    Example:
        >>> _short_producer("Federal Bureau of Investigation (FBI)"), _short_producer("Aron Zelin")
        ('FBI', 'Aron Zelin')
        >>> _short_producer("Not named (reported by The Telegraph, Alex Spillius)")
        'Not named'
    """
    import re

    abbreviation = re.search(r"\(([A-Z]{2,})\)", producer)
    if abbreviation:
        return abbreviation.group(1)
    name = producer.split(" (")[0].split(",")[0]
    return textwrap.shorten(name, 28, placeholder="...")


def _universe_text(row: dict) -> str:
    """What a count includes, in the words of :func:`ffdata.tables.universe_words`.

    Example:
        >>> _universe_text({"groups_counted": "all_armed_groups", "place_counted": "syria",
        ...                 "count_kind": "inflow"})
        'all armed groups in Syria, inflow'
    """
    from ffdata.tables import universe_words

    return universe_words(
        str(row["groups_counted"]), str(row["place_counted"]), str(row["count_kind"])
    )


#: Where a label may go around its mark: offsets in points, tried nearest first (a leader
#: line joins a label set further off than the nearest places to its mark).
_NEAR, _STEP, _RINGS = 6, 12, 14
_SIDEWAYS = (0, 30, 60, 100, 150)


def _label_offsets() -> list[tuple[float, float, str, str]]:
    """Offsets (dx, dy in points) with the alignment that keeps a label clear of its mark,
    nearest first: centred, right or left; above or below, then further out.

    Example:
        >>> _label_offsets()[:3]
        [(0, 6, 'center', 'bottom'), (0, -6, 'center', 'top'), (6, 6, 'left', 'bottom')]
    """
    places = []
    for ring in range(_RINGS):
        for side in _SIDEWAYS:
            for dx, ha in ((_NEAR + side, "left"), (-_NEAR - side, "right")):
                for sign, va in ((1, "bottom"), (-1, "top")):
                    places.append((dx, sign * (_NEAR + ring * _STEP), ha, va))
        for sign, va in ((1, "bottom"), (-1, "top")):
            places.append((0, sign * (_NEAR + ring * _STEP), "center", va))
    return sorted(places, key=lambda p: (p[0] ** 2 + p[1] ** 2) ** 0.5)


def place_labels(ax: Axes, marks: list[tuple[str, tuple]]) -> None:
    """Annotate each mark ``(text, (x, low, high))`` of ``ax`` where its label lies inside the
    axes and overlaps no other label and no mark, as near its mark as can be (a leader line
    joins a label set further off); where no place is free, the least bad one. The marks are
    labelled in a few orders (as given, from the top, from the bottom, reversed): the order
    with the least overlap, then the shortest leader lines, is kept. Call after the layout is
    final (``fig.draw_without_rendering()``).

    Example:
        >>> from ffdata.builder.tools.report.svg import new_figure
        >>> fig = new_figure(3.0, 2.0)
        >>> ax = fig.axes[0]
        >>> _ = ax.set_xlim(0, 10), ax.set_ylim(0, 10)
        >>> fig.draw_without_rendering()
        >>> place_labels(ax, [("a", (5, 5, 5)), ("b", (5.2, 5, 5))])
        >>> a, b = ax.texts
        >>> bool(label_box(a).overlaps(label_box(b)))
        False
    """
    from matplotlib.transforms import Bbox

    taken = []  # the marks' boxes, then each label's as it is placed
    for _, (x, low, high) in marks:
        (x0, y0), (x1, y1) = ax.transData.transform([(_as_number(x), low), (_as_number(x), high)])
        taken.append(Bbox([[x0 - 5, y0 - 5], [x1 + 5, y1 + 5]]))
    index = list(range(len(marks)))
    orders = [
        index,
        sorted(index, key=lambda i: -marks[i][1][2]),
        sorted(index, key=lambda i: marks[i][1][1]),
        index[::-1],
    ]
    layouts = [_greedy(ax, marks, order, list(taken)) for order in orders]
    _, places = min(layouts, key=lambda layout: layout[0])
    for i, place in sorted(places.items()):
        _annotate(ax, marks[i], place)


def _annotate(ax: Axes, mark: tuple[str, tuple], place: tuple) -> Text:
    """Label ``mark`` at ``place`` (dx, dy in points, alignments), with a leader line if far."""
    text, (x, low, high) = mark
    dx, dy, ha, va = place
    far = abs(dy) > _NEAR or abs(dx) > _NEAR
    line = {"arrowprops": {"arrowstyle": "-", "color": GREY, "lw": 0.6}} if far else {}
    at = (x, high if dy >= 0 else low)
    return ax.annotate(
        text, at, xytext=(dx, dy), fontsize=_LABEL_SIZE, ha=ha, va=va, **_POINTS, **line
    )


def _greedy(
    ax: Axes, marks: list[tuple[str, tuple]], order: list[int], taken: list
) -> tuple[tuple[float, int, float], dict[int, tuple]]:
    """Label the marks in ``order``, each at its first place clear of labels, marks and
    leader lines and nearer its own mark than any other (else its least bad place); return
    the layout's (overlap, crossings and misleading places, leader length) and each mark's
    place. Draws nothing."""
    from matplotlib.transforms import Bbox

    frame = ax.get_window_extent()
    marked = list(taken[: len(marks)])  # the marks' own boxes
    places, overlap, crossings, length = {}, 0.0, 0, 0.0
    for i in order:
        best = None
        for place in _label_offsets():
            label = _annotate(ax, marks[i], place)
            box = label_box(label)
            label.remove()
            line = _leader(ax, marks[i], place, box)
            common = [Bbox.intersection(box, other) for other in taken]
            clash = sum(c.width * c.height for c in common if c is not None)
            clash += box.width * box.height - _area(Bbox.intersection(box, frame))
            crossed = sum(1 for d in line for other in taken if other.overlaps(d))
            own = _gap(box, marked[i])  # a label nearer another mark reads as that mark's
            crossed += sum(1 for j, other in enumerate(marked) if j != i and _gap(box, other) < own)
            if best is None or (clash, crossed) < best[0]:
                best = ((clash, crossed), place, box, line)
            if (clash, crossed) == (0, 0):
                break
        assert best is not None
        places[i] = best[1]
        overlap, crossings = overlap + best[0][0], crossings + best[0][1]
        length += (best[1][0] ** 2 + best[1][1] ** 2) ** 0.5
        taken += [best[2], *best[3]]  # later labels keep off this label and its leader line
    return (overlap, crossings, length), places


def _gap(one: Bbox, other: Bbox) -> float:
    """The distance between two boxes on the canvas (0 where they touch or overlap)."""
    dx = max(other.x0 - one.x1, one.x0 - other.x1, 0.0)
    dy = max(other.y0 - one.y1, one.y0 - other.y1, 0.0)
    return (dx**2 + dy**2) ** 0.5


def _leader(ax: Axes, mark: tuple[str, tuple], place: tuple, box: Bbox) -> list[Bbox]:
    """Small boxes along the leader line of a label at ``place`` (none for a near label):
    from its mark to the edge of the label's ``box``."""
    from matplotlib.transforms import Bbox

    dx, dy, *_ = place
    if abs(dy) <= _NEAR and abs(dx) <= _NEAR:
        return []
    _, (x, low, high) = mark
    x0, y0 = ax.transData.transform((_as_number(x), high if dy >= 0 else low))
    x1, y1 = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    steps = 24
    dots = [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps) for k in range(3, steps)]
    return [Bbox([[x - 1, y - 1], [x + 1, y + 1]]) for x, y in dots if not box.contains(x, y)]


def label_box(label: Text) -> Bbox:
    """The box of a label's text on the canvas, without its leader line."""
    from matplotlib.text import Text

    label.get_window_extent()  # an annotation's text is placed when its extent is asked for
    return Text.get_window_extent(label)


def _area(box: object) -> float:
    return 0.0 if box is None else box.width * box.height  # type: ignore[attr-defined]


def _as_number(x: object) -> float:
    """A date as matplotlib's number of days, a number as itself."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(x)) if isinstance(x, dt.date) else float(x)  # type: ignore[arg-type]


def _date_axis(axes: list[Axes], every: int = 1) -> None:
    """Mark the turn of each year on the (shared) date axis, the number of every ``every``-th
    year in its middle."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import NullFormatter

    axes[0].xaxis.set_major_locator(mdates.YearLocator())
    axes[0].xaxis.set_major_formatter(NullFormatter())
    axes[0].xaxis.set_minor_locator(mdates.YearLocator(base=every, month=7))
    axes[0].xaxis.set_minor_formatter(mdates.DateFormatter("%Y"))
    for ax in axes:
        ax.tick_params(axis="x", which="minor", length=0)
