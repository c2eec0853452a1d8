"""HTML tables of the report: every figure with its provenance, regional totals, flags, aggregates.

Example:
    >>> print(cell(1234, numeric=True))
    <td class="num" data-sort="1234">1,234</td>
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ffdata.builder.tools.report.data import (
    ReportData,
    aggregate_value,
    date_text,
    figure_kind,
    figure_text,
    flagged,
    is_missing,
    region_totals,
    sort_value,
)
from ffdata.display import shown
from ffdata.tables import FLAG_MEANINGS

if TYPE_CHECKING:
    pass

#: Columns of the table of all figures: (header, column, numeric).
FIGURE_COLUMNS = (
    ("Country", "name", False),
    ("Source", "source_id", False),
    ("Kind", "estimate", False),
    ("Fighters", "fighters", True),
    ("Per million", "fighters_per_million", True),
    ("Refers to", "refers_to_date", False),
    ("Published", "published_date", False),
    ("Population year", "population_year", True),
    ("Text as printed", "text_as_printed", False),
    ("Line", "line", True),
    ("Document", "document_id", False),
    ("Name as printed", "name_as_printed", False),
    ("Rank as printed", "rank_as_printed", True),
    ("Region", "region", False),
    ("Flags", "oddities", False),
)


def cell(value: object, numeric: bool = False, decimals: int = 0) -> str:
    """Return one ``<td>``: numbers right-aligned with a ``data-sort`` key, missing as empty.

    Example:
        >>> cell(None, numeric=True), cell("a<b")
        ('<td class="num" data-sort=""></td>', '<td>a&lt;b</td>')
    """
    if numeric:
        if is_missing(value):
            return '<td class="num" data-sort=""></td>'
        number = float(value)  # type: ignore[arg-type]
        return f'<td class="num" data-sort="{number:g}">{number:,.{decimals}f}</td>'
    return f"<td>{'' if is_missing(value) else escape(str(value))}</td>"


def figure_cell(row: dict, stem: str = "fighters", decimals: int = 0) -> str:
    """Return an estimate's ``<td>``: a single figure, a range "low\u2013high" as printed or
    "listed, no figure"; ``data-sort`` holds the single figure or the range's high end.

    Example:
        >>> print(figure_cell({"fighters": None, "fighters_low": 43, "fighters_high": 366}))
        <td class="num range" data-sort="366">43\u2013366</td>
        >>> print(figure_cell({"fighters": None, "fighters_low": None, "fighters_high": None}))
        <td class="num none" data-sort="">listed, no figure</td>
    """
    kind = figure_kind(row, stem)
    key = sort_value(row, stem)
    css = {"single": "num", "range": "num range", "none": "num none"}[kind]
    text = escape(figure_text(row, stem, decimals))
    return f'<td class="{css}" data-sort="{"" if key is None else f"{key:g}"}">{text}</td>'


def date_cell(value: object) -> str:
    """Return an ISO date or span as a ``<td>`` in words, the ISO text as its tooltip.

    Example:
        >>> date_cell("2011/2013-12-10")
        '<td class="nowrap" title="2011/2013-12-10">2011 to 10 Dec 2013</td>'
    """
    if is_missing(value):
        return "<td></td>"
    return f'<td class="nowrap" title="{escape(str(value))}">{escape(date_text(value))}</td>'


def printed(text: object) -> str:
    """Return text as printed in a ``<code>``, shown as every display shows it
    (:func:`ffdata.display.shown`: a tab, the column break of the printed table, as `` ⇥ ``).

    Example:
        >>> printed("1\\tTunisia\\t6000")
        '<code class="printed">1 ⇥ Tunisia ⇥ 6000</code>'
    """
    return f'<code class="printed">{escape(shown(text))}</code>'


def flag_badges(flags: object) -> str:
    """Return the flags of a figure as badges, each with its meaning as a tooltip.

    Example:
        >>> flag_badges("irregular_punctuation;unofficial_below_official").count('class="flag"')
        2
    """
    if is_missing(flags) or not str(flags):
        return ""
    return "".join(
        f'<span class="flag" title="{escape(FLAG_MEANINGS.get(f, f))}">{escape(f)}</span>'
        for f in str(flags).split(";")
    )


def header(columns: tuple[tuple[str, str, bool], ...], sortable: bool = False) -> str:
    """Return a ``<thead>``; sortable headers hold a button (the page's script sorts on click).

    Example:
        >>> header((("Fighters", "fighters", True),), sortable=True)
        '<thead><tr><th scope="col" class="num"><button type="button">Fighters</button></th></tr></thead>'
    """
    cells = []
    for title, _column, numeric in columns:
        label = f'<button type="button">{escape(title)}</button>' if sortable else escape(title)
        css = ' class="num"' if numeric else ""
        cells.append(f'<th scope="col"{css}>{label}</th>')
    return "<thead><tr>" + "".join(cells) + "</tr></thead>"


def figures_table(data: ReportData) -> str:
    """Return the sortable, filterable table of every country figure with its provenance.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> data = load_report_data()
        >>> html = figures_table(data)
        >>> html.count("<tr") - 1 == len(data.estimates), "1 ⇥ Tunisia ⇥ 6000 ⇥ 7000</code>" in html
        (True, True)
    """
    files = dict(zip(data.documents["document_id"], data.documents["file"], strict=True))
    rows = data.estimates.sort_values(["name", "source_id", "estimate"])
    special = {
        "name": lambda r: f'<th scope="row">{escape(str(r["name"]))}</th>',
        "source_id": lambda r: (
            f'<td class="nowrap">{escape(data.source_labels[r["source_id"]])}</td>'
        ),
        "fighters": figure_cell,
        "fighters_per_million": lambda r: figure_cell(r, "fighters_per_million", decimals=2),
        "refers_to_date": lambda r: date_cell(r["refers_to_date"]),
        "published_date": lambda r: date_cell(r["published_date"]),
        "population_year": lambda r: cell(r["population_year"]).replace("<td>", '<td class="num">'),
        "text_as_printed": lambda r: f"<td>{printed(r['text_as_printed'])}</td>",
        "document_id": lambda r: (
            f'<td title="{escape(str(files.get(r["document_id"], "")))}">'
            f"{escape(str(r['document_id']))}</td>"
        ),
        "oddities": lambda r: f"<td>{flag_badges(r['oddities'])}</td>",
    }
    body = []
    for row in rows.to_dict("records"):
        flagged_attr = (
            ' data-flagged="1"' if not is_missing(row["oddities"]) and row["oddities"] else ""
        )
        cells = [
            special[c](row) if c in special else cell(row[c], numeric=n)
            for _t, c, n in FIGURE_COLUMNS
        ]
        body.append(f"<tr{flagged_attr}>" + "".join(cells) + "</tr>")
    return (
        '<table id="figures-table"><caption class="visually-hidden">Every country figure, '
        "with the document, line and text it was read from</caption>"
        + header(FIGURE_COLUMNS, sortable=True)
        + "<tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table>"
    )


def regional_table(data: ReportData) -> str:
    """Return the UN-region totals as a table (source and kind, region, countries summed, sum:
    one number, or the sums of the low and high ends "low\u2013high" where ranges are summed).

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> html = regional_table(load_report_data())
        >>> "<td>Oceania</td>" in html, ">991\u20132,264</td>" in html
        (True, True)
    """
    columns = (
        ("Source and kind", "", False),
        ("UN region", "", False),
        ("Countries summed", "", True),
        ("Fighters (sum)", "", True),
        ("Population year", "", True),
        ("Population", "", True),
        ("Per million", "", True),
    )
    body = [
        "<tr>"
        + cell(r["series"])
        + cell(r["area"])
        + cell(r["country_count"], numeric=True)
        + figure_cell(r)
        + cell(r["population_year"]).replace("<td>", '<td class="num">')
        + cell(r["population"], numeric=True)
        + figure_cell(r, "fighters_per_million", decimals=2)
        + "</tr>"
        for r in region_totals(data).to_dict("records")
    ]
    return "<table>" + header(columns) + "<tbody>" + "".join(body) + "</tbody></table>"


def flags_table(data: ReportData) -> str:
    """Return the flagged figures as a table, with the text as printed.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> "Tunisia (5,000 )" in flags_table(load_report_data())
        True
    """
    rows = flagged(data)
    body = [
        "<tr>"
        + f'<th scope="row">{escape(str(r["name"]))}</th>'
        + cell(r["series"])
        + figure_cell(r)
        + cell(r["line"], numeric=True)
        + f"<td>{printed(r['text_as_printed'])}</td>"
        + f"<td>{flag_badges(r['oddities'])}</td></tr>"
        for r in rows.to_dict("records")
    ]
    columns = (
        ("Country", "", False),
        ("Source and kind", "", False),
        ("Fighters", "", True),
        ("Line", "", True),
        ("Text as printed", "", False),
        ("Flags", "", False),
    )
    return "<table>" + header(columns) + "<tbody>" + "".join(body) + "</tbody></table>"


def aggregates_table(data: ReportData) -> str:
    """Return the figures that are not per country, with qualifier, period and provenance.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> "about 3,803 people" in aggregates_table(load_report_data())
        True
    """
    rows = data.aggregates.sort_values(["source_id", "figure_id"])
    body = [
        "<tr>"
        + f'<th scope="row">{escape(str(r["metric"]).replace("_", " "))}</th>'
        + f'<td class="nowrap">{escape(aggregate_value(r))}</td>'
        + cell(r["refers_to"])
        + cell(r["who_is_counted"]).replace("<td>", '<td class="wide">')
        + cell(data.source_labels[r["source_id"]])
        + cell(r["line"], numeric=True)
        + f"<td>{printed(r['text_as_printed'])}</td></tr>"
        for r in rows.to_dict("records")
    ]
    columns = (
        ("What", "", False),
        ("Value", "", False),
        ("Refers to", "", False),
        ("Who", "", False),
        ("Source", "", False),
        ("Line", "", True),
        ("Text as printed", "", False),
    )
    return "<table>" + header(columns) + "<tbody>" + "".join(body) + "</tbody></table>"
