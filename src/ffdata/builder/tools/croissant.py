"""Croissant 1.1 JSON-LD of the package (``croissant.json``, beside ``datapackage.json``).

The schema.org ``Dataset`` of :mod:`~ffdata.builder.tools.dataset_metadata` (its name,
description, licence, creators, keywords, repository), extended with what Croissant adds:
a ``cr:FileObject`` per published file (sha256 from ``datapackage.json``), a
``cr:RecordSet`` per table of :data:`ffdata.tables.TABLES` with a ``cr:Field`` per column
(type, description, the column it is read from), its key, a reference per foreign key, an
``sc:Enumeration`` record set per closed vocabulary, and the provenance of every figure
(PROV-O, as the specification's "Provenance Representation" allows on any Croissant object):
each row of a table of figures ``prov:wasDerivedFrom`` the document and line it was read from
and ``prov:wasAttributedTo`` its source. The build writes it; only the tests read it with
``mlcroissant``.

Example:
    >>> from ffdata.builder.tools.checkout import checkout_root
    >>> ld = croissant_jsonld(*package_metadata(checkout_root()))
    >>> ld["conformsTo"], [r["@id"] for r in ld["recordSet"]][:3]
    ('http://mlcommons.org/croissant/1.1', ['documents', 'sources', 'countries'])
"""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

from ffdata.builder.publish.atomic import write_whole
from ffdata.builder.tools.dataset_metadata import (
    REPOSITORY_URL,
    dataset_jsonld,
    metadata_json,
    package_metadata,
)
from ffdata.locate import ENV_VAR
from ffdata.tables import (
    COUNT_KIND_MEANINGS,
    FLAG_MEANINGS,
    GROUPS_COUNTED_MEANINGS,
    NAME_KIND_MEANINGS,
    NOT_LISTED_MEANINGS,
    PLACES_COUNTED_MEANINGS,
    TABLES,
    TOPIC_MEANINGS,
    Column,
    Table,
)

#: The file, beside ``datapackage.json``.
CROISSANT_FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
#: The JSON-LD context of Croissant 1.1 (as ``mlcroissant`` writes it), with PROV-O.
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "annotation": "cr:annotation",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "prov": "http://www.w3.org/ns/prov#",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
#: Croissant ``dataType`` of each column type of :mod:`ffdata.tables`. ISO dates at the
#: precision printed (``2013/2014``, ``2015-12``) are ``sc:Text``: ``sc:Date`` is one day.
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
}
#: Media types by the names Croissant readers know them (mlcroissant: Parquet's
#: pre-registration name), given after the registered one.
ALSO_KNOWN_AS = {"application/vnd.apache.parquet": ["application/x-parquet"]}
#: The closed vocabularies whose values have a declared meaning.
_MEANINGS = (
    FLAG_MEANINGS,
    TOPIC_MEANINGS,
    GROUPS_COUNTED_MEANINGS,
    PLACES_COUNTED_MEANINGS,
    COUNT_KIND_MEANINGS,
    NOT_LISTED_MEANINGS,
    NAME_KIND_MEANINGS,
)


def _ref(identifier: str) -> dict:
    return {"@id": identifier}


def _file_objects(descriptor: dict) -> list[dict]:
    """A ``cr:FileObject`` per resource of ``datapackage.json``, in its order."""
    files = []
    for resource in descriptor["resources"]:
        path = str(resource["path"])
        entry = {
            "@type": "cr:FileObject",
            "@id": path,
            "name": path,
            "description": str(resource.get("title", "")),
            "contentUrl": path,
            "encodingFormat": [
                resource["mediatype"],
                *ALSO_KNOWN_AS.get(resource["mediatype"], []),
            ],
            "sha256": str(resource["hash"]).removeprefix("sha256:"),
        }
        if resource.get("bytes"):
            entry["contentSize"] = f"{resource['bytes']} B"
        files.append(entry)
    return files


def _parquet_paths(descriptor: dict) -> dict[str, str]:
    """Table name -> path of its Parquet file, which the record sets are read from: a reader
    of the CSV files (mlcroissant's, pandas' defaults) takes text such as Namibia's code NA
    for a missing value, where Parquet keeps values and nulls apart."""
    return {
        str(r["path"]).rsplit("/", 1)[1].removesuffix(".parquet"): str(r["path"])
        for r in descriptor["resources"]
        if r["format"] == "parquet"
    }


