"""The report page: headline numbers, charts with captions, tables, sources, in one HTML file."""

from __future__ import annotations

import json
from html import escape

from ffdata._version import __version__
from ffdata.api import source_universe
from ffdata.builder.tools.report.assets import CSS, SCRIPT
from ffdata.builder.tools.report.charts import Chart
from ffdata.builder.tools.report.data import (
    ReportData,
    date_text,
    disagreements,
    estimate_rows,
    figure_text,
    flagged,
    number,
    official_pairs,
    paired_source,
    series_order,
)
from ffdata.builder.tools.report.tables import (
    aggregates_table,
    figures_table,
    flags_table,
    regional_table,
)
from ffdata.display import is_missing
from ffdata.tables import FLAG_MEANINGS, not_listed_meaning


def headline(data: ReportData) -> list[tuple[str, str, str]]:
    """Return the headline cards as (number, what it counts, detail); "largest" and "highest"
    compare single figures only, the largest range is a card of its own.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> cards = {c[1]: c for c in headline(load_report_data())}
        >>> cards["largest single figure"][0], cards["largest range (by its high end)"][0]
        ('7,000', '1,500\u20133,000')
    """
    ce = data.estimates
    countries, sources = str(ce["iso3"].nunique()), ce["source_id"].nunique()
    rows = estimate_rows(data)
    singles = [r for r in rows if r["kind"] == "single"]
    ranges = [r for r in rows if r["kind"] == "range"]
    largest = max(singles, key=lambda r: (r["high"], r["country_name"]))
    widest = max(ranges, key=lambda r: (r["high"], r["country_name"]))
    rate = max(singles, key=lambda r: (r["rate_high"], r["country_name"]))
    per_million = number(float(rate["rate_high"]), 1)
    paired = paired_source(data)
    both = official_pairs(data).dropna(subset=["official", "unofficial"])
    figures = f"{len(singles)} single figures, {len(ranges)} ranges, "
    figures += f"{len(rows) - len(singles) - len(ranges)} listed without a figure; "
    differ = int((both["official"] != both["unofficial"]).sum())
    two = f"countries with two {'' if paired is None else paired['label']} figures"
    aggregates = str(len(data.aggregates))
    return [
        (countries, "countries with an estimate", f"from {sources} sources of country figures"),
        (str(len(ce)), "country estimates", f"{figures}referring to {_refers_span(rows)}"),
        (str(len(data.sources)), "sources", _published_span(data)),
        (number(largest["high"]), "largest single figure", _where(largest)),
        (figure_text(widest), "largest range (by its high end)", _where(widest)),
        (per_million, "highest single figure per million inhabitants", _where(rate)),
        (str(len(both)), two, f"official and unofficial; they differ for {differ}"),
        (str(len(flagged(data))), "flagged estimates", "oddities of the sources, kept as printed"),
        (aggregates, "figures not per country", "totals, shares, ages (table at the end)"),
    ]


def _where(row: dict) -> str:
    return f"{row['country_name']}, {row['series']}"


def _refers_span(rows: list[dict]) -> str:
    first = min(rows, key=lambda r: (r["end"], r["start"]))
    last = max(rows, key=lambda r: (r["end"], r["start"]))
    return f"{date_text(first['refers_to_date'])} up to {date_text(last['refers_to_date'])}"


def _published_span(data: ReportData) -> str:
    dates = sorted(str(d) for d in data.sources["published_date"] if not is_missing(d))
    if not dates:
        return "undated"
    undated = len(data.sources) - len(dates)
    return f"published {date_text(dates[0])} to {date_text(dates[-1])}" + (
        f" ({undated} without a date)" if undated else ""
    )


def _widest_gap(data: ReportData) -> str:
    rows = disagreements(data)
    rows = rows[rows["gap"] > 1]
    if rows.empty:
        return ""
    top = rows.iloc[0]
    mine = [r for r in estimate_rows(data) if r["iso3"] == top["iso3"]]
    values = "; ".join(f"{r['series']} {figure_text(r)}" for r in mine)
    return (
        f"For {top['country_name']} the estimates stay a factor of {float(top['gap']):.1f} apart "
        f"({number(top['top_low'])} against {number(top['bottom_high'])}): {values}."
    )


def _highest_rate(data: ReportData) -> str:
    rows = estimate_rows(data)
    single = max((r for r in rows if r["kind"] == "single"), key=lambda r: r["rate_high"])
    ranged = max((r for r in rows if r["kind"] == "range"), key=lambda r: r["rate_high"])
    return (
        f"The highest single figure is {number(single['rate_high'], 1)} per million "
        f"inhabitants: {single['country_name']}, {single['series']} ({figure_text(single)} fighters). "
        f"The highest range reaches {figure_text(ranged, 'fighters_per_million', 1)} per million: "
        f"{ranged['country_name']}, {ranged['series']} ({figure_text(ranged)} fighters)."
    )


