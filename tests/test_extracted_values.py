"""Every published figure against its document line, every declared source in every table,
and the build against what a reviewer signed off (tests/expected.json, `make expected`).

Nothing here counts today's rows: adding a source changes tests/expected.json, no test.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import tomllib

import pandas as pd
import pytest
from support import RAW, ROOT, line_of

from expectations import EXPECTED, MAKE, current, render
from ffdata.builder.extract.numbers import parse_figure_number
from ffdata.hashes import sha256_of
from ffdata.tables import METRICS, QUALIFIERS, UNITS


def test_the_build_publishes_what_a_reviewer_signed_off(result):
    """The fixture's and the live data's build, line by line, against tests/expected.json."""
    file = ROOT / EXPECTED
    got = render(current(ROOT, result)).splitlines()
    signed = file.read_text(encoding="utf-8").splitlines() if file.is_file() else []
    diff = list(difflib.unified_diff(signed, got, str(EXPECTED), "the build", lineterm="", n=1))
    if diff:
        pytest.fail(
            f"the build differs from {file}; if the change is reviewed, run `{MAKE}` and "
            "commit the file with it:\n" + "\n".join(diff[:60]),
            pytrace=False,
        )


def printed_numbers(text: str, file: str) -> set[int]:
    """The whole numbers printed in ``text``: a data file's cells, or a text's numbers
    (``5,000`` is 5000; ``600`` is not part of ``6000``)."""
    cells = text.split(",") if file.endswith(".csv") else re.findall(r"\d[\d,]*\d|\d", text)
    return {int(c.replace(",", "")) for c in cells if re.fullmatch(r"\d[\d,]*", c.strip())}


@pytest.fixture(scope="module")
def files(tables) -> dict[str, str]:
    documents = tables["documents"]
    return dict(zip(documents.document_id, documents.file, strict=True))


def test_every_country_figure_is_printed_on_its_line(tables, files):
    for row in tables["country_estimates"].itertuples():
        file = files[row.document_id]
        where = f"{row.source_id} {row.iso3} {row.estimate} ({file}:{row.line})"
        assert row.text_as_printed in line_of(row.line, file), where
        shown = [v for v in (row.fighters, row.fighters_low, row.fighters_high) if pd.notna(v)]
        assert set(shown) <= printed_numbers(row.text_as_printed, file), where
        assert shown or "listed_without_figure" in row.oddities, where


def test_every_aggregate_figure_is_its_reviewed_number_as_printed(tables, files):
    """The quote's number (figures.toml) is on the published line and parses to the value;
    the figure's source is cited in its document; its words are of the vocabularies."""
    entries = tomllib.loads((RAW / "figures.toml").read_text(encoding="utf-8"))["figures"]
    figures = tables["aggregate_figures"].set_index("figure_id")
    sources = tables["sources"].set_index("source_id")
    assert sorted(figures.index) == sorted(e["figure_id"] for e in entries)
    for entry in entries:
        row = figures.loc[entry["figure_id"]]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row.name)
        assert sources.loc[row.source_id].document_id == row.document_id, row.name
        assert row.producer.strip() and row.refers_to.strip() and row.who_is_counted.strip()
        assert row.metric in METRICS and row.unit in UNITS and row.qualifier in QUALIFIERS
        assert pd.notna(row.value) or row.qualifier in (
            "range",
            "approximate_range",
            "unquantified",
        ), row.name
        assert row.text_as_printed in line_of(row.line, files[row.document_id]), row.name
        assert entry["number"] in row.text_as_printed, row.name
        parsed = parse_figure_number(entry["number"], document="", line=0)
        scale = 100 if parsed.kind == "ratio" else 1  # a share is published in percent
        for got, want in zip((row.value, row.value_low, row.value_high), parsed[:3], strict=True):
            assert pd.isna(got) if want is None else math.isclose(got, want * scale), row.name


def test_every_source_is_cited_on_its_line(tables):
    """A text's source on its footnote's or attribution's line; a data file's in the line of
    its provenance file."""
    documents = tables["documents"].set_index("document_id")
    for row in tables["sources"].itertuples():
        document = documents.loc[row.document_id]
        file = document.provenance_file if pd.notna(document.provenance_file) else document.file
        assert row.citation_as_printed in line_of(row.line, file), row.source_id


def declared() -> list[dict]:
    return tomllib.loads((RAW / "sources.toml").read_text(encoding="utf-8"))["sources"]


def test_every_source_title_date_and_url_is_printed_where_declared(tables):
    """A published title, date_as_printed or url is printed on the citation's line, on its
    continuation's after a page break (a URL split there read across it), or on the line the
    declaration gives as printed_at: none comes from anywhere else."""
    documents = tables["documents"].set_index("document_id")
    entries = {e["source_id"]: e for e in declared()}
    words = " ".join
    for row in tables["sources"].itertuples():
        document, entry = documents.loc[row.document_id], entries[row.source_id]
        file = document.provenance_file if pd.notna(document.provenance_file) else document.file
        cited = line_of(row.line, file)
        if file != document.file:  # a provenance file's list item, over its lines
            item = (RAW / file).read_text(encoding="utf-8").splitlines()[row.line - 1 :]
            ends = [n for n, t in enumerate(item) if n and (not t.strip() or "- " in t[:6])]
            cited = " ".join(item[: ends[0] if ends else None])
        places = [words(cited.split())]
        if entry.get("continuation"):
            after = (RAW / file).read_text(encoding="utf-8").splitlines()[row.line :]
            rest = next(text for text in after if entry["continuation"] in text)
            places += [words(rest.split()), cited.strip().removesuffix(">") + rest.strip()]
        if "printed_at" in entry:
            places.append(words(line_of(entry["printed_at"], file).split()))
        for key in ("title", "date_as_printed", "url"):
            value = getattr(row, key)
            if pd.notna(value) and value:
                assert any(words(value.split()) in text for text in places), (row.source_id, key)


