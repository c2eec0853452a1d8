"""``CITATION.cff`` of a checkout, written by ``make data`` from the declarations ``cite()``
reads: the dataset's title and authors (:mod:`ffdata.citation`), the version, its date in
``CHANGELOG.md``, the repository, and in ``references`` every source, every document and data
file the figures were read from, and the reference data (:func:`ffdata.citation.credits`).

Example:
    >>> from ffdata.builder.tools.checkout import checkout_root
    >>> print(citation_cff(checkout_root()).splitlines()[0])
    cff-version: 1.2.0
"""

from __future__ import annotations

import json
from pathlib import Path

from ffdata.builder.tools.dataset_metadata import release_date
from ffdata.citation import AUTHORS, TITLE, Credit, credits
from ffdata.errors import ReleaseError
from ffdata.locate import DESCRIPTOR
from ffdata.registry import REPOSITORY_URL

CITATION_FILE = "CITATION.cff"
MESSAGE = (
    "If you use this dataset, cite it as below, and cite the producers of the figures you use "
    "and the documents and data files they were read from (references; `ffdata cite "
    "--country X` gives those behind a country, a table or a figure)."
)


def _quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _person(name: str) -> list[str]:
    """A person's name as CFF ``given-names`` and ``family-names`` (the last word)."""
    given, _, family = name.rpartition(" ")
    fields = [f"family-names: {_quote(family)}"]
    return [f"given-names: {_quote(given)}", *fields] if given else fields


def _reference(c: Credit) -> list[str]:
    """One ``references`` item (a list of lines, indented under ``- ``)."""
    kind = {"source": "generic", "document": "generic", "reference": "data"}[c.kind]
    if c.kind == "document" and c.url and c.url.endswith(".csv"):
        kind = "data"
    by = f"Figures by {c.authors[0]}" if c.authors else "Figures of an unnamed producer"
    title = c.title or (by if c.kind == "source" else c.key)
    lines = [f"type: {kind}", f"title: {_quote(title)}", "authors:"]
    if c.organisation or not c.authors:
        names = c.authors or (c.publisher or "Unnamed",)  # CFF requires an author
        lines += [f"  - name: {_quote(name)}" for name in names]
    else:
        for name in c.authors:
            first, *rest = _person(name)
            lines += [f"  - {first}", *(f"    {line}" for line in rest)]
    if c.publisher and (c.publisher,) != c.authors:
        lines += ["publisher:", f"  name: {_quote(c.publisher)}"]
    if c.year:
        lines.append(f"year: {c.year}")
    if c.reported_in:
        lines.append(f"notes: {_quote('Reported in: ' + c.reported_in)}")
    if c.url:
        lines.append(f"url: {_quote(c.url)}")
    if c.commit:
        lines.append(f"commit: {_quote(c.commit)}")
    if c.licence:
        lines.append(f"license: {c.licence}")
    lines += ["identifiers:", "  - type: other", f"    value: {_quote(c.key)}"]
    first, *rest = lines
    return [f"  - {first}", *(f"    {line}" for line in rest)]


def citation_cff(root: Path) -> str:
    """Return the text of ``CITATION.cff`` for checkout ``root`` (after ``make data``).

    Example:
        >>> from ffdata.builder.tools.checkout import checkout_root
        >>> text = citation_cff(checkout_root())
        >>> "repository-code: " in text and "Derpanopoulos" in text
        True
    """
    descriptor = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    version = str(descriptor["version"])
    lines = [
        "cff-version: 1.2.0",
        f"message: {_quote(MESSAGE)}",
        f"title: {_quote(TITLE)}",
        "type: dataset",
        f"version: {version}",
    ]
    changelog = root / "CHANGELOG.md"
    try:
        date = release_date(changelog.read_text(encoding="utf-8"), version, str(changelog))
        lines.append(f"date-released: {_quote(date)}")
    except (ReleaseError, OSError):  # undated (unreleased): no date of release
        pass
    lines += ["authors:", f"  - name: {_quote(AUTHORS)}"]
    lines += [f"repository-code: {_quote(REPOSITORY_URL)}", "license: CC-BY-4.0", "keywords:"]
    lines += [f"  - {_quote(k)}" for k in descriptor.get("keywords", [])]
    lines.append("references:")
    for credit in credits(root):
        lines += _reference(credit)
    return "\n".join(lines) + "\n"


def write_citation_file(root: Path) -> str:
    """Write ``root/CITATION.cff``; return a summary.

    Example:
        >>> import shutil, tempfile
        >>> from ffdata.builder.tools.checkout import checkout_root
        >>> copy = Path(tempfile.mkdtemp())
        >>> _ = shutil.copytree(checkout_root() / "data" / "processed", copy / "data" / "processed")
        >>> for name in ("datapackage.json", "CHANGELOG.md"):
        ...     _ = shutil.copy(checkout_root() / name, copy / name)
        >>> write_citation_file(copy)
        'wrote CITATION.cff'
    """
    from ffdata.builder.publish.atomic import write_whole

    write_whole(root / CITATION_FILE, citation_cff(root))
    return f"wrote {CITATION_FILE}"
