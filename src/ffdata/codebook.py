"""The codebook: every table and column with type, unit, constraints and meaning, from
:mod:`ffdata.tables`; ``docs/codebook.md`` is its Markdown form (``make data`` writes it).

Example:
    >>> rows = codebook_rows("countries")
    >>> rows[0]["column"], rows[0]["type"]
    ('iso3', 'string')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ffdata.tables import TABLES, Column, Table, universe_words

if TYPE_CHECKING:
    import pandas as pd


def _constraints(column: Column) -> str:
    """A column's constraints as a short readable string."""
    parts = ["required" if column.required else "may be empty", "unique" if column.unique else None]
    parts.append(None if column.enum is None else "one of: " + ", ".join(column.enum))
    parts.append(None if column.minimum is None else f">= {column.minimum}")
    parts.append(None if column.maximum is None else f"<= {column.maximum}")
    parts.append(None if column.pattern is None else f"pattern {column.pattern}")
    return "; ".join(p for p in parts if p)


def codebook_rows(name: str) -> list[dict[str, str]]:
    """Return one dict per column of ``name``: column, type, unit, constraints, key, meaning
    (example: the module's)."""
    table = TABLES[name]
    return [
        {
            "column": c.name,
            "type": c.type,
            "unit": c.unit or "",
            "constraints": _constraints(c),
            "key": _key_text(table, c.name),
            "meaning": c.description
            + (f" Formerly {', '.join(f'`{n}`' for n in c.formerly)}." if c.formerly else ""),
        }
        for c in table.columns
    ]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _key_text(table: Table, column: str) -> str:
    parts = ["primary key"] if column in table.primary_key else []
    for fk in table.foreign_keys:
        if column in fk.fields:
            parts.append(f"-> {fk.table}.{fk.reference[fk.fields.index(column)]}")
    return "; ".join(parts)


CONVENTIONS_TEXT = """\
## Conventions

- `estimate`: `official` (government figures), `unofficial` (other estimates),
  `reported` (a single figure from a source that makes no such distinction).
- Kosovo: `XKX` / `XK`, the user-assigned codes used by the World Bank and the
  EU (Kosovo has no ISO 3166-1 code); no numeric code; region Europe / Southern
  Europe, assigned by ffdata because Kosovo has no UN M49 entry (`region_note`).
- Ranges stay ranges: a source that prints a range fills `fighters_low` and
  `fighters_high` and leaves `fighters` empty; no midpoint is published. A
  country listed without a figure is a row with no figure, flagged
  `listed_without_figure`.
- Dates are data: `*_date` columns hold ISO 8601 at the precision printed
  (`2015`, `2015-12`, `2015-12-17`) or a span `start/end` (`2011/2013-12-10`),
  with a `*_precision` column (day, month, year, span), beside the date as
  printed where one is printed.
- Per-capita rates divide each figure (and each end of a range) by the World
  Bank population (SP.POP.TOTL) of `population_year`, the year in which the
  estimate's `refers_to_date` ends; `country_estimates.population` is the
  population used. Rates are derived by ffdata, not printed by the sources, and
  depend on the population vintage (commit and sha256 in `datapackage.json`,
  `reference_data`): the World Bank revises past values, and this vintage's 2015
  populations of Jordan and Lebanon include the refugees from Syria, so their
  rates are about 30% below rates computed from earlier vintages.
- Empty cells in CSV are missing values (null in Parquet); see "Reading the CSVs
  without losing types" below.
- `text_as_printed` keeps the exact text, tabs included (the column breaks of a
  printed table); displays (`ffdata` in a terminal, the report, the frames of
  `compare()` and `provenance()`) show a tab as ` ⇥ ` and control characters as
  escapes (`ffdata.display.shown`).
- No CSV cell runs as a spreadsheet formula: a text cell that starts with `=`,
  `+`, `-`, `@`, a tab, a carriage return or an apostrophe is written with one
  apostrophe before it (`'=1+1`), which spreadsheets show as text. Remove that
  one leading apostrophe to get the text as printed (`ffdata.csv_cells.unescape_cell`;
  `ffdata.load` and the Parquet files give it exactly). Number cells are never
  changed.

## Reading the CSVs without losing types

The Parquet files keep every type; for the CSVs, take the types from
`datapackage.json`:

- pandas: a plain `pd.read_csv` turns an integer column with empty cells
  (`fighters`, `rank_as_printed`, ...) into floats. Give the types instead
  (`integer` -> `Int64`, `number` -> `Float64`, `string` -> `string`, `boolean` ->
  `boolean`):

  ```python
  import json, pandas as pd
  package = json.load(open("datapackage.json"))
  types = {"integer": "Int64", "number": "Float64", "string": "string", "boolean": "boolean"}
  resource = next(r for r in package["resources"] if r["name"] == "country_estimates")
  dtype = {f["name"]: types[f["type"]] for f in resource["schema"]["fields"]}
  frame = pd.read_csv(resource["path"], dtype=dtype, keep_default_na=False, na_values=[""])
  ```

  Without the descriptor, `pd.read_csv(path, dtype_backend="numpy_nullable",
  keep_default_na=False, na_values=[""])` also keeps integers as integers (types
  guessed); `ffdata.load(name, release=...)` does all this for you.
- R: `frictionless::read_resource(frictionless::read_package("datapackage.json"),
  "regional_totals")` reads `integer` fields as doubles, so summed populations
  above R's integer limit of 2,147,483,647 (`regional_totals.population`,
  3,513,916,336 for Asia) are kept. With `readr`, read integer columns with
  `col_double()`: `col_integer()` turns them into NA. Base `read.csv` guesses
  doubles and keeps them.
- Stata: a release holds `data/stata/<table>.dta` (format 118, Stata 14 or
  later): variable labels from this codebook (cut to 80 characters), value labels
  for closed vocabularies, missing numbers as `.`, missing text as `""`, and
  integers above 2,147,483,620 (Stata's `long`) as `double`: `format population
  %15.0f` shows every digit.
"""


