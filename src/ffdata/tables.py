"""The published tables, declared once: columns, types, units, constraints, keys, meaning.

The pandera, Arrow and Frictionless schemas and the codebook are generated from these
declarations. The standard library only, so that ``import ffdata`` stays light.

Example:
    >>> [c.name for c in TABLES["countries"].columns][:3]
    ['iso3', 'iso2', 'iso_numeric']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

#: Closed vocabularies.
ESTIMATES = ("official", "unofficial", "reported")
#: Oddities of the sources, flagged (never fixed), with what each means.
FLAG_MEANINGS = {
    "unofficial_below_official": (
        "The unofficial figure is below the official one. Unofficial estimates are usually "
        "higher (they add media and community reports to government counts), so a lower one "
        "may be a misprint or an older estimate; both are kept exactly as printed."
    ),
    "irregular_punctuation": (
        "The item is printed with stray spaces or commas (e.g. 'Lebanon, (900)', "
        "'Tunisia (5,000 )'). The number is read as printed; only the punctuation is odd."
    ),
    "low_above_high": (
        "The range is printed with its low end above its high end (ICSR December 2013, "
        "Qatar: low 15, high 14); both ends are published as printed."
    ),
    "listed_without_figure": (
        "The source lists the country without a figure (NA in the ICSR copy: Iraq and "
        "Palestine, January 2015); the figure columns are empty."
    ),
    "copy_mean_not_midpoint": (
        "The ICSR copy's icsr.mean beside this range is not its midpoint (Russia, December "
        "2013: 45-609 with 216, not 327). The mean is the copy's own arithmetic and is not "
        "published; the disagreement suggests the row was edited by hand, so check the range "
        "against ICSR's publication before relying on it."
    ),
    "code_not_iso3": (
        "The data file gives a country code that is not ISO 3166-1 alpha-3 (KSV for Kosovo, "
        "WBG for West Bank and Gaza in the ICSR copy); iso3 is the code the reviewed alias "
        "table gives it (XKX, PSE), and text_as_printed keeps the code as printed."
    ),
    "mixed_attribution": (
        "The footnote credits two publications without saying which figure comes from which "
        "(Table 2 of document 002: Barrett 2014 and the Soufan Group 2015), so the figure's "
        "producer and date are one of the two."
    ),
    "differs_from_producer": (
        "The figure appears to report another producer's published estimate in other words "
        "than that producer's (e.g. a lower bound where the producer gave an upper one); the "
        "document does not say so. Transcribed as printed; the figure's note names the "
        "estimate it appears to report and why."
    ),
}
FLAGS = tuple(FLAG_MEANINGS)
#: Flags a source declaration may give all its rows (``row_flags``); the others are found
#: in the rows by the extractors.
ROW_FLAGS = ("mixed_attribution",)
#: Flags a reviewed aggregate figure may carry (``figures.toml`` ``oddities``).
FIGURE_FLAGS = ("mixed_attribution", "differs_from_producer")
#: Flags whose figure must name, in its ``note``, the source or figure it refers to.
CROSS_REFERENCE_FLAGS = ("differs_from_producer",)
#: How the text qualifies a figure (see the ``qualifier`` column): "about" -> approximately,
#: "over" -> more_than, a printed range -> range, "about 700-1,400" -> approximate_range,
#: "tens of thousands" -> unquantified.
QUALIFIERS = (
    "no_qualifier",
    "approximately",
    "at_least",
    "more_than",
    "less_than",
    "range",
    "approximate_range",
    "unquantified",
)
#: The words a qualifier is shown with, before the number ("about 700-1,400").
QUALIFIER_WORDS = {
    "approximately": "about",
    "approximate_range": "about",
    "at_least": "at least",
    "more_than": "more than",
    "less_than": "less than",
}
#: Units of aggregate figures: every share is in percent ("half" -> 50, "1/9" -> 11.11...);
#: records are documents counted (exit records, personnel files); attacks are terrorist
#: acts counted.
UNITS = ("people", "countries", "percent", "years", "records", "attacks")
#: What an aggregate figure measures (who exactly is in the ``who_is_counted`` column), with
#: the unit it is counted in (a figure whose unit disagrees is refused).
METRIC_UNITS: dict[str, tuple[str, ...]] = {
    # foreigners who joined IS / travelled to fight in Syria and Iraq
    "foreign_fighters": ("people",),
    "foreign_fighters_from_region": ("people",),  # from a group of countries (western)
    "foreign_fighters_recorded": ("people",),  # foreign fighters in the records a study used
    "foreign_women": ("people",),  # foreign women who joined IS (non-fighters)
    # those who travelled or attempted to travel to fight ("over 250 Americans", 003:7)
    "foreign_fighters_and_attempted_travellers": ("people",),
    "countries_of_origin": ("countries",),  # countries the people counted come from
    "countries_covered": ("countries",),  # countries a source's tables cover
    "countries_with_official_figures": ("countries",),
    "countries_with_unofficial_figures_only": ("countries",),
    # a per-country number of people below which a source's list leaves a country out
    "listing_threshold": ("people",),
    "group_size": ("people",),  # members or fighters of a group (IS, IS-K, ETIM)
    "leaders": ("people",),  # leaders of a group with a given trait
    "share_foreign": ("percent",),  # share of a group that is foreign
    "share_local_nationals": ("percent",),  # share of fighters who are nationals of the country
    "share_from_origin": ("percent",),  # share of a group from given countries or kinds of country
    "share_formerly_imprisoned": ("percent",),  # share of a group who had been in prison
    "share_non_fighters": ("percent",),  # share of IS foreigners who are not fighters
    "share_former_security_officers": ("percent",),  # share of senior officials who were officers
    "share_linked_to_terrorist_organizations": ("percent",),
    "death_rate": ("percent",),  # share of foreign fighters who died
    "share_with_high_school_degree": ("percent",),
    "share_without_high_school": ("percent",),
    "share_illiterate": ("percent",),
    "age": ("years",),
    "defectors": ("people",),  # people who left IS
    "exit_records": ("records",),  # IS records of members leaving
    "personnel_files": ("records",),  # IS personnel records
    "arrest_lists": ("records",),  # leaked IS lists of people arrested
    "arrests": ("people",),
    "deaths": ("people",),  # people killed
    "prisoners": ("people",),  # people in prison
    "detainees": ("people",),  # people held in camps or detention centres
    "escapees": ("people",),  # people who escaped detention
    "interviewees": ("people",),  # people a study interviewed
    "religious_population": ("people",),  # adherents of a religion
    "share_of_population": ("percent",),  # share of a population belonging to a group
    "attacks": ("attacks",),  # terrorist attacks or acts counted
}
METRICS = tuple(METRIC_UNITS)
#: Metrics that count foreign fighters (or foreigners who joined): an aggregate figure of one
#: of them states its universe (``groups_counted``, ``place_counted``, ``count_kind``); a
#: figure of any other metric leaves them empty.
FOREIGN_FIGHTER_METRICS = (
    "foreign_fighters",
    "foreign_fighters_from_region",
    "foreign_fighters_recorded",
    "foreign_women",
    "foreign_fighters_and_attempted_travellers",
)

#: What an aggregate figure is about (``aggregate_figures.topic``), with what each means.
TOPIC_MEANINGS = {
    "islamic_state": (
        "The Islamic State (with its branches, such as IS-K), its members, the foreigners "
        "who joined it, and its members and families held after its defeat (prisons, camps)."
    ),
    "syrian_war": (
        "The Syrian war as a whole before the Islamic State: the foreigners who joined any "
        "armed group of the Syrian rebellion (2011-2013), counted before the Islamic State was "
        "there or without telling it apart."
    ),
    "foreign_fighters_elsewhere": (
        "Foreign fighters of other conflicts (Afghanistan in the 1980s, Chechnya), printed "
        "as background to the Islamic State's."
    ),
    "other": (
        "Anything else printed on the same pages: other groups and their attacks (ETIM, "
        "Uighur jihadists, the London stabbing of 2019), religious populations, figures of "
        "other articles of a host web page."
    ),
}
TOPICS = tuple(TOPIC_MEANINGS)

#: What a count of foreign fighters includes: the universe of a source's country estimates
#: (``sources``) or of an aggregate figure (``aggregate_figures``). Sources count different
#: people, so their figures are compared only with the universe beside them.
#: Which armed groups the people counted joined.
GROUPS_COUNTED_MEANINGS = {
    "islamic_state": "The Islamic State only.",
    "islamic_state_and_other_groups": (
        "The Islamic State and other violent extremist groups (such as Jabhat al-Nusra), "
        "not told apart."
    ),
    "sunni_militant_groups": (
        "Sunni militant groups, the Islamic State among them, not told apart."
    ),
    "all_armed_groups": (
        "Every armed group the foreigners joined, including opposition groups that fought "
        "the Islamic State; for Syria in 2011-2013, mostly before the Islamic State was there."
    ),
    "not_stated": "The source does not say which groups.",
}
GROUPS_COUNTED = tuple(GROUPS_COUNTED_MEANINGS)
#: Where the people counted went.
PLACES_COUNTED_MEANINGS = {
    "syria": "Syria only.",
    "syria_and_iraq": "Syria and Iraq.",
    "not_stated": "The source does not say where.",
}
PLACES_COUNTED = tuple(PLACES_COUNTED_MEANINGS)
#: The countries (ISO 3166-1 alpha-3) each place counts foreigners in: their own nationals are
#: not foreign there. Every place but ``not_stated`` has its countries.
PLACE_COUNTRIES = {"syria": ("SYR",), "syria_and_iraq": ("SYR", "IRQ"), "not_stated": ()}
#: Stock or flow: everyone who went up to a date, those who arrived within a period, or
#: those the text says were serving with the group at a date.
COUNT_KIND_MEANINGS = {
    "cumulative": (
        "A running total: everyone the source counts as having travelled or joined up to "
        "the date the figure refers to (a span's start is when the count begins), not only "
        "those there at that date."
    ),
    "inflow": "Only those who arrived within the period the figure refers to.",
    "serving": (
        "Those serving or fighting with the group at the date the figure refers to, as the "
        "text words it ('serving IS', 'fighting for IS'): it does not say whether those "
        "since killed or returned are counted, so it is not read as a cumulative count."
    ),
}
COUNT_KINDS = tuple(COUNT_KIND_MEANINGS)
#: What it means when a source with country estimates does not list a country.
NOT_LISTED_MEANINGS = {
    "below_listing_threshold": (
        "The source lists only the countries with at least its listing_threshold people: a "
        "country it leaves out had fewer by its count (perhaps none), not zero."
    ),
    "not_reported": (
        "The source gives no figure for the country: it may have had none, or none the "
        "source knew of or chose to print. Not a zero."
    ),
}
NOT_LISTED = tuple(NOT_LISTED_MEANINGS)
#: Each value of the universe vocabularies in a few words, for :func:`universe_words`.
UNIVERSE_WORDS = {
    "islamic_state": "IS only",
    "islamic_state_and_other_groups": "IS and other groups",
    "sunni_militant_groups": "Sunni militant groups",
    "all_armed_groups": "all armed groups",
    "syria": "in Syria",
    "syria_and_iraq": "in Syria and Iraq",
    "cumulative": "cumulative",
    "inflow": "inflow",
    "serving": "serving at the date",
    "below_listing_threshold": "lists {threshold} or more",
}


def universe_words(
    groups: str, place: str, kind: str, not_listed: str = "", threshold: float | None = None
) -> str:
    """Return a source's universe (who, where, stock or flow, listing rule) in a few words.

    Example:
        >>> universe_words("islamic_state", "syria_and_iraq", "cumulative",
        ...                "below_listing_threshold", 500)
        'IS only in Syria and Iraq, cumulative, lists 500 or more'
        >>> universe_words("not_stated", "not_stated", "cumulative")
        'groups not stated, place not stated, cumulative'
    """
    who = UNIVERSE_WORDS.get(groups, "groups not stated")
    where = UNIVERSE_WORDS.get(place, "place not stated")
    words = f"{who} {where}" if place in UNIVERSE_WORDS else f"{who}, {where}"
    words += f", {UNIVERSE_WORDS[kind]}"
    if not_listed == "below_listing_threshold" and threshold is not None:
        words += ", " + UNIVERSE_WORDS[not_listed].format(threshold=f"{int(threshold):,}")
    return words


def not_listed_meaning(means: str, threshold: float | None = None) -> str:
    """Return what it means that a source does not list a country, with its threshold.

    Example:
        >>> not_listed_meaning("below_listing_threshold", 500)[:58]
        'The source lists only the countries with at least 500 peop'
    """
    meaning = NOT_LISTED_MEANINGS[means]
    if threshold is not None:
        meaning = meaning.replace("its listing_threshold", f"{int(threshold):,}")
    return meaning


#: Where a row of ``country_names`` comes from, with what it means.
NAME_KIND_MEANINGS = {
    "iso_alpha3": "ISO 3166-1 alpha-3 code (XKX for Kosovo, user-assigned)",
    "iso_alpha2": "ISO 3166-1 alpha-2 code (XK for Kosovo, user-assigned)",
    "iso_numeric": "ISO 3166-1 numeric code, three digits (Kosovo has none)",
    "iso_name": "ISO 3166-1 short name (pycountry); 'Kosovo' for XKX",
    "official_name": "ISO 3166-1 official name (pycountry)",
    "common_name": "common name (pycountry)",
    "alias": "reviewed alias of data/raw/country_aliases.csv",
    "name_as_printed": "name as printed in a country table or list of the documents",
    "part_of": "a part of the country (England, Chechnya, Gaza), reviewed in "
    "data/raw/country_parts.csv: a lookup of it is refused with a pointer to the country",
}
NAME_KINDS = tuple(NAME_KIND_MEANINGS)

#: Precision of an ISO date column (its ``*_precision`` companion): a day, a month, a
#: year, or a span ``start/end`` whose ends have their own precision.
DATE_PRECISIONS = ("day", "month", "year", "span")
_ISO_DATE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
#: An ISO 8601 date at the precision printed (YYYY, YYYY-MM, YYYY-MM-DD) or a span start/end.
ISO_PERIOD_PATTERN = rf"^{_ISO_DATE}(?:/{_ISO_DATE})?$"

#: pandas dtype of each Frictionless column type (nullable throughout).
PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ISO3 = r"^[A-Z]{3}$"
_FLAGS = r"^(" + "|".join(FLAGS) + r")(;(" + "|".join(FLAGS) + r"))*$"


@dataclass(frozen=True)
class Column:
    """One column: Frictionless type (string, integer, number, boolean) and constraints."""

    name: str
    type: str
    description: str
    required: bool = True
    unique: bool = False
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    unit: str | None = None
    #: Names the column had in earlier versions (``ffdata diff`` pairs them up).
    formerly: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    """Columns of this table that must resolve to a key of another table."""

    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One published table."""

    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    sort_by: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """Return the column called ``name``.

        Example:
            >>> TABLES["country_estimates"].column("fighters").minimum
            0
        """
        return next(c for c in self.columns if c.name == name)


