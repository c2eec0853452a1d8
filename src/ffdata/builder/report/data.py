"""The report's numbers, read from the published tables (nothing is computed that they lack).

Example:
    >>> data = load_report_data()
    >>> int(data.estimates.query("iso3 == 'TUN' and estimate == 'official'").fighters.iloc[0])
    6000
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_MONTHS = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


@dataclass(frozen=True)
class ReportData:
    """The tables the report reads, with country names and series labels joined in."""

    estimates: pd.DataFrame
    sources: pd.DataFrame
    documents: pd.DataFrame
    aggregates: pd.DataFrame
    regional: pd.DataFrame


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
    )


def series_label(label: str, estimate: str) -> str:
    """Return the label of one source's figures of one kind, from the source's ``label``.

    Example:
        >>> series_label("Soufan 2015", "unofficial")
        'Soufan 2015, unofficial'
        >>> series_label("IEP 2015", "reported")
        'IEP 2015'
    """
    return label if estimate == "reported" else f"{label}, {estimate}"


def declared_sources(data: ReportData) -> pd.DataFrame:
    """Return the sources with country estimates (those with a ``label``), in table order.

    Example:
        >>> list(declared_sources(load_report_data())["label"])
        ['Barrett 2014 / Soufan 2015', 'IEP 2015', 'Soufan 2015']
    """
    return data.sources[data.sources["label"].notna()].reset_index(drop=True)


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


def date_key(text: str | None) -> tuple[int, int, int] | None:
    """Return a sortable (year, month, day) of a date as printed, or None when it has no year.

    Example:
        >>> date_key("October 6, 2016"), date_key("December 2015"), date_key("n.d.")
        ((2016, 10, 6), (2015, 12, 0), None)
    """
    if is_missing(text) or not text:
        return None
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    if year is None:
        return None
    month = next(
        (n for name, n in _MONTHS.items() if re.search(rf"\b{name[:3]}", text, re.IGNORECASE)),
        0,
    )
    day = re.search(r"\b([0-3]?\d)\b(?!\d)", text.replace(year.group(1), ""))
    return (int(year.group(1)), month, int(day.group(1)) if day and month else 0)


def date_range(dates: Iterable[str | None]) -> tuple[str, str] | None:
    """Return the earliest and latest of dates as printed (those without a year are ignored).

    Example:
        >>> date_range(["November 2015", None, "October 6, 2016", "December 2015"])
        ('November 2015', 'October 6, 2016')
    """
    keyed = sorted((k, str(d)) for d in dates if (k := date_key(d)) is not None)
    if not keyed:
        return None
    return keyed[0][1], keyed[-1][1]


def is_missing(value: object) -> bool:
    """Return True for None, pandas NA and NaN.

    Example:
        >>> import pandas as pd
        >>> is_missing(pd.NA), is_missing(float("nan")), is_missing(0)
        (True, True, False)
    """
    import pandas as pd

    return value is None or bool(pd.isna(value))


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


def figures_by_country(data: ReportData, value: str = "fighters") -> pd.DataFrame:
    """Return one row per country, one column per series, holding ``value``.

    Example:
        >>> wide = figures_by_country(load_report_data()).set_index("name")
        >>> int(wide.loc["Tunisia", "IEP 2015"])
        5000
    """
    wide = data.estimates.pivot(index=["iso3", "name"], columns="series", values=value)
    wide = wide.reindex(columns=series_order(data)).reset_index()
    wide.columns.name = None
    return wide


def series_order(data: ReportData) -> list[str]:
    """Return the series labels in a stable order: by source, then official, unofficial, reported.

    Example:
        >>> series_order(load_report_data())[:2]
        ['Soufan 2015, official', 'Soufan 2015, unofficial']
    """
    rank = {"official": 0, "unofficial": 1, "reported": 2}
    paired = paired_source(data)
    known = list(declared_sources(data)["source_id"])
    if paired is not None:  # the paired source first, as the page shows it first
        known.remove(paired["source_id"])
        known.insert(0, paired["source_id"])
    pairs = data.estimates[["source_id", "estimate", "series"]].drop_duplicates()
    keyed = sorted(
        (
            (known.index(s) if s in known else len(known), s, rank.get(e, 3), label)
            for s, e, label in pairs.itertuples(index=False)
        ),
    )
    return [label for *_, label in keyed]


def disagreements(data: ReportData) -> pd.DataFrame:
    """Return countries with figures in two or more series, the widest disagreement first.

    ``ratio`` is the largest figure divided by the smallest (``low``); 1 when they agree.

    Example:
        >>> d = disagreements(load_report_data())
        >>> list(d["ratio"]) == sorted(d["ratio"], reverse=True), bool((d["n"] >= 2).all())
        (True, True)
    """
    wide = figures_by_country(data)
    series = [c for c in wide.columns if c not in ("iso3", "name")]
    values = wide[series].astype("float64")
    wide = wide.assign(
        n=values.notna().sum(axis=1),
        low=values.min(axis=1),
        ratio=values.max(axis=1) / values.min(axis=1),
    )
    wide = wide[wide["n"] >= 2]
    return wide.sort_values(["ratio", "name"], ascending=[False, True]).reset_index(drop=True)


def top_rates(data: ReportData, n: int = 15) -> pd.DataFrame:
    """Return the ``n`` countries with the highest figure per million inhabitants in any series.

    Example:
        >>> top = top_rates(load_report_data(), n=3)
        >>> len(top), list(top["highest"]) == sorted(top["highest"], reverse=True)
        (3, True)
    """
    wide = figures_by_country(data, value="fighters_per_million")
    series = [c for c in wide.columns if c not in ("iso3", "name")]
    wide = wide.assign(highest=wide[series].astype("float64").max(axis=1))
    wide = wide.sort_values(["highest", "name"], ascending=[False, True])
    return wide.head(n).reset_index(drop=True)


def region_totals(data: ReportData) -> pd.DataFrame:
    """Return the UN-region totals (``level == 'region'``) of single figures (a source that
    prints ranges has low and high sums instead), in series order, then by region.

    Example:
        >>> totals = region_totals(load_report_data())
        >>> row = totals.query("series == 'Soufan 2015, official' and area == 'Africa'").iloc[0]
        >>> int(row.fighters), int(row.countries)
        (8044, 7)
    """
    rows = data.regional[(data.regional["level"] == "region") & data.regional["fighters"].notna()]
    order = {label: i for i, label in enumerate(series_order(data))}
    rows = rows.assign(_order=[order.get(s, len(order)) for s in rows["series"]])
    rows = rows.sort_values(["_order", "series", "area"]).drop(columns="_order")
    return rows.reset_index(drop=True)


def flagged(data: ReportData) -> pd.DataFrame:
    """Return the figures that carry a flag, one row per figure.

    Example:
        >>> rows = flagged(load_report_data())
        >>> sorted(set(";".join(rows["flags"]).split(";")))
        ['irregular_punctuation', 'unofficial_below_official']
    """
    rows = data.estimates[data.estimates["flags"].fillna("") != ""]
    return rows.sort_values(["flags", "name", "source_id", "estimate"]).reset_index(drop=True)
