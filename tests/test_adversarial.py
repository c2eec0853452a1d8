"""No pathological inputs: each parser gets 250 KB adversarial lines and must finish with a
value or an ffdata error of bounded length, each case in a worker with a time limit
(tests/case_runner.py), so that a backtracking or quadratic parser fails here, naming the
parser and the line, instead of hanging the suite. Timings: benchmarks/adversarial.py."""

from __future__ import annotations

from case_runner import run_cases

from adversarial_inputs import CASES


def test_every_parser_finishes_on_long_lines():
    outcomes = run_cases("adversarial_inputs", list(CASES), limit=20.0)  # each takes < 1 s
    assert len(outcomes) == len(CASES)
    assert {name: outcome for name, outcome in outcomes.items() if outcome != "ok"} == {}
