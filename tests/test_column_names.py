"""Column names never shadow a pandas or polars attribute, so ``df.name`` and ``row.name``
(in ``iterrows()`` and ``apply(axis=1)``, where a row is a Series) are the column."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from support import api_frames

import ffdata
from ffdata.loading import path as table_path
from ffdata.tables import TABLES

#: Every attribute a column name would hide: of a pandas DataFrame and Series (a row of
#: iterrows() or apply(axis=1)), and of a polars DataFrame and Series (polars is in the dev
#: extra).
ATTRIBUTES = set(dir(pd.DataFrame)) | set(dir(pd.Series)) | set(dir(pl.DataFrame))
ATTRIBUTES |= set(dir(pl.Series))


def shadowing(columns) -> list[str]:
    return sorted(set(map(str, columns)) & ATTRIBUTES)


def test_the_attributes_include_those_that_were_shadowed():
    """The check sees what it is for: ``name`` is a Series' index label, ``flags`` a
    DataFrame's, ``height`` a polars frame's."""
    assert {"name", "flags", "columns", "shape", "index", "values", "size", "T"} <= ATTRIBUTES
    assert {"height", "width", "dtype", "str"} <= ATTRIBUTES
    assert shadowing(["iso3", "name", "country_name"]) == ["name"]


@pytest.mark.parametrize("name", list(TABLES))
def test_no_published_column_shadows_an_attribute(name):
    declared = [c.name for c in TABLES[name].columns]
    published = pq.read_schema(table_path(name)).names
    assert published == declared, name
    assert not shadowing(published), f"{name}: {shadowing(published)} shadow attributes"


def test_no_column_of_an_api_frame_shadows_an_attribute():
    frames = api_frames()
    assert frames["country_summary()"].columns[:4].tolist() == [
        "iso3",
        "iso2",
        "iso_numeric",
        "country_name",
    ]
    for call, frame in frames.items():
        assert not shadowing(frame.columns), f"{call}: {shadowing(frame.columns)}"


def test_a_row_name_is_the_index_and_the_country_is_its_column():
    """What users do: ``row.country_name`` in iterrows() is the country, ``row.name`` the
    index label (the column it once shadowed)."""
    summary = ffdata.country_summary()
    _, row = next(summary.iterrows())
    assert row.name == 0 and row.country_name == summary.loc[0, "country_name"]
    names = ffdata.load("country_names")
    written = names.apply(lambda r: r.name_as_written, axis=1)
    assert written.tolist() == names["name_as_written"].tolist()


def test_renamed_columns_hold_what_their_names_say():
    estimates = ffdata.load("country_estimates")
    norway = estimates[(estimates.iso3 == "NOR") & (estimates.source_id == "soufan-2015")]
    assert set(norway.oddities) == {"unofficial_below_official"}
    totals = ffdata.load("regional_totals").set_index(["source_id", "estimate", "level", "area"])
    assert totals.country_count.dtype == "Int64"
    assert totals.loc[("soufan-2015", "official", "region", "Africa"), "country_count"] >= 1
    figures = ffdata.load("aggregate_figures")
    assert figures.who_is_counted.str.len().min() > 0
    countries = ffdata.load("countries").set_index("iso3")
    assert countries.country_name["NLD"] == "Netherlands"
    assert countries.country_name["XKX"] == "Kosovo"
    names = ffdata.load("country_names")
    uk = set(names.loc[names.iso3 == "GBR", "name_as_written"])
    assert {"GBR", "GB", "826", "United Kingdom"} <= uk
