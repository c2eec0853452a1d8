"""The Parquet release: reproducible archive, released versions immutable, download from a
local server, cache verified on every call, refusal of a tampered archive, and readers
(frictionless, polars, DuckDB)."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import zipfile

import pandas as pd
import pytest
from support import ROOT, commit_for_tests, frictionless_validate, snapshot

import ffdata
from ffdata._version import __version__
from ffdata.builder.tools.release import (
    _changelog,
    _document_files,
    build_release,
    previous_release,
)
from ffdata.errors import ChecksumError, ReleaseError
from ffdata.hashes import sha256_file
from ffdata.registry import REGISTRY_RESOURCE, format_registry, known_releases, release_name

#: Versions released so far and the sha256 of their archives, pinned here by hand: a released
#: version never changes (changed data is a new version), so neither may these. Add a line for
#: every release; never edit one.
RELEASED = {
    "0.1.0": "28bb1e7731bae26a90f7a85a99d45702b2715b996629dd22693a6003e629ffd7",
}
REGISTRY = ROOT / "src" / "ffdata" / REGISTRY_RESOURCE


@pytest.fixture
def server(release_archive, tmp_path):
    """Serve a copy of the archive's folder on 127.0.0.1 (random free port)."""
    archive, served = release_archive, tmp_path / "served"
    served.mkdir()
    shutil.copy(archive, served / archive.name)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{archive.name}"
    yield url, served
    httpd.shutdown()
    httpd.server_close()


def test_the_registry_keeps_every_release_and_is_as_the_release_tool_writes_it(release_archive):
    """Released versions keep their sha256 (pinned here and at HEAD: the working tree may
    only add versions), the current version's is its rebuild's if recorded."""
    registry = known_releases()
    assert {version: registry.get(version) for version in RELEASED} == RELEASED
    assert REGISTRY.read_text(encoding="utf-8") == format_registry(registry)
    recorded = registry.get(ffdata.__version__)
    assert recorded is None or recorded == sha256_file(release_archive), (
        f"the data or metadata of the released version {ffdata.__version__} changed; a released "
        "version never changes: bump src/ffdata/_version.py and `make release VERSION=...`"
    )
    relative = REGISTRY.relative_to(ROOT).as_posix()
    show = ["git", "show", f"HEAD:{relative}"]
    run = subprocess.run(show, cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        pytest.skip(f"not a git checkout with {relative} at HEAD: {run.stderr.strip()}")
    committed = json.loads(run.stdout)
    assert {version: registry.get(version) for version in committed} == committed


def test_archive_contents_and_a_second_build_s_sha256(release_archive, tmp_path):
    again = build_release(tmp_path, ROOT, commit_for_tests())
    assert sha256_file(again) == sha256_file(release_archive)
    assert release_archive.name == release_name() == f"ffdata-data-{ffdata.__version__}.zip"
    assert ffdata.__version__ in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(release_archive) as z:
        infos = z.infolist()
    names = [i.filename for i in infos]
    folder = f"ffdata-data-{ffdata.__version__}/"
    assert names == sorted(names)
    assert all(n.startswith(folder) for n in names)
    inside = {n.removeprefix(folder) for n in names}
    required = """datapackage.json SHA256SUMS CITATION.cff README.md docs/codebook.md
        LICENSES/CODE-MIT.txt LICENSES/DATA-CC-BY-4.0.md CHANGELOG.md
        dataset.jsonld .zenodo.json docs/report/index.html documents/README.md
        documents/002_882cd01f73eb6394.txt documents/reference/icsr-foreign-fighters/LICENSE
        documents/reference/icsr-foreign-fighters/PROVENANCE.md""".split()  # noqa: SIM905
    previous = previous_release(ROOT)
    if previous is not None:  # the diff against the release before this one
        required.append(
            previous.name.replace("ffdata-data-", "CHANGES-from-").replace(".zip", ".csv")
        )
    for table in ffdata.list_tables():
        required += [f"data/processed/{table}.{x}" for x in ("parquet", "csv")]
        required.append(f"data/stata/{table}.dta")
    assert [name for name in required if name not in inside] == []
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_load_by_version_and_fetch_release_download_verify_and_cache(
    server, release_archive, tmp_path, monkeypatch
):
    url, served = server
    if ffdata.__version__ not in known_releases():  # a version in development: not yet recorded
        recorded = {**known_releases(), ffdata.__version__: sha256_file(release_archive)}
        monkeypatch.setattr("ffdata.fetch.known_releases", lambda: recorded)
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(tmp_path / "version-cache"))
    monkeypatch.setenv("FFDATA_RELEASE_URL", url.rsplit("/", 1)[0] + "/")
    frame = ffdata.load("country_estimates", release=ffdata.__version__)
    pd.testing.assert_frame_equal(frame, ffdata.load("country_estimates"))
    cache, digest = tmp_path / "cache", sha256_file(release_archive)
    folder = ffdata.fetch_release(url=url, cache_dir=cache, sha256=digest)
    assert (folder / "datapackage.json").is_file()
    for table in ffdata.list_tables():
        pd.testing.assert_frame_equal(ffdata.load(table, release=folder), ffdata.load(table))
    assert ffdata.path("country_estimates", release=folder) == (
        folder / "data" / "processed" / "country_estimates.parquet"
    )  # a changed cache is refused: tests/test_fetch.py
    # the server goes away: the cache answers
    (served / release_archive.name).unlink()
    again = ffdata.fetch_release(url=url, cache_dir=cache, sha256=digest)
    assert again == folder


