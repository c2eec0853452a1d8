"""Shared fixtures: the pipeline run once (on the live data and on the fixture), copies of the
raw folder and of the published package that a test may damage, a release built once.
Helpers are in ``support.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURE_RAW, RAW, ROOT, commit_for_tests, copy_package

from ffdata.builder.pipeline import run_pipeline
from ffdata.builder.state import BuildState


@pytest.fixture(scope="session")
def result() -> BuildState:
    """The pipeline run once on the repository's raw folder."""
    return run_pipeline(RAW)


@pytest.fixture(scope="session")
def tables(result: BuildState) -> dict:
    return result.tables


@pytest.fixture(scope="session")
def fixture_result() -> BuildState:
    """The pipeline run once on the test fixture's raw folder (tests/fixture/raw/)."""
    return run_pipeline(FIXTURE_RAW)


@pytest.fixture
def on_the_fixture(fixture_checkout: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reader reads the fixture package (values that never change with the live data)."""
    monkeypatch.setenv("FFDATA_DATA_DIR", str(fixture_checkout))
    return fixture_checkout


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw/ that a test may change."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture(scope="session")
def release_archive(tmp_path_factory) -> Path:
    """The release archive of the checkout (``build_release``), built once per test worker."""
    from ffdata.builder.tools.release import build_release

    return build_release(tmp_path_factory.mktemp("dist"), ROOT, commit_for_tests())


@pytest.fixture(scope="session")
def release_folder(release_archive: Path, tmp_path_factory) -> Path:
    """The release archive unpacked: its folder ``ffdata-data-<version>/``."""
    import zipfile

    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(release_archive) as archive:
        archive.extractall(target)
    return target / release_archive.name.removesuffix(".zip")


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """An output folder holding a good build (copied from the repository)."""
    return copy_package(tmp_path / "out")