def _shape(type_: str, **fixed: object) -> Callable[..., Column]:
    """A constructor of ``type_`` columns with the ``fixed`` constraints."""
    return lambda name, description, **more: Column(name, type_, description, **fixed, **more)


_string, _integer = _shape("string"), _shape("integer")
_optional_text = _shape("string", required=False)
_people = _shape("integer", required=False, minimum=0, unit="people")
_population = partial(_shape("integer", minimum=1, unit="people"), "population")
_population_year = partial(_shape("integer", minimum=2000, maximum=2030), "population_year")


#: What ``refers_to_date`` means, one convention for every table.
REFERS_TO_CONVENTION = (
    "A single date (2015, 2014-12) means as of that date: for a cumulative count, everyone "
    "counted up to then. A span start/end (2011/2013-12-10) means counted from start to "
    "end, or, for an inflow, those who arrived within it. A span whose rows carry the flag "
    "mixed_attribution (2014/2015, Table 2 of document 002) means one of its two ends, "
    "not which."
)


def _iso_date(stem: str, what: str, *, required: bool = False) -> tuple[Column, Column]:
    """``<stem>_date`` (ISO 8601 at the precision printed) and ``<stem>_precision``."""
    return (
        _string(
            f"{stem}_date",
            f"{what}: ISO 8601 at the precision printed (YYYY, YYYY-MM or YYYY-MM-DD), or a "
            "span start/end; never more precise than the source. Sorts by its start."
            + (f" {REFERS_TO_CONVENTION}" if stem == "refers_to" else ""),
            required=required,
            pattern=ISO_PERIOD_PATTERN,
        ),
        _string(
            f"{stem}_precision",
            f"Precision of {stem}_date: day, month, year, or span (start/end).",
            required=required,
            enum=DATE_PRECISIONS,
        ),
    )


