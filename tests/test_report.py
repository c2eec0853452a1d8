"""The report page (`make report`): deterministic, self-contained, and checked in headless
Chromium over the DevTools Protocol (skipped without it unless FFDATA_REQUIRE_BROWSER=1, as
`.ci/run` sets). Screenshots also go to ``$FFDATA_SCREENSHOT_DIR``."""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from support import ROOT as DATA_ROOT

import ffdata
from ffdata.builder.tools.report import build_report

ROOT = Path(__file__).resolve().parents[1]
CHARTS = 7
#: chart id -> the id of the same chart laid out for a phone (the page shows one of the two)
FOR_PHONES = {"chart-over-time": "chart-over-time-narrow"}
#: The least scale (shown size / drawn size) of a chart's text in the browser, phones included.
#: The charts are drawn in points, at 11 points (tick labels) down to 8 (the smallest label):
#: at 0.9 these show at 9.9 and 7.2 CSS pixels or more, about the least a phone's text can
#: be and stay legible. Drawn 4.6 to 5 inches wide they show at 0.95-1.04 in a phone's 375
#: px; the 9.2-inch chart across the page showed at 0.52 before it had a layout for phones.
SHOWN = 0.9
DASH = "\u2013"
BROWSER_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --mute-audio"
    " --disable-background-networking --disable-component-update --disable-sync"
    " --disable-default-apps --disable-extensions --hide-scrollbars --remote-debugging-port=0"
    " about:blank"  # the page it opens first
)
#: Belt and braces: even a request the test would flag cannot resolve a host name.
NO_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
VIEWPORTS = {"narrow": (375, 812, True), "wide": (1280, 900, False)}  # a phone, a desktop
#: chart id -> the matplotlib figure the report drew it from
DRAWN: dict[str, object] = {}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ffdata.builder.tools.report import charts

    out = tmp_path_factory.mktemp("report")
    to_svg = charts.to_svg

    def kept(fig, chart_id, *args, **kwargs):  # the figures, to measure their layout
        DRAWN[chart_id] = fig
        return to_svg(fig, chart_id, *args, **kwargs)

    charts.to_svg = kept
    try:
        build_report(out)
    finally:
        charts.to_svg = to_svg
    return out


@pytest.fixture(scope="module")
def page(report_dir: Path) -> str:
    return (report_dir / "index.html").read_text(encoding="utf-8")


def test_page_is_self_contained_and_accessible(page: str) -> None:
    # Nothing is loaded from elsewhere: no external script, stylesheet, font, image or frame.
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=\"(?!data:|#)", page)
    assert not re.search(r"@import|url\((?!#)", page)
    assert "default-src 'none'" in page
    svgs = re.findall(r"<svg[^>]*>\s*<title[^>]*>([^<]+)</title>\s*<desc[^>]*>([^<]+)</desc>", page)
    assert len(svgs) == page.count("<svg") == page.count('role="img"') == CHARTS + len(FOR_PHONES)
    assert all(len(title) > 10 and len(desc) > 40 for title, desc in svgs)
    assert page.count("<figcaption>Source") == CHARTS
    assert len(set(re.findall(r'\bid="([^"]+)"', page))) == len(re.findall(r'\bid="', page))
    for label in ("Foreign fighters (people)", "per million inhabitants", "UN region"):
        assert label in page
    assert '<th scope="col" class="num"><button type="button">Fighters</button>' in page
    assert '<th scope="row">Tunisia</th>' in page


