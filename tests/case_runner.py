"""Run named cases in a worker process, each with its own time limit (a hang guard).

One worker (``python tests/case_runner.py MODULE``) imports ffdata once and runs the
module's ``CASES`` (name -> function of no argument returning an outcome string), printing
a line when a case starts and one with its outcome. A case past its limit is recorded as
``"timeout"``: the worker is killed (a regex stuck in C ignores signals) and a new one runs
the cases after it, so a quadratic regression fails its test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "@case-runner "  # prefix of the protocol's lines on the worker's stdout
OVERHEAD = 60.0  # seconds a worker may take to start (imports, its shared build)


def run_cases(module: str, names: list[str], limit: float, max_timeouts: int = 2) -> dict:
    """Run ``names`` (cases of ``tests/<module>.py``) in workers; return name -> outcome.

    After ``max_timeouts`` timeouts the rest are not run (a regression costs a minute).
    Example (not run): ``run_cases("test_refusals_figures", ["figures nested"], 30.0)``.
    """
    outcomes: dict[str, str] = {}
    remaining, timeouts = list(names), 0
    while remaining:
        if timeouts >= max_timeouts:
            outcomes.update({name: f"not run: {timeouts} cases timed out" for name in remaining})
            break
        with tempfile.TemporaryFile() as errors:  # the worker's stderr: read if it dies
            path = os.pathsep.join([str(HERE), str(HERE.parent / "src")])
            worker = subprocess.Popen(
                [sys.executable, str(HERE / "case_runner.py"), module],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                cwd=HERE.parent,
                env={**os.environ, "PYTHONPATH": path},
            )
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write("\n".join(remaining) + "\n")
            worker.stdin.close()
            current, deadline = None, time.monotonic() + OVERHEAD + limit
            while True:
                wait = max(0.0, deadline - time.monotonic())
                if not select.select([worker.stdout], [], [], wait)[0]:
                    worker.kill()
                    worker.wait()
                    stuck = current if current is not None else remaining[0]
                    outcomes[stuck] = f"timeout: no outcome within {limit:.0f} s"
                    timeouts += 1
                    remaining = remaining[remaining.index(stuck) + 1 :]
                    break
                line = worker.stdout.readline()
                if not line:  # the worker ended
                    worker.wait()
                    errors.seek(0)
                    said = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
                    died = f"crash: the worker died (status {worker.returncode}) {said}"
                    if current is None:  # between cases or while starting: the rest not run
                        outcomes.update({name: f"not run: {died}" for name in remaining})
                        remaining = []
                    else:  # in a case: the next worker runs the rest
                        outcomes[current] = died
                        remaining = remaining[remaining.index(current) + 1 :]
                    break
                if line.startswith(MARK):  # anything else a case printed is not the protocol
                    message = json.loads(line[len(MARK) :])
                    current = message.get("start")
                    if current is None:
                        outcomes[message["name"]] = message["outcome"]
                        remaining.remove(message["name"])
                    deadline = time.monotonic() + limit
    return outcomes


def _worker(module: str) -> None:
    import importlib

    cases = importlib.import_module(module).CASES
    for name in [line.strip() for line in sys.stdin if line.strip()]:
        print(MARK + json.dumps({"start": name}), flush=True)
        try:
            outcome = cases[name]()
        except Exception as exc:  # recorded, not raised: the test names the case
            where = traceback.extract_tb(exc.__traceback__)[-1]
            outcome = f"traceback: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        print(MARK + json.dumps({"name": name, "outcome": outcome}), flush=True)


if __name__ == "__main__":
    _worker(sys.argv[1])