def _universe(when: str) -> tuple[Column, Column, Column]:
    """``groups_counted``, ``place_counted`` and ``count_kind``: what a count includes."""

    def meanings(vocabulary: dict[str, str]) -> str:
        return " ".join(f"{value}: {meaning}" for value, meaning in vocabulary.items())

    return (
        _optional_text(
            "groups_counted",
            f"Which armed groups the people counted joined. {when} "
            + meanings(GROUPS_COUNTED_MEANINGS),
            enum=GROUPS_COUNTED,
        ),
        _optional_text(
            "place_counted",
            f"Where the people counted went. {when} " + meanings(PLACES_COUNTED_MEANINGS),
            enum=PLACES_COUNTED,
        ),
        _optional_text(
            "count_kind",
            f"Stock or flow. {when} " + meanings(COUNT_KIND_MEANINGS),
            enum=COUNT_KINDS,
        ),
    )


_PER_MILLION = tuple(
    Column(
        f"{figure}_per_million",
        "number",
        f"{figure} per million inhabitants: {figure} / population x 1,000,000, rounded to "
        f"2 decimals; empty when there is no {figure}. Derived by ffdata, not printed by "
        "the source: it depends on the population vintage (datapackage.json "
        "reference_data).",
        required=False,
        minimum=0,
        unit="people per million inhabitants",
    )
    for figure in ("fighters", "fighters_low", "fighters_high")
)


