"""HTML tables of the report: every figure with its provenance, regional totals, flags, aggregates."""

from __future__ import annotations

from html import escape

from ffdata.builder.tools.report.data import (
    ReportData,
    aggregate_value,
    date_text,
    figure_ends,
    figure_text,
    flagged,
    region_totals,
)
from ffdata.display import is_missing, shown
from ffdata.tables import FLAG_MEANINGS

NUM = ' class="num"'


def _cell(value: object, numeric: bool = False, decimals: int = 0) -> str:
    """One ``<td>``: numbers right-aligned with a ``data-sort`` key, missing as empty."""
    if numeric:
        if is_missing(value):
            return '<td class="num" data-sort=""></td>'
        number = float(value)  # type: ignore[arg-type]
        return f'<td class="num" data-sort="{number:g}">{number:,.{decimals}f}</td>'
    return f"<td>{'' if is_missing(value) else escape(str(value))}</td>"


def _figure_cell(row: dict, stem: str = "fighters", decimals: int = 0) -> str:
    """An estimate's ``<td>`` as shown, sorting by the single figure or the range's high end."""
    kind, _, high = figure_ends(row, stem)
    css = {"single": "num", "range": "num range", "none": "num none"}[kind]
    text = escape(figure_text(row, stem, decimals))
    return f'<td class="{css}" data-sort="{"" if high is None else f"{high:g}"}">{text}</td>'


def _date_cell(value: object) -> str:
    if is_missing(value):
        return "<td></td>"
    return f'<td class="nowrap" title="{escape(str(value))}">{escape(date_text(value))}</td>'


def _printed(text: object) -> str:
    """Text as printed in a ``<code>``, a tab shown as every display shows it (`` ⇥ ``)."""
    return f'<td><code class="printed">{escape(shown(text))}</code></td>'


def _flags(flags: object) -> str:
    """The flags of a figure as badges, each with its meaning as a tooltip."""
    badges = "".join(
        f'<span class="flag" title="{escape(FLAG_MEANINGS.get(f, f))}">{escape(f)}</span>'
        for f in ([] if is_missing(flags) or not str(flags) else str(flags).split(";"))
    )
    return f"<td>{badges}</td>"


def _year(value: object) -> str:
    return _cell(value).replace("<td>", '<td class="num">')


def _table(columns: list[tuple[str, bool]], body: list[str], sortable: bool = False) -> str:
    """A ``<table>``'s header (a sortable one holds buttons the page's script sorts by) and body."""
    heads = "".join(
        f'<th scope="col"{NUM if numeric else ""}>'
        + (f'<button type="button">{escape(title)}</button>' if sortable else escape(title))
        + "</th>"
        for title, numeric in columns
    )
    rows = "\n" + "\n".join(body) + "\n" if sortable else "".join(body)
    return f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"


def figures_table(data: ReportData) -> str:
    """Return the sortable, filterable table of every country figure with its provenance.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> "1 ⇥ Tunisia ⇥ 6000 ⇥ 7000</code>" in figures_table(load_report_data())
        True
    """
    files = dict(zip(data.documents["document_id"], data.documents["file"], strict=True))
    label = data.source_labels
    columns = {  # header: (numeric, the row's cell)
        "Country": (False, lambda r: f'<th scope="row">{escape(str(r["country_name"]))}</th>'),
        "Source": (False, lambda r: f'<td class="nowrap">{escape(label[r["source_id"]])}</td>'),
        "Kind": (False, lambda r: _cell(r["estimate"])),
        "Fighters": (True, _figure_cell),
        "Per million": (True, lambda r: _figure_cell(r, "fighters_per_million", decimals=2)),
        "Refers to": (False, lambda r: _date_cell(r["refers_to_date"])),
        "Published": (False, lambda r: _date_cell(r["published_date"])),
        "Population year": (True, lambda r: _year(r["population_year"])),
        "Text as printed": (False, lambda r: _printed(r["text_as_printed"])),
        "Line": (True, lambda r: _cell(r["line"], numeric=True)),
        "Document": (
            False,
            lambda r: (
                f'<td title="{escape(str(files.get(r["document_id"], "")))}">'
                f"{escape(str(r['document_id']))}</td>"
            ),
        ),
        "Name as printed": (False, lambda r: _cell(r["name_as_printed"])),
        "Rank as printed": (True, lambda r: _cell(r["rank_as_printed"], numeric=True)),
        "Region": (False, lambda r: _cell(r["region"])),
        "Flags": (False, lambda r: _flags(r["oddities"])),
    }
    body = []
    for row in data.estimates.sort_values(["country_name", "source_id", "estimate"]).to_dict(
        "records"
    ):
        flagged = "" if is_missing(row["oddities"]) or not row["oddities"] else ' data-flagged="1"'
        body.append(f"<tr{flagged}>" + "".join(cell(row) for _, cell in columns.values()) + "</tr>")
    return (
        '<table id="figures-table"><caption class="visually-hidden">Every country figure, '
        "with the document, line and text it was read from</caption>"
        + _table([(title, n) for title, (n, _) in columns.items()], body, sortable=True)
    )


