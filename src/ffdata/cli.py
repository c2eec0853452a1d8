"""The ``ffdata`` command line.

Errors print one clear message (what, where, what would fix it) on stderr and
exit with status 1; ``--traceback`` shows the Python traceback as well. Usage
errors exit with status 2.

Example:
    >>> main(["--version"])  # doctest: +ELLIPSIS
    ffdata ...
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ffdata._version import __version__
from ffdata.errors import FfdataError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _cmd_build(args: argparse.Namespace) -> int:
    from ffdata.build import build

    report = build(args.raw_dir, args.out_dir)
    print(report.summary())
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from ffdata.package_check import check_package

    check_package(args.dir, frictionless=not args.skip_frictionless)
    print(f"valid: {Path(args.dir) / 'datapackage.json'}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``ffdata`` command.

    Example:
        >>> parser().parse_args(["validate", "."]).dir
        PosixPath('.')
    """
    top = argparse.ArgumentParser(
        prog="ffdata",
        description="Foreign fighters who joined the Islamic State: country figures with "
        "provenance. Build, validate and browse the data package.",
    )
    top.add_argument("--version", action="store_true", help="print the version and exit")
    top.add_argument(
        "--traceback", action="store_true", help="on error, show the Python traceback too"
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser(
        "build",
        help="run the pipeline on a raw folder and publish the tables",
        description="Run the pipeline on RAW_DIR (laid out like data/raw/) and write "
        "datapackage.json and data/processed/ into OUT_DIR, all or nothing.",
    )
    build.add_argument("--raw-dir", type=Path, required=True, help="folder like data/raw/")
    build.add_argument("--out-dir", type=Path, required=True, help="where to publish")
    build.set_defaults(func=_cmd_build)

    validate = sub.add_parser(
        "validate",
        help="validate a built package",
        description="Check DIR/datapackage.json: files and sha256, schemas, keys, "
        "CSV = Parquet, and frictionless validation.",
    )
    validate.add_argument("dir", type=Path, help="folder holding datapackage.json")
    validate.add_argument(
        "--skip-frictionless", action="store_true", help="skip the (slower) frictionless run"
    )
    validate.set_defaults(func=_cmd_validate)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit status.

    Example: see the module docstring.
    """
    top = parser()
    args = top.parse_args(argv)
    if args.version:
        print(f"ffdata {__version__}")
        return EXIT_OK
    if not getattr(args, "func", None):
        top.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except FfdataError as exc:
        if args.traceback:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def entry_point() -> None:
    """Console-script entry point: exit with :func:`main`'s status."""
    sys.exit(main())
