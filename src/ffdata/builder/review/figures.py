"""Reviewed aggregate figures: ``figures.toml``, each entry's quote found once in its
document and every recorded value, unit, qualifier, date and country checked against it.

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
    >>> from ffdata.builder.inputs.manifest import load_documents
    >>> from ffdata.builder.review.sources import read_sources
    >>> docs = load_documents(read_manifest(default_raw_dir()))
    >>> figures = read_figures(default_raw_dir(), docs, read_sources(default_raw_dir(), docs))
    >>> [(f.value, f.unit, f.line) for f in figures if f.number_as_printed == "ninety percent"]
    [(90.0, 'percent', 5)]
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ffdata.builder.extract.numbers import (
    ParsedNumber,
    is_share_quantifier,
    number_spots,
    parse_figure_number,
)
from ffdata.builder.extract.records import AggregateFigure, SourceRecord
from ffdata.builder.extract.text import closest_line, locate_quote
from ffdata.builder.inputs.manifest import Document
from ffdata.builder.inputs.reader import Entry
from ffdata.builder.inputs.reviewed import entry_document, read_entries
from ffdata.builder.inputs.reviewed_dates import entry_date
from ffdata.builder.review.sources import SOURCES_FILE
from ffdata.errors import CountryError, ErrorCollector, ExtractionError, ReviewedInputError
from ffdata.tables import CROSS_REFERENCE_FLAGS, FOREIGN_FIGHTER_METRICS, METRIC_UNITS

if TYPE_CHECKING:
    from ffdata.builder.countries.resolve import Alias

FIGURES_FILE = "figures.toml"


@dataclasses.dataclass(frozen=True)
class ReviewedFigure(AggregateFigure):
    """An aggregate figure with what the review adds: ``topic``, ``country`` (resolved to
    ``iso3``), ``refers_to`` as an ISO date and its precision.
    """

    topic: str = ""
    country: str = ""
    iso3: str | None = None
    refers_to_date: str | None = None
    refers_to_precision: str | None = None
    groups_counted: str | None = None
    place_counted: str | None = None
    count_kind: str | None = None
    oddities: str | None = None
    note: str | None = None


_QUALIFIER_WORDS = {
    "approximately": ("approximately", "about", "around", "some", "roughly", "nearly", "almost"),
    "at_least": ("at least",),
    "more_than": ("more than", "over"),
    "less_than": ("less than", "under", "fewer than"),
}


def qualifier_in_text(before: str) -> str:
    """Return the qualifier that the words just before a number express.

    Example:
        >>> qualifier_in_text("Of those foreign fighters at least "), qualifier_in_text("were ")
        ('at_least', 'no_qualifier')
    """
    words = " ".join(before.split()).casefold()
    for qualifier, phrases in _QUALIFIER_WORDS.items():
        if any(words == p or words.endswith(" " + p) for p in phrases):
            return qualifier
    return "no_qualifier"


def _loose(text: str) -> str:
    """A pattern for ``text`` in which any run of whitespace matches any run."""
    return "".join(
        r"\s+" if part.isspace() else re.escape(part) for part in re.split(r"(\s+)", text) if part
    )


def _number_changed(doc: Document, quote: str, number: str) -> tuple[int, str] | None:
    """(line, number printed instead) when the quote is printed with another number."""
    spots = number_spots(quote, number)
    if len(spots) != 1:
        return None
    before, after = quote[: spots[0].start()], quote[spots[0].end() :]
    words = len(number.split())
    if not before.strip() and not after.strip():
        return None
    if before.strip() and after.strip():
        pattern = _loose(before) + r"(?P<n>.{1,40}?)" + _loose(after)
    elif before.strip():
        pattern = _loose(before) + rf"(?P<n>\S+(?:\s+\S+){{0,{words - 1}}})"
    else:
        pattern = rf"(?<!\S)(?P<n>(?:\S+\s+){{0,{words - 1}}}\S+)" + _loose(after)
    regex = re.compile(pattern)
    hits = [(n, m["n"]) for n, text in enumerate(doc.lines, start=1) for m in regex.finditer(text)]
    return hits[0] if len(hits) == 1 else None


def _locate_figure_quote(doc: Document, quote: str, number: str, what: str) -> tuple[int, str]:
    """:func:`locate_quote`; a quote no longer printed is refused at the likeliest line."""
    try:
        return locate_quote(doc, quote, what)
    except ExtractionError as exc:
        if "quote not found" not in exc.message:
            raise
        changed = _number_changed(doc, quote, number)
        if changed is not None:
            raise doc.refusal(
                changed[0],
                f"{what}: the quote is not printed: the document prints {changed[1]!r} where "
                f"{FIGURES_FILE} records {number!r}",
                "the document or the entry changed: check the figure, then correct the "
                "entry's quote, number and value (or restore the document)",
                text=quote,
            ) from None
        closest = closest_line(doc, quote)
        if closest is not None:
            raise doc.refusal(
                closest,
                f"{what}: the quote is not printed; line {closest} holds most of its words",
                "the document changed or the quote is mistyped: copy the quote exactly "
                "from that line",
                text=quote,
            ) from None
        raise


def _close(recorded: float | None, parsed: float | None) -> bool:
    if recorded is None or parsed is None:
        return recorded is parsed
    return math.isclose(recorded, parsed, rel_tol=1e-12, abs_tol=0.0)


def _printed_problems(
    parsed: ParsedNumber, number: str, unit: str, qualifier: str, before: str
) -> list[str]:
    """Where the unit or qualifier disagrees with the number and the words before it."""
    problems = []
    share = parsed.kind in ("percent", "ratio") or is_share_quantifier(number)
    if share != (unit == "percent"):
        kind = "a share, published in percent" if share else "not a share"
        problems.append(f"unit {unit!r} disagrees with the number {number!r} ({kind})")
    if parsed.kind == "unquantified":
        printed_qualifier = "unquantified"
    elif parsed.value is None:
        about = qualifier_in_text(before) == "approximately"
        printed_qualifier = "approximate_range" if about else "range"
    else:
        printed_qualifier = qualifier_in_text(before)
    if printed_qualifier != qualifier:
        problems.append(f"qualifier {qualifier!r}, but the text reads as {printed_qualifier!r}")
    return problems


def _as_recorded(parsed: ParsedNumber) -> tuple[float | None, float | None, float | None]:
    """(value, value_low, value_high) as published: a fraction of 1 as a percentage."""
    if parsed.kind == "ratio" and parsed.value is not None:
        return parsed.value * 100, None, None
    return parsed.value, parsed.low, parsed.high


def read_figures(
    raw_dir: Path,
    docs: dict[str, Document],
    sources: dict[str, SourceRecord],
    errors: ErrorCollector | None = None,
) -> list[AggregateFigure]:
    """Read ``figures.toml`` and check every entry against its document (module example)."""
    out: list[AggregateFigure] = []
    collector = errors if errors is not None else ErrorCollector()
    entries = read_entries(raw_dir, "figures")
    known = {*sources, *(entry["figure_id"] for entry in entries)}
    for entry in entries:
        with collector.attempt():
            _check_universe(entry)
            _check_cross_reference(entry, known)
            out.append(_figure(entry, docs, sources))
    if errors is None:
        collector.raise_if_any()
    return out


#: The fields that say what a count of foreign fighters includes.
UNIVERSE_FIELDS = ("groups_counted", "place_counted", "count_kind")


def _check_universe(entry: Entry) -> None:
    """A count of foreign fighters states its universe; a figure of another metric has none."""
    metric = entry["metric"]
    counts_fighters = metric in FOREIGN_FIGHTER_METRICS
    for name in UNIVERSE_FIELDS:
        if counts_fighters and not entry[name]:
            raise ReviewedInputError(
                f"figure {entry['figure_id']!r} counts foreign fighters (metric {metric!r}) "
                f"but lacks `{name}`",
                document=str(entry.at("metric")),
                hint=f"read the quote in its document and say what it counts: give "
                f"`{name}` (see the field reference in CONTRIBUTING.md)",
            )
        if not counts_fighters and entry[name]:
            raise ReviewedInputError(
                f"figure {entry['figure_id']!r} gives `{name}`, but its metric {metric!r} "
                "does not count foreign fighters",
                document=str(entry.at(name)),
                hint=f"remove `{name}`; only the metrics "
                f"{', '.join(FOREIGN_FIGHTER_METRICS)} have a universe",
            )


def _check_cross_reference(entry: Entry, known: set[str]) -> None:
    """A flag that refers to another figure or source has a note that names it."""
    flags = [flag for flag in entry["oddities"] if flag in CROSS_REFERENCE_FLAGS]
    if not flags:
        return
    own = {entry["figure_id"], entry["source_id"]}  # naming itself refers to nothing else
    named = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", entry["note"])) & (known - own)
    if not named:
        raise ReviewedInputError(
            f"figure {entry['figure_id']!r} is flagged {flags[0]!r}, but its `note` names no "
            "source_id or figure_id it refers to",
            document=str(entry.at("note" if entry["note"] else "oddities")),
            text=entry["note"],
            hint="name, in `note`, the source (sources.toml) or figure (figures.toml) whose "
            "figure this one differs from, by its source_id or figure_id",
        )


def _document_of(
    entry: Entry, docs: dict[str, Document], sources: dict[str, SourceRecord]
) -> Document:
    """The document of a figure's entry, which must cite the entry's source."""
    source_id = entry["source_id"]
    if source_id not in sources:
        raise ReviewedInputError(
            f"unknown source_id {source_id!r}",
            document=str(entry.at("source_id")),
            hint=f"add it to {SOURCES_FILE}; known: {', '.join(sorted(sources))}",
        )
    doc = entry_document(docs, entry["document"], entry.at("document"))
    if sources[source_id].file != doc.file:
        raise ReviewedInputError(
            f"source {source_id!r} is cited in {sources[source_id].file}, not in {doc.file}",
            document=str(entry.at("source_id")),
            hint="give the figure a source that its own document cites",
        )
    return doc


def _figure(
    entry: Entry, docs: dict[str, Document], sources: dict[str, SourceRecord]
) -> ReviewedFigure:
    """One entry of figures.toml, found in its document and checked against the text."""
    figure_id, number = entry["figure_id"], entry["number"]
    doc = _document_of(entry, docs, sources)
    what = f"figure {figure_id!r}"
    line, printed = _locate_figure_quote(doc, entry["quote"], number, what)
    spots = number_spots(printed, number)
    if len(spots) != 1:
        raise doc.refusal(
            line,
            f"{what}: number {number!r} occurs {len(spots)} times in the quote; expected once",
            "record the number exactly as printed in the quote",
            text=printed,
        )
    parsed = parse_figure_number(number, document=doc.file, line=line)
    recorded = _as_recorded(parsed)
    metric, unit = entry["metric"], entry["unit"]
    problems = _printed_problems(
        parsed, number, unit, entry["qualifier"], printed[: spots[0].start()]
    )
    if unit not in METRIC_UNITS.get(metric, (unit,)):
        counted = " or ".join(METRIC_UNITS[metric])
        problems.insert(0, f"unit {unit!r} does not fit metric {metric!r} (counted in {counted})")
    problems += [
        f"{key} recorded as {entry[key]}, but the text prints {value}"
        for key, value in zip(("value", "value_low", "value_high"), recorded, strict=True)
        if not _close(entry[key], value)
    ]
    if problems:
        raise doc.refusal(
            line,
            f"{what}: " + "; ".join(problems),
            f"correct the entry in {FIGURES_FILE} to match the text",
            text=printed,
        )
    date, precision = entry_date(
        entry, "refers_to_date", entry["refers_to_date"], entry["refers_to"], ReviewedInputError
    )
    offset = doc.line(line).index(printed)
    return ReviewedFigure(
        **{key: entry[key] for key in _COPIED},
        file=doc.file,
        line=line,
        text_as_printed=printed,
        value=recorded[0],
        value_low=recorded[1],
        value_high=recorded[2],
        number_as_printed=spots[0].group(0),
        number_start=offset + spots[0].start(),
        number_end=offset + spots[0].end(),
        refers_to_date=date,
        refers_to_precision=precision,
        **{name: entry[name] or None for name in (*UNIVERSE_FIELDS, "note")},
        oddities=";".join(entry["oddities"]) or None,
    )


#: Fields of an entry published as they are.
_COPIED_FIELDS = "figure_id source_id metric unit qualifier refers_to who_is_counted producer topic"
_COPIED = [*_COPIED_FIELDS.split(), "country"]


def _country_names(iso3: str, aliases: Mapping[str, Alias]) -> set[str]:
    """Every name of a country the build knows: ISO 3166-1 names and reviewed aliases."""
    from ffdata.builder.countries.resolve import USER_ASSIGNED

    names = {a.name for a in aliases.values() if iso3 in a.iso3.split("|")}
    if iso3 in USER_ASSIGNED:
        names.add(USER_ASSIGNED[iso3].name)
    return names | _iso_names().get(iso3, frozenset())


@functools.cache
def _iso_names() -> dict[str, frozenset[str]]:
    """ISO 3166-1 names of each country by alpha-3 code."""
    from ffdata.builder.countries.resolve import iso_countries

    return {
        record["alpha_3"]: frozenset(str(v) for k, v in record.items() if k.endswith("name") and v)
        for record in iso_countries()
    }


#: Endings that make a country's name its people's ("Americans", "Pakistani", "Iraqis").
_DEMONYM_ENDINGS = r"(?:n|ns|an|ans|ian|ians|i|is|ese|s)?"


def _names_in(text: str, names: set[str], others: Iterable[str] = ()) -> bool:
    """Whether ``text`` prints one of ``names`` (or its people's name) as a word, not inside a
    longer name of ``others``.

    Example:
        >>> _names_in("250 Americans", {"America"}), _names_in("300 Nigerians", {"Niger"}, {"Nigeria"})
        (True, False)
        >>> _names_in("from Guinea-Bissau and Guinea", {"Guinea"}, {"Guinea-Bissau"})
        True
    """

    def spans(name: str) -> list[tuple[int, int]]:
        pattern = rf"(?<!\w){re.escape(name)}{_DEMONYM_ENDINGS}(?!\w)"
        return [m.span() for m in re.finditer(pattern, text)]

    for name in names:
        longer = [span for o in others if name in o and len(o) > len(name) for span in spans(o)]
        for start, end in spans(name):
            if not any(a <= start and end <= b for a, b in longer):
                return True
    return False


def _other_countries_names(iso3: str, aliases: Mapping[str, Alias]) -> set[str]:
    """The names of every country but ``iso3``."""
    names = {a.name for a in aliases.values() if iso3 not in a.iso3.split("|")}
    for code, iso_names in _iso_names().items():
        if code != iso3:
            names |= iso_names
    return names


def _figure_country(figure: ReviewedFigure, aliases: Mapping[str, Alias]) -> str:
    """The ISO alpha-3 code of the country the entry names, which the quote must print."""
    from ffdata.builder.countries.resolve import resolve_country

    try:
        country = resolve_country(figure.country, aliases)
    except CountryError as exc:
        raise CountryError(
            f"figure {figure.figure_id!r}: the entry's `country` {figure.country!r}: "
            + exc.message,
            document=figure.file,
            line=figure.line,
            text=figure.text_as_printed,
            hint=f"in {FIGURES_FILE}, give `country` as an ISO 3166-1 name (e.g. 'United "
            "States') or a name of country_aliases.csv; leave it out when the figure "
            "concerns no one country",
        ) from None
    names = _country_names(country.iso3, aliases)
    others = _other_countries_names(country.iso3, aliases) - names
    if not _names_in(figure.text_as_printed, names, others):
        raise CountryError(
            f"figure {figure.figure_id!r}: the quote prints no name of {country.name} "
            f"({country.iso3}), the country of the entry's `country`",
            document=figure.file,
            line=figure.line,
            text=figure.text_as_printed,
            hint=f"correct `country` in {FIGURES_FILE}, or quote the words that name the "
            "country; leave `country` out when the figure concerns no one country",
        )
    return country.iso3


def resolve_figure_countries(
    figures: list[AggregateFigure],
    aliases: Mapping[str, Alias],
    errors: ErrorCollector | None = None,
) -> list[AggregateFigure]:
    """Return the figures with ``iso3`` set from the country each entry names.

    Example:
        >>> from ffdata.builder.countries.resolve import read_aliases
        >>> from ffdata.builder.inputs.manifest import read_manifest, default_raw_dir
        >>> f = ReviewedFigure("r", "s", "d.txt", 5, "seventy percent of IS fighters in Syria",
        ...     "share", 70.0, None, None, "percent", "no_qualifier", "", "p", "P", country="Syria")
        >>> resolve_figure_countries([f], read_aliases(read_manifest(default_raw_dir())))[0].iso3
        'SYR'
    """
    collector = errors if errors is not None else ErrorCollector()
    out: list[AggregateFigure] = []
    for figure in figures:
        if isinstance(figure, ReviewedFigure) and figure.country:
            with collector.attempt():
                iso3 = _figure_country(figure, aliases)
                figure = dataclasses.replace(figure, iso3=iso3)
        out.append(figure)
    if errors is None:
        collector.raise_if_any()
    return out
