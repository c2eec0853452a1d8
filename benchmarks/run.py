"""Speed of the maintainer's loop, as ratios against baselines measured in the same run.

Never run by the tests. Usage: ``make bench`` (or ``.venv/bin/python benchmarks/run.py``);
``--tests`` also times ``make test`` pinned to two cores (about two minutes).
Prints a Markdown table; each figure is the median of several runs of a fresh process, each
measurement run in turn with its baseline.

| goal | measured against |
| --- | --- |
| `make data` when nothing changed <= 0.35 x | `import pandas` |
| `ffdata build` into an empty folder <= 1.3 x | importing the libraries the build uses |
| the report: its charts far below the 4 s they took | importing the libraries it uses (the charts alone: `benchmarks/report_charts.py`) |
| `make test` on 2 cores <= 120 s | (seconds) |
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FFDATA = str(Path(sys.executable).with_name("ffdata"))
REPEAT = 5
BUILD_LIBRARIES = "import pandas, pyarrow.parquet, pandera.pandas, pycountry"
REPORT_LIBRARIES = (
    "import pandas, pyarrow.parquet, matplotlib.figure, matplotlib.backends.backend_svg"
)


def median_seconds(command: list[str], setup=None, repeat: int = REPEAT, env=None) -> float:
    """Median wall time of ``command`` as a fresh process."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_seconds(
    command: list[str], baseline: list[str], setup=None, repeat: int = REPEAT, env=None
) -> tuple[float, float]:
    """Median wall times of ``command`` and of ``baseline``, fresh processes run in turn, so
    that the machine's drift during the run weighs on both alike."""
    runs: list[list[float]] = [[], []]
    for _ in range(repeat):
        for which, argv in enumerate((command, baseline)):
            if setup and which == 0:
                setup()
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=ROOT, env=env)
            runs[which].append(time.perf_counter() - start)
    return statistics.median(runs[0]), statistics.median(runs[1])


def in_process(repeat: int = REPEAT) -> tuple[float, float]:
    """Median time of the pipeline alone and of publish, with every library imported."""
    from ffdata.builder.pipeline import run_pipeline
    from ffdata.builder.publish.write import publish

    pipeline_times, publish_times = [], []
    for _ in range(repeat):
        out = Path(tempfile.mkdtemp())
        start = time.perf_counter()
        result = run_pipeline(RAW)
        middle = time.perf_counter()
        publish(result, out)
        end = time.perf_counter()
        pipeline_times.append(middle - start)
        publish_times.append(end - middle)
        shutil.rmtree(out)
    return statistics.median(pipeline_times), statistics.median(publish_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", action="store_true", help="also time `make test` on 2 cores")
    args = parser.parse_args()
    python = sys.executable
    empty = Path(tempfile.mkdtemp())
    report_out = Path(tempfile.mkdtemp())
    subprocess.run(["make", "data"], check=True, capture_output=True, cwd=ROOT)  # up to date

    def clear() -> None:
        shutil.rmtree(empty, ignore_errors=True)

    import_pandas = [python, "-c", "import pandas"]
    noop_s, pandas_s = paired_seconds(["make", "data"], import_pandas)
    build_s, build_libs_s = paired_seconds(
        [FFDATA, "build", "--raw-dir", str(RAW), "--out-dir", str(empty)],
        [python, "-c", BUILD_LIBRARIES],
        setup=clear,
    )
    report_s, report_libs_s = paired_seconds(
        [python, "-m", "ffdata.builder.tools.report", "--out", str(report_out)],
        [python, "-c", REPORT_LIBRARIES],
        repeat=3,
        env={**os.environ, "FFDATA_DATA_DIR": str(ROOT)},
    )
    rows = [
        ("python -c pass (interpreter start)", median_seconds([python, "-c", "pass"]), None, ""),
        ("import pandas", pandas_s, None, ""),
        (f"`{BUILD_LIBRARIES}`", build_libs_s, None, ""),
        (f"`{REPORT_LIBRARIES}`", report_libs_s, None, ""),
        ("make data, nothing changed", noop_s, ("import pandas", pandas_s), "<= 0.35"),
        (
            "ffdata build into an empty folder (full build)",
            build_s,
            ("the build's libraries", build_libs_s),
            "<= 1.3",
        ),
        (
            "python -m ffdata.builder.tools.report (all 7 charts and the page)",
            report_s,
            ("the report's libraries", report_libs_s),
            "(charts: `benchmarks/report_charts.py`)",
        ),
    ]
    pipeline_s, publish_s = in_process()
    rows.append(("pipeline stages 1-7 in process (libraries loaded)", pipeline_s, None, ""))
    rows.append(("publish + package checks in process", publish_s, None, ""))
    if args.tests:
        taskset = ["taskset", "-c", "0,1"] if shutil.which("taskset") else []
        start = time.perf_counter()
        subprocess.run([*taskset, "make", "test"], check=True, capture_output=True, cwd=ROOT)
        rows.append(("make test, 2 cores", time.perf_counter() - start, None, "<= 120 s"))
    print("| measurement | median seconds | against | ratio | goal |")
    print("| --- | ---: | --- | ---: | ---: |")
    for name, seconds, base, goal in rows:
        against, ratio = (base[0], f"{seconds / base[1]:.2f}") if base else ("", "")
        print(f"| {name} | {seconds:.3f} | {against} | {ratio} | {goal} |")


if __name__ == "__main__":
    main()
