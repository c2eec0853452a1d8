"""Plain records that extractors produce, before countries are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountryFigure:
    """One figure for one country from one source, as printed.

    ``fighters`` is a single figure; a printed range is ``fighters_low`` and
    ``fighters_high`` with no ``fighters`` (never a midpoint); a country listed
    without a figure has none of the three (and is flagged). Extractors leave ``source_id`` empty and set ``footnote``; the extract stage
    gives each row the source whose declaration names the extractor.

    Example:
        >>> row = CountryFigure("soufan-2015", "official", 6000, 1, "Tunisia",
        ...                     "002.txt", 112, "1\\tTunisia\\t6000\\t7000")
        >>> row.fighters
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
    #: Footnote mark that credits the table or list (its caption's or closing mark);
    #: the build checks that it cites the declared source.
    footnote: int | None = None
    fighters_low: int | None = None
    fighters_high: int | None = None
    #: Country code as the data file prints it (``KSV``), checked against the name.
    code_as_printed: str | None = None


@dataclass(frozen=True)
class AggregateFigure:
    """A figure that is not per country (a total, a share, an age range), as printed.

    ``number_as_printed`` is the number inside ``text_as_printed`` (``"30,000"``,
    ``"ninety percent"``, ``"tens of thousands"``); ``number_start`` and
    ``number_end`` are its 0-based offsets in the line, which the coverage check uses.

    Example:
        >>> f = AggregateFigure("fbi-2015", "fbi-2015", "002.txt", 173,
        ...     "there were 30,000 foreign fighters", "foreign_fighters", 30000.0, None, None,
        ...     "people", "no_qualifier", "September 2015", "foreign fighters in IS", "FBI")
        >>> f.producer, f.value
        ('FBI', 30000.0)
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
    """A publication or producer whose figures a document reports, and where it is cited.

    ``footnote`` is ``None`` when the document names the producer in its text only
    ("According to Reuters data"); ``line`` is then the line of that attribution.
    ``continuation_line`` is set when the footnote runs on after a page break.

    Example:
        >>> s = SourceRecord("reuters", "Reuters", "", "", "", "002.txt", None, 163,
        ...                  "According to Reuters data", False, "")
        >>> s.footnote is None, s.line
        (True, 163)
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
    """What a source with figures per country declares: how to read them and how to show them.

    ``layout`` holds the extractor's parameters as (key, value) pairs, e.g. the
    caption of a table; see :mod:`ffdata.builder.extract`.

    Example:
        >>> spec = CountryEstimates("Demo 2020", "demo", ("#0072b2",), ("reported",), "2020",
        ...     "fighters per country", "inline-list", (("name", "Demo list"),))
        >>> spec.layout_dict()["name"], spec.companion_of
        ('Demo list', None)
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

    def layout_dict(self) -> dict[str, str]:
        """Return the layout as a dict (see the class example)."""
        return dict(self.layout)
