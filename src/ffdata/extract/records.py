"""Plain records that extractors produce, before countries are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountryFigure:
    """One figure for one country from one source, as printed.

    Example:
        >>> row = CountryFigure("soufan-2015", "official", 6000, 1, "Tunisia",
        ...                     "002.txt", 112, "1\\tTunisia\\t6000\\t7000")
        >>> row.fighters
        6000
    """

    source_id: str
    estimate: str
    fighters: int
    rank_as_printed: int | None
    name_as_printed: str
    file: str
    line: int
    text_as_printed: str
    flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class AggregateFigure:
    """A figure that is not per country (a total, a share, an age range), as printed."""

    figure_id: str
    source_id: str
    file: str
    line: int
    text_as_printed: str
    metric: str
    value: float | None
    value_low: float | None
    value_high: float | None
    unit: str
    qualifier: str
    refers_to: str
    population: str


@dataclass(frozen=True)
class SourceRecord:
    """A publication whose figures a document reports, with the footnote that cites it."""

    source_id: str
    producer: str
    title: str
    date_as_printed: str
    url: str
    file: str
    footnote: int
    line: int
    citation_as_printed: str
    second_hand: bool
    note: str
