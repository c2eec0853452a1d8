"""Deterministic, accessible SVG from matplotlib: fixed ids, no dates, a title and a description."""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe-Ito colours (safe for the common forms of colour blindness), in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
#: Marker shapes that go with the colours, so that series differ in shape too.
MARKERS = ("o", "s", "D", "^", "v", "P", "X")
INK = "#222222"
GRID = "#dddddd"

_RC = {
    "svg.fonttype": "none",  # text stays text: searchable, and read by the browser's font
    "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial"],
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "legend.frameon": False,
    "path.simplify": False,
}


def new_figure(
    width: float, height: float, rows: int = 1, sharex: bool = False, cols: int = 1
) -> Figure:
    """Return a Figure (not registered with pyplot) of ``width`` x ``height`` inches, with
    ``rows`` x ``cols`` axes (``fig.axes`` row by row), laid out by constrained layout.

    Example:
        >>> len(new_figure(5.0, 3.0, rows=2, cols=3).axes)
        6
    """
    import matplotlib

    matplotlib.rcParams.update(_RC)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=72, layout="constrained")  # 72: units are points
    fig.subplots(rows, cols, sharex=sharex, squeeze=False)
    return fig


def to_svg(fig: Figure, chart_id: str, title: str, description: str) -> str:
    """Render ``fig`` as inline SVG: role="img", <title> and <desc>, ids prefixed by
    ``chart_id``, sized by CSS (viewBox only), no metadata (the bytes depend on the figure).

    Example:
        >>> svg = to_svg(new_figure(1.0, 1.0), "c1", "T", "D")
        >>> svg.split(">")[0]  # doctest: +ELLIPSIS
        '<svg role="img" aria-labelledby="c1-title c1-desc" id="c1" class="chart-svg" viewBox=...'
        >>> '<title id="c1-title">T</title>' in svg
        True
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": f"ffdata-report-{chart_id}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{chart_id}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{chart_id}-\1"', text)
    open_tag = re.match(r"<svg[^>]*>", text)
    assert open_tag is not None
    view_box = re.search(r'viewBox="([^"]+)"', open_tag.group(0))
    assert view_box is not None
    new_tag = (
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'id="{chart_id}" class="chart-svg" viewBox="{view_box.group(1)}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">\n'
        f' <title id="{chart_id}-title">{html.escape(title)}</title>\n'
        f' <desc id="{chart_id}-desc">{html.escape(description)}</desc>'
    )
    return new_tag + text[open_tag.end() :].rstrip() + "\n"


def standalone(svg: str) -> str:
    """Return an inline SVG as a file of its own (XML declaration, sized by its viewBox).

    Example:
        >>> standalone('<svg viewBox="0 0 10 5"></svg>').splitlines()[0]
        '<?xml version="1.0" encoding="utf-8"?>'
    """
    view_box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    size = f' width="{view_box.group(1)}pt" height="{view_box.group(2)}pt"' if view_box else ""
    return '<?xml version="1.0" encoding="utf-8"?>\n' + svg.replace("<svg", f"<svg{size}", 1)