def _sources_markdown(sources: pd.DataFrame, estimates: pd.DataFrame) -> str:
    """The codebook section on the sources with a ``label``."""
    import pandas as pd

    out = [
        "## Sources of the country estimates",
        "",
        "Declared in `data/raw/sources.toml`; the `sources` table holds every source with",
        "the footnote that cites it, and `aggregate_figures` every figure that is not per",
        "country. Sources count different things (all armed opposition in Syria; Sunni",
        "militant groups in Syria and Iraq; the Islamic State and other groups) over",
        "different periods: compare their figures with care. The universe column is the",
        "source's groups_counted, place_counted, count_kind and listing rule in words;",
        "a country a source does not list is not a zero (not_listed_means; ffdata.compare",
        "says what the absence means for each country).",
        "",
        "| source_id | label | producer, title, date | kinds | countries | refers to "
        "| universe | what it counts |",
        "| --- | --- | --- | --- | ---: | ---: | --- | --- |",
    ]
    declared = sources[sources["label"].notna()]
    for row in declared.itertuples(index=False):
        rows = estimates[estimates["source_id"] == row.source_id]
        described = ", ".join(
            str(v) for v in (row.producer, row.title, row.date_as_printed) if isinstance(v, str)
        )
        cells = [
            f"`{row.source_id}`",
            str(row.label),
            described,
            str(row.estimate_kinds).replace(";", ", "),
            str(rows["iso3"].nunique()),
            str(row.refers_to_date),
            universe_words(
                str(row.groups_counted),
                str(row.place_counted),
                str(row.count_kind),
                str(row.not_listed_means),
                None if pd.isna(row.listing_threshold) else int(row.listing_threshold),
            ),
            str(row.what_it_counts),
        ]
        out.append(_row(cells))
    return "\n".join(out) + "\n"


def codebook_markdown() -> str:
    """Return the whole codebook as Markdown (what ``docs/codebook.md`` holds).

    Example:
        >>> codebook_markdown().splitlines()[0]
        '# ffdata codebook'
    """
    from ffdata._version import __version__

    out = [
        "# ffdata codebook",
        "",
        f"Generated from `src/ffdata/tables.py` (ffdata {__version__}); do not edit by hand:",
        "run `ffdata codebook > docs/codebook.md`.",
        "",
    ]
    for name, table in TABLES.items():
        out += [
            f"## `{name}`: {table.title}",
            "",
            table.description,
            "",
            f"Primary key: `{', '.join(table.primary_key)}`.",
            "",
            "| column | type | unit | constraints | key | meaning |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in codebook_rows(name):
            cells = [f"`{row['column']}`", row["type"], row["unit"], row["constraints"]]
            cells += [row["key"], row["meaning"]]
            out.append(_row(cells))
        out.append("")
    from ffdata.loading import load

    out.append(_sources_markdown(load("sources"), load("country_estimates")))
    out.append(CONVENTIONS_TEXT)
    return "\n".join(out)