def vocabularies() -> dict[tuple[str, ...], str]:
    """Return each closed vocabulary of the tables -> the ``@id`` of its enumeration record
    set (``<first column declaring it>_values``), in declared order.

    Example:
        >>> from ffdata.tables import ESTIMATES
        >>> vocabularies()[ESTIMATES]
        'estimate_values'
    """
    found: dict[tuple[str, ...], str] = {}
    for table in TABLES.values():
        for column in table.columns:
            if column.enum and column.enum not in found:
                found[column.enum] = f"{column.name}_values"
    return found


def _enumeration(values: tuple[str, ...], identifier: str) -> dict:
    """The ``sc:Enumeration`` record set of a vocabulary (with each value's meaning, if any)."""
    meanings = next((m for m in _MEANINGS if tuple(m) == values), None)
    fields = [
        {
            "@type": "cr:Field",
            "@id": f"{identifier}/name",
            "name": "name",
            "description": "The value as the tables write it.",
            "dataType": "sc:Text",
        }
    ]
    data = [{f"{identifier}/name": value} for value in values]
    if meanings:
        fields.append(
            {
                "@type": "cr:Field",
                "@id": f"{identifier}/description",
                "name": "description",
                "description": "What the value means.",
                "dataType": "sc:Text",
            }
        )
        for row, value in zip(data, values, strict=True):
            row[f"{identifier}/description"] = meanings[value]
    return {
        "@type": "cr:RecordSet",
        "@id": identifier,
        "name": identifier,
        "description": "The values of "
        + ", ".join(
            f"{t.name}.{c.name}" for t in TABLES.values() for c in t.columns if c.enum == values
        )
        + " (a closed vocabulary).",
        "dataType": "sc:Enumeration",
        "key": _ref(f"{identifier}/name"),
        "field": fields,
        "data": data,
    }


def _column_of(paths: dict[str, str], table: str, column: str) -> dict:
    """The ``source`` that reads ``column`` from ``table``'s Parquet file."""
    return {"fileObject": _ref(paths[table]), "extract": {"column": column}}


def _references(table: Table, column: Column, paths: dict[str, str]) -> dict | None:
    """What a column refers to: a foreign key's column in the other table's file (not its
    field: mlcroissant 1.1.1 cannot join a record set to another that is read from a file),
    or the values of its closed vocabulary; None for other columns."""
    for key in table.foreign_keys:
        if key.fields == (column.name,):
            return _column_of(paths, key.table, key.reference[0])
    if column.enum:
        return {"field": _ref(f"{vocabularies()[column.enum]}/name")}
    return None


def _field(table: Table, column: Column, paths: dict[str, str], name: str = "") -> dict:
    """The ``cr:Field`` of a column (``@id`` ``<table>/<name or column>``), read from the
    column of the same name in the table's Parquet file."""
    field: dict = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{name or column.name}",
        "name": column.name,
        "description": column.description + (f" Unit: {column.unit}." if column.unit else ""),
        "dataType": DATA_TYPES[column.type],
        "source": _column_of(paths, table.name, column.name),
    }
    references = _references(table, column, paths)
    if references:
        field["references"] = references
    return field


#: A table of figures' annotations: name -> (PROV-O property, its range, the columns it
#: takes, what it says). Each applies to every row (every figure) of the table.
PROVENANCE = {
    "printed_in": (
        "prov:wasDerivedFrom",
        "prov:Entity",
        ("document_id", "line", "text_as_printed"),
        "Where the row's figure was printed: the document (the documents record set gives "
        "its file and sha256), the 1-based line, and the exact text that carries the figure.",
    ),
    "credited_to": (
        "prov:wasAttributedTo",
        "prov:Agent",
        ("source_id",),
        "The source the document attributes the figure to (the sources record set gives "
        "its producer, the citation as printed, the footnote and its line).",
    ),
}