def _refers_to_year(what: str) -> Column:
    """``refers_to_year``: the year ``refers_to_date`` ends in, for plotting and sorting."""
    return _integer(
        "refers_to_year",
        f"The year refers_to_date ends in (2011/2013-12-10 -> 2013), for plotting and "
        f"sorting; {what}.",
        required=False,
        minimum=1900,
        maximum=2100,
    )


def _universe_column(name: str, meanings: dict[str, str], what: str) -> Column:
    """A column of a source's universe: one of ``meanings``' keys, each explained."""
    return _optional_text(
        name,
        f"{what} (empty for a source without country estimates): "
        + "; ".join(f"{value}: {meaning}" for value, meaning in meanings.items()),
        enum=tuple(meanings),
    )


#: The universe of a source's country estimates: who, where, stock or flow, listing rule.
_UNIVERSE = (
    _universe_column(
        "groups_counted", GROUPS_COUNTED_MEANINGS, "Which armed groups the people counted joined"
    ),
    _universe_column("place_counted", PLACES_COUNTED_MEANINGS, "Where the people counted went"),
    _universe_column("count_kind", COUNT_KIND_MEANINGS, "Stock or flow"),
    Column(
        "listing_threshold",
        "integer",
        "Smallest figure the source lists, as it prints it (IEP: 'figures for countries with "
        "numbers below 500 are excluded'); empty when it states none.",
        required=False,
        minimum=1,
        unit="people",
    ),
    _universe_column(
        "not_listed_means",
        NOT_LISTED_MEANINGS,
        "What it means when the source does not list a country (ffdata.compare says it for "
        "each country)",
    ),
)
_DOCUMENT_FK = ForeignKey(("document_id",), "documents", ("document_id",))
_SOURCE_FK = ForeignKey(("source_id",), "sources", ("source_id",))
_COUNTRY_FK = ForeignKey(("iso3",), "countries", ("iso3",))
_PROVENANCE = (
    _string(
        "document_id", "Document that prints the figure (see the documents table).", pattern=_ID
    ),
    _integer("line", "1-based line of the document where the figure is printed.", minimum=1),
    _string("text_as_printed", "The exact text that carries the figure, a substring of that line."),
)

