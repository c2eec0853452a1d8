"""Argument handling shared by the step scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ffdata.errors import FfdataError


def run_step(
    description: str, step: Callable[[argparse.Namespace], None], out: bool = False
) -> None:
    """Parse ``--raw-dir`` (and ``--out-dir``), run ``step``, print errors the CLI's way."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    if out:
        parser.add_argument("--out-dir", type=Path, default=Path("."))
    args = parser.parse_args()
    try:
        step(args)
    except FfdataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
