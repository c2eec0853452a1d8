"""Fit a figure's axes to its labels: margins measured once from the text, not solved for.

matplotlib's constrained layout solved the same problem but measured every axes several
times per draw (half the report's drawing time). Here the grid of axes made by
:func:`~ffdata.builder.tools.report.svg.new_figure` is placed with ``subplots_adjust``:
each margin is the widest overhang of the axes' decorations (tick labels, axis labels,
titles, texts placed beside the axes) on that side, plus a pad; figure-level texts and
legends (the title at the top, a legend at the bottom) get a band of their own.

Measurements use the SVG renderer the page is drawn with, so text widths are those of
the final SVG; the axes' decorations are measured from their texts alone
(:mod:`~ffdata.builder.tools.report.decorations`), not by laying out every tick. The figure is
measured again after it is fitted, and fitted again when a margin must still grow (an
axis may choose other ticks once its length changed).

Example:
    >>> from ffdata.builder.tools.report.svg import new_figure
    >>> fig = new_figure(4.0, 3.0)
    >>> _ = fig.axes[0].set_yticks([0, 1], ["short", "a much longer tick label"])
    >>> renderer = fit(fig)
    >>> round(float(fig.axes[0].get_tightbbox(renderer).x0), 1)  # the longer label, PAD from the edge
    3.0
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from ffdata.builder.tools.report.decorations import overhang

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

#: Space kept around every axes and figure-level text, in points (as constrained layout's).
PAD = 3.0
#: A margin that must grow by less than this (points) after fitting is left as it is.
SLACK = 0.5
#: How many times a fitted figure is measured again (a margin that grew moves the axes).
CHECKS = 3


def renderer_for(fig: Figure, out: io.StringIO | None = None) -> RendererSVG:
    """Return an SVG renderer of ``fig``'s size, to measure text as the SVG will draw it
    (and to draw the SVG into ``out``, if given: text measured once serves both).

    The figure must have 72 dots per inch (:func:`~ffdata.builder.tools.report.svg.new_figure`),
    so that one unit of its display coordinates is one point of the SVG. The SVG has no
    metadata (no date, no creator).

    Example:
        >>> from ffdata.builder.tools.report.svg import new_figure
        >>> renderer = renderer_for(new_figure(2.0, 1.0))
        >>> renderer.get_canvas_width_height()
        (144.0, 72.0)
    """
    from matplotlib.backends.backend_svg import RendererSVG

    if fig.dpi != 72:
        raise ValueError(
            f"the figure must have 72 dots per inch, not {fig.dpi}: "
            "make it with ffdata.builder.tools.report.svg.new_figure"
        )
    width, height = fig.get_size_inches() * 72
    metadata = {"Date": None, "Creator": None}
    return RendererSVG(float(width), float(height), out or io.StringIO(), metadata=metadata)


def fit(fig: Figure, renderer: RendererBase | None = None) -> RendererBase:
    """Place ``fig``'s grid of axes so that every decoration fits inside the figure;
    return the renderer it was measured with (to measure more text consistently).

    The figure is measured again after it is placed (up to :data:`CHECKS` times, until
    no margin must grow). That measurement does not measure a text again when it is a fixed size away
    from a point it is anchored to (a plain text, an annotation offset in points from
    data or axes coordinates): it moved with that point. Other texts (legends) are
    measured again unless they were further inside their axes than the axes' size
    changed by: such a text cannot have reached an edge.

    Example:
        >>> from ffdata.builder.tools.report.svg import new_figure
        >>> fig = new_figure(3.0, 2.0, rows=2)
        >>> _ = fig.axes[1].set_xlabel("a label")
        >>> renderer = fit(fig)
        >>> upper, lower = (ax.get_tightbbox(renderer) for ax in fig.axes)
        >>> round(float(lower.y0), 1), bool(upper.y0 > lower.y1)  # PAD above the edge; apart
        (3.0, True)
    """
    renderer = renderer or renderer_for(fig)
    before = {ax: ax.get_window_extent(renderer).frozen() for ax in _grid(fig)}
    texts = {ax: _texts(ax) for ax in before}
    anchors = {text: _anchor(text) for listed in texts.values() for text in listed}
    margins, boxes = _needed(fig, renderer, texts)
    for _ in range(CHECKS):
        _place(fig, margins)
        near: dict[Axes, list[Artist]] = {}
        moved_boxes: dict[Axes, list[Bbox]] = {}
        for ax, old in before.items():
            new = ax.get_window_extent(renderer)
            moved = 1.1 * max(abs(new.width - old.width), abs(new.height - old.height)) + PAD
            near[ax], moved_boxes[ax] = [], []
            for text, box in boxes[ax]:
                then, now = anchors[text], _anchor(text)
                if then is not None and now is not None:  # moved with its anchor, as it was
                    moved_boxes[ax].append(box.translated(now[0] - then[0], now[1] - then[1]))
                elif _inside_by(box, old) < moved:
                    near[ax].append(text)
        again, _ = _needed(fig, renderer, near, moved_boxes)
        if all(a <= m + SLACK for a, m in zip(again, margins, strict=True)):
            break
        margins = _larger(again, margins)
    return renderer


Margins = tuple[float, float, float, float, float, float]


def _larger(one: Margins, other: Margins) -> Margins:
    """Each margin the larger of the two."""
    a, b, c, d, e, f = (max(x, y) for x, y in zip(one, other, strict=True))
    return a, b, c, d, e, f


def _texts(ax: Axes) -> list[Artist]:
    """The axes' texts (annotations included) and legend: what may be drawn beside it."""
    legend = ax.get_legend()
    return [*ax.texts, *([legend] if legend is not None else [])]