def test_page_shows_the_published_numbers(page: str) -> None:
    """Every single figure of country_estimates is in the table, displayed as its sort value;
    every range as its two ends "low-high" (sorting by its high end)."""
    cells = re.findall(r'<td class="num" data-sort="(\d+)">([\d,]+)<', page)
    assert all(int(shown.replace(",", "")) == int(value) for value, shown in cells)
    shown = sorted(int(value) for value, _ in cells)
    estimates = ffdata.load("country_estimates")
    published = sorted(int(v) for v in estimates["fighters"].dropna())
    assert all(shown.count(v) >= published.count(v) for v in set(published))
    ranges = re.findall(r'<td class="num range" data-sort="(\d+)">([\d,]+)\u2013([\d,]+)<', page)
    shown_ranges = [(int(lo.replace(",", "")), int(hi.replace(",", ""))) for _, lo, hi in ranges]
    assert all(int(key) == hi for (key, _, _), (_, hi) in zip(ranges, shown_ranges, strict=True))
    printed = estimates.dropna(subset=["fighters_low"])
    expected = list(zip(printed["fighters_low"], printed["fighters_high"], strict=True))
    assert all(shown_ranges.count(r) >= expected.count(r) for r in set(expected))


def figure_rows(page: str, country: str) -> dict[str, tuple[str, str]]:
    """{source label (and kind): (Fighters cell text, Flags cell HTML)} of a country's rows."""
    table = page[page.index('<table id="figures-table"') :]
    table = table[: table.index("</table>")]
    heads = re.findall(r'<th scope="col"[^>]*>(?:<button[^>]*>)?([^<]+)<', table)
    out = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.DOTALL):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL)
        if cells and cells[0] == country:
            key = cells[1] + ("" if cells[2] == "reported" else f" {cells[2]}")
            out[key] = (cells[heads.index("Fighters")], cells[heads.index("Flags")])
    return out


def test_ranges_and_odd_rows_are_shown_as_printed_with_their_flags(page: str) -> None:
    from ffdata.tables import FLAG_MEANINGS

    uk = {k: v[0] for k, v in figure_rows(page, "United Kingdom").items()}
    assert uk.items() >= {"ICSR Dec 2013": f"43{DASH}366", "ICSR Jan 2015": f"500{DASH}600"}.items()
    assert uk.items() >= {"IEP 2015": "600", "Soufan 2015 official": "760"}.items()
    qatar = figure_rows(page, "Qatar")["ICSR Dec 2013"]
    assert qatar[0] == f"15{DASH}14" and ">low_above_high</span>" in qatar[1]
    iraq = figure_rows(page, "Iraq")["ICSR Jan 2015"]
    assert iraq[0] == "listed, no figure" and ">listed_without_figure</span>" in iraq[1]
    for flag, meaning in FLAG_MEANINGS.items():  # every flag explained, in the list and badges
        assert f"<dt><code>{flag}</code>" in page and f"<dd>{escape(meaning)}</dd>" in page
    flags = ("low_above_high", "listed_without_figure", "code_not_iso3", "copy_mean_not_midpoint")
    for flag in (*flags, "mixed_attribution"):
        assert f'<span class="flag" title="{escape(FLAG_MEANINGS[flag])}">{flag}</span>' in page
    assert '<code class="printed">1 ⇥ Tunisia ⇥ 6000 ⇥ 7000</code>' in page
    assert "\t" not in page.split("<body>")[1]  # a tab, the column break, shown as ⇥


