"""The ``ffdata`` command line.

Every error of a run prints on stderr, one line each with its place and hint, and exits 1
(``--traceback`` shows the traceback too); an unknown name exits 2. Tables print aligned
in a terminal and as CSV in a pipe, unless ``--format`` says otherwise.

Example:
    >>> main(["--version"])  # doctest: +ELLIPSIS
    ffdata ... (installed as foreign-fighters-data); data ... (.../datapackage.json)
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ffdata._version import DISTRIBUTION, __version__
from ffdata.errors import FfdataError, FfdataErrors, UnknownNameError, one_line

if TYPE_CHECKING:
    import pandas as pd

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _print_text(text: str, end: str = "\n") -> None:
    """Print text made from the data; in a terminal, each line :func:`ffdata.display.shown`."""
    from ffdata.display import shown

    if sys.stdout.isatty():
        text = "\n".join(shown(line) for line in text.split("\n"))
    print(text, end=end)


def _emit(frame: pd.DataFrame, fmt: str | None) -> None:
    """Print ``frame``: CSV in a pipe; in a terminal, a table fitted to its width."""
    import shutil

    from ffdata.render import render

    tty = sys.stdout.isatty()
    fmt = fmt or ("table" if tty else "csv")
    width = shutil.get_terminal_size().columns if tty and fmt == "table" else None
    _print_text(render(frame, fmt, width=width))


def _cmd_list(args: argparse.Namespace) -> None:
    import pandas as pd

    from ffdata.loading import load
    from ffdata.tables import TABLES

    rows = [
        {
            "table": name,
            "rows": len(load(name, columns=[table.columns[0].name])),
            "primary_key": ", ".join(table.primary_key),
            "description": table.title,
        }
        for name, table in TABLES.items()
    ]
    _emit(pd.DataFrame(rows), args.format)


def _cmd_show(args: argparse.Namespace) -> None:
    from ffdata.api import find_country, load
    from ffdata.lookup import find_sources

    frame = load(args.table)
    asked = []  # what was asked, as read: "--country UK (GBR)"
    if args.country is not None:
        if "iso3" not in frame.columns:
            raise UnknownNameError(
                f"table {args.table} has no country column", hint="drop --country"
            )
        # a country without estimates (Syria) still has rows in the other tables
        iso3 = find_country(args.country, with_estimates=args.table == "country_estimates")
        frame = frame[frame["iso3"] == iso3]
        asked.append(f"--country {args.country} ({iso3})")
    if args.source is not None:
        if "source_id" not in frame.columns:
            raise UnknownNameError(f"table {args.table} has no source column", hint="drop --source")
        ids = find_sources(args.source)
        frame = frame[frame["source_id"].isin(ids)]
        asked.append(f"--source {args.source} ({', '.join(ids)})")
    if frame.empty:  # on stderr: a pipe still gets the header alone
        matches = f"matches {' and '.join(asked)}" if asked else "at all"
        print(f"no row of {args.table} {matches}", file=sys.stderr)
    if args.columns:
        wanted = [c.strip() for c in args.columns.split(",")]
        frame = load(args.table, columns=wanted).loc[frame.index]
    _emit(frame, args.format)


#: The columns ``compare`` and ``totals`` print without ``--all-columns``.
_SHORT = {
    "compare": "row_kind label universe estimate refers_to_date refers_to_year figure fighters "
    "fighters_low fighters_high fighters_per_million value value_low value_high unit "
    "qualifier metric why_not_listed printed_at oddities",
    "totals": "series refers_to_date figure groups_counted place_counted count_kind producer "
    "document_id line oddities",
}


def _cmd_compare_or_totals(args: argparse.Namespace) -> None:
    from ffdata.api import compare, totals

    frame = compare(args.country) if args.command == "compare" else totals()
    fmt = args.format or ("table" if sys.stdout.isatty() else "csv")
    if fmt == "table" and not args.all_columns:
        import shutil

        from ffdata.terminal import compare_text, totals_text

        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        page = compare_text if args.command == "compare" else totals_text
        _print_text(page(frame, width))
        return
    _emit(frame if args.all_columns else frame[_SHORT[args.command].split()], fmt)


def _cmd_cite(args: argparse.Namespace) -> None:
    from ffdata.citation import cite

    _print_text(cite(args.format, table=args.table, country=args.country, figure=args.figure))


def _cmd_diff(args: argparse.Namespace) -> None:
    from ffdata.diff import diff

    changes = diff(args.old, args.new)
    if changes.empty:
        print(f"no change in the data from {args.old} to {args.new}", file=sys.stderr)
    _emit(changes, args.format)


def _cmd_codebook(args: argparse.Namespace) -> None:
    from ffdata.codebook import codebook_markdown

    _print_text(codebook_markdown(), end="")


def _require_build_extra() -> None:
    """Refuse, before any work, an install without the ``build`` extra's libraries."""
    from importlib.util import find_spec

    missing = [n for n in ("pandera", "pycountry", "frictionless") if find_spec(n) is None]
    if missing:
        raise FfdataError(
            f"this command needs the builder's libraries ({', '.join(missing)} not installed)",
            document=sys.prefix,
            hint=f"pip install '{DISTRIBUTION}[build]', or `make venv` in a checkout",
        )


