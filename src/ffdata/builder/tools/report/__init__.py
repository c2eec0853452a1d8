"""``make report``: one self-contained HTML page of charts and tables, from the published
tables only (matplotlib SVG inlined; nothing loaded from the network; two builds give the
same bytes). Needs the ``report`` extra (matplotlib).
"""

from __future__ import annotations

from ffdata.builder.tools.report.build import build_report

__all__ = ["build_report"]
