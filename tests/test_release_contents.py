"""The release stands alone: documents to open at any line, report, dated CHANGELOG with the
diff against the previous release, Stata files, JSON-LD (Croissant too) and .zenodo.json;
CSVs that read back without losing types in pandas and R."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import textwrap
from dataclasses import replace

import pandas as pd
import pytest
from support import ROOT, commit_for_tests, need_r

import ffdata
from ffdata.builder.tools.dataset_metadata import release_date
from ffdata.builder.tools.release import previous_release
from ffdata.builder.tools.stata import short_label, stata_bytes
from ffdata.diff import diff, diff_summary
from ffdata.errors import PublishError, ReleaseError
from ffdata.registry import REPOSITORY_URL, known_releases
from ffdata.tables import TABLES

#: The commit the tests' release names (see conftest's release_archive).
COMMIT = commit_for_tests()
DATE = release_date((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), ffdata.__version__)


def largest_population() -> int:
    """The largest regional population: above 2,147,483,647, what Stata's long and R's
    integer hold."""
    largest = int(ffdata.load("regional_totals")["population"].max())
    assert largest > 2**31 - 1
    return largest


def test_every_figure_can_be_opened_at_its_document_line(release_folder):
    documents = pd.read_csv(release_folder / "data" / "processed" / "documents.csv", dtype=str)
    files = dict(zip(documents["document_id"], documents["file"], strict=True))
    opened = 0
    for table in ("country_estimates", "aggregate_figures"):
        path = release_folder / "data" / "processed" / f"{table}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                document = release_folder / "documents" / files[row["document_id"]]
                lines = document.read_text(encoding="utf-8").splitlines()
                assert row["text_as_printed"] in lines[int(row["line"]) - 1], row
                opened += 1
    assert opened == sum(len(ffdata.load(t)) for t in ("country_estimates", "aggregate_figures"))
    line = (release_folder / "documents" / "002_882cd01f73eb6394.txt").read_text().splitlines()[111]
    assert line.startswith(TUNISIA)
    readme = (release_folder / "documents" / "README.md").read_text(encoding="utf-8")
    assert readme.count("- licence: ") == len(documents)
    assert "Creative Commons" in (
        release_folder / "documents" / "reference" / "icsr-foreign-fighters" / "LICENSE"
    ).read_text(encoding="utf-8")


def test_changelog_is_dated_undated_refused_and_its_data_section_from_the_diff(release_folder):
    text = (release_folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert not re.search(r"(?im)^## .*unreleased", text)  # no heading marked unreleased
    assert re.search(rf"(?m)^## {re.escape(ffdata.__version__)} \(\d{{4}}-\d{{2}}-\d{{2}}\)$", text)
    previous = previous_release(ROOT)  # the highest recorded version below this one
    old = previous.name.removeprefix("ffdata-data-").removesuffix(".zip")
    changes_file = f"CHANGES-from-{old}.csv"
    changes = pd.read_csv(release_folder / changes_file, dtype=str, na_filter=False)
    expected = diff(previous, release_folder)
    assert changes.values.tolist() == expected.values.tolist()
    section = diff_summary(expected, old, ffdata.__version__)
    section = section.replace("`CHANGES.csv`", f"`{changes_file}`")
    assert f"## {ffdata.__version__} ({DATE})\n\n{section}" in text
    with pytest.raises(ReleaseError, match="has no release date") as info:  # an undated entry
        release_date("# Changelog\n\n## 0.2.0 (unreleased)\n", "0.2.0")
    assert info.value.line == 3


TUNISIA = "1\tTunisia\t6000\t7000"


def test_stata_files_read_back_with_the_same_values_and_labels(release_folder):
    stata = release_folder / "data" / "stata"
    estimates = pd.read_stata(stata / "country_estimates.dta")
    rows = estimates.set_index(["source_id", "estimate", "iso3"])
    tunisia = rows.loc[("soufan-2015", "official", "TUN")]
    assert [tunisia.fighters, tunisia.line, tunisia.text_as_printed] == [6000, 112, TUNISIA]
    uk = rows.loc[("icsr-2015-01", "reported", "GBR")]  # a range: no single figure
    assert [uk.fighters_low, uk.fighters_high, pd.isna(uk.fighters)] == [500, 600, True]
    loaded = ffdata.load("country_estimates")
    assert estimates["fighters"].sum() == loaded["fighters"].sum()
    assert estimates["text_as_printed"].tolist() == loaded["text_as_printed"].tolist()
    with pd.io.stata.StataReader(stata / "country_estimates.dta") as reader:
        reader.read()
        labels = reader.variable_labels()
        values = reader.value_labels()
        assert reader.data_label == short_label(TABLES["country_estimates"].title)
    fighters = TABLES["country_estimates"].column("fighters").description
    assert labels["fighters"] == short_label(fighters) and len(labels["fighters"]) <= 80
    assert values["estimate"] == {0: "official", 1: "unofficial", 2: "reported"}
    totals = pd.read_stata(stata / "regional_totals.dta")
    assert totals["population"].max() == largest_population()  # above Stata's long: a double
    for table in TABLES:
        assert len(pd.read_stata(stata / f"{table}.dta")) == len(ffdata.load(table)), table


def test_jsonld_in_the_released_report_and_zenodo_metadata(release_folder):
    ld = json.loads((release_folder / "dataset.jsonld").read_text(encoding="utf-8"))
    assert ld["@context"] == "https://schema.org/" and ld["@type"] == "Dataset"
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ld["creator"] == [{"@type": "Organization", "name": "ffdata contributors"}]
    assert ld["version"] == ffdata.__version__ and ld["datePublished"] == DATE
    name = f"ffdata-data-{ffdata.__version__}.zip"
    download = f"https://github.com/ffdata/ffdata/releases/download/v{ffdata.__version__}/{name}"
    (dist,) = ld["distribution"]
    assert (dist["@type"], dist["encodingFormat"]) == ("DataDownload", "application/zip")
    assert (dist["name"], dist["contentUrl"], len(dist)) == (name, download, 4)
    page = (release_folder / "docs" / "report" / "index.html").read_text(encoding="utf-8")
    assert page == (ROOT / "docs" / "report" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    # the release names the commit it was built from (the page, made before that commit, not)
    code = [b for b in ld["isBasedOn"] if b["@type"] == "SoftwareSourceCode"]
    assert [(c["codeRepository"], c["version"]) for c in code] == [(REPOSITORY_URL, COMMIT)]
    # the page's JSON-LD is the release's croissant.json: the same Dataset, in Croissant 1.1
    croissant = (release_folder / "croissant.json").read_bytes()
    assert croissant == (ROOT / "croissant.json").read_bytes()
    assert json.loads(scripts[0]) == json.loads(croissant)
    facts = ("name", "description", "version", "license", "creator", "datePublished")
    assert {k: json.loads(croissant)[k] for k in facts} == {k: ld[k] for k in facts}
    zenodo = json.loads((release_folder / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["upload_type"] == "dataset" and zenodo["license"] == "cc-by-4.0"
    assert zenodo["creators"] == [{"name": "ffdata contributors"}]
    assert (zenodo["version"], zenodo["publication_date"]) == (ffdata.__version__, DATE)
    assert f"{REPOSITORY_URL}/tree/{COMMIT}" in {
        r["identifier"] for r in zenodo["related_identifiers"]
    }
    if ffdata.__version__ in known_releases():  # `make release` wrote both
        root_zenodo = (ROOT / ".zenodo.json").read_bytes()
        assert root_zenodo == (release_folder / ".zenodo.json").read_bytes()


PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "string": "string", "boolean": "boolean"}


def test_csvs_read_back_in_pandas_with_the_datapackage_types(release_folder, monkeypatch):
    """The codebook's recipe, word for word, then the same for every table."""
    codebook = (release_folder / "docs" / "codebook.md").read_text(encoding="utf-8")
    recipe = re.search(r"```python\n(.*?)```", codebook, re.S).group(1)
    monkeypatch.chdir(release_folder)
    namespace: dict = {}
    exec(textwrap.dedent(recipe), namespace)
    frame = namespace["frame"]
    assert str(frame["fighters"].dtype) == "Int64" and frame["fighters"].isna().any()
    loaded = ffdata.load("country_estimates")
    assert frame["fighters"].tolist() == loaded["fighters"].tolist()
    package = namespace["package"]
    for resource in package["resources"]:
        if not resource["path"].endswith(".csv"):
            continue
        dtype = {f["name"]: PANDAS_TYPES[f["type"]] for f in resource["schema"]["fields"]}
        frame = pd.read_csv(resource["path"], dtype=dtype, keep_default_na=False, na_values=[""])
        loaded = ffdata.load(resource["name"])
        for column in frame.columns:
            assert frame[column].tolist() == loaded[column].astype(frame[column].dtype).tolist()
        assert {str(t) for t in frame.dtypes} <= {"Int64", "Float64", "string", "boolean"}
    totals = pd.read_csv("data/processed/regional_totals.csv", dtype={"population": "Int64"})
    assert totals["population"].max() == largest_population()