def visible_text(page: str, drop: str = r"<style>.*?</style>|<script[^>]*>.*?</script>") -> str:
    """The page's text as a reader sees it (chart texts and descriptions), ``drop`` left out."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(drop, " ", page, flags=re.DOTALL)))


PRINTED = r'<style>.*?</style>|<script[^>]*>.*?</script>|<code class="printed">.*?</code>'


def test_no_range_is_shown_as_its_midpoint(page: str) -> None:
    """A range's midpoint appears nowhere a reader looks, unless it is itself a number some
    source prints; and no range's row or chart entry shows it. Left out: the source lines
    quoted as printed (the ICSR copy's lines hold its own icsr.mean column) and ratios ("x19.5")."""
    tables = (ffdata.load("country_estimates"), ffdata.load("regional_totals"))
    printed: set[float] = set()
    midpoints: set[float] = set()
    for table in tables:
        for column in [c for c in table.columns if c.startswith("fighters")]:
            printed |= {round(float(v), 2) for v in table[column].dropna()}
        for t in ("", "_per_million"):
            halves = (table[f"fighters_low{t}"] + table[f"fighters_high{t}"]) / 2
            midpoints |= {round(float(m), 2) for m in halves.dropna()}
    # midpoints ending in .5 cannot be a count, a line number or a year printed on the page
    hidden = {m for m in midpoints if m not in printed and m % 1 == 0.5}
    assert 204.5 in hidden and 550.0 in midpoints  # the UK's, December 2013 and January 2015
    numbers = re.findall(  # a file's size ("17.5 kB") is not a figure
        r"(?<![\dx.,])\d[\d,]*(?:\.\d+)?(?![\d.]*\s*kB)", visible_text(page, PRINTED)
    )
    assert {round(float(n.replace(",", "")), 2) for n in numbers} & hidden == set()
    # 550 is also a printed figure, so where the UK's ranges are shown it must not be
    uk = figure_rows(page, "United Kingdom")
    assert "204" not in uk["ICSR Dec 2013"][0] and "550" not in uk["ICSR Jan 2015"][0]
    descriptions = html.unescape(" ".join(re.findall(r"<desc[^>]*>([^<]+)</desc>", page)))
    for entry in re.findall(r"United Kingdom: [^.]*", descriptions):
        assert "550" not in entry and "204" not in entry, entry


def test_no_missing_value_is_shown_as_a_placeholder(page: str) -> None:
    """A missing title, date or figure shows as empty or a dash, never as pandas prints it."""
    text = visible_text(page, PRINTED)
    assert re.findall(r"<NA>|\b(?:nan|NaN|NaT)\b", text) == []
    assert "(document icsr-foreign-fighters-copy)" in text  # an untitled document is cited


def test_the_widest_gap_compares_like_with_like(page: str) -> None:
    """The headline gap: the largest single figure or low end over the smallest single figure
    or high end of a country's estimates (never one range's low end against another source's
    figure), and the country where it is widest."""
    rows = ffdata.load("country_estimates")
    rows = rows.assign(
        low=rows.fighters.fillna(rows[["fighters_low", "fighters_high"]].min(axis=1)),
        high=rows.fighters.fillna(rows[["fighters_low", "fighters_high"]].max(axis=1)),
    ).dropna(subset=["low"])
    rows = rows.assign(series=rows.source_id.astype(str) + rows.estimate.astype(str))
    per = rows.groupby("iso3").agg(
        top=("low", "max"), bottom=("high", "min"), n=("series", "nunique")
    )
    per = per[per.n >= 2]
    gap = (per.top / per.bottom).sort_values(ascending=False)
    said = re.search(
        r"For ([^<]+?) the estimates stay a factor of ([\d.]+) apart \(([\d,]+) against ([\d,]+)\)",
        visible_text(page),
    )
    assert said, "no headline gap"
    top, bottom = (int(x.replace(",", "")) for x in said.group(3, 4))
    assert (top, bottom) == (per.top[gap.index[0]], per.bottom[gap.index[0]])
    assert float(said.group(2)) == round(gap.iloc[0], 1)
    assert said.group(1) == ffdata.load("countries").set_index("iso3").country_name[gap.index[0]]


def test_sources_are_named_by_their_labels_and_what_each_counts(page: str) -> None:
    from ffdata.api import source_universe
    from ffdata.builder.tools.report.page import _jsonld_script

    text = visible_text(page)
    # a document's id is shown where the page cites it, and may equal its source's id
    ids = set(ffdata.load("sources").source_id) - set(ffdata.load("documents").document_id)
    assert [i for i in sorted(ids) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)] == []
    assert "United Nations, September 2014" in text and "Soufan 2015" in text
    assert _jsonld_script({"n": "</script>"}).count("</script>") == 1  # no text closes it
    captions = " ".join(re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.DOTALL))
    sources = ffdata.load("sources").dropna(subset=["label"])
    for source in sources.to_dict("records"):
        label, counts, universe = source["label"], source["what_it_counts"], source_universe(source)
        assert universe, label  # each source's universe, in words, beside its figures
        shown = f"<strong>{escape(label)}</strong> ({escape(universe)}): "
        assert shown + escape(counts.rstrip(".")) in captions
        assert f"Counts: {escape(universe)}." in page  # and in the list of sources


