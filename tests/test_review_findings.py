"""Regression tests for defects found in review (each was a wrong answer or a traceback)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import DOC, RAW, line_of, repin, replace_line

import ffdata
from ffdata.builder.pipeline import run_pipeline
from ffdata.cli import main
from ffdata.errors import (
    FfdataError,
    ManifestError,
    ReleaseError,
    ReviewedInputError,
    UnknownNameError,
)


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("United States of America", "USA"),
        ("Republic of Moldova", "MDA"),
        ("Russian Federation", "RUS"),
        ("Holland", "NLD"),
        (" Norway ", "NOR"),
    ],
)
def test_official_names_find_countries_with_figures(query, iso3):
    assert set(ffdata.compare(query).iso3) == {iso3}


def edit(raw: Path, name: str, old: str, new: str) -> None:
    path = raw / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    repin(raw, name)


def test_unit_that_does_not_fit_the_metric_is_refused(raw_copy):
    block = re.search(
        r'figure_id = "soufan-2015-countries-covered"(.|\n)*?unit = "countries"',
        (raw_copy / "figures.toml").read_text(encoding="utf-8"),
    ).group(0)
    edit(raw_copy, "figures.toml", block, block.replace('unit = "countries"', 'unit = "years"'))
    with pytest.raises(FfdataError, match="does not fit metric 'countries_covered'"):
        run_pipeline(raw_copy)


def test_misspelled_field_in_a_reviewed_file_is_refused(raw_copy):
    edit(raw_copy, "sources.toml", "\nfootnote = ", "\nfootnot = ")
    with pytest.raises(ReviewedInputError, match="unknown field"):
        run_pipeline(raw_copy)


def test_table_instead_of_array_of_tables_is_refused(raw_copy):
    (raw_copy / "figures.toml").write_text('[figures]\nfigure_id = "x"\n', encoding="utf-8")
    repin(raw_copy, "figures.toml")
    with pytest.raises(ReviewedInputError, match="must be an array of tables"):
        run_pipeline(raw_copy)


def test_non_ascii_digits_are_refused(raw_copy):
    replace_line(raw_copy, 121, line_of(121).replace("81", "\uff181"))
    with pytest.raises(FfdataError) as info:
        run_pipeline(raw_copy)
    assert info.value.document == DOC and info.value.line == 121


def test_link_to_outside_the_raw_folder_is_refused(raw_copy, tmp_path):
    outside = tmp_path / "outside.txt"
    shutil.copy(RAW / "000_8e0687df2c6dbefb.txt", outside)
    target = raw_copy / "000_8e0687df2c6dbefb.txt"
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(ManifestError, match="link to outside the raw folder"):
        run_pipeline(raw_copy)


def test_malformed_manifest_hash_is_refused(raw_copy):
    text = (raw_copy / "manifest.toml").read_text()
    digest = re.search(r'sha256 = "([0-9a-f]{64})"', text).group(1)
    (raw_copy / "manifest.toml").write_text(text.replace(digest, digest.upper(), 1))
    with pytest.raises(ManifestError, match="64 lower-case hex digits"):
        run_pipeline(raw_copy)


def test_damaged_installed_data_is_a_clear_error(tmp_path, monkeypatch, capsys):
    root = ffdata.path("countries").parents[2]
    shutil.copytree(root / "data" / "processed", tmp_path / "data" / "processed")
    shutil.copy(root / "datapackage.json", tmp_path)
    (tmp_path / "data" / "processed" / "sources.parquet").unlink()
    (tmp_path / "data" / "processed" / "countries.parquet").write_bytes(b"not parquet")
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    with pytest.raises(FfdataError, match="cannot read table countries"):
        ffdata.load("countries")
    assert main(["show", "sources"]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_unfetchable_address_is_not_called_a_hash_error(tmp_path):
    with pytest.raises(ReleaseError, match="cannot download"):
        ffdata.fetch_release(
            url=f"file://{tmp_path}/x.zip", cache_dir=tmp_path / "c", sha256="0" * 64
        )


def test_api_arguments():
    assert list(ffdata.load("countries", columns="iso3").columns) == ["iso3"]
    with pytest.raises(UnknownNameError, match="unknown estimate"):
        ffdata.provenance("Tunisia", estimate="bogus")
    with pytest.raises(UnknownNameError, match="not both"):
        ffdata.provenance("Tunisia", figure="fbi-2015-foreign-fighters")


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--raw-dir", "", "--out-dir", "x"],
        ["build", "--raw-dir", "data/raw", "--out-dir", " "],
        ["validate", ""],
    ],
)
def test_empty_paths_are_usage_errors(args):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


@pytest.mark.parametrize("dtype", ["object", "str", "string[python]"])
def test_a_text_column_of_another_dtype_is_refused(dtype):
    """The schema checks a text column by its dtype alone (``Text``): only pandas' ``string``
    of Arrow storage with ``pd.NA`` passes; object columns, pandas' ``str`` (NaN for a
    missing value) and Python storage hold the same words but are not what is published."""
    from ffdata.builder.publish.validate import check_schema
    from ffdata.errors import ValidationError
    from ffdata.reading import read_table

    countries = read_table(RAW.parents[1], "countries")
    check_schema("countries", countries)
    with pytest.raises(ValidationError, match=r"column 'name': dtype\('string'\) failed"):
        check_schema("countries", countries.astype({"name": dtype}))


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0", "\t\n"])
def test_a_required_text_that_is_blank_is_refused(blank):
    """A required text column holds some text: empty or only whitespace (NBSP included) is
    refused by the schema's ``empty string`` check; an optional one may be missing."""
    import pandas as pd

    from ffdata.builder.publish.validate import check_schema
    from ffdata.errors import ValidationError
    from ffdata.reading import read_table

    countries = read_table(RAW.parents[1], "countries")
    blanked = countries.copy()
    blanked.loc[3, "name"] = blank
    with pytest.raises(ValidationError, match=r"column 'name' row 3: empty string failed"):
        check_schema("countries", blanked)
    sources = read_table(RAW.parents[1], "sources")
    check_schema("sources", sources.assign(title=pd.NA).astype({"title": "string"}))


def test_without_hypothesis_restores_the_import_even_when_validation_fails(monkeypatch):
    import sys

    from ffdata.builder.publish.schemas import without_hypothesis

    monkeypatch.delitem(sys.modules, "hypothesis", raising=False)  # as in a build's process
    with pytest.raises(RuntimeError, match="a check failed"), without_hypothesis():
        with pytest.raises(ImportError):
            import hypothesis  # noqa: F401
        raise RuntimeError("a check failed")
    assert "hypothesis" not in sys.modules  # importable again, not blocked by a None
    marker = object()  # hypothesis already imported (a test process): left as it is
    monkeypatch.setitem(sys.modules, "hypothesis", marker)
    with without_hypothesis():
        assert sys.modules["hypothesis"] is marker
    assert sys.modules["hypothesis"] is marker
