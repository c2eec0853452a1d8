"""HTML tables of the report: every figure with its provenance, regional totals, flags, aggregates.

Example:
    >>> print(cell(1234, numeric=True))
    <td class="num" data-sort="1234">1,234</td>
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ffdata.builder.report.data import ReportData, flagged, is_missing, region_totals
from ffdata.tables import FLAG_MEANINGS

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the table of all figures: (header, column, numeric).
FIGURE_COLUMNS = (
    ("Country", "name", False),
    ("Source", "source_id", False),
    ("Kind", "estimate", False),
    ("Fighters", "fighters", True),
    ("Per million", "fighters_per_million", True),
    ("Text as printed", "text_as_printed", False),
    ("Line", "line", True),
    ("Document", "document_id", False),
    ("Name as printed", "name_as_printed", False),
    ("Rank as printed", "rank_as_printed", True),
    ("Region", "region", False),
    ("Flags", "flags", False),
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


def printed(text: object) -> str:
    """Return text as printed in a ``<code>`` that keeps tabs and spaces.

    Example:
        >>> printed("1\\tTunisia\\t6000")
        '<code class="printed">1\\tTunisia\\t6000</code>'
    """
    return f'<code class="printed">{escape(str(text))}</code>'


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
        >>> from ffdata.builder.report.data import load_report_data
        >>> data = load_report_data()
        >>> html = figures_table(data)
        >>> html.count("<tr") - 1 == len(data.estimates), "1\\tTunisia\\t6000\\t7000</code>" in html
        (True, True)
    """
    files = dict(zip(data.documents["document_id"], data.documents["file"], strict=True))
    rows = data.estimates.sort_values(["name", "source_id", "estimate"])
    special = {
        "name": lambda r: f'<th scope="row">{escape(str(r["name"]))}</th>',
        "source_id": lambda r: f'<td class="nowrap">{escape(str(r["source_id"]))}</td>',
        "fighters_per_million": lambda r: cell(r["fighters_per_million"], True, decimals=2),
        "text_as_printed": lambda r: f"<td>{printed(r['text_as_printed'])}</td>",
        "document_id": lambda r: (
            f'<td title="{escape(str(files.get(r["document_id"], "")))}">'
            f"{escape(str(r['document_id']))}</td>"
        ),
        "flags": lambda r: f"<td>{flag_badges(r['flags'])}</td>",
    }
    body = []
    for row in rows.to_dict("records"):
        flagged_attr = ' data-flagged="1"' if not is_missing(row["flags"]) and row["flags"] else ""
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
    """Return the UN-region totals as a table (source and kind, region, countries summed, sum).

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> "<td>Oceania</td>" in regional_table(load_report_data())
        True
    """
    columns = (
        ("Source and kind", "series", False),
        ("UN region", "area", False),
        ("Countries summed", "countries", True),
        ("Fighters (sum)", "fighters", True),
        ("Population", "population", True),
        ("Per million", "fighters_per_million", True),
    )
    return _simple_table(region_totals(data), columns, decimals={"fighters_per_million": 2})


def flags_table(data: ReportData) -> str:
    """Return the flagged figures as a table, with the text as printed.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> "Tunisia (5,000 )" in flags_table(load_report_data())
        True
    """
    rows = flagged(data)
    body = [
        "<tr>"
        + f'<th scope="row">{escape(str(r["name"]))}</th>'
        + cell(r["series"])
        + cell(r["fighters"], numeric=True)
        + cell(r["line"], numeric=True)
        + f"<td>{printed(r['text_as_printed'])}</td>"
        + f"<td>{flag_badges(r['flags'])}</td></tr>"
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
        >>> from ffdata.builder.report.data import load_report_data
        >>> "about 3,803 people" in aggregates_table(load_report_data())
        True
    """
    rows = data.aggregates.sort_values(["source_id", "figure_id"])
    body = [
        "<tr>"
        + f'<th scope="row">{escape(str(r["metric"]).replace("_", " "))}</th>'
        + f'<td class="nowrap">{escape(aggregate_value(r))}</td>'
        + cell(r["refers_to"])
        + cell(r["population"]).replace("<td>", '<td class="wide">')
        + cell(r["source_id"]).replace("<td>", '<td class="nowrap">')
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


_QUALIFIER_WORDS = {
    "approximately": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "less_than": "less than ",
}


def aggregate_value(row: dict) -> str:
    """Return an aggregate figure as words: qualifier, number or range, unit.

    Example:
        >>> aggregate_value({"value": 2.0, "value_low": None, "value_high": None,
        ...                  "unit": "percent", "qualifier": "less_than"})
        'less than 2%'
        >>> aggregate_value({"value": None, "value_low": 20.0, "value_high": 35.0,
        ...                  "unit": "years", "qualifier": "range"})
        '20-35 years'
        >>> aggregate_value({"value": 1 / 9, "unit": "ratio", "qualifier": "approximately"})
        'about 0.111 (a fraction of 1)'
    """

    def fmt(v: object) -> str:
        number = float(v)  # type: ignore[arg-type]
        return f"{number:,.0f}" if number == int(number) else f"{number:,.3g}"

    if not is_missing(row.get("value")):
        amount = fmt(row["value"])
    elif not is_missing(row.get("value_low")) and not is_missing(row.get("value_high")):
        amount = f"{fmt(row['value_low'])}-{fmt(row['value_high'])}"
    else:
        return "in words only, no number"
    unit = str(row.get("unit", ""))
    if unit == "percent":
        text = amount + "%"
    elif unit == "ratio":
        text = f"{amount} (a fraction of 1)"
    else:
        text = f"{amount} {unit}"
    return _QUALIFIER_WORDS.get(str(row.get("qualifier")), "") + text


def _simple_table(
    rows: pd.DataFrame, columns: tuple[tuple[str, str, bool], ...], decimals: dict[str, int]
) -> str:
    body = [
        "<tr>"
        + "".join(cell(r[c], numeric=n, decimals=decimals.get(c, 0)) for _t, c, n in columns)
        + "</tr>"
        for r in rows.to_dict("records")
    ]
    return "<table>" + header(columns) + "<tbody>" + "".join(body) + "</tbody></table>"
