"""Which data a frame is: the dataset version in every Parquet file, and in what load() and
the API return (with the file read and its sha256)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from support import ROOT

import ffdata
from ffdata.loading import ATTRS, VERSION_KEY, data_version
from ffdata.locate import DESCRIPTOR, PROCESSED
from ffdata.tables import TABLES


def descriptor_version(root: Path = ROOT) -> str:
    return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))["version"]


def test_every_published_parquet_file_records_the_datapackage_version():
    files = sorted((ROOT / PROCESSED).glob("*.parquet"))
    assert [f.stem for f in files] == sorted(TABLES)
    for file in files:
        metadata = pq.read_metadata(file).metadata or {}
        assert metadata.get(VERSION_KEY.encode()) == descriptor_version().encode(), file.name


@pytest.mark.parametrize("name", list(TABLES))
def test_load_says_the_version_file_and_sha256_it_read(name):
    file = ffdata.path(name)
    facts = {
        "data_version": descriptor_version(),
        "file": str(file),
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
    }
    assert tuple(facts) == ATTRS
    assert ffdata.load(name).attrs == facts
    assert ffdata.load(name, columns=[TABLES[name].columns[0].name]).attrs == facts
    metadata = ffdata.load(name, backend="pyarrow").schema.metadata
    assert {k: metadata[f"ffdata.{k}".encode()].decode() for k in ATTRS} == facts
    # polars frames have no metadata: the README's recipe reads the file's
    assert pl.read_parquet_metadata(file)[VERSION_KEY] == facts["data_version"]


def test_a_frame_of_the_api_says_its_data_version_and_no_one_file():
    frames = [
        ffdata.compare("UK"),
        ffdata.compare("Iran"),
        ffdata.country_summary(),
        ffdata.totals(),
        ffdata.provenance("Tunisia"),
        ffdata.provenance(figure="un-2014-foreign-fighters"),
    ]
    for frame in frames:
        assert frame.attrs["data_version"] == descriptor_version()
        assert "sha256" not in frame.attrs and "file" not in frame.attrs


def test_a_release_written_before_the_files_recorded_it_says_its_version(tmp_path, monkeypatch):
    """0.1.0's Parquet files carry no version: load() reads it from the release's
    datapackage.json (only then), and says the file and sha256 it read."""
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(tmp_path / "cache"))
    release = str(ROOT / "releases" / "ffdata-data-0.1.0.zip")
    file = ffdata.path("countries", release=release)
    assert VERSION_KEY.encode() not in (pq.read_metadata(file).metadata or {})
    attrs = ffdata.load("countries", release=release).attrs
    assert attrs["data_version"] == "0.1.0" == descriptor_version(file.parents[2])
    assert attrs["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()


def test_the_version_a_parquet_file_records_wins_over_its_datapackage(tmp_path, monkeypatch):
    """A file that records its version is read by it, whatever datapackage.json beside it
    says: datapackage.json is read only for a file that records none (0.1.0's)."""
    shutil.copytree(ROOT / PROCESSED, tmp_path / PROCESSED)
    descriptor = json.loads((ROOT / DESCRIPTOR).read_text(encoding="utf-8"))
    descriptor["version"] = "0.0.0-not-the-files"
    (tmp_path / DESCRIPTOR).write_text(json.dumps(descriptor), encoding="utf-8")
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    for name in TABLES:
        recorded = pq.read_metadata(tmp_path / PROCESSED / f"{name}.parquet").metadata
        version = recorded[VERSION_KEY.encode()].decode()
        assert ffdata.load(name).attrs["data_version"] == version, name
        metadata = ffdata.load(name, backend="pyarrow").schema.metadata
        assert metadata[b"ffdata.data_version"].decode() == version, name
    assert data_version() == version
