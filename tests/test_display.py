"""What reaches a person: column breaks shown, nothing in the data runs in a terminal.

One convention (ffdata.display.shown): a tab is shown as ' ⇥ ', any control character
or invisible reordering character as a Python escape. The data keeps the exact text.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from support import api_frames, copy_package

import ffdata
from ffdata.cli import main
from ffdata.display import TAB_MARK, readable, shown
from ffdata.render import render

#: Clear the screen, retitle the window, a C1 CSI (colour), a right-to-left override.
HOSTILE = "1\tTunisia\x1b[2J\x1b]0;owned\x07\x9b31m\u202e\t6000\t7000"
#: Raw characters that must never reach a terminal.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\t")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1\tTunisia\t6000\t7000", "1 ⇥ Tunisia ⇥ 6000 ⇥ 7000"),
        ("a\r\nb", "a ⏎ b"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x9b2J\x00\x7f", "\\x9b2J\\x00\\x7f"),
        ("abc\u202edef\u2066", "abc\\u202edef\\u2066"),
        ("Türkiye, Côte d'Ivoire", "Türkiye, Côte d'Ivoire"),
    ],
)
def test_shown(text, expected):
    assert shown(text) == expected


@pytest.fixture(scope="module")
def hostile_package(tmp_path_factory) -> str:
    """A copy of the published package whose Tunisia row (Soufan official) holds escapes."""
    root = copy_package(tmp_path_factory.mktemp("hostile") / "package")
    file = root / "data" / "processed" / "country_estimates.parquet"
    table = pq.read_table(file)
    rows = table.to_pylist()
    for row in rows:
        if (row["iso3"], row["source_id"]) == ("TUN", "soufan-2015"):
            row["text_as_printed"] = HOSTILE
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), file)
    return str(root)


def as_terminal(monkeypatch, width: int = 100) -> None:
    """Make the (captured) stdout a terminal ``width`` columns wide; call it in the test body,
    where ``sys.stdout`` is capsys' stream."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json", None])
@pytest.mark.parametrize(
    "args",
    [
        ["show", "country_estimates", "--country", "Tunisia"],
        ["compare", "Tunisia", "--all-columns"],
    ],
)
def test_no_escape_reaches_the_terminal(hostile_package, monkeypatch, capsys, args, fmt):
    monkeypatch.setenv("FFDATA_DATA_DIR", hostile_package)
    as_terminal(monkeypatch)
    assert main([*args, *(["--format", fmt] if fmt else [])]) == 0
    out = capsys.readouterr().out
    shown_text = "Tunisia\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202e"
    if fmt == "json":  # JSON writes its own escapes of C0 controls (\\u001b)
        shown_text = "Tunisia\\u001b[2J\\u001b]0;owned\\u0007\\x9b31m\\u202e"
    assert shown_text in out
    assert not [c for c in RAW if c in out]


def test_cite_and_codebook_reach_a_terminal_shown(hostile_package, monkeypatch, capsys):
    sources = pd.read_parquet(f"{hostile_package}/data/processed/sources.parquet")
    sources.loc[sources.source_id == "soufan-2015", "title"] = "Foreign\x1b[2J Fighters"
    sources.to_parquet(f"{hostile_package}/data/processed/sources.parquet", index=False)
    monkeypatch.setenv("FFDATA_DATA_DIR", hostile_package)
    as_terminal(monkeypatch)
    for args in (["cite", "--country", "Norway"], ["codebook"]):
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "Foreign\\x1b[2J Fighters" in out and "\x1b" not in out, args


def test_a_pipe_gets_the_exact_text(hostile_package, monkeypatch, capsys):
    monkeypatch.setenv("FFDATA_DATA_DIR", hostile_package)
    assert main(["show", "country_estimates", "--country", "TUN", "--format", "json"]) == 0
    assert HOSTILE in {r["text_as_printed"] for r in json.loads(capsys.readouterr().out)}


