"""Ranked country tables printed as tab-separated lines, found by their caption.

The header (its column group possibly repeated side by side) says what each column
holds; rows run to the first blank line; ``-`` or an empty cell is no figure.

Example:
    >>> from ffdata.builder.inputs.manifest import read_manifest, load_document, default_raw_dir
    >>> doc = load_document(read_manifest(default_raw_dir()), "niu-2018-excerpt.txt")
    >>> spec = RankedTableSpec.from_layout({"name": "Table 1", "ranked_by": "official",
    ...     "caption": "Table 1: ... (official figures)"}, ("official", "unofficial"))
    >>> [(r.name_as_printed, r.estimate, r.fighters) for r in read_ranked_table(doc, spec)[:2]]
    [('Tunisia', 'official', 6000), ('Tunisia', 'unofficial', 7000)]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ffdata.builder.extract.numbers import parse_count, parse_optional_count
from ffdata.builder.extract.records import CountryFigure
from ffdata.builder.extract.text import (
    find_unique_line,
    footnote_marks,
    quote_pattern,
    table_block,
)
from ffdata.builder.inputs.manifest import Document
from ffdata.errors import ExtractionError
from ffdata.tables import ESTIMATES

#: Header cells (normalised) of the rank and country columns.
HEADER_ROLES = {"no.": "rank", "country": "country"}
#: Kinds of estimate as headers print them otherwise than by their name.
KIND_WORDS = {"non-official": "unofficial"}
#: Words a header may print after the kind of estimate ("Official Count").
FIGURE_WORDS = ("count", "figure", "figures", "data", "estimate", "estimates")


def header_role(cell: str) -> str | None:
    """What a header cell says its column holds: rank, country, or a kind of estimate.

    Example:
        >>> [header_role(c) for c in ("No.", "Official Count", "Non-official  data", "Estimate")]
        ['rank', 'official', 'unofficial', None]
    """
    text = _normal(cell)
    words = text.rsplit(" ", 1)
    kind = words[0] if len(words) == 2 and words[1] in FIGURE_WORDS else text
    kind = KIND_WORDS.get(kind, kind)
    return HEADER_ROLES.get(text) or (kind if kind in ESTIMATES else None)


FLAG_UNOFFICIAL_BELOW_OFFICIAL = "unofficial_below_official"


@dataclass(frozen=True)
class RankedTableSpec:
    """What identifies a ranked table and what it must contain."""

    name: str
    caption: re.Pattern[str]
    estimates: tuple[str, ...]
    ranked_by: str
    #: The caption's printed pieces (what stands between its ``...``).
    caption_parts: tuple[str, ...] = ()

    @classmethod
    def from_layout(
        cls, layout: Mapping[str, object], estimates: tuple[str, ...]
    ) -> RankedTableSpec:
        """A spec from a ``layout`` (``caption`` as printed, ``...`` for any text); ValueError if it
        cannot work.

        Example:
            >>> RankedTableSpec.from_layout({"name": "T", "caption": "Table 1",
            ...     "ranked_by": "official"}, ("reported",))
            Traceback (most recent call last):
            ...
            ValueError: ranked_by 'official' is not one of estimates ['reported']
        """
        ranked_by = str(layout["ranked_by"])
        if ranked_by not in estimates:
            raise ValueError(f"ranked_by {ranked_by!r} is not one of estimates {list(estimates)}")
        parts = tuple(" ".join(part.split()) for part in str(layout["caption"]).split("..."))
        if not all(parts):
            raise ValueError("caption: '...' must stand between two pieces of printed text")
        return cls(
            name=str(layout["name"]),
            caption=_caption_pattern([quote_pattern(p).pattern for p in parts]),
            estimates=estimates,
            ranked_by=ranked_by,
            caption_parts=parts,
        )


def _caption_pattern(pieces: list[str]) -> re.Pattern[str]:
    """A caption at the start of a line (after markup), its pieces in order."""
    return re.compile(r"^[\s*#_]*" + ".*?".join(pieces), re.IGNORECASE)


def _one_character_off(doc: Document, parts: tuple[str, ...]) -> int | None:
    """The one line that would be the caption but for one changed character (a digit of
    "Table 1", a letter), else ``None``."""

    def spaced(text: str) -> str:
        return r"\s+".join(re.escape(word) for word in text.split(" "))

    hits = set()
    for i, part in enumerate(parts):
        for j in (j for j, char in enumerate(part) if not char.isspace()):
            pieces = [spaced(p) for p in parts]
            pieces[i] = spaced(part[:j]) + "." + spaced(part[j + 1 :])
            pattern = _caption_pattern(pieces)
            hits |= {n for n, text in enumerate(doc.lines, start=1) if pattern.search(text)}
    return hits.pop() if len(hits) == 1 else None


def _normal(cell: str) -> str:
    return " ".join(cell.split()).casefold().replace("\u2010", "-").replace("\u2011", "-")


def _header_layout(doc: Document, line: int, spec: RankedTableSpec) -> list[str]:
    text = doc.line(line)
    roles = [header_role(cell) for cell in text.split("\t")]
    expected = ("rank", "country", *spec.estimates)
    group = len(expected)
    if (
        None in roles
        or not roles
        or len(roles) % group
        or any(
            sorted(roles[i : i + group]) != sorted(expected) for i in range(0, len(roles), group)
        )
        or any(roles[i] != "rank" for i in range(0, len(roles), group))
    ):
        columns = " | ".join(["No.", "Country", *(e.title() + " figure" for e in spec.estimates)])
        raise doc.refusal(
            line,
            f"{spec.name}: header row missing or not understood after the caption on line "
            f"{line - 1 if line > 1 else line}",
            f"the line after the caption must be the tab-separated header ({columns}, "
            "repeated for each column group)",
        )
    return roles  # type: ignore[return-value]


def _check_labels_fit_first_row(
    doc: Document, spec: RankedTableSpec, header: int, roles: list[str]
) -> None:
    """Refuse, at the header, labels the first row contradicts (a count under "Country")."""
    first = next(iter(table_block(doc, header + 1)), None)
    if first is None:
        return
    cells = doc.line(first).split("\t")
    for column, (role, cell) in enumerate(zip(roles, cells, strict=False), start=1):
        if not cell.strip() or role != "country":
            continue
        try:
            parse_optional_count(cell, document=doc.file, line=first)
            is_count = True
        except ExtractionError:
            is_count = False
        if is_count:
            label = doc.line(header).split("\t")[column - 1].strip()
            raise doc.refusal(
                header,
                f"{spec.name}: header column {column} is labelled {label!r}, but the first row "
                f"(line {first}) holds {cell.strip()!r} there: are the labels swapped?",
                "restore the header's labels in the order of the columns below it",
            )


def _caption_and_source(doc: Document, spec: RankedTableSpec) -> tuple[int, int]:
    try:
        caption = find_unique_line(doc, spec.caption, f"{spec.name} caption")
    except ExtractionError:
        near = _one_character_off(doc, spec.caption_parts)
        if near is None:
            raise
        raise doc.refusal(
            near,
            f"{spec.name} caption not found: line {near} differs from it by one character",
            "restore the caption as printed, or correct the caption the source declares",
        ) from None
    marks = footnote_marks(doc.line(caption))
    if len(marks) != 1:
        raise doc.refusal(
            caption,
            f"{spec.name}: the caption should carry one footnote mark naming its source",
            "restore the <sup>n</sup> footnote mark of the caption",
        )
    return caption, marks[0]


Found = tuple[int, str, dict[str, int | None], int, str]


def _row_groups(doc: Document, spec: RankedTableSpec, roles: list[str], number: int) -> list[Found]:
    """(rank, country, figures, line, text as printed) of each column group of a row."""
    group = 2 + len(spec.estimates)
    found: list[Found] = []
    text = doc.line(number)
    cells = text.split("\t")
    if any(c.strip() for c in cells[len(roles) :]):
        raise doc.refusal(
            number,
            f"{spec.name}: row has {len(cells)} cells, the header {len(roles)}",
            "each row needs one cell per header column, separated by tabs",
        )
    cells = cells[: len(roles)] + [""] * max(0, len(roles) - len(cells))
    for g in range(len(roles) // group):
        part = cells[g * group : (g + 1) * group]
        if not any(c.strip() for c in part):
            continue
        group_roles = roles[g * group : (g + 1) * group]
        by_role = dict(zip(group_roles, part, strict=True))
        where = {"document": doc.file, "line": number}
        if not by_role["rank"].strip() or not by_role["country"].strip():
            raise ExtractionError(
                f"{spec.name}: column group {g + 1} lacks a rank or a country",
                text=text,
                hint="each group needs its rank and country; blank the whole group if empty",
                **where,
            )
        rank = parse_count(by_role["rank"], **where)
        figures = {e: parse_optional_count(by_role[e], **where) for e in spec.estimates}
        if all(v is None for v in figures.values()):
            raise ExtractionError(
                f"{spec.name}: {by_role['country'].strip()!r} has no figure at all",
                text=text,
                hint="a country in the table needs at least one figure",
                **where,
            )
        printed = "\t".join(text.split("\t")[g * group : (g + 1) * group]).strip()
        found.append((rank, by_role["country"].strip(), figures, number, printed))
    return found


def read_ranked_table(doc: Document, spec: RankedTableSpec) -> list[CountryFigure]:
    """Read a ranked table: rows in rank order, one per country and estimate, with the
    caption's ``footnote`` (see the module example).
    """
    caption, footnote = _caption_and_source(doc, spec)
    header = caption + 1
    while header <= len(doc.lines) and not doc.line(header).strip():
        header += 1
    if header > len(doc.lines):
        raise doc.refusal(
            len(doc.lines),
            f"{spec.name}: the document ends after the caption",
            "the document is truncated; restore it",
            text=None,
        )
    roles = _header_layout(doc, header, spec)
    _check_labels_fit_first_row(doc, spec, header, roles)
    found = [
        group
        for number in table_block(doc, header + 1)
        for group in _row_groups(doc, spec, roles, number)
    ]
    if not found:
        raise doc.refusal(
            header,
            f"{spec.name}: no rows after the header",
            "the table's rows must follow the header without a blank line; restore them",
            text=None,
        )
    _check_ranks(doc, spec, found)
    rows: list[CountryFigure] = []
    for rank, name, figures, number, printed in sorted(found, key=lambda r: r[0]):
        flags: set[str] = set()
        official, unofficial = figures.get("official"), figures.get("unofficial")
        if official is not None and unofficial is not None and unofficial < official:
            flags.add(FLAG_UNOFFICIAL_BELOW_OFFICIAL)
        for estimate in spec.estimates:
            if figures[estimate] is None:
                continue
            rows.append(
                CountryFigure(
                    source_id="",
                    estimate=estimate,
                    fighters=figures[estimate],  # type: ignore[arg-type]
                    rank_as_printed=rank,
                    name_as_printed=name,
                    file=doc.file,
                    line=number,
                    text_as_printed=printed,
                    flags=frozenset(flags),
                    footnote=footnote,
                )
            )
    return rows


def _check_ranks(
    doc: Document,
    spec: RankedTableSpec,
    found: list[Found],
) -> None:
    lines = sorted(r[3] for r in found)
    extent = f"the table's rows run from line {lines[0]} to line {lines[-1]}"
    expected, previous_line = 1, 0
    for rank, _name, _figures, number, printed in sorted(found, key=lambda r: (r[0], r[3])):
        if rank != expected:
            if rank < expected:
                what = f"rank {rank} printed twice (lines {previous_line} and {number})"
            else:
                what = f"rank {expected} is missing ({extent})"
            raise doc.refusal(
                number,
                f"{spec.name}: {what}; ranks should run 1, 2, 3, ... without gaps",
                "the table may have a duplicated, deleted or damaged row",
                text=printed,
            )
        expected, previous_line = expected + 1, number
    ordered = sorted(found, key=lambda r: r[0])
    previous = None
    for rank, name, figures, number, printed in ordered:
        value = figures.get(spec.ranked_by)
        if value is None:
            raise doc.refusal(
                number,
                f"{spec.name}: {name!r} has no {spec.ranked_by} figure, which ranks the table",
                f"every row needs its {spec.ranked_by} figure; compare with the source",
                text=printed,
            )
        if previous is not None and value > previous[0]:
            raise doc.refusal(
                number,
                f"{spec.name}: rank {rank} ({name}, {value}) is above rank {rank - 1} "
                f"({previous[1]}, {previous[0]}), but the table ranks by {spec.ranked_by} "
                "figure, largest first",
                "a digit or a row may have been changed; compare with the source",
                text=printed,
            )
        previous = (value, name)
