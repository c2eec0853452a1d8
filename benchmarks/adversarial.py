"""Time of each parser on 1 MB adversarial lines (median of 3), as a table.

Usage: ``.venv/bin/python benchmarks/adversarial.py``. Never run by the tests; the
test tests/test_adversarial.py only checks that every case finishes.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from adversarial_inputs import PARSERS, adversarial_lines
from ffdata.errors import FfdataError


def main() -> None:
    print("| parser | slowest input | seconds (median of 3) | all inputs, seconds |")
    print("| --- | --- | ---: | ---: |")
    lines = adversarial_lines()
    for name, function in PARSERS.items():
        times = {}
        for label, text in lines.items():
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                with contextlib.suppress(FfdataError):
                    function(text)
                runs.append(time.perf_counter() - start)
            times[label] = statistics.median(runs)
        slowest = max(times, key=times.get)
        print(f"| {name} | {slowest} | {times[slowest]:.3f} | {sum(times.values()):.3f} |")


if __name__ == "__main__":
    main()