def chart_description(page: str, chart_id: str) -> str:
    found = re.search(rf'<svg[^>]*id="{chart_id}".*?<desc[^>]*>([^<]+)</desc>', page, re.DOTALL)
    return html.unescape(found.group(1))


def test_the_page_opens_with_the_totals_then_each_country_across_dates(page: str) -> None:
    from ffdata.api import SERIES
    from ffdata.builder.tools.report.data import date_text

    sections = re.findall(r'<section id="([^"]+)"', page)
    assert sections[:4] == ["headline", "totals", "over-time", "soufan"]
    desc = chart_description(page, "chart-over-time")
    uk = desc[desc.index("United Kingdom: ") :].split(". ")[0]
    for estimate in (f"ICSR Dec 2013 (2011 to 10 Dec 2013) 43{DASH}366", "IEP 2015 (2015) 600"):
        assert estimate in uk
    panels = re.search(r"one panel per country \(the (\d+) with the most estimates", desc)
    assert panels and len(re.findall(r"\. ([^.:]+): ", desc)) == int(panels.group(1))
    # every dated total of ffdata.totals(), in date order, as the text qualifies it
    shown = chart_description(page, "chart-totals").split("vertical interval. ", 1)[1]
    totals = ffdata.totals().dropna(subset=["refers_to_date"])
    totals = totals[totals.value.notna() | totals.value_high.notna()]  # a number to draw
    places = [
        shown.index(f"{date_text(d)}: {p}, ")
        for d, p in zip(totals["refers_to_date"], totals["producer"], strict=True)
    ]
    assert places == sorted(places)  # in the order of totals(): the stocks first
    assert list(totals.series) == sorted(totals.series, key=SERIES.index)
    assert "Sep 2014: United Nations, more than 15,000 people (IS only, place not stated" in shown
    assert "about 700\u2013" in shown or "about 700-1,400" in shown  # "about" before a range


def test_rates_and_regional_totals(page: str) -> None:
    assert "ICSR Dec 2013: 2013; ICSR Jan 2015: 2014" in page  # each estimate's own population year
    assert f'<td class="num range" data-sort="2264">991{DASH}2,264</td>' in page
    assert f"ICSR Dec 2013: Africa 991{DASH}2,264 (8 countries)" in html.unescape(page)


def test_every_label_is_inside_its_chart_and_no_axes_overlap(page: str) -> None:
    """What matplotlib draws (tick labels, axis labels, titles, texts, legends) lies inside
    the figure, that is inside the SVG's viewBox; the decorations of two axes, and an axes
    and the title or a legend of the figure, do not overlap."""
    assert len(DRAWN) == CHARTS + len(FOR_PHONES)
    for chart_id, fig in DRAWN.items():
        fig.draw_without_rendering()  # the layout the SVG was drawn with
        width, height = (float(v) for v in fig.get_size_inches())
        view_box = re.search(rf'id="{chart_id}" class="chart-svg[^"]*" viewBox="([^"]+)"', page)
        assert view_box and view_box.group(1) == f"0 0 {width * 72:g} {height * 72:g}", chart_id
        drawn = fig.get_tightbbox()  # inches
        assert drawn.x0 >= 0 and drawn.x1 <= width and drawn.y0 >= 0 and drawn.y1 <= height
        boxes = [ax.get_tightbbox() for ax in fig.axes if ax.get_visible()]
        bands = [a.get_window_extent() for a in (*fig.texts, *fig.legends) if a.get_visible()]
        assert bands, chart_id  # the title, and a legend below the axes where there is one
        pairs = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]]
        for one, other in [*pairs, *((band, box) for band in bands for box in boxes)]:
            assert not one.overlaps(other), (chart_id, one, other)


