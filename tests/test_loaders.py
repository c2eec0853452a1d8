"""load(name, backend=...): the same table as pandas, polars and pyarrow; README recipes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import ffdata
from conftest import ROOT
from ffdata.errors import FfdataError, UnknownNameError
from ffdata.tables import TABLES


def records(frame: pd.DataFrame) -> list[dict]:
    """pandas rows as plain Python values, missing as None."""
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


@pytest.mark.parametrize("name", list(TABLES))
def test_polars_and_pyarrow_frames_equal_the_pandas_one(name):
    frame = ffdata.load(name)
    polars_frame = ffdata.load(name, backend="polars")
    arrow_table = ffdata.load(name, backend="pyarrow")
    assert isinstance(polars_frame, pl.DataFrame) and isinstance(arrow_table, pa.Table)
    assert polars_frame.columns == list(frame.columns) == arrow_table.column_names
    assert polars_frame.to_dicts() == records(frame) == arrow_table.to_pylist()
    for column in TABLES[name].columns:
        if column.enum is not None:
            assert polars_frame.schema[column.name] == pl.Enum(list(column.enum))


def test_real_values_and_columns_in_every_backend():
    pandas_row = ffdata.load("country_estimates").query("iso3 == 'TUN' and estimate == 'official'")
    polars_row = ffdata.load("country_estimates", backend="polars").filter(
        (pl.col("iso3") == "TUN") & (pl.col("estimate") == "official")
    )
    assert int(pandas_row.fighters.iloc[0]) == polars_row["fighters"][0] == 6000
    assert polars_row["text_as_printed"][0] == "1\tTunisia\t6000\t7000"
    arrow = ffdata.load("countries", columns=["iso3", "population_2015"], backend="pyarrow")
    assert arrow.column_names == ["iso3", "population_2015"]


def test_polars_missing_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars -> ImportError
    with pytest.raises(FfdataError, match=r"pip install 'ffdata\[polars\]'"):
        ffdata.load("countries", backend="polars")
    assert len(ffdata.load("countries")) == 77  # pandas needs nothing more


def test_unknown_backend():
    with pytest.raises(UnknownNameError, match="valid choices: pandas, polars, pyarrow"):
        ffdata.load("countries", backend="arrow")


def readme_block(language: str, marker: str) -> str:
    """The README's fenced ``language`` block that contains ``marker``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", readme, flags=re.DOTALL)
    (block,) = [b for b in blocks if marker in b]
    return block


def test_readme_python_recipes_run():
    namespace: dict = {}
    exec(readme_block("python", 'backend="polars"'), namespace)
    assert (
        int(
            namespace["estimates"]
            .query("iso3 == 'NOR' and estimate == 'official'")
            .fighters.iloc[0]
        )
        == 81
    )
    assert namespace["estimates_pl"].height == namespace["arrow_table"].num_rows == 211
    namespace = {}
    exec(readme_block("python", "duckdb"), namespace)
    assert namespace["top"] == [("TUN", 6000), ("SAU", 2500), ("RUS", 2400)]
    namespace = {}
    exec(readme_block("python", "read_csv"), namespace)
    assert namespace["totals"].population.dtype == "Int64"
    assert namespace["totals"].population.max() == 3_513_916_336


@pytest.mark.skipif(
    shutil.which("Rscript") is None, reason="the README's R recipe: R is not installed"
)
def test_readme_r_recipe_reads_the_csv_without_overflow():
    script = readme_block("r", "read_csv")
    out = subprocess.run(
        ["Rscript", "-e", script + "\ncat(format(max(totals$population), scientific = FALSE))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if "there is no package called" in out.stderr:
        pytest.skip(f"the README's R recipe: {out.stderr.strip().splitlines()[-1]}")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("3513916336")