def _population_note(data: ReportData) -> str:
    rated = data.estimates.dropna(subset=["population_year"]).groupby("series")["population_year"]
    years = {s: sorted({int(y) for y in ys}) for s, ys in rated}
    text = "; ".join(
        f"{s}: {', '.join(map(str, years[s]))}" for s in series_order(data) if s in years
    )
    return (
        "Rates divide each figure, or each end of a range, by the World Bank population "
        "(SP.POP.TOTL) of the year the estimate refers to (the end of its period): "
        f"{text}."
    )


def _citation(data: ReportData, source_id: str) -> str:
    row = data.sources.set_index("source_id").loc[source_id]
    if is_missing(row["title"]):
        return str(row["citation_as_printed"])
    parts = [str(row["producer"]), f'"{row["title"]}"']
    if not is_missing(row["date_as_printed"]):
        parts.append(str(row["date_as_printed"]))
    return ", ".join(parts)


def _caption(data: ReportData, chart: Chart, extra: str = "") -> str:
    sources = data.sources.set_index("source_id")
    documents = data.documents.set_index("document_id")
    cited = "; ".join(escape(_citation(data, s).rstrip(".")) for s in chart.source_ids)
    printed_in = []
    for document_id in dict.fromkeys(sources.loc[list(chart.source_ids), "document_id"]):
        doc = documents.loc[document_id]
        author = "" if is_missing(doc["author"]) else f"{doc['author']}, "
        title = f"file {doc['file']}" if is_missing(doc["title"]) else f'"{doc["title"]}"'
        printed_in.append(escape(f"{author}{title} (document {document_id})"))
    label = "Source" if len(chart.source_ids) == 1 else "Sources"
    text = f"{label}: {cited}; as printed in {'; '.join(printed_in)}. "
    counts = [  # what each source counts: its universe, then in its own words
        f"<strong>{escape(str(sources.loc[s, 'label']))}</strong> "
        f"({escape(source_universe(sources.loc[s]))}): "
        f"{escape(str(sources.loc[s, 'what_it_counts']).rstrip('.'))}"
        for s in chart.source_ids
        if not is_missing(sources.loc[s, "what_it_counts"])
    ]
    head = "What it counts" if len(counts) == 1 else "What each source counts (they differ)"
    text += f"{head}: " + "; ".join(counts) + "." if counts else ""
    extra = " ".join(x for x in (escape(chart.note), extra) if x)
    return text + (f" {extra}" if extra else "")


def _figure(data: ReportData, chart: Chart, extra: str = "") -> str:
    """A chart as ``<figure>``: its inline SVG and its caption (a wide one spans the page); a
    chart drawn also for a phone has both SVGs, and the page's CSS shows one."""
    css = "chart wide" if chart.wide else "chart"
    svg = chart.svg.strip()
    if chart.narrow:  # the page shows one of the two layouts, by the window's width
        wide_only = svg.replace('class="chart-svg"', 'class="chart-svg wide-only"', 1)
        narrow = chart.narrow.strip().replace(
            'class="chart-svg"', 'class="chart-svg narrow-only"', 1
        )
        svg = wide_only + narrow
    return (
        f'<figure class="{css}" id="fig-{chart.chart_id}">{svg}'
        f"<figcaption>{_caption(data, chart, extra)}</figcaption></figure>"
    )


def _section(key: str, title: str, content: str) -> str:
    return (
        f'<section id="{key}" aria-labelledby="{key}-h">\n'
        f'<h2 id="{key}-h">{escape(title)}</h2>\n{content}\n</section>'
    )


def _headline_section(data: ReportData, charts: dict[str, Chart]) -> str:
    cards = "".join(
        f'<div class="card"><dt>{escape(label)}</dt><dd><span class="big">{escape(big)}</span>'
        f'<span class="small">{escape(small)}</span></dd></div>'
        for big, label, small in headline(data)
    )
    return f"""<section id="headline" aria-labelledby="headline-h">
<h2 id="headline-h" class="visually-hidden">Headline numbers</h2>
<dl class="cards">{cards}</dl>
<p class="callout"><strong>Estimates, not counts.</strong> The figures come from different producers,
at different dates, by different methods and counting different people (the captions say what
each source counts): official (government) figures, unofficial estimates (media and community
sources), single reported figures and ranges. They often disagree. A range is shown as its two
ends as printed ("low&ndash;high"), never as a midpoint. Compare them with care, and never add
figures of different sources or kinds together; this page never does.</p>
</section>"""


