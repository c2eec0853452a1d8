"""Catalogue metadata (schema.org ``Dataset`` JSON-LD, ``.zenodo.json``) from
``datapackage.json``, ``CITATION.cff`` and the date of the version's ``CHANGELOG.md`` heading.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ffdata.errors import ReleaseError
from ffdata.fetch import RELEASE_URL
from ffdata.registry import REPOSITORY_URL, VERSION_PATTERN, release_name

ZENODO_LICENCES = {"CC-BY-4.0": "cc-by-4.0"}
_HEADING = re.compile(rf"(?m)^## +({VERSION_PATTERN})\b(.*)$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def version_heading(line: str) -> str | None:
    """Return the version a CHANGELOG line is the heading of, if it is one.

    Example:
        >>> version_heading("## 0.2.0(2026-11-23)"), version_heading("# ffdata")
        ('0.2.0', None)
    """
    found = _HEADING.match(line)
    return found.group(1) if found else None


def release_date(changelog: str, version: str, where: str = "CHANGELOG.md") -> str:
    """Return the ISO date in ``version``'s CHANGELOG heading; refuse an undated version.

    Example:
        >>> release_date("## 0.2.0 (unreleased)\\n", "0.2.0")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: CHANGELOG.md:1: the entry of version 0.2.0 has no release date: '## 0.2.0 (unreleased)'
          hint: ...
    """
    for number, line in enumerate(changelog.splitlines(), start=1):
        found = _HEADING.match(line)
        if found and found.group(1) == version:
            date = _DATE.search(found.group(2))
            if not date or "unreleased" in found.group(2).lower():
                raise ReleaseError(
                    f"the entry of version {version} has no release date",
                    document=where,
                    line=number,
                    text=line,
                    hint=f"write the heading as `## {version} (YYYY-MM-DD)`, the day of the "
                    "release: the release, its JSON-LD and .zenodo.json carry that date",
                )
            return date.group(0)
    hint = f"add `## {version} (YYYY-MM-DD)` and say what changed in this version"
    why = f"CHANGELOG.md has no entry for version {version}"
    raise ReleaseError(why, document=where, hint=hint)


def _citation_authors(citation: str) -> list[str]:
    """Return the authors' names of a ``CITATION.cff``."""
    block = re.search(r"(?ms)^authors:[ \t]*\n(.*?)(?=^\S|\Z)", citation)
    names = []
    for entry in re.split(r"(?m)^\s*-\s+", block.group(1) if block else "")[1:]:
        fields = {
            key: value.strip().strip("\"'")
            for key, value in re.findall(r"(?m)^\s*([\w-]+):(.*)$", entry)
        }
        given_family = [fields.get("given-names"), fields.get("family-names")]
        name = fields.get("name") or " ".join(filter(None, given_family))
        if name:
            names.append(name)
    return names


def _licence(descriptor: dict) -> dict:
    licences = descriptor.get("licenses") or [{}]
    return licences[0]


def source_code(commit: str) -> dict:
    """Return the schema.org ``SoftwareSourceCode`` of the repository at ``commit``.

    Example:
        >>> source_code("a" * 40)["codeRepository"]
        'https://github.com/ffdata/ffdata'
    """
    return {
        "@type": "SoftwareSourceCode",
        "name": "ffdata: the code and inputs that build this data set",
        "codeRepository": REPOSITORY_URL,
        "version": commit,
        "url": f"{REPOSITORY_URL}/tree/{commit}",
    }


def dataset_jsonld(
    descriptor: dict, authors: list[str], date: str | None, commit: str | None = None
) -> dict:
    """Return the schema.org ``Dataset`` of a package released on ``date`` (if any), built
    from ``commit`` of the repository (if known: ``isBasedOn`` names it).

    Example:
        >>> from ffdata.locate import data_root
        >>> descriptor = json.loads((data_root() / "datapackage.json").read_text())
        >>> ld = dataset_jsonld(descriptor, ["ffdata contributors"], "2026-11-23")
        >>> ld["@type"], ld["license"], ld["creator"][0]["name"]
        ('Dataset', 'https://creativecommons.org/licenses/by/4.0/', 'ffdata contributors')
    """
    version = str(descriptor["version"])
    archive = RELEASE_URL.format(version=version) + release_name(version)
    ld: dict = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor["title"],
        "description": descriptor["description"],
        "version": version,
        "url": REPOSITORY_URL,
        "license": _licence(descriptor).get("path"),
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": name} for name in authors],
        "keywords": list(descriptor.get("keywords", [])),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": release_name(version),
                "encodingFormat": "application/zip",
                "contentUrl": archive,
            }
        ],
        "isBasedOn": [
            {"@type": "CreativeWork", "name": source["title"]}
            | ({"url": source["path"]} if source.get("path") else {})
            for source in descriptor.get("sources", [])
        ]
        + ([source_code(commit)] if commit else []),
    }
    if date:
        ld["datePublished"] = date
    return ld


def zenodo_metadata(
    descriptor: dict, authors: list[str], date: str, commit: str | None = None
) -> dict:
    """Return the ``.zenodo.json`` of a package released on ``date``, built from ``commit``
    (if known: a related identifier names the repository at that commit).

    Example:
        >>> from ffdata.locate import data_root
        >>> descriptor = json.loads((data_root() / "datapackage.json").read_text())
        >>> z = zenodo_metadata(descriptor, ["ffdata contributors"], "2026-11-23")
        >>> z["upload_type"], z["license"], z["publication_date"]
        ('dataset', 'cc-by-4.0', '2026-11-23')
    """
    licence = _licence(descriptor).get("name", "")
    return {
        "title": descriptor["title"],
        "upload_type": "dataset",
        "description": descriptor["description"],
        "version": str(descriptor["version"]),
        "publication_date": date,
        "creators": [{"name": name} for name in authors],
        "license": ZENODO_LICENCES.get(licence, licence.lower()),
        "access_right": "open",
        "keywords": list(descriptor.get("keywords", [])),
        "related_identifiers": [
            {"identifier": REPOSITORY_URL, "relation": "isSupplementTo", "scheme": "url"}
        ]
        + (
            [
                {
                    "identifier": source_code(commit)["url"],
                    "relation": "isDerivedFrom",
                    "scheme": "url",
                }
            ]
            if commit
            else []
        ),
    }


def metadata_json(value: dict) -> str:
    """Return ``value`` as the stable JSON text the release writes (sorted keys, LF).

    Example:
        >>> metadata_json({"b": 1, "a": "é"})
        '{\\n  "a": "é",\\n  "b": 1\\n}\\n'
    """
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def package_metadata(root: Path) -> tuple[dict, list[str], str | None]:
    """Return (datapackage.json, authors, release date or None) of a checkout or release.

    Example:
        >>> from ffdata.builder.tools.checkout import checkout_root
        >>> descriptor, authors, date = package_metadata(checkout_root())
        >>> authors
        ['ffdata contributors']
    """
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    citation = root / "CITATION.cff"
    authors = _citation_authors(citation.read_text(encoding="utf-8")) if citation.is_file() else []
    changelog = root / "CHANGELOG.md"
    try:
        date = release_date(changelog.read_text(encoding="utf-8"), str(descriptor["version"]))
    except (ReleaseError, OSError):
        date = None
    return descriptor, authors or ["ffdata contributors"], date
