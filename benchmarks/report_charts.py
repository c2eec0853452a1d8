"""CPU seconds of each of the report's charts, and where they go (never run by the tests).

Usage: ``.venv/bin/python benchmarks/report_charts.py [--repeat N] [--profile K]``
with ``FFDATA_DATA_DIR`` pointing at a built checkout (``make report`` does). Each run
is a fresh process that imports matplotlib and loads the report's data first (timed
apart), then draws the 7 charts in the page's order, timing each with the process' CPU
time (user + system); the table shows the smallest of ``N`` runs per chart, which is the
least disturbed by other work on the machine. ``--profile K`` also prints the ``K``
functions with the most cumulative time over one run of the 7 charts (cProfile).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys


def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one_run() -> dict[str, float]:
    """Seconds of the imports and data, and of each chart, in this process."""
    start = cpu_seconds()
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401

    from ffdata.builder.tools.report.build import CHARTS
    from ffdata.builder.tools.report.data import load_report_data

    data = load_report_data()
    times = {"(imports and data)": cpu_seconds() - start}
    for role, draw in CHARTS.items():
        before = cpu_seconds()
        draw(data)
        times[role] = cpu_seconds() - before
    return times


def profile(top: int) -> None:
    """Print the ``top`` functions by cumulative time over one drawing of the 7 charts."""
    import cProfile
    import pstats

    import matplotlib.figure  # noqa: F401

    from ffdata.builder.tools.report.build import CHARTS
    from ffdata.builder.tools.report.data import load_report_data

    data = load_report_data()
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [draw(data) for draw in CHARTS.values()])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="top K functions")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run()))
        return
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, __file__, "--one"], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(args.repeat)
    ]
    best = {name: min(run[name] for run in runs) for name in runs[0]}
    charts = sum(v for k, v in best.items() if not k.startswith("("))
    totals = [sum(v for k, v in run.items() if not k.startswith("(")) for run in runs]
    print(f"| chart | CPU seconds (least of {args.repeat}) |")
    print("| --- | ---: |")
    for name, seconds in best.items():
        print(f"| {name} | {seconds:.3f} |")
    print(f"| all 7 charts (sum of the above) | {charts:.3f} |")
    print(f"| all 7 charts, least of the runs | {min(totals):.3f} |")
    if args.profile:
        profile(args.profile)


if __name__ == "__main__":
    main()
