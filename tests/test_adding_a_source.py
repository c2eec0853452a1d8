"""Adding a source needs no Python: a document, its manifest entry and its declaration.

A small fixture source (a ranked table in a new document) is added to a copy of
data/raw/; the build, the reader API, the codebook and the report all show it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import RAW, repin

from ffdata.builder.build import build
from ffdata.hashes import sha256_of

DOCUMENT = """Demo Institute: foreign fighters by country

**Table 1:** Foreigners of IS by country (official figures)<sup>1</sup>

No.\tCountry\tOfficial Count
1\tTunisia\t1234
2\tNorway\t56

1 Demo Institute, "Demo Estimates of Foreign Fighters," March 2020.
"""

MANIFEST_ENTRY = """
[[documents]]
document_id = "demo-2020-fixture"
file = "900_demo.txt"
sha256 = "{sha256}"
size = {size}
title = "Demo Institute: foreign fighters by country"
author = ""
publisher = "Demo Institute"
date_as_printed = ""
url = ""
url_found_online = ""
date_found_online = ""
note = "A fixture document for the test of adding a source."
licence_note = "Written for the test suite."
"""

DECLARATION = """
[[sources]]
source_id = "demo-2020"
producer = "Demo Institute"
title = "Demo Estimates of Foreign Fighters"
date_as_printed = "March 2020"
published_date = "2020-03"
url = ""
cited_in = "900_demo.txt"
footnote = 1
citation = 'Demo Institute, "Demo Estimates of Foreign Fighters," March 2020.'
second_hand = false
note = "Table 1 of the fixture document."
licence = "CC0-1.0"

[sources.country_estimates]
label = "Demo 2020"
column_stem = "demo"
chart_colours = ["#f0e442"]
estimates = ["official"]
refers_to_date = "2015"
what_it_counts = "Fixture figures that count nothing real."
extractor = "ranked-table"
layout = { name = "Demo Table 1", caption = "Table 1: ... (official figures)", ranked_by = "official" }
"""


def add_fixture_source(raw: Path) -> None:
    """Add the fixture source to the raw folder ``raw``: the three inputs, nothing else."""
    data = DOCUMENT.encode("utf-8")
    (raw / "900_demo.txt").write_bytes(data)
    with (raw / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(MANIFEST_ENTRY.format(sha256=sha256_of(data), size=len(data)))
    with (raw / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(DECLARATION)
    repin(raw, "sources.toml")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("added") / "raw"
    shutil.copytree(RAW, raw)
    add_fixture_source(raw)
    out = tmp_path_factory.mktemp("out")
    build(raw, out)
    return out


def read(package: Path, table: str) -> list[dict]:
    import pandas as pd

    frame = pd.read_parquet(package / "data" / "processed" / f"{table}.parquet")
    return frame.to_dict("records")


def test_the_source_is_in_every_table(package):
    sources = {r["source_id"]: r for r in read(package, "sources")}
    assert sources["demo-2020"]["label"] == "Demo 2020"
    assert sources["demo-2020"]["line"] == 9 and sources["demo-2020"]["footnote"] == 1
    documents = {r["document_id"] for r in read(package, "documents")}
    assert "demo-2020-fixture" in documents
    estimates = [r for r in read(package, "country_estimates") if r["source_id"] == "demo-2020"]
    got = sorted((r["iso3"], r["estimate"], r["fighters"], r["line"]) for r in estimates)
    assert got == [("NOR", "official", 56, 7), ("TUN", "official", 1234, 6)]
    tunisia = next(r for r in estimates if r["iso3"] == "TUN")
    assert tunisia["fighters_per_million"] == round(1234 / 11_402_264 * 1e6, 2)
    assert tunisia["text_as_printed"] == "1\tTunisia\t1234"
    totals = [r for r in read(package, "regional_totals") if r["source_id"] == "demo-2020"]
    assert {(r["area"], r["fighters"]) for r in totals if r["level"] == "region"} == {
        ("Africa", 1234),
        ("Europe", 56),
    }


READER_SCRIPT = """
import json, sys
import ffdata
from ffdata.codebook import codebook_markdown
summary = ffdata.country_summary().set_index("iso3")
tunisia = ffdata.compare("Tunisia")
print(json.dumps({
    "summary": int(summary.loc["TUN", "demo_official"]),
    "summary_rate": float(summary.loc["NOR", "demo_official_per_million"]),
    "compare": sorted(tunisia["source_id"].unique().tolist()),
    "codebook": "| `demo-2020` | Demo 2020 |" in codebook_markdown(),
}))
"""


def test_the_reader_side_shows_it(package):
    env = {**os.environ, "FFDATA_DATA_DIR": str(package)}
    result = subprocess.run(
        [sys.executable, "-c", READER_SCRIPT], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["summary"] == 1234
    assert seen["summary_rate"] > 0
    assert "demo-2020" in seen["compare"] and "soufan-2015" in seen["compare"]
    assert seen["codebook"] is True


def test_the_report_shows_it(package, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from ffdata.builder.tools.report.build import build_report
    from ffdata.locate import ENV_VAR

    monkeypatch.setenv(ENV_VAR, str(package))  # the report reads the package with the source
    build_report(tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Demo 2020" in page and "#f0e442" in page


def test_no_source_id_is_written_in_the_code():
    """What the code knows about a source comes from its declaration: no id in a string
    constant of src/ (docstrings, which hold the examples, aside)."""
    import ast
    import tomllib

    ids = {s["source_id"] for s in tomllib.loads((RAW / "sources.toml").read_text())["sources"]}
    found = []
    for path in sorted((RAW.parents[1] / "src" / "ffdata").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and any(i in node.value for i in ids)
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []
