"""ISO dates and spans as data (ffdata.builder.inputs.dates), with the dates the sources print."""

from __future__ import annotations

import datetime as dt

import pytest

from ffdata.builder.inputs.dates import date_precision, period_bounds, period_end_year


@pytest.mark.parametrize(
    ("value", "precision", "first", "last", "end_year"),
    [
        # ICSR December 2013: late 2011 to 10 December 2013
        ("2011/2013-12-10", "span", dt.date(2011, 1, 1), dt.date(2013, 12, 10), 2013),
        # ICSR January 2015: up to the end of 2014
        ("2014-12", "month", dt.date(2014, 12, 1), dt.date(2014, 12, 31), 2014),
        ("2015", "year", dt.date(2015, 1, 1), dt.date(2015, 12, 31), 2015),
        ("2013-12-17", "day", dt.date(2013, 12, 17), dt.date(2013, 12, 17), 2013),
        # Barrett 2014 / Soufan 2015
        ("2014/2015", "span", dt.date(2014, 1, 1), dt.date(2015, 12, 31), 2015),
    ],
)
def test_dates_the_sources_print(value, precision, first, last, end_year):
    assert date_precision(value) == precision
    assert period_bounds(value) == (first, last)
    assert period_end_year(value) == end_year


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2014-12/2014-12", "a span must run from an earlier date to a later one"),
        ("2015/2015", "a span must run from an earlier date to a later one"),
        ("2013-12-10/2011", "a span must run from an earlier date to a later one"),
        ("2015-02-29", "is not a calendar date"),
        ("2015-13", "is not a calendar date"),
        ("Dec 2014", "is not an ISO 8601 date"),
    ],
)
def test_a_date_that_is_not_a_date_or_a_span_is_refused(value, message):
    with pytest.raises(ValueError, match=message):
        date_precision(value)
    with pytest.raises(ValueError, match=message):
        period_end_year(value)


def test_refers_to_year_is_the_year_the_period_ends_in(tables):
    """refers_to_year (for plotting and sorting) is the last year of refers_to_date, a
    span's end year, and is empty exactly when there is no date."""
    import pandas as pd

    spans = 0
    for name in ("country_estimates", "aggregate_figures"):
        rows = tables[name]
        for date, year in zip(rows["refers_to_date"], rows["refers_to_year"], strict=True):
            if pd.isna(date):
                assert pd.isna(year), (name, year)
                continue
            spans += "/" in date and date[:4] != date.split("/")[-1][:4]
            assert year == period_bounds(date)[1].year, (name, date, year)
    assert spans > 0  # a span over years is there to tell its end from its start
