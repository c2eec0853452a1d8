"""load(name, backend=...): the same table as pandas, polars and pyarrow; README recipes."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from support import ROOT, copy_package, need_r

import ffdata
from ffdata.errors import FfdataError, UnknownNameError
from ffdata.loading import BACKENDS
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
    first = [TABLES[name].columns[-1].name, TABLES[name].columns[0].name]
    for backend in ("pandas", "polars", "pyarrow"):  # a subset of columns, in the order asked
        picked = ffdata.load(name, columns=first, backend=backend)
        assert list(getattr(picked, "column_names", None) or picked.columns) == first, backend


@pytest.mark.parametrize("name", [n for n, t in TABLES.items() if any(c.enum for c in t.columns)])
def test_pyarrow_gives_closed_vocabularies_dictionary_encoded_as_pandas_gives_categoricals(name):
    """Every allowed value in the dictionary, in the declared order (pandas' categories);
    the values and the missing cells those stored; other columns as stored."""
    import pyarrow.parquet as pq

    frame = ffdata.load(name)
    arrow_table = ffdata.load(name, backend="pyarrow")
    stored = pq.read_table(ffdata.path(name))
    for column in TABLES[name].columns:
        loaded = arrow_table.column(column.name)
        if column.enum is None:
            assert loaded.type == stored.column(column.name).type, column.name
            continue
        assert loaded.type == pa.dictionary(pa.int32(), pa.string()), column.name
        dictionary = loaded.chunk(0).dictionary.to_pylist() if loaded.num_chunks else []
        assert dictionary == list(column.enum) == list(frame[column.name].cat.categories)
        assert loaded.to_pylist() == stored.column(column.name).to_pylist(), column.name


def test_pyarrow_backend_does_not_import_pandas():
    """``backend="pyarrow"`` reads, checks and encodes without pandas (pyarrow imports
    pandas when ``pyarrow.dataset`` is imported, e.g. by ``pq.read_table``, or when
    ``pa.array`` is given a list; the reader avoids both)."""
    code = (
        "import sys, ffdata\n"
        "for name in ffdata.list_tables():\n"
        "    table = ffdata.load(name, backend='pyarrow')\n"
        "    table = ffdata.load(name, columns=[table.column_names[-1]], backend='pyarrow')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandas')[:3])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_polars_missing_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars -> ImportError
    with pytest.raises(FfdataError, match=r"pip install 'foreign-fighters-data\[polars\]'"):
        ffdata.load("countries", backend="polars")
    assert isinstance(ffdata.load("countries"), pd.DataFrame)  # pandas needs nothing more


def test_unknown_backend():
    with pytest.raises(UnknownNameError, match="valid choices: pandas, polars, pyarrow"):
        ffdata.load("countries", backend="arrow")


def readme_block(language: str, marker: str) -> str:
    """The README's fenced ``language`` block that contains ``marker``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", readme, flags=re.DOTALL)
    (block,) = [b for b in blocks if marker in b]
    return block


def most_people() -> int:
    """The largest regional population sum: above 32-bit integers, as the README says."""
    return int(ffdata.load("regional_totals", columns=["population"]).population.max())


def test_readme_python_recipes_run():
    namespace: dict = {}
    exec(readme_block("python", 'backend="polars"'), namespace)
    estimates, estimates_pl = namespace["estimates"], namespace["estimates_pl"]
    assert estimates_pl.height == namespace["arrow_table"].num_rows == len(estimates) > 0
    namespace = {}
    exec(readme_block("python", "duckdb"), namespace)
    assert namespace["top"] == [("TUN", 6000), ("SAU", 2500), ("RUS", 2400)]
    namespace = {}
    exec(readme_block("python", "read_csv"), namespace)
    assert namespace["totals"].population.dtype == "Int64"
    assert namespace["totals"].population.max() == most_people() > 2**31 - 1


def test_readme_r_recipe_reads_the_csv_without_overflow():
    need_r("the README's R recipe", ("readr",))
    script = readme_block("r", "read_csv")
    out = subprocess.run(
        ["Rscript", "-e", script + "\ncat(format(max(totals$population), scientific = FALSE))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith(str(most_people()))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_read_table_gives_the_declared_dtypes(fmt, tmp_path):
    """Every column of every table with its declared dtype, booleans and Arrow-backed
    ``string`` (never pandas' ``str``) included; also from a Parquet file written without
    pandas' metadata (another tool's copy), whose text pandas reads as ``str``."""
    import pyarrow.parquet as pq

    from ffdata.locate import PROCESSED
    from ffdata.reading import dtypes, read_table

    (tmp_path / PROCESSED).mkdir(parents=True)
    for name in TABLES:
        shutil.copy(ROOT / PROCESSED / f"{name}.{fmt}", tmp_path / PROCESSED)
        if fmt == "parquet":  # as another writer leaves it: no pandas metadata
            file = tmp_path / PROCESSED / f"{name}.parquet"
            pq.write_table(pq.read_table(file).replace_schema_metadata(None), file)
        declared = {c: pd.api.types.pandas_dtype(t) for c, t in dtypes(name).items()}
        for root in (ROOT, tmp_path):
            frame = read_table(root, name, fmt)
            assert {c: frame[c].dtype for c in declared} == declared, (name, root)
            assert [type(frame[c].dtype) for c in declared] == [type(t) for t in declared.values()]
        assert read_table(tmp_path, name, fmt).equals(read_table(ROOT, name))
    sources = read_table(tmp_path, "sources", fmt)
    assert str(sources["second_hand"].dtype) == "boolean"
    assert sources["second_hand"].sum() > 0 and (~sources["second_hand"]).sum() > 0


def test_load_refuses_values_outside_a_vocabulary_by_name_and_keeps_nulls(tmp_path, monkeypatch):
    """``load``'s categoricals: every allowed value a category, in the declared order;
    a missing cell stays missing (never the first category); a value outside the
    vocabulary is refused, each such value named once; a subset of columns too."""
    import pyarrow.parquet as pq

    from ffdata.locate import ENV_VAR, PROCESSED

    monkeypatch.setenv(ENV_VAR, str(copy_package(tmp_path / "package")))
    estimates = ffdata.load("country_estimates")
    stored = pq.read_table(ROOT / PROCESSED / "country_estimates.parquet").to_pandas()
    for column in ("estimate", "published_precision"):
        allowed = list(
            next(c for c in TABLES["country_estimates"].columns if c.name == column).enum
        )
        assert list(estimates[column].cat.categories) == allowed
        assert estimates[column].isna().tolist() == stored[column].isna().tolist()
        assert estimates[column].astype(object).where(estimates[column].notna(), None).tolist() == (
            stored[column].astype(object).where(stored[column].notna(), None).tolist()
        )
    assert estimates["published_precision"].isna().sum() > 0  # nulls were there to keep
    subset = ffdata.load("country_estimates", columns=["iso3", "estimate"])
    assert list(subset.columns) == ["iso3", "estimate"]
    assert subset["estimate"].tolist() == estimates["estimate"].tolist()
    changed = stored.copy()
    changed.loc[[0, 5], "estimate"] = "guessed"
    changed.loc[7, "estimate"] = "Official"
    changed.to_parquet(tmp_path / "package" / PROCESSED / "country_estimates.parquet", index=False)
    refused = r"column estimate: \['Official', 'guessed'\] not among the values this ffdata knows"
    for columns, backend in itertools.product((None, ["estimate"]), BACKENDS):
        # polars refuses it the same way, not with its own traceback
        with pytest.raises(FfdataError, match=refused + r" \(official, unofficial, reported\)"):
            ffdata.load("country_estimates", columns=columns, backend=backend)
    assert list(ffdata.load("country_estimates", columns=["iso3"]).columns) == ["iso3"]
    # a vocabulary column that does not hold text (another tool's file): refused the same way
    changed["estimate"] = [3] * len(changed)
    changed.to_parquet(tmp_path / "package" / PROCESSED / "country_estimates.parquet", index=False)
    for backend in BACKENDS:
        with pytest.raises(FfdataError, match=r"column estimate: \['3'\] not among the values"):
            ffdata.load("country_estimates", backend=backend)


@pytest.mark.parametrize("name", list(TABLES))
def test_one_read_gives_what_pandas_read_parquet_gives(name):
    """reading.read_parquet_once skips pandas' file-system layer: the frame must not change."""
    from ffdata.reading import read_parquet_once

    file = ffdata.path(name)
    pd.testing.assert_frame_equal(read_parquet_once(file), pd.read_parquet(file), check_exact=True)
    first = [TABLES[name].columns[-1].name, TABLES[name].columns[0].name]
    pd.testing.assert_frame_equal(
        read_parquet_once(file, first), pd.read_parquet(file, columns=first), check_exact=True
    )


def test_the_csv_files_write_an_integral_number_without_a_decimal_point():
    """A headcount of 11000 is written 11000, never 11000.0; Parquet keeps the number type,
    and the CSV reads back the same values (test_read_table_gives_the_declared_dtypes)."""
    import csv

    from ffdata.locate import PROCESSED

    numbers = 0
    for name, table in TABLES.items():
        columns = [c.name for c in table.columns if c.type == "number"]
        with (ROOT / PROCESSED / f"{name}.csv").open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                for cell in (row[c] for c in columns if row[c]):
                    numbers += 1
                    assert not re.fullmatch(r"-?\d+\.0+", cell), (name, cell)
        parquet = pd.read_parquet(ROOT / PROCESSED / f"{name}.parquet", columns=columns)
        assert all(str(parquet[c].dtype).lower().startswith("float") for c in columns), name
    assert numbers > 0