def test_integer_fields_are_read_as_doubles_by_r_frictionless(release_folder):
    """frictionless-r reads an `integer` field with readr::col_double() unless the field
    sets bareNumber: false or an enum (R/collectors.R, col_integer): then populations above
    R's 2,147,483,647 survive. Keep every integer field that way."""
    package = json.loads((release_folder / "datapackage.json").read_text(encoding="utf-8"))
    fields = [field for resource in package["resources"] for field in resource["schema"]["fields"]]
    integers = [field for field in fields if field["type"] == "integer"]
    assert integers and all(f.get("bareNumber", True) for f in integers)
    assert all("enum" not in f.get("constraints", {}) for f in integers)


R_SCRIPT = r"""
library(readr); library(jsonlite)
package <- fromJSON("datapackage.json", simplifyVector = FALSE)
for (resource in package$resources) {
  if (!grepl("\\.csv$", resource$path)) next
  types <- list()
  for (f in resource$schema$fields) {
    types[[f$name]] <- switch(f$type, integer = col_double(), number = col_double(),
                              boolean = col_logical(), col_character())
  }
  frame <- read_csv(resource$path, col_types = do.call(cols, types), na = "",
                    progress = FALSE)
  if (nrow(problems(frame)) > 0) stop(paste("problems in", resource$path))
  if (resource$name == "regional_totals") cat(format(max(frame$population), scientific = FALSE))
}
"""