def _cmd_build(args: argparse.Namespace) -> None:
    _require_build_extra()
    from ffdata.builder.build import build

    report = build(args.raw_dir, args.out_dir)
    print(report.summary())


def _cmd_validate(args: argparse.Namespace) -> None:
    _require_build_extra()
    from ffdata.builder.publish.package_check import check_package

    check_package(args.dir, frictionless=not args.skip_frictionless)
    print(f"valid: {Path(args.dir) / 'datapackage.json'}")


def _path(text: str) -> Path:
    """An argparse type: a non-empty path (an empty one would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the path is empty")
    return Path(text)


_FLAG, _PATH = {"action": "store_true"}, {"type": _path, "required": True}
_FORMATS = {"choices": ("table", "csv", "json", "markdown")}
_FORMAT = ("--format", "output format (default: table in a terminal, csv in a pipe)", _FORMATS)
_VERSIONED = "version, release archive or package folder"

#: Each command: its handler, help, description and arguments (flag, help, other options).
_COMMANDS: dict[str, tuple[object, str, str, list[tuple[str, str | None, dict]]]] = {
    "build": (
        _cmd_build,
        "run the pipeline on a raw folder and publish the tables",
        "Run the pipeline on RAW_DIR (laid out like data/raw/) and write "
        "datapackage.json and data/processed/ into OUT_DIR, all or nothing.",
        [
            ("--raw-dir", "folder like data/raw/", _PATH),
            ("--out-dir", "where to publish", _PATH),
        ],
    ),
    "validate": (
        _cmd_validate,
        "validate a built package",
        "Check DIR/datapackage.json: files and sha256, schemas, keys, "
        "CSV = Parquet, and frictionless validation.",
        [
            ("dir", "folder holding datapackage.json", {"type": _path}),
            ("--skip-frictionless", "skip the (slower) frictionless run", _FLAG),
        ],
    ),
    "list": (_cmd_list, "list the tables", "List the tables.", [_FORMAT]),
    "show": (
        _cmd_show,
        "print a table, optionally filtered",
        "Print TABLE, optionally only one country or one source.",
        [
            _FORMAT,
            ("table", "table name (see `ffdata list`)", {}),
            ("--country", "name or ISO code, e.g. UK, Netherlands, TUN", {}),
            ("--source", "source id, label or producer (table sources), e.g. ICSR", {}),
            ("--columns", "comma-separated columns to keep", {}),
        ],
    ),
    "compare": (
        _cmd_compare_or_totals,
        "every figure for one country, in date order, and the sources that list none",
        "Every estimate for COUNTRY across sources and dates (a single figure or a "
        "range), oldest first, with per-capita rates, the figures about it in "
        "aggregate_figures, and, for each source that does not list it, what that means; "
        "each row with what its source counts (universe) and where it is printed "
        "(document:line). Any country is accepted, one without estimates too.",
        [
            _FORMAT,
            ("country", "name or ISO code, e.g. UK, tunisia, NLD", {}),
            ("--all-columns", "include provenance text", _FLAG),
        ],
    ),
    "totals": (
        _cmd_compare_or_totals,
        "worldwide totals of foreign fighters over time",
        "The worldwide counts of foreign fighters the documents report, with what each "
        "counts (groups, place, stock or inflow), the number as qualified and its line: "
        "the stocks of the Islamic State's foreign fighters first (series 'stock', the one "
        "to compare over time), then counts of other people apart, each in date order.",
        [_FORMAT, ("--all-columns", "include the date as printed and provenance", _FLAG)],
    ),
    "cite": (
        _cmd_cite,
        "how to cite the data and its sources",
        "Print citations of the data set and of every source, or of the sources "
        "behind one table, country or figure.",
        [
            ("--format", None, {"choices": ("text", "bibtex"), "default": "text"}),
            ("--table", "only the sources behind a table's figures", {}),
            ("--country", "only the sources with figures for a country, e.g. UK", {}),
            ("--figure", "only the source of a figure (a figure_id)", {}),
        ],
    ),
    "diff": (
        _cmd_diff,
        "what changed between two versions of the data",
        "Rows added and removed and cells changed from OLD to NEW, by primary key, "
        "with the old and new values and text as printed. OLD and NEW are each a version "
        "(e.g. 0.1.0: fetched and verified), a release archive (.zip) or a package folder.",
        [_FORMAT, ("old", _VERSIONED, {}), ("new", _VERSIONED, {})],
    ),
    "codebook": (
        _cmd_codebook,
        "print the codebook (Markdown)",
        "Print the codebook generated from the table declarations.",
        [],
    ),
}


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``ffdata`` command.

    Example:
        >>> parser().parse_args(["validate", "."]).dir
        PosixPath('.')
    """
    top = argparse.ArgumentParser(
        prog="ffdata",
        description="Foreign fighters in Syria and Iraq as each source defines them "
        "(sources: groups_counted, place_counted, count_kind): country figures with "
        "provenance. Build, validate and browse the data package.",
    )
    top.add_argument("--version", action="store_true", help="print the version and exit")
    top.add_argument(
        "--traceback", action="store_true", help="on error, show the Python traceback too"
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, (func, help, description, arguments) in _COMMANDS.items():
        command = sub.add_parser(name, help=help, description=description)
        command.set_defaults(func=func)
        for flag, text, options in arguments:
            command.add_argument(flag, help=text, **options)
    return top


def _data_version() -> str:
    """Which data the commands read: the version its ``datapackage.json`` records, and where.

    Example:
        >>> _data_version()  # doctest: +ELLIPSIS
        'data ... (.../datapackage.json)'
    """
    import json

    from ffdata.locate import DESCRIPTOR, data_root

    try:
        descriptor = data_root() / DESCRIPTOR
        version = json.loads(descriptor.read_text(encoding="utf-8")).get("version", "unknown")
    except (FfdataError, OSError, ValueError, AttributeError) as exc:
        return f"data not readable ({(str(exc).splitlines() or [type(exc).__name__])[0]})"
    return f"data {version} ({descriptor})"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit status (example: the module's)."""
    top = parser()
    args = top.parse_args(argv)
    if args.version:
        print(f"ffdata {__version__} (installed as {DISTRIBUTION}); {_data_version()}")
        return EXIT_OK
    if not getattr(args, "func", None):
        top.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        args.func(args)
        return EXIT_OK
    except FfdataError as exc:
        if args.traceback:
            raise
        from ffdata.display import shown

        for error in exc.errors if isinstance(exc, FfdataErrors) else [exc]:
            print(f"error: {shown(one_line(error))}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UnknownNameError) else EXIT_ERROR
    except BrokenPipeError:  # e.g. `ffdata show ... | head`
        sys.stderr.close()


def entry_point() -> None:
    """Console-script entry point: exit with :func:`main`'s status."""
    sys.exit(main())
