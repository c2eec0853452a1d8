"""The report page: headline numbers, charts with captions, tables, sources, in one HTML file.

Example:
    >>> from ffdata.builder.report.data import load_report_data
    >>> cards = headline(load_report_data())
    >>> cards[0][1]
    'countries with a figure'
"""

from __future__ import annotations

from html import escape

from ffdata._version import __version__
from ffdata.builder.report.assets import CSS, SCRIPT
from ffdata.builder.report.charts import Chart, number
from ffdata.builder.report.data import (
    ReportData,
    date_range,
    disagreements,
    flagged,
    is_missing,
    official_pairs,
    paired_source,
    series_order,
)
from ffdata.builder.report.tables import (
    aggregates_table,
    figures_table,
    flags_table,
    regional_table,
)
from ffdata.tables import FLAG_MEANINGS


def headline(data: ReportData) -> list[tuple[str, str, str]]:
    """Return the headline cards as (number, what it counts, detail), from the published tables.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> sources = next(c for c in headline(load_report_data()) if c[1] == "sources")
        >>> sources[2].startswith("dated ")
        True
    """
    ce = data.estimates
    largest = ce.sort_values(["fighters", "name"], ascending=[False, True]).iloc[0]
    rate = ce.sort_values(["fighters_per_million", "name"], ascending=[False, True]).iloc[0]
    pairs = official_pairs(data)
    both = pairs.dropna(subset=["official", "unofficial"])
    dates = date_range(data.sources["date_as_printed"])
    published = f"dated {dates[0]} to {dates[1]}" if dates else "undated"
    years = sorted({int(y) for y in ce["population_year"]})
    year_text = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return [
        (
            str(ce["iso3"].nunique()),
            "countries with a figure",
            f"from {ce['source_id'].nunique()} sources of country figures",
        ),
        (
            str(len(ce)),
            "country figures",
            f"referring to {year_text}, each with its document, line and text",
        ),
        (str(len(data.sources)), "sources", published),
        (
            number(int(largest["fighters"])),
            "largest country figure",
            f"{largest['name']}, {largest['series']}",
        ),
        (
            number(float(rate["fighters_per_million"]), 1),
            "highest figure per million inhabitants",
            f"{rate['name']}, {rate['series']}",
        ),
        (
            str(len(both)),
            f"countries with two {paired_label(data)} figures",
            "official and unofficial; they differ for "
            f"{int((both['official'] != both['unofficial']).sum())}",
        ),
        (
            str(len(flagged(data))),
            "flagged figures",
            "oddities of the sources, kept as printed",
        ),
        (
            str(len(data.aggregates)),
            "figures not per country",
            "totals, shares, ages (table at the end)",
        ),
    ]


def widest_gap(data: ReportData) -> str:
    """Return a sentence on the country whose figures disagree most.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> widest_gap(load_report_data()).startswith("For ")
        True
    """
    rows = disagreements(data)
    rows = rows[rows["ratio"] > 1]
    if rows.empty:
        return ""
    top = rows.iloc[0]
    values = "; ".join(
        f"{s} {number(float(top[s]))}" for s in series_order(data) if not is_missing(top.get(s))
    )
    return f"For {top['name']} they span a factor of {float(top['ratio']):.1f}: {values}."


def highest_rate(data: ReportData) -> str:
    """Return a sentence on the highest figure per million inhabitants.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> highest_rate(load_report_data()).startswith("The highest is ")
        True
    """
    ce = data.estimates
    top = ce.sort_values(["fighters_per_million", "name"], ascending=[False, True]).iloc[0]
    return (
        f"The highest is {number(float(top['fighters_per_million']), 1)} per million "
        f"inhabitants: {top['name']}, {top['series']} ({number(int(top['fighters']))} fighters)."
    )


def citation(data: ReportData, source_id: str) -> str:
    """Return a source as plain text: producer, title, date; the citation as printed otherwise.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> citation(load_report_data(), "iep-gti-2015")
        'Institute for Economics and Peace, "Global Terrorism Index 2015", November 2015'
    """
    row = data.sources.set_index("source_id").loc[source_id]
    if is_missing(row["title"]):
        return str(row["citation_as_printed"])
    parts = [str(row["producer"]), f'"{row["title"]}"']
    if not is_missing(row["date_as_printed"]):
        parts.append(str(row["date_as_printed"]))
    return ", ".join(parts)


