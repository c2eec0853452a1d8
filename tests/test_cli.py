"""The ffdata command line: formats that parse back, exit codes, help on every command.

Exact outputs are those of the fixture package (tests/fixture/raw/), which never changes
with the live data."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from support import ROOT

import ffdata
from ffdata.cli import main
from ffdata.lookup import find_sources

EXE = str(Path(sys.executable).with_name("ffdata"))
COMMANDS = ["build", "validate", "list", "show", "compare", "cite", "codebook"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: ffdata {command}")


def test_no_command_prints_help_and_exits_2():
    result = run()
    assert result.returncode == 2 and "usage: ffdata" in result.stderr


def test_show_csv_parses_back(capsys):
    assert main(["show", "country_estimates", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, na_values=[""])
    assert len(frame) == len(ffdata.load("country_estimates"))
    tun = frame[(frame.iso3 == "TUN") & (frame.estimate == "official")].iloc[0]
    assert (tun.fighters, tun.text_as_printed) == (6000, "1\tTunisia\t6000\t7000")


def test_show_json_and_csv_filter_and_pick_columns(on_the_fixture, capsys):
    args = "show country_estimates --country Norway --source soufan-2015 --format json"
    assert main(args.split()) == 0
    records = json.loads(capsys.readouterr().out)
    assert {(r["estimate"], r["fighters"]) for r in records} == {
        ("official", 81),
        ("unofficial", 60),
    }
    assert all(r["oddities"] == "unofficial_below_official" for r in records)
    assert records[0]["rank_as_printed"] == 6
    args = "show country_estimates --source iep-gti-2015 --columns iso3,fighters --format csv"
    assert main(args.split()) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(frame.columns) == ["iso3", "fighters"]
    assert frame.values.tolist() == [["FRA", 2000], ["GBR", 600], ["TUN", 5000]]


@pytest.mark.parametrize("fmt", [None, "csv", "json"])
def test_show_says_on_stderr_when_no_row_matches(monkeypatch, capsys, fmt):
    """A filter that matches no row says so on stderr, naming what was asked as read; stdout
    is what the format prints for no rows (a CSV header alone, an empty JSON list)."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: fmt is None)
    args = ["show", "country_estimates", "--country", "UK", "--source", "Barrett"]
    assert main([*args, *(["--format", fmt] if fmt else [])]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("no row of country_estimates matches --country UK (GBR)"), err
    assert "--source Barrett (" in err and len(err.splitlines()) == 1
    assert all(source_id in err for source_id in find_sources("Barrett"))
    if fmt == "csv":
        assert out.splitlines() == [",".join(ffdata.load("country_estimates").columns)]
    if fmt == "json":
        assert json.loads(out) == []
    assert main(["show", "country_estimates", "--country", "UK", "--format", "csv"]) == 0
    assert capsys.readouterr().err == ""


def test_pipe_defaults_to_csv_and_table_is_aligned(on_the_fixture):
    piped = run("compare", "UK")
    assert piped.returncode == 0
    assert piped.stdout.splitlines()[0].startswith(
        "row_kind,label,universe,estimate,refers_to_date,"
    )
    table = run("compare", "UK", "--format", "table").stdout.splitlines()
    assert table[:7] == [
        "United Kingdom (GBR): 3 estimates, 0 aggregate figures; every source with country "
        "estimates lists it",
        "",
        "label          kind      refers_to  figure   per_million  printed_at",
        "-------------  --------  ---------  -------  -----------  ----------------------------",
        "ICSR Jan 2015  reported  2014-12    500-600  7.74-9.29    icsr-foreign-fighters-copy:8",
        "IEP 2015       reported  2015       600      9.22         niu-2018-excerpt:5",
        "Soufan 2015    official  2015       760      11.68        niu-2018-excerpt:12",
    ]
    assert table[8:] == [
        "What each row counts:",
        "  ICSR Jan 2015: Sunni militant groups in Syria and Iraq, cumulative",
        "  IEP 2015: IS only in Syria and Iraq, cumulative, lists 500 or more",
        "  Soufan 2015: IS and other groups in Syria and Iraq, cumulative",
    ]


def test_markdown(on_the_fixture, capsys):
    assert main(["show", "sources", "--columns", "source_id,footnote", "--format", "markdown"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "| source_id | footnote |" and out[1] == "| --- | --- |"
    assert len(out) == 2 + len(ffdata.load("sources"))  # every source, one row each
    assert "| soufan-2015 | 17 |" in out and "| un-2014 |  |" in out


def test_compare_json_is_the_compare_frame(capsys):
    assert main(["compare", "UK", "--format", "json"]) == 0
    records, frame = json.loads(capsys.readouterr().out), ffdata.compare("UK")
    assert len(records) == len(frame) > 0 and len(records[0]) > 5
    assert list(records[0]) == [c for c in frame.columns if c in records[0]]
    for column in records[0]:
        published = frame[column].astype(object).where(frame[column].notna(), None)
        assert [r[column] for r in records] == published.tolist(), column


def test_totals_in_date_order(on_the_fixture, capsys):
    assert main(["totals", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    dated = [(r["series"], r["refers_to_date"], r["figure"]) for r in records]
    assert dated == [("serving", "2014-09", "more than 15,000"), ("serving", "2015-09", "30,000")]
    columns = "series refers_to_date figure groups_counted place_counted count_kind producer"
    assert list(records[0]) == [*columns.split(), "document_id", "line", "oddities"]


def test_show_a_country_without_estimates_in_the_tables_that_have_it(on_the_fixture, capsys):
    """Syria has no estimate, but a figure about it in aggregate_figures (where the
    refusal of `compare Syria` points): `show aggregate_figures --country Syria` lists it."""
    args = ["show", "aggregate_figures", "--country", "Syria", "--format", "csv"]
    assert main([*args, "--columns", "figure_id,iso3,source_id"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "reuters-share-syrians-among-fighters-in-syria,SYR,reuters-data"
    ]
    assert main(["show", "countries", "--country", "Syria", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "SYR,SY,760,Syria,Asia,Western Asia,,19424618"
    ]
    assert main(["show", "country_estimates", "--country", "Syria"]) == 2
    assert "aggregate_figures has 1 figure about it" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["show", "nope"],
        ["show", "countries", "--country", "Narnia"],
        ["show", "country_estimates", "--source", "Sufan"],
        ["compare", "Tunsia"],
        ["show", "country_estimates", "--columns", "fighter"],
    ],
)
def test_unknown_names_exit_2_with_one_message(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown") and "Traceback" not in err


def test_list_and_cite(capsys):
    assert main(["list", "--format", "csv"]) == 0
    listing = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("table")
    assert listing.loc["country_estimates", "rows"] == len(ffdata.load("country_estimates"))
    assert main(["cite", "--format", "bibtex"]) == 0
    assert "@misc{soufan_2015," in capsys.readouterr().out


def test_codebook_is_current():
    from ffdata.codebook import codebook_markdown

    committed = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == codebook_markdown(), "docs/codebook.md is stale: run `make data`"
    for table in ("country_estimates", "regional_totals", "aggregate_figures"):
        assert f"## `{table}`" in committed
    assert "XKX" in committed


def test_version_names_the_package_the_distribution_and_the_data_read(
    tmp_path, monkeypatch, capsys
):
    """`ffdata --version` says which data the commands read: the version its own
    datapackage.json records, and where it is."""
    (tmp_path / "datapackage.json").write_text('{"version": "9.9.9"}', encoding="utf-8")
    monkeypatch.setenv("FFDATA_DATA_DIR", str(tmp_path))
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (
        f"ffdata {ffdata.__version__} (installed as foreign-fighters-data); "
        f"data 9.9.9 ({tmp_path / 'datapackage.json'})"
    )
    (tmp_path / "datapackage.json").write_text("[", encoding="utf-8")
    assert main(["--version"]) == 0
    assert "data not readable" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_compare_names_each_rows_source_and_document_in_every_format(fmt, capsys):
    """`ffdata compare UK`: every row shows its source's short label and its document:line."""
    assert main(["compare", "UK", "--format", fmt]) == 0
    out = capsys.readouterr().out
    frame = ffdata.compare("UK")
    assert len(frame) >= 4
    lines = out.splitlines()
    for row in frame.to_dict("records"):
        where = f"{row['document_id']}:{int(row['line'])}"
        assert row["printed_at"] == where
        shown = [line for line in lines if where in line]  # a row is a line, but in JSON
        assert shown and (fmt == "json" or all(row["label"] in line for line in shown)), where
    if fmt == "json":
        records = json.loads(out)
        assert [r["label"] for r in records] == frame["label"].tolist()
        assert [r["printed_at"] for r in records] == frame["printed_at"].tolist()
