"""The Parquet release: reproducible archive, download with pooch from a local server, cache,
refusal of a tampered archive, and readers (frictionless, polars, DuckDB)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import ffdata
from conftest import ROOT, frictionless_validate
from ffdata.builder.release import build_release, release_name
from ffdata.errors import ReleaseError
from ffdata.fetch import known_releases
from ffdata.hashes import sha256_file

ROWS = {
    "documents": 5,
    "sources": None,
    "countries": 66,
    "country_estimates": 106,
    "aggregate_figures": None,
    "regional_totals": 56,
    "country_names": 1280,
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return build_release(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def server(archive, tmp_path):
    """Serve a copy of the archive's folder on 127.0.0.1 (random free port)."""
    served = tmp_path / "served"
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


def test_two_builds_give_the_same_sha256(archive, tmp_path):
    again = build_release(tmp_path)
    assert sha256_file(again) == sha256_file(archive)


def test_registry_knows_the_current_archive(archive):
    assert known_releases()[ffdata.__version__] == sha256_file(archive), (
        "run `make data` (it records the release sha256) and commit"
    )


def test_archive_contents(archive):
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        infos = z.infolist()
    folder = f"ffdata-data-{ffdata.__version__}/"
    assert names == sorted(names)
    assert all(n.startswith(folder) for n in names)
    inside = {n.removeprefix(folder) for n in names}
    for table in ffdata.list_tables():
        assert f"data/processed/{table}.parquet" in inside
        assert f"data/processed/{table}.csv" in inside
    for required in (
        "datapackage.json",
        "SHA256SUMS",
        "CITATION.cff",
        "README.md",
        "docs/codebook.md",
        "LICENSES/CODE-MIT.txt",
        "LICENSES/DATA-CC-BY-4.0.md",
        "CHANGELOG.md",
    ):
        assert required in inside
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_fetch_release_downloads_verifies_and_caches(server, archive, tmp_path):
    url, served = server
    cache = tmp_path / "cache"
    folder = ffdata.fetch_release(url=url, cache_dir=cache, sha256=sha256_file(archive))
    assert (folder / "datapackage.json").is_file()
    for table in ffdata.list_tables():
        pd.testing.assert_frame_equal(ffdata.load(table, release=folder), ffdata.load(table))
    # load(release=...) really reads the release: change a value in it and see it come back
    assert ffdata.path("country_estimates", release=folder) == (
        folder / "data" / "processed" / "country_estimates.parquet"
    )
    frame = ffdata.load("country_estimates", release=folder)
    tunisia = (frame.iso3 == "TUN") & (frame.estimate == "official")
    frame.loc[tunisia, "fighters"] = 6001
    frame.to_parquet(folder / "data" / "processed" / "country_estimates.parquet")
    reread = ffdata.load("country_estimates", release=folder)
    assert int(reread.loc[tunisia, "fighters"].iloc[0]) == 6001
    assert int(ffdata.load("country_estimates").loc[tunisia, "fighters"].iloc[0]) == 6000
    # the server goes away: the cache answers
    (served / archive.name).unlink()
    again = ffdata.fetch_release(url=url, cache_dir=cache, sha256=sha256_file(archive))
    assert again == folder


def test_load_with_release_version(server, archive, tmp_path, monkeypatch):
    url, _ = server
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FFDATA_RELEASE_URL", url.rsplit("/", 1)[0] + "/")
    frame = ffdata.load("country_estimates", release=ffdata.__version__)
    assert len(frame) == 106


def test_tampered_archive_is_refused_and_not_kept(server, archive, tmp_path):
    url, served = server
    target = served / archive.name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    cache = tmp_path / "cache"
    with pytest.raises(ReleaseError, match="differs from its known sha256"):
        ffdata.fetch_release(url=url, cache_dir=cache, sha256=sha256_file(archive))
    leftovers = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert leftovers == []


def test_unknown_version_without_hash_is_refused(tmp_path):
    with pytest.raises(ReleaseError, match="no known sha256"):
        ffdata.fetch_release("9.9.9", cache_dir=tmp_path)


def test_unreachable_server_is_a_clear_error(tmp_path, archive):
    with pytest.raises(ReleaseError, match="cannot download"):
        ffdata.fetch_release(
            url="http://127.0.0.1:9/none.zip", cache_dir=tmp_path, sha256=sha256_file(archive)
        )


@pytest.fixture(scope="module")
def unpacked(archive, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as z:
        z.extractall(target)
    return target / f"ffdata-data-{ffdata.__version__}"


def test_unpacked_release_passes_frictionless(unpacked):
    run = frictionless_validate(unpacked)
    assert run.returncode == 0, run.stdout[-2000:]


def test_sha256sums_check(unpacked):
    run = subprocess.run(
        ["sha256sum", "--check", "--quiet", "SHA256SUMS"],
        cwd=unpacked,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("table", list(ROWS))
def test_polars_and_duckdb_read_every_table(unpacked, table):
    import duckdb
    import polars as pl

    path = unpacked / "data" / "processed" / f"{table}.parquet"
    expected = ROWS[table] if ROWS[table] is not None else len(ffdata.load(table))
    assert pl.read_parquet(path).height == expected
    con = duckdb.connect()
    count = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
    assert count == expected
    if table == "country_estimates":
        tun = pl.read_parquet(path).filter(
            (pl.col("iso3") == "TUN") & (pl.col("estimate") == "official")
        )
        assert tun["fighters"].to_list() == [6000]
        assert con.execute(
            f"SELECT fighters FROM read_parquet('{path}') WHERE iso3='NOR' AND estimate='unofficial'"
        ).fetchall() == [(60,)]


def test_release_name():
    assert release_name() == f"ffdata-data-{ffdata.__version__}.zip"
    assert (ROOT / "CHANGELOG.md").read_text().count(ffdata.__version__) >= 1
