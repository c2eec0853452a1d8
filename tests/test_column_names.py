"""Published column names never shadow a DataFrame attribute, so ``df.name`` is the column."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from ffdata.loading import path as table_path
from ffdata.tables import TABLES


def test_no_published_column_shadows_a_dataframe_attribute():
    attributes = set(dir(pd.DataFrame)) | set(dir(pl.DataFrame))  # polars: in the dev extra
    assert {"flags", "columns", "shape", "height", "width"} <= attributes
    for name, table in TABLES.items():
        declared = [c.name for c in table.columns]
        published = pq.read_schema(table_path(name)).names
        assert published == declared, name
        shadowing = sorted(set(published) & attributes)
        assert not shadowing, f"{name}: {shadowing} shadow DataFrame attributes"


def test_renamed_columns_hold_what_their_names_say():
    import ffdata

    estimates = ffdata.load("country_estimates")
    norway = estimates[(estimates.iso3 == "NOR") & (estimates.source_id == "soufan-2015")]
    assert set(norway.oddities) == {"unofficial_below_official"}
    totals = ffdata.load("regional_totals").set_index(["source_id", "estimate", "level", "area"])
    assert totals.country_count.dtype == "Int64"
    assert totals.loc[("soufan-2015", "official", "region", "Africa"), "country_count"] >= 1
    figures = ffdata.load("aggregate_figures")
    assert figures.who_is_counted.str.len().min() > 0
