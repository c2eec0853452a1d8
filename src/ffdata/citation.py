"""Citations of the dataset, of the sources behind it and of the documents and files their
figures were read from, as plain text or BibTeX; ``CITATION.cff`` is written from the same
credits (``python -m ffdata.builder.tools.citation_file``).

The dataset's entry cites the release archive of this version when the registry records one,
and otherwise says plainly that the version is unreleased and to cite the commit.

Example:
    >>> print(cite().splitlines()[0])  # doctest: +ELLIPSIS
    ffdata contributors (2026). ffdata: foreign fighters in Syria and Iraq as each source defines them, country figures with provenance (version ...) [Data set]. ...
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ffdata._version import __version__
from ffdata.api import figure_row
from ffdata.display import is_missing
from ffdata.errors import UnknownNameError
from ffdata.fetch import checkout
from ffdata.loading import load, unknown_choice
from ffdata.locate import DESCRIPTOR, data_root
from ffdata.lookup import find_country
from ffdata.reading import read_table
from ffdata.registry import REPOSITORY_URL, known_releases, release_name
from ffdata.tables import TABLES

TITLE = "ffdata: foreign fighters in Syria and Iraq as each source defines them, country figures with provenance"
AUTHORS = "ffdata contributors"
YEAR = 2026


@dataclass(frozen=True)
class Credit:
    """One work to credit: a source of figures, a document or data file they were read from,
    or reference data. ``authors`` are people, or one organisation when ``organisation``."""

    key: str
    kind: str  # "source", "document" or "reference"
    authors: tuple[str, ...]
    organisation: bool
    title: str | None
    date: str | None  # as printed, else ISO
    year: str | None
    url: str | None
    publisher: str | None
    licence: str | None  # an SPDX id
    read_from: str | None  # a source's document: the key of its Credit
    commit: str | None = None  # reference data: the commit of the copy
    reported_in: str | None = None  # a second-hand source: the citation of the report, as printed
    beside: str | None = None  # a source printed outside its document's own text: its lines


def _text(value: object) -> str | None:
    """A cell as text, or None when empty or missing."""
    if is_missing(value) or str(value).strip() == "":
        return None
    return str(value)


def _records(root: Path, name: str) -> list[dict]:
    frame = read_table(root, name).astype(object)
    return [{k: _text(v) for k, v in row.items()} for row in frame.to_dict("records")]


#: A parenthetical of a name cell: a reviewer's description, never part of the name.
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)")


def bibliographic_name(text: str | None) -> str | None:
    """Return the name a citation gives for a producer, author or publisher cell: the cell
    without its parenthetical descriptions; None for an unnamed producer (the cell reads
    ``Not named (...)`` or ends ``(not named)``), which a citation names by its title.

    Example:
        >>> bibliographic_name("General John Allen (retired; former US Special Envoy)")
        'General John Allen'
        >>> bibliographic_name("Richard Barrett (2014) and The Soufan Group (2015)")
        'Richard Barrett and The Soufan Group'
        >>> bibliographic_name("Author of 'Islamic State Khorasan's Threat' (not named)") is None
        True
        >>> bibliographic_name("Not named (reported by The Telegraph, Alex Spillius)") is None
        True
    """
    if not text:
        return None
    if re.search(r"\(not named\)\s*$", text, flags=re.I):
        return None
    name = _PARENTHETICAL.sub("", text).strip()
    return None if not name or name.lower() == "not named" else name


def _year(date: str | None) -> str | None:
    """The year a date (or a span's end) falls in: ``2011/2013-12`` -> ``2013``."""
    found = re.search(r"(\d{4})(?:-\d\d)*$", date or "")
    return found.group(1) if found else None


def _licence_id(text: str | None) -> str | None:
    """The licence id a licence cell opens with (``CC-BY-3.0 (the copy ...)`` -> ``CC-BY-3.0``)."""
    return text.split(" ", 1)[0] if text else None


def _document_credit(doc: dict, licence: str | None) -> Credit:
    """The credit of a document or data file; ``licence``: that of the figures read from it."""
    cells = (doc["author"] or "").split(";")
    people = tuple(name for name in map(bibliographic_name, cells) if name)
    publisher = bibliographic_name(doc["publisher"])
    return Credit(
        key=doc["document_id"],
        kind="document",
        authors=people or ((publisher,) if publisher else ()),
        organisation=not people,
        title=doc["title"],
        date=doc["date_as_printed"] or doc["published_date"],
        year=_year(doc["published_date"]),
        url=doc["url"] or doc["url_found_online"],
        publisher=publisher,
        licence=licence,
        read_from=None,
    )


def _outside(line: str | None, main_text_lines: str | None) -> str | None:
    """``main_text_lines`` (``first-last``) when ``line`` falls outside them, else None.

    Example:
        >>> _outside("96", "1-54"), _outside("53", "1-54"), _outside("96", None)
        ('1-54', None, None)
    """
    if not line or not main_text_lines:
        return None
    first, last = (int(x) for x in main_text_lines.split("-"))
    return None if first <= int(line) <= last else main_text_lines


def _source_credit(s: dict, document: dict | None = None) -> Credit:
    """The credit of a source (a row of ``sources``). A second-hand source's title, date and
    URL are those of the report that cites its producer: the credit names no title of the
    producer's and gives that report as printed (``reported_in``)."""
    producer = bibliographic_name(s["producer"])
    second_hand = s["second_hand"] == "True"
    return Credit(
        key=s["source_id"],
        kind="source",
        authors=(producer,) if producer else (),
        organisation=True,
        title=None if second_hand else s["title"],
        date=None if second_hand else s["date_as_printed"] or s["published_date"],
        year=_year(s["published_date"]),
        url=None if second_hand else s["url"],
        publisher=None,
        licence=_licence_id(s["licence"]),
        read_from=s["document_id"],
        reported_in=_report(s) if second_hand else None,
        beside=_outside(s["line"], (document or {}).get("main_text_lines")),
    )


def _report(s: dict) -> str | None:
    """The report a second-hand source is cited through: its citation as printed, with the
    title, date and URL the row records when the citation does not print them; None when the
    row names no report (an attribution in the document's text: the document reports it)."""
    extra = [s["title"], s["date_as_printed"], s["url"]]
    if not any(extra):
        return None
    printed = s["citation_as_printed"]
    parts = [printed.rstrip(" ,.;")]
    parts += [f"“{x}”" if x == s["title"] else x for x in extra if x and x not in printed]
    return ", ".join(parts)


def _uses(used_for: str, tables: set[str]) -> bool:
    """Whether reference data used for ``used_for`` (``table.column`` names, as
    ``datapackage.json`` records them) gives figures of one of ``tables``."""
    return any(re.search(rf"\b{re.escape(t)}\b", used_for) for t in tables)


def credits(
    root: Path | str | None = None,
    wanted: set[str] | None = None,
    tables: set[str] | None = None,
) -> list[Credit]:
    """Return the credits of the package at ``root`` (default: the one ``load()`` reads): the
    sources in ``wanted`` (None: every source), each followed by the document or data file
    its figures were read from (once), then the reference data: all of it when ``wanted`` is
    None, else that used for the rows of ``tables`` (e.g. the populations of per-capita rates).

    Example:
        >>> [(c.kind, c.key) for c in credits(wanted={"icsr-2015-01"})]
        [('source', 'icsr-2015-01'), ('document', 'icsr-foreign-fighters-copy')]
        >>> credits(wanted={"icsr-2015-01"})[1].authors
        ('Gabriel Derpanopoulos', 'Luke Sonnet')
        >>> [c.key for c in credits(wanted=set(), tables={"country_estimates"})]
        ['worldbank-population']
    """
    root = Path(root) if root is not None else data_root()
    documents = {d["document_id"]: d for d in _records(root, "documents")}
    found: list[Credit] = []
    for s in _records(root, "sources"):
        if wanted is not None and s["source_id"] not in wanted:
            continue
        found.append(_source_credit(s, documents.get(s["document_id"])))
    for document_id in dict.fromkeys(c.read_from for c in found if c.read_from):
        licences = {c.licence for c in found if c.read_from == document_id} - {None}
        licence = licences.pop() if len(licences) == 1 else None
        found.append(_document_credit(documents[document_id], licence))
    descriptor = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    for ref in descriptor.get("reference_data", []):
        if wanted is None or _uses(ref.get("used_for", ""), tables or set()):
            found.append(
                Credit(
                    key=ref["id"],
                    kind="reference",
                    authors=(bibliographic_name(ref["producer"]) or ref["producer"],),
                    organisation=True,
                    title=ref["title"],
                    date=None,
                    year=None,
                    url=ref["origin"],
                    publisher=None,
                    licence=ref["licence"],
                    read_from=None,
                    commit=ref["commit"],
                )
            )
    return found


def sources_behind(
    table: str | None = None, country: str | None = None, figure: str | None = None
) -> set[str] | None:
    """Return the ids of the sources whose figures a table, a country (estimates and
    aggregate figures) or a ``figure_id`` holds; None means every source.

    Example:
        >>> sources_behind(figure="fbi-2015-foreign-fighters")
        {'fbi-2015'}
    """
    return _behind(table, country, figure)[0]


def _behind(
    table: str | None, country: str | None, figure: str | None
) -> tuple[set[str] | None, set[str]]:
    """(:func:`sources_behind`, the tables whose rows hold those figures)."""
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
            return None, {table}
        if all(c.name != "source_id" for c in TABLES[table].columns):
            return set(), {table}
        return set(load(table, columns=["source_id"])["source_id"]), {table}
    if figure is not None:
        return set(figure_row(figure, ["source_id"])["source_id"]), {"aggregate_figures"}
    if country is not None:
        iso3 = find_country(country, with_estimates=False)
        found: set[str] = set()
        tables: set[str] = set()
        for name in ("country_estimates", "aggregate_figures"):
            rows = load(name, columns=["iso3", "source_id"])
            theirs = set(rows.loc[rows["iso3"] == iso3, "source_id"])
            found |= theirs
            tables |= {name} if theirs else set()
        if not found:
            raise UnknownNameError(
                f"no figures for {country!r} ({iso3}) in country_estimates or "
                "aggregate_figures: no source to cite for it",
                hint=f"ffdata.compare({iso3!r}) shows why each source lists no figure for it; "
                "cite() cites every source",
            )
        return found, tables
    return None, set()


def checkout_commit() -> str | None:
    """Return the git commit of the checkout this package runs from, if git can tell.

    Example:
        >>> commit = checkout_commit()
        >>> commit is None or len(commit) == 40
        True
    """
    folder = checkout()
    if folder is None or not (folder / ".git").exists():
        return None
    try:
        run = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--verify", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = run.stdout.strip()
    return commit if run.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def release_status(version: str = __version__, *, as_released: bool = False) -> tuple[bool, str]:
    """Return whether ``version`` is released (the registry records its archive) and what to
    cite: the archive and its sha256, or, unreleased, the commit (git's, when it can tell).
    ``as_released`` names the archive the version is released as, without sha256 or commit:
    for the metadata ``make data`` writes and a release carries (``croissant.json``), which
    can hold neither its own archive's sha256 nor its own commit.

    Example:
        >>> release_status("0.1.0")  # doctest: +ELLIPSIS
        (True, 'Release archive ffdata-data-0.1.0.zip in releases/ of https://github.com/ffdata/ffdata, sha256 28bb1e77...')
        >>> release_status("9.9.9")  # doctest: +ELLIPSIS
        (False, 'Unreleased: version 9.9.9 has no release archive; cite the commit ... of https://github.com/ffdata/ffdata')
    """
    if as_released:
        return True, f"Release archive {release_name(version)} of {REPOSITORY_URL}"
    sha256 = known_releases().get(version)
    if sha256:
        where = f"Release archive {release_name(version)} in releases/ of {REPOSITORY_URL}"
        return True, f"{where}, sha256 {sha256}"
    commit = checkout_commit()
    which = commit or "your copy was built from (`git rev-parse HEAD` in a checkout)"
    why = f"Unreleased: version {version} has no release archive"
    return False, f"{why}; cite the commit {which} of {REPOSITORY_URL}"


def cite(
    format: str = "text",
    table: str | None = None,
    country: str | None = None,
    figure: str | None = None,
    *,
    as_released: bool = False,
) -> str:
    """Return citations (``"text"`` or ``"bibtex"``) of the dataset and of every source, or of
    those behind a ``table``, ``country`` or ``figure`` (:func:`sources_behind`), with the
    documents and data files their figures were read from. An unreleased version is cited by
    git's commit; ``as_released`` cites the archive it is released as (:func:`release_status`).

    Example:
        >>> text = cite(country="Norway")
        >>> "- The Soufan Group." in text and "- Gabriel Derpanopoulos and Luke Sonnet." in text
        True
        >>> "@misc{soufan_2015," in cite("bibtex", table="country_estimates")
        True
    """
    if format not in ("text", "bibtex"):
        raise UnknownNameError(f"unknown citation format {format!r}", hint="use 'text' or 'bibtex'")
    wanted, tables = _behind(table, country, figure)
    found = credits(wanted=wanted, tables=tables)
    if format == "bibtex":
        keys = {c.key: c for c in found}
        entries = [_bibtex(c, keys.get(c.read_from or "")) for c in found]
        return "\n\n".join([dataset_bibtex(as_released), *entries])
    released, where = release_status(as_released=as_released)
    state = "" if released else ", unreleased"
    lines = [f"{AUTHORS} ({YEAR}). {TITLE} (version {__version__}{state}) [Data set]. {where}."]
    lines.append("")
    sections = {
        "source": "Sources of the figures (cite the ones you use):",
        "document": "Documents and data files the figures were read from (credit them too):",
        "reference": "Reference data (populations, regions):",
    }
    if not any(c.kind == "source" for c in found):
        lines.append(f"Table {table} holds no figures of the sources: cite the data set.")
    for kind, heading in sections.items():
        these = [c for c in found if c.kind == kind]
        lines += ([""] if kind != "source" and these else []) + ([heading] if these else [])
        lines += [f"- {credit_text(c)} [{c.key}]" for c in these]
    return "\n".join(lines)


def credit_text(c: Credit) -> str:
    """Return a credit as one line of text: authors. "Title". Publisher, date. URL. Licence.

    Example:
        >>> credit_text(credits(wanted={"icsr-2015-01"})[1])  # doctest: +ELLIPSIS
        'Gabriel Derpanopoulos and Luke Sonnet. "Replication files of ... Licence CC-BY-3.0.'
    """
    who = " and ".join(c.authors) if c.authors else c.publisher
    parts = [f"{who}."] if who else []
    if c.title:
        parts.append(f'"{c.title}".')
    if c.reported_in:
        parts.append(f"Reported in: {c.reported_in}.")
    publisher = c.publisher if (c.publisher,) != c.authors else None
    where = ", ".join(x for x in (publisher, c.date) if x)
    parts += [f"{where}."] if where else []
    parts += [c.url] if c.url else []
    if c.commit:
        parts.append(f"(commit {c.commit})")
    if c.licence and c.kind != "source":  # a source's is that of the copy it is read from
        parts.append(f"Licence {c.licence}.")
    if c.read_from and c.beside:
        parts.append(
            f"Read from the file of {c.read_from} (below), printed among other texts of its "
            f"host page, outside the document's own text (its lines {c.beside})."
        )
    elif c.read_from:
        parts.append(f"Read from {c.read_from} (below).")
    return " ".join(parts)


#: Characters with a meaning in BibTeX or LaTeX, as written inside a braced field.
_BIB_SPECIAL = {c: "\\" + c for c in "{}&%_#$"} | {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib_escape(text: str) -> str:
    """``text`` safe inside a BibTeX field: braces balanced, LaTeX specials escaped."""
    return "".join(_BIB_SPECIAL.get(c, c) for c in text)


def bibtex_key(key: str) -> str:
    """Return the BibTeX key of a source or document id.

    Example:
        >>> bibtex_key("icsr-2013-12")
        'icsr_2013_12'
    """
    return key.replace("-", "_")


def _entry(key: str, fields: dict[str, str | None]) -> str:
    """A ``@misc`` entry of the fields given (``url`` kept verbatim, the rest escaped)."""
    lines = []
    for name, value in fields.items():
        if value:
            # a URL is not LaTeX text: `_` stays `_` (url and hyperref read it verbatim)
            text = value.replace("{", "%7B").replace("}", "%7D") if name == "url" else value
            lines.append(f"  {name} = {{{text}}}")
    return f"@misc{{{key},\n" + ",\n".join(lines) + "\n}"


def dataset_bibtex(as_released: bool = False) -> str:
    """Return the BibTeX entry of the dataset alone (``cite("bibtex")`` adds its sources);
    ``as_released`` as in :func:`release_status`.

    Example:
        >>> print(dataset_bibtex(as_released=True).splitlines()[-2])  # doctest: +ELLIPSIS
          howpublished = {Release archive ffdata-data-...zip of https://github.com/ffdata/ffdata}
    """
    _, where = release_status(as_released=as_released)
    return _entry(
        "ffdata",
        {
            "author": f"{{{AUTHORS}}}",
            "title": _bib_escape(TITLE),
            "year": str(YEAR),
            "version": __version__,
            "url": REPOSITORY_URL,
            "howpublished": _bib_escape(where),
        },
    )


def _bibtex(c: Credit, read_from: Credit | None = None) -> str:
    """A credit as a ``@misc`` entry; a source's names the document it was read from."""
    authors = [_bib_escape(a) for a in c.authors]
    author = f"{{{authors[0]}}}" if c.organisation and authors else " and ".join(authors)
    how = [c.publisher] if c.publisher and (c.publisher,) != c.authors else []
    how += [f"reported in: {c.reported_in}"] if c.reported_in else []
    how += [f"commit {c.commit}"] if c.commit else []
    if read_from is not None:
        by = " and ".join(read_from.authors) or read_from.publisher
        what = f'"{read_from.title}"' if read_from.title else read_from.url
        doc = ", ".join(x for x in (by, what, read_from.year) if x)
        if c.beside:
            where = read_from.publisher or "its host site"
            doc = (
                f"the web page of {doc} ({where}), printed among other texts of the page, "
                f"outside the article's lines {c.beside}"
            )
        how.append(f"figures read from {doc}")
    return _entry(
        bibtex_key(c.key),
        {
            "author": author,
            "title": _bib_escape(c.title) if c.title else None,
            "year": c.year,
            "howpublished": _bib_escape("; ".join(how)) if how else None,
            "url": c.url,
        },
    )
