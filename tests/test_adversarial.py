"""No pathological inputs: each parser gets 1 MB adversarial lines and must finish, with a
value or an ffdata.errors exception. (Timings are in benchmarks/adversarial.py, not here.)"""

from __future__ import annotations

import contextlib

import pytest

from adversarial_inputs import LINES, parsers
from ffdata.errors import FfdataError


@pytest.mark.parametrize("parser", list(parsers()))
def test_parser_finishes_on_1mb_lines(parser):
    function = parsers()[parser]
    for text in LINES.values():
        with contextlib.suppress(FfdataError):
            function(text)
