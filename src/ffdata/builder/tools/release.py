"""``make release VERSION=x.y.z``: a byte-reproducible archive of the package and its documents,
whose sha256 is recorded once in ``src/ffdata/reference/releases.json``.

Example:
    >>> import tempfile
    >>> build_release(Path(tempfile.mkdtemp()), checkout_root(), "0" * 40).name  # doctest: +ELLIPSIS
    'ffdata-data-...zip'
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from ffdata._version import __version__
from ffdata.builder.inputs.manifest import read_manifest, read_verified
from ffdata.builder.publish.atomic import write_whole
from ffdata.builder.publish.package_check import check_package
from ffdata.builder.tools import stata
from ffdata.builder.tools.checkout import checkout_root, registry_file
from ffdata.builder.tools.citation_file import citation_cff
from ffdata.builder.tools.dataset_metadata import (
    dataset_jsonld,
    metadata_json,
    package_metadata,
    release_date,
    version_heading,
    zenodo_metadata,
)
from ffdata.citation import credit_text, credits
from ffdata.csv_cells import escape_text_cells
from ffdata.diff import diff, diff_summary
from ffdata.errors import FfdataError, FfdataErrors, PublishError, ReleaseError, one_line
from ffdata.hashes import sha256_file, sha256_of
from ffdata.locate import PROCESSED
from ffdata.reading import read_table
from ffdata.registry import (
    REGISTRY_RESOURCE,
    REPOSITORY_URL,
    format_registry,
    is_version,
    parse_registry,
    release_name,
)
from ffdata.tables import TABLES

FIXED_TIME = stata.FIXED_TIME.timetuple()[:6]
#: (file of the checkout, name in the release)
EXTRA_FILES = (
    ("docs/codebook.md", "docs/codebook.md"),
    ("LICENSE", "LICENSES/CODE-MIT.txt"),
    ("LICENSE-DATA.md", "LICENSES/DATA-CC-BY-4.0.md"),
    ("CITATION.cff", "CITATION.cff"),
    ("croissant.json", "croissant.json"),
)
RAW = Path("data") / "raw"
REPORT = Path("docs") / "report"
RELEASES = Path("releases")
#: What a release is made from (relative to the checkout): `make release` refuses uncommitted
#: changes to them, since the release names the commit it was built from. The registry is
#: left out: the release tool writes it, and no release holds it.
RELEASE_INPUTS = (
    "src",
    "data",
    "docs",
    "datapackage.json",
    "CITATION.cff",
    "CHANGELOG.md",
    "LICENSE",
    "LICENSE-DATA.md",
    "pyproject.toml",
    "requirements.lock",
)
_COMMIT = re.compile(r"[0-9a-f]{40}")

DATA_README = """\
# ffdata data release {version} ({date})

Country-level figures on foreign fighters in Syria and Iraq as each source
defines them, as reported by the producers that `LICENSES/SOURCES.md` credits
(the `sources` table says what each one counts: groups_counted, place_counted,
count_kind, listing_threshold, not_listed_means), each with the document, line and exact text
it was read from. Estimates by others, of different dates and methods: compare
with care.

- `datapackage.json`: Frictionless data package (schemas, keys, sources,
  licences, sha256 of every file). Check it with `frictionless validate
  datapackage.json`.
- `data/processed/<table>.parquet` and `.csv`: the tables ({tables}).
- `data/stata/<table>.dta`: the same tables for Stata 14 or later (format 118):
  variable labels from the codebook (cut to 80 characters), value labels for
  closed vocabularies, summed populations above 2,147,483,620 stored as double
  (`format population %15.0f` shows every digit).
- `documents/`: the source documents, byte for byte, with their licence and
  provenance notes (`documents/README.md`). A figure's `document_id` and `line`
  point into `documents/<file>` (the `documents` table gives the file; lines are
  1-based).
- `docs/report/index.html`: the report (charts and a browsable table; open it in
  a browser, it loads nothing from the network). `docs/codebook.md`: every
  column's type, unit, constraints and meaning.
