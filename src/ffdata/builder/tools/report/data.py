"""The report's numbers, read from the published tables (nothing is computed that they lack).

An estimate is a single figure, a range as printed ("43\u2013366", never a midpoint), or a
country listed without a figure.

Example:
    >>> data = load_report_data()
    >>> int(data.estimates.query("iso3 == 'TUN' and estimate == 'official'").fighters.iloc[0])
    6000
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ffdata.builder.inputs.dates import period_bounds
from ffdata.display import is_missing
from ffdata.tables import QUALIFIER_WORDS

if TYPE_CHECKING:
    import pandas as pd

#: The dash between the ends of a range (an en dash, as typeset ranges are printed).
DASH = "\u2013"
#: What a country listed without a figure shows in place of a number.
NO_FIGURE = "listed, no figure"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ReportData:
    """The tables the report reads, with country names and series labels joined in."""

    estimates: pd.DataFrame
    sources: pd.DataFrame
    documents: pd.DataFrame
    aggregates: pd.DataFrame
    regional: pd.DataFrame
    #: The worldwide totals of foreign fighters over time (:func:`ffdata.totals`).
    totals: pd.DataFrame
    #: source_id -> the name a reader sees (:func:`_source_label`); no raw id is shown.
    source_labels: dict[str, str] = field(default_factory=dict)


def load_report_data() -> ReportData:
    """Load the published tables; add ``country_name``, ``region`` and ``series`` (one source and
    kind of figure, e.g. ``"Soufan 2015, official"``) to the estimates and regional totals.

    Example:
        >>> "Soufan 2015, official" in set(load_report_data().estimates.series)
        True
    """
    import ffdata

    sources = ffdata.load("sources")
    countries = ffdata.load("countries", columns=["iso3", "country_name", "region", "subregion"])
    estimates = ffdata.load("country_estimates").merge(countries, on="iso3", how="left")
    regional = ffdata.load("regional_totals")
    regional["level"] = regional["level"].astype(str)
    labels = {
        s: label if isinstance(label, str) else producer
        for s, label, producer in zip(
            sources["source_id"], sources["label"], sources["producer"], strict=True
        )
    }
    for table in (estimates, regional):
        table["estimate"] = table["estimate"].astype(str)
        table["series"] = [
            series_label(labels.get(s, s), e)
            for s, e in zip(table["source_id"], table["estimate"], strict=True)
        ]
    return ReportData(
        estimates=estimates,
        sources=sources,
        documents=ffdata.load("documents"),
        aggregates=ffdata.load("aggregate_figures"),
        regional=regional,
        totals=ffdata.totals(),
        source_labels={r["source_id"]: _source_label(r) for r in sources.to_dict("records")},
    )


def _source_label(source: dict) -> str:
    """How the report names a source: its chart label, else its producer and date."""
    if not is_missing(source.get("label")):
        return str(source["label"])
    date = source.get("date_as_printed")
    return str(source["producer"]) + ("" if is_missing(date) else f", {date}")


def series_label(label: str, estimate: str) -> str:
    """Return the label of one source's figures of one kind.

    Example:
        >>> series_label("Soufan 2015", "unofficial"), series_label("IEP 2015", "reported")
        ('Soufan 2015, unofficial', 'IEP 2015')
    """
    return label if estimate == "reported" else f"{label}, {estimate}"


def number(value: float, decimals: int = 0) -> str:
    """Return a number with thousands separators.

    Example:
        >>> number(7000), number(526.214, 1)
        ('7,000', '526.2')
    """
    return f"{value:,.{decimals}f}"


def figure_ends(row: dict, stem: str = "fighters") -> tuple[str, float | None, float | None]:
    """Return an estimate's kind ("single", "range" or "none") and its ends as printed (a
    single figure is both); ``stem`` is ``fighters`` or ``fighters_per_million``.

    Example:
        >>> figure_ends({"fighters": None, "fighters_low": 15, "fighters_high": 14})
        ('range', 15.0, 14.0)
    """
    low, high = row.get(f"fighters_low{stem[8:]}"), row.get(f"fighters_high{stem[8:]}")
    if not is_missing(row.get(stem)):
        return "single", float(row[stem]), float(row[stem])
    if not is_missing(low) and not is_missing(high):
        return "range", float(low), float(high)  # type: ignore[arg-type]
    return "none", None, None


def figure_text(row: dict, stem: str = "fighters", decimals: int = 0) -> str:
    """Return an estimate as shown: "600", a range "43\u2013366" or "listed, no figure".

    Example:
        >>> figure_text({"fighters": None, "fighters_low": 1500, "fighters_high": 3000})
        '1,500\u20133,000'
    """
    kind, low, high = figure_ends(row, stem)
    if kind == "none":
        return NO_FIGURE
    shown = number(low, decimals)  # type: ignore[arg-type]
    return shown if kind == "single" else f"{shown}{DASH}{number(high, decimals)}"  # type: ignore[arg-type]


def date_text(value: object) -> str:
    """Return an ISO date or span in words at its own precision ("" when missing).

    Example:
        >>> date_text("2011/2013-12-10"), date_text("2014-12"), date_text("2015")
        ('2011 to 10 Dec 2013', 'Dec 2014', '2015')
    """
    if is_missing(value) or not str(value):
        return ""
    parts = []
    for part in str(value).split("/"):
        numbers = [int(p) for p in part.split("-")]
        words = (
            [str(numbers[0])] if len(numbers) == 1 else [_MONTHS[numbers[1] - 1], str(numbers[0])]
        )
        parts.append(" ".join([str(n) for n in numbers[2:]] + words))
    return " to ".join(parts)


def aggregate_value(row: dict) -> str:
    """Return an aggregate figure as words: qualifier, number or range, unit.

    Example:
        >>> aggregate_value({"value": 2.0, "unit": "percent", "qualifier": "less_than"})
        'less than 2%'
    """

    def fmt(v: object) -> str:
        value = float(v)  # type: ignore[arg-type]
        return f"{value:,.0f}" if value == int(value) else f"{value:,.3g}"

    if not is_missing(row.get("value")):
        amount = fmt(row["value"])
    elif not is_missing(row.get("value_low")) and not is_missing(row.get("value_high")):
        amount = f"{fmt(row['value_low'])}-{fmt(row['value_high'])}"
    else:
        return "in words only, no number"
    unit = str(row.get("unit", ""))
    text = amount + "%" if unit == "percent" else f"{amount} {unit}"
    words = QUALIFIER_WORDS.get(str(row.get("qualifier")))
    return f"{words} {text}" if words else text


def paired_source(data: ReportData) -> pd.Series | None:
    """Return the source with the most countries among those that give both official and
    unofficial figures (its chart pairs them), or None.

    Example:
        >>> str(paired_source(load_report_data())["label"])
        'Soufan 2015'
    """
    declared = data.sources.dropna(subset=["label"])
    kinds = declared["estimate_kinds"].astype(str).str.split(";")
    both = declared[kinds.map(lambda k: {"official", "unofficial"} <= set(k)).astype(bool)]
    if both.empty:
        return None
    counts = [
        data.estimates.loc[data.estimates["source_id"] == s, "iso3"].nunique()
        for s in both["source_id"]
    ]
    return both.iloc[max(range(len(counts)), key=lambda i: (counts[i], -i))]


def official_pairs(data: ReportData) -> pd.DataFrame:
    """Return the :func:`paired_source`'s official and unofficial figure per country,
    largest official first (empty when no source gives both).

    Example:
        >>> top = official_pairs(load_report_data()).iloc[0]
        >>> str(top["country_name"]), int(top["official"]), int(top["unofficial"])
        ('Tunisia', 6000, 7000)
    """
    source = paired_source(data)
    source_id = None if source is None else source["source_id"]
    rows = data.estimates[data.estimates["source_id"] == source_id]
    wide = rows.pivot(index=["iso3", "country_name"], columns="estimate", values="fighters")
    wide = wide.reindex(columns=["official", "unofficial"]).reset_index()
    wide.columns.name = None
    return wide.sort_values(
        ["official", "unofficial", "country_name"],
        ascending=[False, False, True],
        na_position="last",
    ).reset_index(drop=True)


def series_order(data: ReportData) -> list[str]:
    """Return the series labels in a stable order: the paired source first, then the others
    by the date their estimates refer to (end of a span); official, unofficial, reported.

    Example:
        >>> series_order(load_report_data())[:3]
        ['Soufan 2015, official', 'Soufan 2015, unofficial', 'ICSR Jan 2015']
    """
    rank = {"official": 0, "unofficial": 1, "reported": 2}
    paired = paired_source(data)
    paired_id = None if paired is None else paired["source_id"]
    ends = {
        s: period_bounds(d)[1]
        for s, d in zip(data.estimates["source_id"], data.estimates["refers_to_date"], strict=True)
    }
    pairs = data.estimates[["source_id", "estimate", "series"]].drop_duplicates()
    keyed = sorted(
        (s != paired_id, ends[s], s, rank.get(e, 3), label)
        for s, e, label in pairs.itertuples(index=False)
    )
    return [label for *_, label in keyed]


def estimate_rows(data: ReportData) -> list[dict]:
    """Return every estimate as a dict with its ``kind``, ``low``/``high`` ends (None when
    listed without a figure), per-million ends and the period (``start``, ``end``).

    Example:
        >>> uk = [r for r in estimate_rows(load_report_data()) if r["iso3"] == "GBR"]
        >>> sorted((r["low"], r["high"]) for r in uk)[:2]
        [(500.0, 600.0), (600.0, 600.0)]
    """
    rows = []
    for row in data.estimates.to_dict("records"):
        kind, low, high = figure_ends(row)
        _, rate_low, rate_high = figure_ends(row, "fighters_per_million")
        start, end = period_bounds(row["refers_to_date"])
        rows.append(
            {**row, "kind": kind, "low": low, "high": high, "rate_low": rate_low}
            | {"rate_high": rate_high, "start": start, "end": end}
        )
    return rows


def _spread(data: ReportData, low: str, high: str) -> pd.DataFrame:
    """Per country: the smallest and largest of the ends ``low`` and ``high`` of its
    estimates that have them, the largest low end (``top_low``, a single figure is both its
    ends), the smallest high end (``bottom_high``), and its number of series."""
    import pandas as pd

    rows = pd.DataFrame([r for r in estimate_rows(data) if r[high] is not None])
    rows = rows.assign(lo=rows[[low, high]].min(axis=1), hi=rows[[low, high]].max(axis=1))
    spread = rows.groupby(["iso3", "country_name"]).agg(
        low=("lo", "min"),
        high=("hi", "max"),
        top_low=("lo", "max"),
        bottom_high=("hi", "min"),
        n=("series", "nunique"),
    )
    return spread.reset_index()


def disagreements(data: ReportData) -> pd.DataFrame:
    """Return countries with figures in two or more series, the widest disagreement first.

    ``gap`` compares like with like: the largest low end of a range or single figure
    (``top_low``) divided by the smallest high end or single figure (``bottom_high``), how
    far apart the estimates stay when each is read at the end nearest the others; 1 or less
    when every range overlaps the others. ``low`` and ``high`` are the smallest and largest
    number printed.

    Example:
        >>> d = disagreements(load_report_data())
        >>> list(d["country_name"])[:2], round(float(d["gap"][0]), 2)
        (['Tunisia', 'France'], 2.33)
    """
    out = _spread(data, "low", "high")
    out = out.assign(gap=out["top_low"] / out["bottom_high"])[out["n"] >= 2]
    return out.sort_values(["gap", "country_name"], ascending=[False, True]).reset_index(drop=True)


def top_rates(data: ReportData, n: int = 15) -> pd.DataFrame:
    """Return the ``n`` countries with the highest figure per million inhabitants in any
    series (``highest``: a single figure's rate, or the rate of the high end of a range).

    Example:
        >>> list(top_rates(load_report_data(), n=2)["country_name"])
        ['Tunisia', 'Kosovo']
    """
    out = _spread(data, "rate_low", "rate_high").rename(columns={"high": "highest"})
    out = out[["iso3", "country_name", "highest"]].sort_values(
        ["highest", "country_name"], ascending=[False, True]
    )
    return out.head(n).reset_index(drop=True)


def most_estimated(data: ReportData, n: int = 12) -> list[str]:
    """Return the iso3 codes of the ``n`` countries with the most estimates (figures,
    ranges, or listings without a figure), ties broken by the largest number printed.

    Example:
        >>> most_estimated(load_report_data(), 2)
        ['TUN', 'FRA']
    """
    counts: dict[str, int] = {}
    largest: dict[str, float] = {}
    for row in estimate_rows(data):
        counts[row["iso3"]] = counts.get(row["iso3"], 0) + 1
        top = max(row["low"] or 0.0, row["high"] or 0.0)
        largest[row["iso3"]] = max(largest.get(row["iso3"], 0.0), top)
    return sorted(counts, key=lambda iso3: (-counts[iso3], -largest[iso3], iso3))[:n]


def region_totals(data: ReportData) -> pd.DataFrame:
    """Return the UN-region totals (``level == 'region'``) in series order, then by region: a
    sum of single figures (``fighters``) or, where a range is summed, the sums of its ends.

    Example:
        >>> totals = region_totals(load_report_data())
        >>> row = totals.query("series == 'ICSR Jan 2015' and area == 'Africa'").iloc[0]
        >>> int(row.fighters_low), int(row.fighters_high), int(row.country_count)
        (1500, 3000, 1)
    """
    rows = data.regional[data.regional["level"] == "region"]
    order = {label: i for i, label in enumerate(series_order(data))}
    rows = rows.assign(_order=[order.get(s, len(order)) for s in rows["series"]])
    rows = rows.sort_values(["_order", "series", "area"]).drop(columns="_order")
    return rows.reset_index(drop=True)


def flagged(data: ReportData) -> pd.DataFrame:
    """Return the figures that carry a flag, one row per figure.

    Example:
        >>> "listed_without_figure" in set(flagged(load_report_data())["oddities"])
        True
    """
    rows = data.estimates[data.estimates["oddities"].fillna("") != ""]
    return rows.sort_values(["oddities", "country_name", "source_id", "estimate"]).reset_index(
        drop=True
    )