DOCUMENTS = Table(
    name="documents",
    title="Source documents",
    description="One row per raw document in data/raw/, pinned by sha256: the texts the "
    "figures are printed in, and data files (CSV) whose rows are figures.",
    primary_key=("document_id",),
    sort_by=("file",),
    columns=(
        Column("document_id", "string", "Readable identifier of the document.", pattern=_ID),
        Column(
            "file",
            "string",
            "File name: documents/<file> in a release, data/raw/<file> in the repository.",
            unique=True,
        ),
        Column("sha256", "string", "sha256 of the file's bytes.", pattern=r"^[0-9a-f]{64}$"),
        Column("size_bytes", "integer", "Size of the file.", minimum=1, unit="bytes"),
        Column(
            "lines",
            "integer",
            "Number of lines an editor shows (line numbers run 1..lines; a final line break "
            "opens no new line).",
            minimum=1,
        ),
        _optional_text("title", "Title as printed (empty when none is printed)."),
        _optional_text("author", "Author(s) as printed."),
        _optional_text("publisher", "Publisher or outlet."),
        _optional_text("date_as_printed", "Date as the document prints it."),
        _optional_text("url", "URL the document gives for itself."),
        _optional_text("url_found_online", "URL found online (not printed)."),
        _optional_text("date_found_online", "Date found online (not printed)."),
        *_iso_date(
            "published",
            "Date the document was published, from date_as_printed when the document prints "
            "one, else from date_found_online (empty when neither gives one); reviewed in "
            "manifest.toml",
        ),
        Column("note", "string", "What the document is and where its metadata come from."),
        Column("licence_note", "string", "Copyright and why the text is kept."),
        _optional_text(
            "provenance_file",
            "For a data file (not a text): the file beside it, pinned too, that "
            "says what its columns mean and which publications it copies; the sources it "
            "copies are cited from there (sources.line is a line of it).",
        ),
        _optional_text(
            "main_text_lines",
            "'first-last': the lines of the document's own text when the file holds other "
            "texts too (a web page's other articles); empty when all of it is. A source "
            "printed outside them (sources.line) is not the document author's.",
            pattern=r"^[1-9][0-9]*-[1-9][0-9]*$",
        ),
    ),
)

