"""fetch_release and load(release=...): one address convention, caches verified on every call.

Uses the real release 0.1.0 (``releases/ffdata-data-0.1.0.zip``, whose sha256 the package
records), so no archive is built here.
"""

from __future__ import annotations

import functools
import http.server
import io
import socket
import threading
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from support import ROOT

import ffdata
from ffdata.cli import main
from ffdata.errors import ReleaseError
from ffdata.fetch import checkout_release, fetch_release, release_address

RELEASE_010 = ROOT / "releases" / "ffdata-data-0.1.0.zip"


def _tunisia_official(frame: pd.DataFrame) -> int:
    row = frame[(frame["iso3"] == "TUN") & (frame["estimate"] == "official")]
    return int(row["fighters"].iloc[0])


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(folder))
    monkeypatch.delenv("FFDATA_RELEASE_URL", raising=False)
    return folder


@pytest.fixture
def served(tmp_path):
    """A folder served on 127.0.0.1; yields (base address, folder)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", folder
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def rezipped(tmp_path) -> Path:
    """The same files zipped again: a valid release, but not the bytes recorded for 0.1.0."""
    target = tmp_path / "ffdata-data-0.1.0.zip"
    with zipfile.ZipFile(RELEASE_010) as source, zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_STORED)
    return target


def kept(cache: Path) -> list[Path]:
    """The files left in the release cache."""
    return [p for p in cache.rglob("*") if p.is_file()]


def test_a_local_zip_a_file_address_and_a_version_give_the_same_verified_folder(cache):
    by_path = fetch_release(str(RELEASE_010))
    assert by_path.name == "ffdata-data-0.1.0"
    assert _tunisia_official(ffdata.load("country_estimates", release=by_path)) == 6000
    assert fetch_release(RELEASE_010.as_uri()) == by_path
    assert fetch_release("0.1.0", url=RELEASE_010.parent.as_uri()) == by_path
    # the cache answers a version with no address at all
    assert fetch_release("0.1.0") == by_path


def test_a_version_is_found_in_the_checkouts_releases_before_any_network(cache, monkeypatch):
    monkeypatch.setattr("ffdata.fetch.RELEASE_URL", "http://127.0.0.1:9/")  # nothing listens
    folder = fetch_release("0.1.0")
    assert _tunisia_official(ffdata.load("country_estimates", release=folder)) == 6000
    # a path to an archive is never taken for a version
    frame = ffdata.load("country_estimates", release=str(RELEASE_010))
    assert len(frame) == 106 and _tunisia_official(frame) == 6000


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_in_a_checkout_version_reads_and_diff_use_releases_with_the_network_off(
    cache, no_network, capsys
):
    """fetch_release, load(release=) and `ffdata diff 0.1.0 .` take the zip from releases/."""
    assert checkout_release("0.1.0") == ROOT / "releases" / RELEASE_010.name
    folder = fetch_release("0.1.0")
    assert (folder / "SHA256SUMS").is_file()
    assert _tunisia_official(ffdata.load("country_estimates", release="0.1.0")) == 6000
    assert main(["diff", "0.1.0", str(ROOT)]) == 0
    assert "documents,column added,,published_date" in capsys.readouterr().out


@pytest.fixture
def checkout_copy(tmp_path, monkeypatch) -> Path:
    """A checkout whose releases/ holds 0.1.0, as the package sees its own checkout."""
    root = tmp_path / "checkout"
    (root / "src" / "ffdata").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "releases").mkdir()
    (root / "releases" / RELEASE_010.name).write_bytes(RELEASE_010.read_bytes())
    monkeypatch.setattr("ffdata.fetch.CHECKOUT", root)
    return root


def test_a_zip_in_releases_that_is_not_the_registrys_is_refused(
    cache, no_network, checkout_copy, rezipped
):
    """Even with a good copy in the cache: the checkout's copy is checked on every call."""
    fetch_release("0.1.0")
    (checkout_copy / "releases" / RELEASE_010.name).write_bytes(rezipped.read_bytes())
    with pytest.raises(ReleaseError, match="differs from the sha256 the registry") as info:
        fetch_release("0.1.0")
    assert info.value.path == str(checkout_copy / "releases" / RELEASE_010.name)
    assert "git checkout -- releases/ffdata-data-0.1.0.zip" in info.value.hint