def test_no_two_labels_of_a_chart_overlap_and_each_lies_inside_its_axes(page: str) -> None:
    """The texts matplotlib draws on a chart's axes (the labels of its marks, their text
    without leader lines) do not intersect one another, nor do the tick labels of an axis,
    and the totals chart's lie inside their panel (measured on the layout the SVG was drawn
    with)."""
    from ffdata.builder.tools.report.charts import label_box

    assert "chart-totals" in page and "chart-totals" in DRAWN
    measured = ticks = 0
    for chart_id, fig in DRAWN.items():
        fig.draw_without_rendering()
        for ax in [ax for ax in fig.axes if ax.get_visible()]:
            for axis in (ax.xaxis, ax.yaxis):
                shown = [t for t in axis.get_ticklabels(which="both") if t.get_text()]
                boxes = [t.get_window_extent() for t in shown if t.get_visible()]
                ticks += len(boxes)
                for i, one in enumerate(boxes):
                    for other in boxes[i + 1 :]:
                        assert not one.overlaps(other), (chart_id, one, other)
            boxes = [label_box(t) for t in ax.texts if t.get_visible() and t.get_text()]
            measured += len(boxes)
            for i, one in enumerate(boxes):
                for other in boxes[i + 1 :]:
                    assert not one.overlaps(other), (chart_id, one, other)
            if chart_id == "chart-totals" and ax.axison:  # its panels, not the key below
                frame = ax.get_window_extent()
                for box in boxes:
                    assert frame.x0 <= box.x0 and box.x1 <= frame.x1, (box, frame)
                    assert frame.y0 <= box.y0 and box.y1 <= frame.y1, (box, frame)
    assert ticks > 10 * len(DRAWN)
    assert measured >= len(
        ffdata.totals()
        .dropna(subset=["refers_to_date"])
        .query("value.notna() | value_high.notna()")
    )


def test_a_chart_laid_out_for_phones_shows_the_same(page: str) -> None:
    """A chart drawn also for a phone's width has the same title and description (its alt
    text, the numbers it draws), the same panels in the same order, each with the same marks
    and tick labels, and the same legend; only the panels a row and the width differ."""

    def drawn(chart_id: str) -> list:
        fig = DRAWN[chart_id]
        panels = [ax for ax in fig.axes if ax.get_visible()]
        return [
            [(ax.get_title(loc="left"), [t.get_text() for t in ax.texts]) for ax in panels],
            [[t.get_text() for t in ax.yaxis.get_ticklabels()] for ax in panels],
            [[len(line.get_xdata()) for line in ax.lines] for ax in panels],
            [t.get_text() for legend in fig.legends for t in legend.get_texts()],
            " ".join(fig.get_suptitle().split()),  # wrapped to the width
        ]

    assert FOR_PHONES
    for wide, narrow in FOR_PHONES.items():
        for part in ("title", "desc"):
            tag = rf'<{part} id="{{}}-{part}">([^<]+)</{part}>'
            assert re.findall(tag.format(wide), page) == re.findall(tag.format(narrow), page)
        shown = drawn(wide)
        assert shown == drawn(narrow) and len(shown[0]) > 1
        across = DRAWN[wide].get_size_inches()[0]
        assert DRAWN[narrow].get_size_inches()[0] < across