SOURCES = Table(
    name="sources",
    title="Sources",
    description="One row per publication or producer whose figures a document reports, with "
    "the footnote that cites it, or the in-text attribution when there is no footnote.",
    primary_key=("source_id",),
    foreign_keys=(_DOCUMENT_FK, ForeignKey(("companion_of",), "sources", ("source_id",))),
    sort_by=("source_id",),
    columns=(
        Column("source_id", "string", "Identifier of the source.", pattern=_ID),
        Column("producer", "string", "Organisation or author that produced the figures."),
        _optional_text(
            "title",
            "Title as the citation prints it, or as the citing document prints it on another "
            "line (a heading) when the citation does not; empty when not printed.",
        ),
        _optional_text(
            "date_as_printed",
            "Date as the citation prints it, or as the citing document prints it on another "
            "line (a dateline) when the citation does not; empty when not printed.",
        ),
        *_iso_date("published", "date_as_printed in ISO 8601 (reviewed, checked against it)"),
        _optional_text("url", "URL as the citation prints it."),
        _string(
            "document_id",
            "Document that cites the source, or the data file that copies its figures.",
            pattern=_ID,
        ),
        _integer(
            "footnote",
            "Number of the citing footnote or note; empty when the document names the "
            "producer in its text only (citation_as_printed is then that attribution).",
            required=False,
            minimum=1,
        ),
        _integer(
            "line",
            "1-based line of the footnote, or of the in-text attribution; for a data file, "
            "the line of its provenance file (documents.provenance_file) that cites the source.",
            minimum=1,
        ),
        Column("citation_as_printed", "string", "The citation exactly as printed."),
        Column(
            "second_hand",
            "boolean",
            "True when the document cites a report about the figures, not their producer.",
        ),
        _optional_text("note", "What the source contributes, and caveats."),
        _optional_text(
            "licence", "Licence of the source's figures where the declaration states one."
        ),
        _optional_text(
            "label", "Short name of a source with country estimates, used in tables and charts."
        ),
        _optional_text(
            "what_it_counts",
            "Who the source's country estimates count (groups, places, period), in words; "
            "the columns after it give the same universe as data. Sources differ, so "
            "compare their figures with care.",
        ),
        *_UNIVERSE,
        _optional_text(
            "estimate_kinds",
            "';'-separated kinds of country estimate the source gives (see "
            "country_estimates.estimate); empty for a source without country estimates.",
            pattern=r"^(" + "|".join(ESTIMATES) + r")(;(" + "|".join(ESTIMATES) + r"))*$",
        ),
        *_iso_date(
            "refers_to",
            "Date or span the source's country estimates refer to (reviewed declaration); its "
            "last year's population gives the per-million rates",
        ),
        _optional_text(
            "column_stem",
            "Stem of the source's columns in ffdata.country_summary() "
            "(e.g. soufan -> soufan_official, soufan_official_per_million).",
            pattern=r"^[a-z][a-z0-9_]*$",
        ),
        _optional_text(
            "chart_colours",
            "';'-separated colours (#rrggbb) of the source's kinds of estimate in the "
            "report's charts, in the order of estimate_kinds.",
            pattern=r"^#[0-9a-f]{6}(;#[0-9a-f]{6})*$",
        ),
        _optional_text(
            "companion_of",
            "Source whose country table this source's table accompanies in the same "
            "document, listing other countries (the document's country counts cover both).",
            pattern=_ID,
        ),
    ),
)

COUNTRIES = Table(
    name="countries",
    title="Countries",
    description="One row per country that appears in any table, with ISO 3166-1 codes and "
    "UN M49 regions.",
    primary_key=("iso3",),
    sort_by=("iso3",),
    columns=(
        _string(
            "iso3",
            "ISO 3166-1 alpha-3 code; XKX for Kosovo (user-assigned, as used by the World "
            "Bank and the EU).",
            pattern=_ISO3,
        ),
        _string(
            "iso2", "ISO 3166-1 alpha-2 code; XK for Kosovo.", unique=True, pattern=r"^[A-Z]{2}$"
        ),
        _integer(
            "iso_numeric",
            "ISO 3166-1 numeric code (= UN M49 code); empty for Kosovo, which has none.",
            required=False,
            unique=True,
            minimum=1,
            maximum=999,
        ),
        Column(
            "country_name",
            "string",
            "Short name (ISO 3166-1 via pycountry; 'Kosovo' for XKX).",
            formerly=("name",),
        ),
        Column("region", "string", "UN M49 region (Europe / Southern Europe for Kosovo)."),
        Column("subregion", "string", "UN M49 sub-region."),
        _optional_text("region_note", "Set when the region is not from UN M49 (Kosovo)."),
        _integer(
            "population_2015",
            "Total population in 2015 (World Bank SP.POP.TOTL, vintage recorded in "
            "datapackage.json), the reference year of the Soufan and IEP figures.",
            minimum=1,
            unit="people",
        ),
    ),
)