def _totals_section(data: ReportData, charts: dict[str, Chart]) -> str:
    chart = charts["totals"]
    totals = data.totals
    undated = int(totals["refers_to_date"].isna().sum())
    unquantified = int((totals["value"].isna() & totals["value_high"].isna()).sum())
    left_out = [
        f"{undated} without a date the text gives" if undated else "",
        f"{unquantified} printed in words without a number" if unquantified else "",
    ]
    left = " and ".join(t for t in left_out if t)
    text = f"""<p>How many foreigners had joined, worldwide, as the documents report the estimates of
the day: each count at the date it refers to, with its producer and the number as the text
qualifies it ("more than 15,000", "about 700&ndash;1,400"). Only the stocks of the Islamic
State's foreign fighters (everyone who had joined it by the date) compare with one another; an
inflow (those who arrived within a period) and a count of other groups (all the armed groups in
Syria, or groups not stated) are drawn apart, in grey, numbered, with a key under the chart saying what each counts. A flagged
count shows its flag (<code>differs_from_producer</code>: the document reports another
producer's estimate in other words). The producers count at different dates and by different
methods, and the later counts include people counted by the earlier ones. Every count is a row
of <code>ffdata.totals()</code>, with its universe and the line that prints it{
        f"; {left} are left out of the chart" if left else ""
    }.</p>
<div class="charts wide">
{_figure(data, chart)}
</div>"""
    return _section("totals", "Worldwide counts over time", text)


def _over_time_section(data: ReportData, charts: dict[str, Chart]) -> str:
    chart = charts["over_time"]
    text = f"""<p>Every estimate of a country, placed at the date it refers to: sources published
at different times, and the later figures are often larger. Each panel has its own scale.
A range is a vertical line between its two ends; a thin horizontal line (a pale band for a
range) shows the period an estimate refers to (for example a whole year, or late 2011 to December 2013). Estimates that
refer to the same date are set a little apart so that all stay visible; the years are labelled
in their middle. The chart shows the
countries with the most estimates; every estimate is in the table of all figures below.</p>
<div class="charts wide">
{_figure(data, chart)}
</div>"""
    return _section("over-time", "Each country across sources and dates", text)


def _paired_section(data: ReportData, charts: dict[str, Chart]) -> str:
    rest = len(official_pairs(data).dropna(subset=["official"]))
    paired = paired_source(data)
    paired_title = "" if paired is None else escape(f"{paired['producer']}, {paired['label']}")
    paired_what = "" if paired is None else escape(str(paired["what_it_counts"]))
    text = f"""<p>{paired_title} gives an official figure for {rest} countries and, for some of them,
an unofficial one ({paired_what}). The first chart shows the 15 largest; the second the others,
on their own scale. Countries with one bar have no unofficial figure.</p>
<div class="charts">
{_figure(data, charts["pairs_top"])}
{_figure(data, charts["pairs_rest"], "Note the smaller scale.")}
</div>"""
    return _section("soufan", f"Official and unofficial figures ({paired_title})", text).replace(
        "&amp;amp;", "&amp;"
    )


def _across_section(data: ReportData, charts: dict[str, Chart]) -> str:
    text = f"""<div class="charts">
<div class="aside">
<p>The countries whose estimates from two or more sources or kinds differ most. The number at
the right compares like with like: the largest single figure or low end of a range divided by
the smallest single figure or high end of a range, how far apart the estimates stay when each
range is read at the end nearest the others (never the low end of one range against another
source's figure).
{escape(_widest_gap(data))} A logarithmic scale shows a doubling as the same distance whatever
the size of the country.</p>
<p>Disagreements have many causes: different dates (ICSR's first estimates cover late 2011 to
December 2013, the others 2014 and 2015), different definitions (who counts as a foreign
fighter, which groups they joined, whether the dead and returnees are included), and different
methods (government counts against media and community reports). None of the figures is
"the" number.</p>
</div>
{_figure(data, charts["across"])}
</div>"""
    return _section("across", "The same country across sources", text)


def _rates_section(data: ReportData, charts: dict[str, Chart]) -> str:
    text = f"""<div class="charts">
<div class="aside">
<p>Small countries can send few fighters and still have high rates. Each mark is one figure
(a dot) or one range (an interval) divided by its country's population; figures of different
sources are not combined. {escape(_highest_rate(data))} The chart shows the countries with the
highest rate in any source (a single figure's rate, or a range's high end); every rate is in
the table below (column "Per million").</p>
</div>
{_figure(data, charts["rates"], escape(_population_note(data)))}
</div>"""
    return _section("rates", "Fighters per million inhabitants", text)