def test_the_totals_chart_says_what_each_count_includes_in_words(page: str) -> None:
    """Each label of a count apart from the stocks says what it counts in the words of
    tables.universe_words, never a vocabulary's code."""
    from ffdata.tables import UNIVERSE_WORDS, universe_words

    labels = "\n".join(t.get_text() for ax in DRAWN["chart-totals"].axes for t in ax.texts)
    for code in [c for c in (*UNIVERSE_WORDS, "not_stated") if "_" in c]:  # codes, not words
        assert code not in labels, code
    totals = ffdata.totals().dropna(subset=["refers_to_date"])
    apart = totals[(totals.series != "stock") & (totals.value.notna() | totals.value_high.notna())]
    assert len(apart) > 0
    flat = " ".join(labels.split())
    for row in apart.to_dict("records"):
        words = universe_words(row["groups_counted"], row["place_counted"], row["count_kind"])
        assert words in flat, words


def test_two_builds_give_the_same_bytes(report_dir: Path) -> None:
    """The committed report was built by `make data` in another process from the same
    inputs (tests/test_targets.py checks its stamps): this build must equal it byte for byte."""
    assert sorted(p.name for p in report_dir.iterdir()) == ["index.html", "top-countries.svg"]
    for name in ("index.html", "top-countries.svg"):
        committed = (ROOT / "docs" / "report" / name).read_bytes()
        assert committed == (report_dir / name).read_bytes(), (
            f"{name} differs from the committed one: stale (run `make data`) or not reproducible"
        )
    chart = (ROOT / "docs" / "report" / "top-countries.svg").read_text(encoding="utf-8")
    assert chart.startswith("<?xml")
    assert "docs/report/top-countries.svg" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_table_downloads_as_its_published_csv(page: str) -> None:
    from ffdata.tables import TABLES

    pattern = r'<a download="([a-z_]+\.csv)" href="data:text/csv;charset=utf-8;base64,([^"]+)"'
    links = dict(re.findall(pattern, page))
    assert sorted(links) == sorted(f"{name}.csv" for name in TABLES)
    for file, encoded in links.items():
        assert base64.b64decode(encoded) == (DATA_ROOT / "data" / "processed" / file).read_bytes()
    assert f"country_estimates.csv</a> ({len(ffdata.load('country_estimates')):,} rows" in page


def test_without_matplotlib_the_report_names_the_extra(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None; import runpy; "
        "runpy.run_module('ffdata.builder.tools.report', run_name='__main__')"
    )
    command = [sys.executable, "-c", code, "--out", str(tmp_path / "report")]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "matplotlib, which is not installed" in out.stderr
    assert "pip install 'foreign-fighters-data[report]'" in out.stderr
    assert not (tmp_path / "report").exists()


# --- a minimal Chrome DevTools Protocol client ------------------------------------------

#: Set by ``.ci/run``: a missing browser fails the suite instead of skipping the test.
REQUIRE_BROWSER = "FFDATA_REQUIRE_BROWSER"
NO_BROWSER = (
    "report page in a real browser (phone and desktop widths): Chromium is not installed; "
    "to run it: `sudo apt-get install chromium` (or set FFDATA_CHROMIUM to its path), "
    "or `.ci/run`, which installs it and requires it"
)