COUNTRY_ESTIMATES = Table(
    name="country_estimates",
    title="Country estimates",
    description="One row per figure for one country from one source: how many of its "
    "nationals or residents were foreign fighters in Syria and Iraq, as each source defines "
    "them. Sources count different people (the Islamic State only, or other groups too; "
    "Syria only, or Syria and Iraq): the universe columns of sources (groups_counted, "
    "place_counted, count_kind, listing_threshold, not_listed_means) say which.",
    primary_key=("source_id", "iso3", "estimate"),
    foreign_keys=(_SOURCE_FK, _COUNTRY_FK, _DOCUMENT_FK),
    sort_by=("source_id", "estimate", "rank_as_printed", "iso3"),
    columns=(
        Column("source_id", "string", "Source of the figure (see sources).", pattern=_ID),
        Column("iso3", "string", "Country (see countries).", pattern=_ISO3),
        _string(
            "estimate",
            "Kind of figure: official (government figures), unofficial (other estimates), "
            "or reported (a figure or a low-high range the source gives, without the "
            "official/unofficial distinction).",
            enum=ESTIMATES,
        ),
        _people(
            "fighters",
            "The single figure printed. Empty when the source printed a range (see "
            "fighters_low and fighters_high; a range is never collapsed to a midpoint) or no "
            "figure (flag listed_without_figure).",
        ),
        _people("fighters_low", "Low end of a printed range (ICSR); empty for a single figure."),
        _people(
            "fighters_high",
            "High end of a printed range, as printed (it may be below the low end: flag "
            "low_above_high); empty for a single figure.",
        ),
        *_iso_date(
            "refers_to",
            "Date or span the figure refers to, as the source declares it (sources.refers_to_date)",
            required=True,
        ),
        _refers_to_year("never empty here"),
        *_iso_date(
            "published",
            "When the source was published (sources.published_date); empty when no date is printed",
        ),
        _population_year(
            "Year whose population the per-million rates use: the year refers_to_date ends in."
        ),
        _population(
            "Total population of the country in population_year (World Bank SP.POP.TOTL, "
            "vintage recorded in datapackage.json)."
        ),
        *_PER_MILLION,
        _integer(
            "rank_as_printed",
            "Rank printed in the source table (empty for a list or data file without ranks).",
            required=False,
            minimum=1,
        ),
        Column("name_as_printed", "string", "Country name exactly as printed."),
        *_PROVENANCE,
        _optional_text(
            "oddities",
            "Oddities of the source, flagged not fixed, ';'-separated. "
            + " ".join(f"{flag}: {meaning}" for flag, meaning in FLAG_MEANINGS.items()),
            pattern=_FLAGS,
            formerly=("flags",),
        ),
    ),
)

AGGREGATE_FIGURES = Table(
    name="aggregate_figures",
    title="Aggregate figures",
    description="One row per figure that is not per country: totals, shares, ages, counts "
    "of countries, in any of the documents. Qualifiers are kept as data. Every number "
    "printed in digits or in number words ('two', 'half', 'tens of thousands') is either "
    "here, in country_estimates, or ruled out as not a figure (a date, a footnote, a page, "
    "...) by the build's coverage check. Quantifiers without a number ('most', 'the "
    "majority', 'several', 'a small number', 'another') are not searched for by that check: "
    "those that give the size or share of a group a figure here counts are recorded "
    "(qualifier unquantified), the others are not figures. Counts of foreign fighters carry "
    "their universe (groups_counted, place_counted, count_kind): compare only figures of "
    "the same universe.",
    primary_key=("figure_id",),
    foreign_keys=(_SOURCE_FK, _COUNTRY_FK, _DOCUMENT_FK),
    sort_by=("figure_id",),
    columns=(
        Column("figure_id", "string", "Identifier of the figure.", pattern=_ID),
        Column("source_id", "string", "Source the document attributes it to.", pattern=_ID),
        _string(
            "producer",
            "Who the text says produced the figure (UN, FBI, The Soufan Group, ...), or the "
            "document's author for the author's own figures.",
        ),
        *_PROVENANCE,
        _string(
            "topic",
            "What the figure is about, so that figures of other subjects printed on the same "
            "pages can be left out: "
            + " ".join(f"{topic}: {meaning}" for topic, meaning in TOPIC_MEANINGS.items()),
            enum=TOPICS,
        ),
        Column("metric", "string", "What is measured (closed vocabulary).", enum=METRICS),
        _optional_text(
            "iso3",
            "The one country the figure concerns (see countries), when it concerns one "
            "('over 250 Americans' -> USA); empty for a figure about several countries or none.",
            pattern=_ISO3,
        ),
        Column(
            "value",
            "number",
            "The number printed, in figures ('ninety percent' -> 90); shares in percent "
            "('half' -> 50, '1/9' -> 11.11...; number as printed in text_as_printed); "
            "empty for a range and for an unquantified amount ('tens of thousands'). Read "
            "with qualifier: 'less_than' with value 2 means below 2.",
            required=False,
        ),
        Column("value_low", "number", "Low end of a printed range.", required=False),
        Column("value_high", "number", "High end of a printed range.", required=False),
        Column("unit", "string", "Unit of value.", enum=UNITS),
        _string(
            "qualifier",
            "How the words before the number qualify it: no_qualifier (printed bare; not a "
            "claim that it is exact), approximately, at_least, more_than, less_than, range, "
            "approximate_range (a range printed after 'about': 'about 700-1,400'), "
            "unquantified (an amount in words with no number).",
            enum=QUALIFIERS,
        ),
        _string(
            "refers_to",
            "Date or period the figure refers to, as printed, or 'not stated' when the "
            "text gives none (in brackets: the date evident from the text, e.g. the date "
            "of the cited article).",
        ),
        *_iso_date(
            "refers_to",
            "Date or period the figure refers to (reviewed in figures.toml from refers_to: "
            "the date printed, else the date in brackets that refers_to says is evident from "
            "the text; empty when there is none)",
        ),
        _refers_to_year("empty when refers_to_date is"),
        _string(
            "who_is_counted",
            "Who or what the figure counts or describes.",
            formerly=("population",),
        ),
        *_universe(
            "Set for a count of foreign fighters (metric "
            + ", ".join(FOREIGN_FIGHTER_METRICS)
            + ") as the document states it; empty for any other metric."
        ),
        _optional_text(
            "oddities",
            "Oddities of the figure, flagged not fixed, ';'-separated (see "
            "country_estimates.oddities): "
            + " ".join(f"{flag}: {FLAG_MEANINGS[flag]}" for flag in FIGURE_FLAGS),
            pattern=_FLAGS,
        ),
        _optional_text(
            "note",
            "What a reader should know beside the figure: the figure or source it repeats or "
            "contradicts (named by its figure_id or source_id), a shared attribution.",
        ),
    ),
)