def test_r_reads_every_csv_without_overflow(release_folder):
    need_r("the release's CSVs in R", ("readr", "jsonlite"))
    run = subprocess.run(
        ["Rscript", "-e", R_SCRIPT], cwd=release_folder, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(largest_population())


def test_stata_keeps_text_longer_than_2045_bytes_and_empty_integers():
    frame = ffdata.load("sources").head(2).copy()
    frame["note"] = frame["note"].astype("object")
    frame.loc[frame.index[0], "note"] = "é" * 1500  # 3,000 bytes in UTF-8: a strL
    frame.loc[frame.index[1], "footnote"] = pd.NA
    back = pd.read_stata(io.BytesIO(stata_bytes(frame, "sources")))
    assert back["note"].iloc[0] == "é" * 1500
    assert pd.isna(back["footnote"].iloc[1])


def test_a_column_name_stata_would_rename_is_refused(monkeypatch):
    table = TABLES["countries"]
    long_name = "population_of_the_country_in_the_year_2015"
    columns = tuple(
        replace(c, name=long_name) if c.name == "population_2015" else c for c in table.columns
    )
    monkeypatch.setitem(TABLES, "countries", replace(table, columns=columns))
    frame = ffdata.load("countries").rename(columns={"population_2015": long_name})
    with pytest.raises(PublishError, match="not a Stata variable name") as info:
        stata_bytes(frame, "countries")
    assert info.value.text == long_name


def test_the_readme_names_the_commit_and_repository_it_was_built_from(release_folder):
    """The README says which commit of which repository to check out to rebuild it, the
    commit its JSON-LD names."""
    readme = (release_folder / "README.md").read_text(encoding="utf-8")
    assert f"Built from commit {COMMIT} of {REPOSITORY_URL}." in readme
    assert f"git clone {REPOSITORY_URL}\n" in readme and f"git checkout {COMMIT}\n" in readme
    ld = json.loads((release_folder / "dataset.jsonld").read_text(encoding="utf-8"))
    code = [b for b in ld["isBasedOn"] if b.get("@type") == "SoftwareSourceCode"]
    assert [c.get("version") for c in code] == [COMMIT]