def _regions_section(data: ReportData, charts: dict[str, Chart]) -> str:
    chart = charts["regions"]
    note = "Sums from the table regional_totals (level: region)."
    text = f"""<p class="callout"><strong>A regional total covers only the countries a source lists.</strong>
It is the sum of one source's figures of one kind over the countries of that UN M49 region
that the source lists (the count is beside each mark), so it is a lower bound for the region, not
a regional count. Where a source prints ranges, the total is a range too: the sum of the low
ends to the sum of the high ends. Sources and kinds of figures are never added together: each
panel stands alone.</p>
<div class="charts">
{_figure(data, chart, note)}
<div>
<h3>The same totals as a table</h3>
<div class="table-wrap short" tabindex="0" role="region" aria-label="Table of regional totals">{regional_table(data)}</div>
<p>Sub-region totals are in the <code>regional_totals</code> table (level: subregion).</p>
</div>
</div>"""
    return _section("regions", "Totals by UN region", text)


def _flags_section(data: ReportData, charts: dict[str, Chart]) -> str:
    rows = flagged(data)
    flag_counts: dict[str, list[str]] = {f: [] for f in FLAG_MEANINGS}
    for flags, iso3 in zip(rows["oddities"], rows["iso3"], strict=True):
        for f in str(flags).split(";"):
            flag_counts.setdefault(f, []).append(str(iso3))
    figure_flags = [f for flags in data.aggregates["oddities"].dropna() for f in flags.split(";")]

    def counted(flag: str, isos: list[str]) -> str:
        figures = figure_flags.count(flag)
        also = f"; {figures} aggregate figure{'s' * (figures != 1)}" if figures else ""
        return f"{len(isos)} estimates, {len(set(isos))} countries{also}"

    flag_list = "".join(
        f"<dt><code>{escape(f)}</code>: {counted(f, isos)}</dt>"
        f"<dd>{escape(FLAG_MEANINGS.get(f, ''))}</dd>"
        for f, isos in flag_counts.items()
    )
    text = f"""<p>Oddities of the sources are flagged, not fixed: every number stays as printed.</p>
<dl class="flags">{flag_list}</dl>
<div class="table-wrap short" tabindex="0" role="region" aria-label="Table of flagged figures">{flags_table(data)}</div>"""
    return _section("flags", "Flagged oddities", text)


def _figures_section(data: ReportData, charts: dict[str, Chart]) -> str:
    text = f"""<p>Type to filter (all words must match: try <kbd>tunisia</kbd>, <kbd>europe unofficial</kbd>
or <kbd>icsr</kbd>); click a column heading to sort. "Fighters" is a single figure, a range as
printed ("low&ndash;high"; it sorts by its high end) or "listed, no figure". "Refers to" is the
date or period the estimate counts up to, "Published" when the source was published.
"Line" is the 1-based line of the document that prints the figure, "Text as printed" the exact
text of that line (tabs kept).</p>
<div class="controls">
<label for="filter">Filter</label>
<input type="search" id="filter" placeholder="country, source, region..." autocomplete="off">
<label><input type="checkbox" id="flagged-only"> flagged only</label>
<span id="count" aria-live="polite"></span>
</div>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table of every figure">{figures_table(data)}</div>"""
    return _section("figures", "Every figure, with where it was printed", text)


def _aggregates_section(data: ReportData, charts: dict[str, Chart]) -> str:
    text = f'<div class="table-wrap" tabindex="0" role="region" aria-label="Table of figures that are not per country">{aggregates_table(data)}</div>'
    return _section("aggregates", "Figures that are not per country", text)