def _inside_by(box: Bbox, axes: Bbox) -> float:
    """How far ``box`` is inside ``axes`` from its nearest edge (negative: beyond it)."""
    return min(box.x0 - axes.x0, axes.x1 - box.x1, box.y0 - axes.y0, axes.y1 - box.y1)


def _anchor(text: Artist) -> tuple[float, float] | None:
    """Where ``text`` is anchored on the canvas, if its extent keeps its distance to that
    point whatever the size of its axes (None otherwise)."""
    from matplotlib.text import Annotation, Text

    if isinstance(text, Annotation):
        offset = text.anncoords in ("offset points", "offset pixels", "offset fontsize")
        coords = {"data": text.axes.transData, "axes fraction": text.axes.transAxes}
        where = coords.get(text.xycoords) if isinstance(text.xycoords, str) else None
        if not offset or where is None:
            return None
        xy = (text.convert_xunits(text.xy[0]), text.convert_yunits(text.xy[1]))  # dates
        x, y = where.transform(xy if text.xycoords == "data" else text.xy)
    elif isinstance(text, Text):
        x, y = text.get_transform().transform(text.get_unitless_position())
    else:
        return None
    return float(x), float(y)


def _needed(
    fig: Figure,
    renderer: RendererBase,
    texts: dict[Axes, list[Artist]],
    known: dict[Axes, list[Bbox]] | None = None,
) -> tuple[Margins, dict[Axes, list[tuple[Artist, Bbox]]]]:
    """The space (points) needed at the left, right, bottom, top, between columns and
    between rows, for the axes' decorations, ``texts`` (measured) and the extents in
    ``known`` where the axes are now; and the extent of each text measured."""
    grid = _grid(fig)
    rows, cols = grid[0].get_subplotspec().get_gridspec().get_geometry() if grid else (1, 1)
    left, right = [0.0] * cols, [0.0] * cols
    below, above = [0.0] * rows, [0.0] * rows
    boxes: dict[Axes, list[tuple[Artist, Bbox]]] = {}
    for ax in grid:
        # tick labels, axis labels, titles; then the texts (the data stay inside the axes)
        box = ax.get_window_extent(renderer)
        reach = list(overhang(ax, renderer))
        measured = [(text, text.get_tightbbox(renderer)) for text in texts.get(ax, [])]
        boxes[ax] = [(text, b) for text, b in measured if b is not None and _finite(b)]
        for b in [*(b for _, b in boxes[ax]), *(known or {}).get(ax, [])]:
            beyond = (box.x0 - b.x0, b.x1 - box.x1, box.y0 - b.y0, b.y1 - box.y1)
            reach = [max(r, float(v)) for r, v in zip(reach, beyond, strict=True)]
        spec = ax.get_subplotspec()
        row, col = spec.rowspan.start, spec.colspan.start
        left[col] = max(left[col], reach[0])
        right[col] = max(right[col], reach[1])
        below[row] = max(below[row], reach[2])
        above[row] = max(above[row], reach[3])
    top, bottom = _bands(fig, renderer)
    between_cols = max((right[c] + left[c + 1] for c in range(cols - 1)), default=0.0)
    between_rows = max((below[r] + above[r + 1] for r in range(rows - 1)), default=0.0)
    margins = (
        left[0] + PAD,
        right[-1] + PAD,
        below[-1] + bottom + PAD,
        above[0] + top + PAD,
        between_cols + 2 * PAD,
        between_rows + 2 * PAD,
    )
    return margins, boxes