def test_a_folder_that_is_not_a_checkout_has_no_releases_to_offer(cache, checkout_copy):
    (checkout_copy / "pyproject.toml").unlink()
    assert checkout_release("0.1.0") is None
    assert checkout_release("9.9.9") is None


def test_one_convention_for_url_and_the_environment_variable(cache, served, monkeypatch):
    base, folder = served
    (folder / RELEASE_010.name).write_bytes(RELEASE_010.read_bytes())
    assert release_address("0.1.0", base) == base + "ffdata-data-0.1.0.zip"
    assert release_address("0.1.0", base.rstrip("/")) == base + "ffdata-data-0.1.0.zip"
    monkeypatch.setenv("FFDATA_RELEASE_URL", base.rstrip("/"))  # a base, no trailing slash
    by_env = fetch_release("0.1.0", refresh=True)
    monkeypatch.setenv("FFDATA_RELEASE_URL", base + RELEASE_010.name)  # the archive itself
    assert fetch_release("0.1.0", refresh=True) == by_env
    monkeypatch.delenv("FFDATA_RELEASE_URL")
    assert fetch_release("0.1.0", url=base, refresh=True) == by_env
    assert fetch_release("0.1.0", url=base + RELEASE_010.name, refresh=True) == by_env


def test_a_rewritten_cached_parquet_is_detected_and_refresh_repairs_it(cache):
    folder = fetch_release(str(RELEASE_010))
    parquet = folder / "data" / "processed" / "country_estimates.parquet"
    frame = pd.read_parquet(parquet)
    frame.loc[(frame["iso3"] == "TUN") & (frame["estimate"] == "official"), "fighters"] = 60000
    frame.to_parquet(parquet)
    with pytest.raises(ReleaseError, match=r"cached file of release 0\.1\.0 differs") as info:
        ffdata.load("country_estimates", release="0.1.0")
    assert info.value.document == str(parquet)
    assert "refresh=True" in info.value.hint
    with pytest.raises(ReleaseError, match="differs"):
        fetch_release("0.1.0")
    repaired = fetch_release(str(RELEASE_010), refresh=True)
    assert _tunisia_official(ffdata.load("country_estimates", release=repaired)) == 6000


def test_one_changed_byte_in_the_cache_is_detected_in_the_file_that_holds_it(cache):
    folder = fetch_release(str(RELEASE_010))
    countries = folder / "data" / "processed" / "countries.csv"
    data = bytearray(countries.read_bytes())
    where = data.index(b"1328024498")  # India's population in 2015
    data[where] ^= 0x01  # '1' -> '0'
    countries.write_bytes(bytes(data))
    with pytest.raises(ReleaseError, match="differs") as info:
        ffdata.load("countries", release="0.1.0")
    assert info.value.document == str(countries)
    fetch_release(str(RELEASE_010), refresh=True)  # a file not in the tables, of the folder
    (folder / "docs" / "codebook.md").write_text("changed", encoding="utf-8")
    with pytest.raises(ReleaseError, match="SHA256SUMS") as info:
        ffdata.load("countries", release=folder)
    assert info.value.document == str(folder / "docs" / "codebook.md")
    # the cached archive itself
    fetch_release(str(RELEASE_010), refresh=True)
    archive = next(cache.glob("ffdata-data-0.1.0-*/archive.zip"))
    damaged = bytearray(archive.read_bytes())
    damaged[100] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    with pytest.raises(ReleaseError, match=r"cached archive of release 0\.1\.0 differs"):
        fetch_release("0.1.0")


def test_bytes_that_are_not_a_release_archive_are_refused_and_not_kept(cache, served):
    base, folder = served
    (folder / "index.html").write_text("<!DOCTYPE html><html>listing</html>", encoding="utf-8")
    (folder / "ffdata-data-0.1.0.zip").write_text("<!DOCTYPE html><html>x</html>")
    with pytest.raises(ReleaseError, match="not a release archive") as info:
        fetch_release("0.1.0", url=base)
    assert "web page" in info.value.hint
    assert "differs from its known sha256" not in str(info.value)
    assert kept(cache) == []
    garbage = folder / "garbage.zip"
    garbage.write_bytes(b"\x00\x01 not a zip at all")
    with pytest.raises(ReleaseError, match="not a release archive"):
        fetch_release(base + "garbage.zip", sha256="0" * 64)
    assert kept(cache) == []
    with zipfile.ZipFile(folder / "ffdata-data-0.9.0.zip", "w") as archive:  # a zip, no release
        archive.writestr("ffdata-data-0.9.0/README.md", "hello")
    with pytest.raises(ReleaseError, match="not a release archive"):
        fetch_release(str(folder / "ffdata-data-0.9.0.zip"))
    assert kept(cache) == []