- `CHANGELOG.md`: what changed, this version's data section generated from
  `{changes}` (every row added or removed and every cell changed since the
  previous release, with the old and new text as printed).
- `dataset.jsonld` (schema.org Dataset) and `.zenodo.json`: catalogue metadata.
  `croissant.json`: the same Dataset in Croissant 1.1 (every file with its sha256,
  every table and column with its type, keys and references, and each figure's
  document and line), which `mlcroissant` reads.
- `SHA256SUMS`: `sha256sum -c SHA256SUMS` checks every file.
- `LICENSES/`: the data licence (CC BY 4.0; credit the original sources too,
  including the World Bank's CC BY 4.0 population data) and the code licence
  (MIT), kept separate. The source documents are not covered by them (see
  `documents/README.md`). `CITATION.cff` says how to cite.

Reading the CSVs in pandas, R or Stata without losing types (integers with
empty cells, populations above 2^31): `docs/codebook.md`, section "Reading the
CSVs without losing types".

Built from commit {commit} of {repository}.
Rebuild it from the source documents (the tables and datapackage.json come out
byte for byte):

    git clone {repository}
    cd {folder}
    git checkout {commit}
    make data

and this archive with `make release VERSION={version}` in that checkout.
"""


def _sources_credit(root: Path) -> str:
    """``LICENSES/SOURCES.md``: the credits ``cite()`` gives, as a list."""
    lines = [
        "# Credit to the sources",
        "",
        "The figures in this release were produced by the organisations and authors below",
        "and read from the documents and data files listed after them; credit both when you",
        "use their figures (`CITATION.cff` has them as references).",
    ]
    headings = {
        "source": "Sources of the figures:",
        "document": "Documents and data files the figures were read from:",
        "reference": "Reference data:",
    }
    found = credits(root)
    for kind, heading in headings.items():
        lines += ["", heading, ""]
        lines += [f"- {credit_text(c)} [`{c.key}`]" for c in found if c.kind == kind]
    return "\n".join(lines) + "\n"


def previous_release(root: Path, version: str = __version__) -> Path | None:
    """Return the archive of the highest recorded version below ``version``, or None: the
    release a new one is diffed against.

    Example:
        >>> previous_release(checkout_root(), "0.1.1").name
        'ffdata-data-0.1.0.zip'
        >>> previous_release(checkout_root(), "0.0.1") is None
        True
    """
    registry = registry_file(root)
    recorded = parse_registry(registry.read_text(encoding="utf-8"), str(registry))

    def as_tuple(text: str) -> tuple[int, ...]:
        return tuple(map(int, text.split(".")))

    earlier = [v for v in recorded if as_tuple(v) < as_tuple(version)]
    if not earlier:
        return None
    previous = max(earlier, key=as_tuple)
    archive = root / RELEASES / release_name(previous)
    if not archive.is_file() or sha256_file(archive) != recorded[previous]:
        why = f"the archive of the previous release {previous} is missing or not as recorded"
        hint = f"restore releases/{release_name(previous)} from version control (its sha256 is "
        hint += f"{recorded[previous]} in the registry), or give the previous package with "
        raise ReleaseError(why, document=str(archive), hint=hint + "--previous")
    return archive


def _document_files(root: Path) -> dict[str, bytes]:
    raw = (root / RAW).resolve()
    pins = {}
    for entry in read_manifest(root / RAW).documents:
        pins[entry.file] = (entry.sha256, entry.size)
        if entry.provenance_file:
            pins[entry.provenance_file] = (entry.provenance_sha256, entry.provenance_size)
    files: dict[str, bytes] = {}
    lines = [
        "# Source documents",
        "",
        "The documents and files the tables were read from, byte for byte. A figure's",
        "`document_id` and `line` (1-based) point into the file named below; the",
        "`documents` table gives the same, with the sha256 of every file.",
        "",
        "These texts are not covered by the ffdata licences: copyright stays with their",
        "authors and publishers (see each licence note). They are kept so that every",
        "figure can be checked where it was printed.",
    ]
    with open(root / PROCESSED / "documents.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        names = [row["file"]]
        if row.get("provenance_file"):
            folder = (raw / row["provenance_file"]).parent
            names.append(row["provenance_file"])
            names += [p.relative_to(raw).as_posix() for p in sorted(folder.glob("LICENSE*"))]
        for name in names:
            path = (raw / name).resolve()
            if not path.is_relative_to(raw) or not path.is_file():
                why = f"document file {name!r} is not a file of {RAW.as_posix()}/"
                hint = "run `make data` to rebuild the documents table from the manifest"
                where = str(root / PROCESSED / "documents.csv")
                raise PublishError(why, document=where, text=row["document_id"], hint=hint)
            pinned = pins.get(name)
            data = read_verified(raw, name, *pinned) if pinned else path.read_bytes()
            files[f"documents/{name}"] = data
        if sha256_of(files[f"documents/{row['file']}"]) != row["sha256"]:
            why = "document differs from the sha256 the documents table records"
            hint = "restore the document from version control, or run `make data`"
            where = str(raw / row["file"])
            raise PublishError(why, document=where, text=row["document_id"], hint=hint)
        lines += ["", f"## {row['document_id']}", "", f"- file: `documents/{row['file']}` "]
        lines[-1] += f"({row['lines']} lines, sha256 {row['sha256']})"
        fields = ("title", "author", "publisher", "date_as_printed", "url", "url_found_online")
        lines += [
            f"- {field.replace('_', ' ')}: {row[field]}" for field in fields if row.get(field)
        ]
        if row.get("provenance_file"):
            lines.append(f"- provenance: `documents/{row['provenance_file']}`")
        lines.append(f"- licence: {row['licence_note']}")
    files["documents/README.md"] = ("\n".join(lines) + "\n").encode("utf-8")
    return files


def _report_files(root: Path) -> dict[str, bytes]:
    folder = root / REPORT
    page = folder / "index.html"
    if not page.is_file():
        hint = "run `make data` (it builds docs/report/), then `make release`"
        raise PublishError("the report is missing", document=str(page), hint=hint)
    return {
        (REPORT / p.name).as_posix(): p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def _changes(root: Path, previous: Path | None) -> tuple[str, dict[str, bytes]]:
    if previous is None:
        return "### Data changes\n\n- the first release: every row is new\n", {}
    old = previous.name.removeprefix("ffdata-data-").removesuffix(".zip")
    changes = diff(previous, root)
    name = f"CHANGES-from-{old}.csv"
    buffer = escape_text_cells(changes).to_csv(index=False, lineterminator="\n")
    summary = diff_summary(changes, old, __version__).replace("`CHANGES.csv`", f"`{name}`")
    return summary, {name: buffer.encode("utf-8")}


def _changelog(root: Path, section: str) -> tuple[str, bytes]:
    path = root / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    date = release_date(text, __version__, str(path))
    lines = text.splitlines(keepends=True)
    heading = next(i for i, line in enumerate(lines) if version_heading(line) == __version__)
    lines[heading + 1 : heading + 1] = ["\n", section]
    return date, "".join(lines).encode("utf-8")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError as exc:  # no git
        return subprocess.CompletedProcess(args, 127, "", str(exc))


def release_commit(root: Path, commit: str | None = None) -> str:
    """Return the commit a release of checkout ``root`` is built from: ``commit`` if given (40
    hex digits), else git's HEAD, refused while files the release is made from
    (:data:`RELEASE_INPUTS`) have uncommitted changes, or without git.

    Example:
        >>> release_commit(Path("."), "a" * 40) == "a" * 40
        True
        >>> release_commit(Path("."), "HEAD")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: .: not a commit written as 40 hexadecimal digits: 'HEAD'
          hint: ...
    """
    if commit is not None:
        if not _COMMIT.fullmatch(commit):
            hint = "give the full commit, e.g. the output of `git rev-parse HEAD`"
            why = "not a commit written as 40 hexadecimal digits"
            raise ReleaseError(why, path=str(root), text=commit, hint=hint)
        return commit
    head = _git(root, "rev-parse", "--verify", "HEAD")
    if head.returncode != 0 or not _COMMIT.fullmatch(head.stdout.strip()):
        why = f"cannot tell the commit the release is built from ({head.stderr.strip()})"
        hint = f"run `make release` in a git clone of {REPOSITORY_URL} (the release names the "
        raise ReleaseError(why, path=str(root), hint=hint + "commit it was built from)")
    registry = (Path("src") / "ffdata" / REGISTRY_RESOURCE).as_posix()
    changed = _git(
        root,
        *("status", "--porcelain", "--untracked-files=all", "--no-renames", "--"),
        *RELEASE_INPUTS,
        f":(exclude){registry}",
    )
    if changed.returncode != 0 or changed.stdout.strip():
        files = [line[3:] for line in changed.stdout.splitlines()] or [changed.stderr.strip()]
        shown = ", ".join(files[:8]) + (f" and {len(files) - 8} more" if len(files) > 8 else "")
        why = f"uncommitted changes to {len(files)} file(s) the release is made from: {shown}"
        hint = "commit them (or restore them), then `make release`: a release names the commit "
        hint += "it was built from, so it must be made from that commit's files"
        raise ReleaseError(why, path=str(root), hint=hint)
    return head.stdout.strip()


def commit_of(archive: Path) -> str | None:
    """Return the commit a release archive says it was built from (None before 0.2.0's).

    Example:
        >>> commit_of(checkout_root() / "releases" / "ffdata-data-0.1.0.zip") is None
        True
    """
    version = archive.name.removeprefix("ffdata-data-").removesuffix(".zip")
    with zipfile.ZipFile(archive) as zf:
        name = f"ffdata-data-{version}/dataset.jsonld"
        ld = json.loads(zf.read(name)) if name in zf.namelist() else {}
    based = ld.get("isBasedOn", [])
    code = [b for b in based if b.get("@type") == "SoftwareSourceCode"]
    return code[0].get("version") if code else None


def release_files(root: Path, commit: str, previous: Path | str | None = None) -> dict[str, bytes]:
    """Return every file of the release of ``root`` built from ``commit`` (name -> bytes),
    diffed against ``previous``.

    Example:
        >>> sorted(release_files(checkout_root(), "0" * 40))[:3]  # doctest: +ELLIPSIS
        ['.zenodo.json', 'CHANGELOG.md', 'CHANGES-from-0....csv']
    """
    where = str(root / "datapackage.json")
    rebuild = "run `make data` to rebuild the package, then `make release`"
    try:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        resources = [str(r["path"]) for r in descriptor["resources"]]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        why = f"cannot read the package's resources ({type(exc).__name__}: {exc})"
        raise PublishError(why, document=where, hint=rebuild) from exc
    if descriptor.get("version") != __version__:
        why = f"datapackage.json has version {descriptor.get('version')}, the package {__version__}"
        raise PublishError(why, document=where, hint=rebuild)
    files: dict[str, bytes] = {}
    processed = (root / PROCESSED).resolve()
    for name in resources:
        path = (root / name).resolve()
        if not path.is_relative_to(processed) or not path.is_file():
            why = f"resource {name!r} is not a file of the package's {PROCESSED.as_posix()}/"
            raise PublishError(why, document=where, hint=rebuild)
        files[name] = path.read_bytes()
    for source, name in EXTRA_FILES:
        if not (root / source).is_file():
            hint = "run `make data` (it writes the codebook) and restore the file"
            raise PublishError(
                "file missing for the release", document=str(root / source), hint=hint
            )
        files[name] = (root / source).read_bytes()
    files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    files["LICENSES/SOURCES.md"] = _sources_credit(root).encode("utf-8")
    section, changes = _changes(root, previous_release(root) if previous is None else previous)
    date, files["CHANGELOG.md"] = _changelog(root, section)
    files |= changes | _document_files(root) | _report_files(root)
    for name in TABLES:
        files[f"data/stata/{name}.dta"] = stata.stata_bytes(read_table(root, name), name)
    _, authors, _ = package_metadata(root)
    ld = dataset_jsonld(descriptor, authors, date, commit)
    files["dataset.jsonld"] = metadata_json(ld).encode()
    zenodo = zenodo_metadata(descriptor, authors, date, commit)
    files[".zenodo.json"] = metadata_json(zenodo).encode()
    files["README.md"] = DATA_README.format(
        version=__version__,
        date=date,
        commit=commit,
        repository=REPOSITORY_URL,
        folder=REPOSITORY_URL.rstrip("/").rsplit("/", 1)[-1],
        tables=", ".join(TABLES),
        changes=next(iter(changes), "CHANGELOG.md"),
    ).encode("utf-8")
    sums = "".join(f"{sha256_of(data)}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    return files


def build_release(
    dist: Path | str,
    root: Path | str,
    commit: str,
    previous: Path | str | None = None,
    keep: Callable[[Path, bytes], None] | None = None,
) -> Path:
    """Write ``dist/ffdata-data-<version>.zip`` of ``root`` built from ``commit``; return its
    path. ``keep(partial, zenodo_json)`` runs before the archive is moved in. The same commit and
    files give the same bytes. Example: see the module docstring."""
    dist = Path(dist)
    target = dist / release_name()
    partial = target.with_suffix(".zip.partial")
    try:
        dist.mkdir(parents=True, exist_ok=True)
        files = release_files(Path(root), commit, previous)
        with zipfile.ZipFile(partial, "w") as archive:
            for name, data in sorted(files.items()):
                info = zipfile.ZipInfo(f"ffdata-data-{__version__}/{name}", date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                archive.writestr(info, data, compresslevel=9)
        if keep is not None:
            keep(partial, files[".zenodo.json"])
        partial.replace(target)
    except OSError as exc:
        hint = "give a folder that can be written with --dist"
        why = f"cannot write the archive ({type(exc).__name__}: {exc.strerror or exc})"
        raise PublishError(why, path=str(dist), hint=hint) from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return target


def record_release(registry: Path, version: str, sha256: str) -> bool:
    """Record ``version``'s sha256 once; return whether it was new (another sha256 is refused).

    Example:
        >>> import tempfile
        >>> registry = Path(tempfile.mkdtemp()) / "releases.json"
        >>> _ = registry.write_text("{}")
        >>> record_release(registry, "9.0.0", "a" * 64), record_release(registry, "9.0.0", "a" * 64)
        (True, False)
    """
    recorded = _unless_recorded(registry, version, sha256)
    if recorded is None:
        return False
    recorded[version] = sha256
    write_whole(registry, format_registry(recorded))
    return True


def _unless_recorded(registry: Path, version: str, sha256: str) -> dict[str, str] | None:
    """The registry if ``version`` is new; None if recorded with ``sha256``; else refused."""
    recorded = parse_registry(registry.read_text(encoding="utf-8"), str(registry))
    if recorded.get(version) == sha256:
        return None
    if version in recorded:
        why = f"release {version} is already recorded with sha256 {recorded[version]}, "
        hint = "a released version never changes: for changed data bump __version__ in "
        hint += "src/ffdata/_version.py (with CHANGELOG.md and CITATION.cff), run `make data`, "
        hint += "then `make release VERSION=<new version>`; if the data should not have "
        hint += "changed, compare the archive's SHA256SUMS with the released one"
        raise ReleaseError(why + f"this archive has {sha256}", document=str(registry), hint=hint)
    return recorded


def _check_version(version: str, root: Path) -> None:
    bump = (
        f"package and data share one version: set __version__ = {version!r} in "
        "src/ffdata/_version.py (and in CHANGELOG.md, CITATION.cff), run `make data`, then "
        f"`make release VERSION={version}`"
    )
    if version != __version__:
        why = f"cannot release version {version}: the package is version {__version__}"
        raise ReleaseError(why, document=str(root / "src" / "ffdata" / "_version.py"), hint=bump)
    changelog = root / "CHANGELOG.md"
    if not changelog.is_file() or version not in changelog.read_text(encoding="utf-8"):
        hint = "say what changed in this version in CHANGELOG.md"
        why = f"CHANGELOG.md has no entry for version {version}"
        raise ReleaseError(why, document=str(changelog), hint=hint)
    citation = root / "CITATION.cff"
    text = citation.read_text(encoding="utf-8") if citation.is_file() else ""
    found = re.search(r"(?m)^version: *[\"']?([^\"'\s]+)", text)
    if not found or found.group(1) != version:
        hint = f"set `version: {version}` in CITATION.cff"
        why = f"CITATION.cff gives version {found.group(1) if found else 'none'}, not {version}"
        raise ReleaseError(why, document=str(citation), hint=hint)
    if text != citation_cff(root):
        why = "CITATION.cff is not the one the package's credits and CHANGELOG.md give"
        hint = "run `make data` (it writes CITATION.cff), commit it, then `make release`"
        raise ReleaseError(why, document=str(citation), hint=hint)


def make_release(
    version: str,
    root: Path | str | None = None,
    dist: Path | str | None = None,
    previous: Path | str | None = None,
    commit: str | None = None,
) -> tuple[Path, str, bool]:
    """Build ``version``'s release of ``root`` into ``dist``, record its sha256 once and, when
    new, copy it to ``root/releases/`` (and ``.zenodo.json``); return (archive, sha256, new).
    The release names ``commit`` (default: git's HEAD, on a tree with no uncommitted changes to
    what the release is made from: :func:`release_commit`).

    Example:
        >>> make_release("0.0.1")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ReleaseError: ...: cannot release version 0.0.1: the package is version ...
          hint: package and data share one version: ...
    """
    root = checkout_root(root)
    _check_version(version, root)
    commit = release_commit(root, commit)
    dist = Path(dist) if dist is not None else root / "dist"
    registry = registry_file(root)
    if not registry.is_file():
        hint = "restore src/ffdata/reference/releases.json from version control"
        raise ReleaseError(
            "the checkout has no release registry", document=str(registry), hint=hint
        )
    check_package(root, frictionless=False)
    outcome: list[tuple[str, bool]] = []

    def record(partial: Path, zenodo: bytes) -> None:
        digest = sha256_file(partial)
        new = _unless_recorded(registry, version, digest) is not None
        if new:  # the record last: a run stopped before it is redone
            write_whole(root / RELEASES / release_name(version), partial.read_bytes())
            write_whole(root / ".zenodo.json", zenodo)
            record_release(registry, version, digest)
        outcome.append((digest, new))

    archive = build_release(dist, root, commit, previous, keep=record)
    return archive, *outcome[0]


def _version_argument(text: str) -> str:
    if not is_version(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a version written x.y.z")
    return text


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m ffdata.builder.tools.release``; return the exit status (1 on a refusal).

    Example:
        >>> main(["--version", "0.0.1"])  # refused: not the package's version
        1
    """
    parser = argparse.ArgumentParser(
        prog="python -m ffdata.builder.tools.release",
        description="Build ffdata-data-VERSION.zip and record its sha256 once.",
    )
    parser.add_argument("--version", required=True, type=_version_argument, help="x.y.z")
    parser.add_argument("--root", help="the checkout to package (default: here)")
    parser.add_argument("--dist", help="folder for the archive (default: ROOT/dist)")
    about = "the package to diff against: a release archive or a package folder "
    parser.add_argument(
        "--previous", help=about + "(default: ROOT/releases/ffdata-data-<previous version>.zip)"
    )
    parser.add_argument(
        "--commit",
        help="the commit to name as the release's origin (40 hex digits; default: git's HEAD, "
        "refused with uncommitted changes to what the release is made from)",
    )
    args = parser.parse_args(argv)
    try:
        made = make_release(args.version, args.root, args.dist, args.previous, args.commit)
        archive, digest, new = made
    except FfdataError as exc:
        for error in exc.errors if isinstance(exc, FfdataErrors) else [exc]:
            print(f"error: {one_line(error)}", file=sys.stderr)
        return 1
    state = "recorded" if new else "already recorded, unchanged"
    print(f"{archive}  sha256 {digest} ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
