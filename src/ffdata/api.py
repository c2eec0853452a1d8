"""The reading API beyond ``load``: codebook, comparisons, provenance, summaries, offline.

Example:
    >>> import ffdata
    >>> ce = ffdata.load("country_estimates")
    >>> int(ce.query("iso3 == 'TUN' and estimate == 'official'").fighters.iloc[0])
    6000
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ffdata.display import is_missing, readable, text_as_string
from ffdata.errors import UnknownNameError
from ffdata.loading import data_version, load, unknown_choice
from ffdata.lookup import country_name, find_country, find_sources
from ffdata.tables import ESTIMATES, TABLES, universe_words

if TYPE_CHECKING:
    import pandas as pd


#: The columns of :func:`compare`: a figure of country_estimates (``fighters...``) or of
#: aggregate_figures (``value...``), or the absence of the country from a source's list.
_COMPARED = (
    "iso3 country_name row_kind label universe estimate refers_to_date refers_to_precision "
    "refers_to_year figure published_date fighters fighters_low fighters_high fighters_per_million "
    "fighters_low_per_million fighters_high_per_million population_year value value_low "
    "value_high unit qualifier metric who_is_counted why_not_listed source_id producer "
    "figure_id name_as_printed document_id line printed_at text_as_printed oddities"
)
#: What ``compare()``'s ``row_kind`` says a row is.
ROW_KINDS = {
    "country_estimate": "a row of country_estimates (fighters, fighters_low, fighters_high)",
    "aggregate_figure": "a row of aggregate_figures about the country (value, unit, qualifier)",
    "not_listed": "a source with country estimates that does not list the country "
    "(why_not_listed says what that means; no figure)",
}
_TOTALS = (
    "series refers_to_date producer figure groups_counted place_counted count_kind oddities "
    "document_id line value value_low value_high qualifier refers_to topic source_id figure_id "
    "text_as_printed note"
)
#: The universe of the one series :func:`totals` puts on a line: everyone who had joined the
#: Islamic State up to a date (a stock). Any other count is a series apart (:data:`APART`).
STOCK = {"groups_counted": "islamic_state", "count_kind": "cumulative"}
#: The series of :func:`totals`, in order: the stocks, then counts of other people, apart.
SERIES = ("stock", "serving", "inflow", "other groups", "groups not stated")


def describe(name: str) -> pd.DataFrame:
    """Return the codebook of table ``name``: column, type, unit, constraints, key, meaning.

    Example:
        >>> book = describe("country_estimates").set_index("column")
        >>> book.loc["fighters", "unit"]
        'people'
    """
    import pandas as pd

    from ffdata.codebook import codebook_rows

    if name not in TABLES:
        raise unknown_choice("table", name, list(TABLES))
    return text_as_string(pd.DataFrame(codebook_rows(name)))


def compare(country: str) -> pd.DataFrame:
    """Return everything the package holds for one country, by the date it refers to (a
    span's end), then of publication: each estimate of ``country_estimates``, each figure of
    ``aggregate_figures`` about it, and, for each source with country estimates that does
    not list it, a ``not_listed`` row saying what that means (never a figure, never a zero).
    ``row_kind`` tells them apart (:data:`ROW_KINDS`); every row has the source's ``label``,
    its ``universe`` in words (an aggregate figure's: its ``who_is_counted``, with its
    universe columns for a count of foreign fighters) and
    ``printed_at`` (document:line of the figure; of a ``not_listed`` row, the line that cites
    the source). Any country people type is accepted, one without estimates too; a part of
    a country or a name of two is refused. Text displays as shown.

    Example:
        >>> uk = compare("UK")
        >>> print(uk[["label", "refers_to_date", "fighters", "fighters_low", "fighters_high"]]
        ...       .to_string(index=False))
                label refers_to_date  fighters  fighters_low  fighters_high
        ICSR Jan 2015        2014-12      <NA>           500            600
             IEP 2015           2015       600          <NA>           <NA>
          Soufan 2015           2015       760          <NA>           <NA>
        >>> iran = compare("Iran")
        >>> print(iran[["row_kind", "label", "refers_to_date", "fighters"]].to_string(index=False))
          row_kind         label refers_to_date  fighters
        not_listed ICSR Jan 2015        2014-12      <NA>
        not_listed      IEP 2015           2015      <NA>
        not_listed   Soufan 2015           2015      <NA>
        >>> iran.loc[1, "universe"]
        'IS only in Syria and Iraq, cumulative, lists 500 or more'
    """
    import pandas as pd

    iso3 = find_country(country, with_estimates=False)
    name = country_name(iso3)
    sources = load("sources")
    sources = sources.assign(
        label=sources["label"].fillna(sources["source_id"]),
        universe=[source_universe(row) for row in sources.to_dict("records")],
    )
    about = ["source_id", "label", "universe"]
    estimates = load("country_estimates")
    estimates = estimates[estimates["iso3"] == iso3].assign(row_kind="country_estimate")
    estimates = estimates.merge(sources[[*about, "producer"]], on="source_id", how="left")
    figures = _aggregate_rows(iso3, sources[[*about, "published_date"]])
    absent = _not_listed_rows(iso3, name, sources, set(estimates["source_id"]))
    parts = [part for part in (estimates, figures, absent) if not part.empty]
    rows = pd.concat(parts, ignore_index=True).reindex(columns=_COMPARED.split())
    rows = rows.assign(
        iso3=iso3,
        country_name=name,
        printed_at=[
            f"{d}:{int(n)}" if not pd.isna(n) else pd.NA
            for d, n in zip(rows["document_id"], rows["line"], strict=True)
        ],
        _until=rows["refers_to_date"].str.split("/").str[-1],
    )
    rows["figure"] = [figure_words(r) for r in rows.to_dict("records")]
    order = ["_until", "published_date", "source_id", "estimate", "figure_id"]
    rows = rows.sort_values(order, kind="stable", na_position="last")
    rows = rows.drop(columns="_until").reset_index(drop=True)
    types = {c: d for c, d in _compare_types().items() if c in rows.columns}
    return _versioned(readable(rows.astype(types)))


def _versioned(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``attrs["data_version"]``, the version of the installed tables it is
    made from (:func:`ffdata.loading.data_version`); no file or sha256: it is made from
    several."""
    frame.attrs = {"data_version": data_version()}
    return frame


def _compare_types() -> dict[str, str]:
    """The pandas dtype of each column of :func:`compare`, from the tables it draws on."""
    from ffdata.tables import PANDAS_DTYPES

    types = {
        c.name: PANDAS_DTYPES[c.type]
        for name in ("sources", "country_estimates", "aggregate_figures")
        for c in TABLES[name].columns
    }
    text = [
        "iso3",
        "country_name",
        "row_kind",
        "universe",
        "figure",
        "why_not_listed",
        "printed_at",
    ]
    return {**types, **dict.fromkeys(text, "string"), "source_id": "string"}


def source_universe(source: Mapping[str, Any]) -> str:
    """A ``sources`` row's universe in words (:func:`ffdata.tables.universe_words`), one
    function for :func:`compare`, :func:`country_summary` and the report; empty
    for a source without country estimates.

    Example:
        >>> source_universe({"groups_counted": "syria", "place_counted": None})
        ''
    """
    if is_missing(source.get("groups_counted")) or is_missing(source.get("place_counted")):
        return ""
    threshold = source.get("listing_threshold")
    return universe_words(
        str(source["groups_counted"]),
        str(source["place_counted"]),
        str(source["count_kind"]),
        str(source["not_listed_means"]),
        None if is_missing(threshold) else int(threshold),  # type: ignore[call-overload]
    )


def _aggregate_rows(iso3: str, sources: pd.DataFrame) -> pd.DataFrame:
    """The ``aggregate_figures`` rows about ``iso3``, as :func:`compare` rows: their universe
    is who they count, with the universe columns in words for a count of foreign fighters."""
    import pandas as pd

    figures = load("aggregate_figures")
    rows = figures[figures["iso3"] == iso3].merge(sources, on="source_id", how="left")
    universe = [
        who if pd.isna(groups) else f"{who} ({universe_words(groups, place, kind)})"
        for who, groups, place, kind in zip(
            rows["who_is_counted"],
            rows["groups_counted"],
            rows["place_counted"],
            rows["count_kind"],
            strict=True,
        )
    ]
    return rows.assign(row_kind="aggregate_figure", universe=universe)


def _not_listed_rows(
    iso3: str, name: str, sources: pd.DataFrame, listing: set[str]
) -> pd.DataFrame:
    """One row for each source with country estimates that does not list ``iso3``."""
    import pandas as pd

    declared = sources[sources["estimate_kinds"].notna()]
    rows = []
    for source in declared.to_dict("records"):
        if source["source_id"] in listing:
            continue
        rows.append(
            {
                **{k: source[k] for k in ("source_id", "label", "universe", "producer")},
                **{k: source[k] for k in ("published_date", "refers_to_date")},
                **{k: source[k] for k in ("refers_to_precision", "document_id", "line")},
                "refers_to_year": int(str(source["refers_to_date"]).split("/")[-1][:4]),
                "row_kind": "not_listed",
                "why_not_listed": _why_not_listed(source, iso3, name, declared, listing),
            }
        )
    return pd.DataFrame(rows)


def _why_not_listed(
    source: dict, iso3: str, name: str, declared: pd.DataFrame, listed_by: set[str]
) -> str:
    """Why ``source`` does not list ``iso3``: a country the source counts foreigners in, a
    country of its companion table, or what its ``not_listed_means`` says."""
    import pandas as pd

    from ffdata.tables import PLACE_COUNTRIES, UNIVERSE_WORDS, not_listed_meaning

    label, place = source["label"], str(source["place_counted"])
    if iso3 in PLACE_COUNTRIES.get(place, ()):
        return (
            f"{label} counts foreigners {UNIVERSE_WORDS[place]}: {name}'s own nationals are "
            "not foreigners there, so it gives them no figure (not a zero)."
        )
    companions = [
        other["label"]
        for other in declared.to_dict("records")
        if source["source_id"] == other["companion_of"]
        or other["source_id"] == source["companion_of"]
        if other["source_id"] in listed_by
    ]
    if companions:
        return (
            f"{label} does not list {name}; its companion table in the same document, "
            f"{companions[0]}, does (the two tables list different countries)."
        )
    threshold = source["listing_threshold"]
    meaning = not_listed_meaning(
        str(source["not_listed_means"]), None if pd.isna(threshold) else int(threshold)
    )
    return f"{label} does not list {name}. {meaning}"


def provenance(
    country: str | None = None,
    source: str | None = None,
    estimate: str | None = None,
    figure: str | None = None,
) -> pd.DataFrame:
    """Return where figures come from (document, file, line, text as printed): of a
    ``country`` (optionally of a ``source`` and one ``estimate``), each figure as a point or
    a range (``fighters_low``, ``fighters_high``), or of a ``figure`` id.
    ``source`` is a source id, a label as :func:`compare` shows it ("Soufan 2015") or a
    producer ("ICSR", "World Bank"), as :func:`ffdata.lookup.find_sources` reads it; a
    producer of several sources gives the figures of each.

    Example:
        >>> p = provenance("Tunisia", source="Soufan 2015", estimate="official").iloc[0]
        >>> p.file, int(p.line), p.text_as_printed
        ('niu-2018-excerpt.txt', 10, '1\\tTunisia\\t6000\\t7000')
        >>> provenance("UK", source="ICSR")[["source_id", "estimate", "line"]].values.tolist()
        [['icsr-2015-01', 'reported', 8]]
    """
    documents = load("documents", columns=["document_id", "file", "title"])
    if figure is not None and (country, source, estimate) != (None, None, None):
        raise UnknownNameError(
            "give either a figure id or a country (with source and estimate), not both",
            hint="e.g. provenance(figure=<a figure_id of aggregate_figures>) or provenance('Tunisia')",
        )
    if estimate is not None and estimate not in ESTIMATES:
        raise unknown_choice("estimate", estimate, list(ESTIMATES))
    if figure is not None:
        rows = figure_row(figure).rename(columns={"figure_id": "figure"})
        value_columns = ["figure", "value", "value_low", "value_high", "unit", "qualifier"]
    else:
        if country is None:
            raise UnknownNameError(
                "give a country or a figure id", hint="e.g. provenance('Tunisia')"
            )
        rows = load("country_estimates")
        rows = rows[rows["iso3"] == find_country(country)]
        if source is not None:
            rows = rows[rows["source_id"].isin(find_sources(source))]
        if estimate is not None:
            rows = rows[rows["estimate"] == estimate]
        value_columns = [
            "iso3",
            "source_id",
            "estimate",
            "fighters",
            "fighters_low",
            "fighters_high",
        ]
    rows = rows.merge(documents, on="document_id", how="left")
    columns = [*value_columns, "document_id", "file", "line", "text_as_printed", "title"]
    return _versioned(readable(rows[columns].reset_index(drop=True)))


def figure_row(figure: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Return the ``aggregate_figures`` row of figure id ``figure``, or refuse it.

    Example:
        >>> figure_row("un-2014-foreign-fighters", ["source_id", "value"]).values.tolist()
        [['un-2014', 15000.0]]
    """
    wanted = None if columns is None else list(dict.fromkeys(["figure_id", *columns]))
    figures = load("aggregate_figures", columns=wanted)
    if figure not in set(figures["figure_id"]):
        raise unknown_choice(
            "figure",
            figure,
            sorted(figures["figure_id"]),
            listing="ffdata.load('aggregate_figures').figure_id",
        )
    rows = figures[figures["figure_id"] == figure]
    return rows if columns is None else rows[columns]


def source_ids() -> list[str]:
    """Return the source ids of the published ``sources`` table.

    Example:
        >>> "iep-gti-2015" in source_ids()
        True
    """
    return list(load("sources", columns=["source_id"])["source_id"])


def country_summary() -> pd.DataFrame:
    """Return one row per country with estimates: its ``countries`` columns, then per source
    and kind of estimate ``<column_stem>_<estimate>`` (unless it prints only ranges),
    ``..._low`` and ``..._high`` (if it prints ranges), then the ``..._per_million`` rate of
    each. A country a source
    does not list has an empty cell there, never a zero or a figure of another source (see
    :func:`compare` for what the absence means).

    ``attrs["universe"]`` gives, for each source column, its source's label and what it
    counts (``universe_words`` of its ``sources`` row): sources count different people.

    Example:
        >>> s = country_summary()
        >>> s.set_index("iso3").loc["GBR", ["icsr_2015_reported", "icsr_2015_reported_low"]].tolist()
        [<NA>, 500]
        >>> s.attrs["universe"]["iep_reported"]
        'IEP 2015: IS only in Syria and Iraq, cumulative, lists 500 or more'
    """
    import pandas as pd

    sources = load("sources")
    sources = sources[sources["column_stem"].notna()]
    keys = {
        (source_id, kind): f"{stem}_{kind}"
        for source_id, stem, kinds in sources[
            ["source_id", "column_stem", "estimate_kinds"]
        ].itertuples(index=False)
        for kind in str(kinds).split(";")
    }
    universe = {
        source["source_id"]: f"{source['label']}: {source_universe(source)}"
        for source in sources.to_dict("records")
    }
    estimates = load("country_estimates")
    estimates = estimates.assign(
        key=[
            keys.get((s, str(e)), f"{s}_{e}".replace("-", "_"))
            for s, e in zip(estimates["source_id"], estimates["estimate"], strict=True)
        ]
    )
    order = [k for k in keys.values() if k in set(estimates["key"])]
    order += sorted(set(estimates["key"]) - set(order))
    suffixes = {"fighters": "", "fighters_low": "_low", "fighters_high": "_high"}
    wanted = [
        (key, figure, suffix)
        for key in order
        for figure, suffix in suffixes.items()
        if _summary_column(estimates[estimates["key"] == key], figure)
    ]
    wide = {
        values: estimates.pivot(index="iso3", columns="key", values=values)
        for figure in suffixes
        for values in (figure, f"{figure}_per_million")
    }
    rates = (("", "Int64"), ("_per_million", "Float64"))
    parts = {f"{k}{s}{rate}": wide[f + rate][k] for rate, _ in rates for k, f, s in wanted}
    types = {f"{k}{s}{rate}": dtype for rate, dtype in rates for k, _, s in wanted}
    countries = load("countries").drop(columns=["region_note"])
    countries = countries[countries["iso3"].isin(estimates["iso3"])].set_index("iso3")
    summary = countries.join(pd.DataFrame(parts))
    summary = (
        summary.reset_index().sort_values("country_name", kind="stable").reset_index(drop=True)
    )
    out = _versioned(text_as_string(pd.DataFrame(summary.astype(types))))
    source_of = {key: source_id for (source_id, _), key in keys.items()}
    out.attrs["universe"] = {
        column: universe[source_of[key]]
        for column in parts
        for key in source_of
        if column.startswith(key) and column[len(key) :] in _SUMMARY_SUFFIXES
    }
    return out


def _summary_column(rows: pd.DataFrame, figure: str) -> bool:
    """Whether :func:`country_summary` has a ``figure`` column for one source and kind:
    when any of its ``rows`` has that figure; the single-figure column also when none has
    a figure at all (a source that lists countries without figures), never one always
    empty beside its ranges."""
    if rows[figure].notna().any():
        return True
    ranges = rows[["fighters_low", "fighters_high"]].notna().any().any()
    return figure == "fighters" and not ranges


#: What follows ``<column_stem>_<estimate>`` in a column of :func:`country_summary`.
_SUMMARY_SUFFIXES = {f"{s}{rate}" for s in ("", "_low", "_high") for rate in ("", "_per_million")}


def totals() -> pd.DataFrame:
    """Return the worldwide counts of foreign fighters (metric ``foreign_fighters``, about no
    one country), each with its universe, qualifier and the line that prints it.

    ``series`` says which compare: ``stock`` (everyone who had joined the Islamic State up to
    the date, :data:`STOCK`) is the one series to read as a line over time; ``serving`` (those
    the text says were serving IS at the date, whether or not the killed and returned are
    counted), ``inflow`` (those who arrived within a period), ``other groups`` and ``groups
    not stated`` count other people and are never among the stocks. Stocks first, each series in date order, undated last.
    ``figure`` is the number as the text qualifies it; headcounts are integers.

    Example:
        >>> t = totals()
        >>> t[["series", "refers_to_date", "figure", "document_id", "line"]].values.tolist()
        [['serving', '2014-09', 'more than 15,000', 'niu-2018-excerpt', 5], ['serving', '2015-09', '30,000', 'niu-2018-excerpt', 5]]
        >>> str(t["value"].dtype)
        'Int64'
    """
    figures = load("aggregate_figures")
    keep = (
        (figures["metric"] == "foreign_fighters")
        & (figures["unit"] == "people")
        & figures["iso3"].isna()
    )
    rows = figures.loc[keep].copy()
    for column in ("value", "value_low", "value_high"):
        rows[column] = rows[column].astype("Int64")  # headcounts; a fraction would be refused
    rows["series"] = [
        _series(g, k) for g, k in zip(rows["groups_counted"], rows["count_kind"], strict=True)
    ]
    rows["figure"] = [figure_words(r) for r in rows.to_dict("records")]
    rows["_order"] = rows["series"].map(SERIES.index)
    order = ["_order", "refers_to_date", "figure_id"]
    rows = rows.sort_values(order, kind="stable", na_position="last")
    rows = rows[_TOTALS.split()].astype({"series": "string", "figure": "string"})
    return _versioned(readable(rows.reset_index(drop=True)))


def _series(groups: object, kind: object) -> str:
    """The series of :func:`totals` a count of foreign fighters belongs to.

    Example:
        >>> _series("islamic_state", "cumulative"), _series("all_armed_groups", "inflow")
        ('stock', 'inflow')
        >>> _series("islamic_state", "serving")
        'serving'
    """
    if kind == "inflow":
        return "inflow"
    if groups == STOCK["groups_counted"] and kind == STOCK["count_kind"]:
        return "stock"
    if groups == STOCK["groups_counted"] and kind == "serving":
        return "serving"
    return "groups not stated" if groups == "not_stated" else "other groups"


def figure_words(row: dict) -> str:
    """A figure as a person reads it, with the text's qualifier: "about 700-1,400", "more
    than 11,000", "90%"; for a ``compare()`` or ``country_estimates`` row, its ``fighters``
    columns ("17-60"); empty for a source that lists no figure.

    Example:
        >>> figure_words({"value": None, "value_low": 700, "value_high": 1400,
        ...               "qualifier": "approximate_range"})
        'about 700-1,400'
        >>> figure_words({"fighters": None, "fighters_low": 17, "fighters_high": 60})
        '17-60'
    """
    from ffdata.tables import QUALIFIER_WORDS

    def known(column: str) -> bool:
        return not is_missing(row.get(column))

    def number(column: str) -> str:
        value = float(row[column])
        return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0")

    counted = "fighters" in row and row.get("row_kind") != "aggregate_figure"
    stem = "fighters" if counted else "value"
    if known(stem):
        amount = number(stem)
    elif known(f"{stem}_low") and known(f"{stem}_high"):
        amount = f"{number(f'{stem}_low')}-{number(f'{stem}_high')}"
    elif row.get("row_kind") == "not_listed":
        return ""
    elif stem == "fighters":
        return "no figure"
    else:
        return "in words only, no number"
    amount += "%" if row.get("unit") == "percent" else ""
    words = QUALIFIER_WORDS.get(str(row.get("qualifier")))
    return f"{words} {amount}" if words else amount
