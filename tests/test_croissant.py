"""croissant.json, the package's Croissant 1.1 JSON-LD: mlcroissant reads it without an
error or a warning and reads every table back as the published rows; every table and column
of tables.py, every file with its sha256, every key, foreign key and vocabulary, and each
figure's document and line are in it; the report's head embeds it. (The release carries it:
test_release_contents.py, where the release is built anyway.)"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import mlcroissant as mlc
import numpy as np
import pyarrow.parquet as pq
import pytest
from support import ROOT

from ffdata import tables
from ffdata.builder.tools.croissant import (
    CROISSANT_FILE,
    DATA_TYPES,
    PROVENANCE,
    croissant_text,
    vocabularies,
)
from ffdata.hashes import sha256_file
from ffdata.tables import TABLES

PATH = ROOT / CROISSANT_FILE
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
#: Each table's Parquet file, which its record set reads.
PARQUET = {
    r["path"].rsplit("/", 1)[1].removesuffix(".parquet"): r["path"]
    for r in DESCRIPTOR["resources"]
    if r["format"] == "parquet"
}


@pytest.fixture(scope="module")
def jsonld() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dataset() -> mlc.Dataset:
    return mlc.Dataset(jsonld=str(PATH))


def _record_sets(jsonld: dict) -> dict[str, dict]:
    return {r["@id"]: r for r in jsonld["recordSet"]}


def _plain(value: object) -> tuple[str, object]:
    """A value as mlcroissant or pyarrow gives it, with its type, made comparable: text as
    str, NumPy scalars as Python's, NaN as None (an integer and a float of the same value
    differ)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        value = None
    return type(value).__name__, value


# --- mlcroissant reads it ---


def test_mlcroissant_finds_no_error_or_warning(dataset: mlc.Dataset) -> None:
    issues = dataset.metadata.ctx.issues
    assert (issues.errors, issues.warnings) == (set(), set())
    assert dataset.metadata.ctx.is_v1_1()


@pytest.mark.parametrize("table", TABLES)
def test_records_read_through_mlcroissant_are_the_published_rows(
    dataset: mlc.Dataset, table: str
) -> None:
    records = [
        {key.split("/", 1)[1]: _plain(value) for key, value in record.items()}
        for record in dataset.records(record_set=table)
    ]
    rows = pq.read_table(ROOT / PARQUET[table]).to_pylist()
    rows = [{k: _plain(v) for k, v in row.items()} for row in rows]
    assert records == rows


def test_enumerations_read_through_mlcroissant_are_the_vocabularies(
    dataset: mlc.Dataset,
) -> None:
    for values, identifier in vocabularies().items():
        records = dataset.records(record_set=identifier)
        names = [_plain(r[f"{identifier}/name"])[1] for r in records]
        assert tuple(names) == values, identifier


# --- what it says, from tables.py and datapackage.json ---


def test_each_vocabulary_value_carries_its_meaning_from_tables_py(jsonld: dict) -> None:
    """Every value of a vocabulary that tables.py gives meanings has its own meaning."""
    meanings = [
        v for k, v in vars(tables).items() if k.endswith("_MEANINGS") and isinstance(v, dict)
    ]
    record_sets = _record_sets(jsonld)
    explained = 0
    for values, identifier in vocabularies().items():
        meaning = next((m for m in meanings if tuple(m) == values), None)
        rows = record_sets[identifier]["data"]
        if meaning is None:
            assert all(f"{identifier}/description" not in row for row in rows), identifier
            continue
        explained += 1
        for row in rows:
            value = row[f"{identifier}/name"]
            assert row[f"{identifier}/description"] == meaning[value], (identifier, value)
    assert explained


def test_every_table_is_a_record_set_and_every_column_a_field(jsonld: dict) -> None:
    record_sets = _record_sets(jsonld)
    for table in TABLES.values():
        record_set = record_sets[table.name]
        assert table.description in record_set["description"]
        fields = record_set["field"]
        assert [f["name"] for f in fields] == [c.name for c in table.columns]
        for field, column in zip(fields, table.columns, strict=True):
            assert field["@id"] == f"{table.name}/{column.name}"
            assert field["dataType"] == DATA_TYPES[column.type]
            assert field["description"].startswith(column.description)
            if column.unit:  # "fighters per million": a number is read in its unit
                assert field["description"].endswith(f" Unit: {column.unit}."), field["@id"]
            source = {
                "fileObject": {"@id": PARQUET[table.name]},
                "extract": {"column": column.name},
            }
            assert field["source"] == source
        keys = record_set["key"] if isinstance(record_set["key"], list) else [record_set["key"]]
        assert keys == [{"@id": f"{table.name}/{k}"} for k in table.primary_key]


