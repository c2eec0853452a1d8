"""Citations of the dataset and of the sources behind it, as plain text or BibTeX.

The dataset's own entry agrees with ``CITATION.cff`` (a test checks it).

Example:
    >>> print(cite().splitlines()[0])  # doctest: +ELLIPSIS
    ffdata contributors (2026). ffdata: foreign fighters in Syria and Iraq as each source defines them, country figures with provenance (version ...) [Data set].
"""

from __future__ import annotations

import re

from ffdata._version import __version__
from ffdata.api import figure_row
from ffdata.errors import UnknownNameError
from ffdata.loading import load, unknown_choice
from ffdata.lookup import find_country
from ffdata.tables import TABLES

TITLE = "ffdata: foreign fighters in Syria and Iraq as each source defines them, country figures with provenance"
AUTHORS = "ffdata contributors"
YEAR = 2026


def _sources() -> list[dict]:
    return [
        {k: (None if v is None or v != v else v) for k, v in row.items()}
        for row in load("sources").astype(object).to_dict("records")
    ]


def sources_behind(
    table: str | None = None, country: str | None = None, figure: str | None = None
) -> set[str] | None:
    """Return the ids of the sources whose figures a table, a country (estimates and
    aggregate figures) or a ``figure_id`` holds; None means every source.

    Example:
        >>> sources_behind(figure="fbi-2015-foreign-fighters")
        {'fbi-2015'}
    """
    asked = [k for k, v in {"table": table, "country": country, "figure": figure}.items() if v]
    if len(asked) > 1:
        raise UnknownNameError(
            f"give one of table, country or figure, not {' and '.join(asked)}",
            hint="e.g. cite(country='GBR') or cite(table='country_estimates')",
        )
    if table is not None:
        if table not in TABLES:
            raise unknown_choice("table", table, list(TABLES))
        if table in ("sources", "documents"):
            return None
        if all(c.name != "source_id" for c in TABLES[table].columns):
            return set()
        return set(load(table, columns=["source_id"])["source_id"])
    if figure is not None:
        return set(figure_row(figure, ["source_id"])["source_id"])
    if country is not None:
        iso3 = find_country(country, with_estimates=False)
        found: set[str] = set()
        for name in ("country_estimates", "aggregate_figures"):
            rows = load(name, columns=["iso3", "source_id"])
            found |= set(rows.loc[rows["iso3"] == iso3, "source_id"])
        if not found:
            raise UnknownNameError(
                f"no figures for {country!r} ({iso3}) in any table", hint="cite() cites them all"
            )
        return found
    return None


def cite(
    format: str = "text",
    table: str | None = None,
    country: str | None = None,
    figure: str | None = None,
) -> str:
    """Return citations (``"text"`` or ``"bibtex"``) of the dataset and of every source, or of
    those behind a ``table``, ``country`` or ``figure`` (:func:`sources_behind`).

    Example:
        >>> [line.split("[")[-1].rstrip("]") for line in cite(country="Norway").splitlines()[3:]]
        ['icsr-2015-01', 'soufan-2015']
        >>> "@misc{soufan_2015," in cite("bibtex", table="country_estimates")
        True
    """
    if format not in ("text", "bibtex"):
        raise UnknownNameError(f"unknown citation format {format!r}", hint="use 'text' or 'bibtex'")
    wanted = sources_behind(table=table, country=country, figure=figure)
    sources = [s for s in _sources() if wanted is None or s["source_id"] in wanted]
    if format == "bibtex":
        return _bibtex(sources)
    lines = [f"{AUTHORS} ({YEAR}). {TITLE} (version {__version__}) [Data set].", ""]
    if sources:
        lines.append("Sources of the figures (cite the ones you use):")
    else:
        lines.append(f"Table {table} holds no figures of the sources: cite the data set.")
    for s in sources:
        title = f' "{s["title"]}",' if s["title"] else ""
        date = f" {s['date_as_printed']}." if s["date_as_printed"] else ""
        url = f" {s['url']}" if s["url"] else ""
        via = " (reported second-hand; see note)" if s["second_hand"] else ""
        lines.append(f"- {s['producer']}.{title}{date}{url}{via} [{s['source_id']}]")
    return "\n".join(lines)


#: Characters with a meaning in BibTeX or LaTeX, as written inside a braced field.
_BIB_SPECIAL = {c: "\\" + c for c in "{}&%_#$"} | {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib_escape(text: str) -> str:
    """``text`` safe inside a BibTeX field: braces balanced, LaTeX specials escaped."""
    return "".join(_BIB_SPECIAL.get(c, c) for c in text)


def _bibtex(sources: list[dict]) -> str:
    entries = [
        "@misc{ffdata,\n"
        f"  author = {{{{{AUTHORS}}}}},\n"
        f"  title = {{{_bib_escape(TITLE)}}},\n"
        f"  year = {{{YEAR}}},\n"
        f"  version = {{{__version__}}},\n"
        "  note = {Data set}\n}"
    ]
    for s in sources:
        key = s["source_id"].replace("-", "_")
        fields = [f"  author = {{{{{_bib_escape(s['producer'])}}}}}"]
        if s["title"]:
            fields.append(f"  title = {{{_bib_escape(s['title'])}}}")
        year = re.search(r"(\d{4})(?:-\d\d)*$", s["published_date"] or "")  # a span's end
        if year:
            fields.append(f"  year = {{{year.group(1)}}}")
        if s["url"]:
            # a URL is not LaTeX text: `_` stays `_` (url and hyperref read it verbatim)
            url = str(s["url"]).replace("{", "%7B").replace("}", "%7D")
            fields.append(f"  url = {{{url}}}")
        if s["note"]:
            fields.append(f"  note = {{{_bib_escape(s['note'])}}}")
        entries.append(f"@misc{{{key},\n" + ",\n".join(fields) + "\n}")
    return "\n\n".join(entries)
