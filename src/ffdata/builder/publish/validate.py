"""Validation of the assembled tables; each failure names the table, rows and document line.

Example:
    >>> from ffdata.builder.pipeline import run_pipeline
    >>> result = run_pipeline("data/raw")   # validates on the way
    >>> check_foreign_keys(result.tables)          # nothing to report: returns None
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

import pandas as pd
import pandera.errors

from ffdata.builder.countries.per_capita import FIGURES, MAX_FIGHTERS_PER_MILLION
from ffdata.builder.extract.numbers import count_spots
from ffdata.builder.publish.schemas import schema_for, without_hypothesis
from ffdata.errors import ValidationError
from ffdata.tables import TABLES

if TYPE_CHECKING:
    from ffdata.builder.inputs.manifest import Document

#: Aggregate metrics that state how many countries a source's tables list.
COUNTRY_COUNT_METRICS = (
    "countries_covered",
    "countries_with_official_figures",
    "countries_with_unofficial_figures_only",
)

_PLACE = ("document_id", "line", "text_as_printed")
_BUG = "this is a bug in an extractor; please report it"
_DERIVED_BUG = "this is a bug in ffdata.builder.countries.per_capita; please report it"


def _where(row: pd.Series | dict) -> str:
    if "document_id" in row and "line" in row:
        return f"{row['document_id']} line {row['line']}"
    return ""


def _row_error(
    tables: dict[str, pd.DataFrame], row: pd.Series | dict, message: str, hint: str
) -> ValidationError:
    files = dict(zip(tables["documents"]["document_id"], tables["documents"]["file"], strict=True))
    return ValidationError(
        message,
        document=files.get(row["document_id"], str(row["document_id"])),
        line=int(row["line"]),
        text=str(row["text_as_printed"]),
        hint=hint,
    )


def check_schema(name: str, frame: pd.DataFrame) -> None:
    """Check ``frame`` against the pandera schema of table ``name``; raise on any failure.

    Example:
        >>> from ffdata.builder.publish.assemble import to_frame
        >>> bad = to_frame("countries", [{"iso3": "tun", "iso2": "TN", "iso_numeric": 788,
        ...     "country_name": "Tunisia", "region": "Africa", "subregion": "Northern Africa",
        ...     "population_2015": 11402264}])
        >>> check_schema("countries", bad)
        Traceback (most recent call last):
        ...
        ffdata.errors.ValidationError: table countries: 1 schema failure(s): column 'iso3' row 0: str_matches('^[A-Z]{3}$') failed for 'tun'
          hint: fix the source row (or the extractor) so that the value meets the codebook
    """
    schema = schema_for(name)
    try:
        with without_hypothesis():
            schema.validate(frame)  # stops at the first failure: a third faster when all hold
        return
    except pandera.errors.SchemaError:
        pass
    try:
        schema.validate(frame, lazy=True)  # every failure, for the message
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        parts = []
        for _, case in cases.head(10).iterrows():
            index = case.get("index")
            row = ""
            if index is not None and index == index and int(index) in frame.index:
                where = _where(frame.loc[int(index)])
                row = f" row {int(index)}" + (f" ({where})" if where else "")
            failed = f"{case['check']} failed for {case['failure_case']!r}"
            parts.append(f"column {case['column']!r}{row}: {failed}")
        hint = "fix the source row (or the extractor) so that the value meets the codebook"
        why = f"{len(cases)} schema failure(s): " + "; ".join(parts)
        raise ValidationError(why, table=name, hint=hint) from exc


def check_primary_key(name: str, frame: pd.DataFrame) -> None:
    """Refuse rows that repeat a primary key, naming the document lines of both.

    Example:
        >>> from ffdata.builder.pipeline import run_pipeline
        >>> t = run_pipeline("data/raw").tables["country_estimates"]
        >>> check_primary_key("country_estimates", pd.concat([t, t.head(1)]))
        Traceback (most recent call last):
        ...
        ffdata.errors.ValidationError: table country_estimates: key (icsr-2015-01, FRA, reported) appears twice: icsr-foreign-fighters-copy line 2 and icsr-foreign-fighters-copy line 2
          hint: a country is listed twice in one source table; keep one row (check the document)
    """
    key = list(TABLES[name].primary_key)
    dup = frame[frame.duplicated(key, keep=False)]
    if dup.empty:
        return
    first_key = tuple(dup.iloc[0][key])
    same = dup[(dup[key] == list(first_key)).all(axis=1)]
    places = " and ".join(_where(row) or f"row {i}" for i, row in same.iterrows())
    hint = "a country is listed twice in one source table; keep one row (check the document)"
    why = f"key ({', '.join(map(str, first_key))}) appears twice: {places}"
    raise ValidationError(why, table=name, hint=hint)


def check_foreign_keys(tables: dict[str, pd.DataFrame]) -> None:
    """Every declared foreign key resolves (source_id, iso3, document_id).
    Example: see the module docstring."""
    for name, table in TABLES.items():
        frame = tables[name]
        for fk in table.foreign_keys:
            target = tables[fk.table]
            known = set(zip(*(target[c] for c in fk.reference), strict=True))
            values = zip(*(frame[c] for c in fk.fields), strict=True)
            for index, value in zip(frame.index, values, strict=True):
                if any(v is None or v is pd.NA for v in value):  # empty: nothing to resolve
                    continue
                if value not in known:
                    where = _where(frame.loc[index])
                    why = f"{'/'.join(fk.fields)} {value!r} at row {index}"
                    why += (f" ({where})" if where else "") + f" has no row in table {fk.table}"
                    hint = f"add the missing {fk.table} row, or correct the reference"
                    raise ValidationError(why, table=name, hint=hint)


def check_provenance(tables: dict[str, pd.DataFrame], docs: dict[str, Document]) -> None:
    """Every ``text_as_printed`` is on its line and prints its figures (a data file's as cells).
    Example: see the module docstring."""
    by_id = {d.entry.document_id: d for d in docs.values()}
    for name in ("country_estimates", "aggregate_figures"):
        frame = tables[name][[*_PLACE, *(FIGURES if name == "country_estimates" else ())]]
        for index, row in zip(frame.index, frame.to_dict("records"), strict=True):
            doc = by_id[row["document_id"]]
            line = int(row["line"])
            text = row["text_as_printed"]
            where = {"line": line, "text": text}
            if line > len(doc.lines) or text not in doc.line(line):
                why = f"text_as_printed of row {index} is not on line {line}"
                raise ValidationError(why, document=doc.file, hint=_BUG, **where)
            if name != "country_estimates":
                continue
            cells = next(csv.reader([text])) if doc.entry.provenance_file else None
            for figure in FIGURES:
                if pd.isna(row[figure]):
                    continue
                value = int(row[figure])
                if (str(value) not in cells) if cells is not None else not count_spots(text, value):
                    why = f"{figure} {row[figure]} is not printed in text_as_printed"
                    raise ValidationError(why, document=doc.file, hint=_BUG, **where)


def check_document_statements(tables: dict[str, pd.DataFrame]) -> None:
    """A ``companion_of`` table lists other countries than its parent's; a stated count of
    countries (:data:`COUNTRY_COUNT_METRICS`) equals the rows of the source and its companions;
    no figure is below the source's ``listing_threshold``. Example: see the module docstring."""
    rows_of: dict[str, list[dict]] = {}
    needed = ["source_id", "iso3", "estimate", "fighters", "fighters_low", *_PLACE]
    for row in tables["country_estimates"][needed].to_dict("records"):
        rows_of.setdefault(row["source_id"], []).append(row)
    sources = tables["sources"]
    companions: dict[str, list[str]] = {}
    for source_id, parent in zip(sources["source_id"], sources["companion_of"], strict=True):
        if isinstance(parent, str):
            companions.setdefault(parent, []).append(source_id)
            listed = {row["iso3"] for row in rows_of.get(parent, [])}
            both = [row for row in rows_of.get(source_id, []) if row["iso3"] in listed]
            if both:
                why = f"{both[0]['iso3']} is listed by {source_id} and by {parent}, whose table it "
                why += "accompanies with other countries"
                raise _row_error(
                    tables, both[0], why, "a country is listed twice; check the document"
                )
    stated_figures = tables["aggregate_figures"].to_dict("records")
    for stated in stated_figures:  # a count printed as a range or in words has no value
        if stated["metric"] not in COUNTRY_COUNT_METRICS or _known(stated["value"]) is None:
            continue
        group = [stated["source_id"], *companions.get(stated["source_id"], [])]
        rows = [row for source_id in group for row in rows_of.get(source_id, [])]
        listed = {row["iso3"] for row in rows}
        official = {row["iso3"] for row in rows if row["estimate"] == "official"}
        counted = {
            "countries_covered": len(listed),
            "countries_with_official_figures": len(official),
            "countries_with_unofficial_figures_only": len(listed - official),
        }[stated["metric"]]
        if counted != int(stated["value"]):
            hint = (
                "a table row is missing, extra or duplicated; compare the table with the document"
            )
            why = f"the tables of {', '.join(group)} give {counted} countries for "
            why += f"{stated['figure_id']}, but the document states {int(stated['value'])}"
            raise _row_error(tables, stated, why, hint)
    for stated in stated_figures:
        if stated["metric"] != "listing_threshold" or _known(stated["value"]) is None:
            continue
        for row in rows_of.get(stated["source_id"], []):
            figure = _known(row["fighters"])
            figure = _known(row["fighters_low"]) if figure is None else figure
            if figure is not None and figure < stated["value"]:
                why = f"{stated['source_id']} figure {figure} is below {int(stated['value'])}, "
                why += f"which the source says it leaves out ({stated['figure_id']})"
                hint = "a digit may have been changed; compare with the document"
                raise _row_error(tables, row, why, hint)


def check_plausible(tables: dict[str, pd.DataFrame]) -> None:
    """No country figure exceeds :data:`MAX_FIGHTERS_PER_MILLION` of its population.

    Example:
        >>> from ffdata.builder.pipeline import run_pipeline
        >>> t = run_pipeline("data/raw").tables
        >>> t["country_estimates"].loc[0, "fighters"] = 20_000_000
        >>> check_plausible(t)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ffdata.errors.ValidationError: reference/icsr-foreign-fighters/data/icsr.csv:2: france: 20,000,000 fighters ...
          hint: ...
    """
    estimates = tables["country_estimates"]
    population = estimates["population"].astype("Float64")
    for figure in FIGURES:
        rate = estimates[figure].astype("Float64") / population * 1_000_000
        implausible = estimates[(rate > MAX_FIGHTERS_PER_MILLION).fillna(False)]
        if not implausible.empty:
            row = implausible.iloc[0]
            fighters, people = int(row[figure]), int(row["population"])
            why = f"{row['name_as_printed']}: {fighters:,} fighters ({figure}) is "
            why += f"{fighters / people * 1e6:,.0f} per million of its {people:,} inhabitants "
            why += f"({row['population_year']}), above the plausible "
            hint = "check the digits against the printed document (a misprint or a misread column?)"
            hint += "; the bound is MAX_FIGHTERS_PER_MILLION in ffdata.builder.countries.per_capita"
            why += f"{MAX_FIGHTERS_PER_MILLION:,} per million"
            raise _row_error(tables, row, why, hint)


def check_derived(tables: dict[str, pd.DataFrame]) -> None:
    """Per-capita rates and regional totals agree with their rows (recomputed independently).
    Example: see the module docstring."""
    estimates = tables["country_estimates"]
    population = estimates["population"].astype("Float64")
    for figure in FIGURES:
        expected = (estimates[figure].astype("Float64") / population * 1_000_000).round(2)
        published = estimates[f"{figure}_per_million"]
        wrong = estimates[
            ((expected - published).abs() > 1e-9).fillna(True)
            & ~(expected.isna() & published.isna())
        ]
        if not wrong.empty:
            why = f"{figure}_per_million {wrong.iloc[0][f'{figure}_per_million']} disagrees with "
            raise _row_error(tables, wrong.iloc[0], why + f"{figure} / population", _DERIVED_BUG)
    expected = _area_sums(tables)
    published = _published_area_sums(tables["regional_totals"])
    for key in sorted(expected.keys() | published.keys()):
        if expected.get(key) != published.get(key):
            level, source_id, estimate, area = key
            why = f"regional total of {source_id}/{estimate} for {level} {area!r} does not equal "
            why += "the sum of its countries"
            raise ValidationError(why, table="regional_totals", hint=_DERIVED_BUG)


def _known(value: object) -> object:
    return None if pd.isna(value) else value


def _area_sums(tables: dict[str, pd.DataFrame]) -> dict[tuple, tuple]:
    """(level, source_id, estimate, area) -> (country_count, low, high, all single, population)."""
    countries = tables["countries"]
    area_of = {
        level: dict(zip(countries["iso3"], countries[level], strict=True))
        for level in ("region", "subregion")
    }
    estimates = tables["country_estimates"]
    names = ("source_id", "estimate", "iso3", "fighters", "fighters_low", "fighters_high")
    columns = [[_known(v) for v in estimates[name].tolist()] for name in (*names, "population")]
    sums: dict[tuple, list] = {}
    for source_id, estimate, iso3, single, low, high, population in zip(*columns, strict=True):
        if single is None and low is None:
            continue
        for level, areas in area_of.items():
            area = _known(areas.get(iso3))
            if area is None:  # the foreign-key check's case
                continue
            entry = sums.setdefault((level, source_id, estimate, area), [set(), 0, 0, True, 0])
            entry[0].add(iso3)
            entry[1] += single if single is not None else low
            entry[2] += single if single is not None else (high or 0)
            entry[3] = entry[3] and single is not None
            entry[4] += population or 0
    return {key: (len(e[0]), e[1], e[2], e[3], e[4]) for key, e in sums.items()}


def _published_area_sums(totals: pd.DataFrame) -> dict[tuple, tuple]:
    names = ("level", "source_id", "estimate", "area", "country_count", "fighters")
    names += ("fighters_low", "fighters_high", "population")
    out = {}
    for *key, count, one, low, high, people in zip(
        *([_known(v) for v in totals[n].tolist()] for n in names), strict=True
    ):
        ends = (low, high) if one is None else (one, one)
        out[tuple(key)] = (count, *ends, one is not None, people)
    return out


def check_figure_forms(tables: dict[str, pd.DataFrame]) -> None:
    """Each estimate is a figure, a range or none (flagged ``listed_without_figure``); a low end
    above the high end is flagged ``low_above_high``. Example: see the module docstring."""
    estimates = tables["country_estimates"]
    flags = estimates["oddities"].fillna("").str.split(";")
    single = estimates["fighters"].notna()
    low, high = estimates["fighters_low"].notna(), estimates["fighters_high"].notna()
    empty = ~single & ~low & ~high
    no_figure = flags.map(lambda f: "listed_without_figure" in f).astype(bool)
    inverted = (estimates["fighters_low"] > estimates["fighters_high"]).fillna(False)
    flagged_inverted = flags.map(lambda f: "low_above_high" in f).astype(bool)
    problems = [
        (single & (low | high), "gives a single figure and a bound"),
        (~single & (low != high), "gives one end of a range only"),
        (empty != no_figure, "has no figure unless, and only if, flagged listed_without_figure"),
        (
            inverted != flagged_inverted,
            "has its low end above its high end unless, and only if, flagged low_above_high",
        ),
    ]
    for mask, problem in problems:
        if mask.any():
            raise _row_error(tables, estimates[mask].iloc[0], f"country estimate {problem}", _BUG)


def validate_tables(
    tables: dict[str, pd.DataFrame], *, docs: dict[str, Document] | None = None
) -> None:
    """Run every check of a build (and ``ffdata validate``); with ``docs``, provenance too.
    Example: see the module docstring."""
    for name in TABLES:
        check_primary_key(name, tables[name])
    for name in TABLES:
        check_schema(name, tables[name])
    check_foreign_keys(tables)
    check_document_statements(tables)
    check_figure_forms(tables)
    check_plausible(tables)
    check_derived(tables)
    if docs is not None:
        check_provenance(tables, docs)
