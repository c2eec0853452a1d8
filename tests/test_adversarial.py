"""No pathological inputs: each parser gets 250 KB adversarial lines and must finish with a
value or an ffdata error of bounded length. A parser that backtracks or is quadratic on such
a line does not finish in any reasonable time: every case runs in a worker process with its
own time limit (tests/case_runner.py), so that such a regression fails here, naming the
parser and the line, instead of hanging the suite. Timings, on 1 MB lines, are in
benchmarks/adversarial.py, not here."""

from __future__ import annotations

from case_runner import run_cases

from adversarial_inputs import CASES, adversarial_lines, parsers

#: Seconds a case may take: every case takes well under one second today; a quadratic
#: parser on 250 KB takes minutes.
LIMIT = 20.0


def test_every_parser_finishes_on_long_lines():
    assert {name.split(": ")[0] for name in CASES} == set(parsers())
    outcomes = run_cases("adversarial_inputs", list(CASES), limit=LIMIT)
    broken = {name: outcome for name, outcome in outcomes.items() if outcome != "ok"}
    assert len(outcomes) == len(CASES) == len(parsers()) * len(adversarial_lines(1))
    assert broken == {}
