"""``ffdata compare`` and ``ffdata totals`` as a person reads them in a terminal: a table of
the figures (who, when, how many, where printed) that fits the width, then what each row
counts, why a source lists no figure, and the oddities flagged, as wrapped lines.

Example:
    >>> import ffdata
    >>> print(totals_text(ffdata.totals(), width=100).splitlines()[0])
    Worldwide counts of foreign fighters: 2 counts; only the stocks form one series over time
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ffdata.display import is_missing
from ffdata.render import render

if TYPE_CHECKING:
    import pandas as pd

#: The ``row_kind`` values counted in the heading of :func:`compare_text`, in order.
ROW_KINDS_SHOWN = ("country_estimate", "aggregate_figure", "not_listed")
#: The columns of :func:`compare_text` and :func:`totals_text` never cut to fit the width (a
#: date, a figure or a rate cut short reads as another one; a source id cut short cannot be
#: typed back, e.g. into ``ffdata show --source``).
UNCUT = ("refers_to", "figure", "per_million", "source")
#: How ``compare_text`` names a row that is not a country estimate.
_KIND_WORDS = {"not_listed": "not listed", "aggregate_figure": "aggregate"}


def compare_text(frame: pd.DataFrame, width: int | None = None) -> str:
    """``ffdata compare`` in a terminal: a table of the rows (label, kind, date, figure,
    rate, where printed), then what each source counts and why a source lists no figure;
    fitted to ``width`` when given.

    Example:
        >>> import ffdata
        >>> print(compare_text(ffdata.compare("Iran"), width=90))
        Iran (IRN): 0 estimates, 0 aggregate figures; 3 sources do not list it
        <BLANKLINE>
        label          kind        refers_to  figure  per_million  printed_at
        -------------  ----------  ---------  ------  -----------  ----------------------------
        ICSR Jan 2015  not listed  2014-12                         icsr-foreign-fighters-copy:6
        IEP 2015       not listed  2015                            niu-2018-excerpt:19
        Soufan 2015    not listed  2015                            niu-2018-excerpt:17
        <BLANKLINE>
        What each row counts:
          ICSR Jan 2015: Sunni militant groups in Syria and Iraq, cumulative
          IEP 2015: IS only in Syria and Iraq, cumulative, lists 500 or more
          Soufan 2015: IS and other groups in Syria and Iraq, cumulative
        <BLANKLINE>
        Why a source lists no figure (an absence is not a zero):
          ICSR Jan 2015 does not list Iran. The source gives no figure for the country: it may
            have had none, or none the source knew of or chose to print. Not a zero.
          IEP 2015 does not list Iran. The source lists only the countries with at least 500
            people: a country it leaves out had fewer by its count (perhaps none), not zero.
          Soufan 2015 does not list Iran. The source gives no figure for the country: it may have
            had none, or none the source knew of or chose to print. Not a zero.
    """
    import pandas as pd

    rows = frame.to_dict("records")
    table = pd.DataFrame(
        {
            "label": [r["label"] for r in rows],
            "kind": [_KIND_WORDS.get(r["row_kind"], r["estimate"]) for r in rows],
            "refers_to": [r["refers_to_date"] for r in rows],
            "figure": [r["figure"] for r in rows],
            "per_million": [_rate_text(r) for r in rows],
            "printed_at": [r["printed_at"] for r in rows],
        }
    )
    counts = [sum(r["row_kind"] == k for r in rows) for k in ROW_KINDS_SHOWN]
    name, iso3 = (rows[0]["country_name"], rows[0]["iso3"]) if rows else ("", "")
    absent = (
        f"{counts[2]} source{'s do' if counts[2] != 1 else ' does'} not list it"
        if counts[2]
        else "every source with country estimates lists it"
    )
    head = (
        f"{name} ({iso3}): {_plural(counts[0], 'estimate')}, "
        f"{_plural(counts[1], 'aggregate figure')}; {absent}"
    )
    counted = [
        f"{r['label']}"
        + (f" ({r['metric']})" if r["row_kind"] == "aggregate_figure" else "")
        + f": {r['universe']}"
        for r in rows
    ]
    why = [str(r["why_not_listed"]) for r in rows if r["row_kind"] == "not_listed"]
    odd = [f"{r['label']} {r['estimate']}: {r['oddities']}" for r in rows if _text(r["oddities"])]
    sections = {
        "What each row counts:": counted,
        "Why a source lists no figure (an absence is not a zero):": why,
        "Oddities flagged (see the codebook):": odd,
    }
    return _page(head, table, sections, width)


def totals_text(frame: pd.DataFrame, width: int | None = None) -> str:
    """``ffdata totals`` in a terminal: a table of the counts (series, date, figure, source,
    where printed), stocks first, then what each count includes and the oddities flagged;
    fitted to ``width`` when given.

    Example:
        >>> import ffdata
        >>> print(totals_text(ffdata.totals(), width=100))
        Worldwide counts of foreign fighters: 2 counts; only the stocks form one series over time
        <BLANKLINE>
        series   refers_to  figure            source    printed_at
        -------  ---------  ----------------  --------  ------------------
        serving  2014-09    more than 15,000  un-2014   niu-2018-excerpt:5
        serving  2015-09    30,000            fbi-2015  niu-2018-excerpt:5
        <BLANKLINE>
        What each count includes:
          serving 2014-09 (un-2014): IS only, place not stated, serving at the date
          serving 2015-09 (fbi-2015): IS only, place not stated, serving at the date
    """
    import pandas as pd

    from ffdata.tables import universe_words

    rows = frame.to_dict("records")
    table = pd.DataFrame(
        {
            "series": [r["series"] for r in rows],
            "refers_to": [r["refers_to_date"] for r in rows],
            "figure": [r["figure"] for r in rows],
            "source": [r["source_id"] for r in rows],
            "printed_at": [f"{r['document_id']}:{r['line']}" for r in rows],
        }
    )
    head = (
        f"Worldwide counts of foreign fighters: {_plural(len(rows), 'count')}; "
        "only the stocks form one series over time"
    )
    what = [
        f"{r['series']} {r['refers_to_date']} ({r['source_id']}): "
        + universe_words(str(r["groups_counted"]), str(r["place_counted"]), str(r["count_kind"]))
        for r in rows
    ]
    odd = [
        f"{r['series']} {r['refers_to_date']} ({r['source_id']}): {r['oddities']}"
        + (f". {r['note']}" if _text(r["note"]) else "")
        for r in rows
        if _text(r["oddities"])
    ]
    sections = {"What each count includes:": what, "Oddities flagged (see the codebook):": odd}
    return _page(head, table, sections, width)


def _page(head: str, table: pd.DataFrame, sections: dict[str, list[str]], width: int | None) -> str:
    """The heading, the table fitted to ``width``, then each non-empty section's lines
    (each once, in order), wrapped."""
    wide = width or 10_000  # not fitted: one line each
    wrap = textwrap.TextWrapper(width=wide, initial_indent="  ", subsequent_indent="    ")
    out = [
        *textwrap.wrap(head, wide),
        "",
        render(table, "table", width=width, keep=UNCUT, places=("printed_at",)),
    ]
    for title, lines in sections.items():
        if lines:
            out += ["", title]
            out += [part for line in dict.fromkeys(lines) for part in wrap.wrap(line)]
    return "\n".join(out)


def _rate_text(row: dict) -> str:
    """A row's per-million rate, or the range of its two rates."""
    low, high = row["fighters_low_per_million"], row["fighters_high_per_million"]
    if not is_missing(low):
        return f"{low:g}-{high:g}"
    rate = row["fighters_per_million"]
    return "" if is_missing(rate) else f"{rate:g}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)