def caption(data: ReportData, chart: Chart, extra: str = "") -> str:
    """Return a chart's caption (HTML): its sources, the document that prints them, the table.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> from ffdata.builder.report.charts import Chart
        >>> text = caption(load_report_data(), Chart("c", "T", "D", "<svg/>", ("iep-gti-2015",)))
        >>> text.startswith("Source: Institute for Economics and Peace")
        True
    """
    sources = data.sources.set_index("source_id")
    documents = data.documents.set_index("document_id")
    cited = "; ".join(escape(citation(data, s).rstrip(".")) for s in chart.source_ids)
    printed_in = []
    for document_id in dict.fromkeys(sources.loc[list(chart.source_ids), "document_id"]):
        doc = documents.loc[document_id]
        author = "" if is_missing(doc["author"]) else f"{doc['author']}, "
        printed_in.append(escape(f'{author}"{doc["title"]}" (document {document_id})'))
    label = "Source" if len(chart.source_ids) == 1 else "Sources"
    extra = " ".join(x for x in (escape(chart.note), extra) if x)
    text = f"{label}: {cited}; as printed in {'; '.join(printed_in)}."
    return text + (f" {extra}" if extra else "")


def figure(chart: Chart, caption_html: str) -> str:
    """Return a chart as ``<figure>`` with its inline SVG and ``<figcaption>``.

    Example:
        >>> from ffdata.builder.report.charts import Chart
        >>> figure(Chart("c", "T", "D", "<svg></svg>", ()), "Source: x.")
        '<figure class="chart" id="fig-c"><svg></svg><figcaption>Source: x.</figcaption></figure>'
    """
    return (
        f'<figure class="chart" id="fig-{chart.chart_id}">{chart.svg.strip()}'
        f"<figcaption>{caption_html}</figcaption></figure>"
    )


SECTIONS = (
    ("soufan", "Official and unofficial"),
    ("across", "Across sources"),
    ("rates", "Per million"),
    ("regions", "By region"),
    ("flags", "Flagged oddities"),
    ("figures", "All figures"),
    ("aggregates", "Not per country"),
    ("sources", "Sources"),
)


def paired_label(data: ReportData) -> str:
    """Return the label of the source whose official and unofficial figures are paired.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> paired_label(load_report_data())
        'Soufan 2015'
    """
    paired = paired_source(data)
    return "" if paired is None else str(paired["label"])