def test_every_declared_source_is_in_every_table_it_belongs_to(tables, files):
    sources = tables["sources"].set_index("source_id")
    assert sorted(sources.index) == sorted(s["source_id"] for s in declared())
    estimates, totals = tables["country_estimates"], tables["regional_totals"]
    for source in declared():
        row = sources.loc[source["source_id"]]
        assert files[row.document_id] == source["cited_in"], source["source_id"]
        if "country_estimates" not in source:
            assert source["source_id"] not in set(estimates.source_id)
            continue
        declaration = source["country_estimates"]
        assert row.label == declaration["label"]
        mine = estimates[estimates.source_id == source["source_id"]]
        assert set(mine.estimate) == set(declaration["estimates"]), source["source_id"]
        assert set(totals[totals.source_id == source["source_id"]].estimate) == set(mine.estimate)
    countries = set(tables["countries"].iso3)
    assert countries == set(estimates.iso3) | set(tables["aggregate_figures"].iso3.dropna())


def test_rows_per_source_are_the_rows_its_extractor_reads(tables):
    """One published row per figure extracted, and a data file's rows as its layout selects."""
    from ffdata.builder.pipeline import run_stages

    rows = run_stages(RAW, until="extract").rows
    extracted = {(r.source_id, r.estimate, r.line, r.name_as_printed) for r in rows}
    published = tables["country_estimates"]
    columns = ["source_id", "estimate", "line", "name_as_printed"]
    assert sorted(published[columns].itertuples(index=False, name=None)) == sorted(extracted)
    for source in declared():
        layout = source.get("country_estimates", {}).get("layout", {})
        if "select_column" in layout:
            with (RAW / source["cited_in"]).open(encoding="utf-8", newline="") as handle:
                cells = [r[layout["select_column"]] for r in csv.DictReader(handle)]
            selected = cells.count(layout["select_value"])
            assert (published.source_id == source["source_id"]).sum() == selected


def test_flags_exactly_where_unofficial_is_below_official(tables):
    ce = tables["country_estimates"]
    both = ce.pivot_table(
        index=["source_id", "iso3"], columns="estimate", values="fighters", observed=True
    ).dropna(subset=["official", "unofficial"])
    below = set(both[both.unofficial < both.official].index)
    flagged = ce[ce.oddities.fillna("").str.contains("unofficial_below_official")]
    assert set(zip(flagged.source_id, flagged.iso3, strict=True)) == below


def editor_lines(data: bytes) -> int:
    """The lines an editor shows: one per line break, and one more for a last line that
    has no line break (an empty file shows one empty line)."""
    text = data.decode("utf-8")
    return len(re.findall(r"\r\n|\r|\n", text)) + (not text.endswith(("\n", "\r")))


def test_documents_table_matches_raw_files(tables):
    for doc in tables["documents"].itertuples():
        data = (RAW / doc.file).read_bytes()
        assert (sha256_of(data), len(data)) == (doc.sha256, doc.size_bytes)
        assert doc.lines == editor_lines(data), doc.file


def test_every_published_line_is_a_line_of_its_document(tables):
    """Line numbers run 1..documents.lines: no figure points past the last line."""
    lines = tables["documents"].set_index("document_id")["lines"]
    for name in ("country_estimates", "aggregate_figures"):
        rows = tables[name]
        assert (rows.line >= 1).all() and (rows.line <= rows.document_id.map(lines)).all()


@pytest.mark.parametrize(
    ("source", "estimate", "column", "value", "printed"),
    [
        ("soufan-2015", "official", "fighters", 600, False),  # 600 is not in 6000
        ("soufan-2015", "official", "fighters", 7000, True),  # the unofficial figure's line
        ("iep-gti-2015", "reported", "fighters", 500, False),
        ("icsr-2015-01", "reported", "fighters_low", 1500, True),  # tunisia,TUN,...,1500,3000
        ("icsr-2015-01", "reported", "fighters_high", 3001, False),
        ("icsr-2015-01", "reported", "fighters_low", 150, False),  # part of 1500
        # the copy's midpoint is a cell of the row, so provenance alone cannot refuse it;
        # that the extractor never publishes it is tested in test_icsr.py
        ("icsr-2015-01", "reported", "fighters_high", 2250, True),
    ],
)
def test_provenance_finds_a_figure_as_a_whole_number_or_cell(
    fixture_result, source, estimate, column, value, printed
):
    """Tunisia's rows of the fixture, changed: a figure must be printed on its line as a
    whole number (a data file's: one of its row's cells, whole)."""
    from ffdata.builder.publish.validate import check_provenance
    from ffdata.errors import ValidationError

    tables = {name: frame.copy() for name, frame in fixture_result.tables.items()}
    frame = tables["country_estimates"]
    rows = frame[(frame.iso3 == "TUN") & (frame.estimate == estimate) & (frame.source_id == source)]
    frame.loc[rows.index[0], column] = value
    if printed:
        check_provenance(tables, fixture_result.documents)
    else:
        with pytest.raises(ValidationError, match=f"{column} {value} is not printed"):
            check_provenance(tables, fixture_result.documents)
