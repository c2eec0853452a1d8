"""ffdata diff: rows added and removed and cells changed, by primary key, with text as printed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from support import ROOT, copy_package, rehash

from ffdata.cli import main
from ffdata.diff import diff, diff_summary, renamed_ids
from ffdata.errors import ReleaseError

RELEASE_010 = ROOT / "releases" / "ffdata-data-0.1.0.zip"
TUNISIA = "source_id=soufan-2015; iso3=TUN; estimate=official"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    if path.parents[2].joinpath("datapackage.json").is_file():  # a package: its hash recorded
        rehash(path.parents[2])


def test_one_changed_cell_is_exactly_that_cell(tmp_path):
    changed = copy_package(tmp_path / "new")
    csv = changed / "data" / "processed" / "country_estimates.csv"
    line = next(x for x in csv.read_text(encoding="utf-8").splitlines() if "1\tTunisia\t6000" in x)
    _replace(csv, line, line.replace(",6000,", ",6001,", 1))
    changes = diff(ROOT, changed)
    assert changes.to_dict("records") == [
        {
            "table": "country_estimates",
            "change": "cell changed",
            "key": TUNISIA,
            "column": "fighters",
            "old_value": "6000",
            "new_value": "6001",
            "old_text_as_printed": "1\tTunisia\t6000\t7000",
            "new_text_as_printed": "1\tTunisia\t6000\t7000",
        }
    ]


def test_rows_added_and_removed_by_primary_key(tmp_path):
    changed = copy_package(tmp_path / "new")
    csv = changed / "data" / "processed" / "country_estimates.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    tunisia = next(x for x in lines if "1\tTunisia\t6000" in x)
    moved = tunisia.replace("soufan-2015,TUN,official", "soufan-2015,TUN,reported", 1)
    csv.write_text("".join(moved if x == tunisia else x for x in lines), encoding="utf-8")
    rehash(changed)
    changes = diff(ROOT, changed)
    assert changes[["change", "key"]].values.tolist() == [
        ["row removed", TUNISIA],
        ["row added", "source_id=soufan-2015; iso3=TUN; estimate=reported"],
    ]
    assert changes["old_text_as_printed"].tolist() == ["1\tTunisia\t6000\t7000", ""]
    assert changes["new_text_as_printed"].tolist() == ["", "1\tTunisia\t6000\t7000"]


def test_a_release_archive_and_its_unpacked_folder_do_not_differ(tmp_path):
    with zipfile.ZipFile(RELEASE_010) as archive:
        archive.extractall(tmp_path)
    assert diff(RELEASE_010, tmp_path / "ffdata-data-0.1.0").empty


def test_from_release_0_1_0_to_the_current_data():
    import pandas as pd

    changes = diff(RELEASE_010, ROOT)
    estimates = changes[changes["table"] == "country_estimates"]
    now = pd.read_csv(ROOT / "data" / "processed" / "country_estimates.csv")
    with zipfile.ZipFile(RELEASE_010) as archive:
        then = pd.read_csv(archive.open("ffdata-data-0.1.0/data/processed/country_estimates.csv"))
    added, removed = (
        (estimates["change"] == "row added").sum(),
        (estimates["change"] == "row removed").sum(),
    )
    assert added - removed == len(now) - len(then) and added > 0
    assert "reference_year" in set(estimates.loc[estimates["change"] == "column removed", "column"])
    fbi = changes[changes["key"] == "figure_id=fbi-2015-foreign-fighters"]
    text = "the FBI estimated that there were 30,000 foreign fighters serving IS"
    assert fbi.drop(columns=["table", "change", "key"]).values.tolist() == [
        ["qualifier", "exact", "no_qualifier", text, text]
    ]
    summary = diff_summary(changes, "0.1.0", "0.2.0")
    assert f"- `country_estimates`: {added} rows added;" in summary
    assert "- `country_names`: table added" in summary
    # the renamed columns are paired up, not removed and added, and compared cell by cell
    renamed = changes[changes["change"] == "column renamed"]
    assert sorted(zip(renamed["table"], renamed["column"], strict=True)) == [
        ("aggregate_figures", "population -> who_is_counted"),
        ("countries", "name -> country_name"),
        ("country_estimates", "flags -> oddities"),
        ("regional_totals", "countries -> country_count"),
    ]
    added_or_removed = changes[changes["change"].isin(["column removed", "column added"])]
    pairs = set(zip(added_or_removed["table"], added_or_removed["column"], strict=True))
    for table, names in renamed.set_index("table")["column"].items():
        assert not pairs & {(table, name) for name in names.split(" -> ")}, table
    assert "column renamed: flags -> oddities" in summary
    # Soufan's Table 2 rows gained mixed_attribution, each a changed oddities cell
    odd = changes[(changes["change"] == "cell changed") & (changes["column"] == "oddities")]
    assert set(odd["new_value"]) == {"mixed_attribution"}
    assert len(odd) == (now["source_id"] == "barrett-2014-soufan-2015").sum()


def test_a_renamed_identifier_pairs_the_row_under_its_former_key(tmp_path, monkeypatch):
    changed = copy_package(tmp_path / "new")
    csv = changed / "data" / "processed" / "aggregate_figures.csv"
    _replace(csv, "\nfbi-2015-foreign-fighters,", "\nfbi-2015-fighters,")
    monkeypatch.setitem(
        renamed_ids(), "figure_id", {"fbi-2015-foreign-fighters": "fbi-2015-fighters"}
    )
    changes = diff(ROOT, changed)
    text = "the FBI estimated that there were 30,000 foreign fighters serving IS"
    assert changes.values.tolist() == [
        [
            "aggregate_figures",
            "key renamed",
            "figure_id=fbi-2015-fighters",
            "",
            "figure_id=fbi-2015-foreign-fighters",
            "figure_id=fbi-2015-fighters",
            text,
            text,
        ]
    ]
    assert "- `aggregate_figures`: 1 key renamed" in diff_summary(changes, "a", "b")
    monkeypatch.setitem(renamed_ids(), "figure_id", {})
    assert set(diff(ROOT, changed)["change"]) == {"row added", "row removed"}


def test_every_renamed_identifier_of_0_1_0_pairs_with_its_current_row():
    changes = diff(RELEASE_010, ROOT)
    keys = changes.loc[changes["change"].isin(["row removed", "row added"]), "key"]
    unpaired = {part for key in keys for part in key.split("; ")}
    renamed = {
        part
        for key in changes.loc[changes["change"] == "key renamed", "key"]
        for part in key.split("; ")
    }
    for column, names in renamed_ids().items():
        for former, current in names.items():
            assert {f"{column}={former}", f"{column}={current}"} & unpaired == set(), former
            assert f"{column}={current}" in renamed, current


def test_cli_diff_prints_the_changed_cell(tmp_path, capsys):
    changed = copy_package(tmp_path / "new")
    csv = changed / "data" / "processed" / "countries.csv"
    _replace(csv, "NLD,NL,528,Netherlands,", "NLD,NL,528,Holland,")
    assert main(["diff", str(ROOT), str(changed), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "table,change,key,column,old_value,new_value,old_text_as_printed,new_text_as_printed",
        "countries,cell changed,iso3=NLD,country_name,Netherlands,Holland,,",
    ]


def test_a_tampered_release_folder_is_refused_not_diffed(tmp_path):
    with zipfile.ZipFile(RELEASE_010) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / "ffdata-data-0.1.0"
    _replace(folder / "data" / "processed" / "countries.csv", "1328024498", "1328024499")
    with pytest.raises(ReleaseError, match="differs from the release's SHA256SUMS"):
        diff(RELEASE_010, folder)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (b"\xff\xfe not utf-8", "cannot read the CSV"),
        (b"iso3,iso2\nNLD,NL,extra\n", "not as many cells as the header"),
        (b'iso3,iso2\n"NLD,NL\n', "cannot read the CSV"),
    ],
)
def test_a_damaged_csv_is_a_clear_error(tmp_path, damage, message, capsys):
    changed = copy_package(tmp_path / "new")
    (changed / "data" / "processed" / "countries.csv").write_bytes(damage)
    rehash(changed)
    with pytest.raises(ReleaseError, match=message) as info:
        diff(ROOT, changed)
    assert "countries.csv" in info.value.document
    assert main(["diff", str(ROOT), str(changed)]) == 1
    assert "Traceback" not in capsys.readouterr().err
