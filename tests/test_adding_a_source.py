"""Adding a source needs no Python and changes no test: a document, its manifest entry and
its declaration, then `make data` and `make expected`.

A committee's top-10 list (a ranked table in a new document) is added to a copy of the
project; the copy's build publishes it, `make expected` records it in the copy's
tests/expected.json, and the tests that read the live data pass on the copy.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from support import RAW, REPO, fixture_checkout, repin

from expectations import EXPECTED
from expectations import main as make_expected
from ffdata.hashes import sha256_of

TOP_10 = [
    ("Tunisia", 3000),
    ("Saudi Arabia", 2500),
    ("Russia", 2400),
    ("Jordan", 2000),
    ("France", 1800),
    ("Morocco", 1500),
    ("Germany", 900),
    ("United Kingdom", 850),
    ("Belgium", 500),
    ("Norway", 90),
]
ROWS = "".join(f"{rank}\t{name}\t{count}\n" for rank, (name, count) in enumerate(TOP_10, 1))
DOCUMENT = f"""Example Committee on Home Affairs: foreign fighters by country of origin

**Table 1:** Foreign fighters by country of origin (official figures)<sup>1</sup>

No.\tCountry\tOfficial Count
{ROWS}
1 Example Committee on Home Affairs, "Countries of Origin of Foreign Fighters," March 2020.
"""

MANIFEST_ENTRY = """
[[documents]]
document_id = "example-committee-2020"
file = "900_example_committee.txt"
sha256 = "{sha256}"
size = {size}
title = "Example Committee on Home Affairs: foreign fighters by country of origin"
author = ""
publisher = "Example Committee on Home Affairs"
date_as_printed = ""
url = ""
url_found_online = ""
date_found_online = ""
note = "Written for the test of adding a source."
licence_note = "Written for the test suite."
"""

DECLARATION = """
[[sources]]
source_id = "example-committee-2020"
producer = "Example Committee on Home Affairs"
title = "Countries of Origin of Foreign Fighters"
date_as_printed = "March 2020"
published_date = "2020-03"
url = ""
cited_in = "900_example_committee.txt"
footnote = 1
citation = 'Example Committee on Home Affairs, "Countries of Origin of Foreign Fighters," March 2020.'
second_hand = false
note = "Table 1 of the document: the ten main countries of origin."
licence = "CC0-1.0"

[sources.country_estimates]
label = "Example Committee 2020"
column_stem = "example_committee"
chart_colours = ["#f0e442"]
estimates = ["official"]
refers_to_date = "2020"
what_it_counts = "Fixture figures that count nothing real."
extractor = "ranked-table"
layout = { name = "Committee Table 1", caption = "Table 1: ... (official figures)", ranked_by = "official" }
groups_counted = "not_stated"
place_counted = "syria_and_iraq"
count_kind = "cumulative"
not_listed_means = "not_reported"
"""

#: The tests that read the live data, run on the copy.
ON_THE_COPY = [
    "tests/test_extracted_values.py",
    "tests/test_api.py::test_country_summary_is_the_estimates_one_column_per_declared_source_and_kind",
    "tests/test_per_capita.py::test_every_figure_has_a_rate_from_the_year_it_refers_to",
    "tests/test_per_capita.py::test_regional_totals_equal_the_sums_of_their_members",
]


def add_source(raw: Path) -> None:
    """Add the committee's list to the raw folder ``raw``: the three inputs, nothing else."""
    data = DOCUMENT.encode("utf-8")
    (raw / "900_example_committee.txt").write_bytes(data)
    with (raw / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(MANIFEST_ENTRY.format(sha256=sha256_of(data), size=len(data)))
    with (raw / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(DECLARATION)
    repin(raw, "sources.toml")


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the source added, built (`make data`), its expectations
    rewritten (`make expected`)."""
    raw = tmp_path_factory.mktemp("added") / "raw"
    shutil.copytree(RAW, raw)
    add_source(raw)
    root = fixture_checkout(tmp_path_factory.mktemp("project"), raw)
    (root / EXPECTED).parent.mkdir()
    shutil.copy(REPO / EXPECTED, root / EXPECTED)
    assert make_expected(["--root", str(root)]) == 0
    return root


def test_expected_json_shows_the_new_rows_and_nothing_else_changes(copy):
    before = (REPO / EXPECTED).read_text(encoding="utf-8").splitlines()
    after = (copy / EXPECTED).read_text(encoding="utf-8").splitlines()
    removed = [line for line in before if line not in after]
    for name, count in TOP_10:
        assert any(f"{count} line" in line and repr(name) in line for line in after), name
    # what changes: the live counts and digests of the tables the source is in, never a row
    assert all('": ' in line and "sha256" not in line for line in removed), removed
    assert not [line for line in removed if "line" in line or "|" in line]


def test_the_tests_that_read_the_live_data_pass_on_the_copy(copy):
    env = {**os.environ, "FFDATA_TEST_ROOT": str(copy), "FFDATA_DATA_DIR": str(copy)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider", *ON_THE_COPY],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "failed" not in run.stdout


def test_the_report_shows_it(copy, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from ffdata.builder.tools.report.build import build_report
    from ffdata.locate import ENV_VAR

    monkeypatch.setenv(ENV_VAR, str(copy))  # the report reads the package with the source
    build_report(tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Example Committee 2020" in page and "#f0e442" in page


def test_no_source_id_is_written_in_the_code():
    """What the code knows about a source comes from its declaration: no id in a string
    constant of src/ (docstrings, which hold the examples, aside)."""
    ids = {s["source_id"] for s in tomllib.loads((RAW / "sources.toml").read_text())["sources"]}
    found = []
    for path in sorted((REPO / "src" / "ffdata").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, kinds) and ast.get_docstring(n)
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
