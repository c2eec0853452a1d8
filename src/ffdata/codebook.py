"""The codebook: every table and column with type, unit, constraints and meaning.

Generated from :mod:`ffdata.tables`; ``docs/codebook.md`` is its Markdown form,
kept current by a test (regenerate with ``ffdata codebook > docs/codebook.md``
or ``make data``).

Example:
    >>> rows = codebook_rows("countries")
    >>> rows[0]["column"], rows[0]["type"]
    ('iso3', 'string')
"""

from __future__ import annotations

from ffdata.tables import TABLES, Column, Table


def constraints_text(column: Column) -> str:
    """Return a column's constraints as a short readable string.

    Example:
        >>> from ffdata.tables import TABLES
        >>> constraints_text(TABLES["country_estimates"].column("fighters"))
        'required; >= 0'
    """
    parts = ["required" if column.required else "may be empty"]
    if column.unique:
        parts.append("unique")
    if column.enum is not None:
        parts.append("one of: " + ", ".join(column.enum))
    if column.minimum is not None:
        parts.append(f">= {column.minimum}")
    if column.maximum is not None:
        parts.append(f"<= {column.maximum}")
    if column.pattern is not None:
        parts.append(f"pattern {column.pattern}")
    return "; ".join(parts)


def codebook_rows(name: str) -> list[dict[str, str]]:
    """Return one dict per column of table ``name``: column, type, unit, constraints, meaning.

    Example: see the module docstring.
    """
    table = TABLES[name]
    return [
        {
            "column": c.name,
            "type": c.type,
            "unit": c.unit or "",
            "constraints": constraints_text(c),
            "key": _key_text(table, c.name),
            "meaning": c.description,
        }
        for c in table.columns
    ]


def _key_text(table: Table, column: str) -> str:
    parts = ["primary key"] if column in table.primary_key else []
    for fk in table.foreign_keys:
        if column in fk.fields:
            parts.append(f"-> {fk.table}.{fk.reference[fk.fields.index(column)]}")
    return "; ".join(parts)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


SOURCES_TEXT = """\
## Sources of the figures

| source_id | producer | what |
| --- | --- | --- |
| `soufan-2015` | The Soufan Group, *Foreign Fighters: An Updated Assessment of the Flow of Foreign Fighters into Syria and Iraq*, December 2015 | Table 1 of document 002: official figures, 50 countries; unofficial figures for 27 of them |
| `barrett-2014-soufan-2015` | Richard Barrett (2014) and The Soufan Group (2015), as footnote 18 of document 002 credits | Table 2: unofficial figures only, 15 countries |
| `iep-gti-2015` | Institute for Economics and Peace, *Global Terrorism Index 2015*, November 2015 | inline list of 14 countries (below 500 left out) |
| `worldbank-2016` | World Bank (2016), reported by Quartz (Aamna Mohdin, 6 October 2016) | recruits counted, education shares, age range |

The `sources` table holds every source with the footnote that cites it, and
`aggregate_figures` every figure that is not per country.

## Conventions

- `estimate`: `official` (government figures), `unofficial` (other estimates),
  `reported` (a single figure from a source that makes no such distinction).
- Kosovo: `XKX` / `XK`, the user-assigned codes used by the World Bank and the
  EU (Kosovo has no ISO 3166-1 code); no numeric code; region Europe / Southern
  Europe, assigned by ffdata because Kosovo has no UN M49 entry (`region_note`).
- Per-capita rates divide by the World Bank population (SP.POP.TOTL) of the
  figure's `reference_year` (2015 for every country figure); the population
  file's vintage (commit and sha256) is in `datapackage.json` (`reference_data`).
- Empty cells in CSV are missing values (null in Parquet).
"""


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
            out.append("| " + " | ".join(_escape(c) for c in cells) + " |")
        out.append("")
    out.append(SOURCES_TEXT)
    return "\n".join(out)
