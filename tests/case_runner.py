"""Run named cases in a worker process, each with its own time limit (a hang guard).

The parent (:func:`run_cases`) starts one worker (``python tests/case_runner.py``) that
imports ffdata once and runs case after case, printing a JSON line when it starts a
case and one with its outcome. A case that does not finish within ``limit`` seconds
is recorded as ``"timeout"``: the parent kills the worker (a regex stuck in C code
ignores Python signals) and starts a new one for the cases after it. A quadratic
regression therefore fails its test instead of hanging the suite.

A case is a function of a :class:`Workspace`, registered under a name by the module
that defines it; it returns a short outcome string, or raises (recorded as
``"traceback: ..."``).
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


def run_cases(
    module: str, names: list[str], limit: float = 20.0, max_timeouts: int = 2
) -> dict[str, str]:
    """Run ``names`` (cases of ``tests/<module>.py``) in workers; return name -> outcome.

    After ``max_timeouts`` cases time out, the rest are not run (each is recorded as
    such), so that a regression costs a minute, not one time limit per case.

    Example (not run): ``run_cases("hostile_cases", ["pins:figures.toml changed"])``.
    """
    outcomes: dict[str, str] = {}
    remaining = list(names)
    timeouts = 0
    while remaining:
        if timeouts >= max_timeouts:
            outcomes.update({name: f"not run: {timeouts} cases timed out" for name in remaining})
            break
        with tempfile.TemporaryFile() as errors:  # the worker's stderr: read if it dies
            worker = subprocess.Popen(
                [sys.executable, str(HERE / "case_runner.py"), module],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                cwd=HERE.parent,
                env={
                    **os.environ,
                    "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent / "src")]),
                },
            )
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write("\n".join(remaining) + "\n")
            worker.stdin.close()
            current, deadline = None, time.monotonic() + OVERHEAD + limit
            while True:
                ready, _, _ = select.select(
                    [worker.stdout], [], [], max(0.0, deadline - time.monotonic())
                )
                if not ready:
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
                    if current is not None:  # in a case: the next worker runs the rest
                        outcomes[current] = died
                        remaining = remaining[remaining.index(current) + 1 :]
                    else:  # between cases, or in prepare(): the rest are not run
                        outcomes.update({name: f"not run: {died}" for name in remaining})
                        remaining = []
                    break
                if not line.startswith(MARK):  # a case printed something: not the protocol
                    continue
                message = json.loads(line[len(MARK) :])
                if "start" in message:
                    current, deadline = message["start"], time.monotonic() + limit
                else:
                    outcomes[message["name"]] = message["outcome"]
                    remaining.remove(message["name"])
                    current, deadline = None, time.monotonic() + limit
    return outcomes


def _worker(module: str) -> None:
    import importlib

    cases = importlib.import_module(module).CASES
    names = [line.strip() for line in sys.stdin if line.strip()]
    prepare = getattr(importlib.import_module(module), "prepare", None)
    context = prepare() if prepare is not None else None
    for name in names:
        print(MARK + json.dumps({"start": name}), flush=True)
        try:
            outcome = cases[name](context)
        except Exception as exc:  # recorded, not raised: the test names the case
            where = traceback.extract_tb(exc.__traceback__)[-1]
            outcome = f"traceback: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        print(MARK + json.dumps({"name": name, "outcome": outcome}), flush=True)


if __name__ == "__main__":
    _worker(sys.argv[1])
