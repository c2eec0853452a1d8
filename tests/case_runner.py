"""Run named cases in a worker process, each with its own time limit (a hang guard).

A worker (a fresh interpreter) imports the module and ffdata once and runs its ``CASES``
(name -> function of no argument returning an outcome string) one after another. A case
with no outcome within its limit (a hang, a quadratic parser, a crashed worker) is recorded
as a timeout: the worker is killed (a regex stuck in C ignores Python's signal handlers)
and a new one runs the cases after it, so that a regression fails its test instead of
hanging the suite.
"""

from __future__ import annotations

import importlib
import multiprocessing
import traceback

OVERHEAD = 60.0  # seconds a worker may take to start (the imports, before its first case)


def run_cases(module: str, names: list[str], limit: float, max_timeouts: int = 2) -> dict:
    """Run ``names`` (cases of ``tests/<module>.py``) in workers; return name -> outcome.

    After ``max_timeouts`` timeouts the rest are not run (a regression costs a minute).
    Example (not run): ``run_cases("test_refusals_figures", ["figures nested"], 30.0)``.
    """
    outcomes: dict[str, str] = {}
    remaining, timeouts = list(names), 0
    while remaining and timeouts < max_timeouts:
        with multiprocessing.get_context("spawn").Pool(1) as worker:  # killed on leaving
            for index, name in enumerate(list(remaining)):
                remaining.remove(name)
                running = worker.apply_async(_run, (module, name))
                try:
                    outcomes[name] = running.get(limit + (OVERHEAD if index == 0 else 0))
                except multiprocessing.TimeoutError:
                    outcomes[name] = f"timeout: no outcome within {limit:.0f} s (or a crash)"
                    timeouts += 1
                    break
    return {**outcomes, **{name: f"not run: {timeouts} cases timed out" for name in remaining}}


def _run(module: str, name: str) -> str:
    try:
        return importlib.import_module(module).CASES[name]()
    except Exception as exc:  # recorded, not raised: the test names the case
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return f"traceback: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