def _provenance(table: Table, paths: dict[str, str]) -> list[dict]:
    """The annotations of :data:`PROVENANCE` whose columns ``table`` has, if it has a
    figure's document and line (the tables of figures)."""
    names = {c.name for c in table.columns}
    if not set(PROVENANCE["printed_in"][2]) <= names:
        return []
    return [
        {
            "@type": "cr:Field",
            "@id": f"{table.name}/{name}",
            "name": name,
            "description": description,
            "dataType": data_type,
            "equivalentProperty": prov,
            "subField": [
                _field(table, table.column(column), paths, f"{name}/{column}") for column in columns
            ],
        }
        for name, (prov, data_type, columns, description) in PROVENANCE.items()
        if set(columns) <= names
    ]


def _record_set(table: Table, paths: dict[str, str]) -> dict:
    """The ``cr:RecordSet`` of a table, read from its Parquet file."""
    keys = [_ref(f"{table.name}/{k}") for k in table.primary_key]
    record_set = {
        "@type": "cr:RecordSet",
        "@id": table.name,
        "name": table.name,
        "description": f"{table.title}. {table.description}",
        "key": keys[0] if len(keys) == 1 else keys,
        "field": [_field(table, c, paths) for c in table.columns],
    }
    annotations = _provenance(table, paths)
    if annotations:
        record_set["annotation"] = annotations
    return record_set


def croissant_jsonld(
    descriptor: dict, authors: list[str], date: str | None, cite_as: str = ""
) -> dict:
    """Return the Croissant 1.1 ``Dataset`` of a package (``datapackage.json``), its authors,
    its release date (None: not released; no ``datePublished``) and how to cite it.

    Example:
        >>> from ffdata.builder.tools.checkout import checkout_root
        >>> ld = croissant_jsonld(*package_metadata(checkout_root()))
        >>> [f["@id"] for f in ld["distribution"]][:2]
        ['data/processed/documents.csv', 'data/processed/documents.parquet']
        >>> next(f for f in ld["recordSet"][3]["field"] if f["name"] == "iso3")["references"]
        {'fileObject': {'@id': 'data/processed/countries.parquet'}, 'extract': {'column': 'iso3'}}
    """
    ld = dataset_jsonld(descriptor, authors, date)
    paths = _parquet_paths(descriptor)
    ld |= {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "distribution": _file_objects(descriptor),
        "recordSet": [_record_set(t, paths) for t in TABLES.values()]
        + [_enumeration(values, identifier) for values, identifier in vocabularies().items()],
        "prov:wasGeneratedBy": {
            "@type": "prov:Activity",
            "prov:label": "`make data` in the repository: every figure read from its source "
            "document by the declared extractors, checked and published",
            "prov:atLocation": REPOSITORY_URL,
        },
    }
    if cite_as:
        ld["citeAs"] = cite_as
    return ld


def croissant_of(root: Path) -> dict:
    """Return the Croissant 1.1 ``Dataset`` of the package under ``root``; ``citeAs`` is the
    dataset's own BibTeX entry (its sources are in ``isBasedOn``; ``ffdata.cite`` gives both).

    Example:
        >>> from ffdata.builder.tools.checkout import checkout_root
        >>> croissant_of(checkout_root())["citeAs"].startswith("@misc{ffdata,")
        True
    """
    from ffdata.citation import dataset_bibtex

    with mock.patch.dict(os.environ, {ENV_VAR: str(root)}):
        cite_as = dataset_bibtex(as_released=True)  # see release_status
    return croissant_jsonld(*package_metadata(root), cite_as=cite_as)


def croissant_text(root: Path) -> str:
    """Return ``croissant.json``'s text for the package under ``root`` (sorted keys).

    Example:
        >>> from ffdata.builder.tools.checkout import checkout_root
        >>> croissant_text(checkout_root()) == (checkout_root() / CROISSANT_FILE).read_text()
        True
    """
    return metadata_json(croissant_of(root))


def write_croissant(root: Path) -> Path:
    """Write ``croissant.json`` beside ``root``'s ``datapackage.json``; return its path.

    Example (``make data`` runs it; a test checks the file with mlcroissant):
        >>> write_croissant(Path("."))  # doctest: +SKIP
        PosixPath('croissant.json')
    """
    path = root / CROISSANT_FILE
    write_whole(path, croissant_text(root))
    return path