def test_an_escape_typed_as_a_country_is_shown_in_the_error(monkeypatch, capsys):
    as_terminal(monkeypatch)
    assert main(["compare", "\x1b[2JTunisia"]) == 2
    err = capsys.readouterr().err
    assert "\\x1b[2JTunisia" in err and "\x1b" not in err


def test_compare_and_provenance_keep_the_text_and_show_the_breaks():
    uk = ffdata.compare("UK")
    soufan = uk[uk.label == "Soufan 2015"]
    assert soufan.text_as_printed.iloc[0] == "10\tU.K.\t760\t-"
    assert "10 ⇥ U.K. ⇥ 760 ⇥ -" in repr(soufan)
    assert "\\t" not in repr(soufan) and "\\t" not in soufan._repr_html_()
    tunisia = ffdata.provenance("Tunisia", source="soufan-2015", estimate="official")
    assert tunisia.text_as_printed.iloc[0] == "1\tTunisia\t6000\t7000"
    assert f"1{TAB_MARK}Tunisia{TAB_MARK}6000{TAB_MARK}7000" in tunisia.to_string()


@pytest.mark.parametrize("width", [60, 80, 120, 160, 250])
def test_cli_tables_fit_the_terminal(monkeypatch, capsys, width):
    as_terminal(monkeypatch, width)
    assert main(["compare", "UK"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= width
    text = "\n".join(lines)
    assert "United Kingdom" in text and "Soufan 2015" in text and "2014-12" in text
    assert "What each row counts:" in text and "Syria and Iraq" in text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_terminal_never_cuts_a_date_a_figure_or_a_rate(monkeypatch, capsys, width):
    """At any width, every row of ``ffdata compare`` and ``ffdata totals`` shows its date
    and its figure whole ("2011/2013-12-…" would read as another date)."""
    as_terminal(monkeypatch, width)
    for country in ["GBR", "TUN", "IRQ"]:
        assert main(["compare", country]) == 0
        out = capsys.readouterr().out
        for row in ffdata.compare(country).to_dict("records"):
            for column in ("refers_to_date", "figure"):
                if isinstance(row[column], str):
                    assert row[column] in out, (country, width, row[column])
    assert main(["totals"]) == 0
    out = capsys.readouterr().out
    for row in ffdata.totals().to_dict("records"):
        assert row["refers_to_date"] in out and row["figure"] in out, (width, row["figure"])


def shown_column(out: str, column: str) -> list[str]:
    """The cells of the last ``column`` of the first table in ``out``, as printed: the last
    word of each table row, or the value of each ``column`` line of a row-by-row listing."""
    lines = out.splitlines()
    if any(line.startswith(f"{column}  ") for line in lines):
        return [line.split()[-1] for line in lines if line.startswith(f"{column}  ")]
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return [line.split()[-1] for line in lines[start:end]]


def reads_as(shown_cell: str, place: str) -> bool:
    """Whether ``shown_cell`` is ``place`` (``document:line``) whole, or cut in the middle of
    the document only: its start, an ellipsis, its end, then ``:line`` whole."""
    document, line = place.rsplit(":", 1)
    if shown_cell == place:
        return True
    head, cut, tail = shown_cell.partition("…")
    return (
        bool(cut)
        and tail.endswith(f":{line}")
        and document.startswith(head)
        and document.endswith(tail.removesuffix(f":{line}"))
    )


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_terminal_keeps_the_line_of_every_place_printed(monkeypatch, capsys, width):
    """At any width, every ``printed_at`` cell of ``ffdata compare`` and ``ffdata totals``
    ends with ``:<its line>`` (a document id is cut in its middle, never the line), and
    ``totals`` shows every source id whole (an id cut short cannot be typed back)."""
    as_terminal(monkeypatch, width)
    for country in ["GBR", "TUN", "IRQ", "Iran"]:
        assert main(["compare", country]) == 0
        cells = shown_column(capsys.readouterr().out, "printed_at")
        places = ffdata.compare(country)["printed_at"].tolist()
        assert len(cells) == len(places), (country, width)
        for cell, place in zip(cells, places, strict=True):
            assert reads_as(cell, place), (country, width, cell, place)
    assert main(["totals"]) == 0
    out = capsys.readouterr().out
    cells = shown_column(out, "printed_at")
    rows = ffdata.totals().to_dict("records")
    assert len(cells) == len(rows), width
    for cell, row in zip(cells, rows, strict=True):
        assert reads_as(cell, f"{row['document_id']}:{row['line']}"), (width, cell)
        assert re.search(rf"(^|\s){re.escape(row['source_id'])}(\s|$)", out, re.M), width


def test_a_cut_never_makes_two_cells_read_the_same():
    frame = pd.DataFrame(
        {
            "source": ["us-intelligence-2015", "us-intelligence-2016", "un-2014"],
            "printed_at": ["niu-2018-foreigners-in-is:5", "niu-2018-excerpt-in-is:5", "a:1"],
        }
    )
    lines = render(frame, "table", width=40, places=("printed_at",)).splitlines()[2:]
    assert len(set(lines)) == 3 and max(map(len, lines)) <= 40
    assert all(line.endswith((":5", ":1")) for line in lines)
    assert "us-intelligence-2015" in lines[0] and "us-intelligence-2016" in lines[1]


def test_a_wide_table_cuts_text_not_numbers_or_dates(on_the_fixture):
    frame = ffdata.compare("UK")[["country_name", "producer", "published_date", "fighters", "line"]]
    lines = render(frame, "table", width=70).splitlines()
    assert max(map(len, lines)) <= 70
    icsr = next(line for line in lines if "2015-01-26" in line)
    assert "…" in icsr and icsr.split()[-1] == "8"
    assert render(frame, "table").splitlines()[2].startswith("United Kingdom  International Centre")


def test_compare_and_provenance_frames_pickle_and_load_in_a_fresh_process(tmp_path):
    """A user's ``frame.to_pickle`` (or joblib, multiprocessing) keeps the exact values,
    and a new Python process loads the file back."""
    for frame in (ffdata.compare("UK"), ffdata.provenance(figure="un-2014-foreign-fighters")):
        file = tmp_path / "frame.pkl"
        frame.to_pickle(file)
        code = (
            "import pandas as pd, sys; f = pd.read_pickle(sys.argv[1]); "
            "print(type(f).__name__, f['text_as_printed'].tolist())"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(file)], capture_output=True, text=True, check=True
        ).stdout
        assert out == f"ReadableFrame {frame['text_as_printed'].tolist()}\n"
        assert pd.read_pickle(file).equals(frame)


def test_display_frames_show_missing_text_as_na_as_load_does():
    """Every text column of a display frame is pandas ``string``: a missing text is
    ``<NA>`` (as in load()), never ``None`` (an object or all-missing column) or ``NaN``
    (pandas' ``str``), in its values and in what it prints."""
    missing_shown = 0
    for call, frame in api_frames().items():
        for column in frame.columns:
            dtype = frame[column].dtype
            if pd.api.types.is_numeric_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
                continue
            assert dtype == pd.StringDtype() and dtype.na_value is pd.NA, f"{call}: {column}"
            values = frame[column]
            shown_column = frame[[column]].to_string()
            assert "None" not in shown_column and "NaN" not in shown_column, f"{call}: {column}"
            missing_shown += bool(values.isna().any()) and "<NA>" in shown_column
    assert missing_shown > 0  # some text was missing, and shown as <NA>


def test_a_text_column_with_no_value_at_all_shows_na_not_none():
    """An all-missing column (object dtype: pandas cannot tell it is text) is text too."""
    frame = readable(pd.DataFrame({"note": [None, None], "fighters": [1, 2]}))
    assert isinstance(frame["note"].dtype, pd.StringDtype)
    assert "<NA>" in repr(frame) and "None" not in repr(frame)
