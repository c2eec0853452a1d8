"""Reviewed inputs kept beside the documents: ``sources.toml`` and ``figures.toml``.

Each entry quotes its document exactly; the build finds the quote (it must
occur once), derives the line number from it, and checks every recorded value
against the text. Nothing in these files is trusted without that check.

A source is cited either by a footnote (``footnote = 17``: the citation must be
on the line that opens footnote 17, ``17 ...``, ``<sup>17</sup> ...`` or
``[17] ...``) or, with no ``footnote``, by the words of the text that name the
producer ("According to Reuters data"); the line is derived from the quote in
both cases. A footnote broken by a page break names its second part in
``continuation``; title, date and URL may be printed on either part (a URL may
run from the end of one onto the start of the other; a ``>`` printed at the break
is ignored).

A figure's ``number`` is parsed by :func:`parse_figure_number`: digits
(``30,000``, ``1.6 billion``), percentages (``69%``, ``85 percent``), ranges
(``700-1,400``, ``1500 to 2200``), fractions (``1/9``), numbers in words
(``ninety percent``, ``Five``, ``half``) and unquantified amounts
(``tens of thousands``: no value, qualifier ``unquantified``).

Example:
    >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
    >>> from ffdata.builder.pipeline import load_documents
    >>> docs = load_documents(read_manifest(default_raw_dir()))
    >>> sources = read_sources(default_raw_dir(), docs)
    >>> sources["soufan-2015"].footnote, sources["soufan-2015"].line
    (17, 138)
    >>> sources["reuters-data"].footnote is None, sources["reuters-data"].line
    (True, 163)
"""

from __future__ import annotations

import math
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from ffdata.builder.extract.records import AggregateFigure, SourceRecord
from ffdata.builder.extract.text import closest_line, find_unique_line, locate_quote, quote_pattern
from ffdata.builder.inputs import Document
from ffdata.errors import ErrorCollector, ExtractionError, ManifestError
from ffdata.tables import METRIC_UNITS, METRICS, QUALIFIERS, UNITS

SOURCES_FILE = "sources.toml"
FIGURES_FILE = "figures.toml"


_QUALIFIER_WORDS = {
    "approximately": ("approximately", "about", "around", "some", "roughly", "nearly", "almost"),
    "at_least": ("at least",),
    "more_than": ("more than", "over"),
    "less_than": ("less than", "under", "fewer than"),
}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Numbers as printed ------------------------------------------------------------------
_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGIT_NUMBER = re.compile(rf"(?P<digits>{_DIGITS})(?:\s+(?P<scale>thousand|million|billion))?")
_FRACTION = re.compile(r"(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)")
_PERCENT = re.compile(r"\s*(?:%|\s+per\s*cent)$", re.IGNORECASE)
_RANGE = re.compile(r"(?P<low>.+?)(?:\s*[-\u2013]\s*|\s+to\s+)(?P<high>.+)")
_UNQUANTIFIED = re.compile(
    r"(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|hundreds|thousands|millions"
    r"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million))",
    re.IGNORECASE,
)
_SMALL = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * n
    for n, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}


class ParsedNumber(NamedTuple):
    """A number as printed, read: ``kind`` is count, percent, ratio or unquantified."""

    value: float | None
    low: float | None
    high: float | None
    kind: str


def entry_places(path: Path, section: str, count: int) -> list[str]:
    """Return ``file:line [[section]] #n`` for each of the ``count`` entries of a TOML file.

    The line is that of the entry's ``[[section]]`` header, so that an error about an
    entry points at it.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "f.toml"
        >>> _ = path.write_text("# notes\\n[[figures]]\\na = 1\\n\\n[[figures]]\\na = 2\\n")
        >>> [place.split("/")[-1] for place in entry_places(path, "figures", 2)]
        ['f.toml:2 [[figures]] #1', 'f.toml:5 [[figures]] #2']
    """
    headers = [
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip() == f"[[{section}]]"
    ]
    if len(headers) != count:
        return [f"{path} [[{section}]] #{i}" for i in range(1, count + 1)]
    return [f"{path}:{n} [[{section}]] #{i}" for i, n in enumerate(headers, start=1)]


