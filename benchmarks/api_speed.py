"""Speed of the loading API, as ratios against baselines measured in the same run.

- ``import ffdata`` against ``import pandas``, each in a fresh process (goal <= 1.15).
- ``ffdata.load("country_estimates")`` against ``pandas.read_parquet`` of the same file,
  in the same process, their repeats taken in turn (goal <= 1.33).
- ``ffdata.load("country_estimates", backend="polars")`` against ``polars.read_parquet``
  (goal <= 1.5; the cast of closed vocabularies to ``pl.Enum`` is the difference).
- ``ffdata.load("country_estimates", release="0.1.0")`` from the cache, which re-hashes the
  cached archive and every unpacked file on each call, against ``pandas.read_parquet`` of
  the same cached file (no goal: the price of verifying, reported).

Usage: ``make bench``. Never run by the tests.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

RUNS = 15


def fresh_import(module: str) -> float:
    """Median wall time of ``python -c 'import module'`` over fresh processes."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(statement: str, setup: str) -> float:
    """Median seconds per call of ``statement`` (many calls, several repeats)."""
    timer = timeit.Timer(statement, setup=setup)
    number, _ = timer.autorange()
    return statistics.median(t / number for t in timer.repeat(repeat=7, number=number))


def paired(statement: str, baseline: str, setup: str) -> tuple[float, float]:
    """Median seconds per call of ``statement`` and of ``baseline``, their repeats taken
    in turn, so that the machine's drift during the run weighs on both alike."""
    timers = [timeit.Timer(statement, setup=setup), timeit.Timer(baseline, setup=setup)]
    number = max(timer.autorange()[0] for timer in timers)
    runs: list[list[float]] = [[], []]
    for _ in range(15):
        for timer, times in zip(timers, runs, strict=True):
            times.append(timer.timeit(number) / number)
    return statistics.median(runs[0]), statistics.median(runs[1])


def main() -> None:
    pandas_import = fresh_import("pandas")
    ffdata_import = fresh_import("ffdata")
    setup = "import ffdata, pandas as pd; p = ffdata.path('country_estimates'); ffdata.load('countries')"
    load, read = paired("ffdata.load('country_estimates')", "pd.read_parquet(p)", setup)
    polars_setup = setup + "; import polars as pl"
    polars_load, polars_read = paired(
        "ffdata.load('country_estimates', backend='polars')", "pl.read_parquet(p)", polars_setup
    )
    archive = Path(__file__).resolve().parents[1] / "releases" / "ffdata-data-0.1.0.zip"
    cached = (
        "import ffdata, tempfile, pandas as pd; cache = tempfile.mkdtemp(); "
        f"folder = ffdata.fetch_release({str(archive)!r}, cache_dir=cache)"
    )
    cached_read = in_process(
        "pd.read_parquet(folder / 'data' / 'processed' / 'country_estimates.parquet')", cached
    )
    from_release = in_process(
        "ffdata.load('country_estimates', release='0.1.0')",
        cached + "; import os; os.environ['FFDATA_CACHE_DIR'] = cache",
    )
    print("| measurement | median | baseline | ratio | goal |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(
        f"| import ffdata vs import pandas (fresh processes) | {ffdata_import * 1e3:.1f} ms "
        f"| {pandas_import * 1e3:.1f} ms | {ffdata_import / pandas_import:.2f} | <= 1.15 |"
    )
    print(
        f"| ffdata.load vs pd.read_parquet (country_estimates) | {load * 1e3:.2f} ms "
        f"| {read * 1e3:.2f} ms | {load / read:.2f} | <= 1.33 |"
    )
    print(
        f"| ffdata.load(backend='polars') vs pl.read_parquet | {polars_load * 1e3:.2f} ms "
        f"| {polars_read * 1e3:.2f} ms | {polars_load / polars_read:.2f} | <= 1.5 |"
    )
    print(
        f"| load(release='0.1.0'), cache verified, vs pd.read_parquet of the cached file "
        f"| {from_release * 1e3:.2f} ms | {cached_read * 1e3:.2f} ms "
        f"| {from_release / cached_read:.2f} | - |"
    )


if __name__ == "__main__":
    main()