def _with_labels(data: ReportData, text: str) -> str:
    import re

    ids = sorted(data.source_labels, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    return pattern.sub(lambda m: data.source_labels[m.group(1)], text)


def _universe_note(source: dict) -> str:
    """What a source with country estimates counts and what its absences mean, as HTML."""
    words = source_universe(source)
    if not words:
        return ""
    threshold = source.get("listing_threshold")
    absent = not_listed_meaning(
        str(source["not_listed_means"]), None if is_missing(threshold) else int(threshold)
    )
    return f". Counts: {escape(words)}. A country it does not list: {escape(absent)}"


def _sources_section(data: ReportData, charts: dict[str, Chart]) -> str:
    items = "".join(
        f"<li><strong>{escape(data.source_labels[r['source_id']])}</strong>: "
        f"{escape(_citation(data, r['source_id']).rstrip('.'))}"
        f". Cited in document {escape(str(r['document_id']))}, line {int(r['line'])}"
        + ("" if is_missing(r["footnote"]) else f" (footnote {int(r['footnote'])})")
        + _universe_note(r).rstrip(".")
        + ("" if is_missing(r["note"]) else f". {escape(_with_labels(data, str(r['note'])))}")
        + "</li>"
        for r in data.sources.to_dict("records")
    )
    return _section("sources", "Sources", f'<ol class="sources">{items}</ol>')


def _downloads_section(data: ReportData, charts: dict[str, Chart]) -> str:
    import base64

    import ffdata
    from ffdata.locate import PROCESSED, data_root
    from ffdata.tables import TABLES

    root = data_root() / PROCESSED
    items = []
    for name, table in TABLES.items():
        csv = (root / f"{name}.csv").read_bytes()
        rows = len(ffdata.load(name, columns=[table.columns[0].name]))
        address = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv).decode("ascii")
        items.append(
            f'<li><a download="{name}.csv" href="{address}">{escape(name)}.csv</a> '
            f"({rows:,} rows, {len(csv) / 1000:,.1f} kB): {escape(table.title)}. "
            f"{escape(table.description.split('. ')[0].rstrip('.'))}.</li>"
        )
    text = f"""<p>Every table of this page's data, as the CSV files of the release (UTF-8, an empty
cell is a missing value; the codebook and the Parquet files are in the release and the
<code>ffdata</code> package: <code>ffdata.load("country_estimates")</code>).</p>
<ul class="downloads">{"".join(items)}</ul>"""
    return _section("downloads", "Download the tables", text)


#: The page's sections in order: (anchor, title in the contents, function): the opening
#: cards, the worldwide totals over time, then each country across sources and dates.
SECTIONS = (
    ("headline", "", _headline_section),
    ("totals", "Worldwide totals", _totals_section),
    ("over-time", "Across sources and dates", _over_time_section),
    ("soufan", "Official and unofficial", _paired_section),
    ("across", "Disagreements", _across_section),
    ("rates", "Per million", _rates_section),
    ("regions", "By region", _regions_section),
    ("flags", "Flagged oddities", _flags_section),
    ("figures", "All figures", _figures_section),
    ("aggregates", "Not per country", _aggregates_section),
    ("sources", "Sources", _sources_section),
    ("downloads", "Download", _downloads_section),
)


def _jsonld_script(jsonld: dict | None) -> str:
    """The ``<script type="application/ld+json">`` of ``jsonld``; no text in it can close it."""
    if not jsonld:
        return ""
    text = json.dumps(jsonld, sort_keys=True, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'\n<script type="application/ld+json">{text}</script>'


def render_page(data: ReportData, charts: dict[str, Chart], jsonld: dict | None = None) -> str:
    """Return the whole page as one HTML string (CSS, script and SVG inlined), ``charts`` by
    role (:data:`~ffdata.builder.tools.report.build.CHARTS`), ``jsonld`` (the package's
    Croissant ``Dataset``, which is a schema.org ``Dataset``) in the head.

    Example:
        >>> from ffdata.builder.tools.report.data import load_report_data
        >>> from ffdata.builder.tools.report.build import CHARTS
        >>> empty = {k: Chart(k, k, k, "<svg></svg>", ("soufan-2015",)) for k in CHARTS}
        >>> page = render_page(load_report_data(), empty)
        >>> page.startswith("<!DOCTYPE html>"), "http-equiv" in page
        (True, True)
    """
    toc = "".join(
        f'<li><a href="#{key}">{escape(title)}</a></li>' for key, title, _ in SECTIONS if title
    )
    sections = "\n\n".join(render(data, charts) for _, _, render in SECTIONS)
    body = f"""
<header class="top">
<h1>Foreign fighters in Syria and Iraq, as each source defines them: figures by country</h1>
<p class="lede">What the published estimates say, country by country and over time, and where
each number was printed. Built from the ffdata tables (version {escape(__version__)}).</p>
<nav class="toc" aria-label="Sections"><ul>{toc}</ul></nav>
</header>
<main>
{sections}
</main>
<footer>
<p>Generated by <code>make report</code> (ffdata {escape(__version__)}) from the published tables;
the page loads nothing from the network. Data: CC BY 4.0 (credit the original sources too);
population: World Bank SP.POP.TOTL (CC BY 4.0).</p>
</footer>
"""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>ffdata report: foreign fighters by country, with sources</title>
<link rel="icon" href="data:,">{_jsonld_script(jsonld)}
<style>{CSS}</style>
</head>
<body>{body}<script>{SCRIPT}</script>
</body>
</html>
"""
