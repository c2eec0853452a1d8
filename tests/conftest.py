"""Shared fixtures: copies of the raw folder that tests may damage, and helpers."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ffdata.builder.pipeline import PipelineResult, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DOC = "002_882cd01f73eb6394.txt"

#: Modules whose tests share an expensive module fixture (a report, a release archive, a
#: build, a forking publisher): each runs on one test worker, so the fixture is made once.
ONE_WORKER = {
    "tests/test_report.py",
    "tests/test_release.py",
    "tests/test_publishing.py",
    "tests/test_adding_a_source.py",
    "tests/test_wheel.py",
    "tests/test_faults.py",
    "tests/test_hostile.py",
}
#: Modules that share another one's fixture (the session's release archive): same worker.
SAME_WORKER_AS = {"tests/test_release_contents.py": "tests/test_release.py"}


#: The longest modules, longest first: collected (and so handed to workers) before the rest,
#: so that no long module starts when the others are done and leaves one worker idle.
LONGEST_FIRST = (
    "tests/test_hostile.py",
    "tests/test_report.py",
    "tests/test_adversarial.py",
    "tests/test_publishing.py",
    "tests/test_faults.py",
    "tests/test_mutations.py",
    "tests/test_release.py",
    "tests/test_release_contents.py",
    "tests/test_wheel.py",
    "tests/test_adding_a_source.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the modules of :data:`LONGEST_FIRST` first, in that order (a stable sort)."""
    rank = {module: place for place, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """Spread tests one by one over the workers, except the modules of :data:`ONE_WORKER`.

    (pytest-xdist's own ``--dist loadgroup`` does not group under pytest 9: it renames
    node ids the way pytest 8 stored them.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerPerModuleFixture(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            module = SAME_WORKER_AS.get(module, module)
            return module if module in ONE_WORKER else nodeid

    return OneWorkerPerModuleFixture(config, log)


@pytest.fixture(scope="session")
def result() -> PipelineResult:
    """The pipeline run once on the repository's raw folder."""
    return run_pipeline(RAW)


@pytest.fixture(scope="session")
def tables(result: PipelineResult) -> dict:
    return result.tables


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw/ that a test may change."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def rewrite_document(
    raw_dir: Path, file: str, change: Callable[[bytes], bytes], *, update_manifest: bool = True
) -> None:
    """Apply ``change`` to a document's bytes; record its new sha256 and size unless told not to.

    Recording the new hash makes the test reach the extractor rather than the checksum check.
    """
    path = raw_dir / file
    data = change(path.read_bytes())
    path.write_bytes(data)
    if not update_manifest:
        return
    manifest = raw_dir / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    block = re.search(rf'file = "{re.escape(file)}"\nsha256 = "[0-9a-f]+"\nsize = \d+', text)
    assert block, "manifest entry not found"
    new = f'file = "{file}"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\nsize = {len(data)}'
    manifest.write_text(text.replace(block.group(0), new), encoding="utf-8")


def replace_line(raw_dir: Path, number: int, new: str, file: str = DOC) -> None:
    """Replace line ``number`` (1-based) of a document, keeping everything else."""

    def change(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        lines[number - 1] = new
        return "\n".join(lines).encode("utf-8")

    rewrite_document(raw_dir, file, change)


def repin(raw_dir: Path, file: str) -> None:
    """Record a changed raw file's new sha256 and size in the manifest, as a maintainer does
    after reviewing the change (``python -m ffdata.builder.pin``)."""
    from ffdata.builder.pin import repin as record

    if file != "manifest.toml":
        record(raw_dir, [file])


def line_of(number: int, file: str = DOC) -> str:
    """Line ``number`` of an original document."""
    return (RAW / file).read_text(encoding="utf-8").split("\n")[number - 1]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing was touched."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def find_error(error: Exception, kind: type, **where: object) -> Exception:
    """The first error of class ``kind`` (with the given attributes) in ``error``.

    A run reports all its errors at once (``FfdataErrors``); a test looks for the one
    its damage must cause.
    """
    from ffdata.errors import FfdataErrors

    errors = error.errors if isinstance(error, FfdataErrors) else [error]
    for candidate in errors:
        if isinstance(candidate, kind) and all(
            getattr(candidate, k) == v for k, v in where.items()
        ):
            return candidate
    raise AssertionError(f"no {kind.__name__} with {where} among: {error}")


def frictionless_validate(folder: Path) -> subprocess.CompletedProcess:
    """Run the `frictionless validate datapackage.json` command line in ``folder``."""
    exe = Path(sys.executable).with_name("frictionless")
    return subprocess.run(
        [str(exe), "validate", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def copy_package(out: Path) -> Path:
    """Copy the repository's published package (datapackage.json, data/processed/) to ``out``."""
    (out / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "processed", out / "data" / "processed")
    shutil.copy(ROOT / "datapackage.json", out / "datapackage.json")
    return out


@pytest.fixture(scope="session")
def release_archive(tmp_path_factory) -> Path:
    """The release archive of the checkout (``build_release``), built once per test worker."""
    from ffdata.builder.release import build_release

    return build_release(tmp_path_factory.mktemp("dist"), ROOT)


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
