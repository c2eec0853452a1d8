"""No pathological inputs: each parser gets 250 KB adversarial lines and must finish, with a
value or an ffdata.errors exception. A parser that backtracks or is quadratic on such a line
does not finish in any reasonable time, so the size catches it; timings, on 1 MB lines, are in
benchmarks/adversarial.py, not here."""

from __future__ import annotations

import contextlib

import pytest

from adversarial_inputs import adversarial_lines, parsers
from ffdata.errors import FfdataError


@pytest.mark.parametrize("parser", list(parsers()))
def test_parser_finishes_on_long_lines(parser):
    function = parsers()[parser]
    for text in adversarial_lines(250_000).values():
        with contextlib.suppress(FfdataError):
            function(text)