class Cdp:
    """One websocket to the browser; commands and events of page sessions (flat mode)."""

    def __init__(self, url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _receive(self, deadline: float) -> dict[str, Any]:
        self.ws.settimeout(max(0.05, deadline - time.monotonic()))
        message = json.loads(self.ws.recv())
        if "method" in message:
            self.events.append(message)
        return message

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        self.ws.send(json.dumps(message | ({"sessionId": session} if session else {})))
        deadline = time.monotonic() + 30
        while (reply := self._receive(deadline)).get("id") != self.next_id:
            pass
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, method: str, session: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while (method, session) not in {(e["method"], e.get("sessionId")) for e in self.events}:
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self._receive(deadline)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cdp]:
    names = (os.environ.get("FFDATA_CHROMIUM", ""), "chromium", "chromium-browser")
    executable = next((shutil.which(n) for n in names if n and shutil.which(n)), None)
    if not executable:
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{REQUIRE_BROWSER}=1 but {NO_BROWSER}")
        pytest.skip(NO_BROWSER)
    profile = tmp_path_factory.mktemp("chromium-profile")  # new and empty
    log = profile.parent / "chromium-stderr.log"
    with log.open("wb") as stderr:
        command = [executable, *BROWSER_FLAGS.split(), NO_HOSTS, f"--user-data-dir={profile}"]
        quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": stderr}
        process = subprocess.Popen(command, **quiet, start_new_session=True)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Chromium did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
        port, path = port_file.read_text().split()[:2]
        cdp = Cdp(f"ws://127.0.0.1:{port}{path}")
        yield cdp
        with contextlib.suppress(Exception):  # the browser may close before it replies
            cdp.send("Browser.close")
        cdp.ws.close()
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the browser started above, and its children
            process.wait(timeout=15)


def is_local(url: str) -> bool:
    """True for URLs that do not leave the machine."""
    parsed = urlparse(url)
    local = ("127.0.0.1", "localhost", "::1")
    return parsed.scheme in ("file", "data", "about", "blob") or parsed.hostname in local