def test_tampered_archive_is_refused_and_not_kept(server, release_archive, tmp_path):
    url, served = server
    target = served / release_archive.name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    cache = tmp_path / "cache"
    with pytest.raises(ReleaseError, match="differs from its known sha256"):
        ffdata.fetch_release(url=url, cache_dir=cache, sha256=sha256_file(release_archive))
    leftovers = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert leftovers == []


def test_an_unknown_version_or_an_unreachable_server_is_a_clear_error(tmp_path, release_archive):
    with pytest.raises(ReleaseError, match="no known sha256"):
        ffdata.fetch_release("9.9.9", cache_dir=tmp_path)
    url, digest = "http://127.0.0.1:9/none.zip", sha256_file(release_archive)
    with pytest.raises(ReleaseError, match="cannot download") as info:
        ffdata.fetch_release(url=url, cache_dir=tmp_path, sha256=digest)
    # offline, the hint points at what works without the network
    assert "releases/ffdata-data-" in info.value.hint and "FFDATA_RELEASE_URL" in info.value.hint


def test_the_release_s_package_is_the_committed_one_passes_frictionless_and_its_sums(
    release_folder,
):
    processed = "data/processed"
    assert snapshot(release_folder / processed) == snapshot(ROOT / processed)
    descriptor = (release_folder / "datapackage.json").read_bytes()
    assert descriptor == (ROOT / "datapackage.json").read_bytes()
    run = frictionless_validate(release_folder)
    assert run.returncode == 0 and "INVALID" not in run.stdout, run.stdout[-2000:]
    sums = ["sha256sum", "--check", "--quiet", "SHA256SUMS"]
    run = subprocess.run(sums, cwd=release_folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_polars_and_duckdb_read_every_table(release_folder):
    import duckdb
    import polars as pl

    con = duckdb.connect()
    for table in ffdata.list_tables():
        path = release_folder / "data" / "processed" / f"{table}.parquet"
        expected = len(ffdata.load(table))
        assert pl.read_parquet(path).height == expected, table
        sql = f"SELECT count(*) FROM read_parquet('{path}')"
        assert con.execute(sql).fetchall()[0][0] == expected, table
    path = release_folder / "data" / "processed" / "country_estimates.parquet"
    tunisia = (pl.col("iso3") == "TUN") & (pl.col("estimate") == "official")
    assert pl.read_parquet(path).filter(tunisia)["fighters"].to_list() == [6000]
    sql = f"SELECT fighters FROM read_parquet('{path}') WHERE iso3='NOR' AND estimate='unofficial'"
    assert con.execute(sql).fetchall() == [(60,)]


def test_the_changelog_section_goes_under_a_heading_spaced_any_way_the_date_is_read(tmp_path):
    (tmp_path / "CHANGELOG.md").write_text(
        f"# Changelog\n\n##  {__version__}(2026-11-23)\n\n- fixed\n", encoding="utf-8"
    )
    date, text = _changelog(tmp_path, "### Data changes\n")
    assert date == "2026-11-23"
    heading = f"##  {__version__}(2026-11-23)"
    assert text.decode().splitlines()[2:6] == [heading, "", "### Data changes", ""]


def test_a_provenance_file_changed_since_its_pin_is_not_released(tmp_path):
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    (tmp_path / "data" / "processed").mkdir()
    shutil.copy(ROOT / "data" / "processed" / "documents.csv", tmp_path / "data" / "processed")
    assert "documents/reference/icsr-foreign-fighters/PROVENANCE.md" in _document_files(tmp_path)
    provenance = tmp_path / "data" / "raw" / "reference" / "icsr-foreign-fighters" / "PROVENANCE.md"
    provenance.write_bytes(provenance.read_bytes().replace(b"ICSR", b"ICRS", 1))
    with pytest.raises(ChecksumError) as info:
        _document_files(tmp_path)
    assert info.value.document == "reference/icsr-foreign-fighters/PROVENANCE.md"
