"""``make release``: a versioned, checksummed, byte-reproducible archive of the data package.

``dist/ffdata-data-<version>.zip`` holds one folder ``ffdata-data-<version>/`` with
``datapackage.json`` (release version, relative paths, sha256 of every file), one
Parquet and one CSV per table, the codebook, a data README, the licence texts,
``CITATION.cff`` and ``SHA256SUMS``. Entries are sorted and carry a fixed
timestamp and permissions, so the same inputs give the same bytes.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> archive = build_release(Path(tempfile.mkdtemp()))
    >>> archive.name
    'ffdata-data-0.1.0.zip'
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from ffdata._version import __version__
from ffdata.errors import PublishError
from ffdata.fetch import release_name
from ffdata.hashes import sha256_file, sha256_of
from ffdata.locate import CHECKOUT

ROOT = CHECKOUT
#: 1980-01-01 00:00:00, the earliest time a zip entry can carry.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
#: Files copied from the checkout into the release, as (source, name in the release).
EXTRA_FILES = (
    ("docs/codebook.md", "docs/codebook.md"),
    ("LICENSE", "LICENSES/CODE-MIT.txt"),
    ("LICENSE-DATA.md", "LICENSES/DATA-CC-BY-4.0.md"),
    ("CITATION.cff", "CITATION.cff"),
    ("CHANGELOG.md", "CHANGELOG.md"),
)

DATA_README = """\
# ffdata data release {version}

Country-level figures on foreign fighters who joined the Islamic State, as
reported by the Soufan Group (2015), the Institute for Economics and Peace
(2015) and the World Bank (2016), each with the document, line and exact text
it was read from. Estimates by others, of different dates and methods: compare
with care.

- `datapackage.json`: Frictionless data package (schemas, keys, sources,
  licences, sha256 of every file). Check it with `frictionless validate
  datapackage.json`.
- `data/processed/<table>.parquet` and `.csv`: the tables ({tables}).
- `docs/codebook.md`: every column's type, unit, constraints and meaning.
- `SHA256SUMS`: `sha256sum -c SHA256SUMS` checks every file.
- `LICENSES/`: the data licence (CC BY 4.0; credit the original sources too,
  including the World Bank's CC BY 4.0 population data) and the code licence
  (MIT), kept separate. `CITATION.cff` says how to cite.

Rebuild it from the source documents with `make data` in the ffdata repository
at the tag of this version.
"""


def sources_credit(root: Path, descriptor: dict) -> str:
    """Return the credit of every source of the figures and of the reference data.

    Example:
        >>> text = sources_credit(ROOT, json.loads((ROOT / "datapackage.json").read_text()))
        >>> "World Bank" in text and "CC-BY-4.0" in text
        True
    """
    import csv

    lines = [
        "# Credit to the sources",
        "",
        "The figures in this release were produced by the organisations and authors below",
        "and reported in the source documents; credit them when you use their figures.",
        "",
    ]
    with open(root / "data" / "processed" / "sources.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parts = [row["producer"]]
            parts += [row[key] for key in ("title", "date_as_printed", "url") if row[key]]
            lines.append(f"- {', '.join(parts)} [`{row['source_id']}`]")
    lines += ["", "Reference data:", ""]
    for ref in descriptor.get("reference_data", []):
        lines.append(
            f"- {ref['producer']}: {ref['title']}, licence {ref['licence']} ({ref['origin']}, "
            f"commit {ref['commit']})"
        )
    return "\n".join(lines) + "\n"


def release_files(root: Path = ROOT) -> dict[str, bytes]:
    """Return every file of the release (path inside the release -> bytes).

    Example:
        >>> sorted(release_files())[:2]
        ['CHANGELOG.md', 'CITATION.cff']
    """
    from ffdata.tables import TABLES

    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    if descriptor.get("version") != __version__:
        raise PublishError(
            f"datapackage.json has version {descriptor.get('version')}, the package {__version__}",
            document=str(root / "datapackage.json"),
            hint="run `make data` before `make release`",
        )
    files: dict[str, bytes] = {}
    for resource in descriptor["resources"]:
        files[resource["path"]] = (root / resource["path"]).read_bytes()
    for source, name in EXTRA_FILES:
        path = root / source
        if not path.is_file():
            raise PublishError(
                "file missing for the release",
                document=str(path),
                hint="run `make data` (it writes the codebook) and restore the file",
            )
        files[name] = path.read_bytes()
    files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    files["LICENSES/SOURCES.md"] = sources_credit(root, descriptor).encode("utf-8")
    files["README.md"] = DATA_README.format(version=__version__, tables=", ".join(TABLES)).encode(
        "utf-8"
    )
    sums = "".join(f"{sha256_of(data)}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    return files


def build_release(dist: Path | str = ROOT / "dist", root: Path = ROOT) -> Path:
    """Write ``dist/ffdata-data-<version>.zip`` reproducibly and return its path.

    Example: see the module docstring.
    """
    dist = Path(dist)
    dist.mkdir(parents=True, exist_ok=True)
    folder = f"ffdata-data-{__version__}"
    target = dist / release_name()
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in sorted(release_files(root).items()):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=9)
    partial.replace(target)
    return target


def main() -> None:
    """Build the release and record its sha256 in the package's release registry."""
    from ffdata.fetch import record_release

    archive = build_release()
    digest = sha256_file(archive)
    record_release(__version__, digest)
    print(f"{archive}  sha256 {digest}")


if __name__ == "__main__":
    main()
