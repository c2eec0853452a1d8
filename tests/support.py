"""What the tests share besides fixtures: the checkout's places, the fixture package, and
helpers that damage a copy of the raw folder, find an error among many, or copy the
published package.

``FFDATA_TEST_ROOT`` names another checkout for the tests that read the live data (the
test of adding a source runs them on a copy); it defaults to this repository."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOT = Path(os.environ.get("FFDATA_TEST_ROOT") or REPO)
RAW = ROOT / "data" / "raw"
#: The small raw folder the doctests run on (tests/fixture/raw/manifest.toml says what it is).
FIXTURE_RAW = REPO / "tests" / "fixture" / "raw"
DOC = "002_882cd01f73eb6394.txt"


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
    after reviewing the change (``python -m ffdata.builder.tools.pin``)."""
    from ffdata.builder.tools.pin import repin as record

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


def copy_package(out: Path, root: Path = ROOT) -> Path:
    """Copy a checkout's published package (datapackage.json, data/processed/) to ``out``."""
    (out / "data").mkdir(parents=True)
    shutil.copytree(root / "data" / "processed", out / "data" / "processed")
    shutil.copy(root / "datapackage.json", out / "datapackage.json")
    return out


def fixture_checkout(target: Path, raw: Path = FIXTURE_RAW) -> Path:
    """A checkout at ``target`` whose data is built from ``raw`` (a copy in data/raw), its
    other files links to this repository's, so that ``default_raw_dir()`` (run in
    ``target``) and ``data_root()`` resolve to it."""
    from ffdata.builder.build import build

    for name in CHECKOUT_FILES:
        if (REPO / name).exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).symlink_to(REPO / name)
    shutil.copytree(raw, target / "data" / "raw")
    build(target / "data" / "raw", target)
    return target


#: What a checkout holds besides its data (the release and the tools read them).
CHECKOUT_FILES = (
    "pyproject.toml",
    "requirements.lock",
    "src/ffdata",
    "releases",
    "docs",
    "CHANGELOG.md",
    "CITATION.cff",
    "LICENSE",
    "LICENSE-DATA.md",
    "README.md",
    ".zenodo.json",
)
