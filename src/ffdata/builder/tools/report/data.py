"""The report's numbers, read from the published tables (nothing is computed that they lack).

An estimate is a single figure (``fighters``), a range as printed (``fighters_low`` and
``fighters_high``, shown as "43\u2013366", never as a midpoint), or a country listed without a
figure. Dates are ISO 8601 at the precision printed, or spans ``start/end``.

Example:
    >>> data = load_report_data()
    >>> int(data.estimates.query("iso3 == 'TUN' and estimate == 'official'").fighters.iloc[0])
    6000
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ffdata.builder.inputs.dates import period_bounds

if TYPE_CHECKING:
    import pandas as pd

#: The dash between the ends of a range (an en dash, as typeset ranges are printed).
DASH = "\u2013"
#: What a country listed without a figure shows in place of a number.
NO_FIGURE = "listed, no figure"
T = TypeVar("T")
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
    #: source_id -> the name a reader sees (:func:`source_label`); no raw id is shown.
    source_labels: dict[str, str] = field(default_factory=dict)
    #: What :func:`once_per_data` functions worked out from these tables, by function.
    worked_out: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def once_per_data(function: Callable[[ReportData], T]) -> Callable[[ReportData], T]:
    """Work out ``function(data)`` once per :class:`ReportData`: the charts ask for the same
    series, colours and rows many times. What it returns is shared: never change it.

    Example:
        >>> calls = []
        >>> @once_per_data
        ... def rows(data):
        ...     calls.append(1)
        ...     return len(data.estimates)
        >>> data = load_report_data()
        >>> rows(data) == rows(data), len(calls)
        (True, 1)
    """

    @functools.wraps(function)
    def worked_out(data: ReportData) -> T:
        key = f"{function.__module__}.{function.__qualname__}"
        if key not in data.worked_out:
            data.worked_out[key] = function(data)
        return data.worked_out[key]

    return worked_out


def load_report_data() -> ReportData:
    """Load the published tables and add ``name``, ``region``, ``series`` to the estimates.

    ``series`` labels one source and kind of figure, e.g. ``"Soufan 2015, official"``.

    Example:
        >>> data = load_report_data()
        >>> {"IEP 2015", "Soufan 2015, official"} <= set(data.estimates.query("iso3 == 'TUN'").series)
        True
    """
    import ffdata

    sources = ffdata.load("sources")
    countries = ffdata.load("countries", columns=["iso3", "name", "region", "subregion"])
    estimates = ffdata.load("country_estimates").merge(countries, on="iso3", how="left")
    estimates["estimate"] = estimates["estimate"].astype(str)
    labels = {
        s: label if isinstance(label, str) else producer
        for s, label, producer in zip(
            sources["source_id"], sources["label"], sources["producer"], strict=True
        )
    }
    estimates["series"] = [
        series_label(labels.get(s, s), e)
        for s, e in zip(estimates["source_id"], estimates["estimate"], strict=True)
    ]
    regional = ffdata.load("regional_totals")
    regional["estimate"] = regional["estimate"].astype(str)
    regional["level"] = regional["level"].astype(str)
    regional["series"] = [
        series_label(labels.get(s, s), e)
        for s, e in zip(regional["source_id"], regional["estimate"], strict=True)
    ]
    return ReportData(
        estimates=estimates,
        sources=sources,
        documents=ffdata.load("documents"),
        aggregates=ffdata.load("aggregate_figures"),
        regional=regional,
        totals=ffdata.totals(),
        source_labels={r["source_id"]: source_label(r) for r in sources.to_dict("records")},
    )


def source_label(source: dict) -> str:
    """Return how the report names a source: its chart label, else its producer and date.

    Example:
        >>> source_label({"label": "IEP 2015", "producer": "Institute for Economics and Peace"})
        'IEP 2015'
        >>> source_label({"label": None, "producer": "United Nations",
        ...               "date_as_printed": "September 2014"})
        'United Nations, September 2014'
    """
    if not is_missing(source.get("label")):
        return str(source["label"])
    date = source.get("date_as_printed")
    return str(source["producer"]) + ("" if is_missing(date) else f", {date}")


def series_label(label: str, estimate: str) -> str:
    """Return the label of one source's figures of one kind, from the source's ``label``.

    Example:
        >>> series_label("Soufan 2015", "unofficial")
        'Soufan 2015, unofficial'
        >>> series_label("IEP 2015", "reported")
        'IEP 2015'
    """
    return label if estimate == "reported" else f"{label}, {estimate}"


def is_missing(value: object) -> bool:
    """Return True for None, pandas NA and NaN.

    Example:
        >>> import pandas as pd
        >>> is_missing(pd.NA), is_missing(float("nan")), is_missing(0)
        (True, True, False)
    """
    import pandas as pd

    return value is None or bool(pd.isna(value))


def number(value: float, decimals: int = 0) -> str:
    """Return a number with thousands separators.

    Example:
        >>> number(7000), number(526.214, 1)
        ('7,000', '526.2')
    """
    return f"{value:,.{decimals}f}"


def figure_kind(row: dict, stem: str = "fighters") -> str:
    """Return ``"single"``, ``"range"`` or ``"none"`` (listed without a figure) for an estimate.

    ``stem`` names the columns: ``fighters`` (with ``fighters_low``, ``fighters_high``) or
    ``fighters_per_million`` (with ``fighters_low_per_million``...).

    Example:
        >>> figure_kind({"fighters": None, "fighters_low": 43, "fighters_high": 366})
        'range'
    """
    low, high = _range_columns(stem)
    if not is_missing(row.get(stem)):
        return "single"
    if not is_missing(row.get(low)) and not is_missing(row.get(high)):
        return "range"
    return "none"


def _range_columns(stem: str) -> tuple[str, str]:
    if stem == "fighters":
        return "fighters_low", "fighters_high"
    head, _, tail = stem.partition("_per_")
    return f"{head}_low_per_{tail}", f"{head}_high_per_{tail}"


def figure_text(row: dict, stem: str = "fighters", decimals: int = 0) -> str:
    """Return an estimate as shown: "600", a range "43\u2013366" (ends as printed, never a
    midpoint) or "listed, no figure".

    Example:
        >>> figure_text({"fighters": 600})
        '600'
        >>> figure_text({"fighters": None, "fighters_low": 1500, "fighters_high": 3000})
        '1,500\u20133,000'
        >>> figure_text({"fighters": None, "fighters_low": None, "fighters_high": None})
        'listed, no figure'
    """
    kind = figure_kind(row, stem)
    low, high = _range_columns(stem)
    if kind == "single":
        return number(float(row[stem]), decimals)
    if kind == "range":
        return f"{number(float(row[low]), decimals)}{DASH}{number(float(row[high]), decimals)}"
    return NO_FIGURE


def figure_ends(row: dict, stem: str = "fighters") -> tuple[float, float] | None:
    """Return an estimate's (low, high) as printed (a single figure is both), or None.

    Example:
        >>> figure_ends({"fighters": None, "fighters_low": 15, "fighters_high": 14})
        (15.0, 14.0)
    """
    kind = figure_kind(row, stem)
    low, high = _range_columns(stem)
    if kind == "single":
        return float(row[stem]), float(row[stem])
    if kind == "range":
        return float(row[low]), float(row[high])
    return None


def sort_value(row: dict, stem: str = "fighters") -> float | None:
    """Return the number a table sorts an estimate by: the single figure, or the high end
    of a range as printed (never a midpoint); None when listed without a figure.

    Example:
        >>> sort_value({"fighters": None, "fighters_low": 43, "fighters_high": 366})
        366.0
    """
    ends = figure_ends(row, stem)
    return None if ends is None else ends[1]


def date_text(value: object) -> str:
    """Return an ISO date or span in words at its own precision ("" when missing).

    Example:
        >>> date_text("2011/2013-12-10"), date_text("2014-12"), date_text("2015")
        ('2011 to 10 Dec 2013', 'Dec 2014', '2015')
    """
    if is_missing(value) or not str(value):
        return ""
    return " to ".join(_one_date_text(part) for part in str(value).split("/"))


def _one_date_text(part: str) -> str:
    numbers = [int(p) for p in part.split("-")]
    if len(numbers) == 1:
        return str(numbers[0])
    month = _MONTHS[numbers[1] - 1]
    if len(numbers) == 2:
        return f"{month} {numbers[0]}"
    return f"{numbers[2]} {month} {numbers[0]}"


_QUALIFIER_WORDS = {
    "approximately": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "less_than": "less than ",
}


def aggregate_value(row: dict) -> str:
    """Return an aggregate figure as words: qualifier, number or range, unit.

    Example:
        >>> aggregate_value({"value": 2.0, "value_low": None, "value_high": None,
        ...                  "unit": "percent", "qualifier": "less_than"})
        'less than 2%'
        >>> aggregate_value({"value": None, "value_low": 20.0, "value_high": 35.0,
        ...                  "unit": "years", "qualifier": "range"})
        '20-35 years'
        >>> aggregate_value({"value": 100 / 9, "unit": "percent", "qualifier": "approximately"})
        'about 11.1%'
    """

    def fmt(v: object) -> str:
        number = float(v)  # type: ignore[arg-type]
        return f"{number:,.0f}" if number == int(number) else f"{number:,.3g}"

    if not is_missing(row.get("value")):
        amount = fmt(row["value"])
    elif not is_missing(row.get("value_low")) and not is_missing(row.get("value_high")):
        amount = f"{fmt(row['value_low'])}-{fmt(row['value_high'])}"
    else:
        return "in words only, no number"
    unit = str(row.get("unit", ""))
    text = amount + "%" if unit == "percent" else f"{amount} {unit}"
    return _QUALIFIER_WORDS.get(str(row.get("qualifier")), "") + text


@once_per_data
def declared_sources(data: ReportData) -> pd.DataFrame:
    """Return the sources with country estimates (those with a ``label``), in table order.

    Example:
        >>> list(declared_sources(load_report_data())["label"])[:3]
        ['Barrett 2014 / Soufan 2015', 'ICSR Dec 2013', 'ICSR Jan 2015']
    """
    return data.sources[data.sources["label"].notna()].reset_index(drop=True)


@once_per_data
def series_colours(data: ReportData) -> dict[str, str]:
    """Return each series' colour as its source declares it (``chart_colours``).

    Example:
        >>> series_colours(load_report_data())["Soufan 2015, official"]
        '#0072b2'
    """
    out = {}
    for row in declared_sources(data).itertuples(index=False):
        kinds = str(row.estimate_kinds).split(";")
        for kind, colour in zip(kinds, str(row.chart_colours).split(";"), strict=True):
            out[series_label(str(row.label), kind)] = colour
    return out


@once_per_data
def paired_source(data: ReportData) -> pd.Series | None:
    """Return the source with the most countries among those that give both official and
    unofficial figures (its chart pairs them), or None.

    Example:
        >>> str(paired_source(load_report_data())["label"])
        'Soufan 2015'
    """
    declared = declared_sources(data)
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
        >>> pairs = official_pairs(load_report_data())
        >>> top = pairs.iloc[0]
        >>> str(top["name"]), int(top["official"]), int(top["unofficial"])
        ('Tunisia', 6000, 7000)
    """
    source = paired_source(data)
    source_id = None if source is None else source["source_id"]
    rows = data.estimates[data.estimates["source_id"] == source_id]
    wide = rows.pivot(index=["iso3", "name"], columns="estimate", values="fighters")
    wide = wide.reindex(columns=["official", "unofficial"]).reset_index()
    wide.columns.name = None
    return wide.sort_values(
        ["official", "unofficial", "name"], ascending=[False, False, True], na_position="last"
    ).reset_index(drop=True)