def test_foreign_keys_and_vocabularies_are_references(jsonld: dict) -> None:
    record_sets = _record_sets(jsonld)
    for table in TABLES.values():
        fields = {f["name"]: f for f in record_sets[table.name]["field"]}
        foreign = {key.fields[0]: key for key in table.foreign_keys}
        for column in table.columns:
            referenced = fields[column.name].get("references")
            if column.name in foreign:
                key = foreign[column.name]
                other = {"fileObject": {"@id": PARQUET[key.table]}}
                other["extract"] = {"column": key.reference[0]}
                assert referenced == other, (table.name, column.name)
                # the column read is a field of the referenced record set
                assert key.reference[0] in {f["name"] for f in record_sets[key.table]["field"]}
            elif column.enum:
                enumeration = record_sets[referenced["field"]["@id"].split("/")[0]]
                assert enumeration["dataType"] == "sc:Enumeration"
                values = [row[f"{enumeration['@id']}/name"] for row in enumeration["data"]]
                assert tuple(values) == column.enum, (table.name, column.name)
            else:
                assert referenced is None, (table.name, column.name)


def test_every_published_file_is_a_file_object_with_its_sha256(jsonld: dict) -> None:
    files = {f["@id"]: f for f in jsonld["distribution"]}
    assert list(files) == [r["path"] for r in DESCRIPTOR["resources"]]
    for resource in DESCRIPTOR["resources"]:
        entry = files[resource["path"]]
        assert entry["@type"] == "cr:FileObject"
        assert entry["contentUrl"] == resource["path"]  # relative to croissant.json
        assert entry["encodingFormat"][0] == resource["mediatype"]
        assert entry["sha256"] == sha256_file(ROOT / resource["path"])


def test_the_dataset_is_the_schema_org_dataset_of_the_package(jsonld: dict) -> None:
    from ffdata.builder.tools.dataset_metadata import dataset_jsonld, package_metadata

    schema_org = dataset_jsonld(*package_metadata(ROOT))
    for key in ("name", "description", "version", "url", "license", "creator", "keywords"):
        assert jsonld[key] == schema_org[key], key
    assert jsonld.get("datePublished") == schema_org.get("datePublished")
    assert jsonld["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert jsonld["citeAs"].startswith("@misc{ffdata,")


def test_the_citation_names_the_release_archive_not_a_commit(jsonld: dict) -> None:
    # make data writes croissant.json and the release carries it: it names the archive the
    # version is released as; git's HEAD would make it stale at every commit
    from ffdata import __version__
    from ffdata.citation import checkout_commit
    from ffdata.registry import release_name

    # the dataset's own entry, one citation (its sources are in isBasedOn)
    assert jsonld["citeAs"].count("@misc{") == 1
    assert f"Release archive {release_name(__version__)} of" in jsonld["citeAs"]
    commit = checkout_commit()
    assert commit is None or commit not in jsonld["citeAs"]


# --- provenance (PROV-O) ---


def test_each_figure_is_derived_from_its_document_and_line(
    jsonld: dict, dataset: mlc.Dataset
) -> None:
    record_sets = _record_sets(jsonld)
    with_figures = {
        name
        for name, table in TABLES.items()
        if set(PROVENANCE["printed_in"][2]) <= {c.name for c in table.columns}
    }
    assert with_figures  # the tables of figures carry document_id, line, text_as_printed
    for name, table in TABLES.items():
        annotations = {a["name"]: a for a in record_sets[name].get("annotation", [])}
        if name not in with_figures:
            assert annotations == {}, name
            continue
        printed = annotations["printed_in"]
        assert printed["equivalentProperty"] == "prov:wasDerivedFrom"
        sub = {f["name"]: f for f in printed["subField"]}
        assert list(sub) == ["document_id", "line", "text_as_printed"]
        for column, field in sub.items():
            assert field["source"]["extract"] == {"column": column}
            assert field["dataType"] == DATA_TYPES[table.column(column).type]
        documents = {
            "fileObject": {"@id": PARQUET["documents"]},
            "extract": {"column": "document_id"},
        }
        assert sub["document_id"]["references"] == documents
        credited = annotations["credited_to"]
        assert credited["equivalentProperty"] == "prov:wasAttributedTo"
        assert [f["name"] for f in credited["subField"]] == ["source_id"]
    # mlcroissant reads the annotations with their PROV-O property
    read = {r.id: r for r in dataset.metadata.record_sets}
    for name in with_figures:
        properties = {a.name: a.equivalentProperty for a in read[name].annotations}
        assert properties == {
            "printed_in": ["prov:wasDerivedFrom"],
            "credited_to": ["prov:wasAttributedTo"],
        }


# --- where it is ---


def test_the_file_is_up_to_date_and_byte_reproducible() -> None:
    text = croissant_text(ROOT)
    assert text == croissant_text(ROOT)
    assert PATH.read_text(encoding="utf-8") == text, "run `make data` and commit croissant.json"


def test_the_report_embeds_the_same_jsonld_in_its_head(jsonld: dict) -> None:
    page = (ROOT / "docs" / "report" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1 and scripts[0] in head
    assert json.loads(scripts[0]) == jsonld


def test_writing_it_does_not_import_mlcroissant() -> None:
    code = (
        "import sys; from pathlib import Path; "
        "from ffdata.builder.tools.croissant import croissant_text; "
        f"croissant_text(Path({str(ROOT)!r})); "
        "from ffdata.builder.tools import targets; "
        "assert 'mlcroissant' not in sys.modules, 'the build imports mlcroissant'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