#: The keys each reviewed file's entries may have; any other key is a typo.
ALLOWED_KEYS = {
    "sources": {
        "source_id",
        "producer",
        "title",
        "date_as_printed",
        "url",
        "cited_in",
        "footnote",
        "citation",
        "continuation",
        "second_hand",
        "note",
    },
    "figures": {
        "figure_id",
        "source_id",
        "document",
        "quote",
        "number",
        "metric",
        "value",
        "value_low",
        "value_high",
        "unit",
        "qualifier",
        "refers_to",
        "population",
        "producer",
    },
    "not_figures": {"document", "quote", "number", "reason", "repeats"},
}


def read_reviewed_entries(path: Path, section: str) -> list[dict]:
    """Return the ``[[section]]`` entries of a reviewed TOML file, refusing typos and shapes.

    Example:
        >>> from ffdata.builder.inputs import default_raw_dir
        >>> len(read_reviewed_entries(default_raw_dir() / "sources.toml", "sources")) > 30
        True
    """
    if not path.is_file():
        raise ManifestError(
            f"missing {path.name}",
            document=str(path),
            hint="restore it from the repository's data/raw",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(
            f"{path.name} is not valid TOML ({exc})",
            document=str(path),
            hint="fix the syntax at the line the TOML error names",
        ) from exc
    entries = data.get(section, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ManifestError(
            f"{path.name}: [{section}] must be an array of tables",
            document=str(path),
            hint=f"write each entry under its own [[{section}]] header",
        )
    places = entry_places(path, section, len(entries))
    for entry, where in zip(entries, places, strict=True):
        unknown = sorted(set(entry) - ALLOWED_KEYS[section])
        if unknown:
            raise ManifestError(
                f"unknown field(s) {', '.join(unknown)}",
                document=where,
                hint=f"check the spelling; allowed: {', '.join(sorted(ALLOWED_KEYS[section]))}",
            )
    return list(entries)


def _read_toml(raw_dir: Path, name: str, section: str) -> list[tuple[dict, str]]:
    path = raw_dir / name
    entries = read_reviewed_entries(path, section)
    return list(zip(entries, entry_places(path, section, len(entries)), strict=True))


def _field(entry: dict, key: str, kind: type, where: str, default: object = ...) -> object:
    if key not in entry:
        if default is ...:
            raise ManifestError(f"entry lacks the field {key!r}", document=where, hint="add it")
        return default
    value = entry[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise ManifestError(
            f"field {key!r} should be {kind.__name__}",
            document=where,
            text=repr(value),
            hint="quote text, write numbers bare and booleans as true/false",
        )
    return value


def _new_id(entry: dict, key: str, taken: set[str], where: str) -> str:
    value = str(_field(entry, key, str, where))
    if not _ID.fullmatch(value) or value in taken:
        raise ManifestError(
            f"{key} must be unique and lower-case-with-dashes",
            document=where,
            text=value,
            hint="rename the entry, e.g. producer-year-what",
        )
    return value


def _document(docs: dict[str, Document], file: str, where: str) -> Document:
    if file not in docs:
        raise ManifestError(
            f"names document {file!r}, which the manifest does not list",
            document=where,
            hint=f"use one of: {', '.join(sorted(docs))}",
        )
    return docs[file]


def note_line(doc: Document, number: int) -> int:
    """Return the line that opens footnote or note ``number``: ``17 ...``, ``<sup>18</sup> ...``
    or ``[4] ...``.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, load_document, default_raw_dir
        >>> m = read_manifest(default_raw_dir())
        >>> note_line(load_document(m, "002_882cd01f73eb6394.txt"), 18)
        165
        >>> note_line(load_document(m, "001_681282505068cf96.txt"), 4)
        39
    """
    pattern = re.compile(
        rf"^[ \u00a0]*(?:<sup> *{number} *</sup>|\[{number}\]|{number}(?![0-9]))[ \u00a0]+\S"
    )
    return find_unique_line(doc, pattern, f"footnote {number}")


def read_sources(
    raw_dir: Path, docs: dict[str, Document], errors: ErrorCollector | None = None
) -> dict[str, SourceRecord]:
    """Read ``sources.toml`` and check each citation against its document.

    With ``footnote``, the citation must be on the line that opens that footnote;
    without, the citation is the in-text attribution, found once. Title, date and
    URL, when given, must be printed there (or in the footnote's ``continuation``).

    Example: see the module docstring.
    """
    out: dict[str, SourceRecord] = {}
    cited: dict[tuple[str, int], str] = {}
    collector = errors if errors is not None else ErrorCollector()
    for entry, where in _read_toml(raw_dir, SOURCES_FILE, "sources"):
        with collector.attempt():
            source_id = _new_id(entry, "source_id", set(out), where)
            doc = _document(docs, str(_field(entry, "cited_in", str, where)), where)
            footnote = _field(entry, "footnote", int, where, None)
            citation = str(_field(entry, "citation", str, where))
            what = f"source {source_id!r}, " + (
                f"footnote {footnote}" if footnote is not None else "in-text attribution"
            )
            line, printed = locate_quote(doc, citation, what)
            if footnote is not None:
                footnote = int(footnote)  # type: ignore[call-overload]
                expected_line = note_line(doc, footnote)
                if line != expected_line:
                    raise ExtractionError(
                        f"{what}: the citation is on line {line}, but footnote {footnote} is on "
                        f"line {expected_line}",
                        document=doc.file,
                        line=line,
                        text=citation,
                        hint="quote the citation from the footnote itself",
                    )
                if (doc.file, footnote) in cited:
                    raise ManifestError(
                        f"footnote {footnote} of {doc.file} is already the citation of source "
                        f"{cited[doc.file, footnote]!r}",
                        document=where,
                        hint="one source per footnote: merge the two entries",
                    )
                cited[doc.file, footnote] = source_id
            texts = [doc.line(line)]
            continuation_line = None
            continuation = str(_field(entry, "continuation", str, where, ""))
            if continuation:
                continuation_line, _ = locate_quote(doc, continuation, f"{what}, continuation")
                if continuation_line <= line:
                    raise ExtractionError(
                        f"{what}: the continuation is on line {continuation_line}, before the "
                        f"footnote (line {line})",
                        document=doc.file,
                        line=continuation_line,
                        text=continuation,
                        hint="quote the footnote's second part, printed after the page break",
                    )
                rest = doc.line(continuation_line)
                texts += [rest, texts[0].rstrip().removesuffix(">") + rest.strip()]
            record = SourceRecord(
                source_id=source_id,
                producer=str(_field(entry, "producer", str, where)),
                title=str(_field(entry, "title", str, where, "")),
                date_as_printed=str(_field(entry, "date_as_printed", str, where, "")),
                url=str(_field(entry, "url", str, where, "")),
                file=doc.file,
                footnote=footnote,  # type: ignore[arg-type]
                line=line,
                citation_as_printed=printed,
                second_hand=bool(_field(entry, "second_hand", bool, where)),
                note=str(_field(entry, "note", str, where, "")),
                continuation_line=continuation_line,
            )
            if not record.producer.strip():
                raise ManifestError(f"{what}: producer is empty", document=where, hint="name it")
            for key in ("title", "date_as_printed", "url"):
                value = getattr(record, key)
                if value and not any(quote_pattern(value).search(text) for text in texts):
                    raise ExtractionError(
                        f"{what}: {key} {value!r} is not printed in the citation",
                        document=doc.file,
                        line=line,
                        text=texts[0],
                        hint=f"copy the {key} exactly as the document prints it, or leave it empty",
                    )
            out[source_id] = record
    if errors is None:
        collector.raise_if_any()
    return out


def parse_word_number(text: str) -> float | None:
    """Return the value of a whole number written in words, or ``None`` if it is not one.

    Example:
        >>> parse_word_number("ninety"), parse_word_number("Five"), parse_word_number("three dozen")
        (90.0, 5.0, 36.0)
        >>> parse_word_number("twenty-five thousand"), parse_word_number("many")
        (25000.0, None)
    """
    words = [w for w in re.split(r"[\s\u00a0-]+", text.strip().casefold()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1:
        words[0] = "one"
    total, current, seen = 0, 0, False
    for word in words:
        if word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _simple_number(text: str) -> tuple[float, str] | None:
    """(value, kind) of one number without a range: digits, a fraction or words."""
    text = text.strip()
    match = _DIGIT_NUMBER.fullmatch(text)
    if match:
        value = Decimal(match["digits"].replace(",", ""))
        if match["scale"]:
            value *= _SCALES[match["scale"]]
        return float(value), "count"
    match = _FRACTION.fullmatch(text)
    if match and int(match["den"]) > 0:
        return int(match["num"]) / int(match["den"]), "ratio"
    words = text.casefold().split()
    if words and words[-1] in _FRACTION_WORDS and len(words) <= 2:
        count = 1.0 if len(words) == 1 else parse_word_number(words[0])
        if count is not None:
            return count / _FRACTION_WORDS[words[-1]], "ratio"
    value = parse_word_number(text)
    return (value, "count") if value is not None else None


def parse_figure_number(number: str, *, document: str, line: int) -> ParsedNumber:
    """Parse a number as printed in a quote.

    Digits (``3,803``, ``1.6 billion``), percentages (``69%``, ``85 percent``),
    ranges (``700-1,400``, ``1500 to 2200``), fractions (``1/9``), numbers in words
    (``ninety percent``, ``half``) and unquantified amounts (``tens of thousands``).
    A range has ``value`` ``None``; an unquantified amount has no value at all.

    Example:
        >>> parse_figure_number("700-1,400", document="d", line=1)
        ParsedNumber(value=None, low=700.0, high=1400.0, kind='count')
        >>> parse_figure_number("69%", document="d", line=1).value
        69.0
        >>> parse_figure_number("ninety percent", document="d", line=1)
        ParsedNumber(value=90.0, low=None, high=None, kind='percent')
        >>> parse_figure_number("1/9", document="d", line=1).kind
        'ratio'
        >>> parse_figure_number("tens of thousands", document="d", line=1)
        ParsedNumber(value=None, low=None, high=None, kind='unquantified')
        >>> parse_figure_number("many", document="d.txt", line=3)
        Traceback (most recent call last):
        ...
        ffdata.errors.ExtractionError: d.txt:3: figure is not a number, a percentage, a fraction or a range: 'many'
          hint: record the number exactly as printed, e.g. 3,803 or 69% or 20-35 or ninety percent or 1/9
    """
    text = " ".join(number.split())
    if _UNQUANTIFIED.fullmatch(text):
        return ParsedNumber(None, None, None, "unquantified")
    percent = _PERCENT.search(text)
    if percent:
        text = text[: percent.start()]
    parsed = _simple_number(text)
    low = high = None
    if parsed is None:
        match = _RANGE.fullmatch(text)
        if match:
            low, high = _simple_number(match["low"]), _simple_number(match["high"])
    if parsed is None and (low is None or high is None):
        raise ExtractionError(
            "figure is not a number, a percentage, a fraction or a range",
            document=document,
            line=line,
            text=number,
            hint="record the number exactly as printed, e.g. 3,803 or 69% or 20-35 or "
            "ninety percent or 1/9",
        )
    if parsed is not None:
        value, kind = parsed
        if percent and kind == "ratio":
            raise ExtractionError(
                "a fraction cannot be a percentage",
                document=document,
                line=line,
                text=number,
                hint="record `number` exactly as the quote prints it",
            )
        return ParsedNumber(value, None, None, "percent" if percent else kind)
    assert low is not None and high is not None
    if low[1] != high[1] or low[1] == "ratio":
        raise ExtractionError(
            "a range must join two whole numbers",
            document=document,
            line=line,
            text=number,
            hint="record `number` exactly as the quote prints it",
        )
    if high[0] < low[0]:
        raise ExtractionError(
            "range runs backwards",
            document=document,
            line=line,
            text=number,
            hint="a range is printed low-high, e.g. 700-1,400",
        )
    return ParsedNumber(None, low[0], high[0], "percent" if percent else "count")


def qualifier_in_text(before: str) -> str:
    """Return the qualifier that the words just before a number express.

    Example:
        >>> qualifier_in_text("Of those foreign fighters at least ")
        'at_least'
        >>> qualifier_in_text("compared with nearly ")
        'approximately'
        >>> qualifier_in_text("only ")
        'exact'
    """
    words = " ".join(before.split()).casefold()
    for qualifier, phrases in _QUALIFIER_WORDS.items():
        if any(words == p or words.endswith(" " + p) for p in phrases):
            return qualifier
    return "exact"


def number_spots(text: str, number: str) -> list[re.Match[str]]:
    """Return where ``number`` is printed in ``text`` as a whole number, not part of another.

    ``15`` is not found in ``15,000`` or ``1/15``, ``two`` not in ``twenty``; any run of
    whitespace in ``number`` matches any run in ``text``.

    Example:
        >>> [m.start() for m in number_spots("15,000 from 15 countries", "15")]
        [12]
        >>> len(number_spots("ninety\\u00a0percent of", "ninety percent"))
        1
    """
    body = quote_pattern(number).pattern
    pattern = re.compile(
        rf"(?<!\w)(?<![0-9][.,/\-\u2013]){body}(?![\w%])(?![.,/\-\u2013][0-9])", re.UNICODE
    )
    return list(pattern.finditer(text))


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


def locate_figure_quote(doc: Document, quote: str, number: str, what: str) -> tuple[int, str]:
    """Like :func:`ffdata.builder.extract.text.locate_quote`, but a quote that is no longer printed
    is reported at the line that most likely held it, saying what changed when it is
    the number.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, load_document, default_raw_dir
        >>> doc = load_document(read_manifest(default_raw_dir()), "002_882cd01f73eb6394.txt")
        >>> locate_figure_quote(doc, "the FBI estimated that there were 30,000", "30,000", "f")[0]
        173
        >>> locate_figure_quote(doc, "the FBI estimated that there were 31,000", "31,000", "f")
        Traceback (most recent call last):
        ...
        ffdata.errors.ExtractionError: 002_882cd01f73eb6394.txt:173: f: the quote is not printed: the document prints '30,000' where figures.toml records '31,000': 'the FBI estimated that there were 31,000'
          hint: the document or the entry changed: check the figure, then correct the entry's quote, number and value (or restore the document)
    """
    try:
        return locate_quote(doc, quote, what)
    except ExtractionError as exc:
        if "quote not found" not in exc.message:
            raise
        changed = _number_changed(doc, quote, number)
        if changed is not None:
            raise ExtractionError(
                f"{what}: the quote is not printed: the document prints {changed[1]!r} where "
                f"{FIGURES_FILE} records {number!r}",
                document=doc.file,
                line=changed[0],
                text=quote,
                hint="the document or the entry changed: check the figure, then correct the "
                "entry's quote, number and value (or restore the document)",
            ) from None
        closest = closest_line(doc, quote)
        if closest is not None:
            raise ExtractionError(
                f"{what}: the quote is not printed; line {closest} holds most of its words",
                document=doc.file,
                line=closest,
                text=quote,
                hint="the document changed or the quote is mistyped: copy the quote exactly "
                "from that line",
            ) from None
        raise


def _close(recorded: float | None, parsed: float | None) -> bool:
    if recorded is None or parsed is None:
        return recorded is parsed
    return math.isclose(recorded, parsed, rel_tol=1e-12, abs_tol=0.0)


def _text(entry: dict, key: str, where: str) -> str:
    value = str(_field(entry, key, str, where))
    if not value.strip():
        raise ManifestError(f"field {key!r} is empty", document=where, hint="fill it in")
    return value


def read_figures(
    raw_dir: Path,
    docs: dict[str, Document],
    sources: dict[str, SourceRecord],
    errors: ErrorCollector | None = None,
) -> list[AggregateFigure]:
    """Read ``figures.toml`` and check every entry against its document.

    The quote must occur once; ``number`` must occur once in the quote; the
    value, unit and qualifier recorded must agree with what is printed; metric,
    unit and qualifier must be in their vocabularies; the source must be cited
    in the same document.

    Example:
        >>> from ffdata.builder.inputs import read_manifest, default_raw_dir
        >>> from ffdata.builder.pipeline import load_documents
        >>> docs = load_documents(read_manifest(default_raw_dir()))
        >>> figures = read_figures(default_raw_dir(), docs, read_sources(default_raw_dir(), docs))
        >>> [f.value for f in figures if f.figure_id == "worldbank-2016-recruits-2013-2014"]
        [3803.0]
        >>> [(f.value, f.unit) for f in figures if f.number_as_printed == "ninety percent"]
        [(90.0, 'percent')]
    """
    out: list[AggregateFigure] = []
    seen: set[str] = set()
    collector = errors if errors is not None else ErrorCollector()
    for entry, where in _read_toml(raw_dir, FIGURES_FILE, "figures"):
        with collector.attempt():
            figure_id = _new_id(entry, "figure_id", seen, where)
            seen.add(figure_id)
            where = f"{where} ({figure_id})"
            source_id = str(_field(entry, "source_id", str, where))
            if source_id not in sources:
                raise ManifestError(
                    f"unknown source_id {source_id!r}",
                    document=where,
                    hint=f"add it to {SOURCES_FILE}; known: {', '.join(sorted(sources))}",
                )
            doc = _document(docs, str(_field(entry, "document", str, where)), where)
            if sources[source_id].file != doc.file:
                raise ManifestError(
                    f"source {source_id!r} is cited in {sources[source_id].file}, not in {doc.file}",
                    document=where,
                    hint="give the figure a source that its own document cites",
                )
            quote = str(_field(entry, "quote", str, where))
            number = str(_field(entry, "number", str, where))
            what = f"figure {figure_id!r}"
            line, printed = locate_figure_quote(doc, quote, number, what)
            spots = number_spots(printed, number)
            if len(spots) != 1:
                raise ExtractionError(
                    f"{what}: number {number!r} occurs {len(spots)} times in the quote; expected once",
                    document=doc.file,
                    line=line,
                    text=printed,
                    hint="record the number exactly as printed in the quote",
                )
            parsed = parse_figure_number(number, document=doc.file, line=line)
            unit = str(_field(entry, "unit", str, where))
            qualifier = str(_field(entry, "qualifier", str, where))
            metric = str(_field(entry, "metric", str, where))
            problems = []
            for key, value, vocabulary in (
                ("metric", metric, METRICS),
                ("unit", unit, UNITS),
                ("qualifier", qualifier, QUALIFIERS),
            ):
                if value not in vocabulary:
                    problems.append(f"{key} {value!r} is not one of {', '.join(vocabulary)}")
            if metric in METRIC_UNITS and unit not in METRIC_UNITS[metric]:
                problems.append(
                    f"unit {unit!r} does not fit metric {metric!r} "
                    f"(counted in {' or '.join(METRIC_UNITS[metric])})"
                )
            if (parsed.kind == "percent") != (unit == "percent"):
                problems.append(f"unit {unit!r} disagrees with the number {number!r}")
            if (parsed.kind == "ratio") != (unit == "ratio"):
                problems.append(f"unit {unit!r} disagrees with the number {number!r} (a fraction)")
            if parsed.kind == "unquantified":
                printed_qualifier = "unquantified"
            elif parsed.value is None:
                printed_qualifier = "range"
            else:
                printed_qualifier = qualifier_in_text(printed[: spots[0].start()])
            if printed_qualifier != qualifier:
                problems.append(
                    f"qualifier {qualifier!r}, but the text reads as {printed_qualifier!r}"
                )
            for key, value in (
                ("value", parsed.value),
                ("value_low", parsed.low),
                ("value_high", parsed.high),
            ):
                recorded = _field(entry, key, float, where, None)
                if not _close(recorded, value):  # type: ignore[arg-type]
                    problems.append(f"{key} recorded as {recorded}, but the text prints {value}")
            if problems:
                raise ExtractionError(
                    f"{what}: " + "; ".join(problems),
                    document=doc.file,
                    line=line,
                    text=printed,
                    hint=f"correct the entry in {FIGURES_FILE} to match the text",
                )
            offset = doc.line(line).index(printed)
            out.append(
                AggregateFigure(
                    figure_id=figure_id,
                    source_id=source_id,
                    file=doc.file,
                    line=line,
                    text_as_printed=printed,
                    metric=metric,
                    value=parsed.value,
                    value_low=parsed.low,
                    value_high=parsed.high,
                    unit=unit,
                    qualifier=qualifier,
                    refers_to=_text(entry, "refers_to", where),
                    population=_text(entry, "population", where),
                    producer=_text(entry, "producer", where),
                    number_as_printed=spots[0].group(0),
                    number_start=offset + spots[0].start(),
                    number_end=offset + spots[0].end(),
                )
            )
    if errors is None:
        collector.raise_if_any()
    return out
