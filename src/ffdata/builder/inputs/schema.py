"""Every hand-written input, declared once: files, sections, fields, types, rules, meaning.

The reader (:mod:`ffdata.builder.inputs.reader`) checks each entry against these
declarations (unknown keys, types, required fields, vocabularies, patterns, control
characters), and the field reference of CONTRIBUTING.md is rendered from them
(``python -m ffdata.builder.inputs.schema --write CONTRIBUTING.md``). What each file's
module checks against the documents and across entries is listed in ``rules``.

Example:
    >>> INPUTS["figures"].field("qualifier").vocabulary[:2]
    ('no_qualifier', 'approximately')
    >>> [f.name for f in LAYOUTS["ranked-table"].fields]
    ['name', 'caption', 'ranked_by']
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ffdata.errors import CountryError, ManifestError, ReviewedInputError
from ffdata.tables import (
    ESTIMATES,
    ISO_PERIOD_PATTERN,
    METRICS,
    QUALIFIERS,
    ROW_FLAGS,
    TOPICS,
    UNITS,
)

#: Control characters (C0 but tab, DEL, C1, line and paragraph separators): never in a
#: hand-written field, where they would break a CSV row or reach a terminal.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Pattern:
    """A pattern a text must match whole (``regex``), and what it ``says`` in words."""

    regex: str
    says: str

    def matches(self, value: str) -> bool:
        """Whether ``value`` matches the pattern whole.

        Example:
            >>> ID.matches("iep-2015"), ID.matches("IEP 2015")
            (True, False)
        """
        return re.fullmatch(self.regex, value) is not None


ID = Pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "lower-case-with-dashes (e.g. producer-year-what)")
SHA256 = Pattern(r"[0-9a-f]{64}", "64 lower-case hex digits (`sha256sum FILE`)")
ISO_DATE = Pattern(
    ISO_PERIOD_PATTERN.strip("^$"),
    "a valid date: ISO 8601 at the precision printed (2015, 2015-12, 2015-12-10, or a span start/end "
    "such as 2013/2014 or 2011/2013-12-10)",
)
COLOUR = Pattern(r"#[0-9a-f]{6}", "a lower-case #rrggbb colour")
STEM = Pattern(r"[a-z][a-z0-9_]*", "lower-case letters, digits and _ (e.g. soufan)")
ISO3 = Pattern(
    r"[A-Z]{3}(?:\|[A-Z]{3})*",
    "an ISO 3166-1 alpha-3 code, upper case (an ambiguous name: COG|COD)",
)


@dataclass(frozen=True)
class Field:
    """One field of an entry: its Python type (``list`` is a list of text, ``dict`` a table
    of ``fields``), required or its default, what a value may be, and what it means.

    ``filled``: text not blank, a list not empty; ``vocabulary``/``pattern``: every text
    (and list item) is one of the words / matches the pattern (an empty optional text
    is let through); ``unique``: no two entries of the file share the value;
    ``fields_by``: the table's fields are the :data:`LAYOUTS` of that sibling's value.
    """

    name: str
    type: type
    meaning: str
    required: bool = True
    default: object = None
    filled: bool = False
    vocabulary: tuple[str, ...] | None = None
    pattern: Pattern | None = None
    unique: bool = False
    fields: tuple[Field, ...] = ()
    fields_by: str | None = None


def text(name: str, meaning: str, **rules: object) -> Field:
    """A required text field (pass ``required=False`` with a ``default`` for an optional one).

    Example:
        >>> text("note", "why", required=False, default="").default
        ''
    """
    return Field(name, str, meaning, **rules)  # type: ignore[arg-type]


def optional(name: str, meaning: str, **rules: object) -> Field:
    """An optional text field, ``""`` when absent.

    Example:
        >>> optional("url", "as printed").required
        False
    """
    return Field(name, str, meaning, required=False, default="", **rules)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Input:
    """One hand-written input: a TOML file's ``[[section]]`` entries or a CSV file's rows.

    ``label`` names the field whose value error places add (``(fbi-2015-...)``);
    ``rules`` are what the file's own module checks against the documents and across
    entries, in words, for the field reference.
    """

    file: str
    section: str | None
    meaning: str
    fields: tuple[Field, ...]
    error: type
    label: str | None = None
    rules: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        """The field called ``name``.

        Example:
            >>> INPUTS["sources"].field("footnote").type.__name__
            'int'
        """
        return next(f for f in self.fields if f.name == name)

    @property
    def title(self) -> str:
        """How the reference names the input: ``sources.toml [[sources]]``.

        Example:
            >>> INPUTS["aliases"].title
            'country_aliases.csv'
        """
        return f"{self.file} [[{self.section}]]" if self.section else self.file


_PIN = (
    text("file", "path inside the raw folder, at most 255 bytes a name", filled=True),
    text("sha256", "the file's sha256", pattern=SHA256),
    Field("size", int, "the file's size in bytes (at most 2,000,000)"),
)
_LAYOUT_NAME = text("name", "what errors call the table or list", filled=True)


@dataclass(frozen=True)
class Layout:
    """The ``layout`` keys an extractor reads, a short printed example of what it reads,
    and the kinds of estimate it gives."""

    fields: tuple[Field, ...]
    printed: str
    kinds: str


#: Each extractor's ``layout`` (the ``extractor`` of a ``[sources.country_estimates]``).
LAYOUTS: dict[str, Layout] = {
    "ranked-table": Layout(
        (
            _LAYOUT_NAME,
            text(
                "caption",
                "the caption's opening as printed; `...` stands for any text",
                filled=True,
            ),
            text(
                "ranked_by", "the kind of estimate that ranks the rows, largest first", filled=True
            ),
        ),
        "Table 1: Foreigners (official figures)<sup>1</sup> / No. ⇥ Country ⇥ Official Count"
        " ⇥ Non-official Count / 1 ⇥ Tunisia ⇥ 6000 ⇥ 7000",
        "one per figure column, named by the header: `<kind> [count|figures|data|estimate]`"
        " (Official Count, Non-official Count, Reported figures); each kind the declaration"
        " names must have its column",
    ),
    "inline-list": Layout(
        (
            _LAYOUT_NAME,
            text("intro", "the words printed just before the list", filled=True),
            text(
                "closing",
                "the note in parentheses that ends it, `{threshold}` where it "
                "prints the smallest figure listed",
                filled=True,
            ),
        ),
        "stands at: Tunisia (5,000), Saudi Arabia (2,500), ... (figures for countries with "
        "numbers below 500 are excluded).<sup>21</sup>",
        "the one kind the declaration names",
    ),
    "data-rows": Layout(
        (
            _LAYOUT_NAME,
            text("select_column", "the column that says which rows are the source's", filled=True),
            text("select_value", "the value of select_column in the source's rows", filled=True),
            text("name_column", "the column of the country's name", filled=True),
            text("code_column", "the column of the country's code", filled=True),
            text("low_column", "the column of a range's low end", filled=True),
            text("high_column", "the column of a range's high end", filled=True),
            text(
                "figure_column",
                "the column of a single figure (or the copy's midpoint)",
                filled=True,
            ),
        ),
        "country,countrycode,icsr.date,icsr.low,icsr.high,icsr.mean / "
        "afghanistan,AFG,20131217,12,23,17.5",
        "the one kind the declaration names",
    ),
}

_DECLARATION = (
    text("label", "short name of the source in tables and charts (unique)", filled=True),
    text(
        "column_stem",
        "column names in country_summary(): <stem>_official, ... (unique)",
        pattern=STEM,
    ),
    Field(
        "chart_colours",
        list,
        "one colour per kind of estimate, in their order (unique)",
        filled=True,
        pattern=COLOUR,
    ),
    Field(
        "estimates",
        list,
        "the kinds of estimate the table or list gives",
        filled=True,
        vocabulary=ESTIMATES,
    ),
    text(
        "refers_to_date",
        "the date or span the figures refer to; its last year's "
        "population gives the per-million rates",
        pattern=ISO_DATE,
    ),
    text("what_it_counts", "who is counted: groups, places, period", filled=True),
    text("extractor", "the extractor that reads the table or list", vocabulary=tuple(LAYOUTS)),
    Field(
        "layout",
        dict,
        "where the extractor finds the table or list (see the extractors below)",
        fields_by="extractor",
    ),
    Field(
        "companion_of",
        str,
        "the source whose table this one accompanies in the same document",
        required=False,
    ),
    Field(
        "row_flags",
        list,
        "flags every row of the source carries",
        required=False,
        default=[],
        vocabulary=ROW_FLAGS,
    ),
)

_QUOTE_RULES = (
    "`quote` is copied exactly from one line of `document` (any run of spaces matches any "
    "run) and must occur exactly once in that document: lengthen a short quote until it "
    "is unique (a single word rarely is, and a new version of the document may repeat it)",
    "`number` is printed exactly once inside the quote",
)

#: The hand-written inputs, by name.
INPUTS: dict[str, Input] = {
    "documents": Input(
        "manifest.toml",
        "documents",
        "a source document or data file, pinned",
        (
            text("document_id", "the document's id", pattern=ID, unique=True),
            *_PIN,
            text("title", "as printed (empty when none)"),
            text("author", "as printed"),
            text("publisher", "as printed"),
            text("date_as_printed", "as printed"),
            text("url", "as printed"),
            text("url_found_online", "looked up by hand, not printed"),
            text("date_found_online", "looked up by hand, not printed"),
            text("note", "where the title, author and date are printed; what was looked up"),
            text("licence_note", "who holds the copyright; why the text is kept"),
            optional(
                "published_date",
                "date_as_printed (else date_found_online) in ISO 8601, no more precise",
                pattern=ISO_DATE,
            ),
            optional("provenance_file", "a data file's PROVENANCE.md, pinned with it"),
            optional("provenance_sha256", "its sha256", pattern=SHA256),
            Field("provenance_size", int, "its size in bytes", required=False, default=0),
        ),
        ManifestError,
        label="file",
        rules=(
            "no file or id is listed twice in the manifest",
            "`published_date` names a year (and month) that the date printed names",
        ),
    ),
    "references": Input(
        "manifest.toml",
        "references",
        "a pinned reference data file (regions, population)",
        (
            text("reference_id", "the file's id", pattern=ID, unique=True),
            *_PIN,
            text("title", "what the file holds"),
            text("producer", "who made it"),
            text("origin", "where it was downloaded from"),
            text("commit", "the version downloaded"),
            text("licence", "its licence"),
            text("provenance_file", "the PROVENANCE.md beside it"),
        ),
        ManifestError,
        label="reference_id",
    ),
    "reviewed": Input(
        "manifest.toml",
        "reviewed",
        "a pinned file written by hand (the files below)",
        (
            text("reviewed_id", "the file's id", pattern=ID, unique=True),
            *_PIN,
            text("title", "what the file holds"),
            text("note", "how the build reads it"),
        ),
        ManifestError,
        label="file",
    ),
    "sources": Input(
        "sources.toml",
        "sources",
        "a publication whose figures a document reports",
        (
            text("source_id", "the source's id", pattern=ID, unique=True),
            text("producer", "who produced the figures, as the document names them", filled=True),
            text("cited_in", "the document (its manifest `file`) that cites the source"),
            text(
                "citation",
                "the citation copied exactly from one line of `cited_in` (the "
                "footnote, the in-text attribution, or the provenance item)",
                filled=True,
            ),
            Field("footnote", int, "the footnote whose line holds the citation", required=False),
            optional("continuation", "the footnote's second part after a page break, as printed"),
            Field("second_hand", bool, "true when the document cites a report about the figures"),
            optional("title", "as the citation prints it"),
            optional("date_as_printed", "as the citation prints it"),
            optional(
                "published_date", "date_as_printed in ISO 8601, no more precise", pattern=ISO_DATE
            ),
            optional("url", "as the citation prints it"),
            optional("note", "what is not printed"),
            optional("licence", "the figures' licence, where known"),
            Field(
                "country_estimates",
                dict,
                "how to read, publish and show the source's figures per country (below)",
                required=False,
                fields=_DECLARATION,
            ),
        ),
        ReviewedInputError,
        label="source_id",
        rules=(
            "`citation` occurs once in `cited_in`; with `footnote`, on the line opening it; "
            "one source per footnote",
            "`title`, `date_as_printed` and `url` are printed in the citation (or continuation)",
            "`published_date` is required when `date_as_printed` prints a year and names it",
            "declarations: labels, column stems and colours unique across sources; "
            "`chart_colours` one per estimate; `companion_of` another declared source of "
            "the same document, itself no companion",
        ),
    ),
    "figures": Input(
        "figures.toml",
        "figures",
        "a figure that is not per country, with its quote",
        (
            text("figure_id", "the figure's id", pattern=ID, unique=True),
            text("source_id", "a source of sources.toml cited in the same document"),
            text("document", "the document (its manifest `file`) that prints the figure"),
            text("quote", "the words that carry the figure, from one line", filled=True),
            text("number", "the number as printed inside the quote", filled=True),
            text("metric", "what the figure measures", vocabulary=METRICS),
            Field("value", float, "the number's value (a share in percent)", required=False),
            Field("value_low", float, "a printed range's low end", required=False),
            Field("value_high", float, "a printed range's high end", required=False),
            text("unit", "what the value counts", vocabulary=UNITS),
            text("qualifier", "what the words before the number say", vocabulary=QUALIFIERS),
            text("refers_to", "the date or period as printed or evident", filled=True),
            text("who_is_counted", "who or what is counted", filled=True),
            text("producer", "who the text says produced the figure", filled=True),
            text("topic", "what the figure is about", vocabulary=TOPICS),
            optional("country", "the one country the figure concerns, as a name"),
            Field(
                "refers_to_date",
                str,
                '`refers_to` in ISO 8601 ("": no date can be given)',
                required=False,
                pattern=ISO_DATE,
            ),
        ),
        ReviewedInputError,
        label="figure_id",
        rules=(
            *_QUOTE_RULES,
            "`value`/`value_low`/`value_high`, `unit` and `qualifier` agree with the number "
            "and the words before it; `unit` fits `metric`",
            "`refers_to_date` is required when `refers_to` prints a year, and names it",
            "`country` resolves to one country, and the quote prints one of its names",
        ),
    ),
    "not_figures": Input(
        "not_figures.toml",
        "not_figures",
        "a number printed in a document that is not a figure",
        (
            text("document", "the document (its manifest `file`) that prints the number"),
            text("quote", "words around the number, from one line", filled=True),
            text("number", "the number as the coverage check counts it", filled=True),
            text("reason", "why it is not a figure", filled=True),
            optional("repeats", "the figure_id of the figure it repeats"),
        ),
        ReviewedInputError,
        rules=(
            *_QUOTE_RULES,
            "the entry is needed: no figure, table row or coverage rule accounts for the number",
        ),
    ),
    "aliases": Input(
        "country_aliases.csv",
        None,
        "a name as printed or typed that ISO 3166-1 does not list",
        (
            text("name", "the name", filled=True),
            text("iso3", "the code(s) it stands for (an ambiguous name lists all)", pattern=ISO3),
            text("note", "why"),
        ),
        CountryError,
        rules=("each code is an ISO 3166-1 code (or XKX); no name is listed twice",),
    ),
    "parts": Input(
        "country_parts.csv",
        None,
        "a part of a country (England, Chechnya) and its country",
        (
            text("name", "the part's name", filled=True),
            text("iso3", "the country's code", pattern=ISO3),
            text("note", "why"),
        ),
        CountryError,
        rules=("each code is an ISO 3166-1 code (or XKX); no name is listed twice",),
    ),
}


def _type_word(field: Field) -> str:
    words = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true/false",
        list: "list of text",
        dict: "table",
    }
    return words[field.type]


def _allowed(field: Field) -> str:
    parts = []
    if field.vocabulary:
        parts.append("one of " + ", ".join(f"`{v}`" for v in field.vocabulary))
    if field.pattern:
        parts.append(field.pattern.says)
    if field.filled:
        parts.append("not empty")
    if field.unique:
        parts.append("unique")
    return "; ".join(parts)


def _field_rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        need = (
            "required"
            if f.required
            else f"optional{'' if f.default in (None, [], '') else f' ({f.default})'}"
        )
        rows.append(
            f"| `{prefix}{f.name}` | {_type_word(f)} | {need} | {_allowed(f)} | {f.meaning} |"
        )
        rows += _field_rows(f.fields, f"{prefix}{f.name}.")
    return rows


def render_fields() -> str:
    """The Markdown field reference of every hand-written input.

    Example:
        >>> "| `country_estimates.label` | text | required |" in render_fields()
        True
    """
    out = [
        "### Field reference (generated from `src/ffdata/builder/inputs/schema.py`)",
        "",
        "Every field is checked when the file is read: unknown fields, types, required "
        "fields, vocabularies, patterns and control characters (line breaks, escapes) are "
        "refused at the field's line.",
    ]
    for name, spec in INPUTS.items():
        out += ["", f"#### `{spec.title}`: {spec.meaning}", ""]
        out += [
            "| field | type | required | allowed | meaning |",
            "| --- | --- | --- | --- | --- |",
        ]
        out += _field_rows(spec.fields)
        if spec.rules:
            out += ["", "Checked against the documents and the other entries:", ""]
            out += [f"- {rule}" for rule in spec.rules]
        del name
    return "\n".join(out) + "\n"


def render_extractors() -> str:
    """The Markdown table of the extractors: what each reads, the kinds it gives, its layout.

    Example:
        >>> "| `inline-list` |" in render_extractors()
        True
    """
    out = [
        "| extractor | reads (printed example) | kinds of estimate | `layout` keys |",
        "| --- | --- | --- | --- |",
    ]
    for name, layout in LAYOUTS.items():
        keys = "<br>".join(f"`{f.name}`: {f.meaning}" for f in layout.fields)
        out.append(f"| `{name}` | `{layout.printed}` | {layout.kinds} | {keys} |")
    return "\n".join(out) + "\n"


#: The generated blocks of CONTRIBUTING.md: marker name -> rendering.
BLOCKS = {"input fields": render_fields, "extractors": render_extractors}


def rewrite_blocks(markdown: str) -> str:
    """``markdown`` with each generated block replaced by its current rendering.

    Example:
        >>> rewrite_blocks("a\\n<!-- BEGIN generated: extractors -->\\nold\\n"
        ...                "<!-- END generated: extractors -->\\n").count("ranked-table")
        1
    """
    for marker, render in BLOCKS.items():
        begin, end = f"<!-- BEGIN generated: {marker} -->\n", f"<!-- END generated: {marker} -->"
        head, found, rest = markdown.partition(begin)
        if found:
            markdown = head + begin + render() + end + rest.partition(end)[2]
    return markdown


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated blocks of a Markdown file (CONTRIBUTING.md) in place.

    Example:
        >>> main(["--write", "/nonexistent/CONTRIBUTING.md"])
        1
    """
    parser = argparse.ArgumentParser(prog="python -m ffdata.builder.inputs.schema")
    parser.add_argument("--write", type=Path, required=True, help="the Markdown file")
    path = parser.parse_args(argv).write
    try:
        path.write_text(rewrite_blocks(path.read_text(encoding="utf-8")), encoding="utf-8")
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