def _crafted(tmp_path: Path, sums: str, extra: dict[str, bytes]) -> Path:
    target = tmp_path / "ffdata-data-0.9.0.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ffdata-data-0.9.0/SHA256SUMS", sums)
        for name, data in extra.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def test_sha256sums_can_only_name_files_inside_the_release(cache, tmp_path):
    from ffdata.hashes import sha256_of

    outside = tmp_path / "outside.txt"
    outside.write_text("mine", encoding="utf-8")
    digest = sha256_of(b"mine")
    for name in ("../../outside.txt", str(outside), "data/../../outside.txt"):
        crafted = _crafted(tmp_path, f"{digest}  {name}\n", {})
        with pytest.raises(ReleaseError, match="outside the release"):
            fetch_release(str(crafted))
    crafted = _crafted(
        tmp_path, f"{digest}  a.txt\n", {"ffdata-data-0.9.0/a.txt": b"mine", "../evil": b"x"}
    )
    with pytest.raises(ReleaseError, match="outside its folder"):
        fetch_release(str(crafted))
    assert outside.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path.parent / "evil").exists()


def test_a_cache_dir_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FFDATA_CACHE_DIR", str(a_file))
    with pytest.raises(ReleaseError, match=r"release cache is not a folder"):
        fetch_release(str(RELEASE_010))
    assert a_file.read_text(encoding="utf-8") == "x"


def test_a_missing_local_archive_is_not_taken_for_a_version(cache):
    with pytest.raises(ReleaseError, match="cannot download the archive") as info:
        ffdata.load("countries", release="no-such-dir/ffdata-data-0.1.0.zip")
    assert "no known sha256" not in str(info.value)


def test_a_wrong_archive_for_a_known_version_is_tampering_even_once_cached(cache, rezipped):
    """Refused and not kept; installed with its own sha256 given, it stays in the cache, but
    asked for again without it, its bytes are still checked against 0.1.0's recorded sha256."""
    from ffdata.hashes import sha256_file

    with pytest.raises(ReleaseError, match=r"release 0\.1\.0 differs from its known sha256") as e:
        fetch_release(str(rezipped))
    assert "nothing was kept" in e.value.hint and kept(cache) == []
    digest = sha256_file(rezipped)
    assert fetch_release(str(rezipped), sha256=digest).name == "ffdata-data-0.1.0"
    for address in (str(rezipped), "0.1.0"):
        with pytest.raises(ReleaseError, match=r"release 0\.1\.0 differs from its known sha256"):
            fetch_release(address, url=rezipped.parent.as_uri())
    assert fetch_release(str(rezipped), sha256=digest).name == "ffdata-data-0.1.0"


def test_a_zip_that_unpacks_to_too_much_is_refused(cache, tmp_path, monkeypatch):
    monkeypatch.setattr("ffdata.verify.MAX_BYTES", 1000)
    with pytest.raises(ReleaseError, match="unpacks to 210,510 bytes"):
        fetch_release(str(RELEASE_010))
    assert kept(cache) == []


def test_a_refresh_that_cannot_move_in_keeps_the_previous_entry(cache, monkeypatch):
    folder = fetch_release(str(RELEASE_010))
    real_replace = Path.replace

    def full_disk(self, target):  # the new entry cannot be moved in
        if self.name.startswith(".partial-"):
            raise OSError(28, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", full_disk)
    with pytest.raises(ReleaseError, match="cannot write the release into the cache"):
        fetch_release(str(RELEASE_010), refresh=True)
    monkeypatch.setattr(Path, "replace", real_replace)
    assert fetch_release(str(RELEASE_010)) == folder  # the previous entry, whole and verified
    leftovers = [p.name for p in folder.parents[1].iterdir() if p.name.startswith(".")]
    assert leftovers == []