def render_page(data: ReportData, charts: dict[str, Chart]) -> str:
    """Return the whole page as one HTML string (CSS, script and SVG inlined).

    ``charts`` holds the charts by role: ``pairs_top``, ``pairs_rest``,
    ``across``, ``rates``, ``regions``.

    Example:
        >>> from ffdata.builder.report.data import load_report_data
        >>> from ffdata.builder.report.charts import Chart
        >>> empty = {k: Chart(k, k, k, "<svg></svg>", ("soufan-2015",)) for k in
        ...          ("pairs_top", "pairs_rest", "across", "rates", "regions")}
        >>> page = render_page(load_report_data(), empty)
        >>> page.startswith("<!DOCTYPE html>"), "http-equiv" in page
        (True, True)
    """
    cards = "".join(
        f'<div class="card"><dt>{escape(label)}</dt><dd><span class="big">{escape(big)}</span>'
        f'<span class="small">{escape(small)}</span></dd></div>'
        for big, label, small in headline(data)
    )
    toc = "".join(f'<li><a href="#{key}">{escape(title)}</a></li>' for key, title in SECTIONS)
    rest = len(official_pairs(data).dropna(subset=["official"]))
    paired = paired_source(data)
    paired_title = "" if paired is None else escape(f"{paired['producer']}, {paired['label']}")
    paired_what = "" if paired is None else escape(str(paired["what_it_counts"]))
    flag_counts: dict[str, list[str]] = {f: [] for f in FLAG_MEANINGS}
    for flags, iso3 in zip(flagged(data)["flags"], flagged(data)["iso3"], strict=True):
        for f in str(flags).split(";"):
            flag_counts.setdefault(f, []).append(str(iso3))
    flag_list = "".join(
        f"<dt><code>{escape(f)}</code>: {len(isos)} figures, {len(set(isos))} countries</dt>"
        f"<dd>{escape(FLAG_MEANINGS.get(f, ''))}</dd>"
        for f, isos in flag_counts.items()
    )
    sources = "".join(
        f"<li><strong>{escape(str(r['source_id']))}</strong>: {escape(citation(data, r['source_id']).rstrip('.'))}"
        f". Cited in document {escape(str(r['document_id']))}, line {int(r['line'])}"
        + ("" if is_missing(r["footnote"]) else f" (footnote {int(r['footnote'])})")
        + ("" if is_missing(r["note"]) else f". {escape(str(r['note']))}")
        + "</li>"
        for r in data.sources.to_dict("records")
    )
    population = (
        "Rates divide each figure by the World Bank population (SP.POP.TOTL) of 2015, "
        "the figures' reference year."
    )
    body = f"""
<header class="top">
<h1>Foreign fighters who joined the Islamic State: figures by country</h1>
<p class="lede">What the published estimates say, country by country, and where each number
was printed. Built from the ffdata tables (version {escape(__version__)}).</p>
<nav class="toc" aria-label="Sections"><ul>{toc}</ul></nav>
</header>
<main>
<section id="headline" aria-labelledby="headline-h">
<h2 id="headline-h" class="visually-hidden">Headline numbers</h2>
<dl class="cards">{cards}</dl>
<p class="callout"><strong>Estimates, not counts.</strong> The figures come from different producers,
at different dates and by different methods: official (government) figures, unofficial estimates
(media and community sources), and single reported figures. They often disagree. Compare them with
care, and never add figures of different sources or kinds together; this page never does.</p>
</section>

<section id="soufan" aria-labelledby="soufan-h">
<h2 id="soufan-h">Official and unofficial figures ({paired_title})</h2>
<p>{paired_title} gives an official figure for {rest} countries and, for some of them,
an unofficial one ({paired_what}). The first chart shows the 15 largest; the second the others,
on their own scale. Countries with one bar have no unofficial figure.</p>
<div class="charts">
{figure(charts["pairs_top"], caption(data, charts["pairs_top"]))}
{figure(charts["pairs_rest"], caption(data, charts["pairs_rest"], "Note the smaller scale."))}
</div>
</section>

<section id="across" aria-labelledby="across-h">
<h2 id="across-h">The same country across sources</h2>
<div class="charts">
<div class="aside">
<p>Every country whose figures from two or more sources or kinds differ, the widest
disagreement first. The number at the right is the largest figure divided by the smallest.
{escape(widest_gap(data))} A logarithmic scale shows a doubling as the same distance whatever
the size of the country.</p>
<p>Disagreements have many causes: different dates, different definitions (who counts as a
foreign fighter, whether the dead and returnees are included), and different methods
(government counts against media and community reports). None of the figures is "the" number.</p>
</div>
{figure(charts["across"], caption(data, charts["across"]))}
</div>
</section>

<section id="rates" aria-labelledby="rates-h">
<h2 id="rates-h">Fighters per million inhabitants</h2>
<div class="charts">
<div class="aside">
<p>Small countries can send few fighters and still have high rates. Each dot is one figure
divided by its country's population; figures of different sources are not combined.
{escape(highest_rate(data))} The chart shows the countries with the highest rate in any source;
every rate is in the table below (column "Per million").</p>
</div>
{figure(charts["rates"], caption(data, charts["rates"], escape(population)))}
</div>
</section>

<section id="regions" aria-labelledby="regions-h">
<h2 id="regions-h">Totals by UN region</h2>
<p class="callout"><strong>A regional total covers only the countries a source lists.</strong>
It is the sum of one source's figures of one kind over the countries of that UN M49 region
that the source lists (the count is on each bar), so it is a lower bound for the region, not a
regional count. Sources and kinds of figures are never added together: each panel stands alone.</p>
<div class="charts">
{figure(charts["regions"], caption(data, charts["regions"], "Sums from the table regional_totals (level: region)."))}
<div>
<h3>The same totals as a table</h3>
<div class="table-wrap short">{regional_table(data)}</div>
<p>Sub-region totals are in the <code>regional_totals</code> table (level: subregion).</p>
</div>
</div>
</section>

<section id="flags" aria-labelledby="flags-h">
<h2 id="flags-h">Flagged oddities</h2>
<p>Oddities of the sources are flagged, not fixed: every number stays as printed.</p>
<dl class="flags">{flag_list}</dl>
<div class="table-wrap short">{flags_table(data)}</div>
</section>

<section id="figures" aria-labelledby="figures-h">
<h2 id="figures-h">Every figure, with where it was printed</h2>
<p>Type to filter (all words must match: try <kbd>tunisia</kbd>, <kbd>europe unofficial</kbd>
or <kbd>iep</kbd>); click a column heading to sort. "Line" is the 1-based line of the document
that prints the figure, "Text as printed" the exact text of that line (tabs kept).</p>
<div class="controls">
<label for="filter">Filter</label>
<input type="search" id="filter" placeholder="country, source, region..." autocomplete="off">
<label><input type="checkbox" id="flagged-only"> flagged only</label>
<span id="count" aria-live="polite"></span>
</div>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table of every figure">{figures_table(data)}</div>
</section>

<section id="aggregates" aria-labelledby="aggregates-h">
<h2 id="aggregates-h">Figures that are not per country</h2>
<div class="table-wrap">{aggregates_table(data)}</div>
</section>

<section id="sources" aria-labelledby="sources-h">
<h2 id="sources-h">Sources</h2>
<ol class="sources">{sources}</ol>
</section>
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
<link rel="icon" href="data:,">
<style>{CSS}</style>
</head>
<body>{body}<script>{SCRIPT}</script>
</body>
</html>
"""