def regional_table(data: ReportData) -> str:
    """Return the UN-region totals as a table (a sum of ranges as "low\u2013high").

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> ">1,500\u20133,000</td>" in regional_table(load_report_data())
        True
    """
    body = [
        f"<tr>{_cell(r['series'])}{_cell(r['area'])}{_cell(r['country_count'], numeric=True)}"
        f"{_figure_cell(r)}{_year(r['population_year'])}{_cell(r['population'], numeric=True)}"
        f"{_figure_cell(r, 'fighters_per_million', decimals=2)}</tr>"
        for r in region_totals(data).to_dict("records")
    ]
    columns = [("Source and kind", False), ("UN region", False), ("Countries summed", True)]
    columns += [("Fighters (sum)", True), ("Population year", True), ("Population", True)]
    return "<table>" + _table([*columns, ("Per million", True)], body)


def flags_table(data: ReportData) -> str:
    """Return the flagged figures as a table, with the text as printed.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> "listed_without_figure</span>" in flags_table(load_report_data())
        True
    """
    body = [
        f'<tr><th scope="row">{escape(str(r["country_name"]))}</th>{_cell(r["series"])}{_figure_cell(r)}'
        f"{_cell(r['line'], numeric=True)}{_printed(r['text_as_printed'])}{_flags(r['oddities'])}</tr>"
        for r in flagged(data).to_dict("records")
    ]
    columns = [("Country", False), ("Source and kind", False), ("Fighters", True)]
    return "<table>" + _table(
        [*columns, ("Line", True), ("Text as printed", False), ("Flags", False)], body
    )


def aggregates_table(data: ReportData) -> str:
    """Return the figures that are not per country, with qualifier, period and provenance.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> "more than 15,000 people" in aggregates_table(load_report_data())
        True
    """
    body = [
        f'<tr><th scope="row">{escape(str(r["metric"]).replace("_", " "))}</th>'
        f'<td class="nowrap">{escape(aggregate_value(r))}</td>{_cell(r["refers_to"])}'
        + _cell(r["who_is_counted"]).replace("<td>", '<td class="wide">')
        + _cell(_counted(r))
        + f"{_cell(data.source_labels[r['source_id']])}{_cell(r['line'], numeric=True)}"
        f"{_printed(r['text_as_printed'])}{_flags(r['oddities'])}</tr>"
        for r in data.aggregates.sort_values(["source_id", "figure_id"]).to_dict("records")
    ]
    columns = [("What", False), ("Value", False), ("Refers to", False), ("Who", False)]
    columns += [("Groups, place, stock or inflow", False), ("Source", False)]
    return "<table>" + _table(
        [*columns, ("Line", True), ("Text as printed", False), ("Flags", False)], body
    )


def _counted(row: dict) -> str:
    """What a count of foreign fighters includes ("" for another figure).

    Example:
        >>> _counted({"groups_counted": "all_armed_groups", "place_counted": "syria",
        ...           "count_kind": "inflow"})
        'all_armed_groups; syria; inflow'
    """
    parts = [row.get(c) for c in ("groups_counted", "place_counted", "count_kind")]
    return "" if any(is_missing(p) for p in parts) else "; ".join(str(p) for p in parts)
