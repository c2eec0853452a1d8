"""Every hand-written input, declared once: the reader checks entries against it, and the
field reference of CONTRIBUTING.md is rendered from it (``--write CONTRIBUTING.md``).

Example:
    >>> INPUTS["figures"].field("qualifier").vocabulary[:2]
    ('no_qualifier', 'approximately')
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ffdata.errors import CountryError, ManifestError, ReviewedInputError
from ffdata.tables import (
    COUNT_KINDS,
    ESTIMATES,
    FIGURE_FLAGS,
    FOREIGN_FIGHTER_METRICS,
    GROUPS_COUNTED,
    ISO_PERIOD_PATTERN,
    METRICS,
    NOT_LISTED,
    PLACES_COUNTED,
    QUALIFIERS,
    ROW_FLAGS,
    TOPICS,
    UNITS,
)

#: Control characters (C0 but tab, DEL, C1, line and paragraph separators).
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
LINE_RANGE = Pattern(r"[1-9][0-9]*-[1-9][0-9]*", "first-last line numbers (e.g. 1-54)")
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
    """One field of an entry: type (``list`` of text, ``dict`` a table of ``fields``, or the
    :data:`LAYOUTS` named by sibling ``fields_by``), required or default, rules, meaning.
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


_TYPES = {"text": str, "int": int, "number": float, "bool": bool, "list": list, "table": dict}
_EMPTY = {str: "", list: []}