#: JavaScript: the country, Fighters cell's text and sort key of each shown row of the table
FIGHTERS = (
    "(() => { const heads = Array.from(document.querySelectorAll('#figures-table thead th'));"
    " const i = heads.findIndex(h => h.textContent === 'Fighters');"
    " return Array.from(document.querySelectorAll('#figures-table tbody tr:not([hidden])'))"
    ".map(r => [r.cells[0].textContent, r.cells[i].textContent, r.cells[i].dataset.sort]); })()"
)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_page_in_a_real_browser(
    browser: Cdp, report_dir: Path, tmp_path: Path, viewport: str
) -> None:
    width, height, mobile = VIEWPORTS[viewport]
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    attach = {"targetId": target, "flatten": True}
    session = browser.send("Target.attachToTarget", attach)["sessionId"]
    for domain in ("Network", "Runtime", "Log", "Page"):
        browser.send(f"{domain}.enable", session=session)
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
    browser.send("Emulation.setDeviceMetricsOverride", metrics, session=session)

    def evaluate(expression: str) -> Any:
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        result = browser.send("Runtime.evaluate", params, session=session)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    page_url = (report_dir / "index.html").as_uri()
    browser.send("Page.navigate", {"url": page_url}, session=session)
    browser.wait_for("Page.loadEventFired", session)

    # Every chart is drawn with a size, fits the window, and the page does not scroll sideways.
    # A chart drawn also for a phone shows one layout: the phone's at 375 px, else the other.
    charts = evaluate(
        "Array.from(document.querySelectorAll('figure.chart svg'))"
        ".filter(s => s.getClientRects().length).map(s => {"
        " const r = s.getBoundingClientRect();"
        " return {id: s.id, w: r.width, h: r.height, right: r.right,"
        "  scale: r.width / s.viewBox.baseVal.width,"
        "  label: s.getAttribute('aria-labelledby'), role: s.getAttribute('role')}; })"
    )
    assert len(charts) == CHARTS
    for chart in charts:
        assert chart["w"] > 100 and chart["h"] > 100 and chart["right"] <= width + 0.5, chart
        assert chart["role"] == "img" and chart["label"], chart
        # Its text is legible: drawn in points (the viewBox's units), shown at SHOWN or more.
        assert chart["scale"] >= SHOWN, chart
    shown = {c["id"] for c in charts}
    assert shown & {*FOR_PHONES, *FOR_PHONES.values()} == set(
        FOR_PHONES.values() if mobile else FOR_PHONES
    )
    # At a phone's 375 px too: no sideways scroll of the page (the viewport meta sets its width).
    assert evaluate("window.innerWidth") == width
    assert evaluate("document.documentElement.scrollWidth") <= evaluate("window.innerWidth")
    assert evaluate("document.body.scrollWidth") <= width
    # Wide tables scroll inside the page: every table sits in a scrolling box no wider than
    # the page, and the table of every figure, wider than a phone, scrolls in its box.
    boxes = evaluate(
        "[...document.querySelectorAll('table')].map(t => { const b = t.parentElement; "
        "return {wrapped: b.classList.contains('table-wrap'), "
        "overflow: getComputedStyle(b).overflowX, right: b.getBoundingClientRect().right, "
        "scrolls: b.scrollWidth > b.clientWidth, id: t.id}; })"
    )
    assert len(boxes) >= 4
    for box in boxes:
        assert box["wrapped"] and box["overflow"] == "auto" and box["right"] <= width + 0.5, box
    if viewport == "narrow":
        assert next(b for b in boxes if b["id"] == "figures-table")["scrolls"]

    # The table filters when typed into (Tunisia's figures as published, ranges as printed
    # sorting by their high end), and sorts when a heading is clicked.
    total = evaluate("document.querySelectorAll('#figures-table tbody tr').length")
    assert len(evaluate(FIGHTERS)) == total
    evaluate("const f = document.getElementById('filter'); f.scrollIntoView(); f.focus()")
    browser.send("Input.insertText", {"text": "tunisia"}, session=session)
    shown = evaluate(FIGHTERS)
    assert shown and len(shown) < total and {country for country, *_ in shown} == {"Tunisia"}
    tunisia = {(f"1,500{DASH}3,000", "3000"), (f"382{DASH}970", "970"), ("7,000", "7000")}
    assert tunisia <= {(text, key) for _, text, key in shown}
    count = evaluate("document.getElementById('count').textContent")
    assert count == f"Showing {len(shown)} of {total} figures"
    evaluate("f.value = ''; f.dispatchEvent(new Event('input'))")  # f: the filter, as above
    box = evaluate(
        "(() => { const b = Array.from(document.querySelectorAll('#figures-table thead button'))"
        ".find(b => b.textContent === 'Fighters'); b.scrollIntoView({block: 'center'});"
        " const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    for kind in ("mousePressed", "mouseReleased"):
        click = {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}
        browser.send("Input.dispatchMouseEvent", click, session=session)
    fighters = [key for *_, key in evaluate(FIGHTERS)]
    assert len(fighters) == total
    known = [float(f) for f in fighters if f != ""]  # listed without a figure: last
    assert known == sorted(known, reverse=True)
    assert fighters[len(known) :] == [""] * (total - len(known))

    # A full-page screenshot.
    evaluate(
        "scrollTo(0, 0); document.querySelectorAll('.table-wrap').forEach(w => w.scrollLeft = 0)"
    )
    size = browser.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
    options = {"format": "png", "captureBeyondViewport": True, "clip": clip}
    shot = browser.send("Page.captureScreenshot", options, session=session)
    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    for folder in (tmp_path, os.environ.get("FFDATA_SCREENSHOT_DIR")):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / f"report-{viewport}.png").write_bytes(png)

    # Nothing was logged as an error, and no request left the machine.
    events = [e for e in browser.events if e.get("sessionId") == session]
    thrown = [e["params"] for e in events if e["method"] == "Runtime.exceptionThrown"]
    console = [e["params"] for e in events if e["method"] == "Runtime.consoleAPICalled"]
    logged = [e["params"]["entry"] for e in events if e["method"] == "Log.entryAdded"]
    assert thrown == [] and [c for c in console if c["type"] in ("error", "assert")] == []
    assert [entry for entry in logged if entry["level"] == "error"] == []
    requests = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    assert page_url in requests and [url for url in requests if not is_local(url)] == []
    assert is_local("http://127.0.0.1:8/") and not is_local("https://cdn.example.org/x.js")
    browser.send("Target.closeTarget", {"targetId": target})
