"""How far an axes' decorations (tick labels, axis labels, titles) reach beyond it.

matplotlib's own measure (``Axes.get_tightbbox``) makes and positions every tick, and
re-runs every locator and formatter, each time it is asked. Here each tick label's text
is measured alone (one text object, its size cached by the renderer) and placed where
matplotlib puts it: centred on its tick, ``pad`` + the tick's outside length from the
spine; an axis label ``labelpad`` beyond the tick labels; a title above the axes. So the
layout can measure a figure twice for the price of its texts' sizes.

Only what the report draws is handled: tick labels on the bottom and left axes (the
``label1`` of each tick), axis labels below and to the left; anything else (labels on
the top or right) is measured by matplotlib.

Example:
    >>> from ffdata.builder.tools.report.layout import renderer_for
    >>> from ffdata.builder.tools.report.svg import new_figure
    >>> fig = new_figure(3.0, 2.0)
    >>> ax = fig.axes[0]
    >>> _ = ax.set_yticks([0, 1], ["a", "a long tick label"])
    >>> renderer = renderer_for(fig)
    >>> mine, theirs = overhang(ax, renderer)[0], ax.get_window_extent(renderer).x0 - (
    ...     ax.get_tightbbox(renderer, for_layout_only=True).x0)
    >>> abs(mine - float(theirs)) < 0.01
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

#: (left, right, below, above): how far beyond each edge of the axes, in points.
Overhang = tuple[float, float, float, float]


def overhang(ax: Axes, renderer: RendererBase) -> Overhang:
    """Return how far ``ax``'s tick labels, axis labels and titles reach beyond each of
    its edges (left, right, below, above), in points (display units at 72 dpi); 0 where
    nothing does. Titles count by their height only, as in constrained layout.

    Example:
        >>> from ffdata.builder.tools.report.layout import renderer_for
        >>> from ffdata.builder.tools.report.svg import new_figure
        >>> fig = new_figure(3.0, 2.0)
        >>> _ = fig.axes[0].set_title("A title")
        >>> [round(v) for v in overhang(fig.axes[0], renderer_for(fig))]  # numbers 0 to 1
        [24, 9, 18, 15]
    """
    box = ax.get_window_extent(renderer)
    reach = [0.0, 0.0, 0.0, 0.0]
    for axis in (ax.xaxis, ax.yaxis):
        if ax.axison and axis.get_visible():
            for side, value in enumerate(_axis_overhang(axis, box, renderer)):
                reach[side] = max(reach[side], value)
    for title in _titles(ax):
        reach[3] = max(reach[3], title.get_window_extent(renderer).y1 - box.y1)
    return reach[0], reach[1], reach[2], reach[3]


def _titles(ax: Axes) -> list[Text]:
    from matplotlib.text import Text

    texts = set(ax.texts)
    return [
        child
        for child in ax.get_children()
        if isinstance(child, Text) and child not in texts and child.get_visible()
        if child.get_text()
    ]


def _axis_overhang(axis: Axis, box: Bbox, renderer: RendererBase) -> Overhang:
    """The reach of one axis' tick labels and label beyond the axes ``box``."""
    horizontal = axis.axis_name == "x"
    if _unusual(axis):
        tight = axis.get_tightbbox(renderer, for_layout_only=True)
        if tight is None:
            return 0.0, 0.0, 0.0, 0.0
        return box.x0 - tight.x0, tight.x1 - box.x1, box.y0 - tight.y0, tight.y1 - box.y1
    depth = 0.0  # how far the ticks and their labels reach out from the spine
    low = high = float("-inf")  # how far they reach beyond the axes' two ends
    for minor in (False, True):
        tick = (axis.get_minor_ticks if minor else axis.get_major_ticks)(1)[0]
        depth = max(depth, tick.get_tick_padding())
        if not tick.label1.get_visible():
            continue
        out = tick.get_pad() + tick.get_tick_padding()
        start, end = (box.x0, box.x1) if horizontal else (box.y0, box.y1)
        for first, last, across in _labels(axis, tick.label1, minor, renderer):
            depth = max(depth, out + across)
            low, high = max(low, start - first), max(high, last - end)
    label = axis.label
    if label.get_visible() and label.get_text():
        extent = label.get_window_extent(renderer)
        depth += axis.labelpad + (extent.height if horizontal else extent.width)
        start, size = (box.x0, box.width) if horizontal else (box.y0, box.height)
        along = extent.width if horizontal else extent.height
        at = start + label.get_position()[0 if horizontal else 1] * size
        first, last = _span(at, along, label.get_horizontalalignment())
        low, high = max(low, start - first), max(high, last - (start + size))
    if horizontal:
        return max(low, 0.0), max(high, 0.0), depth, 0.0
    return depth, 0.0, max(low, 0.0), max(high, 0.0)


def _unusual(axis: Axis) -> bool:
    """Tick labels or an axis label on the top or right: left to matplotlib to measure."""
    top = axis.label_position in ("top", "right")
    return top or any(
        tick.label2.get_visible()
        for tick in (axis.get_major_ticks(1)[0], axis.get_minor_ticks(1)[0])
    )


def _span(at: float, size: float, align: str) -> tuple[float, float]:
    """The two ends of a text of ``size`` along the axis, aligned at ``at``."""
    if align == "left":
        return at, at + size
    if align == "right":
        return at - size, at
    return at - size / 2, at + size / 2


def _labels(
    axis: Axis, probe: Text, minor: bool, renderer: RendererBase
) -> list[tuple[float, float, float]]:
    """Each tick label the axis draws: where its two ends are along the axis (display
    units) and how far it reaches across (its height on the x axis, width on the y axis),
    measured with ``probe`` (a tick's label, its text put back after)."""
    locs = [float(v) for v in (axis.get_minorticklocs() if minor else axis.get_majorticklocs())]
    formatter = axis.get_minor_formatter() if minor else axis.get_major_formatter()
    scale = axis.get_transform()
    first, last = (float(v) for v in scale.transform(list(axis.get_view_interval())))
    low, high = min(first, last), max(first, last)
    slack = (high - low) * 1e-10  # as matplotlib's test of a tick in view
    box = axis.axes.get_window_extent(renderer)
    along = 0 if axis.axis_name == "x" else 1
    start, size = (box.x0, box.width) if along == 0 else (box.y0, box.height)
    found = []
    text = probe.get_text()
    try:
        for loc, label in zip(locs, formatter.format_ticks(locs), strict=True):
            scaled = float(scale.transform([loc])[0])
            if not label or not low - slack <= scaled <= high + slack:
                continue
            probe.set_text(label)
            extent = probe.get_window_extent(renderer)
            # the text's ends along the axis, from the point it is aligned at
            anchor = probe.get_transform().transform(probe.get_position())[along]
            ends = (extent.x0, extent.x1) if along == 0 else (extent.y0, extent.y1)
            at = start + size * (scaled - first) / (last - first)
            across = extent.height if along == 0 else extent.width
            found.append((at + ends[0] - anchor, at + ends[1] - anchor, float(across)))
    finally:
        probe.set_text(text)
    return found
