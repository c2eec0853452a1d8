"""``make report``: one self-contained HTML page of charts and a browsable table.

The page (``docs/report/index.html``) is built from the published tables only
(``sources``, ``documents``, ``countries``, ``country_estimates``,
``aggregate_figures``, ``regional_totals``). Charts are matplotlib SVG, inlined;
the page loads nothing from the network. Two builds from the same tables give
the same bytes. Needs the ``report`` extra (matplotlib). :func:`build_report`
writes it (its example builds one).
"""

from __future__ import annotations

from ffdata.builder.tools.report.build import build_report

__all__ = ["build_report"]