def _finite(box: Bbox) -> bool:
    return all(math.isfinite(v) for v in box.bounds)


def _grid(fig: Figure) -> list[Axes]:
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_subplotspec() is not None]


def _bands(fig: Figure, renderer: RendererBase) -> tuple[float, float]:
    """The height (points) taken at the top and at the bottom by figure-level texts and
    legends: each is counted on the side of the figure its middle is on."""
    height = fig.bbox.height
    top = bottom = 0.0
    for artist in (*fig.texts, *fig.legends):
        if not artist.get_visible() or not artist.get_in_layout():
            continue
        box: Bbox = artist.get_window_extent(renderer)
        if (box.y0 + box.y1) / 2 > height / 2:
            top = max(top, height - box.y0 + PAD)
        else:
            bottom = max(bottom, box.y1 + PAD)
    return top, bottom


def _place(fig: Figure, margins: Margins) -> None:
    left, right, bottom, top, between_cols, between_rows = margins
    grid = _grid(fig)
    if not grid:
        return
    rows, cols = grid[0].get_subplotspec().get_gridspec().get_geometry()
    width, height = fig.bbox.width, fig.bbox.height
    cell_w = (width - left - right - between_cols * (cols - 1)) / cols
    cell_h = (height - bottom - top - between_rows * (rows - 1)) / rows
    if cell_w <= 0 or cell_h <= 0:
        raise ValueError(
            f"the figure ({width:.0f} x {height:.0f} pt) is too small for its labels: "
            f"margins of {left + right:.0f} pt across and {bottom + top:.0f} pt down; "
            "give new_figure a larger width or height, or shorten the labels"
        )
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=between_cols / cell_w if cols > 1 else 0.0,
        hspace=between_rows / cell_h if rows > 1 else 0.0,
    )


def pin_empty_labels(fig: Figure) -> None:
    """Give every axis whose label is empty a fixed label position, once the figure is
    laid out: matplotlib otherwise measures the axis' tick labels again at each draw to
    place a label that draws nothing. Call it last, just before drawing.

    Example:
        >>> from ffdata.builder.tools.report.svg import new_figure
        >>> fig = new_figure(2.0, 1.0)
        >>> _ = fig.axes[0].set_xlabel("kept")
        >>> pin_empty_labels(fig)
        >>> [axis.label.get_position() for axis in (fig.axes[0].xaxis, fig.axes[0].yaxis)]
        [(0.5, 0), (0, 0)]
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.label.get_text():
                axis.set_label_coords(0, 0)
