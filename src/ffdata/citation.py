"""Citations of the dataset and of the sources behind it, as plain text or BibTeX.

The dataset's own entry agrees with ``CITATION.cff`` (a test checks it).

Example:
    >>> print(cite().splitlines()[0])  # doctest: +ELLIPSIS
    ffdata contributors (2026). ffdata: foreign fighters who joined the Islamic State, country figures with provenance (version ...) [Data set].
"""

from __future__ import annotations

import re

from ffdata._version import __version__

TITLE = "ffdata: foreign fighters who joined the Islamic State, country figures with provenance"
AUTHORS = "ffdata contributors"
YEAR = 2026


def _year(text: str) -> str:
    match = re.search(r"(19|20)\d\d", text or "")
    return match.group(0) if match else "n.d."


def _sources() -> list[dict]:
    from ffdata.api import load

    frame = load("sources")
    return [
        {k: (None if v is None or v != v else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


def cite(format: str = "text") -> str:
    """Return citations of the dataset and of every source, as ``"text"`` or ``"bibtex"``.

    Example:
        >>> "@misc{soufan_2015," in cite("bibtex")
        True
    """
    if format not in ("text", "bibtex"):
        from ffdata.errors import UnknownNameError

        raise UnknownNameError(f"unknown citation format {format!r}", hint="use 'text' or 'bibtex'")
    sources = _sources()
    if format == "bibtex":
        return _bibtex(sources)
    lines = [
        f"{AUTHORS} ({YEAR}). {TITLE} (version {__version__}) [Data set].",
        "",
        "Sources of the figures (cite the ones you use):",
    ]
    for s in sources:
        title = f' "{s["title"]}",' if s["title"] else ""
        date = f" {s['date_as_printed']}." if s["date_as_printed"] else ""
        url = f" {s['url']}" if s["url"] else ""
        via = " (reported second-hand; see note)" if s["second_hand"] else ""
        lines.append(f"- {s['producer']}.{title}{date}{url}{via} [{s['source_id']}]")
    return "\n".join(lines)


def _bib_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_")


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
        fields.append(f"  year = {{{_year(s['date_as_printed'] or s['source_id'])}}}")
        if s["url"]:
            fields.append(f"  url = {{{s['url']}}}")
        if s["note"]:
            fields.append(f"  note = {{{_bib_escape(s['note'])}}}")
        entries.append(f"@misc{{{key},\n" + ",\n".join(fields) + "\n}")
    return "\n\n".join(entries)