def f(name: str, kind: str, meaning: str, **rules: object) -> Field:
    """A field from a short ``kind``: ``text``, ``int``, ``number``, ``bool``, ``list`` or
    ``table``, then ``+`` (required, not empty), ``?`` (optional) or nothing (required).

    Example:
        >>> f("note", "text?", "why").default, f("label", "text+", "name").filled
        ('', True)
    """
    kind, mark = kind.rstrip("?+"), kind[len(kind.rstrip("?+")) :]
    rules.setdefault("default", _EMPTY.get(_TYPES[kind]) if mark == "?" else None)
    return Field(name, _TYPES[kind], meaning, mark != "?", filled=mark == "+", **rules)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Input:
    """One hand-written input: a TOML file's ``[[section]]`` entries or a CSV file's rows;
    ``label`` the field error places add, ``rules`` the checks its module makes, in words.
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
        """How the reference names the input.

        Example:
            >>> INPUTS["aliases"].title
            'country_aliases.csv'
        """
        return f"{self.file} [[{self.section}]]" if self.section else self.file


#: The meaning's opening of the fields that say what a count of foreign fighters includes.
_UNIVERSE = "a count of foreign fighters (only): "

_PIN = (
    f("file", "text+", "path inside the raw folder, at most 255 bytes a name"),
    f("sha256", "text", "the file's sha256", pattern=SHA256),
    f("size", "int", "the file's size in bytes (at most 2,000,000)"),
)
_NAME = f("name", "text+", "what errors call the table or list")


@dataclass(frozen=True)
class Layout:
    """The ``layout`` keys an extractor reads, a printed example, the kinds it gives."""

    fields: tuple[Field, ...]
    printed: str
    kinds: str


_ONE_KIND = "the one kind the declaration names"
#: Each extractor's ``layout`` (the ``extractor`` of a ``[sources.country_estimates]``).
LAYOUTS: dict[str, Layout] = {
    "ranked-table": Layout(
        (
            _NAME,
            f("caption", "text+", "the caption's opening as printed; `...` for any text"),
            f("ranked_by", "text+", "the kind of estimate that ranks the rows, largest first"),
        ),
        "Table 1: Foreigners (official figures)<sup>1</sup> / No. ⇥ Country ⇥ Official Count"
        " ⇥ Non-official Count / 1 ⇥ Tunisia ⇥ 6000 ⇥ 7000",
        "one per figure column, its header `<kind> [count, figure(s), data, estimate(s)]`"
        " (Official Count, Non-official Count, Reported figures): the kinds declared",
    ),
    "inline-list": Layout(
        (
            _NAME,
            f("intro", "text+", "the words printed just before the list"),
            f("closing", "text+", "the note in parentheses ending it, `{threshold}` its figure"),
        ),
        "stands at: Tunisia (5,000), Saudi Arabia (2,500), ... (figures for countries with "
        "numbers below 500 are excluded).<sup>21</sup>",
        _ONE_KIND,
    ),
    "data-rows": Layout(
        (
            _NAME,
            f("select_column", "text+", "the column that says which rows are the source's"),
            f("select_value", "text+", "its value in the source's rows"),
            f("name_column", "text+", "the column of the country's name"),
            f("code_column", "text+", "the column of the country's code"),
            f("low_column", "text+", "the column of a range's low end"),
            f("high_column", "text+", "the column of a range's high end"),
            f("figure_column", "text+", "the column of a single figure (or the copy's midpoint)"),
        ),
        "country,countrycode,icsr.date,icsr.low,icsr.high,icsr.mean / "
        "afghanistan,AFG,20131217,12,23,17.5",
        _ONE_KIND,
    ),
}

_DECLARATION = (
    f("label", "text+", "short name of the source in tables and charts"),
    f("column_stem", "text", "country_summary() columns: <stem>_official, ...", pattern=STEM),
    f("chart_colours", "list+", "one colour per kind of estimate, in their order", pattern=COLOUR),
    f("estimates", "list+", "the kinds of estimate the table or list gives", vocabulary=ESTIMATES),
    f("refers_to_date", "text", "date the figures refer to (population year)", pattern=ISO_DATE),
    f("what_it_counts", "text+", "who is counted: groups, places, period"),
    f(
        "groups_counted",
        "text",
        "which armed groups the people counted joined",
        vocabulary=GROUPS_COUNTED,
    ),
    f("place_counted", "text", "where the people counted went", vocabulary=PLACES_COUNTED),
    f("count_kind", "text", "stock (cumulative) or flow (inflow)", vocabulary=COUNT_KINDS),
    f(
        "listing_threshold",
        "int?",
        "smallest figure listed, as the table or list prints it (`{threshold}` of its layout)",
        default=None,
    ),
    f("not_listed_means", "text", "what a country left out means", vocabulary=NOT_LISTED),
    f("extractor", "text", "the extractor that reads the table or list", vocabulary=tuple(LAYOUTS)),
    f(
        "layout",
        "table",
        "where the extractor finds it (see the extractors)",
        fields_by="extractor",
    ),
    f("companion_of", "text?", "the source whose table this one accompanies", default=None),
    f("row_flags", "list?", "flags every row of the source carries", vocabulary=ROW_FLAGS),
)
_QUOTE_RULES = (
    "`quote` is copied exactly from one line of `document` (any run of spaces matches any "
    "run) and must occur exactly once in that document: lengthen a short quote until it "
    "is unique (a single word rarely is, and a new version of the document may repeat it)",
    "`number` is printed exactly once inside the quote",
)
_DOCUMENT = "the document (its manifest `file`)"
_ISO_OR_NONE = '`refers_to` in ISO ("": none)'


def _country_csv(file: str, meaning: str, name: str, iso3: str) -> Input:
    fields = (
        f("name", "text+", name),
        f("iso3", "text", iso3, pattern=ISO3),
        f("note", "text", "why"),
    )
    rules = ("each code is an ISO 3166-1 code (or XKX); no name is listed twice",)
    return Input(file, None, meaning, fields, CountryError, rules=rules)


#: The hand-written inputs, by name.
INPUTS: dict[str, Input] = {
    "documents": Input(
        "manifest.toml",
        "documents",
        "a source document or data file, pinned",
        (
            f("document_id", "text", "the document's id", pattern=ID, unique=True),
            *_PIN,
            f("title", "text", "as printed (empty when none)"),
            f("author", "text", "as printed"),
            f("publisher", "text", "as printed"),
            f("date_as_printed", "text", "as printed"),
            f("url", "text", "as printed"),
            f("url_found_online", "text", "looked up by hand, not printed"),
            f("date_found_online", "text", "looked up by hand, not printed"),
            f("note", "text", "where the title, author and date are printed; what was looked up"),
            f("licence_note", "text", "who holds the copyright; why the text is kept"),
            f("published_date", "text?", "date_as_printed (else found) in ISO", pattern=ISO_DATE),
            f("provenance_file", "text?", "a data file's PROVENANCE.md, pinned with it"),
            f("provenance_sha256", "text?", "its sha256", pattern=SHA256),
            f("provenance_size", "int?", "its size in bytes", default=0),
            f(
                "main_text_lines",
                "text?",
                "`first-last`: the lines of the document's own text when the file holds other "
                "texts too (a host page's other articles); empty when all of it is",
                pattern=LINE_RANGE,
            ),
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
            f("reference_id", "text", "the file's id", pattern=ID, unique=True),
            *_PIN,
            f("title", "text", "what the file holds"),
            f("producer", "text", "who made it"),
            f("origin", "text", "where it was downloaded from"),
            f("commit", "text", "the version downloaded"),
            f("licence", "text", "its licence"),
            f("provenance_file", "text", "the PROVENANCE.md beside it"),
        ),
        ManifestError,
        label="reference_id",
    ),
    "reviewed": Input(
        "manifest.toml",
        "reviewed",
        "a pinned file written by hand (the files below)",
        (
            f("reviewed_id", "text", "the file's id", pattern=ID, unique=True),
            *_PIN,
            f("title", "text", "what the file holds"),
            f("note", "text", "how the build reads it"),
        ),
        ManifestError,
        label="file",
    ),
    "sources": Input(
        "sources.toml",
        "sources",
        "a publication whose figures a document reports",
        (
            f("source_id", "text", "the source's id", pattern=ID, unique=True),
            f(
                "producer",
                "text+",
                "who produced the figures, as the document names them; a `(...)` is a "
                "description that citations drop, `Not named (...)` or `... (not named)` an "
                "unnamed producer (cited without author)",
            ),
            f("cited_in", "text", f"{_DOCUMENT} that cites the source"),
            f("citation", "text+", "copied exactly from one line of `cited_in`"),
            f("footnote", "int?", "the footnote whose line holds the citation"),
            f("continuation", "text?", "the footnote's part after a page break, as printed"),
            f(
                "printed_at",
                "int?",
                "the line of `cited_in` (a data file: of its provenance) that prints the "
                "title or date the citation does not (a heading, a dateline)",
            ),
            f("second_hand", "bool", "true when the document cites a report about the figures"),
            f("title", "text?", "as the citation (or `printed_at`) prints it"),
            f("date_as_printed", "text?", "as the citation (or `printed_at`) prints it"),
            f("published_date", "text?", "date_as_printed in ISO 8601", pattern=ISO_DATE),
            f("url", "text?", "as the citation (or `printed_at`) prints it"),
            f("note", "text?", "what is not printed"),
            f("licence", "text?", "the figures' licence, where known"),
            f("country_estimates", "table?", "its figures per country", fields=_DECLARATION),
        ),
        ReviewedInputError,
        label="source_id",
        rules=(
            "`citation` occurs once in `cited_in` (a data file: in its provenance); with "
            "`footnote`, on the line opening it; one source per footnote",
            "`title`, `date_as_printed` and `url` are printed in the citation (or its "
            "continuation, or on line `printed_at`, which must print one that the citation "
            "does not)",
            "`published_date` is required when `date_as_printed` prints a year, and names it",
            "declarations: `label`, `column_stem` and each colour unique across sources; "
            "one colour per kind of estimate; `companion_of` another declared source of the "
            "same document, itself no companion; the extractor can work with the layout",
        ),
    ),
    "figures": Input(
        "figures.toml",
        "figures",
        "a figure that is not per country, with its quote",
        (
            f("figure_id", "text", "the figure's id", pattern=ID, unique=True),
            f("source_id", "text", "a source of sources.toml cited in the same document"),
            f("document", "text", f"{_DOCUMENT} that prints the figure"),
            f("quote", "text+", "the words that carry the figure, from one line"),
            f("number", "text+", "the number as printed inside the quote"),
            f("metric", "text", "what the figure measures", vocabulary=METRICS),
            f("value", "number?", "the number's value (a share in percent)"),
            f("value_low", "number?", "a printed range's low end"),
            f("value_high", "number?", "a printed range's high end"),
            f("unit", "text", "what the value counts", vocabulary=UNITS),
            f("qualifier", "text", "what the words before the number say", vocabulary=QUALIFIERS),
            f("refers_to", "text+", "the date or period as printed or evident"),
            f("who_is_counted", "text+", "who or what is counted"),
            f("producer", "text+", "who the text says produced the figure"),
            f("topic", "text", "what the figure is about", vocabulary=TOPICS),
            f("country", "text?", "the one country the figure concerns, as a name"),
            f("refers_to_date", "text?", _ISO_OR_NONE, pattern=ISO_DATE, default=None),
            f("groups_counted", "text?", _UNIVERSE + "which groups", vocabulary=GROUPS_COUNTED),
            f("place_counted", "text?", _UNIVERSE + "where", vocabulary=PLACES_COUNTED),
            f("count_kind", "text?", _UNIVERSE + "stock or flow", vocabulary=COUNT_KINDS),
            f("oddities", "list?", "flags of the figure's oddities", vocabulary=FIGURE_FLAGS),
            f("note", "text?", "what to read beside it; the figure or source it refers to"),
        ),
        ReviewedInputError,
        label="figure_id",
        rules=(
            *_QUOTE_RULES,
            "`value`/`value_low`/`value_high`, `unit` and `qualifier` agree with the number "
            "and the words before it (a range after 'about' is `approximate_range`); `unit` "
            "fits `metric`",
            "`refers_to_date` is required when `refers_to` prints a year, and names it",
            "`country` resolves to one country, and the quote prints one of its names",
            "`groups_counted`, `place_counted` and `count_kind` are required for a metric "
            "that counts foreign fighters ("
            + ", ".join(f"`{m}`" for m in FOREIGN_FIGHTER_METRICS)
            + ") and refused for any other",
            "a flag that refers to another figure (`differs_from_producer`) needs a `note` "
            "naming that figure_id or source_id",
        ),
    ),
    "not_figures": Input(
        "not_figures.toml",
        "not_figures",
        "a number in a document that is not a figure",
        (
            f("document", "text", f"{_DOCUMENT} that prints the number"),
            f("quote", "text+", "words around the number, from one line"),
            f("number", "text+", "the number as the coverage check counts it"),
            f("reason", "text+", "why it is not a figure"),
            f("repeats", "text?", "the figure_id of the figure it repeats"),
        ),
        ReviewedInputError,
        rules=(
            *_QUOTE_RULES,
            "the entry is needed: no figure, table row or coverage rule accounts for the number",
        ),
    ),
    "aliases": _country_csv(
        "country_aliases.csv",
        "a name as printed or typed that ISO 3166-1 does not list",
        "the name",
        "the code(s) it stands for",
    ),
    "parts": _country_csv(
        "country_parts.csv",
        "a part of a country (England, Chechnya) and its country",
        "the part's name",
        "the country's code",
    ),
}


_TYPE_WORDS = {
    str: "text",
    int: "integer",
    float: "number",
    bool: "true/false",
    list: "list of text",
}


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
        default = "" if f.default in (None, [], "") else f" ({f.default})"
        need = "required" if f.required else f"optional{default}"
        rows.append(
            f"| `{prefix}{f.name}` | {_TYPE_WORDS.get(f.type, 'table')} | {need} | {_allowed(f)} | {f.meaning} |"
        )
        rows += _field_rows(f.fields, f"{prefix}{f.name}.")
    return rows


def _render_fields() -> str:
    """The Markdown field reference of every hand-written input."""
    out = [
        "Every field is checked when the file is read: unknown fields, types, required "
        "fields, vocabularies, patterns and control characters (line breaks, escapes) are "
        "refused at the field's line.",
    ]
    for spec in INPUTS.values():
        out += ["", f"#### `{spec.title}`: {spec.meaning}", ""]
        out += ["| field | type | required | allowed | meaning |", "| --- " * 5 + "|"]
        out += _field_rows(spec.fields)
        if spec.rules:
            out += ["", "Checked against the documents and the other entries:", ""]
            out += [f"- {rule}" for rule in spec.rules]
    return "\n".join(out) + "\n"


def _render_extractors() -> str:
    """The Markdown table of the extractors."""
    out = [
        "| extractor | reads (printed example) | kinds of estimate | `layout` keys |",
        "| --- " * 4 + "|",
    ]
    for name, layout in LAYOUTS.items():
        keys = "<br>".join(f"`{f.name}`: {f.meaning}" for f in layout.fields)
        out.append(f"| `{name}` | `{layout.printed}` | {layout.kinds} | {keys} |")
    return "\n".join(out) + "\n"


#: The generated blocks of CONTRIBUTING.md: marker name -> rendering.
BLOCKS = {"input fields": _render_fields, "extractors": _render_extractors}


def rewrite_blocks(markdown: str) -> str:
    """``markdown`` with each generated block replaced by its current rendering.

    Example:
        >>> text = "".join(f"<!-- BEGIN generated: {m} -->\\nSTALE\\n<!-- END generated: {m} -->\\n"
        ...                for m in BLOCKS)
        >>> "STALE" in rewrite_blocks(text), "ranked-table" in rewrite_blocks(text)
        (False, True)
    """
    for marker, render in BLOCKS.items():
        begin, end = f"<!-- BEGIN generated: {marker} -->\n", f"<!-- END generated: {marker} -->"
        head, found, rest = markdown.partition(begin)
        _, closed, tail = rest.partition(end)
        if not (found and closed):
            raise ValueError(f"no block {begin.strip()} ... {end}")
        markdown = head + begin + render() + end + tail
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
    from ffdata.builder.publish.atomic import write_whole

    try:
        write_whole(path, rewrite_blocks(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        print(
            "  hint: give CONTRIBUTING.md of a checkout, with both BEGIN and END lines of "
            "each generated block; nothing was written",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