REGIONAL_TOTALS = Table(
    name="regional_totals",
    title="Regional totals",
    description="Derived: sums of country_estimates per source, estimate and UN M49 region "
    "or sub-region, with the number of countries summed. Figures of different sources or "
    "estimates are never added together. A total covers only the countries the source "
    "lists, so it is a lower bound for the region, not a regional count.",
    primary_key=("source_id", "estimate", "level", "area"),
    foreign_keys=(_SOURCE_FK,),
    sort_by=("source_id", "estimate", "level", "area"),
    columns=(
        Column("source_id", "string", "Source of the summed figures.", pattern=_ID),
        Column("estimate", "string", "Kind of the summed figures.", enum=ESTIMATES),
        Column("level", "string", "region or subregion (UN M49).", enum=("region", "subregion")),
        Column("area", "string", "Name of the region or sub-region."),
        _integer(
            "country_count",
            "Number of countries summed (those listed without a figure are left out).",
            minimum=1,
            formerly=("countries",),
        ),
        _people(
            "fighters",
            "Sum of their figures, when every one is a single figure; empty when any is a range.",
        ),
        _people(
            "fighters_low",
            "When any figure summed is a range: the sum of the low ends, a single figure "
            "counting as its own low end; empty otherwise.",
        ),
        _people(
            "fighters_high",
            "When any figure summed is a range: the sum of the high ends (a single figure "
            "counting as its own high end); empty otherwise.",
        ),
        _population_year(
            "Year of the populations summed (country_estimates.population_year of the source)."
        ),
        _population("Sum of the populations of those countries in population_year."),
        *_PER_MILLION,
    ),
)

COUNTRY_NAMES = Table(
    name="country_names",
    title="Country names",
    description="One row per way of writing a country that the reader accepts "
    "(ffdata.compare, ffdata.provenance, ffdata show --country): the codes and names of "
    "every ISO 3166-1 country (pycountry) and of Kosovo, the reviewed aliases, and the "
    "names as printed in the documents. Countries without figures are listed too, so that "
    "a query can be told a country has none. A name that may mean two countries ('Congo', "
    "'Korea') has a row for each and is refused.",
    primary_key=("name_as_written", "kind", "iso3"),
    sort_by=("name_key", "iso3", "kind", "name_as_written"),
    columns=(
        Column(
            "name_as_written",
            "string",
            "The code or name as written in its origin (see kind), e.g. 'GBR', 'United "
            "Kingdom', 'U.K.'.",
            formerly=("name",),
        ),
        _string(
            "name_key",
            "Matching key of name_as_written: accents stripped, casefolded, full stops and "
            "apostrophes dropped, other punctuation and spaces collapsed to one space, a leading "
            "'the' dropped, numeric codes padded to three digits (ffdata.lookup.name_key, which "
            "normalises queries the same way).",
        ),
        _string(
            "iso3",
            "The country meant: ISO 3166-1 alpha-3, XKX for Kosovo. Not a key of countries, "
            "which lists only the countries with figures.",
            pattern=_ISO3,
        ),
        _string(
            "kind",
            "Where the name comes from: "
            + "; ".join(f"{kind}: {meaning}" for kind, meaning in NAME_KIND_MEANINGS.items())
            + ".",
            enum=NAME_KINDS,
        ),
    ),
)

#: The published tables, in the order they are published.
_FIRST = (DOCUMENTS, SOURCES, COUNTRIES, COUNTRY_ESTIMATES, AGGREGATE_FIGURES)
TABLES: dict[str, Table] = {t.name: t for t in (*_FIRST, REGIONAL_TOTALS, COUNTRY_NAMES)}