@once_per_data
def series_order(data: ReportData) -> list[str]:
    """Return the series labels in a stable order: the paired source first, then the others
    by the date their estimates refer to (end of a span); official, unofficial, reported.

    Example:
        >>> series_order(load_report_data())[:3]
        ['Soufan 2015, official', 'Soufan 2015, unofficial', 'ICSR Dec 2013']
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


@once_per_data
def estimate_rows(data: ReportData) -> list[dict]:
    """Return every estimate as a dict with its ``low``/``high`` ends (a single figure is both;
    None when listed without a figure), per-million ends and the period it refers to.

    Example:
        >>> uk = [r for r in estimate_rows(load_report_data()) if r["iso3"] == "GBR"]
        >>> sorted((r["low"], r["high"]) for r in uk)[:2]
        [(43.0, 366.0), (500.0, 600.0)]
    """
    rows = []
    for row in data.estimates.to_dict("records"):
        ends = figure_ends(row)
        rates = figure_ends(row, "fighters_per_million")
        start, end = period_bounds(row["refers_to_date"])
        rows.append(
            {
                **row,
                "kind": figure_kind(row),
                "low": None if ends is None else ends[0],
                "high": None if ends is None else ends[1],
                "rate_low": None if rates is None else rates[0],
                "rate_high": None if rates is None else rates[1],
                "start": start,
                "end": end,
            }
        )
    return rows


def disagreements(data: ReportData) -> pd.DataFrame:
    """Return countries with figures in two or more series, the widest disagreement first.

    ``low`` and ``high`` are the smallest and largest number printed for the country (a
    single figure or an end of a range); ``ratio`` is high / low, 1 when all agree.

    Example:
        >>> d = disagreements(load_report_data())
        >>> list(d["ratio"]) == sorted(d["ratio"], reverse=True), bool((d["n"] >= 2).all())
        (True, True)
    """
    import pandas as pd

    rows = pd.DataFrame([r for r in estimate_rows(data) if r["kind"] != "none"])
    ends = pd.concat(
        [
            rows[["iso3", "name", "low"]].rename(columns={"low": "v"}),
            rows[["iso3", "name", "high"]].rename(columns={"high": "v"}),
        ]
    )
    spread = ends.groupby(["iso3", "name"])["v"].agg(["min", "max"])
    counts = rows.groupby(["iso3", "name"])["series"].nunique().rename("n")
    out = spread.join(counts).reset_index().rename(columns={"min": "low", "max": "high"})
    out = out.assign(ratio=out["high"] / out["low"])
    out = out[out["n"] >= 2]
    return out.sort_values(["ratio", "name"], ascending=[False, True]).reset_index(drop=True)


def top_rates(data: ReportData, n: int = 15) -> pd.DataFrame:
    """Return the ``n`` countries with the highest figure per million inhabitants in any
    series (a single figure's rate, or the rate of the high end of a range).

    Example:
        >>> top = top_rates(load_report_data(), n=3)
        >>> len(top), list(top["highest"]) == sorted(top["highest"], reverse=True)
        (3, True)
    """
    import pandas as pd

    rows = pd.DataFrame([r for r in estimate_rows(data) if r["rate_high"] is not None])
    ends = pd.concat(
        [
            rows[["iso3", "name", "rate_low"]].rename(columns={"rate_low": "v"}),
            rows[["iso3", "name", "rate_high"]].rename(columns={"rate_high": "v"}),
        ]
    )
    highest = ends.groupby(["iso3", "name"])["v"].max().rename("highest").reset_index()
    highest = highest.sort_values(["highest", "name"], ascending=[False, True])
    return highest.head(n).reset_index(drop=True)


def most_estimated(data: ReportData, n: int = 12) -> list[str]:
    """Return the iso3 codes of the ``n`` countries with the most estimates (figures,
    ranges, or listings without a figure), ties broken by the largest number printed.

    Example:
        >>> len(most_estimated(load_report_data(), 4))
        4
    """
    rows = estimate_rows(data)
    counts: dict[str, int] = {}
    largest: dict[str, float] = {}
    for row in rows:
        counts[row["iso3"]] = counts.get(row["iso3"], 0) + 1
        top = max(row["low"] or 0.0, row["high"] or 0.0)
        largest[row["iso3"]] = max(largest.get(row["iso3"], 0.0), top)
    ranked = sorted(counts, key=lambda iso3: (-counts[iso3], -largest[iso3], iso3))
    return ranked[:n]


def region_totals(data: ReportData) -> pd.DataFrame:
    """Return the UN-region totals (``level == 'region'``): a sum of single figures
    (``fighters``) or, where any summed figure is a range, the sums of the low and high ends,
    in series order, then by region.

    Example:
        >>> totals = region_totals(load_report_data())
        >>> row = totals.query("series == 'Soufan 2015, official' and area == 'Africa'").iloc[0]
        >>> int(row.fighters), int(row.country_count)
        (8044, 7)
        >>> row = totals.query("series == 'ICSR Dec 2013' and area == 'Africa'").iloc[0]
        >>> int(row.fighters_low), int(row.fighters_high)
        (991, 2264)
    """
    rows = data.regional[data.regional["level"] == "region"]
    order = {label: i for i, label in enumerate(series_order(data))}
    rows = rows.assign(_order=[order.get(s, len(order)) for s in rows["series"]])
    rows = rows.sort_values(["_order", "series", "area"]).drop(columns="_order")
    return rows.reset_index(drop=True)


def population_years(data: ReportData) -> dict[str, list[int]]:
    """Return, per series, the population years its rates divide by (each estimate's own).

    Example:
        >>> population_years(load_report_data())["ICSR Dec 2013"]
        [2013]
    """
    years: dict[str, set[int]] = {}
    for series, year in zip(
        data.estimates["series"], data.estimates["population_year"], strict=True
    ):
        if not is_missing(year):
            years.setdefault(series, set()).add(int(year))
    return {s: sorted(years[s]) for s in series_order(data) if s in years}


def flagged(data: ReportData) -> pd.DataFrame:
    """Return the figures that carry a flag, one row per figure.

    Example:
        >>> rows = flagged(load_report_data())
        >>> "low_above_high" in set(";".join(rows["oddities"]).split(";"))
        True
    """
    rows = data.estimates[data.estimates["oddities"].fillna("") != ""]
    return rows.sort_values(["oddities", "name", "source_id", "estimate"]).reset_index(drop=True)
