"""Speed of the build, measured as figures and ratios against baselines of the same run.

Never run by the tests. Usage: ``make bench`` (or ``.venv/bin/python benchmarks/run.py``).
Prints a Markdown table; each figure is the median of several runs.
"""

from __future__ import annotations

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


def median_seconds(command: list[str], setup=None, repeat: int = REPEAT) -> float:
    """Median wall time of ``command`` as a fresh process."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(repeat: int = REPEAT) -> tuple[float, float]:
    """Median time of the pipeline alone and of publish, with every library imported."""
    import ffdata.builder.package_check  # noqa: F401  (import everything first)
    from ffdata.builder.pipeline import run_pipeline
    from ffdata.builder.publish import publish

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
    python = sys.executable
    empty = Path(tempfile.mkdtemp())
    noop = Path(tempfile.mkdtemp())
    subprocess.run(
        [FFDATA, "build", "--raw-dir", str(RAW), "--out-dir", str(noop)],
        check=True,
        capture_output=True,
    )

    def clear() -> None:
        shutil.rmtree(empty, ignore_errors=True)

    rows = {
        "python -c pass (interpreter start)": median_seconds([python, "-c", "pass"]),
        "import pandas (baseline)": median_seconds([python, "-c", "import pandas"]),
        "import every library the build uses": median_seconds(
            [
                python,
                "-c",
                "import pandas, pyarrow.parquet, pandera.pandas, pycountry, frictionless",
            ]
        ),
        "ffdata build into an empty folder (full build)": median_seconds(
            [FFDATA, "build", "--raw-dir", str(RAW), "--out-dir", str(empty)], setup=clear
        ),
        "ffdata build, nothing changed (no-op rebuild)": median_seconds(
            [FFDATA, "build", "--raw-dir", str(RAW), "--out-dir", str(noop)]
        ),
        "make data (repository, up to date)": median_seconds(["make", "data"], repeat=3),
    }
    pipeline_s, publish_s = in_process()
    rows["pipeline steps 1-6 in process (libraries loaded)"] = pipeline_s
    rows["publish + package checks in process"] = publish_s
    base = rows["import pandas (baseline)"]
    print("| measurement | median seconds | ratio to `import pandas` |")
    print("| --- | ---: | ---: |")
    for name, seconds in rows.items():
        print(f"| {name} | {seconds:.3f} | {seconds / base:.2f} |")


if __name__ == "__main__":
    main()
