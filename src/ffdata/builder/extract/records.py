"""Plain records that extractors produce, before countries are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountryFigure:
    """One figure for one country from one source, as printed (a range: ``fighters_low`` and
    ``fighters_high``, no ``fighters``).

    Example:
        >>> CountryFigure("s", "official", 6000, 1, "Tunisia", "d.txt", 10, "1\\tTunisia").fighters
        6000
    """

    source_id: str
    estimate: str
    fighters: int | None
    rank_as_printed: int | None
    name_as_printed: str
    file: str
    line: int
    text_as_printed: str
    flags: frozenset[str] = field(default_factory=frozenset)
    #: Footnote mark that credits the table or list.
    footnote: int | None = None
    fighters_low: int | None = None
    fighters_high: int | None = None
    #: Country code as the data file prints it (``KSV``), checked against the name.
    code_as_printed: str | None = None


@dataclass(frozen=True)
class AggregateFigure:
    """A figure that is not per country (a total, a share), as printed; ``number_start`` and
    ``number_end`` are the number's offsets in the line.

    Example:
        >>> AggregateFigure("f", "s", "d.txt", 5, "30,000 fighters", "foreign_fighters", 30000.0,
        ...     None, None, "people", "no_qualifier", "2015", "fighters", "FBI").value
        30000.0
    """

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
    who_is_counted: str
    producer: str
    number_as_printed: str = ""
    number_start: int | None = None
    number_end: int | None = None


@dataclass(frozen=True)
class SourceRecord:
    """A publication whose figures a document reports, and where it is cited (``footnote`` None:
    named in the text only).

    Example:
        >>> SourceRecord("r", "Reuters", "", "", "", "d.txt", None, 5, "Reuters", False, "").line
        5
    """

    source_id: str
    producer: str
    title: str
    date_as_printed: str
    url: str
    file: str
    footnote: int | None
    line: int
    citation_as_printed: str
    second_hand: bool
    note: str
    continuation_line: int | None = None
    licence: str = ""
    country_estimates: CountryEstimates | None = None
    #: When the source was published, ISO 8601 at the precision printed; empty if not printed.
    published_date: str = ""


@dataclass(frozen=True)
class CountryEstimates:
    """What a source with figures per country declares: how to read and show them.

    Example:
        >>> CountryEstimates("Demo", "demo", ("#0072b2",), ("reported",), "2020", "fighters",
        ...     "inline-list", (("name", "Demo list"),)).layout_dict()
        {'name': 'Demo list'}
    """

    label: str
    column_stem: str
    chart_colours: tuple[str, ...]
    estimates: tuple[str, ...]
    #: The date or span the figures refer to, ISO 8601 (see :mod:`ffdata.builder.inputs.dates`).
    refers_to_date: str
    what_it_counts: str
    extractor: str
    layout: tuple[tuple[str, str], ...]
    companion_of: str | None = None
    #: Where the declaration is (``sources.toml:LINE [[sources]] #N``), for messages.
    declared_at: str = ""
    #: Flags every row of the source carries (e.g. ``mixed_attribution``).
    row_flags: tuple[str, ...] = ()
    #: The universe of its figures (vocabularies of :mod:`ffdata.tables`).
    groups_counted: str = "not_stated"
    place_counted: str = "not_stated"
    count_kind: str = "cumulative"
    not_listed_means: str = "not_reported"
    #: The smallest figure the table or list prints that it lists, if it states one.
    listing_threshold: int | None = None

    def layout_dict(self) -> dict[str, str]:
        """The layout as a dict."""
        return dict(self.layout)
